package httpapi

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	inFlight    prometheus.Gauge
	cacheHits   *prometheus.CounterVec
	cacheMisses *prometheus.CounterVec
	rateLimited prometheus.Counter
	hits, miss  sync.Map // route -> prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fastforth_http_requests_total", Help: "HTTP requests answered, by route, method and status code.",
	}, []string{"route", "method", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "fastforth_http_request_duration_seconds",
		Help:    "Time from the request's headers to the end of its answer, by route.",
		Buckets: []float64{25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1, 2.5, 5, 10, 30},
	}, []string{"route"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "fastforth_http_in_flight_requests", Help: "Requests being handled.",
	})
	m.cacheHits = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fastforth_cache_hits_total", Help: "Answers served from the answer cache, by route.",
	}, []string{"route"})
	m.cacheMisses = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fastforth_cache_misses_total", Help: "Cacheable requests computed, by route.",
	}, []string{"route"})
	m.rateLimited = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "fastforth_http_rate_limited_total", Help: "Requests refused with 429 (--rate).",
	})
	m.reg.MustRegister(m.requests, m.duration, m.inFlight, m.cacheHits, m.cacheMisses, m.rateLimited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: nil, MaxRequestsInFlight: 4})
}

func (m *metrics) cacheHit(route string) {
	c, ok := m.hits.Load(route)
	if !ok {
		c, _ = m.hits.LoadOrStore(route, m.cacheHits.WithLabelValues(route))
	}
	c.(prometheus.Counter).Inc()
}

func (m *metrics) cacheMiss(route string) {
	c, ok := m.miss.Load(route)
	if !ok {
		c, _ = m.miss.LoadOrStore(route, m.cacheMisses.WithLabelValues(route))
	}
	c.(prometheus.Counter).Inc()
}

// routeMetrics are one route's series, resolved once.
type routeMetrics struct {
	m        *metrics
	name     string
	duration prometheus.Observer
	counters sync.Map // method+code -> prometheus.Counter
}

func (m *metrics) route(name string) *routeMetrics {
	return &routeMetrics{m: m, name: name, duration: m.duration.WithLabelValues(name)}
}

type counterKey struct {
	method string
	code   int
}

func (r *routeMetrics) observe(method string, code int, d time.Duration) {
	r.duration.Observe(d.Seconds())
	k := counterKey{method, code}
	c, ok := r.counters.Load(k)
	if !ok {
		if len(method) > 16 {
			method = "OTHER"
		}
		c, _ = r.counters.LoadOrStore(k, r.m.requests.WithLabelValues(r.name, method, strconv.Itoa(code)))
	}
	c.(prometheus.Counter).Inc()
}
