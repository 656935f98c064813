package main

// End-to-end tests of the code actions of `fastforth lsp`: the real
// binary over pipes, as lsp_test.go drives it. Each action is asked for
// as an editor asks (the range of a diagnostic with that diagnostic in
// the context, a selection, a "source" menu), applied as an editor
// applies a WorkspaceEdit (didChange with the edits, last first), and
// the diagnostics published for the new version are checked.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

type actCodeAction struct {
	Title       string               `json:"title"`
	Kind        string               `json:"kind"`
	IsPreferred bool                 `json:"isPreferred"`
	Diagnostics []lsptest.Diagnostic `json:"diagnostics"`
	Edit        struct {
		Changes map[string][]struct {
			Range   lsptest.Range `json:"range"`
			NewText string        `json:"newText"`
		} `json:"changes"`
	} `json:"edit"`
}

// actSession is one open document and its version.
type actSession struct {
	t       *testing.T
	p       *lspProcess
	path, u string
	text    string
	version int
	diags   []lsptest.Diagnostic
}

func (s *actSession) actions(rng lsptest.Range, diags []lsptest.Diagnostic, only ...string) []actCodeAction {
	s.t.Helper()
	ctx := map[string]any{"diagnostics": diags}
	if diags == nil {
		ctx["diagnostics"] = []any{}
	}
	if len(only) > 0 {
		ctx["only"] = only
	}
	var res []actCodeAction
	s.p.Request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": s.u}, "range": rng, "context": ctx}, &res)
	return res
}

// apply sends an action's edits as one didChange, last edit first so that
// each range still refers to the text the server has, and waits for the
// new version's diagnostics, which must be those of a fresh analysis.
func (s *actSession) apply(a actCodeAction) {
	s.t.Helper()
	edits := slices.Clone(a.Edit.Changes[s.u])
	if len(edits) == 0 || len(a.Edit.Changes) != 1 {
		s.t.Fatalf("%q: edits %+v", a.Title, a.Edit.Changes)
	}
	sort.SliceStable(edits, func(i, j int) bool {
		return lsptest.Offset(s.text, edits[i].Range.Start) > lsptest.Offset(s.text, edits[j].Range.Start)
	})
	var changes []any
	for _, e := range edits {
		start, end := lsptest.Offset(s.text, e.Range.Start), lsptest.Offset(s.text, e.Range.End)
		changes = append(changes, map[string]any{"range": e.Range, "text": e.NewText})
		s.text = s.text[:start] + e.NewText + s.text[end:]
	}
	s.version++
	s.p.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": s.u, "version": s.version}, "contentChanges": changes})
	pub := lsptest.Notification[lsptest.PublishDiagnostics](s.t, s.p.Wait(fmt.Sprintf("diagnostics of version %d", s.version), lsptest.IsPublish(s.u, s.version)))
	sameDiags(s.t, "after "+a.Title, pub.Diagnostics, expectedDiagnostics(s.path, s.text))
	s.diags = pub.Diagnostics
}

func (s *actSession) errors() []string {
	var out []string
	for _, d := range s.diags {
		if d.Severity == 1 {
			out = append(out, d.Code+": "+d.Message)
		}
	}
	return out
}

