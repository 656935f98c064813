package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/fastforth/fastforth/internal/gforthtest"
	"github.com/fastforth/fastforth/query"
)

const squareTests = `: sq ( n -- n*n ) dup * ;
T{ 3 sq -> 9 }T
T{ 3 sq -> 8 }T
T{ 2 sq -> 4 5 }T
T{ -2 sq -> 4 }T
`

func TestTestCommand(t *testing.T) {
	dir := tempFiles(t, map[string]string{
		"ok.fs":     ": sq dup * ;\nT{ 3 sq -> 9 }T\nT{ 0 sq -> 0 }T\n",
		"fail.fs":   squareTests,
		"broken.fs": ": x 1 ;\nT{ x -> 1 }T\nfrob\nT{ x -> 1 }T\n",
		"loop.fs":   ": forever begin again ;\nT{ forever -> }T\n",
		"inc.fs":    "include lib/sq.fs\nT{ 4 sq -> 16 }T\n",
		"lib/sq.fs": ": sq dup * ;\nT{ 1 sq -> 1 }T\n",
		"hayes.fs":  ": { T{ ; : } }T ;\n{ 1 2 + -> 3 }\n",
		"floats.fs": "T{ 1e 3e f/ 3e f* -> 1e }T\nT{ 2e fsqrt -> 1.5e }T\n",
		"output.fs": ": hi .\" hello\" ;\nhi\nT{ -> }T\n",
		"notest.fs": ": x ;\n",
	})
	tests := []struct {
		name  string
		args  []string
		code  int
		lines []string // lines the output must contain
	}{
		{"passes", []string{"test", "ok.fs"}, 0, []string{"ok.fs: 2 tests, 0 failed", "2 tests, 2 passed, 0 failed"}},
		{"failures", []string{"test", "fail.fs"}, 1, []string{
			"fail.fs:3: INCORRECT RESULT: expected 8, got 9", "    T{ 3 sq -> 8 }T",
			"fail.fs:4: WRONG NUMBER OF RESULTS: expected 4 5, got 4", "fail.fs: 4 tests, 2 failed"}},
		{"does not load", []string{"test", "broken.fs"}, 1, []string{
			"broken.fs:3:1: error: Undefined word: frob", "broken.fs: 1 test, 0 failed, did not load",
			"1 test, 1 passed, 0 failed, 1 file did not load"}},
		{"step limit", []string{"test", "loop.fs"}, 1, []string{"loop.fs:2:4: error: step limit reached: forever"}},
		{"include", []string{"test", "inc.fs"}, 0, []string{"inc.fs: 2 tests, 0 failed"}},
		{"own tester", []string{"test", "hayes.fs"}, 0, []string{"hayes.fs: 1 test, 0 failed"}},
		{"floats", []string{"test", "floats.fs"}, 1, []string{"floats.fs:2: INCORRECT RESULT: expected F: 1.5, got F: 1.4142135623730951"}},
		{"several files", []string{"test", "ok.fs", "fail.fs"}, 1, []string{"ok.fs: 2 tests", "fail.fs: 4 tests, 2 failed", "6 tests, 4 passed, 2 failed"}},
		{"no tests", []string{"test", "notest.fs"}, 0, []string{"notest.fs: 0 tests, 0 failed"}},
		{"usage: no files", []string{"test"}, 2, nil},
		{"usage: bad flag", []string{"test", "--frob", "ok.fs"}, 2, nil},
		{"usage: missing file", []string{"test", "nothere.fs"}, 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := fastforth(t, dir, tc.args...)
			wantCode(t, r, tc.code)
			for _, l := range tc.lines {
				if !strings.Contains(r.stdout, l) {
					t.Errorf("output lacks %q:\n%s", l, r.stdout)
				}
			}
			if tc.code == 2 && r.stderr == "" {
				t.Error("usage error without a message")
			}
		})
	}
}

func TestTestCommandJSON(t *testing.T) {
	dir := tempFiles(t, map[string]string{"fail.fs": squareTests, "broken.fs": "T{ 1 -> 1 }T\nfrob\n"})
	r := fastforth(t, dir, "test", "--json", "fail.fs", "broken.fs")
	wantCode(t, r, 1)
	var out query.TestResult
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(out.Files) != 2 || out.Files[0].File != "fail.fs" || len(out.Files[0].Tests) != 4 {
		t.Fatalf("files: %+v", out.Files)
	}
	f := out.Files[0]
	if f.Passed != 2 || f.Failed != 2 || f.Error != nil {
		t.Errorf("fail.fs: %+v", f)
	}
	t2 := f.Tests[1]
	if t2.Line != 3 || t2.Pass || t2.Text != "T{ 3 sq -> 8 }T" || t2.Message != "INCORRECT RESULT: expected 8, got 9" || t2.File != "fail.fs" {
		t.Errorf("test 2: %+v", t2)
	}
	e := out.Files[1].Error
	if e == nil || e.Line != 2 || e.Code != -13 || e.Word != "frob" || e.File != "broken.fs" {
		t.Errorf("broken.fs error: %+v", e)
	}
	if s := out.Summary; s.Files != 2 || s.Tests != 5 || s.Passed != 3 || s.Failed != 2 || s.Errors != 1 || s.OK {
		t.Errorf("summary: %+v", s)
	}
	if !strings.Contains(r.stdout, `"text": "T{ 3 sq -> 9 }T"`) {
		t.Errorf("JSON escapes text:\n%s", r.stdout)
	}
}

