package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
	"github.com/fastforth/fastforth/internal/gforthtest"
)

// tenWords is a typical definition of ten words.
const tenWords = `: clamp ( n lo hi -- n' ) rot min max dup 0< if drop 0 then ;`

func BenchmarkInferDefinition(b *testing.B) {
	f := syntax.Parse(source.NewFile("b.fs", []byte(tenWords)), syntax.Config{})
	d := f.Defs[0]
	c := infer.NewChecker()
	b.ReportAllocs()
	for b.Loop() {
		c.Forget(d)
		if r := c.Def(d); r.Status != infer.Verified {
			b.Fatal(r.Status, r.Reason)
		}
	}
}

type srcFile struct {
	name string
	src  []byte
}

func gforthSources(tb testing.TB) []srcFile {
	dir := gforthtest.Dir(tb)
	var files []srcFile
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".fs") || strings.HasSuffix(path, ".fb")) {
			if src, err := os.ReadFile(path); err == nil {
				files = append(files, srcFile{path, src})
			}
		}
		return nil
	})
	return files
}

// BenchmarkGforthSources analyses every .fs and .fb file gforth ships, each
// as its own root, with a fresh workspace (no cached results).
func BenchmarkGforthSources(b *testing.B) {
	files := gforthSources(b)
	lines, size := 0, 0
	for _, f := range files {
		lines += strings.Count(string(f.src), "\n")
		size += len(f.src)
	}
	b.ReportMetric(float64(lines), "lines")
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		ws := New(Options{})
		for _, f := range files {
			ws.Analyze(f.name, f.src)
		}
	}
}

// bigFile makes a realistic file of about n lines: a mix of colon
// definitions with stack comments, variables, constants and loops.
func bigFile(n int) []byte {
	var sb strings.Builder
	for i := 0; sb.Len() == 0 || strings.Count(sb.String(), "\n") < n; i++ {
		fmt.Fprintf(&sb, "\\ word group %d\n", i)
		fmt.Fprintf(&sb, "variable counter%d\n", i)
		fmt.Fprintf(&sb, "%d constant limit%d\n", i, i)
		fmt.Fprintf(&sb, ": sq%d ( n -- n*n )  dup * ;\n", i)
		fmt.Fprintf(&sb, ": sum%d ( n -- sum )\n  0 swap 0 ?do\n    i sq%d +\n  loop ;\n", i, i)
		fmt.Fprintf(&sb, ": bump%d ( -- )  1 counter%d +!  counter%d @ limit%d > if 0 counter%d ! then ;\n", i, i, i, i, i)
	}
	return []byte(sb.String())
}

// BenchmarkEdit10k measures re-analysis of a 10,000-line file after an
// edit inside one definition, as the language server does on a keystroke.
func BenchmarkEdit10k(b *testing.B) {
	src := bigFile(10000)
	ws := New(Options{})
	ws.Analyze("big.fs", src)
	// Two versions that differ in one definition's body.
	at := strings.Index(string(src), ": sum500 ")
	a := []byte(string(src))
	c := []byte(string(src[:at]) + strings.Replace(string(src[at:]), "i sq500 +", "i sq500 + 0 +", 1))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v := a
		if i%2 == 1 {
			v = c
		}
		i++
		if r := ws.Analyze("big.fs", v); len(r.Defs) == 0 {
			b.Fatal("no definitions")
		}
	}
}

// BenchmarkFull10k analyses a 10,000-line file from scratch: the cost of
// opening a file, and of an edit that changes the file's structure (a
// definition's name, a new definition), which reads it again as a whole.
func BenchmarkFull10k(b *testing.B) {
	src := bigFile(10000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if r := New(Options{}).Analyze("big.fs", src); len(r.Defs) == 0 {
			b.Fatal("no definitions")
		}
	}
}
