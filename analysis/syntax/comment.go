package syntax

import (
	"strings"

	"github.com/fastforth/fastforth/analysis/effect"
)

// effectOptions are the reading rules of the configured dialect for stack
// comments: the item names it takes as two cells or two floats.
func (p *parser) effectOptions() effect.Options {
	d := p.cfg.Dialect
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
