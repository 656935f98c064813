package main

// End-to-end tests of `fastforth gen` and `fastforth patterns`: the built
// binary in a workspace whose .fastforth/patterns holds the package's test
// patterns (patterns/testdata), so that the output does not change when
// the builtin library grows. JSON outputs are compared with
// testdata/gen/*.json (timings removed); -update rewrites them.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/gforthtest"
	"github.com/fastforth/fastforth/patterns"
)

// genWorkspace makes a directory with the test patterns as user patterns
// and the given files.
func genWorkspace(t *testing.T, files map[string]string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot, "patterns", "testdata", "basic.forth-patterns"))
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{".fastforth/patterns/basic.forth-patterns": string(src)}
	for k, v := range files {
		all[k] = v
	}
	return tempFiles(t, all)
}

// withoutTimings removes the run-dependent fields of gen --json output.
func withoutTimings(t *testing.T, out string) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	delete(v, "timings")
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b) + "\n"
}

func TestGenGolden(t *testing.T) {
	specs := map[string]struct {
		spec string
		code int
	}{
		"pattern":    {`{"name": "sum-to", "effect": "( n lo -- total )", "pattern": "test-sum-range-001", "description": "Sum the numbers from lo to n-1.", "examples": [{"inputs": [4, 1], "outputs": [6]}], "properties": ["pure"]}`, 0},
		"chosen":     {`{"name": "sq", "effect": "( x -- x*x )", "description": "square x"}`, 0},
		"params":     {`{"name": "fact", "effect": "( hi lo -- n )", "pattern": "test-sum-range-001", "params": {"op": "*", "init": 1}, "examples": [{"inputs": "5 1", "outputs": "24"}]}`, 0},
		"nofit":      {`{"name": "sq", "effect": "( a b -- c )", "description": "square"}`, 1},
		"invalid":    {`{"name": "two words", "effect": "( a -- b | c )", "pattern": "test-sum-range-001", "params": {"init": "x"}, "examples": [{"inputs": "1", "outputs": ""}]}`, 2},
		"unverified": {`{"name": "bad", "effect": "( hi lo -- n )", "pattern": "test-sum-range-001", "params": {"op": "2drop"}}`, 1},
		// JSON-level errors get the same answer, naming the fields.
		"jsonerror": {`{"name": 1, "efect": "x", "params": {"op": []}, "examples": [{"inputs": {}, "outputs": [1], "out": 2}]}`, 2},
	}
	files := map[string]string{}
	for name, s := range specs {
		files[name+".json"] = s.spec
	}
	dir := genWorkspace(t, files)
	for name, s := range specs {
		t.Run(name, func(t *testing.T) {
			// Only the workspace's patterns: the output must not change
			// when the builtin library grows.
			r := fastforth(t, dir, "gen", "--no-builtin", "--json", name+".json")
			wantCode(t, r, s.code)
			compareGolden(t, filepath.Join(repoRoot, "cmd", "fastforth", "testdata", "gen", name+".json"), withoutTimings(t, r.stdout))
			var v map[string]any
			json.Unmarshal([]byte(r.stdout), &v)
			tm, _ := v["timings"].(map[string]any)
			if _, ok := tm["totalMicros"].(float64); !ok {
				t.Errorf("timings missing: %v", v["timings"])
			}
		})
	}
}

