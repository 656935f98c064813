package lsp

import (
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
