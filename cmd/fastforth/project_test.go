package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A small project: main.fs defines a helper, then includes lib.fs, which
// uses it; tests/t.fs needs a harness loaded first; other.fs defines a
// word nothing loads.
var projectFiles = map[string]string{
	".git/HEAD": "ref: refs/heads/main\n",
	"main.fs":   ": helper ( n -- n ) 1+ ;\ninclude lib.fs\n: go ( -- n ) 1 twice ;\n",
	"lib.fs":    ": twice ( n -- n ) helper helper ;\n",
	"other.fs":  ": faraway ( -- ) ;\n",
	"uses.fs":   ": near ( -- ) faraway ;\n",
}

// TestProjectLoadOrder: a file is checked in the context its includer
// gives it, and checking it alone or with its directory gives the same.
func TestProjectLoadOrder(t *testing.T) {
	dir := tempFiles(t, projectFiles)
	alone := fastforth(t, dir, "check", "lib.fs")
	wantCode(t, alone, 0)
	if alone.stdout != "" {
		t.Errorf("lib.fs alone: %q (helper comes from main.fs, which includes it)", alone.stdout)
	}
	all := fastforth(t, dir, "check", ".")
	var libLines []string
	for _, l := range lines(all.stdout) {
		if strings.HasPrefix(l, "lib.fs:") {
			libLines = append(libLines, l)
		}
	}
	if strings.Join(libLines, "\n") != strings.TrimSuffix(alone.stdout, "\n") {
		t.Errorf("check . says of lib.fs %q, check lib.fs says %q", libLines, alone.stdout)
	}
	// From a subdirectory, with an absolute path: the same project.
	sub := filepath.Join(dir, "sub")
	os.MkdirAll(sub, 0o755)
	if r := fastforth(t, sub, "check", filepath.Join(dir, "lib.fs")); r.stdout != "" || r.code != 0 {
		t.Errorf("lib.fs by absolute path from elsewhere: %+v", r)
	}
}

// TestProjectNotLoaded: a word another project file defines but nothing
// loads is a not-loaded warning naming where; with the load order stated
// in the project file, an error.
func TestProjectNotLoaded(t *testing.T) {
	dir := tempFiles(t, projectFiles)
	r := fastforth(t, dir, "check", "uses.fs")
	wantCode(t, r, 0)
	if want := "uses.fs:1:15: warning: faraway is not loaded here: it is defined in other.fs:1, which nothing loads before this file (require other.fs) [not-loaded]\n"; r.stdout != want {
		t.Errorf("got %q, want %q", r.stdout, want)
	}
	writeFiles(t, dir, map[string]string{"fastforth.toml": "load = [\"main.fs\", \"uses.fs\"]\n"})
	r = fastforth(t, dir, "check", "uses.fs")
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "error: faraway is not loaded here") {
		t.Errorf("with load order: %q", r.stdout)
	}
	// Loaded in order, a later entry sees the words of an earlier one.
	writeFiles(t, dir, map[string]string{"fastforth.toml": "load = [\"other.fs\", \"uses.fs\"]\n"})
	r = fastforth(t, dir, "check", "uses.fs")
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("other.fs loaded first: %q", r.stdout)
	}
}

// TestProjectFile: the project file's keys take effect, and a broken one
// is reported with its line, exit 2.
func TestProjectFile(t *testing.T) {
	dir := tempFiles(t, map[string]string{
		"fastforth.toml": `dialect = "standard"
exclude = ["vendor/**"]
words = ["board.words"]

[[files]]
match = "test/**"
preload = ["harness.fs"]
disable = ["missing-stack-comment"]
`,
		"board.words":    "gpio! ( x a -- ) \\ store to a port\n",
		"harness.fs":     ": check ( x -- ) drop ;\n",
		"app.fs":         ": on ( -- ) 1 $4000 gpio! ;\n: r ( a b c -- b c a ) rot ;\n: g ( a b c -- c a b ) -rot ;\n",
		"test/t.fs":      "5 check\n",
		"vendor/junk.fs": "this is not checked\n",
	})
	r := fastforth(t, dir, "check", ".")
	wantCode(t, r, 1)
	want := "app.fs:3:24: error: undefined word -rot [undefined-word]\n"
	if r.stdout != want {
		t.Errorf("got %q, want %q (standard dialect: -rot undefined; gpio! from the word file; test/ preloads the harness; vendor excluded)", r.stdout, want)
	}
	// The command line wins over the project file.
	if r := fastforth(t, dir, "check", "--dialect", "gforth", "app.fs"); r.code != 0 || r.stdout != "" {
		t.Errorf("--dialect gforth: %+v", r)
	}

	for _, tc := range []struct{ toml, want string }{
		{"dialect = \"ansi\"\n", "fastforth.toml:1:"},
		{"\n\nload = 3\n", "fastforth.toml:3:"},
		{"dialect = \"gforth\"\ncolour = \"blue\"\n", "fastforth.toml:2:1: unknown key colour"},
		{"[[files]]\nmatch = \"test/**\"\ndisable = [\"no-such-code\"]\n", "fastforth.toml:3:"},
		{"load = [\"missing.fs\"]\n", "load: missing.fs not found"},
		{"dialect = \n", "fastforth.toml:1:"},
	} {
		bad := tempFiles(t, map[string]string{"fastforth.toml": tc.toml, "a.fs": ": a ( -- ) ;\n"})
		r := fastforth(t, bad, "check", "a.fs")
		wantCode(t, r, 2)
		if r.stdout != "" || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: stderr %q, want it to contain %q", tc.toml, r.stderr, tc.want)
		}
	}
}

