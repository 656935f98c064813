package benchmarks

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMeasure prints, for every input at the sizes, the time, the
// peak live heap and the size of the answer of opening it, of a keystroke
// in it and of every request. It measures, it asserts nothing:
//
//	FASTFORTH_MEASURE=1 go test -run TestMeasure -v -timeout 60m ./tests/benchmarks/
//
// FASTFORTH_MEASURE_ONLY=nested-do runs only the inputs whose name holds
// it; FASTFORTH_MEASURE_MAXHEAP=3000 (MB, the default) ends the run when
// the heap grows past it, so that a runaway is reported, not suffered.
func TestMeasure(t *testing.T) {
	if os.Getenv("FASTFORTH_MEASURE") == "" {
		t.Skip("set FASTFORTH_MEASURE=1 to measure")
	}
	only := os.Getenv("FASTFORTH_MEASURE_ONLY")
	limit := uint64(3000)
	if v, err := strconv.ParseUint(os.Getenv("FASTFORTH_MEASURE_MAXHEAP"), 10, 64); err == nil {
		limit = v
	}
	start := time.Now()
	peak := startPeak(limit<<20, func(what string, heap uint64) {
		fmt.Printf("%s: the heap passed %d MB (%d MB) after %v: stopped\n", what, limit, heap>>20, time.Since(start).Round(time.Millisecond))
		os.Exit(3)
	})
	defer peak.close()
	for _, in := range All() {
		if only != "" && !strings.Contains(in.Name, only) {
			continue
		}
		s := startServer(t)
		row := func(what string, took time.Duration, size int, err string) {
			fmt.Printf("%-18s %-20s %10v %8d MB %10d B %s\n", in.Name, what, took.Round(100*time.Microsecond), peak.peak.Load()>>20, size, err)
		}
		peak.reset(in.Name + " open")
		start = time.Now()
		n := s.open(in)
		row("open", time.Since(start), n, "")
		for i := range 3 {
			peak.reset(in.Name + " keystroke")
			start = time.Now()
			n := s.keystroke(in)
			row(fmt.Sprintf("keystroke %d", i+1), time.Since(start), n, "")
		}
		for _, r := range requests {
			peak.reset(in.Name + " " + r.name)
			start = time.Now()
			n, e := s.ask(r, in)
			msg := ""
			if e != nil {
				msg = fmt.Sprintf("error %d %s", e.Code, e.Message)
			}
			row(r.name, time.Since(start), n, msg)
		}
	}
}

// TestMeasureCancel times a cancelled request on each input: the answer
// to the cancellation, and then a request sent after it (which waits for
// the server to be free again).
//
//	FASTFORTH_MEASURE=1 go test -run TestMeasureCancel -v ./tests/benchmarks/
func TestMeasureCancel(t *testing.T) {
	if os.Getenv("FASTFORTH_MEASURE") == "" {
		t.Skip("set FASTFORTH_MEASURE=1 to measure")
	}
	only := os.Getenv("FASTFORTH_MEASURE_ONLY")
	for _, in := range All() {
		if only != "" && !strings.Contains(in.Name, only) {
			continue
		}
		s := startServer(t)
		s.open(in)
		for _, r := range requests {
			start := time.Now()
			id := s.Call(r.method, r.params(in))
			s.Notify("$/cancelRequest", map[string]any{"id": id})
			m := s.Response(id)
			answered := time.Since(start)
			code := 0
			if m.Error != nil {
				code = m.Error.Code
			}
			s.ask(requests[3], in) // documentSymbol: waits for the worker
			fmt.Printf("%-18s %-20s cancelled: answered %v (code %d), free again after %v\n", in.Name, r.name,
				answered.Round(100*time.Microsecond), code, time.Since(start).Round(100*time.Microsecond))
		}
	}
}
