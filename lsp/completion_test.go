package lsp

import (
	"fmt"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

type completionList struct {
	Items []struct {
		Label            string `json:"label"`
		Kind             int    `json:"kind"`
		Detail           string `json:"detail"`
		SortText         string `json:"sortText"`
		InsertText       string `json:"insertText"`
		InsertTextFormat int    `json:"insertTextFormat"`
	} `json:"items"`
}

func completeAt(h *harness, uri string, line, char int) completionList {
	h.t.Helper()
	var res completionList
	h.Request("textDocument/completion", map[string]any{
		"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": line, "character": char}}, &res)
	return res
}

func TestCompletion(t *testing.T) {
	AddCompletionSource(func(prefix, _, _ string) []protocol.CompletionItem {
		if strings.HasPrefix("pattern-sum", prefix) {
			return []protocol.CompletionItem{{Label: "pattern-sum"}}
		}
		return nil
	})
	defer func() { completionSources = completionSources[:len(completionSources)-1] }()

	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/complete.fs"
	open(h, u, ": square ( n -- n*n ) dup * ;\n: squares  square square ;\nvariable sqv\n: f ( -- ) sq\n", 1)

	got := completeAt(h, u, 3, 13) // after "sq"
	byLabel := map[string]int{}
	for i, it := range got.Items {
		byLabel[it.Label] = i
		if !strings.HasPrefix(strings.ToLower(it.Label), "sq") && it.Label != "pattern-sum" {
			t.Errorf("item %q does not start with the typed prefix", it.Label)
		}
	}
	for _, want := range []string{"square", "squares", "sqv"} {
		if _, ok := byLabel[want]; !ok {
			t.Errorf("missing %s in %v", want, got.Items)
		}
	}
	if it := got.Items[byLabel["square"]]; it.Detail != "( n -- n*n )" || it.Kind != 3 {
		t.Errorf("square: %+v", it)
	}
	if it := got.Items[byLabel["squares"]]; it.Detail != "( x -- x2 )" {
		t.Errorf("squares (inferred): %+v", it)
	}
	if it := got.Items[byLabel["sqv"]]; it.Kind != 6 {
		t.Errorf("sqv: %+v", it)
	}
	if _, ok := byLabel["pattern-sum"]; ok {
		t.Errorf("a source item that does not match the prefix was offered")
	}

	// Builtins rank after user words; snippets insert control structures.
	got = completeAt(h, u, 3, 11) // empty prefix after "( -- ) "
	var dup, square, ifThen *int
	for i, it := range got.Items {
		i := i
		switch it.Label {
		case "dup":
			dup = &i
		case "square":
			square = &i
		case "if … then":
			ifThen = &i
		}
	}
	if dup == nil || square == nil || ifThen == nil {
		t.Fatalf("missing dup, square or the if snippet among %d items", len(got.Items))
	}
	if d, s := got.Items[*dup], got.Items[*square]; d.Detail != "( x -- x x )" || !(s.SortText < d.SortText) {
		t.Errorf("dup %+v should rank after square %+v", d, s)
	}
	if sn := got.Items[*ifThen]; sn.InsertTextFormat != 2 || !strings.Contains(sn.InsertText, "then") {
		t.Errorf("snippet: %+v", sn)
	}
	found := false
	for _, it := range got.Items {
		found = found || it.Label == "pattern-sum"
	}
	if !found {
		t.Errorf("the registered completion source was not asked")
	}
}

// TestCompletionBounded: in a file of many definitions, a short prefix
// lists at most maxUserCompletions of them, marked incomplete; a longer
// one lists all it matches, complete.
func TestCompletionBounded(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/many.fs"
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, ": word%d ( -- ) ;\n", i)
	}
	b.WriteString("word\nword12\n")
	open(h, u, b.String(), 1)
	for _, c := range []struct {
		line, char int
		users      int
		incomplete bool
	}{
		{3000, 4, maxUserCompletions, true}, // "word"
		{3001, 6, 111, false},               // "word12": 12, 120-129, 1200-1299
	} {
		var res struct {
			IsIncomplete bool `json:"isIncomplete"`
			Items        []struct {
				Label string `json:"label"`
			} `json:"items"`
		}
		h.Request("textDocument/completion", map[string]any{
			"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": c.line, "character": c.char}}, &res)
		users := 0
		for _, it := range res.Items {
			if n := strings.TrimPrefix(it.Label, "word"); n != it.Label && n != "" && n[0] >= '0' && n[0] <= '9' {
				users++ // not the builtins word, wordlist, ...
			}
		}
		if users != c.users || res.IsIncomplete != c.incomplete {
			t.Errorf("line %d: %d user words (incomplete %v), want %d (%v)", c.line, users, res.IsIncomplete, c.users, c.incomplete)
		}
	}
}
