package lsp

import (
	"testing"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/internal/lsptest"
)

// TestAnalysisOptions: the server analyses with the options it was started
// with (here the standard dialect, where gforth's -rot is undefined).
func TestAnalysisOptions(t *testing.T) {
	for _, tt := range []struct {
		dialect string
		want    int
	}{{"gforth", 0}, {"standard", 1}} {
		h := startServer(t, Options{Analysis: analysis.Options{Dialect: tt.dialect}}, nil)
		h.initialize(nil)
		u := "file:///tmp/opts-" + tt.dialect + ".fs"
		open(h, u, ": f ( a b c -- c ) -rot 2drop ;\n", 1)
		p := lsptest.Notification[lsptest.PublishDiagnostics](t, h.Wait("diagnostics", lsptest.IsPublish(u, 1)))
		n := 0
		for _, d := range p.Diagnostics {
			if d.Code == "undefined-word" {
				n++
			}
		}
		if n != tt.want {
			t.Errorf("dialect %s: %d undefined words, want %d: %+v", tt.dialect, n, tt.want, p.Diagnostics)
		}
	}
}
