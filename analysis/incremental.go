package analysis

import (
	"bytes"
	"container/heap"
	"slices"
	"weak"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// maxShifts bounds the edits applied incrementally before a file is read
// again as a whole, which keeps offset conversion cheap.
const maxShifts = 256

// maxKept bounds the texts of the versions that the file's definitions
// were read in (each refers to its version's text, see syntax.Def.File):
// past it, the file is read as a whole again and the old versions are let
// go. Typing in one place keeps one or two versions; edits in more than
// fifty places of a 300 KB file, each read again since, reach it. A large
// file may keep keptVersions versions of its own size: 16 MB is three
// versions of a 4 MB file, whose whole reading costs seconds.
const (
	maxKept      = 16 << 20
	keptVersions = 8
)

// keptLimit is maxKept for a file whose current version is f.
func keptLimit(f *source.File) int { return max(maxKept, keptVersions*textSize(f)) }

// docState is what the Workspace keeps about the last version of a file to
// re-analyse the next one incrementally.
type docState struct {
	src   []byte
	file  *syntax.File
	ctx   *syntax.Context // what the file was read in
	check *infer.Checker
	top   *infer.TopRun // the check of the top-level code, offsets in the text
	// topAgain counts the top-level checks started again since the last
	// whole one (see checkTopAgain).
	topAgain int
	// topUses holds the definitions (canonical) whose effects the last
	// check of the top-level code used: it need not run again after an
	// edit that leaves that code as it was and none of their effects
	// changed.
	topUses map[*syntax.Def]bool
	result  *Result

	// callers maps a definition (as first read) to the definitions (as
	// first read) whose effects depend on its effect.
	callers map[*syntax.Def][]*syntax.Def
	// canon maps a re-read definition to the one first read in its place;
	// current maps the other way. Words in unchanged code still point at
	// the first-read objects. canon holds its keys weakly: a reading that
	// nothing refers to any more must not keep its version's text alive,
	// and nothing can ask for its place then.
	canon   map[weak.Pointer[syntax.Def]]*syntax.Def
	current map[*syntax.Def]*syntax.Def
	// canonSwept is how many entries canon had after its last sweep of
	// the keys that died.
	canonSwept int
	// live counts, for each version's text, the file's definitions read
	// in it; kept is the size of those texts (with their line indexes).
	live map[*source.File]int
	kept int
}

// keep counts d as read in its version, drop no longer.
func (st *docState) keep(d *syntax.Def) {
	if st.live[d.File]++; st.live[d.File] == 1 {
		st.kept += textSize(d.File)
	}
}

func (st *docState) drop(d *syntax.Def) {
	if st.live[d.File]--; st.live[d.File] == 0 {
		delete(st.live, d.File)
		st.kept -= textSize(d.File)
	}
}

// textSize is about what a version's text and line index take.
func textSize(f *source.File) int { return len(f.Src) + 8*f.LineCount() }

func newDocState(src []byte, f *syntax.File, c *infer.Checker) *docState {
	st := &docState{
		src: src, file: f, check: c,
		callers: make(map[*syntax.Def][]*syntax.Def),
		canon:   make(map[weak.Pointer[syntax.Def]]*syntax.Def),
		current: make(map[*syntax.Def]*syntax.Def),
		live:    make(map[*source.File]int),
	}
	for _, d := range f.Defs {
		st.addCalls(d, d)
		st.keep(d)
	}
	c.Remap = st.remap
	return st
}

// retire lets go of o, a reading of the previous version that a new one
// replaces: its result, its dependencies and its count of live texts.
func (st *docState) retire(c *infer.Checker, o *syntax.Def) {
	c.Forget(o)
	st.removeCalls(o, st.canonical(o))
	st.drop(o)
}

// remap gives the definition that stands now where d stood: code not
// read again refers to the objects of earlier readings.
func (st *docState) remap(d *syntax.Def) *syntax.Def {
	if cur, ok := st.current[st.canonical(d)]; ok {
		return cur
	}
	return d
}

func (st *docState) canonical(d *syntax.Def) *syntax.Def {
	// Only definitions read again after an edit (epoch > 0) are keys: the
	// others need no weak pointer made.
	if d == nil || d.Epoch == 0 || len(st.canon) == 0 {
		return d
	}
	if c, ok := st.canon[weak.Make(d)]; ok {
		return c
	}
	return d
}

// setCanon records that n, read again, stands where co was first read.
func (st *docState) setCanon(n, co *syntax.Def) {
	st.canon[weak.Make(n)], st.current[co] = co, n
	if len(st.canon) > 2*st.canonSwept+64 {
		for k := range st.canon {
			if k.Value() == nil {
				delete(st.canon, k)
			}
		}
		st.canonSwept = len(st.canon)
	}
}

// callersOf returns the definitions that depend on d: its callers, and
// for a does> part (which has no name to be known by when read again)
// those of its defining word, whose children behave as it says.
func (st *docState) callersOf(d *syntax.Def) []*syntax.Def {
	cs := st.callers[st.canonical(d)]
	for o := d.DoesOf; o != nil; o = o.DoesOf {
		cs = append(slices.Clip(cs), st.callers[st.canonical(o)]...)
	}
	return cs
}

// addCalls records that caller (canonical) depends on what d's body uses.
func (st *docState) addCalls(d, caller *syntax.Def) {
	st.calls(d, func(t *syntax.Def) { st.callers[t] = append(st.callers[t], caller) })
}

// removeCalls undoes addCalls(d, caller) when d is read again or goes:
// the lists must not keep the readings of old versions, and with them
// their texts, alive. The keys are found again as addCalls found them (a
// definition's place, canonical, does not change while it lives).
func (st *docState) removeCalls(d, caller *syntax.Def) {
	st.calls(d, func(t *syntax.Def) {
		cs, ok := st.callers[t]
		if !ok {
			return
		}
		cs = slices.DeleteFunc(cs, func(x *syntax.Def) bool { return x == caller })
		if len(cs) == 0 {
			delete(st.callers, t)
		} else {
			st.callers[t] = cs
		}
	})
}

// calls calls f with (the canonical of) each definition whose effect d's
// body depends on, once per use.
func (st *docState) calls(d *syntax.Def, f func(t *syntax.Def)) {
	add := func(r syntax.Ref) {
		t := r.D
		if t == nil || t == d {
			return
		}
		f(st.canonical(t))
		switch {
		case t.Kind == syntax.Child && t.Maker != nil:
			f(st.canonical(t.Maker))
			if t.Maker.Does != nil {
				f(st.canonical(t.Maker.Does))
			}
		case t.Kind == syntax.Alias && t.Target.D != nil:
			f(st.canonical(t.Target.D))
		}
	}
	for i := range d.Body {
		op := &d.Body[i]
		add(op.Ref)
		add(op.Target)
		// A quotation's effect is its pushed xt's: the definition that
		// runs it is checked with that effect.
		if op.Kind == syntax.OpQuotation && op.NewDef != nil {
			add(syntax.Ref{D: op.NewDef})
		}
	}
}

// checkTop checks the top-level code of f and records what it used.
func (st *docState) checkTop(c *infer.Checker, f *syntax.File) {
	st.top = c.TopRun(f)
	st.topAgain = 0
	st.topUses = make(map[*syntax.Def]bool, len(st.topUses))
	st.addTopUses(f.Top)
}

// maxTopAgain bounds the top-level checks started again between two
// whole ones: each adds what its operations use to topUses, which keeps
// what they no longer use (and with it old readings) until a whole check.
const maxTopAgain = 128

// checkTopAgain checks the top-level code of f, where operations
// [from, newTo) stand for [from, oldTo) of the previous version, from
// near the change (see infer.TopAgain); the effects the rest uses are
// unchanged.
func (st *docState) checkTopAgain(c *infer.Checker, f *syntax.File, from, oldTo, newTo int, move func(int) int) {
	if st.topAgain >= maxTopAgain {
		st.checkTop(c, f)
		return
	}
	st.top = c.TopAgain(f, st.top, from, oldTo, newTo, move)
	st.topAgain++
	st.addTopUses(f.Top[from:newTo])
}

// addTopUses records the definitions (canonical) whose effects the
// operations ops, top-level code, use.
func (st *docState) addTopUses(ops []syntax.Op) {
	uses := st.topUses
	add := func(t *syntax.Def) {
		if t == nil {
			return
		}
		uses[st.canonical(t)] = true
		switch {
		case t.Kind == syntax.Child && t.Maker != nil:
			uses[st.canonical(t.Maker)] = true
			if t.Maker.Does != nil {
				uses[st.canonical(t.Maker.Does)] = true
			}
		case t.Kind == syntax.Alias && t.Target.D != nil:
			uses[st.canonical(t.Target.D)] = true
		}
	}
	for i := range ops {
		op := &ops[i]
		add(op.Ref.D)
		add(op.Target.D)
		// The check runs a definition's body only when it pushes its
		// xt (see infer's step).
		if op.Kind == syntax.OpQuotation || op.Kind == syntax.OpColon && op.NewDef != nil && op.NewDef.Kind == syntax.Noname {
			add(op.NewDef)
		}
	}
}

// update analyses a new version incrementally, or returns nil when it
// must be analysed as a whole.
func (st *docState) update(w *Workspace, src []byte, sf *source.File) *Result {
	if w.opts.Context != nil && w.opts.Context(cleanPath(st.file.Source.Name)) != st.ctx {
		return nil
	}
	if bytes.Equal(src, st.src) {
		return st.result
	}
	if len(st.file.Shifts) >= maxShifts || st.kept > keptLimit(st.file.Source) {
		return nil
	}
	// The changed range: old[p:oldEnd] became src[p:oldEnd+delta].
	p := commonPrefix(st.src, src)
	sfx := commonSuffix(st.src[p:], src[p:])
	oldEnd := len(st.src) - sfx
	delta := len(src) - len(st.src)
	return st.splice(w, src, sf, p, oldEnd, delta)
}

// splice analyses a change anywhere: the file is read again from the last
// checkpoint before the change to the first point after it where the
// reading is back in step with the previous one (see syntax.Resume);
// the definitions read again are inferred again, and so are the ones
// whose callees' effects changed. It returns nil when the file must be
// read as a whole.
func (st *docState) splice(w *Workspace, src []byte, sf *source.File, p, oldEnd, delta int) *Result {
	old := st.file
	if sf == nil {
		sf = old.Source.Edit(src, p, oldEnd, oldEnd+delta)
	}
	cfg := w.config(nil, nil)
	cfg.Context = old.Context
	sp, ok := syntax.Resume(old, sf, p, oldEnd, oldEnd+delta, cfg)
	if !ok {
		return nil
	}
	f := sp.File
	// The readings that kept code refers to are paired with what stands
	// for them now. One read before this version (a checkpoint kept an
	// older reading that reads the same) is known by its own first
	// reading; when that is not the old one's, their callers are kept
	// apart, and the file is read as a whole rather than merge them.
	for _, m := range []map[*syntax.Def]*syntax.Def{sp.Replaced, sp.Stale} {
		for o, n := range m {
			if n.File != f.Source && st.canonical(n) != st.canonical(o) {
				return nil
			}
		}
	}
	c := st.check.Clone()
	c.Remap = st.remap
	defs := make([]*infer.Result, len(f.Defs))
	copy(defs, st.result.Defs[:sp.From])
	// The old definitions read again are gone; when the reading came
	// back in step, the new ones stand in their places (the same number
	// of them), and code after them that refers to one of them reads the
	// same with the new one.
	for i := sp.From; i < sp.OldTo; i++ {
		st.retire(c, old.Defs[i])
	}
	for _, m := range []map[*syntax.Def]*syntax.Def{sp.Replaced, sp.Stale} {
		for o, n := range m {
			co := st.canonical(o)
			c.Forget(o)
			c.Forget(co)
			if n.File == f.Source {
				st.setCanon(n, co)
			} else {
				// An older reading the new code refers to: what
				// stands in its place now may be a later reading
				// (one read since and kept), not n.
				cur := f.Live(n)
				if cur != n && f.Abs(cur.Epoch, cur.Start) != f.Abs(n.Epoch, n.Start) {
					// Another definition of the name: n's place
					// was not followed by its index.
					cur = n
				}
				if x, ok := st.current[co]; ok && f.IndexOf(cur) < 0 && f.IndexOf(x) >= 0 {
					cur = x
				}
				st.current[co] = cur
			}
		}
	}
	// The top-level code is checked again unless it is the same and the
	// effects it uses are; from near the edit when only the code
	// changed.
	topDirty, topUsesChanged := !sp.TopShared, false
	changed := func(x *syntax.Def) {
		if st.topUses[st.canonical(x)] {
			topDirty, topUsesChanged = true, true
		}
	}
	newTo := len(f.Defs)
	if sp.Converged {
		// The definitions after where the reading converged are the
		// previous version's, maybe at other indices (definitions were
		// added or taken away before them).
		newTo -= len(old.Defs) - sp.OldTo
		copy(defs[newTo:], st.result.Defs[sp.OldTo:])
	}
	// Each definition read again is paired with the one of the previous
	// reading that started at the same place with the same name, if any:
	// the edit may have added or taken away definitions between them.
	prev := make([]int, newTo-sp.From)
	var pairOf map[*syntax.Def]*syntax.Def
	for k := range prev {
		prev[k] = -1
	}
	{
		pairOf = make(map[*syntax.Def]*syntax.Def, len(prev))
		j := sp.From
		for i := sp.From; i < newTo; i++ {
			n := f.Defs[i]
			for j < sp.OldTo && f.Abs(old.Defs[j].Epoch, old.Defs[j].Start) < int(n.Start) {
				j++
			}
			if j < sp.OldTo {
				if o := old.Defs[j]; f.Abs(o.Epoch, o.Start) == int(n.Start) && o.Name == n.Name && o.Kind == n.Kind {
					prev[i-sp.From] = j
					pairOf[o] = n
					j++
					// n is o read again: code kept from earlier
					// readings (a child's maker, say) finds n
					// through o's first reading. Before any
					// dependency is recorded under n's name.
					if co := st.canonical(o); co != n {
						st.setCanon(n, co)
					}
				}
			}
		}
	}
	// The definitions whose effects changed: their callers are
	// checked again once all the definitions read again have said
	// what they call (a later one may call an earlier one).
	var queue []*syntax.Def
	// Definitions read again as they were (those between the checkpoint
	// and the edit, and after it up to where the reading converged) keep
	// their results when what they use is unchanged too.
	same := map[*syntax.Def]bool{}
	reused := make([]bool, newTo-sp.From)
	for i := sp.From; i < newTo; i++ {
		n := f.Defs[i]
		j := prev[i-sp.From]
		if j < 0 {
			// A definition added (or one whose place changed): nothing
			// kept names it, unless it stands for an old one that kept
			// code refers to (Replaced), whose callers see it now.
			defs[i] = c.Def(n)
			queue = append(queue, n)
			changed(n)
			st.addCalls(n, st.canonical(n))
			continue
		}
		o := old.Defs[j]
		// Read to the end, a definition that reads as before keeps its
		// result only when nothing it uses can lead back to it: a
		// does> part calling the word it was given to comes out as
		// the order of inference makes it.
		if (sp.Converged || acyclic(n)) && st.reusable(sp, old, f, j, i, p, oldEnd, pairOf, same) {
			reused[i-sp.From] = true
			defs[i] = moveResult(f, st.result.Defs[j], o, n)
			c.Keep(n, defs[i])
			same[o] = true
			st.addCalls(n, st.canonical(n))
			continue
		}
		defs[i] = c.Def(n)
		// Callers see the effect, and for words that are not colon
		// definitions what their reading says (a child's maker, its
		// flags): both must be the same.
		if infer.SameSig(st.result.Defs[j].Sig, defs[i].Sig) && !bodyMatters(n, defs[i]) && sp.SameReading(o, n) {
			same[o] = true
		} else {
			queue = append(queue, n)
			changed(n)
		}
		st.addCalls(n, st.canonical(n))
	}
	// The definitions after the convergence that use a name the edit
	// bound otherwise were read again (syntax.Splice.Reread): each stands
	// for the old one in its place.
	var reread []*syntax.Def
	olds := make([]int, 0, len(sp.Reread))
	for o, n := range sp.Reread {
		co := st.canonical(o)
		olds = append(olds, old.IndexOf(o))
		st.retire(c, o)
		c.Forget(co)
		st.setCanon(n, co)
		reread = append(reread, n)
	}
	for k, n := range reread {
		i, j := f.IndexOf(n), olds[k]
		defs[i] = c.Def(n)
		if j < 0 || !infer.SameSig(st.result.Defs[j].Sig, defs[i].Sig) || bodyMatters(n, defs[i]) {
			queue = append(queue, n)
			changed(n)
		}
		st.addCalls(n, st.canonical(n))
		st.keep(n)
	}
	// Re-infer, in file order, the callers whose callees' effects
	// changed, each once.
	q := &defHeap{}
	queued := map[*syntax.Def]bool{}
	for _, n := range reread {
		queued[n] = true
	}
	for i := sp.From; i < newTo; i++ {
		// Inferred above; one that kept its result did so because
		// the words it names directly kept theirs, but it may depend
		// on one through another (a child on its maker's does> part):
		// it is checked again if one of those changed.
		if !reused[i-sp.From] {
			queued[f.Defs[i]] = true
		}
	}
	push := func(callers []*syntax.Def) {
		for _, x := range callers {
			x = st.remap(x)
			if queued[x] {
				continue
			}
			if i := f.IndexOf(x); i >= 0 {
				queued[x] = true
				heap.Push(q, i)
			}
		}
	}
	for _, n := range queue {
		push(st.callersOf(n))
	}
	for q.Len() > 0 {
		i := heap.Pop(q).(int)
		x := f.Defs[i]
		oldSig := c.Def(x).Sig
		c.Forget(x)
		defs[i] = c.Def(x)
		if !infer.SameSig(oldSig, defs[i].Sig) || bodyMatters(x, defs[i]) {
			push(st.callersOf(x))
			changed(x)
		}
	}
	move := func(x int) int {
		if x >= oldEnd {
			return x + delta
		}
		return x
	}
	switch {
	case topUsesChanged:
		st.checkTop(c, f)
	case topDirty:
		st.checkTopAgain(c, f, sp.TopFrom, sp.TopOldTo, sp.TopNewTo, move)
	case delta != 0:
		st.top = st.top.Moved(move)
	}
	for _, n := range f.Defs[sp.From:newTo] {
		st.keep(n)
	}
	st.src, st.file, st.check = src, f, c
	st.result = st.assemble(f, c, defs)
	return st.result
}

// reusable reports whether the definition f.Defs[i], read again, reads
// exactly as old.Defs[j] did, which stood in its place: its text was not
// edited, its operations are the same, and those that name another
// definition read again name the one paired with it (pairOf), whose
// effect is unchanged (same).
func (st *docState) reusable(sp *syntax.Splice, old, f *syntax.File, j, i, at, oldEnd int, pairOf map[*syntax.Def]*syntax.Def, same map[*syntax.Def]bool) bool {
	o, n := old.Defs[j], f.Defs[i]
	r := st.result.Defs[j]
	if r == nil || r.Def != o || o.Immediate || n.Immediate || r.Sig == nil || len(r.Sig.XTs) > 0 || !sp.SameReading(o, n) ||
		len(o.Body) != len(n.Body) || (o.Outer == nil) != (n.Outer == nil) || o.Outer != nil && pairOf[o.Outer] != n.Outer {
		return false
	}
	// A does> part or quotation is checked with what its definition
	// gives it: that must be unchanged too.
	if o.Outer != nil && !same[o.Outer] || o.DoesOf != nil && !same[o.DoesOf] {
		return false
	}
	s, e := old.Abs(o.Epoch, o.Start), old.Abs(o.Epoch, o.End)
	for k := range o.Body {
		e = max(e, old.Abs(o.Epoch, o.Body[k].End), old.Abs(o.Epoch, o.Body[k].ArgEnd))
	}
	if !(e < at || s >= oldEnd) || f.Abs(o.Epoch, o.Start) != int(n.Start) || f.Abs(o.Epoch, o.End) != int(n.End) {
		return false
	}
	ptr := func(p, q *syntax.Def) bool {
		return p == q || p != nil && q != nil && pairOf[p] == q && same[p]
	}
	// What started it (a wrapper of ":" compiles code into it) and what
	// it runs are part of what it does.
	if !ptr(o.StartedBy, n.StartedBy) || !ptr(o.Runs, n.Runs) || !ptr(o.DoesVia, n.DoesVia) {
		return false
	}
	ab := func(x int32) int32 { return int32(f.Abs(o.Epoch, x)) }
	for k := range o.Body {
		a, b := o.Body[k], n.Body[k]
		if ab(a.Start) != b.Start || ab(a.End) != b.End || ab(a.ArgStart) != b.ArgStart || ab(a.ArgEnd) != b.ArgEnd {
			return false
		}
		if !ptr(a.Ref.D, b.Ref.D) || !ptr(a.Target.D, b.Target.D) || !ptr(a.NewDef, b.NewDef) {
			return false
		}
		a.Start, a.End, a.ArgStart, a.ArgEnd = b.Start, b.End, b.ArgStart, b.ArgEnd
		a.Ref.D, a.Target.D, a.NewDef = b.Ref.D, b.Target.D, b.NewDef
		if a != b {
			return false
		}
	}
	return true
}

// acyclic reports whether d is a colon definition whose result cannot
// depend on the order definitions are inferred in: none of the words it
// uses runs code given to it later (a does> part, a deferred word, an
// alias, a child of a defining word).
func acyclic(d *syntax.Def) bool {
	if d.Kind != syntax.Colon || d.DoesOf != nil || d.Runs != nil || d.Immediate {
		return false
	}
	for i := range d.Body {
		for _, t := range [2]*syntax.Def{d.Body[i].Ref.D, d.Body[i].Target.D} {
			if t == nil {
				continue
			}
			switch t.Kind {
			case syntax.Colon, syntax.Variable, syntax.Constant:
				if t.Runs == nil && t.DoesOf == nil {
					continue
				}
			}
			return false
		}
		if d.Body[i].NewDef != nil {
			return false
		}
	}
	return true
}

// moveResult gives o's result r to n, which reads as o did, with the
// diagnostics' offsets in n's coordinates.
func moveResult(f *syntax.File, r *infer.Result, o, n *syntax.Def) *infer.Result {
	x := *r
	x.Def = n
	if len(r.Diags) > 0 {
		x.Diags = make([]diag.Diagnostic, len(r.Diags))
		for i, d := range r.Diags {
			d.Start, d.End = f.Abs(o.Epoch, int32(d.Start))-f.Abs(n.Epoch, 0), f.Abs(o.Epoch, int32(d.End))-f.Abs(n.Epoch, 0)
			x.Diags[i] = d
		}
	}
	if n.Comment != nil && o.Comment != nil && r.Declared == &o.Comment.Effect {
		x.Declared = &n.Comment.Effect
	}
	return &x
}

// defHeap orders definitions by their place in the file (their
// indices).
type defHeap []int

func (h defHeap) Len() int           { return len(h) }
func (h defHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h defHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *defHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *defHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// bodyMatters reports whether what a definition's callers do depends on
// its body, not only on its effect: an immediate word's body is expanded
// in them, and a word that executes execution tokens it is given is run
// with the ones they give it.
func bodyMatters(d *syntax.Def, r *infer.Result) bool {
	return d.Immediate || r.Sig != nil && len(r.Sig.XTs) > 0
}

// assemble gathers the results and diagnostics of a version, with offsets
// in its text.
func (st *docState) assemble(f *syntax.File, c *infer.Checker, defs []*infer.Result) *Result {
	if defs == nil {
		defs = make([]*infer.Result, len(f.Defs))
		for i, d := range f.Defs {
			defs[i] = c.Def(d)
		}
	}
	r := &Result{File: f, Checker: c, Defs: defs}
	r.Diags = f.AllDiags()
	for i, d := range f.Defs {
		dr := defs[i]
		for _, x := range dr.Diags {
			x.Start, x.End = f.Abs(d.Epoch, int32(x.Start)), f.Abs(d.Epoch, int32(x.End))
			r.Diags = append(r.Diags, x)
		}
	}
	r.Diags = append(r.Diags, st.top.Diags...)
	sortDiags(r.Diags)
	return r
}

// commonPrefix and commonSuffix compare in blocks first: bytes.Equal is
// vectorised, a byte loop is not.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+256 <= n && bytes.Equal(a[i:i+256], b[i:i+256]) {
		i += 256
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

func commonSuffix(a, b []byte) int {
	i, j := len(a), len(b)
	for i >= 256 && j >= 256 && bytes.Equal(a[i-256:i], b[j-256:j]) {
		i, j = i-256, j-256
	}
	for i > 0 && j > 0 && a[i-1] == b[j-1] {
		i, j = i-1, j-1
	}
	return len(a) - i
}
