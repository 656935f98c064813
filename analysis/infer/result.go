package infer

import (
	"slices"
	"strconv"
	"strings"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Status is the verdict on one definition; the values are part of the JSON
// contract.
type Status string

const (
	Verified   Status = "verified"
	Mismatch   Status = "mismatch"
	Undeclared Status = "undeclared"
	Unknowable Status = "unknown"
)

// Result is what inference found for one definition.
type Result struct {
	Def      *syntax.Def
	Status   Status
	Declared *effect.Effect // nil without a readable stack comment
	Inferred *effect.Effect // nil when unknown; named after Declared
	Alts     []Alt          // the inferred ways out; more than one when paths differ
	Reason   string         // why the effect is unknown
	Bottom   bool           // no path returns
	Sig      *Sig           // what callers use
	Diags    []diag.Diagnostic
	// Trusted is set when the inferred effect rests on stack comments
	// taken on trust (see Sig.Trusted).
	Trusted bool
}

// Counts returns the inferred data-stack cells in and out; ok is false when
// they are not statically determined.
func (r *Result) Counts(stack effect.Stack) (in, out int, ok bool) {
	if r.Inferred == nil || len(r.Alts) != 1 {
		return 0, 0, false
	}
	return r.Alts[0].In[stack], r.Alts[0].Out[stack], true
}

func upper(s string) string { return strings.ToUpper(s) }

// altOf reads a path's effect.
func altOf(s *state) Alt {
	a := Alt{In: s.in}
	if n := len(s.st[0]); n > 0 {
		// What is known of the top: callers tell alternatives apart
		// by it.
		top := s.st[0][n-1]
		a.ZeroTop = top.zero() && top.k != kLit
		a.NonZeroTop = top.nonZero() && top.k != kLit
	}
	for k := 0; k < 3; k++ {
		a.Out[k] = len(s.st[k])
		a.Src[k] = make([]Src, len(s.st[k]))
		for i, v := range s.st[k] {
			if st, depth, ok := inputOf(v.id); ok {
				a.Src[k][i] = Src{Copy: true, Stack: effect.Stack(st), In: s.in[st] - 1 - depth}
			} else if v.k == kLit {
				a.Src[k][i] = Src{Lit: true, Val: v.lit, ID: v.id, Dep: v.dep}
			} else {
				a.Src[k][i] = Src{ID: v.id, Dep: v.dep}
			}
		}
	}
	return a
}

type cellName struct {
	name string
	key  int // same key on adjacent cells 0 and 1: one double item
	cell int
}

func declCells(r []cellName, p effect.Picture, k effect.Stack) []cellName {
	for i, it := range p {
		if it.Stack != k || it.Kind != effect.Cell {
			continue
		}
		for c := 0; c < it.Cells; c++ {
			r = append(r, cellName{it.Name, i + 1, c})
		}
	}
	return r
}

var genericBase = [3]string{"x", "r:x", "r"}

// nameAlt turns an inferred alternative into a stack picture, using the
// declared names where the counts allow. Only a declaration read as one
// effect names anything: the items of a comment with phases belong to
// other times than the run.
func nameAlt(a *Alt, decl *effect.Effect) effect.Effect {
	if decl != nil && (decl.Complex || len(decl.In) == 0 || len(decl.Out) == 0) {
		decl = nil
	}
	// The pictures are the result; everything else lives in buffers on
	// the stack, since this runs for every definition.
	in := make(effect.Picture, 0, a.In[0]+a.In[1]+a.In[2])
	out := make(effect.Picture, 0, a.Out[0]+a.Out[1]+a.Out[2])
	var dinBuf, doutBuf, namesBuf, onamesBuf, otherBuf [16]cellName
	gen := 0
	// next makes the next generic name, skipping the declared names.
	next := func(k int) cellName {
		for {
			gen++
			n := genericName(k, gen)
			if !declares(decl, n) {
				return cellName{name: n, key: -gen}
			}
		}
	}
	// seen names the values already named, by id: a few in a buffer
	// on the stack, then in a map, so that naming stays linear however
	// many items there are.
	type seenName struct {
		id   int32
		name cellName
	}
	var seenBuf [8]seenName
	seen := seenBuf[:0]
	var seenMap map[int32]cellName
	find := func(id int32) (cellName, bool) {
		if seenMap != nil {
			n, ok := seenMap[id]
			return n, ok
		}
		for _, x := range seen {
			if x.id == id {
				return x.name, true
			}
		}
		return cellName{}, false
	}
	remember := func(id int32, n cellName) {
		switch {
		case seenMap != nil:
			seenMap[id] = n
		case len(seen) < cap(seenBuf):
			seen = append(seen, seenName{id, n})
		default:
			seenMap = make(map[int32]cellName, len(a.Src[0])+len(a.Src[1])+len(a.Src[2]))
			for _, x := range seen {
				seenMap[x.id] = x.name
			}
			seenMap[id] = n
		}
	}
	// The declared output picture with the alternative's counts names
	// its items ("( -- false | x true )").
	var outPic effect.Picture
	if decl != nil {
		outPic = decl.Out[0]
		for _, p := range decl.Out {
			fits := true
			for k := 0; k < 3; k++ {
				if len(declCells(otherBuf[:0], p, effect.Stack(k))) != len(a.Src[k]) {
					fits = false
				}
			}
			if fits {
				outPic = p
				break
			}
		}
	}
	// inName is the declared name of input i of stack k, for an item
	// copied to another stack ("( n -- ) ( R: -- n )").
	inName := func(k, i int) (cellName, bool) {
		if decl == nil {
			return cellName{}, false
		}
		din := declCells(otherBuf[:0], decl.In[0], effect.Stack(k))
		if j := i - (a.In[k] - len(din)); j >= 0 && j < len(din) {
			return din[j], true
		}
		return cellName{}, false
	}
	for k := 0; k < 3; k++ {
		st := effect.Stack(k)
		din, dout := dinBuf[:0], doutBuf[:0]
		if decl != nil {
			din = declCells(din, decl.In[0], st)
			dout = declCells(dout, outPic, st)
		}
		n := a.In[k]
		var names []cellName
		if n <= len(namesBuf) {
			names = namesBuf[:n]
		} else {
			names = make([]cellName, n)
		}
		for i := 0; i < n; i++ {
			if j := i - (n - len(din)); j >= 0 && j < len(din) {
				names[i] = din[j]
			} else {
				names[i] = next(k)
			}
		}
		if n == 1 && decl == nil && names[0].key < 0 {
			names[0].name = genericBase[k]
		}
		in = appendCells(in, names, st)
		onames := onamesBuf[:0]
		for i, src := range a.Src[k] {
			switch {
			case src.Copy && src.Stack == st && src.In < len(names):
				onames = append(onames, names[src.In])
			case src.Copy:
				if n, ok := inName(int(src.Stack), src.In); ok {
					onames = append(onames, cellName{name: n.name, key: -1000 - i})
					break
				}
				onames = append(onames, cellName{name: genericBase[src.Stack], key: -1000 - i})
			case src.ID != 0 && seenID(find, src.ID):
				n, _ := find(src.ID)
				onames = append(onames, n)
			case len(dout) == len(a.Src[k]):
				onames = append(onames, cellName{dout[i].name, dout[i].key + 10000, dout[i].cell})
			default:
				onames = append(onames, next(k))
			}
			if src.ID != 0 && !src.Copy {
				remember(src.ID, onames[len(onames)-1])
			}
		}
		out = appendCells(out, onames, st)
	}
	return effect.Effect{In: []effect.Picture{in}, Out: []effect.Picture{out}}
}

func seenID(find func(int32) (cellName, bool), id int32) bool {
	_, ok := find(id)
	return ok
}

// declares reports whether decl names an item n.
func declares(decl *effect.Effect, n string) bool {
	if decl == nil {
		return false
	}
	for _, side := range [2][]effect.Picture{decl.In, decl.Out} {
		for _, p := range side {
			for _, it := range p {
				if it.Name == n {
					return true
				}
			}
		}
	}
	return false
}

func appendCells(p effect.Picture, names []cellName, st effect.Stack) effect.Picture {
	for i := 0; i < len(names); i++ {
		it := effect.Item{Name: names[i].name, Stack: st, Cells: 1}
		if i+1 < len(names) && names[i].key > 0 && names[i+1].key == names[i].key && names[i].cell == 0 && names[i+1].cell == 1 {
			it.Cells = 2
			i++
		}
		p = append(p, it)
	}
	return p
}

// namedEffect prints every alternative.
func namedEffect(alts []Alt, decl *effect.Effect) *effect.Effect {
	var r effect.Effect
	for i := range alts {
		e := nameAlt(&alts[i], decl)
		if i == 0 {
			r = e
			continue
		}
		r.Out = append(r.Out, e.Out[0])
		if len(e.In[0]) > len(r.In[0]) {
			r.In[0] = e.In[0]
		}
	}
	return &r
}

// sigOfAlts makes a Sig from inferred alternatives.
func sigOfAlts(alts []Alt) *Sig {
	return &Sig{Known: true, Alts: alts}
}

// wild splits a picture's count on one stack into cells and wildcard names.
func wild(p effect.Picture, k effect.Stack) (n int, names []string) {
	for _, it := range p {
		if it.Stack != k {
			continue
		}
		if it.Kind == effect.Wildcard {
			names = append(names, strings.ToLower(it.Name))
			continue
		}
		n += it.Cells
	}
	return
}

// matches reports whether alternative a fits some declared alternative.
// checkable is false when the declaration cannot be compared.
func matches(decl *effect.Effect, a *Alt) (ok, checkable bool) {
	checkable = false
	unsure := false // some alternative of the declaration cannot be compared
	for _, ip := range decl.In {
		for _, op := range decl.Out {
			fits, can := true, true
			for k := effect.Data; k <= effect.Float; k++ {
				if k == effect.Return && !decl.Has(effect.Return) {
					continue
				}
				din, wi := wild(ip, k)
				dout, wo := wild(op, k)
				if len(wi)+len(wo) > 0 {
					if !slices.Equal(wi, wo) {
						can = false
						break
					}
					if a.Out[k]-a.In[k] != dout-din {
						fits = false
					}
					continue
				}
				if a.In[k] > din || a.Out[k]-a.In[k] != dout-din {
					fits = false
				}
			}
			if !can {
				unsure = true
				continue
			}
			checkable = true
			if fits {
				return true, true
			}
		}
	}
	// Fitting none of the alternatives that can be compared, it may
	// still fit one that cannot ("( x -- 0 | i*x true )").
	return false, checkable && !unsure
}

func hasFloats(alts []Alt) bool {
	for _, a := range alts {
		if a.In[2] != 0 || a.Out[2] != 0 {
			return true
		}
	}
	return false
}

var genericNames [3][16]string

func init() {
	for k := range genericNames {
		for i := range genericNames[k] {
			genericNames[k][i] = genericBase[k] + strconv.Itoa(i)
		}
	}
}

// genericName names the i-th anonymous item on stack k ("x3", "r2").
func genericName(k, i int) string {
	if i < len(genericNames[k]) {
		return genericNames[k][i]
	}
	return genericBase[k] + strconv.Itoa(i)
}
