package source

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestLines(t *testing.T) {
	tests := []struct {
		src string
		// starts and ends of every line
		starts, ends []int
	}{
		{"", []int{0}, []int{0}},
		{"abc", []int{0}, []int{3}},
		{"\n", []int{0, 1}, []int{0, 1}},
		{"\r", []int{0, 1}, []int{0, 1}},
		{"\r\n", []int{0, 2}, []int{0, 2}},
		{"a\nb", []int{0, 2}, []int{1, 3}},
		{"a\rb", []int{0, 2}, []int{1, 3}},
		{"a\r\nb", []int{0, 3}, []int{1, 4}},
		{"a\n\rb", []int{0, 2, 3}, []int{1, 2, 4}},   // "\n\r" is two terminators
		{"a\r\r\nb", []int{0, 2, 4}, []int{1, 2, 5}}, // lone "\r" then "\r\n"
		{"\n\n\n", []int{0, 1, 2, 3}, []int{0, 1, 2, 3}},
		{": x\r\n  1 ;\r\n", []int{0, 5, 12}, []int{3, 10, 12}},
		{"é\n€", []int{0, 3}, []int{2, 6}},
	}
	for _, tt := range tests {
		f := NewFile("t.fs", []byte(tt.src))
		if got := f.LineCount(); got != len(tt.starts) {
			t.Errorf("%q: LineCount = %d, want %d", tt.src, got, len(tt.starts))
			continue
		}
		for i := range tt.starts {
			if got := f.LineStart(i); got != tt.starts[i] {
				t.Errorf("%q: LineStart(%d) = %d, want %d", tt.src, i, got, tt.starts[i])
			}
			if got := f.LineEnd(i); got != tt.ends[i] {
				t.Errorf("%q: LineEnd(%d) = %d, want %d", tt.src, i, got, tt.ends[i])
			}
		}
		// Out-of-range lines clamp.
		if got := f.LineStart(-1); got != 0 {
			t.Errorf("%q: LineStart(-1) = %d, want 0", tt.src, got)
		}
		if got := f.LineStart(f.LineCount()); got != len(tt.src) {
			t.Errorf("%q: LineStart(past end) = %d, want %d", tt.src, got, len(tt.src))
		}
		if got := f.LineEnd(f.LineCount() + 5); got != len(tt.src) {
			t.Errorf("%q: LineEnd(past end) = %d, want %d", tt.src, got, len(tt.src))
		}
	}
}

func TestPosition(t *testing.T) {
	// "a€😀b\r\nxy\rz" — € is 3 bytes/1 unit, 😀 4 bytes/2 units.
	src := "a€😀b\r\nxy\rz"
	f := NewFile("t", []byte(src))
	tests := []struct {
		off  int
		want Position
	}{
		{-5, Position{0, 0, 0, 0}},
		{0, Position{0, 0, 0, 0}},
		{1, Position{1, 0, 1, 1}},    // before €
		{2, Position{2, 0, 2, 1}},    // inside €: column of €
		{3, Position{3, 0, 3, 1}},    // inside €
		{4, Position{4, 0, 4, 2}},    // before 😀
		{6, Position{6, 0, 6, 2}},    // inside 😀
		{8, Position{8, 0, 8, 4}},    // before b
		{9, Position{9, 0, 9, 5}},    // at "\r\n"
		{10, Position{10, 0, 10, 5}}, // between '\r' and '\n': still line 0
		{11, Position{11, 1, 0, 0}},
		{13, Position{13, 1, 2, 2}}, // at lone '\r'
		{14, Position{14, 2, 0, 0}},
		{15, Position{15, 2, 1, 1}}, // end of text
		{99, Position{15, 2, 1, 1}}, // clamped
	}
	for _, tt := range tests {
		if got := f.Position(tt.off); got != tt.want {
			t.Errorf("Position(%d) = %+v, want %+v", tt.off, got, tt.want)
		}
	}
}

