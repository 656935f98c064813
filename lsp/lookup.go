package lsp

import (
	"sort"

	"github.com/fastforth/fastforth/analysis/syntax"
)

// target is what the word at an offset of a file names.
type target struct {
	start, end int // the word's bytes in the current text

	ref       syntax.Ref    // a builtin or user word used here
	def       *syntax.Def   // a definition, where its name is defined
	local     *syntax.Local // a local of the enclosing definition
	number    bool          // a literal (number or character)
	undefined bool          // a word that is neither defined nor a number

	// in is the definition whose body holds the word (nil at top level)
	// and index the word's position in in.Body.
	in    *syntax.Def
	index int
	// interp is set when the word runs at compile time ([ ] or an
	// immediate word).
	interp bool
}

// find returns what the word at byte offset off of f names. Offsets of a
// definition and its body are in f.Abs(d.Epoch, x) coordinates, those of
// top-level code in f.TopAbs(x). A position just after a word (the cursor
// at its end) finds it too when no word contains it.
func find(f *syntax.File, off int) (target, bool) {
	for _, atEnd := range []bool{false, true} {
		if t, ok := findPass(f, off, atEnd); ok {
			return t, true
		}
	}
	return target{}, false
}

func findPass(f *syntax.File, off int, atEnd bool) (target, bool) {
	in := func(s, e int) bool {
		if atEnd {
			return off == e && e > s
		}
		return s <= off && off < e
	}
	for d := innermost(f, off); d != nil; d = d.Outer {
		abs := func(x int32) int { return f.Abs(d.Epoch, x) }
		if d.Name != "" && in(abs(d.NameStart), abs(d.NameEnd)) {
			return target{start: abs(d.NameStart), end: abs(d.NameEnd), def: d}, true
		}
		for i := range d.Body {
			if t, ok := opTarget(&d.Body[i], abs, in, d); ok {
				t.in, t.index = d, i
				return t, true
			}
		}
	}
	abs := func(x int32) int { return f.TopAbs(x) }
	top := f.Top
	// Top-level ops are in text order: skip those that end before off.
	i := sort.Search(len(top), func(i int) bool { return abs(top[i].End) >= off })
	for ; i < len(top) && abs(top[i].Start) <= off; i++ {
		if t, ok := opTarget(&top[i], abs, in, nil); ok {
			return t, true
		}
	}
	return target{}, false
}

// innermost returns the innermost definition (a quotation or does> part
// rather than the colon definition holding it) whose text contains off.
func innermost(f *syntax.File, off int) *syntax.Def {
	defs := f.Defs
	i := sort.Search(len(defs), func(i int) bool {
		d := defs[i]
		return f.Abs(d.Epoch, d.Start) > off
	}) - 1
	for ; i >= 0; i-- {
		d := defs[i]
		if f.Abs(d.Epoch, d.Start) <= off && off <= f.Abs(d.Epoch, d.End) {
			return d
		}
		if d.Outer == nil {
			// Top-level definitions do not overlap: none before this
			// one reaches off either.
			return nil
		}
	}
	return nil
}

// opTarget reports what op names at the offset in accepts: its parsed
// argument (the name after ', postpone, to, a defining word) or the word
// itself. locals is the definition whose locals a local op refers to.
func opTarget(op *syntax.Op, abs func(int32) int, in func(s, e int) bool, locals *syntax.Def) (target, bool) {
	if op.ArgEnd > op.ArgStart {
		s, e := abs(op.ArgStart), abs(op.ArgEnd)
		if in(s, e) {
			t := target{start: s, end: e, interp: op.Interp}
			switch {
			case op.Target.B != nil || op.Target.D != nil:
				t.ref = op.Target
			case op.NewDef != nil && op.NewDef.Name != "":
				t.def = op.NewDef
			case op.Kind == syntax.OpToLocal:
				t.local = localOf(locals, op.Local)
			default:
				return target{}, false // a string's text, a file name, ...
			}
			return t, t.ref.B != nil || t.ref.D != nil || t.def != nil || t.local != nil
		}
	}
	s, e := abs(op.Start), abs(op.End)
	if !in(s, e) {
		return target{}, false
	}
	t := target{start: s, end: e, interp: op.Interp}
	switch op.Kind {
	case syntax.OpLocal:
		t.local = localOf(locals, op.Local)
		return t, t.local != nil
	case syntax.OpNumber, syntax.OpChar:
		t.number = true
		return t, true
	case syntax.OpUndefined:
		t.undefined = true
		return t, true
	}
	if op.Ref.B == nil && op.Ref.D == nil {
		return target{}, false
	}
	t.ref = op.Ref
	return t, true
}

func localOf(d *syntax.Def, i int32) *syntax.Local {
	if d == nil || i < 0 || int(i) >= len(d.Locals) {
		return nil
	}
	return &d.Locals[i]
}
