package analysis

import (
	"bytes"
	"container/heap"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// maxShifts bounds the edits applied incrementally before a file is read
// again as a whole, which keeps offset conversion cheap.
const maxShifts = 256

// maxKept bounds the text of the versions since the file was last read as
// a whole, which definitions read in them keep alive (each refers to its
// version's text): past it, the file is read as a whole again and the
// old versions are let go: about fifty versions of a 300 KB file.
const maxKept = 16 << 20

// docState is what the Workspace keeps about the last version of a file to
// re-analyse the next one incrementally.
type docState struct {
	src    []byte
	file   *syntax.File
	ctx    *syntax.Context // what the file was read in
	check  *infer.Checker
	top    []diag.Diagnostic // top-level diagnostics, offsets in the coordinates of the file's top-level items
	result *Result

	// callers maps a definition (as first read) to the definitions (as
	// first read) whose effects depend on its effect.
	callers map[*syntax.Def][]*syntax.Def
	// canon maps a re-read definition to the one first read in its place;
	// current maps the other way. Words in unchanged code still point at
	// the first-read objects.
	canon, current map[*syntax.Def]*syntax.Def
	// kept is the size of the texts of the versions analysed
	// incrementally since the last full reading.
	kept int
}

func newDocState(src []byte, f *syntax.File, c *infer.Checker) *docState {
	st := &docState{
		src: src, file: f, check: c,
		callers: make(map[*syntax.Def][]*syntax.Def),
		canon:   make(map[*syntax.Def]*syntax.Def),
		current: make(map[*syntax.Def]*syntax.Def),
	}
	for _, d := range f.Defs {
		st.addCalls(d, d)
	}
	c.Remap = st.remap
	return st
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
	if c, ok := st.canon[d]; ok {
		return c
	}
	return d
}

// addCalls records that caller (canonical) depends on what d's body uses.
func (st *docState) addCalls(d, caller *syntax.Def) {
	add := func(r syntax.Ref) {
		t := r.D
		if t == nil || t == d {
			return
		}
		t = st.canonical(t)
		st.callers[t] = append(st.callers[t], caller)
		switch {
		case t.Kind == syntax.Child && t.Maker != nil:
			st.callers[t.Maker] = append(st.callers[t.Maker], caller)
			if t.Maker.Does != nil {
				st.callers[t.Maker.Does] = append(st.callers[t.Maker.Does], caller)
			}
		case t.Kind == syntax.Alias && t.Target.D != nil:
			st.callers[t.Target.D] = append(st.callers[t.Target.D], caller)
		}
	}
	for i := range d.Body {
		op := &d.Body[i]
		add(op.Ref)
		add(op.Target)
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
	if len(st.file.Shifts) >= maxShifts || st.kept+len(src) > maxKept {
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
	c := st.check.Clone()
	c.Remap = st.remap
	defs := make([]*infer.Result, len(f.Defs))
	copy(defs, st.result.Defs[:sp.From])
	// The old definitions read again are gone; when the reading came
	// back in step, the new ones stand in their places (the same number
	// of them), and code after them that refers to one of them reads the
	// same with the new one.
	for i := sp.From; i < sp.OldTo; i++ {
		o := old.Defs[i]
		c.Forget(o)
	}
	for o, n := range sp.Replaced {
		co := st.canonical(o)
		c.Forget(o)
		c.Forget(co)
		st.canon[n], st.current[co] = co, n
	}
	newTo := len(f.Defs)
	if sp.Converged {
		newTo = sp.OldTo
		copy(defs[newTo:], st.result.Defs[newTo:])
	}
	var queue []*syntax.Def
	for i := sp.From; i < newTo; i++ {
		n := f.Defs[i]
		defs[i] = c.Def(n)
		if sp.Converged && (!infer.SameSig(st.result.Defs[i].Sig, defs[i].Sig) || bodyMatters(n, defs[i])) {
			queue = append(queue, st.callers[st.canonical(n)]...)
		}
		st.addCalls(n, st.canonical(n))
	}
	// Re-infer, in file order, the callers whose callees' effects
	// changed, each once.
	q := &defHeap{}
	queued := map[*syntax.Def]bool{}
	for i := sp.From; i < newTo; i++ {
		queued[f.Defs[i]] = true // inferred above
	}
	push := func(callers []*syntax.Def) {
		for _, x := range callers {
			x = st.remap(x)
			if !queued[x] && x.Index < len(f.Defs) && f.Defs[x.Index] == x {
				queued[x] = true
				heap.Push(q, x)
			}
		}
	}
	push(queue)
	for q.Len() > 0 {
		x := heap.Pop(q).(*syntax.Def)
		oldSig := c.Def(x).Sig
		c.Forget(x)
		defs[x.Index] = c.Def(x)
		if !infer.SameSig(oldSig, defs[x.Index].Sig) || bodyMatters(x, defs[x.Index]) {
			push(st.callers[st.canonical(x)])
		}
	}
	st.top = c.Top(f)
	st.src, st.file, st.check = src, f, c
	st.kept += len(src)
	st.result = st.assemble(f, c, defs)
	return st.result
}

// defHeap orders definitions by their place in the file.
type defHeap []*syntax.Def

func (h defHeap) Len() int           { return len(h) }
func (h defHeap) Less(i, j int) bool { return h[i].Index < h[j].Index }
func (h defHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *defHeap) Push(x any)        { *h = append(*h, x.(*syntax.Def)) }
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
	for _, x := range st.top {
		x.Start, x.End = f.TopAbs(int32(x.Start)), f.TopAbs(int32(x.End))
		r.Diags = append(r.Diags, x)
	}
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
