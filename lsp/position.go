package lsp

import (
	"errors"
	"math"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/source"
)

// encoding is the position encoding negotiated at initialize: how the
// character of an LSP position counts.
type encoding uint8

const (
	encUTF16 encoding = iota // UTF-16 code units (the LSP default)
	encUTF8                  // bytes
)

func (e encoding) kind() protocol.PositionEncodingKind {
	if e == encUTF8 {
		return protocol.PositionEncodingKindUTF8
	}
	return protocol.PositionEncodingKindUTF16
}

func (e encoding) String() string { return string(e.kind()) }

// toPosition converts a byte offset of f's text to an LSP position.
func toPosition(f *source.File, off int, enc encoding) protocol.Position {
	p := f.Position(off)
	ch := p.UTF16
	if enc == encUTF8 {
		ch = p.Col
	}
	return protocol.Position{Line: uint32(p.Line), Character: uint32(ch)}
}

// cursorPosition is toPosition through a cursor, for callers that convert
// offsets in order (see source.Cursor).
func cursorPosition(c *source.Cursor, off int, enc encoding) protocol.Position {
	p := c.Position(off)
	ch := p.UTF16
	if enc == encUTF8 {
		ch = p.Col
	}
	return protocol.Position{Line: uint32(p.Line), Character: uint32(ch)}
}

// toRange converts a byte range of f's text to an LSP range.
func toRange(f *source.File, start, end int, enc encoding) protocol.Range {
	if end < start {
		end = start
	}
	return protocol.Range{Start: toPosition(f, start, enc), End: toPosition(f, end, enc)}
}

// toOffset converts an LSP position to a byte offset of f's text. Positions
// out of range clamp, as the specification asks: a character past the end
// of its line means the end of the line (before its terminator, "\n",
// "\r\n" or "\r"), a line past the last means the end of the text, and a
// UTF-16 position between the two halves of a surrogate pair means the
// start of that character, and so does a UTF-8 position inside a
// multi-byte character (an edit there would split it).
func toOffset(f *source.File, p protocol.Position, enc encoding) int {
	line := clampInt(p.Line)
	off := f.Offset(line, clampInt(p.Character), enc == encUTF16)
	if enc == encUTF8 {
		for i := f.LineStart(line); i < off; {
			_, n := utf8.DecodeRune(f.Src[i:])
			if i+n > off {
				return i
			}
			i += n
		}
	}
	return off
}

func clampInt(v uint32) int {
	if uint64(v) > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(v)
}

var errEmptyChange = errors.New("empty content change")

// applyChange applies one textDocument/didChange content change to f and
// returns the new version. The text is copied, never changed in place:
// earlier versions may still be in use by a snapshot or by the analysis.
func applyChange(f *source.File, change protocol.TextDocumentContentChangeEvent, enc encoding) (*source.File, error) {
	switch c := change.(type) {
	case *protocol.TextDocumentContentChangeWholeDocument:
		return source.NewFile(f.Name, []byte(c.Text)), nil
	case *protocol.TextDocumentContentChangePartial:
		start := toOffset(f, c.Range.Start, enc)
		end := toOffset(f, c.Range.End, enc)
		if end < start {
			start, end = end, start
		}
		src := make([]byte, 0, len(f.Src)-(end-start)+len(c.Text))
		src = append(src, f.Src[:start]...)
		src = append(src, c.Text...)
		src = append(src, f.Src[end:]...)
		return f.Edit(src, start, end, start+len(c.Text)), nil
	}
	return f, errEmptyChange
}
