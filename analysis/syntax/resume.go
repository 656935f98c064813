package syntax

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"sort"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/scan"
	"github.com/fastforth/fastforth/analysis/source"
)

// Reading a file after an edit starts again from the last checkpoint
// before the edit, not from the start of the file, and stops at the first
// checkpoint after it where the reader's state is what it was there
// before: from there on the text is the same and is read the same way, so
// the rest of the previous reading is kept (with its offsets shifted). A
// checkpoint is the reader's state between two top-level words; taking one
// costs a snapshot of the persistent dictionaries and a few small copies,
// so one is taken about every ckptEvery bytes.

var ckptEvery int32 = 1024

// SetCheckpointSpacing makes the reader take a checkpoint every n bytes
// (at the first top-level word boundary after them) and returns the
// previous spacing. Tests make it small to resume and converge often.
func SetCheckpointSpacing(n int) int {
	old := ckptEvery
	ckptEvery = int32(n)
	return int(old)
}

// ckpt is the reader's state between two top-level words.
type ckpt struct {
	epoch   int32 // the offsets are in this version's coordinates
	off, hw int32 // where the next word is read; one past the last byte looked at
	// How long the File's lists were.
	nTop, nDefs, nIncl, nComm, nInact, nDiags int32

	dict, added, mod *Dict
	base             int
	baseSave         []int
	kv               []kval
	lastOps          []Op
	lastDef          *Def
	// The flags of lastDef that words after it set ("immediate"), as
	// they were here.
	lastImm, lastCO    bool
	lastRuns           *Def
	missing, dynamic   string
	refilled           string
	docStart, docEnd   int32
	conds              []int32 // where the open [if]s are (their true branches are being read)
	scopes             []scope // vocabularies and modules being defined into
	loopDepth, ifDepth int
	asmOrder, orderOther, noname,
	sawImmediate, nextnameSeen, inSaved, sawFixed, hashIf bool
	// patch is what readings that converged before this checkpoint left
	// to do to its dictionaries and scopes (see load).
	patch *ckPatch
}

// ckPatch is a chain of what readings that converged left to do to the
// dictionaries and scopes of a checkpoint after them: done when the
// checkpoint is used (load), not at every keystroke for every checkpoint
// after the edit.
type ckPatch struct {
	prev *ckPatch
	body *patchBody
}

// patchBody is what one reading left to do, the same for every
// checkpoint after where it converged.
type patchBody struct {
	file   string  // the file's name
	shifts []Shift // its version's shifts, for where definitions stood
	// dict, added and mod are the names to bind again (see apply);
	// rebind and rebindMod tell which to do.
	dict, added, mod  []dictDiff
	rebind, rebindMod bool
	// cw and nw are the scopes' word lists where the reading converged
	// and in the new reading (set when they differ).
	cw, nw [][]*Def
}

// samePlace reports whether x and y, of a version of file with the
// given shifts (or of another file), are the same definition: one may be
// an earlier reading of the other, at the same place of the text.
func samePlace(file string, shifts []Shift, x, y *Def) bool {
	if x == y {
		return true
	}
	if x == nil || y == nil || x.Name != y.Name || x.Kind != y.Kind || x.File.Name != y.File.Name || x.File.Name != file {
		return false
	}
	return absIn(shifts, x.Epoch, x.Start) == absIn(shifts, y.Epoch, y.Start)
}

// applyDiffs binds again in final each name of ds that final binds as the
// checkpoint where the reading converged did (same tells; a checkpoint
// may hold an older reading of it): a binding made later stays.
func applyDiffs(final *Dict, ds []dictDiff, fingerprint bool, same func(a, b *Def) bool) *Dict {
	var d *Dict
	for _, x := range ds {
		if !same(final.Lookup(x.name), x.av) {
			continue
		}
		if d == nil {
			d = NewDict(final)
		}
		if fingerprint {
			d.set(x.name, x.bv)
		} else {
			d.bind(x.name, x.bv)
		}
	}
	if d == nil {
		return final
	}
	return d
}

// apply is applyDiffs for the checkpoints after where b's reading
// converged.
func (b *patchBody) apply(final *Dict, ds []dictDiff, fingerprint bool) *Dict {
	return applyDiffs(final, ds, fingerprint, func(x, y *Def) bool { return samePlace(b.file, b.shifts, x, y) })
}

// load does what the readings that converged before checkpoint c left to
// do to it, oldest first.
func (c *ckpt) load() {
	if c.patch == nil {
		return
	}
	var bodies []*patchBody
	for x := c.patch; x != nil; x = x.prev {
		bodies = append(bodies, x.body)
	}
	c.patch = nil
	for k := len(bodies) - 1; k >= 0; k-- {
		b := bodies[k]
		if b.cw != nil {
			c.scopes = cloneScopes(c.scopes)
			for i := range min(len(c.scopes), len(b.cw)) {
				cw, xw := b.cw[i], c.scopes[i].words
				if len(xw) >= len(cw) && slices.Equal(xw[:len(cw)], cw) {
					c.scopes[i].words = append(slices.Clone(b.nw[i]), xw[len(cw):]...)
				}
			}
		}
		if b.rebind {
			c.dict, c.added = b.apply(c.dict, b.dict, true), b.apply(c.added, b.added, false)
			if len(c.scopes) > 0 {
				c.scopes = cloneScopes(c.scopes)
				for i := range c.scopes {
					c.scopes[i].base = b.apply(c.scopes[i].base, b.dict, true)
				}
			}
		}
		if b.rebindMod {
			c.mod = b.apply(c.mod, b.mod, false)
		}
	}
}

// resumeState is what a resumed reading compares itself with.
type resumeState struct {
	old                       *File
	sf                        *source.File // the new text
	at, oldEnd, newEnd, delta int
	epoch                     int32
	k                         int   // the next checkpoint of old to compare with
	from                      int   // the index of the first definition read again
	conv                      *ckpt // the one the reading converged at
	convHW                    int   // the new reading's high-water mark there
	abort                     bool  // the reading cannot be resumed: read the whole file
	lower                     []byte
	// comments are the previous reading's comments after the edit, in
	// the new text's coordinates, sorted (see inComment).
	comments []Range
	// soft are the names bound otherwise where the reading converges
	// that the code after reads; reread the indices (in the previous
	// reading) of the definitions that read them, to read again.
	soft   map[string]softName
	reread []int
	// scopesDiffer is set when the scopes open where the reading
	// converges hold other words than the previous reading's (see
	// sameScopes): the checkpoints after get the new lists.
	scopesDiffer bool
	// repl pairs the definitions the code after the checkpoint refers
	// to with the ones read again that stand for them now.
	repl map[*Def]*Def
}

// quiet reports whether the reader stands between two top-level words
// with nothing open, where its state is small enough to keep.
func (p *parser) quiet() bool {
	return !p.compiling && p.cur == nil && len(p.outer) == 0 && !p.interp && !p.postponing &&
		len(p.ckv) == 0 && p.ops == &p.f.Top && p.implicit == nil
}

