package patterns

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/fastforth/fastforth/analysis/number"
	"github.com/fastforth/fastforth/forth/machine"
)

// Examples decide: the setup runs, then a candidate's code is loaded into
// the in-process Forth machine, and each example runs in a fresh clone of
// it, as the spec format says: push the inputs; execute the word and the
// text it parses; run the after code; compare the stacks with the
// outputs (strings by content, floats within a relative 1e-9), or the
// THROW code, and the printed text.

// exampleSteps bounds one example's run (and the code's loading): far
// more than an example of a spec needs (a loop of a few thousand turns),
// so that a runaway candidate costs at most a millisecond or so; an
// example beyond it fails with "step limit reached".
const exampleSteps = 250_000

// maxStringRead bounds the string a result points to (longer is not a
// string an example expects).
const maxStringRead = 1 << 16

// exampleFresh is the machine examples start from. Memory the code
// never wrote holds garbage, as it does in gforth after the previous
// example's MARKER (or any other code) ran: code that reads it passes
// no example by luck.
var exampleFresh = sync.OnceValue(func() *machine.Machine {
	return machine.New(machine.Config{MaxSteps: exampleSteps, MaxOutput: 1 << 16, Garbage: true})
})

// ExampleResult is what code did on one example.
type ExampleResult struct {
	Example int  `json:"example"` // index in the spec's examples
	Pass    bool `json:"pass"`
	// Got is what the word left: the data stack (bottom first; a
	// string expected there is shown as its text), then "F:" and the
	// float stack; or "THROW n" when it threw.
	Got string `json:"got"`
	// Printed is what it printed (when the example says what it must).
	Printed *string `json:"printed,omitempty"`
	// Message says how it differs from the example.
	Message string `json:"message,omitempty"`
}

// expKind is the kind of an expected (or pushed) value.
type expKind uint8

const (
	kCells  expKind = iota // one or two cells (a number)
	kFloat                 // a float
	kString                // c-addr u
	kWord                  // a word of the setup (evaluated in the machine)
)

// exVal is one value of an example, read.
type exVal struct {
	kind  expKind
	cells []machine.Cell
	f     float64
	text  string // the string, or the word
	tok   string // as written
}

// readVal reads a token or string.
func readVal(v Val) exVal {
	if v.Str != nil {
		return exVal{kind: kString, text: *v.Str}
	}
	switch strings.ToLower(v.Token) {
	case "true":
		return exVal{kind: kCells, cells: []machine.Cell{-1}, tok: v.Token}
	case "false":
		return exVal{kind: kCells, cells: []machine.Cell{0}, tok: v.Token}
	}
	n, ok := number.Parse([]byte(v.Token), 10, true)
	switch {
	case !ok:
		return exVal{kind: kWord, text: v.Token, tok: v.Token}
	case n.Kind == number.Float:
		return exVal{kind: kFloat, f: n.F, tok: v.Token}
	case n.Kind == number.Double:
		return exVal{kind: kCells, cells: []machine.Cell{n.Lo, n.Hi}, tok: v.Token}
	}
	return exVal{kind: kCells, cells: []machine.Cell{n.Lo}, tok: v.Token}
}

// exCase is one example prepared for running.
type exCase struct {
	index int
	ex    *Example
	// direct inputs are pushed from Go; otherwise src pushes them.
	direct   bool
	inCells  []machine.Cell
	inFloats []float64
	src      string
	// line runs the word (with the text it parses and the after code).
	line    string
	after   string
	simple  bool // line is the word alone: executed by its xt
	outs    []exVal
	words   bool // some outputs are setup words
	throws  *int
	printed *string
}

// exSet is a spec's examples, prepared once for all candidates.
type exSet struct {
	name  string
	setup string
	cases []exCase
	// afterSetup is a fresh machine after the setup (made once).
	setupOnce  sync.Once
	afterSetup *machine.Machine
	// words: an example's inputs name words of the setup (addresses,
	// execution tokens). afterShifted is a fresh machine after a word
	// and a few cells defined, then the setup: the setup's words are
	// elsewhere, so that code that passes the examples only because of
	// what those numbers happen to be (even, small) fails there.
	words        bool
	shiftOnce    sync.Once
	afterShifted *machine.Machine
}

// shiftPrelude moves the words the setup defines.
const shiftPrelude = ": gen-shift-word ; 3 cells allot\n"

