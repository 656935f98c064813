package lsp

import (
	"strconv"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// $/setTrace and $/logTrace: with the trace on (initialize's trace or
// $/setTrace: "messages" or "verbose"), the server sends a $/logTrace for
// each request and notification it has handled, with its method and how
// long it took; "verbose" adds the size of its params. Off, the cost is
// one atomic load per message.

// traceLevel is the trace setting.
type traceLevel int32

const (
	traceOff traceLevel = iota
	traceMessages
	traceVerbose
)

// parseTrace reads a TraceValue; anything unknown is off.
func parseTrace(v string) traceLevel {
	switch protocol.TraceValue(v) {
	case protocol.TraceValueMessages:
		return traceMessages
	case protocol.TraceValueVerbose:
		return traceVerbose
	}
	return traceOff
}

// setTrace applies $/setTrace.
func (s *server) setTrace(raw jsonrpc2.RawMessage) error {
	var p struct {
		Value *string `json:"value"`
	}
	if err := decode(raw, &p); err != nil {
		return err
	}
	if p.Value == nil {
		return errInvalidParams("value is required")
	}
	switch protocol.TraceValue(*p.Value) {
	case protocol.TraceValueOff, protocol.TraceValueMessages, protocol.TraceValueVerbose:
	default:
		return errInvalidParams("value must be off, messages or verbose, not %q", *p.Value)
	}
	s.work.cfg.trace.Store(int32(parseTrace(*p.Value)))
	return nil
}

// trace sends the $/logTrace for one handled message when the trace is
// on. paramsSize is the size of its params in bytes.
func (s *server) trace(method string, isCall bool, paramsSize int, took time.Duration, err error) {
	level := traceLevel(s.work.cfg.trace.Load())
	if level == traceOff || s.conn == nil || method == protocol.MethodExit {
		return
	}
	kind := "notification"
	if isCall {
		kind = "request"
	}
	msg := kind + " " + method + " handled in " + took.String()
	if err != nil {
		msg += ": " + err.Error()
	}
	p := protocol.LogTraceParams{Message: msg}
	if level == traceVerbose {
		v := "params: " + strconv.Itoa(paramsSize) + " bytes"
		p.Verbose = &v
	}
	// A trace that cannot be sent (the connection is closing) is lost.
	_ = s.conn.Notify(s.ctx, protocol.MethodLogTrace, &p)
}
