package lsp

import (
	"slices"
	"strconv"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// "Extract to new word": the selected words of a colon definition's body
// become a new definition, inserted before it with the selection's
// inferred stack effect as its comment, and the selection is replaced by
// a call to it. Offered only where that keeps the meaning: whole words,
// control structures complete inside the selection, loop indices only
// for loops inside it, nothing that depends on the definition it stands
// in (EXIT, RECURSE, locals, DOES>, compile-time code), an effect that
// is known and leaves the return stack alone; and only when the
// definition, calling the new word instead, still verifies as before.

func init() { addCodeActions(extractActions, protocol.CodeActionKindRefactorExtract) }

// extractActions offers to extract the selection (a non-empty range).
func extractActions(snap *snapshot, rng byteRange, _ []protocol.Diagnostic) []protocol.CodeAction {
	if rng.end <= rng.start {
		return nil
	}
	r := snap.result
	f := r.File
	d := innermost(f, rng.start)
	if d == nil || d.Outer != nil || d.Kind != syntax.Colon || d.Unterminated {
		return nil
	}
	x, ok := selectOps(f, d, rng)
	if !ok {
		return nil
	}
	// The selection's effect, as a definition of its own.
	sel := &syntax.Def{Kind: syntax.Colon, File: d.File, Epoch: d.Epoch, Base: d.Base, Index: -1,
		Start: d.Body[x.first].Start, End: d.Body[x.last-1].End, Body: slices.Clone(d.Body[x.first:x.last])}
	res := trialChecker(r.Checker, nil, nil).Def(sel)
	if res.Status != infer.Undeclared || res.Inferred == nil || len(res.Alts) != 1 || errorCount(res) > 0 {
		return nil
	}
	if a := res.Alts[0]; a.In[effect.Return] != 0 || a.Out[effect.Return] != 0 {
		return nil
	}
	comment := res.Inferred.String()
	eff, err := effect.Parse(comment)
	if err != nil {
		return nil
	}
	sig := infer.FromEffect(&eff)
	if !sig.Known || len(sig.Alts) != 1 || sig.Alts[0].In != res.Alts[0].In || sig.Alts[0].Out != res.Alts[0].Out {
		return nil
	}
	// The definition calling the new word: still as it was?
	fake := &syntax.Def{Kind: syntax.Colon, File: d.File, Epoch: d.Epoch, Index: -1}
	nd := *d
	nd.Body = slices.Concat(d.Body[:x.first],
		[]syntax.Op{{Kind: syntax.OpCall, Ref: syntax.Ref{D: fake}, Start: sel.Start, End: sel.End}}, d.Body[x.last:])
	before := resultOf(r, d)
	after := trialChecker(r.Checker, fake, sig).Def(&nd)
	if before == nil || after.Status != before.Status || errorCount(after) > errorCount(before) ||
		(before.Inferred == nil) != (after.Inferred == nil) ||
		before.Inferred != nil && before.Inferred.String() != after.Inferred.String() {
		return nil
	}

	src := snap.file.Src
	name := freeName(f, src, "helper")
	eol := eolOf(src)
	moved := string(src[x.start:x.end])
	def := ": " + name + " " + comment + " " + moved + " ;"
	if strings.ContainsAny(moved, "\r\n") {
		def = ": " + name + " " + comment + eol + "  " + moved + " ;"
	}
	at := beforeDef(f, d)
	return []protocol.CodeAction{editAction(snap, "Extract to new word `"+name+"` "+comment, protocol.CodeActionKindRefactorExtract, false, nil,
		byteEdit(snap, at, at, def+eol+eol), byteEdit(snap, x.start, x.end, name))}
}

// selection is the part of a body to extract: ops [first, last), whose
// text is bytes [start, end) of the current text.
type selection struct {
	first, last int
	start, end  int
}

// selectOps finds the ops of d's body that the range covers and checks
// that they can stand in a definition of their own.
func selectOps(f *syntax.File, d *syntax.Def, rng byteRange) (selection, bool) {
	src := f.Source.Src
	x := selection{first: -1}
	// The range must lie in the body: after the name and stack comment,
	// before the ";" (checked below as a word that cannot be moved), and
	// outside any quotation.
	head := f.Abs(d.Epoch, d.NameEnd)
	if d.Comment != nil {
		head = max(head, f.Abs(d.Epoch, d.Comment.End))
	}
	if rng.start < head {
		return x, false
	}
	if rng.end > f.Abs(d.Epoch, d.End) {
		return x, false
	}
	for _, n := range f.Defs {
		if n.Outer == d && f.Abs(n.Epoch, n.Start) < rng.end && f.Abs(n.Epoch, n.End) > rng.start {
			return x, false
		}
	}
	loops := 0 // DO loops open inside the selection
	for i := range d.Body {
		op := &d.Body[i]
		s, e := opExtent(f, d, op)
		if e <= rng.start || s >= rng.end {
			continue
		}
		if s < rng.start || e > rng.end {
			return x, false // a word cut in two
		}
		if x.first < 0 {
			x.first, x.start = i, s
		}
		x.last, x.end = i+1, e
		if !movable(d, op) {
			return x, false
		}
		if b := op.Ref.B; b != nil && op.Kind == syntax.OpCall {
			switch b.Name {
			case "do", "?do", "+do", "u+do", "-do", "u-do", "for":
				loops++
			case "loop", "+loop", "-loop", "s+loop", "next":
				loops--
			case "i", "i'", "leave", "?leave":
				if loops < 1 {
					return x, false
				}
			case "j":
				if loops < 2 {
					return x, false
				}
			case "k":
				if loops < 3 {
					return x, false
				}
			}
		}
	}
	if x.first < 0 || x.end > len(src) {
		return x, false
	}
	return x, true
}

// movable reports whether op means the same in another definition.
func movable(d *syntax.Def, op *syntax.Op) bool {
	if op.Interp || op.Unterminated || op.Ref.D == d {
		return false
	}
	switch op.Kind {
	case syntax.OpLocal, syntax.OpToLocal, syntax.OpLocals, syntax.OpQuotation, syntax.OpDoes, syntax.OpColon,
		syntax.OpDefine, syntax.OpEnterInterp, syntax.OpLeaveInterp, syntax.OpUndefined, syntax.OpInclude:
		return false
	}
	if b := op.Ref.B; b != nil {
		switch b.Name {
		case ";", ";]", ";s", "exit", "?exit", "recurse", "unloop", "does>", "[:", ":", ":noname", "cs-pick", "cs-roll":
			return false
		}
	}
	return true
}

// opExtent is the text of op, its parsed argument and closing delimiter
// included, in the current text.
func opExtent(f *syntax.File, d *syntax.Def, op *syntax.Op) (int, int) {
	src := f.Source.Src
	s, e := f.Abs(d.Epoch, op.Start), f.Abs(d.Epoch, op.End)
	if op.ArgEnd > op.End {
		e = f.Abs(d.Epoch, op.ArgEnd)
		if e < len(src) && src[e] != ' ' && src[e] != '\t' && src[e] != '\n' && src[e] != '\r' {
			e++ // the delimiter: s" text" or .( text)
		}
	}
	return s, min(e, len(src))
}

// freeName returns base, or base2, base3 ...: the first that is not a
// builtin, not defined in the file or its includes, and not a word the
// file uses without defining.
func freeName(f *syntax.File, src []byte, base string) string {
	// Only names that start like base can be taken.
	taken := map[string]bool{}
	note := func(name string) {
		if len(name) >= len(base) && strings.EqualFold(name[:len(base)], base) {
			taken[builtins.LowerASCII(name)] = true
		}
	}
	for _, d := range f.Defs {
		note(d.Name)
		for i := range d.Body {
			if op := &d.Body[i]; op.Kind == syntax.OpUndefined {
				note(string(src[f.Abs(d.Epoch, op.Start):f.Abs(d.Epoch, op.End)]))
			}
		}
	}
	for i := range f.Top {
		if op := &f.Top[i]; op.Kind == syntax.OpUndefined {
			note(string(src[f.TopAbs(op.Start):f.TopAbs(op.End)]))
		}
	}
	for n := 1; ; n++ {
		name := base
		if n > 1 {
			name += strconv.Itoa(n)
		}
		if !taken[name] && !f.Exports.Has(name) && builtins.Lookup(name) == nil {
			return name
		}
	}
}
