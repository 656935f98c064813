// Package editors_test runs the editor configurations in editors/neovim and
// editors/emacs against the real `fastforth lsp`: headless Neovim with its
// built-in LSP client and batch Emacs with Eglot each open a Forth file with
// deliberate mistakes and check diagnostics, hover, completion, go to
// definition and incremental edits (see neovim/test.lua and
// emacs/fastforth-test.el). A missing editor skips its test, except under
// CI=true, where it fails.
package editors_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// deadline bounds one editor run; a healthy run takes about a second, and
// each wait inside the scripts gives up after ten.
const deadline = 60 * time.Second

// skipStatus is the exit status with which a script says that the editor
// cannot run it (too old, or Eglot not installed): a skip, and a failure
// under CI=true.
const skipStatus = 77

// newerStatus is the exit status with which a script says that it tests
// what only a newer editor than CI's has (the Neovim 0.11 README example
// on Debian's Neovim 0.7): a skip everywhere. FASTFORTH_NVIM and
// FASTFORTH_EMACS name another editor binary to run the tests with.
const newerStatus = 78

var (
	buildOnce sync.Once
	binDir    string // holds the fastforth binary, once built
	buildErr  error
	tempRoot  string // removed when the tests end
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fastforth-editors-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tempRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// serverDir builds cmd/fastforth once, when an editor test first needs it,
// and returns the directory that holds it (put first on the editor's PATH,
// as a user's `go install` would).
func serverDir(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir := filepath.Join(tempRoot, "bin")
		exe := filepath.Join(dir, "fastforth")
		if runtime.GOOS == "windows" {
			exe += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", exe, "../cmd/fastforth").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("building fastforth: %v\n%s", err, out)
			return
		}
		binDir = dir
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// brokenServerDir returns a directory with a `fastforth` that exits at
// once, as a server that crashes on start would.
func brokenServerDir(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in server is a shell script")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fastforth"), []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// editor is one editor and a script that tests the server through it.
type editor struct {
	name    string // the binary
	label   string // the subtest's name
	install string // how CI gets it
	script  string // relative to this directory
	args    []string
	// configs are copied, each to its place under the editor's home,
	// before the run, as the editor's README tells users to.
	configs [][2]string
	// missing runs the script with no fastforth on the PATH.
	missing bool
	env     []string
	// broken: the script is also run against a server that exits at
	// once, and must fail saying why.
	broken bool
	// readmeInit: the editor's init file, as this path under the editor's
	// home, is the README's example between <!-- 0.11 --> markers (and
	// the editor starts with it: no -u NONE).
	readmeInit string
}

// nvimArgs: no init file, no shada file, no swap files. Each script's
// path comes from the environment, so that no path needs quoting for the
// editor's command line.
var nvimArgs = []string{"--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "lua dofile(os.getenv('FASTFORTH_TEST_SCRIPT'))"}

// nvimInitArgs: Neovim reads the user's init.lua, as it does when a user
// starts it.
var nvimInitArgs = []string{"--headless", "-i", "NONE", "-n", "-c", "lua dofile(os.getenv('FASTFORTH_TEST_SCRIPT'))"}

// nvimConfigs: both Neovim configurations where their README puts them.
var nvimConfigs = [][2]string{
	{"neovim/fastforth.lua", ".config/nvim/lua/fastforth.lua"},
	{"neovim/lsp/fastforth.lua", ".config/nvim/lsp/fastforth.lua"},
}

var emacsArgs = []string{"--batch", "-Q", "--eval", `(load (getenv "FASTFORTH_TEST_SCRIPT") nil t)`}

var editors = []editor{
	{name: "nvim", label: "nvim", install: "apt-get install neovim", script: "neovim/test.lua", args: nvimArgs, configs: nvimConfigs, broken: true},
	{name: "nvim", label: "nvim-0.11-config", install: "apt-get install neovim", script: "neovim/test_lsp_config.lua", args: nvimArgs, configs: nvimConfigs},
	{name: "nvim", label: "nvim-0.11-readme", install: "apt-get install neovim", script: "neovim/test_readme.lua", args: nvimInitArgs,
		configs: nvimConfigs[1:], readmeInit: ".config/nvim/init.lua"},
	{name: "nvim", label: "nvim-missing-server", install: "apt-get install neovim", script: "neovim/test_missing.lua", args: nvimArgs, configs: nvimConfigs, missing: true},
	{name: "emacs", label: "emacs", install: "apt-get install emacs-nox elpa-eglot", script: "emacs/fastforth-test.el", args: emacsArgs, broken: true},
	{name: "emacs", label: "emacs-settings", install: "apt-get install emacs-nox elpa-eglot elpa-use-package", script: "emacs/fastforth-settings-test.el", args: emacsArgs,
		configs: [][2]string{{"emacs/fastforth.el", ".emacs.d/lisp/fastforth.el"}}},
	{name: "emacs", label: "emacs-missing-server", install: "apt-get install emacs-nox elpa-eglot", script: "emacs/fastforth-settings-test.el", args: emacsArgs,
		missing: true, env: []string{"FASTFORTH_TEST_MISSING=1"}},
}

// lookEditor returns the editor's binary (FASTFORTH_NVIM or
// FASTFORTH_EMACS, else the one on the PATH), or skips (fails under
// CI=true).
func lookEditor(t *testing.T, e editor) string {
	t.Helper()
	name := e.name
	if v := os.Getenv("FASTFORTH_" + strings.ToUpper(strings.TrimSuffix(e.name, ".exe"))); v != "" {
		name = v
	}
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, e.name+" not found on PATH", e.install)
	}
	return p
}

func missing(t *testing.T, what, install string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (required when CI=true; %s)", what, install)
	}
	t.Skip(what)
}

