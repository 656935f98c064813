package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/project"
	"github.com/fastforth/fastforth/httpapi"
	"github.com/fastforth/fastforth/mcpserver"
	"github.com/fastforth/fastforth/query"
)

const serveUsage = `usage: fastforth serve [--addr 127.0.0.1:8080] [--token TOKEN] [--rate N] [--max-body BYTES]
                       [--timeout 30s] [--root DIR] [--access-log FILE|-|off] [analysis options]

Serves the HTTP JSON API (GET /health, POST /v1/check /v1/infer /v1/verify
/v1/compose /v1/stack-at /v1/word /v1/generate /v1/test, GET /v1/patterns,
GET /v1/words/{name}, GET /openapi.json, GET /metrics) and the MCP server at
/mcp. Loopback only unless a token is given (--token or FASTFORTH_TOKEN).
SIGINT or SIGTERM stops it after the requests in flight.
`

// serviceFlags are the options every server shares.
type serviceFlags struct {
	root        string
	allowGforth bool
	includes    multiFlag
	preload     multiFlag
	words       multiFlag
	dialect     string
}

func (sf *serviceFlags) register(fset *flag.FlagSet, rootDefault string, gforthDefault bool) {
	fset.StringVar(&sf.root, "root", rootDefault, "the directory requests may read files in (\"\": anywhere)")
	fset.BoolVar(&sf.allowGforth, "allow-gforth", gforthDefault, "let requests run tests in gforth (the in-process machine runs them by default)")
	fset.Var(&sf.includes, "I", "directory to search for included files (repeatable)")
	fset.Var(&sf.preload, "preload", "file loaded before each analysed text (repeatable)")
	fset.Var(&sf.words, "words", "word file declaring words of another system or library (repeatable)")
	fset.StringVar(&sf.dialect, "dialect", "", dialectUsage+" (default: the project file's, else gforth)")
}

func (sf *serviceFlags) service(stderr io.Writer) (*query.Service, error) {
	if sf.dialect != "" {
		if _, err := builtins.Get(sf.dialect); err != nil {
			return nil, fmt.Errorf("--dialect: %v", err)
		}
	}
	svc := query.New()
	if sf.root != "" {
		abs, err := filepath.Abs(sf.root)
		if err != nil {
			return nil, err
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("--root %s is not a directory", sf.root)
		}
		svc.Root = abs
		svc.LibraryDir = abs
	}
	svc.AllowGforth = sf.allowGforth
	svc.Overrides = project.Overrides{Dialect: sf.dialect, IncludePaths: sf.includes, Preload: sf.preload, Words: sf.words}
	svc.Notes = func(msg string) { fmt.Fprintf(stderr, "fastforth: %s\n", msg) }
	svc.Library() // load (and report) the pattern library now, not in a request
	return svc, nil
}

// newLogger logs to stderr, or a file, buffered: an access log line per
// request would otherwise be a write per request. Never stdout.
func newLogger(dest string, stderr io.Writer) (*zap.Logger, func(), error) {
	if dest == "off" {
		return zap.NewNop(), func() {}, nil
	}
	var ws zapcore.WriteSyncer = zapcore.AddSync(stderr)
	if dest != "" && dest != "-" {
		f, err := os.OpenFile(dest, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, err
		}
		ws = f
	}
	buf := &zapcore.BufferedWriteSyncer{WS: ws, Size: 256 << 10, FlushInterval: time.Second}
	enc := zap.NewProductionEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	l := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(enc), buf, zap.InfoLevel))
	return l, func() { l.Sync(); buf.Stop() }, nil
}

// httpFlags are the HTTP server's options.
type httpFlags struct {
	token     string
	rate      float64
	burst     int
	maxBody   int64
	timeout   time.Duration
	maxConns  int
	cache     int
	accessLog string
}

func (hf *httpFlags) register(fset *flag.FlagSet) {
	fset.StringVar(&hf.token, "token", "", "require Authorization: Bearer TOKEN (default: $FASTFORTH_TOKEN; required beyond the loopback)")
	fset.Float64Var(&hf.rate, "rate", -1, "requests per second per client (0: unlimited; default unlimited on the loopback, 50 elsewhere)")
	fset.IntVar(&hf.burst, "burst", 0, "burst of requests per client above --rate (default twice the rate)")
	fset.Int64Var(&hf.maxBody, "max-body", 1<<20, "largest request body in bytes (413 past it)")
	fset.DurationVar(&hf.timeout, "timeout", 30*time.Second, "longest time a request may take (503 past it)")
	fset.IntVar(&hf.maxConns, "max-conns", 10000, "most connections open at once")
	fset.IntVar(&hf.cache, "cache", 4096, "answers kept for repeated request bodies (0: none)")
	fset.StringVar(&hf.accessLog, "access-log", "-", "where the access log goes: - (stderr), a file, or off")
}

