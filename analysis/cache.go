package analysis

import (
	"encoding/binary"
	"hash/maphash"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// resultCache remembers inference results by a key made of a definition's
// text and everything its inference depends on: how each word in it was
// resolved and the effects of the user words it calls. A definition whose
// key is unchanged is not inferred again; its result is moved to the new
// position.
type resultCache struct {
	seed    maphash.Seed
	entries map[uint64]*cacheEntry
	gen     uint32
}

type cacheEntry struct {
	r   *infer.Result
	gen uint32
}

func newResultCache() *resultCache {
	return &resultCache{seed: maphash.MakeSeed(), entries: make(map[uint64]*cacheEntry)}
}

// attach makes c consult and fill the cache.
func (rc *resultCache) attach(c *infer.Checker) {
	rc.gen++
	keys := make(map[*syntax.Def]uint64)
	c.Reuse = func(d *syntax.Def, c *infer.Checker) *infer.Result {
		k := rc.key(d, c)
		keys[d] = k
		e, ok := rc.entries[k]
		if !ok {
			return nil
		}
		e.gen = rc.gen
		// The entry now holds the result moved to d: the one it held
		// refers to a definition of an older version, whose whole text
		// it would keep alive for as long as the definition is unchanged.
		e.r = rebase(e.r, d)
		return e.r
	}
	c.Store = func(d *syntax.Def, r *infer.Result) {
		if k, ok := keys[d]; ok {
			rc.entries[k] = &cacheEntry{r: r, gen: rc.gen}
		}
	}
}

// sweep drops entries that the last few analyses did not use.
func (rc *resultCache) sweep() {
	if rc.gen%16 != 0 && len(rc.entries) < 4096 {
		return
	}
	for k, e := range rc.entries {
		if rc.gen-e.gen > 4 {
			delete(rc.entries, k)
		}
	}
}

// rebase moves a cached result to definition d, which has the same text
// at a possibly different offset.
func rebase(r *infer.Result, d *syntax.Def) *infer.Result {
	if r.Def == d {
		return r
	}
	n := *r
	n.Def = d
	delta := int(d.Start - r.Def.Start)
	if len(r.Diags) > 0 {
		n.Diags = make([]diag.Diagnostic, len(r.Diags))
		for i, x := range r.Diags {
			x.Start += delta
			x.End += delta
			n.Diags[i] = x
		}
	}
	// The declared effect is the new definition's comment where it was
	// the old one's; nil (an unreadable comment) and an effect made from
	// the comment stay what they were, the text being the same.
	if d.Comment != nil && r.Def.Comment != nil && r.Declared == &r.Def.Comment.Effect {
		n.Declared = &d.Comment.Effect
	}
	return &n
}

func (rc *resultCache) key(d *syntax.Def, c *infer.Checker) uint64 {
	return rc.keyDepth(d, c, 0)
}

// maxKeyDepth bounds how deep keyDepth follows combinators.
const maxKeyDepth = 4

func (rc *resultCache) keyDepth(d *syntax.Def, c *infer.Checker, depth int) uint64 {
	var h maphash.Hash
	h.SetSeed(rc.seed)
	// The text from the definition's start to the end of whatever it
	// holds (a nested does> part may reach past End).
	src := d.File.Src
	end := d.End
	for i := range d.Body {
		end = max(end, d.Body[i].End, d.Body[i].ArgEnd)
	}
	if int(end) <= len(src) && d.Start <= end {
		h.Write(src[d.Start:end])
	}
	var b [8]byte
	put := func(v uint64) {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	flags := uint64(d.Kind)
	if d.DoesOf != nil {
		flags |= 1 << 8
	}
	put(flags)
	ref := func(r syntax.Ref) {
		switch {
		case r.D != nil:
			put(1)
			sig := c.Resolve(r.D)
			putSig(&h, put, sig)
			if sig != nil && len(sig.XTs) > 0 && (r.D.Kind == syntax.Colon || r.D.Kind == syntax.Noname) {
				// A combinator given an execution token is run
				// with it: what its body does matters, not only
				// its effect.
				if depth >= maxKeyDepth {
					// Too deep to tell: never the same key
					// in another analysis.
					put(uint64(rc.gen) | 1<<63)
				} else {
					put(rc.keyDepth(r.D, c, depth+1))
				}
			}
			if r.D.Immediate {
				// A macro's body is expanded in place.
				put(uint64(r.D.Start))
				h.Write(r.D.File.Src[r.D.Start:r.D.End])
			}
		case r.B != nil:
			put(2)
			h.WriteString(r.B.Name)
		default:
			put(3)
		}
	}
	for i := range d.Body {
		op := &d.Body[i]
		put(uint64(op.Kind) | uint64(op.NumKind)<<8 | uint64(op.Local)<<16 | uint64(op.NLocals)<<32 | uint64(op.NFloatLocals)<<48)
		put(uint64(op.Lo))
		put(uint64(op.Hi))
		if op.Interp {
			put(7)
		}
		ref(op.Ref)
		if op.Target.D != nil || op.Target.B != nil {
			ref(op.Target)
		}
		if op.NewDef != nil && op.Kind == syntax.OpQuotation {
			putSig(&h, put, c.Resolve(op.NewDef))
		}
	}
	return h.Sum64()
}

func putSig(h *maphash.Hash, put func(uint64), s *infer.Sig) {
	if s == nil || !s.Known {
		// The reason shows in the callers' messages.
		put(0xdead)
		if s != nil {
			h.WriteString(s.Reason)
		}
		return
	}
	if s.Bottom {
		put(0xb0)
	}
	for _, a := range s.Alts {
		for k := 0; k < 3; k++ {
			put(uint64(a.In[k]) | uint64(a.Out[k])<<16)
			for _, src := range a.Src[k] {
				v := uint64(src.In) | uint64(src.Stack)<<16
				if src.Copy {
					v |= 1 << 20
				}
				if src.Lit {
					v |= 1 << 21
					put(uint64(src.Val))
				}
				put(v)
			}
		}
		if a.NonZeroTop {
			put(0x2)
		}
	}
}
