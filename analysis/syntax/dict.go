package syntax

import (
	"encoding/binary"
	"hash/fnv"
	"hash/maphash"
	"iter"
)

// Dict is the dictionary of user definitions as it stands at one point of
// a load: a map from lower-case name to definition.
//
// It is persistent, and a snapshot costs nothing: the reader keeps one at
// each checkpoint (every kilobyte or so of text) to resume reading after
// an edit, and one is the dictionary an included file starts from. A
// trie with path copying made every snapshot cost the paths the next
// definitions copied, which was most of the memory of a large file (about
// 4 KB a line), so versions are stamps instead: a Dict is a table of
// bindings, each stamped with the version that made it, seen as of one
// version. A table records the bindings of one line of versions, each
// name's newest first, on top of the table (and version) it extends; only
// the Dict that made a table adds to it, and any other Dict that changes
// first starts a table of its own on top of the version it sees. Tables
// are kept shallow: a new table copies a few bindings rather than sit on
// a small table, and one too deep is flattened.
//
// A Dict also keeps a fingerprint of everything defined in it, in order:
// two Dicts with the same fingerprint hold the same definitions (names,
// kinds and text at the same places), so a file read in one of them reads
// the same in the other.
type Dict struct {
	t   *table
	ver uint32 // the bindings of t this Dict sees: those up to ver
	n   int    // names bound
	fp  uint64 // fingerprint of the definitions made, in order
}

// table holds one line of versions of a dictionary. The binding with
// version v is log[v-1]. A table is only ever added to by its writer,
// and only while that Dict reads the file that owns it: the language
// server reads a File's dictionaries on other goroutines.
type table struct {
	w      *Dict           // the only Dict that adds to the table
	m      map[string]*bnd // each name's newest binding; nil while the log is short
	log    []*bnd          // every binding, oldest first
	parent *table          // what the table extends, as of version pver
	pver   uint32          //
	depth  int             // tables from here to the root, this one included
}

// bnd binds a name to a definition (nil: the name was bound and is no
// longer) from version ver of its table on.
type bnd struct {
	name string
	ver  uint32
	val  *Def
	prev *bnd // the same name's previous binding in the table
}

const (
	// shortLog is how many bindings a table keeps before it indexes them
	// by name: the small tables that patch a checkpoint's dictionary
	// after an edit are scanned.
	shortLog = 8
	// copyBelow is how few bindings of a table a new table copies rather
	// than extends the table.
	copyBelow = 32
	// patchLog is how long a table's log may be for a new table to
	// look for the few names it binds (see writable).
	patchLog = 96
	// maxDepth bounds the tables a lookup goes through.
	maxDepth = 6
)

var fpSeed = maphash.MakeSeed()

// NewDict makes a dictionary holding what parent holds (nothing when
// parent is nil). parent is unaffected by changes to the new one, and
// the other way round.
func NewDict(parent *Dict) *Dict {
	if parent == nil {
		return &Dict{}
	}
	return &Dict{t: parent.t, ver: parent.ver, n: parent.n, fp: parent.fp}
}

// snapshot returns an immutable copy of d as it stands.
func (d *Dict) snapshot() *Dict {
	return &Dict{t: d.t, ver: d.ver, n: d.n, fp: d.fp}
}

// find is the binding of name in t that version v sees, or nil.
func (t *table) find(name string, v uint32) *bnd {
	if t.m == nil {
		for i := min(int(v), len(t.log)) - 1; i >= 0; i-- {
			if b := t.log[i]; b.name == name {
				return b
			}
		}
		return nil
	}
	b := t.m[name]
	for b != nil && b.ver > v {
		b = b.prev
	}
	return b
}

// Lookup finds the definition of a lower-case name, or nil.
func (d *Dict) Lookup(name string) *Def {
	if d == nil {
		return nil
	}
	for t, v := d.t, d.ver; t != nil; t, v = t.parent, t.pver {
		if b := t.find(name, v); b != nil {
			return b.val
		}
	}
	return nil
}

// Has reports whether name is defined.
func (d *Dict) Has(name string) bool { return d.Lookup(name) != nil }

// set makes name mean def from now on; a nil def unbinds it.
func (d *Dict) set(name string, def *Def) {
	d.fp = mixDef(d.fp, name, def)
	d.bind(name, def)
}

// bind is set without the fingerprint: a name bound back to what it meant
// before (the end of a scope) is not a new definition.
func (d *Dict) bind(name string, def *Def) {
	old := d.Lookup(name)
	if old == def {
		return
	}
	d.writable()
	d.t.add(name, def)
	d.ver = uint32(len(d.t.log))
	switch {
	case old == nil:
		d.n++
	case def == nil:
		d.n--
	}
}

// add appends a binding to t.
func (t *table) add(name string, def *Def) {
	b := &bnd{name: name, ver: uint32(len(t.log) + 1), val: def}
	t.log = append(t.log, b)
	switch {
	case t.m != nil:
		b.prev = t.m[name]
		t.m[name] = b
	case len(t.log) > shortLog:
		t.m = make(map[string]*bnd, 2*len(t.log))
		for _, x := range t.log {
			x.prev = t.m[x.name]
			t.m[x.name] = x
		}
	}
}

