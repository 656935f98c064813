package query

import (
	"context"
	"fmt"
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
		for b.Loop() {
			i++
			_, err := s.Infer(ctx, &InferRequest{Source: Source{Text: fmt.Sprintf(": sq%d ( n -- n*n ) dup * ;\n: cube ( n -- n^3 ) dup sq%[1]d * ;", i)}})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
