package main

// The hardening of generated code: parameters are allowlisted, gforth runs
// only what passed the allowlist and the analysis, user patterns are found
// within the project and say when they override a builtin one.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
	"github.com/fastforth/fastforth/patterns"
)

// shellOp is a word parameter that, run by gforth, makes the shell create
// file: it writes ">FILE" at PAD character by character and hands it to
// (system). Its stack effect is that of +, so the code verifies.
func shellOp(file string) string {
	cmd := ">" + file
	var b strings.Builder
	b.WriteString("+")
	for i, c := range cmd {
		fmt.Fprintf(&b, " [char] %c pad %d + c!", c, i)
	}
	fmt.Fprintf(&b, " pad %d (system) 2drop", len(cmd))
	return b.String()
}

// TestGenRunUnsafeParamNeverRuns: a word parameter that runs a shell
// command is refused (not verified, never run), from the command line and
// over LSP.
func TestGenRunUnsafeParamNeverRuns(t *testing.T) {
	gforthtest.Path(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "pwned")
	spec := map[string]any{"name": "s", "effect": "( hi lo -- sum )", "pattern": "loop-sum-range-001",
		"params": map[string]any{"op": shellOp(marker)}, "examples": []any{map[string]any{"inputs": "5 0", "outputs": "10"}}}
	b, _ := json.Marshal(spec)
	writeFiles(t, dir, map[string]string{"spec.json": string(b), "fastforth.toml": ""})
	r := fastforth(t, dir, "gen", "--run", "spec.json")
	if _, err := os.Stat(marker); err == nil {
		t.Errorf("gen --run ran a shell command (it created %s)", marker)
	}
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, `params.op: "pad" is not in the allowlist`) || strings.Contains(r.stderr, "verified:") || r.stdout != "" {
		t.Errorf("stdout %q\nstderr %q", r.stdout, r.stderr)
	}

	// fastforth.generate answers the same: invalid, not verified.
	p := startLSP(t)
	p.initialize()
	var res patterns.GenResult
	p.Request("workspace/executeCommand", map[string]any{"command": "fastforth.generate", "arguments": []any{spec}}, &res)
	if res.OK || res.Verification != nil || len(res.Errors) != 1 || res.Errors[0].Field != "params.op" || res.Code != "" {
		t.Errorf("fastforth.generate: %+v", res)
	}
}

// TestGenRunOutputCap: a test that prints without end is stopped at
// --max-output and reported, in a bounded time.
func TestGenRunOutputCap(t *testing.T) {
	gforthtest.Path(t)
	dir := genWorkspace(t, map[string]string{
		".fastforth/patterns/flood.forth-patterns": "category: flood\ntitle: F\nsummary: F.\n\npattern: flood-001\nname: Flood\ntags: flood\ndescription: Prints spaces without end.\neffect: ( n -- n )\nparam: name name flood the word\ncode:\n: {{.name}} ( n -- n ) begin dup 0< 0= while 1000000 spaces repeat ;\ntests:\nT{ 1 {{.name}} -> 1 }T\nend\n",
		"flood.json": `{"name": "flood", "effect": "( n -- n )", "pattern": "flood-001", "examples": [{"inputs": "-1", "outputs": "-1"}]}`,
	})
	start := time.Now()
	r := fastforth(t, dir, "gen", "--run", "--json", "flood.json")
	wantCode(t, r, 1)
	var res patterns.GenResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err, r.stderr)
	}
	tr := res.TestResults
	if tr == nil || tr.Runner != "gforth" || len(tr.Tests) != 2 || !tr.Tests[0].Pass || tr.Tests[1].Message != "output exceeded 1048576 bytes" || tr.Error != "output exceeded 1048576 bytes" {
		t.Errorf("%+v", tr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	r = fastforth(t, dir, "gen", "--run", "--max-output", "1000", "flood.json")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "FAIL (output exceeded 1000 bytes): T{ 1 flood -> 1 }T") || !strings.Contains(r.stderr, "gforth: output exceeded 1000 bytes") {
		t.Errorf("stderr %q", r.stderr)
	}
	if r := fastforth(t, dir, "gen", "--run", "--max-output", "0", "flood.json"); r.code != 2 || !strings.Contains(r.stderr, "--max-output must be positive") {
		t.Errorf("--max-output 0: %+v", r)
	}
}

// TestGenRunsOnlyWhenAsked: without --run or --gforth, gforth never runs:
// the tests run in the in-process machine.
func TestGenRunsOnlyWhenAsked(t *testing.T) {
	dir := genWorkspace(t, map[string]string{"ok.json": `{"name": "sq", "effect": "( n -- n*n )", "pattern": "test-square-001"}`})
	// A "gforth" that leaves a mark if it is ever run.
	mark := filepath.Join(dir, "ran")
	fake := filepath.Join(dir, "gforth")
	writeFiles(t, dir, map[string]string{"gforth": "#!/bin/sh\n: > " + mark + "\n"})
	if err := os.Chmod(fake, 0o755); err != nil {
		t.Fatal(err)
	}
	r := fastforthEnv(t, dir, []string{"PATH=" + dir}, "gen", "--json", "ok.json")
	wantCode(t, r, 0)
	if _, err := os.Stat(mark); err == nil {
		t.Error("gen ran gforth without --run")
	}
	var res patterns.GenResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res.TestResults == nil || res.TestResults.Runner != "machine" || !res.TestResults.Ran {
		t.Errorf("%v %+v", err, res.TestResults)
	}
	r = fastforthEnv(t, dir, []string{"PATH=" + dir}, "gen", "--json", "--gforth", fake, "ok.json")
	if _, err := os.Stat(mark); err != nil {
		t.Errorf("--gforth PATH did not run it: %+v", r)
	}
}

// fastforthEnv runs the binary like fastforth, with env added to the
// environment.
func fastforthEnv(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
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
