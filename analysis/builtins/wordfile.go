package builtins

import (
	"fmt"
	"strings"

	"github.com/fastforth/fastforth/analysis/effect"
)

// WordFileError is one problem in a word file, with its line (1-based).
type WordFileError struct {
	File string
	Line int
	Msg  string
}

func (e *WordFileError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ParseWordFile reads a word file: the words of a system the dialects do
// not cover, or of a library loaded in a way the reader cannot follow,
// written by users, one a line:
//
//	\ a comment line (also blank lines)
//	name ( effect ) [flag ...] [\ description]
//
// The effect is in standard notation ("( x -- x x )", "( F: r -- )",
// several groups for several stacks) or "?" when it is not known. Flags
// are immediate, compile-only, parse=name, parse=eol, parse=C (text up to
// the character C), defines=KIND (see Dialect). Bad lines are reported
// and left out; the rest is used.
func ParseWordFile(file string, src []byte) ([]*Word, []*WordFileError) {
	var ws []*Word
	var errs []*WordFileError
	seen := map[string]int{}
	for i, line := range strings.Split(string(src), "\n") {
		n := i + 1
		bad := func(format string, args ...any) {
			errs = append(errs, &WordFileError{File: file, Line: n, Msg: fmt.Sprintf(format, args...)})
		}
		line = strings.TrimRight(line, "\r")
		t := strings.TrimSpace(line)
		if t == "" || t == "\\" || strings.HasPrefix(t, "\\ ") || strings.HasPrefix(t, "\\\t") {
			continue
		}
		name, rest, _ := strings.Cut(t, " ")
		name = strings.TrimSpace(name)
		rest = strings.TrimSpace(rest)
		w := &Word{Name: LowerASCII(name), WordSet: "user", Source: fmt.Sprintf("%s:%d", file, n)}
		// The effect: "?" or one or more parenthesised groups.
		switch {
		case strings.HasPrefix(rest, "?"):
			w.EffectText = "?"
			rest = strings.TrimSpace(rest[1:])
		case strings.HasPrefix(rest, "("):
			end := 0
			for strings.HasPrefix(rest[end:], "(") {
				j := strings.IndexByte(rest[end:], ')')
				if j < 0 {
					bad("%s: the effect has no closing )", name)
					end = -1
					break
				}
				end += j + 1
				for end < len(rest) && (rest[end] == ' ' || rest[end] == '\t') {
					end++
				}
			}
			if end < 0 {
				continue
			}
			w.EffectText = strings.TrimSpace(rest[:end])
			rest = strings.TrimSpace(rest[end:])
			e, err := effect.Parse(w.EffectText)
			if err != nil {
				bad("%s: effect %s: %v", name, w.EffectText, err)
				continue
			}
			w.Effect, w.Known = e, true
		default:
			bad("%s: expected a stack effect in parentheses (or ?) after the name", name)
			continue
		}
		flags, desc, _ := strings.Cut(rest, "\\")
		w.Doc = strings.TrimSpace(desc)
		if w.Doc == "" {
			w.Doc = "Declared in " + file + "."
		}
		ok := true
		for _, fl := range strings.Fields(flags) {
			switch {
			case fl == "immediate":
				w.Immediate = true
			case fl == "compile-only":
				w.CompileOnly = true
			case fl == "parse=name":
				w.Parse = ParseName
			case fl == "parse=eol":
				w.Parse = ParseLine
			case strings.HasPrefix(fl, "parse=") && len(fl) == 7:
				w.Parse, w.Delim = ParseDelim, fl[6]
			case strings.HasPrefix(fl, "defines="):
				w.Defines = fl[len("defines="):]
				if !DefineKinds[w.Defines] {
					bad("%s: unknown defines= kind %q", name, w.Defines)
					ok = false
				}
				if w.Parse == ParseNone {
					w.Parse = ParseName
				}
			default:
				bad("%s: unknown flag %q (known: immediate compile-only parse=name parse=eol parse=C defines=KIND)", name, fl)
				ok = false
			}
		}
		if !ok {
			continue
		}
		if prev, dup := seen[w.Name]; dup {
			bad("%s listed again (first on line %d); the later line is used", name, prev)
			for j := range ws {
				if ws[j].Name == w.Name {
					ws[j] = w
				}
			}
			continue
		}
		seen[w.Name] = n
		ws = append(ws, w)
	}
	return ws, errs
}
