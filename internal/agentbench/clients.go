package agentbench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/fastforth/fastforth/query"
)

// Start starts a client of the interface via, over the fastforth binary
// exe.
func Start(ctx context.Context, exe, via string) (Client, error) {
	switch via {
	case "cli":
		return startCLI(exe)
	case "lsp":
		return startLSP(exe)
	case "mcp":
		return startMCP(ctx, exe)
	case "http":
		return startHTTP(exe)
	}
	return nil, fmt.Errorf("unknown interface %q (cli, lsp, mcp, http)", via)
}

// ---- cli: a process per step, files in a directory of its own ----

type cliClient struct {
	exe, dir string
	n        int
}

func startCLI(exe string) (Client, error) {
	dir, err := os.MkdirTemp("", "fastforth-bench-")
	if err != nil {
		return nil, err
	}
	return &cliClient{exe: exe, dir: dir}, nil
}

func (c *cliClient) Close() error { return os.RemoveAll(c.dir) }

func (c *cliClient) Server() int { return 0 }

// file writes text to a new file.
func (c *cliClient) file(ext string, text []byte) (string, error) {
	c.n++
	p := filepath.Join(c.dir, fmt.Sprintf("f%d%s", c.n, ext))
	return p, os.WriteFile(p, text, 0o644)
}

// run runs the binary and decodes its JSON output; exit status 1 (errors
// found) is an answer, not a failure.
func (c *cliClient) run(ctx context.Context, out any, args ...string) error {
	cmd := exec.CommandContext(ctx, c.exe, args...)
	cmd.Dir = c.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		return fmt.Errorf("%v: %v: %s", args, err, stderr.Bytes())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		return fmt.Errorf("%v: %v: %s", args, err, stdout.Bytes())
	}
	return nil
}

func (c *cliClient) Generate(ctx context.Context, spec *query.GenerateRequest) (*query.GenerateResult, error) {
	b, _ := json.Marshal(spec)
	p, err := c.file(".json", b)
	if err != nil {
		return nil, err
	}
	var r query.GenerateResult
	return &r, c.run(ctx, &r, "gen", "--json", p)
}

func (c *cliClient) Verify(ctx context.Context, code, word, effect string) (bool, error) {
	// The CLI verifies a word against its stack comment: the agent puts
	// the effect there.
	p, err := c.file(".fs", []byte(code))
	if err != nil {
		return false, err
	}
	var defs []struct {
		Name     string `json:"name"`
		Declared string `json:"declared"`
		Status   string `json:"status"`
	}
	if err := c.run(ctx, &defs, "infer", "--json", p); err != nil {
		return false, err
	}
	for _, d := range defs {
		if d.Name == word {
			return d.Status == "verified" && d.Declared == effect, nil
		}
	}
	return false, fmt.Errorf("no definition %s", word)
}

func (c *cliClient) Test(ctx context.Context, text string) (int, int, bool, error) {
	p, err := c.file(".fs", []byte(text))
	if err != nil {
		return 0, 0, true, err
	}
	var r query.TestResult
	err = c.run(ctx, &r, "test", "--json", p)
	return r.Summary.Passed, r.Summary.Failed, true, err
}

func (c *cliClient) Check(ctx context.Context, text string) (int, error) {
	p, err := c.file(".fs", []byte(text))
	if err != nil {
		return 0, err
	}
	var diags []struct {
		Severity string `json:"severity"`
	}
	if err := c.run(ctx, &diags, "check", "--json", p); err != nil {
		return 0, err
	}
	n := 0
	for _, d := range diags {
		if d.Severity == "error" {
			n++
		}
	}
	return n, nil
}

// ---- http: net/http to `fastforth serve` ----

type httpClient struct {
	cmd  *exec.Cmd
	base string
	hc   *http.Client
}

var listenRE = regexp.MustCompile(`http://([0-9.:\[\]a-z]+)`)

func startHTTP(exe string) (Client, error) {
	cmd := exec.Command(exe, "serve", "--addr", "127.0.0.1:0", "--access-log", "off", "--no-mcp")
	cmd.Dir = os.TempDir()
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(errPipe)
	addr := ""
	for sc.Scan() {
		if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, errors.New("fastforth serve did not say where it listens")
	}
	go io.Copy(io.Discard, errPipe)
	return &httpClient{cmd: cmd, base: "http://" + addr,
		hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}}, nil
}

