// Package gctune bounds how far a server's heap may grow past what is
// live between two collections.
//
// Go's collector lets the heap grow by GOGC percent of the live heap
// before it collects again. The language server runs at 200 percent
// (requests allocate briefly over an analysis that lives as long as its
// documents), which costs little while documents are small, but a
// 160,000-line file keeps 200 to 300 MB live, and the server's resident
// memory reached 1.1 GB. A memory limit (GOMEMLIMIT) bounds the total
// instead, and once the live heap nears it the collector runs without
// pause: seconds of CPU. Start sets the percent after every collection so
// that the heap may grow up to a budget, but always by at least a fixed
// headroom past the live heap (and by the base percent while that is
// less): the resident memory of a large document stays near its live
// heap plus the headroom, a collection comes at most once per headroom
// allocated, and while the live heap grows towards the budget (a large
// file being read) collections come less often than once per headroom.
package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// MinPercent is the lowest percent set, however large the live heap: a
// collection at most once per quarter of the live heap allocated.
const MinPercent = 25

// Percent is the collector's percent for a live heap of live bytes. The
// room to grow is what is left of budget, but at least headroom; the
// percent is base, unless base percent of live is more than the room;
// then the percent that the room is of live, at least MinPercent.
func Percent(live uint64, base int, headroom, budget uint64) int {
	room := headroom
	if budget > live && budget-live > room {
		room = budget - live
	}
	if base <= MinPercent || live == 0 || uint64(base)*live <= room*100 {
		return base
	}
	return max(int(room*100/live), MinPercent)
}

// A Tuner sets the collector's percent after every collection.
type Tuner struct {
	base             int
	headroom, budget uint64
	stopped          atomic.Bool

	mu   sync.Mutex
	last int // the percent set last
	runs int // the collections seen

	// seen, when set (by tests), is called after each collection is
	// handled.
	seen func()
}

// Start sets the collector's percent to base and, after every collection,
// to Percent of the live heap, until Stop.
func Start(base int, headroom, budget uint64) *Tuner {
	t := &Tuner{base: base, headroom: headroom, budget: budget, last: base}
	debug.SetGCPercent(base)
	t.arm()
	return t
}

// sentinel is garbage at the next collection; its cleanup tells the
// tuner that a collection ran. The pointer keeps it out of the tiny
// allocator, whose blocks can outlive a collection.
type sentinel struct {
	t   *Tuner
	pad [16]byte
}

func (t *Tuner) arm() {
	s := &sentinel{t: t}
	runtime.AddCleanup(s, (*Tuner).collected, t)
}

// collected runs after a collection (on the cleanup goroutine): it sets
// the percent for the live heap the collection found and waits for the
// next one.
func (t *Tuner) collected() {
	if t.stopped.Load() {
		return
	}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	p := Percent(live[0].Value.Uint64(), t.base, t.headroom, t.budget)
	t.mu.Lock()
	if !t.stopped.Load() {
		t.runs++
		if p != t.last {
			t.last = p
			debug.SetGCPercent(p)
		}
	}
	seen := t.seen
	t.mu.Unlock()
	t.arm()
	if seen != nil {
		seen()
	}
}

// State is the percent set last and the number of collections seen.
func (t *Tuner) State() (percent, collections int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last, t.runs
}

// Stop stops setting the percent and sets it back to base.
func (t *Tuner) Stop() {
	t.stopped.Store(true)
	t.mu.Lock()
	defer t.mu.Unlock()
	debug.SetGCPercent(t.base)
	t.last = t.base
}
