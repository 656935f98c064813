package lsp

import (
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// TestRangesFormatting: several ranges in one request (LSP 3.18), each
// formatted as rangeFormatting does, the lines outside them left alone.
func TestRangesFormatting(t *testing.T) {
	h := startServer(t, Options{}, nil)
	res := h.initialize(nil)
	rf, _ := res["capabilities"].(map[string]any)["documentRangeFormattingProvider"].(map[string]any)
	if rf["rangesSupport"] != true {
		t.Fatalf("documentRangeFormattingProvider %v, want rangesSupport", rf)
	}
	const u = "file:///tmp/fmt-ranges.fs"
	open(h, u, ": f ( n -- )\ndup if\n. then ;\n: g ( -- )\n1 drop ;\n: k ( -- )\n2 drop ;\n", 1)
	var edits []struct {
		Range   lsptest.Range `json:"range"`
		NewText string        `json:"newText"`
	}
	rng := func(l1, l2 int) map[string]any {
		return map[string]any{"start": map[string]any{"line": l1, "character": 0}, "end": map[string]any{"line": l2, "character": 0}}
	}
	h.Request("textDocument/rangesFormatting", map[string]any{"textDocument": map[string]any{"uri": u},
		"ranges":  []any{rng(6, 7), rng(1, 2), rng(1, 2)}, // out of order, one twice
		"options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &edits)
	want := []string{`1:0-1:0 "  "`, `6:0-6:0 "  "`}
	if got := describeEdits(edits); strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("rangesFormatting: %v, want %v (lines 2 and 4 are outside the ranges)", got, want)
	}
}
