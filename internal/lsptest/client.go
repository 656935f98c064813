// Package lsptest is a minimal Language Server Protocol client for tests:
// Content-Length framed JSON-RPC 2.0 over any pair of pipes, written with
// encoding/json alone so that it shares no code with the server it drives.
//
// Every wait has a deadline and waits on the server's messages themselves:
// Wait returns the first message (received earlier and not yet consumed,
// or arriving before the deadline) that a predicate accepts.
package lsptest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is any JSON-RPC message.
type Message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *Error          `json:"error,omitempty"`
}

// Error is a JSON-RPC error object.
type Error struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// IsResponse reports whether m answers the request with the given id.
func (m Message) IsResponse(id int64) bool {
	return m.Method == "" && string(m.ID) == strconv.FormatInt(id, 10)
}

// Client talks to one server.
type Client struct {
	t       testing.TB
	w       io.Writer
	wmu     sync.Mutex
	in      chan Message
	done    chan struct{} // closed when the server's output ends
	errMu   sync.Mutex
	readErr error
	backlog []Message
	nextID  int64
	// Timeout bounds every wait.
	Timeout time.Duration
}

// New starts reading the server's output r; requests go to w.
func New(t testing.TB, r io.Reader, w io.Writer) *Client {
	c := &Client{t: t, w: w, in: make(chan Message, 4096), done: make(chan struct{}), Timeout: 20 * time.Second}
	go c.read(bufio.NewReader(r))
	return c
}

func (c *Client) read(r *bufio.Reader) {
	defer close(c.done)
	tp := textproto.NewReader(r)
	for {
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			c.fail(err)
			return
		}
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil {
			c.fail(fmt.Errorf("bad Content-Length %q", h.Get("Content-Length")))
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			c.fail(err)
			return
		}
		var m Message
		if err := json.Unmarshal(body, &m); err != nil {
			c.fail(fmt.Errorf("server sent invalid JSON %q: %v", body, err))
			return
		}
		if m.JSONRPC != "2.0" {
			c.fail(fmt.Errorf("server sent a message without jsonrpc 2.0: %s", body))
			return
		}
		c.in <- m
	}
}

func (c *Client) fail(err error) {
	c.errMu.Lock()
	c.readErr = err
	c.errMu.Unlock()
}

// Err is why reading stopped (io.EOF when the server closed its output).
func (c *Client) Err() error {
	c.errMu.Lock()
	defer c.errMu.Unlock()
	return c.readErr
}

// WriteRaw sends body as one frame, whatever it contains.
func (c *Client) WriteRaw(body []byte) {
	c.t.Helper()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	frame := append([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))), body...)
	if _, err := c.w.Write(frame); err != nil {
		c.t.Fatalf("writing to the server: %v", err)
	}
}

// Frame encodes one message as a frame, to be sent with others in one
// write (WriteFrames).
func Frame(msg any) []byte {
	body, err := json.Marshal(msg)
	if err != nil {
		panic(err)
	}
	return append([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))), body...)
}

// WriteFrames sends several frames with a single write.
func (c *Client) WriteFrames(frames ...[]byte) {
	c.t.Helper()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.w.Write(bytes.Join(frames, nil)); err != nil {
		c.t.Fatalf("writing to the server: %v", err)
	}
}

// Send sends one message.
func (c *Client) Send(msg any) {
	c.t.Helper()
	body, err := json.Marshal(msg)
	if err != nil {
		c.t.Fatalf("encoding %v: %v", msg, err)
	}
	c.WriteRaw(body)
}

// NextID reserves a request id.
func (c *Client) NextID() int64 {
	c.nextID++
	return c.nextID
}

// CallMsg builds a request message.
func CallMsg(id int64, method string, params any) map[string]any {
	m := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		m["params"] = params
	}
	return m
}

// NotifyMsg builds a notification message.
func NotifyMsg(method string, params any) map[string]any {
	m := map[string]any{"jsonrpc": "2.0", "method": method}
	if params != nil {
		m["params"] = params
	}
	return m
}

// Call sends a request and returns its id.
func (c *Client) Call(method string, params any) int64 {
	c.t.Helper()
	id := c.NextID()
	c.Send(CallMsg(id, method, params))
	return id
}

// Notify sends a notification.
func (c *Client) Notify(method string, params any) {
	c.t.Helper()
	c.Send(NotifyMsg(method, params))
}

