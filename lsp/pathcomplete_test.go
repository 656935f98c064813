package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/internal/lsptest"
)

// pathItem is the part of a completion item the file-name tests read.
type pathItem struct {
	Label    string `json:"label"`
	Kind     int    `json:"kind"`
	TextEdit *struct {
		Range   lsptest.Range `json:"range"`
		NewText string        `json:"newText"`
	} `json:"textEdit"`
}

// writeTree creates files (directories end in /) under root.
func writeTree(t *testing.T, root string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(root, f)
		if strings.HasSuffix(f, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("\\ "+f+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPathCompletion(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, "src/main.fs", "src/util.fs", "src/notes.txt", "src/.hidden.fs", "src/lib/deep.fth",
		"src/lib/more/", "src/Old.4TH", "extra/extra.4th", "extra/lib/other.f")
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"rootUri": "file://" + root,
		"initializationOptions": map[string]any{"includePaths": []string{"extra"}}})
	u := "file://" + filepath.Join(root, "src", "main.fs")
	const text = "include \n" + // 0
		"include u\n" + // 1
		"require lib/d\n" + // 2
		"s\" ut\" included\n" + // 3
		"\\ include u\n" + // 4
		"needs ../extra/e\n" + // 5
		"s\" ut\" type\n" + // 6
		"include util.fs 1 2\n" // 7
	open(h, u, text, 1)
	complete := func(line, char int) []pathItem {
		t.Helper()
		var res struct {
			Items []pathItem `json:"items"`
		}
		h.Request("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": u},
			"position": map[string]any{"line": line, "character": char}}, &res)
		return res.Items
	}
	labels := func(items []pathItem) []string {
		var s []string
		for _, it := range items {
			s = append(s, it.Label)
		}
		sort.Strings(s)
		return s
	}
	for _, tt := range []struct {
		name       string
		line, char int
		want       []string
		from       int // where the replaced text starts
		newText    string
	}{
		{"nothing typed yet", 0, 8, []string{"Old.4TH", "extra.4th", "lib/", "main.fs", "util.fs"}, 8, ""},
		{"a prefix", 1, 9, []string{"util.fs"}, 8, "util.fs"},
		{"in a directory (here and in the include paths)", 2, 13, []string{"deep.fth"}, 8, "lib/deep.fth"},
		{"s\" ... \" included", 3, 5, []string{"util.fs"}, 3, "util.fs"},
		{"relative to the document", 5, 16, []string{"extra.4th"}, 6, "../extra/extra.4th"},
	} {
		items := complete(tt.line, tt.char)
		if got := labels(items); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
			continue
		}
		for _, it := range items {
			if it.TextEdit == nil {
				t.Errorf("%s: %s has no textEdit", tt.name, it.Label)
				continue
			}
			r := it.TextEdit.Range
			want := lsptest.Range{Start: lsptest.Position{Line: tt.line, Character: tt.from}, End: lsptest.Position{Line: tt.line, Character: tt.char}}
			if r != want {
				t.Errorf("%s: %s replaces %+v, want %+v", tt.name, it.Label, r, want)
			}
			if tt.newText != "" && it.TextEdit.NewText != tt.newText {
				t.Errorf("%s: new text %q, want %q", tt.name, it.TextEdit.NewText, tt.newText)
			}
			wantKind := 17 // file
			if strings.HasSuffix(it.Label, "/") {
				wantKind = 19 // folder
			}
			if it.Kind != wantKind {
				t.Errorf("%s: %s has kind %d", tt.name, it.Label, it.Kind)
			}
		}
	}
	// Elsewhere: the usual word completion.
	for _, p := range [][2]int{{4, 11}, {6, 5}, {7, 19}, {1, 5}} {
		for _, it := range complete(p[0], p[1]) {
			if it.TextEdit != nil {
				t.Errorf("line %d char %d: file completion %+v", p[0], p[1], it)
			}
		}
	}
}

// TestPathAtLines checks the cursor positions that are on a file name.
func TestPathAtLines(t *testing.T) {
	for _, tt := range []struct {
		line string
		ok   bool
		from int
	}{
		{"include |", true, 8},
		{"include  |", true, 9},
		{"INCLUDE fi|", true, 8},
		{"include fi|le.fs", true, 8},
		{"include|", false, 0},
		{"inc|", false, 0},
		{"( include | )", false, 0},
		{"( x ) include a/|", true, 14},
		{".\" include \" include x|", true, 21},
		{"s\" a b|\" required", true, 3},
		{"s\" a b|", false, 0},
		{"s\" a|\" evaluate", false, 0},
		{"include a.fs 1 |", false, 0},
	} {
		off := strings.IndexByte(tt.line, '|')
		text := tt.line[:off] + tt.line[off+1:] + "\n"
		snap := snapshotOf(t, text)
		from, ok := pathAt(snap, off)
		if ok != tt.ok || ok && from != tt.from {
			t.Errorf("%q: %d, %v; want %d, %v", tt.line, from, ok, tt.from, tt.ok)
		}
	}
}

// snapshotOf analyses text as an unsaved document.
func snapshotOf(t *testing.T, text string) *snapshot {
	t.Helper()
	r := analysis.New(analysis.Options{}).Analyze("/tmp/snap.fs", []byte(text))
	return &snapshot{uri: "file:///tmp/snap.fs", file: r.File.Source, result: r, enc: encUTF16}
}

// TestPathCompletionBounded: a folder of many files gives at most
// maxPathItems names, marked incomplete, and typing narrows them.
func TestPathCompletionBounded(t *testing.T) {
	root := t.TempDir()
	var names []string
	for i := range 1500 {
		names = append(names, fmt.Sprintf("src/f%04d.fs", i))
	}
	writeTree(t, root, names...)
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"rootUri": "file://" + root})
	u := "file://" + filepath.Join(root, "src", "main.fs")
	open(h, u, "include \ninclude f01\n", 1)
	for _, tc := range []struct {
		line, char int
		n          int
		incomplete bool
	}{
		{0, 8, maxPathItems, true},
		{1, 11, 100, false},
	} {
		var res struct {
			IsIncomplete bool       `json:"isIncomplete"`
			Items        []pathItem `json:"items"`
		}
		h.Request("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": u},
			"position": map[string]any{"line": tc.line, "character": tc.char}}, &res)
		if len(res.Items) != tc.n || res.IsIncomplete != tc.incomplete {
			t.Errorf("line %d: %d items (incomplete %v), want %d (%v)", tc.line, len(res.Items), res.IsIncomplete, tc.n, tc.incomplete)
		}
	}
}
