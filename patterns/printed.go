package patterns

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Words that print: a spec whose examples print text (and leave
// nothing) is read as the spec of a word that leaves values, followed
// by code that prints them (the suffix). Three readings:
//
//   - numbers among fixed text: every example prints the same text
//     around up to four numbers ("(3, 4)", "[5]", "3/4", "5 6 "); the
//     word leaves the numbers, the first printed on top, and prints
//     each with . (when a blank follows it) or 0 .R, and the text
//     around with ." and CR;
//   - a character repeated: fixed text around a run of one character
//     whose length varies ("---\n"); the word leaves the count;
//   - one of two messages ("yes", "no"): the word leaves a flag, true
//     for the message of the first example.

// printedReading is one reading of a printing spec.
type printedReading struct {
	s      *Spec
	shape  Shape
	suffix string
}

// maxPrintedNumbers bounds the numbers a printed text template holds.
const maxPrintedNumbers = 4

// printedReadings are the readings of a spec whose examples print text
// and leave nothing; none for any other spec.
func printedReadings(s *Spec, shape Shape) []printedReading {
	if s.Setup != "" || len(s.Examples) == 0 || len(shape.Outs) != 1 || shape.Outs[0] != (OutCounts{}) || shape.FloatIn != 0 {
		return nil
	}
	texts := make([]string, len(s.Examples))
	for i, ex := range s.Examples {
		if ex.Printed == nil || len(ex.Outputs) > 0 || ex.Throws != nil || ex.After != "" || ex.Parse != "" {
			return nil
		}
		texts[i] = *ex.Printed
	}
	var out []printedReading
	addVals := func(outs [][]Val, cells int, suffix string) {
		s2 := *s
		s2.Examples = make([]Example, len(s.Examples))
		for i, ex := range s.Examples {
			ex.Printed = nil
			ex.Outputs = outs[i]
			s2.Examples[i] = ex
		}
		sh2 := shape
		sh2.Outs = []OutCounts{{Out: cells}}
		out = append(out, printedReading{&s2, sh2, suffix})
	}
	add := func(outs [][]int64, suffix string) {
		vals := make([][]Val, len(outs))
		for i, o := range outs {
			for _, v := range o {
				vals[i] = append(vals[i], Val{Token: strconv.FormatInt(v, 10)})
			}
		}
		addVals(vals, len(outs[0]), suffix)
	}
	// The input string each example has, if one: printed, it is a
	// field of the template too.
	var strs []string
	for _, ex := range s.Examples {
		var str *string
		for _, v := range ex.Inputs {
			if v.Str != nil {
				if str != nil {
					str = nil
					break
				}
				str = v.Str
			}
		}
		if str == nil || *str == "" || strs == nil && len(strs) > 0 {
			strs = nil
			break
		}
		strs = append(strs, *str)
	}
	if len(strs) != len(texts) {
		strs = nil
	}
	dbl := len(doubleNames(s.Effect)) > 0
	for _, width := range []bool{false, true} {
		if outs, cells, suffix, ok := fieldsTemplate(texts, strs, width, dbl); ok {
			addVals(outs, cells, suffix)
			break
		}
	}
	if outs, suffix, ok := runTemplate(texts); ok {
		add(outs, suffix)
	}
	if outs, suffix, ok := twoMessages(texts); ok {
		add(outs, suffix)
	}
	if outs, suffix, ok := oneChar(texts); ok {
		add(outs, suffix)
	}
	return out
}

// oneChar reads texts as one character each (maybe with a line break
// after, in every example): the word leaves its code, then EMIT.
func oneChar(texts []string) (outs [][]int64, suffix string, ok bool) {
	cr := strings.HasSuffix(texts[0], "\n")
	for _, t := range texts {
		if strings.HasSuffix(t, "\n") != cr {
			return nil, "", false
		}
		t = strings.TrimSuffix(t, "\n")
		if len(t) != 1 || t[0] < ' ' || t[0] > '~' {
			return nil, "", false
		}
		outs = append(outs, []int64{int64(t[0])})
	}
	if cr {
		return outs, " emit cr", true
	}
	return outs, " emit", true
}

// printedPiece is a token of a printed text: a number, or literal text.
type printedPiece struct {
	num  bool
	v    int64
	text string
	// str: the example's input string; width: a number right-aligned
	// in a field this wide (0: none).
	str   bool
	width int
	// digits: the number's digits as printed; pad: the width it is
	// zero-padded to (0: none).
	digits int
	pad    int
	// big: the number's text when it does not fit in a cell (a
	// double-cell number printed).
	big string
}

// splitPrinted cuts a text into numbers and the literal text between
// them. A number is a run of digits, with a - before it that follows no
// digit, touching no letter or digit on either side and without a
// leading zero ("x2", "3n" and "007" are text); false when a number
// does not fit in a cell.
func splitPrinted(text string) ([]printedPiece, bool) {
	var out []printedPiece
	lit := func(t string) {
		if n := len(out); n > 0 && !out[n-1].num {
			out[n-1].text += t
			return
		}
		out = append(out, printedPiece{text: t})
	}
	isLetter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 0; i < len(text); {
		j := i
		if text[j] == '-' && (j == 0 || !isDigit(text[j-1])) {
			j++
		}
		k := j
		for k < len(text) && isDigit(text[k]) {
			k++
		}
		if k == j || (i > 0 && (isLetter(text[i-1]) || isDigit(text[i-1]))) || (k < len(text) && isLetter(text[k])) ||
			(k-j > 1 && text[j] == '0' && j > i) {
			lit(text[i : i+1])
			i++
			continue
		}
		v, err := strconv.ParseInt(text[i:k], 10, 64)
		pc := printedPiece{num: true, v: v, digits: k - j}
		if err != nil {
			if k-j > 38 {
				return nil, false
			}
			pc.big = text[i:k]
		}
		if k-j > 1 && text[j] == '0' {
			pc.pad = k - j
		}
		out = append(out, pc)
		i = k
	}
	return out, true
}

// printLiteral is Forth that prints t (." for each line, CR between);
// false when t holds a character ." cannot print.
func printLiteral(t string) (string, bool) {
	var b strings.Builder
	for i, line := range strings.Split(t, "\n") {
		if i > 0 {
			b.WriteString(" cr")
		}
		if line == "" {
			continue
		}
		for _, c := range []byte(line) {
			if c < ' ' || c > '~' || c == '"' {
				return "", false
			}
		}
		b.WriteString(` ." ` + line + `"`)
	}
	return b.String(), true
}

// fieldsTemplate reads texts as the same literal text around the same
// fields: up to four numbers and the example's input string (strs[i],
// when strs is set: its first occurrence). With width, blanks before a
// number are part of its field when every example fills the same width
// (right-aligned, as .R prints). With dbl (the word takes double-cell
// numbers), or when a number does not fit in a cell, the numbers are
// double-cell numbers, printed with D. or D.R. outs are each example's
// fields, the first printed on top; cells their count in cells.
func fieldsTemplate(texts, strs []string, width, dbl bool) (outs [][]Val, cells int, suffix string, ok bool) {
	var skel []printedPiece
	for i, t := range texts {
		var ps []printedPiece
		if strs != nil {
			k := strings.Index(t, strs[i])
			if k < 0 {
				return nil, 0, "", false
			}
			a, ok1 := splitPrinted(t[:k])
			b, ok2 := splitPrinted(t[k+len(strs[i]):])
			if !ok1 || !ok2 {
				return nil, 0, "", false
			}
			ps = append(append(append(ps, a...), printedPiece{str: true, text: strs[i]}), b...)
		} else {
			var ok bool
			if ps, ok = splitPrinted(t); !ok {
				return nil, 0, "", false
			}
		}
		if width {
			ps = widthPieces(ps)
		}
		var vals []Val
		nums := 0
		c := 0
		for _, p := range ps {
			switch {
			case p.num && (dbl || p.big != ""):
				t := p.big
				if t == "" {
					t = strconv.FormatInt(p.v, 10)
				}
				vals = append([]Val{{Token: t + "."}}, vals...)
				nums++
				c += 2
			case p.num:
				vals = append([]Val{{Token: strconv.FormatInt(p.v, 10)}}, vals...)
				nums++
				c++
			case p.str:
				str := p.text
				vals = append([]Val{{Str: &str}}, vals...)
				c += 2
			}
		}
		if len(vals) == 0 || nums > maxPrintedNumbers {
			return nil, 0, "", false
		}
		if i == 0 {
			skel, cells = ps, c
		} else {
			if len(ps) != len(skel) || c != cells {
				return nil, 0, "", false
			}
			for j := range ps {
				a, b := ps[j], skel[j]
				if a.num != b.num || a.str != b.str || !a.num && !a.str && a.text != b.text {
					return nil, 0, "", false
				}
				if a.num && a.pad != b.pad {
					// Zero-padded: every example's number has the
					// padded width, or more digits and no zero before.
					w := max(a.pad, b.pad)
					if a.pad == 0 && a.digits < w || b.pad == 0 && b.digits < w || a.v < 0 || b.v < 0 {
						return nil, 0, "", false
					}
					skel[j].pad = w
				}
				if a.num && a.width != b.width {
					// A number that fills its field has no blanks
					// before it: its width is the widest seen.
					w := max(a.width, b.width)
					if a.width == 0 && len(strconv.FormatInt(a.v, 10)) < w || b.width == 0 && len(strconv.FormatInt(b.v, 10)) < w {
						return nil, 0, "", false
					}
					skel[j].width = w
				}
			}
		}
		outs = append(outs, vals)
	}
	if width {
		any := false
		for _, p := range skel {
			any = any || p.width > 0
		}
		if !any {
			return nil, 0, "", false
		}
	}
	var b strings.Builder
	for j := 0; j < len(skel); j++ {
		p := skel[j]
		switch {
		case p.str:
			b.WriteString(" type")
		case p.num && (dbl || p.big != "") && (p.pad > 0 || p.width > 0):
			return nil, 0, "", false
		case p.num && (dbl || p.big != "") && j+1 < len(skel) && strings.HasPrefix(skel[j+1].text, " ") && !skel[j+1].num && !skel[j+1].str:
			b.WriteString(" d.")
			skel[j+1].text = skel[j+1].text[1:]
		case p.num && (dbl || p.big != ""):
			b.WriteString(" 0 d.r")
		case p.num && p.pad > 0:
			b.WriteString(" 0 <#" + strings.Repeat(" #", p.pad-1) + " #s #> type")
		case p.num && p.width > 0:
			b.WriteString(" " + strconv.Itoa(p.width) + " .r")
		case p.num && j+1 < len(skel) && strings.HasPrefix(skel[j+1].text, " ") && !skel[j+1].num && !skel[j+1].str:
			// . prints the number and a blank.
			b.WriteString(" .")
			skel[j+1].text = skel[j+1].text[1:]
		case p.num:
			b.WriteString(" 0 .r")
		default:
			l, ok := printLiteral(p.text)
			if !ok {
				return nil, 0, "", false
			}
			b.WriteString(l)
		}
	}
	return outs, cells, b.String(), true
}

// widthPieces moves the blanks before each number into its field's
// width.
func widthPieces(ps []printedPiece) []printedPiece {
	out := append([]printedPiece(nil), ps...)
	for j := 1; j < len(out); j++ {
		if !out[j].num || out[j-1].num || out[j-1].str {
			continue
		}
		t := out[j-1].text
		k := len(t)
		for k > 0 && t[k-1] == ' ' {
			k--
		}
		if k == len(t) {
			continue
		}
		out[j].width = len(t) - k + len(strconv.FormatInt(out[j].v, 10))
		out[j-1].text = t[:k]
	}
	// A text that was only blanks is no piece.
	kept := out[:0]
	for _, p := range out {
		if p.num || p.str || p.text != "" {
			kept = append(kept, p)
		}
	}
	return kept
}

// runTemplate reads texts as the same literal text before and after a
// run of one character (not a digit, a blank or a line break) whose
// length varies; outs are the lengths.
func runTemplate(texts []string) (outs [][]int64, suffix string, ok bool) {
	// The character: each one the texts have, in order, until one's
	// runs read the texts.
	tried := map[byte]bool{}
	for _, t := range texts {
		for i := 0; i < len(t); i++ {
			c := t[i]
			if c <= ' ' || c > '~' || c >= '0' && c <= '9' || c == '"' || tried[c] {
				continue
			}
			tried[c] = true
			if outs, suffix, ok := runOf(texts, c); ok {
				return outs, suffix, true
			}
		}
	}
	return nil, "", false
}

// runOf reads texts as fixed text around a run of c of varying length.
func runOf(texts []string, c byte) (outs [][]int64, suffix string, ok bool) {
	pre, post, set := "", "", false
	counts := make([]int64, len(texts))
	varies := false
	for i, t := range texts {
		a := strings.IndexByte(t, c)
		if a < 0 {
			continue
		}
		b := a
		for b < len(t) && t[b] == c {
			b++
		}
		if strings.IndexByte(t[b:], c) >= 0 {
			return nil, "", false // two runs
		}
		if !set {
			pre, post, set = t[:a], t[b:], true
		} else if t[:a] != pre || t[b:] != post {
			return nil, "", false
		}
		counts[i] = int64(b - a)
	}
	for i, t := range texts {
		if strings.IndexByte(t, c) < 0 && t != pre+post {
			return nil, "", false
		}
		varies = varies || counts[i] != counts[0]
	}
	if !varies {
		return nil, "", false
	}
	lp, ok1 := printLiteral(pre)
	lq, ok2 := printLiteral(post)
	if !ok1 || !ok2 {
		return nil, "", false
	}
	for _, n := range counts {
		outs = append(outs, []int64{n})
	}
	return outs, lp + " 0 ?do [char] " + string(c) + " emit loop" + lq, true
}

// twoMessages reads texts as one of two fixed messages; outs are flags,
// true for the first example's message.
func twoMessages(texts []string) (outs [][]int64, suffix string, ok bool) {
	a, b, haveB := texts[0], "", false
	for _, t := range texts {
		switch {
		case t == a:
			outs = append(outs, []int64{-1})
		case !haveB || t == b:
			b, haveB = t, true
			outs = append(outs, []int64{0})
		default:
			return nil, "", false
		}
	}
	// A message with a number in it is more likely a number printed
	// (the examples' own), not a fixed message.
	if !haveB || strings.ContainsAny(a+b, "0123456789") {
		return nil, "", false
	}
	la, ok1 := printLiteral(a)
	lb, ok2 := printLiteral(b)
	if !ok1 || !ok2 {
		return nil, "", false
	}
	if lb == "" {
		return outs, " if" + la + " then", true
	}
	if la == "" {
		return outs, " 0= if" + lb + " then", true
	}
	return outs, " if" + la + " else" + lb + " then", true
}

// A word ( n -- ) that prints a sequence: f(i) for each i of a range
// that n bounds (1..n, 0..n-1, 0..n, n down to 1), each followed by a
// blank as . prints it, or with a separator between them, maybe a line
// break at the end. The range is read from how many numbers each
// example prints; f is synthesized from the pairs (i, number) of every
// example ("the first n squares": 1 4 9).

// seqOrder is a range of indexes bounded by n and the loop that walks it
// (the index on top of the stack, n below it consumed by the loop).
type seqOrder struct {
	name    string
	indexes func(n int64) []int64
	// head and tail wrap the body, which starts with the index on
	// top ("i" in a DO loop, a copy of the counter in BEGIN loops).
	head, tail string
}

var seqOrders = []seqOrder{
	{"1..n", func(n int64) []int64 { return seqRange(1, n) }, "1+ 1 max 1 ?do i", "loop"},
	{"0..n-1", func(n int64) []int64 { return seqRange(0, n-1) }, "0 max 0 ?do i", "loop"},
	{"0..n", func(n int64) []int64 { return seqRange(0, n) }, "1+ 0 max 0 ?do i", "loop"},
	{"n..1", func(n int64) []int64 {
		r := seqRange(1, n)
		slices.Reverse(r)
		return r
	}, "begin dup 0> while dup", "1- repeat drop"},
}

func seqRange(a, b int64) []int64 {
	var out []int64
	for i := a; i <= b && len(out) <= maxSeqItems; i++ {
		out = append(out, i)
	}
	return out
}

// maxSeqItems bounds the numbers a sequence example prints.
const maxSeqItems = 64

// printedSequence tries the sequence readings; true when one is the
// answer.
func (g *gen) printedSequence(limit time.Duration) bool {
	s := g.s
	c, ok := g.shape.Fixed()
	if g.set == nil || s.Setup != "" || !ok || c.In != 1 || c.Out != 0 || c.FloatIn != 0 || c.FloatOut != 0 {
		return false
	}
	type seq struct {
		n    int64
		nums []int64
	}
	var seqs []seq
	sep, tail, haveSep, haveTail := "", "", false, false
	for _, ex := range s.Examples {
		if ex.Printed == nil || len(ex.Outputs) > 0 || ex.Throws != nil || ex.After != "" || ex.Parse != "" || len(ex.Inputs) != 1 {
			return false
		}
		r := readVal(ex.Inputs[0])
		if r.kind != kCells || len(r.cells) != 1 {
			return false
		}
		ps, ok := splitPrinted(*ex.Printed)
		if !ok {
			return false
		}
		var nums []int64
		var lits []string
		for k, p := range ps {
			switch {
			case p.num && p.pad == 0:
				nums = append(nums, p.v)
				if k+1 == len(ps) || ps[k+1].num {
					lits = append(lits, "")
				}
			case !p.num && k == 0:
				// text before the first number: only a lone line
				// break (nothing printed but CR)
				if len(ps) > 1 {
					return false
				}
				lits = append(lits, p.text)
			case !p.num:
				lits = append(lits, p.text)
			default:
				return false
			}
		}
		if len(nums) > maxSeqItems {
			return false
		}
		// lits: one after each number (the last one is the tail), or
		// one alone when nothing is printed but it.
		t := ""
		if len(lits) > 0 {
			t = lits[len(lits)-1]
		}
		if len(nums) == 0 {
			if len(lits) > 1 {
				return false
			}
		} else {
			for _, l := range lits[:len(lits)-1] {
				if haveSep && l != sep {
					return false
				}
				sep, haveSep = l, true
			}
		}
		if len(nums) > 0 || t != "" {
			if haveTail && t != tail && len(nums) > 0 {
				return false
			}
			if len(nums) > 0 {
				tail, haveTail = t, true
			}
		}
		seqs = append(seqs, seq{r.cells[0], nums})
	}
	// How each number is printed and what comes after the last.
	var item, end string
	switch {
	case (!haveSep || sep == " ") && (tail == " " || tail == " \n"):
		item, end = " .", strings.TrimPrefix(tail, " ")
	case haveSep && sep != "" && (tail == "" || tail == "\n"):
		if _, ok := printLiteral(sep); !ok || strings.Contains(sep, "\n") {
			return false
		}
		item, end = " 0 .r", tail
	default:
		return false
	}
	cr := ""
	if end == "\n" {
		cr = " cr"
	}
	deadline := time.Now().Add(limit)
	for _, o := range seqOrders {
		// The pairs (index, number); an index seen twice must print
		// the same number.
		byIndex := map[int64]int64{}
		var idx []int64
		fits := true
		for _, sq := range seqs {
			is := o.indexes(sq.n)
			if len(is) != len(sq.nums) {
				fits = false
				break
			}
			for k, i := range is {
				if v, seen := byIndex[i]; seen && v != sq.nums[k] {
					fits = false
					break
				}
				if _, seen := byIndex[i]; !seen {
					idx = append(idx, i)
				}
				byIndex[i] = sq.nums[k]
			}
		}
		if !fits || len(idx) < 2 {
			continue
		}
		d := *s
		d.Examples = nil
		for _, i := range idx {
			d.Examples = append(d.Examples, Example{Inputs: []Val{{Token: strconv.FormatInt(i, 10)}}, Outputs: []Val{{Token: strconv.FormatInt(byIndex[i], 10)}}})
		}
		p := newSynthProblem(&d, Shape{In: 1, Outs: []OutCounts{{Out: 1}}})
		if p == nil {
			continue
		}
		var won *attempt
		var wonV *Verification
		var wonCode string
		accept := func(body string) bool {
			var b string
			if item == " ." {
				b = fmt.Sprintf("%s %s%s %s%s", o.head, body, item, o.tail, cr)
			} else {
				// A flag below the index: false before the first.
				b = fmt.Sprintf("0 swap %s swap if .\" %s\" then %s%s true %s drop%s", o.head, sep, body, item, o.tail, cr)
				if o.name == "n..1" {
					b = fmt.Sprintf("0 swap begin dup 0> while swap if .\" %s\" then dup %s%s true swap 1- repeat 2drop%s", sep, body, item, cr)
				}
			}
			code := fmt.Sprintf(": %s %s\n  %s ;", s.Name, strings.TrimSpace(s.Effect), strings.Join(strings.Fields(b), " "))
			a := g.run(nil, nil, code, true)
			if a.err != "" || a.passed < len(g.set.cases) {
				return false
			}
			v := VerifyShape(code, s.Name, s.Effect, g.shape)
			if !v.Verified {
				return false
			}
			won, wonV, wonCode = a, v, code
			return true
		}
		r, _ := p.synthesize(deadline, quickNodes, accept)
		g.stats.Programs += p.nodes
		if r == nil || r.ambiguous != nil || won == nil {
			continue
		}
		g.acceptFound(s, won, wonV, "synthesized", synthMarker, wonCode)
		return true
	}
	return false
}

// stringChoices reads a spec whose examples each leave one string, one
// of two or three fixed texts ("even", "odd"; "negative", "zero",
// "positive"), as the spec of a word that leaves a flag (two texts: true
// for the first example's) or an index 0, 1, 2 (each assignment of the
// texts to the indexes), then code that leaves the text.
func stringChoices(s *Spec, shape Shape) []printedReading {
	if s.Setup != "" || len(s.Examples) == 0 || len(shape.Outs) != 1 || shape.Outs[0] != (OutCounts{Out: 2}) || shape.FloatIn != 0 {
		return nil
	}
	var texts []string
	var which []int
	for _, ex := range s.Examples {
		if ex.Printed != nil || ex.Throws != nil || ex.After != "" || ex.Parse != "" || len(ex.Outputs) != 1 || ex.Outputs[0].Str == nil {
			return nil
		}
		for _, v := range ex.Inputs {
			if v.Str != nil {
				return nil
			}
		}
		t := *ex.Outputs[0].Str
		if strings.ContainsAny(t, "\"\n\r\t") {
			return nil
		}
		k := slices.Index(texts, t)
		if k < 0 {
			k = len(texts)
			texts = append(texts, t)
		}
		which = append(which, k)
	}
	lit := func(t string) string { return ` s" ` + t + `"` }
	reading := func(vals []int64, suffix string) printedReading {
		s2 := *s
		s2.Examples = make([]Example, len(s.Examples))
		for i, ex := range s.Examples {
			ex.Outputs = []Val{{Token: strconv.FormatInt(vals[which[i]], 10)}}
			s2.Examples[i] = ex
		}
		sh2 := shape
		sh2.Outs = []OutCounts{{Out: 1}}
		return printedReading{&s2, sh2, suffix}
	}
	switch len(texts) {
	case 2:
		return []printedReading{reading([]int64{-1, 0}, " if"+lit(texts[0])+" else"+lit(texts[1])+" then")}
	case 3:
		var out []printedReading
		for _, perm := range [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
			// perm[k]: the index of text k.
			var byIndex [3]string
			for k, i := range perm {
				byIndex[i] = texts[k]
			}
			suffix := " dup 0= if drop" + lit(byIndex[0]) + " else 1 = if" + lit(byIndex[1]) + " else" + lit(byIndex[2]) + " then then"
			out = append(out, reading([]int64{int64(perm[0]), int64(perm[1]), int64(perm[2])}, suffix))
		}
		return out
	}
	return nil
}
