// Package stackview prints the stacks at a point of a definition, named
// after its stack comment ("( a b )", "( F: r )"): what hover, inlay hints
// and the stack-at query show. It is shared by the language server and the
// query layer under every other front end.
package stackview

import (
	"strings"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Pic is the content of the stacks at one point of one path through
// a definition, bottom first, per stack (data, return, float).
type Pic [3][]effect.Item

// String prints the data stack as "( a b )", then any return and float
// items as "( R: x )" and "( F: r )".
func (p Pic) String() string {
	var b strings.Builder
	write := func(k effect.Stack) {
		b.WriteString("(")
		if k != effect.Data {
			b.WriteString(" " + k.String())
		}
		for _, it := range p[k] {
			b.WriteString(" " + it.Name)
		}
		b.WriteString(" )")
	}
	write(effect.Data)
	for _, k := range []effect.Stack{effect.Return, effect.Float} {
		if len(p[k]) > 0 {
			b.WriteString(" ")
			write(k)
		}
	}
	return b.String()
}

// Around returns the stacks before and after op i of d's body, one
// picture per path (duplicates removed), named after d's stack comment.
//
// Checker.Trace gives, after each op, the effect of the body so far:
// "( inputs taken so far -- items now above them )". The stack itself is
// that right side on top of the declared inputs not taken yet. Before op
// i it is the stack after op i-1, plus, below, the inputs op i is the
// first to take (their names come from op i's picture). reachable is
// false when no path reaches op i.
func Around(c *infer.Checker, d *syntax.Def, i int) (before, after []string, reachable bool) {
	var prev, cur []effect.Effect
	c.TraceOps(d, i-1, i, func(j int, _ *syntax.Op, pics []effect.Effect) {
		switch j {
		case i - 1:
			prev = pics
		case i:
			cur = pics
		}
	})
	var decl Pic
	if d.Comment != nil && d.Comment.Err == nil && len(d.Comment.Effect.In) > 0 {
		decl = Split(d.Comment.Effect.In[0])
	}
	// A does> part starts with the child's data address pushed on top of
	// what the caller passed; its comment names it last.
	var entry []effect.Item
	if d.DoesOf != nil {
		addr := effect.Item{Name: "addr", Stack: effect.Data, Cells: 1}
		if n := len(decl[effect.Data]); n > 0 {
			addr = decl[effect.Data][n-1]
			decl[effect.Data] = decl[effect.Data][:n-1]
		}
		entry = []effect.Item{addr}
	}
	// untouched returns the declared inputs still below after taken
	// cells have been taken from the top of them.
	untouched := func(k int, taken int) []effect.Item {
		return Bottom(decl[k], Cells(decl[k])-taken)
	}
	for _, p := range cur {
		in, out := Sides(p)
		var st Pic
		for k := range st {
			st[k] = Concat(untouched(k, Cells(in[k])), out[k])
		}
		after = AppendNew(after, st.String())
	}
	switch {
	case i == 0:
		// Before the first word: the declared inputs, and those the
		// word takes beyond them.
		var st Pic
		for k := range st {
			st[k] = decl[k]
		}
		if len(cur) > 0 {
			in, _ := Sides(cur[0])
			for k := range st {
				st[k] = Concat(untouched(k, Cells(in[k])), in[k])
			}
		}
		st[effect.Data] = Concat(st[effect.Data], entry)
		before = AppendNew(before, st.String())
	case len(prev) == 0:
		return nil, nil, false
	case len(cur) > 0 && (len(prev) == len(cur) || len(prev) == 1):
		for j, p := range cur {
			q := prev[0]
			if len(prev) == len(cur) {
				q = prev[j]
			}
			inP, _ := Sides(p)
			inQ, outQ := Sides(q)
			var st Pic
			for k := range st {
				fresh := Cells(inP[k]) - Cells(inQ[k])
				st[k] = Concat(untouched(k, Cells(inP[k])), Bottom(inP[k], max(fresh, 0)), outQ[k])
			}
			before = AppendNew(before, st.String())
		}
	default:
		for _, q := range prev {
			inQ, outQ := Sides(q)
			var st Pic
			for k := range st {
				st[k] = Concat(untouched(k, Cells(inQ[k])), outQ[k])
			}
			before = AppendNew(before, st.String())
		}
	}
	return before, after, true
}

// Sides splits a traced picture into its inputs and outputs per stack.
func Sides(e effect.Effect) (in, out Pic) {
	if len(e.In) > 0 {
		in = Split(e.In[0])
	}
	if len(e.Out) > 0 {
		out = Split(e.Out[0])
	}
	return in, out
}

// Split sorts a picture's cell items by stack.
func Split(p effect.Picture) Pic {
	var s Pic
	for _, it := range p {
		if it.Kind == effect.Cell && int(it.Stack) < len(s) {
			s[it.Stack] = append(s[it.Stack], it)
		}
	}
	return s
}

// Cells counts the cells of items.
func Cells(items []effect.Item) int {
	n := 0
	for _, it := range items {
		n += it.Cells
	}
	return n
}

// Bottom returns the items from the bottom that fit in n cells.
func Bottom(items []effect.Item, n int) []effect.Item {
	used := 0
	for i, it := range items {
		if used+it.Cells > n {
			return items[:i]
		}
		used += it.Cells
	}
	return items
}

// Concat joins item lists into a new one.
func Concat(parts ...[]effect.Item) []effect.Item {
	var r []effect.Item
	for _, p := range parts {
		r = append(r, p...)
	}
	return r
}

// AppendNew appends s to list unless list has it already.
func AppendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
