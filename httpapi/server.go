// Package httpapi serves the query layer as an HTTP JSON API: the same
// request and answer types as the MCP tools and the CLI's --json, with
// what a service needs around them — loopback by default and a bearer
// token elsewhere, body, rate, header and handler limits, JSON errors
// with stable codes, Prometheus metrics, an access log, an OpenAPI
// document, and graceful shutdown.
package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"go.uber.org/zap"

	"github.com/fastforth/fastforth/query"
)

// Config configures a Server. Zero values take the defaults.
type Config struct {
	// Addr is where to listen (default 127.0.0.1:8080).
	Addr string
	// Token, when set, is required as "Authorization: Bearer TOKEN" on
	// every route but /health. Required when Addr is not loopback.
	Token string
	// Rate limits each client (by IP address) to this many requests per
	// second, with bursts of Burst; 0 is unlimited.
	Rate  float64
	Burst int
	// MaxBody bounds request bodies in bytes (default 1 MiB): 413 past it.
	MaxBody int64
	// Timeout bounds a request's handling (default 30s): 503 past it.
	Timeout time.Duration
	// ReadHeaderTimeout (default 5s), ReadTimeout (default 30s: a whole
	// request, body included) and IdleTimeout (default 2m) are the
	// http.Server's; WriteTimeout is Timeout plus 10s.
	ReadHeaderTimeout, ReadTimeout, IdleTimeout time.Duration
	// MaxConns bounds open connections (default 10,000): more wait to be
	// accepted.
	MaxConns int
	// CacheEntries bounds the answer cache (default 4096; -1 disables).
	CacheEntries int
	// Logger receives the access log (one line per request) and the
	// server's errors; nil logs nothing.
	Logger *zap.Logger
	// Version is reported by /health.
	Version string
	// MCP, when set, is served at /mcp (the MCP server over streamable
	// HTTP) behind the same limits.
	MCP http.Handler
	// NoAPI leaves the /v1 routes out (fastforth mcp --http).
	NoAPI bool
}

func (c *Config) defaults() {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.MaxBody <= 0 {
		c.MaxBody = 1 << 20
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = 5 * time.Second
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 2 * time.Minute
	}
	if c.MaxConns <= 0 {
		c.MaxConns = 10000
	}
	if c.CacheEntries == 0 {
		c.CacheEntries = 4096
	}
	if c.Burst <= 0 {
		c.Burst = max(1, int(2*c.Rate))
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	if c.Version == "" {
		c.Version = "dev"
	}
}

// Server is the HTTP API over a query Service.
type Server struct {
	svc     *query.Service
	cfg     Config
	handler http.Handler
	routes  []*route
	metrics *metrics
	limiter *limiter
	cache   *lru.Cache[string, cached]
	health  []byte
	// loopback is set when the server listens on a loopback address:
	// Host headers must then name the loopback (DNS rebinding).
	loopback atomic.Bool
	openAPIState
}

// cached is an answer kept for a request body.
type cached struct {
	status int
	body   []byte
}

// maxCachedBody bounds the request bodies whose answers are cached.
const maxCachedBody = 16 << 10

// New makes a Server.
func New(svc *query.Service, cfg Config) *Server {
	cfg.defaults()
	s := &Server{svc: svc, cfg: cfg, metrics: newMetrics()}
	if cfg.Rate > 0 {
		s.limiter = newLimiter(cfg.Rate, cfg.Burst)
	}
	if cfg.CacheEntries > 0 {
		s.cache, _ = lru.New[string, cached](cfg.CacheEntries)
	}
	s.health, _ = json.Marshal(map[string]string{"status": "ok", "version": cfg.Version})
	s.health = append(s.health, '\n')
	s.routes = s.routeTable()
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern, s.wrap(rt))
	}
	mux.Handle("/", s.wrap(&route{name: "not-found", pattern: "/", handle: func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &query.Error{Code: query.CodeNotFound, Message: "no route " + r.URL.Path + " (see /openapi.json)"})
	}}))
	s.handler = mux
	return s
}

