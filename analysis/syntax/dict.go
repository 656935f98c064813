package syntax

import (
	"encoding/binary"
	"hash/fnv"
	"hash/maphash"
	"iter"
	"math/bits"
)

// Dict is the dictionary of user definitions as it stands at one point of
// a load: a map from lower-case name to definition.
//
// It is persistent: a hash array mapped trie whose versions share every
// node they have in common, so that a snapshot (the dictionary an included
// file starts from, or the one the reader keeps at each checkpoint to
// resume reading after an edit) costs nothing and a change copies only the
// path to one leaf. Nodes a Dict made since its last snapshot belong to it
// and are changed in place, so that reading a file does not copy a path
// for every definition.
//
// A Dict also keeps a fingerprint of everything defined in it, in order:
// two Dicts with the same fingerprint hold the same definitions (names,
// kinds and text at the same places), so a file read in one of them reads
// the same in the other.
type Dict struct {
	root  *hnode
	n     int    // names bound
	fp    uint64 // fingerprint of the definitions made, in order
	owner *byte  // nodes whose owner this is may be changed in place
}

// hnode is a trie node: a bitmap of the 32 slots of five hash bits that
// are used, and their entries in slot order. Below the last level of hash
// bits a node is a plain list of colliding names.
type hnode struct {
	bitmap uint32
	owner  *byte
	ents   []hent
}

// hent is a leaf (key, val) or a child node (sub).
type hent struct {
	key  string
	hash uint64
	val  *Def // nil: the name was bound and is no longer (see set)
	sub  *hnode
}

const hbits = 5

// maxShift is the last shift at which hash bits choose a slot; deeper
// nodes hold collisions.
const maxShift = 60

var fpSeed = maphash.MakeSeed()

// keySeed hashes names into the trie; fixed for the process so that all
// Dicts agree.
var keySeed = maphash.MakeSeed()

func hashKey(s string) uint64 { return maphash.String(keySeed, s) }

// NewDict makes a dictionary holding what parent holds (nothing when
// parent is nil). parent is unaffected by changes to the new one, and
// the other way round.
func NewDict(parent *Dict) *Dict {
	d := &Dict{owner: new(byte)}
	if parent != nil {
		parent.freeze()
		d.root, d.n, d.fp = parent.root, parent.n, parent.fp
	}
	return d
}

// freeze makes the nodes d made so far immutable: another Dict shares them
// from now on.
func (d *Dict) freeze() { d.owner = new(byte) }

// snapshot returns an immutable copy of d as it stands.
func (d *Dict) snapshot() *Dict {
	d.freeze()
	return &Dict{root: d.root, n: d.n, fp: d.fp}
}

// Lookup finds the definition of a lower-case name, or nil.
func (d *Dict) Lookup(name string) *Def {
	if d == nil || d.root == nil {
		return nil
	}
	h := hashKey(name)
	n := d.root
	for shift := uint(0); ; shift += hbits {
		if shift > maxShift {
			for i := range n.ents {
				if n.ents[i].key == name {
					return n.ents[i].val
				}
			}
			return nil
		}
		bit := uint32(1) << (h >> shift & 31)
		if n.bitmap&bit == 0 {
			return nil
		}
		e := &n.ents[bits.OnesCount32(n.bitmap&(bit-1))]
		if e.sub == nil {
			if e.hash == h && e.key == name {
				return e.val
			}
			return nil
		}
		n = e.sub
	}
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
	if d.owner == nil {
		d.owner = new(byte)
	}
	old := d.Lookup(name)
	if old == def {
		return
	}
	d.root = d.put(d.root, 0, hent{key: name, hash: hashKey(name), val: def})
	switch {
	case old == nil:
		d.n++
	case def == nil:
		d.n--
	}
}

// own returns n, or a copy of it that d may change.
func (d *Dict) own(n *hnode, extra int) *hnode {
	if n != nil && n.owner == d.owner {
		return n
	}
	c := &hnode{owner: d.owner}
	if n != nil {
		c.bitmap = n.bitmap
		c.ents = make([]hent, len(n.ents), len(n.ents)+extra)
		copy(c.ents, n.ents)
	}
	return c
}

