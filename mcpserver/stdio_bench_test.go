package mcpserver

import (
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/fastforth/fastforth/query"
)

// BenchmarkStdio measures tool calls as `fastforth mcp` serves them on
// stdio (the guarded transport), with the SDK's client at the other
// end of a pipe, in one process: an agent's calls, one at a time, each
// naming a new word (no answer is the same). ns/op is the round trip,
// client and server together, as in `fastforth bench agent --via mcp`.
func BenchmarkStdio(b *testing.B) {
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(query.New(), "bench").Run(ctx, &GuardedTransport{In: sr, Out: sw}) }()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil).Connect(ctx, &mcp.IOTransport{Reader: cr, Writer: cw}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cs.Close()
		cancel()
		sr.Close()
		<-done
	})
	for _, c := range []struct {
		tool string
		args func(i int) map[string]any
	}{
		{"forth_verify", func(i int) map[string]any {
			return map[string]any{"code": fmt.Sprintf(": max%d ( a b -- m ) 2dup < if swap then drop ;", i), "effect": "( a b -- m )"}
		}},
		{"forth_check", func(i int) map[string]any {
			return map[string]any{"text": fmt.Sprintf(": sq%d ( n -- n*n ) dup * ;\n: bad ( a b -- c ) swap ;", i)}
		}},
		{"forth_generate", func(i int) map[string]any {
			return map[string]any{"name": fmt.Sprintf("order%d", i), "effect": "( a b -- hi lo )", "pattern": "stack-sort2-001", "params": map[string]any{"cmp": "<"},
				"examples": []any{map[string]any{"inputs": []int{1, 3}, "outputs": []int{3, 1}}}}
		}},
	} {
		b.Run(c.tool, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			i := 0
			for b.Loop() {
				i++
				res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: c.tool, Arguments: c.args(i)})
				if err != nil || res.IsError {
					b.Fatal(err, res)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process' CPU time (user and system) in nanoseconds:
// on a machine shared with other work it says more than the wall-clock
// time of an operation.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
