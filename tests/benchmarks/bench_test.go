package benchmarks

import (
	"runtime"
	"strings"
	"testing"
)

// BenchmarkOpen opens each input of issue 12 §3 at its size in a fresh
// server and waits for its diagnostics.
func BenchmarkOpen(b *testing.B) {
	for _, in := range All() {
		b.Run(in.Name, func(b *testing.B) {
			for b.Loop() {
				s := startServer(b)
				s.open(in)
			}
		})
	}
}

// BenchmarkKeystroke types a blank into each input, open in a server, and
// waits for the new diagnostics: the work of one keystroke.
func BenchmarkKeystroke(b *testing.B) {
	for _, in := range All() {
		b.Run(in.Name, func(b *testing.B) {
			s := startServer(b)
			s.open(in)
			for b.Loop() {
				s.keystroke(in)
			}
		})
	}
}

// BenchmarkRequest sends every request of the measurements to each input,
// open in a server.
func BenchmarkRequest(b *testing.B) {
	for _, in := range All() {
		b.Run(in.Name, func(b *testing.B) {
			s := startServer(b)
			s.open(in)
			for _, r := range requests {
				b.Run(r.name, func(b *testing.B) {
					for b.Loop() {
						s.ask(r, in)
					}
				})
			}
		})
	}
}

// BenchmarkOpenHeap opens the 160,000-line input in a fresh server and
// reports the live heap after a GC (the server's and this client's, whose
// copy of the text is 4 MB), in all (heap-MB) and per line (B/line):
// what an open document of that size keeps.
//
//	go test -run X -bench OpenHeap -benchtime 1x -count 3 ./tests/benchmarks/
func BenchmarkOpenHeap(b *testing.B) {
	in := Lines(Sizes.Lines)
	lines := strings.Count(in.Text, "\n")
	var heap uint64
	for b.Loop() {
		base := liveHeap()
		s := startServer(b)
		s.open(in)
		heap = liveHeap() - base
		runtime.KeepAlive(s)
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
	b.ReportMetric(float64(heap)/float64(lines), "B/line")
}

// liveHeap is the heap in use after two collections, in bytes.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
