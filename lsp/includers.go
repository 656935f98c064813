package lsp

import (
	"bytes"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Open includers of an edited document (issue 14). A document A that
// includes an open document B reads B's buffer inside its own analysis,
// and only an analysis of A from scratch reads B again: that costs a
// reading of B in A's context and of everything A includes after it, far
// more than a keystroke may. Most edits of B (typing in a definition's
// body, a comment) leave what B gives its includers as it was: the same
// words, of the same kinds, with the same effects, the same top-level
// code, base and includes. Then A's diagnostics cannot change, so A is
// neither analysed nor published again; it is only marked stale, and read
// again from scratch the next time its analysis is used (a request, its
// own edit), as positions in B that A's analysis holds (go to definition)
// may have moved. When what B gives changed, A is analysed again as
// before (the Workspace's result cache keeps the definitions whose
// callees' effects are unchanged), after B's own diagnostics are out.
//
// What A's reading of B gives is known from B's own analysis of the text
// A read, or of one that gives the same (baseFor, seen). B's analysis is
// in the context B's first includer gives it, so it stands for A's
// reading only when A read B in that same context; otherwise each edit of
// B makes A be analysed again.

// includedViews maps the path of each file r's analysis reads, directly
// or not, to its first reading there.
func includedViews(r *analysis.Result) map[string]*syntax.File {
	out := map[string]*syntax.File{}
	var walk func(f *syntax.File)
	walk = func(f *syntax.File) {
		for _, inc := range f.Includes {
			g := inc.File
			if g == nil || g.Source == nil {
				continue
			}
			if _, ok := out[g.Source.Name]; ok {
				continue
			}
			out[g.Source.Name] = g
			walk(g)
		}
	}
	walk(r.File)
	return out
}

// viewsOf returns includedViews of d's current analysis, computed once per
// analysis.
func (d *document) viewsOf() map[string]*syntax.File {
	if d.result == nil {
		return nil
	}
	if d.viewsFor != d.result {
		d.views, d.viewsFor = includedViews(d.result), d.result
	}
	return d.views
}

// seenView is what an includer knows of its reading of an open
// document: the reading (view), and that document's own analysis (base)
// of a text whose reading gives the same.
type seenView struct {
	view *syntax.File
	base *analysis.Result
}

// baseFor returns an analysis of the open document b that gives what a's
// reading of it gives, or nil when none is known: the one recorded for
// a's current reading, else b's last analysis when it is of the text a
// read, in the same context.
func (w *worker) baseFor(a, b *document) *analysis.Result {
	view := a.viewsOf()[b.name]
	if view == nil {
		return nil
	}
	if s, ok := a.seen[b.name]; ok && s.view == view {
		return s.base
	}
	r := b.result
	if r == nil || b.analyzed == nil || !sameText(view.Source.Src, r.File.Source.Src) ||
		r.File.Context.Fingerprint() != view.Context.Fingerprint() {
		return nil
	}
	return r
}

// sameText reports whether two texts are equal, at once when they are the
// same buffer (an open document's text is read by reference).
func sameText(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return bytes.Equal(a, b)
}

// includersEdited runs on the worker before an analysis when open
// documents were edited: each open document that includes one of them
// (directly or not) is marked stale when the edits left what the edited
// files give their includers as it was, and is analysed again from
// scratch (and published again) otherwise. It runs once per batch of
// edits, not per edit.
func (w *worker) includersEdited() {
	edited := w.edited
	w.edited = nil
	for _, a := range w.docs {
		if edited[a.name] || a.result == nil {
			// An edited document reads its includes again itself.
			continue
		}
		if !a.includes(edited) {
			continue
		}
		if a.analyzed == nil {
			// Already to be analysed again (a save in the same batch
			// invalidated it), and what the edited texts give it may
			// have changed: read it from scratch (its own text being
			// the same, an incremental reading would keep its old view
			// of them) and publish it again even at the same version.
			w.reanalyze(a)
			continue
		}
		for p := range edited {
			if p == a.name || !a.closure[p] {
				continue
			}
			b := w.paths[p]
			var base *analysis.Result
			if b != nil && !isPatternFile(p) && !isProjectFile(p) {
				base = w.baseFor(a, b)
			}
			if base == nil {
				w.reanalyze(a)
				break
			}
			cur := w.analyze(b)
			names, ok := changedNames(base, cur)
			if !ok || a.dependsOn(names) {
				w.reanalyze(a)
				break
			}
			if a.seen == nil {
				a.seen = map[string]seenView{}
			}
			a.seen[p] = seenView{view: a.viewsOf()[p], base: cur}
			a.stale = true
		}
	}
}

// givesSame reports whether two analyses of a file give an includer the
// same: changedNames finds no difference.
func givesSame(a, b *analysis.Result) bool {
	names, ok := changedNames(a, b)
	return ok && len(names) == 0
}

// changedNames compares what two analyses of a file give an includer,
// and lists the names whose meaning for it changed: definitions added or
// taken away, and definitions whose effects differ. ok is false when the
// difference is of another kind: other includes, base at the end or
// top-level code (up to positions and the definitions added or taken
// away), or a definition that reads otherwise (syntax.SameReading: a
// constant's value, what a word parses) or whose body its callers expand
// or run (an immediate word, one that executes the execution tokens it is
// given, a defining word and its does> part) with another text.
func changedNames(a, b *analysis.Result) (names []string, ok bool) {
	if a == b {
		return nil, true
	}
	fa, fb := a.File, b.File
	if fa.EndBase != fb.EndBase || fa.Missing != fb.Missing || len(fa.Includes) != len(fb.Includes) ||
		len(a.Defs) != len(fa.Defs) || len(b.Defs) != len(fb.Defs) {
		return nil, false
	}
	for i := range fa.Includes {
		x, y := fa.Includes[i].File, fb.Includes[i].File
		if (x == nil) != (y == nil) || x != nil && (x.Source.Name != y.Source.Name || x != y && !sameText(x.Source.Src, y.Source.Src)) {
			return nil, false
		}
	}
	if !sameTop(fa, fb) {
		return nil, false
	}
	// The definitions read the same before and after the change, and
	// those in between, added or taken away.
	na, nb := len(fa.Defs), len(fb.Defs)
	p := 0
	for p < min(na, nb) {
		n, same, ok := compareDef(a, b, p, p)
		if !same {
			break
		}
		if !ok {
			return nil, false
		}
		names = append(names, n...)
		p++
	}
	q := 0
	for p+q < min(na, nb) {
		n, same, ok := compareDef(a, b, na-1-q, nb-1-q)
		if !same {
			break
		}
		if !ok {
			return nil, false
		}
		names = append(names, n...)
		q++
	}
	for _, side := range [][]*syntax.Def{fa.Defs[p : na-q], fb.Defs[p : nb-q]} {
		for _, x := range side {
			if x.Immediate || x.Does != nil || x.DoesOf != nil || x.Parse != 0 || x.Defines != nil ||
				x.Kind != syntax.Colon && x.Kind != syntax.Variable && x.Kind != syntax.Constant && x.Kind != syntax.Quotation && x.Kind != syntax.Noname {
				// It may change how what follows is read.
				return nil, false
			}
			if x.Name != "" {
				names = append(names, x.Name)
			}
		}
	}
	return names, true
}

// compareDef compares a's definition i with b's definition j: same tells
// that they are the same definition read again (the same name, kind and
// reading), ok that the difference, if any, is only in its effect (then
// names holds its name).
func compareDef(a, b *analysis.Result, i, j int) (names []string, same, ok bool) {
	fa, fb := a.File, b.File
	x, y := fa.Defs[i], fb.Defs[j]
	rx, ry := a.Defs[i], b.Defs[j]
	if x == y && rx == ry {
		return nil, true, true
	}
	if x.Name != y.Name || x.Kind != y.Kind || x.Immediate != y.Immediate || (x.Outer == nil) != (y.Outer == nil) || rx == nil || ry == nil {
		return nil, false, false
	}
	// The same text of a colon definition, after the same code, reads
	// the same; another word's meaning may come from the code before it
	// (a constant's value).
	text := bytes.Equal(defText(fa, x), defText(fb, y))
	special := x.Immediate || x.Does != nil || y.Does != nil || x.DoesOf != nil || y.DoesOf != nil ||
		rx.Sig != nil && len(rx.Sig.XTs) > 0 || ry.Sig != nil && len(ry.Sig.XTs) > 0
	if special && !text || (!text || x.Kind != syntax.Colon) && !syntax.SameReading(x, y) {
		return nil, true, false
	}
	if infer.SameSig(rx.Sig, ry.Sig) {
		return nil, true, true
	}
	if special {
		return nil, true, false
	}
	if x.Name != "" {
		names = []string{x.Name}
	}
	return names, true, true
}

// dependsOn reports whether d's diagnostics may depend on the meaning of
// the names: whether one of d's own definitions, or any file's top-level
// code, mentions one of them or, through other definitions, depends on a
// definition that does.
func (d *document) dependsOn(names []string) bool {
	if len(names) == 0 {
		return false
	}
	if d.usersFor != d.result {
		d.users, d.usersFor = usersOf(d.result.File, d.viewsOf()), d.result
	}
	seen := map[*syntax.Def]bool{}
	var stack []*syntax.Def
	for _, n := range names {
		if d.users.topMentions[n] {
			return true
		}
		stack = append(stack, d.users.mentions[n]...)
	}
	own := d.result.File
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		if d.users.top[x] || own.IndexOf(x) >= 0 {
			return true
		}
		stack = append(stack, d.users.by[x]...)
	}
	return false
}

