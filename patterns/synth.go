package patterns

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fastforth/fastforth/analysis/number"
)

// Synthesis where no pattern fits: a search over short straight-line
// programs of stack, arithmetic, logic and comparison words and literals,
// cheapest first, like a superoptimizer. Every program runs on all the
// examples at once in the Go evaluator (eval.go), a word at a time, so a
// prefix is run once for all its continuations; programs are pruned by
// their stack effect (the depth must be able to reach the output's) and
// by what they do: a program that leaves the examples' stacks as a
// cheaper one already did is not continued (a transposition table). The
// first program that gives every example's outputs is checked in the
// machine and by the analysis before it is accepted.
//
// A conditional "P if A else B then" is searched next: a short prefix P
// whose flag splits the examples in two, and a straight-line arm for each
// half.

// synthGoal is what one example must end with.
type synthGoal struct {
	ds     []int64
	fs     []float64
	throws int16 // the THROW code expected (0: normal results)
}

// synthProblem is a spec's examples as start states and goals.
type synthProblem struct {
	starts []evalState
	goals  []synthGoal
	// alphabet is the words and literals tried, cheapest first; cost
	// is each one's cost.
	alphabet []*op
	cost     []int
	// hinted are the words the description suggests (they cost
	// hintCost); minCost is the alphabet's cheapest.
	hinted  map[*op]bool
	phrases []string
	h       hints
	minCost int
	// oneString: the word takes one string (c-addr u) and nothing else.
	oneString bool
	// in, fin are the cells and floats the word takes (for probes).
	in, fin int
	// stats
	nodes int
	// budget: the search stops when nodes reaches it (a bound on the
	// work, not the time, so that the answer does not depend on the
	// machine's load; the time limit is a safety net).
	budget int
}

// Costs of the alphabet: every word costs wordCost; literals cost more
// the less likely they are to belong to the answer rather than to one
// example (a number of the examples' outputs is never a literal unless
// the description has it too: "drop 9" is not a square).
const (
	wordCost     = 2
	hintCost     = 1 // a word the description suggests
	smallLitCost = 2 // 0, 1
	litCost      = 3 // 2, -1, numbers of the description
	exLitCost    = 4 // numbers of the examples' inputs
	maxSynthCost = 18
)

// synthWords are the words the straight-line search tries, in the order
// tried (more common first).
var synthWords = strings.Fields("dup * + - swap over drop nip rot -rot tuck 1+ 1- 2* 2/ negate abs " +
	"/ mod /mod */ min max = <> < > 0= 0< 0> 0<> u< u> and or xor invert lshift rshift within 2dup 2drop 2swap 2over")

// pairWords are the single-cell alphabet's words that move double cells
// as pairs.
var pairWords = map[string]bool{"2dup": true, "2drop": true, "2swap": true, "2over": true}

// allDoubles reports whether every item of an effect is a double-cell
// number (d1 d2 -- d3).
func allDoubles(eff string) bool {
	n := 0
	for _, f := range strings.Fields(eff) {
		switch f {
		case "(", ")", "--", "|":
			continue
		}
		if !doubleRE.MatchString(strings.ToLower(strings.TrimRight(f, "'"))) {
			return false
		}
		n++
	}
	return n > 0
}

// doubleWords are tried when the effect names double cells.
var doubleWords = strings.Fields("d+ d- dnegate dabs s>d d>s m* um* m+ d2* d2/ d= d< du< d0= d0< dmax dmin fm/mod sm/rem um/mod")

var synthFloatWords = strings.Fields("f+ f- f* f/ fdup fswap fover fdrop fnegate fabs fsqrt fmin fmax floor fround s>f f>s f< f0< f0=")

var numberRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`-?\b\d+(\.\d+)?(e-?\d+)?(\b|[a-zA-Z])`) })

// numbersIn are the numbers a text names, a number written against a
// letter too ("3n+1" names 3 and 1, "2D" names 2).
func numbersIn(text string) []string {
	type at struct {
		pos int
		n   string
	}
	var found []at
	for _, ix := range numberRE().FindAllStringIndex(text, -1) {
		n := text[ix[0]:ix[1]]
		if c := n[len(n)-1]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			n = n[:len(n)-1]
		}
		found = append(found, at{ix[0], n})
	}
	// Numbers written as words ("times ten", "in binary"), in place.
	low := strings.ToLower(text)
	for i := 0; i < len(low); {
		if low[i] < 'a' || low[i] > 'z' {
			i++
			continue
		}
		j := i
		for j < len(low) && low[j] >= 'a' && low[j] <= 'z' {
			j++
		}
		if n, ok := numberWords[low[i:j]]; ok {
			found = append(found, at{i, n})
		}
		i = j
	}
	slices.SortStableFunc(found, func(a, b at) int { return a.pos - b.pos })
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.n
	}
	return out
}

// numberWords are the numbers a description may write as words (one and
// two are among the literals the search always has).
var numberWords = map[string]string{
	"three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
	"eleven": "11", "twelve": "12", "sixteen": "16", "twenty": "20", "hundred": "100", "thousand": "1000",
	// number bases
	"binary": "2", "octal": "8", "hexadecimal": "16", "hex": "16",
}

