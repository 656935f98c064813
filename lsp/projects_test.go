package lsp

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

func writeFileTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadOrderContext: an open file that the project's main file
// includes is read with the words defined before the include; editing the
// main file above the include changes what it is read in, and editing it
// below does not.
func TestLoadOrderContext(t *testing.T) {
	root := t.TempDir()
	writeFileTree(t, root, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"main.fs":   ": helper ( n -- n ) 1+ ;\ninclude lib.fs\n: go ( -- n ) 1 twice ;\n",
		"lib.fs":    ": twice ( n -- n ) helper helper ;\n",
	})
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"rootUri": "file://" + root})
	lib := "file://" + filepath.Join(root, "lib.fs")
	main := "file://" + filepath.Join(root, "main.fs")
	open(h, lib, ": twice ( n -- n ) helper helper ;\n", 1)
	if got := diagCodes(nextPublish(h, lib).Diagnostics); got != "" {
		t.Fatalf("lib.fs: %q (helper comes from main.fs, which includes it)", got)
	}
	open(h, main, ": helper ( n -- n ) 1+ ;\ninclude lib.fs\n: go ( -- n ) 1 twice ;\n", 1)
	if got := diagCodes(nextPublish(h, main).Diagnostics); got != "" {
		t.Fatalf("main.fs: %q", got)
	}
	// Rename helper in the main file, above the include: lib.fs no
	// longer has it.
	change(h, main, 2, map[string]any{"range": map[string]any{
		"start": map[string]any{"line": 0, "character": 8}, "end": map[string]any{"line": 0, "character": 8}}, "text": "x"})
	h.Wait("lib.fs reports helper", func(m lsptest.Message) bool {
		if !lsptest.IsPublish(lib, -1)(m) {
			return false
		}
		p := lsptest.Notification[lsptest.PublishDiagnostics](t, m)
		return len(p.Diagnostics) == 2 && (p.Diagnostics[0].Code == "undefined-word" || p.Diagnostics[0].Code == "not-loaded")
	})
	// And back.
	change(h, main, 3, map[string]any{"range": map[string]any{
		"start": map[string]any{"line": 0, "character": 8}, "end": map[string]any{"line": 0, "character": 9}}, "text": ""})
	h.Wait("lib.fs clean again", func(m lsptest.Message) bool {
		return lsptest.IsPublish(lib, -1)(m) && len(lsptest.Notification[lsptest.PublishDiagnostics](t, m).Diagnostics) == 0
	})
}

// TestProjectFileDiagnostics: an open fastforth.toml gets its problems as
// diagnostics on their lines.
func TestProjectFileDiagnostics(t *testing.T) {
	root := t.TempDir()
	writeFileTree(t, root, map[string]string{"a.fs": ": a ( -- ) ;\n"})
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"rootUri": "file://" + root})
	u := "file://" + filepath.Join(root, "fastforth.toml")
	open(h, u, "dialect = \"gforth\"\ncolour = 3\n", 1)
	p := nextPublish(h, u)
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != "bad-project-file" || p.Diagnostics[0].Range.Start.Line != 1 {
		t.Fatalf("diagnostics %+v", p.Diagnostics)
	}
}

// TestProjectDialect: the project file's dialect applies to its files in
// the editor, and the editor's setting wins over it.
func TestProjectDialect(t *testing.T) {
	root := t.TempDir()
	writeFileTree(t, root, map[string]string{"fastforth.toml": "dialect = \"standard\"\n"})
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"rootUri": "file://" + root})
	u := "file://" + filepath.Join(root, "a.fs")
	open(h, u, ": f ( a b c -- c a b ) -rot ;\n", 1)
	if got := diagCodes(nextPublish(h, u).Diagnostics); got != "undefined-word" {
		t.Fatalf("standard dialect from the project file: %q", got)
	}
	configure(h, map[string]any{"fastforth": map[string]any{"dialect": "gforth"}})
	publishWith(h, u, "")
}