func (c *httpClient) Server() int { return c.cmd.Process.Pid }

func (c *httpClient) Close() error {
	c.hc.CloseIdleConnections()
	c.cmd.Process.Signal(os.Interrupt)
	return c.cmd.Wait()
}

func (c *httpClient) post(ctx context.Context, path string, in, out any) error {
	b, _ := json.Marshal(in)
	req, _ := http.NewRequestWithContext(ctx, "POST", c.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", path, resp.StatusCode, body)
	}
	return json.Unmarshal(body, out)
}

func (c *httpClient) Generate(ctx context.Context, spec *query.GenerateRequest) (*query.GenerateResult, error) {
	var r query.GenerateResult
	return &r, c.post(ctx, "/v1/generate", spec, &r)
}

func (c *httpClient) Verify(ctx context.Context, code, word, effect string) (bool, error) {
	var r query.VerifyResult
	err := c.post(ctx, "/v1/verify", &query.VerifyRequest{Code: code, Word: word, Effect: effect}, &r)
	return r.Verified, err
}

func (c *httpClient) Test(ctx context.Context, text string) (int, int, bool, error) {
	var r query.TestResult
	err := c.post(ctx, "/v1/test", &query.TestRequest{Text: text}, &r)
	return r.Summary.Passed, r.Summary.Failed, true, err
}

func (c *httpClient) Check(ctx context.Context, text string) (int, error) {
	var r query.CheckResult
	err := c.post(ctx, "/v1/check", &query.CheckRequest{Source: query.Source{Text: text}}, &r)
	return r.Errors, err
}

// ---- mcp: the MCP SDK's client over a pipe to `fastforth mcp` ----

type mcpClient struct {
	cs  *mcp.ClientSession
	cmd *exec.Cmd
}

func startMCP(ctx context.Context, exe string) (Client, error) {
	cmd := exec.Command(exe, "mcp")
	cmd.Dir = os.TempDir()
	client := mcp.NewClient(&mcp.Implementation{Name: "fastforth-bench", Version: "1"}, nil)
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		return nil, err
	}
	return &mcpClient{cs: cs, cmd: cmd}, nil
}

func (c *mcpClient) Close() error { return c.cs.Close() }

func (c *mcpClient) Server() int { return c.cmd.Process.Pid }

func (c *mcpClient) call(ctx context.Context, tool string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	res, err := c.cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: json.RawMessage(b)})
	if err != nil {
		return err
	}
	if res.IsError {
		msg := ""
		for _, ct := range res.Content {
			if tc, ok := ct.(*mcp.TextContent); ok {
				msg += tc.Text
			}
		}
		return fmt.Errorf("%s: %w: %s", tool, errAnswer, msg)
	}
	b, err = json.Marshal(res.StructuredContent)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

func (c *mcpClient) Generate(ctx context.Context, spec *query.GenerateRequest) (*query.GenerateResult, error) {
	var r query.GenerateResult
	return &r, c.call(ctx, "forth_generate", spec, &r)
}

func (c *mcpClient) Verify(ctx context.Context, code, word, effect string) (bool, error) {
	var r query.VerifyResult
	err := c.call(ctx, "forth_verify", &query.VerifyRequest{Code: code, Word: word, Effect: effect}, &r)
	return r.Verified, err
}

func (c *mcpClient) Test(ctx context.Context, text string) (int, int, bool, error) {
	var r query.TestResult
	err := c.call(ctx, "forth_test", &query.TestRequest{Text: text}, &r)
	return r.Summary.Passed, r.Summary.Failed, true, err
}

func (c *mcpClient) Check(ctx context.Context, text string) (int, error) {
	var r query.CheckResult
	err := c.call(ctx, "forth_check", &query.CheckRequest{Source: query.Source{Text: text}}, &r)
	return r.Errors, err
}

// ---- lsp: a JSON-RPC session over a pipe to `fastforth lsp` ----

type lspClient struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader

	mu      sync.Mutex // writes
	id      atomic.Int64
	docs    int
	readErr error
	wbuf    []byte
}

func startLSP(exe string) (Client, error) {
	cmd := exec.Command(exe, "lsp", "--stdio")
	cmd.Dir = os.TempDir()
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &lspClient{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10)}
	var init json.RawMessage
	if err := c.request("initialize", map[string]any{"processId": os.Getpid(), "rootUri": nil, "capabilities": map[string]any{}}, &init); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.notify("initialized", map[string]any{}); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *lspClient) Server() int { return c.cmd.Process.Pid }

