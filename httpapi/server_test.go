package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"github.com/fastforth/fastforth/query"
)

// testServer is a Server listening on a loopback port.
type testServer struct {
	*Server
	base string
	addr string
	stop context.CancelFunc
	done chan error
}

func start(t testing.TB, cfg Config) *testServer {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	svc := query.New()
	svc.Root = t.TempDir() // as fastforth serve's --root .
	s := New(svc, cfg)
	ln, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: s, addr: ln.Addr().String(), base: "http://" + ln.Addr().String(), stop: cancel, done: make(chan error, 1)}
	go func() { ts.done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-ts.done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ts
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// do sends a request and returns the status, the headers and the body.
func do(t testing.TB, method, url, body string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// errorCode is the code of an error answer.
func errorCode(t testing.TB, body []byte) string {
	t.Helper()
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("not an error answer: %s (%v)", body, err)
	}
	return e.Error.Code
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestOpenAPI calls every operation the document describes with its
// example and validates the answer against the documented schema; and
// every route the issue names is documented.
func TestOpenAPI(t *testing.T) {
	ts := start(t, Config{})
	code, _, body := do(t, "GET", ts.base+"/openapi.json", "")
	if code != 200 {
		t.Fatalf("/openapi.json: %d %s", code, body)
	}
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/health", "/v1/check", "/v1/infer", "/v1/verify", "/v1/compose", "/v1/generate", "/v1/patterns", "/v1/words/{name}", "/v1/stack-at", "/v1/word", "/v1/test", "/metrics", "/openapi.json"} {
		if doc.Paths[p] == nil {
			t.Errorf("%s is not documented", p)
		}
	}
	resolved := map[string]*jsonschema.Resolved{}
	schemaOf := func(ref string) *jsonschema.Resolved {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		if r := resolved[name]; r != nil {
			return r
		}
		var sc jsonschema.Schema
		if err := json.Unmarshal(doc.Components.Schemas[name], &sc); err != nil {
			t.Fatalf("schema %s: %v", name, err)
		}
		r, err := sc.Resolve(nil)
		if err != nil {
			t.Fatalf("schema %s: %v", name, err)
		}
		resolved[name] = r
		return r
	}
	dig := func(m any, keys ...string) any {
		for _, k := range keys {
			mm, ok := m.(map[string]any)
			if !ok {
				return nil
			}
			m = mm[k]
		}
		return m
	}
	calls := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			okRef, _ := dig(op, "responses", "200", "content", "application/json", "schema", "$ref").(string)
			var status int
			var answer []byte
			switch method {
			case "post":
				ex := dig(op, "requestBody", "content", "application/json", "example")
				if ex == nil {
					t.Errorf("POST %s: no example", path)
					continue
				}
				reqRef, _ := dig(op, "requestBody", "content", "application/json", "schema", "$ref").(string)
				if err := schemaOf(reqRef).Validate(ex); err != nil {
					t.Errorf("POST %s: the example does not fit the request schema: %v", path, err)
				}
				b, _ := json.Marshal(ex)
				status, _, answer = do(t, "POST", ts.base+path, string(b))
			case "get":
				u := path
				if x, ok := op["x-example"].(string); ok {
					u = x
				}
				status, _, answer = do(t, "GET", ts.base+u, "")
			default:
				t.Errorf("%s %s: unexpected method", method, path)
				continue
			}
			calls++
			if status != 200 {
				t.Errorf("%s %s: %d %s", method, path, status, answer)
				continue
			}
			if okRef == "" {
				continue // /metrics, text
			}
			var v any
			if err := json.Unmarshal(answer, &v); err != nil {
				t.Errorf("%s %s: %v", method, path, err)
				continue
			}
			if err := schemaOf(okRef).Validate(v); err != nil {
				t.Errorf("%s %s: the answer does not fit %s: %v\n%s", method, path, okRef, err, answer)
			}
		}
	}
	if calls < 13 {
		t.Errorf("only %d operations called", calls)
	}
}