// put stores leaf e in the subtrie n at shift and returns the subtrie.
func (d *Dict) put(n *hnode, shift uint, e hent) *hnode {
	if shift > maxShift {
		c := d.own(n, 1)
		for i := range c.ents {
			if c.ents[i].key == e.key {
				c.ents[i] = e
				return c
			}
		}
		c.ents = append(c.ents, e)
		return c
	}
	bit := uint32(1) << (e.hash >> shift & 31)
	var i int
	if n != nil {
		i = bits.OnesCount32(n.bitmap & (bit - 1))
	}
	if n == nil || n.bitmap&bit == 0 {
		c := d.own(n, 1)
		c.ents = append(c.ents, hent{})
		copy(c.ents[i+1:], c.ents[i:])
		c.ents[i] = e
		c.bitmap |= bit
		return c
	}
	cur := n.ents[i]
	var repl hent
	switch {
	case cur.sub != nil:
		repl = hent{sub: d.put(cur.sub, shift+hbits, e)}
	case cur.key == e.key:
		repl = e
	default:
		// Two names in one slot: push both one level down.
		sub := d.put(nil, shift+hbits, cur)
		repl = hent{sub: d.put(sub, shift+hbits, e)}
	}
	if repl.sub != nil && repl.sub == cur.sub {
		return n // changed in place below
	}
	c := d.own(n, 0)
	c.ents[i] = repl
	return c
}

// Fingerprint identifies what d holds (see Dict).
func (d *Dict) Fingerprint() uint64 {
	if d == nil {
		return 0
	}
	return d.fp
}

// All yields every name bound and its definition, in no fixed order.
func (d *Dict) All() iter.Seq2[string, *Def] {
	return func(yield func(string, *Def) bool) {
		if d != nil {
			walk(d.root, yield)
		}
	}
}

func walk(n *hnode, yield func(string, *Def) bool) bool {
	if n == nil {
		return true
	}
	for i := range n.ents {
		e := &n.ents[i]
		if e.sub != nil {
			if !walk(e.sub, yield) {
				return false
			}
		} else if e.val != nil && !yield(e.key, e.val) {
			return false
		}
	}
	return true
}

// Len counts the names bound.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return d.n
}

// diffDicts calls f for every name that a and b bind differently (one
// of the two definitions may be nil). Subtries the two share are not
// visited, so comparing two versions of a dictionary costs what their
// differences cost.
func diffDicts(a, b *Dict, f func(name string, av, bv *Def)) {
	var ra, rb *hnode
	if a != nil {
		ra = a.root
	}
	if b != nil {
		rb = b.root
	}
	diffNodes(ra, rb, f)
}

func diffNodes(a, b *hnode, f func(name string, av, bv *Def)) {
	if a == b {
		return
	}
	if a != nil && b != nil && a.bitmap != 0 && b.bitmap != 0 {
		// Slot by slot: a slot both hold as the same kind of entry
		// is compared directly, anything else by its leaves.
		for m := a.bitmap | b.bitmap; m != 0; m &= m - 1 {
			bit := m & -m
			var ea, eb *hent
			if a.bitmap&bit != 0 {
				ea = &a.ents[bits.OnesCount32(a.bitmap&(bit-1))]
			}
			if b.bitmap&bit != 0 {
				eb = &b.ents[bits.OnesCount32(b.bitmap&(bit-1))]
			}
			switch {
			case ea != nil && eb != nil && ea.sub != nil && eb.sub != nil:
				diffNodes(ea.sub, eb.sub, f)
			case ea != nil && eb != nil && ea.sub == nil && eb.sub == nil && ea.key == eb.key:
				if ea.val != eb.val {
					f(ea.key, ea.val, eb.val)
				}
			default:
				diffLeaves(leavesOf(ea), leavesOf(eb), f)
			}
		}
		return
	}
	diffLeaves(leavesOf(&hent{sub: a}), leavesOf(&hent{sub: b}), f)
}

// leavesOf lists the bound names under an entry.
func leavesOf(e *hent) map[string]*Def {
	m := map[string]*Def{}
	if e == nil {
		return m
	}
	if e.sub == nil {
		if e.key != "" {
			m[e.key] = e.val
		}
		return m
	}
	walk(e.sub, func(k string, v *Def) bool {
		m[k] = v
		return true
	})
	return m
}

func diffLeaves(a, b map[string]*Def, f func(name string, av, bv *Def)) {
	for k, v := range a {
		if w := b[k]; w != v {
			f(k, v, w)
		}
	}
	for k, w := range b {
		if _, ok := a[k]; !ok && w != nil {
			f(k, nil, w)
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
