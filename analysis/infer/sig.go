// Package infer computes stack effects by abstract interpretation: each
// body is run over symbolic data, return and float stacks, with the items it
// takes from below its entry materialised on demand (a row variable). The
// control-flow stack is simulated as the compiler does, paths are joined at
// THEN, loop bodies are checked to be depth-neutral, and words whose effect
// cannot be known make the result unknown rather than guessed.
package infer

import (
	"strconv"
	"strings"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Src says where an output cell of a Sig comes from.
type Src struct {
	Copy  bool // a copy of input In on stack Stack
	Stack effect.Stack
	In    int // index from the bottom of that stack's inputs
	Lit   bool
	Val   int64
	// ID tells equal fresh values apart from different ones, for naming.
	ID int32
	// Dep marks a value computed from DEPTH ("( -- flag )" of a word
	// that checks how many items there are).
	Dep bool
}

// Alt is one way a word can leave the stacks.
type Alt struct {
	In, Out [3]int   // cells taken and left, per stack (Data, Return, Float)
	Src     [3][]Src // for each output cell, bottom first
	// NonZeroTop marks ?dup's second alternative: its top is non-zero;
	// ZeroTop one whose top is known zero (not as a literal: a copy).
	NonZeroTop bool
	ZeroTop    bool
}

// Sig is the effect of a word as its callers see it.
type Sig struct {
	Known  bool
	Reason string // why the effect is unknown
	Bottom bool   // the word never returns (abort, quit)
	Alts   []Alt
	// XTs lists data inputs (from the bottom) that are execution tokens
	// the word executes, when its effect comes from a stack comment
	// ("( xt -- )" of a deferred word or a combinator): the effect holds
	// only when they leave the stacks as they were.
	XTs []int
	// def is the colon definition behind a Sig with XTs: its body can be
	// run again with the execution tokens a caller gives it.
	def *syntax.Def
	// Trusted is set when the effect rests on a stack comment the
	// analysis could not check against a body (a deferred word's, or
	// that of a word whose body cannot be followed), here or in a word
	// it calls: it is the programmer's word, not something found.
	Trusted bool
}

// trusted returns s marked Trusted (a copy: Sigs are shared).
func (s *Sig) trusted() *Sig {
	if s == nil || !s.Known || s.Trusted {
		return s
	}
	c := *s
	c.Trusted = true
	return &c
}

// Unknown makes an unknown Sig.
func Unknown(reason string) *Sig { return &Sig{Reason: reason} }

// FromEffect turns a declared or builtin effect into a Sig. Output items
// named like an input item are copies of it (so "( x1 x2 -- x2 x1 )"
// swaps); numeric names are literals. Wildcards make it unknown.
func FromEffect(e *effect.Effect) *Sig {
	if e.Complex {
		return Unknown("the effect has several phases")
	}
	if len(e.In) == 0 || len(e.Out) == 0 {
		return Unknown("empty effect")
	}
	in := e.In[0]
	if len(e.In) > 1 {
		return Unknown("alternative inputs")
	}
	for _, it := range in {
		if it.Kind == effect.Wildcard {
			return Unknown("variable effect " + e.String())
		}
	}
	s := &Sig{Known: true}
	type cellKey struct {
		name string
		cell int
	}
	var inCells [3][]cellKey // name per input cell
	for _, it := range in {
		if it.Kind != effect.Cell || it.Stack > effect.Float {
			continue
		}
		for c := 0; c < it.Cells; c++ {
			inCells[it.Stack] = append(inCells[it.Stack], cellKey{strings.ToLower(it.Name), c})
		}
	}
	for _, out := range e.Out {
		var a Alt
		for st := 0; st < 3; st++ {
			a.In[st] = len(inCells[st])
		}
		for _, it := range out {
			if it.Kind == effect.Wildcard {
				return Unknown("variable effect " + e.String())
			}
			if it.Kind != effect.Cell || it.Stack > effect.Float {
				continue
			}
			lname := strings.ToLower(it.Name)
			for c := 0; c < it.Cells; c++ {
				src := Src{}
				key := cellKey{lname, c}
				found := false
				for st := 0; st < 3 && !found; st++ {
					for i, n := range inCells[st] {
						if n == key {
							src = Src{Copy: true, Stack: effect.Stack(st), In: i}
							found = true
							break
						}
					}
				}
				if !found {
					if v, err := strconv.ParseInt(it.Name, 10, 64); looksNumeric(it.Name) && err == nil {
						src = Src{Lit: true, Val: v}
					} else if lname == "true" {
						src = Src{Lit: true, Val: -1}
					} else if lname == "false" {
						src = Src{Lit: true, Val: 0}
					}
				}
				a.Src[it.Stack] = append(a.Src[it.Stack], src)
				a.Out[it.Stack]++
			}
		}
		s.Alts = append(s.Alts, a)
	}
	// "( x -- 0 | x x )": where one alternative leaves a literal zero on
	// top, a copy on top in the others is known to be non-zero.
	if len(s.Alts) > 1 {
		zeroTop := false
		for _, a := range s.Alts {
			if n := len(a.Src[0]); n > 0 && a.Src[0][n-1].Lit && a.Src[0][n-1].Val == 0 {
				zeroTop = true
			}
		}
		if zeroTop {
			for i := range s.Alts {
				a := &s.Alts[i]
				if n := len(a.Src[0]); n > 0 && !a.Src[0][n-1].Lit {
					a.NonZeroTop = true
				}
			}
		}
	}
	return s
}

// Fixed makes a Sig with anonymous (fresh) outputs.
func Fixed(din, dout, rin, rout, fin, fout int) *Sig {
	a := Alt{In: [3]int{din, rin, fin}, Out: [3]int{dout, rout, fout}}
	for st := 0; st < 3; st++ {
		a.Src[st] = make([]Src, a.Out[st])
	}
	return &Sig{Known: true, Alts: []Alt{a}}
}

// looksNumeric avoids strconv's error allocation for ordinary names.
func looksNumeric(s string) bool {
	return s != "" && (s[0] >= '0' && s[0] <= '9' || s[0] == '-' && len(s) > 1)
}

// topZero tells whether an alternative's top data cell is known to be zero
// (1), non-zero (2) or neither (0).
func (a *Alt) topZero() int {
	n := len(a.Src[0])
	if n == 0 {
		return 0
	}
	switch t := a.Src[0][n-1]; {
	case t.Lit && t.Val == 0 || a.ZeroTop:
		return 1
	case t.Lit || a.NonZeroTop:
		return 2
	}
	return 0
}

func (a *Alt) net() [3]int {
	return [3]int{a.Out[0] - a.In[0], a.Out[1] - a.In[1], a.Out[2] - a.In[2]}
}

// Distinct reports whether a caller can tell apart the alternatives that
// leave different depths: each has a top cell known to be zero or
// non-zero, and alternatives of different depths differ there, as in
// "( x -- 0 | x x )" or "( addr -- false | x true )". A word whose
// alternatives nothing tells apart ("( -- c | n1 n2 )") has no effect a
// caller could rely on: whichever it assumes, it is wrong on some run.
func (s *Sig) Distinct() bool {
	for i := range s.Alts {
		for j := i + 1; j < len(s.Alts); j++ {
			a, b := &s.Alts[i], &s.Alts[j]
			if a.net() == b.net() {
				continue
			}
			za, zb := a.topZero(), b.topZero()
			if za == 0 || zb == 0 || za == zb {
				return false
			}
		}
	}
	return true
}

// xtInputs returns the data inputs of e (cells from the bottom) named as
// execution tokens: xt, xt1, xt', xt-name.
func xtInputs(e *effect.Effect) []int {
	if len(e.In) != 1 {
		return nil
	}
	var r []int
	cell := 0
	for _, it := range e.In[0] {
		if it.Stack != effect.Data || it.Kind != effect.Cell {
			continue
		}
		ln := strings.ToLower(it.Name)
		if strings.TrimRight(ln, "0123456789'") == "xt" || strings.HasPrefix(ln, "xt-") || strings.HasPrefix(ln, "xt_") {
			r = append(r, cell)
		}
		cell += it.Cells
	}
	return r
}

// withXTs returns s with the execution-token inputs of e marked (see
// Sig.XTs), or s itself when there are none.
func withXTs(s *Sig, e *effect.Effect) *Sig {
	xs := xtInputs(e)
	if len(xs) == 0 || !s.Known {
		return s
	}
	c := *s
	c.XTs = xs
	return &c
}
