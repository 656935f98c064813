package lsp

import (
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// A pattern file open in the editor gets the pattern parser's problems as
// diagnostics, on the faulty line, and a fix clears them.
func TestPatternFileDiagnostics(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const uri = "file:///tmp/ws/.fastforth/patterns/mine.forth-patterns"
	bad := "category: mine\ntitle: Mine\nsummary: my patterns\n\npattern: mine-twice-001\nname: Twice\ntags: x\ndescription: doubles\neffect: ( n -- n*2 )\nparam: name name twice the word\nparam: k number abc a number\ncode:\n: {{.name}} ( n -- n*2 ) 2* ;\ntests:\nT{ 2 {{.name}} -> 4 }T\nend\n"
	open(h, uri, bad, 1)
	m := h.Wait("diagnostics of the pattern file", lsptest.IsPublish(uri, 1))
	p := lsptest.Notification[lsptest.PublishDiagnostics](t, m)
	if len(p.Diagnostics) == 0 {
		t.Fatalf("no diagnostics for a malformed pattern file")
	}
	found := false
	for _, d := range p.Diagnostics {
		if d.Code == string(codeBadPattern) && d.Range.Start.Line == 10 && strings.Contains(d.Message, "parameter k") {
			found = true
		}
	}
	if !found {
		t.Errorf("want a bad-pattern diagnostic on line 11 naming parameter k, got %+v", p.Diagnostics)
	}

	good := strings.Replace(bad, "param: k number abc a number\n", "", 1)
	change(h, uri, 2, map[string]any{"text": good})
	m = h.Wait("diagnostics after the fix", lsptest.IsPublish(uri, 2))
	if p := lsptest.Notification[lsptest.PublishDiagnostics](t, m); len(p.Diagnostics) != 0 {
		t.Errorf("a valid pattern file has diagnostics: %+v", p.Diagnostics)
	}
	// Forth features find nothing in it, and do not fail.
	if hv := hoverAt(h, uri, 12, 3); hv != nil {
		t.Errorf("hover in a pattern file: %+v", hv)
	}
}
