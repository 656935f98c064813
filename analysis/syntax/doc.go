package syntax

// How a definition is described to a reader: its documentation (the
// comment block before it) and its kind, as hover and the word query show
// them.

import (
	"strings"

	"github.com/fastforth/fastforth/analysis/scan"
)

// DocLines drops the start of a documentation block that is a comment at
// the end of a line of code: it documents that code.
func DocLines(src []byte, start, end int) (int, int) {
	if start < 0 || end > len(src) || start >= end {
		return 0, 0
	}
	ls := start
	for ls > 0 && src[ls-1] != '\n' && src[ls-1] != '\r' {
		ls--
	}
	for _, c := range src[ls:start] {
		if !scan.IsBlank(c) {
			i := start
			for i < end && src[i] != '\n' && src[i] != '\r' {
				i++
			}
			for i < end && (src[i] == '\n' || src[i] == '\r' || scan.IsBlank(src[i])) {
				i++
			}
			if i >= end {
				return 0, 0
			}
			return i, end
		}
	}
	return start, end
}

// CleanDoc turns a documentation block (\ lines, \G lines, ( ... )
// comments) into its text.
func CleanDoc(text string) string {
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"), "\n")
	inParen := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case inParen:
			if j := strings.LastIndexByte(t, ')'); j >= 0 && j == len(t)-1 {
				t = t[:j]
				inParen = false
			}
		case strings.HasPrefix(t, `\G`):
			t = t[2:]
		case strings.HasPrefix(t, `\`):
			t = t[1:]
		case strings.HasPrefix(t, "("):
			t = t[1:]
			if strings.HasSuffix(t, ")") {
				t = t[:len(t)-1]
			} else {
				inParen = true
			}
		}
		lines[i] = strings.TrimSpace(t)
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// KindText says in words what kind of word d is ("colon definition",
// "alias of dup", ...), the names in it passed through quote when not nil
// (markdown code, for hover).
func (d *Def) KindText(quote func(string) string) string {
	if quote == nil {
		quote = func(s string) string { return s }
	}
	switch d.Kind {
	case Colon:
		if d.DoesOf != nil {
			return "the does> part of " + quote(d.DoesOf.Display)
		}
		return "colon definition"
	case Noname:
		return ":noname definition"
	case Quotation:
		return "quotation"
	case Variable:
		return "variable or buffer (pushes its address)"
	case Constant:
		return "constant or value"
	case Defer:
		return "deferred word"
	case Field:
		return "structure field"
	case Alias:
		if n := d.Target.Name(); n != "" {
			return "alias of " + quote(n)
		}
		return "alias"
	case Marker:
		return "marker"
	case Child:
		if d.Maker != nil {
			return "made by " + quote(d.Maker.Display)
		}
		return "made by a defining word"
	}
	return "word"
}
