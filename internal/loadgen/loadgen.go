// Package loadgen is a small HTTP/1.1 load generator for the server's
// load tests and `fastforth bench load`: keep-alive connections that send
// pre-encoded requests and read the answers with as little work as
// possible (so that on a small machine most of the CPU goes to the
// server), either as fast as the server answers (closed loop) or at a
// fixed rate (open loop, latency measured from when each request was due,
// so a stall is not hidden by requests that were not sent).
package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Config is one load run.
type Config struct {
	URL    string
	Method string // default GET, or POST with Bodies
	// Bodies are sent in turn (POST); each connection starts at its own
	// place in the list.
	Bodies [][]byte
	Header map[string]string
	// Conns is the number of connections (default 16).
	Conns int
	// Duration bounds the run (default 5s); MaxRequests, when set, too.
	Duration    time.Duration
	MaxRequests int
	// Rate, when set, sends this many requests per second in all
	// (open loop); 0 sends as fast as the answers come (closed loop).
	Rate float64
	// Timeout bounds one request (default 10s).
	Timeout time.Duration
}

// Result sums up a run.
type Result struct {
	Requests int
	Errors   int         // transport errors and timeouts
	Status   map[int]int // answers by status code
	Elapsed  time.Duration
	PerSec   float64
	P50, P90 time.Duration
	P99, Max time.Duration
	// Late counts open-loop requests sent more than 1 ms after they
	// were due (the generator or the server could not keep up).
	Late int
	// FirstError is the first transport error, for the report.
	FirstError string
}

func (r Result) String() string {
	return fmt.Sprintf("%d requests in %v: %.0f/s, p50 %v, p90 %v, p99 %v, max %v, errors %d, status %v",
		r.Requests, r.Elapsed.Round(time.Millisecond), r.PerSec, r.P50, r.P90, r.P99, r.Max, r.Errors, r.Status)
}

