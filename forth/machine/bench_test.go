package machine

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

const benchSrc = `: sq ( n -- n*n ) dup * ;
T{ 3 sq -> 9 }T
T{ -4 sq -> 16 }T
T{ 0 sq -> 0 }T
`

// BenchmarkLoadAndTest is a new machine loading a small word and running
// three tests: what checking a generated definition costs.
func BenchmarkLoadAndTest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m := New(Config{})
		if r := m.RunTests("bench.fs", benchSrc); !r.OK() || r.Passed != 3 {
			b.Fatal(r)
		}
	}
}

// BenchmarkCloneAndTest runs three tests against a loaded definition in
// a clone of the machine that loaded it.
func BenchmarkCloneAndTest(b *testing.B) {
	base := New(Config{})
	if err := base.Load("code.fs", ": sq ( n -- n*n ) dup * ;"); err != nil {
		b.Fatal(err)
	}
	const tests = "T{ 3 sq -> 9 }T\nT{ -4 sq -> 16 }T\nT{ 0 sq -> 0 }T\n"
	b.ReportAllocs()
	for b.Loop() {
		m := base.Clone()
		if r := m.RunTests("examples", tests); !r.OK() || r.Passed != 3 {
			b.Fatal(r)
		}
	}
}

// BenchmarkTestsOnly runs three tests in the same machine again and
// again (tests leave the dictionary as it was).
func BenchmarkTestsOnly(b *testing.B) {
	m := New(Config{})
	if err := m.Load("code.fs", ": sq ( n -- n*n ) dup * ;"); err != nil {
		b.Fatal(err)
	}
	const tests = "T{ 3 sq -> 9 }T\nT{ -4 sq -> 16 }T\nT{ 0 sq -> 0 }T\n"
	b.ReportAllocs()
	for b.Loop() {
		m.ClearTests()
		if r := m.RunTests("examples", tests); !r.OK() || r.Passed != 3 {
			b.Fatal(r)
		}
	}
}

// BenchmarkNew is the cost of a fresh machine.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		New(Config{})
	}
}

// BenchmarkCoretest loads gforth's tester.fs and Hayes' coretest.fs (639
// tests).
func BenchmarkCoretest(b *testing.B) {
	dir := filepath.Join(gforthtest.Dir(b), "test")
	tester, err := os.ReadFile(filepath.Join(dir, "tester.fs"))
	if err != nil {
		b.Fatal(err)
	}
	core, err := os.ReadFile(filepath.Join(dir, "coretest.fs"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m := New(Config{Include: OSFiles})
		if err := m.Load(filepath.Join(dir, "tester.fs"), string(tester)); err != nil {
			b.Fatal(err)
		}
		if r := m.RunTests(filepath.Join(dir, "coretest.fs"), string(core)); !r.OK() || r.Passed != 639 {
			b.Fatal(r.Err, r.Failed)
		}
	}
}

// BenchmarkFib is the inner interpreter: a recursive Fibonacci.
func BenchmarkFib(b *testing.B) {
	m := New(Config{MaxSteps: 1 << 40})
	if err := m.Load("fib.fs", ": fib dup 2 < if exit then dup 1- recurse swap 2 - recurse + ;"); err != nil {
		b.Fatal(err)
	}
	xt, _ := m.Find("fib")
	b.ReportAllocs()
	for b.Loop() {
		m.Push(20)
		if err := m.Execute(xt); err != nil {
			b.Fatal(err)
		}
		m.ClearStacks()
	}
}

// BenchmarkCloneCoretest clones a machine that loaded Hayes' core tests
// (some 300 words).
func BenchmarkCloneCoretest(b *testing.B) {
	dir := filepath.Join(gforthtest.Dir(b), "test")
	m := New(Config{Include: OSFiles})
	for _, f := range []string{"tester.fs", "coretest.fs"} {
		src, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			b.Fatal(err)
		}
		if err := m.Load(filepath.Join(dir, f), string(src)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		c := m.Clone()
		if err := c.Eval("T{ 1 2 + -> 3 }T"); err != nil {
			b.Fatal(err)
		}
	}
}