// takeCkpt records the reader's state.
func (p *parser) takeCkpt() {
	off := int32(p.sc.Offset())
	p.lastCk = off
	c := &ckpt{
		epoch: p.epoch, off: off, hw: int32(p.sc.HW()),
		nTop: int32(p.topBase + len(p.f.Top)), nDefs: int32(len(p.f.Defs)), nIncl: int32(p.listBase.incl + len(p.f.Includes)),
		nComm: int32(p.listBase.comm + len(p.f.Comments)), nInact: int32(p.listBase.inact + len(p.f.Inactive)),
		nDiags: int32(p.listBase.diags + len(p.f.Diags)),
		dict:   p.dict.snapshot(), added: p.added.snapshot(),
		conds: slices.Clone(p.condStart[:p.condDepth]), scopes: cloneScopes(p.scopes),
		base: p.base, baseSave: slices.Clone(p.baseSave), kv: slices.Clone(p.kv), lastOps: slices.Clone(p.lastOps),
		lastDef: p.lastDef, missing: p.missing, dynamic: p.dynamic, refilled: p.refilled,
		docStart: p.docStart, docEnd: p.docEnd, loopDepth: p.loopDepth, ifDepth: p.ifDepth,
		asmOrder: p.asmOrder, orderOther: p.orderOther, noname: p.noname,
		sawImmediate: p.sawImmediate, nextnameSeen: p.nextnameSeen, inSaved: p.inSaved, sawFixed: p.sawFixed, hashIf: p.hashIf,
	}
	if p.modWords != nil {
		c.mod = p.modWords.snapshot()
	}
	if d := p.lastDef; d != nil {
		c.lastImm, c.lastCO, c.lastRuns = d.Immediate, d.CompileOnly, d.Runs
	}
	p.ckpts = append(p.ckpts, c)
}

// afterWord is called after each word read at any depth: it takes
// checkpoints and, in a resumed reading, tells whether to stop.
func (p *parser) afterWord() (stop bool) {
	if rs := p.rs; rs != nil {
		if rs.abort {
			return true
		}
		if p.quiet() && p.converged() {
			return true
		}
	}
	if int32(p.sc.Offset())-p.lastCk >= ckptEvery && p.quiet() {
		p.takeCkpt()
	}
	return false
}

// mutable reports whether definition d, read before, may be changed by
// the word being read ("immediate" after it). In a resumed reading a
// definition read before the resume point belongs to the previous version
// as well: the reading gives up.
func (p *parser) mutable(d *Def) bool {
	if p.rs != nil && d.File != p.f.Source {
		p.rs.abort = true
		return false
	}
	return true
}

// Splice is a File read again from a checkpoint after an edit.
type Splice struct {
	File *File
	// From is the index of the first definition read again. When
	// Converged, old definitions [From, OldTo) were read again as the
	// same number of new ones and the old ones after OldTo are kept;
	// else every definition from From on is new.
	From, OldTo int
	Converged   bool
	// Replaced maps each old definition that the kept code refers to
	// (by name) and that was read again to its new reading, which reads
	// the same (see sameReading) but may have another effect.
	Replaced map[*Def]*Def
	// Reread maps the previous reading's definitions after where the
	// reading converged that use a name it binds otherwise (see
	// softName) to their new readings, in File.Defs in their places.
	Reread map[*Def]*Def
	// TopShared reports that the top-level lists (Top, Includes,
	// Comments, Inactive, Diags) are the previous reading's, shared, in
	// the coordinates of its TopEpoch: what was read again of them is
	// what was there (a definition's body was edited). Their operations
	// may refer to the definitions read again by their old objects, which
	// Stale maps to the new ones (see File.Live).
	TopShared bool
	Stale     map[*Def]*Def
	// Top operations [TopFrom, TopNewTo) stand for the previous
	// reading's [TopFrom, TopOldTo); the others are the same, moved.
	TopFrom, TopOldTo, TopNewTo int

	rs *resumeState
}

// topLookBack is how many top-level operations before a checkpoint a
// resumed reading holds (the reader looks back at the last one or two).
const topLookBack = 4

// shareTop reports whether the top-level items read again, from
// checkpoint ck to c where the reading converged, are those of the
// previous reading moved by the edit, so that its lists can be kept as
// they are; it records in sp.Stale the definitions they name that were
// read again.
func (p *parser) shareTop(old *File, ck, c *ckpt, sp *Splice) bool {
	nf, rs := p.f, p.rs
	// A definition added or taken away adds or takes away its place in
	// the top-level code.
	if len(nf.Includes) != 0 || c.nIncl != ck.nIncl || len(nf.Defs) != int(c.nDefs) {
		return false
	}
	te := old.TopEpoch
	at := func(x int32) int32 { return int32(nf.Abs(te, x)) }
	newOps, oldOps := nf.Top[int(ck.nTop)-p.topBase:], old.Top[ck.nTop:c.nTop]
	if len(newOps) != len(oldOps) {
		return false
	}
	from, to := sp.From, int(c.nDefs)
	var stale map[*Def]*Def
	ptr := func(o, n *Def) bool {
		if o == n {
			return true
		}
		// o may be the reading before the previous one, when the
		// lists were shared then too.
		if o == nil || n == nil || n.Index < from || n.Index >= to || nf.Defs[n.Index] != n || o.Name != n.Name || o.Kind != n.Kind {
			return false
		}
		if oi := old.indexNow(o); oi != n.Index || old.Live(o) != old.Defs[oi] {
			return false
		}
		if stale == nil {
			stale = map[*Def]*Def{}
		}
		stale[o] = n
		return true
	}
	for i := range newOps {
		m, n := oldOps[i], newOps[i]
		if at(m.Start) != n.Start || at(m.End) != n.End || at(m.ArgStart) != n.ArgStart || at(m.ArgEnd) != n.ArgEnd {
			return false
		}
		if !ptr(m.Ref.D, n.Ref.D) || !ptr(m.Target.D, n.Target.D) || !ptr(m.NewDef, n.NewDef) {
			return false
		}
		m.Start, m.End, m.ArgStart, m.ArgEnd = n.Start, n.End, n.ArgStart, n.ArgEnd
		m.Ref.D, m.Target.D, m.NewDef = n.Ref.D, n.Target.D, n.NewDef
		if m != n {
			return false
		}
	}
	sameRanges := func(nr, or []Range) bool {
		if len(nr) != len(or) {
			return false
		}
		for i := range nr {
			if at(or[i].Start) != nr[i].Start || at(or[i].End) != nr[i].End {
				return false
			}
		}
		return true
	}
	if !sameRanges(nf.Comments, old.Comments[ck.nComm:c.nComm]) || !sameRanges(nf.Inactive, old.Inactive[ck.nInact:c.nInact]) {
		return false
	}
	nd, od := nf.Diags, old.Diags[ck.nDiags:c.nDiags]
	if len(nd) != len(od) {
		return false
	}
	for i := range nd {
		x := od[i]
		x.Start, x.End = int(at(int32(x.Start))), int(at(int32(x.End)))
		if x.Start != nd[i].Start || x.End != nd[i].End || x.Severity != nd[i].Severity || x.Code != nd[i].Code ||
			x.Message != nd[i].Message || (x.Related == nil) != (nd[i].Related == nil) ||
			x.Related != nil && *x.Related != *nd[i].Related {
			return false
		}
	}
	// The items after c that point back before the edit are moved as a
	// whole (or not at all) by a reading that copies them; shared, each
	// offset moves by itself.
	if rs.delta != 0 {
		same := func(s0, e0 int32) bool {
			s, e := old.TopAbs(s0), old.TopAbs(e0)
			if s < rs.at {
				return e < rs.oldEnd
			}
			return s >= rs.oldEnd
		}
		for _, x := range old.Diags[c.nDiags:] {
			if !same(int32(x.Start), int32(x.End)) {
				return false
			}
		}
		for _, x := range old.Inactive[c.nInact:] {
			if !same(x.Start, x.End) {
				return false
			}
		}
	}
	sp.Stale = stale
	return true
}

