package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPatternsOverrideNote: a user pattern that replaces a builtin one is
// said so.
func TestPatternsOverrideNote(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot, "patterns", "library", "arithmetic.forth-patterns"))
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(strings.TrimPrefix(strings.Split(string(src)[strings.Index(string(src), "pattern: "):], "\n")[0], "pattern:"))
	dir := tempFiles(t, map[string]string{".fastforth/patterns/mine.forth-patterns": string(src), ".git/HEAD": ""})
	for _, args := range [][]string{{"patterns", "list"}, {"patterns", "show", id}} {
		r := fastforth(t, dir, args...)
		wantCode(t, r, 0)
		want := fmt.Sprintf("pattern %s overrides builtin %s (patterns/library/arithmetic.forth-patterns:", id, id)
		if !strings.Contains(r.stderr, want) {
			t.Errorf("%v: stderr lacks %q:\n%s", args, want, r.stderr)
		}
	}
}
