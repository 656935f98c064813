package main

// End-to-end tests of the fastforth command: the real binary, built once in
// TestMain, run with os/exec. They pin down the command-line contract of
// README.md: the human output format, the JSON shapes, the exit codes and
// the file selection.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// binary is the fastforth executable built by TestMain.
var binary string

// repoRoot is the module root (golden tests run the binary there so that
// paths in the output are relative).
var repoRoot string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "fastforth-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "fastforth")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	build := exec.Command(goTool, "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building fastforth:", err)
		return 2
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	repoRoot = filepath.Clean(filepath.Join(wd, "..", ".."))
	return m.Run()
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// fastforth runs the binary in dir (the test's package directory when
// empty) with args.
func fastforth(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("running fastforth %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return result{out.String(), errb.String(), code}
}

// writeFiles creates files (path relative to dir -> content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// tempFiles makes a temporary directory holding files.
func tempFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	return dir
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// lines splits output into lines, without the final empty one.
func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// humanLine is the documented `check` line: file:line:col: severity: message [code].
var humanLine = regexp.MustCompile(`^(.+):([0-9]+):([0-9]+): (error|warning|information|hint): (.+) \[([a-z-]+)\]$`)

// documentedCodes are the codes of README's diagnostics table, with the
// severity each is reported with.
var documentedCodes = map[string][]string{
	"undefined-word":             {"error"},
	"effect-mismatch":            {"error"},
	"unbalanced-branches":        {"error"},
	"loop-not-neutral":           {"error"},
	"unbalanced-control":         {"error"},
	"unterminated":               {"error"},
	"return-stack":               {"error"},
	"stack-underflow":            {"error"},
	"bad-escape":                 {"error"},
	"recurse-outside-definition": {"error"},
	"redefined":                  {"warning", "information"},
	"compile-only":               {"warning"},
	"bad-stack-comment":          {"warning"},
	"include-not-found":          {"warning"},
	"missing-stack-comment":      {"hint"},
}

const cleanSrc = `\ a clean file
: square ( n -- n*n )  dup * ;
: cube ( n -- n^3 )  dup square * ;
`

// mistakesSrc has one error per line 2..5 and a word without a comment.
const mistakesSrc = `\ mistakes
: wrong ( a b -- c )  over + ;
: typo ( -- )  1 2 swp drop drop ;
: leaky ( n -- )  >r ;
: lopsided ( n -- n )  dup 0< if negate dup then ;
: no-comment  2* ;
`

func TestCheckCleanFile(t *testing.T) {
	dir := tempFiles(t, map[string]string{"clean.fs": cleanSrc})
	r := fastforth(t, dir, "check", "clean.fs")
	wantCode(t, r, 0)
	if r.stdout != "" || r.stderr != "" {
		t.Errorf("clean file: stdout %q, stderr %q; want both empty", r.stdout, r.stderr)
	}
	r = fastforth(t, dir, "check", "--json", "clean.fs")
	wantCode(t, r, 0)
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("check --json on a clean file printed %q, want []", r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("stderr %q", r.stderr)
	}
}

// The command line takes as many paths as the user names (a shell glob):
// the bound on the paths of one request is for clients of mcp and serve.
func TestCheckManyPaths(t *testing.T) {
	files := map[string]string{}
	var args []string
	for i := range 100 {
		name := fmt.Sprintf("f%d.fs", i)
		files[name] = fmt.Sprintf(": w%d ( -- n ) %d ;\n", i, i)
		args = append(args, name)
	}
	dir := tempFiles(t, files)
	for _, cmd := range []string{"check", "infer"} {
		r := fastforth(t, dir, append([]string{cmd}, args...)...)
		wantCode(t, r, 0)
		if r.stderr != "" {
			t.Errorf("%s of 100 files: stderr %q", cmd, r.stderr)
		}
	}
}

func TestCheckHumanFormat(t *testing.T) {
	dir := tempFiles(t, map[string]string{"m.fs": mistakesSrc})
	r := fastforth(t, dir, "check", "m.fs")
	wantCode(t, r, 1)
	if r.stderr != "" {
		t.Errorf("stderr %q", r.stderr)
	}
	want := []string{
		"m.fs:2:9: error: declared ( a b -- c ) but the body does ( a b -- a x1 ) [effect-mismatch]",
		"m.fs:3:20: error: undefined word swp [undefined-word]",
		"m.fs:4:22: error: return stack not balanced at the end of the definition: 1 item(s) left on it [return-stack]",
		"m.fs:5:45: error: the paths that meet at THEN leave different stacks: ( n -- x1 x1 ) and ( n -- n ) [unbalanced-branches]",
	}
	got := lines(r.stdout)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("check output:\n%s\nwant:\n%s", r.stdout, strings.Join(want, "\n"))
	}
	for _, l := range got {
		if !humanLine.MatchString(l) {
			t.Errorf("line does not have the form file:line:col: severity: message [code]: %q", l)
		}
	}
}

