package query

// The stacks around a word inside a definition: see analysis/stackview,
// which the language server's hover uses too.

import (
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/stackview"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// stacksAfterEach traces d once and returns, for each op of its body, the
// stacks after it (one picture per path, named after the stack comment)
// and the most data cells taken from below the entry by then on any path.
func stacksAfterEach(c *infer.Checker, d *syntax.Def) (after [][]string, taken []int) {
	var decl stackview.Pic
	if d.Comment != nil && d.Comment.Err == nil && len(d.Comment.Effect.In) > 0 {
		decl = stackview.Split(d.Comment.Effect.In[0])
	}
	after = make([][]string, len(d.Body))
	taken = make([]int, len(d.Body))
	c.TraceOps(d, 0, len(d.Body)-1, func(i int, _ *syntax.Op, pics []effect.Effect) {
		for _, p := range pics {
			in, out := stackview.Sides(p)
			var st stackview.Pic
			for k := range st {
				st[k] = stackview.Concat(stackview.Bottom(decl[k], stackview.Cells(decl[k])-stackview.Cells(in[k])), out[k])
			}
			after[i] = stackview.AppendNew(after[i], st.String())
			taken[i] = max(taken[i], stackview.Cells(in[effect.Data]))
		}
	})
	return after, taken
}