func TestLSPCodeActions(t *testing.T) {
	p := startLSP(t, "--stdio")
	res := p.initialize()
	caps, _ := res["capabilities"].(map[string]any)
	prov, _ := caps["codeActionProvider"].(map[string]any)
	kinds := fmt.Sprint(prov["codeActionKinds"])
	for _, k := range []string{"quickfix", "refactor.extract", "source.addTest"} {
		if !strings.Contains(kinds, k) {
			t.Fatalf("codeActionKinds %s lack %s", kinds, k)
		}
	}

	dir := t.TempDir()
	// A tester beside the file: the added test requires it and the file
	// analyses clean.
	tester := ": T{ ( -- ) ;\n: -> ( i*x -- ) depth 0 ?do drop loop ;\n: }T ( i*x -- ) depth 0 ?do drop loop ;\n"
	if err := os.WriteFile(filepath.Join(dir, "tester.fs"), []byte(tester), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &actSession{t: t, p: p, path: filepath.Join(dir, "actions.fs"), version: 1}
	s.u = "file://" + filepath.ToSlash(s.path)
	// CRLF and characters outside the BMP: UTF-16 columns differ from
	// bytes.
	s.text = "\\ code actions 😀\r\n" +
		": sq ( n -- n*n ) dup * ;\r\n" +
		": 😀cube ( n -- n*n*n ) dup dup * * ;\r\n" +
		": 😀use ( a b -- c ) swap frob + ;\r\n"
	p.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": s.u, "languageId": "forth", "version": 1, "text": s.text}})
	pub := lsptest.Notification[lsptest.PublishDiagnostics](t, p.Wait("diagnostics of version 1", lsptest.IsPublish(s.u, 1)))
	s.diags = pub.Diagnostics

	// 1. The quick fix for the undefined word, asked for as an editor
	// does: the diagnostic's range, the diagnostic in the context.
	var undef lsptest.Diagnostic
	for _, d := range s.diags {
		if d.Code == "undefined-word" {
			undef = d
		}
	}
	if undef.Range != wordPos(t, s.text, "frob", 0) {
		t.Fatalf("undefined-word diagnostic %+v", undef)
	}
	got := s.actions(undef.Range, []lsptest.Diagnostic{undef})
	var fix *actCodeAction
	for i, a := range got {
		if a.Kind == "quickfix" && strings.HasPrefix(a.Title, "Define `frob`") {
			fix = &got[i]
		}
	}
	if fix == nil {
		t.Fatalf("no fix for frob among %+v", got)
	}
	if fix.Title != "Define `frob` ( b a -- y1 y2 )" || !fix.IsPreferred || len(fix.Diagnostics) != 1 || fix.Diagnostics[0] != undef {
		t.Fatalf("fix %+v", fix)
	}
	s.apply(*fix)
	if errs := s.errors(); len(errs) != 0 {
		t.Fatalf("errors after defining frob: %q\n%s", errs, s.text)
	}
	if !strings.Contains(s.text, ": frob ( b a -- y1 y2 ) \\ TODO\r\n  2drop 0 0 ;\r\n\r\n: 😀use") {
		t.Errorf("stub not before its use, or not with CRLF:\n%q", s.text)
	}

	// 2. Extract "dup *" from 😀cube's body.
	cube := strings.Index(s.text, "dup dup * *")
	got = s.actions(lsptest.Range{Start: position(s.text, cube+4), End: position(s.text, cube+9)}, nil, "refactor")
	if len(got) != 1 || got[0].Title != "Extract to new word `helper` ( x -- x2 )" || got[0].Kind != "refactor.extract" {
		t.Fatalf("extract: %+v", got)
	}
	s.apply(got[0])
	if errs := s.errors(); len(errs) != 0 {
		t.Fatalf("errors after extracting: %q\n%s", errs, s.text)
	}
	if !strings.Contains(s.text, ": helper ( x -- x2 ) dup * ;\r\n\r\n: 😀cube ( n -- n*n*n ) dup helper * ;") {
		t.Errorf("extracted:\n%q", s.text)
	}
	// 3. A test for 😀cube, from the source menu.
	at := wordPos(t, s.text, "😀cube", 0)
	got = s.actions(at, nil, "source")
	if len(got) != 1 || got[0].Title != "Add test for `😀cube`" || got[0].Kind != "source.addTest" {
		t.Fatalf("add test: %+v", got)
	}
	s.apply(got[0])
	if !strings.Contains(s.text, "require tester.fs\r\nT{ 0 😀cube -> 0 }T") {
		t.Errorf("test line:\n%q", s.text)
	}
	var verify struct {
		Verified    bool                 `json:"verified"`
		Diagnostics []lsptest.Diagnostic `json:"diagnostics"`
	}
	p.Request("fastforth/verify", map[string]any{"textDocument": map[string]any{"uri": s.u}}, &verify)
	if !verify.Verified {
		t.Errorf("not verified after the actions: %+v\n%s", verify.Diagnostics, s.text)
	}

	// Nothing where nothing applies: a builtin, a comment, a selection
	// that is not inside one body.
	for _, c := range []struct {
		what string
		rng  lsptest.Range
	}{
		{"builtin", lsptest.Range{Start: wordPos(t, s.text, "swap", 0).Start, End: wordPos(t, s.text, "swap", 0).Start}},
		{"comment", wordPos(t, s.text, "code actions", 0)},
		{"half a definition", lsptest.Range{Start: wordPos(t, s.text, "😀use", 0).Start, End: wordPos(t, s.text, "swap", 0).End}},
	} {
		if got := s.actions(c.rng, nil, "quickfix", "refactor"); len(got) != 0 {
			t.Errorf("%s: offered %+v", c.what, got)
		}
	}

	p.Request("shutdown", nil, nil)
	p.Notify("exit", nil)
	if code := p.exitCode(); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}