func TestPositionInvalidUTF8(t *testing.T) {
	// Each invalid byte is one U+FFFD, one unit; a truncated sequence at
	// the end of a line is invalid bytes too.
	src := "\xff\xfeA\xe2\x82\n\xed\xa0\x80x"
	f := NewFile("t", []byte(src))
	for _, tt := range []struct{ off, utf16 int }{
		{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, // "\xe2\x82" cut by '\n': 2 invalid bytes
		{9, 3}, {10, 4}, // encoded surrogate: 3 invalid bytes
	} {
		if got := f.Position(tt.off).UTF16; got != tt.utf16 {
			t.Errorf("Position(%d).UTF16 = %d, want %d", tt.off, got, tt.utf16)
		}
	}
}

func TestOffset(t *testing.T) {
	src := "a€😀b\r\nxy\rz"
	f := NewFile("t", []byte(src))
	tests := []struct {
		line, col int
		utf16     bool
		want      int
	}{
		{0, 0, true, 0},
		{0, 1, true, 1},
		{0, 2, true, 4},
		{0, 3, true, 4}, // between the surrogates of 😀: start of 😀
		{0, 4, true, 8},
		{0, 5, true, 9},
		{0, 6, true, 9},   // past end of line: before "\r\n"
		{0, 100, true, 9}, // ditto
		{0, -1, true, 0},
		{0, 3, false, 3}, // byte columns are taken as they are
		{0, 9, false, 9},
		{0, 10, false, 9},
		{1, 0, true, 11},
		{1, 2, true, 13},
		{1, 3, false, 13},
		{2, 1, true, 15},
		{3, 0, true, 15}, // past last line
		{99, 99, false, 15},
		{-1, 5, true, 0},
	}
	for _, tt := range tests {
		if got := f.Offset(tt.line, tt.col, tt.utf16); got != tt.want {
			t.Errorf("Offset(%d, %d, %v) = %d, want %d", tt.line, tt.col, tt.utf16, got, tt.want)
		}
	}
}

// reference is a deliberately naive line index used to check File.
type reference struct {
	lines [][2]int // start, end (terminator offset)
}

func newReference(src []byte) reference {
	var r reference
	start := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			r.lines = append(r.lines, [2]int{start, i})
			start = i + 1
		case '\r':
			r.lines = append(r.lines, [2]int{start, i})
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	r.lines = append(r.lines, [2]int{start, len(src)})
	return r
}

// utf16Len counts the UTF-16 units of complete characters in b using the
// standard library's encoder.
func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		n += len(utf16.Encode([]rune{r}))
		b = b[size:]
	}
	return n
}

func check(t *testing.T, src []byte) {
	t.Helper()
	f := NewFile("fuzz", src)
	ref := newReference(src)
	if f.LineCount() != len(ref.lines) {
		t.Fatalf("%q: LineCount = %d, want %d", src, f.LineCount(), len(ref.lines))
	}
	for i, l := range ref.lines {
		if f.LineStart(i) != l[0] || f.LineEnd(i) != l[1] {
			t.Fatalf("%q: line %d = [%d,%d), want [%d,%d)", src, i, f.LineStart(i), f.LineEnd(i), l[0], l[1])
		}
	}
	for line, l := range ref.lines {
		for off := l[0]; off <= l[1]; off++ {
			p := f.Position(off)
			if p.Offset != off || p.Line != line || p.Col != off-l[0] {
				t.Fatalf("%q: Position(%d) = %+v, want line %d col %d", src, off, p, line, off-l[0])
			}
			// The UTF-16 column counts the characters wholly before off,
			// decoding against the whole line.
			want, i := 0, l[0]
			for i < off {
				_, size := utf8.DecodeRune(src[i:l[1]])
				if i+size > off {
					break
				}
				want += utf16Len(src[i : i+size])
				i += size
			}
			if p.UTF16 != want {
				t.Fatalf("%q: Position(%d).UTF16 = %d, want %d", src, off, p.UTF16, want)
			}
			// Round trip on character boundaries.
			if i == off {
				if got := f.Offset(p.Line, p.UTF16, true); got != off {
					t.Fatalf("%q: Offset(%d,%d,utf16) = %d, want %d", src, p.Line, p.UTF16, got, off)
				}
			}
			if got := f.Offset(p.Line, p.Col, false); got != off {
				t.Fatalf("%q: Offset(%d,%d,bytes) = %d, want %d", src, p.Line, p.Col, got, off)
			}
		}
		// Columns past the end clamp to the terminator.
		if got := f.Offset(line, l[1]-l[0]+1, false); got != l[1] {
			t.Fatalf("%q: Offset past end of line %d = %d, want %d", src, line, got, l[1])
		}
		if got := f.Offset(line, 1<<30, true); got != l[1] {
			t.Fatalf("%q: Offset(utf16) past end of line %d = %d, want %d", src, line, got, l[1])
		}
	}
	if got := f.Offset(len(ref.lines), 0, true); got != len(src) {
		t.Fatalf("%q: Offset past last line = %d", src, got)
	}
}