// Live gives the definition that stands now where d stood when it was
// read: the top-level operations of a file whose definition was read
// again after an edit may still refer to its previous reading.
func (f *File) Live(d *Def) *Def {
	if d == nil {
		return d
	}
	i := f.indexNow(d)
	if i < 0 || i >= len(f.Defs) {
		return d
	}
	if n := f.Defs[i]; n != d && n.Name == d.Name && n.Kind == d.Kind {
		return n
	}
	return d
}

// Resume reads the new version sf of old's text, where old[at:oldEnd]
// became sf.Src[at:newEnd], from the last checkpoint before the edit. It
// reports false when that cannot be done (no checkpoint before the edit,
// an include or a change to a definition read before the checkpoint on
// the way): the caller reads the whole file. cfg is the configuration
// old was read with; includes are not followed.
func Resume(old *File, sf *source.File, at, oldEnd, newEnd int, cfg Config) (*Splice, bool) {
	if cfg.Dialect == nil {
		cfg.Dialect = builtins.Default()
	}
	cks := old.ckpts
	i := sort.Search(len(cks), func(i int) bool { return old.Abs(cks[i].epoch, cks[i].hw) > at }) - 1
	// Not from a checkpoint after which the previous reading changed
	// the last definition ("immediate"): the definition is shared with
	// that reading, and the new one may not do the same.
	for i >= 0 && cks[i].lastDef != nil {
		d := cks[i].lastDef
		if d.Immediate == cks[i].lastImm && d.CompileOnly == cks[i].lastCO && d.Runs == cks[i].lastRuns {
			break
		}
		i--
	}
	if i < 0 {
		return nil, false
	}
	ck := cks[i]
	ck.load()
	delta := newEnd - oldEnd
	epoch := int32(len(old.Shifts) + 1)
	p := &parser{
		f:     &File{Source: sf, Context: old.Context},
		src:   sf.Src,
		cfg:   cfg,
		epoch: epoch,
		rs:    &resumeState{old: old, sf: sf, from: int(ck.nDefs), at: at, oldEnd: oldEnd, newEnd: newEnd, delta: delta, epoch: epoch, k: i + 1},
	}
	// The lists as they stood at the checkpoint, in the new text's
	// coordinates (nothing before the edit moves).
	top := old.TopAbs
	// Only the last few operations before the checkpoint, which the
	// reader may look back at: the others are copied (or shared) when the
	// reading is done.
	p.topBase = max(0, int(ck.nTop)-topLookBack)
	p.f.Top = make([]Op, 0, 64)
	for _, op := range old.Top[p.topBase:ck.nTop] {
		p.f.Top = append(p.f.Top, moveOp(op, top, 0))
	}
	p.f.Defs = append(make([]*Def, 0, int(ck.nDefs)+16), old.Defs[:ck.nDefs]...)
	// The other top-level lists only get items appended: those before the
	// checkpoint are copied (or shared) when the reading is done.
	p.listBase.incl, p.listBase.comm, p.listBase.inact, p.listBase.diags = int(ck.nIncl), int(ck.nComm), int(ck.nInact), int(ck.nDiags)

	p.dict, p.added = NewDict(ck.dict), NewDict(ck.added)
	p.base, p.baseSave, p.kv, p.lastOps = ck.base, slices.Clone(ck.baseSave), slices.Clone(ck.kv), movedOps(old, ck)
	p.lastDef, p.missing, p.dynamic, p.refilled = ck.lastDef, ck.missing, ck.dynamic, ck.refilled
	if ck.docEnd > 0 {
		p.docStart, p.docEnd = int32(old.Abs(ck.epoch, ck.docStart)), int32(old.Abs(ck.epoch, ck.docEnd))
	}
	p.loopDepth, p.ifDepth = ck.loopDepth, ck.ifDepth
	for _, x := range ck.conds {
		p.condStart = append(p.condStart, int32(old.Abs(ck.epoch, x)))
	}
	p.condDepth = len(p.condStart)
	p.scopes = cloneScopes(ck.scopes)
	p.asmOrder, p.orderOther, p.noname = ck.asmOrder, ck.orderOther, ck.noname
	p.sawImmediate, p.nextnameSeen, p.inSaved, p.sawFixed, p.hashIf = ck.sawImmediate, ck.nextnameSeen, ck.inSaved, ck.sawFixed, ck.hashIf
	if ck.mod != nil {
		p.modWords = NewDict(ck.mod)
	}
	p.ckpts = append(make([]*ckpt, 0, len(cks)+8), cks[:i+1]...)
	// A checkpoint right where text is inserted stays before it: in the
	// new version's coordinates the shift does not move it.
	for j := i; j >= 0; j-- {
		x := cks[j]
		if old.Abs(x.epoch, x.hw) < oldEnd {
			break
		}
		y := *x
		y.epoch, y.off, y.hw = epoch, int32(old.Abs(x.epoch, x.off)), int32(old.Abs(x.epoch, x.hw))
		y.lastOps = movedOps(old, x)
		if x.docEnd > 0 {
			y.docStart, y.docEnd = int32(old.Abs(x.epoch, x.docStart)), int32(old.Abs(x.epoch, x.docEnd))
		}
		y.conds = nil
		for _, c := range x.conds {
			y.conds = append(y.conds, int32(old.Abs(x.epoch, c)))
		}
		p.ckpts[j] = &y
	}
	p.ops = &p.f.Top
	off := old.Abs(ck.epoch, ck.off)
	p.lastCk = int32(off)
	p.sc.Init(sf.Src)
	p.sc.SetOffset(off)
	nDefs := int(ck.nDefs)

	p.run()
	rs := p.rs
	if rs.abort {
		return nil, false
	}
	for _, d := range p.f.Defs[nDefs:] {
		d.Epoch = epoch
	}
	nf := p.f
	nf.Shifts = append(slices.Clip(old.Shifts), Shift{At: int32(oldEnd), Delta: int32(delta)})
	sp := &Splice{File: nf, From: nDefs, rs: rs}
	c := rs.conv
	if c != nil && p.shareTop(old, ck, c, sp) {
		// The top-level lists of the previous reading stand as they were.
		sp.TopShared = true
		nf.Top, nf.Includes, nf.Comments, nf.Inactive, nf.Diags =
			slices.Clip(old.Top), slices.Clip(old.Includes), slices.Clip(old.Comments), slices.Clip(old.Inactive), slices.Clip(old.Diags)
		nf.TopEpoch = old.TopEpoch
	} else {
		// The operations before the checkpoint, in the new coordinates.
		region := nf.Top[int(ck.nTop)-p.topBase:]
		nf.Top = make([]Op, 0, len(old.Top)+len(region)+64)
		for _, op := range old.Top[:ck.nTop] {
			nf.Top = append(nf.Top, moveOp(op, top, 0))
		}
		nf.Top = append(nf.Top, region...)
		nf.Includes = append(moveIncludes(make([]Include, 0, len(old.Includes)+len(nf.Includes)), old.Includes[:ck.nIncl], top, 0), nf.Includes...)
		nf.Comments = append(moveRanges(make([]Range, 0, len(old.Comments)+len(nf.Comments)), old.Comments[:ck.nComm], top, 0), nf.Comments...)
		nf.Inactive = append(moveRanges(make([]Range, 0, len(old.Inactive)+len(nf.Inactive)), old.Inactive[:ck.nInact], top, 0), nf.Inactive...)
		nf.Diags = append(moveDiags(make([]diag.Diagnostic, 0, len(old.Diags)+len(nf.Diags)), old.Diags[:ck.nDiags], top, 0), nf.Diags...)
		nf.TopEpoch = epoch
	}
	sp.TopFrom, sp.TopOldTo, sp.TopNewTo = int(ck.nTop), len(old.Top), len(nf.Top)
	if c == nil {
		// Read to the end.
		nf.Exports, nf.Added, nf.EndBase, nf.Missing = p.dict, p.added, p.base, p.missing
		nf.ckpts = p.ckpts
		sp.OldTo = len(old.Defs)
		return sp, true
	}
	sp.Converged, sp.OldTo, sp.Replaced = true, int(c.nDefs), rs.repl
	dDefs := int32(len(nf.Defs)) - c.nDefs
	nf.Defs = append(nf.Defs, old.Defs[c.nDefs:]...)
	// The definitions kept are shared with the previous version: their
	// Index fields stay, and the shift converts them.
	sh := &nf.Shifts[len(nf.Shifts)-1]
	sh.DefAt, sh.DefDelta = c.nDefs, dDefs
	if len(rs.reread) > 0 && !p.readAgain(nf, sp, cfg, int(dDefs)) {
		return nil, false
	}
	var dTop, dIncl, dComm, dInact, dDiags int32
	if !sp.TopShared {
		// The rest of the previous reading, moved by the edit.
		dTop, dIncl = int32(len(nf.Top))-c.nTop, int32(len(nf.Includes))-c.nIncl
		sp.TopOldTo, sp.TopNewTo = int(c.nTop), len(nf.Top)
		dComm, dInact, dDiags = int32(len(nf.Comments))-c.nComm, int32(len(nf.Inactive))-c.nInact, int32(len(nf.Diags))-c.nDiags
		// Offsets after the edit move; a few items read after the
		// checkpoint point before it ("[if] has no closing [then]", reported
		// at the end, is at its [if]).
		// An item is moved whole, or not at all when it starts before the
		// edit.
		var shift int
		moved := func(x int32) int { return top(x) + shift }
		from := func(start int32) {
			shift = delta
			if top(start) < at {
				shift = 0
			}
		}
		for _, op := range old.Top[c.nTop:] {
			from(op.Start)
			nf.Top = append(nf.Top, moveOp(op, moved, 0))
		}
		for _, x := range old.Includes[c.nIncl:] {
			from(x.Start)
			x.DefIndex += int(dDefs)
			nf.Includes = moveIncludes(nf.Includes, []Include{x}, moved, 0)
		}
		for _, x := range old.Comments[c.nComm:] {
			from(x.Start)
			nf.Comments = moveRanges(nf.Comments, []Range{x}, moved, 0)
		}
		for _, x := range old.Inactive[c.nInact:] {
			from(x.Start)
			nf.Inactive = moveRanges(nf.Inactive, []Range{x}, moved, 0)
		}
		for _, x := range old.Diags[c.nDiags:] {
			from(int32(x.Start))
			nf.Diags = moveDiags(nf.Diags, []diag.Diagnostic{x}, moved, 0)
		}
	}
	// The checkpoints after the edit keep their states, but a name the
	// new reading binds to another word (one the code after the
	// checkpoint does not use) must be bound so there too: a reading
	// resumed from one of them later goes on from what the text says
	// now. A word read again that reads the same may stay as it was.
	changed := false
	diffDicts(c.dict, p.dict, func(_ string, av, bv *Def) {
		changed = changed || !(av != nil && bv != nil && p.rs.sameReading(av, bv))
	})
	diffDicts(c.added, p.added, func(_ string, av, bv *Def) {
		changed = changed || !(av != nil && bv != nil && p.rs.sameReading(av, bv))
	})
	modChanged := false
	diffDicts(c.mod, p.modWords, func(_ string, av, bv *Def) {
		modChanged = modChanged || !(av != nil && bv != nil && p.rs.sameReading(av, bv))
	})
	var body *patchBody
	if changed || modChanged || rs.scopesDiffer {
		body = &patchBody{file: old.Source.Name, shifts: slices.Clip(nf.Shifts), rebind: changed, rebindMod: modChanged}
		if changed {
			body.dict, body.added = rs.diffs(c.dict, p.dict, true), rs.diffs(c.added, p.added, true)
		}
		if modChanged {
			body.mod = rs.diffs(c.mod, p.modWords, true)
		}
		if rs.scopesDiffer {
			for i := range c.scopes {
				body.cw = append(body.cw, c.scopes[i].words)
				body.nw = append(body.nw, p.scopes[i].words)
			}
		}
	}
	for _, x := range cks[rs.k:] {
		if x == c {
			// The state is the same, but the new reading may have
			// looked further to reach it (a line end where a blank
			// was taken with the word before).
			if d := rs.convHW - nf.Abs(x.epoch, x.hw); d > 0 {
				y := *x
				y.hw += int32(d)
				x = &y
			}
		}
		if body != nil {
			y := *x
			y.patch = &ckPatch{prev: x.patch, body: body}
			x = &y
		}
		if dTop|dIncl|dComm|dInact|dDiags|dDefs != 0 {
			y := *x
			y.nDefs += dDefs
			y.nTop += dTop
			y.nIncl += dIncl
			y.nComm += dComm
			y.nInact += dInact
			y.nDiags += dDiags
			x = &y
		}
		p.ckpts = append(p.ckpts, x)
	}
	nf.ckpts = p.ckpts
	// The dictionary at the end holds what the new reading changed,
	// unless bound again later.
	nf.Exports = applyDiffs(old.Exports, rs.diffs(c.dict, p.dict, false), true, rs.oldSamePlace)
	nf.Added = applyDiffs(old.Added, rs.diffs(c.added, p.added, false), false, rs.oldSamePlace)
	nf.EndBase, nf.Missing = old.EndBase, old.Missing
	return sp, true
}

