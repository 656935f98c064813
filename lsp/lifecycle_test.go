package lsp

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// JSON-RPC and LSP error codes the server sends.
const (
	codeParse          = -32700
	codeInvalidRequest = -32600
	codeMethodNotFound = -32601
	codeInvalidParams  = -32602
	codeInternal       = -32603
	codeNotInitialized = -32002
	codeCancelled      = -32800
)

func wantError(t *testing.T, m lsptest.Message, code int) {
	t.Helper()
	if m.Error == nil || m.Error.Code != code {
		t.Fatalf("want error %d, got %+v (result %s)", code, m.Error, m.Result)
	}
}

func TestLifecycle(t *testing.T) {
	h := startServer(t, Options{}, nil)
	// Before initialize: requests fail with -32002, notifications are
	// dropped.
	wantError(t, h.Response(h.Call("textDocument/hover", map[string]any{})), codeNotInitialized)
	wantError(t, h.Response(h.Call("shutdown", nil)), codeNotInitialized)
	open(h, "file:///tmp/early.fs", "swp", 1)
	// Invalid initialize params: -32602, and still not initialized.
	wantError(t, h.Response(h.Call("initialize", "nonsense")), codeInvalidParams)
	wantError(t, h.Response(h.Call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": "file:///tmp/early.fs"}})), codeNotInitialized)

	h.initialize(nil)
	wantError(t, h.Response(h.Call("initialize", map[string]any{"capabilities": map[string]any{}})), codeInvalidRequest)
	// The document opened before initialize was dropped.
	var rep lsptest.FullReport
	h.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": "file:///tmp/early.fs"}}, &rep)
	if rep.Kind != "full" || rep.Items == nil || len(rep.Items) != 0 {
		t.Fatalf("report for a document never opened: %+v", rep)
	}
	wantError(t, h.Response(h.Call("workspace/willRenameFiles", map[string]any{"files": []any{}})), codeMethodNotFound)
	wantError(t, h.Response(h.Call("textDocument/hover", map[string]any{"textDocument": 3})), codeInvalidParams)
	wantError(t, h.Response(h.Call("textDocument/hover", nil)), codeInvalidParams)
	wantError(t, h.Response(h.Call("textDocument/hover", map[string]any{"position": map[string]any{"line": 0, "character": 0}})), codeInvalidParams)
	wantError(t, h.Response(h.Call("textDocument/hover", map[string]any{
		"textDocument": map[string]any{"uri": "file:///tmp/a.fs"}, "position": map[string]any{"line": -1, "character": 0}})), codeInvalidParams)

	m := h.Response(h.Call("shutdown", nil))
	if m.Error != nil || string(m.Result) != "null" {
		t.Fatalf("shutdown answered %+v %s", m.Error, m.Result)
	}
	wantError(t, h.Response(h.Call("textDocument/hover", map[string]any{})), codeInvalidRequest)
	h.Notify("exit", nil)
	if code := h.exitStatus(); code != ExitOK {
		t.Fatalf("exit status %d after shutdown and exit", code)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	h.Notify("exit", nil)
	if code := h.exitStatus(); code != ExitNoShutdown {
		t.Fatalf("exit status %d, want %d", code, ExitNoShutdown)
	}
}

func TestInputClosed(t *testing.T) {
	for _, shutdown := range []bool{false, true} {
		h := startServer(t, Options{}, nil)
		h.initialize(nil)
		want := ExitNoShutdown
		if shutdown {
			h.Request("shutdown", nil, nil)
			want = ExitOK
		}
		h.in.Close()
		if code := h.exitStatus(); code != want {
			t.Fatalf("shutdown %v: exit status %d, want %d", shutdown, code, want)
		}
		h.WaitClosed()
	}
}

func TestMalformedMessages(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	isNullIDError := func(code int) func(lsptest.Message) bool {
		return func(m lsptest.Message) bool {
			return m.Method == "" && string(m.ID) == "null" && m.Error != nil && m.Error.Code == code
		}
	}
	h.WriteRaw([]byte(`{"jsonrpc":"2.0","id":41,"method":"textDocument/hover","params":{`))
	h.Wait("parse error", isNullIDError(codeParse))
	h.WriteRaw([]byte(`not json at all`))
	h.Wait("parse error", isNullIDError(codeParse))
	h.WriteRaw([]byte(`[{"jsonrpc":"2.0","id":42,"method":"shutdown"}]`))
	h.Wait("invalid request (batch)", isNullIDError(codeInvalidRequest))
	// A request without "jsonrpc": answered with its id.
	h.WriteRaw([]byte(`{"id":43,"method":"shutdown"}`))
	wantError(t, h.Response(43), codeInvalidRequest)
	h.WriteRaw([]byte(`{"jsonrpc":"2.0","id":"s44","method":7}`))
	h.Wait("invalid request with a string id", func(m lsptest.Message) bool {
		return string(m.ID) == `"s44"` && m.Error != nil && m.Error.Code == codeInvalidRequest
	})
	// A malformed response is dropped, and unknown notifications ignored.
	h.WriteRaw([]byte(`{"jsonrpc":"1.0","id":5,"result":1}`))
	h.Notify("$/setTrace", map[string]any{"value": "off"})
	h.Notify("workspace/didChangeConfiguration", map[string]any{"settings": nil})
	// Notifications with bad params are dropped; the server goes on.
	h.Notify("textDocument/didOpen", "nope")
	h.Notify("textDocument/didChange", map[string]any{"textDocument": 5})
	h.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": "file:///tmp/x.fs", "version": 2}, "contentChanges": []any{nil}})
	h.Notify("textDocument/didClose", nil)
	h.Notify("$/cancelRequest", map[string]any{"id": []int{1}})
	const u = "file:///tmp/after.fs"
	open(h, u, ": f ( -- ) swp ;", 1)
	p := lsptest.Notification[lsptest.PublishDiagnostics](t, h.Wait("diagnostics", lsptest.IsPublish(u, 1)))
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != "undefined-word" {
		t.Fatalf("diagnostics after malformed messages: %+v", p.Diagnostics)
	}
	for _, m := range h.Drain() {
		t.Errorf("unexpected message %+v", m)
	}
}

// blocker holds the worker when it reaches a request, until released.
type blocker struct {
	method  string
	reached chan struct{}
	release chan struct{}
	panics  bool
}

func newBlocker(method string) *blocker {
	return &blocker{method: method, reached: make(chan struct{}, 1), release: make(chan struct{})}
}

func (b *blocker) hook(ev event) {
	if ev.kind != evCall || ev.call.method != b.method {
		return
	}
	select {
	case b.reached <- struct{}{}:
	default:
		return // only the first such request
	}
	<-b.release
	if b.panics {
		panic("injected failure")
	}
}

func TestCancelQueuedRequest(t *testing.T) {
	b := newBlocker("textDocument/diagnostic")
	h := startServer(t, Options{}, b.hook)
	h.initialize(nil)
	const u = "file:///tmp/cancel.fs"
	open(h, u, ": f ( -- ) swp ;", 1)
	h.Wait("diagnostics", lsptest.IsPublish(u, 1))

	held := h.Call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}})
	<-b.reached // the worker holds the request: it cannot answer now
	queued := h.Call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": 0, "character": 12}})
	h.Notify("$/cancelRequest", map[string]any{"id": queued})
	wantError(t, h.Response(queued), codeCancelled)
	h.Notify("$/cancelRequest", map[string]any{"id": held})
	wantError(t, h.Response(held), codeCancelled)
	close(b.release)

	// The server goes on, and answers each request exactly once.
	if res := hoverAt(h, u, 0, 12); res == nil || !strings.Contains(res.Contents.Value, "- after: not known (the word is undefined)") {
		t.Fatalf("hover after cancellations: %+v", res)
	}
	for _, m := range h.Drain() {
		t.Errorf("unexpected message %+v", m)
	}
	// Cancelling what is already answered, or never was, is harmless.
	h.Notify("$/cancelRequest", map[string]any{"id": held})
	h.Notify("$/cancelRequest", map[string]any{"id": "nope"})
	h.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}}, nil)
}

