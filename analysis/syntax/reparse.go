package syntax

import "github.com/fastforth/fastforth/analysis/source"

// Reparse re-reads one top-level colon definition d, which starts at the
// same offset in the edited text src as before the edit. base is the number
// base in force at d; lookup finds the definitions visible just before d
// (nil for none). It returns the new definition and the ones nested in it
// (does> part, quotations) in reading order, with offsets in the new text,
// and ok=false when the text from d's start no longer reads as exactly one
// complete definition ending in ";" with nothing else changed in the
// reader's state, in which case the caller must re-read the whole file.
func Reparse(src *source.File, d *Def, lookup func(lw string) *Def, cfg Config) (nd *Def, nested []*Def, ok bool) {
	p := &parser{
		f:       &File{Source: src},
		src:     src.Src,
		cfg:     cfg,
		dict:    NewDict(nil),
		added:   NewDict(nil),
		base:    d.Base,
		missing: d.missing,
		ext:     lookup,
	}
	if d.Name == "" && d.Kind != Noname {
		// "noname :" and top-level does> parts depend on what came
		// before them.
		return nil, nil, false
	}
	p.sc.Init(src.Src)
	p.sc.SetOffset(int(d.Start))
	p.ops = &p.f.Top
	s, e, more := p.sc.Word()
	if !more || int32(s) != d.Start {
		return nil, nil, false
	}
	p.word(int32(s), int32(e))
	if p.cur == nil {
		return nil, nil, false
	}
	for p.cur != nil {
		s, e, more := p.sc.Word()
		if !more {
			return nil, nil, false
		}
		p.word(int32(s), int32(e))
	}
	if len(p.f.Defs) == 0 || len(p.f.Top) != 1 || len(p.f.Diags) != 0 || len(p.f.Includes) != 0 ||
		p.base != d.Base || len(p.baseSave) != 0 || p.condDepth != 0 || p.sawImmediate {
		return nil, nil, false
	}
	nd = p.f.Defs[0]
	if nd.Kind != d.Kind || nd.Name != d.Name || nd.Unterminated ||
		nd.ChildImmediate != d.ChildImmediate || nd.ChildCompileOnly != d.ChildCompileOnly ||
		nd.DoesVia != d.DoesVia || nd.ChildUnknown != d.ChildUnknown ||
		nd.ActsAs != d.ActsAs || nd.ChildHidden != d.ChildHidden {
		return nil, nil, false
	}
	// The does> parts decide how the children read the text after them.
	for o, n := d.Does, nd.Does; o != nil || n != nil; o, n = o.Does, n.Does {
		if o == nil || n == nil || o.Parse != n.Parse || o.Delim != n.Delim || o.Defines != n.Defines ||
			o.ChildImmediate != n.ChildImmediate || o.ChildCompileOnly != n.ChildCompileOnly ||
			o.DoesVia != n.DoesVia || o.ChildUnknown != n.ChildUnknown {
			return nil, nil, false
		}
	}
	// Flags set by words after the definition ("immediate") stay.
	nd.Immediate, nd.CompileOnly = d.Immediate, d.CompileOnly
	return nd, p.f.Defs[1:], true
}