func (c *lspClient) Close() error {
	var ignored json.RawMessage
	c.request("shutdown", nil, &ignored)
	c.notify("exit", nil)
	c.in.Close()
	return c.cmd.Wait()
}

func (c *lspClient) write(msg any) error {
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wbuf = append(c.wbuf[:0], "Content-Length: "...)
	c.wbuf = strconv.AppendInt(c.wbuf, int64(len(b)), 10)
	c.wbuf = append(c.wbuf, "\r\n\r\n"...)
	c.wbuf = append(c.wbuf, b...)
	_, err = c.in.Write(c.wbuf)
	return err
}

func (c *lspClient) notify(method string, params any) error {
	return c.write(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// lspMessage is any message from the server.
type lspMessage struct {
	ID     *int64          `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// read reads the next message.
func (c *lspClient) read() (*lspMessage, error) {
	length := -1
	for {
		line, err := c.out.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
			length, _ = strconv.Atoi(string(v))
		}
	}
	if length < 0 {
		return nil, errors.New("lsp: a frame without Content-Length")
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(c.out, body); err != nil {
		return nil, err
	}
	var m lspMessage
	return &m, json.Unmarshal(body, &m)
}

// until reads messages until f says stop; it answers the server's
// requests (work-done progress, configuration) with null.
func (c *lspClient) until(f func(*lspMessage) (bool, error)) error {
	for {
		m, err := c.read()
		if err != nil {
			return err
		}
		if m.ID != nil && m.Method != "" {
			c.write(map[string]any{"jsonrpc": "2.0", "id": *m.ID, "result": nil})
			continue
		}
		if done, err := f(m); done || err != nil {
			return err
		}
	}
}

func (c *lspClient) request(method string, params, out any) error {
	id := c.id.Add(1)
	if err := c.write(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params}); err != nil {
		return err
	}
	return c.until(func(m *lspMessage) (bool, error) {
		if m.ID == nil || *m.ID != id || m.Method != "" {
			return false, nil
		}
		if m.Error != nil {
			return true, fmt.Errorf("%s: %w: %d %s", method, errAnswer, m.Error.Code, m.Error.Message)
		}
		return true, json.Unmarshal(m.Result, out)
	})
}

func (c *lspClient) Generate(ctx context.Context, spec *query.GenerateRequest) (*query.GenerateResult, error) {
	var r query.GenerateResult
	err := c.request("workspace/executeCommand", map[string]any{"command": "fastforth.generate", "arguments": []any{spec}}, &r)
	return &r, err
}

func (c *lspClient) Verify(ctx context.Context, code, word, effect string) (bool, error) {
	// fastforth/verify checks words against their stack comments.
	var r struct {
		Verified    bool `json:"verified"`
		Definitions []struct {
			Name     string `json:"name"`
			Declared string `json:"declared"`
			Status   string `json:"status"`
		} `json:"definitions"`
	}
	if err := c.request("fastforth/verify", map[string]any{"text": code, "name": word}, &r); err != nil {
		return false, err
	}
	return r.Verified && len(r.Definitions) == 1 && r.Definitions[0].Declared == effect, nil
}

// Test: the LSP server has no test request; the generated tests ran in
// Generate.
func (c *lspClient) Test(ctx context.Context, text string) (int, int, bool, error) {
	return 0, 0, false, nil
}

// Check opens the text as a document, takes the diagnostics the server
// publishes for it, and closes it.
func (c *lspClient) Check(ctx context.Context, text string) (int, error) {
	c.docs++
	uri := fmt.Sprintf("untitled:bench-%d.fs", c.docs)
	if err := c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "forth", "version": 1, "text": text}}); err != nil {
		return 0, err
	}
	n := 0
	err := c.until(func(m *lspMessage) (bool, error) {
		if m.Method != "textDocument/publishDiagnostics" {
			return false, nil
		}
		var p struct {
			URI         string `json:"uri"`
			Version     *int   `json:"version"`
			Diagnostics []struct {
				Severity int `json:"severity"`
			} `json:"diagnostics"`
		}
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return true, err
		}
		if p.URI != uri || p.Version == nil || *p.Version != 1 {
			return false, nil
		}
		for _, d := range p.Diagnostics {
			if d.Severity == 1 {
				n++
			}
		}
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	return n, c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
}
