package lsp

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestCompletionOrder checks the order of the completion items, as the
// client sorts them by sortText: the word typed in full, the words in
// scope, the standard words, gforth's, the words of workspace files the
// document does not include, gforth's internals; an internal with no
// recorded effect only when typed in full.
func TestCompletionOrder(t *testing.T) {
	dir := t.TempDir()
	wsTree(t, dir, map[string]string{
		"lib.fs":          ": dupe-it ( x -- x x ) dup ;\n",
		"main.fs":         "require lib.fs\n: dup-twice ( x -- x x x ) dup dup ;\n: f ( -- ) dup\n",
		"other/negs.fs":   ": dup-neg? ( n -- n f ) dup 0< ;\n: 2dupx ( -- ) ;\n",
		"other/movers.fs": ": mov-mine ( -- ) ;\n",
	})
	h := startServer(t, Options{}, nil)
	wsInitialize(t, h.Client, []string{dir}, progressCaps)
	wsProgress(t, h.Client)
	u := wsURI(filepath.Join(dir, "main.fs"))
	text := "require lib.fs\n: dup-twice ( x -- x x x ) dup dup ;\n: f ( -- ) dup\n"
	open(h, u, text, 1)

	// sorted returns the labels in the client's order.
	sorted := func(got completionList) []string {
		items := got.Items
		sort.SliceStable(items, func(i, j int) bool { return items[i].SortText < items[j].SortText })
		var out []string
		for _, it := range items {
			out = append(out, it.Label)
		}
		return out
	}
	index := func(labels []string, l string) int {
		for i, x := range labels {
			if x == l {
				return i
			}
		}
		return -1
	}

	got := sorted(completeAt(h, u, 2, 14)) // after "dup"
	order := []string{"dup", "dup-twice", "dupe-it", "dup-neg?"}
	last := -1
	for _, l := range order {
		i := index(got, l)
		if i < 0 {
			t.Fatalf("%s not offered after \"dup\": %v", l, got)
		}
		if i < last {
			t.Errorf("%s at %d, before %s: want the order %v, got %v", l, i, order[index(order, l)-1], order, got)
		}
		last = i
	}
	if got[0] != "dup" {
		t.Errorf("the word typed in full is not first: %v", got)
	}
	// Every builtin comes before the word of the file not included.
	neg := index(got, "dup-neg?")
	for _, l := range got[neg+1:] {
		if l == "dup" || l == "dupe-it" || l == "dup-twice" {
			t.Errorf("%s after dup-neg? in %v", l, got)
		}
	}

	// A builtin on a prefix before a word of another file.
	change(h, u, 2, map[string]any{"text": "require lib.fs\n: f ( -- ) 2du\n"})
	got = sorted(completeAt(h, u, 1, 14))
	if i, j := index(got, "2dup"), index(got, "2dupx"); i < 0 || j < 0 || j < i {
		t.Errorf("after \"2du\": want 2dup before 2dupx: %v", got)
	}

	// gforth's internals: after the words of other files; one with no
	// recorded effect only when typed in full.
	change(h, u, 3, map[string]any{"text": "require lib.fs\n: f ( -- ) mov-\n"})
	got = sorted(completeAt(h, u, 1, 14))
	if i, j := index(got, "mov-mine"), index(got, "mov-regv-iv"); i < 0 || j < 0 || j < i {
		t.Errorf("after \"mov-\": want mov-mine before the internal mov-regv-iv: %v", got)
	}
	change(h, u, 4, map[string]any{"text": "require lib.fs\n: f ( -- ) set-add-l\n"})
	if got := sorted(completeAt(h, u, 1, 20)); index(got, "set-add-likes") >= 0 || index(got, "set-add-like") >= 0 {
		t.Errorf("internals with no recorded effect offered on a prefix: %v", got)
	}
	change(h, u, 5, map[string]any{"text": "require lib.fs\n: f ( -- ) set-add-likes\n"})
	if got := sorted(completeAt(h, u, 1, 24)); len(got) == 0 || got[0] != "set-add-likes" {
		t.Errorf("an internal typed in full is not offered first: %v", got)
	}
	if !strings.HasPrefix(text, "require") {
		t.Fatal("fixture")
	}
}
