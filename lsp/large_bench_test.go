package lsp

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// largeSnapshot is the 160,000-line file of issue 12 §3 (tests/benchmarks'
// Lines), analysed once for the benchmarks of this file.
var largeSnapshot = sync.OnceValue(func() *snapshot {
	var b strings.Builder
	for i := range 160000 - 1 {
		fmt.Fprintf(&b, ": w%06d ( n -- n ) 1+ ;\n", i)
	}
	b.WriteString("1 w000000 drop\n")
	return snapshotOf(&testing.T{}, b.String())
})

// BenchmarkLargeFile times, on the 160,000-line file, the computations of
// the requests over a whole file (without the protocol around them). It
// reports the process' CPU time per operation too (cpu-ms/op, the
// collector's included), which a machine busy with other work inflates
// less than the time:
//
//	go test -run X -bench LargeFile -benchmem ./lsp/
func BenchmarkLargeFile(b *testing.B) {
	snap := largeSnapshot()
	ctx := context.Background()
	run := func(name string, op func()) {
		b.Run(name, func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				op()
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
	id := "1"
	run("semanticTokens", func() { jsonTokens(&id, encodeTokens(ctx, snap, tokensOf(ctx, snap))) })
	data := encodeTokens(ctx, snap, tokensOf(ctx, snap))
	run("semanticTokensCached", func() { jsonTokens(&id, data) })
	run("semanticTokensRange", func() { jsonTokens(nil, tokensIn(data, 0, 1<<62)) })
	// 60 lines in the middle, for a version whose tokens are not kept.
	mid, end := snap.file.LineStart(80000), snap.file.LineStart(80060)
	run("semanticTokensViewport", func() {
		jsonTokens(nil, tokensIn(encodeTokens(ctx, snap, tokensWithin(ctx, snap, mid, end)), 80000<<32, 80060<<32))
	})
	run("occurrences", func() { occurrences(snap.result) })
	run("foldingRange", func() { foldsOf(ctx, snap) })
	run("documentSymbol", func() { protocol.Marshal(symbolsOf(ctx, snap)) })
	run("occurrenceTarget", func() { occAt(occurrences(snap.result), 100) })
	fo := formatOptionsFrom(protocol.FormattingOptions{TabSize: 2, InsertSpaces: true}, 2)
	run("formatting", func() { formatEdits(snap.file, snap.result.File, fo) })
}

// cpuTime is the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