// stringBases are where an example's strings are, for the evaluator.
var stringBases = []int64{1 << 44, -(1 << 44), 1}

// newSynthProblem reads a spec's examples as a synthesis problem; nil
// when an example is beyond the evaluator (setup words, parsed text,
// code after the word, printed text, a string output that is not an
// input string given back).
func newSynthProblem(s *Spec, shape Shape) *synthProblem {
	if s.Setup != "" || len(s.Examples) == 0 {
		return nil
	}
	p := &synthProblem{hinted: map[*op]bool{}, in: shape.In, fin: shape.FloatIn}
	h := hintsOf(s.query())
	p.phrases = h.phrases
	p.h = h
	inLits, fLits, throwCodes := map[int64]bool{}, map[float64]bool{}, map[int64]bool{}
	for e, ex := range s.Examples {
		// An example with a string runs at three addresses (high,
		// negative, tiny), so that a program that does arithmetic on
		// the address rather than passing it on fails one of them.
		variants := 1
		for _, v := range ex.Inputs {
			if v.Str != nil {
				variants = len(stringBases)
			}
		}
		for vi := 0; vi < variants; vi++ {
			if ex.Parse != "" || ex.After != "" || ex.Printed != nil {
				return nil
			}
			var st evalState
			// A string input is an address no literal can make and its
			// length: a program may pass it on, compare or measure it,
			// not read it (the machine, which runs every candidate, has
			// the string itself).
			strs := map[string]int64{}
			for i, v := range ex.Inputs {
				r := readVal(v)
				switch r.kind {
				case kString:
					if st.sp+2 > maxDepth {
						return nil
					}
					p.oneString = len(ex.Inputs) == 1
					addr := stringBases[vi] + int64(e)<<20 + int64(i)<<4
					if _, ok := strs[r.text]; !ok {
						strs[r.text] = addr
					}
					st.ds[st.sp], st.ds[st.sp+1] = addr, int64(len(r.text))
					st.sp += 2
					continue
				}
				switch r.kind {
				case kCells:
					for _, c := range r.cells {
						if st.sp == maxDepth {
							return nil
						}
						st.ds[st.sp] = c
						st.sp++
						inLits[c] = true
					}
				case kFloat:
					if st.fp == maxDepth {
						return nil
					}
					st.fs[st.fp] = r.f
					st.fp++
					fLits[r.f] = true
				default:
					return nil
				}
			}
			g := synthGoal{}
			if ex.Throws != nil {
				if *ex.Throws < -4094 || *ex.Throws > math.MaxInt16 {
					return nil
				}
				g.throws = int16(*ex.Throws)
				throwCodes[int64(*ex.Throws)] = true
			}
			for _, v := range ex.Outputs {
				r := readVal(v)
				switch r.kind {
				case kString:
					// Only an input string given back.
					addr, ok := strs[r.text]
					if !ok {
						return nil
					}
					g.ds = append(g.ds, addr, int64(len(r.text)))
				case kCells:
					g.ds = append(g.ds, r.cells...)
				case kFloat:
					g.fs = append(g.fs, r.f)
				default:
					return nil
				}
			}
			if len(g.ds) > maxDepth || len(g.fs) > maxDepth {
				return nil
			}
			p.starts = append(p.starts, st)
			p.goals = append(p.goals, g)
		}
	}
	floats := shape.FloatIn > 0
	for _, o := range shape.Outs {
		floats = floats || o.FloatOut > 0
	}
	cells := shape.In > 0
	for _, o := range shape.Outs {
		cells = cells || o.Out > 0
	}
	add := func(o *op, c int) {
		if h.words[o.name] {
			c = min(c, hintCost)
			if o.kind != opWord {
				c = smallLitCost
			}
			p.hinted[o] = true
		}
		for _, a := range p.alphabet {
			if a.kind == o.kind && a.kind != opWord && a.lit == o.lit && a.flit == o.flit {
				return
			}
		}
		p.alphabet = append(p.alphabet, o)
		p.cost = append(p.cost, c)
	}
	onlyDoubles := allDoubles(s.Effect)
	if cells {
		for _, w := range synthWords {
			// A word on doubles alone: their cells are not numbers
			// of their own (+ on the low cells fits a few examples
			// by chance), so only pairs move.
			if onlyDoubles && !pairWords[w] {
				continue
			}
			add(evalWords[w], wordCost)
		}
		if len(throwCodes) > 0 {
			add(evalWords["throw"], wordCost)
		}
		// Double-cell words when the effect names doubles.
		if len(doubleNames(s.Effect)) > 0 {
			for _, w := range doubleWords {
				add(evalWords[w], wordCost)
			}
		}
	}
	if floats {
		for _, w := range synthFloatWords {
			o := evalWords[w]
			if !cells && (o.in > 0 || o.out > 0) && w != "s>f" && w != "f>s" {
				continue
			}
			add(o, wordCost)
		}
	}
	// Literals.
	text := s.Description + " " + s.Name + " " + strings.Join(s.Properties, " ")
	descNums := map[string]bool{}
	for _, n := range numbersIn(text) {
		descNums[n] = true
	}
	for w := range h.words {
		if n, err := strconv.ParseInt(w, 10, 64); err == nil && cells {
			descNums[strconv.FormatInt(n, 10)] = true
		}
	}
	if cells {
		add(litOp(0), smallLitCost)
		add(litOp(1), smallLitCost)
		add(litOp(2), litCost)
		add(litOp(-1), litCost)
		for _, n := range sortedKeys(descNums) {
			if v, err := strconv.ParseInt(n, 10, 64); err == nil {
				add(litOp(v), litCost)
			}
		}
		// A word that leaves a character: the characters the
		// description names on their own ("- for a negative number").
		for _, c := range descChars(s) {
			add(litOp(int64(c)), litCost)
		}
		var ins []int64
		for v := range inLits {
			ins = append(ins, v)
		}
		slices.Sort(ins)
		for _, v := range ins {
			add(litOp(v), exLitCost)
		}
		// The THROW codes the examples expect.
		for _, v := range sortedKeys(throwCodesText(throwCodes)) {
			n, _ := strconv.ParseInt(v, 10, 64)
			add(litOp(n), litCost)
		}
	}
	if floats {
		add(flitOp(0), smallLitCost)
		add(flitOp(1), smallLitCost)
		add(flitOp(2), litCost)
		if h.words["2e0"] {
			p.hinted[p.alphabet[len(p.alphabet)-1]] = true
			p.cost[len(p.cost)-1] = smallLitCost
		}
		for _, n := range sortedKeys(descNums) {
			if v, ok := number.Parse([]byte(n), 10, true); ok {
				f := v.F
				if v.Kind != number.Float {
					f = float64(v.Lo)
				}
				add(flitOp(f), litCost)
			}
		}
		var fs []float64
		for f := range fLits {
			fs = append(fs, f)
		}
		slices.Sort(fs)
		for _, f := range fs {
			add(flitOp(f), exLitCost)
		}
	}
	p.minCost = wordCost
	for _, c := range p.cost {
		p.minCost = min(p.minCost, c)
	}
	return p
}

