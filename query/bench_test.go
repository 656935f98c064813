package query

import (
	"context"
	"fmt"
	"syscall"
	"testing"
)

// BenchmarkQuery measures the queries an agent's loop asks most, each
// with a new word name per request (as the HTTP load test sends them):
// the per-request cost of the analysis behind the front ends.
func BenchmarkQuery(b *testing.B) {
	s := New()
	ctx := context.Background()
	b.Run("verify", func(b *testing.B) {
		i := 0
		defer cpuPerOp(b)()
		for b.Loop() {
			i++
			_, err := s.Verify(ctx, &VerifyRequest{Code: fmt.Sprintf(": max%d ( a b -- m ) 2dup < if swap then drop ;", i), Effect: "( a b -- max )"})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("check", func(b *testing.B) {
		i := 0
		defer cpuPerOp(b)()
		for b.Loop() {
			i++
			_, err := s.Check(ctx, &CheckRequest{Source: Source{Text: fmt.Sprintf(": sq%d ( n -- n*n ) dup * ;\n: bad ( a b -- c ) swap ;", i)}})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("infer", func(b *testing.B) {
		i := 0
		defer cpuPerOp(b)()
		for b.Loop() {
			i++
			_, err := s.Infer(ctx, &InferRequest{Source: Source{Text: fmt.Sprintf(": sq%d ( n -- n*n ) dup * ;\n: cube ( n -- n^3 ) dup sq%[1]d * ;", i)}})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuPerOp starts counting the process's CPU time; the function it
// returns reports it per iteration as cpu-ns/op.
func cpuPerOp(b *testing.B) func() {
	cpu0 := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op") }
}

// cpuTime is the process's CPU time (user and system) in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