// defUsers is the reverse of the uses in a reading: by maps a definition
// to the definitions whose effects depend on its effect, top holds those
// that top-level code uses; mentions maps a name (lower case) to the
// definitions whose bodies name it (a word, resolved or not, or a parsed
// argument), and topMentions the names top-level code mentions.
type defUsers struct {
	by          map[*syntax.Def][]*syntax.Def
	top         map[*syntax.Def]bool
	mentions    map[string][]*syntax.Def
	topMentions map[string]bool
}

// usersOf builds the defUsers of f's reading and of the files it reads.
func usersOf(f *syntax.File, views map[string]*syntax.File) defUsers {
	u := defUsers{by: map[*syntax.Def][]*syntax.Def{}, top: map[*syntax.Def]bool{},
		mentions: map[string][]*syntax.Def{}, topMentions: map[string]bool{}}
	// What using t depends on besides t (as analysis/incremental's
	// addCalls has it).
	deps := func(t *syntax.Def, add func(*syntax.Def)) {
		add(t)
		switch {
		case t.Kind == syntax.Child && t.Maker != nil:
			add(t.Maker)
			if t.Maker.Does != nil {
				add(t.Maker.Does)
			}
		case t.Kind == syntax.Alias && t.Target.D != nil:
			add(t.Target.D)
		}
	}
	// names calls add with what op mentions: the word it names and
	// the text it parses.
	names := func(src []byte, op *syntax.Op, abs func(int32) int, add func(string)) {
		if n := op.Ref.Name(); n != "" {
			add(n)
		} else if s, e := abs(op.Start), abs(op.End); 0 <= s && s < e && e <= len(src) {
			add(builtins.LowerASCII(string(src[s:e])))
		}
		if n := op.Target.Name(); n != "" {
			add(n)
		}
		if op.NewDef != nil {
			// Its argument is the name it defines.
			return
		}
		if s, e := abs(op.ArgStart), abs(op.ArgEnd); op.ArgEnd > op.ArgStart && 0 <= s && s < e && e <= len(src) {
			add(builtins.LowerASCII(string(src[s:e])))
		}
	}
	visit := func(g *syntax.File) {
		src := g.Source.Src
		for _, x := range g.Defs {
			add := func(t *syntax.Def) {
				if t != x {
					u.by[t] = append(u.by[t], x)
				}
			}
			if x.Outer != nil {
				// A quotation's effect is its outer definition's
				// business.
				u.by[x] = append(u.by[x], x.Outer)
			}
			abs := func(v int32) int { return g.Abs(x.Epoch, v) }
			mention := func(n string) {
				if ms := u.mentions[n]; len(ms) == 0 || ms[len(ms)-1] != x {
					u.mentions[n] = append(ms, x)
				}
			}
			for i := range x.Body {
				op := &x.Body[i]
				for _, t := range []*syntax.Def{op.Ref.D, op.Target.D, op.NewDef} {
					if t != nil {
						deps(t, add)
					}
				}
				names(src, op, abs, mention)
			}
		}
		abs := func(v int32) int { return g.TopAbs(v) }
		for i := range g.Top {
			op := &g.Top[i]
			for _, t := range []*syntax.Def{op.Ref.D, op.Target.D} {
				if t != nil {
					deps(t, func(t *syntax.Def) { u.top[t] = true })
				}
			}
			names(src, op, abs, func(n string) { u.topMentions[n] = true })
		}
	}
	visit(f)
	for _, g := range views {
		visit(g)
	}
	return u
}

