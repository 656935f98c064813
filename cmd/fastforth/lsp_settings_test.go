package main

// End-to-end tests of the language server's settings, trace, inlay hint
// styles, formatting and file-name completion: the real binary over real
// pipes (see lsp_test.go).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// handshake initializes with extra params.
func (p *lspProcess) handshake(params map[string]any) {
	p.t.Helper()
	init := map[string]any{"processId": os.Getpid(), "rootUri": nil, "capabilities": map[string]any{}}
	for k, v := range params {
		init[k] = v
	}
	p.Request("initialize", init, nil)
	p.Notify("initialized", map[string]any{})
}

func (p *lspProcess) open(u, text string) {
	p.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "forth", "version": 1, "text": text}})
}

func codesOf(ds []lsptest.Diagnostic) string {
	var cs []string
	for _, d := range ds {
		cs = append(cs, d.Code)
	}
	return strings.Join(cs, ",")
}

// TestLSPSettings: the command line gives the defaults, settings
// override them and the diagnostics are published again.
func TestLSPSettings(t *testing.T) {
	p := startLSP(t, "--dialect", "standard")
	p.handshake(nil)
	u := "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "settings.fs"))
	p.open(u, ": f ( a b c -- c ) -rot 2drop ;\n: g 1 ;\n")
	next := func(what string) string {
		t.Helper()
		return codesOf(lsptest.Notification[lsptest.PublishDiagnostics](t, p.Wait(what, lsptest.IsPublish(u, 1))).Diagnostics)
	}
	if got := next("diagnostics with --dialect standard"); got != "undefined-word,missing-stack-comment" {
		t.Fatalf("--dialect standard: %q", got)
	}
	p.Notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"fastforth": map[string]any{
		"dialect": "gforth", "diagnostics": map[string]any{"disable": []string{"missing-stack-comment"}}}}})
	if got := next("diagnostics with the gforth dialect"); got != "" {
		t.Errorf("dialect gforth, missing-stack-comment disabled: %q", got)
	}
	p.Notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"fastforth": map[string]any{"dialect": 7}}})
	p.Notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"fastforth": map[string]any{"diagnostics": map[string]any{"disable": nil}}}})
	if got := next("diagnostics after a bad setting"); got != "missing-stack-comment" {
		t.Errorf("after a bad value and a reset: %q", got)
	}
	p.Request("shutdown", nil, nil)
	p.Notify("exit", nil)
	if code := p.exitCode(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if !strings.Contains(p.stderr.String(), "is not a string") {
		t.Errorf("the bad setting was not logged:\n%s", p.stderr.String())
	}
}

func TestLSPTrace(t *testing.T) {
	p := startLSP(t)
	p.handshake(map[string]any{"trace": "verbose"})
	u := "file:///tmp/e2e-trace.fs"
	p.open(u, ": sq ( n -- n*n ) dup * ;\n")
	p.Request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": 0, "character": 18}}, nil)
	m := p.Wait("a trace of the hover", func(m lsptest.Message) bool {
		return m.Method == "$/logTrace" && strings.Contains(string(m.Params), "textDocument/hover")
	})
	var tr struct{ Message, Verbose string }
	if err := json.Unmarshal(m.Params, &tr); err != nil || !strings.Contains(tr.Message, "handled in") || !strings.HasPrefix(tr.Verbose, "params: ") {
		t.Errorf("trace %s (%v)", m.Params, err)
	}
	p.Notify("$/setTrace", map[string]any{"value": "off"})
	p.Drain()
	p.Request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": 0, "character": 18}}, nil)
	for _, m := range p.Drain() {
		if m.Method == "$/logTrace" {
			t.Errorf("trace after $/setTrace off: %s", m.Params)
		}
	}
}

func TestLSPInlayStyles(t *testing.T) {
	p := startLSP(t)
	p.handshake(map[string]any{"initializationOptions": map[string]any{"inlayHints": map[string]any{"stackAtLineEnd": true}}})
	u := "file:///tmp/e2e-inlay.fs"
	p.open(u, ": f ( a b -- a c )\n  over over\n  + nip ;\n: g  2* ;\n")
	var hints []struct {
		Position lsptest.Position `json:"position"`
		Label    string           `json:"label"`
	}
	p.Request("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": u},
		"range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 9, "character": 0}}}, &hints)
	var got []string
	for _, h := range hints {
		got = append(got, fmt.Sprintf("%d:%d %s", h.Position.Line, h.Position.Character, h.Label))
	}
	if want := []string{"1:11 ( a b a b )", "2:9 ( a c )", "3:3 ( x -- x2 )"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hints %q, want %q", got, want)
	}
}

func TestLSPFormatting(t *testing.T) {
	p := startLSP(t)
	p.handshake(nil)
	u := "file:///tmp/e2e-format.fs"
	text := ": f ( n -- )\ndup 0< if\ns\" if then\" type   \nelse \\ then\n. then ;\n"
	p.open(u, text)
	var edits []struct {
		Range   lsptest.Range `json:"range"`
		NewText string        `json:"newText"`
	}
	p.Request("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": u},
		"options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &edits)
	// Apply them from the last (each line's edits are on that line).
	lines := strings.Split(text, "\n")
	sort.SliceStable(edits, func(i, j int) bool {
		a, b := edits[i].Range.Start, edits[j].Range.Start
		return a.Line > b.Line || a.Line == b.Line && a.Character > b.Character
	})
	for _, e := range edits {
		if e.Range.Start.Line != e.Range.End.Line {
			t.Fatalf("edit across lines: %+v", e)
		}
		l := lines[e.Range.Start.Line]
		lines[e.Range.Start.Line] = l[:e.Range.Start.Character] + e.NewText + l[e.Range.End.Character:]
	}
	want := ": f ( n -- )\n  dup 0< if\n    s\" if then\" type\n  else \\ then\n    . then ;\n"
	if got := strings.Join(lines, "\n"); got != want {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, want)
	}
	var none []any
	p.Request("textDocument/rangeFormatting", map[string]any{"textDocument": map[string]any{"uri": u},
		"range":   map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 1, "character": 0}},
		"options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &none)
	if none == nil || len(none) != 0 {
		t.Errorf("range formatting of the first line: %v", none)
	}
}

func TestLSPPathCompletion(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"main.fs", "util.fs", "readme.txt", "lib/deep.fth"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte("\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := startLSP(t)
	p.handshake(nil)
	u := "file://" + filepath.ToSlash(filepath.Join(dir, "main.fs"))
	p.open(u, "require \ninclude lib/\n")
	complete := func(line, char int) []string {
		t.Helper()
		var res struct {
			Items []struct {
				Label    string `json:"label"`
				TextEdit struct {
					NewText string `json:"newText"`
				} `json:"textEdit"`
			} `json:"items"`
		}
		p.Request("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": u},
			"position": map[string]any{"line": line, "character": char}}, &res)
		var out []string
		for _, it := range res.Items {
			out = append(out, it.Label+"="+it.TextEdit.NewText)
		}
		sort.Strings(out)
		return out
	}
	if got, want := complete(0, 8), []string{"lib/=lib/", "main.fs=main.fs", "util.fs=util.fs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after require: %q, want %q", got, want)
	}
	if got, want := complete(1, 12), []string{"deep.fth=lib/deep.fth"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after include lib/: %q, want %q", got, want)
	}
}
