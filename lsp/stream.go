package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// frameReader is the raw-frame side of jsonrpc2's header stream.
type frameReader interface {
	ReadFrame(ctx context.Context) ([]byte, int64, error)
}

// stream wraps jsonrpc2's LSP header stream so that a frame whose body is
// not a JSON-RPC message is answered and skipped. jsonrpc2 v1.0.1 ends the
// connection on such a frame; an editor extension sending one bad message
// must not take the server down. A broken header (no Content-Length) is
// still fatal: the framing cannot be trusted after it.
//
// It also reports, once, why reading stopped (io.EOF when the client
// closed the input), so that Serve can exit.
type stream struct {
	jsonrpc2.Stream
	frames  frameReader
	log     *zap.Logger
	readErr chan error // buffered; receives the first read error
	once    sync.Once
}

func newStream(inner jsonrpc2.Stream, log *zap.Logger) *stream {
	fr, _ := inner.(frameReader)
	return &stream{Stream: inner, frames: fr, log: log, readErr: make(chan error, 1)}
}

// Read returns the next well-formed message. Like jsonrpc2's own Read, a
// request's method and params borrow the frame buffer until the next Read.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	if s.frames == nil {
		msg, n, err := s.Stream.Read(ctx)
		if err != nil {
			s.stopped(err)
		}
		return msg, n, err
	}
	for {
		frame, n, err := s.frames.ReadFrame(ctx)
		var big *tooLarge
		if errors.As(err, &big) {
			// Skipped for its size: say so, and go on with the next.
			s.log.Warn("skipping a message", zap.Error(err))
			resp := jsonrpc2.NewResponse(jsonrpc2.ID{}, nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, err.Error()))
			if _, werr := s.Stream.Write(ctx, resp); werr != nil {
				s.log.Warn("answering a skipped message", zap.Error(werr))
			}
			continue
		}
		if err != nil {
			s.stopped(err)
			return nil, 0, err
		}
		msg, err := jsonrpc2.DecodeMessage(frame)
		if err == nil {
			return msg, n, nil
		}
		s.reject(ctx, frame, err)
	}
}

func (s *stream) stopped(err error) {
	s.once.Do(func() { s.readErr <- err })
}

// reject answers a frame that is not a valid message: -32700 when it is
// not JSON, -32600 when it is JSON but not a request (batches included:
// LSP does not use them). The answer carries the frame's id when one can
// be read, else null, as JSON-RPC 2.0 specifies. A malformed response
// (no method) is only logged: responses are never answered.
func (s *stream) reject(ctx context.Context, frame []byte, decodeErr error) {
	var probe struct {
		ID     json.RawMessage `json:"id"`
		Method json.RawMessage `json:"method"`
	}
	var rpcErr *jsonrpc2.Error
	switch {
	case !json.Valid(frame):
		rpcErr = jsonrpc2.NewError(jsonrpc2.ParseError, "parse error: the message is not valid JSON")
	case json.Unmarshal(frame, &probe) != nil:
		// A JSON array (batch) or scalar.
		rpcErr = jsonrpc2.NewError(jsonrpc2.InvalidRequest, "invalid request: expected one JSON-RPC message object")
	case probe.Method == nil:
		s.log.Warn("dropping a malformed response", zap.Error(decodeErr), zap.ByteString("frame", truncate(frame)))
		return
	default:
		rpcErr = jsonrpc2.NewError(jsonrpc2.InvalidRequest, "invalid request: "+decodeErr.Error())
	}
	s.log.Warn("rejecting a malformed message", zap.Error(decodeErr), zap.ByteString("frame", truncate(frame)))
	resp := jsonrpc2.NewResponse(idOf(probe.ID), nil, rpcErr)
	if _, err := s.Stream.Write(ctx, resp); err != nil {
		s.log.Warn("answering a malformed message", zap.Error(err))
	}
}

// idOf reads a request id (number or string); anything else is null.
func idOf(raw json.RawMessage) jsonrpc2.ID {
	var n int64
	if json.Unmarshal(raw, &n) == nil && len(raw) > 0 && raw[0] != 'n' {
		return jsonrpc2.NewNumberID(n)
	}
	var str string
	if json.Unmarshal(raw, &str) == nil && len(raw) > 0 && raw[0] == '"' {
		return jsonrpc2.NewStringID(str)
	}
	return jsonrpc2.ID{}
}

func truncate(b []byte) []byte {
	const max = 512
	if len(b) > max {
		return b[:max]
	}
	return b
}

// codec encodes results and notification params with the protocol
// package's union-aware encoder: nil slices the protocol declares as
// arrays go out as [], union values as their arm.
type codec struct{}

var _ jsonrpc2.Codec = codec{}

func (codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}
