package lsp

import (
	"bytes"
	"fmt"
	"github.com/fastforth/fastforth/analysis/stackview"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/fastforth/fastforth/analysis/builtins"

	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// The "define this undefined word" quick fix: a stub definition, placed
// before the first use of the word, with the stack effect the use
// implies and a body that has that effect (drops for the inputs, zeros
// for the outputs), so that applying it adds no error.
//
// The inputs are what the stack holds just before the use (hover shows
// the same picture). The outputs are found by trial: the use is given
// the effect ( inputs -- m outputs ) for m = 0, 1, ... and the
// definition inferred again until it agrees with its stack comment (or,
// without one, until nothing after the use reaches below its outputs).
// At top level the inputs and outputs are found the same way from the
// stack-underflow errors of the top-level code. When a trial settles
// nothing, the title says what is unknown and the stub says TODO.

func init() { addCodeActions(stubActions, protocol.CodeActionKindQuickFix) }

// maxStubItems bounds the inputs and outputs tried for a stub.
const maxStubItems = 8

// stubEffect is what a use implies about an undefined word.
type stubEffect struct {
	ins, outs           []string // data-stack item names, bottom first
	insKnown, outsKnown bool
}

// comment prints the effect as a stack comment.
func (e stubEffect) comment() string {
	s := "("
	for _, n := range e.ins {
		s += " " + n
	}
	s += " --"
	for _, n := range e.outs {
		s += " " + n
	}
	return s + " )"
}

// stubActions offers a stub for each undefined word the range touches
// (once per name) that the file does not define later.
func stubActions(snap *snapshot, rng byteRange, sent []protocol.Diagnostic) []protocol.CodeAction {
	f := snap.result.File
	src := snap.file.Src
	var out []protocol.CodeAction
	undefinedUses(snap, rng, func(name string, _, _ int, e stubEffect) {
		text, title, preferred := stubText(name, e, eolOf(src))
		// The stub resolves every use, not only this one.
		at, uses := usesOf(f, src, builtins.LowerASCII(name))
		var fixes []protocol.Diagnostic
		for _, u := range uses {
			fixes = append(fixes, resolvedDiags(snap, sent, diag.Undefined, u.start, u.end)...)
		}
		out = append(out, editAction(snap, title, protocol.CodeActionKindQuickFix, preferred, fixes, byteEdit(snap, at, at, text)))
	})
	return out
}

// undefinedUses calls fn for each undefined word the range touches, once
// per name, that the file does not define later, with the effect its
// first use there implies. The effects are computed once per snapshot:
// several code actions need them, and each costs trial inferences.
func undefinedUses(snap *snapshot, rng byteRange, fn func(name string, start, end int, e stubEffect)) {
	r := snap.result
	f := r.File
	src := snap.file.Src
	seen := map[string]bool{}
	offer := func(d *syntax.Def, i int, start, end int) {
		name := string(src[start:end])
		key := builtins.LowerASCII(name)
		if seen[key] || definedIn(f, key) {
			return
		}
		seen[key] = true
		memo := fmt.Sprint(key, "@", start)
		e, ok := snap.stubs[memo]
		if !ok {
			if d != nil {
				e = stubEffectIn(r.Checker, d, i)
			} else {
				e = stubEffectTop(r.Checker, f, i)
			}
			if snap.stubs == nil {
				snap.stubs = map[string]stubEffect{}
			}
			snap.stubs[memo] = e
		}
		fn(name, start, end, e)
	}
	touchingDefs(f, rng, func(d *syntax.Def) {
		for i := range d.Body {
			op := &d.Body[i]
			if op.Kind != syntax.OpUndefined {
				continue
			}
			if s, e := f.Abs(d.Epoch, op.Start), f.Abs(d.Epoch, op.End); rng.touches(s, e) {
				offer(d, i, s, e)
			}
		}
	})
	top := f.Top
	i := sort.Search(len(top), func(i int) bool { return f.TopAbs(top[i].End) >= rng.start })
	for ; i < len(top) && f.TopAbs(top[i].Start) <= rng.end; i++ {
		if op := &top[i]; op.Kind == syntax.OpUndefined {
			offer(nil, i, f.TopAbs(op.Start), f.TopAbs(op.End))
		}
	}
}

// definedIn reports whether the file (or a file it includes) defines
// name anywhere: a use before the definition wants the definition moved,
// not a second one.
func definedIn(f *syntax.File, name string) bool {
	if f.Exports.Has(name) {
		return true
	}
	for _, d := range f.Defs {
		if d.Name == name {
			return true
		}
	}
	return false
}

// firstUse is where a definition of the undefined word name goes so that
// it stands before every use of it (see usesOf).
func firstUse(f *syntax.File, src []byte, name string) int {
	at, _ := usesOf(f, src, name)
	return at
}

// usesOf finds the uses of the undefined word name and where a
// definition of it goes so that it stands before every one: before the
// top-level definition holding the first use, or at the start of the
// first use's line at top level.
func usesOf(f *syntax.File, src []byte, name string) (at int, uses []byteRange) {
	first := -1
	for _, d := range f.Defs {
		for i := range d.Body {
			op := &d.Body[i]
			if op.Kind != syntax.OpUndefined {
				continue
			}
			s, e := f.Abs(d.Epoch, op.Start), f.Abs(d.Epoch, op.End)
			if !bytes.EqualFold(src[s:e], []byte(name)) {
				continue
			}
			uses = append(uses, byteRange{s, e})
			if first < 0 || s < first {
				outer := d
				for outer.Outer != nil {
					outer = outer.Outer
				}
				first, at = s, beforeDef(f, outer)
			}
		}
	}
	for i := range f.Top {
		op := &f.Top[i]
		if op.Kind != syntax.OpUndefined {
			continue
		}
		s, e := f.TopAbs(op.Start), f.TopAbs(op.End)
		if !bytes.EqualFold(src[s:e], []byte(name)) {
			continue
		}
		uses = append(uses, byteRange{s, e})
		if first < 0 || s < first {
			first, at = s, statementStart(f, s)
		}
	}
	sort.Slice(uses, func(i, j int) bool { return uses[i].start < uses[j].start })
	return at, uses
}

// statementStart is where a definition goes so that it stands on its
// own lines before the top-level code at off: the start of off's line,
// or, when that line starts inside a comment, skipped text or a
// definition begun on an earlier line, the start of that one's line.
func statementStart(f *syntax.File, off int) int {
	src := f.Source
	for {
		ls := src.LineStart(src.Position(off).Line)
		next := ls
		inside := func(s, e int) {
			if s < ls && ls < e && s < next {
				next = s
			}
		}
		for _, c := range f.Comments {
			inside(f.Abs(0, c.Start), f.Abs(0, c.End))
		}
		for _, c := range f.Inactive {
			inside(f.Abs(0, c.Start), f.Abs(0, c.End))
		}
		for _, d := range f.Defs {
			if d.Outer == nil {
				inside(f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End))
			}
		}
		if next == ls {
			return ls
		}
		off = next
	}
}

