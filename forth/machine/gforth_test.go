package machine

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

// gforthSuite are gforth 0.7.3's test files that test standard words, in
// the order they are loaded (later ones use earlier ones' words).
var gforthSuite = []string{"tester.fs", "coretest.fs", "postpone.fs", "coreext.fs", "coremore.fs",
	"dbltest.fs", "string.fs", "deferred.fs", "float.fs", "search.fs"}

// TestGforthSuite loads gforth's tester and Hayes' core tests, then
// gforth's other tests of standard words, from the installed gforth, and
// requires every test to pass.
func TestGforthSuite(t *testing.T) {
	dir := filepath.Join(gforthtest.Dir(t), "test")
	m := New(Config{Include: OSFiles})
	total := 0
	for _, f := range gforthSuite {
		p := filepath.Join(dir, f)
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		abs, _ := filepath.Abs(p)
		rep := m.RunTests(abs, string(src))
		if rep.Err != nil {
			t.Errorf("%s: %v\n%s", f, rep.Err, rep.Err.Source)
		}
		for _, tr := range rep.Tests {
			if !tr.Pass {
				t.Errorf("%s:%d: %s\n  %s", filepath.Base(tr.File), tr.Line, tr.Message, tr.Text)
			}
		}
		t.Logf("%s: %d tests, %d failed", f, len(rep.Tests), rep.Failed)
		total += len(rep.Tests)
	}
	out := m.Output()
	if strings.Contains(out, "INCORRECT") || strings.Contains(out, "WRONG") {
		t.Errorf("output:\n%s", out)
	}
	t.Logf("%d tests", total)

	// What the files print (the "YOU SHOULD SEE" lines) is what gforth
	// prints, but for its warnings about redefinitions.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gforthtest.Path(t), append(append([]string{}, gforthSuite...), "-e", "bye")...)
	cmd.Dir = dir
	cmd.Env = gforthtest.Env()
	cmd.Stdin = strings.NewReader("")
	gout, err := cmd.Output()
	if err != nil {
		t.Fatalf("gforth: %v", err)
	}
	want := regexp.MustCompile(`redefined \S+ +`).ReplaceAllString(string(gout), "")
	if out != want {
		t.Errorf("output differs from gforth's:\n--- machine\n%s\n--- gforth\n%s", out, want)
	}
}
