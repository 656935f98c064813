package lsp

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/source"
)

func pos(line, char uint32) protocol.Position { return protocol.Position{Line: line, Character: char} }

func TestPositionConversion(t *testing.T) {
	// Line 0: "a😀b" — the emoji is 4 bytes and 2 UTF-16 units.
	// Line 1: "é: x" after a CRLF; line 2 after a lone CR; line 3 after LF.
	text := "a😀b\r\né: x\rcd\nlast"
	f := source.NewFile("t.fs", []byte(text))
	tests := []struct {
		name      string
		p         protocol.Position
		enc       encoding
		want      int // byte offset
		roundTrip bool
	}{
		{"start", pos(0, 0), encUTF16, 0, true},
		{"before emoji", pos(0, 1), encUTF16, 1, true},
		{"after emoji utf16", pos(0, 3), encUTF16, 5, true},
		{"after emoji utf8", pos(0, 5), encUTF8, 5, true},
		{"between surrogate halves", pos(0, 2), encUTF16, 1, false},
		{"inside utf8 sequence snaps to its start", pos(0, 3), encUTF8, 1, false},
		{"end of line before CRLF", pos(0, 4), encUTF16, 6, true},
		{"past end of line clamps before CRLF", pos(0, 99), encUTF16, 6, false},
		{"past end of line clamps utf8", pos(0, 99), encUTF8, 6, false},
		{"after CRLF", pos(1, 0), encUTF16, 8, true},
		{"after é utf16", pos(1, 1), encUTF16, 10, true},
		{"after é utf8", pos(1, 2), encUTF8, 10, true},
		{"lone CR ends a line", pos(2, 0), encUTF16, 14, true},
		{"past end of CR line", pos(1, 50), encUTF16, 13, false},
		{"last line", pos(3, 4), encUTF16, len(text), true},
		{"past last line", pos(9, 0), encUTF16, len(text), false},
		{"huge character", pos(1, 1<<31), encUTF16, 13, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := toOffset(f, tt.p, tt.enc); got != tt.want {
				t.Fatalf("toOffset(%v, %v) = %d, want %d", tt.p, tt.enc, got, tt.want)
			}
			if tt.roundTrip {
				if back := toPosition(f, tt.want, tt.enc); back != tt.p {
					t.Fatalf("toPosition(%d, %v) = %v, want %v", tt.want, tt.enc, back, tt.p)
				}
			}
		})
	}
	// A range that ends before it starts is empty, not reversed.
	r := toRange(f, 5, 2, encUTF16)
	if r.Start != r.End || r.Start != pos(0, 3) {
		t.Fatalf("toRange(5, 2) = %v, want empty at 0:3", r)
	}
}

func partial(sl, sc, el, ec uint32, text string) protocol.TextDocumentContentChangeEvent {
	return &protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: pos(sl, sc), End: pos(el, ec)}, Text: text}
}

func apply(t *testing.T, text string, enc encoding, changes ...protocol.TextDocumentContentChangeEvent) string {
	t.Helper()
	f := source.NewFile("t.fs", []byte(text))
	for _, c := range changes {
		var err error
		f, err = applyChange(f, c, enc)
		if err != nil {
			t.Fatal(err)
		}
		checkIndex(t, f)
	}
	return string(f.Src)
}

// checkIndex compares f's line index (maintained incrementally by
// source.File.Edit) with a fresh one at every offset.
func checkIndex(t *testing.T, f *source.File) {
	t.Helper()
	fresh := source.NewFile(f.Name, f.Src)
	if f.LineCount() != fresh.LineCount() {
		t.Fatalf("line count %d after edits, %d fresh, for %q", f.LineCount(), fresh.LineCount(), f.Src)
	}
	for off := 0; off <= len(f.Src); off++ {
		if a, b := f.Position(off), fresh.Position(off); a != b {
			t.Fatalf("offset %d of %q: %+v after edits, %+v fresh", off, f.Src, a, b)
		}
	}
}

func TestApplyChange(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		enc     encoding
		changes []protocol.TextDocumentContentChangeEvent
		want    string
	}{
		{"insert", "dup *", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 3, 0, 3, " dup")}, "dup dup *"},
		{"delete", "dup dup *", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 3, 0, 7, "")}, "dup *"},
		{"replace across lines", "a\nb\nc", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 1, 2, 0, "-")}, "a-c"},
		{"whole document", "old", encUTF16, []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: "new\ntext"}}, "new\ntext"},
		{"in order", "ab", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 2, 0, 2, "c"), partial(0, 0, 0, 1, "X"), partial(0, 3, 0, 3, "!")}, "Xbc!"},
		{"after emoji utf16", "😀x", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 2, 0, 3, "y")}, "😀y"},
		{"after emoji utf8", "😀x", encUTF8, []protocol.TextDocumentContentChangeEvent{partial(0, 4, 0, 5, "y")}, "😀y"},
		{"emoji typed", "ab", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 1, 0, 1, "😀"), partial(0, 3, 0, 3, "c")}, "a😀cb"},
		{"past end of line appends", "ab\ncd", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 40, 0, 41, "!")}, "ab!\ncd"},
		{"past last line appends", "ab", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(5, 0, 6, 0, "\nz")}, "ab\nz"},
		{"CRLF kept", "ab\r\ncd", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 2, 0, 2, "x"), partial(1, 0, 1, 0, "y")}, "abx\r\nycd"},
		{"past end of CRLF line", "ab\r\ncd", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 9, 0, 9, "!")}, "ab!\r\ncd"},
		{"delete a CRLF", "ab\r\ncd", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 2, 1, 0, "")}, "abcd"},
		{"insert CRLF", "abcd", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 2, 0, 2, "\r\n"), partial(1, 0, 1, 1, "C")}, "ab\r\nCd"},
		{"CR then LF typed apart", "ab", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 1, 0, 1, "\r"), partial(1, 0, 1, 0, "\n"), partial(1, 0, 1, 0, "x")}, "a\r\nxb"},
		{"reversed range", "abcd", encUTF16, []protocol.TextDocumentContentChangeEvent{partial(0, 3, 0, 1, "-")}, "a-d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apply(t, tt.text, tt.enc, tt.changes...); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := applyChange(source.NewFile("t", nil), nil, encUTF16); err == nil {
		t.Fatal("a nil change was applied")
	}
}

