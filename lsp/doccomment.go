package lsp

import (
	"sort"
	"strings"

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
		return ownLines(src, f.Abs(d.Epoch, d.DocStart), f.Abs(d.Epoch, d.DocEnd))
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
	return ownLines(src, start, end)
}

// ownLines drops the start of a documentation block that is a comment at
// the end of a line of code ("defer act ( n -- n )", "variable n \ count")
// rather than a comment line of its own: it documents that code, not the
// definition below.
func ownLines(src []byte, start, end int) (int, int) {
	if start < 0 || end > len(src) || start >= end {
		return 0, 0
	}
	ls := start
	for ls > 0 && src[ls-1] != '\n' && src[ls-1] != '\r' {
		ls--
	}
	for _, c := range src[ls:start] {
		if !scan.IsBlank(c) {
			i := start
			for i < end && src[i] != '\n' && src[i] != '\r' {
				i++
			}
			for i < end && (src[i] == '\n' || src[i] == '\r' || scan.IsBlank(src[i])) {
				i++
			}
			if i >= end {
				return 0, 0
			}
			return i, end
		}
	}
	return start, end
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

// cleanDoc turns a comment block into its text: the comment markers
// ("\", "\G", "( ... )") and the indentation after them removed, one line
// per source line, blank lines at either end dropped.
func cleanDoc(text string) string {
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"), "\n")
	inParen := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case inParen:
			if j := strings.LastIndexByte(t, ')'); j >= 0 && j == len(t)-1 {
				t = t[:j]
				inParen = false
			}
		case strings.HasPrefix(t, `\G`):
			t = t[2:]
		case strings.HasPrefix(t, `\`):
			t = t[1:]
		case strings.HasPrefix(t, "("):
			t = t[1:]
			if strings.HasSuffix(t, ")") {
				t = t[:len(t)-1]
			} else {
				inParen = true
			}
		}
		lines[i] = strings.TrimSpace(t)
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}
