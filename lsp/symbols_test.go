package lsp

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// TestSymbolsCapped: an outline lists at most maxSymbols symbols, then one
// that says how many definitions are left out and spans them; a file at
// the limit is listed whole.
func TestSymbolsCapped(t *testing.T) {
	for _, tc := range []struct {
		defs   int
		listed int
		marker string
	}{
		{maxSymbols, maxSymbols, ""},
		{maxSymbols + 7, maxSymbols, "(7 more definitions not listed)"},
	} {
		var b strings.Builder
		for i := range tc.defs {
			fmt.Fprintf(&b, ": w%d ( n -- n ) 1+ ;\n", i)
		}
		b.WriteString("1 w0 drop\n")
		syms := symbolsOf(context.Background(), snapshotOf(t, b.String()))
		n := len(syms)
		if tc.marker != "" {
			n--
			last := syms[n]
			want := protocol.Range{Start: protocol.Position{Line: maxSymbols}, End: protocol.Position{Line: uint32(tc.defs + 1)}}
			if last.Name != tc.marker || last.Kind != protocol.SymbolKindNull || last.Range != want || last.Detail == nil {
				t.Errorf("%d definitions: last symbol %+v, want %q over %v", tc.defs, last, tc.marker, want)
			}
		}
		if n != tc.listed || syms[n-1].Name != fmt.Sprintf("w%d", tc.listed-1) {
			t.Errorf("%d definitions: %d symbols listed, the last %q; want %d", tc.defs, n, syms[n-1].Name, tc.listed)
		}
	}
}

// TestIndexDefinitions: the definitions of a name counted in a file are
// those its index entry lists, and counting an open document's does not
// build its entry.
func TestIndexDefinitions(t *testing.T) {
	const text = ": a ; : b ; : a 1 ; : c [: ;] ; : a 2 ;\n"
	r := snapshotOf(t, text).result
	ix := newIndex()
	ix.setOpen("/w/open.fs", "file:///w/open.fs", r)
	ix.put(&indexFile{path: "/w/disk.fs", defs: indexDefs(r.File, r, encUTF16)})
	for _, name := range []string{"a", "b", "c", "zz"} {
		want := 0
		for _, d := range indexDefs(r.File, r, encUTF16) {
			if d.name == name {
				want++
			}
		}
		for _, path := range []string{"/w/open.fs", "/w/disk.fs"} {
			if got := ix.definitions(path, name); got != want {
				t.Errorf("%s in %s: %d definitions, want %d", name, path, got, want)
			}
		}
	}
	if ix.definitions("/w/none.fs", "a") != 0 {
		t.Error("definitions in a file the index does not have")
	}
	if ix.open["/w/open.fs"].file != nil {
		t.Error("counting built the open document's entry")
	}
	var seen []string
	ix.all(encUTF16, func(p string) bool { return p == "/w/open.fs" }, func(f *indexFile) { seen = append(seen, f.path) })
	if len(seen) != 1 || seen[0] != "/w/disk.fs" || ix.open["/w/open.fs"].file != nil {
		t.Errorf("all, skipping the open document: %v; its entry built: %v", seen, ix.open["/w/open.fs"].file != nil)
	}
}

// TestWorkspaceSymbolsOfOpenDocument: an open document's definitions are
// answered as its index entry lists them (names, kinds, ranges), ranked,
// though the entry is not made.
func TestWorkspaceSymbolsOfOpenDocument(t *testing.T) {
	// More matches than an answer holds, in no order of rank.
	var many strings.Builder
	for i := range maxWorkspaceSymbols + 300 {
		fmt.Fprintf(&many, ": %s%d ;\n", strings.Repeat("ab", (i*7)%5+1), (i*37)%1000)
	}
	for _, text := range []string{
		": alpha ( -- ) ;\nvariable gamma\n: beta ( n -- n )\n  1+ ;\n: alpha2 [: ;] drop ;\n2 constant delta : alpha ;\n",
		many.String(),
	} {
		workspaceSymbolsOf(t, text)
	}
}

func workspaceSymbolsOf(t *testing.T, text string) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/wsopen/a.fs"
	open(h, u, text, 1)
	r := snapshotOf(t, text).result
	entry := indexDefs(r.File, r, encUTF16)
	for _, query := range []string{"", "a", "alpha", "ta", "zz", "ab1", "abab"} {
		type want struct {
			rank int
			d    indexDef
		}
		var ws []want
		for _, d := range entry {
			if rk := matchRank(query, d.name); rk != noMatch {
				ws = append(ws, want{rk, d})
			}
		}
		sort.SliceStable(ws, func(i, j int) bool {
			a, b := ws[i], ws[j]
			if a.rank != b.rank {
				return a.rank < b.rank
			}
			if len(a.d.name) != len(b.d.name) {
				return len(a.d.name) < len(b.d.name)
			}
			if a.d.name != b.d.name {
				return a.d.name < b.d.name
			}
			return a.d.sel.Start.Line < b.d.sel.Start.Line
		})
		ws = ws[:min(len(ws), maxWorkspaceSymbols)]
		got := wsSymbols(t, h.Client, query)
		if len(got) != len(ws) {
			t.Fatalf("query %q: %d symbols, want %d", query, len(got), len(ws))
		}
		for i, g := range got {
			w := ws[i].d
			rng := g.Location.Range
			if g.Name != w.display || g.Kind != int(w.symbol) || g.Location.URI != u ||
				rng.Start.Line != int(w.rng.Start.Line) || rng.Start.Character != int(w.rng.Start.Character) ||
				rng.End.Line != int(w.rng.End.Line) || rng.End.Character != int(w.rng.End.Character) {
				t.Errorf("query %q, symbol %d: %+v, want %+v", query, i, g, w)
			}
		}
	}
}
