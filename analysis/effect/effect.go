// Package effect parses and prints Forth stack-effect notation such as
// "( a b -- c )", "( x -- ) ( R: -- x )" and "( F: r1 r2 -- r3 )".
//
// An Effect keeps every item of every stack in one list per side; each item
// records the stack it belongs to. Alternatives ("( x -- 0 | x x )") are kept
// as separate pictures so that a checker can accept any of them.
package effect

import (
	"slices"
	"strings"
)

// Stack identifies one of the stacks a word acts on.
type Stack uint8

const (
	// Data is the data (parameter) stack.
	Data Stack = iota
	// Return is the return stack ("R:").
	Return
	// Float is the floating-point stack ("F:").
	Float
	// Control is the compile-time control-flow stack ("C:"); it never
	// counts towards run-time effects.
	Control
	// Other is a stack of the program's own, named by an item's Label
	// ("a:" in "( a: a1 a2 -- )"); it never counts either.
	Other
)

// String returns the section prefix used in stack comments.
func (s Stack) String() string {
	switch s {
	case Return:
		return "R:"
	case Float:
		return "F:"
	case Control:
		return "C:"
	case Other:
		return "?:"
	}
	return ""
}

// Kind tells how an item counts.
type Kind uint8

const (
	// Cell is an ordinary item of Cells cells.
	Cell Kind = iota
	// Wildcard stands for an unknown number of items ("i*x", "...", "xu").
	Wildcard
	// Parsed is text the word parses from the input ("\"name\""); it takes
	// no stack space.
	Parsed
)

// Item is one entry of a stack picture.
type Item struct {
	Name  string // as written, e.g. "n1", "c-addr", "\"name\""
	Stack Stack
	Kind  Kind
	Cells int // cells (or floats) it occupies: 2 for "d" and "ud", else 1; 0 for Parsed and Wildcard
	// Floats is how many floats a data-stack item takes when a checker
	// reads it as a float by its name, as gforth's comments write floats
	// without "F:" (see FloatsByName): 1 for "r", 2 for a complex "z"
	// (Options.TwoFloat); 0 when the name is not a float's.
	Floats int
	// Label is the label of an Other stack, lower case ("a:").
	Label string
}

// Picture is one alternative of one side, bottom of stack first.
type Picture []Item

// Effect is a parsed stack comment.
type Effect struct {
	// In and Out hold at least one picture each; more than one means
	// alternatives separated by "|".
	In, Out []Picture
	// Complex is set for comments that describe several phases
	// ("compilation ... ; run-time ...") and cannot be checked as a
	// single run-time effect.
	Complex bool
}

// Count returns the number of cells the side takes from (in) or leaves on
// (out) the given stack. ok is false when the count is not fixed: a wildcard
// appears, or alternatives differ.
func (e *Effect) Count(out bool, s Stack) (n int, ok bool) {
	side := e.In
	if out {
		side = e.Out
	}
	for i, p := range side {
		c, fixed := p.Count(s)
		if !fixed {
			return 0, false
		}
		if i == 0 {
			n = c
		} else if c != n {
			return 0, false
		}
	}
	return n, true
}

// In returns Count(false, s) and Out returns Count(true, s).
func (e *Effect) DataIn() (int, bool)  { return e.Count(false, Data) }
func (e *Effect) DataOut() (int, bool) { return e.Count(true, Data) }

// Count returns the cells on stack s in the picture; ok is false when a
// wildcard makes it variable.
func (p Picture) Count(s Stack) (n int, ok bool) {
	for _, it := range p {
		if it.Stack != s {
			continue
		}
		if it.Kind == Wildcard {
			return 0, false
		}
		n += it.Cells
	}
	return n, true
}

// Has reports whether any picture of the effect mentions stack s.
func (e *Effect) Has(s Stack) bool {
	for _, side := range [2][]Picture{e.In, e.Out} {
		for _, p := range side {
			for _, it := range p {
				if it.Stack == s && it.Kind != Parsed {
					return true
				}
			}
		}
	}
	return false
}

// Variable reports whether some side has a wildcard or alternatives.
func (e *Effect) Variable() bool {
	if len(e.In) != 1 || len(e.Out) != 1 {
		return true
	}
	for _, side := range [2][]Picture{e.In, e.Out} {
		for _, it := range side[0] {
			if it.Kind == Wildcard {
				return true
			}
		}
	}
	return false
}

// Parses returns the parsed-text items ("\"name\"") of the input side.
func (e *Effect) Parses() []Item {
	var r []Item
	for _, p := range e.In {
		for _, it := range p {
			if it.Kind == Parsed {
				r = append(r, it)
			}
		}
		break
	}
	return r
}

// String prints the effect in canonical form: the data stack (with any
// float and return items of the same comment) as "( in -- out )", followed
// by one "( R: in -- out )" group for the return stack and one for floats
// when they appear. An empty effect prints as "( -- )".
func (e *Effect) String() string { return e.format(0) }

// ShortItems bounds the items Short prints of one stack in one picture.
const ShortItems = 16

// Short prints the effect as String does, for a message or a display
// rather than for source text: where one stack of a picture holds more
// than ShortItems items, it prints the first ones (the bottom), " …" and
// the last ones (the top), so that a message stays short whatever the
// effect. Short is String for every effect that small.
func (e *Effect) Short() string { return e.format(ShortItems) }

func (e *Effect) format(limit int) string {
	var b strings.Builder
	e.write(&b, Data, "", limit)
	for _, s := range []Stack{Return, Float, Control} {
		if e.Has(s) {
			b.WriteByte(' ')
			e.write(&b, s, "", limit)
		}
	}
	for _, l := range e.labels() {
		b.WriteByte(' ')
		e.write(&b, Other, l, limit)
	}
	return b.String()
}

// labels lists the labels of the Other stacks, in order of appearance.
func (e *Effect) labels() []string {
	var ls []string
	for _, side := range [2][]Picture{e.In, e.Out} {
		for _, p := range side {
			for _, it := range p {
				if it.Stack == Other && !slices.Contains(ls, it.Label) {
					ls = append(ls, it.Label)
				}
			}
		}
	}
	return ls
}

func (e *Effect) write(b *strings.Builder, s Stack, label string, limit int) {
	b.WriteString("(")
	switch s {
	case Data:
	case Other:
		b.WriteByte(' ')
		b.WriteString(label)
	default:
		b.WriteByte(' ')
		b.WriteString(s.String())
	}
	writeSide(b, e.In, s, label, limit)
	b.WriteString(" --")
	writeSide(b, e.Out, s, label, limit)
	b.WriteString(" )")
}

func writeSide(b *strings.Builder, side []Picture, s Stack, label string, limit int) {
	for i, p := range side {
		if i > 0 {
			b.WriteString(" |")
		}
		shown := func(it Item) bool {
			return it.Stack == s && it.Label == label || (s == Data && it.Kind == Parsed)
		}
		n := 0
		if limit > 0 {
			for _, it := range p {
				if shown(it) {
					n++
				}
			}
		}
		// Past the limit: the first head items, "…", the last tail.
		head, tail := n, 0
		if limit > 0 && n > limit {
			head, tail = limit*3/4, limit-limit*3/4
		}
		j := 0
		for _, it := range p {
			if !shown(it) {
				continue
			}
			if j == head && tail > 0 {
				b.WriteString(" …")
			}
			if j < head || j >= n-tail || limit == 0 {
				b.WriteByte(' ')
				b.WriteString(it.Name)
			}
			j++
		}
	}
}
