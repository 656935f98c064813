package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// lifecycle is where the connection stands in the LSP lifecycle.
type lifecycle uint8

const (
	stateNew      lifecycle = iota // before initialize
	stateRunning                   // initialize answered
	stateShutdown                  // shutdown received
	stateExited                    // exit received
)

// server is one language server connection.
type server struct {
	opts Options
	log  *zap.Logger
	ctx  context.Context // cancelled when the server stops
	conn jsonrpc2.Conn
	work *worker

	mu sync.Mutex
	// state changes only on the goroutine reading messages, in wire order
	// (the role moves between goroutines when a request handler detaches,
	// but one holds it at a time); Serve reads it at the end.
	state lifecycle
	// calls are the requests not yet answered, for $/cancelRequest; their
	// handlers remove them when they answer.
	calls map[jsonrpc2.ID]*call

	// Set once by initialize, read by the worker and request goroutines.
	utf8 atomic.Bool
	push atomic.Bool // publish diagnostics (the client does not pull them)
	// docChanges: the client takes versioned document edits (rename.go).
	docChanges atomic.Bool

	exited chan int // receives the exit status when the client sends exit
}

func newServer(opts Options, log *zap.Logger) *server {
	s := &server{
		opts:   opts,
		log:    log,
		calls:  make(map[jsonrpc2.ID]*call),
		exited: make(chan int, 1),
	}
	s.push.Store(true)
	s.work = newWorker(s)
	return s
}

func (s *server) lifecycle() lifecycle {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *server) setLifecycle(l lifecycle) {
	s.mu.Lock()
	s.state = l
	s.mu.Unlock()
}

// exitCode is the status for the connection ending now.
func (s *server) exitCode() int {
	if l := s.lifecycle(); l == stateShutdown || l == stateExited {
		return ExitOK
	}
	return ExitNoShutdown
}

func (s *server) encoding() encoding {
	if s.utf8.Load() {
		return encUTF8
	}
	return encUTF16
}

// Errors sent to the client.
var (
	errNotInitialized = jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "the server has not been initialized")
	errShuttingDown   = jsonrpc2.NewError(jsonrpc2.InvalidRequest, "the server is shutting down")
	errCancelled      = jsonrpc2.NewError(protocol.CodeRequestCancelled, "request cancelled")
)

func errMethodNotFound(method string) error {
	return jsonrpc2.NewError(jsonrpc2.MethodNotFound, "method not found: "+method)
}

func errInvalidParams(format string, args ...any) error {
	return jsonrpc2.NewError(jsonrpc2.InvalidParams, "invalid params: "+fmt.Sprintf(format, args...))
}

func errInternal(format string, args ...any) error {
	return jsonrpc2.NewError(jsonrpc2.InternalError, "internal error: "+fmt.Sprintf(format, args...))
}

// handle is the jsonrpc2 handler. It runs on the read goroutine, in wire
// order. It never returns an error for a notification (jsonrpc2 would
// close the connection) and never lets a panic escape (jsonrpc2 would
// close the connection too).
func (s *server) handle(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
	// The method borrows the frame buffer, which the next read reuses once
	// a request handler has detached (Async): keep a copy for the log.
	method := strings.Clone(req.Method())
	start := time.Now()
	paramsSize := len(req.Params()) // for the trace (trace.go)
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("handler panicked", zap.String("method", method), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			result, err = nil, errInternal("%v", r)
		}
		s.trace(method, req.IsCall(), paramsSize, time.Since(start), err)
		if !req.IsCall() {
			if err != nil {
				s.log.Warn("notification dropped", zap.String("method", method), zap.Error(err))
			}
			result, err = nil, nil
			return
		}
		s.log.Debug("request answered", zap.String("method", method), zap.Stringer("id", idString(req.ID())),
			zap.Duration("took", time.Since(start)), zap.Error(err))
	}()
	if req.IsCall() {
		return s.call(ctx, req)
	}
	s.log.Debug("notification", zap.String("method", method))
	return nil, s.notification(req)
}

type idString jsonrpc2.ID

func (id idString) String() string { return fmt.Sprint(jsonrpc2.ID(id)) }