// Handler is the server's whole HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// route is one path and the methods it answers.
type route struct {
	name    string // the metrics label
	pattern string
	methods []string // the methods allowed (405 for others); nil: any
	public  bool     // served without the token (/health)
	handle  http.HandlerFunc
	// For the OpenAPI document.
	summary  string
	request  any // the body type of a POST, or nil
	response any // the answer type
	params   []param
	example  string // an example request body (POST) or query (GET)
}

// param is a query or path parameter of a GET route.
type param struct {
	name, in, description string
	required              bool
}

func (s *Server) routeTable() []*route {
	rs := []*route{
		{name: "health", pattern: "/health", methods: []string{"GET", "HEAD"}, public: true, summary: "Liveness: {status: ok, version}", response: healthAnswer{},
			handle: func(w http.ResponseWriter, r *http.Request) { writeBody(w, http.StatusOK, s.health) }},
		{name: "openapi", pattern: "/openapi.json", methods: []string{"GET", "HEAD"}, summary: "This API's OpenAPI 3.1 document",
			handle: func(w http.ResponseWriter, r *http.Request) { writeBody(w, http.StatusOK, s.openAPI()) }},
		{name: "metrics", pattern: "/metrics", methods: []string{"GET"}, summary: "Prometheus metrics (text exposition format)",
			handle: s.metrics.handler().ServeHTTP},
	}
	if !s.cfg.NoAPI {
		rs = append(rs,
			postRoute(s, "check", "/v1/check", "Diagnostics of text, a file or files and directories (each in its project)", s.svc.Check,
				`{"text": ": sq ( n -- n*n ) dup * ;\n: bad ( a b -- c ) swap ;"}`),
			postRoute(s, "infer", "/v1/infer", "The declared and inferred effect of every definition", s.svc.Infer,
				`{"text": ": sq ( n -- n*n ) dup * ;", "word": "sq"}`),
			postRoute(s, "verify", "/v1/verify", "Whether a word does exactly an effect: the verdict, each path's effect, why", s.svc.Verify,
				`{"code": ": max2 ( a b -- m ) 2dup < if swap then drop ;", "effect": "( a b -- max )"}`),
			postRoute(s, "compose", "/v1/compose", "The effect of a sequence of words, the stacks after each, where it underflows", s.svc.Compose,
				`{"words": "over over + rot", "stack": "a b"}`),
			postRoute(s, "stack-at", "/v1/stack-at", "The stacks just before and after a word inside a definition", s.svc.StackAt,
				`{"text": ": sum3 ( a b c -- s ) + + ;", "definition": "sum3", "word": "+", "occurrence": 2}`),
			postRoute(s, "word", "/v1/word", "A word's effect, description, definition and uses, in text or a file", s.svc.Word,
				`{"name": "sq", "text": "\\ squares\n: sq ( n -- n*n ) dup * ;\n: q sq sq ;"}`),
			postRoute(s, "generate", "/v1/generate", "Verified code and tests from a spec, the tests run in the in-process machine", s.generate,
				`{"name": "order-desc", "effect": "( a b -- hi lo )", "pattern": "stack-sort2-001", "params": {"cmp": "<"}, "examples": [{"inputs": [1, 3], "outputs": [3, 1]}]}`),
			postRoute(s, "test", "/v1/test", "Runs T{ }T tests in the in-process Forth machine", s.svc.Test,
				`{"text": ": sq dup * ;\nT{ 3 sq -> 9 }T"}`),
			&route{name: "patterns", pattern: "/v1/patterns", methods: []string{"GET"}, summary: "Search (query), list (category) or show (id) patterns",
				response: query.PatternsResult{}, example: "query=sum+range&limit=2",
				params: []param{{"query", "query", "rank the patterns by these words", false}, {"category", "query", "only this category", false},
					{"id", "query", "the pattern with this ID", false}, {"limit", "query", "at most this many (0: all)", false},
					{"brief", "query", "true: leave out code and tests", false}},
				handle: s.patterns},
			&route{name: "words", pattern: "/v1/words/{name}", methods: []string{"GET"}, summary: "A builtin word's effect, description and flags",
				response: query.WordResult{}, example: "swap",
				params: []param{{"name", "path", "the word", true}, {"dialect", "query", "the Forth system (default gforth)", false}},
				handle: s.word},
		)
	}
	if s.cfg.MCP != nil {
		rs = append(rs, &route{name: "mcp", pattern: "/mcp", summary: "The MCP server over streamable HTTP", handle: s.cfg.MCP.ServeHTTP})
	}
	return rs
}