// TestCheckWarningsOnly: warnings and information do not make check fail.
func TestCheckWarningsOnly(t *testing.T) {
	dir := tempFiles(t, map[string]string{"w.fs": ": twice ( -- ) ;\n: twice ( -- ) ;\ninclude missing.fs\n: dup ( x -- x x ) dup ;\n"})
	r := fastforth(t, dir, "check", "w.fs")
	wantCode(t, r, 0)
	got := lines(r.stdout)
	if len(got) != 3 {
		t.Fatalf("want 3 diagnostics, got:\n%s", r.stdout)
	}
	for i, want := range []string{"w.fs:2:3: warning:", "w.fs:3:9: warning:", "w.fs:4:3: information:"} {
		if !strings.HasPrefix(got[i], want) {
			t.Errorf("line %d = %q, want prefix %q", i, got[i], want)
		}
	}
}

func TestCheckHints(t *testing.T) {
	dir := tempFiles(t, map[string]string{"h.fs": ": no-comment  2* ;\n: commented ( n -- n' ) 2* ;\n"})
	r := fastforth(t, dir, "check", "h.fs")
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("without --hints: %q, want no output", r.stdout)
	}
	r = fastforth(t, dir, "check", "--hints", "h.fs")
	wantCode(t, r, 0) // hints are not errors
	want := "h.fs:1:3: hint: no-comment has no stack comment; inferred ( x -- x2 ) [missing-stack-comment]\n"
	if r.stdout != want {
		t.Errorf("with --hints:\n%q\nwant\n%q", r.stdout, want)
	}
	// JSON: hints only with --hints.
	for _, hints := range []bool{false, true} {
		args := []string{"check", "--json"}
		if hints {
			args = append(args, "--hints")
		}
		diags := checkJSON(t, fastforth(t, dir, append(args, "h.fs")...))
		n := 0
		for _, d := range diags {
			if d["severity"] == "hint" {
				n++
			}
		}
		if hints && n != 1 || !hints && n != 0 {
			t.Errorf("check %v: %d hints", args, n)
		}
	}
}