// stubEffectIn works out the effect of the undefined word at op i of
// definition d.
func stubEffectIn(c *infer.Checker, d *syntax.Def, i int) stubEffect {
	op := &d.Body[i]
	if op.Interp {
		// Run at compile time: the stacks there are not the body's.
		return stubEffect{}
	}
	before, _, ok := stackview.Around(c, d, i)
	if !ok || len(before) == 0 {
		return stubEffect{}
	}
	ins := dataNames(before[0])
	for _, b := range before[1:] {
		if len(dataNames(b)) != len(ins) {
			return stubEffect{} // the paths that reach the use disagree
		}
	}
	e := stubEffect{ins: ins, insKnown: true}
	fake := &syntax.Def{Kind: syntax.Colon, File: d.File, Epoch: d.Epoch, Index: -1}
	nd := *d
	nd.Body = slices.Clone(d.Body)
	nd.Body[i] = syntax.Op{Kind: syntax.OpCall, Ref: syntax.Ref{D: fake}, Start: op.Start, End: op.End}
	trial := func(m int) (*infer.Result, []string) {
		outs := stubOutNames(d, i, m, ins)
		sig := stubSig(stubEffect{ins: ins, outs: outs})
		if sig == nil {
			return nil, nil
		}
		return trialChecker(c, fake, sig).Def(&nd), outs
	}
	if d.Comment != nil && d.Comment.Err == nil && !d.Comment.Effect.Complex {
		for m := 0; m <= maxStubItems; m++ {
			if res, outs := trial(m); res != nil && res.Status == infer.Verified && errorCount(res) == 0 {
				e.outs, e.outsKnown = outs, true
				break
			}
		}
		return e
	}
	// No comment to meet: the fewest outputs that the rest of the body
	// does not reach below.
	most, _ := trial(maxStubItems)
	if most == nil || most.Status != infer.Undeclared || len(most.Alts) != 1 {
		return e
	}
	for m := 0; m <= maxStubItems; m++ {
		if res, outs := trial(m); res != nil && res.Status == infer.Undeclared && len(res.Alts) == 1 &&
			res.Alts[0].In == most.Alts[0].In && errorCount(res) == 0 {
			e.outs, e.outsKnown = outs, true
			break
		}
	}
	return e
}

