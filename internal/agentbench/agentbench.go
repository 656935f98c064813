// Package agentbench plays an AI agent's loop against one of the real
// interfaces of the fastforth binary — spec → code → verify → test →
// edit → check — and times each iteration (`fastforth bench agent`).
//
// An iteration is what an agent does for one word: it asks for code
// from a spec (generate: the code comes verified and its tests run in
// the in-process machine), verifies the code against the spec's effect,
// runs the tests on the code, then edits the code — it adds a caller
// with a wrong stack comment — checks it (the check must find the
// mismatch), fixes the comment and checks again (the check must be
// clean). Each iteration's word has a new name, so no answer comes from
// a cache. The clients are those an agent would use: a process per step
// (cli), an LSP session over a pipe (lsp), the MCP SDK's client over a
// pipe (mcp), net/http to `fastforth serve` (http).
package agentbench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/fastforth/fastforth/query"
)

// Seed is the per-iteration time of the system this project grew from,
// and Target the time it aimed for.
const (
	Seed   = 56.9 // ms
	Target = 15.0 // ms
)

// Vias are the interfaces an agent can use.
var Vias = []string{"cli", "lsp", "mcp", "http"}

// Client is one interface, driven as an agent drives it.
type Client interface {
	// Generate turns a spec into code and tests, and runs the tests.
	Generate(ctx context.Context, spec *query.GenerateRequest) (*query.GenerateResult, error)
	// Verify reports whether the word in code does effect.
	Verify(ctx context.Context, code, word, effect string) (bool, error)
	// Test runs the T{ }T tests of text: passed and failed counts.
	// ok is false when the interface has no separate test step (LSP:
	// the tests ran in Generate).
	Test(ctx context.Context, text string) (passed, failed int, ok bool, err error)
	// Check reports the number of errors in text.
	Check(ctx context.Context, text string) (errors int, err error)
	// Server is the server process, or 0 (cli: a process per step).
	Server() int
	Close() error
}

// Specs are the specs the iterations take in turn.
var Specs = []query.GenerateRequest{
	{Name: "order-desc", Effect: "( a b -- hi lo )", Pattern: "stack-sort2-001", Params: map[string]any{"cmp": "<"},
		Description: "Orders two numbers so that the larger one is below.",
		Examples:    []query.GenerateExample{{Inputs: []int{1, 3}, Outputs: []int{3, 1}}, {Inputs: "3 1", Outputs: "3 1"}}},
	{Name: "abs-diff", Effect: "( a b -- u )", Pattern: "arith-abs-diff-001",
		Examples: []query.GenerateExample{{Inputs: "3 7", Outputs: "4"}, {Inputs: "7 3", Outputs: "4"}}},
	{Name: "clamp", Effect: "( n lo hi -- n' )", Pattern: "arith-clamp-001",
		Examples: []query.GenerateExample{{Inputs: "5 0 3", Outputs: "3"}, {Inputs: "-1 0 3", Outputs: "0"}, {Inputs: "2 0 3", Outputs: "2"}}},
	{Name: "popcount", Effect: "( x -- n )", Pattern: "bits-popcount-001",
		Examples: []query.GenerateExample{{Inputs: "7", Outputs: "3"}, {Inputs: "0", Outputs: "0"}}},
	{Name: "even?", Effect: "( n -- flag )", Pattern: "cmp-even-001",
		Examples: []query.GenerateExample{{Inputs: "4", Outputs: "-1"}, {Inputs: "3", Outputs: "0"}}},
}

// Steps name the timed steps of an iteration.
var Steps = []string{"generate", "verify", "test", "check-edit", "check-fix"}

// Iteration is one iteration's outcome.
type Iteration struct {
	Total time.Duration
	Steps [5]time.Duration
	OK    bool
	Why   string // why not OK
}

// Iterate runs iteration i.
func Iterate(ctx context.Context, c Client, i int) (it Iteration) {
	spec := Specs[i%len(Specs)]
	spec.Name = fmt.Sprintf("%s-%d", spec.Name, i)
	start := time.Now()
	step := func(k int, t0 time.Time) { it.Steps[k] = time.Since(t0) }
	fail := func(format string, args ...any) Iteration {
		it.Total = time.Since(start)
		it.Why = fmt.Sprintf(format, args...)
		return it
	}

	t0 := time.Now()
	g, err := c.Generate(ctx, &spec)
	step(0, t0)
	if err != nil {
		return fail("generate: %v", err)
	}
	if !g.OK || g.TestResults == nil || !g.TestResults.Ran || g.TestResults.Failed > 0 || g.TestResults.Passed < len(spec.Examples) {
		return fail("generate %s: ok %v, tests %+v", spec.Name, g.OK, g.TestResults)
	}

	t0 = time.Now()
	ok, err := c.Verify(ctx, g.Code, spec.Name, spec.Effect)
	step(1, t0)
	if err != nil || !ok {
		return fail("verify %s: %v %v", spec.Name, ok, err)
	}

	t0 = time.Now()
	passed, failed, ran, err := c.Test(ctx, g.Code+"\n"+g.Tests)
	step(2, t0)
	if err != nil || ran && (failed > 0 || passed != g.TestResults.Passed) {
		return fail("test %s: %d passed, %d failed, %v", spec.Name, passed, failed, err)
	}

	// The edit: a caller whose stack comment says it takes nothing.
	caller := "\n: use-" + spec.Name + " ( -- ) " + spec.Name + " ;\n"
	t0 = time.Now()
	n, err := c.Check(ctx, g.Code+caller)
	step(3, t0)
	if err != nil || n == 0 {
		return fail("check after the edit of %s: %d errors (want some), %v", spec.Name, n, err)
	}

	// The fix: the caller's comment is the word's effect.
	fixed := "\n: use-" + spec.Name + " " + spec.Effect + " " + spec.Name + " ;\n"
	t0 = time.Now()
	n, err = c.Check(ctx, g.Code+fixed)
	step(4, t0)
	if err != nil || n != 0 {
		return fail("check after the fix of %s: %d errors (want none), %v", spec.Name, n, err)
	}
	it.Total = time.Since(start)
	it.OK = true
	return it
}

