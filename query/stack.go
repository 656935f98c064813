package query

// The stacks around a word inside a definition, named after its stack
// comment. This is the language server's hover computation (lsp/stack.go,
// whose stackAround it equals: TestStackAtMatchesHover in lsp checks
// that); the server can move onto this one.

import (
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

// stacksAfterEach traces d once and returns, for each op of its body, the
// stacks after it (one picture per path, named after the stack comment)
// and the most data cells taken from below the entry by then on any path.
func stacksAfterEach(c *infer.Checker, d *syntax.Def) (after [][]string, taken []int) {
	var decl stackPic
	if d.Comment != nil && d.Comment.Err == nil && len(d.Comment.Effect.In) > 0 {
		decl = split(d.Comment.Effect.In[0])
	}
	after = make([][]string, len(d.Body))
	taken = make([]int, len(d.Body))
	c.TraceOps(d, 0, len(d.Body)-1, func(i int, _ *syntax.Op, pics []effect.Effect) {
		for _, p := range pics {
			in, out := sides(p)
			var st stackPic
			for k := range st {
				st[k] = concat(bottomCells(decl[k], cells(decl[k])-cells(in[k])), out[k])
			}
			after[i] = appendNew(after[i], st.String())
			taken[i] = max(taken[i], cells(in[effect.Data]))
		}
	})
	return after, taken
}
