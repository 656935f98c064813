package main

// End-to-end tests of `fastforth lsp`: the real binary (built by TestMain)
// over real pipes, driven by a Content-Length framed JSON-RPC client
// (internal/lsptest) that shares no code with the server. Every wait is on
// the server's messages, or its exit, with a deadline.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/internal/lsptest"
)

// lspProcess is a running `fastforth lsp`.
type lspProcess struct {
	*lsptest.Client
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *syncBuffer
	exited chan struct{}
	err    error // cmd.Wait's, once exited is closed
}

func startLSP(t *testing.T, args ...string) *lspProcess {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"lsp"}, args...)...)
	p := &lspProcess{t: t, cmd: cmd, stderr: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	var err error
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.Client = lsptest.New(t, stdout, p.stdin)
	go func() {
		// Wait closes stdout once the process is gone: the client's
		// reader sees the end of the output either way.
		p.err = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("server stderr:\n%s", p.stderr.String())
		}
	})
	return p
}

// exitCode waits for the process to end.
func (p *lspProcess) exitCode() int {
	p.t.Helper()
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		p.t.Fatal("the server did not exit")
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		p.t.Fatalf("waiting for the server: %v", p.err)
	}
	return 0
}

func (p *lspProcess) initialize() map[string]any {
	p.t.Helper()
	var res map[string]any
	p.Request("initialize", map[string]any{"processId": os.Getpid(), "rootUri": nil,
		"clientInfo": map[string]any{"name": "fastforth e2e test"}, "capabilities": map[string]any{}}, &res)
	p.Notify("initialized", map[string]any{})
	return res
}

func wantRPCError(t *testing.T, m lsptest.Message, code int) {
	t.Helper()
	if m.Error == nil || m.Error.Code != code {
		t.Fatalf("want error %d, got error %+v result %s", code, m.Error, m.Result)
	}
}

// utf16Col is the UTF-16 length of s.
func utf16Col(s string) int { return len(utf16.Encode([]rune(s))) }

// position converts a byte offset to an LSP position (UTF-16), splitting
// lines at "\r\n", "\r" and "\n" itself.
func position(text string, off int) lsptest.Position {
	line, start := 0, 0
	for i := 0; i < off && i < len(text); i++ {
		switch text[i] {
		case '\n':
			line, start = line+1, i+1
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				if i+1 >= off {
					return lsptest.Position{Line: line, Character: utf16Col(text[start:i])}
				}
				i++
			}
			line, start = line+1, i+1
		}
	}
	return lsptest.Position{Line: line, Character: utf16Col(text[start:off])}
}

// expectedDiagnostics analyses text from scratch, as the server should
// have after the edits, and converts the result to LSP diagnostics.
func expectedDiagnostics(path, text string) []lsptest.Diagnostic {
	r := analysis.New(analysis.Options{}).Analyze(path, []byte(text))
	var out []lsptest.Diagnostic
	for _, d := range r.Diags {
		out = append(out, lsptest.Diagnostic{
			Range:    lsptest.Range{Start: position(text, d.Start), End: position(text, d.End)},
			Severity: int(d.Severity), Code: string(d.Code), Source: "fastforth", Message: d.Message,
		})
	}
	return sortDiags(out)
}

func sortDiags(ds []lsptest.Diagnostic) []lsptest.Diagnostic {
	ds = append([]lsptest.Diagnostic{}, ds...)
	sort.SliceStable(ds, func(i, j int) bool { return fmt.Sprint(ds[i]) < fmt.Sprint(ds[j]) })
	return ds
}

func sameDiags(t *testing.T, what string, got, want []lsptest.Diagnostic) {
	t.Helper()
	g, _ := json.MarshalIndent(sortDiags(got), "", " ")
	w, _ := json.MarshalIndent(sortDiags(want), "", " ")
	if !bytes.Equal(g, w) {
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// wordPos finds the n-th (from 0) occurrence of word in text and returns
// its LSP range.
func wordPos(t *testing.T, text, word string, n int) lsptest.Range {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(text[off+1:], word)
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times", word, n+1)
		}
		off += 1 + j
	}
	return lsptest.Range{Start: position(text, off), End: position(text, off+len(word))}
}