// Run runs the load until the duration or the request count is reached
// or ctx is done.
func Run(ctx context.Context, cfg Config) (Result, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return Result{}, err
	}
	if cfg.Conns <= 0 {
		cfg.Conns = 16
	}
	if cfg.Duration <= 0 {
		cfg.Duration = 5 * time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	method := cfg.Method
	if method == "" {
		method = "GET"
		if len(cfg.Bodies) > 0 {
			method = "POST"
		}
	}
	path := u.RequestURI()
	var reqs [][]byte
	bodies := cfg.Bodies
	if len(bodies) == 0 {
		bodies = [][]byte{nil}
	}
	for _, b := range bodies {
		var buf bytes.Buffer
		fmt.Fprintf(&buf, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, u.Host)
		for k, v := range cfg.Header {
			fmt.Fprintf(&buf, "%s: %s\r\n", k, v)
		}
		if b != nil {
			fmt.Fprintf(&buf, "Content-Type: application/json\r\nContent-Length: %d\r\n", len(b))
		}
		buf.WriteString("\r\n")
		buf.Write(b)
		reqs = append(reqs, buf.Bytes())
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	start := time.Now()
	var mu sync.Mutex
	res := Result{Status: map[int]int{}}
	var lats []time.Duration
	var sent int
	var sentMu sync.Mutex
	take := func() bool {
		if cfg.MaxRequests <= 0 {
			return true
		}
		sentMu.Lock()
		defer sentMu.Unlock()
		if sent >= cfg.MaxRequests {
			return false
		}
		sent++
		return true
	}
	var wg sync.WaitGroup
	for i := 0; i < cfg.Conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			w := &worker{addr: u.Host, timeout: cfg.Timeout}
			defer w.close()
			local := make([]time.Duration, 0, 1024)
			status := map[int]int{}
			errs, late := 0, 0
			firstErr := ""
			var interval time.Duration
			next := start
			if cfg.Rate > 0 {
				interval = time.Duration(float64(cfg.Conns) / cfg.Rate * float64(time.Second))
				next = start.Add(time.Duration(i) * interval / time.Duration(cfg.Conns))
			}
			for k := i; ctx.Err() == nil; k++ {
				due := time.Now()
				if interval > 0 {
					if d := time.Until(next); d > 0 {
						t := time.NewTimer(d)
						select {
						case <-ctx.Done():
							t.Stop()
						case <-t.C:
						}
						if ctx.Err() != nil {
							break
						}
					} else if -d > time.Millisecond {
						late++
					}
					due = next
					next = next.Add(interval)
				}
				if !take() {
					break
				}
				code, err := w.do(reqs[k%len(reqs)])
				if err != nil {
					if ctx.Err() != nil {
						break // cut off by the end of the run
					}
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
					w.close()
					continue
				}
				local = append(local, time.Since(due))
				status[code]++
			}
			mu.Lock()
			lats = append(lats, local...)
			for c, n := range status {
				res.Status[c] += n
			}
			res.Errors += errs
			res.Late += late
			if res.FirstError == "" {
				res.FirstError = firstErr
			}
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Requests = len(lats)
	res.PerSec = float64(res.Requests) / res.Elapsed.Seconds()
	slices.Sort(lats)
	pct := func(p float64) time.Duration {
		if len(lats) == 0 {
			return 0
		}
		return lats[min(len(lats)-1, int(p*float64(len(lats))))]
	}
	res.P50, res.P90, res.P99 = pct(0.50), pct(0.90), pct(0.99)
	if len(lats) > 0 {
		res.Max = lats[len(lats)-1]
	}
	return res, nil
}

// worker is one keep-alive connection.
type worker struct {
	addr    string
	timeout time.Duration
	conn    net.Conn
	r       *bufio.Reader
}

func (w *worker) close() {
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
}

// do sends one request and reads its answer (status line, headers, a
// Content-Length body), returning the status code.
func (w *worker) do(req []byte) (int, error) {
	if w.conn == nil {
		c, err := net.DialTimeout("tcp", w.addr, w.timeout)
		if err != nil {
			return 0, err
		}
		w.conn, w.r = c, bufio.NewReaderSize(c, 64<<10)
	}
	w.conn.SetDeadline(time.Now().Add(w.timeout))
	if _, err := w.conn.Write(req); err != nil {
		return 0, err
	}
	line, err := w.r.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, errors.New("not an HTTP answer: " + strconv.Quote(string(line)))
	}
	code, _ := strconv.Atoi(string(line[9:12]))
	length := -1
	closeAfter := false
	for {
		h, err := w.r.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if len(h) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(h, []byte(":")); ok {
			v = bytes.TrimSpace(v)
			switch {
			case bytes.EqualFold(k, []byte("Content-Length")):
				length, _ = strconv.Atoi(string(v))
			case bytes.EqualFold(k, []byte("Connection")) && bytes.EqualFold(v, []byte("close")):
				closeAfter = true
			}
		}
	}
	if length < 0 {
		return 0, errors.New("an answer without Content-Length")
	}
	if _, err := w.r.Discard(length); err != nil {
		return 0, err
	}
	if closeAfter {
		w.close()
	}
	return code, nil
}

// Routes are the API routes Bodies knows, and their paths.
var Routes = map[string]string{
	"health": "/health", "verify": "/v1/verify", "infer": "/v1/infer", "check": "/v1/check",
	"compose": "/v1/compose", "generate": "/v1/generate", "words": "/v1/words/swap",
	"patterns": "/v1/patterns?query=sum+range&limit=3&brief=true",
}

// Bodies are n distinct request bodies for an API route (each names a
// word of its own, so that no answer comes from the server's answer
// cache); nil for the GET routes.
func Bodies(route string, n int) [][]byte {
	var f string
	switch route {
	case "verify":
		f = `{"code": ": max%d ( a b -- m ) 2dup < if swap then drop ;", "effect": "( a b -- max )"}`
	case "infer":
		f = `{"text": ": sq%d ( n -- n*n ) dup * ;\n: cube ( n -- n^3 ) dup sq%[1]d * ;"}`
	case "check":
		f = `{"text": ": sq%d ( n -- n*n ) dup * ;\n: bad ( a b -- c ) swap ;"}`
	case "compose":
		f = `{"words": "over over + rot drop%d", "stack": "a b", "definitions": ": drop%[1]d drop ;"}`
	case "generate":
		f = `{"name": "order%d", "effect": "( a b -- hi lo )", "pattern": "stack-sort2-001", "params": {"cmp": "<"}, "examples": [{"inputs": [1, 3], "outputs": [3, 1]}]}`
	default:
		return nil
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = fmt.Appendf(nil, f, i)
	}
	return out
}
