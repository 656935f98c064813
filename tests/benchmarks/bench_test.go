package benchmarks

import (
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
