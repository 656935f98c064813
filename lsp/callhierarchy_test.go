package lsp

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

type chItem struct {
	Name           string          `json:"name"`
	Kind           int             `json:"kind"`
	Detail         string          `json:"detail"`
	URI            string          `json:"uri"`
	Range          lsptest.Range   `json:"range"`
	SelectionRange lsptest.Range   `json:"selectionRange"`
	Data           json.RawMessage `json:"data"`
}

type chCall struct {
	From       *chItem         `json:"from"`
	To         *chItem         `json:"to"`
	FromRanges []lsptest.Range `json:"fromRanges"`
}

// TestCallHierarchy: prepare on a word, its callers workspace-wide (open
// documents and files only indexed, top-level code as its file) and the
// words its body calls.
func TestCallHierarchy(t *testing.T) {
	dir := t.TempDir()
	lib := ": square ( n -- n*n ) dup * ;\n: cube ( n -- n*n*n ) dup square * ;\n"
	main := "require lib.fs\n: quad ( n -- n^4 ) square square ;\n: f ( -- n ) 3 [: square ;] execute ;\n5 square .\n"
	wsTree(t, dir, map[string]string{
		"lib.fs":       lib,
		"main.fs":      main,
		"other/use.fs": "require ../lib.fs\n: sum-sq ( a b -- c ) square swap square + ;\n",
		"other/own.fs": ": square ( n -- m ) 2 * ;\n: twice ( n -- m ) square ;\n", // its own square
	})
	h := startServer(t, Options{}, nil)
	res := wsInitialize(t, h.Client, []string{dir}, progressCaps)
	if caps := res["capabilities"].(map[string]any); caps["callHierarchyProvider"] != true {
		t.Fatalf("callHierarchyProvider not announced: %v", caps["callHierarchyProvider"])
	}
	wsProgress(t, h.Client)
	mu := wsURI(filepath.Join(dir, "main.fs"))
	lu := wsURI(filepath.Join(dir, "lib.fs"))
	open(h, mu, main, 1)

	// On the use of square in quad: the item is square in lib.fs.
	var items []chItem
	h.Request("textDocument/prepareCallHierarchy", wsPos(mu, 1, 20), &items)
	if len(items) != 1 || items[0].Name != "square" || items[0].URI != lu || items[0].Kind != 12 ||
		items[0].SelectionRange != (lsptest.Range{Start: lsptest.Position{Line: 0, Character: 2}, End: lsptest.Position{Line: 0, Character: 8}}) ||
		items[0].Detail != "( n -- n*n )" {
		t.Fatalf("prepare: %+v", items)
	}

	var in []chCall
	h.Request("callHierarchy/incomingCalls", map[string]any{"item": items[0]}, &in)
	got := map[string]int{}
	var names []string
	for _, c := range in {
		key := c.From.Name + " " + filepath.Base(c.From.URI)
		got[key] = len(c.FromRanges)
		names = append(names, key)
	}
	sort.Strings(names)
	want := map[string]int{"cube lib.fs": 1, "quad main.fs": 2, "f main.fs": 1, "main.fs (top level) main.fs": 1, "sum-sq use.fs": 2}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("incoming: %s with %d uses, want %d; got %v", k, got[k], n, names)
		}
	}
	if len(got) != len(want) {
		t.Errorf("incoming callers %v, want %v (twice in own.fs uses its own square)", names, want)
	}
	for _, c := range in {
		if c.From.Name == "quad" && (c.FromRanges[0].Start != lsptest.Position{Line: 1, Character: 20}) {
			t.Errorf("quad's first use at %+v", c.FromRanges[0])
		}
		if c.From.Name == "f" && c.From.Range.Start.Line != 2 {
			t.Errorf("a use in a quotation belongs to f: %+v", c.From)
		}
	}

	// Outgoing from cube (prepared in lib.fs, which is not open: its item
	// says where it was named).
	h.Request("textDocument/prepareCallHierarchy", wsPos(mu, 1, 27), &items) // the second square
	var out []chCall
	// quad calls square twice.
	var quad []chItem
	h.Request("textDocument/prepareCallHierarchy", wsPos(mu, 1, 3), &quad)
	if len(quad) != 1 || quad[0].Name != "quad" || quad[0].URI != mu {
		t.Fatalf("prepare quad: %+v", quad)
	}
	h.Request("callHierarchy/outgoingCalls", map[string]any{"item": quad[0]}, &out)
	if len(out) != 1 || out[0].To.Name != "square" || out[0].To.URI != lu || len(out[0].FromRanges) != 2 {
		t.Fatalf("outgoing from quad: %+v", out)
	}
	// And on from square: it calls no user word (dup and * are builtins).
	h.Request("callHierarchy/outgoingCalls", map[string]any{"item": out[0].To}, &out)
	if len(out) != 0 {
		t.Errorf("outgoing from square: %+v", out)
	}
	// Its callers again, from the item outgoingCalls gave.
	var in2 []chCall
	h.Request("callHierarchy/incomingCalls", map[string]any{"item": items[0]}, &in2)
	if len(in2) != len(in) {
		t.Errorf("incoming from a second prepare: %d callers, want %d", len(in2), len(in))
	}

	// Nothing to prepare on a builtin or blank space.
	var none []chItem
	h.Request("textDocument/prepareCallHierarchy", wsPos(mu, 1, 34), &none) // on ";", a builtin
	if len(none) != 0 {
		t.Errorf("prepare on a builtin: %+v", none)
	}
	if !strings.Contains(main, "square") {
		t.Fatal("fixture")
	}
}
