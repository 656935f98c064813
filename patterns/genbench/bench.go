package genbench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Verdict is what a generator says of its answer.
type Verdict struct {
	// OK is set when the generator reports the code as working (its
	// "ok" or "verified"): an agent would use it without looking.
	OK bool
	// Route says how the code was produced (e.g. "pattern",
	// "synthesized"); optional, tallied in the report.
	Route string
	// Note is anything else worth showing (e.g. "nothing fits").
	Note string
}

// Generator answers one spec, given as the task's spec JSON exactly as
// written in the task file. An empty code means no answer.
type Generator func(spec json.RawMessage) (code string, v Verdict)

// BenchTask is the outcome of one task.
type BenchTask struct {
	ID       string
	Category string
	Code     string
	Verdict  Verdict
	Gen      time.Duration // time spent in the generator
	// Passed: the code passes every example of the task in gforth.
	Passed bool
	// WrongButOK: the generator reported ok but the code fails (or there
	// is no code). Must never happen.
	WrongButOK bool
	Failures   []string // failed examples, and gforth's message if any
}

// Tally counts outcomes over a set of tasks.
type Tally struct {
	Tasks      int
	Passed     int // first attempt passes its examples
	PassedOK   int // ... and was reported ok
	ReportedOK int
	WrongButOK int
	NoCode     int
}

func (t *Tally) add(r BenchTask) {
	t.Tasks++
	if r.Passed {
		t.Passed++
		if r.Verdict.OK {
			t.PassedOK++
		}
	}
	if r.Verdict.OK {
		t.ReportedOK++
	}
	if r.WrongButOK {
		t.WrongButOK++
	}
	if strings.TrimSpace(r.Code) == "" {
		t.NoCode++
	}
}

// BenchReport is the outcome of a benchmark run.
type BenchReport struct {
	Tasks      []BenchTask
	Total      Tally
	ByCategory map[string]*Tally
	Routes     map[string]int // by Verdict.Route ("" counted as "-")
	// Generator time per task.
	GenP50, GenP90, GenMax, GenTotal time.Duration
	// Check is the time gforth took to judge every answer.
	Check time.Duration
}

// Bench runs gen once on every task (its first attempt: no retries) and
// judges each answer in gforth against the task's examples, with a fresh
// state per example as spec format v2 says. A generator panic counts as
// no answer. The error is for a failure to run gforth at all (or ctx).
func Bench(ctx context.Context, tasks []Task, gen Generator, opt Options) (*BenchReport, error) {
	rep := &BenchReport{ByCategory: map[string]*Tally{}, Routes: map[string]int{}}
	var subs []Submission
	index := map[string]int{}
	for _, t := range tasks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		code, v, d := callGen(gen, t.SpecJSON)
		r := BenchTask{ID: t.ID, Category: t.Category, Code: code, Verdict: v, Gen: d}
		rep.Tasks = append(rep.Tasks, r)
		rep.GenTotal += d
		if strings.TrimSpace(code) != "" {
			index[t.ID] = len(rep.Tasks) - 1
			subs = append(subs, Submission{ID: t.ID, Spec: t.Spec, Code: code})
		}
	}
	if len(subs) > 0 {
		opt.Mode = Fresh
		start := time.Now()
		results, err := RunGforth(ctx, subs, opt)
		if err != nil {
			return nil, err
		}
		rep.Check = time.Since(start)
		for _, res := range results {
			r := &rep.Tasks[index[res.ID]]
			r.Passed = res.OK()
			if !r.Passed {
				r.Failures = res.Failures()
				if res.Output != "" {
					r.Failures = append(r.Failures, "gforth: "+res.Output)
				}
			}
		}
	}
	var durs []time.Duration
	for i := range rep.Tasks {
		r := &rep.Tasks[i]
		if strings.TrimSpace(r.Code) == "" {
			r.Failures = []string{"no code"}
		}
		r.WrongButOK = r.Verdict.OK && !r.Passed
		rep.Total.add(*r)
		if rep.ByCategory[r.Category] == nil {
			rep.ByCategory[r.Category] = &Tally{}
		}
		rep.ByCategory[r.Category].add(*r)
		route := r.Verdict.Route
		if route == "" {
			route = "-"
		}
		rep.Routes[route]++
		durs = append(durs, r.Gen)
	}
	if len(durs) > 0 {
		sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
		rep.GenP50 = durs[(len(durs)-1)/2]
		rep.GenP90 = durs[(len(durs)-1)*9/10]
		rep.GenMax = durs[len(durs)-1]
	}
	return rep, nil
}

