package lsp

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// "Add test for foo": a Forth 2012 test line (the Hayes tester's
// T{ ... -> ... }T) after a colon definition whose data-stack effect is
// known, with a 0 for every input and expected output cell, so that the
// line is valid Forth until someone writes the real values. A file that
// neither loads a tester nor defines T{ gets, once, a require of a
// tester.fs beside it or else a comment that says where T{ comes from.

func init() { addCodeActions(testActions, codeActionKindAddTest) }

// testTODO ends every generated test line.
const testTODO = `\ TODO: real inputs and expected outputs`

// testActions offers a test skeleton for each top-level colon definition
// the range touches.
func testActions(snap *snapshot, rng byteRange, _ []protocol.Diagnostic) []protocol.CodeAction {
	r := snap.result
	f := r.File
	src := snap.file.Src
	var out []protocol.CodeAction
	touchingDefs(f, rng, func(d *syntax.Def) {
		if d.Kind != syntax.Colon || d.Name == "" || d.Outer != nil || d.Unterminated || d.CompileOnly || d.Parse != builtins.ParseNone {
			return
		}
		if hasPatternTests(snap, d) {
			return // the pattern's own tests are offered instead
		}
		end := f.Abs(d.Epoch, d.End)
		in, outs, ok := testCells(d, resultOf(r, d))
		if !ok {
			return
		}
		eol := eolOf(src)
		line := "T{ " + strings.Repeat("0 ", in) + d.Display + " -> " + strings.Repeat("0 ", outs) + "}T " + testTODO
		if hint := testerHint(snap, f); hint != "" {
			line = hint + eol + line
		}
		at := snap.file.LineEnd(snap.file.Position(end).Line)
		out = append(out, editAction(snap, "Add test for `"+d.Display+"`", codeActionKindAddTest, false, nil,
			byteEdit(snap, at, at, eol+line)))
	})
	return out
}

// testCells returns the data-stack cells d takes and leaves: from its
// stack comment when it can be read, else from inference. ok is false
// when they are not known or the word uses another stack (a test line
// compares the data stack only).
func testCells(d *syntax.Def, res *infer.Result) (in, out int, ok bool) {
	if res != nil {
		if res.Bottom {
			return 0, 0, false // a test could only abort
		}
		for _, a := range res.Alts {
			if a.In[effect.Return]+a.Out[effect.Return]+a.In[effect.Float]+a.Out[effect.Float] > 0 {
				return 0, 0, false
			}
		}
	}
	if c := d.Comment; c != nil && c.Err == nil {
		e := &c.Effect
		if e.Complex || len(e.Parses()) > 0 || e.Has(effect.Return) || e.Has(effect.Float) || e.Has(effect.Control) {
			return 0, 0, false
		}
		in, okIn := e.DataIn()
		out, okOut := e.DataOut()
		return in, out, okIn && okOut
	}
	if res == nil || res.Inferred == nil || len(res.Alts) != 1 {
		return 0, 0, false
	}
	return res.Alts[0].In[effect.Data], res.Alts[0].Out[effect.Data], true
}

// testerHint is the line to put before a file's first test: "" when T{
// is defined already, a require of a tester.fs (or ttester.fs) that
// stands beside the file, else, unless the file mentions tester.fs
// already, a comment that says where T{ comes from.
func testerHint(snap *snapshot, f *syntax.File) string {
	if f.Exports.Has("t{") || builtins.Lookup("t{") != nil {
		return ""
	}
	for _, d := range f.Defs {
		if d.Name == "t{" {
			return ""
		}
	}
	if snap.uri.IsFile() {
		dir := filepath.Dir(snap.file.Name)
		for _, name := range []string{"tester.fs", "ttester.fs"} {
			if st, err := os.Stat(filepath.Join(dir, name)); err == nil && !st.IsDir() {
				return "require " + name
			}
		}
	}
	if bytes.Contains(snap.file.Src, []byte("tester.fs")) {
		return ""
	}
	return `\ T{ -> }T come from tester.fs, the Forth 2012 test harness (gforth: require test/tester.fs)`
}
