package patterns

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/fastforth/fastforth/internal/gforthtest"
	"github.com/fastforth/fastforth/patterns/genbench"
)

func readScratch(t *testing.T) []devTask {
	data, err := os.ReadFile(os.Getenv("SCRATCH"))
	if err != nil {
		t.Skip(err)
	}
	var tasks []devTask
	if err := json.Unmarshal(data, &tasks); err != nil {
		t.Fatal(err)
	}
	return tasks
}

func TestScratchRefs(t *testing.T) {
	bin := gforthtest.Path(t)
	var subs []genbench.Submission
	for _, task := range readScratch(t) {
		var spec map[string]json.RawMessage
		json.Unmarshal(task.Spec, &spec)
		var exs []json.RawMessage
		json.Unmarshal(spec["examples"], &exs)
		for _, c := range task.Check {
			b, _ := json.Marshal(c)
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
	res, err := genbench.RunGforth(context.Background(), subs, genbench.Options{Gforth: bin, Mode: genbench.Fresh})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if !r.OK() {
			t.Errorf("%s: reference fails: %v", r.ID, r.Failures())
		}
	}
}

func TestScratchGen(t *testing.T) {
	l := Builtin()
	ok := 0
	tasks := readScratch(t)
	for _, task := range tasks {
		s, err := ParseSpec(task.Spec)
		if err != nil {
			t.Fatalf("%s: %v", task.ID, err)
		}
		r := l.Generate(s)
		if len(r.Errors) > 0 {
			t.Errorf("%s: spec errors %v", task.ID, r.Errors)
			continue
		}
		if !r.OK {
			t.Logf("FAIL %s: %v", task.ID, r.Verification.Problems)
			if os.Getenv("SCRATCHV") != "" && len(r.Closest) > 0 {
				t.Logf("   closest %s %s", r.Closest[0].ID, r.Closest[0].Why)
			}
			continue
		}
		all := *s
		all.Examples = append(append([]Example{}, s.Examples...), task.Check...)
		set := prepareExamples(&all)
		m, err := set.load(r.Code)
		if err != nil {
			t.Fatalf("%s: %v", task.ID, err)
		}
		if _, passed := set.run(m, true); passed != len(set.cases) {
			t.Errorf("WRONG %s (%s):\n%s", task.ID, r.Route, r.Code)
			continue
		}
		ok++
		t.Logf("ok %s (%s) %s", task.ID, r.Route, codeLine(r.Code))
	}
	t.Logf("scratch: %d of %d", ok, len(tasks))
}

func codeLine(c string) string {
	b, _ := json.Marshal(c)
	if len(b) > 200 {
		b = b[len(b)-200:]
	}
	return string(b)
}
