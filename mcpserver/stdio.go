package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
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
// well-formed messages on, byte for byte.
type GuardedTransport struct {
	In  io.Reader
	Out io.Writer
}

// Connect implements mcp.Transport.
func (t *GuardedTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	pr, pw := io.Pipe()
	out := &lockedWriter{w: t.Out}
	go func() {
		err := filter(t.In, pw, out)
		pw.CloseWithError(err)
	}()
	return (&mcp.IOTransport{Reader: pr, Writer: nopCloser{out}}).Connect(ctx)
}

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

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// filter copies the well-formed messages of in to pass, one per line,
// and answers the others on out. It returns at the end of in (nil) or on
// a read error.
func filter(in io.Reader, pass io.Writer, out io.Writer) error {
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
			if id, code, why := check(msg); code != 0 {
				answer(out, id, code, why)
			} else if _, werr := pass.Write(append(msg, '\n')); werr != nil {
				return werr
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

// check says why a line cannot go to the SDK: the id to answer (when one
// can be read), the JSON-RPC error code and a message; code 0 when it can.
func check(msg []byte) (id json.RawMessage, code int, why string) {
	if !json.Valid(msg) {
		return nil, -32700, "Parse error: the line is not JSON"
	}
	if msg[0] != '{' {
		if msg[0] == '[' {
			return nil, -32600, "Invalid Request: JSON-RPC batches are not supported (MCP 2025-06-18 removed them): send one message per line"
		}
		return nil, -32600, "Invalid Request: a message is a JSON object"
	}
	if _, err := jsonrpc.DecodeMessage(msg); err != nil {
		var probe struct {
			ID json.RawMessage `json:"id"`
		}
		json.Unmarshal(msg, &probe)
		if len(probe.ID) > 0 && (probe.ID[0] == '"' || probe.ID[0] == '-' || probe.ID[0] >= '0' && probe.ID[0] <= '9') {
			id = probe.ID
		}
		return id, -32600, "Invalid Request: " + err.Error()
	}
	return nil, 0, ""
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
