package syntax

import (
	"encoding/binary"
	"hash/fnv"
	"hash/maphash"
	"iter"
)

// Dict is the dictionary of user definitions as it stands at one point of
// a load: a chain of layers, each a map from lower-case name to
// definition. A frozen Dict never changes, so a snapshot (the dictionary
// an included file starts from) costs nothing: the including file goes on
// in a new layer above it. Lookups walk the chain; a chain grown long is
// flattened into one map.
//
// Each layer also keeps a fingerprint of everything defined in it and
// below, in order: two Dicts with the same fingerprint hold the same
// definitions (names, kinds and text at the same places), so a file read
// in one of them reads the same in the other.
type Dict struct {
	parent *Dict
	m      map[string]*Def
	depth  int    // layers below this one
	fp     uint64 // fingerprint of this layer and those below
	frozen bool
}

// maxDictDepth bounds the layers a lookup walks.
const maxDictDepth = 12

var fpSeed = maphash.MakeSeed()

// NewDict makes an empty dictionary layer above parent (which may be nil);
// parent is frozen.
func NewDict(parent *Dict) *Dict {
	d := &Dict{parent: parent, m: make(map[string]*Def)}
	if parent != nil {
		parent.frozen = true
		d.depth = parent.depth + 1
		d.fp = parent.fp
		if d.depth > maxDictDepth {
			flat := parent.flatten()
			d.parent, d.depth = flat, 1
		}
	}
	return d
}

// flatten makes one frozen layer holding what d holds.
func (d *Dict) flatten() *Dict {
	m := make(map[string]*Def, d.Len())
	var layers []*Dict
	for x := d; x != nil; x = x.parent {
		layers = append(layers, x)
	}
	for i := len(layers) - 1; i >= 0; i-- {
		for k, v := range layers[i].m {
			m[k] = v
		}
	}
	return &Dict{m: m, fp: d.fp, frozen: true}
}

// Lookup finds the definition of a lower-case name, or nil.
func (d *Dict) Lookup(name string) *Def {
	for x := d; x != nil; x = x.parent {
		if v, ok := x.m[name]; ok {
			return v
		}
	}
	return nil
}

// Has reports whether name is defined.
func (d *Dict) Has(name string) bool { return d.Lookup(name) != nil }

// set defines name in the top layer, which must not be frozen.
func (d *Dict) set(name string, def *Def) {
	if d.frozen {
		panic("syntax: set on a frozen Dict")
	}
	d.m[name] = def
	d.fp = mixDef(d.fp, name, def)
}

// Fingerprint identifies what d holds (see Dict).
func (d *Dict) Fingerprint() uint64 {
	if d == nil {
		return 0
	}
	return d.fp
}

// All yields every visible name and its definition (a name shadowed by a
// later definition only once, with the later one), in no fixed order.
func (d *Dict) All() iter.Seq2[string, *Def] {
	return func(yield func(string, *Def) bool) {
		seen := map[string]bool{}
		for x := d; x != nil; x = x.parent {
			for k, v := range x.m {
				if seen[k] {
					continue
				}
				seen[k] = true
				if !yield(k, v) {
					return
				}
			}
		}
	}
}

// Len counts the visible names.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	if d.parent == nil {
		return len(d.m)
	}
	n := 0
	for range d.All() {
		n++
	}
	return n
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
