package lsp

import (
	"sort"

	"github.com/fastforth/fastforth/analysis/scan"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// docRange returns the comment block documenting d, a definition of the
// file f (current text coordinates). The reader records it as
// d.DocStart..d.DocEnd; a definition read again after an edit inside it
// (syntax.Reparse) comes back without it, so then the block is found the
// way the reader finds it: the comments just above the definition, each
// separated from the next by at most one line break.
func docRange(f *syntax.File, d *syntax.Def) (start, end int) {
	src := f.Source.Src
	if d.DocEnd > d.DocStart {
		return syntax.DocLines(src, f.Abs(d.Epoch, d.DocStart), f.Abs(d.Epoch, d.DocEnd))
	}
	at := f.Abs(d.Epoch, d.Start)
	cs := f.Comments // top-level comments, in version 0's coordinates
	j := sort.Search(len(cs), func(i int) bool { return f.TopAbs(cs[i].End) > at }) - 1
	if j < 0 {
		return 0, 0
	}
	end = f.TopAbs(cs[j].End)
	if end > at || !blankLines(src[end:at]) {
		return 0, 0
	}
	start = f.TopAbs(cs[j].Start)
	for k := j - 1; k >= 0; k-- {
		e := f.TopAbs(cs[k].End)
		if e > start || !blankLines(src[e:start]) {
			break
		}
		start = f.TopAbs(cs[k].Start)
	}
	return syntax.DocLines(src, start, end)
}

// blankLines reports whether b is blank with at most one line break: the
// gap allowed between the lines of a documentation block and the word.
func blankLines(b []byte) bool {
	nl := 0
	for _, c := range b {
		switch {
		case c == '\n':
			nl++
			if nl > 1 {
				return false
			}
		case !scan.IsBlank(c):
			return false
		}
	}
	return true
}
