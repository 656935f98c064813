package main

// End-to-end tests of `fastforth serve` and `fastforth bench agent`: the
// real binary, over real HTTP, with net/http and the MCP SDK's client.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func httpDo(t *testing.T, method, url, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestServe(t *testing.T) {
	addr, _, _ := startHTTP(t, "serve", "--addr", "127.0.0.1:0", "--access-log", "off")
	base := "http://" + addr
	for _, c := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"GET", "/health", "", 200, `"status":"ok"`},
		{"POST", "/v1/verify", `{"code": ": max2 ( a b -- m ) 2dup < if swap then drop ;", "effect": "( a b -- max )"}`, 200, `"verified":true`},
		{"POST", "/v1/infer", `{"text": ": sq ( n -- n*n ) dup * ;"}`, 200, `"inferred":"( n -- n*n )"`},
		{"POST", "/v1/compose", `{"words": "over over + rot", "stack": "a b"}`, 200, `"effect":"( a b -- b x1 a )"`},
		{"POST", "/v1/check", `{"text": ": bad ( a b -- c ) swap ;"}`, 200, `"effect-mismatch"`},
		{"POST", "/v1/generate", `{"name": "order-desc", "effect": "( a b -- hi lo )", "pattern": "stack-sort2-001", "params": {"cmp": "<"}, "examples": [{"inputs": [1, 3], "outputs": [3, 1]}]}`, 200, `"ok":true`},
		{"POST", "/v1/test", `{"text": ": sq dup * ;\nT{ 3 sq -> 9 }T"}`, 200, `"passed":1`},
		{"GET", "/v1/patterns?query=sum+range&limit=2&brief=true", "", 200, `"patterns"`},
		{"GET", "/v1/words/swap", "", 200, `"effect":"( x1 x2 -- x2 x1 )"`},
		{"GET", "/openapi.json", "", 200, `"openapi":"3.1.0"`},
		{"GET", "/v1/verify", "", 405, `"method-not-allowed"`},
		{"GET", "/nowhere", "", 404, `"not-found"`},
		{"POST", "/v1/verify", `{"code": `, 400, `"bad-json"`},
		{"POST", "/v1/check", `{"path": "/etc/passwd"}`, 403, `"forbidden"`}, // outside --root
	} {
		status, _, body := httpDo(t, c.method, base+c.path, c.body)
		if status != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s %s: %d %s, want %d and %s", c.method, c.path, status, body, c.status, c.want)
		}
	}
	status, _, body := httpDo(t, "POST", base+"/v1/check", `{"text": "`+strings.Repeat("x", 2<<20)+`"}`)
	if status != 413 || !strings.Contains(body, `"too-large"`) {
		t.Errorf("a body over 1 MiB: %d %.200s", status, body)
	}
	status, _, body = httpDo(t, "GET", base+"/metrics", "")
	if status != 200 || !strings.Contains(body, `fastforth_http_requests_total{code="200",method="POST",route="verify"} 1`) {
		t.Errorf("/metrics: %d %.500s", status, body)
	}

	// The MCP server at /mcp.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "fastforth-test", Version: "1"}, nil).
		Connect(ctx, &mcp.StreamableClientTransport{Endpoint: base + "/mcp"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	var v struct {
		Verified bool `json:"verified"`
	}
	call(t, cs, "forth_verify", map[string]any{"code": ": sq ( n -- n*n ) dup * ;"}, &v)
	if !v.Verified {
		t.Errorf("/mcp: %+v", v)
	}
}

func TestServeToken(t *testing.T) {
	// Beyond the loopback a token is required.
	r := fastforth(t, "", "serve", "--addr", "0.0.0.0:0")
	if r.code != 2 || !strings.Contains(r.stderr, "token") {
		t.Errorf("serve on 0.0.0.0 without a token: %d %s", r.code, r.stderr)
	}
	t.Setenv("FASTFORTH_TOKEN", "s3cret")
	addr, _, _ := startHTTP(t, "serve", "--addr", "0.0.0.0:0", "--access-log", "off")
	port := addr[strings.LastIndex(addr, ":")+1:]
	base := "http://127.0.0.1:" + port
	if status, _, body := httpDo(t, "GET", base+"/v1/words/dup", ""); status != 401 || !strings.Contains(body, "unauthorized") {
		t.Errorf("without the token: %d %s", status, body)
	}
	if status, _, body := httpDo(t, "GET", base+"/v1/words/dup", "", "Authorization", "Bearer s3cret"); status != 200 {
		t.Errorf("with the token: %d %s", status, body)
	}
	// The default rate beyond the loopback is 50 requests/s per client,
	// in bursts of 100: of 400 requests at once, some are refused.
	var wg sync.WaitGroup
	var refused atomic.Int32
	for range 400 {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", base+"/v1/words/dup", nil)
			req.Header.Set("Authorization", "Bearer s3cret")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 429 && resp.Header.Get("Retry-After") != "" {
				refused.Add(1)
			}
		})
	}
	wg.Wait()
	if refused.Load() == 0 {
		t.Errorf("no 429 with Retry-After over the default rate")
	}
}

// TestServeShutdown: SIGTERM finishes the request in flight, then the
// server exits 0.
func TestServeShutdown(t *testing.T) {
	addr, cmd, lines := startHTTP(t, "serve", "--addr", "127.0.0.1:0", "--access-log", "off")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	body := `{"code": ": sq ( n -- n*n ) dup * ;"}`
	fmt.Fprintf(c, "POST /v1/verify HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:10])
	// Wait until the server has the request (the gauge counts the
	// /metrics request too).
	re := regexp.MustCompile(`(?m)^fastforth_http_in_flight_requests (\d+)`)
	for {
		_, _, m := httpDo(t, "GET", "http://"+addr+"/metrics", "")
		if g := re.FindStringSubmatch(m); g != nil {
			if n, _ := strconv.Atoi(g[1]); n == 2 {
				break
			}
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	for line := range lines {
		if strings.Contains(line, "stopping") {
			break
		}
	}
	io.WriteString(c, body[10:])
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("the request in flight: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"verified":true`)) {
		t.Errorf("the request in flight: %d %s", resp.StatusCode, b)
	}
	c.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v", err)
	}
}

// TestBenchAgent runs the agent benchmark over every interface, briefly.
func TestBenchAgent(t *testing.T) {
	cmd := exec.Command(binary, "bench", "agent", "--iterations", "3", "--warmup", "1")
	cmd.Dir = t.TempDir()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, via := range []string{"cli", "lsp", "mcp", "http"} {
		if !regexp.MustCompile(`(?m)^` + via + ` +3/3 `).MatchString(out.String()) {
			t.Errorf("%s: not 3/3:\n%s", via, out.String())
		}
	}
	if r := fastforth(t, "", "bench", "agent", "--via", "telepathy"); r.code != 2 {
		t.Errorf("--via telepathy: %d %s", r.code, r.stderr)
	}
}
