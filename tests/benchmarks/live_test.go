package benchmarks

import (
	"encoding/json"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// TestHostileInputsLive opens each input of issue 12 §3 at its size (but
// the 160,000 lines, which BenchmarkKeystroke measures) in a server: the
// diagnostics say what the analysis gave up on, where it did, stay small,
// and every request is answered after a keystroke.
func TestHostileInputsLive(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	for _, c := range []struct {
		in   Input
		want string // a diagnostic code the analysis must give, or ""
	}{
		{LongLine(Sizes.LongLine), ""},
		{NestedDo(Sizes.NestedDo), "too-deep"},
		{NestedCase(Sizes.NestedCase), "too-large"},
		{Chain(Sizes.Chain), "too-large"},
		{Literals(Sizes.Literals), "too-large"},
	} {
		t.Run(c.in.Name, func(t *testing.T) {
			s := startServer(t)
			s.open(c.in)
			s.version++
			p := map[string]any{"line": c.in.EditLine, "character": c.in.EditCol}
			s.Notify("textDocument/didChange", map[string]any{
				"textDocument":   map[string]any{"uri": docURI, "version": s.version},
				"contentChanges": []any{map[string]any{"range": map[string]any{"start": p, "end": p}, "text": " "}}})
			m := s.Wait("the diagnostics of the edit", lsptest.IsPublish(docURI, s.version))
			// About 250 bytes a diagnostic at most: one per word of the
			// chain, one in all for the others.
			if len(m.Params) > 1<<20 {
				t.Errorf("%d bytes of diagnostics", len(m.Params))
			}
			var pd struct {
				Diagnostics []struct {
					Code    string `json:"code"`
					Message string `json:"message"`
				} `json:"diagnostics"`
			}
			if err := json.Unmarshal(m.Params, &pd); err != nil {
				t.Fatal(err)
			}
			found := c.want == ""
			for _, d := range pd.Diagnostics {
				found = found || d.Code == c.want
				if len(d.Message) > 1024 {
					t.Errorf("a message of %d bytes: %.200s…", len(d.Message), d.Message)
				}
			}
			if !found {
				t.Errorf("no %s diagnostic among %d", c.want, len(pd.Diagnostics))
			}
			for _, r := range requests {
				if _, e := s.ask(r, c.in); e != nil {
					t.Errorf("%s: error %d %s", r.name, e.Code, e.Message)
				}
			}
		})
	}
}
