package benchmarks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// TestMeasureProcess runs a fastforth binary as an editor does (the
// language server over its standard input and output) and prints, for
// each input, the server's resident memory (VmRSS, and its peak VmHWM
// from /proc) after opening it, after keystrokes and after every request,
// with the times and the server's CPU time. It measures, it asserts
// nothing:
//
//	go build -o /work/scratch/fastforth ./cmd/fastforth
//	FASTFORTH_MEASURE_BIN=/work/scratch/fastforth FASTFORTH_MEASURE_ONLY=lines \
//	    go test -run TestMeasureProcess -v -timeout 60m ./tests/benchmarks/
func TestMeasureProcess(t *testing.T) {
	bin := os.Getenv("FASTFORTH_MEASURE_BIN")
	if bin == "" {
		t.Skip("set FASTFORTH_MEASURE_BIN to a fastforth binary to measure")
	}
	only := os.Getenv("FASTFORTH_MEASURE_ONLY")
	for _, in := range All() {
		if only != "" && !strings.Contains(in.Name, only) {
			continue
		}
		cmd := exec.Command(bin, "lsp", "--stdio")
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		c := lsptest.New(t, stdout, stdin)
		c.Timeout = 10 * time.Minute
		s := &server{Client: c, tb: t}
		var res json.RawMessage
		s.Request("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}, &res)
		s.Notify("initialized", map[string]any{})
		// The server's CPU time per step is printed too: on a machine
		// busy with other work it says more than the time.
		lastCPU := procCPU(cmd.Process.Pid)
		row := func(what string, took time.Duration, size int, err string) {
			rss, hwm := procMem(cmd.Process.Pid)
			cpu := procCPU(cmd.Process.Pid)
			fmt.Printf("%-14s %-20s %10v cpu %6v rss %5d MB peak %5d MB %10d B %s\n", in.Name, what, took.Round(100*time.Microsecond), cpu-lastCPU, rss>>10, hwm>>10, size, err)
			lastCPU = cpu
		}
		start := time.Now()
		n := s.open(in)
		row("open", time.Since(start), n, "")
		// FASTFORTH_MEASURE_KEYS=40 types that many keystrokes, prints
		// the first five and then their median, 90th percentile, worst
		// and CPU per keystroke (collections and full readings included).
		keys := 5
		if v, err := strconv.Atoi(os.Getenv("FASTFORTH_MEASURE_KEYS")); err == nil && v > 0 {
			keys = v
		}
		var took []time.Duration
		keysCPU := procCPU(cmd.Process.Pid)
		for i := range keys {
			start = time.Now()
			n := s.keystroke(in)
			took = append(took, time.Since(start))
			if i < 5 {
				row(fmt.Sprintf("keystroke %d", i+1), took[i], n, "")
			}
		}
		if keys > 5 {
			cpu := (procCPU(cmd.Process.Pid) - keysCPU) / time.Duration(keys)
			slices.Sort(took)
			at := func(q float64) time.Duration { return took[int(q*float64(keys-1))].Round(100 * time.Microsecond) }
			_, hwm := procMem(cmd.Process.Pid)
			fmt.Printf("%-14s %d keystrokes: p50 %v p90 %v max %v, cpu %v a keystroke, peak %d MB\n", in.Name, keys, at(0.5), at(0.9), at(1), cpu.Round(100*time.Microsecond), hwm>>10)
			lastCPU = procCPU(cmd.Process.Pid)
		}
		for _, r := range requests {
			start = time.Now()
			n, e := s.ask(r, in)
			msg := ""
			if e != nil {
				msg = fmt.Sprintf("error %d %s", e.Code, e.Message)
			}
			row(r.name, time.Since(start), n, msg)
		}
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}
}

// procCPU reads the CPU time a process has used (user and system, in
// clock ticks of 10 ms).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

// procMem reads a process's resident memory and its peak, in KB.
func procMem(pid int) (rss, hwm int) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var v int
		switch line := sc.Text(); {
		case strings.HasPrefix(line, "VmRSS:"):
			fmt.Sscanf(line[len("VmRSS:"):], "%d", &v)
			rss = v
		case strings.HasPrefix(line, "VmHWM:"):
			fmt.Sscanf(line[len("VmHWM:"):], "%d", &v)
			hwm = v
		}
	}
	return rss, hwm
}