// checkJSON parses `check --json` output, checking its documented shape.
func checkJSON(t *testing.T, r result) []map[string]any {
	t.Helper()
	if r.stderr != "" {
		t.Errorf("stderr %q", r.stderr)
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("check --json output is not a JSON array of objects: %v\n%s", err, r.stdout)
	}
	if raw == nil {
		t.Fatalf("check --json printed %q; want an array, never null", r.stdout)
	}
	keys := []string{"code", "column", "endColumn", "endLine", "file", "line", "message", "severity"}
	var out []map[string]any
	for i, obj := range raw {
		var got []string
		for k := range obj {
			got = append(got, k)
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(keys, ",") {
			t.Errorf("diagnostic %d has keys %v, want exactly %v", i, got, keys)
		}
		d := map[string]any{}
		for _, k := range []string{"file", "severity", "code", "message"} {
			var s string
			if err := json.Unmarshal(obj[k], &s); err != nil || s == "" {
				t.Errorf("diagnostic %d: %s = %s, want a non-empty string", i, k, obj[k])
			}
			d[k] = s
		}
		for _, k := range []string{"line", "column", "endLine", "endColumn"} {
			var n int
			if err := json.Unmarshal(obj[k], &n); err != nil || n < 1 {
				t.Errorf("diagnostic %d: %s = %s, want an integer >= 1", i, k, obj[k])
			}
			d[k] = n
		}
		sev, code := d["severity"].(string), d["code"].(string)
		if sevs, ok := documentedCodes[code]; !ok {
			t.Errorf("diagnostic %d: undocumented code %q", i, code)
		} else if !contains(sevs, sev) {
			t.Errorf("diagnostic %d: code %s with severity %s, README says %v", i, code, sev, sevs)
		}
		if d["endLine"].(int) < d["line"].(int) || d["endLine"] == d["line"] && d["endColumn"].(int) < d["column"].(int) {
			t.Errorf("diagnostic %d ends before it starts: %v", i, d)
		}
		out = append(out, d)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestCheckJSON(t *testing.T) {
	dir := tempFiles(t, map[string]string{"m.fs": mistakesSrc})
	r := fastforth(t, dir, "check", "--json", "--hints", "m.fs")
	wantCode(t, r, 1)
	diags := checkJSON(t, r)
	want := []map[string]any{
		{"file": "m.fs", "line": 2, "column": 9, "endLine": 2, "endColumn": 21, "severity": "error", "code": "effect-mismatch",
			"message": "declared ( a b -- c ) but the body does ( a b -- a x1 )"},
		{"file": "m.fs", "line": 3, "column": 20, "endLine": 3, "endColumn": 23, "severity": "error", "code": "undefined-word",
			"message": "undefined word swp"},
		{"file": "m.fs", "line": 4, "column": 22, "endLine": 4, "endColumn": 23, "severity": "error", "code": "return-stack",
			"message": "return stack not balanced at the end of the definition: 1 item(s) left on it"},
		{"file": "m.fs", "line": 5, "column": 45, "endLine": 5, "endColumn": 49, "severity": "error", "code": "unbalanced-branches",
			"message": "the paths that meet at THEN leave different stacks: ( n -- x1 x1 ) and ( n -- n )"},
		{"file": "m.fs", "line": 6, "column": 3, "endLine": 6, "endColumn": 13, "severity": "hint", "code": "missing-stack-comment",
			"message": "no-comment has no stack comment; inferred ( x -- x2 )"},
	}
	if len(diags) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(diags), len(want), r.stdout)
	}
	for i := range want {
		if fmt.Sprint(diags[i]) != fmt.Sprint(want[i]) {
			t.Errorf("diagnostic %d:\n got %v\nwant %v", i, diags[i], want[i])
		}
	}
	// The human output reports the same diagnostics in the same order.
	h := lines(fastforth(t, dir, "check", "--hints", "m.fs").stdout)
	if len(h) != len(diags) {
		t.Fatalf("human output has %d lines, JSON %d diagnostics", len(h), len(diags))
	}
	for i, d := range diags {
		wantLine := fmt.Sprintf("%s:%d:%d: %s: %s [%s]", d["file"], d["line"], d["column"], d["severity"], d["message"], d["code"])
		if h[i] != wantLine {
			t.Errorf("human line %d = %q, JSON says %q", i, h[i], wantLine)
		}
	}
}

// TestCheckPositions: columns count bytes, lines are 1-based whatever the
// line terminators.
func TestCheckPositions(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"lf", "\\ x\n: f ( -- ) zork ;\n", "2:12"},
		{"crlf", "\\ x\r\n: f ( -- ) zork ;\r\n", "2:12"},
		{"cr", "\\ x\r: f ( -- ) zork ;\r", "2:12"},
		{"utf-8", "\\ é\n: é ( -- ) ééé zork ;\n", "2:20"},
		{"tab", "\t: f ( -- )\tzork ;", "1:13"},
		{"no final newline", ": f ( -- ) zork ;", "1:12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tempFiles(t, map[string]string{"p.fs": tc.src})
			r := fastforth(t, dir, "check", "p.fs")
			got := lines(r.stdout)
			var undefined []string
			for _, l := range got {
				if strings.HasSuffix(l, "[undefined-word]") {
					undefined = append(undefined, l)
				}
			}
			if len(undefined) == 0 || !strings.HasPrefix(undefined[len(undefined)-1], "p.fs:"+tc.want+": error: undefined word zork") {
				t.Errorf("got %q, want an undefined-word error for zork at %s", r.stdout, tc.want)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	dir := tempFiles(t, map[string]string{"clean.fs": cleanSrc})
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string // a substring of the message
	}{
		{"no arguments", nil, "usage: fastforth"},
		{"unknown command", []string{"frobnicate", "clean.fs"}, `unknown command "frobnicate"`},
		{"check without paths", []string{"check"}, "no files or directories given"},
		{"infer without paths", []string{"infer"}, "no files or directories given"},
		{"check --json without paths", []string{"check", "--json"}, "no files or directories given"},
		{"unknown flag", []string{"check", "--bogus", "clean.fs"}, "flag provided but not defined: -bogus"},
		{"--hints is check only", []string{"infer", "--hints", "clean.fs"}, "flag provided but not defined: -hints"},
		{"-I without a directory", []string{"check", "-I"}, "flag needs an argument: -I"},
		{"check missing file", []string{"check", "missing.fs"}, "missing.fs"},
		{"infer missing file", []string{"infer", "missing.fs"}, "missing.fs"},
		{"missing file among good ones", []string{"check", "clean.fs", "missing.fs"}, "missing.fs"},
		{"missing directory", []string{"check", "no/such/dir"}, "no/such/dir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fastforth(t, dir, tc.args...)
			wantCode(t, r, 2)
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tc.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

// TestMissingFileJSON: a usage or I/O error prints nothing on stdout, with
// --json too.
func TestMissingFileJSON(t *testing.T) {
	dir := t.TempDir()
	for _, cmd := range []string{"check", "infer"} {
		r := fastforth(t, dir, cmd, "--json", "missing.fs")
		wantCode(t, r, 2)
		if r.stdout != "" {
			t.Errorf("%s --json missing.fs: stdout %q, want nothing", cmd, r.stdout)
		}
		if !strings.Contains(r.stderr, "missing.fs") {
			t.Errorf("%s --json missing.fs: stderr %q", cmd, r.stderr)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	// The version names the module version and, when the toolchain
	// recorded one in the binary, the VCS revision it was built from.
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goTool, "version", "-m", binary).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	rev := regexp.MustCompile(`(?m)^\s*build\s+vcs\.revision=(\S+)$`).FindSubmatch(out)
	for _, arg := range []string{"version", "--version"} {
		r := fastforth(t, "", arg)
		wantCode(t, r, 0)
		if !regexp.MustCompile(`^fastforth \S+ .*go1\.\S+\n$`).MatchString(r.stdout) || r.stderr != "" {
			t.Errorf("%s: stdout %q stderr %q", arg, r.stdout, r.stderr)
		}
		if rev != nil && !strings.Contains(r.stdout, "revision "+string(rev[1])) {
			t.Errorf("%s: %q lacks the revision %s that go version -m shows", arg, r.stdout, rev[1])
		}
		if rev == nil && !strings.Contains(r.stdout, "no VCS revision recorded") {
			t.Errorf("%s: %q does not say that no revision was recorded", arg, r.stdout)
		}
	}
	for _, arg := range []string{"help", "-h", "--help"} {
		r := fastforth(t, "", arg)
		wantCode(t, r, 0)
		for _, want := range []string{"usage: fastforth", "check [--json] [--hints] [ANALYSIS FLAGS] PATH...", "infer [--json] [ANALYSIS FLAGS] PATH...", "version", "help [COMMAND]", ".fs .fth .4th .f .forth .fr .fb"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s: usage %q lacks %q", arg, r.stdout, want)
			}
		}
		if r.stderr != "" {
			t.Errorf("%s: stderr %q", arg, r.stderr)
		}
	}
}

// TestUsageListsAnalysisFlags: the top-level usage names every flag that
// check and lsp take.
func TestUsageListsAnalysisFlags(t *testing.T) {
	usage := fastforth(t, "", "help").stdout
	for _, cmd := range []string{"check", "infer", "lsp"} {
		r := fastforth(t, "", cmd, "--help")
		wantCode(t, r, 0)
		for _, m := range regexp.MustCompile(`(?m)^  (-[a-zA-Z-]+)`).FindAllStringSubmatch(r.stdout, -1) {
			flag := m[1]
			switch flag {
			case "-stdio", "-log", "-demo", "-clientProcessId":
				continue // the server's own, in its synopsis
			}
			if len(flag) > 2 {
				flag = "-" + flag // documented as --name
			}
			if !strings.Contains(usage, flag+" ") {
				t.Errorf("the usage does not list %s's flag %s:\n%s", cmd, flag, usage)
			}
		}
	}
}

// TestCommandHelp: every command answers --help, -h and "fastforth help
// CMD" with its synopsis on stdout and status 0.
func TestCommandHelp(t *testing.T) {
	for _, c := range []struct{ cmd, synopsis string }{
		{"check", "usage: fastforth check [--json] [--hints] [ANALYSIS FLAGS] PATH..."},
		{"infer", "usage: fastforth infer [--json] [ANALYSIS FLAGS] PATH..."},
		{"init", "usage: fastforth init [--force] [--print] [DIR]"},
		{"lsp", "usage: fastforth lsp [--stdio] [--log FILE] [--demo FILE]"},
		{"gen", "usage: fastforth gen [--json] [--run | --gforth PATH]"},
		{"test", "usage: fastforth test [--json] [--gforth]"},
		{"patterns", "fastforth patterns list [--json]"},
		{"version", "usage: fastforth version"},
		{"help", "usage: fastforth help [COMMAND]"},
		{"mcp", "usage: fastforth mcp [--http ADDR"},
		{"serve", "usage: fastforth serve [--addr 127.0.0.1:8080]"},
		{"bench", "usage: fastforth bench agent [--iterations N]"},
	} {
		for _, args := range [][]string{{c.cmd, "--help"}, {c.cmd, "-h"}, {"help", c.cmd}} {
			if c.cmd == "help" && args[1] == "-h" {
				continue
			}
			r := fastforth(t, "", args...)
			if r.code != 0 || !strings.Contains(r.stdout, c.synopsis) || r.stderr != "" {
				t.Errorf("fastforth %s: status %d, stdout %q, stderr %q; want status 0 and %q", strings.Join(args, " "), r.code, r.stdout, r.stderr, c.synopsis)
			}
		}
	}
	r := fastforth(t, "", "help", "frobnicate")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("help frobnicate: %q", r.stderr)
	}
	// A bad flag: the message and the command's help on stderr, status 2.
	r = fastforth(t, "", "check", "--bogus", "x.fs")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "flag provided but not defined: -bogus") || !strings.Contains(r.stderr, "usage: fastforth check") || r.stdout != "" {
		t.Errorf("check --bogus: %+v", r)
	}
}

// TestFlagsAfterPaths: flags may follow the paths, and "--" ends them.
func TestFlagsAfterPaths(t *testing.T) {
	dir := tempFiles(t, map[string]string{"a.fs": ": f ( -- ) swp ;\n", "-b.fs": ": g ( -- ) 1 ;\n"})
	before := fastforth(t, dir, "check", "--json", "a.fs")
	after := fastforth(t, dir, "check", "a.fs", "--json")
	wantCode(t, after, 1)
	if after.stdout != before.stdout || !strings.HasPrefix(after.stdout, "[") {
		t.Errorf("check a.fs --json printed %q, want %q", after.stdout, before.stdout)
	}
	r := fastforth(t, dir, "infer", "a.fs", "--json", "--dialect", "standard")
	wantCode(t, r, 0)
	if !strings.HasPrefix(r.stdout, "[") {
		t.Errorf("infer a.fs --json: %q", r.stdout)
	}
	r = fastforth(t, dir, "check", "a.fs", "--", "-b.fs")
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "-b.fs:1:") {
		t.Errorf("check a.fs -- -b.fs: %+v", r)
	}
}

// TestGenEmptySpec: a spec with nothing in it says so.
func TestGenEmptySpec(t *testing.T) {
	dir := tempFiles(t, map[string]string{"empty.json": "", "object.json": "{}\n", "blank.json": "  \n"})
	for _, name := range []string{"empty.json", "object.json", "blank.json"} {
		r := fastforth(t, dir, "gen", name)
		wantCode(t, r, 2)
		if !strings.Contains(r.stderr, name+": the spec is empty") || r.stdout != "" {
			t.Errorf("gen %s: %+v", name, r)
		}
	}
}

// TestDirectories: a directory is searched recursively for the documented
// extensions, and only those.
func TestDirectories(t *testing.T) {
	searched := []string{"a.fs", "b.fth", "c.4th", "d.f", "e.forth", "f.fr", "g.fb", "sub/h.fs", "sub/deeper/i.fth"}
	ignored := []string{"k.txt", "l.fs~", "m.fs.bak", "n.c", "fs", "sub/o.fsx", "p.ff", "q.fsh", "sub/README"}
	files := map[string]string{}
	for _, name := range append(append([]string{}, searched...), ignored...) {
		// each file reports one undefined word named after the file
		files[name] = ": w ( -- ) undefined-in-" + strings.NewReplacer("/", "-", ".", "-").Replace(name) + " ;\n"
	}
	dir := tempFiles(t, files)
	r := fastforth(t, dir, "check", "--json", ".")
	wantCode(t, r, 1)
	var got []string
	for _, d := range checkJSON(t, r) {
		got = append(got, filepath.ToSlash(filepath.Clean(d["file"].(string))))
	}
	sort.Strings(got)
	want := append([]string{}, searched...)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files checked:\n%v\nwant\n%v", got, want)
	}
	// A file named explicitly is checked whatever its extension.
	r = fastforth(t, dir, "check", "k.txt")
	wantCode(t, r, 1)
	if !strings.HasPrefix(r.stdout, "k.txt:1:12: error: undefined word undefined-in-k-txt") {
		t.Errorf("explicit k.txt: %q", r.stdout)
	}
	// Several paths: each is reported under the name it was reached by.
	r = fastforth(t, dir, "check", "sub", "a.fs")
	wantCode(t, r, 1)
	var names []string
	for _, l := range lines(r.stdout) {
		names = append(names, filepath.ToSlash(l[:strings.Index(l, ":")]))
	}
	sort.Strings(names)
	if strings.Join(names, " ") != "a.fs sub/deeper/i.fth sub/h.fs" {
		t.Errorf("check sub a.fs reported %v", names)
	}
	// A directory without Forth files is a usage error that says so.
	empty := t.TempDir()
	r = fastforth(t, empty, "check", ".")
	wantCode(t, r, 2)
	if r.stdout != "" || !strings.Contains(r.stderr, "no Forth files in .") {
		t.Errorf("empty directory: %+v", r)
	}
}