// Response waits for the answer to request id.
func (c *Client) Response(id int64) Message {
	c.t.Helper()
	return c.Wait(fmt.Sprintf("the response to request %d", id), func(m Message) bool { return m.IsResponse(id) })
}

// Request sends a request, waits for its answer, fails the test on an
// error answer and decodes the result into result (when not nil).
func (c *Client) Request(method string, params, result any) {
	c.t.Helper()
	m := c.Response(c.Call(method, params))
	if m.Error != nil {
		c.t.Fatalf("%s: error %d %s", method, m.Error.Code, m.Error.Message)
	}
	if result != nil {
		if err := json.Unmarshal(m.Result, result); err != nil {
			c.t.Fatalf("%s: decoding result %s: %v", method, m.Result, err)
		}
	}
}

// Wait returns the first message, received or arriving before the
// deadline, that pred accepts; what it passes over stays for later waits.
// what names the awaited message in the failure.
func (c *Client) Wait(what string, pred func(Message) bool) Message {
	c.t.Helper()
	for i, m := range c.backlog {
		if pred(m) {
			c.backlog = append(c.backlog[:i:i], c.backlog[i+1:]...)
			return m
		}
	}
	deadline := time.After(c.Timeout)
	for {
		select {
		case m := <-c.in:
			if pred(m) {
				return m
			}
			c.backlog = append(c.backlog, m)
		case <-c.done:
			// Drain what arrived before the end.
			for {
				select {
				case m := <-c.in:
					if pred(m) {
						return m
					}
					c.backlog = append(c.backlog, m)
					continue
				default:
				}
				break
			}
			c.t.Fatalf("waiting for %s: the server's output ended (%v); unconsumed: %s", what, c.Err(), c.describeBacklog())
		case <-deadline:
			c.t.Fatalf("waiting for %s: no such message within %v; unconsumed: %s", what, c.Timeout, c.describeBacklog())
		}
	}
}

// Drain returns, and forgets, every message received so far that was not
// consumed, without waiting.
func (c *Client) Drain() []Message {
	for {
		select {
		case m := <-c.in:
			c.backlog = append(c.backlog, m)
			continue
		default:
		}
		break
	}
	b := c.backlog
	c.backlog = nil
	return b
}

// WaitClosed waits for the server to close its output.
func (c *Client) WaitClosed() {
	c.t.Helper()
	select {
	case <-c.done:
	case <-time.After(c.Timeout):
		c.t.Fatalf("the server's output did not end within %v", c.Timeout)
	}
}

func (c *Client) describeBacklog() string {
	if len(c.backlog) == 0 {
		return "none"
	}
	var parts []string
	for _, m := range c.backlog {
		b, _ := json.Marshal(m)
		s := string(b)
		if len(s) > 300 {
			s = s[:300] + "..."
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// Notification is a server notification's decoded params.
func Notification[T any](t testing.TB, m Message) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(m.Params, &v); err != nil {
		t.Fatalf("decoding %s params %s: %v", m.Method, m.Params, err)
	}
	return v
}

// The few LSP shapes the tests read, in plain encoding/json.

// Position is an LSP position.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// Range is an LSP range.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Diagnostic is an LSP diagnostic.
type Diagnostic struct {
	Range    Range  `json:"range"`
	Severity int    `json:"severity"`
	Code     string `json:"code"`
	Source   string `json:"source"`
	Message  string `json:"message"`
}

// PublishDiagnostics is textDocument/publishDiagnostics' params. Version
// is nil when absent; Diagnostics nil when null (which the protocol does
// not allow).
type PublishDiagnostics struct {
	URI         string       `json:"uri"`
	Version     *int         `json:"version"`
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Hover is a textDocument/hover result.
type Hover struct {
	Contents struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	} `json:"contents"`
	Range *Range `json:"range"`
}

// FullReport is a textDocument/diagnostic full report.
type FullReport struct {
	Kind  string       `json:"kind"`
	Items []Diagnostic `json:"items"`
}

// IsPublish returns a predicate for publishDiagnostics of uri, with the
// given version when version >= 0.
func IsPublish(uri string, version int) func(Message) bool {
	return func(m Message) bool {
		if m.Method != "textDocument/publishDiagnostics" {
			return false
		}
		var p PublishDiagnostics
		if json.Unmarshal(m.Params, &p) != nil || p.URI != uri {
			return false
		}
		return version < 0 || (p.Version != nil && *p.Version == version)
	}
}