// checkShifted runs the examples of code that passed them all again with
// the setup's words elsewhere (a set whose inputs name none passes).
func (set *exSet) checkShifted(code string) (results []ExampleResult, passed int, ok bool) {
	if !set.words {
		return nil, 0, true
	}
	set.shiftOnce.Do(func() {
		m := exampleFresh().Clone()
		if m.Load("setup", shiftPrelude+set.setup) == nil {
			set.afterShifted = m
		}
	})
	if set.afterShifted == nil {
		return nil, 0, true
	}
	m, err := loadOn(set.afterShifted, code)
	if err != nil {
		return nil, 0, false
	}
	results, passed = set.run(m, true)
	return results, passed, passed == len(set.cases)
}

// prepareExamples reads a valid spec's examples.
func prepareExamples(s *Spec) *exSet {
	set := &exSet{name: s.Name, setup: s.Setup}
	for i := range s.Examples {
		ex := &s.Examples[i]
		c := exCase{index: i, ex: ex, direct: true, throws: ex.Throws, printed: ex.Printed}
		var src strings.Builder
		for _, v := range ex.Inputs {
			r := readVal(v)
			switch r.kind {
			case kCells:
				c.inCells = append(c.inCells, r.cells...)
			case kFloat:
				c.inFloats = append(c.inFloats, r.f)
			case kWord:
				c.direct = false
				set.words = set.words || s.Setup != ""
			default:
				c.direct = false
			}
			src.WriteString(forthValue(v))
			src.WriteByte(' ')
		}
		if !c.direct {
			c.src = src.String()
		}
		// The word and the text it parses, then the after code on
		// its own (a word that parses to the end of the line must not
		// read it).
		c.line = strings.TrimSpace(s.Name + " " + ex.Parse)
		c.after = ex.After
		c.simple = ex.Parse == ""
		for _, v := range ex.Outputs {
			r := readVal(v)
			c.words = c.words || r.kind == kWord
			c.outs = append(c.outs, r)
		}
		set.cases = append(set.cases, c)
	}
	return set
}

// forthValue is the Forth text that pushes a value: the token, or a
// string literal.
func forthValue(v Val) string {
	if v.Str != nil {
		return stringLiteral(*v.Str)
	}
	return v.Token
}

// stringLiteral is s" text" or, for text that needs escapes, s\" ...".
func stringLiteral(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < ' ' || c == 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return `s" ` + s + `"`
	}
	return `s\" ` + escapeForth(s) + `"`
}