// TestIncludeDirs: -I directories resolve includes, after the including
// file's own directory.
func TestIncludeDirs(t *testing.T) {
	dir := tempFiles(t, map[string]string{
		"src/main.fs":       "include mylib.fs\nrequire myother.fs\n: main ( n -- n' )  lib-word other-word ;\n",
		"lib/mylib.fs":      ": lib-word ( n -- n' )  1+ ;\n",
		"lib2/myother.fs":   ": other-word ( n -- n' )  2* ;\n",
		"src/local.fs":      ": local-word ( n -- n' ) 1- ;\n",
		"lib/local.fs":      ": wrong-local-word ( -- ) ;\n",
		"src/uses-local.fs": "include local.fs\n: m ( n -- n' ) local-word ;\n",
	})
	src := filepath.Join("src", "main.fs")

	r := fastforth(t, dir, "check", src)
	// No version-control root: the project is src/ alone, which does not
	// define lib-word; the include it cannot find may, so that is a
	// warning, and so is the missing include.
	wantCode(t, r, 0)
	for _, want := range []string{"include-not-found", "undefined word lib-word (unless mylib.fs defined it: that file was not found)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("without -I: output lacks %q:\n%s", want, r.stdout)
		}
	}

	r = fastforth(t, dir, "check", "-I", "lib", "-I", "lib2", src)
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("with -I lib -I lib2: %s", r.stdout)
	}
	r = fastforth(t, dir, "check", "-I", "lib", src)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "myother.fs") || strings.Contains(r.stdout, "mylib.fs") {
		t.Errorf("with -I lib only: %s", r.stdout)
	}
	// The including file's directory comes first.
	r = fastforth(t, dir, "check", "-I", "lib", filepath.Join("src", "uses-local.fs"))
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("local include: %s", r.stdout)
	}
	// infer takes -I too.
	defs := inferJSON(t, fastforth(t, dir, "infer", "--json", "-I", "lib", "-I", "lib2", src))
	if len(defs) != 1 || defs[0]["status"] != "verified" {
		t.Errorf("infer -I: %v", defs)
	}
}