// wordHints are what a description's stems suggest ("the sum of the
// squares" → +, dup *): phrases separated by |, each a sequence of words
// or literals. A suggested word or literal costs less in the search;
// among programs that pass the examples, the one using more suggested
// words and phrases wins (affinity).
var wordHints = func() map[string][][]string {
	m := map[string][][]string{}
	for _, line := range []string{
		"sum add plus total increase more: + | f+ | d+ | m+",
		"differ subtract minus less decrease: - | f- | d-",
		"less: < | d<",
		"product multiply times area: * | f* | m* | um*",
		"divide quotient ratio split per: / | f/",
		"remainder modulo mod: mod",
		"square: dup * | fdup f*",
		"cube: dup dup * * | fdup fdup f* f*",
		"absolute magnitude distance: abs | fabs | dabs",
		"negate negative opposite: negate | fnegate | 0< | d0< | dnegate",
		"small minimum min least lower: min | fmin | dmin",
		"larg great maximum max most bigg high upper: max | fmax | dmax",
		"doubl twice: 2* | d2*",
		"half halv: 2/ | d2/",
		"average mean middle midpoint: + 2/ | f+ 2e0 f/",
		"increment next successor: 1+",
		"decrement previous predecessor: 1-",
		"equal same: = | d=",
		"zero: 0= | d0=",
		"even odd parity: 1 and | 2 mod",
		"invert complement: invert",
		"exclusive xor toggle flip: xor",
		"shift left: lshift",
		"right: rshift",
		"drop discard remov: drop | nip",
		"second under: nip | over | swap",
		"swap exchang: swap",
		"copy duplicat: dup | over",
		"rotat third: rot | -rot",
		"tuck: tuck",
		"within between range: within",
		"below smaller: < | d<",
		"above bigger: >",
		"sign: 0< | 0>",
		"throw error fail invalid check: throw",
		"posit: 0> | 0<",
		"pair: 2dup | 2swap | 2drop",
		"wide: m* | um* | d+ | s>d",
		"unsigned: um* | um/mod | u< | u>",
		"convert widen extend: s>d",
		"narrow: d>s",
		"mask keep bits clear: and",
		"combin: or",
		"truncat symmetric: sm/rem",
		"infinit: fm/mod",
		"root sqrt: fsqrt",
		"floor: floor | fm/mod",
		"round: fround",
	} {
		k, v, _ := strings.Cut(line, ":")
		var phrases [][]string
		for _, ph := range strings.Split(v, "|") {
			phrases = append(phrases, strings.Fields(ph))
		}
		for _, w := range strings.Fields(k) {
			m[stem(w)] = append(m[stem(w)], phrases...)
		}
	}
	return m
}()