// healthAnswer is /health's answer.
type healthAnswer struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

// errorAnswer is every error's body.
type errorAnswer struct {
	Error *query.Error `json:"error"`
}

// statusOf maps an error code onto its HTTP status.
func statusOf(c query.Code) int {
	switch c {
	case query.CodeBadJSON, query.CodeUnknownField, query.CodeMissingField, query.CodeInvalid:
		return http.StatusBadRequest
	case query.CodeNotFound:
		return http.StatusNotFound
	case query.CodeForbidden:
		return http.StatusForbidden
	case query.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case query.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case query.CodeUnauthorized:
		return http.StatusUnauthorized
	case query.CodeRateLimited:
		return http.StatusTooManyRequests
	case query.CodeTimeout:
		return http.StatusServiceUnavailable
	case query.CodeBadProject, query.CodeIO:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// fail writes an error answer.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := query.AsError(err)
	if e.Code == query.CodeInternal {
		s.cfg.Logger.Error("internal error", zap.String("path", r.URL.Path), zap.String("error", e.Message))
		e = &query.Error{Code: query.CodeInternal, Message: "internal error (logged)"}
	}
	b, _ := marshal(errorAnswer{e})
	writeBody(w, statusOf(e.Code), b)
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["X-Content-Type-Options"] = nosniff
	w.WriteHeader(status)
	w.Write(body)
}

var (
	jsonType = []string{"application/json"}
	nosniff  = []string{"nosniff"}
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// marshal encodes v as the CLI does: < > & kept readable, a newline at
// the end.
func marshal(v any) ([]byte, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// postRoute makes a POST route that decodes a Req, answers with f's Res.
func postRoute[Req, Res any](s *Server, name, pattern, summary string, f func(context.Context, *Req) (Res, error), example string) *route {
	var req Req
	var res Res
	rt := &route{name: name, pattern: pattern, methods: []string{"POST"}, summary: summary, request: req, response: res, example: example}
	rt.handle = func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r, s.cfg.MaxBody)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		defer putBody(body)
		key := ""
		if len(body) <= maxCachedBody {
			key = name + "\x00" + string(body)
		}
		if s.fromCache(w, name, key) {
			return
		}
		var in Req
		if err := decode(body, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		s.run(w, r, key, func(ctx context.Context) (any, error) { return f(ctx, &in) })
	}
	return rt
}

var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func putBody(b []byte) {
	if cap(b) <= 64<<10 {
		b = b[:0]
		bodyPool.Put(&b)
	}
}

// readBody reads a request body up to max bytes.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	if r.ContentLength > max {
		return nil, &query.Error{Code: query.CodeTooLarge, Message: fmt.Sprintf("the body is %d bytes; at most %d are accepted (--max-body)", r.ContentLength, max)}
	}
	bp := bodyPool.Get().(*[]byte)
	buf := (*bp)[:0]
	if r.ContentLength > 0 && int64(cap(buf)) < r.ContentLength {
		buf = make([]byte, 0, r.ContentLength)
	}
	rd := http.MaxBytesReader(w, r.Body, max)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, &query.Error{Code: query.CodeTooLarge, Message: fmt.Sprintf("the body is over %d bytes (--max-body)", max)}
			}
			return nil, &query.Error{Code: query.CodeBadJSON, Message: "reading the body: " + err.Error()}
		}
	}
	return buf, nil
}