// dictDiff is a name bound to one definition at a checkpoint (av) and to
// another in a new reading (bv).
type dictDiff struct {
	name   string
	av, bv *Def
}

// diffs lists the names that at and now bind differently; onlyChanged
// leaves out those bound to a word that reads the same.
func (rs *resumeState) diffs(at, now *Dict, onlyChanged bool) []dictDiff {
	var out []dictDiff
	diffDicts(at, now, func(name string, av, bv *Def) {
		if onlyChanged && av != nil && bv != nil && rs.sameReading(av, bv) {
			return
		}
		out = append(out, dictDiff{name, av, bv})
	})
	return out
}

// oldSamePlace reports whether a and b, both of the previous version (or
// of another file), are the same definition: one may be an earlier reading
// of the other, at the same place of the previous text.
func (rs *resumeState) oldSamePlace(a, b *Def) bool {
	return samePlace(rs.old.Source.Name, rs.old.Shifts, a, b)
}

// movedOps is a copy of a checkpoint's last operations with their
// offsets in the current text.
func movedOps(old *File, c *ckpt) []Op {
	ops := make([]Op, len(c.lastOps))
	for i, op := range c.lastOps {
		ops[i] = moveOp(op, func(x int32) int { return old.Abs(c.epoch, x) }, 0)
	}
	return ops
}

// moveOp converts an operation's offsets to the new text: abs gives
// where they are in the previous version's text, delta moves them on.
func moveOp(op Op, abs func(int32) int, delta int) Op {
	op.Start, op.End = int32(abs(op.Start)+delta), int32(abs(op.End)+delta)
	op.ArgStart, op.ArgEnd = int32(abs(op.ArgStart)+delta), int32(abs(op.ArgEnd)+delta)
	return op
}

func moveRanges(dst, rs []Range, abs func(int32) int, delta int) []Range {
	for _, r := range rs {
		dst = append(dst, Range{int32(abs(r.Start) + delta), int32(abs(r.End) + delta)})
	}
	return dst
}

