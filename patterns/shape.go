package patterns

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fastforth/fastforth/analysis/effect"
)

// Shape is what a stack effect says of the cells a word takes and leaves:
// fixed inputs (on the data and float stacks) and one or more alternative
// outputs, as in "( n1 n2 -- n3 true | false )". A fixed effect has one
// output.
type Shape struct {
	In, FloatIn int
	// Outs are the alternatives, in the order the effect gives them,
	// without repeats.
	Outs []OutCounts
}

// OutCounts are the cells one alternative leaves.
type OutCounts struct {
	Out, FloatOut int
}

// Shape is the counts as a shape with one alternative.
func (c Counts) Shape() Shape {
	return Shape{In: c.In, FloatIn: c.FloatIn, Outs: []OutCounts{{c.Out, c.FloatOut}}}
}

// Fixed returns the counts of a shape with one alternative.
func (s Shape) Fixed() (Counts, bool) {
	if len(s.Outs) != 1 {
		return Counts{}, false
	}
	return Counts{In: s.In, Out: s.Outs[0].Out, FloatIn: s.FloatIn, FloatOut: s.Outs[0].FloatOut}, true
}

// Equal reports whether two shapes have the same inputs and the same set
// of alternatives.
func (s Shape) Equal(t Shape) bool {
	if s.In != t.In || s.FloatIn != t.FloatIn || len(s.Outs) != len(t.Outs) {
		return false
	}
	for _, o := range s.Outs {
		if !slices.Contains(t.Outs, o) {
			return false
		}
	}
	return true
}

// Allows reports whether c is one of the shape's alternatives.
func (s Shape) Allows(c Counts) bool {
	return c.In == s.In && c.FloatIn == s.FloatIn && slices.Contains(s.Outs, OutCounts{c.Out, c.FloatOut})
}

// Within reports whether every alternative of t is one of s's (with the
// same inputs).
func (s Shape) Within(t Shape) bool {
	if s.In != t.In || s.FloatIn != t.FloatIn {
		return false
	}
	for _, o := range t.Outs {
		if !slices.Contains(s.Outs, o) {
			return false
		}
	}
	return true
}

func (s Shape) String() string {
	if c, ok := s.Fixed(); ok {
		return c.String()
	}
	outs := make([]string, len(s.Outs))
	for i, o := range s.Outs {
		outs[i] = fmt.Sprint(o.Out)
		if o.FloatOut != 0 || s.FloatIn != 0 {
			outs[i] += fmt.Sprintf(" (floats %d)", o.FloatOut)
		}
	}
	in := fmt.Sprintf("%d in", s.In)
	if s.FloatIn != 0 {
		in += fmt.Sprintf(" (floats %d)", s.FloatIn)
	}
	return in + ", " + strings.Join(outs, " or ") + " out"
}

// shapeOf reads the shape of an effect: its inputs must be fixed; its
// outputs may have alternatives, each with fixed counts.
func shapeOf(e *effect.Effect) (Shape, error) {
	if e.Complex {
		return Shape{}, fmt.Errorf("must be one run-time effect (no phases)")
	}
	f := *e
	if !f.Has(effect.Float) {
		f = f.FloatsByName()
	}
	var s Shape
	for i, p := range f.In {
		in, ok1 := p.Count(effect.Data)
		fin, ok2 := p.Count(effect.Float)
		if !ok1 || !ok2 {
			return Shape{}, fmt.Errorf("its item counts are not fixed (no wildcards such as i*x or ...)")
		}
		if i > 0 && (in != s.In || fin != s.FloatIn) {
			return Shape{}, fmt.Errorf("its inputs must be one fixed list (alternatives only after --)")
		}
		s.In, s.FloatIn = in, fin
	}
	for _, p := range f.Out {
		out, ok1 := p.Count(effect.Data)
		fout, ok2 := p.Count(effect.Float)
		if !ok1 || !ok2 {
			return Shape{}, fmt.Errorf("its item counts are not fixed (no wildcards such as i*x or ...)")
		}
		if o := (OutCounts{out, fout}); !slices.Contains(s.Outs, o) {
			s.Outs = append(s.Outs, o)
		}
	}
	if len(s.Outs) == 0 {
		s.Outs = []OutCounts{{}}
	}
	return s, nil
}

// ParseShape reads a stack comment's shape (see Shape).
func ParseShape(text string) (Shape, error) {
	e, err := effect.Parse(text)
	if err != nil {
		return Shape{}, err
	}
	return shapeOf(&e)
}
