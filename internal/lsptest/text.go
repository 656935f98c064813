package lsptest

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Offset converts a position in UTF-16 units to a byte offset of text
// ("\n", "\r\n" line ends; a character past the end of its line means the
// end of the line), as a client applying an edit does.
func Offset(text string, p Position) int {
	off := 0
	for l := 0; l < p.Line; l++ {
		i := strings.Index(text[off:], "\n")
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	for units := 0; units < p.Character && off < len(text) && text[off] != '\n' && text[off] != '\r'; {
		r, n := utf8.DecodeRuneInString(text[off:])
		units += len(utf16.Encode([]rune{r}))
		off += n
	}
	return off
}

// PositionAt converts a byte offset of text to a position in UTF-16 units.
func PositionAt(text string, off int) Position {
	line := strings.Count(text[:off], "\n")
	start := strings.LastIndex(text[:off], "\n") + 1
	return Position{Line: line, Character: len(utf16.Encode([]rune(text[start:off])))}
}