// decode reads a JSON body strictly: one object, no unknown fields.
func decode(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return &query.Error{Code: query.CodeBadJSON, Message: "the body is empty: send a JSON object"}
	}
	if body[0] != '{' {
		if !json.Valid(body) {
			return &query.Error{Code: query.CodeBadJSON, Message: "the body is not JSON"}
		}
		return &query.Error{Code: query.CodeBadJSON, Message: "the body must be a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return &query.Error{Code: query.CodeBadJSON, Message: fmt.Sprintf("the body is not JSON: %v (at byte %d)", syn, syn.Offset)}
		case errors.As(err, &typ):
			return &query.Error{Code: query.CodeInvalid, Field: typ.Field, Message: fmt.Sprintf("%s: want %s, found %s", typ.Field, typ.Type, typ.Value)}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &query.Error{Code: query.CodeUnknownField, Field: f, Message: fmt.Sprintf("unknown field %q", f)}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return &query.Error{Code: query.CodeBadJSON, Message: "the body is not JSON: it ends too early"}
		}
		return &query.Error{Code: query.CodeBadJSON, Message: "the body is not JSON: " + err.Error()}
	}
	if dec.More() {
		return &query.Error{Code: query.CodeBadJSON, Message: "the body holds more than one JSON value"}
	}
	return nil
}

// generate serves /v1/generate: the request is a spec, with runner.
func (s *Server) generate(ctx context.Context, req *query.GenerateRequest) (*query.GenerateResult, error) {
	return s.svc.Generate(ctx, req)
}

// patterns serves GET /v1/patterns.
func (s *Server) patterns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := &query.PatternsRequest{}
	for k, v := range q {
		val := v[len(v)-1]
		switch k {
		case "query":
			req.Query = val
		case "category":
			req.Category = val
		case "id":
			req.ID = val
		case "limit":
			n, err := strconv.Atoi(val)
			if err != nil {
				s.fail(w, r, &query.Error{Code: query.CodeInvalid, Field: "limit", Message: "limit: want a number, found " + strconv.Quote(val)})
				return
			}
			req.Limit = n
		case "brief":
			b, err := strconv.ParseBool(val)
			if err != nil {
				s.fail(w, r, &query.Error{Code: query.CodeInvalid, Field: "brief", Message: "brief: want true or false"})
				return
			}
			req.Brief = b
		default:
			s.fail(w, r, &query.Error{Code: query.CodeUnknownField, Field: k, Message: fmt.Sprintf("unknown parameter %q (query, category, id, limit, brief)", k)})
			return
		}
	}
	s.answer(w, r, "patterns", func(ctx context.Context) (any, error) { return s.svc.Patterns(ctx, req) })
}

// word serves GET /v1/words/{name}.
func (s *Server) word(w http.ResponseWriter, r *http.Request) {
	req := &query.WordRequest{Name: r.PathValue("name")}
	for k, v := range r.URL.Query() {
		if k != "dialect" {
			s.fail(w, r, &query.Error{Code: query.CodeUnknownField, Field: k, Message: fmt.Sprintf("unknown parameter %q (dialect)", k)})
			return
		}
		req.Dialect = v[len(v)-1]
	}
	s.answer(w, r, "words", func(ctx context.Context) (any, error) { return s.svc.Word(ctx, req) })
}

// answer writes what f gives for a GET, through the cache (keyed by the
// URL).
func (s *Server) answer(w http.ResponseWriter, r *http.Request, name string, f func(context.Context) (any, error)) {
	key := ""
	if len(r.URL.RawQuery)+len(r.URL.Path) <= maxCachedBody {
		key = name + "\x00" + r.URL.Path + "?" + r.URL.RawQuery
	}
	if s.fromCache(w, name, key) {
		return
	}
	s.run(w, r, key, f)
}

// fromCache writes the cached answer under key (not "") and reports
// whether there was one.
func (s *Server) fromCache(w http.ResponseWriter, name, key string) bool {
	if s.cache == nil || key == "" {
		return false
	}
	if c, ok := s.cache.Get(key); ok {
		s.metrics.cacheHit(name)
		writeBody(w, c.status, c.body)
		return true
	}
	s.metrics.cacheMiss(name)
	return false
}

