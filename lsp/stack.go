package lsp

import (
	"strconv"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
)

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
