// Package number recognises numeric literals exactly as the gforth 0.7.3
// text interpreter does, so that the analyser agrees with the system about
// which words are numbers and what they push.
//
// Every rule here was checked by running gforth 0.7.3 in a UTF-8 locale
// (see the table in table_test.go, which TestGforth re-checks against
// gforth). The interpreter tries a word as an integer first (gforth's
// s>number?) and, only if that fails, as a float (sfnumber and >float).
//
// # Integers
//
// An integer is, in this order: an optional '-'; an optional "0x" or "0X"
// (hex; not recognised when the base is 34 or more, where 'x' is a digit);
// an optional '#' (decimal), '$' (hex), '%' (binary) or '&' (decimal);
// another optional '-'; then digits of the base (letters in either case).
// Two minus signs cancel. '+' is never accepted.
//
// A '.' may follow any run of at least one digit, anywhere and more than
// once; any dot makes the number a double. Its position does not change
// the value (gforth records it in DPL, which the interpreter ignores).
//
// Digits accumulate in an unsigned 128-bit double that wraps silently; a
// single is the low cell of that double.
//
//	-$10  $-10  -0x10  0x-10   -16
//	-$-10  --5  0x#10          16, 5, 10
//	1.  1.5  12.34.  $1.2      doubles 1, 15, 1234, 0x12
//	+5  --0x10  $-$10  $0x10   not numbers
//	.5  1..2  -.  1.-          not numbers
//	18446744073709551617       single 1 (wrapped)
//
// # Characters
//
// After the optional first '-', a quote, one character, and then either
// nothing or a closing quote. The character is UTF-8 decoded as gforth's
// u8@+ does, which accepts overlong forms, surrogates and 5- and 6-byte
// sequences but rejects lead bytes below 0xC2 and bad continuation bytes.
// (gforth decodes UTF-8 only when LC_ALL, LC_CTYPE or LANG contains
// "UTF-8"; otherwise a character is one byte and "'é'" is not a number.
// Source text given to an editor is UTF-8, so that is what is modelled.)
//
//	'a'  'a         97
//	''  '''         39 (the character is a quote)
//	-'a'            -97
//	'€'             8364
//	'ab'  --'a'     not numbers
//
// # Floats
//
// Floats are tried in any base: gforth 0.7.3 does not restrict them to
// base 10, so in base 16 "1e" is an integer but "1e-3" is still the float
// 0.001. The text must contain 'e' or 'E' and consist of an optional sign
// ('+' or '-'), decimal digits with at most one '.' and at least one digit,
// 'e' or 'E', an optional sign and optional digits. The value is rounded
// to nearest, overflows to ±Inf and underflows to ±0, as strtod does.
//
//	1e  1E  1.e  .5e  +1e  1e+  1e-3  1.5E+10   floats
//	e  .e  1d3  infe  1e1.5  1e5e  ++1e         not numbers
//	1.5                                         a double, not a float
package number

import (
	"bytes"
	"math"
	"math/bits"
	"strconv"
)

// Kind tells which stack a number goes to and how many cells it takes.
type Kind uint8

const (
	Single Kind = iota // one cell on the data stack
	Double             // two cells on the data stack
	Float              // one float on the floating-point stack
)

