package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	segjson "github.com/segmentio/encoding/json"
)

// MaxLine bounds one message on stdio.
const MaxLine = 16 << 20

// GuardedTransport is a stdio transport that keeps the session alive
// across lines the SDK cannot read. The go-sdk's stdio transport ends the
// session on a malformed frame (go-sdk issue #1209: its streaming JSON
// decoder cannot resynchronise); this one reads the input line by line in
// front of it and answers a line that is not JSON with a JSON-RPC parse
// error (-32700), one that is JSON but not a JSON-RPC message (or a
// batch, which the protocol no longer has) with an invalid-request error
// (-32600), and a line over MaxLine with a parse error, and passes only
// well-formed messages on, decoded once (the SDK's line transport is not
// in the way).
type GuardedTransport struct {
	In  io.Reader
	Out io.Writer
}

// Connect implements mcp.Transport. The connection reads the input on a
// goroutine of its own (a read of standard input cannot be interrupted:
// Close unblocks Read, and the goroutine ends at the end of the input)
// and hands each message to Read decoded.
func (t *GuardedTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	c := &guardedConn{out: &lockedWriter{w: t.Out}, in: make(chan jsonrpc.Message), done: make(chan struct{})}
	go func() {
		c.err = filter(t.In, func(m jsonrpc.Message) bool {
			select {
			case c.in <- m:
				return true
			case <-c.done:
				return false
			}
		}, c.out)
		close(c.in)
	}()
	return c, nil
}

// guardedConn is the connection of a GuardedTransport.
type guardedConn struct {
	out       *lockedWriter
	in        chan jsonrpc.Message
	err       error // the input's error, once in is closed
	done      chan struct{}
	closeOnce sync.Once
}

func (c *guardedConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.done:
		return nil, io.EOF
	case m, ok := <-c.in:
		if !ok {
			if c.err != nil {
				return nil, c.err
			}
			return nil, io.EOF
		}
		return m, nil
	}
}

func (c *guardedConn) Write(ctx context.Context, m jsonrpc.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b := appendResponse(nil, m); b != nil {
		_, err := c.out.Write(b)
		return err
	}
	b, err := jsonrpc.EncodeMessage(m)
	if err != nil {
		return err
	}
	_, err = c.out.Write(append(b, '\n'))
	return err
}

