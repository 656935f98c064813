package lsp

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestCancelStopsComputation: the computations that go over a whole file
// stop once their request is cancelled, with the context's error rather
// than an answer nobody waits for (a cancelled request on a large file
// kept the processor busy for seconds).
func TestCancelStopsComputation(t *testing.T) {
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, ": w%d ( n -- n ) 1+ ;\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, run := range map[string]func(context.Context, *snapshot) bool{
		"semantic tokens": func(ctx context.Context, s *snapshot) bool { return tokensOf(ctx, s) != nil },
		"encoded tokens": func(ctx context.Context, s *snapshot) bool {
			return encodeTokens(ctx, s, tokensOf(context.Background(), s)) != nil
		},
		"folding ranges": func(ctx context.Context, s *snapshot) bool { return foldsOf(ctx, s) != nil },
		"symbols":        func(ctx context.Context, s *snapshot) bool { return symbolsOf(ctx, s) != nil },
	} {
		snap := snapshotOf(t, b.String())
		if !run(context.Background(), snap) {
			t.Fatalf("%s: no answer", name)
		}
		if run(ctx, snap) {
			t.Errorf("%s: an answer after the request was cancelled", name)
		}
	}
}