const inferSrc = `: square ( n -- n*n )  dup * ;
: wrong ( a b -- c )  over + ;
: double-it  2* ;
: typo ( -- )  swp ;
: run ( xt -- )  execute ;
: arr ( n "name" -- )  create cells allot does> ( i -- addr )  swap cells + ;
:noname ( a -- )  drop ; drop
: f2 ( F: r -- r r )  fdup ;
: die ( -- )  true abort" never" ;
`

func TestInferHuman(t *testing.T) {
	dir := tempFiles(t, map[string]string{"i.fs": inferSrc})
	r := fastforth(t, dir, "infer", "i.fs")
	wantCode(t, r, 0) // infer does not fail on errors
	if r.stderr != "" {
		t.Errorf("stderr %q", r.stderr)
	}
	want := []string{
		"i.fs:1:3: square declared ( n -- n*n ) inferred ( n -- n*n ): verified",
		"i.fs:2:3: wrong declared ( a b -- c ) inferred ( a b -- a x1 ): mismatch",
		"i.fs:3:3: double-it declared - inferred ( x -- x2 ): undeclared",
		"i.fs:4:3: typo declared ( -- ) inferred ?: unknown (calls the undefined word swp)",
		"i.fs:5:3: run declared ( xt -- ) inferred ?: unknown",
		"i.fs:6:3: arr declared ( n \"name\" -- ) inferred ( n -- ): verified",
		"i.fs:6:43: arr does> declared ( i -- addr ) inferred ( i -- addr ): verified",
		"i.fs:7:1: :noname declared ( a -- ) inferred ( a -- ): verified",
		"i.fs:8:3: f2 declared ( -- ) ( F: r -- r r ) inferred ( -- ) ( F: r -- r r ): verified",
		"i.fs:9:3: die declared ( -- ) inferred ?: verified",
	}
	got := lines(r.stdout)
	if len(got) != len(want) {
		t.Fatalf("infer output:\n%s\nwant:\n%s", r.stdout, strings.Join(want, "\n"))
	}
	for i := range want {
		// "run" has a reason whose wording is not pinned here.
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("line %d:\n got %q\nwant %q", i+1, got[i], want[i])
		}
	}
}

