package patterns

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Synthesis through a structure's fields: when the setup defines a
// structure (BEGIN-STRUCTURE with FIELD: and CFIELD:) and the word takes
// records of it (setup words) on top of the stack, a prelude fetches
// every field of each record with the setup's field words, and the
// straight-line search (synth.go) finds the rest from the fetched
// values: "the area of a rectangle record" is "fetch width and height",
// then "*". The examples run on the whole word decide, as for any
// candidate.

// setupField is a field word of the setup and the word that fetches it.
type setupField struct{ name, fetch string }

// maxPreludeFields bounds the fields a prelude fetches per record.
const maxPreludeFields = 4

// setupFields are the fields of the setup's first structure, in order.
func setupFields(setup string) []setupField {
	toks := strings.Fields(setup)
	var out []setupField
	in := false
	for i := 0; i < len(toks); i++ {
		switch t := strings.ToLower(toks[i]); {
		case t == "begin-structure":
			if out != nil {
				return out
			}
			in = true
			i++ // its name
		case !in:
		case t == "end-structure":
			return out
		case t == "field:" && i+1 < len(toks):
			out = append(out, setupField{toks[i+1], "@"})
			i++
		case t == "cfield:" && i+1 < len(toks):
			out = append(out, setupField{toks[i+1], "c@"})
			i++
		case t == "+field" && i >= 1 && i+1 < len(toks) && cellSize(toks[:i]):
			// "1 cells +field name", "cell +field name"
			out = append(out, setupField{toks[i+1], "@"})
			i++
		case strings.HasSuffix(t, "field:") || t == "+field":
			return nil // a field the prelude cannot fetch
		}
	}
	if out == nil {
		return gforthStructFields(toks)
	}
	return nil
}

// cellSize reports whether the tokens end with a size of one cell
// ("cell", "1 cells").
func cellSize(toks []string) bool {
	n := len(toks)
	switch {
	case n >= 1 && strings.EqualFold(toks[n-1], "cell"):
		return true
	case n >= 2 && strings.EqualFold(toks[n-1], "cells") && toks[n-2] == "1":
		return true
	}
	return false
}

// gforthStructFields are the fields of gforth's first struct ... end-struct
// ("cell% field p-x", "char% field p-c"), in order; nil when one is of
// another size.
func gforthStructFields(toks []string) []setupField {
	var out []setupField
	in := false
	for i := 0; i < len(toks); i++ {
		switch t := strings.ToLower(toks[i]); {
		case t == "struct":
			in = true
		case !in:
		case t == "end-struct":
			return out
		case t == "field" && i >= 1 && i+1 < len(toks):
			switch strings.ToLower(toks[i-1]) {
			case "cell%":
				out = append(out, setupField{toks[i+1], "@"})
			case "char%":
				out = append(out, setupField{toks[i+1], "c@"})
			default:
				return nil
			}
			i++
		}
	}
	return nil
}

// structureText is the setup's first structure definition, from
// BEGIN-STRUCTURE to END-STRUCTURE (setupFields found it).
func structureText(setup string) string {
	low := strings.ToLower(setup)
	i := strings.Index(low, "begin-structure")
	j := strings.Index(low, "end-structure")
	if i < 0 || j < i {
		// gforth's struct ... end-struct NAME
		toks := strings.Fields(setup)
		start := -1
		for k, t := range toks {
			switch strings.ToLower(t) {
			case "struct":
				if start < 0 {
					start = k
				}
			case "end-struct":
				if start >= 0 && k+1 < len(toks) {
					return strings.Join(toks[start:k+2], " ")
				}
			}
		}
		return ""
	}
	return strings.TrimSpace(setup[i:j]) + " end-structure"
}