func TestAgainstReference(t *testing.T) {
	for _, s := range []string{
		"", "x", "\n", "\r\n", "\r\r\n\n", "ab\ncd\r\nef\rgh",
		"\xf0\x9f\x98\x80\xf0\x9f\x98", "é\r\xe9\n\xc3", strings.Repeat("αβγ😀\r\n", 20),
	} {
		check(t, []byte(s))
	}
}

func TestNewFileAllocs(t *testing.T) {
	for _, src := range [][]byte{
		[]byte(strings.Repeat(": sq dup * ;\n", 1000)),
		[]byte(strings.Repeat(": sq dup * ;\r\n", 1000)),
		[]byte(strings.Repeat(": sq dup * ;\r", 1000)),
	} {
		// One for the File, one for the index.
		if n := testing.AllocsPerRun(10, func() { NewFile("x", src) }); n != 2 {
			t.Errorf("NewFile: %v allocations, want 2", n)
		}
	}
}

func TestPositionAllocs(t *testing.T) {
	f := NewFile("x", []byte(strings.Repeat("αβγ 😀 dup\n", 100)))
	if n := testing.AllocsPerRun(100, func() {
		p := f.Position(555)
		f.Offset(p.Line, p.UTF16, true)
	}); n != 0 {
		t.Errorf("Position+Offset: %v allocations, want 0", n)
	}
}

func FuzzFile(f *testing.F) {
	for _, s := range []string{"", "a\nb", "a\r\nb\rc", "€😀\xff\n", "\r\r\n\n\r"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 512 {
			src = src[:512] // check is quadratic in line length
		}
		check(t, src)
	})
}

var sink Position

func benchText() []byte {
	return []byte(strings.Repeat(": square ( n -- n² ) dup * ; \\ αβγ 😀\n", 3000))
}

func BenchmarkNewFile(b *testing.B) {
	src := benchText()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		NewFile("bench.fs", src)
	}
}

func BenchmarkPosition(b *testing.B) {
	src := benchText()
	f := NewFile("bench.fs", src)
	b.ReportAllocs()
	off := 0
	for b.Loop() {
		off += 7919 // a prime stride visits offsets all over the file
		if off >= len(src) {
			off -= len(src)
		}
		sink = f.Position(off)
	}
}

func BenchmarkOffset(b *testing.B) {
	f := NewFile("bench.fs", benchText())
	b.ReportAllocs()
	line := 0
	for b.Loop() {
		line = (line + 97) % f.LineCount()
		sink.Offset = f.Offset(line, 30, true)
	}
}

func TestEditMatchesNewFile(t *testing.T) {
	texts := []string{"", "a\nb\nc\n", "a\r\nb\r\nc", "x\ry\rz\n", "\n\n\n", "abc", "a\r", "\r\n\r\n"}
	inserts := []string{"", "\n", "\r", "\r\n", "q", "q\nr", "\n\r"}
	for _, old := range texts {
		for s := 0; s <= len(old); s++ {
			for e := s; e <= len(old); e++ {
				for _, ins := range inserts {
					src := old[:s] + ins + old[e:]
					got := NewFile("t", []byte(old)).Edit([]byte(src), s, e, s+len(ins))
					want := NewFile("t", []byte(src))
					if !slicesEqual(got.lines, want.lines) {
						t.Fatalf("Edit(%q -> %q at %d..%d): lines %v, want %v", old, src, s, e, got.lines, want.lines)
					}
				}
			}
		}
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLongLineColumns: columns on long lines (which keep marks along the
// line) are the ones a scan from the line start gives, both ways.
func TestLongLineColumns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "bc ", "é", "€", "😀", " ", "\t", "x"}
	for iter := 0; iter < 20; iter++ {
		var b strings.Builder
		for b.Len() < 5000 {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		b.WriteString("\nshort\n")
		src := []byte(b.String())
		f := NewFile("long.fs", src)
		naive := 0
		for off := 0; off <= len(src) && src[max(off-1, 0)] != '\n'; {
			p := f.Position(off)
			if p.Line != 0 || p.UTF16 != naive {
				t.Fatalf("offset %d: %+v, want line 0 column %d", off, p, naive)
			}
			if got := f.Offset(0, naive, true); got != off {
				t.Fatalf("column %d: offset %d, want %d", naive, got, off)
			}
			if off == len(src) || src[off] == '\n' {
				break
			}
			r, size := utf8.DecodeRune(src[off:])
			off += size
			naive += utf16.RuneLen(r)
		}
	}
}
