package httpapi

import (
	"crypto/subtle"
	"net"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter limits each client's request rate (a token bucket per IP
// address); buckets unused for a while are dropped, and their number is
// bounded.
type limiter struct {
	r     rate.Limit
	burst int
	mu    sync.Mutex
	m     map[string]*bucket
	swept time.Time
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

// maxBuckets bounds the clients tracked at once.
const maxBuckets = 100_000

func newLimiter(perSecond float64, burst int) *limiter {
	return &limiter{r: rate.Limit(perSecond), burst: burst, m: map[string]*bucket{}, swept: time.Now()}
}

// allow reports whether the client may go on, or how long until it may.
func (l *limiter) allow(client string) (bool, time.Duration) {
	now := time.Now()
	l.mu.Lock()
	if now.Sub(l.swept) > time.Minute || len(l.m) >= maxBuckets {
		for k, b := range l.m {
			// A bucket idle long enough to be full again is the same
			// as a new one.
			if now.Sub(b.seen) > 2*time.Minute || len(l.m) >= maxBuckets {
				delete(l.m, k)
			}
		}
		l.swept = now
	}
	b := l.m[client]
	if b == nil {
		b = &bucket{l: rate.NewLimiter(l.r, l.burst)}
		l.m[client] = b
	}
	b.seen = now
	l.mu.Unlock()
	r := b.l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// limitListener accepts at most n connections at once: the next Accept
// waits for one to close.
type limitListener struct {
	net.Listener
	sem chan struct{}
}

func newLimitListener(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, sem: make(chan struct{}, n)}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
