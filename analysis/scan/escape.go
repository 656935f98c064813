package scan

import (
	"strconv"
	"unicode/utf8"
)

// EscapeError reports an escape sequence of s\" text that Forth 2012 does
// not define.
type EscapeError struct {
	Offset int    // offset of the backslash in the text
	Seq    string // the sequence as written, e.g. `\k`, `\x4` or a lone `\`
}

func (e *EscapeError) Error() string {
	seq := e.Seq
	for i := 0; i < len(seq); i++ {
		if seq[i] < ' ' || seq[i] >= utf8.RuneSelf {
			seq = strconv.QuoteToASCII(seq)
			break
		}
	}
	return "invalid escape " + seq + " at offset " + strconv.Itoa(e.Offset)
}

// Unescape decodes the escapes of s\" (Forth 2012 section 6.2.2266: \a \b
// \e \f \l \m \n \q \r \t \v \z \" \x<hex><hex> \\ ) and returns the bytes.
// \n is a line feed and \m the pair CR LF, as in gforth on Unix.
//
// Escape letters are case-sensitive, as in the standard. Any other escape
// yields an *EscapeError naming the first one. The bytes are still decoded
// in full, each bad escape the way gforth 0.7.3 reads it (which accepts a
// superset of the standard), so that a caller can report the error and
// still know what the string holds:
//   - \x takes up to two hex digits, so \x4 is byte 4 and \x alone byte 0;
//   - \0 to \7 start an octal escape of up to three digits;
//   - a backslash before any other byte yields that byte (\c is "c");
//   - a backslash at the very end is kept as it is.
func Unescape(text []byte) ([]byte, error) {
	return AppendUnescaped(make([]byte, 0, len(text)), text)
}

// AppendUnescaped is Unescape appending to dst, so that a caller can decode
// into a reused buffer without allocating.
func AppendUnescaped(dst, text []byte) ([]byte, error) {
	var err error
	bad := func(i, j int) {
		if err == nil {
			err = &EscapeError{Offset: i, Seq: string(text[i:j])}
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		if i+1 == len(text) {
			bad(i, i+1)
			dst = append(dst, '\\')
			break
		}
		e := text[i+1]
		if b, ok := simpleEscape(e); ok {
			if e == 'm' {
				dst = append(dst, '\r')
			}
			dst = append(dst, b)
			i += 2
			continue
		}
		switch {
		case e == 'x':
			v, n := digits(text[i+2:], 16, 2)
			if n != 2 {
				bad(i, i+2+n)
			}
			dst = append(dst, byte(v))
			i += 2 + n
		case '0' <= e && e <= '7':
			v, n := digits(text[i+1:], 8, 3)
			bad(i, i+1+n)
			dst = append(dst, byte(v))
			i += 1 + n
		default:
			_, size := utf8.DecodeRune(text[i+1:])
			bad(i, i+1+size)
			dst = append(dst, e)
			i += 2
		}
	}
	return dst, err
}

// simpleEscape maps the one-letter escapes of Forth 2012 to their byte. For
// \m it returns the second byte (LF); the caller adds the CR.
func simpleEscape(e byte) (byte, bool) {
	switch e {
	case 'a':
		return 7, true
	case 'b':
		return 8, true
	case 'e':
		return 27, true
	case 'f':
		return 12, true
	case 'l', 'm', 'n':
		return '\n', true
	case 'q', '"':
		return '"', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'v':
		return 11, true
	case 'z':
		return 0, true
	case '\\':
		return '\\', true
	}
	return 0, false
}

// digits reads up to max digits of base (8 or 16) from the start of b and
// returns their value and how many it read.
func digits(b []byte, base, max int) (v, n int) {
	for n < max && n < len(b) {
		c := b[n]
		var d int
		switch {
		case '0' <= c && c <= '9':
			d = int(c - '0')
		case 'a' <= c && c <= 'f':
			d = int(c-'a') + 10
		case 'A' <= c && c <= 'F':
			d = int(c-'A') + 10
		default:
			return v, n
		}
		if d >= base {
			return v, n
		}
		v = v*base + d
		n++
	}
	return v, n
}
