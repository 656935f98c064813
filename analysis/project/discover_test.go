package project

import (
	"os"
	"path/filepath"
	"testing"
)

// A file with no project file and no version-control root above it
// belongs to the editor's workspace folder holding it, else to its own
// directory; a project file or a version-control root wins over the folder.
func TestDiscoverWithin(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"ws/src", "ws/sub/inner", "other"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "ws/sub", FileName), []byte("dialect = \"gforth\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ws/src/a.fs", "ws/sub/inner/b.fs", "other/c.fs"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(": w ( -- ) ;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := filepath.Join(dir, "ws")
	for _, c := range []struct{ path, folder, want string }{
		{"ws/src/a.fs", ws, ws},
		{"ws/src/a.fs", "", filepath.Join(dir, "ws/src")},
		{"ws/sub/inner/b.fs", ws, filepath.Join(dir, "ws/sub")},
		{"other/c.fs", ws, filepath.Join(dir, "other")},
	} {
		got, _ := DiscoverWithin(filepath.Join(dir, c.path), c.folder)
		if got != c.want {
			t.Errorf("DiscoverWithin(%s, %q) = %s, want %s", c.path, c.folder, got, c.want)
		}
	}
}
