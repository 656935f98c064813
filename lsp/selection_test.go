package lsp

import (
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

type selRange struct {
	Range  lsptest.Range `json:"range"`
	Parent *selRange     `json:"parent"`
}

// TestSelectionRange: word, phrase, each control structure, the
// definition, from the inside out.
func TestSelectionRange(t *testing.T) {
	h := startServer(t, Options{}, nil)
	res := h.initialize(nil)
	if caps := res["capabilities"].(map[string]any); caps["selectionRangeProvider"] != true {
		t.Fatalf("selectionRangeProvider: %v", caps["selectionRangeProvider"])
	}
	const u = "file:///tmp/select.fs"
	text := ": sum-squares ( n -- m )\n  0 swap 0 ?do\n    i dup * +\n    dup 100 > if drop 100 then\n  loop ;\n1 2 + .\n"
	open(h, u, text, 1)
	texts := func(pos int) []string {
		t.Helper()
		var got []*selRange
		p := lsptest.PositionAt(text, pos)
		h.Request("textDocument/selectionRange", map[string]any{"textDocument": map[string]any{"uri": u},
			"positions": []any{map[string]any{"line": p.Line, "character": p.Character}}}, &got)
		if len(got) != 1 {
			t.Fatalf("%d ranges for one position", len(got))
		}
		var out []string
		for r := got[0]; r != nil; r = r.Parent {
			out = append(out, text[lsptest.Offset(text, r.Range.Start):lsptest.Offset(text, r.Range.End)])
		}
		return out
	}
	def := strings.TrimSuffix(text[:strings.Index(text, "\n1 2")], "")
	loop := text[strings.Index(text, "?do"):strings.Index(text, " ;\n1")]
	for _, c := range []struct {
		at   string // the position: just inside this text's first occurrence
		n    int    // which occurrence
		want []string
	}{
		{"dup * +", 0, []string{"dup", "i dup * +", loop, def}},
		{"100 then", 0, []string{"100", "drop 100", "if drop 100 then", loop, def}},
		{"if drop", 0, []string{"if", "if drop 100 then", loop, def}},
		{"?do", 0, []string{"?do", loop, def}},
		{"swap", 0, []string{"swap", "0 swap 0", def}},
		{"+ .", 0, []string{"+", "1 2 + ."}},
	} {
		pos := strings.Index(text, c.at) + 1
		got := texts(pos)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("at %q:\n got %q\nwant %q", c.at, got, c.want)
		}
	}
}