// TestErrors: every failure is a JSON error with a stable code and its
// HTTP status.
func TestErrors(t *testing.T) {
	ts := start(t, Config{MaxBody: 1000})
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"bad json", "POST", "/v1/verify", `{"code": `, 400, "bad-json"},
		{"not an object", "POST", "/v1/verify", `[1]`, 400, "bad-json"},
		{"empty body", "POST", "/v1/verify", ``, 400, "bad-json"},
		{"two values", "POST", "/v1/verify", `{"code": ": f ;"} {}`, 400, "bad-json"},
		{"unknown field", "POST", "/v1/verify", `{"code": ": f ;", "colour": 1}`, 400, "unknown-field"},
		{"wrong type", "POST", "/v1/verify", `{"code": 3}`, 400, "invalid-argument"},
		{"missing field", "POST", "/v1/verify", `{"effect": "( -- )"}`, 400, "missing-field"},
		{"missing words", "POST", "/v1/compose", `{}`, 400, "missing-field"},
		{"bad dialect", "POST", "/v1/check", `{"text": "1", "dialect": "nope"}`, 400, "invalid-argument"},
		{"unknown word", "GET", "/v1/words/no-such-word", ``, 404, "not-found"},
		{"unknown pattern", "GET", "/v1/patterns?id=nope", ``, 404, "not-found"},
		{"bad limit", "GET", "/v1/patterns?limit=x", ``, 400, "invalid-argument"},
		{"unknown parameter", "GET", "/v1/patterns?colour=red", ``, 400, "unknown-field"},
		{"wrong method", "GET", "/v1/verify", ``, 405, "method-not-allowed"},
		{"wrong method on health", "POST", "/health", `{}`, 405, "method-not-allowed"},
		{"unknown route", "GET", "/v2/verify", ``, 404, "not-found"},
		{"too large", "POST", "/v1/check", `{"text": "` + strings.Repeat("x", 2000) + `"}`, 413, "too-large"},
		{"file outside", "POST", "/v1/check", `{"path": "/etc/passwd"}`, 0, ""},
	} {
		status, h, body := do(t, c.method, ts.base+c.path, c.body)
		if c.status == 0 {
			if status == 200 {
				t.Errorf("%s: 200 %s", c.name, body)
			} else {
				errorCode(t, body)
			}
			continue
		}
		if status != c.status || errorCode(t, body) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, status, body, c.status, c.code)
		}
		if h.Get("Content-Type") != "application/json" {
			t.Errorf("%s: Content-Type %q", c.name, h.Get("Content-Type"))
		}
		if status == 405 && h.Get("Allow") == "" {
			t.Errorf("%s: no Allow header", c.name)
		}
	}
	// A body over the limit without Content-Length (chunked).
	req, _ := http.NewRequest("POST", ts.base+"/v1/check", io.MultiReader(strings.NewReader(`{"text": "`), strings.NewReader(strings.Repeat("x", 5000)), strings.NewReader(`"}`)))
	req.ContentLength = -1
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || errorCode(t, b) != "too-large" {
		t.Errorf("chunked body over the limit: %d %s", resp.StatusCode, b)
	}
	// DNS rebinding: a loopback server answers only Host headers that
	// name the loopback.
	status, _, body := do(t, "GET", ts.base+"/v1/words/dup", "", "Host", "evil.example:80")
	if status != 403 || errorCode(t, body) != "forbidden" {
		t.Errorf("foreign Host: %d %s", status, body)
	}
}

func TestTimeout(t *testing.T) {
	ts := start(t, Config{Timeout: time.Nanosecond, CacheEntries: -1})
	status, _, body := do(t, "POST", ts.base+"/v1/check", `{"text": ": f 1 2 + ;"}`)
	if status != 503 || errorCode(t, body) != "timeout" {
		t.Errorf("over the handler timeout: %d %s", status, body)
	}
}

func TestToken(t *testing.T) {
	if _, err := New(query.New(), Config{Addr: "0.0.0.0:0"}).Listen(); err == nil || !strings.Contains(err.Error(), "token") {
		t.Errorf("a server beyond the loopback without a token: %v", err)
	}
	ts := start(t, Config{Token: "s3cret"})
	if status, h, body := do(t, "GET", ts.base+"/v1/words/dup", ""); status != 401 || errorCode(t, body) != "unauthorized" || h.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d %s", status, body)
	}
	if status, _, body := do(t, "GET", ts.base+"/v1/words/dup", "", "Authorization", "Bearer wrong"); status != 401 {
		t.Errorf("wrong token: %d %s", status, body)
	}
	if status, _, body := do(t, "GET", ts.base+"/v1/words/dup", "", "Authorization", "Bearer s3cret"); status != 200 {
		t.Errorf("right token: %d %s", status, body)
	}
	if status, _, body := do(t, "GET", ts.base+"/health", ""); status != 200 {
		t.Errorf("/health needs no token: %d %s", status, body)
	}
}

func TestRateLimit(t *testing.T) {
	// A rate so low that the bucket cannot refill during the test: the
	// burst passes, the next request is refused.
	ts := start(t, Config{Rate: 0.001, Burst: 3})
	for i := range 3 {
		if status, _, body := do(t, "GET", ts.base+"/v1/words/dup", ""); status != 200 {
			t.Fatalf("request %d within the burst: %d %s", i, status, body)
		}
	}
	status, h, body := do(t, "GET", ts.base+"/v1/words/dup", "")
	if status != 429 || errorCode(t, body) != "rate-limited" || h.Get("Retry-After") == "" {
		t.Errorf("over the rate: %d %v %s", status, h, body)
	}
	if status, _, _ := do(t, "GET", ts.base+"/health", ""); status != 200 {
		t.Errorf("/health is not rate limited: %d", status)
	}
	if n := testutil.ToFloat64(ts.metrics.rateLimited); n != 1 {
		t.Errorf("rate-limited counter %v", n)
	}
}

