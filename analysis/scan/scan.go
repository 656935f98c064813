// Package scan reads Forth source text the way the Forth text interpreter
// does.
//
// Forth has no fixed grammar: the interpreter reads one blank-delimited
// word, and if that word parses (":", "(", "s\"", "\\", ...) the word itself
// takes the text that follows straight from the input. A Scanner therefore
// offers the interpreter's primitives, Word (PARSE-NAME) and Until/Line
// (PARSE), and leaves the decision of which to call to its user, which
// knows what each word parses.
//
// All results are byte ranges into the source: the Scanner never allocates
// and never copies.
//
// The behaviour follows gforth 0.7.3 reading a file, which was checked by
// running it (see the tests):
//   - Words are delimited by the bytes C's isspace accepts: space, \t, \n,
//     \v, \f and \r. Other control characters (NUL, \x01, ..., \x1f, DEL)
//     are ordinary word characters in gforth 0.7.3.
//   - Input is read line by line and a line ends at "\n", "\r\n" or a lone
//     "\r". A parsing word only sees the rest of its own line, except "("
//     which gforth lets span lines in files (Until with multiline).
package scan

import "bytes"

// Scanner reads one source. It never allocates per word. The zero value is
// an empty source; use Init to start reading one.
type Scanner struct {
	src []byte
	off int
	hw  int // one past the last byte examined (len(src)+1: the end was seen)
}

// Init makes s read src from its start.
func (s *Scanner) Init(src []byte) {
	s.src = src
	s.off = 0
	s.hw = 0
}

// HW returns one past the last byte the scanner has examined (its high-water
// mark), len(src)+1 once it has seen the end of the source: what was read so
// far depends on no byte at or after HW. A reader that resumes at an offset
// after an edit relies on this.
func (s *Scanner) HW() int { return s.hw }

// Touch records that the byte before off was examined by the scanner's
// user (see HW).
func (s *Scanner) Touch(off int) {
	if off > s.hw {
		s.hw = off
	}
}

// saw records that every byte up to i was examined: the byte at i too, or
// the end of the source when i is its length.
func (s *Scanner) saw(i int) {
	if i+1 > s.hw {
		s.hw = i + 1
	}
}

// Offset returns the current read position, the offset of the first byte
// not yet consumed (Forth's >IN, counted from the start of the source).
func (s *Scanner) Offset() int { return s.off }

// SetOffset moves the read position to off, clamped into [0, len(src)].
// It lets a caller re-scan or skip text, as Forth code can by storing >IN.
func (s *Scanner) SetOffset(off int) {
	if off < 0 {
		off = 0
	} else if off > len(s.src) {
		off = len(s.src)
	}
	// Text jumped over was consumed without being read: where the jump
	// lands depends on it (the end of a line, the end of the source).
	switch {
	case off == len(s.src):
		s.saw(off)
	case off > s.off:
		s.saw(off - 1)
	}
	s.off = off
}

// IsBlank reports whether b delimits words: space, \t, \n, \v, \f or \r.
//
// These are exactly the bytes gforth 0.7.3's PARSE-NAME skips, the set of
// C's isspace (TestGforthBlanks checks all 256 byte values). Forth 2012
// (3.4.1.1) leaves it to the system whether other control characters
// delimit too; in gforth 0.7.3 they do not, so "1\x012" is one word.
func IsBlank(b byte) bool {
	return blankMask>>(b&63)&1 != 0 && b <= ' '
}

// blankMask has bit b set for every blank b; all blanks are below 64, so
// IsBlank is one shift and two compares with no table load.
const blankMask = 1<<' ' | 1<<'\t' | 1<<'\n' | 1<<'\v' | 1<<'\f' | 1<<'\r'

// isEOL reports whether b starts a line terminator.
func isEOL(b byte) bool { return b == '\n' || b == '\r' }

