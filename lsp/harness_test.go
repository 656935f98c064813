package lsp

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// syncBuffer collects the server's log for a failing test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness runs a Server in process over pipes.
type harness struct {
	*lsptest.Client
	t      *testing.T
	in     *io.PipeWriter // the server's input
	status chan int
	log    *syncBuffer
	srv    *server
}

// startServer starts a server; hook, when not nil, runs on the worker
// before each event.
func startServer(t *testing.T, opts Options, hook func(event)) *harness {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	buf := &syncBuffer{}
	core := zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()), zapcore.AddSync(buf), zap.DebugLevel)
	opts.Logger = zap.New(core)
	s := newServer(opts, opts.Logger)
	s.work.beforeEvent = hook
	h := &harness{t: t, in: inW, status: make(chan int, 1), log: buf, srv: s}
	go func() {
		h.status <- s.serve(context.Background(), inR, outW)
		outW.Close()
	}()
	h.Client = lsptest.New(t, outR, inW)
	h.Timeout = 10 * time.Second
	t.Cleanup(func() {
		inW.Close()
		select {
		case <-h.status:
		case <-time.After(10 * time.Second):
			t.Error("the server did not stop after its input closed")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", buf.String())
		}
	})
	return h
}

// initialize runs the handshake with the given client capabilities.
func (h *harness) initialize(caps map[string]any) map[string]any {
	h.t.Helper()
	if caps == nil {
		caps = map[string]any{}
	}
	var res map[string]any
	h.Request("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": caps}, &res)
	h.Notify("initialized", map[string]any{})
	return res
}

// exitStatus waits for Serve to return.
func (h *harness) exitStatus() int {
	h.t.Helper()
	select {
	case code := <-h.status:
		h.status <- code // for Cleanup
		return code
	case <-time.After(10 * time.Second):
		h.t.Fatal("the server did not stop")
	}
	return -1
}

func open(h *harness, uri, text string, version int) {
	h.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "forth", "version": version, "text": text}})
}

func change(h *harness, uri string, version int, changes ...map[string]any) {
	h.Notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": changes})
}

func insert(line, char int, text string) map[string]any {
	p := map[string]any{"line": line, "character": char}
	return map[string]any{"range": map[string]any{"start": p, "end": p}, "text": text}
}

func hoverAt(h *harness, uri string, line, char int) *lsptest.Hover {
	h.t.Helper()
	var res *lsptest.Hover
	h.Request("textDocument/hover", map[string]any{
		"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": line, "character": char}}, &res)
	return res
}
