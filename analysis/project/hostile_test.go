package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadConfigHostile: a project file that is huge (a hostile
// repository's) is not read: the problem says why, and the project still
// opens.
func TestReadConfigHostile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, FileName)
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(5 << 30); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	c, probs := ReadConfig(file)
	if c != nil || len(probs) != 1 || !strings.Contains(probs[0].Msg, "more than the") {
		t.Fatalf("config %v, problems %v: want one saying it is too large", c, probs)
	}
	p := Open(filepath.Join(dir, "main.fs"), Overrides{})
	if p.Root != dir || len(p.Problems) != 1 {
		t.Errorf("project %s, problems %v", p.Root, p.Problems)
	}
}
