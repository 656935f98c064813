// Package source maps byte offsets in a source text to line/column
// positions and back, the way the Language Server Protocol counts them.
//
// It plays the role of go/token for the analyser: every other package works
// with plain byte offsets (cheap to store and compare) and only converts to
// lines and columns at the edge, when talking to an editor.
//
// Lines end at "\n", "\r\n" or a lone "\r", which is both what LSP specifies
// and what gforth 0.7.3 does when it reads a file line by line. Lines,
// byte columns and UTF-16 columns are 0-based.
package source

import (
	"bytes"
	"sync"
	"unicode/utf8"
)

// File is one source text with its line index. Offsets are byte offsets
// into Src.
//
// A File is immutable after NewFile and safe for concurrent use. Src must
// not be modified while the File is in use, since the index describes it.
type File struct {
	Name string
	Src  []byte

	// lines[i] is the offset of the first byte of line i; lines[0] == 0.
	// Only starts are stored: the end of line i is recovered from
	// lines[i+1] by looking at the terminator just before it, which halves
	// the index compared with storing both ends.
	lines []int

	// marks holds, for long lines only, UTF-16 columns at points along
	// the line, made the first time a column of the line is asked for:
	// one long line (a minified or generated file) would otherwise cost
	// a scan of the line for every position on it.
	marksMu sync.Mutex
	marks   map[int][]mark
}

// mark is a character boundary of a long line and its UTF-16 column.
type mark struct{ off, units int }

// markEvery is the distance between marks, and the shortest line that
// gets them.
const markEvery = 512

// lineMarks returns the marks of a line longer than markEvery.
func (f *File) lineMarks(start, end int) []mark {
	f.marksMu.Lock()
	defer f.marksMu.Unlock()
	if ms, ok := f.marks[start]; ok {
		return ms
	}
	ms := make([]mark, 0, (end-start)/markEvery+1)
	ms = append(ms, mark{start, 0})
	src := f.Src[:end]
	n, next := 0, start+markEvery
	for i := start; i < end; {
		if i >= next {
			ms = append(ms, mark{i, n})
			next = i + markEvery
		}
		if c := src[i]; c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		i += size
		n += units(r)
	}
	if f.marks == nil {
		f.marks = map[int][]mark{}
	}
	f.marks[start] = ms
	return ms
}

// NewFile indexes src. It makes exactly one allocation for the index (plus
// the File itself).
//
// To allocate the index once at its final size the lines must be counted
// before they are recorded; the count is done with bytes.Count, which is
// vectorised and runs at memory speed, so the extra read costs far less
// than growing the slice by appending would.
func NewFile(name string, src []byte) *File {
	nl := bytes.Count(src, nlByte)
	cr := 0
	if bytes.IndexByte(src, '\r') >= 0 {
		cr = bytes.Count(src, crByte)
	}
	// Each terminator starts a new line. With "\r\n" pairs present this
	// over-counts by one per pair; the slack is left unused rather than
	// paying for a third pass to count pairs.
	lines := make([]int, 1, 1+nl+cr)
	if cr == 0 {
		// Common case (Unix text): jump from '\n' to '\n' with the
		// vectorised IndexByte.
		for off := 0; ; {
			i := bytes.IndexByte(src[off:], '\n')
			if i < 0 {
				break
			}
			off += i + 1
			lines = append(lines, off)
		}
	} else {
		lines = appendLineStarts(lines, src, 0, len(src))
	}
	return &File{Name: name, Src: src, lines: lines}
}

var (
	nlByte = []byte{'\n'}
	crByte = []byte{'\r'}
)

// Position is a resolved location. Line, Col and UTF16 are 0-based (LSP
// style); Col is a byte column, UTF16 the column in UTF-16 code units.
type Position struct {
	Offset, Line, Col, UTF16 int
}

// LineCount returns the number of lines. It is at least 1: an empty text
// has one empty line, and a text ending in a terminator has an empty last
// line after it (as editors show it).
func (f *File) LineCount() int { return len(f.lines) }

