package analysis

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/source"
)

// linesFile is the 160,000-line input of issue 12 §3 (tests/benchmarks'
// Lines, which this package cannot import): n short definitions, one a
// line, and a last line of top-level code.
func linesFile(n int) []byte {
	var b strings.Builder
	for i := range n - 1 {
		fmt.Fprintf(&b, ": w%06d ( n -- n ) 1+ ;\n", i)
	}
	b.WriteString("1 w000000 drop\n")
	return []byte(b.String())
}

// BenchmarkHeapPerLine analyses a file once in a fresh Workspace and
// reports the live heap it keeps (after a GC), in all (heap-MB) and per
// line of the file (B/line): the reader's checkpoints, the definitions,
// their results and what the Workspace keeps to re-analyse an edit.
//
//	go test -run X -bench HeapPerLine -count 6 ./analysis/
func BenchmarkHeapPerLine(b *testing.B) {
	inputs := []struct {
		name string
		text func(testing.TB) []byte
	}{
		{"lines-160k", func(testing.TB) []byte { return linesFile(160000) }},
		{"10k", func(testing.TB) []byte { return bigFile(10000) }},
		{"cross", func(tb testing.TB) []byte { return crossPlaces(tb).text }},
	}
	// The dialect's tables and the builtins' effects are made once per
	// process, at the first analysis: not counted.
	New(Options{}).Analyze("warm.fs", []byte(": w ( n -- n ) 1+ ; 1 w drop\n"))
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			text := in.text(b)
			lines := strings.Count(string(text), "\n")
			var heap float64
			for b.Loop() {
				base := heapAfterGC()
				ws := New(Options{})
				ws.AnalyzeFile(source.NewFile(in.name+".fs", slices.Clone(text)))
				heap = heapAfterGC() - base
				runtime.KeepAlive(ws)
			}
			b.ReportMetric(heap, "heap-MB")
			b.ReportMetric(heap*(1<<20)/float64(lines), "B/line")
		})
	}
}