func (k Kind) String() string {
	switch k {
	case Single:
		return "single"
	case Double:
		return "double"
	case Float:
		return "float"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Number is a parsed literal. Cells are 64-bit two's complement, as in
// 64-bit gforth.
type Number struct {
	Kind Kind
	// Lo is the value of a Single and the low cell of a Double; Hi is the
	// high cell of a Double (the one on top of the stack).
	Lo, Hi int64
	F      float64 // value of a Float
}

// Parse reads text as a number in the given base, the way the gforth
// 0.7.3 text interpreter does after failing to find text in the
// dictionary. floats enables float literals (a system without the
// floating-point word set has none). ok is false if text is not a number.
//
// Any base is read as gforth reads it ("0 base !" is a program's to
// make): a digit is a digit when its value is below the base, compared
// unsigned, so that in base 0 no digit is and in base 1 only 0 is; above
// 36 the characters after Z are digits too; a prefix ($ # % &) and a
// character literal set their own base whatever BASE holds, and a float
// is a float in any base.
//
// Parse does not allocate, except for float literals longer than 32
// bytes.
func Parse(text []byte, base int, floats bool) (Number, bool) {
	if len(text) == 0 {
		return Number{}, false
	}
	if n, ok := parseInteger(text, uint64(base)); ok {
		return n, true
	}
	if floats {
		return parseFloat(text)
	}
	return Number{}, false
}

// parseInteger follows gforth's s>number? and s>unumber? step by step.
func parseInteger(text []byte, base uint64) (Number, bool) {
	neg := false
	if text[0] == '-' { // sign? in s>number?
		neg = true
		text = text[1:]
	}
	if len(text) > 0 && text[0] == '\'' {
		c, ok := charLiteral(text[1:])
		if !ok {
			return Number{}, false
		}
		if neg {
			c = -c
		}
		return Number{Kind: Single, Lo: c}, true
	}
	// getbase
	if base < 34 && len(text) >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') {
		base = 16
		text = text[2:]
	}
	if len(text) > 0 {
		switch text[0] {
		case '#', '&':
			base = 10
			text = text[1:]
		case '$':
			base = 16
			text = text[1:]
		case '%':
			base = 2
			text = text[1:]
		}
	}
	if len(text) > 0 && text[0] == '-' { // sign? again, in s>unumber?
		neg = !neg
		text = text[1:]
	}
	if len(text) == 0 {
		return Number{}, false
	}
	// The >number loop: a run of digits, then optionally a dot and again.
	var hi, lo uint64
	double := false
	for {
		run := 0
		for run < len(text) {
			d := digit(text[run])
			if d >= base {
				break
			}
			if hi == 0 && lo < 1<<58 && base <= 36 {
				// Fast path: lo*36+35 cannot overflow 64 bits yet.
				lo = lo*base + d
			} else {
				// (hi,lo) = (hi,lo)*base + d, modulo 2^128 like
				// gforth's um*-based accumulate.
				h, l := bits.Mul64(lo, base)
				hi = hi*base + h
				var carry uint64
				lo, carry = bits.Add64(l, d, 0)
				hi += carry
			}
			run++
		}
		text = text[run:]
		if len(text) == 0 {
			break
		}
		if run == 0 || text[0] != '.' {
			return Number{}, false
		}
		double = true
		text = text[1:]
	}
	if neg { // dnegate
		lo = -lo
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	if double {
		return Number{Kind: Double, Lo: int64(lo), Hi: int64(hi)}, true
	}
	return Number{Kind: Single, Lo: int64(lo)}, true
}

// digit returns the value of c as a digit, as gforth's digit? computes it
// before comparing it with the base: letters of either case are 10..35,
// the characters after Z go on from 36, and those between 9 and A (and
// below 0, which wrap around) are no digit in any base.
func digit(c byte) uint64 {
	if 'a' <= c && c <= 'z' {
		c -= 'a' - 'A'
	}
	v := uint64(c) - '0'
	if v > 9 {
		v -= 'A' - '9' - 1
		if v <= 9 {
			return math.MaxUint64
		}
	}
	return v
}

// charLiteral reads what follows the "'" of a character literal: one
// character and then nothing or a "'".
func charLiteral(text []byte) (int64, bool) {
	if len(text) == 0 {
		return 0, false
	}
	c, size, ok := decodeChar(text)
	if !ok {
		return 0, false
	}
	rest := text[size:]
	if len(rest) > 1 || len(rest) == 1 && rest[0] != '\'' {
		return 0, false
	}
	return c, true
}

// decodeChar decodes one character the way gforth 0.7.3's u8@+ does. It is
// laxer than the UTF-8 standard (it takes overlong forms, surrogates and
// values above U+10FFFF) and the analyser must accept exactly what gforth
// accepts, so unicode/utf8 cannot be used. gforth throws on malformed
// input, which makes the word not a number; ok is false then.
func decodeChar(b []byte) (c int64, size int, ok bool) {
	lead := b[0]
	if lead < 0x80 {
		return int64(lead), 1, true
	}
	if lead < 0xC2 {
		return 0, 0, false
	}
	// Each round strips the highest remaining length bit of the lead byte
	// (mask) and shifts in six bits of a continuation byte.
	v := uint64(lead & 0x7F)
	mask := uint64(0x40)
	i := 1
	for v&mask != 0 {
		v ^= mask
		v <<= 6
		mask <<= 5
		if i >= len(b) || b[i]&0xC0 != 0x80 {
			return 0, 0, false
		}
		v |= uint64(b[i] & 0x3F)
		i++
	}
	return int64(v), i, true
}

// parseFloat follows gforth's sfnumber and the C function to_float behind
// >float.
func parseFloat(text []byte) (Number, bool) {
	// sfnumber: only words containing an 'e' or 'E' are tried.
	i := 0
	if text[0] == '+' || text[0] == '-' {
		i++
	}
	digits, dots := 0, 0
	for ; i < len(text); i++ {
		if c := text[i]; '0' <= c && c <= '9' {
			digits++
		} else if c == '.' {
			dots++
		} else {
			break
		}
	}
	if digits == 0 || dots > 1 || i == len(text) || text[i] != 'e' && text[i] != 'E' {
		// to_float would also accept 'd', 'D' or a bare sign as the
		// exponent marker, but sfnumber only passes it words with an 'e'.
		return Number{}, false
	}
	mantissa := i
	i++
	if i < len(text) && (text[i] == '+' || text[i] == '-') {
		i++
	}
	expDigits := 0
	for ; i < len(text); i++ {
		if c := text[i]; c < '0' || c > '9' {
			return Number{}, false
		}
		expDigits++
	}
	// Everything left is valid syntax for strconv too, except an exponent
	// without digits ("1e", "1e-"), which means exponent 0: drop it.
	if expDigits == 0 {
		text = text[:mantissa]
	}
	// string(text) does not allocate for short texts because ParseFloat
	// does not keep its argument.
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil && err.(*strconv.NumError).Err != strconv.ErrRange {
		return Number{}, false // unreachable: the syntax was checked above
	}
	return Number{Kind: Float, F: f}, true
}

// Rules are a system's number syntax beyond gforth's.
type Rules struct {
	// FixedPointComma: "1,5" is an s31.32 fixed-point literal, two cells
	// (zeptoforth, Mecrisp-Stellaris).
	FixedPointComma bool
	// FixedPointSemicolon: "1;5" is an S15.16 fixed-point literal, one
	// cell (zeptoforth's fixed32).
	FixedPointSemicolon bool
	// Underscores: "1_000" and "$8000_0000" ignore the underscores
	// (zeptoforth).
	Underscores bool
}

// ParseRules is Parse with a system's own number syntax added.
func ParseRules(text []byte, base int, floats bool, r Rules) (Number, bool) {
	if n, ok := Parse(text, base, floats); ok {
		return n, true
	}
	if r.Underscores && bytes.IndexByte(text, '_') > 0 {
		t := bytes.ReplaceAll(text, []byte("_"), nil)
		if len(t) > 0 {
			if n, ok := Parse(t, base, floats); ok {
				return n, true
			}
			text = t
		}
	}
	if r.FixedPointComma {
		if n, ok := fixedPoint(text, base, ','); ok {
			return n, true
		}
	}
	if r.FixedPointSemicolon {
		if n, ok := fixedPoint(text, base, ';'); ok {
			// S15.16: the integer part in the high half of one cell.
			return Number{Kind: Single, Lo: n.Hi<<16 | int64(uint64(n.Lo)>>16)}, true
		}
	}
	return Number{}, false
}

// fixedPoint reads "int<sep>frac" as an s31.32 fixed-point number: the
// integer part in Hi, the fraction scaled by 2^32 in Lo.
func fixedPoint(text []byte, base int, sep byte) (Number, bool) {
	i := bytes.IndexByte(text, sep)
	if i <= 0 || i >= len(text)-1 || bytes.IndexByte(text[i+1:], sep) >= 0 || bytes.IndexByte(text, '.') >= 0 {
		return Number{}, false
	}
	ip, ok := Parse(text[:i], base, false)
	if !ok || ip.Kind != Single {
		return Number{}, false
	}
	frac := text[i+1:]
	if frac[0] == '-' || frac[0] == '$' || frac[0] == '#' || frac[0] == '%' {
		return Number{}, false
	}
	f, ok := Parse(frac, base, false)
	if !ok || f.Kind != Single {
		return Number{}, false
	}
	// The fraction's cell: value / base^digits, scaled by 2^32.
	den := 1.0
	for range frac {
		den *= float64(base)
	}
	lo := int64(float64(uint64(f.Lo)) / den * (1 << 32))
	return Number{Kind: Double, Lo: lo, Hi: ip.Lo}, true
}
