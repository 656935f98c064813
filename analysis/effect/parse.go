package effect

import (
	"errors"
	"strings"
)

// ErrNotEffect is returned for text that has no "--" and so is an ordinary
// comment rather than a stack comment.
var ErrNotEffect = errors.New("not a stack comment: no \"--\"")

// Parse reads one or more parenthesised groups, e.g. "( x -- ) ( R: -- x )".
// Text that is not inside parentheses is read as the inside of one group, so
// Parse("a b -- c") works too. Items of later groups are appended to the
// sides of the first; a later group with alternatives makes the whole effect
// Complex.
func Parse(s string) (Effect, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") {
		return ParseInner(s)
	}
	var e Effect
	first := true
	for {
		s = strings.TrimSpace(s)
		if s == "" {
			break
		}
		if !strings.HasPrefix(s, "(") {
			return e, errors.New("text after stack comment: " + s)
		}
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return e, errors.New("unterminated stack comment")
		}
		// "( "ccc<)>" -- )": a quoted item may hold a ')'.
		if q := strings.IndexByte(s[:end], '"'); q >= 0 {
			if q2 := strings.IndexByte(s[q+1:], '"'); q2 >= 0 && q+1+q2 > end {
				if e2 := strings.IndexByte(s[q+2+q2:], ')'); e2 >= 0 {
					end = q + 2 + q2 + e2
				}
			}
		}
		g, err := ParseInner(s[1:end])
		if err != nil {
			return e, err
		}
		s = s[end+1:]
		if first {
			e = g
			first = false
			continue
		}
		if len(g.In) != 1 || len(g.Out) != 1 || len(e.In) != 1 || len(e.Out) != 1 {
			e.Complex = true
			continue
		}
		e.In[0] = append(e.In[0], g.In[0]...)
		e.Out[0] = append(e.Out[0], g.Out[0]...)
		e.Complex = e.Complex || g.Complex
	}
	if first {
		return e, ErrNotEffect
	}
	return e, nil
}

// ParseInner reads the inside of one stack comment, without parentheses.
func ParseInner(s string) (Effect, error) {
	fields := strings.Fields(s)
	sep := -1
	for i, f := range fields {
		if f == "--" || f == "—" || f == "---" {
			sep = i
			break
		}
	}
	if sep < 0 {
		return Effect{}, ErrNotEffect
	}
	// A second "--" belongs to a comment with phases ("compilation: --
	// orig ; run-time: x -- "); without a phase it is a mistake.
	seps, phased := 0, false
	for _, f := range fields {
		switch {
		case f == "--" || f == "—" || f == "---":
			seps++
		case f == ";" || isPhaseLabel(strings.ToLower(f)):
			phased = true
		}
	}
	if seps > 1 && !phased {
		return Effect{}, errors.New(`more than one "--" and no phase (";" or "run-time:")`)
	}
	var e Effect
	var complex bool
	e.In, complex = parseSide(fields[:sep], Data)
	e.Complex = e.Complex || complex
	// The output side starts on the stack the input side ended on only when
	// a prefix was given for the whole group ("F: r1 r2 -- r3").
	start := Data
	if len(fields) > 0 {
		if st, ok := stackPrefix(fields[0]); ok && !hasOtherPrefix(fields[1:sep], st) {
			start = st
		}
	}
	e.Out, complex = parseSide(fields[sep+1:], start)
	e.Complex = e.Complex || complex
	return e, nil
}

func hasOtherPrefix(fields []string, st Stack) bool {
	for _, f := range fields {
		if s, ok := stackPrefix(f); ok && s != st {
			return true
		}
	}
	return false
}

func stackPrefix(f string) (Stack, bool) {
	switch strings.ToUpper(f) {
	case "R:":
		return Return, true
	case "F:":
		return Float, true
	case "C:":
		return Control, true
	case "D:", "S:":
		return Data, true
	}
	return Data, false
}

