package patterns

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
	"github.com/fastforth/fastforth/patterns/genbench"
)

// devTask is a task of the development set (testdata/gen/dev/tasks.json),
// written from a plain-English description: the spec the generator
// sees, and further examples it does not see, which check that code
// reported ok does what the description says beyond the spec's examples.
type devTask struct {
	ID    string          `json:"id"`
	Spec  json.RawMessage `json:"spec"`
	Check []Example       `json:"check"`
	// Reference is a hand-written answer (tasks added since it was
	// introduced have one): TestDevReferences checks that it passes the
	// examples and the checks in gforth, so the expected values are
	// gforth's.
	Reference string `json:"reference,omitempty"`
}

func readDevSet(tb testing.TB) []devTask {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "gen", "dev", "tasks.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var tasks []devTask
	if err := json.Unmarshal(data, &tasks); err != nil {
		tb.Fatal(err)
	}
	return tasks
}

// TestDevSet generates every task of the development set and checks each
// answer reported ok on the examples the generator did not see, in the
// machine, and (with gforth) its emitted tests and those examples in
// gforth: code reported ok must never be wrong. It logs the success rate,
// the routes and the times, and fails below minDevSuccess.
func TestDevSet(t *testing.T) {
	const minDevSuccess = 0.70 // measured 0.84; the searches are bounded partly by time, so a loaded machine finds less
	l := Builtin()
	tasks := readDevSet(t)
	var units []Unit
	okIDs := map[string]bool{}
	routes := map[string]int{}
	var times []time.Duration
	ok, wrong := 0, 0
	for _, task := range tasks {
		s, err := ParseSpec(task.Spec)
		if err != nil {
			t.Fatalf("%s: %v", task.ID, err)
		}
		start := time.Now()
		r := l.Generate(s)
		times = append(times, time.Since(start))
		if len(r.Errors) > 0 {
			t.Errorf("%s: spec errors %v", task.ID, r.Errors)
			continue
		}
		if !r.OK {
			t.Logf("%s: nothing fits (%v)", task.ID, r.Verification.Problems)
			continue
		}
		// The unseen examples, in the machine.
		all := *s
		all.Examples = append(append([]Example{}, s.Examples...), task.Check...)
		if _, errs := l.Validate(&all); len(errs) > 0 {
			t.Fatalf("%s: check examples: %v", task.ID, errs)
		}
		set := prepareExamples(&all)
		m, err := set.load(r.Code)
		if err != nil {
			t.Fatalf("%s: %v", task.ID, err)
		}
		results, passed := set.run(m, true)
		if passed != len(set.cases) {
			wrong++
			t.Errorf("%s: reported ok (%s) but wrong on unseen examples: %+v\n%s", task.ID, r.Route, results, r.Code)
			continue
		}
		ok++
		okIDs[task.ID] = true
		routes[r.Route]++
		units = append(units, Unit{ID: task.ID + ":emitted", Code: r.Code, Tests: r.Tests},
			Unit{ID: task.ID + ":check", Code: r.Code, Tests: TesterLoad + "\n" + testLines(&all)})
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	t.Logf("dev set: %d of %d ok (%.0f%%), %d wrong but ok; routes %v; generate p50 %v, max %v",
		ok, len(tasks), 100*float64(ok)/float64(len(tasks)), wrong, routes, times[len(times)/2], times[len(times)-1])
	if float64(ok) < minDevSuccess*float64(len(tasks)) {
		t.Errorf("success %d of %d, below %.0f%%", ok, len(tasks), 100*minDevSuccess)
	}
	// In gforth: the emitted tests and the unseen examples pass there too.
	bin := gforthtest.Path(t)
	res, err := Gforth{Path: bin}.Run(context.Background(), units)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range res {
		if !u.OK() {
			t.Errorf("%s fails in gforth: %+v\n%s\n%s", units[i].ID, u, units[i].Code, units[i].Tests)
		}
	}
	_ = strings.TrimSpace
}

// TestDevReferences runs every dev task's reference on its examples and
// checks in gforth (genbench's harness, fresh state per example and setup
// run once): the expected values are what gforth does.
func TestDevReferences(t *testing.T) {
	bin := gforthtest.Path(t)
	var subs []genbench.Submission
	for _, task := range readDevSet(t) {
		if task.Reference == "" {
			continue
		}
		var spec map[string]json.RawMessage
		if err := json.Unmarshal(task.Spec, &spec); err != nil {
			t.Fatal(err)
		}
		var exs []json.RawMessage
		if err := json.Unmarshal(spec["examples"], &exs); err != nil {
			t.Fatal(err)
		}
		for _, c := range task.Check {
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			exs = append(exs, b)
		}
		spec["examples"], _ = json.Marshal(exs)
		all, _ := json.Marshal(spec)
		gs, err := genbench.ParseSpec(all)
		if err != nil {
			t.Fatalf("%s: %v", task.ID, err)
		}
		subs = append(subs, genbench.Submission{ID: task.ID, Spec: gs, Code: task.Reference})
	}
	for _, mode := range []genbench.Mode{genbench.Fresh, genbench.Sequential} {
		res, err := genbench.RunGforth(context.Background(), subs, genbench.Options{Gforth: bin, Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if !r.OK() {
				t.Errorf("mode %d: %s: the reference fails in gforth: %v", mode, r.ID, r.Failures())
			}
		}
	}
	t.Logf("%d references pass in gforth", len(subs))
}

// BenchmarkDevSet is the in-process round trip (spec → code → examples
// run in the machine → verified) over the development set: p50-µs is the
// median of the tasks' mean times, max-µs the slowest task's.
func BenchmarkDevSet(b *testing.B) {
	l := Builtin()
	tasks := readDevSet(b)
	specs := make([]*Spec, len(tasks))
	for i, task := range tasks {
		s, err := ParseSpec(task.Spec)
		if err != nil {
			b.Fatal(err)
		}
		specs[i] = s
		l.Generate(s) // warm
	}
	per := make([]time.Duration, len(specs))
	n := 0
	for b.Loop() {
		for i, s := range specs {
			t := time.Now()
			l.Generate(s)
			per[i] += time.Since(t)
		}
		n++
	}
	for i := range per {
		per[i] /= time.Duration(n)
	}
	sort.Slice(per, func(i, j int) bool { return per[i] < per[j] })
	b.ReportMetric(float64(per[len(per)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(per[len(per)-1].Microseconds()), "max-µs")
}