// unpack is the code that replaces a record's address on top of the
// stack by its fields' values, first field deepest.
func unpack(fs []setupField) string {
	if len(fs) == 1 {
		return strings.TrimSpace(fs[0].name + " " + fs[0].fetch)
	}
	parts := []string{">r"}
	for i, f := range fs {
		a := "r@"
		if i == len(fs)-1 {
			a = "r>"
		}
		parts = append(parts, a, f.name, f.fetch)
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// fieldSynthesize tries the prelude and a synthesized rest; true when it
// gave the answer.
func (g *gen) fieldSynthesize(limit time.Duration) bool {
	s := g.s
	fs, _, _ := recordLayout(s.Setup, 2)
	c, ok := g.shape.Fixed()
	if len(fs) == 0 || len(fs) > maxPreludeFields || !ok || c.FloatIn != 0 || c.FloatOut != 0 || g.set == nil {
		return false
	}
	// The records: the top inputs that are setup words in every example
	// (one or two), numbers below them.
	recs := -1
	for _, ex := range s.Examples {
		// (A word that prints: its text is read as printedReadings
		// reads it.)
		if ex.Parse != "" || ex.After != "" || ex.Printed != nil && len(ex.Outputs) > 0 || len(ex.Inputs) != c.In {
			return false
		}
		k := 0
		for i := len(ex.Inputs) - 1; i >= 0 && readVal(ex.Inputs[i]).kind == kWord; i-- {
			k++
		}
		for _, v := range ex.Inputs[:len(ex.Inputs)-k] {
			if r := readVal(v); r.kind != kCells || len(r.cells) != 1 {
				return false
			}
		}
		for _, v := range ex.Outputs {
			if r := readVal(v); r.kind != kCells {
				return false
			}
		}
		if recs >= 0 && k != recs {
			return false
		}
		recs = k
	}
	if recs < 1 || recs > 2 {
		return false
	}
	// Every field, then one field of each record (the examples then
	// need no values that do not matter).
	sets := [][]setupField{fs}
	if len(fs) > 1 {
		for i := range fs {
			sets = append(sets, fs[i:i+1])
		}
	}
	// Of the programs found, the shortest: a program that needs many
	// words to make up for a missing field fits the examples by chance.
	// The work bound decides (each search has its own time limit as a
	// safety net), so that a loaded machine finds the same.
	var best *fieldsWin
	for _, set := range sets {
		w := g.fieldsWith(set, c.In, recs, quickNodes, time.Now().Add(limit))
		if w != nil && (best == nil || w.words < best.words) {
			best = w
		}
	}
	if best == nil && len(sets) > 1 {
		best = g.fieldsWith(fs, c.In, recs, fullNodes, time.Now().Add(limit))
	}
	if best == nil {
		return false
	}
	g.acceptFound(s, best.a, best.v, "synthesized", fieldsMarker, best.code)
	return true
}

// fieldsWin is a program found through fields.
type fieldsWin struct {
	code  string
	words int // in the synthesized part
	a     *attempt
	v     *Verification
}

// fieldsWith tries the prelude fetching fields fs of each of the top
// recs inputs, then a synthesized rest.
func (g *gen) fieldsWith(fs []setupField, in, recs, budget int, deadline time.Time) *fieldsWin {
	s := g.s
	// The code defines the structure itself (as the setup does): the
	// word is then whole without the setup, as its tests load it.
	def := structureText(s.Setup)
	prelude := unpack(fs)
	if recs == 2 {
		prelude = ">r " + prelude + " r> " + unpack(fs)
	}
	// The values the prelude leaves, example by example: the examples
	// of a spec of numbers.
	d := *s
	d.Setup = ""
	d.Examples = nil
	// (>R and R> only run inside a definition.)
	base, err := g.set.load(": ff-prelude " + prelude + " ;")
	if err != nil {
		return nil
	}
	for _, ex := range s.Examples {
		m := base.Clone()
		var src strings.Builder
		for _, v := range ex.Inputs {
			src.WriteString(forthValue(v) + " ")
		}
		if m.Eval(src.String()+"ff-prelude") != nil {
			return nil
		}
		e := ex
		e.Inputs = nil
		for _, v := range m.Stack() {
			e.Inputs = append(e.Inputs, Val{Token: strconv.FormatInt(v, 10)})
		}
		d.Examples = append(d.Examples, e)
	}
	n := in - recs + recs*len(fs)
	sh := Shape{In: n, Outs: g.shape.Outs}
	p := newSynthProblem(&d, sh)
	suffix := ""
	if p == nil {
		// A word that prints the fields: the word that leaves what
		// it prints, then the code that prints it.
		for _, r := range printedReadings(&d, sh) {
			if p = newSynthProblem(r.s, r.shape); p != nil {
				suffix = r.suffix
				break
			}
		}
	}
	if p == nil {
		return nil
	}
	t := time.Now()
	defer func() { g.res.Timings.SynthMicros += micros(time.Since(t)) }()
	var won *attempt
	var wonV *Verification
	var wonCode string
	accept := func(body string) bool {
		code := strings.TrimLeft(fmt.Sprintf("%s\n: %s %s\n  %s ;", def, s.Name, strings.TrimSpace(s.Effect), strings.Join(strings.Fields(prelude+" "+body+suffix), " ")), "\n")
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
	r, _ := p.synthesize(deadline, budget, accept)
	g.stats.Programs += p.nodes
	if r == nil || r.ambiguous != nil || won == nil {
		return nil
	}
	return &fieldsWin{code: wonCode, words: len(strings.Fields(r.body)), a: won, v: wonV}
}

// fieldsMarker is the comment line above code synthesized through a
// structure's fields.
const fieldsMarker = `\ Synthesized from the examples through the setup's structure fields (no pattern fits)`

// maxStoreValues bounds the values a record store takes besides the
// record.
const maxStoreValues = 3

// fieldStore answers a word that stores its values into the fields of a
// record of the setup's structure, ( x1 .. xk rec -- ), when the examples
// observe the record with after code: each value, from the top, is
// stored into one field (or added to it, +!), every field at most once.
// The examples decide between the assignments; when two pass them all,
// nothing is given (they do not decide).
func (g *gen) fieldStore() bool {
	s := g.s
	fs, _, _ := recordLayout(s.Setup, 2)
	c, ok := g.shape.Fixed()
	if len(fs) == 0 || len(fs) > maxPreludeFields || !ok || c.Out != 0 || c.FloatIn != 0 || c.FloatOut != 0 ||
		c.In < 2 || c.In-1 > maxStoreValues || g.set == nil || len(s.Examples) == 0 {
		return false
	}
	for _, ex := range s.Examples {
		if ex.After == "" || ex.Parse != "" || ex.Printed != nil || ex.Throws != nil || len(ex.Inputs) != c.In {
			return false
		}
		if readVal(ex.Inputs[c.In-1]).kind != kWord {
			return false
		}
		for _, v := range ex.Inputs[:c.In-1] {
			if r := readVal(v); r.kind != kCells || len(r.cells) != 1 {
				return false
			}
		}
	}
	k := c.In - 1
	def := structureText(s.Setup)
	t := time.Now()
	defer func() { g.res.Timings.SynthMicros += micros(time.Since(t)) }()
	type win struct {
		body, code string
		a          *attempt
		v          *Verification
	}
	var wins []win
	used := make([]bool, len(fs))
	var parts []string
	var assign func(i int)
	assign = func(i int) {
		if len(wins) > 1 {
			return
		}
		if i == k {
			body := strings.Join(parts, " ")
			if k > 1 {
				body = ">r " + body
			}
			code := strings.TrimLeft(fmt.Sprintf("%s\n: %s %s\n  %s ;", def, s.Name, strings.TrimSpace(s.Effect), strings.Join(strings.Fields(body), " ")), "\n")
			a := g.run(nil, nil, code, true)
			if a.err != "" || a.passed < len(g.set.cases) {
				return
			}
			if v := VerifyShape(code, s.Name, s.Effect, g.shape); v.Verified {
				wins = append(wins, win{body, code, a, v})
			}
			return
		}
		// The record: r@ under the record's other values, r> for the
		// last (deepest) one, the top of the stack when it is alone.
		rec := "r@ "
		switch {
		case k == 1:
			rec = ""
		case i == k-1:
			rec = "r> "
		}
		for j, f := range fs {
			if used[j] {
				continue
			}
			ops := []string{"c!"}
			if f.fetch == "@" {
				ops = []string{"!", "+!"}
			}
			for _, op := range ops {
				used[j] = true
				parts = append(parts, rec+f.name+" "+op)
				assign(i + 1)
				parts = parts[:len(parts)-1]
				used[j] = false
			}
		}
	}
	assign(0)
	switch len(wins) {
	case 0:
		return false
	case 1:
	default:
		g.ambiguous = []string{wins[0].body, wins[1].body}
		return false
	}
	w := wins[0]
	g.acceptFound(s, w.a, w.v, "synthesized", fieldsMarker, w.code)
	return true
}

// fieldUpdate answers a word that changes fields of a record of the
// setup's structure, ( x1 .. xk rec -- ) or ( src rec -- ), when each
// example's after code fetches fields of the record it was given
// ("r1 rect-w @ r1 rect-h @"): the new value of each field fetched is
// synthesized from the values and the fields of the records before the
// word ran (fetched as fieldSynthesize does), then stored into it. A
// field the examples do not fetch is left alone. "Swap the fields",
// "clear the record", "take n from the balance" and "copy a record"
// are such words.
func (g *gen) fieldUpdate(limit time.Duration) bool {
	s := g.s
	fs := setupFields(s.Setup)
	c, ok := g.shape.Fixed()
	if len(fs) == 0 || len(fs) > maxPreludeFields || !ok || c.Out != 0 || c.FloatIn != 0 || c.FloatOut != 0 ||
		c.In < 1 || g.set == nil || len(s.Examples) == 0 {
		return false
	}
	// The records on top (one or two), numbers below; the fields the
	// after code fetches from the top record, the same in every example.
	recs := -1
	var observed []setupField
	for i, ex := range s.Examples {
		if ex.After == "" || ex.Parse != "" || ex.Printed != nil || ex.Throws != nil || len(ex.Inputs) != c.In {
			return false
		}
		k := 0
		for j := len(ex.Inputs) - 1; j >= 0 && readVal(ex.Inputs[j]).kind == kWord; j-- {
			k++
		}
		if k < 1 || k > 2 || recs >= 0 && k != recs {
			return false
		}
		recs = k
		for _, v := range ex.Inputs[:len(ex.Inputs)-k] {
			if r := readVal(v); r.kind != kCells || len(r.cells) != 1 {
				return false
			}
		}
		rec := ex.Inputs[len(ex.Inputs)-1].Token
		toks := strings.Fields(ex.After)
		if len(toks)%3 != 0 || len(toks) == 0 || len(toks)/3 != len(ex.Outputs) {
			return false
		}
		var obs []setupField
		for j := 0; j < len(toks); j += 3 {
			f := -1
			for n, sf := range fs {
				if strings.EqualFold(sf.name, toks[j+1]) && strings.EqualFold(sf.fetch, toks[j+2]) {
					f = n
				}
			}
			if !strings.EqualFold(toks[j], rec) || f < 0 {
				return false
			}
			obs = append(obs, fs[f])
		}
		if i == 0 {
			observed = obs
		} else if fmt.Sprint(obs) != fmt.Sprint(observed) {
			return false
		}
		for _, v := range ex.Outputs {
			if r := readVal(v); r.kind != kCells || len(r.cells) != 1 {
				return false
			}
		}
	}
	for i, f := range observed {
		for _, f2 := range observed[:i] {
			if f == f2 {
				return false
			}
		}
	}
	def := structureText(s.Setup)
	prelude := unpack(fs)
	if recs == 2 {
		prelude = ">r " + prelude + " r> " + unpack(fs)
	}
	base, err := g.set.load(": ff-prelude " + prelude + " ;")
	if err != nil {
		return false
	}
	// The spec of numbers: the values and the fields before, to the
	// new values of the fields fetched.
	d := *s
	d.Setup = ""
	d.Examples = nil
	for _, ex := range s.Examples {
		m := base.Clone()
		var src strings.Builder
		for _, v := range ex.Inputs {
			src.WriteString(forthValue(v) + " ")
		}
		if m.Eval(src.String()+"ff-prelude") != nil {
			return false
		}
		e := ex
		e.Inputs = nil
		e.After = ""
		for _, v := range m.Stack() {
			e.Inputs = append(e.Inputs, Val{Token: strconv.FormatInt(v, 10)})
		}
		d.Examples = append(d.Examples, e)
	}
	n := c.In - recs + recs*len(fs)
	p := newSynthProblem(&d, Shape{In: n, Outs: []OutCounts{{Out: len(observed)}}})
	if p == nil {
		return false
	}
	// The stores, the last value (on top) first.
	var stores []string
	for i := len(observed) - 1; i >= 0; i-- {
		f := observed[i]
		st := "!"
		if f.fetch == "c@" {
			st = "c!"
		}
		r := "r@"
		if i == 0 {
			r = "r>"
		}
		stores = append(stores, r+" "+f.name+" "+st)
	}
	t := time.Now()
	defer func() { g.res.Timings.SynthMicros += micros(time.Since(t)) }()
	var won *attempt
	var wonV *Verification
	var wonCode string
	accept := func(body string) bool {
		code := fmt.Sprintf("%s\n: %s %s\n  dup >r %s %s %s ;", def, s.Name, strings.TrimSpace(s.Effect), prelude, body, strings.Join(stores, " "))
		code = strings.Join(strings.Fields(code[len(def)+1:]), " ")
		code = def + "\n" + strings.Replace(code, ") ", ")\n  ", 1)
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
	r, _ := p.synthesize(time.Now().Add(limit), quickNodes, accept)
	g.stats.Programs += p.nodes
	if r == nil || r.ambiguous != nil || won == nil {
		if r != nil && r.ambiguous != nil {
			g.ambiguous = r.ambiguous
		}
		return false
	}
	g.acceptFound(s, won, wonV, "synthesized", fieldsMarker, wonCode)
	return true
}

// structName is the name of the setup's first structure (its size):
// BEGIN-STRUCTURE's name, or the name after gforth's END-STRUCT.
func structName(setup string) string {
	toks := strings.Fields(setup)
	for i, t := range toks {
		switch strings.ToLower(t) {
		case "begin-structure":
			if i+1 < len(toks) {
				return toks[i+1]
			}
		case "end-struct":
			if i+1 < len(toks) {
				return toks[i+1]
			}
		}
	}
	return ""
}

// maxConstructorValues bounds the values a constructor stores.
const maxConstructorValues = 4

// fieldConstruct answers a constructor of the setup's structure,
// ( x1 .. xk -- rec ): it takes a record in the dictionary (HERE and
// ALLOT, or on the heap with ALLOCATE), stores the values into k of its
// fields and leaves its address, observed by the examples' after code.
// The values go to the fields in order first, then in the other orders;
// when two assignments pass the examples, nothing is given.
func (g *gen) fieldConstruct() bool {
	s := g.s
	fs, def, name := recordLayout(s.Setup, g.shape.In)
	if len(fs) == 0 {
		// No structure: the values in consecutive cells.
		fs, def, name = cellLayout(g.shape.In)
	}
	c, ok := g.shape.Fixed()
	if len(fs) == 0 || len(fs) > maxPreludeFields || name == "" || !ok || c.Out != 1 || c.FloatIn != 0 || c.FloatOut != 0 ||
		c.In < 1 || c.In > len(fs) || c.In > maxConstructorValues || g.set == nil || len(s.Examples) == 0 {
		return false
	}
	for _, ex := range s.Examples {
		if ex.After == "" || ex.Parse != "" || ex.Printed != nil || ex.Throws != nil || len(ex.Inputs) != c.In {
			return false
		}
		for _, v := range ex.Inputs {
			if r := readVal(v); r.kind != kCells || len(r.cells) != 1 {
				return false
			}
		}
	}
	t := time.Now()
	defer func() { g.res.Timings.SynthMicros += micros(time.Since(t)) }()
	type win struct {
		body, code string
		a          *attempt
		v          *Verification
	}
	var wins []win
	k := c.In
	used := make([]bool, len(fs))
	var stores []string // from the top value down
	var assign func(i int)
	assign = func(i int) {
		if len(wins) > 1 {
			return
		}
		if i == k {
			body := fmt.Sprintf("align here %s allot >r %s r>", name, strings.Join(stores, " "))
			code := strings.TrimLeft(fmt.Sprintf("%s\n: %s %s\n  %s ;", def, s.Name, strings.TrimSpace(s.Effect), strings.Join(strings.Fields(body), " ")), "\n")
			a := g.run(nil, nil, code, true)
			if a.err != "" || a.passed < len(g.set.cases) {
				return
			}
			if v := VerifyShape(code, s.Name, s.Effect, g.shape); v.Verified {
				wins = append(wins, win{body, code, a, v})
			}
			return
		}
		// The i-th value from the top goes to field j: the last
		// value to the last field first (the fields in order).
		for jj := range fs {
			j := len(fs) - 1 - jj
			if used[j] {
				continue
			}
			st := "!"
			if fs[j].fetch == "c@" {
				st = "c!"
			}
			used[j] = true
			stores = append(stores, "r@ "+fs[j].name+" "+st)
			assign(i + 1)
			stores = stores[:len(stores)-1]
			used[j] = false
		}
	}
	assign(0)
	switch len(wins) {
	case 0:
		return false
	case 1:
	default:
		g.ambiguous = []string{wins[0].body, wins[1].body}
		return false
	}
	w := wins[0]
	g.acceptFound(s, w.a, w.v, "synthesized", fieldsMarker, w.code)
	return true
}

// recordLayout is the setup's structure: its fields, its definition and
// its size. Without one, when the setup creates records of cells ("create
// r1 3 , 4 ,"), they are n cells at offsets 0, 1 cells, 2 cells...,
// defined by nothing, of size "n cells".
func recordLayout(setup string, n int) (fs []setupField, def, size string) {
	if fs := setupFields(setup); len(fs) > 0 {
		return fs, structureText(setup), structName(setup)
	}
	if !strings.Contains(strings.ToLower(setup), "create") {
		return nil, "", ""
	}
	return cellLayout(n)
}

// cellLayout is a record of n cells: fields at offsets 0, 1 cells, ...
func cellLayout(n int) (fs []setupField, def, size string) {
	if n < 1 || n > maxPreludeFields {
		return nil, "", ""
	}
	for i := 0; i < n; i++ {
		name := "cell+"
		switch {
		case i == 0:
			name = ""
		case i > 1:
			name = fmt.Sprintf("%d cells +", i)
		}
		fs = append(fs, setupField{name, "@"})
	}
	return fs, "", fmt.Sprintf("%d cells", n)
}