// call answers a request.
func (s *server) call(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	method := req.Method()
	switch s.lifecycle() {
	case stateNew:
		if method != protocol.MethodInitialize {
			return nil, errNotInitialized
		}
		return s.initialize(req.Params())
	case stateShutdown, stateExited:
		return nil, errShuttingDown
	}
	switch method {
	case protocol.MethodInitialize:
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already received")
	case protocol.MethodShutdown:
		// Answered once every message before it has been handled.
		s.setLifecycle(stateShutdown)
		return s.run(ctx, req, func(*worker) (compute, error) { return nil, nil })
	case protocol.MethodTextDocumentHover:
		var p protocol.HoverParams
		if err := decode(req.Params(), &p); err != nil {
			return nil, err
		}
		if p.TextDocument.URI == "" {
			return nil, errInvalidParams("textDocument.uri is required")
		}
		return s.run(ctx, req, func(w *worker) (compute, error) { return w.hover(&p) })
	case protocol.MethodTextDocumentDiagnostic:
		var p protocol.DocumentDiagnosticParams
		if err := decode(req.Params(), &p); err != nil {
			return nil, err
		}
		if p.TextDocument.URI == "" {
			return nil, errInvalidParams("textDocument.uri is required")
		}
		return s.run(ctx, req, func(w *worker) (compute, error) { return w.diagnostic(&p) })
	}
	if f, ok := features[method]; ok {
		prepare, err := f.request(s, req.Params())
		if err != nil {
			return nil, err
		}
		return s.run(ctx, req, prepare)
	}
	return nil, errMethodNotFound(method)
}

// feature is one request method served beside the core ones: it decodes
// the params and returns the work the worker does for it; capabilities
// announces it in initialize's result.
type feature struct {
	request      func(s *server, params jsonrpc2.RawMessage) (func(*worker) (compute, error), error)
	capabilities func(s *server, caps *protocol.ServerCapabilities)
}

// features are registered by the files that implement them (in init), so
// that each feature lives in its own file.
var features = map[string]feature{}

// register adds a feature for method.
func register(method string, f feature) {
	if _, dup := features[method]; dup {
		panic("lsp: " + method + " registered twice")
	}
	features[method] = f
}

// decode reads a request's or notification's params; missing params are
// invalid for every method that takes some.
func decode(raw jsonrpc2.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return errInvalidParams("params are required")
	}
	if err := protocol.Unmarshal(raw, v); err != nil {
		return errInvalidParams("%v", err)
	}
	return nil
}

// notification applies a notification. The returned error is only logged.
func (s *server) notification(req *jsonrpc2.Request) error {
	method := req.Method()
	if method == protocol.MethodExit {
		code := s.exitCode()
		s.setLifecycle(stateExited)
		select {
		case s.exited <- code:
		default:
		}
		return nil
	}
	if method == protocol.MethodCancelRequest {
		return s.cancel(req.Params())
	}
	switch s.lifecycle() {
	case stateNew:
		return fmt.Errorf("received before initialize")
	case stateShutdown, stateExited:
		return fmt.Errorf("received after shutdown")
	}
	switch method {
	case protocol.MethodInitialized:
		s.workspaceInitialized()
		s.settingsInitialized()
		return nil
	case protocol.MethodWorkspaceDidChangeConfiguration:
		return s.didChangeConfiguration(req.Params())
	case protocol.MethodSetTrace:
		return s.setTrace(req.Params())
	case methodDidChangeWorkspaceFolders:
		return s.didChangeWorkspaceFolders(req.Params())
	case methodDidChangeWatchedFiles:
		return s.didChangeWatchedFiles(req.Params())
	case protocol.MethodTextDocumentDidOpen:
		var p protocol.DidOpenTextDocumentParams
		if err := decode(req.Params(), &p); err != nil {
			return err
		}
		if p.TextDocument.URI == "" {
			return errInvalidParams("textDocument.uri is required")
		}
		s.work.q.push(event{kind: evOpen, uri: p.TextDocument.URI, version: p.TextDocument.Version, text: p.TextDocument.Text})
		return nil
	case protocol.MethodTextDocumentDidChange:
		var p protocol.DidChangeTextDocumentParams
		if err := decode(req.Params(), &p); err != nil {
			return err
		}
		if p.TextDocument.URI == "" {
			return errInvalidParams("textDocument.uri is required")
		}
		for i, c := range p.ContentChanges {
			if c == nil {
				return errInvalidParams("contentChanges[%d] is null", i)
			}
		}
		s.work.q.push(event{kind: evChange, uri: p.TextDocument.URI, version: p.TextDocument.Version, changes: p.ContentChanges})
		return nil
	case protocol.MethodTextDocumentDidClose:
		var p protocol.DidCloseTextDocumentParams
		if err := decode(req.Params(), &p); err != nil {
			return err
		}
		if p.TextDocument.URI == "" {
			return errInvalidParams("textDocument.uri is required")
		}
		s.work.q.push(event{kind: evClose, uri: p.TextDocument.URI})
		return nil
	case protocol.MethodTextDocumentDidSave:
		var p protocol.DidSaveTextDocumentParams
		if err := decode(req.Params(), &p); err != nil {
			return err
		}
		s.work.q.push(event{kind: evSave, uri: p.TextDocument.URI})
		return nil
	}
	// $/progress and other notifications: nothing to do.
	s.log.Debug("ignoring notification", zap.String("method", method))
	return nil
}