func parseSide(fields []string, st Stack) (side []Picture, complex bool) {
	var cur Picture
	for _, f := range fields {
		if s, ok := stackPrefix(f); ok {
			st = s
			continue
		}
		switch f {
		case "|":
			side = append(side, cur)
			cur = nil
			continue
		case ";", "--":
			complex = true
			continue
		}
		lf := strings.ToLower(f)
		if isPhaseLabel(lf) {
			complex = true
			continue
		}
		// gforth writes "R:w" with the prefix glued on ("d:x" is a
		// double named x, not a data-stack prefix).
		itemStack := st
		if len(f) > 2 && f[1] == ':' {
			if s, ok := stackPrefix(f[:2]); ok && s != Data {
				itemStack = s
				f = f[2:]
				lf = lf[2:]
			}
		}
		cur = append(cur, classify(f, lf, itemStack))
	}
	side = append(side, cur)
	return side, complex
}

func isPhaseLabel(lf string) bool {
	switch strings.TrimSuffix(lf, ":") {
	case "compilation", "compile-time", "run-time", "runtime", "execution", "interpretation", "initiation":
		return true
	}
	return false
}

func classify(f, lf string, st Stack) Item {
	it := Item{Name: f, Stack: st, Kind: Cell, Cells: 1}
	switch {
	case strings.HasPrefix(f, "\"") || strings.HasPrefix(f, "<") && strings.HasSuffix(f, ">"):
		it.Kind, it.Cells, it.Stack = Parsed, 0, Data
	case isWildcard(lf) || strings.HasSuffix(lf, "-sys") && st != Data:
		it.Kind, it.Cells = Wildcard, 0
	case st == Data && IsDoubleName(lf):
		it.Cells = 2
	}
	return it
}

// IsDoubleName reports whether an item name denotes a double-cell value by
// the Forth 2012 conventions: d, ud, xd (with optional digits, primes or a
// suffix after a dot or colon).
func IsDoubleName(lf string) bool {
	base := strings.TrimRight(lf, "0123456789'_")
	if i := strings.IndexAny(base, ".:"); i > 0 {
		base = base[:i]
	}
	switch base {
	case "d", "ud", "xd", "+d":
		// Not "dx": that is a delta, as in at-deltaxy ( dx dy -- ).
		return true
	}
	return false
}

// IsFloatName reports whether a data-stack item name follows gforth's
// convention for floating-point items (r, r1, r2, r'), which gforth's own
// stack comments use without an "F:" prefix.
func IsFloatName(lf string) bool {
	base := strings.TrimRight(lf, "0123456789'_")
	return base == "r" || base == "rf"
}

// FloatsByName returns a copy of e in which data-stack items named like
// floats (see IsFloatName) are moved to the float stack. It is how a
// checker reads gforth-style comments such as "( r1 r2 -- r3 )".
func (e Effect) FloatsByName() Effect {
	move := func(side []Picture) []Picture {
		out := make([]Picture, len(side))
		for i, p := range side {
			q := make(Picture, len(p))
			for j, it := range p {
				if it.Stack == Data && it.Kind == Cell && IsFloatName(strings.ToLower(it.Name)) {
					it.Stack, it.Cells = Float, 1
				}
				q[j] = it
			}
			out[i] = q
		}
		return out
	}
	return Effect{In: move(e.In), Out: move(e.Out), Complex: e.Complex}
}

// isWildcard recognises "i*x", "j*x", "n*x", "x*u", "i*r" and "...": items
// standing for any number of cells. A product such as "n*n" is a name.
func isWildcard(lf string) bool {
	if strings.HasPrefix(lf, "..") || strings.HasSuffix(lf, "..") {
		return true
	}
	i := strings.IndexByte(lf, '*')
	if i < 0 {
		return false
	}
	a, b := lf[:i], lf[i+1:]
	count := func(s string) bool { return s == "i" || s == "j" || s == "k" || s == "m" || s == "n" || s == "u" }
	item := func(s string) bool { return s == "x" || s == "n" || s == "u" || s == "r" || s == "c" || s == "w" }
	return a != b && (count(a) && item(b) || a == "x" && count(b))
}
