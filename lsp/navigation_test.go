package lsp

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/internal/lsptest"
)

const navDoc = `\ sq in a comment
: sq ( n -- n*n ) dup * ;
: cube ( n -- n ) dup sq * ;
' sq drop
: p postpone sq ; immediate
defer act
' sq is act
: s s" sq" type ." sq" ; ( sq )
: loc {: a b :} a b + to a a ;
: t ['] sq execute frob ;
synonym sq2 sq
: sq3 sq sq ;
sq .
`

// wordAt is the position of the n-th (from 0) whole-word occurrence of
// word on line of text (ASCII text: columns are bytes).
func wordAt(t *testing.T, text string, line int, word string, n int) lsptest.Position {
	t.Helper()
	l := strings.Split(text, "\n")[line]
	for i, k := 0, 0; i+len(word) <= len(l); i++ {
		if l[i:i+len(word)] != word || (i > 0 && l[i-1] != ' ') || (i+len(word) < len(l) && l[i+len(word)] != ' ') {
			continue
		}
		if k == n {
			return lsptest.Position{Line: line, Character: i}
		}
		k++
	}
	t.Fatalf("no occurrence %d of %q on line %d: %q", n, word, line, l)
	return lsptest.Position{}
}

func wordRange(t *testing.T, text string, line int, word string, n int) lsptest.Range {
	t.Helper()
	p := wordAt(t, text, line, word, n)
	return lsptest.Range{Start: p, End: lsptest.Position{Line: line, Character: p.Character + len(word)}}
}

type location struct {
	URI   string        `json:"uri"`
	Range lsptest.Range `json:"range"`
}

func posParams(u string, p lsptest.Position) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": p.Line, "character": p.Character}}
}

// rawRequest sends a request and returns the response, error or not.
func rawRequest(h *harness, method string, params any) lsptest.Message {
	h.t.Helper()
	return h.Response(h.Call(method, params))
}

func locations(t *testing.T, h *harness, method string, params any) []location {
	t.Helper()
	m := rawRequest(h, method, params)
	if m.Error != nil {
		t.Fatalf("%s: error %d %s", method, m.Error.Code, m.Error.Message)
	}
	if string(m.Result) == "null" || len(m.Result) == 0 {
		t.Fatalf("%s: result is null, want an array", method)
	}
	var out []location
	if err := json.Unmarshal(m.Result, &out); err != nil {
		t.Fatalf("%s: %s: %v", method, m.Result, err)
	}
	sortLocations(out)
	return out
}

