package main

// End-to-end tests of `fastforth mcp`: the real binary driven by the
// go-sdk's own MCP client, over stdio and over streamable HTTP, and raw
// lines that the SDK's stdio transport cannot read.

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// mcpStdio connects the SDK client to `fastforth mcp` over stdio.
func mcpStdio(t *testing.T, dir string, args ...string) *mcp.ClientSession {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	cmd := exec.Command(binary, append([]string{"mcp"}, args...)...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	client := mcp.NewClient(&mcp.Implementation{Name: "fastforth-test", Version: "1"}, nil)
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connecting to fastforth mcp: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// call calls a tool and decodes its structured content into out; it
// returns the text content.
func call(t *testing.T, cs *mcp.ClientSession, tool string, args map[string]any, out any) (text string, isError bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			text += tc.Text
		}
	}
	if res.IsError {
		return text, true
	}
	if out != nil {
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: structured content %s: %v", tool, b, err)
		}
	}
	return text, false
}

func TestMCPTools(t *testing.T) {
	dir := t.TempDir()
	// A project whose file says the dialect: files are read as the CLI
	// reads them.
	os.WriteFile(filepath.Join(dir, "fastforth.toml"), []byte("dialect = \"standard\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "lib.fs"), []byte(": sq ( n -- n*n ) dup * ;\n: f ( a -- b ) -rot ;\n"), 0o644)
	cs := mcpStdio(t, dir)

	init := cs.InitializeResult()
	if !strings.Contains(init.Instructions, "forth_verify") || init.ServerInfo.Name != "fastforth" {
		t.Errorf("initialize: instructions %q, server %+v", init.Instructions, init.ServerInfo)
	}
	tools, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"forth_check", "forth_infer", "forth_verify", "forth_compose", "forth_stack_at", "forth_word", "forth_generate", "forth_patterns", "forth_test"}
	names := map[string]*mcp.Tool{}
	for _, tl := range tools.Tools {
		names[tl.Name] = tl
	}
	for _, n := range want {
		tl := names[n]
		if tl == nil {
			t.Errorf("no tool %s", n)
			continue
		}
		if tl.Annotations == nil || !tl.Annotations.ReadOnlyHint || tl.OutputSchema == nil || tl.InputSchema == nil || tl.Description == "" {
			t.Errorf("%s: annotations %+v, schemas %v %v", n, tl.Annotations, tl.InputSchema != nil, tl.OutputSchema != nil)
		}
	}
	if len(tools.Tools) != len(want) {
		t.Errorf("%d tools, want %d", len(tools.Tools), len(want))
	}

	var v struct {
		Verified bool     `json:"verified"`
		Paths    []string `json:"paths"`
		Why      []string `json:"why"`
	}
	text, _ := call(t, cs, "forth_verify", map[string]any{"code": ": max2 ( a b -- m ) 2dup < if swap then drop ;", "effect": "( a b -- max )"}, &v)
	if !v.Verified || !strings.HasPrefix(text, "verified: max2") {
		t.Errorf("verify: %+v\n%s", v, text)
	}
	call(t, cs, "forth_verify", map[string]any{"code": ": f ( n -- n ) dup 0< if drop then ;"}, &v)
	if v.Verified || len(v.Paths) != 2 || len(v.Why) == 0 {
		t.Errorf("verify of unbalanced branches: %+v", v)
	}

	var c struct {
		Effect    *string `json:"effect"`
		Underflow *struct {
			Word  string `json:"word"`
			Index int    `json:"index"`
		} `json:"underflow"`
	}
	text, _ = call(t, cs, "forth_compose", map[string]any{"words": "dup * swap", "stack": "n"}, &c)
	if c.Effect == nil || *c.Effect != "( x1 n -- x2 x1 )" && c.Underflow == nil || c.Underflow.Word != "swap" || c.Underflow.Index != 2 {
		t.Errorf("compose: %+v\n%s", c, text)
	}

	var st struct {
		Before []string `json:"before"`
		After  []string `json:"after"`
	}
	call(t, cs, "forth_stack_at", map[string]any{"text": ": sum3 ( a b c -- s ) + + ;", "definition": "sum3", "word": "+", "occurrence": 2}, &st)
	if strings.Join(st.Before, "|") != "( a s )" || strings.Join(st.After, "|") != "( s )" {
		t.Errorf("stack_at by name: %+v", st)
	}
	call(t, cs, "forth_stack_at", map[string]any{"text": ": sum3 ( a b c -- s ) + + ;", "offset": 22}, &st)
	if strings.Join(st.Before, "|") != "( a b c )" {
		t.Errorf("stack_at by offset: %+v", st)
	}
	call(t, cs, "forth_stack_at", map[string]any{"path": "lib.fs", "line": 1, "column": 23}, &st)
	if strings.Join(st.After, "|") != "( n*n )" {
		t.Errorf("stack_at in a file: %+v", st)
	}

	var w struct {
		Effect      string `json:"effect"`
		Description string `json:"description"`
	}
	call(t, cs, "forth_word", map[string]any{"name": "swap"}, &w)
	if w.Effect != "( x1 x2 -- x2 x1 )" || w.Description == "" {
		t.Errorf("word swap: %+v", w)
	}

	// The project's dialect applies to a file: -rot is not standard.
	var chk struct {
		Diagnostics []struct {
			Code string `json:"code"`
			Line int    `json:"line"`
		} `json:"diagnostics"`
	}
	call(t, cs, "forth_check", map[string]any{"path": "lib.fs"}, &chk)
	if len(chk.Diagnostics) != 1 || chk.Diagnostics[0].Code != "undefined-word" || chk.Diagnostics[0].Line != 2 {
		t.Errorf("check in the project: %+v", chk)
	}

	var gen struct {
		OK          bool `json:"ok"`
		TestResults struct {
			Runner string `json:"runner"`
			Passed int    `json:"passed"`
		} `json:"testResults"`
	}
	text, _ = call(t, cs, "forth_generate", map[string]any{"name": "order-desc", "effect": "( a b -- hi lo )", "pattern": "stack-sort2-001",
		"params": map[string]any{"cmp": "<"}, "examples": []any{map[string]any{"inputs": []int{1, 3}, "outputs": "3 1"}}}, &gen)
	if !gen.OK || gen.TestResults.Runner != "machine" || gen.TestResults.Passed != 1 {
		t.Errorf("generate: %+v\n%s", gen, text)
	}

	var pats struct {
		Patterns []struct {
			ID string `json:"id"`
		} `json:"patterns"`
	}
	call(t, cs, "forth_patterns", map[string]any{"query": "sum range", "limit": 3, "brief": true}, &pats)
	if len(pats.Patterns) == 0 || pats.Patterns[0].ID != "loop-sum-range-001" {
		t.Errorf("patterns: %+v", pats)
	}

	var tr struct {
		Summary struct {
			Passed, Failed int
		} `json:"summary"`
	}
	text, _ = call(t, cs, "forth_test", map[string]any{"text": ": sq dup * ;\nT{ 3 sq -> 9 }T\nT{ 3 sq -> 8 }T\n"}, &tr)
	if tr.Summary.Passed != 1 || tr.Summary.Failed != 1 || !strings.Contains(text, "expected 8, got 9") {
		t.Errorf("test: %+v\n%s", tr, text)
	}

	// Errors are tool errors that say what to fix; the session goes on.
	text, isErr := call(t, cs, "forth_verify", map[string]any{"effect": "( -- )"}, nil)
	if !isErr || !strings.Contains(text, "missing") || !strings.Contains(text, "code") {
		t.Errorf("missing code: error %v %q", isErr, text)
	}
	text, isErr = call(t, cs, "forth_word", map[string]any{"name": "no-such-word"}, nil)
	if !isErr || !strings.Contains(text, "not-found") {
		t.Errorf("unknown word: error %v %q", isErr, text)
	}
	text, isErr = call(t, cs, "forth_verify", map[string]any{"code": ": f ;", "colour": "red"}, nil)
	if !isErr || !strings.Contains(text, "colour") {
		t.Errorf("unknown argument: error %v %q", isErr, text)
	}
}

// TestMCPMalformedLines sends lines the SDK's stdio transport would end
// the session on (go-sdk issue #1209): each gets a JSON-RPC error and
// the session goes on.
func TestMCPMalformedLines(t *testing.T) {
	cmd := exec.Command(binary, "mcp")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	r := bufio.NewReader(stdout)
	read := func() map[string]any {
		t.Helper()
		line, err := r.ReadBytes('\n')
		if err != nil {
			t.Fatalf("reading an answer: %v", err)
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("answer %q: %v", line, err)
		}
		return m
	}
	errCode := func(m map[string]any) float64 {
		e, _ := m["error"].(map[string]any)
		c, _ := e["code"].(float64)
		return c
	}
	send := func(s string) { io.WriteString(stdin, s+"\n") }

	send(`{bad json`)
	if m := read(); errCode(m) != -32700 || m["id"] != nil {
		t.Errorf("malformed line: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`)
	if m := read(); m["result"] == nil {
		t.Fatalf("initialize after a malformed line: %v", m)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	for _, bad := range []struct {
		line string
		code float64
	}{
		{`not json at all`, -32700},
		{`{"jsonrpc":"2.0","id":2,"method":"tools/list"`, -32700},
		{`[1, 2]`, -32600},
		{`42`, -32600},
		{`{"hello":"world"}`, -32600},
		{`{"jsonrpc":"1.0","id":7,"method":"ping"}`, -32600},
	} {
		send(bad.line)
		m := read()
		if errCode(m) != bad.code {
			t.Errorf("%s: %v, want error %v", bad.line, m, bad.code)
		}
		if bad.line[0] == '{' && strings.Contains(bad.line, `"id":7`) && m["id"] != float64(7) {
			t.Errorf("%s: the error should carry id 7: %v", bad.line, m)
		}
	}
	send(`{"jsonrpc":"2.0","id":3,"method":"ping"}`)
	if m := read(); m["id"] != float64(3) || m["result"] == nil {
		t.Errorf("ping after malformed lines: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"forth_compose","arguments":{"words":"swap"}}}`)
	if m := read(); m["id"] != float64(4) || m["result"] == nil {
		t.Errorf("a tool call after malformed lines: %v", m)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after stdin closed: %v", err)
	}
}

// startHTTP starts the binary with args and waits for the line on stderr
// that says where it listens: the address.
func startHTTP(t *testing.T, args ...string) (addr string, cmd *exec.Cmd, stderrLines <-chan string) {
	t.Helper()
	cmd = exec.Command(binary, args...)
	cmd.Dir = t.TempDir()
	errPipe, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 1024)
	re := regexp.MustCompile(`http://([0-9.:\[\]a-z]+)`)
	sc := bufio.NewScanner(errPipe)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		t.Fatalf("%v: no address on stderr", args)
	}
	go func() {
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
	}()
	return addr, cmd, lines
}

func TestMCPHTTP(t *testing.T) {
	addr, _, _ := startHTTP(t, "mcp", "--http", "127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "fastforth-test", Version: "1"}, nil)
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: "http://" + addr + "/mcp"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	var v struct {
		Verified bool `json:"verified"`
	}
	call(t, cs, "forth_verify", map[string]any{"code": ": sq ( n -- n*n ) dup * ;"}, &v)
	if !v.Verified {
		t.Errorf("verify over HTTP: %+v", v)
	}
	// gforth is not run by a network server unless allowed.
	text, isErr := call(t, cs, "forth_test", map[string]any{"text": "T{ 1 -> 1 }T", "gforth": true}, nil)
	if !isErr || !strings.Contains(text, "forbidden") {
		t.Errorf("gforth over HTTP: %v %q", isErr, text)
	}
}