func callGen(gen Generator, spec json.RawMessage) (code string, v Verdict, d time.Duration) {
	start := time.Now()
	defer func() {
		d = time.Since(start)
		if p := recover(); p != nil {
			code, v = "", Verdict{Note: fmt.Sprintf("generator panic: %v", p)}
		}
	}()
	code, v = gen(append(json.RawMessage(nil), spec...))
	return code, v, 0
}

func pct(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

// Err returns an error naming the tasks whose wrong code was reported ok,
// or nil when there are none.
func (r *BenchReport) Err() error {
	var ids []string
	for _, t := range r.Tasks {
		if t.WrongButOK {
			ids = append(ids, t.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return errors.New("wrong code reported ok: " + strings.Join(ids, ", "))
}

// String is the report as text: totals, a line per category, the routes,
// timings, then every task that did not pass.
func (r *BenchReport) String() string {
	var b strings.Builder
	t := r.Total
	fmt.Fprintf(&b, "first-attempt success: %d/%d (%s) pass their examples in gforth; %d of them reported ok\n",
		t.Passed, t.Tasks, pct(t.Passed, t.Tasks), t.PassedOK)
	fmt.Fprintf(&b, "wrong but reported ok: %d (%s of the %d reported ok)\n", t.WrongButOK, pct(t.WrongButOK, t.ReportedOK), t.ReportedOK)
	fmt.Fprintf(&b, "no code: %d\n", t.NoCode)
	fmt.Fprintf(&b, "generator time per task: p50 %v, p90 %v, max %v, total %v; gforth check %v\n",
		r.GenP50, r.GenP90, r.GenMax, r.GenTotal, r.Check.Round(time.Millisecond))
	var routes []string
	for k, n := range r.Routes {
		routes = append(routes, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(routes)
	fmt.Fprintf(&b, "routes: %s\n", strings.Join(routes, ", "))
	b.WriteString("\ncategory            tasks  pass  ok+pass  wrong-ok  no-code\n")
	cats := append([]string(nil), Categories...)
	for c := range r.ByCategory {
		known := false
		for _, k := range Categories {
			known = known || k == c
		}
		if !known {
			cats = append(cats, c)
		}
	}
	for _, c := range cats {
		ct := r.ByCategory[c]
		if ct == nil {
			continue
		}
		fmt.Fprintf(&b, "%-18s %6d %5d %8d %9d %8d\n", c, ct.Tasks, ct.Passed, ct.PassedOK, ct.WrongButOK, ct.NoCode)
	}
	var failed []BenchTask
	for _, t := range r.Tasks {
		if !t.Passed {
			failed = append(failed, t)
		}
	}
	if len(failed) > 0 {
		b.WriteString("\nnot passed:\n")
		for _, t := range failed {
			mark := ""
			if t.WrongButOK {
				mark = " WRONG-BUT-OK"
			}
			note := ""
			if t.Verdict.Note != "" {
				note = " (" + t.Verdict.Note + ")"
			}
			fmt.Fprintf(&b, "  %s [%s]%s%s\n", t.ID, t.Category, mark, note)
			for i, f := range t.Failures {
				if i == 3 {
					fmt.Fprintf(&b, "    ... %d more\n", len(t.Failures)-3)
					break
				}
				fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(f, "\n", "\n    "))
			}
		}
	}
	return b.String()
}