// Word skips blanks and returns the byte range of the next word; ok is
// false at end of input, with start == end == len(src).
//
// Like Forth's PARSE-NAME it then consumes the single blank that ends the
// word, if any, so that text parsed next (say by s") starts one byte after
// the word. A line terminator is not consumed: in Forth the parse area is
// one line, so a parsing word at the end of a line sees empty text rather
// than the next line ("s\"" at the end of a line parses "", it does not run
// on into the line below).
func (s *Scanner) Word() (start, end int, ok bool) {
	src, i := s.src, s.off
	for i < len(src) && IsBlank(src[i]) {
		i++
	}
	start = i
	for i < len(src) && !IsBlank(src[i]) {
		i++
	}
	end = i
	s.saw(i)
	if i < len(src) && !isEOL(src[i]) {
		i++
	}
	s.off = i
	return start, end, start < end
}

// Until reads text from the current position up to (not including) the
// next delim byte and consumes the delimiter; closed reports whether the
// delimiter was found.
//
// When multiline is false it stops at the end of the line, as Forth's PARSE
// only sees the current line of a file: the text then ends at the line
// terminator, which is left unconsumed (the next Word skips it). When
// multiline is true the search runs to the end of the source, as gforth's
// "(" does in files. If the delimiter is missing the text runs to the end
// of the line or source respectively.
func (s *Scanner) Until(delim byte, multiline bool) (start, end int, closed bool) {
	src := s.src
	start = s.off
	if multiline {
		if i := bytes.IndexByte(src[start:], delim); i >= 0 {
			s.off = start + i + 1
			s.saw(start + i)
			return start, start + i, true
		}
		s.off = len(src)
		s.saw(len(src))
		return start, len(src), false
	}
	i := start
	for ; i < len(src); i++ {
		c := src[i]
		if c == delim {
			s.off = i + 1
			s.saw(i)
			return start, i, true
		}
		if isEOL(c) {
			break
		}
	}
	s.off = i
	s.saw(i)
	return start, i, false
}

// UntilEscaped is Until (within one line) for s\" strings: a backslash
// escapes the next character, so \" does not end the text. The returned
// range still contains the escapes; decode it with Unescape.
//
// A backslash at the end of the line escapes nothing (gforth reports
// "unfinished \-escape"); the text is then unclosed and ends there.
func (s *Scanner) UntilEscaped(delim byte) (start, end int, closed bool) {
	src := s.src
	start = s.off
	i := start
	for i < len(src) {
		c := src[i]
		if c == delim {
			s.off = i + 1
			s.saw(i)
			return start, i, true
		}
		if isEOL(c) {
			break
		}
		if c == '\\' {
			if i+1 >= len(src) || isEOL(src[i+1]) {
				i++
				break
			}
			i += 2
			continue
		}
		i++
	}
	s.off = i
	s.saw(i)
	return start, i, false
}

// Line reads from the current position to the end of the line (for \
// comments) and consumes the line terminator ("\n", "\r\n" or "\r"). The
// range excludes the terminator.
func (s *Scanner) Line() (start, end int) {
	src := s.src
	start = s.off
	i := start
	for i < len(src) && !isEOL(src[i]) {
		i++
	}
	end = i
	s.saw(i)
	if i < len(src) {
		if src[i] == '\r' {
			s.saw(i + 1)
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
		}
		i++
	}
	s.off = i
	return start, end
}

// EqualFold reports whether a and b are equal under ASCII case folding,
// which is how gforth 0.7.3 matches word names: "FOO" finds foo, but "É"
// does not find é. Bytes outside A-Z/a-z must match exactly. It does not
// allocate.
func EqualFold(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if lower(x) != lower(y) {
			return false
		}
	}
	return true
}

// Lower appends src with ASCII letters lower-cased to dst and returns the
// extended slice, in the manner of the strconv Append functions, so that a
// caller can reuse one buffer for every lookup key. Non-ASCII bytes are
// copied unchanged.
func Lower(dst []byte, src []byte) []byte {
	for _, c := range src {
		dst = append(dst, lower(c))
	}
	return dst
}

func lower(c byte) byte {
	if c-'A' < 26 {
		return c + 'a' - 'A'
	}
	return c
}