// escapeForth escapes text for s\" (gforth 0.7.3's escapes: \" \\ \n
// \t and \xHH).
func escapeForth(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < ' ' || c == 0x7f:
			fmt.Fprintf(&b, `\x%02X`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// notGforthWord is the first word of code that the machine knows but
// gforth 0.7.3 does not (BUFFER:, +TO, {: ...), or "": such code passes
// in the machine and does not load in gforth, so it is never vouched
// for. Comments and the text of string words are skipped; anything
// else counts, even where it would not run (a false alarm costs a
// candidate, a missed word a wrong answer).
func notGforthWord(code string) string {
	for _, line := range strings.Split(code, "\n") {
		toks := strings.Fields(line)
		for i := 0; i < len(toks); i++ {
			t := strings.ToLower(toks[i])
			switch {
			case t == "\\":
				i = len(toks)
			case t == "(" || t == ".(":
				for i < len(toks) && !strings.HasSuffix(toks[i], ")") || i < len(toks) && toks[i] == t {
					i++
				}
			case strings.HasSuffix(t, "\"") && t != "\"" && len(t) <= 7:
				// ." s" c" abort" s\" ,": the text up to "
				for i++; i < len(toks) && !strings.HasSuffix(toks[i], "\""); i++ {
				}
			case machine.NotGforth(t):
				return toks[i]
			}
		}
	}
	return ""
}

// loadCode is a fresh machine with code loaded, or why it does not load.
func loadCode(code string) (*machine.Machine, error) {
	return loadOn(exampleFresh(), code)
}

// load is a machine with the setup run and then code loaded (the order
// of spec format v2: the code may use the setup's words), or why the
// code does not load.
func (set *exSet) load(code string) (*machine.Machine, error) {
	if set.setup == "" {
		return loadCode(code)
	}
	set.setupOnce.Do(func() {
		m := exampleFresh().Clone()
		if m.Load("setup", set.setup) == nil {
			set.afterSetup = m
		}
	})
	if set.afterSetup == nil {
		return nil, errors.New("the setup does not run")
	}
	return loadOn(set.afterSetup, code)
}

func loadOn(base *machine.Machine, code string) (*machine.Machine, error) {
	if w := notGforthWord(code); w != "" {
		return nil, fmt.Errorf("it uses %s, which gforth 0.7.3 does not have", strings.ToUpper(w))
	}
	m := base.Clone()
	if err := m.Load("generated.fs", code); err != nil {
		return nil, err
	}
	if m.Depth() != 0 || len(m.FStack()) != 0 {
		return nil, errors.New("loading the code leaves items on the stack")
	}
	return m, nil
}

// run runs every example on code (loaded in base); it stops at the first
// failure when all is false.
func (set *exSet) run(base *machine.Machine, all bool) (results []ExampleResult, passed int) {
	xt, found := base.Find(set.name)
	for i := range set.cases {
		c := &set.cases[i]
		m := base
		if i < len(set.cases)-1 {
			m = base.Clone()
		}
		r := c.runOn(m, xt, found)
		results = append(results, r)
		if r.Pass {
			passed++
		} else if !all {
			break
		}
	}
	return results, passed
}

// runOn runs one example in m.
func (c *exCase) runOn(m *machine.Machine, xt machine.Cell, found bool) ExampleResult {
	res := ExampleResult{Example: c.index}
	fail := func(format string, args ...any) ExampleResult {
		res.Message = fmt.Sprintf(format, args...)
		return res
	}
	if c.direct {
		if m.Push(c.inCells...) != nil || m.FPush(c.inFloats...) != nil {
			return fail("the inputs do not fit on the stack")
		}
	} else if err := m.Eval(c.src); err != nil {
		return fail("the inputs cannot be pushed: %v", err)
	}
	m.ClearOutput()
	var err error
	if c.simple && found {
		err = m.Execute(xt)
	} else {
		err = m.Eval(c.line)
	}
	if err == nil && c.after != "" {
		err = m.Eval(c.after)
	}
	printed := m.Output()
	if c.printed != nil {
		res.Printed = &printed
	}
	var me *machine.Error
	if err != nil && !errors.As(err, &me) {
		res.Got = "error"
		return fail("%v", err)
	}
	if me != nil {
		if me.Limit != nil {
			res.Got = me.Limit.Error()
			return fail("it did not end normally: %s", me.Limit.Error())
		}
		res.Got = fmt.Sprintf("THROW %d", me.Code)
		if c.throws == nil {
			return fail("it threw %s", throwDesc(me.Code))
		}
		if *c.throws != me.Code {
			return fail("it threw %s, expected THROW %d", throwDesc(me.Code), *c.throws)
		}
		if c.printed != nil && printed != *c.printed {
			return fail("it printed %q, expected %q", printed, *c.printed)
		}
		res.Pass = true
		return res
	}
	cells, floats := m.Stack(), m.FStack()
	res.Got = c.picture(m, cells, floats)
	if c.throws != nil {
		return fail("it did not throw (expected THROW %d)", *c.throws)
	}
	if msg := c.compare(m, cells, floats); msg != "" {
		return fail("%s", msg)
	}
	if c.printed != nil && printed != *c.printed {
		return fail("it printed %q, expected %q", printed, *c.printed)
	}
	res.Pass = true
	return res
}

func throwDesc(code int) string {
	return fmt.Sprintf("%d (%s)", code, machine.ThrowMessage(code))
}

// readString reads the string at addr u in m (its stacks are lost).
func readString(m *machine.Machine, addr, u machine.Cell) (string, bool) {
	if u < 0 || u > maxStringRead {
		return "", false
	}
	m.ClearStacks()
	m.ClearOutput()
	if m.Push(addr, u) != nil || m.Eval("type") != nil {
		return "", false
	}
	return m.Output(), true
}

// expected evaluates the expected values: numbers as they are, setup
// words in m (its stacks are lost).
func (c *exCase) expected(m *machine.Machine) (cells [][]machine.Cell, ok bool) {
	cells = make([][]machine.Cell, len(c.outs))
	for i, o := range c.outs {
		switch o.kind {
		case kCells:
			cells[i] = o.cells
		case kWord:
			m.ClearStacks()
			if m.Eval(o.text) != nil {
				return nil, false
			}
			cells[i] = m.Stack()
		}
	}
	return cells, true
}

// compare says how the stacks differ from the outputs ("" when they
// agree).
func (c *exCase) compare(m *machine.Machine, cells []machine.Cell, floats []float64) string {
	var want []machine.Cell
	var wantF []float64
	var strs []int // index in want of each expected string's address
	exp, ok := c.expected(m)
	if !ok {
		return "a word of the outputs does not run"
	}
	for i, o := range c.outs {
		switch o.kind {
		case kFloat:
			wantF = append(wantF, o.f)
		case kString:
			strs = append(strs, len(want))
			want = append(want, 0, 0)
		default:
			want = append(want, exp[i]...)
		}
	}
	if len(cells) != len(want) || len(floats) != len(wantF) {
		return fmt.Sprintf("expected %s, got %s", c.expectText(), countText(len(cells), len(floats)))
	}
	isStr := map[int]bool{}
	for _, k := range strs {
		isStr[k], isStr[k+1] = true, true
	}
	for i := range want {
		if !isStr[i] && want[i] != cells[i] {
			return fmt.Sprintf("expected %s, got %s", c.expectText(), cellsText(cells, floats))
		}
	}
	for i := range wantF {
		if !floatsNear(wantF[i], floats[i]) {
			return fmt.Sprintf("expected %s, got %s", c.expectText(), cellsText(cells, floats))
		}
	}
	si := 0
	for _, o := range c.outs {
		if o.kind != kString {
			continue
		}
		k := strs[si]
		si++
		got, ok := readString(m, cells[k], cells[k+1])
		if !ok {
			return fmt.Sprintf("expected the string %q, got %d %d, not a readable string", o.text, cells[k], cells[k+1])
		}
		if got != o.text {
			return fmt.Sprintf("expected the string %q, got %q", o.text, got)
		}
	}
	return ""
}

// floatsNear: equal within a relative 1e-9 (the spec format's rule).
func floatsNear(a, b float64) bool {
	if a == b || math.IsNaN(a) && math.IsNaN(b) {
		return true
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) || math.IsNaN(a) || math.IsNaN(b) {
		return false // an infinity is near nothing but itself
	}
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

func (c *exCase) expectText() string {
	var parts []string
	for _, o := range c.outs {
		if o.kind == kString {
			parts = append(parts, strconv.Quote(o.text))
		} else {
			parts = append(parts, o.tok)
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, " ")
}

func countText(n, nf int) string {
	s := fmt.Sprintf("%d cell(s)", n)
	if nf > 0 {
		s += fmt.Sprintf(" and %d float(s)", nf)
	}
	return s
}

func cellsText(cells []machine.Cell, floats []float64) string {
	var parts []string
	for _, c := range cells {
		parts = append(parts, strconv.FormatInt(c, 10))
	}
	if len(floats) > 0 {
		parts = append(parts, "F:")
		for _, f := range floats {
			parts = append(parts, formatFloat(f))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, " ")
}

// formatFloat writes a float as a Forth float literal.
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, "eEn") { // not inf, NaN
		s += "e0"
	} else {
		s = strings.Replace(s, "e+", "e", 1)
	}
	return s
}

// picture shows the stacks a word left; strings are shown as their text
// where the example expects a string (and the cells are there).
func (c *exCase) picture(m *machine.Machine, cells []machine.Cell, floats []float64) string {
	strAt := map[int]bool{}
	n := 0
	for _, o := range c.outs {
		switch o.kind {
		case kString:
			strAt[n] = true
			n += 2
		case kFloat:
		case kCells:
			n += len(o.cells)
		default:
			n++
		}
	}
	var parts []string
	for i := 0; i < len(cells); i++ {
		if strAt[i] && i+1 < len(cells) && len(cells) == n {
			probe := m.Clone()
			if s, ok := readString(probe, cells[i], cells[i+1]); ok {
				parts = append(parts, strconv.Quote(s))
				i++
				continue
			}
		}
		parts = append(parts, strconv.FormatInt(cells[i], 10))
	}
	if len(floats) > 0 {
		parts = append(parts, "F:")
		for _, f := range floats {
			parts = append(parts, formatFloat(f))
		}
	}
	return strings.Join(parts, " ")
}
