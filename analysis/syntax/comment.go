package syntax

import (
	"strings"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/effect"
	lru "github.com/hashicorp/golang-lru/v2"
)

// effectKey identifies a stack comment's reading: its text inside the
// parentheses and the dialect whose rules read it (dialects are made
// once per name and word files, so the pointer names the rules).
type effectKey struct {
	dialect *builtins.Dialect
	text    string
}

// sharedEffects are stack comments already read, by any parse in the
// process: most programs, and every request to a server, write the same
// few effects. Parsed effects are never changed in place (the code that
// adjusts one copies it first), so parses share them; the bound keeps a
// long-running server's memory flat.
var sharedEffects, _ = lru.New[effectKey, parsedEffect](4096)

// readEffect reads a stack comment's text (inside the parentheses), or
// takes a reading of the same text in the same dialect from before.
func (p *parser) readEffect(text string) parsedEffect { return readEffect(p.cfg.Dialect, text) }

func readEffect(dialect *builtins.Dialect, text string) parsedEffect {
	k := effectKey{dialect, text}
	if pe, ok := sharedEffects.Get(k); ok {
		return pe
	}
	eff, err := effectOptions(dialect).ParseInner(normalizeComment(text))
	pe := parsedEffect{text: "(" + text + ")", eff: eff, err: err}
	sharedEffects.Add(k, pe)
	return pe
}

// effectOptions are the reading rules of the configured dialect for stack
// comments: the item names it takes as two cells or two floats.
func (p *parser) effectOptions() effect.Options { return effectOptions(p.cfg.Dialect) }

func effectOptions(d *builtins.Dialect) effect.Options {
	if d == nil {
		return effect.Options{}
	}
	return effect.Options{TwoCell: d.Rules.TwoCell, TwoFloat: d.Rules.TwoFloat, DoubleMarker: d.Rules.DoubleMarker}
}

// hasSeparator reports whether a comment group has "--" or pForth's
// "-f-" (an effect on the stack named between the dashes).
func hasSeparator(text string) bool {
	return strings.Contains(text, "--") || dashLabel(text) != ""
}

// dashLabel returns the label of pForth's "-f-", "-r-" or "-c-" in text
// ("F:"), or "".
func dashLabel(text string) string {
	for _, f := range strings.Fields(text) {
		if len(f) == 3 && f[0] == '-' && f[2] == '-' {
			switch c := f[1] | 0x20; c {
			case 'f', 'r', 'c':
				return strings.ToUpper(string(c)) + ":"
			}
		}
	}
	return ""
}

// groupLabel returns the stack label a comment group starts with ("R:",
// "F:", "C:", or a label of the program's own such as "a:"), upper-cased,
// or "" when it starts with data-stack items or "D:"/"S:".
func groupLabel(text string) string {
	if l := dashLabel(text); l != "" && !strings.Contains(text, "--") {
		return l
	}
	f, _, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), "(")), " ")
	f = strings.ToUpper(f)
	if n := len(f); n < 2 || n > 3 || f[n-1] != ':' || f == "D:" || f == "S:" {
		return ""
	}
	for i := 0; i < len(f)-1; i++ {
		if c := f[i]; (c < 'A' || c > 'Z') && c != '$' {
			return ""
		}
	}
	return f
}

// ReplaceComment makes text, a stack comment of one group such as
// "( a b -- max )", the stack comment of d in place of d's own, as Parse
// would have read it had text been written over d's comment, but with
// the positions of the comment it replaces. dialect is the one f was
// read in. A verify against an effect other than the word's own thus
// checks the body, and its callers, against that effect without reading
// the file again.
//
// It reports false and changes nothing when the answer could differ
// from reading the edited text: when d's comment is not one readable
// group exactly as written (none, one joined from several groups, one
// from a locals declaration, or one that cannot be read), when text is
// not one readable group on one line that the scanner would take as a
// comment, or when either starts with a stack label ("R:", "F:"),
// since whether a following group joins the stack comment depends on
// that.
//
// f's effects may be shared between definitions: d gets a new Comment,
// the old one is not changed.
func (f *File) ReplaceComment(d *Def, dialect *builtins.Dialect, text string) bool {
	c := d.Comment
	if c == nil || c.Err != nil || c.FromLocals || dialect == nil {
		return false
	}
	start, end := f.Abs(d.Epoch, c.Start), f.Abs(d.Epoch, c.End)
	if start < 0 || end > len(f.Source.Src) || start+2 > end {
		return false
	}
	// The parser's Text is the comment without the blank that ends the
	// word "(".
	written := f.Source.Src[start:end]
	if !oneGroup(string(written)) || c.Text != "("+string(written[2:]) || !oneGroup(text) || groupLabel(c.Text) != "" || groupLabel(text) != "" {
		return false
	}
	// The parser reads the same text inside the parentheses: the
	// reading is the one it shares.
	pe := readEffect(dialect, text[2:len(text)-1])
	if pe.err != nil {
		return false
	}
	eff := pe.eff
	widthsFromSystem(dialect, d.Name, &eff)
	d.Comment = &Comment{Start: c.Start, End: c.End, Text: pe.text, Effect: eff}
	return true
}

// oneGroup reports whether text is "(", a blank, and the rest up to a
// final ")" with no other parenthesis or line break: what the scanner
// reads as one comment word and its one group.
func oneGroup(text string) bool {
	if len(text) < 3 || text[0] != '(' || text[len(text)-1] != ')' || text[1] != ' ' {
		return false
	}
	return !strings.ContainsAny(text[1:len(text)-1], "()\r\n")
}