// TestNewerChangeSupersedesPublication queues many edits while the worker
// is busy: only the last version's diagnostics are published.
func TestNewerChangeSupersedesPublication(t *testing.T) {
	b := newBlocker("textDocument/hover")
	h := startServer(t, Options{}, b.hook)
	h.initialize(nil)
	const u = "file:///tmp/burst.fs"
	open(h, u, "", 1)
	h.Wait("diagnostics", lsptest.IsPublish(u, 1))

	hold := h.Call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": 0, "character": 0}})
	<-b.reached
	text := ": f ( n -- ) swp ;"
	for i, c := range text {
		change(h, u, 2+i, insert(0, i, string(c)))
	}
	last := 1 + len(text)
	// The reader answers an unknown method itself, in order: once it has,
	// every edit before it is in the worker's queue.
	wantError(t, h.Response(h.Call("fastforth/sync", nil)), codeMethodNotFound)
	close(b.release)
	h.Response(hold)
	m := h.Wait("the next publication", lsptest.IsPublish(u, -1))
	p := lsptest.Notification[lsptest.PublishDiagnostics](t, m)
	if p.Version == nil || *p.Version != last {
		t.Fatalf("published %s after the burst, want only version %d", m.Params, last)
	}
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != "undefined-word" {
		t.Fatalf("diagnostics %+v", p.Diagnostics)
	}
}