// TestProjectIncludeRoot: includes resolve against the project's root
// too, as gforth resolves them against the directory it runs in.
func TestProjectIncludeRoot(t *testing.T) {
	dir := tempFiles(t, map[string]string{
		".git/HEAD":    "x\n",
		"lib/sq.fs":    ": sq ( n -- n ) dup * ;\n",
		"test/sq_t.fs": "include lib/sq.fs\n: t ( -- n ) 3 sq ;\n",
	})
	r := fastforth(t, dir, "check", "test/sq_t.fs")
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("got %q", r.stdout)
	}
}

// TestInit: fastforth init writes a project file from what it sees, says
// why, and check reads the project with it.
func TestInit(t *testing.T) {
	dir := tempFiles(t, map[string]string{
		"main.fs":      "include lib.fs\n: go ( -- ) 5 sq drop ;\n",
		"lib.fs":       "begin-module geom\n: sq ( n -- n ) dup * ;\nend-module\n: half ( -- d ) 0,5 ;\n",
		"tester.fs":    ": T{ ( -- ) ; : -> ( -- ) ; : }T ( -- ) ;\n",
		"test/sq_t.fs": "include lib.fs\nT{ 3 sq -> 9 }T\n",
	})
	r := fastforth(t, dir, "init")
	wantCode(t, r, 0)
	// Two programs (main.fs and the test) include others: no load order.
	for _, want := range []string{`dialect = "zeptoforth"`, `no load: 3 files are not included by any other`, `[[files]] test/** preloads [tester.fs]`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("init said %q, want it to contain %q", r.stdout, want)
		}
	}
	text, err := os.ReadFile(filepath.Join(dir, "fastforth.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"dialect = \"zeptoforth\"\n", "# load = []\n", "match = \"test/**\"\npreload = [\"tester.fs\"]\n", "# its words leave"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("fastforth.toml lacks %q:\n%s", want, text)
		}
	}
	if r := fastforth(t, dir, "check", "."); r.code != 0 {
		t.Errorf("check with the written project file: %+v", r)
	}
	// It does not replace a project file unless told to.
	if r := fastforth(t, dir, "init"); r.code != 2 || !strings.Contains(r.stderr, "exists") {
		t.Errorf("second init: %+v", r)
	}
	// One program that loads the rest: it is the load order.
	os.RemoveAll(filepath.Join(dir, "test"))
	if r := fastforth(t, dir, "init", "--force"); r.code != 0 || !strings.Contains(r.stdout, "load = [main.fs]: main.fs is the one file") {
		t.Errorf("init --force with one program: %+v", r)
	}
}

// TestCheckHostileFiles: check reads only regular source files: a
// symbolic link in a directory that leads out of it (or to the process's
// environment) is not followed, and naming such a file is an error that
// shows nothing of it.
func TestCheckHostileFiles(t *testing.T) {
	dir := tempFiles(t, map[string]string{".git/HEAD": "x\n", "ok.fs": ": ok ( -- ) ;\n"})
	outside := tempFiles(t, map[string]string{"secret.fs": "hunter2 swordfish\n"})
	os.Symlink("/proc/self/environ", filepath.Join(dir, "env.fs"))
	os.Symlink(filepath.Join(outside, "secret.fs"), filepath.Join(dir, "out.fs"))
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.fs"))
	r := fastforth(t, dir, "check", ".")
	wantCode(t, r, 0)
	if r.stdout != "" || strings.Contains(r.stderr, "hunter2") {
		t.Errorf("check .: %+v", r)
	}
	for _, name := range []string{"env.fs", "zero.fs"} {
		r := fastforth(t, dir, "check", name)
		wantCode(t, r, 2)
		if r.stdout != "" || !strings.Contains(r.stderr, "not a source file") {
			t.Errorf("check %s: %+v", name, r)
		}
	}
}

// TestNotLoadedReadAsDefined: a word that another project file defines
// is read as that definition reads (here a defining word that parses a
// name), so one missing require is one diagnostic, not a cascade.
func TestNotLoadedReadAsDefined(t *testing.T) {
	dir := tempFiles(t, map[string]string{
		".git/HEAD": "x\n",
		"board.fs":  ": pin: ( n \"name\" -- ) create , ;\n",
		"app.fs":    "5 pin: led\n: on ( -- n ) led @ ;\n",
	})
	r := fastforth(t, dir, "check", "app.fs")
	wantCode(t, r, 0)
	if want := "app.fs:1:3: warning: pin: is not loaded here: it is defined in board.fs:1, which nothing loads before this file (require board.fs) [not-loaded]\n"; r.stdout != want {
		t.Errorf("got %q, want %q", r.stdout, want)
	}
}
