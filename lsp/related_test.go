package lsp

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// relatedOf returns the related-information messages of the first
// diagnostic of a publication of u.
func relatedOf(t *testing.T, m lsptest.Message) []string {
	t.Helper()
	var p struct {
		Diagnostics []struct {
			RelatedInformation []struct {
				Message string `json:"message"`
			} `json:"relatedInformation"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(m.Params, &p); err != nil {
		t.Fatal(err)
	}
	var out []string
	if len(p.Diagnostics) > 0 {
		for _, r := range p.Diagnostics[0].RelatedInformation {
			out = append(out, r.Message)
		}
	}
	return out
}

// An undefined word's "defined in b.fs" follows the other open documents:
// opening one that defines it, renaming the definition there and closing
// it each publish the first document's diagnostics again.
func TestRelatedFollowsOpenDocuments(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const a, b = "file:///tmp/rel/a.fs", "file:///tmp/rel/b.fs"
	open(h, a, ": main ( -- ) helper ;\n", 1)
	if got := relatedOf(t, h.Wait("a.fs v1", lsptest.IsPublish(a, 1))); len(got) != 0 {
		t.Fatalf("related before b.fs is open: %q", got)
	}
	mentions := func(m lsptest.Message) bool {
		got := relatedOf(t, m)
		return len(got) == 1 && strings.Contains(got[0], "b.fs")
	}
	open(h, b, ": helper ( -- ) ;\n", 1)
	h.Wait("a.fs told that b.fs defines helper", func(m lsptest.Message) bool {
		return lsptest.IsPublish(a, 1)(m) && mentions(m)
	})
	change(h, b, 2, map[string]any{"text": ": helper2 ( -- ) ;\n"})
	h.Wait("a.fs told that b.fs no longer defines helper", func(m lsptest.Message) bool {
		return lsptest.IsPublish(a, 1)(m) && len(relatedOf(t, m)) == 0
	})
	change(h, b, 3, map[string]any{"text": ": helper ( -- ) ;\n"})
	h.Wait("a.fs told again", func(m lsptest.Message) bool { return lsptest.IsPublish(a, 1)(m) && mentions(m) })
	h.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": b}})
	h.Wait("a.fs told that b.fs was closed", func(m lsptest.Message) bool {
		return lsptest.IsPublish(a, 1)(m) && len(relatedOf(t, m)) == 0
	})
}
