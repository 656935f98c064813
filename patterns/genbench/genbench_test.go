package genbench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const (
	tasksDir   = "../../testdata/genbench/tasks"
	schemaPath = "../spec.schema.json"
)

func loadTasks(t *testing.T) []Task {
	t.Helper()
	tasks, err := Load(tasksDir)
	if err != nil {
		t.Fatal(err)
	}
	return tasks
}

// needGforth returns gforth's path, skipping the test without it (failing
// under CI=true, where it must be installed).
func needGforth(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("gforth")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("gforth is not installed (CI=true)")
		}
		t.Skip("gforth is not installed")
	}
	return p
}

func TestTasksValid(t *testing.T) {
	tasks := loadTasks(t)
	if len(tasks) < 60 {
		t.Errorf("%d tasks, want at least 60", len(tasks))
	}
	perCat := map[string]int{}
	names := map[string]string{}
	numbers := map[string]string{}
	slugs := map[string]string{}
	for _, task := range tasks {
		for _, err := range Validate(task) {
			t.Errorf("%s: %v", task.ID, err)
		}
		perCat[task.Category]++
		if other, dup := names[strings.ToLower(task.Spec.Name)]; dup {
			t.Errorf("%s: name %s is also %s's", task.ID, task.Spec.Name, other)
		}
		names[strings.ToLower(task.Spec.Name)] = task.ID
		num, slug, _ := strings.Cut(task.ID, "-")
		if other, dup := numbers[num]; dup {
			t.Errorf("%s: number %s is also %s's", task.ID, num, other)
		}
		numbers[num] = task.ID
		if other, dup := slugs[slug]; dup {
			t.Errorf("%s: slug %s is also %s's", task.ID, slug, other)
		}
		slugs[slug] = task.ID
	}
	for _, c := range Categories {
		if perCat[c] < 4 {
			t.Errorf("category %s has %d tasks, want at least 4", c, perCat[c])
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	abs, err := filepath.Abs(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	// Compile validates the schema against the draft 2020-12 meta-schema.
	sch, err := c.Compile(abs)
	if err != nil {
		t.Fatalf("spec.schema.json: %v", err)
	}
	return sch
}

func validateJSON(sch *jsonschema.Schema, raw []byte) error {
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

func TestSpecsMatchSchema(t *testing.T) {
	sch := compileSchema(t)
	for _, task := range loadTasks(t) {
		if err := validateJSON(sch, task.SpecJSON); err != nil {
			t.Errorf("%s: %v", task.ID, err)
		}
	}
}

// TestSchemaRejects checks that the schema says no to what spec format v2
// forbids, and that Go's strict reader agrees.
func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	good := `{"name": "sq", "effect": "( n -- n2 )", "examples": [{"inputs": [3], "outputs": [9]}]}`
	if err := validateJSON(sch, []byte(good)); err != nil {
		t.Fatalf("a good spec is rejected: %v", err)
	}
	if _, err := ParseSpec([]byte(good)); err != nil {
		t.Fatalf("ParseSpec rejects a good spec: %v", err)
	}
	bad := map[string]string{
		"unknown field":        `{"name": "sq", "effect": "( n -- n2 )", "helpers": ": x ;"}`,
		"no name":              `{"effect": "( n -- n2 )"}`,
		"no effect":            `{"name": "sq"}`,
		"name with a blank":    `{"name": "s q", "effect": "( n -- n2 )"}`,
		"effect without --":    `{"name": "sq", "effect": "( n n2 )"}`,
		"unknown example key":  `{"name": "sq", "effect": "( n -- n2 )", "examples": [{"inputs": [3], "result": [9]}]}`,
		"outputs and throws":   `{"name": "sq", "effect": "( n -- n2 )", "examples": [{"inputs": [3], "outputs": [9], "throws": -10}]}`,
		"float number":         `{"name": "sq", "effect": "( n -- n2 )", "examples": [{"inputs": [1.5], "outputs": [9]}]}`,
		"bad string object":    `{"name": "sq", "effect": "( n -- n2 )", "examples": [{"inputs": [{"text": "a"}], "outputs": [9]}]}`,
		"string outputs":       `{"name": "sq", "effect": "( n -- n2 )", "examples": [{"inputs": [3], "outputs": "9"}]}`,
		"two-line description": `{"name": "sq", "effect": "( n -- n2 )", "description": "a\nb"}`,
	}
	for what, spec := range bad {
		if err := validateJSON(sch, []byte(spec)); err == nil {
			t.Errorf("%s: the schema accepts %s", what, spec)
		}
	}
	for _, what := range []string{"unknown field", "unknown example key", "float number", "bad string object", "string outputs"} {
		if _, err := ParseSpec([]byte(bad[what])); err == nil {
			t.Errorf("%s: ParseSpec accepts %s", what, bad[what])
		}
	}
}

func TestParseEffect(t *testing.T) {
	cases := []struct {
		in   string
		want Effect
	}{
		{"( n1 n2 -- n3 )", Effect{In: Side{Cells: 2}, Outs: []Side{{Cells: 1}}}},
		{"( addr n x -- index true | false )", Effect{In: Side{Cells: 3}, Outs: []Side{{Cells: 2}, {Cells: 1}}}},
		{"( F: r1 r2 -- r3 )", Effect{In: Side{Floats: 2}, Outs: []Side{{Floats: 1}}}},
		{"( n F: r -- d )", Effect{In: Side{Cells: 1, Floats: 1}, Outs: []Side{{Cells: 2}}}},
		{`( c-addr u "name" -- )`, Effect{In: Side{Cells: 2}, Outs: []Side{{}}}},
		{"( n -- -1|0|1 )", Effect{In: Side{Cells: 1}, Outs: []Side{{Cells: 1}}}},
		{"( i*x xt -- j*x )", Effect{In: Side{Cells: 1}, Outs: []Side{{}}, Variable: true}},
	}
	for _, c := range cases {
		got, err := ParseEffect(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %+v, want %+v", c.in, got, c.want)
		}
	}
	for _, bad := range []string{"n -- n", "( n n )", "( a -- b -- c )"} {
		if _, err := ParseEffect(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestParseValue(t *testing.T) {
	cases := map[string]Value{
		"12":                   {Kind: Int, Int: 12, Text: "12"},
		"-9223372036854775808": {Kind: Int, Int: -9223372036854775808, Text: "-9223372036854775808"},
		"18446744073709551615": {Kind: Int, Int: -1, Text: "18446744073709551615"},
		"'a'":                  {Kind: Char, Int: 97, Text: "'a'"},
		"' '":                  {Kind: Char, Int: 32, Text: "' '"},
		"1.5e0":                {Kind: Float, Text: "1.5e0"},
		"-2e-3":                {Kind: Float, Text: "-2e-3"},
		"buf":                  {Kind: Word, Text: "buf"},
	}
	for in, want := range cases {
		got, err := ParseValue(in)
		if err != nil || got != want {
			t.Errorf("%q: got %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "a b", "'ab'", "1.5", "18446744073709551616"} {
		if _, err := ParseValue(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	var ex Example
	if err := json.Unmarshal([]byte(`{"inputs": "12 'a' buf", "outputs": []}`), &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Inputs) != 3 || !ex.HasOutputs || len(ex.Outputs) != 0 {
		t.Errorf("blank-separated inputs: %+v", ex)
	}
}

func run(t *testing.T, subs []Submission, mode Mode) []TaskResult {
	t.Helper()
	gforth := needGforth(t)
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	res, err := RunGforth(ctx, subs, Options{Gforth: gforth, Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestReferencesPassInGforth is the benchmark's ground truth: every
// reference passes its own examples in gforth, both with a fresh state per
// example (the spec's semantics) and with setup run once for all examples.
func TestReferencesPassInGforth(t *testing.T) {
	tasks := loadTasks(t)
	start := time.Now()
	for _, mode := range []Mode{Fresh, Sequential} {
		for _, r := range run(t, References(tasks), mode) {
			if !r.OK() {
				t.Errorf("%s (mode %d):\n  %s\n%s", r.ID, mode, strings.Join(r.Failures(), "\n  "), r.Output)
			}
			if r.Alone {
				t.Errorf("%s (mode %d): the batch did not report it; it was rerun alone", r.ID, mode)
			}
		}
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %v, want under 30s", d)
	}
}

// TestStubsFail checks that the examples are not vacuous: a definition that
// does nothing fails at least one example of every task.
func TestStubsFail(t *testing.T) {
	tasks := loadTasks(t)
	var subs []Submission
	for _, task := range tasks {
		subs = append(subs, Submission{ID: task.ID, Spec: task.Spec, Code: ": " + task.Spec.Name + " ;\n"})
	}
	for _, r := range run(t, subs, Fresh) {
		if r.OK() {
			t.Errorf("%s: a do-nothing %s passes every example", r.ID, r.ID)
		}
	}
}

// TestHarnessReportsMismatches runs deliberately wrong code through the
// harness and checks each kind of mismatch is reported as such.
func TestHarnessReportsMismatches(t *testing.T) {
	spec := func(js string) Spec {
		s, err := ParseSpec([]byte(js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	subs := []Submission{
		{ID: "cells", Code: ": w ( n -- n2 ) 2 + ;", Spec: spec(`{"name": "w", "effect": "( n -- n2 )", "examples": [
			{"inputs": [3], "outputs": [5]}, {"inputs": [3], "outputs": [6]}, {"inputs": [3], "outputs": [5, 5]}]}`)},
		{ID: "strings", Code: ": w ( c-addr u -- c-addr u ) ;", Spec: spec(`{"name": "w", "effect": "( c-addr u -- c-addr u )", "examples": [
			{"inputs": [{"string": "a\"b\\c\n"}], "outputs": [{"string": "a\"b\\c\n"}]}, {"inputs": [{"string": "ab"}], "outputs": [{"string": "ba"}]}]}`)},
		{ID: "printed", Code: ": w ( -- ) .\" hi\" 42 . ;", Spec: spec(`{"name": "w", "effect": "( -- )", "examples": [
			{"inputs": [], "outputs": [], "printed": "hi42 "}, {"inputs": [], "outputs": [], "printed": "hi 42"}]}`)},
		{ID: "throws", Code: ": w ( n -- ) if -10 throw then ;", Spec: spec(`{"name": "w", "effect": "( n -- )", "examples": [
			{"inputs": [1], "throws": -10}, {"inputs": [0], "throws": -10}, {"inputs": [1], "outputs": []}, {"inputs": [1], "throws": -11}]}`)},
		{ID: "floats", Code: ": w ( F: r -- r2 ) 2e0 f* ;", Spec: spec(`{"name": "w", "effect": "( F: r -- r2 )", "examples": [
			{"inputs": ["1.5e0"], "outputs": ["3.0000000001e0"]}, {"inputs": ["1.5e0"], "outputs": ["3.1e0"]}]}`)},
		{ID: "parse", Code: ": w ( \"name\" -- ) create 7 , does> @ ;", Spec: spec(`{"name": "w", "effect": "( \"name\" -- )", "setup": "variable v 5 v !", "examples": [
			{"inputs": [], "outputs": [7, 5], "parse": "seven", "after": "seven v @"}, {"inputs": [], "outputs": [8], "parse": "eight", "after": "eight"}]}`)},
		{ID: "broken", Code: ": w ( -- ) undefined-word-here ;", Spec: spec(`{"name": "w", "effect": "( -- )", "examples": [{"inputs": [], "outputs": []}]}`)},
		{ID: "unfinished", Code: ": w ( -- ) 1", Spec: spec(`{"name": "w", "effect": "( -- n )", "examples": [{"inputs": [], "outputs": [1]}]}`)},
		{ID: "fine", Code: ": w ( -- n ) 1 ;", Spec: spec(`{"name": "w", "effect": "( -- n )", "examples": [{"inputs": [], "outputs": [1]}]}`)},
	}
	want := map[string][]string{
		"cells":      {"", "cell 0: expected 6 got 5", "stack: expected 2 cells but got (stack: 5)"},
		"strings":    {"", `string at cell 0: expected "ba" got "ab"`},
		"printed":    {"", `printed: expected "hi 42" got "hi42 "`},
		"throws":     {"", "expected THROW -10 but the word returned normally", "unexpected THROW -10", "expected THROW -11 but got THROW -10"},
		"floats":     {"", "float 0: expected 3.1 got 3."},
		"parse":      {"", "cell 0: expected 8 got 7"},
		"broken":     {"no result"},
		"unfinished": {"no result"},
		"fine":       {""},
	}
	for _, mode := range []Mode{Fresh, Sequential} {
		res := run(t, subs, mode)
		for _, r := range res {
			w := want[r.ID]
			if len(r.Examples) != len(w) {
				t.Errorf("%s: %d results, want %d", r.ID, len(r.Examples), len(w))
				continue
			}
			for i, e := range r.Examples {
				switch {
				case w[i] == "" && !e.OK:
					t.Errorf("%s example %d (mode %d): failed: %s\n%s", r.ID, i, mode, e.Message, r.Output)
				case w[i] != "" && (e.OK || !strings.Contains(e.Message, w[i])):
					t.Errorf("%s example %d (mode %d): got ok=%v %q, want a failure with %q", r.ID, i, mode, e.OK, e.Message, w[i])
				}
			}
		}
		for _, r := range res {
			if r.ID == "broken" && !strings.Contains(r.Output, "Undefined word") {
				t.Errorf("broken: gforth's error is not in the output: %q", r.Output)
			}
		}
	}
}

// TestCheckWithCallback runs the standalone program through a RunFunc.
func TestCheckWithCallback(t *testing.T) {
	gforth := needGforth(t)
	tasks := loadTasks(t)
	runFile := func(ctx context.Context, program string) (string, error) {
		f := filepath.Join(t.TempDir(), "p.fs")
		if err := os.WriteFile(f, []byte(program), 0o644); err != nil {
			return "", err
		}
		out, err := exec.CommandContext(ctx, gforth, f).Output()
		if _, exit := err.(*exec.ExitError); exit {
			err = nil
		}
		return string(out), err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, task := range tasks[:3] {
		r, err := Check(ctx, runFile, References([]Task{task})[0], Fresh)
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK() {
			t.Errorf("%s: %v\n%s", task.ID, r.Failures(), r.Output)
		}
	}
}

// TestTaskFilesAreCanonical keeps the task files in one layout: names match
// the NNN-slug pattern and each file ends with a newline.
func TestTaskFilesAreCanonical(t *testing.T) {
	entries, err := os.ReadDir(tasksDir)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^[0-9]{3}-[a-z0-9-]+\.json$`)
	for _, e := range entries {
		if !re.MatchString(e.Name()) {
			t.Errorf("%s: not NNN-slug.json", e.Name())
			continue
		}
		b, err := os.ReadFile(filepath.Join(tasksDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(string(b), "\n") {
			t.Errorf("%s: no final newline", e.Name())
		}
	}
}

// TestHangIsTimedOut checks that a word that never returns costs a time-out,
// not the run: the tasks after it are rerun alone and still judged.
func TestHangIsTimedOut(t *testing.T) {
	gforth := needGforth(t)
	spec, err := ParseSpec([]byte(`{"name": "w", "effect": "( -- n )", "examples": [{"inputs": [], "outputs": [1]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	subs := []Submission{
		{ID: "hang", Spec: spec, Code: ": w ( -- n ) begin again ;"},
		{ID: "fine", Spec: spec, Code: ": w ( -- n ) 1 ;"},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := RunGforth(ctx, subs, Options{Gforth: gforth, BatchTimeout: time.Second, TaskTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r := res[0]; r.OK() || !strings.Contains(r.Examples[0].Message, "timed out") {
		t.Errorf("hang: %+v", r)
	}
	if r := res[1]; !r.OK() || !r.Alone {
		t.Errorf("fine: %+v", r)
	}
}