func sortLocations(l []location) {
	sort.Slice(l, func(i, j int) bool {
		a, b := l[i].Range.Start, l[j].Range.Start
		if l[i].URI != l[j].URI {
			return l[i].URI < l[j].URI
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Character < b.Character
	})
}

func sameLocations(t *testing.T, what string, got, want []location) {
	t.Helper()
	want = append([]location{}, want...)
	got = append([]location{}, got...)
	sortLocations(want)
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func startNav(t *testing.T) (*harness, string) {
	h := startServer(t, Options{}, nil)
	res := h.initialize(nil)
	caps := res["capabilities"].(map[string]any)
	for _, k := range []string{"definitionProvider", "declarationProvider", "referencesProvider", "documentHighlightProvider"} {
		if caps[k] != true {
			t.Errorf("capabilities.%s = %v", k, caps[k])
		}
	}
	if r, ok := caps["renameProvider"].(map[string]any); !ok || r["prepareProvider"] != true {
		t.Errorf("capabilities.renameProvider = %v", caps["renameProvider"])
	}
	if _, ok := caps["documentLinkProvider"].(map[string]any); !ok {
		t.Errorf("capabilities.documentLinkProvider = %v", caps["documentLinkProvider"])
	}
	const u = "file:///tmp/nav.fs"
	open(h, u, navDoc, 1)
	return h, u
}

// sqUses are the words of navDoc that refer to sq (not its definition).
func sqUses(t *testing.T, u string) []location {
	l := func(line, n int) location { return location{u, wordRange(t, navDoc, line, "sq", n)} }
	return []location{l(2, 0), l(3, 0), l(4, 0), l(6, 0), l(9, 0), l(10, 0), l(11, 0), l(11, 1), l(12, 0)}
}

func TestDefinition(t *testing.T) {
	h, u := startNav(t)
	sqDef := []location{{u, wordRange(t, navDoc, 1, "sq", 0)}}
	for _, method := range []string{"textDocument/definition", "textDocument/declaration"} {
		for _, use := range sqUses(t, u) {
			sameLocations(t, method+" at "+string(mustJSON(use.Range.Start)), locations(t, h, method, posParams(u, use.Range.Start)), sqDef)
		}
		// The cursor just after the word.
		end := wordRange(t, navDoc, 2, "sq", 0).End
		sameLocations(t, method+" after the word", locations(t, h, method, posParams(u, end)), sqDef)
		// The definition's own name.
		sameLocations(t, method+" on the name", locations(t, h, method, posParams(u, wordAt(t, navDoc, 1, "sq", 0))), sqDef)
		// is act: the deferred word.
		sameLocations(t, method+" is act", locations(t, h, method, posParams(u, wordAt(t, navDoc, 6, "act", 0))),
			[]location{{u, wordRange(t, navDoc, 5, "act", 0)}})
		// A local.
		sameLocations(t, method+" local", locations(t, h, method, posParams(u, wordAt(t, navDoc, 8, "a", 1))),
			[]location{{u, wordRange(t, navDoc, 8, "a", 0)}})
		// Nothing: a builtin, an undefined word, a comment, a string.
		for _, p := range []lsptest.Position{
			wordAt(t, navDoc, 1, "dup", 0),
			wordAt(t, navDoc, 9, "frob", 0),
			{Line: 0, Character: 3},
			{Line: 7, Character: strings.Index(strings.Split(navDoc, "\n")[7], `sq"`)},
			{Line: 7, Character: strings.LastIndex(strings.Split(navDoc, "\n")[7], "sq")},
		} {
			m := rawRequest(h, method, posParams(u, p))
			if m.Error != nil || string(m.Result) != "[]" {
				t.Errorf("%s at %+v: %s %+v, want []", method, p, m.Result, m.Error)
			}
		}
	}
	m := rawRequest(h, "textDocument/definition", posParams("file:///tmp/closed.fs", lsptest.Position{}))
	if m.Error != nil || string(m.Result) != "[]" {
		t.Errorf("definition in a closed document: %s %+v", m.Result, m.Error)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func writeLib(t *testing.T) (dir, lib string) {
	t.Helper()
	dir = t.TempDir()
	lib = filepath.Join(dir, "lib.fs")
	if err := os.WriteFile(lib, []byte("\\ Add one twice.\n: inc2 ( n -- n+2 ) 1+ 1+ ;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, lib
}

func TestDefinitionInIncludedFile(t *testing.T) {
	dir, lib := writeLib(t)
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	mu := string(uri.File(filepath.Join(dir, "main.fs")))
	lu := string(uri.File(lib))
	text := "include lib.fs\ns\" lib.fs\" included\n: f ( n -- n ) inc2 ;\ninclude missing.fs\n"
	open(h, mu, text, 1)
	inc2 := []location{{lu, lsptest.Range{Start: lsptest.Position{Line: 1, Character: 2}, End: lsptest.Position{Line: 1, Character: 6}}}}
	sameLocations(t, "definition of inc2", locations(t, h, "textDocument/definition", posParams(mu, wordAt(t, text, 2, "inc2", 0))), inc2)
	file := []location{{lu, lsptest.Range{}}}
	sameLocations(t, "definition on include's path", locations(t, h, "textDocument/definition", posParams(mu, lsptest.Position{Line: 0, Character: 10})), file)
	sameLocations(t, "definition on included's path", locations(t, h, "textDocument/definition", posParams(mu, lsptest.Position{Line: 1, Character: 4})), file)
	sameLocations(t, "definition on a missing file", locations(t, h, "textDocument/definition", posParams(mu, lsptest.Position{Line: 3, Character: 10})), nil)

	// References with the declaration: the one in lib.fs too.
	p := posParams(mu, wordAt(t, text, 2, "inc2", 0))
	p["context"] = map[string]any{"includeDeclaration": true}
	sameLocations(t, "references of inc2", locations(t, h, "textDocument/references", p),
		append([]location{{mu, wordRange(t, text, 2, "inc2", 0)}}, inc2...))

	// Renaming it edits lib.fs too (rename.go).
	var ren struct {
		Changes map[string][]textEdit `json:"changes"`
	}
	h.Request("textDocument/rename", renameParams(mu, wordAt(t, text, 2, "inc2", 0), "plus2"), &ren)
	if l := ren.Changes[lu]; len(ren.Changes) != 2 || len(l) != 1 || l[0].Range != inc2[0].Range || len(ren.Changes[mu]) != 1 {
		t.Errorf("rename of a word of an included file: %+v", ren.Changes)
	}

	// Links.
	var links []struct {
		Range  lsptest.Range `json:"range"`
		Target string        `json:"target"`
	}
	h.Request("textDocument/documentLink", map[string]any{"textDocument": map[string]any{"uri": mu}}, &links)
	want := []lsptest.Range{
		{Start: lsptest.Position{Line: 0, Character: 8}, End: lsptest.Position{Line: 0, Character: 14}},
		{Start: lsptest.Position{Line: 1, Character: 3}, End: lsptest.Position{Line: 1, Character: 9}},
	}
	if len(links) != len(want) {
		t.Fatalf("links %+v, want ranges %+v", links, want)
	}
	for i, l := range links {
		if l.Range != want[i] || l.Target != lu {
			t.Errorf("link %d: %+v, want %+v to %s", i, l, want[i], lu)
		}
	}
	// A document that is not open has none.
	m := rawRequest(h, "textDocument/documentLink", map[string]any{"textDocument": map[string]any{"uri": "file:///tmp/closed.fs"}})
	if m.Error != nil || string(m.Result) != "[]" {
		t.Errorf("links of a closed document: %s %+v", m.Result, m.Error)
	}
}

func TestReferences(t *testing.T) {
	h, u := startNav(t)
	uses := sqUses(t, u)
	def := location{u, wordRange(t, navDoc, 1, "sq", 0)}
	refs := func(p lsptest.Position, decl bool) []location {
		params := posParams(u, p)
		params["context"] = map[string]any{"includeDeclaration": decl}
		return locations(t, h, "textDocument/references", params)
	}
	// From a use and from the definition's name.
	for _, p := range []lsptest.Position{uses[0].Range.Start, def.Range.Start, uses[len(uses)-1].Range.End} {
		sameLocations(t, "references without the declaration", refs(p, false), uses)
		sameLocations(t, "references with the declaration", refs(p, true), append([]location{def}, uses...))
	}
	// A local: its declaration, its uses and to.
	a := func(n int) location { return location{u, wordRange(t, navDoc, 8, "a", n)} }
	sameLocations(t, "references of a local", refs(a(1).Range.Start, true), []location{a(0), a(1), a(2), a(3)})
	// Builtins and undefined words: none.
	if got := refs(wordAt(t, navDoc, 1, "dup", 0), true); len(got) != 0 {
		t.Errorf("references of dup: %+v", got)
	}
	if got := refs(wordAt(t, navDoc, 9, "frob", 0), true); len(got) != 0 {
		t.Errorf("references of frob: %+v", got)
	}

	// Highlights: the declaration is a write, so is "to a".
	var hl []struct {
		Range lsptest.Range `json:"range"`
		Kind  int           `json:"kind"`
	}
	h.Request("textDocument/documentHighlight", posParams(u, a(3).Range.Start), &hl)
	kinds := map[lsptest.Range]int{}
	for _, x := range hl {
		kinds[x.Range] = x.Kind
	}
	wantKinds := map[lsptest.Range]int{a(0).Range: 3, a(1).Range: 2, a(2).Range: 3, a(3).Range: 2}
	if !maps.Equal(kinds, wantKinds) || len(hl) != 4 {
		t.Errorf("highlights %+v, want %+v", hl, wantKinds)
	}
	hl = nil
	h.Request("textDocument/documentHighlight", posParams(u, uses[3].Range.Start), &hl)
	if len(hl) != len(uses)+1 {
		t.Errorf("%d highlights of sq, want %d: %+v", len(hl), len(uses)+1, hl)
	}
}

// applyEdits applies non-overlapping edits to ASCII text.
func applyEdits(t *testing.T, text string, edits []textEdit) string {
	t.Helper()
	lines := strings.SplitAfter(text, "\n")
	off := func(p lsptest.Position) int {
		o := 0
		for i := 0; i < p.Line; i++ {
			o += len(lines[i])
		}
		return o + p.Character
	}
	sort.Slice(edits, func(i, j int) bool { return off(edits[i].Range.Start) > off(edits[j].Range.Start) })
	for _, e := range edits {
		text = text[:off(e.Range.Start)] + e.NewText + text[off(e.Range.End):]
	}
	return text
}

type textEdit struct {
	Range   lsptest.Range `json:"range"`
	NewText string        `json:"newText"`
}

func renameParams(u string, p lsptest.Position, name string) map[string]any {
	m := posParams(u, p)
	m["newName"] = name
	return m
}

func renameEdits(t *testing.T, h *harness, u string, p lsptest.Position, name string) []textEdit {
	t.Helper()
	var res struct {
		Changes map[string][]textEdit `json:"changes"`
	}
	h.Request("textDocument/rename", renameParams(u, p, name), &res)
	if len(res.Changes) != 1 {
		t.Fatalf("changes for %d documents: %+v", len(res.Changes), res.Changes)
	}
	return res.Changes[u]
}

func TestRename(t *testing.T) {
	h, u := startNav(t)
	want := strings.NewReplacer(": sq (", ": square (", "dup sq", "dup square", "' sq", "' square",
		"postpone sq", "postpone square", "['] sq", "['] square", "sq2 sq", "sq2 square",
		": sq3 sq sq", ": sq3 square square", "\nsq .", "\nsquare .").Replace(navDoc)
	if want == navDoc || strings.Count(want, "square") != 10 {
		t.Fatalf("bad expectation:\n%s", want)
	}
	for _, p := range []lsptest.Position{wordAt(t, navDoc, 1, "sq", 0), wordAt(t, navDoc, 11, "sq", 1)} {
		got := applyEdits(t, navDoc, renameEdits(t, h, u, p, "square"))
		if got != want {
			t.Errorf("after rename from %+v:\n%s\nwant:\n%s", p, got, want)
		}
	}
	// A local.
	got := applyEdits(t, navDoc, renameEdits(t, h, u, wordAt(t, navDoc, 8, "a", 2), "x"))
	if !strings.Contains(got, ": loc {: x b :} x b + to x x ;") || strings.Count(got, "a") != strings.Count(navDoc, "a")-4 {
		t.Errorf("after renaming a local:\n%s", got)
	}

	// prepareRename gives the word.
	var prep struct {
		Range       lsptest.Range `json:"range"`
		Placeholder string        `json:"placeholder"`
	}
	h.Request("textDocument/prepareRename", posParams(u, wordAt(t, navDoc, 4, "sq", 0)), &prep)
	if prep.Placeholder != "sq" || prep.Range != wordRange(t, navDoc, 4, "sq", 0) {
		t.Errorf("prepareRename: %+v", prep)
	}
	// Nothing to rename in a comment: null.
	if m := rawRequest(h, "textDocument/prepareRename", posParams(u, lsptest.Position{Line: 0, Character: 3})); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("prepareRename in a comment: %s %+v", m.Result, m.Error)
	}

	// Refused: builtins, undefined words, bad names, comments.
	for _, tt := range []struct {
		what  string
		pos   lsptest.Position
		name  string
		error string
	}{
		{"builtin", wordAt(t, navDoc, 1, "dup", 0), "dupe", "builtin"},
		{"undefined", wordAt(t, navDoc, 9, "frob", 0), "frobnicate", "not defined"},
		{"empty name", wordAt(t, navDoc, 1, "sq", 0), "", "empty"},
		{"blank in the name", wordAt(t, navDoc, 1, "sq", 0), "sq uare", "blank"},
		{"comment", lsptest.Position{Line: 0, Character: 3}, "x", "no word"},
		{"string", lsptest.Position{Line: 7, Character: 7}, "x", "no word"},
	} {
		m := rawRequest(h, "textDocument/rename", renameParams(u, tt.pos, tt.name))
		if m.Error == nil || !strings.Contains(m.Error.Message, tt.error) {
			t.Errorf("rename %s: %s %+v, want an error about %q", tt.what, m.Result, m.Error, tt.error)
		}
		if tt.name == "x" || tt.name == "" || strings.Contains(tt.name, " ") {
			continue
		}
		m = rawRequest(h, "textDocument/prepareRename", posParams(u, tt.pos))
		if m.Error == nil || !strings.Contains(m.Error.Message, tt.error) {
			t.Errorf("prepareRename %s: %s %+v, want an error about %q", tt.what, m.Result, m.Error, tt.error)
		}
	}
}

// After an edit inside one definition only that definition is read again:
// words elsewhere still point at the definition as first read.
func TestRenameAfterEdit(t *testing.T) {
	h, u := startNav(t)
	// A blank inside sq's body.
	change(h, u, 2, insert(1, 21, " "))
	text := strings.Replace(navDoc, "dup * ;", "dup  * ;", 1)
	got := applyEdits(t, text, renameEdits(t, h, u, wordAt(t, text, 12, "sq", 0), "square"))
	if strings.Count(got, "square") != 10 || strings.Contains(got, "dup sq ") || !strings.Contains(got, ": square ( n -- n*n ) dup  * ;") {
		t.Errorf("after the edit:\n%s", got)
	}
	// Edit sq's name's definition: the uses still follow.
	sameLocations(t, "definition after the edit", locations(t, h, "textDocument/definition", posParams(u, wordAt(t, text, 2, "sq", 0))),
		[]location{{u, wordRange(t, text, 1, "sq", 0)}})
}

func TestDefinitionUTF16(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/nav16.fs"
	// The emoji is 4 bytes, 2 UTF-16 units.
	open(h, u, ": 😀 ( -- ) ;\n: g ( -- ) 😀 😀 ;\n", 1)
	want := []location{{u, lsptest.Range{Start: lsptest.Position{Line: 0, Character: 2}, End: lsptest.Position{Line: 0, Character: 4}}}}
	sameLocations(t, "definition", locations(t, h, "textDocument/definition", posParams(u, lsptest.Position{Line: 1, Character: 14})), want)
	params := posParams(u, lsptest.Position{Line: 0, Character: 3})
	params["context"] = map[string]any{"includeDeclaration": false}
	sameLocations(t, "references", locations(t, h, "textDocument/references", params), []location{
		{u, lsptest.Range{Start: lsptest.Position{Line: 1, Character: 11}, End: lsptest.Position{Line: 1, Character: 13}}},
		{u, lsptest.Range{Start: lsptest.Position{Line: 1, Character: 14}, End: lsptest.Position{Line: 1, Character: 16}}},
	})
}
