package analysis

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/fastforth/fastforth/analysis/diag"
)

// TestHostileIncludes: an include of anything but a regular source file
// of sane size gives a diagnostic on the include, never a memory runaway,
// a blocked read or the file's contents in messages.
func TestHostileIncludes(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.fs")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.fs")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSourceSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	link := filepath.Join(dir, "env.fs")
	if err := os.Symlink("/proc/self/environ", link); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FASTFORTH_SECRET", "hunter2")
	for _, c := range []struct {
		path string
		code diag.Code
	}{
		{"/dev/zero", diag.IncludeNotRegular},
		{"/dev/stdin", diag.IncludeNotRegular},
		{"/proc/self/fd/1", diag.IncludeNotRegular},
		{"/proc/self/environ", diag.IncludeNotRegular},
		{link, diag.IncludeNotRegular},
		{fifo, diag.IncludeNotRegular},
		{dir, diag.IncludeNotRegular},
		{big, diag.IncludeTooLarge},
	} {
		t.Run(c.path, func(t *testing.T) {
			src := []byte("include " + c.path + "\n: ok ( -- ) ;\n")
			r := analyzeWithin(t, New(Options{}), filepath.Join(dir, "main.fs"), src)
			if len(r.Diags) != 1 || r.Diags[0].Code != c.code {
				t.Fatalf("diagnostics %v, want one %s", r.Diags, c.code)
			}
			if strings.Contains(r.Diags[0].Message, "hunter2") {
				t.Errorf("the message shows the environment: %s", r.Diags[0].Message)
			}
			if got := src[r.Diags[0].Start:r.Diags[0].End]; string(got) != c.path {
				t.Errorf("diagnostic on %q, want on the path", got)
			}
		})
	}
}

// TestIncludeTooDeep: a chain of includes deeper than the limit says so
// on the include where it stops, and the words read up to there are
// known.
func TestIncludeTooDeep(t *testing.T) {
	dir := t.TempDir()
	const n = 80
	for i := range n {
		text := fmt.Sprintf(": w%d ( -- ) ;\ninclude f%d.fs\n", i, i+1)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.fs", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := New(Options{MaxIncludeDepth: 64})
	l := ws.Load([]string{filepath.Join(dir, "f0.fs")}, nil)
	deep := 0
	for _, fr := range l.Files {
		for _, d := range fr.Diags {
			if d.Code == diag.IncludeTooDeep {
				deep++
				if !strings.Contains(d.Message, "more than 64 deep") {
					t.Errorf("message %q", d.Message)
				}
			}
		}
	}
	if deep != 1 {
		t.Errorf("%d include-too-deep diagnostics, want 1", deep)
	}
	if len(l.Files) != 64 {
		t.Errorf("%d files read, want 64", len(l.Files))
	}
}

// TestReadSourceSwapped: a file replaced by a FIFO between its checks
// and its opening (a hostile repository racing the reader) is refused,
// not waited on: what is read is checked once opened.
func TestReadSourceSwapped(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "race.fs")
	if err := os.WriteFile(p, []byte(": ok ;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	testHookBeforeOpen = func(real string) {
		if err := os.Remove(real); err != nil {
			t.Error(err)
		}
		if err := syscall.Mkfifo(real, 0o644); err != nil {
			t.Error(err)
		}
	}
	defer func() { testHookBeforeOpen = nil }()
	_, err := ReadSource(p)
	var se *SourceError
	if !errors.As(err, &se) || se.Code != diag.IncludeNotRegular {
		t.Fatalf("error %v, want %s", err, diag.IncludeNotRegular)
	}
}
