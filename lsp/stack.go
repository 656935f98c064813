package lsp

import (
	"strconv"
	"strings"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// stackPic is the content of the stacks at one point of one path through
// a definition, bottom first, per stack (data, return, float).
type stackPic [3][]effect.Item

// String prints the data stack as "( a b )", then any return and float
// items as "( R: x )" and "( F: r )".
func (p stackPic) String() string {
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

// stackAround returns the stacks before and after op i of d's body, one
// picture per path (duplicates removed), named after d's stack comment.
//
// Checker.Trace gives, after each op, the effect of the body so far:
// "( inputs taken so far -- items now above them )". The stack itself is
// that right side on top of the declared inputs not taken yet. Before op
// i it is the stack after op i-1, plus, below, the inputs op i is the
// first to take (their names come from op i's picture). reachable is
// false when no path reaches op i.
func stackAround(c *infer.Checker, d *syntax.Def, i int) (before, after []string, reachable bool) {
	var prev, cur []effect.Effect
	c.TraceOps(d, i-1, i, func(j int, _ *syntax.Op, pics []effect.Effect) {
		switch j {
		case i - 1:
			prev = pics
		case i:
			cur = pics
		}
	})
	var decl stackPic
	if d.Comment != nil && d.Comment.Err == nil && len(d.Comment.Effect.In) > 0 {
		decl = split(d.Comment.Effect.In[0])
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
		return bottomCells(decl[k], cells(decl[k])-taken)
	}
	for _, p := range cur {
		in, out := sides(p)
		var st stackPic
		for k := range st {
			st[k] = concat(untouched(k, cells(in[k])), out[k])
		}
		after = appendNew(after, st.String())
	}
	switch {
	case i == 0:
		// Before the first word: the declared inputs, and those the
		// word takes beyond them.
		var st stackPic
		for k := range st {
			st[k] = decl[k]
		}
		if len(cur) > 0 {
			in, _ := sides(cur[0])
			for k := range st {
				st[k] = concat(untouched(k, cells(in[k])), in[k])
			}
		}
		st[effect.Data] = concat(st[effect.Data], entry)
		before = appendNew(before, st.String())
	case len(prev) == 0:
		return nil, nil, false
	case len(cur) > 0 && (len(prev) == len(cur) || len(prev) == 1):
		for j, p := range cur {
			q := prev[0]
			if len(prev) == len(cur) {
				q = prev[j]
			}
			inP, _ := sides(p)
			inQ, outQ := sides(q)
			var st stackPic
			for k := range st {
				fresh := cells(inP[k]) - cells(inQ[k])
				st[k] = concat(untouched(k, cells(inP[k])), bottomCells(inP[k], max(fresh, 0)), outQ[k])
			}
			before = appendNew(before, st.String())
		}
	default:
		for _, q := range prev {
			inQ, outQ := sides(q)
			var st stackPic
			for k := range st {
				st[k] = concat(untouched(k, cells(inQ[k])), outQ[k])
			}
			before = appendNew(before, st.String())
		}
	}
	return before, after, true
}

// sides splits a traced picture into its inputs and outputs per stack.
func sides(e effect.Effect) (in, out stackPic) {
	if len(e.In) > 0 {
		in = split(e.In[0])
	}
	if len(e.Out) > 0 {
		out = split(e.Out[0])
	}
	return in, out
}

// split sorts a picture's cell items by stack.
func split(p effect.Picture) stackPic {
	var s stackPic
	for _, it := range p {
		if it.Kind == effect.Cell && int(it.Stack) < len(s) {
			s[it.Stack] = append(s[it.Stack], it)
		}
	}
	return s
}

func cells(items []effect.Item) int {
	n := 0
	for _, it := range items {
		n += it.Cells
	}
	return n
}

// bottomCells returns the items from the bottom that fit in n cells.
func bottomCells(items []effect.Item, n int) []effect.Item {
	used := 0
	for i, it := range items {
		if used+it.Cells > n {
			return items[:i]
		}
		used += it.Cells
	}
	return items
}

func concat(parts ...[]effect.Item) []effect.Item {
	var r []effect.Item
	for _, p := range parts {
		r = append(r, p...)
	}
	return r
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// sigString prints the effect callers see of a word without a stack
// comment of its own (a word made by a defining word, say), with generic
// names: inputs x1 x2 ... (r1 ... on the float stack, rx1 ... on the
// return stack), outputs that copy an input by its name, literals by
// value, anything else by a fresh name.
func sigString(s *infer.Sig) string {
	if len(s.Alts) == 0 {
		return ""
	}
	base := [3]string{"x", "rx", "r"}
	var most [3]int
	for _, a := range s.Alts {
		for k := range most {
			most[k] = max(most[k], a.In[k])
		}
	}
	var names [3][]string
	next := most
	name := func(k, i, n int) string {
		if n == 1 {
			return base[k]
		}
		return base[k] + strconv.Itoa(i+1)
	}
	var in effect.Picture
	for k := range names {
		for i := 0; i < most[k]; i++ {
			names[k] = append(names[k], name(k, i, most[k]))
			in = append(in, effect.Item{Name: names[k][i], Stack: effect.Stack(k), Cells: 1})
		}
	}
	e := effect.Effect{In: []effect.Picture{in}}
	for _, a := range s.Alts {
		fresh := 0
		for k := range a.Src {
			for _, src := range a.Src[k] {
				if !src.Copy && !src.Lit {
					fresh++
				}
			}
		}
		var out effect.Picture
		for k := range a.Src {
			for _, src := range a.Src[k] {
				var n string
				switch j := most[src.Stack] - a.In[src.Stack] + src.In; {
				case src.Copy && int(src.Stack) < len(names) && j >= 0 && j < len(names[src.Stack]):
					n = names[src.Stack][j]
				case src.Lit:
					n = strconv.FormatInt(src.Val, 10)
				case fresh == 1 && most == [3]int{}:
					n = base[k]
				default:
					n = name(k, next[k], 2)
					next[k]++
				}
				out = append(out, effect.Item{Name: n, Stack: effect.Stack(k), Cells: 1})
			}
		}
		e.Out = append(e.Out, out)
	}
	return e.String()
}