// stubEffectTop works out the effect of the undefined word at op i of the
// top-level code: as many inputs as the stack holds there (the most that
// do not underflow), then the fewest outputs that add no error.
func stubEffectTop(c *infer.Checker, f *syntax.File, i int) stubEffect {
	op := &f.Top[i]
	base := trialChecker(c, nil, nil).Top(f)
	fake := &syntax.Def{Kind: syntax.Colon, File: f.Source, Index: -1}
	fc := *f
	fc.Top = slices.Clone(f.Top)
	fc.Top[i] = syntax.Op{Kind: syntax.OpCall, Ref: syntax.Ref{D: fake}, Start: op.Start, End: op.End}
	run := func(e stubEffect) []diag.Diagnostic {
		sig := stubSig(e)
		if sig == nil {
			return nil
		}
		return trialChecker(c, fake, sig).Top(&fc)
	}
	depth := -1
	for k := 0; k <= maxStubItems; k++ {
		underflow := false
		for _, x := range run(stubEffect{ins: genericNames("x", k)}) {
			if x.Code == diag.StackUnderflow && x.Start == int(op.Start) {
				underflow = true
			}
		}
		if underflow {
			depth = k - 1
			break
		}
	}
	if depth < 0 {
		// Never an underflow: the stack is not known there.
		return stubEffect{}
	}
	e := stubEffect{ins: genericNames("x", depth), insKnown: true}
	for m := 0; m <= maxStubItems; m++ {
		try := stubEffect{ins: e.ins, outs: genericNames("y", m)}
		if !newErrors(base, run(try)) {
			e.outs, e.outsKnown = try.outs, true
			break
		}
	}
	return e
}

// newErrors reports whether trial has an error that base has not.
func newErrors(base, trial []diag.Diagnostic) bool {
	for _, t := range trial {
		if t.Severity != diag.Error {
			continue
		}
		if !slices.ContainsFunc(base, func(b diag.Diagnostic) bool { return b.Code == t.Code && b.Start == t.Start }) {
			return true
		}
	}
	return false
}

// stubSig is the effect callers see of a stub with effect e: its stack
// comment read as the analysis reads it. nil when it cannot be read.
func stubSig(e stubEffect) *infer.Sig {
	eff, err := effect.Parse(e.comment())
	if err != nil {
		return nil
	}
	s := infer.FromEffect(&eff)
	if !s.Known {
		return nil
	}
	return s
}

// stubOutNames names m output cells of the stub used at op i of d: after
// the declared outputs when the use is the last word (its outputs are
// the definition's), else y1 y2 ...; never like an input (the analysis
// would read that as a copy).
func stubOutNames(d *syntax.Def, i, m int, ins []string) []string {
	last := i == len(d.Body)-1 || i == len(d.Body)-2 && d.Body[i+1].Ref.B != nil && d.Body[i+1].Ref.B.Name == ";"
	if last && m > 0 && d.Comment != nil && d.Comment.Err == nil && len(d.Comment.Effect.Out) > 0 {
		var names []string
		cells := 0
		out := d.Comment.Effect.Out[0]
		for j := len(out) - 1; j >= 0 && cells < m; j-- {
			it := out[j]
			if it.Stack != effect.Data || it.Kind != effect.Cell {
				continue
			}
			names = append([]string{it.Name}, names...)
			cells += it.Cells
		}
		if cells == m && !slices.ContainsFunc(names, func(n string) bool { return slices.Contains(ins, n) }) {
			return names
		}
	}
	for _, base := range []string{"y", "out"} {
		names := genericNames(base, m)
		if !slices.ContainsFunc(names, func(n string) bool { return slices.Contains(ins, n) }) {
			return names
		}
	}
	return genericNames("out-", m)
}

// genericNames returns n names: base alone for one, else base1 base2 ...
func genericNames(base string, n int) []string {
	if n == 1 {
		return []string{base}
	}
	names := make([]string, n)
	for i := range names {
		names[i] = base + strconv.Itoa(i+1)
	}
	return names
}

// dataNames reads the data-stack item names of a stack picture as
// stackAround prints it: "( a b ) ( F: r )" gives a and b.
func dataNames(pic string) []string {
	if !strings.HasPrefix(pic, "(") {
		return nil
	}
	end := strings.Index(pic, ")")
	if end < 0 {
		return nil
	}
	return strings.Fields(pic[1:end])
}

// stubText is the stub definition of name with effect e, its action's
// title and whether the action is the fix to prefer (when the effect is
// known in full).
func stubText(name string, e stubEffect, eol string) (text, title string, preferred bool) {
	if !e.insKnown {
		e.ins = nil
	}
	if !e.outsKnown {
		e.outs = nil
	}
	c := e.comment()
	todo := `\ TODO`
	title = "Define `" + name + "` " + c
	switch {
	case !e.insKnown:
		todo += ": stack effect unknown"
		title += " (stack effect unknown)"
	case !e.outsKnown:
		todo += ": outputs unknown"
		title += " (outputs unknown)"
	default:
		preferred = true
	}
	var in, out int
	if eff, err := effect.Parse(c); err == nil {
		in, _ = eff.DataIn()
		out, _ = eff.DataOut()
	}
	body := strings.Repeat("2drop ", in/2) + strings.Repeat("drop ", in%2) + strings.Repeat("0 ", out)
	text = ": " + name + " " + c + " " + todo + eol + "  " + body + ";" + eol + eol
	return text, title, preferred
}
