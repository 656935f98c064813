package patterns

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFindUserDirStopsAtProjectRoot: .fastforth/patterns is looked for
// from the directory up to the project root (fastforth.toml, else a VCS
// root), never above it.
func TestFindUserDirStopsAtProjectRoot(t *testing.T) {
	top := t.TempDir()
	mk := func(p string) string {
		t.Helper()
		d := filepath.Join(top, p)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	mk(UserDir) // above every project: never used from inside one
	for _, marker := range []string{"fastforth.toml", ".git", ".hg", ".jj"} {
		proj := mk("p-" + strings.TrimPrefix(marker, "."))
		if marker == "fastforth.toml" {
			write(t, proj, marker, "")
		} else {
			mk(filepath.Join("p-"+strings.TrimPrefix(marker, "."), marker))
		}
		sub := mk(filepath.Join("p-"+strings.TrimPrefix(marker, "."), "a", "b"))
		if got := FindUserDir(sub); got != "" {
			t.Errorf("%s: FindUserDir(%s) = %q, want none (above the project root)", marker, sub, got)
		}
		mk(filepath.Join("p-"+strings.TrimPrefix(marker, "."), UserDir))
		if got, want := FindUserDir(sub), filepath.Join(proj, UserDir); got != want {
			t.Errorf("%s: FindUserDir = %q, want %q", marker, got, want)
		}
	}
	// A .git file (a worktree) marks a root too.
	wt := mk("wt")
	write(t, wt, ".git", "gitdir: /elsewhere\n")
	if got := FindUserDir(mk("wt/sub")); got != "" {
		t.Errorf("worktree: %q", got)
	}
}

// TestOverrideNotes: a user pattern with a builtin's ID replaces it, and
// the library says so; a new ID is no override.
func TestOverrideNotes(t *testing.T) {
	dir := t.TempDir()
	src := mustRead(t, "testdata/basic.forth-patterns")
	write(t, dir, "mine"+Ext, strings.Replace(src, "pattern: test-greet-001", "pattern: test-greet-002", 1))
	l := testLib(t).WithUser(dir)
	var notes []string
	for _, n := range l.Notes {
		notes = append(notes, n.Error())
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "pattern test-square-001 overrides builtin test-square-001 (basic.forth-patterns:6)") ||
		!strings.Contains(notes[1], "pattern test-sum-range-001 overrides builtin test-sum-range-001 (basic.forth-patterns:20)") {
		t.Errorf("notes %q", notes)
	}
	if p := l.Get("test-square-001"); p == nil || p.Overrides != "basic.forth-patterns:6" {
		t.Errorf("Overrides of the user pattern: %+v", p)
	}
	if p := l.Get("test-greet-002"); p == nil || p.Overrides != "" {
		t.Errorf("a new ID overrides nothing: %+v", p)
	}
}

// TestUserPatternFilesHostile: pattern files that are links to a device
// or a FIFO, or huge, give a diagnostic each; none is read.
func TestUserPatternFilesHostile(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero"+Ext)); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"+Ext), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "huge"+Ext))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(5 << 30); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	l := testLib(t).WithUser(dir)
	var got []string
	for _, d := range l.Diagnostics {
		got = append(got, d.Error())
	}
	want := []string{"huge" + Ext, "pipe" + Ext, "zero" + Ext}
	if len(got) != len(want) {
		t.Fatalf("diagnostics %q, want one for each of %q", got, want)
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) || !strings.Contains(got[i], "source file") {
			t.Errorf("diagnostic %q, want one on %s", got[i], w)
		}
	}
}