// LineStart returns the offset of the first byte of line. Lines before the
// first clamp to 0 and lines past the last to len(Src), so that a range
// computed from an out-of-date editor position stays inside the text.
func (f *File) LineStart(line int) int {
	if line < 0 {
		return 0
	}
	if line >= len(f.lines) {
		return len(f.Src)
	}
	return f.lines[line]
}

// LineEnd returns the offset of line's terminator, or len(Src) for the last
// line. The terminator itself is not part of the line. Out-of-range lines
// clamp like LineStart.
func (f *File) LineEnd(line int) int {
	if line < 0 {
		line = 0
	}
	if line+1 >= len(f.lines) {
		return len(f.Src)
	}
	next := f.lines[line+1]
	// The terminator is "\n", "\r" or "\r\n" and ends at next.
	if next >= 2 && f.Src[next-1] == '\n' && f.Src[next-2] == '\r' {
		return next - 2
	}
	return next - 1
}

// line returns the index of the line containing off, which must be in
// [0, len(Src)]. An offset inside a terminator belongs to the line the
// terminator ends.
func (f *File) line(off int) int {
	// Largest i with lines[i] <= off. Hand-written rather than
	// sort.Search so that nothing is called through a closure.
	lo, hi := 0, len(f.lines)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if f.lines[m] <= off {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// Position resolves off, clamped into [0, len(Src)]. It does a binary
// search for the line and then scans that line up to off to count UTF-16
// units.
//
// If off falls inside a multi-byte UTF-8 sequence, UTF16 is the column of
// the character containing it (the character is not counted), so the
// result always names a real character boundary.
func (f *File) Position(off int) Position {
	if off < 0 {
		off = 0
	} else if off > len(f.Src) {
		off = len(f.Src)
	}
	line := f.line(off)
	start := f.lines[line]
	return Position{
		Offset: off,
		Line:   line,
		Col:    off - start,
		UTF16:  f.utf16(start, f.LineEnd(line), off),
	}
}

// utf16 counts the UTF-16 units of the characters that lie wholly inside
// Src[start:off]. Characters are decoded against the whole line (up to end)
// so that a sequence cut by off is seen as one character, not as invalid
// bytes.
func (f *File) utf16(start, end, off int) int {
	if off > end {
		// Inside the terminator: the column is the end of the line.
		off = end
	}
	n := 0
	if end-start > markEvery {
		start, n = f.markBefore(start, end, off)
	}
	n, _ = f.scan(start, n, end, off)
	return n
}

// markBefore returns the last mark of the long line [start, end) at or
// before off, and its column.
func (f *File) markBefore(start, end, off int) (int, int) {
	ms := f.lineMarks(start, end)
	k := sortSearch(len(ms), func(i int) bool { return ms[i].off > off }) - 1
	return ms[k].off, ms[k].units
}

// scan counts, from the character boundary from at column n, the UTF-16
// units of the characters wholly before off, decoding against the line
// (which ends at end). It returns the column and the boundary it reached
// (off, or the start of the character off falls in).
func (f *File) scan(from, n, end, off int) (int, int) {
	src := f.Src[:end]
	i := from
	for i < off {
		if c := src[i]; c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if i+size > off {
			break
		}
		i += size
		n += units(r)
	}
	return n, i
}

// Line returns the line of off, clamped into [0, len(Src)], without
// counting its column.
func (f *File) Line(off int) int {
	return f.line(min(max(off, 0), len(f.Src)))
}

// A Cursor resolves offsets as Position does, each from the one before
// when it is further on the same line: a caller that goes through a
// file in order (the tokens of a long line) pays for each line once
// rather than a scan from the nearest mark for every offset.
type Cursor struct {
	f                *File
	valid            bool
	line, start, end int // the line of the last offset, and its bounds
	at, units        int // a character boundary of it and its column
}

// Cursor returns a cursor at the start of the file.
func (f *File) Cursor() *Cursor { return &Cursor{f: f} }

// Position is f.Position(off).
func (c *Cursor) Position(off int) Position {
	f := c.f
	off = min(max(off, 0), len(f.Src))
	if !c.valid || off < c.at || off > c.end || off-c.at > markEvery {
		line := f.line(off)
		c.line, c.start, c.end = line, f.lines[line], f.LineEnd(line)
		c.at, c.units = c.start, 0
		if c.end-c.start > markEvery {
			c.at, c.units = f.markBefore(c.start, c.end, min(off, c.end))
		}
		c.valid = true
	}
	if off > c.end {
		// Inside the terminator: the column is the end of the line.
		n, _ := f.scan(c.at, c.units, c.end, c.end)
		return Position{Offset: off, Line: c.line, Col: off - c.start, UTF16: n}
	}
	c.units, c.at = f.scan(c.at, c.units, c.end, off)
	return Position{Offset: off, Line: c.line, Col: off - c.start, UTF16: c.units}
}

// units returns how many UTF-16 code units r takes. utf8.DecodeRune yields
// RuneError for every invalid byte, which is one unit, as LSP clients that
// decode with replacement see it.
func units(r rune) int {
	if r > 0xFFFF {
		return 2
	}
	return 1
}

// Offset is the inverse of Position: it returns the offset of column col
// of line. col is in UTF-16 units when utf16 is true, else in bytes.
//
// Out-of-range input clamps rather than fails, because editors send
// positions computed against text that may have changed since: a negative
// line or column clamps to the start, a column past the end of the line to
// the line end (before its terminator), and a line past the last to
// len(Src). A UTF-16 column that falls between the two units of a
// surrogate pair resolves to the start of that character.
func (f *File) Offset(line, col int, utf16 bool) int {
	if line < 0 {
		line, col = 0, 0
	}
	if line >= len(f.lines) {
		return len(f.Src)
	}
	if col < 0 {
		col = 0
	}
	start, end := f.lines[line], f.LineEnd(line)
	if !utf16 {
		if col > end-start {
			return end
		}
		return start + col
	}
	src := f.Src[:end]
	i, n := start, 0
	if end-start > markEvery {
		ms := f.lineMarks(start, end)
		k := sortSearch(len(ms), func(i int) bool { return ms[i].units > col }) - 1
		i, n = ms[k].off, ms[k].units
	}
	for i < end {
		if c := src[i]; c < utf8.RuneSelf {
			if n >= col {
				break
			}
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		n += units(r)
		if n > col {
			break
		}
		i += size
	}
	return i
}

// Edit returns the File for src, a new version of f's text in which
// f.Src[start:oldEnd] was replaced by src[start:newEnd]. It reuses f's line
// index around the change instead of reading the whole text again, which
// matters on the per-keystroke path.
func (f *File) Edit(src []byte, start, oldEnd, newEnd int) *File {
	if start < 0 || oldEnd < start || newEnd < start || oldEnd > len(f.Src) || newEnd > len(src) {
		return NewFile(f.Name, src)
	}
	delta := newEnd - oldEnd
	// Keep the starts of lines that begin before the change: they depend
	// only on bytes before it. Rescan from the start of the line that holds
	// the change to one byte past its end (a "\r\n" may straddle it).
	k := sortSearch(len(f.lines), func(i int) bool { return f.lines[i] >= start }) // first start >= start
	if k > 0 {
		k--
	}
	lines := make([]int, k+1, len(f.lines)+(newEnd-start)+1)
	copy(lines, f.lines[:k+1])
	from := lines[k]
	stop := min(newEnd+1, len(src))
	lines = appendLineStarts(lines, src, from, stop)
	// Old line starts after the change move by delta; those that would
	// not come after the rescanned ones were rescanned already.
	last := lines[len(lines)-1]
	rest := f.lines[k+1:]
	j := sortSearch(len(rest), func(i int) bool { return rest[i] > oldEnd && rest[i]+delta > last })
	n := len(lines)
	lines = append(lines, rest[j:]...)
	for i := n; i < len(lines); i++ {
		lines[i] += delta
	}
	return &File{Name: f.Name, Src: src, lines: lines}
}

func sortSearch(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !f(m) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// appendLineStarts appends the start of every line that begins after a
// terminator found in src[from:to] ("\n", "\r\n" or a lone "\r").
func appendLineStarts(lines []int, src []byte, from, to int) []int {
	for i := from; i < to; i++ {
		switch src[i] {
		case '\n':
			lines = append(lines, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			lines = append(lines, i+1)
		}
	}
	return lines
}