// writable gives d a table of its own to add to, unless it has one.
func (d *Dict) writable() {
	if d.t != nil && d.t.w == d {
		return
	}
	nt := &table{w: d, parent: d.t, pver: d.ver}
	var copied []*bnd
	if d.t != nil && d.ver <= patchLog {
		// Few names are bound by the table as d sees it (a patch
		// made by an edit, made again at the next one with the same
		// names): copy their bindings and extend what it extends,
		// rather than pile patches up until the dictionary must be
		// flattened.
		if copied = liveBindings(d.t.log[:d.ver]); len(copied) <= copyBelow {
			nt.parent, nt.pver = d.t.parent, d.t.pver
		} else {
			copied = nil
		}
	}
	if nt.parent != nil {
		nt.depth = nt.parent.depth
	}
	nt.depth++
	if nt.depth > maxDepth {
		// Flatten: the names as d sees them, in one table.
		flat := &table{w: d, depth: 1}
		for name, def := range d.All() {
			flat.add(name, def)
		}
		d.t, d.ver = flat, uint32(len(flat.log))
		return
	}
	for _, b := range copied {
		nt.add(b.name, b.val)
	}
	d.t, d.ver = nt, uint32(len(nt.log))
}

// liveBindings is each name's last binding in log, in the order of those
// bindings.
func liveBindings(log []*bnd) []*bnd {
	out := make([]*bnd, 0, len(log))
	for i, b := range log {
		last := true
		for _, x := range log[i+1:] {
			if x.name == b.name {
				last = false
				break
			}
		}
		if last {
			out = append(out, b)
		}
	}
	return out
}

// Fingerprint identifies what d holds (see Dict).
func (d *Dict) Fingerprint() uint64 {
	if d == nil {
		return 0
	}
	return d.fp
}

// All yields every name bound and its definition, in an order fixed by
// the order of the bindings (which a fingerprint made of them depends
// on).
func (d *Dict) All() iter.Seq2[string, *Def] {
	return func(yield func(string, *Def) bool) {
		if d == nil || d.t == nil {
			return
		}
		if d.t.parent == nil {
			// One table: a name is yielded at its binding seen.
			t, v := d.t, d.ver
			for _, b := range t.log[:v] {
				if b.val != nil && t.find(b.name, v) == b && !yield(b.name, b.val) {
					return
				}
			}
			return
		}
		seen := map[string]bool{}
		for t, v := d.t, d.ver; t != nil; t, v = t.parent, t.pver {
			for _, b := range t.log[:v] {
				if seen[b.name] || t.find(b.name, v) != b {
					continue
				}
				seen[b.name] = true
				if b.val != nil && !yield(b.name, b.val) {
					return
				}
			}
		}
	}
}

// Len counts the names bound.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return d.n
}

// diffDicts calls f for every name that a and b bind differently (one
// of the two definitions may be nil). Only the bindings made since the
// versions' common table and version are looked at, so comparing two
// versions of a dictionary costs what their differences cost.
func diffDicts(a, b *Dict, f func(name string, av, bv *Def)) {
	var ta, tb *table
	var va, vb uint32
	if a != nil {
		ta, va = a.t, a.ver
	}
	if b != nil {
		tb, vb = b.t, b.ver
	}
	if ta == tb && va == vb {
		return
	}
	// The bindings either side made since the two met, as slices of logs.
	var runs [][]*bnd
	depth := func(t *table) int {
		if t == nil {
			return 0
		}
		return t.depth
	}
	for ta != tb {
		if depth(ta) >= depth(tb) {
			runs = append(runs, ta.log[:va])
			ta, va = ta.parent, ta.pver
		} else {
			runs = append(runs, tb.log[:vb])
			tb, vb = tb.parent, tb.pver
		}
	}
	if ta != nil {
		runs = append(runs, ta.log[min(va, vb):max(va, vb)])
	}
	done := map[string]bool{}
	for _, run := range runs {
		for _, x := range run {
			if done[x.name] {
				continue
			}
			done[x.name] = true
			if av, bv := a.Lookup(x.name), b.Lookup(x.name); av != bv {
				f(x.name, av, bv)
			}
		}
	}
}
func mixDef(h uint64, name string, d *Def) uint64 {
	var mh maphash.Hash
	mh.SetSeed(fpSeed)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], h)
	mh.Write(b[:])
	mh.WriteString(name)
	if d != nil {
		mh.WriteString(d.File.Name)
		binary.LittleEndian.PutUint64(b[:], uint64(d.Start)|uint64(d.End)<<32)
		mh.Write(b[:])
		flags := uint64(d.Kind) | uint64(d.Parse)<<8 | uint64(d.Delim)<<16
		if d.Immediate {
			flags |= 1 << 24
		}
		if d.CompileOnly {
			flags |= 1 << 25
		}
		binary.LittleEndian.PutUint64(b[:], flags)
		mh.Write(b[:])
		if src := d.File.Src; int(d.End) <= len(src) && d.Start <= d.End && d.Start >= 0 {
			mh.Write(src[d.Start:d.End])
		}
	}
	return mh.Sum64()
}

// Context is what a file is read in: the dictionary and the number base
// that its includer has at the include (or, for a file loaded first, the
// preloaded files' words).
type Context struct {
	Dict *Dict
	Base int
	// From names the file (and the include) that gives the context, for
	// messages; empty for a file read on its own.
	From string
	// Loaded holds the files (clean paths) loaded before: a require of
	// one of them does nothing.
	Loaded map[string]bool
	// Missing names a file loaded before that could not be found.
	Missing string
}

// Fingerprint identifies the context's content.
func (c *Context) Fingerprint() uint64 {
	if c == nil {
		return 0
	}
	fp := c.Dict.Fingerprint() ^ uint64(c.Base)*0x9e3779b97f4a7c15
	if c.Missing != "" {
		h := fnv.New64a()
		h.Write([]byte(c.Missing))
		fp ^= h.Sum64() * 0xbf58476d1ce4e5b9
	}
	return fp
}