// doubleCellRE finds "double" naming a number's size: double-cell,
// double cell, double-length, double number(s), double-precision.
var doubleCellRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\bdouble[- ]?(cells?|length|numbers?|precision|words?)\b`)
})

// asDoubleRE finds "double" naming a number's size: "as a double", "an
// unsigned double", "signed double".
var asDoubleRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(as |an? |unsigned |signed )+double\b`)
})

// hints are what a text suggests: words and literals (by name) and
// phrases of two or more.
type hints struct {
	words map[string]bool
	// groups are, for each word, the description words (numbered)
	// that suggest it: a program satisfies a description word once,
	// whichever of its words it uses ("add" suggests + and m+; "over
	// + m+" is not nearer to it than "m+").
	groups  map[string][]int
	phrases []string // " w1 w2 " with blanks around
}

// affinityOf is how many of the description's words (groups) and
// phrases a program (its words, in order) uses.
func (h hints) affinityOf(prog []string) int {
	seen := map[int]bool{}
	for _, w := range prog {
		for _, g := range h.groups[w] {
			seen[g] = true
		}
	}
	n := len(seen)
	// A phrase counts as often as the program says it ("the sum of
	// the squares": dup * twice).
	text := " " + strings.Join(prog, " ") + " "
	for _, ph := range h.phrases {
		n += strings.Count(text, ph)
	}
	return n
}

// hintsOf reads what a text's stems suggest.
func hintsOf(text string) hints {
	h := hints{words: map[string]bool{}, groups: map[string][]int{}}
	// "Double" of a double-cell number names its size, not 2*.
	text = doubleCellRE().ReplaceAllString(text, "$1")
	text = asDoubleRE().ReplaceAllStringFunc(text, func(m string) string { return m[:len(m)-len("double")] })
	group := 0
	add := func(phs [][]string) {
		for _, ph := range phs {
			for _, w := range ph {
				h.words[w] = true
				if !slices.Contains(h.groups[w], group) {
					h.groups[w] = append(h.groups[w], group)
				}
			}
			if len(ph) > 1 {
				h.phrases = append(h.phrases, " "+strings.Join(ph, " ")+" ")
			}
		}
	}
	for _, w := range rankWords(text) {
		group++
		add(wordHints[w])
		// The stem of a hint key may be a prefix of the text's stem
		// (larg ~ largest).
		for k, phs := range wordHints {
			if len(k) >= 4 && k != w && strings.HasPrefix(w, k) {
				add(phs)
			}
		}
	}
	return h
}

// done reports whether states meet the goals.
func (p *synthProblem) done(states []evalState, idx []int) bool {
	for k, st := range states {
		g := &p.goals[idx[k]]
		if g.throws != 0 || st.err != 0 {
			if st.err != g.throws {
				return false
			}
			continue
		}
		if int(st.sp) != len(g.ds) || int(st.fp) != len(g.fs) {
			return false
		}
		for i, v := range g.ds {
			if st.ds[i] != v {
				return false
			}
		}
		for i, v := range g.fs {
			if !floatsNear(v, st.fs[i]) {
				return false
			}
		}
	}
	return true
}

// dead reports whether no continuation can meet the goals: an example
// threw what it should not have.
func (p *synthProblem) dead(states []evalState, idx []int) bool {
	for k, st := range states {
		if st.err != 0 && st.err != p.goals[idx[k]].throws {
			return true
		}
	}
	return false
}

// hashStates hashes the examples' states (FNV-1a over their cells, each
// mixed first).
func hashStates(states []evalState) uint64 {
	h := uint64(14695981039346656037)
	mix := func(v uint64) {
		// Spread the high bits down first (floats differ there, and
		// a multiplication carries only upwards).
		v ^= v >> 33
		v *= 0xff51afd7ed558ccd
		v ^= v >> 33
		h ^= v
		h *= 1099511628211
	}
	for i := range states {
		st := &states[i]
		mix(uint64(st.sp) | uint64(st.fp)<<8 | uint64(uint16(st.err))<<16)
		if st.err != 0 {
			continue
		}
		for _, v := range st.ds[:st.sp] {
			mix(uint64(v))
		}
		for _, f := range st.fs[:st.fp] {
			mix(math.Float64bits(f))
		}
	}
	return h
}

