package scan

import (
	"bytes"
	"errors"
	"math/rand"
	"strings"
	"testing"
)

// words collects every Word of src.
func words(src string) []string {
	var s Scanner
	s.Init([]byte(src))
	var out []string
	for {
		start, end, ok := s.Word()
		if !ok {
			if start != len(src) || end != len(src) || s.Offset() != len(src) {
				panic("Word at end of input did not report len(src)")
			}
			return out
		}
		out = append(out, src[start:end])
	}
}

func TestWord(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"", nil},
		{"   \t\n", nil},
		{"dup", []string{"dup"}},
		{"  : sq dup * ;  ", []string{":", "sq", "dup", "*", ";"}},
		{"a\tb\nc\rd\r\ne\vf\fg", []string{"a", "b", "c", "d", "e", "f", "g"}},
		// gforth 0.7.3 treats only isspace bytes as blanks.
		{"1\x012 a\x00b c\x1fd e\x7ff", []string{"1\x012", "a\x00b", "c\x1fd", "e\x7ff"}},
		{"é\xa0x \x85", []string{"é\xa0x", "\x85"}},
	}
	for _, tt := range tests {
		got := words(tt.src)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("words(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestWordConsumesOneBlank(t *testing.T) {
	tests := []struct {
		src     string
		wantOff int // offset after the first Word
	}{
		{"abc", 3},
		{"abc def", 4},
		{"abc  def", 4},
		{"abc\tdef", 4},
		{"abc\fdef", 4},
		{"abc\n", 3},   // a line terminator is not consumed
		{"abc\r\n", 3}, // nor "\r\n"
		{"abc\r", 3},
		{"  abc ", 6},
	}
	for _, tt := range tests {
		var s Scanner
		s.Init([]byte(tt.src))
		s.Word()
		if s.Offset() != tt.wantOff {
			t.Errorf("%q: Offset after Word = %d, want %d", tt.src, s.Offset(), tt.wantOff)
		}
	}
}

func TestIsBlank(t *testing.T) {
	for b := 0; b < 256; b++ {
		want := b == ' ' || b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r'
		if IsBlank(byte(b)) != want {
			t.Errorf("IsBlank(%#x) = %v, want %v", b, !want, want)
		}
	}
}

// parse runs a sequence of scanner calls: after an initial Word (the
// parsing word itself) it calls f and returns the text and state.
type parseCase struct {
	src       string
	text      string
	closed    bool
	offAfter  int
	nextWord  string // the Word after the parsed text
	multiline bool
}

func TestUntil(t *testing.T) {
	tests := []parseCase{
		{src: `s" abc" x`, text: "abc", closed: true, offAfter: 7, nextWord: "x"},
		{src: `s"  abc" x`, text: " abc", closed: true, offAfter: 8, nextWord: "x"},
		{src: "s\"\tabc\" x", text: "abc", closed: true, offAfter: 7, nextWord: "x"},
		{src: `s" " x`, text: "", closed: true, offAfter: 4, nextWord: "x"},
		{src: `s" abc`, text: "abc", closed: false, offAfter: 6},
		{src: "s\" abc\ndef\" x", text: "abc", closed: false, offAfter: 6, nextWord: "def\""},
		{src: "s\" abc\r\ndef\"", text: "abc", closed: false, offAfter: 6, nextWord: "def\""},
		{src: "s\" abc\rdef\"", text: "abc", closed: false, offAfter: 6, nextWord: "def\""},
		// At the end of a line the parsing word sees empty text.
		{src: "s\"\nabc\" x", text: "", closed: false, offAfter: 2, nextWord: "abc\""},
		{src: "( a\nb ) x", text: "a\nb ", closed: true, offAfter: 7, nextWord: "x", multiline: true},
		{src: "( a\r\nb", text: "a\r\nb", closed: false, offAfter: 6, multiline: true},
		{src: "(\n) x", text: "\n", closed: true, offAfter: 3, nextWord: "x", multiline: true},
	}
	for _, tt := range tests {
		var s Scanner
		s.Init([]byte(tt.src))
		s.Word()
		var delim byte = '"'
		if tt.multiline {
			delim = ')'
		}
		start, end, closed := s.Until(delim, tt.multiline)
		if got := tt.src[start:end]; got != tt.text || closed != tt.closed || s.Offset() != tt.offAfter {
			t.Errorf("%q: Until = %q closed=%v off=%d, want %q %v %d", tt.src, got, closed, s.Offset(), tt.text, tt.closed, tt.offAfter)
		}
		ws, we, _ := s.Word()
		if got := tt.src[ws:we]; got != tt.nextWord {
			t.Errorf("%q: next word %q, want %q", tt.src, got, tt.nextWord)
		}
	}
}

func TestUntilEscaped(t *testing.T) {
	tests := []parseCase{
		{src: `s\" abc" x`, text: "abc", closed: true, offAfter: 8, nextWord: "x"},
		{src: `s\" a\"b" x`, text: `a\"b`, closed: true, offAfter: 9, nextWord: "x"},
		{src: `s\" a\\" x`, text: `a\\`, closed: true, offAfter: 8, nextWord: "x"},
		{src: `s\" a\\\"" x`, text: `a\\\"`, closed: true, offAfter: 10, nextWord: "x"},
		{src: `s\" a\"`, text: `a\"`, closed: false, offAfter: 7},
		{src: "s\\\" a\\\nb\" x", text: `a\`, closed: false, offAfter: 6, nextWord: `b"`},
		{src: "s\\\" a\\\r\nb\" x", text: `a\`, closed: false, offAfter: 6, nextWord: `b"`},
		{src: "s\\\" a\\", text: `a\`, closed: false, offAfter: 6},
		{src: "s\\\" ab\ncd\"", text: `ab`, closed: false, offAfter: 6, nextWord: `cd"`},
	}
	for _, tt := range tests {
		var s Scanner
		s.Init([]byte(tt.src))
		s.Word()
		start, end, closed := s.UntilEscaped('"')
		if got := tt.src[start:end]; got != tt.text || closed != tt.closed || s.Offset() != tt.offAfter {
			t.Errorf("%q: UntilEscaped = %q closed=%v off=%d, want %q %v %d", tt.src, got, closed, s.Offset(), tt.text, tt.closed, tt.offAfter)
		}
		ws, we, _ := s.Word()
		if got := tt.src[ws:we]; got != tt.nextWord {
			t.Errorf("%q: next word %q, want %q", tt.src, got, tt.nextWord)
		}
	}
}

func TestLine(t *testing.T) {
	tests := []parseCase{
		{src: `\ comment`, text: "comment", offAfter: 9},
		{src: "\\ comment\nx", text: "comment", offAfter: 10, nextWord: "x"},
		{src: "\\ comment\r\nx", text: "comment", offAfter: 11, nextWord: "x"},
		{src: "\\ comment\rx", text: "comment", offAfter: 10, nextWord: "x"},
		{src: "\\ a\r\r\nx", text: "a", offAfter: 4, nextWord: "x"},
		// "\" at the end of a line comments out nothing of the next line.
		{src: "\\\nx", text: "", offAfter: 2, nextWord: "x"},
		{src: "\\", text: "", offAfter: 1},
	}
	for _, tt := range tests {
		var s Scanner
		s.Init([]byte(tt.src))
		s.Word()
		start, end := s.Line()
		if got := tt.src[start:end]; got != tt.text || s.Offset() != tt.offAfter {
			t.Errorf("%q: Line = %q off=%d, want %q %d", tt.src, got, s.Offset(), tt.text, tt.offAfter)
		}
		ws, we, _ := s.Word()
		if got := tt.src[ws:we]; got != tt.nextWord {
			t.Errorf("%q: next word %q, want %q", tt.src, got, tt.nextWord)
		}
	}
}

func TestSetOffset(t *testing.T) {
	var s Scanner
	s.Init([]byte("abc def"))
	for _, tt := range []struct{ set, want int }{{-3, 0}, {0, 0}, {4, 4}, {7, 7}, {100, 7}} {
		s.SetOffset(tt.set)
		if s.Offset() != tt.want {
			t.Errorf("SetOffset(%d): Offset = %d, want %d", tt.set, s.Offset(), tt.want)
		}
	}
	s.SetOffset(4)
	if st, en, _ := s.Word(); st != 4 || en != 7 {
		t.Errorf("Word after SetOffset(4) = %d,%d", st, en)
	}
	var zero Scanner
	if _, _, ok := zero.Word(); ok {
		t.Error("zero Scanner returned a word")
	}
}

func TestEqualFoldLower(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "", true},
		{"DUP", "dup", true},
		{"dUp", "DuP", true},
		{"dup", "dup ", false},
		{"[", "{", false}, // '[' is not 'Z'+1 folded
		{"@", "`", false},
		{"É", "é", false}, // ASCII only
		{"s\"", "S\"", true},
	}
	for _, tt := range tests {
		if got := EqualFold([]byte(tt.a), tt.b); got != tt.want {
			t.Errorf("EqualFold(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
	if got := string(Lower([]byte("x:"), []byte("DuP-É[Z]"))); got != "x:dup-É[z]" {
		t.Errorf("Lower = %q", got)
	}
	var buf [16]byte
	if n := testing.AllocsPerRun(100, func() {
		EqualFold([]byte("SWAP"), "swap")
		Lower(buf[:0], []byte("SWAP"))
	}); n != 0 {
		t.Errorf("EqualFold/Lower allocate: %v", n)
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct {
		in   string
		want string
		bad  string // the EscapeError's Seq, "" when valid
		off  int
	}{
		{``, "", "", 0},
		{`abc`, "abc", "", 0},
		{`\a\b\e\f\l\m\n\q\r\t\v\z\"\\`, "\a\b\x1b\f\n\r\n\n\"\r\t\v\x00\"\\", "", 0},
		{`\x41\x4a\x4A\xff\x00`, "AJJ\xff\x00", "", 0},
		{`a\"b`, `a"b`, "", 0},
		// Not Forth 2012: decoded as gforth 0.7.3 does, first one reported.
		{`\x4z`, "\x04z", `\x4`, 0},
		{`ab\xz`, "ab\x00z", `\x`, 2},
		{`\x`, "\x00", `\x`, 0},
		{`\101\0\7\08\1234`, "A\x00\a\x008S4", `\101`, 0},
		{`\c\d\g\k\s\y\N\Q`, "cdgksyNQ", `\c`, 0},
		{`\é`, "é", `\é`, 0},
		{`x\`, `x\`, `\`, 1},
		{`\;`, ";", `\;`, 0},
	}
	for _, tt := range tests {
		got, err := Unescape([]byte(tt.in))
		if string(got) != tt.want {
			t.Errorf("Unescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		var e *EscapeError
		switch {
		case tt.bad == "" && err != nil:
			t.Errorf("Unescape(%q): unexpected error %v", tt.in, err)
		case tt.bad != "" && !errors.As(err, &e):
			t.Errorf("Unescape(%q): error %v, want EscapeError %q", tt.in, err, tt.bad)
		case tt.bad != "" && (e.Seq != tt.bad || e.Offset != tt.off):
			t.Errorf("Unescape(%q): error %+v, want %q at %d", tt.in, e, tt.bad, tt.off)
		}
	}
	if _, err := Unescape([]byte(`ok \k`)); err == nil || err.Error() != `invalid escape \k at offset 3` {
		t.Errorf("error text: %v", err)
	}
	if _, err := Unescape([]byte("\\\x01")); err == nil || err.Error() != `invalid escape "\\\x01" at offset 0` {
		t.Errorf("error text: %v", err)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { AppendUnescaped(buf[:0], []byte(`a\tb\x41\"`)) }); n != 0 {
		t.Errorf("AppendUnescaped allocates: %v", n)
	}
}

// escape is the inverse of Unescape for the fuzz round trip.
func escape(b []byte) []byte {
	var out []byte
	const hex = "0123456789abcdef"
	for _, c := range b {
		switch {
		case c == '\\' || c == '"':
			out = append(out, '\\', c)
		case c == '\n':
			out = append(out, `\n`...)
		case c < ' ' || c >= 0x7f:
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
		default:
			out = append(out, c)
		}
	}
	return out
}

func FuzzUnescape(f *testing.F) {
	for _, s := range []string{"", `a\"b`, `\x41\m`, `\x4`, `\`, `\101`, "\\\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		got, err := Unescape(text)
		if err == nil {
			// A valid text is decoded without loss: re-escaping and
			// decoding again gives the same bytes.
			again, err := Unescape(escape(got))
			if err != nil || !bytes.Equal(again, got) {
				t.Fatalf("round trip of %q: %q, %v", got, again, err)
			}
		} else {
			var e *EscapeError
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset >= len(text) || text[e.Offset] != '\\' ||
				!bytes.HasPrefix(text[e.Offset:], []byte(e.Seq)) {
				t.Fatalf("Unescape(%q): bad error %#v", text, err)
			}
		}
		// Every raw byte round-trips through escape.
		if back, err := Unescape(escape(text)); err != nil || !bytes.Equal(back, text) {
			t.Fatalf("Unescape(escape(%q)) = %q, %v", text, back, err)
		}
	})
}

// FuzzScanner drives a Scanner with a fuzzed program of calls and checks
// the invariants every caller relies on.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{
		": sq dup * ; \\ comment\n( a\nb ) s\" x\" s\\\" a\\\"b\"",
		"a\r\nb\rc\x01d\x00",
		"\\\n\\\r\n( ",
	} {
		f.Add([]byte(s), []byte{0, 1, 2, 3, 4, 0, 0})
	}
	f.Fuzz(func(t *testing.T, src, ops []byte) {
		var s Scanner
		s.Init(src)
		// Words alone must agree with a naive split.
		var got [][]byte
		for {
			st, en, ok := s.Word()
			if !ok {
				break
			}
			got = append(got, src[st:en])
		}
		want := bytes.FieldsFunc(src, func(r rune) bool { return r < 0x80 && IsBlank(byte(r)) })
		if len(got) != len(want) {
			t.Fatalf("%q: %d words, want %d", src, len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("%q: word %d = %q, want %q", src, i, got[i], want[i])
			}
		}

		s.Init(src)
		for _, op := range ops {
			before := s.Offset()
			var start, end int
			switch op % 5 {
			case 0:
				var ok bool
				start, end, ok = s.Word()
				if ok {
					for _, c := range src[start:end] {
						if IsBlank(c) {
							t.Fatalf("%q: blank in word [%d,%d)", src, start, end)
						}
					}
					for _, c := range src[before:start] {
						if !IsBlank(c) {
							t.Fatalf("%q: skipped non-blank before [%d,%d)", src, start, end)
						}
					}
				} else if end != len(src) {
					t.Fatalf("%q: no word but end %d", src, end)
				}
			case 1, 2:
				var closed bool
				start, end, closed = s.Until('"', op%5 == 2)
				if bytes.IndexByte(src[start:end], '"') >= 0 {
					t.Fatalf("%q: delimiter inside Until text", src)
				}
				if op%5 == 1 && bytes.ContainsAny(src[start:end], "\r\n") {
					t.Fatalf("%q: single-line Until crossed a line", src)
				}
				if closed != (end < len(src) && src[end] == '"') {
					t.Fatalf("%q: closed=%v at %d", src, closed, end)
				}
			case 3:
				var closed bool
				start, end, closed = s.UntilEscaped('"')
				if bytes.ContainsAny(src[start:end], "\r\n") {
					t.Fatalf("%q: UntilEscaped crossed a line", src)
				}
				if closed && (end >= len(src) || src[end] != '"') {
					t.Fatalf("%q: closed at %d", src, end)
				}
			case 4:
				start, end = s.Line()
				if bytes.ContainsAny(src[start:end], "\r\n") {
					t.Fatalf("%q: Line crossed a line", src)
				}
			}
			if start != before && op%5 != 0 || start > end || end > s.Offset() || s.Offset() > len(src) {
				t.Fatalf("%q: op %d from %d gave [%d,%d) off %d", src, op%5, before, start, end, s.Offset())
			}
			if s.Offset() == before && before < len(src) && op%5 == 4 {
				t.Fatalf("%q: Line made no progress at %d", src, before)
			}
		}
	})
}

// forthText returns about n bytes of Forth-like source: definitions,
// comments, strings and numbers in a realistic mix.
func forthText(n int) []byte {
	r := rand.New(rand.NewSource(1))
	words := []string{"dup", "drop", "swap", "over", "rot", "+", "-", "*", "/mod", "@", "!", "c@",
		"if", "else", "then", "begin", "while", "repeat", "do", "loop", "i", ">r", "r>", "cells", "allot",
		"0=", "=", "<", "and", "or", "exit", "recurse", "2dup", "nip", "tuck", "execute"}
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(": word")
		b.WriteString(strings.Repeat("x", r.Intn(8)))
		b.WriteString(" ( n1 n2 -- n3 )\n")
		for line := 0; line < 1+r.Intn(4); line++ {
			b.WriteString("    ")
			for w := 0; w < 3+r.Intn(8); w++ {
				switch r.Intn(10) {
				case 0:
					b.WriteString("123")
				case 1:
					b.WriteString(`s" hello" type`)
				default:
					b.WriteString(words[r.Intn(len(words))])
				}
				b.WriteByte(' ')
			}
			b.WriteString("\\ explain\n")
		}
		b.WriteString(";\n\n")
	}
	return b.Bytes()[:n]
}

func BenchmarkWord(b *testing.B) {
	src := forthText(100 << 10)
	var s Scanner
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		s.Init(src)
		for {
			if _, _, ok := s.Word(); !ok {
				break
			}
		}
	}
}

func BenchmarkUnescape(b *testing.B) {
	text := []byte(`Hello,\tworld!\n\x41\"quoted\"`)
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = AppendUnescaped(buf[:0], text)
	}
}
