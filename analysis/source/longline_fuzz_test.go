package source

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// FuzzLongLine checks positions on long lines (issue 12 §3), where the
// columns come from marks kept along the line rather than a scan from its
// start: a piece of text repeated into lines of kilobytes, every offset
// converted both ways and compared with a scan, before and after an edit
// in the middle of a line.
func FuzzLongLine(f *testing.F) {
	for _, s := range []string{": w ( n -- n ) 1+ ; ", "é€😀 ", "\xff\xc3 a", "x\r\n", "😀"} {
		f.Add([]byte(s), uint16(700), uint16(300))
	}
	f.Fuzz(func(t *testing.T, piece []byte, reps, at uint16) {
		if len(piece) == 0 {
			return
		}
		n := min(int(reps), (8<<10)/len(piece)) // at most 8 KB: 16 marks
		src := bytes.Repeat(piece, n)
		checkLinear(t, NewFile("long", src), src)
		// An edit in the middle: the edited file's marks must be those
		// of the new text.
		p := int(at) % (len(src) + 1)
		edited := append(append(append([]byte(nil), src[:p]...), "é x "...), src[p:]...)
		checkLinear(t, NewFile("long", src).Edit(edited, p, p, p+len("é x ")), edited)
	})
}

// checkLinear compares every offset's position (by Position and by a
// Cursor going in order) and its round trip with a scan of each line from
// its start, made once per line.
func checkLinear(t *testing.T, f *File, src []byte) {
	t.Helper()
	ref := newReference(src)
	if f.LineCount() != len(ref.lines) {
		t.Fatalf("LineCount = %d, want %d", f.LineCount(), len(ref.lines))
	}
	cur := f.Cursor()
	for line, l := range ref.lines {
		// want[k] is the UTF-16 column at l[0]+k, boundary[k] whether a
		// character starts there (decoding against the whole line).
		want := make([]int, l[1]-l[0]+1)
		boundary := make([]bool, len(want))
		col := 0
		for i := l[0]; i < l[1]; {
			_, size := utf8.DecodeRune(src[i:l[1]])
			boundary[i-l[0]] = true
			for k := 1; k < size; k++ {
				want[i-l[0]+k] = col
			}
			col += utf16Len(src[i : i+size])
			i += size
			want[i-l[0]] = col
		}
		boundary[len(boundary)-1] = true
		for off := l[0]; off <= l[1]; off++ {
			p := f.Position(off)
			if p.Offset != off || p.Line != line || p.Col != off-l[0] || p.UTF16 != want[off-l[0]] {
				t.Fatalf("Position(%d) = %+v, want line %d col %d utf16 %d", off, p, line, off-l[0], want[off-l[0]])
			}
			// A cursor going through the file in order agrees, and
			// so does Line.
			if c := cur.Position(off); c != p {
				t.Fatalf("Cursor.Position(%d) = %+v, Position %+v", off, c, p)
			}
			if f.Line(off) != line {
				t.Fatalf("Line(%d) = %d, want %d", off, f.Line(off), line)
			}
			if boundary[off-l[0]] {
				if got := f.Offset(line, p.UTF16, true); got != off {
					t.Fatalf("Offset(%d,%d,utf16) = %d, want %d", line, p.UTF16, got, off)
				}
			}
			if got := f.Offset(line, p.Col, false); got != off {
				t.Fatalf("Offset(%d,%d,bytes) = %d, want %d", line, p.Col, got, off)
			}
		}
	}
}

// TestCursorAnyOrder: a cursor agrees with Position whatever the order of
// the offsets (backwards, into line terminators, far along a long line).
func TestCursorAnyOrder(t *testing.T) {
	long := bytes.Repeat([]byte("é😀 ab\xff"), 400)
	for _, src := range [][]byte{[]byte("ab\r\ncd\re\n\nf"), long, append(append([]byte("x\r\n"), long...), "\r\nend"...)} {
		f := NewFile("t", src)
		c := f.Cursor()
		r := rand.New(rand.NewPCG(1, uint64(len(src))))
		for range 3000 {
			off := r.IntN(len(src)+3) - 1
			if got, want := c.Position(off), f.Position(off); got != want {
				t.Fatalf("%.20q…: Cursor.Position(%d) = %+v, want %+v", src, off, got, want)
			}
		}
	}
}
