package lsp

import (
	"testing"
)

func TestCodeActions(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/actions.fs"
	open(h, u, ": double  2* ;\n: wrong ( a b -- c ) over + ;\n: mk ( n \"name\" -- n ) create , ;\n", 1)
	type action struct {
		Title string `json:"title"`
		Edit  struct {
			Changes map[string][]struct {
				Range struct {
					Start struct{ Line, Character int } `json:"start"`
					End   struct{ Line, Character int } `json:"end"`
				} `json:"range"`
				NewText string `json:"newText"`
			} `json:"changes"`
		} `json:"edit"`
	}
	actionsOn := func(line int) []action {
		var res []action
		h.Request("textDocument/codeAction", map[string]any{
			"textDocument": map[string]any{"uri": u},
			"range":        map[string]any{"start": map[string]any{"line": line, "character": 0}, "end": map[string]any{"line": line, "character": 1}},
			"context":      map[string]any{"diagnostics": []any{}},
		}, &res)
		return res
	}
	check := func(line int, title, newText string, sl, sc, el, ec int) {
		t.Helper()
		got := actionsOn(line)
		if len(got) != 1 {
			t.Fatalf("line %d: %d actions: %+v", line, len(got), got)
		}
		a := got[0]
		edits := a.Edit.Changes[u]
		if a.Title != title || len(edits) != 1 || edits[0].NewText != newText {
			t.Fatalf("line %d: %+v", line, a)
		}
		r := edits[0].Range
		if r.Start.Line != sl || r.Start.Character != sc || r.End.Line != el || r.End.Character != ec {
			t.Errorf("line %d: range %+v", line, r)
		}
	}
	check(0, "Insert the inferred stack comment ( x -- x2 )", " ( x -- x2 )", 0, 8, 0, 8)
	check(1, "Correct the stack comment to ( a b -- a x1 )", "( a b -- a x1 )", 1, 8, 1, 20)
	if got := actionsOn(2); len(got) != 1 || got[0].Edit.Changes[u][0].NewText != `( "name" n -- )` {
		t.Errorf("parsed items kept: %+v", got)
	}
	// Nothing to offer: an empty array, not null.
	var res []action
	open(h, "file:///tmp/fine.fs", ": ok ( n -- n ) 1+ ;\n", 1)
	h.Request("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": "file:///tmp/fine.fs"},
		"range":        map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 0, "character": 1}},
		"context":      map[string]any{"diagnostics": []any{}},
	}, &res)
	if res == nil || len(res) != 0 {
		t.Errorf("no actions: %#v", res)
	}
}