func (hf *httpFlags) config(addr, version string, logger *zap.Logger) httpapi.Config {
	if hf.token == "" {
		hf.token = os.Getenv("FASTFORTH_TOKEN")
	}
	rate := hf.rate
	if rate < 0 {
		rate = 0
		if !httpapi.IsLoopback(addr) {
			rate = 50
		}
	}
	cache := hf.cache
	if cache == 0 {
		cache = -1
	}
	return httpapi.Config{Addr: addr, Token: hf.token, Rate: rate, Burst: hf.burst, MaxBody: hf.maxBody, Timeout: hf.timeout,
		MaxConns: hf.maxConns, CacheEntries: cache, Logger: logger, Version: version}
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fset.String("addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks one)")
	noMCP := fset.Bool("no-mcp", false, "do not serve the MCP server at /mcp")
	var sf serviceFlags
	sf.register(fset, ".", false)
	var hf httpFlags
	hf.register(fset)
	pos, status, done := parseCommand("serve", fset, args, stdout, stderr)
	if done {
		return status
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "fastforth serve: unexpected argument %q\n", pos[0])
		return 2
	}
	svc, err := sf.service(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "fastforth serve: %v\n", err)
		return 2
	}
	logger, closeLog, err := newLogger(hf.accessLog, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "fastforth serve: %v\n", err)
		return 2
	}
	defer closeLog()
	cfg := hf.config(*addr, version, logger)
	if !*noMCP {
		cfg.MCP = mcpserver.HTTPHandler(mcpserver.New(svc, version), cfg.MaxBody)
	}
	return serveHTTP("serve", svc, cfg, stderr)
}

// serveHTTP listens, says where on stderr, and serves until SIGINT or
// SIGTERM.
func serveHTTP(cmd string, svc *query.Service, cfg httpapi.Config, stderr io.Writer) int {
	defer cpuProfile()()
	serverGC()
	srv := httpapi.New(svc, cfg)
	ln, err := srv.Listen()
	if err != nil {
		fmt.Fprintf(stderr, "fastforth %s: %v\n", cmd, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	what := "listening on http://" + ln.Addr().String()
	if cmd == "mcp" {
		what = "MCP over streamable HTTP at http://" + ln.Addr().String() + "/mcp"
	}
	extra := []string{}
	if cfg.Token != "" {
		extra = append(extra, "bearer token required")
	}
	if cfg.Rate > 0 {
		extra = append(extra, fmt.Sprintf("%g requests/s per client", cfg.Rate))
	}
	if svc.Root != "" {
		extra = append(extra, "files under "+svc.Root)
	}
	if len(extra) > 0 {
		what += " (" + strings.Join(extra, ", ") + ")"
	}
	fmt.Fprintf(stderr, "fastforth %s: %s\n", cmd, what)
	served := make(chan struct{})
	defer close(served)
	go func() {
		select {
		case <-ctx.Done():
			fmt.Fprintf(stderr, "fastforth %s: stopping: finishing the requests in flight\n", cmd)
		case <-served:
		}
	}()
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "fastforth %s: %v\n", cmd, err)
		return 1
	}
	fmt.Fprintf(stderr, "fastforth %s: stopped\n", cmd)
	return 0
}

// cpuProfile starts a CPU profile of the whole run into
// $FASTFORTH_CPUPROFILE, when set (for load tests and benchmarks), and
// returns what stops it.
func cpuProfile() func() {
	p := os.Getenv("FASTFORTH_CPUPROFILE")
	if p == "" {
		return func() {}
	}
	f, err := os.Create(p)
	if err != nil {
		return func() {}
	}
	pprof.StartCPUProfile(f)
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// serverGC gives a server more heap headroom: requests allocate briefly
// and keep nothing, while every collection marks the dictionary and the
// pattern library; at the default GOGC=100 marking was a third of an MCP
// server's CPU. GOGC, when set, still decides.
func serverGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