// run runs the editor's test script with the fastforth in serverDir first
// on the PATH, on a fresh copy of testdata/sample.fs inside a project with
// a .git directory, and returns its output and error.
func run(t *testing.T, e editor, bin, serverDir string) (string, error) {
	t.Helper()
	script, err := filepath.Abs(e.script)
	if err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile(filepath.Join("testdata", "sample.fs"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	root := filepath.Join(tmp, "project")
	file := filepath.Join(root, "src", "sample.fs")
	for _, d := range []string{filepath.Join(root, ".git"), filepath.Dir(file), filepath.Join(tmp, "home"), filepath.Join(tmp, "tmp")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(file, sample, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range e.configs {
		// Installed where the editor's README says to put it.
		config, err := os.ReadFile(c[0])
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(tmp, "home", filepath.FromSlash(c[1]))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, config, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if e.readmeInit != "" {
		readme, err := os.ReadFile(filepath.Join(filepath.Dir(e.script), "README.md"))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile("(?s)<!-- 0\\.11 -->\\s*```lua\n(.*?)```\\s*<!-- /0\\.11 -->").FindSubmatch(readme)
		if m == nil {
			t.Fatalf("no <!-- 0.11 --> lua block in %s/README.md", filepath.Dir(e.script))
		}
		dst := filepath.Join(tmp, "home", filepath.FromSlash(e.readmeInit))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, m[1], 0o644); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, e.args...)
	cmd.Dir = tmp
	cmd.Env = editorEnv(tmp, serverDir, e.missing, append([]string{
		"FASTFORTH_TEST_SCRIPT=" + script,
		"FASTFORTH_TEST_FILE=" + file,
		"FASTFORTH_TEST_ROOT=" + root}, e.env...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// A server the editor failed to stop could hold the output pipe open
	// after the editor is gone; stop waiting for it.
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err = cmd.Run()
	t.Logf("%s ran %v", e.name, time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		err = fmt.Errorf("no result within %v: %w", deadline, ctx.Err())
	}
	return out.String(), err
}

// editorEnv is the runner's environment with a fresh home, XDG directories
// and TMPDIR under tmp, so that neither editor reads the runner's
// configuration or leaves state (logs, shada, package caches) behind, and
// with serverDir first on the PATH (and, when missing is set, no other
// directory of the PATH that holds a fastforth).
func editorEnv(tmp, serverDir string, missing bool, extra ...string) []string {
	home := filepath.Join(tmp, "home")
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "HOME", k == "PATH", k == "TMPDIR", k == "VIMINIT", k == "EMACSLOADPATH", k == "EMACSDATA",
			strings.HasPrefix(k, "XDG_"), strings.HasPrefix(k, "NVIM"):
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME="+filepath.Join(home, ".local", "state"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"TMPDIR="+filepath.Join(tmp, "tmp"),
		"PATH="+serverDir+string(os.PathListSeparator)+searchPath(missing),
	)
	return append(env, extra...)
}

// searchPath is the runner's PATH, without the directories that hold a
// fastforth when without is set.
func searchPath(without bool) string {
	if !without {
		return os.Getenv("PATH")
	}
	var keep []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "fastforth")); err == nil {
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, string(os.PathListSeparator))
}

func TestEditors(t *testing.T) {
	for _, e := range editors {
		t.Run(e.label, func(t *testing.T) {
			bin := lookEditor(t, e)
			server := t.TempDir() // no fastforth in it
			if !e.missing {
				server = serverDir(t)
			}
			out, err := run(t, e, bin, server)
			var exit *exec.ExitError
			if errors.As(err, &exit) && exit.ExitCode() == skipStatus {
				missing(t, strings.TrimSpace(out), e.install)
			}
			if errors.As(err, &exit) && exit.ExitCode() == newerStatus {
				t.Skip(strings.TrimSpace(out))
			}
			if err != nil || !strings.Contains(out, "\nPASS\n") {
				t.Fatalf("%s: %v\n%s", e.name, err, out)
			}
			t.Logf("%s output:\n%s", e.name, out)
		})
	}
}

// TestEditorsCatchBrokenServer checks that the scripts do fail, quickly and
// saying why, when the server is broken: a test that cannot fail proves
// nothing.
func TestEditorsCatchBrokenServer(t *testing.T) {
	for _, e := range editors {
		if !e.broken {
			continue
		}
		t.Run(e.label, func(t *testing.T) {
			bin := lookEditor(t, e)
			out, err := run(t, e, bin, brokenServerDir(t))
			var exit *exec.ExitError
			if errors.As(err, &exit) && exit.ExitCode() == skipStatus {
				missing(t, strings.TrimSpace(out), e.install)
			}
			if err == nil || strings.Contains(out, "PASS") {
				t.Fatalf("%s passed with a server that exits at once:\n%s", e.name, out)
			}
			if !strings.Contains(out, "FAIL: ") {
				t.Fatalf("%s failed without saying why (%v):\n%s", e.name, err, out)
			}
		})
	}
}