// Report sums up a run.
type Report struct {
	Via        string
	Iterations int
	OK         int
	Start      time.Duration // starting the interface (process, session)
	P50, P99   time.Duration
	Mean       time.Duration
	StepP50    [5]time.Duration
	NoTestStep bool
	FirstError string
	// CPU is the CPU time per iteration, client and server together
	// (other load on the machine changes it little, unlike the times).
	CPU time.Duration
	// ServerCPU is the server's part of CPU (0 for cli).
	ServerCPU time.Duration
}

// Run starts the interface with start, runs warmup iterations untimed,
// then n timed ones.
func Run(ctx context.Context, via string, start func(context.Context) (Client, error), warmup, n int) (*Report, error) {
	t0 := time.Now()
	c, err := start(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", via, err)
	}
	r := &Report{Via: via, Iterations: n, Start: time.Since(t0)}
	defer c.Close()
	for i := range warmup {
		if it := Iterate(ctx, c, 1_000_000+i); !it.OK {
			return nil, fmt.Errorf("%s: warm-up: %s", via, it.Why)
		}
	}
	var totals []time.Duration
	steps := make([][]time.Duration, len(Steps))
	var sum time.Duration
	self0, children0, server0 := cpuSelf(), cpuChildren(), cpuOf(c.Server())
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		it := Iterate(ctx, c, i)
		if !it.OK {
			if r.FirstError == "" {
				r.FirstError = it.Why
			}
			continue
		}
		r.OK++
		totals = append(totals, it.Total)
		sum += it.Total
		for k, d := range it.Steps {
			steps[k] = append(steps[k], d)
		}
	}
	if pid := c.Server(); pid != 0 {
		r.ServerCPU = (cpuOf(pid) - server0) / time.Duration(n)
	}
	r.CPU = r.ServerCPU + (cpuSelf()-self0+cpuChildren()-children0)/time.Duration(n)
	if len(totals) > 0 {
		r.P50, r.P99 = percentile(totals, 0.50), percentile(totals, 0.99)
		r.Mean = sum / time.Duration(len(totals))
		for k := range steps {
			r.StepP50[k] = percentile(steps[k], 0.50)
		}
	}
	_, _, ran, _ := c.Test(ctx, "T{ 1 -> 1 }T")
	r.NoTestStep = !ran
	return r, nil
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// times writes a ratio: 86x, 1.6x, 0.16x.
func times(r float64) string {
	switch {
	case r >= 10:
		return fmt.Sprintf("%.0fx", r)
	case r >= 1:
		return fmt.Sprintf("%.1fx", r)
	}
	return fmt.Sprintf("%.2fx", r)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/1e6) }

// Print writes the reports as a table.
func Print(w io.Writer, reports []*Report) {
	fmt.Fprintf(w, "agent loop: generate (tests run) → verify → test → edit+check → fix+check, %d specs in turn, a new word each iteration\n", len(Specs))
	fmt.Fprintf(w, "%-5s %9s %9s %11s %11s %11s %20s %9s %9s  %s\n", "via", "ok", "start", "p50", "p99", "mean", "CPU (server)", "vs seed", "vs 15ms", "step p50s ("+strings.Join(Steps, ", ")+")")
	for _, r := range reports {
		var steps []string
		for k, d := range r.StepP50 {
			if k == 2 && r.NoTestStep {
				steps = append(steps, "(in generate)")
				continue
			}
			steps = append(steps, fmt.Sprintf("%.3f", float64(d)/1e6))
		}
		vsSeed, vsTarget := "-", "-"
		if r.P50 > 0 {
			vsSeed, vsTarget = times(Seed/(float64(r.P50)/1e6)), times(Target/(float64(r.P50)/1e6))
		}
		cpu := ms(r.CPU)
		if r.ServerCPU > 0 {
			cpu += fmt.Sprintf(" (%.3f)", float64(r.ServerCPU)/1e6)
		}
		fmt.Fprintf(w, "%-5s %9s %9s %11s %11s %11s %20s %9s %9s  %s ms\n", r.Via, fmt.Sprintf("%d/%d", r.OK, r.Iterations),
			fmt.Sprintf("%.1f ms", float64(r.Start)/1e6), ms(r.P50), ms(r.P99), ms(r.Mean), cpu, vsSeed, vsTarget, strings.Join(steps, " / "))
		if r.FirstError != "" {
			fmt.Fprintf(w, "      first failure: %s\n", r.FirstError)
		}
	}
	fmt.Fprintf(w, "seed: %.1f ms per iteration (target %.0f ms); \"vs\" is how many times faster the p50 is; CPU is client and server per iteration (the server's part)\n", Seed, Target)
}

// errAnswer is an error answer of an interface.
var errAnswer = errors.New("error answer")