// demo has errors, CRLF line ends and characters outside the BMP, so that
// UTF-16 columns differ from bytes.
const demo = "\\ demo for the language server 😀\r\n" +
	"\\ squares a number\r\n" +
	": sq ( n -- n*n ) dup * ;\r\n" +
	": 😀x ( a b -- c ) over + ;\r\n" +
	": bad ( n -- ) dup 0< if drop then ;\r\n" +
	": typo ( n -- n n ) dup swp ;\r\n" +
	"1 2 😀x sq .\r\n"

func TestLSPSession(t *testing.T) {
	p := startLSP(t, "--stdio")
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.fs")
	u := "file://" + filepath.ToSlash(path)

	// A request before initialize.
	wantRPCError(t, p.Response(p.Call("textDocument/hover", map[string]any{
		"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": 0, "character": 0}})), -32002)

	res := p.initialize()
	caps, _ := res["capabilities"].(map[string]any)
	if caps["positionEncoding"] != "utf-16" || caps["hoverProvider"] != true {
		t.Fatalf("capabilities %v", caps)
	}
	if ts, _ := caps["textDocumentSync"].(map[string]any); ts["change"] != 2.0 || ts["openClose"] != true {
		t.Fatalf("textDocumentSync %v", caps["textDocumentSync"])
	}

	// didOpen a document with errors: diagnostics with the right codes
	// and UTF-16 ranges.
	text := demo
	version := 1
	p.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "forth", "version": version, "text": text}})
	pub := lsptest.Notification[lsptest.PublishDiagnostics](t, p.Wait("diagnostics of version 1", lsptest.IsPublish(u, version)))
	byCode := map[string]lsptest.Diagnostic{}
	for _, d := range pub.Diagnostics {
		byCode[d.Code] = d
		if d.Source != "fastforth" {
			t.Errorf("source %q", d.Source)
		}
	}
	for code, want := range map[string]lsptest.Range{
		"undefined-word":      wordPos(t, text, "swp", 0),
		"effect-mismatch":     wordPos(t, text, "( a b -- c )", 0),
		"unbalanced-branches": wordPos(t, text, "then", 0),
	} {
		d, ok := byCode[code]
		if !ok {
			t.Fatalf("no %s diagnostic in %+v", code, pub.Diagnostics)
		}
		if d.Range != want || d.Severity != 1 {
			t.Errorf("%s at %+v severity %d, want %+v severity 1", code, d.Range, d.Severity, want)
		}
	}
	// "( a b -- c )" follows ": 😀x ": UTF-16 column 6 (byte column 8).
	if got := byCode["effect-mismatch"].Range.Start; got != (lsptest.Position{Line: 3, Character: 6}) {
		t.Errorf("effect-mismatch starts at %+v", got)
	}
	sameDiags(t, "diagnostics of the opened document", pub.Diagnostics, expectedDiagnostics(path, text))

	// Hovers: a builtin inside a definition, a user word at top level.
	var hov *lsptest.Hover
	dupAt := wordPos(t, text, "dup", 0)
	p.Request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": dupAt.Start}, &hov)
	if hov == nil || hov.Range == nil || *hov.Range != dupAt || hov.Contents.Kind != "markdown" {
		t.Fatalf("hover on dup: %+v", hov)
	}
	for _, w := range []string{"dup ( x -- x x )", "core word set", "In `sq` `( n -- n*n )`:", "- before: `( n )`", "- after: `( n n )`"} {
		if !strings.Contains(hov.Contents.Value, w) {
			t.Errorf("hover on dup lacks %q:\n%s", w, hov.Contents.Value)
		}
	}
	useAt := wordPos(t, text, "😀x", 1)
	p.Request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": useAt.Start}, &hov)
	if hov == nil || hov.Range == nil || *hov.Range != useAt {
		t.Fatalf("hover on 😀x: %+v", hov)
	}
	for _, w := range []string{"😀x ( a b -- c )", "they disagree", "Defined at [demo.fs:4:3](" + u + "#L4)"} {
		if !strings.Contains(hov.Contents.Value, w) {
			t.Errorf("hover on 😀x lacks %q:\n%s", w, hov.Contents.Value)
		}
	}

	// An unknown method, malformed JSON, a notification with bad params:
	// answered or dropped, and the server keeps answering.
	wantRPCError(t, p.Response(p.Call("fastforth/unknown", map[string]any{})), -32601)
	p.WriteRaw([]byte(`{"jsonrpc":"2.0","id":999,"method":"textDocument/hover","params":`))
	p.Wait("the parse error", func(m lsptest.Message) bool {
		return string(m.ID) == "null" && m.Error != nil && m.Error.Code == -32700
	})
	p.Notify("textDocument/didChange", map[string]any{"textDocument": "not an object", "contentChanges": 7})
	p.Notify("textDocument/didOpen", []int{1, 2, 3})
	var rep lsptest.FullReport
	p.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}}, &rep)
	if rep.Kind != "full" {
		t.Fatalf("report %+v", rep)
	}
	sameDiags(t, "pulled after bad messages", rep.Items, pub.Diagnostics)

	// Type a new definition character by character at the end, with a
	// typo corrected by backspace, as an editor sends it: one change per
	// key, positions in UTF-16 units.
	typed := []string{}
	for _, piece := range []string{": cube ( n -- n*n*n ) dup dup * * ;", "\r\n", ": uses ( a b -- c ) 😀x ;", "\r\n", "2 cubx"} {
		if piece == "\r\n" {
			typed = append(typed, piece)
			continue
		}
		for _, r := range piece {
			typed = append(typed, string(r))
		}
	}
	edit := func(start, end int, newText string) {
		version++
		p.Notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": u, "version": version},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": position(text, start), "end": position(text, end)}, "text": newText}},
		})
		text = text[:start] + newText + text[end:]
	}
	for _, key := range typed {
		edit(len(text), len(text), key)
	}
	// Backspace "x", type "e 12 +" over it.
	_, size := utf8.DecodeLastRuneInString(text)
	edit(len(text)-size, len(text), "")
	for _, key := range []string{"e", " ", "1", "2", " ", "+"} {
		edit(len(text), len(text), key)
	}
	// And an edit inside an existing definition, before an emoji.
	at := strings.Index(text, "over +")
	edit(at, at+len("over"), "swap")
	pub = lsptest.Notification[lsptest.PublishDiagnostics](t, p.Wait(fmt.Sprintf("diagnostics of version %d", version), lsptest.IsPublish(u, version)))
	sameDiags(t, "diagnostics after typing", pub.Diagnostics, expectedDiagnostics(path, text))
	p.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}}, &rep)
	sameDiags(t, "pulled after typing", rep.Items, pub.Diagnostics)
	cubeAt := wordPos(t, text, "cube", 1)
	p.Request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": cubeAt.Start}, &hov)
	if hov == nil || !strings.Contains(hov.Contents.Value, "cube ( n -- n*n*n )") || !strings.Contains(hov.Contents.Value, "they agree") {
		t.Fatalf("hover on the typed word: %+v", hov)
	}

	// Cancellation: a large document keeps the worker busy re-reading it
	// while a hover and its $/cancelRequest arrive in one write. A hover
	// still queued when its cancellation is read is answered -32800; one
	// that finished first is answered normally. Either way exactly one
	// answer, and the server goes on.
	bigURI := "file://" + filepath.ToSlash(filepath.Join(dir, "big.fs"))
	var big strings.Builder
	for i := 0; i < 30000; i++ {
		fmt.Fprintf(&big, ": w%d ( a b -- c ) + ;\n", i)
	}
	p.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": bigURI, "languageId": "forth", "version": 1, "text": big.String()}})
	p.Wait("diagnostics of the big document", lsptest.IsPublish(bigURI, 1))
	cancelled := 0
	for attempt := 0; attempt < 3; attempt++ {
		v := 2 + attempt
		id := p.NextID()
		p.WriteFrames(
			// A new line at the top: the whole file is read again.
			lsptest.Frame(lsptest.NotifyMsg("textDocument/didChange", map[string]any{
				"textDocument":   map[string]any{"uri": bigURI, "version": v},
				"contentChanges": []any{map[string]any{"range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 0, "character": 0}}, "text": fmt.Sprintf("%d drop\n", attempt)}},
			})),
			lsptest.Frame(lsptest.CallMsg(id, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": bigURI}, "position": map[string]any{"line": 1, "character": 2}})),
			lsptest.Frame(lsptest.NotifyMsg("$/cancelRequest", map[string]any{"id": id})),
		)
		m := p.Response(id)
		switch {
		case m.Error != nil && m.Error.Code == -32800:
			cancelled++
		case m.Error != nil:
			t.Fatalf("cancelled hover answered %+v", m.Error)
		}
		p.Wait("diagnostics of the big document", lsptest.IsPublish(bigURI, v))
	}
	t.Logf("%d of 3 hovers cancelled", cancelled)
	if cancelled == 0 {
		t.Errorf("no hover was cancelled while the worker was busy")
	}
	for _, m := range p.Drain() {
		if m.Method == "" {
			t.Errorf("unexpected response %+v", m)
		}
	}

	// didClose clears the document's diagnostics.
	p.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": u}})
	pub = lsptest.Notification[lsptest.PublishDiagnostics](t, p.Wait("cleared diagnostics", lsptest.IsPublish(u, -1)))
	if pub.Diagnostics == nil || len(pub.Diagnostics) != 0 {
		t.Fatalf("after didClose: %+v", pub)
	}

	// shutdown, then exit: status 0.
	m := p.Response(p.Call("shutdown", nil))
	if m.Error != nil || string(m.Result) != "null" {
		t.Fatalf("shutdown answered %+v %s", m.Error, m.Result)
	}
	wantRPCError(t, p.Response(p.Call("textDocument/hover", map[string]any{})), -32600)
	p.Notify("exit", nil)
	if code := p.exitCode(); code != 0 {
		t.Fatalf("exit status %d after shutdown and exit, want 0", code)
	}
}

func TestLSPExitWithoutShutdown(t *testing.T) {
	p := startLSP(t)
	p.initialize()
	p.Notify("exit", nil)
	if code := p.exitCode(); code != 1 {
		t.Fatalf("exit status %d after exit without shutdown, want 1", code)
	}
}

func TestLSPStdinClosed(t *testing.T) {
	for _, initialize := range []bool{false, true} {
		t.Run(fmt.Sprint("initialized=", initialize), func(t *testing.T) {
			p := startLSP(t, "--stdio")
			if initialize {
				p.initialize()
			}
			p.stdin.Close()
			if code := p.exitCode(); code != 1 {
				t.Fatalf("exit status %d when the input closed without shutdown, want 1", code)
			}
		})
	}
}

func TestLSPLogFile(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "lsp.log")
	p := startLSP(t, "--stdio", "--log", logFile)
	p.initialize()
	p.Request("shutdown", nil, nil)
	p.Notify("exit", nil)
	if code := p.exitCode(); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"initialize", "fastforth e2e test", "request answered"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("log lacks %q:\n%s", w, b)
		}
	}
	if s := p.stderr.String(); s != "" {
		t.Errorf("with --log, stderr got %q", s)
	}
}

func TestLSPUsage(t *testing.T) {
	r := fastforth(t, "", "lsp", "extra")
	wantCode(t, r, 2)
	r = fastforth(t, "", "lsp", "--no-such-flag")
	wantCode(t, r, 2)
	r = fastforth(t, "", "lsp", "--dialect", "forth83")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "--dialect") {
		t.Errorf("stderr %q", r.stderr)
	}
	r = fastforth(t, "", "lsp", "--log", filepath.Join(t.TempDir(), "no", "such", "dir", "x.log"))
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "log file") {
		t.Errorf("stderr %q", r.stderr)
	}
}