// run writes what f gives within the request timeout, and caches it
// under key (when not "").
func (s *Server) run(w http.ResponseWriter, r *http.Request, key string, f func(context.Context) (any, error)) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
	defer cancel()
	out, err := f(ctx)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := marshal(out)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cache != nil && key != "" {
		s.cache.Add(key, cached{http.StatusOK, b})
	}
	writeBody(w, http.StatusOK, b)
}

// statusWriter records the status and size of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

// Flush lets the MCP handler stream server-sent events.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var swPool = sync.Pool{New: func() any { return new(statusWriter) }}

// wrap puts the route behind recovery, metrics and the access log, the
// host check, the method check, the token, the rate limit and the
// handler timeout.
func (s *Server) wrap(rt *route) http.Handler {
	m := s.metrics.route(rt.name)
	allow := strings.Join(rt.methods, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := swPool.Get().(*statusWriter)
		*sw = statusWriter{ResponseWriter: w}
		s.metrics.inFlight.Inc()
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.cfg.Logger.Error("handler panic", zap.String("route", rt.name), zap.Any("panic", p), zap.ByteString("stack", debug.Stack()))
				if sw.status == 0 {
					s.fail(sw, r, &query.Error{Code: query.CodeInternal, Message: fmt.Sprint(p)})
				}
			}
			s.metrics.inFlight.Dec()
			d := time.Since(start)
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			m.observe(r.Method, status, d)
			if ce := s.cfg.Logger.Check(zap.InfoLevel, "request"); ce != nil {
				ce.Write(zap.String("method", r.Method), zap.String("route", rt.name), zap.String("path", r.URL.Path),
					zap.Int("status", status), zap.Int("bytes", sw.size), zap.Duration("duration", d),
					zap.String("remote", r.RemoteAddr))
			}
			sw.ResponseWriter = nil
			swPool.Put(sw)
		}()
		w = sw
		if s.loopback.Load() && !loopbackHost(r.Host) {
			s.fail(w, r, &query.Error{Code: query.CodeForbidden, Message: "the Host header " + strconv.Quote(r.Host) + " does not name this loopback server (DNS rebinding protection)"})
			return
		}
		if rt.methods != nil && !allowed(rt.methods, r.Method) {
			w.Header().Set("Allow", allow)
			s.fail(w, r, &query.Error{Code: query.CodeMethodNotAllowed, Message: fmt.Sprintf("%s takes %s, not %s", rt.pattern, allow, r.Method)})
			return
		}
		if s.cfg.Token != "" && !rt.public && !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="fastforth"`)
			s.fail(w, r, &query.Error{Code: query.CodeUnauthorized, Message: "a bearer token is required: Authorization: Bearer TOKEN"})
			return
		}
		if s.limiter != nil && !rt.public {
			if ok, wait := s.limiter.allow(clientIP(r)); !ok {
				s.metrics.rateLimited.Inc()
				w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
				s.fail(w, r, &query.Error{Code: query.CodeRateLimited, Message: fmt.Sprintf("over %g requests per second (--rate): retry after the Retry-After seconds", s.cfg.Rate)})
				return
			}
		}
		// The routes that compute bound their work with the handler
		// timeout (after the answer cache: a hit needs no timer); MCP
		// streams (server-sent events) outlive it.
		rt.handle(w, r)
	})
}

func allowed(methods []string, m string) bool {
	for _, x := range methods {
		if x == m {
			return true
		}
	}
	return false
}

// authorized checks the bearer token in constant time.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	return ok && constantTimeEqual(tok, s.cfg.Token)
}

// clientIP is the client's address (X-Forwarded-For is not trusted).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loopbackHost reports whether a Host header names the loopback.
func loopbackHost(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.Trim(h, "[]")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// IsLoopback reports whether an address (host:port) is on the loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