// redundant reports whether o after prev cannot be the cheapest way to
// do what the pair does (a swap before a commutative operator, a pair
// that undoes itself).
func redundant(prev, o *op) bool {
	if prev == nil {
		return false
	}
	// (No string is made: this runs for every word tried.)
	switch prev.name {
	case "swap":
		if o.name == "swap" || o.name == "drop" {
			return true
		}
	case "rot":
		if o.name == "-rot" || o.name == "rot" {
			return true
		}
	case "-rot":
		if o.name == "rot" || o.name == "-rot" {
			return true
		}
	case "dup":
		if o.name == "drop" || o.name == "nip" {
			return true
		}
	case "over", "tuck":
		if o.name == "drop" {
			return true
		}
	case "2dup":
		if o.name == "2drop" {
			return true
		}
	case "negate", "invert", "2swap", "fswap", "fnegate":
		if o.name == prev.name {
			return true
		}
	case "1+":
		if o.name == "1-" {
			return true
		}
	case "1-":
		if o.name == "1+" {
			return true
		}
	case "fdup":
		if o.name == "fdrop" {
			return true
		}
	case "s>f":
		if o.name == "f>s" {
			return true
		}
	}
	if prev.name == "swap" && o.commutes {
		return true
	}
	if (prev.kind == opLit && o.name == "drop") || (prev.kind == opFLit && o.name == "fdrop") {
		return true
	}
	// A literal that leaves the other operand as it is ("0 +", "1 *"):
	// the shorter program without it does the same.
	if prev.kind == opLit {
		switch {
		case prev.lit == 0 && (o.name == "+" || o.name == "-" || o.name == "or" || o.name == "xor" || o.name == "lshift" || o.name == "rshift" || o.name == "m+"),
			prev.lit == 1 && (o.name == "*" || o.name == "/"),
			prev.lit == -1 && o.name == "and":
			return true
		}
	}
	return false
}

// searcher is one straight-line search.
type searcher struct {
	p        *synthProblem
	idx      []int // the examples searched (indexes in p)
	levels   [][]evalState
	prog     []*op
	seen     map[uint64]int
	deadline time.Time
	limit    int
	outD     int // the depth every example must end with; -1: any
	outFD    int
	accept   func(prog []*op) bool
	// collect: every program that meets the goals goes to accept (also
	// those that reach states a cheaper program reached: they may do
	// otherwise beyond the examples).
	collect bool
	found   []*op
	stopped bool // time is up
	maxSeen int
}

// search finds the cheapest program (cost <= maxCost) taking states to
// the goals of the examples idx that accept takes; nil when there is
// none or time is up (stopped).
func (p *synthProblem) search(states []evalState, idx []int, maxCost int, deadline time.Time, accept func([]*op) bool) (prog []*op, stopped bool) {
	s := &searcher{p: p, idx: idx, deadline: deadline, accept: accept, outD: -1, outFD: -1, maxSeen: 1 << 20}
	// The examples that return normally must all end with one depth.
	for k := range idx {
		g := &p.goals[idx[k]]
		if g.throws != 0 {
			continue
		}
		if s.outD >= 0 && (s.outD != len(g.ds) || s.outFD != len(g.fs)) {
			return nil, false
		}
		s.outD, s.outFD = len(g.ds), len(g.fs)
	}
	if s.outD < 0 {
		s.outD, s.outFD = 0, 0 // every example throws
	}
	maxLen := maxCost/p.minCost + 1
	s.levels = make([][]evalState, maxLen+1)
	for i := range s.levels {
		s.levels[i] = make([]evalState, len(states))
	}
	copy(s.levels[0], states)
	s.seen = make(map[uint64]int, 1024)
	for s.limit = 0; s.limit <= maxCost; s.limit++ {
		clear(s.seen)
		if s.dfs(0, 0, nil) {
			return s.found, false
		}
		if s.stopped {
			return nil, true
		}
	}
	return nil, false
}