func TestPanicInRequest(t *testing.T) {
	b := newBlocker("textDocument/diagnostic")
	b.panics = true
	close(b.release)
	h := startServer(t, Options{}, b.hook)
	h.initialize(nil)
	const u = "file:///tmp/panic.fs"
	open(h, u, "1 2 +", 1)
	wantError(t, h.Response(h.Call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}})), codeInternal)
	// Still serving.
	var rep lsptest.FullReport
	h.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}}, &rep)
	if rep.Kind != "full" {
		t.Fatalf("report %+v", rep)
	}
	if !strings.Contains(h.log.String(), "injected failure") {
		t.Error("the panic was not logged")
	}
}

// TestPullClient: a client that pulls diagnostics gets them on request and
// none pushed (it would show both); closing still clears.
func TestPullClient(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(map[string]any{"textDocument": map[string]any{"diagnostic": map[string]any{"dynamicRegistration": false}}})
	const u = "file:///tmp/pull.fs"
	open(h, u, "\\ 😀\n: f ( a b -- c ) over + ;\nswp", 1)
	var rep lsptest.FullReport
	h.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}}, &rep)
	got, _ := json.Marshal(rep.Items)
	want := `[{"range":{"start":{"line":1,"character":4},"end":{"line":1,"character":16}},"severity":1,"code":"effect-mismatch","source":"fastforth","message":"declared ( a b -- c ) but the body does ( a b -- a x1 )"},` +
		`{"range":{"start":{"line":2,"character":0},"end":{"line":2,"character":3}},"severity":1,"code":"undefined-word","source":"fastforth","message":"undefined word swp"}]`
	if string(got) != want {
		t.Fatalf("pulled\n got %s\nwant %s", got, want)
	}
	change(h, u, 2, insert(2, 3, "\n"))
	h.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}}, &rep)
	for _, m := range h.Drain() {
		t.Errorf("unexpected message %+v", m)
	}
	h.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": u}})
	p := lsptest.Notification[lsptest.PublishDiagnostics](t, h.Wait("cleared diagnostics", lsptest.IsPublish(u, -1)))
	if p.Diagnostics == nil || len(p.Diagnostics) != 0 || p.Version != nil {
		t.Fatalf("after close: %+v", p)
	}
}

// TestVSCodeInitialize initializes with capabilities shaped like those VS
// Code sends (testdata/initialize-vscode.json, written for this test): it
// pulls diagnostics, so none are pushed.
func TestVSCodeInitialize(t *testing.T) {
	raw, err := os.ReadFile("testdata/initialize-vscode.json")
	if err != nil {
		t.Fatal(err)
	}
	h := startServer(t, Options{}, nil)
	m := h.Response(h.Call("initialize", json.RawMessage(raw)))
	if m.Error != nil {
		t.Fatalf("initialize: %+v", m.Error)
	}
	h.Notify("initialized", map[string]any{})
	const u = "file:///home/u/proj/a.fs"
	open(h, u, "swp", 1)
	var rep lsptest.FullReport
	h.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}}, &rep)
	if len(rep.Items) != 1 || rep.Items[0].Code != "undefined-word" {
		t.Fatalf("pulled %+v", rep.Items)
	}
	h.Request("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}}, &rep)
	for _, m := range h.Drain() {
		if m.Method == "client/registerCapability" {
			continue // the file watcher, which VS Code can register (workspace.go)
		}
		if m.Method == "workspace/configuration" {
			continue // the settings, which VS Code offers (settings.go)
		}
		t.Errorf("unexpected message %+v", m)
	}
}

// TestLenientInitialize: a capability of the wrong type does not keep the
// client from starting; params that are not an object do.
func TestLenientInitialize(t *testing.T) {
	h := startServer(t, Options{}, nil)
	m := h.Response(h.Call("initialize", map[string]any{"capabilities": map[string]any{
		"window":  map[string]any{"workDoneProgress": "yes"},
		"general": map[string]any{"positionEncodings": []string{"utf-8"}},
	}}))
	if m.Error != nil {
		t.Fatalf("initialize: %+v", m.Error)
	}
	var res struct {
		Capabilities struct {
			PositionEncoding string `json:"positionEncoding"`
		} `json:"capabilities"`
	}
	if err := json.Unmarshal(m.Result, &res); err != nil || res.Capabilities.PositionEncoding != "utf-8" {
		t.Fatalf("result %s (%v)", m.Result, err)
	}
	if !strings.Contains(h.log.String(), "read leniently") {
		t.Error("the lenient read was not logged")
	}
}
