package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
)

// nestWords are what FuzzNesting builds bodies of: openers, their middles
// and closers, and plain words that change the depth.
var nestWords = []string{
	"0 if", "then", "else", "begin", "0 until", "0 while", "repeat", "again",
	"10 0 do", "loop", "10 0 ?do", "1 +loop", "i", "leave", "unloop exit",
	"0 case", "1 of", "endof", "endcase", "[:", ";]", "dup", "drop", "1", "2 3",
	">r", "r>", "exit", "recurse", "[", "]",
}

// FuzzNesting builds definitions of random control structures, nested as
// deep as the input says (each byte picks a word and how many times it
// repeats, up to 64): whatever the nesting, the analysis ends, its results
// keep their invariants, no effect holds more than infer.MaxItems items a
// stack and no message grows with the input.
func FuzzNesting(f *testing.F) {
	f.Add([]byte{8 | 7<<5, 9 | 7<<5})                                                                                 // DO loops 64 deep
	f.Add([]byte{15 | 7<<5, 16 | 7<<5, 17, 18 | 7<<5})                                                                // CASEs
	f.Add([]byte{0 | 7<<5, 1 | 7<<5, 2, 1})                                                                           // IFs
	f.Add([]byte{19 | 7<<5, 23, 20 | 7<<5})                                                                           // quotations
	f.Add([]byte{22 | 7<<5, 22 | 7<<5, 22 | 7<<5})                                                                    // many literals
	f.Add([]byte{8 | 7<<5, 8 | 7<<5, 8 | 7<<5, 8 | 7<<5, 8 | 7<<5, 9 | 7<<5, 9 | 7<<5, 9 | 7<<5, 9 | 7<<5, 9 | 7<<5}) // 320 deep
	f.Add([]byte{22 | 7<<5, 22 | 7<<5, 22 | 7<<5, 22 | 7<<5, 22 | 7<<5})                                              // 640 items
	f.Fuzz(func(t *testing.T, shape []byte) {
		if len(shape) > 256 {
			shape = shape[:256]
		}
		var b strings.Builder
		b.WriteString(": f ( -- )\n")
		for _, c := range shape {
			w := nestWords[int(c&31)%len(nestWords)]
			for range 1 + int(c>>5)*9 {
				b.WriteString(w)
				b.WriteByte(' ')
			}
			b.WriteByte('\n')
		}
		b.WriteString(";\n: g ( -- ) f f ;\n")
		src := []byte(b.String())
		var r *Result
		within(t, "Analyze", func() {
			r = New(Options{ReadFile: fuzzFiles(nil)}).Analyze("/fuzz/main.fs", src)
		})
		checkAnalysis(t, r, src)
		for _, dr := range r.Defs {
			if dr.Inferred != nil {
				checkItems(t, dr.Def.Display, dr.Inferred)
			}
		}
		for _, d := range r.Diags {
			if len(d.Message) > 4096 {
				t.Errorf("a message of %d bytes: %.200s…", len(d.Message), d.Message)
			}
		}
	})
}

// checkItems checks that no stack of an effect holds more than
// infer.MaxItems items.
func checkItems(t *testing.T, name string, e *effect.Effect) {
	t.Helper()
	for _, side := range [][]effect.Picture{e.In, e.Out} {
		for _, p := range side {
			n := map[effect.Stack]int{}
			for _, it := range p {
				n[it.Stack]++
			}
			for s, k := range n {
				if k > infer.MaxItems {
					t.Errorf("%s: %d items on %v", name, k, s)
				}
			}
		}
	}
}

// FuzzIncludeTarget includes what the input names, in a directory holding
// every hostile kind of file (a FIFO, links to devices, to the
// environment, to a directory and in a loop, a sparse file of 5 GB) or
// anywhere on the system: the analysis ends, an include that is not read
// says why with an include diagnostic on its path, and no message shows
// the environment.
func FuzzIncludeTarget(f *testing.F) {
	dir := f.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.fs"), 0o644); err != nil {
		f.Fatal(err)
	}
	big, err := os.Create(filepath.Join(dir, "big.fs"))
	if err != nil {
		f.Fatal(err)
	}
	if err := big.Truncate(5 << 30); err != nil {
		f.Fatal(err)
	}
	big.Close()
	for name, target := range map[string]string{
		"zero.fs": "/dev/zero", "stdin.fs": "/dev/stdin", "out.fs": "/proc/self/fd/1",
		"env.fs": "/proc/self/environ", "up.fs": "..", "loop.fs": "loop.fs", "big-link.fs": "big.fs",
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			f.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.fs"), []byte(": ok ( -- ) ;\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Setenv("FASTFORTH_FUZZ_SECRET", "hunter2")
	for _, s := range []string{"pipe.fs", "big.fs", "zero.fs", "stdin.fs", "out.fs", "env.fs", "up.fs", "loop.fs",
		"big-link.fs", "ok.fs", "missing.fs", "/dev/zero", "/proc/self/environ", "/dev/tty", "/", "/proc/self/mem", "../../etc/passwd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		if target == "" || strings.ContainsAny(target, " \t\n\r\v\f\x00") {
			return // not one name
		}
		src := []byte("include " + target + "\n: after ( -- ) ;\n")
		var r *Result
		within(t, "Analyze", func() {
			r = New(Options{}).Analyze(filepath.Join(dir, "main.fs"), src)
		})
		checkAnalysis(t, r, src)
		for _, d := range r.Diags {
			if strings.Contains(d.Message, "hunter2") {
				t.Fatalf("a message shows the environment: %s", d.Message)
			}
			switch d.Code {
			case diag.IncludeNotRegular, diag.IncludeTooLarge, diag.IncludeNotFound:
				if got := string(src[d.Start:d.End]); got != target {
					t.Errorf("%s on %q, want on the path %q", d.Code, got, target)
				}
			}
		}
	})
}