// sameTop reports whether two readings of a file have the same top-level
// code, up to where it stands and to definitions added or taken away.
func sameTop(fa, fb *syntax.File) bool {
	na, nb := len(fa.Top), len(fb.Top)
	if na == nb && (na == 0 || &fa.Top[0] == &fb.Top[0]) {
		return true
	}
	p := 0
	for p < min(na, nb) && sameOp(fa, fb, fa.Top[p], fb.Top[p]) {
		p++
	}
	q := 0
	for p+q < min(na, nb) && sameOp(fa, fb, fa.Top[na-1-q], fb.Top[nb-1-q]) {
		q++
	}
	for _, ops := range [][]syntax.Op{fa.Top[p : na-q], fb.Top[p : nb-q]} {
		for i := range ops {
			if !harmlessTop(&ops[i]) {
				return false
			}
		}
	}
	return true
}

// harmlessTop reports whether a top-level operation, added or taken away,
// leaves how the rest is read as it was: a definition (whose name the
// caller compares), a literal, a string, a word nothing defines, or a call
// of a word that neither parses nor changes the dictionary or the search
// order. The includer's top-level check does not see an included file's
// stack, and the base at the end is compared apart.
func harmlessTop(op *syntax.Op) bool {
	switch op.Kind {
	case syntax.OpColon, syntax.OpDefine:
		return op.NewDef != nil && op.Ref.D == nil
	case syntax.OpNumber, syntax.OpChar, syntax.OpString, syntax.OpUndefined:
		return true
	case syntax.OpCall:
		if d := op.Ref.D; d != nil {
			return !d.Immediate && (d.Kind == syntax.Colon || d.Kind == syntax.Variable || d.Kind == syntax.Constant)
		}
		if b := op.Ref.B; b != nil {
			return !b.Immediate && b.Parse == builtins.ParseNone && b.Defines == "" && b.Loads == "" && b.SkipTo == "" &&
				!strings.HasPrefix(b.WordSet, "search")
		}
		return true
	}
	return false
}

