package gctune

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		live     uint64
		base     int
		headroom uint64
		budget   uint64
		want     int
	}{
		{0, 200, 128 * mb, 0, 200},              // nothing measured yet
		{10 * mb, 200, 128 * mb, 0, 200},        // twice 10 MB is within the headroom
		{64 * mb, 200, 128 * mb, 0, 200},        // exactly the headroom
		{100 * mb, 200, 128 * mb, 0, 128},       // the headroom, not twice the heap
		{200 * mb, 200, 128 * mb, 0, 64},        // the 160,000-line file
		{1000 * mb, 200, 128 * mb, 0, 25},       // never below MinPercent
		{200 * mb, 20, 128 * mb, 0, 20},         // a base below MinPercent stays
		{200 * mb, -1, 128 * mb, 0, -1},         // collection off stays off
		{300 * mb, 100, 1000 * mb, 0, 100},      // never above the base
		{400 * mb, 100, 200 * mb, 0, 50},        // another base
		{3 * mb, 200, 0, 0, MinPercent},         // no headroom at all
		{1 << 40, 200, 128 * mb, 0, MinPercent}, // a huge heap
		{64 * mb, 200, 64 * mb, 256 * mb, 200},  // the budget leaves 192 MB: more than twice the heap
		{100 * mb, 200, 64 * mb, 256 * mb, 156}, // what the budget leaves: 156 MB
		{180 * mb, 200, 64 * mb, 256 * mb, 42},  // the budget leaves 76 MB
		{200 * mb, 200, 64 * mb, 256 * mb, 32},  // the budget leaves less than the headroom
		{300 * mb, 200, 64 * mb, 256 * mb, MinPercent},
		{30 * mb, 200, 64 * mb, 256 * mb, 200}, // small heaps as before
	} {
		if got := Percent(tc.live, tc.base, tc.headroom, tc.budget); got != tc.want {
			t.Errorf("Percent(%d MB, %d, %d MB, %d MB) = %d, want %d", tc.live/mb, tc.base, tc.headroom/mb, tc.budget/mb, got, tc.want)
		}
	}
}

// TestTuner: after a collection the percent is the one for the live heap
// the collection found, whether it grew or shrank; Stop sets the base
// back.
func TestTuner(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	const mb = 1 << 20
	tu := Start(200, 32*mb, 0)
	seen := make(chan struct{}, 16)
	tu.mu.Lock()
	tu.seen = func() { seen <- struct{}{} }
	tu.mu.Unlock()
	collect := func() {
		t.Helper()
		for len(seen) > 0 {
			<-seen
		}
		runtime.GC()
		select {
		case <-seen:
		case <-time.After(10 * time.Second):
			t.Fatal("no collection seen")
		}
	}
	current := func() int { p := debug.SetGCPercent(100); debug.SetGCPercent(p); return p }

	live := make([]byte, 64*mb)
	for i := range live {
		live[i] = byte(i)
	}
	collect()
	// 32 MB of a bit more than 64 MB live: a little under 50 percent.
	if p, _ := tu.State(); p < 40 || p > 50 || current() != p {
		t.Errorf("with 64 MB live: percent %d (collector %d), want 40-50", p, current())
	}
	runtime.KeepAlive(live)
	live = nil
	collect()
	if p, _ := tu.State(); p != 200 || current() != 200 {
		t.Errorf("with the 64 MB gone: percent %d (collector %d), want 200", p, current())
	}
	if _, n := tu.State(); n < 2 {
		t.Errorf("%d collections seen, want 2 or more", n)
	}
	live = make([]byte, 64*mb)
	collect()
	runtime.KeepAlive(live)
	tu.Stop()
	if p, _ := tu.State(); p != 200 || current() != 200 {
		t.Errorf("after Stop: percent %d (collector %d), want the base 200", p, current())
	}
}
