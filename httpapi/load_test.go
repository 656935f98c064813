package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/loadgen"
	"github.com/fastforth/fastforth/query"
)

func loadBodies(route string, n int) [][]byte { return loadgen.Bodies(route, n) }

// TestLoad puts each route under load for a moment: no errors, every
// answer 200, nothing left in flight. The rates are logged, not
// asserted (BenchmarkHTTP and `wrk` measure).
func TestLoad(t *testing.T) {
	d := time.Second
	if testing.Short() {
		d = 200 * time.Millisecond
	}
	ts := start(t, Config{CacheEntries: -1})
	for _, route := range []string{"health", "verify", "infer", "generate"} {
		cfg := loadgen.Config{URL: ts.base + "/v1/" + route, Conns: 16, Duration: d, Bodies: loadBodies(route, 1000)}
		if route == "health" {
			cfg.URL, cfg.Bodies = ts.base+"/health", nil
		}
		res, err := loadgen.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %v", route, res)
		if res.Errors != 0 || res.Status[200] != res.Requests || res.Requests == 0 {
			t.Errorf("%s: %v (%s)", route, res, res.FirstError)
		}
	}
	ts.inFlight(t, 0)
}

// TestSoak runs verify under load for FASTFORTH_SOAK (a duration, e.g.
// 60s) and checks that the heap and the goroutines stay flat.
func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("FASTFORTH_SOAK"))
	if err != nil {
		t.Skip("FASTFORTH_SOAK=60s runs the soak test")
	}
	ts := start(t, Config{CacheEntries: -1})
	heap := func() (uint64, int) {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse, runtime.NumGoroutine()
	}
	// A first run warms up pools and caches.
	bodies := loadBodies("verify", 10000)
	loadgen.Run(context.Background(), loadgen.Config{URL: ts.base + "/v1/verify", Conns: 16, Duration: 2 * time.Second, Bodies: bodies})
	h0, g0 := heap()
	slice := 10 * time.Second
	for elapsed := time.Duration(0); elapsed < d; elapsed += slice {
		res, err := loadgen.Run(context.Background(), loadgen.Config{URL: ts.base + "/v1/verify", Conns: 16, Duration: min(slice, d-elapsed), Bodies: bodies})
		if err != nil {
			t.Fatal(err)
		}
		h, g := heap()
		t.Logf("%v: %v; heap in use %.1f MB (%.1f MB at the start), %d goroutines (%d)", elapsed+slice, res, float64(h)/1e6, float64(h0)/1e6, g, g0)
		if res.Errors != 0 || res.Status[200] != res.Requests {
			t.Errorf("%v (%s)", res, res.FirstError)
		}
		if h > 2*h0+8<<20 {
			t.Errorf("the heap grew from %d to %d bytes", h0, h)
		}
	}
	ts.inFlight(t, 0)
}

// BenchmarkHTTP measures each route through the loopback, with a
// closed loop of 16 connections (the load generator in the same
// process: on a small machine it takes its share of the CPU).
func BenchmarkHTTP(b *testing.B) {
	for _, route := range []string{"health", "verify", "infer", "generate"} {
		for _, cache := range []int{-1, 4096} {
			name := route + "/cache=off"
			if cache > 0 {
				name = route + "/cache=on"
			}
			if route == "health" && cache > 0 {
				continue
			}
			b.Run(name, func(b *testing.B) {
				ts := start(b, Config{CacheEntries: cache})
				cfg := loadgen.Config{URL: ts.base + "/v1/" + route, Conns: 16, Duration: time.Hour, MaxRequests: b.N, Bodies: loadBodies(route, 1000)}
				if route == "health" {
					cfg.URL, cfg.Bodies = ts.base+"/health", nil
				}
				if cache > 0 {
					cfg.Bodies = cfg.Bodies[:1]
				}
				b.ResetTimer()
				res, err := loadgen.Run(context.Background(), cfg)
				if err != nil || res.Errors != 0 {
					b.Fatal(err, res)
				}
				b.ReportMetric(res.PerSec, "req/s")
				b.ReportMetric(float64(res.P50.Microseconds()), "p50-µs")
				b.ReportMetric(float64(res.P99.Microseconds()), "p99-µs")
			})
		}
	}
}

// BenchmarkHandler measures a route's handler without the network: the
// server's own CPU per request (distinct bodies, no answer cache).
func BenchmarkHandler(b *testing.B) {
	for _, route := range []string{"health", "verify", "infer", "check", "compose", "generate"} {
		b.Run(route, func(b *testing.B) {
			s := New(query.New(), Config{CacheEntries: -1})
			h := s.Handler()
			bodies := loadgen.Bodies(route, 4096)
			path := loadgen.Routes[route]
			i := 0
			for b.Loop() {
				var req *http.Request
				if bodies == nil {
					req = httptest.NewRequest("GET", path, nil)
				} else {
					req = httptest.NewRequest("POST", path, bytes.NewReader(bodies[i%len(bodies)]))
				}
				i++
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}
