package genbench

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func bench(t *testing.T, tasks []Task, gen Generator) *BenchReport {
	t.Helper()
	gforth := needGforth(t)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	rep, err := Bench(ctx, tasks, gen, Options{Gforth: gforth})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestBenchReferences runs the benchmark with the references as the
// generator: every task passes, nothing is wrong. With -v it prints the
// report, the form a generator's run takes.
func TestBenchReferences(t *testing.T) {
	tasks := loadTasks(t)
	byName := map[string]string{}
	for _, task := range tasks {
		byName[task.Spec.Name] = task.Reference
	}
	gen := func(spec json.RawMessage) (string, Verdict) {
		s, err := ParseSpec(spec)
		if err != nil {
			t.Errorf("the generator is given a spec that does not parse: %v", err)
		}
		return byName[s.Name], Verdict{OK: true, Route: "reference"}
	}
	rep := bench(t, tasks, gen)
	t.Logf("\n%s", rep)
	if rep.Total.Passed != len(tasks) || rep.Total.PassedOK != len(tasks) || rep.Total.WrongButOK != 0 || rep.Err() != nil {
		t.Errorf("references: %+v", rep.Total)
	}
	if rep.Routes["reference"] != len(tasks) {
		t.Errorf("routes: %v", rep.Routes)
	}
}

// TestBenchCounts checks the tally with a generator that answers right,
// wrong, not at all, wrong but modestly, and panics, in turn.
func TestBenchCounts(t *testing.T) {
	tasks := loadTasks(t)[:20]
	byName := map[string]Task{}
	for _, task := range tasks {
		byName[task.Spec.Name] = task
	}
	gen := func(spec json.RawMessage) (string, Verdict) {
		s, _ := ParseSpec(spec)
		task := byName[s.Name]
		n := 0
		for i := range tasks {
			if tasks[i].ID == task.ID {
				n = i
			}
		}
		switch n % 5 {
		case 0:
			return task.Reference, Verdict{OK: true, Route: "pattern"}
		case 1:
			return ": " + s.Name + " ;", Verdict{OK: true, Route: "synthesized"}
		case 2:
			return "", Verdict{Note: "nothing fits"}
		case 3:
			return ": " + s.Name + " ;", Verdict{Note: "closest"}
		}
		panic("boom")
	}
	rep := bench(t, tasks, gen)
	want := Tally{Tasks: 20, Passed: 4, PassedOK: 4, ReportedOK: 8, WrongButOK: 4, NoCode: 8}
	if rep.Total != want {
		t.Errorf("got %+v, want %+v\n%s", rep.Total, want, rep)
	}
	if err := rep.Err(); err == nil || !strings.Contains(err.Error(), tasks[1].ID) {
		t.Errorf("Err: %v", err)
	}
	s := rep.String()
	for _, w := range []string{"first-attempt success: 4/20 (20.0%)", "wrong but reported ok: 4", "WRONG-BUT-OK", "generator panic: boom", "nothing fits", "pattern 4, synthesized 4"} {
		if !strings.Contains(s, w) {
			t.Errorf("the report has no %q:\n%s", w, s)
		}
	}
	sum := 0
	for _, c := range rep.ByCategory {
		sum += c.Tasks
	}
	if sum != 20 {
		t.Errorf("categories add up to %d", sum)
	}
}

// TestNearMissesFail checks that the examples tell plausible wrong answers
// (off by one, a neighbouring word, a forgotten BASE restore) from right
// ones.
func TestNearMissesFail(t *testing.T) {
	near := map[string][]string{
		"cube":          {": cube ( n -- n3 ) dup * ;"},
		"signum":        {": signum ( n -- -1|0|1 ) 0<> ;", ": signum ( n -- -1|0|1 ) 0< ;"},
		"between?":      {": between? ( n lo hi -- flag ) within ;"},
		"fib":           {": fib ( n -- fib ) 1 1 rot 0 ?do tuck + loop drop ;"},
		"isqrt":         {": isqrt ( u -- root ) 0 begin 1+ dup dup * 2 pick > until nip ;"},
		"wide-product":  {": wide-product ( n1 n2 -- d ) * s>d ;", ": wide-product ( n1 n2 -- d ) um* ;"},
		"d-average":     {": d-average ( d1 d2 -- d3 ) d2/ 2swap d2/ d+ ;"},
		"ud-to-string":  {": ud-to-string ( ud -- c-addr u ) drop 0 <# #s #> ;"},
		"big-factorial": {": big-factorial ( u -- ud ) 1 swap 1+ 1 ?do i * loop 0 ;"},
		"to-base":       {": to-base ( u base -- c-addr u2 ) base ! 0 <# #s #> ;"},
		"parse-hex":     {": parse-hex ( c-addr u -- u2 true | false ) 0 -rot bounds ?do 4 lshift i c@ 32 or dup [char] a < if [char] 0 else 87 then - or loop true ;"},
		"hex-digit":     {": hex-digit ( n -- char ) [char] 0 + ;"},
		"same-sign?":    {": same-sign? ( n1 n2 -- flag ) * 0> ;"},
		"implies":       {": implies ( flag1 flag2 -- flag ) or ;"},
		"bcd-encode":    {": bcd-encode ( u -- u2 ) ;"},
	}
	var subs []Submission
	found := 0
	for _, task := range loadTasks(t) {
		for i, code := range near[task.Spec.Name] {
			subs = append(subs, Submission{ID: task.ID + "." + string(rune('a'+i)), Spec: task.Spec, Code: code})
		}
		if near[task.Spec.Name] != nil {
			found++
		}
	}
	if found != len(near) {
		t.Fatalf("%d of the %d near-miss tasks found", found, len(near))
	}
	for _, r := range run(t, subs, Fresh) {
		if r.OK() {
			t.Errorf("%s: a near miss passes every example", r.ID)
		}
	}
}