// sameOp reports whether two top-level operations are the same, up to
// where they stand.
func sameOp(fa, fb *syntax.File, x, y syntax.Op) bool {
	same := func(p, q *syntax.Def) bool {
		return p == q || p != nil && q != nil && p.Name == q.Name && p.Kind == q.Kind
	}
	if !same(x.Ref.D, y.Ref.D) || !same(x.Target.D, y.Target.D) || !same(x.NewDef, y.NewDef) {
		return false
	}
	if x.ArgEnd > x.ArgStart || y.ArgEnd > y.ArgStart {
		// A parsed argument (a string, a name) is compared as text.
		if !bytes.Equal(argText(fa, x), argText(fb, y)) {
			return false
		}
	}
	x.Start, x.End, x.ArgStart, x.ArgEnd = 0, 0, 0, 0
	y.Start, y.End, y.ArgStart, y.ArgEnd = 0, 0, 0, 0
	x.Ref.D, x.Target.D, x.NewDef = nil, nil, nil
	y.Ref.D, y.Target.D, y.NewDef = nil, nil, nil
	return x == y
}

// argText is the parsed argument of a top-level operation.
func argText(f *syntax.File, op syntax.Op) []byte {
	s, e := f.TopAbs(op.ArgStart), f.TopAbs(op.ArgEnd)
	src := f.Source.Src
	if s < 0 || e > len(src) || s > e {
		return nil
	}
	return src[s:e]
}

// defText is the text of a definition.
func defText(f *syntax.File, d *syntax.Def) []byte {
	s, e := f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)
	src := f.Source.Src
	if s < 0 || e > len(src) || s > e {
		return nil
	}
	return src[s:e]
}