// inferKeys are the keys every `infer --json` object has; "reason" comes
// in addition with status unknown.
var inferKeys = []string{"column", "declared", "file", "floatIn", "floatOut", "in", "inferred", "line", "name", "out", "status"}

// inferJSON parses `infer --json` output, checking its documented shape.
func inferJSON(t *testing.T, r result) []map[string]any {
	t.Helper()
	if r.stderr != "" {
		t.Errorf("stderr %q", r.stderr)
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("infer --json output is not a JSON array of objects: %v\n%s", err, r.stdout)
	}
	if raw == nil {
		t.Fatalf("infer --json printed %q; want an array, never null", r.stdout)
	}
	var out []map[string]any
	for i, obj := range raw {
		var keys []string
		for k := range obj {
			if k != "reason" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != strings.Join(inferKeys, ",") {
			t.Errorf("definition %d has keys %v (+reason), want %v", i, keys, inferKeys)
		}
		d := map[string]any{}
		for k, v := range obj {
			var x any
			if err := json.Unmarshal(v, &x); err != nil {
				t.Fatal(err)
			}
			d[k] = x
		}
		for _, k := range []string{"file", "name", "status"} {
			if s, ok := d[k].(string); !ok || s == "" {
				t.Errorf("definition %d: %s = %v, want a non-empty string", i, k, d[k])
			}
		}
		for _, k := range []string{"line", "column"} {
			if n, ok := d[k].(float64); !ok || n < 1 || n != float64(int(n)) {
				t.Errorf("definition %d: %s = %v, want an integer >= 1", i, k, d[k])
			}
		}
		for _, k := range []string{"declared", "inferred"} {
			if s, ok := d[k].(string); d[k] != nil && (!ok || !strings.HasPrefix(s, "(")) {
				t.Errorf("definition %d: %s = %v, want a stack picture or null", i, k, d[k])
			}
		}
		for _, k := range []string{"in", "out", "floatIn", "floatOut"} {
			if n, ok := d[k].(float64); d[k] != nil && (!ok || n < 0 || n != float64(int(n))) {
				t.Errorf("definition %d: %s = %v, want a count or null", i, k, d[k])
			}
		}
		if (d["in"] == nil) != (d["out"] == nil) || (d["floatIn"] == nil) != (d["floatOut"] == nil) {
			t.Errorf("definition %d: in/out or floatIn/floatOut half null: %v", i, d)
		}
		switch d["status"] {
		case "verified", "mismatch", "undeclared":
		case "unknown":
			if s, _ := d["reason"].(string); s == "" {
				t.Errorf("definition %d: status unknown without a reason: %v", i, d)
			}
			if d["in"] != nil && d["inferred"] == nil {
				t.Errorf("definition %d: status unknown with counts but no inferred effect: %v", i, d)
			}
		default:
			t.Errorf("definition %d: status %v is not one of verified, mismatch, undeclared, unknown", i, d["status"])
		}
		if r, ok := d["reason"]; ok {
			if s, _ := r.(string); s == "" {
				t.Errorf("definition %d: reason %v, want a non-empty string when present", i, r)
			}
		}
		if d["status"] == "undeclared" && d["declared"] != nil {
			t.Errorf("definition %d: undeclared with a declaration: %v", i, d)
		}
		if d["status"] == "verified" || d["status"] == "mismatch" {
			if d["declared"] == nil {
				t.Errorf("definition %d: %v without a declaration", i, d["status"])
			}
		}
		out = append(out, d)
	}
	return out
}

func TestInferJSON(t *testing.T) {
	dir := tempFiles(t, map[string]string{"i.fs": inferSrc})
	r := fastforth(t, dir, "infer", "--json", "i.fs")
	wantCode(t, r, 0)
	defs := inferJSON(t, r)
	type row struct {
		name, declared, inferred any
		in, out, fin, fout       any
		status                   string
	}
	n := func(i int) any { return float64(i) }
	want := []row{
		{"square", "( n -- n*n )", "( n -- n*n )", n(1), n(1), n(0), n(0), "verified"},
		{"wrong", "( a b -- c )", "( a b -- a x1 )", n(2), n(2), n(0), n(0), "mismatch"},
		{"double-it", nil, "( x -- x2 )", n(1), n(1), n(0), n(0), "undeclared"},
		{"typo", "( -- )", nil, nil, nil, nil, nil, "unknown"},
		{"run", "( xt -- )", nil, nil, nil, nil, nil, "unknown"},
		{"arr", "( n \"name\" -- )", "( n -- )", n(1), n(0), n(0), n(0), "verified"},
		{"arr does>", "( i -- addr )", "( i -- addr )", n(1), n(1), n(0), n(0), "verified"},
		{":noname", "( a -- )", "( a -- )", n(1), n(0), n(0), n(0), "verified"},
		{"f2", "( -- ) ( F: r -- r r )", "( -- ) ( F: r -- r r )", n(0), n(0), n(1), n(2), "verified"},
		{"die", "( -- )", nil, nil, nil, nil, nil, "verified"},
	}
	if len(defs) != len(want) {
		t.Fatalf("got %d definitions, want %d:\n%s", len(defs), len(want), r.stdout)
	}
	lineCol := [][2]float64{{1, 3}, {2, 3}, {3, 3}, {4, 3}, {5, 3}, {6, 3}, {6, 43}, {7, 1}, {8, 3}, {9, 3}}
	for i, w := range want {
		d := defs[i]
		got := row{d["name"], d["declared"], d["inferred"], d["in"], d["out"], d["floatIn"], d["floatOut"], d["status"].(string)}
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("definition %d:\n got %v\nwant %v", i, got, w)
		}
		if d["file"] != "i.fs" || d["line"] != lineCol[i][0] || d["column"] != lineCol[i][1] {
			t.Errorf("definition %d at %v:%v:%v, want i.fs:%v:%v", i, d["file"], d["line"], d["column"], lineCol[i][0], lineCol[i][1])
		}
	}
	if r, _ := defs[3]["reason"].(string); r != "calls the undefined word swp" {
		t.Errorf("typo: reason %q", r)
	}
	if r, _ := defs[4]["reason"].(string); r == "" {
		t.Errorf("run: no reason")
	}

	// Every status appears.
	seen := map[string]bool{}
	for _, d := range defs {
		seen[d["status"].(string)] = true
	}
	for _, s := range []string{"verified", "mismatch", "undeclared", "unknown"} {
		if !seen[s] {
			t.Errorf("status %s not exercised", s)
		}
	}

	// A file without definitions gives an empty array.
	dir2 := tempFiles(t, map[string]string{"empty.fs": "\\ nothing\n1 2 + drop\n"})
	r = fastforth(t, dir2, "infer", "--json", "empty.fs")
	wantCode(t, r, 0)
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("infer --json without definitions: %q, want []", r.stdout)
	}
}

