package lsp

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

type codeLens struct {
	Range   lsptest.Range `json:"range"`
	Command struct {
		Title     string            `json:"title"`
		Command   string            `json:"command"`
		Arguments []json.RawMessage `json:"arguments"`
	} `json:"command"`
}

// TestCodeLens: each definition's verdict and uses, and "Run tests" for
// the T{ }T tests that use it, which runs them in the Forth machine and
// reports the failures as diagnostics on their lines until the document
// changes.
func TestCodeLens(t *testing.T) {
	h := startServer(t, Options{}, nil)
	res := h.initialize(nil)
	caps := res["capabilities"].(map[string]any)
	if caps["codeLensProvider"] == nil {
		t.Fatalf("codeLensProvider not announced")
	}
	if cmds := caps["executeCommandProvider"].(map[string]any)["commands"].([]any); !strings.Contains(strings.Repeat(" ", 1)+strings.TrimSpace(strings.Join(toStrings(cmds), " "))+" ", " fastforth.runTests ") {
		t.Errorf("commands %v lack fastforth.runTests", cmds)
	}
	const u = "file:///tmp/lens.fs"
	text := ": sq ( n -- n*n ) dup * ;\n: bad ( a b -- c ) over ;\n: cube ( n -- n*n*n ) dup sq * ;\n: noc dup + ;\n" +
		"T{ 3 sq -> 9 }T\nT{ 2 cube -> 9 }T\nT{ 4 sq -> 16 }T\n"
	open(h, u, text, 1)
	nextPublish(h, u)
	var lenses []codeLens
	h.Request("textDocument/codeLens", map[string]any{"textDocument": map[string]any{"uri": u}}, &lenses)
	got := map[int][]string{}
	var runCube codeLens
	for _, l := range lenses {
		got[l.Range.Start.Line] = append(got[l.Range.Start.Line], l.Command.Title)
		if l.Range.Start.Line == 2 && l.Command.Command == "fastforth.runTests" {
			runCube = l
		}
	}
	want := map[int][]string{
		0: {"verified ( n -- n*n )", "3 uses", "Run tests (2)"},
		1: {"declared ( a b -- c ), the body does ( a b -- a b a )", "0 uses"},
		2: {"verified ( n -- n*n*n )", "1 use", "Run tests (1)"},
		3: {"inferred ( x -- x2 ) (no stack comment)", "0 uses"},
	}
	for line, titles := range want {
		if strings.Join(got[line], " | ") != strings.Join(titles, " | ") {
			t.Errorf("line %d: lenses %q, want %q", line, got[line], titles)
		}
	}
	if lenses[0].Range != (lsptest.Range{Start: lsptest.Position{Line: 0, Character: 2}, End: lsptest.Position{Line: 0, Character: 4}}) {
		t.Errorf("lens range %+v, want the name", lenses[0].Range)
	}
	if len(runCube.Command.Arguments) != 1 {
		t.Fatalf("no Run tests lens on cube: %+v", lenses)
	}

	// Run cube's test: 2 cube is 8, not 9.
	var run runTestsResult
	var arg any
	json.Unmarshal(runCube.Command.Arguments[0], &arg)
	h.Request("workspace/executeCommand", map[string]any{"command": runCube.Command.Command, "arguments": []any{arg}}, &run)
	if run.Runner != "machine" || run.Passed != 0 || run.Failed != 1 || len(run.Tests) != 1 || run.Tests[0].Line != 5 {
		t.Fatalf("run: %+v", run)
	}
	pd := nextPublish(h, u)
	var failed []lsptest.Diagnostic
	for _, d := range pd.Diagnostics {
		if d.Code == "test-failed" {
			failed = append(failed, d)
		}
	}
	if len(failed) != 1 || failed[0].Range.Start != (lsptest.Position{Line: 5, Character: 0}) || failed[0].Range.End.Character != 17 ||
		failed[0].Severity != 1 || !strings.HasPrefix(failed[0].Message, "test failed") {
		t.Fatalf("test-failed diagnostics %+v (all: %+v)", failed, pd.Diagnostics)
	}
	// Pulled diagnostics say the same.
	var rep struct {
		Items []lsptest.Diagnostic `json:"items"`
	}
	h.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}}, &rep)
	if n := strings.Count(diagCodesOf(rep.Items), "test-failed"); n != 1 {
		t.Errorf("pulled diagnostics: %+v", rep.Items)
	}

	// sq's tests pass: the run replaces the last one.
	h.Request("workspace/executeCommand", map[string]any{"command": "fastforth.runTests",
		"arguments": []any{map[string]any{"textDocument": map[string]any{"uri": u}, "name": "SQ"}}}, &run)
	if run.Passed != 2 || run.Failed != 0 {
		t.Fatalf("sq's tests: %+v", run)
	}
	if pd := nextPublish(h, u); strings.Contains(diagCodesOf(pd.Diagnostics), "test-failed") {
		t.Errorf("a passing run left test-failed: %+v", pd.Diagnostics)
	}

	// A failing run's diagnostics go when the document changes.
	h.Request("workspace/executeCommand", map[string]any{"command": "fastforth.runTests", "arguments": []any{arg}}, &run)
	if pd := nextPublish(h, u); !strings.Contains(diagCodesOf(pd.Diagnostics), "test-failed") {
		t.Fatalf("no test-failed after the second run: %+v", pd.Diagnostics)
	}
	change(h, u, 2, insert(7, 0, "\\ more\n"))
	if pd := nextPublish(h, u); strings.Contains(diagCodesOf(pd.Diagnostics), "test-failed") {
		t.Errorf("test-failed kept after an edit: %+v", pd.Diagnostics)
	}
}

func toStrings(xs []any) []string {
	var out []string
	for _, x := range xs {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func diagCodesOf(ds []lsptest.Diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return strings.Join(out, ",")
}

// TestCodeLensRunTestsPulled: a client that pulls diagnostics is asked to
// pull again after a test run (it gets no publication), and the pull has
// the failures.
func TestCodeLensRunTestsPulled(t *testing.T) {
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"capabilities": map[string]any{
		"workspace":    map[string]any{"diagnostics": map[string]any{"refreshSupport": true}},
		"textDocument": map[string]any{"diagnostic": map[string]any{}},
	}})
	const u = "file:///tmp/lens-pull.fs"
	open(h, u, ": sq ( n -- n*n ) dup * ;\nT{ 3 sq -> 10 }T\n", 1)
	pull := func() string {
		t.Helper()
		var rep lsptest.FullReport
		h.Request("textDocument/diagnostic", docParams(u), &rep)
		return diagCodes(rep.Items)
	}
	// T{ -> }T are not defined here (no tester is loaded): undefined words.
	if got := pull(); strings.Contains(got, "test-failed") {
		t.Fatalf("before the run: %q", got)
	}
	var run runTestsResult
	h.Request("workspace/executeCommand", map[string]any{"command": "fastforth.runTests",
		"arguments": []any{map[string]any{"textDocument": map[string]any{"uri": u}, "name": "sq"}}}, &run)
	if run.Failed != 1 {
		t.Fatalf("run: %+v", run)
	}
	h.Wait("diagnostic refresh", func(m lsptest.Message) bool { return m.Method == "workspace/diagnostic/refresh" })
	if got := pull(); strings.Count(got, "test-failed") != 1 {
		t.Errorf("pulled after the run: %q", got)
	}
	for _, m := range h.Drain() {
		if m.Method == "textDocument/publishDiagnostics" {
			t.Errorf("pushed to a client that pulls: %s", m.Params)
		}
	}
}
