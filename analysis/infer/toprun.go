package infer

import (
	"slices"
	"sort"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// TopRun is the check of a file's top-level code, kept so that the check
// of the next version of the file can start again near the change and
// stop where it is back in step (TopAgain): top-level code is one long
// run, and checking all of it again at every keystroke costs what the
// file is long.
type TopRun struct {
	// Diags are the diagnostics, with offsets in the text of the
	// version checked.
	Diags []diag.Diagnostic
	// points are places between two operations where the check stood as
	// a fresh one would (one path, empty stacks, nothing open) but for
	// the flags it carried: from there on it depends only on the
	// operations after them.
	points []topPoint
	// limited is set when the run passed a limit on its work: what it
	// found after that depends on everything before.
	limited bool
	// work is the work the whole run counted, budget its bound.
	work, budget int
}

// topPoint is a quiet place of a run: before operation op, after ndiags
// diagnostics.
type topPoint struct {
	op, ndiags int32
	mark       engineMark
}

// engineMark is what an engine carries past a quiet place (see
// quietTop): the flags later operations read, and two counters.
type engineMark struct {
	nextID         int32
	work           int
	reason, broken string
	unknown, deep, sawRecurse, csLost, execUnknown, readsDepth, bodyEffect,
	trusted, brokenLoop, stopped, describedFirst, describedTight bool
}

// same reports whether two marks lead to the same results from here on:
// the counters only name values and count work (see TopAgain).
func (m engineMark) same(o engineMark) bool {
	m.nextID, m.work = o.nextID, o.work
	return m == o
}

// topPointEvery is how many operations apart the quiet places a run keeps
// are at least: a check started again runs up to that many more.
const topPointEvery = 4

func (e *engine) mark() engineMark {
	return engineMark{
		nextID: e.nextID, work: e.work, reason: e.reason, broken: e.broken,
		unknown: e.unknown, deep: e.deep, sawRecurse: e.sawRecurse, csLost: e.csLost, execUnknown: e.execUnknown,
		readsDepth: e.readsDepth, bodyEffect: e.bodyEffect, trusted: e.trusted, brokenLoop: e.brokenLoop,
		stopped: e.stopped, describedFirst: e.describedFirst, describedTight: e.describedTight,
	}
}

func (e *engine) restore(m engineMark) {
	e.nextID, e.work, e.reason, e.broken = m.nextID, m.work, m.reason, m.broken
	e.unknown, e.deep, e.sawRecurse, e.csLost, e.execUnknown = m.unknown, m.deep, m.sawRecurse, m.csLost, m.execUnknown
	e.readsDepth, e.bodyEffect, e.trusted, e.brokenLoop = m.readsDepth, m.bodyEffect, m.trusted, m.brokenLoop
	e.stopped, e.describedFirst, e.describedTight = m.stopped, m.describedFirst, m.describedTight
}

// quietTop reports whether the top-level check stands as a fresh one
// would, but for its mark: one path with empty stacks and nothing open.
// What else the engine holds then (execution tokens, divergences, loops
// and the operations last run) only matters to values on the stacks or
// to structures still open.
func (e *engine) quietTop() bool {
	if len(e.cur) != 1 || len(e.cs) != 0 || len(e.exits) != 0 || e.ct != nil || e.postponing || e.macroDepth != 0 {
		return false
	}
	s := e.cur[0]
	return len(s.st[0])+len(s.st[1])+len(s.st[2]) == 0 && s.in == [3]int{} && len(s.loc) == 0 && s.mode == 0 && !s.depBranch
}

func (c *Checker) topEngine(f *syntax.File) *engine {
	e := &engine{resolve: c.Resolve, remap: c.current, topLvl: true}
	e.budget = workBudget(len(f.Top))
	e.cur = []*state{e.newState()}
	return e
}

// TopRun checks the top-level code of f, as Top does, and keeps what a
// check of the next version needs to start again near a change.
func (c *Checker) TopRun(f *syntax.File) *TopRun {
	e := c.topEngine(f)
	r := &TopRun{budget: e.budget}
	runTop(e, f, r, 0, nil)
	return r
}

// TopAgain checks the top-level code of f, a new version of the file
// whose check was prev: operations [from, newTo) of f.Top stand for
// operations [from, oldTo) of the previous version's, the others are the
// same (those after moved), and move gives where an offset of the
// previous text is in the new one. It starts at the last quiet place at
// or before from and stops at the first quiet place after newTo where the
// previous run stood the same, and keeps the rest of prev. The caller
// makes sure that the definitions the kept code uses have the effects
// they had.
func (c *Checker) TopAgain(f *syntax.File, prev *TopRun, from, oldTo, newTo int, move func(int) int) *TopRun {
	if prev == nil || prev.limited {
		return c.TopRun(f)
	}
	k := sort.Search(len(prev.points), func(i int) bool { return int(prev.points[i].op) > from }) - 1
	if k < 0 {
		return c.TopRun(f)
	}
	p := prev.points[k]
	e := c.topEngine(f)
	e.restore(p.mark)
	r := &TopRun{budget: e.budget, points: slices.Clone(prev.points[:k])}
	r.Diags = make([]diag.Diagnostic, 0, len(prev.Diags)+4)
	for _, d := range prev.Diags[:p.ndiags] {
		d.Start, d.End = move(d.Start), move(d.End)
		r.Diags = append(r.Diags, d)
	}
	var conv *topPoint
	stop := func(i int, m engineMark) bool {
		if i < newTo {
			return false
		}
		o := i - newTo + oldTo
		j := sort.Search(len(prev.points), func(j int) bool { return int(prev.points[j].op) >= o })
		if j == len(prev.points) || int(prev.points[j].op) != o {
			return false
		}
		q := &prev.points[j]
		// The rest of the previous run counted work from q's on: the
		// new run passes no limit in it if the total stays in bounds.
		if !q.mark.same(m) || e.limitHit || m.work+prev.work-q.mark.work > e.budget {
			return false
		}
		conv = q
		return true
	}
	runTop(e, f, r, int(p.op), stop)
	if conv == nil {
		return r
	}
	// The rest is the previous run's, moved.
	dOps, dDiags, dWork := int32(newTo-oldTo), int32(len(r.Diags))-conv.ndiags, e.work-conv.mark.work
	for _, d := range prev.Diags[conv.ndiags:] {
		d.Start, d.End = move(d.Start), move(d.End)
		r.Diags = append(r.Diags, d)
	}
	at := sort.Search(len(prev.points), func(j int) bool { return &prev.points[j] == conv || prev.points[j].op > conv.op })
	for _, q := range prev.points[at:] {
		q.op += dOps
		q.ndiags += dDiags
		q.mark.work += dWork
		r.points = append(r.points, q)
	}
	r.work = prev.work + dWork
	return r
}

// runTop runs e over f.Top from operation i on, recording quiet places in
// r and appending the diagnostics to r.Diags; stop, when not nil, is asked
// at each quiet place whether the run may end there.
func runTop(e *engine, f *syntax.File, r *TopRun, i int, stop func(op int, m engineMark) bool) {
	last := -topPointEvery
	if n := len(r.points); n > 0 {
		last = int(r.points[n-1].op)
	}
	base := len(r.Diags)
	for ; ; i++ {
		if e.quietTop() {
			m := e.mark()
			if stop != nil && stop(i, m) {
				break
			}
			if i-last >= topPointEvery {
				r.points = append(r.points, topPoint{op: int32(i), ndiags: int32(base + len(e.diags)), mark: m})
				last = i
			}
		}
		if i >= len(f.Top) {
			break
		}
		e.run(f.Top[i : i+1])
	}
	for _, d := range e.diags {
		d.Start, d.End = f.TopAbs(int32(d.Start)), f.TopAbs(int32(d.End))
		r.Diags = append(r.Diags, d)
	}
	r.work = e.work
	r.limited = r.limited || e.limitHit
}

// Moved is r with its diagnostics' offsets moved by an edit that left the
// top-level code as it was (move gives where an offset of the previous
// text is in the new one).
func (r *TopRun) Moved(move func(int) int) *TopRun {
	n := *r
	n.Diags = make([]diag.Diagnostic, len(r.Diags))
	for i, d := range r.Diags {
		d.Start, d.End = move(d.Start), move(d.End)
		n.Diags[i] = d
	}
	return &n
}