// initialize negotiates the position encoding and states the capabilities.
func (s *server) initialize(raw jsonrpc2.RawMessage) (any, error) {
	client, useUTF8, pulls, err := s.readInitialize(raw)
	if err != nil {
		return nil, err
	}
	s.readWorkspace(raw)
	s.readSettings(raw)
	s.utf8.Store(useUTF8)
	// A client that pulls diagnostics shows pushed ones beside them, twice
	// over: push only to clients that do not pull.
	s.push.Store(!pulls)
	s.docChanges.Store(readDocumentChanges(raw))
	s.setLifecycle(stateRunning)

	s.log.Info("initialize", zap.String("client", client), zap.Stringer("positionEncoding", s.encoding()),
		zap.Bool("pushDiagnostics", !pulls))

	change := protocol.TextDocumentSyncKindIncremental
	openClose := true
	id := diagnosticSource
	info := protocol.ServerInfo{Name: "fastforth"}
	if s.opts.Version != "" {
		info.Version = protocol.NewOptional(s.opts.Version)
	}
	caps := protocol.ServerCapabilities{
		PositionEncoding: s.encoding().kind(),
		TextDocumentSync: &protocol.TextDocumentSyncOptions{OpenClose: &openClose, Change: &change},
		HoverProvider:    protocol.Boolean(true),
		DiagnosticProvider: &protocol.DiagnosticOptions{
			Identifier: &id,
			// Included files take part in a file's diagnostics.
			InterFileDependencies: true,
		},
	}
	for _, f := range features {
		if f.capabilities != nil {
			f.capabilities(s, &caps)
		}
	}
	return &protocol.InitializeResult{Capabilities: caps, ServerInfo: info}, nil
}

// readInitialize reads what the server uses of initialize's params: the
// client's name, whether it offers UTF-8 positions and whether it pulls
// diagnostics. Params that the protocol types reject (a capability of the
// wrong type, say) but that are a JSON object are read leniently: one odd
// capability must not keep a client from starting.
func (s *server) readInitialize(raw jsonrpc2.RawMessage) (client string, useUTF8, pulls bool, err error) {
	var p protocol.InitializeParams
	if err = decode(raw, &p); err == nil {
		caps := p.Capabilities
		if caps.General != nil {
			useUTF8 = slices.Contains(caps.General.PositionEncodings, protocol.PositionEncodingKindUTF8)
		}
		pulls = caps.TextDocument != nil && caps.TextDocument.Diagnostic != nil
		return p.ClientInfo.Name, useUTF8, pulls, nil
	}
	var loose struct {
		ClientInfo struct {
			Name string `json:"name"`
		} `json:"clientInfo"`
		Capabilities struct {
			General struct {
				PositionEncodings []string `json:"positionEncodings"`
			} `json:"general"`
			TextDocument struct {
				Diagnostic json.RawMessage `json:"diagnostic"`
			} `json:"textDocument"`
		} `json:"capabilities"`
	}
	if json.Unmarshal(raw, &loose) != nil {
		// Not even the fields read here have the right shape.
		return "", false, false, err
	}
	s.log.Warn("initialize params read leniently", zap.Error(err))
	d := loose.Capabilities.TextDocument.Diagnostic
	pulls = len(d) > 0 && string(d) != "null"
	return loose.ClientInfo.Name, slices.Contains(loose.Capabilities.General.PositionEncodings, "utf-8"), pulls, nil
}