// appendResponse appends the line of a successful response with a
// number for its ID, as jsonrpc.EncodeMessage writes it, or returns nil
// for any other message. EncodeMessage re-encodes the result, which
// encoding/json then scans again to compact and check it: the SDK made
// it with encoding/json, so it is compact already (no newline either,
// which would end the line early; that is checked).
func appendResponse(b []byte, m jsonrpc.Message) []byte {
	r, ok := m.(*jsonrpc.Response)
	if !ok || r.Error != nil || len(r.Result) == 0 || bytes.IndexByte(r.Result, '\n') >= 0 {
		return nil
	}
	id, ok := r.ID.Raw().(int64)
	if !ok {
		return nil
	}
	b = append(b, `{"jsonrpc":"2.0","id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `,"result":`...)
	b = append(b, r.Result...)
	return append(b, "}\n"...)
}

func (c *guardedConn) Close() error {
	c.closeOnce.Do(func() { close(c.done) })
	return nil
}

func (c *guardedConn) SessionID() string { return "" }

// lockedWriter serialises whole writes: the SDK's messages (one Write
// each) and the guard's error answers never interleave.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// filter passes the well-formed messages of in, one per line, and
// answers the others on out. It returns at the end of in (nil), on a
// read error, or when pass returns false.
func filter(in io.Reader, pass func(jsonrpc.Message) bool, out io.Writer) error {
	r := bufio.NewReaderSize(in, 64<<10)
	var line []byte
	tooLong := false
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > MaxLine {
				tooLong = true
				line = line[:0]
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		end := err != nil
		if tooLong {
			answer(out, nil, -32700, "Parse error: a message longer than 16 MiB")
		} else if msg := bytes.TrimSpace(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))); len(msg) > 0 {
			if m, id, code, why := check(msg); code != 0 {
				answer(out, id, code, why)
			} else if !pass(m) {
				return nil
			}
		}
		line, tooLong = line[:0], false
		if end {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// check decodes a line, or says why it cannot go to the SDK: the id to
// answer (when one can be read), the JSON-RPC error code and a message;
// code 0 when it can.
func check(msg []byte) (m jsonrpc.Message, id json.RawMessage, code int, why string) {
	if msg[0] == '{' {
		// The common case first: one decoding, no separate validation.
		if m := decodeRequest(msg); m != nil {
			return m, nil, 0, ""
		}
		m, err := jsonrpc.DecodeMessage(msg)
		if err == nil {
			return m, nil, 0, ""
		}
		if !json.Valid(msg) {
			return nil, nil, -32700, "Parse error: the line is not JSON"
		}
		var probe struct {
			ID json.RawMessage `json:"id"`
		}
		json.Unmarshal(msg, &probe)
		if len(probe.ID) > 0 && (probe.ID[0] == '"' || probe.ID[0] == '-' || probe.ID[0] >= '0' && probe.ID[0] <= '9') {
			id = probe.ID
		}
		return nil, id, -32600, "Invalid Request: " + err.Error()
	}
	if !json.Valid(msg) {
		return nil, nil, -32700, "Parse error: the line is not JSON"
	}
	if msg[0] == '[' {
		return nil, nil, -32600, "Invalid Request: JSON-RPC batches are not supported (MCP 2025-06-18 removed them): send one message per line"
	}
	return nil, nil, -32600, "Invalid Request: a message is a JSON object"
}

// answer writes a JSON-RPC error response.
func answer(out io.Writer, id json.RawMessage, code int, msg string) {
	if id == nil {
		id = json.RawMessage("null")
	}
	b, _ := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: id, Error: struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}{code, msg}})
	out.Write(append(b, '\n'))
}

// wireRequest is a message as jsonrpc.DecodeMessage reads it.
type wireRequest struct {
	VersionTag string          `json:"jsonrpc"`
	ID         any             `json:"id,omitempty"`
	Method     json.RawMessage `json:"method"`
	Params     json.RawMessage `json:"params,omitempty"`
	Result     json.RawMessage `json:"result,omitempty"`
	Error      *jsonrpc.Error  `json:"error,omitempty"`
}

// sdkFlags are the SDK's decoding flags (its internal/json): keys match
// struct fields exactly.
const sdkFlags = segjson.DontMatchCaseInsensitiveStructFields

// decodeRequest is jsonrpc.DecodeMessage for a request (a call or a
// notification), or nil for anything else, or for anything
// DecodeMessage rejects. It decodes as DecodeMessage does, with the
// same decoder (segmentio's, keys matched exactly, the same depth
// bound), but from the line itself: the SDK's decoder reads it through
// a 32 KiB buffer made for each message (and another for the method
// name), which made decoding a request a sixth of the stdio server's
// CPU with the collections it caused.
func decodeRequest(data []byte) jsonrpc.Message {
	if tooDeep(data, 1000) {
		return nil
	}
	var w wireRequest
	if _, err := segjson.Parse(data, &w, sdkFlags); err != nil {
		return nil
	}
	if w.VersionTag != "2.0" || len(w.Method) == 0 {
		return nil
	}
	id, err := jsonrpc.MakeID(w.ID)
	if err != nil {
		return nil
	}
	var method string
	if _, err := segjson.Parse(w.Method, &method, sdkFlags); err != nil {
		return nil
	}
	return &jsonrpc.Request{Method: method, ID: id, Params: w.Params}
}

// tooDeep reports whether objects and arrays nest deeper than max in
// data, as the SDK's decoder checks before decoding.
func tooDeep(data []byte, max int) bool {
	depth := 0
	inString, escaped := false, false
	for _, b := range data {
		if inString {
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				inString = false
			}
			continue
		}
		switch b {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > max {
				return true
			}
		case '}', ']':
			if depth > 0 {
				depth--
			}
		}
	}
	return false
}
