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
	return effect.Options{TwoCell: d.Rules.TwoCell, TwoFloat: d.Rules.TwoFloat}
}

// groupLabel returns the stack label a comment group starts with ("R:",
// "F:", "C:", or a label of the program's own such as "a:"), upper-cased,
// or "" when it starts with data-stack items or "D:"/"S:".
func groupLabel(text string) string {
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