func (s *searcher) dfs(level, cost int, prev *op) bool {
	states := s.levels[level]
	if !s.collect && s.p.done(states, s.idx) {
		prog := append(make([]*op, 0, len(s.prog)), s.prog...) // never nil: the empty program is one
		if s.accept(prog) {
			s.found = prog
			return true
		}
	}
	left := s.limit - cost
	if left < s.p.minCost || level+1 >= len(s.levels) {
		return false
	}
	// The depth must be able to reach the output's: a word changes it
	// by at most 2.
	words := left / s.p.minCost
	sp, fp := int(states[0].sp), int(states[0].fp)
	for k := range states {
		if states[k].err == 0 {
			sp, fp = int(states[k].sp), int(states[k].fp)
			break
		}
	}
	if abs(sp-s.outD) > 2*words || abs(fp-s.outFD) > 2*words {
		return false
	}
	s.p.nodes++
	if s.p.nodes >= s.p.budget || s.p.nodes&1023 == 0 && time.Now().After(s.deadline) {
		s.stopped = true
	}
	if s.stopped {
		return false
	}
	next := s.levels[level+1]
	for i, o := range s.p.alphabet {
		c := cost + s.p.cost[i]
		if c > s.limit || redundant(prev, o) {
			continue
		}
		ok := true
		for k := range states {
			st := &next[k]
			*st = states[k]
			if st.err != 0 {
				continue
			}
			if !fits(o, st) {
				ok = false
				break
			}
			o.apply(st)
		}
		if !ok || s.p.dead(next, s.idx) {
			continue
		}
		if s.collect && s.p.done(next, s.idx) {
			s.prog = append(s.prog, o)
			s.accept(append([]*op(nil), s.prog...))
			s.prog = s.prog[:len(s.prog)-1]
		}
		h := hashStates(next)
		if prevCost, seen := s.seen[h]; seen && prevCost <= c {
			continue
		}
		if len(s.seen) < s.maxSeen {
			s.seen[h] = c
		}
		s.prog = append(s.prog, o)
		if s.dfs(level+1, c, o) {
			return true
		}
		s.prog = s.prog[:len(s.prog)-1]
		if s.stopped {
			return false
		}
	}
	return false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// render writes a program as Forth.
func render(prog []*op) string {
	parts := make([]string, len(prog))
	for i, o := range prog {
		parts[i] = o.name
	}
	return strings.Join(parts, " ")
}

// synthResult is a synthesized body.
type synthResult struct {
	body  string
	route string
	// ambiguous, when set, are two programs that pass every example
	// but do otherwise on other inputs, neither preferred (body is "").
	ambiguous []string
}

// synthesize searches a body for the examples within the deadline:
// straight-line first, then a conditional; accept checks a candidate
// body (in the machine and by the analysis).
func (p *synthProblem) synthesize(deadline time.Time, budget int, accept func(body string) bool) (*synthResult, bool) {
	all := make([]int, len(p.goals))
	for i := range all {
		all[i] = i
	}
	// Half the time and work for straight lines (unless the examples
	// end with different depths: then only a conditional can do it).
	mid := time.Now().Add(time.Until(deadline) / 2)
	p.budget = p.nodes + budget/2
	prog, stopped := p.search(p.starts, all, maxSynthCost, mid, func(prog []*op) bool {
		return accept(render(prog))
	})
	if prog != nil {
		alts := p.alternatives(prog, p.starts, all, altNodes)
		for i, a := range alts {
			if b := alts[min(i+1, len(alts)-1)]; i+1 < len(alts) && a.affinity == b.affinity && a.cost == b.cost {
				// A tie between programs that do otherwise.
				return &synthResult{ambiguous: []string{render(a.prog), render(b.prog)}}, false
			}
			if accept(render(a.prog)) {
				return &synthResult{body: render(a.prog), route: "synthesized"}, false
			}
		}
		return nil, false
	}
	p.budget = p.nodes + budget/2
	if r := p.guarded(deadline, accept); r != nil {
		return r, false
	}
	r, stopped2 := p.conditional(deadline, accept)
	return r, stopped || stopped2
}

// guardCopies copy a word's inputs (by their count) so that a guard can
// test them and leave them for the rest.
var guardCopies = map[int]string{1: "dup", 2: "2dup", 3: "2 pick 2 pick 2 pick", 4: "2over 2over"}

// guarded searches "copy P if C throw then R" for examples of which some
// throw C (all the same code) and the others return: P (on a copy of
// the inputs) leaves a true flag for exactly those that throw, and R
// gives the others' outputs; each is the one the description prefers
// among the short programs that pass (nil when two tie). A guard is the
// common form of a word that checks its inputs ("throw -24 when n is
// negative"), and its parts are much shorter than the straight line
// that does both.
func (p *synthProblem) guarded(deadline time.Time, accept func(body string) bool) *synthResult {
	copyWords, ok := guardCopies[p.in]
	if !ok || p.fin != 0 {
		return nil
	}
	var code int16
	var thrown, returned []int
	for i, g := range p.goals {
		switch {
		case g.throws == 0:
			returned = append(returned, i)
		case code == 0 || g.throws == code:
			code = g.throws
			thrown = append(thrown, i)
		default:
			return nil
		}
	}
	if len(thrown) == 0 || len(returned) == 0 {
		return nil
	}
	// The guard: a flag, true for the examples that throw.
	q := *p
	q.goals = make([]synthGoal, len(p.goals))
	for i := range q.goals {
		q.goals[i] = synthGoal{ds: []int64{0}}
	}
	for _, i := range thrown {
		q.goals[i].ds[0] = -1
	}
	all := make([]int, len(p.goals))
	for i := range all {
		all[i] = i
	}
	// A string's guard tests its length (the address is no number).
	gstarts := p.starts
	if p.oneString {
		copyWords = "dup"
		gstarts = make([]evalState, len(p.starts))
		for i, st := range p.starts {
			gstarts[i].ds[0], gstarts[i].sp = st.ds[1], 1
		}
	}
	const guardLimit = 10
	flag, _ := q.search(gstarts, all, guardLimit, deadline, func([]*op) bool { return true })
	if flag == nil {
		return nil
	}
	if flag = q.pick(flag, gstarts, all); flag == nil {
		return nil
	}
	p.nodes = q.nodes
	// The rest, on the examples that return.
	states := make([]evalState, len(returned))
	for k, i := range returned {
		states[k] = p.starts[i]
	}
	rest, _ := p.search(states, returned, guardLimit, deadline, func([]*op) bool { return true })
	if rest == nil {
		return nil
	}
	if rest = p.pick(rest, states, returned); rest == nil {
		return nil
	}
	body := strings.Join(strings.Fields(fmt.Sprintf("%s %s if %d throw then %s", copyWords, render(flag), code, render(rest))), " ")
	if !accept(body) {
		return nil
	}
	return &synthResult{body: body, route: "synthesized"}
}

// condWords are the words a conditional's prefix is made of.
var condWords = strings.Fields("dup over 2dup 0= 0< 0> = < > <> u< swap and 1 2 mod 0<> rot")

// conditional searches "P if A else B then": P (up to three words)
// leaves a flag above the values A and B work on; the flag splits the
// examples, each half solved by a straight line.
func (p *synthProblem) conditional(deadline time.Time, accept func(body string) bool) (*synthResult, bool) {
	var prefixOps []*op
	for _, w := range condWords {
		if o := evalWords[w]; o != nil {
			prefixOps = append(prefixOps, o)
		} else if n, err := strconv.ParseInt(w, 10, 64); err == nil {
			prefixOps = append(prefixOps, litOp(n))
		}
	}
	for _, o := range p.alphabet {
		if o.kind == opLit && !slices.ContainsFunc(prefixOps, func(x *op) bool { return x.kind == opLit && x.lit == o.lit }) {
			prefixOps = append(prefixOps, o)
		}
	}
	tried := map[uint64]bool{}
	var result *synthResult
	stopped := false
	var prefix []*op
	maxDepth := 0
	var walk func(states []evalState, depth int) bool
	walk = func(states []evalState, depth int) bool {
		p.nodes++
		if p.nodes >= p.budget || time.Now().After(deadline) {
			stopped = true
			return false
		}
		if states[0].sp > 0 {
			// Split by the flag on top.
			var tIdx, fIdx []int
			var tSt, fSt []evalState
			ok := true
			for k, st := range states {
				if st.err != 0 || st.sp == 0 {
					ok = false
					break
				}
				flag := st.ds[st.sp-1] != 0
				st.sp--
				if flag {
					tIdx, tSt = append(tIdx, k), append(tSt, st)
				} else {
					fIdx, fSt = append(fIdx, k), append(fSt, st)
				}
			}
			if ok && len(tIdx) > 0 && len(fIdx) > 0 {
				h := hashStates(tSt) ^ hashStates(fSt)*31
				if !tried[h] {
					tried[h] = true
					armLimit := 10
					var a, b []*op
					// Each arm is the one the description prefers
					// among those that pass its examples, if one is.
					a, _ = p.search(tSt, tIdx, armLimit, deadline, func([]*op) bool { return true })
					if a != nil {
						a = p.pick(a, tSt, tIdx)
					}
					if a != nil {
						b, _ = p.search(fSt, fIdx, armLimit, deadline, func([]*op) bool { return true })
						if b != nil {
							b = p.pick(b, fSt, fIdx)
						}
					}
					if a != nil && b != nil {
						body := render(prefix) + " if " + render(a) + " else " + render(b) + " then"
						if len(b) == 0 {
							body = render(prefix) + " if " + render(a) + " then"
						}
						body = strings.Join(strings.Fields(body), " ")
						if accept(body) {
							result = &synthResult{body: body, route: "synthesized"}
							return true
						}
					}
				}
			}
		}
		if depth == maxDepth {
			return false
		}
		next := make([]evalState, len(states))
		for _, o := range prefixOps {
			ok := true
			for k := range states {
				next[k] = states[k]
				if !fits(o, &next[k]) {
					ok = false
					break
				}
				o.apply(&next[k])
				if next[k].err != 0 {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			prefix = append(prefix, o)
			if walk(next, depth+1) {
				return true
			}
			prefix = prefix[:len(prefix)-1]
			if stopped {
				return false
			}
		}
		return false
	}
	// Shorter prefixes first ("dup 1 and" before every prefix that
	// starts with "dup dup"): a split tried once is not tried again.
	for maxDepth = 1; maxDepth <= 3 && result == nil && !stopped; maxDepth++ {
		walk(p.starts, 0)
	}
	return result, stopped
}

// Few examples often leave several short programs that pass them all
// ("1 2 → 2": nip, *, max). choose looks for the programs that pass the
// examples at most altSlack dearer than the first found and do otherwise
// on other stacks, and takes the one using the most of the words the
// description suggests, then the cheapest; when two that do otherwise
// tie, the examples do not decide and nothing is taken (the result says which
// programs they are, so that an example can be added).
const (
	altSlack = 3
	maxAlts  = 16
	// altNodes and altTime bound the search for alternatives.
	altNodes    = 200_000
	armAltNodes = 10_000          // for each arm of a conditional
	altTime     = 2 * time.Second // a safety net: altNodes binds
)

// progCost is what a program costs in the search.
func (p *synthProblem) progCost(prog []*op) int {
	c := 0
	for _, o := range prog {
		if i := slices.Index(p.alphabet, o); i >= 0 {
			c += p.cost[i]
		} else {
			c += wordCost
		}
	}
	return c
}

// affinity is how many distinct suggested words and phrases a program
// uses.
func (p *synthProblem) affinity(prog []*op) int {
	words := make([]string, len(prog))
	for i, o := range prog {
		words[i] = o.name
	}
	return p.h.affinityOf(words)
}

// behaviour hashes what a program does on random stacks.
func (p *synthProblem) behaviour(prog []*op, probes []evalState) uint64 {
	states := make([]evalState, len(probes))
	copy(states, probes)
	for k := range states {
		if !runOps(prog, &states[k]) {
			states[k] = evalState{err: -4}
		}
	}
	return hashStates(states)
}

type altProg struct {
	prog     []*op
	cost     int
	affinity int
	beh      uint64
}

// alternatives are the programs that take states to the goals of the
// examples idx at most altSlack dearer than first and do otherwise on
// random stacks, best first (more suggested words, then cheaper).
func (p *synthProblem) alternatives(first []*op, states []evalState, idx []int, nodes int) []*altProg {
	probes := probeStates(int(states[0].sp), int(states[0].fp))
	// Inputs that no example gives negative are probed non-negative: a
	// day number, a count or a length is not, so "5 >" and "5 u>" do
	// the same on every input the word is for.
	for i := 0; i < int(states[0].sp); i++ {
		nonneg := true
		for _, st := range states {
			nonneg = nonneg && int(st.sp) > i && st.ds[i] >= 0
		}
		if nonneg {
			for k := range probes {
				if probes[k].ds[i] < 0 {
					probes[k].ds[i] = -probes[k].ds[i]
				}
			}
		}
	}
	byBeh := map[uint64]*altProg{}
	var alts []*altProg
	addAlt := func(prog []*op) {
		a := &altProg{prog: prog, cost: p.progCost(prog), affinity: p.affinity(prog), beh: p.behaviour(prog, probes)}
		if b := byBeh[a.beh]; b != nil {
			// The same behaviour: the cheaper program, with the
			// affinity of the best of them (a word the description
			// suggests is no reason for a longer program that does
			// the same: "dup min" is not nearer "square brackets").
			aff := max(a.affinity, b.affinity)
			if a.cost < b.cost || a.cost == b.cost && a.affinity > b.affinity {
				*b = *a
			}
			b.affinity = aff
			return
		}
		if len(alts) < maxAlts {
			byBeh[a.beh] = a
			alts = append(alts, a)
		}
	}
	addAlt(first)
	limit := p.progCost(first) + altSlack
	// Its own work and time: a search that found a program must not
	// take it for want of budget to look for others.
	saved := p.budget
	p.budget = p.nodes + nodes
	defer func() { p.budget = saved }()
	s := &searcher{p: p, idx: idx, deadline: time.Now().Add(altTime), collect: true, outD: -1, outFD: -1, maxSeen: 1 << 20,
		accept: func(prog []*op) bool { addAlt(prog); return false }}
	for k := range idx {
		g := &p.goals[idx[k]]
		if g.throws == 0 {
			s.outD, s.outFD = len(g.ds), len(g.fs)
			break
		}
	}
	if s.outD < 0 {
		s.outD, s.outFD = 0, 0
	}
	s.levels = make([][]evalState, limit/p.minCost+2)
	for i := range s.levels {
		s.levels[i] = make([]evalState, len(states))
	}
	copy(s.levels[0], states)
	s.seen = make(map[uint64]int, 1024)
	s.limit = limit
	s.dfs(0, 0, nil)
	better := func(a, b *altProg) bool {
		if a.affinity != b.affinity {
			return a.affinity > b.affinity
		}
		return a.cost < b.cost
	}
	slices.SortStableFunc(alts, func(a, b *altProg) int {
		switch {
		case better(a, b):
			return -1
		case better(b, a):
			return 1
		}
		return 0
	})
	return alts
}

// pick is the best of first's alternatives, or nil when two that do
// otherwise tie (the examples do not decide).
func (p *synthProblem) pick(first []*op, states []evalState, idx []int) []*op {
	alts := p.alternatives(first, states, idx, armAltNodes)
	if len(alts) > 1 && alts[0].affinity == alts[1].affinity && alts[0].cost == alts[1].cost {
		return nil
	}
	return alts[0].prog
}

func throwCodesText(m map[int64]bool) map[string]bool {
	out := map[string]bool{}
	for v := range m {
		out[strconv.FormatInt(v, 10)] = true
	}
	return out
}

// descChars are the characters a description names on their own (a
// punctuation character between blanks or quotes: "* for a star",
// "'-'") when the word leaves a character (an output named char or c).
func descChars(s *Spec) []byte {
	_, outs, ok := strings.Cut(s.Effect, "--")
	if !ok {
		return nil
	}
	char := false
	for _, f := range strings.Fields(strings.Trim(outs, " )")) {
		f = strings.ToLower(strings.TrimRight(f, "'"))
		char = char || f == "c" || strings.Contains(f, "char")
	}
	if !char {
		return nil
	}
	var out []byte
	for _, f := range strings.Fields(s.Description) {
		f = strings.Trim(f, ",;")
		if len(f) == 3 && (f[0] == '\'' || f[0] == '"') && f[2] == f[0] {
			f = f[1:2]
		}
		if len(f) == 1 && f[0] > ' ' && f[0] < 127 && !isAlnumASCII(f[0]) && !slices.Contains(out, f[0]) {
			out = append(out, f[0])
		}
	}
	return out
}