func moveIncludes(dst, incs []Include, abs func(int32) int, delta int) []Include {
	for _, inc := range incs {
		inc.Start, inc.End = int32(abs(inc.Start)+delta), int32(abs(inc.End)+delta)
		dst = append(dst, inc)
	}
	return dst
}

func moveDiags(dst, ds []diag.Diagnostic, abs func(int32) int, delta int) []diag.Diagnostic {
	for _, x := range ds {
		x.Start, x.End = abs(int32(x.Start))+delta, abs(int32(x.End))+delta
		dst = append(dst, x)
	}
	return dst
}

// converged reports whether the reader's state now is what it was at a
// checkpoint of the previous reading at the same place of the text after
// the edit.
func (p *parser) converged() bool {
	rs := p.rs
	off := p.sc.Offset()
	if off < rs.newEnd {
		return false
	}
	want := off - rs.delta
	old, cks := rs.old, rs.old.ckpts
	for rs.k < len(cks) && old.Abs(cks[rs.k].epoch, cks[rs.k].off) < want {
		rs.k++
	}
	if rs.k == len(cks) || old.Abs(cks[rs.k].epoch, cks[rs.k].off) != want {
		return false
	}
	c := cks[rs.k]
	rs.repl = nil
	// The number of definitions read so far may differ: definitions
	// added or taken away move the later ones, which are kept at their
	// new indices (see File.IndexOf), and their names, bound or unbound,
	// are checked with the dictionaries below.
	if int(c.nDefs) != len(p.f.Defs) && !p.plainDefs(c) || p.base != c.base || !slices.Equal(p.baseSave, c.baseSave) ||
		p.missing != c.missing || p.dynamic != c.dynamic || p.refilled != c.refilled || !slices.Equal(p.kv, c.kv) ||
		p.loopDepth != c.loopDepth || p.ifDepth != c.ifDepth || p.asmOrder != c.asmOrder ||
		p.orderOther != c.orderOther || p.noname != c.noname || p.sawImmediate != c.sawImmediate ||
		p.nextnameSeen != c.nextnameSeen || p.inSaved != c.inSaved || p.sawFixed != c.sawFixed || p.hashIf != c.hashIf || !p.sameOps(c.lastOps, p.lastOps, rs.old, c.epoch) ||
		!p.sameDoc(c, off) || !p.sameConds(c) || !p.sameScopes(c, off) {
		return false
	}
	// What follows reads the last definition's flags ("immediate"):
	// it must be the same one.
	if p.lastDef != c.lastDef {
		// Up to the next definition, that is (quotations and does>
		// parts leave the last definition as it was).
		end := len(p.src)
		for _, d := range old.Defs[c.nDefs:] {
			if d.Kind != Quotation && d.DoesOf == nil {
				end = old.Abs(d.Epoch, d.Start) + rs.delta
				break
			}
		}
		if p.lastDef == nil || c.lastDef == nil || !p.rs.sameReading(c.lastDef, p.lastDef) ||
			p.later("immediate", off, end) || p.later("compile-only", off, end) || p.later("restrict", off, end) || p.later("does>", off, end) {
			return false
		}
	}
	if p.lastDef != c.lastDef {
		p.replace(c.lastDef, p.lastDef)
	}
	rs.soft, rs.reread = nil, rs.reread[:0]
	if !p.sameDictsSoft(c.dict, p.dict, off, true) || !p.sameDictsSoft(c.added, p.added, off, true) || !p.sameDicts(c.mod, p.modWords, off) {
		return false
	}
	if len(rs.soft) > 0 && !p.softDefs(c, off) {
		return false
	}
	rs.conv, rs.convHW = c, p.sc.HW()
	return true
}

// plainDefs reports whether the definitions read again since the resume
// point, and those of the previous reading up to checkpoint c, are plain
// enough to be added or taken away while the rest is kept: no does> part
// (of a word or at top level, which changes a word read earlier) and no
// definition given one. It is checked only when their numbers differ.
func (p *parser) plainDefs(c *ckpt) bool {
	plain := func(ds []*Def) bool {
		for _, d := range ds {
			if d.DoesOf != nil || d.Runs != nil || d.Does != nil {
				return false
			}
		}
		return true
	}
	return plain(p.f.Defs[p.rs.from:]) && plain(p.rs.old.Defs[p.rs.from:c.nDefs])
}

// sameDoc reports whether the documentation comment the next definition
// would get is the same as at checkpoint c.
func (p *parser) sameDoc(c *ckpt, off int) bool {
	rs := p.rs
	var os, oe int
	if c.docEnd > 0 {
		os, oe = rs.old.Abs(c.epoch, c.docStart), rs.old.Abs(c.epoch, c.docEnd)
	}
	if oe == 0 && p.docEnd == 0 {
		return true
	}
	move := func(x int) int {
		switch {
		case x < rs.at:
			return x
		case x >= rs.oldEnd:
			return x + rs.delta
		}
		return -1
	}
	if oe == 0 || p.docEnd == 0 || move(os) != int(p.docStart) || move(oe) != int(p.docEnd) {
		return false
	}
	ob, on := blankNL(rs.old.Source.Src[oe : off-rs.delta])
	nb, nn := blankNL(p.src[p.docEnd:off])
	return ob == nb && on == nn
}

// cloneScopes copies the scopes being defined into, with their lists of
// words: a reading appends to them.
func cloneScopes(s []scope) []scope {
	if len(s) == 0 {
		return nil
	}
	c := slices.Clone(s)
	for i := range c {
		c[i].words = slices.Clone(c[i].words)
	}
	return c
}

// sameScopes reports whether the same scopes are open as at checkpoint
// c, each from the same dictionary and with the same words (read the
// same), which come back when the scope ends.
func (p *parser) sameScopes(c *ckpt, off int) bool {
	// The checks before this one need none of what readings left to do
	// to the checkpoint: a reading that does not converge loads only
	// the checkpoints it gets this far with.
	c.load()
	if len(c.scopes) != len(p.scopes) {
		return false
	}
	rs := p.rs
	rs.scopesDiffer = false
	for i, a := range c.scopes {
		b := p.scopes[i]
		if a.hidden != b.hidden || !p.sameDicts(a.base, b.base, off) {
			return false
		}
		same := func(x, y *Def) bool { return x == y || rs.sameReading(x, y) }
		// The words both readings made in the scope, from its start and
		// from the reading's end; those between were added or taken
		// away by the edit, and come back when the scope ends: their
		// names must be bound otherwise in the dictionaries, which
		// decide whether the code after reads them (sameDicts).
		k := 0
		for k < len(a.words) && k < len(b.words) && same(a.words[k], b.words[k]) {
			k++
		}
		m := 0
		for m < len(a.words)-k && m < len(b.words)-k && same(a.words[len(a.words)-1-m], b.words[len(b.words)-1-m]) {
			m++
		}
		for _, w := range append(slices.Clip(a.words[k:len(a.words)-m]), b.words[k:len(b.words)-m]...) {
			// In a hidden scope the word is not bound while the scope
			// is open, and when it ends only if its name is free and
			// not the system's: then it must not be read later.
			if c.dict.Lookup(w.Name) == p.dict.Lookup(w.Name) &&
				!(a.hidden && (p.cfg.Dialect.Lookup(w.Name) != nil || !p.later(w.Name, off, len(p.src)))) {
				return false
			}
			rs.scopesDiffer = true
		}
		for j := range k {
			if x, y := a.words[j], b.words[j]; x != y {
				p.replace(x, y)
			}
		}
		for j := range m {
			if x, y := a.words[len(a.words)-1-j], b.words[len(b.words)-1-j]; x != y {
				p.replace(x, y)
			}
		}
	}
	return true
}