// TestInferUncheckableComment: a definition whose comment cannot be checked
// has status unknown with a reason, and (as README says) still shows the
// effect that was inferred, with its counts.
func TestInferUncheckableComment(t *testing.T) {
	dir := tempFiles(t, map[string]string{"u.fs": ": f ( x*i -- x*j ) drop ;\n"})
	defs := inferJSON(t, fastforth(t, dir, "infer", "--json", "u.fs"))
	if len(defs) != 1 || defs[0]["status"] != "unknown" || defs[0]["inferred"] != "( x1 -- )" ||
		defs[0]["in"] != 1.0 || defs[0]["out"] != 0.0 || defs[0]["reason"] == "" {
		t.Errorf("got %v", defs)
	}
}

// TestExitStatusIsConsistent: check exits 1 exactly when it prints an error.
func TestExitStatusIsConsistent(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "examples")
	r := fastforth(t, dir, "check", "--json", "demo.fs")
	diags := checkJSON(t, r)
	hasErr := false
	for _, d := range diags {
		hasErr = hasErr || d["severity"] == "error"
	}
	if hasErr != (r.code == 1) || r.code > 1 {
		t.Errorf("exit %d with errors=%v", r.code, hasErr)
	}
	// The README's example output.
	r = fastforth(t, repoRoot, "check", "testdata/examples/demo.fs")
	wantCode(t, r, 1)
	if got := lines(r.stdout); len(got) != 5 || got[0] != "testdata/examples/demo.fs:26:9: error: declared ( a b -- c ) but the body does ( a b -- a x1 ) [effect-mismatch]" {
		t.Errorf("demo.fs:\n%s", r.stdout)
	}
}