func TestGenHuman(t *testing.T) {
	dir := genWorkspace(t, map[string]string{
		"s.json":      `{"name": "sq", "effect": "( n -- n*n )", "pattern": "test-square-001"}`,
		"bad.json":    `{"name": "", "effect": "", "pattern": "nope-001"}`,
		"nofit.json":  `{"name": "sq", "effect": "( a b c -- )", "description": "square"}`,
		"unver.json":  `{"name": "bad", "effect": "( hi lo -- n )", "pattern": "test-sum-range-001", "params": {"op": "2drop"}}`,
		"syntax.json": `{"name": `,
		"typo.json":   `{"name": "x", "efect": "( -- )"}`,
	})
	r := fastforth(t, dir, "gen", "s.json")
	wantCode(t, r, 0)
	want := "\\ From pattern test-square-001\n: sq ( n -- n*n )\n  dup * ;\n\n" + patterns.TesterLoad + "\nT{ 3 sq -> 9 }T\nT{ -4 sq -> 16 }T\n"
	if r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	if !strings.Contains(r.stderr, "verified: sq ( n -- n*n ) (pattern test-square-001)") {
		t.Errorf("stderr %q", r.stderr)
	}
	tests := []struct {
		file string
		code int
		want []string
	}{
		{"bad.json", 2, []string{"bad.json: name: required", "bad.json: effect: required", "bad.json: pattern: no pattern \"nope-001\""}},
		{"nofit.json", 1, []string{"nothing fits sq ( a b c -- )"}},
		{"unver.json", 1, []string{"NOT verified", "loop-not-neutral"}},
		{"syntax.json", 2, []string{"syntax.json: reading the spec"}},
		{"typo.json", 2, []string{`typo.json: reading the spec: efect: unknown field`}},
		{"missing.json", 2, []string{"no such file"}},
	}
	for _, tc := range tests {
		r := fastforth(t, dir, "gen", tc.file)
		wantCode(t, r, tc.code)
		if r.stdout != "" {
			t.Errorf("%s: stdout %q, want nothing (no verified code)", tc.file, r.stdout)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tc.file, w, r.stderr)
			}
		}
	}
	if r := fastforth(t, dir, "gen"); r.code != 2 || !strings.Contains(r.stderr, "usage") {
		t.Errorf("no spec: %+v", r)
	}
}

func TestGenTester(t *testing.T) {
	r := fastforth(t, "", "gen", "--tester")
	wantCode(t, r, 0)
	if r.stdout != patterns.Tester || !strings.Contains(r.stdout, ": T{") {
		t.Errorf("--tester printed %q", r.stdout[:min(80, len(r.stdout))])
	}
}

// TestGenRun runs the generated tests in gforth, the way a user runs the
// saved output: gforth loads it with tester.fs beside it.
func TestGenRun(t *testing.T) {
	gforthtest.Path(t)
	dir := genWorkspace(t, map[string]string{
		"ok.json":   `{"name": "sum-to", "effect": "( hi lo -- sum )", "pattern": "test-sum-range-001", "examples": [{"inputs": "4 1", "outputs": "6"}]}`,
		"fail.json": `{"name": "sum-to", "effect": "( hi lo -- sum )", "pattern": "test-sum-range-001", "examples": [{"inputs": "4 1", "outputs": "7"}]}`,
	})
	r := fastforth(t, dir, "gen", "--run", "ok.json")
	wantCode(t, r, 0)
	for _, w := range []string{"PASS: T{ 4 1 sum-to -> 6 }T", "PASS: T{ 3 3 sum-to -> 0 }T", "3 passed, 0 failed"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}
	// The saved output runs standalone next to the tester.
	tester := fastforth(t, dir, "gen", "--tester")
	writeFiles(t, dir, map[string]string{"tester.fs": tester.stdout, "out.fs": r.stdout + "tests-summary\n"})
	out := gforthtest.Run(t, "include "+filepath.Join(dir, "out.fs")+"\n")
	if !strings.Contains(out, "TESTS: 3 ERRORS: 0") {
		t.Errorf("standalone run: %q", out)
	}

	r = fastforth(t, dir, "gen", "--run", "--json", "fail.json")
	wantCode(t, r, 1)
	var res patterns.GenResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	tr := res.TestResults
	// The example fails in the machine: no code is accepted, so gforth
	// has nothing to run.
	if res.OK || tr == nil || tr.Ran || len(res.Examples) != 1 || res.Examples[0].Message != "expected 7, got 6" {
		t.Errorf("%+v %+v", res, tr)
	}
	r = fastforth(t, dir, "gen", "--run", "fail.json")
	wantCode(t, r, 1)
	if r.stdout != "" || !strings.Contains(r.stderr, "fails the examples") || !strings.Contains(r.stderr, "examples[0]: FAIL: expected 7, got 6") {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
}

// TestGenRunTimeout: a test that never ends is killed after --timeout and
// reported as timed out.
func TestGenRunTimeout(t *testing.T) {
	gforthtest.Path(t)
	dir := genWorkspace(t, map[string]string{
		".fastforth/patterns/spin.forth-patterns": "category: spin\ntitle: S\nsummary: S.\n\npattern: spin-001\nname: Spin\ntags: spin\ndescription: Never ends.\neffect: ( n -- n )\nparam: name name spin the word\ncode:\n: {{.name}} ( n -- n ) begin dup 0< until ;\ntests:\nT{ 1 {{.name}} -> 1 }T\nend\n",
		"spin.json": `{"name": "spin", "effect": "( n -- n )", "pattern": "spin-001", "examples": [{"inputs": "-1", "outputs": "-1"}]}`,
	})
	r := fastforth(t, dir, "gen", "--run", "--json", "--timeout", "1s", "spin.json")
	wantCode(t, r, 1)
	var res patterns.GenResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err, r.stderr)
	}
	tr := res.TestResults
	if tr == nil || len(tr.Tests) != 2 || !tr.Tests[0].Pass || tr.Tests[1].Message != patterns.TimedOut {
		t.Errorf("%+v", tr)
	}
	if r := fastforth(t, dir, "gen", "--run", "--timeout", "0s", "spin.json"); r.code != 2 || !strings.Contains(r.stderr, "--timeout must be positive") {
		t.Errorf("--timeout 0s: %+v", r)
	}
}

