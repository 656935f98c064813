package number

import (
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

func TestParseEdges(t *testing.T) {
	for _, tt := range []struct {
		text string
		base int
	}{
		{"", 10}, {"1", 0}, {"1", 1}, {"-1", 1}, {"2", 2},
	} {
		if n, ok := Parse([]byte(tt.text), tt.base, true); ok {
			t.Errorf("Parse(%q, %d) = %+v, want not a number", tt.text, tt.base, n)
		}
	}
	// A caller may pass text a Forth word can never be; it must still be
	// handled sensibly.
	for _, tt := range []struct{ text, want string }{
		{"' '", "S 20"},
		{"1 2", "N"},
		{"-", "N"},
	} {
		if got := format(Parse([]byte(tt.text), 10, true)); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
	if s := Float.String() + Double.String() + Single.String() + Kind(9).String(); s != "floatdoublesingleKind(9)" {
		t.Errorf("Kind.String: %q", s)
	}
}

// gforthHarness evaluates each test word with an empty search order, so
// that only the number recognisers can accept it, and prints the result in
// the format of format.
const gforthHarness = `
variable d0  variable f0
create fbuf 32 allot
: (t) ( addr u -- ) 0 set-order evaluate ;
: hx. ( u -- ) base @ >r hex 0 <# #s #> type r> base ! ;
: t ( base "word" -- )
  parse-name rot base !
  depth 2 - d0 ! fdepth f0 !
  ['] (t) catch
  only forth decimal
  ?dup if ." N " . 2drop cr exit then
  fdepth f0 @ - 1 = if ." F " fbuf faligned f! fbuf faligned @ hx. cr exit then
  depth d0 @ - case
    1 of ." S " hx. cr endof
    2 of ." D " swap hx. space hx. cr endof
    ." ? " dup . cr
  endcase ;
`

// TestGforth runs one gforth process over every input of parseTests and
// checks that gforth agrees both with the table and with Parse, so that
// the table cannot drift from the reference. It is skipped when gforth is
// not installed, except under CI=true, where that is a failure.
func TestGforth(t *testing.T) {
	gforthtest.Path(t) // before the work of building the program
	var prog strings.Builder
	prog.WriteString(gforthHarness)
	type input struct {
		text  string
		base  int
		table string // the table's expectation; "" for random inputs
	}
	var inputs []input
	for _, tt := range parseTests {
		// Only what the interpreter can see as one word can be sent.
		if tt.text == "" || strings.ContainsAny(tt.text, " \t\n\v\f\r") {
			continue
		}
		inputs = append(inputs, input{tt.text, tt.base, tt.want})
	}
	// Random words over a number-like alphabet find cases the table did
	// not think of. The seed is fixed so that failures reproduce.
	r := rand.New(rand.NewSource(1))
	pieces := []string{"0", "1", "5", "9", "a", "F", "e", "E", "x", "X", "z", ".", ".", "-", "-", "+",
		"$", "#", "%", "&", "'", "'", "0x", "1e", "é", "\x80", "\xc3"}
	bases := []int{10, 10, 10, 16, 2, 8, 33, 34, 36, 0, 1, 37, 40}
	for range 3000 {
		var w strings.Builder
		for range 1 + r.Intn(6) {
			w.WriteString(pieces[r.Intn(len(pieces))])
		}
		inputs = append(inputs, input{w.String(), bases[r.Intn(len(bases))], ""})
	}
	for _, in := range inputs {
		fmt.Fprintf(&prog, "%d t %s\n", in.base, in.text)
	}
	// Character literals are UTF-8 only if gforth sees "UTF-8" in the
	// locale (gforthtest.Run sets it).
	out := gforthtest.Run(t, prog.String())
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(inputs) {
		t.Fatalf("gforth printed %d lines for %d inputs:\n%s", len(lines), len(inputs), out)
	}
	for i, in := range inputs {
		gf := strings.TrimSpace(lines[i])
		if strings.HasPrefix(gf, "N ") {
			gf = "N" // drop the throw code
		}
		if in.table != "" && gf != in.table {
			t.Errorf("table: %q in base %d: gforth says %s, table says %s", in.text, in.base, gf, in.table)
		}
		if got := format(Parse([]byte(in.text), in.base, true)); got != gf {
			t.Errorf("Parse(%q, %d) = %s, gforth says %s", in.text, in.base, got, gf)
		}
	}
	if !t.Failed() {
		t.Logf("gforth agreed on %d inputs", len(inputs))
	}
}

func TestParseAllocs(t *testing.T) {
	for _, s := range []string{"12345", "-$ff", "1.5.", "'€'", "1.5e3", "-1.2345678901234567e-300",
		"1.2345678901234567890123456789e3", // 32 bytes, the documented limit
		"not-a-number"} {
		text := []byte(s)
		if n := testing.AllocsPerRun(100, func() { Parse(text, 10, true) }); n != 0 {
			t.Errorf("Parse(%q) makes %v allocations", s, n)
		}
	}
}

// The reference below re-derives the expected result of any input from
// regular expressions and math/big, independently of the structure of
// Parse, for the fuzzer to compare against.
var (
	refChar = regexp.MustCompile(`^(-?)'([\s\S]+)$`)
	refInt  = regexp.MustCompile(`^(-?)((?:0[xX])?)([#$%&]?)(-?)([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)(\.?)$`)
	// In bases 34 and up "0x" is digits, not a prefix.
	refInt34 = regexp.MustCompile(`^(-?)()([#$%&]?)(-?)([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)(\.?)$`)
	refFloat = regexp.MustCompile(`^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE]([+-]?)([0-9]*)$`)
)

func reference(text []byte, base int, floats bool) (string, bool) {
	s := string(text)
	if m := refChar.FindStringSubmatch(s); m != nil {
		rest := m[2]
		r, size := utf8.DecodeRuneInString(rest)
		if r == utf8.RuneError && size <= 1 {
			return "", false // invalid UTF-8: gforth's decoder is laxer; not checked
		}
		if tail := rest[size:]; tail == "" || tail == "'" {
			v := int64(r)
			if m[1] == "-" {
				v = -v
			}
			return format(Number{Kind: Single, Lo: v}, true), true
		}
		return "N", true
	}
	if base < 2 || base > 36 {
		return "", false // big.Int reads no such base
	}
	ri := refInt
	if base >= 34 {
		ri = refInt34
	}
	if m := ri.FindStringSubmatch(s); m != nil {
		b := base
		if m[2] != "" {
			b = 16
		}
		switch m[3] {
		case "#", "&":
			b = 10
		case "$":
			b = 16
		case "%":
			b = 2
		}
		digits := strings.ReplaceAll(m[5], ".", "")
		v, ok := new(big.Int).SetString(strings.ToLower(digits), b)
		if ok {
			if (m[1] == "-") != (m[4] == "-") {
				v.Neg(v)
			}
			mod := new(big.Int).Lsh(big.NewInt(1), 128)
			v.Mod(v, mod)
			lo := new(big.Int).And(v, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
			hi := new(big.Int).Rsh(v, 64).Uint64()
			if strings.Contains(m[5], ".") || m[6] == "." {
				return format(Number{Kind: Double, Lo: int64(lo), Hi: int64(hi)}, true), true
			}
			return format(Number{Kind: Single, Lo: int64(lo)}, true), true
		}
		// Not all characters are digits of the base: fall through to
		// floats.
	}
	if floats {
		if m := refFloat.FindStringSubmatch(s); m != nil {
			if m[2] == "" {
				s += "0"
			}
			f, err := strconv.ParseFloat(s, 64)
			if err != nil && !strings.Contains(err.Error(), "range") {
				panic(err)
			}
			return format(Number{Kind: Float, F: f}, true), true
		}
	}
	return "N", true
}

func TestReference(t *testing.T) {
	// The reference must agree with the gforth-checked table too.
	for _, tt := range parseTests {
		if want, ok := reference([]byte(tt.text), tt.base, true); ok && want != tt.want {
			t.Errorf("reference(%q, %d) = %s, table says %s", tt.text, tt.base, want, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add([]byte(tt.text), uint8(tt.base), true)
	}
	f.Add([]byte("1e"), uint8(10), false)
	f.Fuzz(func(t *testing.T, text []byte, base uint8, floats bool) {
		n, ok := Parse(text, int(base), floats)
		got := format(n, ok)
		if ok && n.Kind == Float && !floats {
			t.Fatalf("Parse(%q) gave a float with floats off", text)
		}
		if !ok && n != (Number{}) {
			t.Fatalf("Parse(%q) = %+v with ok=false", text, n)
		}
		if want, checked := reference(text, int(base), floats); checked && got != want {
			t.Fatalf("Parse(%q, %d, %v) = %s, reference %s", text, base, floats, got, want)
		}
	})
}

var sinkNumber Number

func benchmarkParse(b *testing.B, s string, base int) {
	text := []byte(s)
	b.ReportAllocs()
	for b.Loop() {
		sinkNumber, _ = Parse(text, base, true)
	}
}

func BenchmarkParseDecimal(b *testing.B)   { benchmarkParse(b, "12345", 10) }
func BenchmarkParseNegHex(b *testing.B)    { benchmarkParse(b, "-$7fff", 10) }
func BenchmarkParseDouble(b *testing.B)    { benchmarkParse(b, "123456789.", 10) }
func BenchmarkParseChar(b *testing.B)      { benchmarkParse(b, "'€'", 10) }
func BenchmarkParseFloat(b *testing.B)     { benchmarkParse(b, "1.5e-3", 10) }
func BenchmarkParseNotNumber(b *testing.B) { benchmarkParse(b, "2dup", 10) }

func TestFixedPointRules(t *testing.T) {
	for _, c := range []struct {
		text   string
		r      Rules
		want   Number
		wantOK bool
	}{
		{"1,5", Rules{FixedPointComma: true}, Number{Kind: Double, Lo: 1 << 31, Hi: 1}, true},
		{"1;5", Rules{FixedPointSemicolon: true}, Number{Kind: Single, Lo: 1<<16 | 1<<15}, true},
		{"2;0", Rules{FixedPointSemicolon: true}, Number{Kind: Single, Lo: 2 << 16}, true},
		{"1;5", Rules{FixedPointComma: true}, Number{}, false},
		{"1,5", Rules{FixedPointSemicolon: true}, Number{}, false},
		{"1;", Rules{FixedPointSemicolon: true}, Number{}, false},
		{";5", Rules{FixedPointSemicolon: true}, Number{}, false},
		{"1;5;5", Rules{FixedPointSemicolon: true}, Number{}, false},
		{"1;-5", Rules{FixedPointSemicolon: true}, Number{}, false},
	} {
		got, ok := ParseRules([]byte(c.text), 10, true, c.r)
		if ok != c.wantOK || ok && got != c.want {
			t.Errorf("%q %+v: %+v %v, want %+v %v", c.text, c.r, got, ok, c.want, c.wantOK)
		}
	}
}
