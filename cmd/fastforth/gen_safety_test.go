package main

// The hardening of generated code: parameters are allowlisted, gforth runs
// only what passed the allowlist and the analysis, user patterns are found
// within the project and say when they override a builtin one.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