func TestGenRunWithoutGforth(t *testing.T) {
	dir := genWorkspace(t, map[string]string{"ok.json": `{"name": "sq", "effect": "( n -- n*n )", "pattern": "test-square-001"}`})
	r := fastforth(t, dir, "gen", "--run", "--gforth", filepath.Join(dir, "no-such-gforth"), "ok.json")
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "tests not run: gforth is not installed") {
		t.Errorf("stderr %q", r.stderr)
	}
}

// TestGenExampleSpec runs the README's example spec against the builtin
// library.
func TestGenExampleSpec(t *testing.T) {
	r := fastforth(t, repoRoot, "gen", "--json", "testdata/examples/spec.json")
	wantCode(t, r, 0)
	var res patterns.GenResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || !res.Verification.Verified || !strings.Contains(res.Code, ": order-desc ( a b -- hi lo )") {
		t.Errorf("%v %s", err, r.stdout)
	}
}

func TestPatternsCLI(t *testing.T) {
	dir := genWorkspace(t, map[string]string{".fastforth/patterns/broken.forth-patterns": "category: x\npattern: x-a-001\nparam: name word\nend\n"})
	r := fastforth(t, dir, "patterns", "list", "--no-builtin", "--json")
	wantCode(t, r, 0)
	compareGolden(t, filepath.Join(repoRoot, "cmd", "fastforth", "testdata", "gen", "patterns-list.json"), r.stdout)
	// A malformed workspace file is reported, precisely, and the rest works.
	if !strings.Contains(r.stderr, "warning: .fastforth/patterns/broken.forth-patterns:3: pattern x-a-001") {
		t.Errorf("stderr %q", r.stderr)
	}
	r = fastforth(t, dir, "patterns", "show", "test-sum-range-001", "--json")
	wantCode(t, r, 0)
	compareGolden(t, filepath.Join(repoRoot, "cmd", "fastforth", "testdata", "gen", "patterns-show.json"), r.stdout)

	r = fastforth(t, dir, "patterns", "search", "--json", "--no-builtin", "sum", "range")
	wantCode(t, r, 0)
	var hits []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &hits); err != nil || len(hits) == 0 || hits[0]["id"] != "test-sum-range-001" || hits[0]["score"] == nil {
		t.Errorf("search: %v %s", err, r.stdout)
	}
	for _, h := range hits {
		for _, k := range []string{"id", "name", "category", "effect", "parameters"} {
			if _, ok := h[k]; !ok {
				t.Errorf("hit %v lacks %s", h["id"], k)
			}
		}
	}

	r = fastforth(t, dir, "patterns", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "testing: Test patterns") || !strings.Contains(r.stdout, "test-square-001") {
		t.Errorf("list: %+v", r)
	}
	r = fastforth(t, dir, "patterns", "show", "test-square-001")
	if r.code != 0 || !strings.Contains(r.stdout, "effect:      ( n -- n*n )") || !strings.Contains(r.stdout, "  : {{.name}} ( n -- n*n )") {
		t.Errorf("show: %+v", r)
	}
	errs := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"patterns", "show", "nope-001"}, 1, "no pattern"},
		{[]string{"patterns", "list", "--category", "nope"}, 2, "no category"},
		{[]string{"patterns", "search"}, 2, "give words"},
		{[]string{"patterns", "frob"}, 2, "unknown subcommand"},
		{[]string{"patterns"}, 2, "usage"},
	}
	for _, e := range errs {
		r := fastforth(t, dir, e.args...)
		if r.code != e.code || !strings.Contains(r.stderr, e.want) {
			t.Errorf("%v: %+v", e.args, r)
		}
	}
}