// TestTestCommandGforth runs the same files in gforth: the verdicts agree.
func TestTestCommandGforth(t *testing.T) {
	gforthtest.Path(t)
	dir := tempFiles(t, map[string]string{"fail.fs": squareTests, "broken.fs": "T{ 1 -> 1 }T\nfrob\n", "ok.fs": "T{ 1 2 + -> 3 }T\n"})
	r := fastforth(t, dir, "test", "--gforth", "ok.fs", "fail.fs", "broken.fs")
	wantCode(t, r, 1)
	for _, l := range []string{"ok.fs: 1 test, 0 failed; gforth: 0 failed, agrees",
		"fail.fs: 4 tests, 2 failed; gforth: 2 failed, agrees",
		"broken.fs: 1 test, 0 failed, did not load; gforth: 0 failed, error: Undefined word (THROW -13), agrees"} {
		if !strings.Contains(r.stdout, l) {
			t.Errorf("output lacks %q:\n%s", l, r.stdout)
		}
	}
	r = fastforth(t, dir, "test", "--gforth", "--json", "ok.fs")
	wantCode(t, r, 0)
	var out query.TestResult
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if g := out.Files[0].Gforth; g == nil || !g.Agrees || out.Files[0].Tests[0].Gforth == nil || !out.Files[0].Tests[0].Gforth.Pass {
		t.Errorf("gforth: %+v", out.Files[0])
	}
}

// TestTestCommandGforthTimeout: a file that loops ends in the machine's
// step limit and in gforth's timeout; the next file is not run in gforth.
func TestTestCommandGforthTimeout(t *testing.T) {
	gforthtest.Path(t)
	dir := tempFiles(t, map[string]string{"loop.fs": ": f begin again ;\nT{ f -> }T\n", "ok.fs": "T{ 1 -> 1 }T\n"})
	r := fastforth(t, dir, "test", "--gforth", "--timeout", "2s", "loop.fs", "ok.fs")
	wantCode(t, r, 1)
	for _, l := range []string{"loop.fs:2:4: error: step limit reached: f",
		"loop.fs: 0 tests, 0 failed, did not load; gforth: 0 failed, error: timed out after 2s, agrees",
		"ok.fs: 1 test, 0 failed; gforth: 0 failed, error: not run, differs"} {
		if !strings.Contains(r.stdout, l) {
			t.Errorf("output lacks %q:\n%s", l, r.stdout)
		}
	}
}

// TestTestCommandGforthOutputCap: a file whose test prints without end is
// stopped in gforth once it printed 1 MiB, long before its timeout.
func TestTestCommandGforthOutputCap(t *testing.T) {
	gforthtest.Path(t)
	dir := tempFiles(t, map[string]string{"loud.fs": ": f begin 1000 spaces again ;\nT{ f -> }T\n"})
	r := fastforth(t, dir, "test", "--gforth", "--timeout", "5m", "loud.fs")
	wantCode(t, r, 1)
	if l := "gforth: 0 failed, error: printed more than 1048576 bytes: stopped"; !strings.Contains(r.stdout, l) {
		t.Errorf("output lacks %q:\n%s", l, r.stdout)
	}
}

// TestTestCommandHayes runs gforth's own tester and Hayes' core tests.
func TestTestCommandHayes(t *testing.T) {
	dir := filepath.Join(gforthtest.Dir(t), "test")
	r := fastforth(t, dir, "test", "tester.fs", "coretest.fs")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "coretest.fs: 639 tests, 0 failed") {
		t.Errorf("%s", r.stdout)
	}
}

// TestTestCommandHostileIncludes: a tested file that includes a device, a
// FIFO or a huge file, or is one, fails that file with a message: the
// run is neither blocked nor out of memory.
func TestTestCommandHostileIncludes(t *testing.T) {
	dir := tempFiles(t, map[string]string{
		"zero.fs": "include /dev/zero\nT{ -> }T\n",
		"pipe.fs": "include p.fs\nT{ -> }T\n",
		"big.fs":  "include huge.fs\nT{ -> }T\n",
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "p.fs"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "huge.fs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(5 << 30); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "link.fs")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, msg string
		code      int
	}{
		// The machine reports any file it cannot include as -38.
		{"zero.fs", "zero.fs: 0 tests, 0 failed, did not load", 1},
		{"pipe.fs", "pipe.fs: 0 tests, 0 failed, did not load", 1},
		{"big.fs", "big.fs: 0 tests, 0 failed, did not load", 1},
		{"link.fs", "special file of the system", 2},
	} {
		r := fastforth(t, dir, "test", c.file)
		wantCode(t, r, c.code)
		if !strings.Contains(r.stdout+r.stderr, c.msg) {
			t.Errorf("%s: output lacks %q:\n%s%s", c.file, c.msg, r.stdout, r.stderr)
		}
	}
}