// cancel handles $/cancelRequest. It runs in wire order, so the request it
// names has been read already: it is either waiting in the queue (it will
// be answered -32800 without being computed), being computed (its context
// is cancelled and it is answered -32800), or already answered (nothing to
// do).
func (s *server) cancel(raw jsonrpc2.RawMessage) error {
	var p protocol.CancelParams
	if err := decode(raw, &p); err != nil {
		return err
	}
	var id jsonrpc2.ID
	switch v := p.ID.(type) {
	case protocol.Integer:
		id = jsonrpc2.NewNumberID(int64(v))
	case protocol.String:
		id = jsonrpc2.NewStringID(string(v))
	default:
		return errInvalidParams("id must be a number or a string")
	}
	s.mu.Lock()
	c := s.calls[id]
	s.mu.Unlock()
	if c != nil {
		s.log.Debug("cancelling", zap.Stringer("id", idString(id)))
		c.cancel()
	}
	return nil
}

// compute produces a request's answer from a snapshot, off the worker.
type compute func(ctx context.Context) (any, error)

// stopper tells a long computation over a whole file to stop once its
// request is cancelled: a cancelled request must not go on using the
// processor. It looks at the context every 256 steps, which costs
// nothing next to them.
type stopper struct {
	ctx context.Context
	n   int
}

// now reports whether the computation should stop.
func (s *stopper) now() bool {
	s.n++
	return s.n%256 == 0 && s.ctx.Err() != nil
}

// call is a request on its way through the worker.
type call struct {
	method string
	ctx    context.Context
	cancel context.CancelFunc
	// prepare runs on the worker, in order: it takes the snapshot (and
	// whatever must be read from the analysis while the worker owns it)
	// and returns the rest of the work. A nil compute answers null.
	prepare func(w *worker) (compute, error)
	done    chan reply // buffered: the first answer wins
}

// reply is a request's answer, or the computation that gives it: the
// request's own goroutine, waiting in run, computes it (server.compute),
// which saves a goroutine and a hand-off per request.
type reply struct {
	result  any
	err     error
	compute compute
}

func (c *call) finish(result any, err error) {
	select {
	case c.done <- reply{result: result, err: err}:
	default:
	}
}

// run queues a request behind every message read before it, releases the
// read loop (later messages, $/cancelRequest included, are read while it
// waits) and waits for its answer or its cancellation.
func (s *server) run(ctx context.Context, req *jsonrpc2.Request, prepare func(*worker) (compute, error)) (any, error) {
	id := req.ID()
	cctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	c := &call{method: strings.Clone(req.Method()), ctx: cctx, cancel: cancel, prepare: prepare, done: make(chan reply, 1)}
	s.mu.Lock()
	s.calls[id] = c
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.calls, id)
		s.mu.Unlock()
	}()
	s.work.q.push(event{kind: evCall, call: c})

	jsonrpc2.Async(ctx)
	select {
	case r := <-c.done:
		if r.compute != nil {
			return s.compute(c, r.compute)
		}
		return r.result, r.err
	case <-cctx.Done():
		// A result that is ready anyway is still sent.
		// (Not one still to be computed: its result is not ready.)
		select {
		case r := <-c.done:
			if r.err == nil && r.compute == nil && r.result != nil {
				return r.result, nil
			}
		default:
		}
		return nil, errCancelled
	}
}

// compute runs a request's computation from its snapshot, off the worker,
// on the request's goroutine. A cancellation that arrives meanwhile
// reaches fn through its context and is answered when fn returns.
func (s *server) compute(c *call, fn compute) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("request panicked", zap.String("method", c.method), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			res, err = nil, errInternal("%v", r)
		}
	}()
	res, err = fn(c.ctx)
	if c.ctx.Err() != nil {
		return nil, errCancelled
	}
	return res, err
}