func TestMetrics(t *testing.T) {
	ts := start(t, Config{})
	for range 2 {
		do(t, "POST", ts.base+"/v1/verify", `{"code": ": sq ( n -- n*n ) dup * ;"}`)
	}
	do(t, "GET", ts.base+"/nowhere", "")
	status, _, body := do(t, "GET", ts.base+"/metrics", "")
	if status != 200 {
		t.Fatalf("/metrics: %d", status)
	}
	for _, want := range []string{
		`fastforth_http_requests_total{code="200",method="POST",route="verify"} 2`,
		`fastforth_http_requests_total{code="404",method="GET",route="not-found"} 1`,
		`fastforth_http_request_duration_seconds_bucket{route="verify",le="+Inf"} 2`,
		`fastforth_cache_hits_total{route="verify"} 1`,
		`fastforth_cache_misses_total{route="verify"} 1`,
		`fastforth_http_in_flight_requests 1`, // this request
		`go_goroutines`,
		`process_resident_memory_bytes`,
	} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// inFlight waits until the server has n requests in flight (it polls the
// gauge: the request's arrival is not otherwise observable).
func (ts *testServer) inFlight(t *testing.T, n float64) {
	t.Helper()
	for testutil.ToFloat64(ts.metrics.inFlight) != n {
		runtime.Gosched()
		if t.Context().Err() != nil {
			t.Fatal("gave up")
		}
	}
}

// halfRequest sends a verify request's headers and half its body.
func halfRequest(t *testing.T, addr string) (net.Conn, string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"code": ": sq ( n -- n*n ) dup * ;"}`
	fmt.Fprintf(c, "POST /v1/verify HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:10])
	return c, body[10:]
}

// TestShutdown: a shutdown stops accepting and finishes the requests in
// flight.
func TestShutdown(t *testing.T) {
	ts := start(t, Config{})
	c, rest := halfRequest(t, ts.addr)
	defer c.Close()
	ts.inFlight(t, 1)
	ts.stop()
	// New connections are refused once the listener is closed.
	for {
		nc, err := net.Dial("tcp", ts.addr)
		if err != nil {
			break
		}
		nc.Close()
		runtime.Gosched()
	}
	select {
	case err := <-ts.done:
		t.Fatalf("Serve returned with a request in flight: %v", err)
	default:
	}
	io.WriteString(c, rest)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("the request in flight: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"verified":true`)) {
		t.Errorf("the request in flight: %d %s", resp.StatusCode, b)
	}
	err = <-ts.done
	ts.done <- err // for the cleanup
}

// TestFaults: clients that misbehave cost the server nothing lasting.
func TestFaults(t *testing.T) {
	ts := start(t, Config{ReadHeaderTimeout: 100 * time.Millisecond, ReadTimeout: 200 * time.Millisecond})

	// A client that disconnects mid-request.
	c, _ := halfRequest(t, ts.addr)
	ts.inFlight(t, 1)
	c.Close()
	ts.inFlight(t, 0)

	// A slow client: headers that never end are cut off by the header
	// timeout (the connection is closed: the read ends).
	c, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "POST /v1/verify HTTP/1.1\r\nHost: %s\r\n", ts.addr)
	if _, err := io.ReadAll(c); err != nil {
		t.Errorf("slow headers: %v", err)
	}
	c.Close()
	// A slow body is cut off by the read timeout.
	c, rest := halfRequest(t, ts.addr)
	b, _ := io.ReadAll(c)
	c.Close()
	if len(b) > 0 && !bytes.Contains(b, []byte("400")) && !bytes.Contains(b, []byte("408")) {
		t.Errorf("slow body: %s", b)
	}
	_ = rest
	ts.inFlight(t, 0)

	// Garbage instead of HTTP.
	c, err = net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "\x00\x01\x02 not http\r\n\r\n")
	b, _ = io.ReadAll(c)
	c.Close()
	if !bytes.HasPrefix(b, []byte("HTTP/1.1 400")) {
		t.Errorf("garbage: %q", b)
	}

	// The server still answers.
	if status, _, body := do(t, "POST", ts.base+"/v1/verify", `{"code": ": f ( a b -- b a ) swap ;"}`); status != 200 {
		t.Errorf("after the faults: %d %s", status, body)
	}
}

// TestConcurrentConnections: 1,000 connections at once, each with a
// request, all answered.
func TestConcurrentConnections(t *testing.T) {
	ts := start(t, Config{CacheEntries: -1})
	const n = 1000
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		defer c.Close()
		conns[i] = c
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, c := range conns {
		wg.Go(func() {
			body := fmt.Sprintf(`{"code": ": f%d ( a b -- b a ) swap ;"}`, i)
			fmt.Fprintf(c, "POST /v1/verify HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n%s", ts.addr, len(body), body)
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				errs <- err
				return
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"verified":true`)) {
				errs <- fmt.Errorf("%d %s", resp.StatusCode, b)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