// TestTypedCharByChar types a text one character at a time, as an editor
// sends it, at a position computed by the client (in UTF-16 units, after
// an emoji and with CRLF line ends), and checks the result.
func TestTypedCharByChar(t *testing.T) {
	const start = "\\ 😀 demo\r\n: sq ( n -- n*n ) dup * ;\r\n"
	const typed = ": cube ( n -- n³ ) dup dup * * ; \\ 😀 ok\r\n: bad ( n -- ) dup ;"
	for _, enc := range []encoding{encUTF16, encUTF8} {
		t.Run(enc.String(), func(t *testing.T) {
			f := source.NewFile("t.fs", []byte(start))
			line, char := uint32(2), uint32(0)
			for _, r := range splitTyping(typed) {
				var err error
				f, err = applyChange(f, partial(line, char, line, char, r), enc)
				if err != nil {
					t.Fatal(err)
				}
				if r == "\r\n" {
					line, char = line+1, 0
				} else if enc == encUTF16 {
					char += uint32(len(utf16.Encode([]rune(r))))
				} else {
					char += uint32(len(r))
				}
			}
			checkIndex(t, f)
			if got, want := string(f.Src), start+typed; got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			// Backspace everything typed, from the end.
			for len(f.Src) > len(start) {
				p := toPosition(f, len(f.Src), enc)
				_, size := utf8.DecodeLastRune(f.Src)
				if strings.HasSuffix(string(f.Src), "\r\n") {
					size = 2
				}
				q := toPosition(f, len(f.Src)-size, enc)
				var err error
				f, err = applyChange(f, partial(q.Line, q.Character, p.Line, p.Character, ""), enc)
				if err != nil {
					t.Fatal(err)
				}
			}
			checkIndex(t, f)
			if string(f.Src) != start {
				t.Fatalf("after deleting: %q", f.Src)
			}
		})
	}
}

// splitTyping splits text into what one keystroke inserts: a character,
// or a whole CRLF.
func splitTyping(text string) []string {
	var keys []string
	for len(text) > 0 {
		if strings.HasPrefix(text, "\r\n") {
			keys = append(keys, "\r\n")
			text = text[2:]
			continue
		}
		_, n := utf8.DecodeRuneInString(text)
		keys = append(keys, text[:n])
		text = text[n:]
	}
	return keys
}

// TestRandomEdits applies random edits at random (possibly out of range)
// positions and compares with a reference that splits lines itself.
func TestRandomEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "dup ", "😀", "é", "\n", "\r\n", "\r", " ", ": x ;", ""}
	for _, enc := range []encoding{encUTF16, encUTF8} {
		text := "start\r\nof 😀 text\n"
		f := source.NewFile("t.fs", []byte(text))
		for i := 0; i < 2000; i++ {
			lines := refLines(text)
			p1 := pos(uint32(rng.IntN(len(lines)+2)), uint32(rng.IntN(12)))
			p2 := pos(uint32(rng.IntN(len(lines)+2)), uint32(rng.IntN(12)))
			ins := pieces[rng.IntN(len(pieces))] + pieces[rng.IntN(len(pieces))]
			s, e := refOffset(text, p1, enc), refOffset(text, p2, enc)
			if e < s {
				s, e = e, s
			}
			text = text[:s] + ins + text[e:]
			var err error
			f, err = applyChange(f, &protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: p1, End: p2}, Text: ins}, enc)
			if err != nil {
				t.Fatal(err)
			}
			if string(f.Src) != text {
				t.Fatalf("%v edit %d: got %q, want %q", enc, i, f.Src, text)
			}
			if i%50 == 0 {
				checkIndex(t, f)
			}
		}
	}
}

// refLines splits text into lines (without terminators) at "\r\n", "\r"
// and "\n", returning each line's start and end.
func refLines(text string) [][2]int {
	var lines [][2]int
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			lines = append(lines, [2]int{start, i})
			start = i + 1
		case '\r':
			lines = append(lines, [2]int{start, i})
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(lines, [2]int{start, len(text)})
}

// refOffset is the specification's position rule, written independently:
// clamp the line, then walk the characters of the line.
func refOffset(text string, p protocol.Position, enc encoding) int {
	lines := refLines(text)
	if int(p.Line) >= len(lines) {
		return len(text)
	}
	l := lines[p.Line]
	n := 0
	for i, r := range text[l[0]:l[1]] {
		w := len(string(r))
		if enc == encUTF16 {
			w = len(utf16.Encode([]rune{r}))
		}
		if n+w > int(p.Character) {
			return l[0] + i
		}
		n += w
	}
	return l[1]
}