// sameConds reports whether the same [if]s are open as at checkpoint c.
func (p *parser) sameConds(c *ckpt) bool {
	rs := p.rs
	if len(c.conds) != p.condDepth {
		return false
	}
	for i, x := range c.conds {
		o := rs.old.Abs(c.epoch, x)
		switch {
		case o < rs.at:
		case o >= rs.oldEnd:
			o += rs.delta
		default:
			return false
		}
		if int32(o) != p.condStart[i] {
			return false
		}
	}
	return true
}

// blankNL tells whether b is blank and how many line ends it has, up to
// two (all that onlyBlank distinguishes).
func blankNL(b []byte) (bool, int) {
	nl := 0
	for _, c := range b {
		if c == '\n' {
			nl = min(nl+1, 2)
		} else if !scan.IsBlank(c) {
			return false, 0
		}
	}
	return true, nl
}

// sameOps compares the last top-level operations of two readings, with
// their text: what comes next may use it ("s\" file.fs\" required").
// a's offsets are in version epoch of old, b's in the new text.
func (p *parser) sameOps(a, b []Op, old *File, epoch int32) bool {
	if len(a) != len(b) {
		return false
	}
	text := func(src []byte, s, e int) []byte {
		if s < 0 || e > len(src) || s > e {
			return nil
		}
		return src[s:e]
	}
	osrc := old.Source.Src
	for i := range a {
		x, y := &a[i], &b[i]
		if x.Kind != y.Kind || x.NumKind != y.NumKind || x.Ref != y.Ref || x.Target != y.Target || x.Lo != y.Lo || x.Hi != y.Hi ||
			!bytes.Equal(text(osrc, old.Abs(epoch, x.Start), old.Abs(epoch, x.End)), text(p.src, int(y.Start), int(y.End))) ||
			!bytes.Equal(text(osrc, old.Abs(epoch, x.ArgStart), old.Abs(epoch, x.ArgEnd)), text(p.src, int(y.ArgStart), int(y.ArgEnd))) {
			return false
		}
	}
	return true
}

// sameDicts reports whether the code after off reads the same in
// dictionary b as it read in a: every name they bind differently is
// bound to definitions that read the same, or does not occur after off.
func (p *parser) sameDicts(a, b *Dict, off int) bool { return p.sameDictsSoft(a, b, off, false) }

// sameDictsSoft is sameDicts that, when soft is set, lets a name bound
// to other plain words be read later (see softDefs): it is recorded in
// the reading's soft names.
func (p *parser) sameDictsSoft(a, b *Dict, off int, soft bool) bool {
	ok := true
	incs := -1
	diffDicts(a, b, func(name string, av, bv *Def) {
		if !ok {
			return
		}
		if av != nil && bv != nil && p.rs.sameReading(av, bv) {
			p.replace(av, bv)
			return
		}
		if incs < 0 {
			// A file included after the checkpoint was read in the
			// previous dictionary.
			incs = 0
			for _, inc := range p.rs.old.Includes {
				if p.rs.old.TopAbs(inc.Start) >= off-p.rs.delta {
					incs = 1
					break
				}
			}
		}
		switch {
		case incs == 1:
			ok = false
		case !p.later(name, off, len(p.src)):
		case soft && p.plainWord(name, av) && p.plainWord(name, bv):
			if p.rs.soft == nil {
				p.rs.soft = map[string]softName{}
			}
			p.rs.soft[name] = softName{av, bv}
		default:
			ok = false
		}
	})
	return ok
}

// softName is a name that the new reading binds to another word than the
// previous one did where the reading converged, and that the code after
// reads: both are plain words, the code reads on the same, and only the
// colon definitions that name it are read again (see softDefs).
type softName struct{ av, bv *Def }

// plainWord reports whether d, what name means (nil: nothing), is a word
// whose meaning changes only the operation that names it, not how the
// text after it is read: a colon definition, variable or constant that
// parses nothing, is not immediate and gives nothing a does> part; or no
// word at all, not even the system's.
func (p *parser) plainWord(name string, d *Def) bool {
	if d == nil {
		return p.cfg.Dialect.Lookup(name) == nil
	}
	switch d.Kind {
	case Colon, Variable, Constant:
	default:
		return false
	}
	return !d.Immediate && !d.CompileOnly && d.Parse == builtins.ParseNone && d.ParseN == 0 && len(d.Then) == 0 && d.Until == "" &&
		d.Defines == nil && d.Does == nil && d.DoesOf == nil && d.DoesVia == nil && d.Runs == nil && d.ActsAs == "" &&
		!d.CompilesInto && !d.ChildImmediate && !d.ChildCompileOnly && !d.ChildUnknown && !d.evaluates && !d.evalsText &&
		!d.refills && d.loads == "" && d.loadsText == "" && d.wraps == nil && !d.wordlist && !d.orderOnly && !d.setsCurrent &&
		!d.ShadowsImmediate && !d.takesReturn && name != "set-current" && name != "!" && p.cfg.Dialect.Lookup(name) == nil
}

// sameDiagsBut reports whether n, o read again, has o's diagnostics at
// the same places of the text but for those with code but: read on its
// own, a definition whose reading depended on more than its names (an
// [if] open before it, say) says something else.
func sameDiagsBut(f *File, o, n *Def, but diag.Code) bool {
	keep := func(d *Def) []diag.Diagnostic {
		var out []diag.Diagnostic
		for _, x := range d.Diags {
			if x.Code != but {
				x.Start, x.End = f.Abs(d.Epoch, int32(x.Start)), f.Abs(d.Epoch, int32(x.End))
				out = append(out, x)
			}
		}
		return out
	}
	a, b := keep(o), keep(n)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Start != b[i].Start || a[i].End != b[i].End || a[i].Code != b[i].Code || a[i].Message != b[i].Message {
			return false
		}
	}
	return true
}

// redefines reports whether d was reported as a redefinition of a word
// of the file: read again on its own, it would not see that word.
func redefines(d *Def) bool {
	for _, x := range d.Diags {
		if x.Code == diag.Redefined {
			return true
		}
	}
	return false
}

// readAgain reads again, in the new text, the definitions of the previous
// reading that use a soft name (rs.reread), each with what its names
// meant to it but for the soft names, and puts them in nf.Defs (the
// previous reading's from the convergence on, moved by dDefs). It reports
// false when one does not read as one definition as it did.
func (p *parser) readAgain(nf *File, sp *Splice, cfg Config, dDefs int) bool {
	rs := p.rs
	old := rs.old
	sp.Reread = make(map[*Def]*Def, len(rs.reread))
	for _, j := range rs.reread {
		od := old.Defs[j]
		// The words its body named, by their text, but for the soft
		// names, which mean what the new reading binds them to.
		names := map[string]*Def{}
		src := old.Source.Src
		text := func(epoch int32, s, e int32) string {
			a, b := old.Abs(epoch, s), old.Abs(epoch, e)
			if a < 0 || b > len(src) || a >= b {
				return ""
			}
			return builtins.LowerASCII(string(src[a:b]))
		}
		for _, op := range od.Body {
			if op.Ref.D != nil {
				names[text(od.Epoch, op.Start, op.End)] = op.Ref.D
			}
			if op.Target.D != nil {
				names[text(od.Epoch, op.ArgStart, op.ArgEnd)] = op.Target.D
			}
		}
		lookup := func(lw string) *Def {
			if x, ok := rs.soft[lw]; ok {
				return x.bv
			}
			return names[lw]
		}
		at := *od
		at.Start = int32(nf.Abs(od.Epoch, od.Start))
		nd, nested, ok := Reparse(rs.sf, &at, lookup, cfg)
		if ok {
			nd.Epoch = rs.epoch
		}
		if !ok || len(nested) != 0 || !rs.sameReading(od, nd) || !sameDiagsBut(nf, od, nd, diag.Undefined) {
			return false
		}
		nd.Epoch, nd.Index, nd.DocStart, nd.DocEnd = rs.epoch, j+dDefs, int32(nf.Abs(od.Epoch, od.DocStart)), int32(nf.Abs(od.Epoch, od.DocEnd))
		if od.DocEnd == 0 {
			nd.DocStart, nd.DocEnd = 0, 0
		}
		nf.Defs[j+dDefs] = nd
		sp.Reread[od] = nd
	}
	return true
}

