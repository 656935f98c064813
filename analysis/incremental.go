package analysis

import (
	"bytes"
	"slices"
	"sort"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// maxShifts bounds the edits applied incrementally before a file is read
// again as a whole, which keeps offset conversion cheap.
const maxShifts = 256

// docState is what the Workspace keeps about the last version of a file to
// re-analyse the next one incrementally.
type docState struct {
	src    []byte
	file   *syntax.File
	ctx    *syntax.Context // what the file was read in
	check  *infer.Checker
	top    []diag.Diagnostic // top-level diagnostics, in version 0's offsets
	result *Result

	// index lists the named top-level definitions of the last full read by
	// name, in order, to resolve names as they stood before a definition.
	index map[string][]*syntax.Def
	// callers maps a definition (as first read) to the definitions (as
	// first read) whose effects depend on its effect.
	callers map[*syntax.Def][]*syntax.Def
	// canon maps a re-read definition to the one first read in its place;
	// current maps the other way. Words in unchanged code still point at
	// the first-read objects.
	canon, current map[*syntax.Def]*syntax.Def
}

func newDocState(src []byte, f *syntax.File, c *infer.Checker) *docState {
	st := &docState{
		src: src, file: f, check: c,
		index:   make(map[string][]*syntax.Def),
		callers: make(map[*syntax.Def][]*syntax.Def),
		canon:   make(map[*syntax.Def]*syntax.Def),
		current: make(map[*syntax.Def]*syntax.Def),
	}
	for _, d := range f.Defs {
		if d.Name != "" && d.Outer == nil {
			st.index[d.Name] = append(st.index[d.Name], d)
		}
		st.addCalls(d, d)
	}
	c.Remap = st.remap
	return st
}

func (st *docState) remap(d *syntax.Def) *syntax.Def {
	if cur, ok := st.current[d]; ok {
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

// lookupBefore resolves a name as it stood just before definition number
// idx: the latest earlier definition or included export.
func (st *docState) lookupBefore(idx int) func(lw string) *syntax.Def {
	return func(lw string) *syntax.Def {
		var best *syntax.Def
		bestAt := -1
		defs := st.index[lw]
		for i := len(defs) - 1; i >= 0; i-- {
			if defs[i].Index < idx {
				best, bestAt = defs[i], defs[i].Index+1
				break
			}
		}
		incs := st.file.Includes
		for i := len(incs) - 1; i >= 0; i-- {
			inc := incs[i]
			if inc.DefIndex > idx || inc.File == nil || inc.DefIndex < bestAt {
				continue
			}
			if d, ok := inc.File.Added[lw]; ok {
				return d
			}
		}
		if best == nil && st.file.Context != nil {
			return st.file.Context.Dict.Lookup(lw)
		}
		return best
	}
}

// update analyses a new version incrementally, or returns nil when the
// change is not confined to one definition's body.
func (st *docState) update(w *Workspace, src []byte, sf *source.File) *Result {
	old := st.file
	if w.opts.Context != nil && w.opts.Context(cleanPath(st.file.Source.Name)) != st.ctx {
		return nil
	}
	if bytes.Equal(src, st.src) {
		return st.result
	}
	if len(old.Shifts) >= maxShifts {
		return nil
	}
	// The changed range: old[p:oldEnd] became src[p:p+len(src)-len(old)+...].
	p := commonPrefix(st.src, src)
	sfx := commonSuffix(st.src[p:], src[p:])
	oldEnd := len(st.src) - sfx
	delta := len(src) - len(st.src)

	d := st.defAt(p)
	if d == nil || d.Unterminated || (d.Kind != syntax.Colon && d.Kind != syntax.Noname) {
		return nil
	}
	start := old.Abs(d.Epoch, d.Start)
	nameEnd := old.Abs(d.Epoch, d.NameEnd)
	end := old.Abs(d.Epoch, d.End)
	if p <= nameEnd || oldEnd > end-1 {
		return nil
	}
	if sf == nil {
		sf = old.Source.Edit(src, p, oldEnd, oldEnd+delta)
	}
	probe := *d
	probe.Start = int32(start)
	nd, nested, ok := syntax.Reparse(sf, &probe, st.lookupBefore(d.Index), w.config(nil, nil))
	if !ok || int(nd.End) != end+delta || len(nested) != d.Sub ||
		nd.Parse != d.Parse || nd.Delim != d.Delim || nd.Defines != d.Defines || (nd.Does == nil) != (d.Does == nil) {
		return nil
	}

	// The new version of the file.
	f := *old
	f.Source = sf
	// Consecutive edits of the same definition fold into one shift: the
	// previous shift's offsets inside the definition belong to the
	// definition being replaced, so nothing else can tell them apart.
	if n := len(old.Shifts); n > 0 && d.Epoch == int32(n) && old.Shifts[n-1].At+old.Shifts[n-1].Delta == int32(end) {
		f.Shifts = slices.Clone(old.Shifts)
		f.Shifts[n-1].Delta += int32(delta)
	} else {
		f.Shifts = append(slices.Clone(old.Shifts), syntax.Shift{At: int32(end), Delta: int32(delta)})
	}
	epoch := f.Epoch()
	f.Defs = slices.Clone(old.Defs)
	repl := append([]*syntax.Def{nd}, nested...)
	for i, n := range repl {
		o := old.Defs[d.Index+i]
		n.Index, n.Epoch = d.Index+i, epoch
		f.Defs[n.Index] = n
		c := st.canonical(o)
		delete(st.canon, o)
		st.canon[n], st.current[c] = c, n
	}

	c := st.check.Clone()
	c.Remap = st.remap
	changed := false
	var queue []*syntax.Def
	for i, n := range repl {
		o := old.Defs[d.Index+i]
		oldSig := st.result.Defs[d.Index+i].Sig
		c.Forget(o)
		if !infer.SameSig(oldSig, c.Def(n).Sig) {
			changed = true
			queue = append(queue, st.callers[st.canonical(n)]...)
		}
		st.addCalls(n, st.canonical(n))
	}
	// Re-infer, in file order, the callers whose callees' effects changed.
	seen := map[*syntax.Def]bool{}
	for len(queue) > 0 {
		sort.Slice(queue, func(i, j int) bool { return st.remap(queue[i]).Index < st.remap(queue[j]).Index })
		x := st.remap(queue[0])
		queue = queue[1:]
		if seen[x] {
			continue
		}
		seen[x] = true
		oldSig := c.Def(x).Sig
		c.Forget(x)
		if !infer.SameSig(oldSig, c.Def(x).Sig) {
			queue = append(queue, st.callers[st.canonical(x)]...)
		}
	}
	if changed {
		st.top = c.Top(&f)
	}
	// Results of definitions that were not inferred again stay as they were.
	prev := st.result.Defs
	defs := slices.Clone(prev)
	for i, n := range repl {
		defs[d.Index+i] = c.Def(n)
	}
	for x := range seen {
		if x.Index < len(defs) && f.Defs[x.Index] == x {
			defs[x.Index] = c.Def(x)
		}
	}
	st.src, st.file, st.check = src, &f, c
	st.result = st.assemble(&f, c, defs)
	return st.result
}

// defAt finds the top-level definition whose text contains offset off.
func (st *docState) defAt(off int) *syntax.Def {
	f := st.file
	i := sort.Search(len(f.Defs), func(i int) bool {
		d := f.Defs[i]
		return f.Abs(d.Epoch, d.Start) > off
	}) - 1
	if i < 0 {
		return nil
	}
	d := f.Defs[i]
	if d.Outer != nil {
		d = d.Outer
	}
	if off >= f.Abs(d.Epoch, d.End) {
		return nil
	}
	return d
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
		x.Start, x.End = f.Abs(0, int32(x.Start)), f.Abs(0, int32(x.End))
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