// softDefs checks, for a reading about to converge at checkpoint c with
// soft names, that the previous reading binds none of them again after c
// and reads them only inside top-level colon definitions of its own
// (none of them named by a soft name, none with nested definitions), and
// records those definitions, which are read again (see Resume).
func (p *parser) softDefs(c *ckpt, off int) bool {
	rs := p.rs
	old := rs.old
	rs.reread = rs.reread[:0]
	for name, x := range rs.soft {
		if !rs.oldSamePlace(old.Exports.Lookup(name), x.av) {
			return false
		}
	}
	defs := old.Defs[c.nDefs:]
	seen := map[int]bool{}
	for name := range rs.soft {
		ok := true
		p.laterEach(name, off, len(p.src), func(x int) bool {
			o := x - rs.delta
			i := sort.Search(len(defs), func(i int) bool { return old.Abs(defs[i].Epoch, defs[i].Start) > o }) - 1
			if i < 0 {
				ok = false
				return false
			}
			d := defs[i]
			if _, named := rs.soft[d.Name]; named || d.Outer != nil || d.Sub != 0 || d.Kind != Colon || d.Immediate ||
				o >= old.Abs(d.Epoch, d.End) || d.Unterminated || redefines(d) {
				ok = false
				return false
			}
			if j := int(c.nDefs) + i; !seen[j] {
				seen[j] = true
				rs.reread = append(rs.reread, j)
			}
			return true
		})
		if !ok {
			return false
		}
	}
	return true
}

// replace records that b stands for a from now on.
func (p *parser) replace(a, b *Def) {
	if p.rs.repl == nil {
		p.rs.repl = map[*Def]*Def{}
	}
	p.rs.repl[a] = b
}

// later reports whether the word name (lower case) may be read in
// [off, end) of the new text: whether it occurs there as a word or as part
// of one that is looked up in parts ("module::name", "class->method"). The
// text is lowered a block at a time, into a buffer kept for the reading.
func (p *parser) later(name string, off, end int) bool {
	found := false
	p.laterEach(name, off, end, func(int) bool {
		found = true
		return false
	})
	return found
}

// laterEach calls f with the offset of each place where later finds
// name, in order, until f returns false.
func (p *parser) laterEach(name string, off, end int, f func(at int) bool) {
	const block = 4096
	rs := p.rs
	if rs.lower == nil {
		rs.lower = make([]byte, 0, block+64)
	}
	n := len(name)
	for at := off; at < end; at += block {
		// Each block overlaps the next by the name's length and a byte
		// each side for the boundaries.
		lo, hi := max(off, at-1), min(end, at+block+n+1)
		buf := scan.Lower(rs.lower[:0], p.src[lo:hi])
		for i := 0; ; {
			j := bytes.Index(buf[i:], []byte(name))
			if j < 0 {
				break
			}
			s, e := i+j, i+j+n
			before := lo+s == off || s > 0 && wordMayStartAfter(buf[s-1])
			after := lo+e == end || e < len(buf) && (scan.IsBlank(buf[e]) || buf[e] == '-')
			// A match in a block's overlap is seen again in the next
			// block: only the one that starts in this block counts.
			if before && after && lo+s >= at && lo+s < at+block && !rs.inComment(lo+s) {
				if !f(lo + s) {
					return
				}
			}
			i = s + 1
		}
	}
}

// inComment reports whether offset x of the new text, after the edit, is
// inside a comment of the previous reading (not at its first byte, which
// is the word that opened it). The text after a place where the reading
// may converge is the previous text moved; up to the first word looked up
// whose meaning changed it reads as before, comments included, so a name
// that occurs only inside them is not read. The comments are gathered
// once per reading, when a name is first found.
func (rs *resumeState) inComment(x int) bool {
	if x < rs.newEnd {
		return false
	}
	if rs.comments == nil {
		// Only those after the edit: the ones before are never asked
		// about, and a large file has many.
		old := rs.old
		add := func(s, e int) {
			if s >= rs.oldEnd {
				rs.comments = append(rs.comments, Range{int32(s + rs.delta), int32(e + rs.delta)})
			}
		}
		k := sort.Search(len(old.Comments), func(k int) bool { return old.TopAbs(old.Comments[k].Start) >= rs.oldEnd })
		for _, r := range old.Comments[k:] {
			add(old.TopAbs(r.Start), old.TopAbs(r.End))
		}
		// A definition that starts before the edit may hold comments
		// after it only if the edit is inside it: those are read again.
		k = sort.Search(len(old.Defs), func(k int) bool { return old.Abs(old.Defs[k].Epoch, old.Defs[k].Start) >= rs.oldEnd })
		for _, d := range old.Defs[k:] {
			for _, r := range d.Comments {
				add(old.Abs(d.Epoch, r.Start), old.Abs(d.Epoch, r.End))
			}
			if c := d.Comment; c != nil && !c.FromLocals {
				add(old.Abs(d.Epoch, c.Start), old.Abs(d.Epoch, c.End))
			}
		}
		if rs.comments == nil {
			rs.comments = []Range{}
		}
		slices.SortFunc(rs.comments, func(a, b Range) int { return int(a.Start - b.Start) })
	}
	// The last comment starting before x.
	i := sort.Search(len(rs.comments), func(i int) bool { return int(rs.comments[i].Start) >= x }) - 1
	return i >= 0 && x < int(rs.comments[i].End)
}

// wordMayStartAfter reports whether a word looked up may start right
// after byte b: after a blank, after the parts separators ("::", "->"),
// and after any other punctuation, which may be the delimiter that ended
// the text a parsing word took (s" q"counter4 reads counter4). Letters
// and digits as delimiters are left out: taking every byte would make
// short names occur everywhere.
func wordMayStartAfter(b byte) bool {
	switch {
	case scan.IsBlank(b):
		return true
	case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b >= 0x80:
		return false
	}
	return true
}

// sameReading reports whether the code after a checkpoint that uses
// definition a reads the same when it uses b instead: the same kind of
// word, parsing the same text, with the same flags and the same parts.
// SameReading reports whether b, a reading of a definition again, reads
// as a did to the code that uses it.
// Definitions it refers to stand in the same place when they have the
// same index.
func SameReading(a, b *Def) bool { return (*resumeState)(nil).sameReading(a, b) }

// SameReading reports whether n, read in sp.File, reads as o, read in
// the previous version, did: definitions they refer to in the edited file
// stand in the same place when they stand at the same offset of the text
// (definitions added or taken away before them move their indices).
func (sp *Splice) SameReading(o, n *Def) bool { return sp.rs.sameReading(o, n) }

// sameReading: see SameReading. rs, when not nil, is the reading that
// compares a definition of the previous version with one of the new.
func (rs *resumeState) sameReading(a, b *Def) bool {
	if a == b {
		return true
	}
	// Another definition of the name, even one that reads the same, is
	// not a reading again: code before it uses the first one still
	// (shadowing), and the two must not be taken for each other.
	if rs != nil && !rs.sameDef(a, b) {
		return false
	}
	if a.Name != b.Name || a.Kind != b.Kind || a.Immediate != b.Immediate || a.CompileOnly != b.CompileOnly ||
		a.Parse != b.Parse || a.Delim != b.Delim || a.ParseN != b.ParseN || !slices.Equal(a.Then, b.Then) ||
		a.Until != b.Until || a.parseInLoop != b.parseInLoop || a.ActsAs != b.ActsAs || a.CompilesInto != b.CompilesInto ||
		a.Defines != b.Defines || a.ChildImmediate != b.ChildImmediate || a.ChildCompileOnly != b.ChildCompileOnly ||
		a.ChildUnknown != b.ChildUnknown || a.ChildHidden != b.ChildHidden || a.hidden != b.hidden ||
		a.setsCurrent != b.setsCurrent || a.creations != b.creations || a.changes != b.changes ||
		a.wordlist != b.wordlist || a.orderOnly || b.orderOnly || a.evaluates != b.evaluates || a.evalsText != b.evalsText ||
		a.known != b.known || a.value != b.value || a.Via != b.Via || a.Target.B != b.Target.B ||
		a.missing != b.missing || a.Unterminated != b.Unterminated || a.FixedPoint != b.FixedPoint ||
		a.Earlier != b.Earlier || a.Implicit != b.Implicit || a.takesReturn != b.takesReturn ||
		a.loads != b.loads || a.loadsText != b.loadsText || a.wraps != b.wraps || a.refills != b.refills ||
		a.InputCells != b.InputCells || a.ShadowsImmediate != b.ShadowsImmediate ||
		!rs.sameDef(a.DoesVia, b.DoesVia) || !rs.sameDef(a.Maker, b.Maker) || !rs.sameDef(a.Target.D, b.Target.D) ||
		(a.Runs == nil) != (b.Runs == nil) || !sameEffect(a, b) {
		return false
	}
	for x, y := a.Does, b.Does; x != nil || y != nil; x, y = x.Does, y.Does {
		// The children parse as the does> part does (see child).
		if x == nil || y == nil || x.Parse != y.Parse || x.Delim != y.Delim || x.Defines != y.Defines ||
			x.ParseN != y.ParseN || x.Until != y.Until || !slices.Equal(x.Then, y.Then) || x.parseInLoop != y.parseInLoop ||
			x.ChildImmediate != y.ChildImmediate || x.ChildCompileOnly != y.ChildCompileOnly ||
			!rs.sameDef(x.DoesVia, y.DoesVia) || x.ChildUnknown != y.ChildUnknown {
			return false
		}
	}
	return true
}

// sameDef reports whether two definitions a definition refers to stand
// in the same place (one may be the other read again).
func (rs *resumeState) sameDef(a, b *Def) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.Name != b.Name || a.Kind != b.Kind || a.File.Name != b.File.Name {
		return false
	}
	if rs != nil && a.File.Name == rs.old.Source.Name {
		x := rs.pos(a)
		return x >= 0 && x == rs.pos(b)
	}
	return a.Index == b.Index
}

// pos is where definition d of the edited file starts in the new text,
// or -1 when it started in the text the edit replaced.
func (rs *resumeState) pos(d *Def) int {
	if d.File == rs.sf {
		return int(d.Start)
	}
	x := rs.old.Abs(d.Epoch, d.Start)
	switch {
	case x < rs.at:
		return x
	case x >= rs.oldEnd:
		return x + rs.delta
	}
	return -1
}

func sameEffect(a, b *Def) bool {
	if a.Effect == b.Effect {
		return true
	}
	return a.Effect != nil && b.Effect != nil && reflect.DeepEqual(*a.Effect, *b.Effect)
}

// VerifyCheckpoints compares the checkpoints of a file read
// incrementally, inc, with those of a fresh reading of the same text,
// fresh (read with checkpoints at every word): each of inc's must hold
// the state fresh has at the same place. It is for tests.
func VerifyCheckpoints(inc, fresh *File) error {
	at := map[int]*ckpt{}
	for _, c := range fresh.ckpts {
		at[fresh.Abs(c.epoch, c.off)] = c
	}
	for i, c := range inc.ckpts {
		c.load()
		off := inc.Abs(c.epoch, c.off)
		f := at[off]
		if f == nil {
			return fmt.Errorf("checkpoint %d at %d: no such place in a fresh reading", i, off)
		}
		if c.nTop != f.nTop || c.nDefs != f.nDefs || c.nIncl != f.nIncl || c.nComm != f.nComm || c.nInact != f.nInact || c.nDiags != f.nDiags {
			return fmt.Errorf("checkpoint %d at %d: counts %v, fresh %v", i, off,
				[]int32{c.nTop, c.nDefs, c.nIncl, c.nComm, c.nInact, c.nDiags}, []int32{f.nTop, f.nDefs, f.nIncl, f.nComm, f.nInact, f.nDiags})
		}
		if c.base != f.base || c.missing != f.missing || c.dynamic != f.dynamic || c.refilled != f.refilled || !slices.Equal(c.kv, f.kv) {
			return fmt.Errorf("checkpoint %d at %d: state differs", i, off)
		}
		// A high-water mark past the fresh one only makes an edit
		// resume from an earlier checkpoint; one short of it would
		// resume after text the state depends on.
		if hw := inc.Abs(c.epoch, c.hw); hw < fresh.Abs(f.epoch, f.hw) {
			return fmt.Errorf("checkpoint %d at %d: high-water mark %d, fresh %d", i, off, hw, fresh.Abs(f.epoch, f.hw))
		}
		if len(c.scopes) != len(f.scopes) {
			return fmt.Errorf("checkpoint %d at %d: %d scopes open, fresh %d", i, off, len(c.scopes), len(f.scopes))
		}
		for k, sc := range c.scopes {
			fw := f.scopes[k].words
			if sc.hidden != f.scopes[k].hidden || len(sc.words) != len(fw) {
				return fmt.Errorf("checkpoint %d at %d: scope %d holds %d words, fresh %d", i, off, k, len(sc.words), len(fw))
			}
			for j, d := range sc.words {
				if g := fw[j]; d.Name != g.Name || d.File.Name == inc.Source.Name && inc.Abs(d.Epoch, d.Start) != fresh.Abs(g.Epoch, g.Start) {
					return fmt.Errorf("checkpoint %d at %d: scope %d word %d is %s, fresh %s", i, off, k, j, d.Name, g.Name)
				}
			}
		}
		for _, pair := range [][2]*Dict{{c.dict, f.dict}, {c.added, f.added}} {
			var err error
			seen := 0
			for name, d := range pair[0].All() {
				seen++
				g := pair[1].Lookup(name)
				// A definition read again that reads the same may stay
				// bound as first read: it starts where the new one does.
				if g == nil || d.File.Name == inc.Source.Name && inc.Abs(d.Epoch, d.Start) != fresh.Abs(g.Epoch, g.Start) || d.Kind != g.Kind ||
					d.Immediate != g.Immediate || d.Parse != g.Parse || d.Defines != g.Defines || d.ChildUnknown != g.ChildUnknown ||
					(d.Does == nil) != (g.Does == nil) || (d.Runs == nil) != (g.Runs == nil) || d.ActsAs != g.ActsAs {
					err = fmt.Errorf("checkpoint %d at %d: %s is %v, fresh %v", i, off, name, d != nil, g != nil)
					break
				}
			}
			if err == nil && seen != pair[1].Len() {
				err = fmt.Errorf("checkpoint %d at %d: %d names, fresh %d", i, off, seen, pair[1].Len())
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
