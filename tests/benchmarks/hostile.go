// Package benchmarks generates the hostile and just large inputs of issue
// 12 §3 (bounded time and memory) and measures the language server and the
// analysis on them: benchmarks (go test -bench), tests that check the
// server stays live and says what it gave up on, and a measurement table
// (TestMeasure, with FASTFORTH_MEASURE=1).
//
// Every generator is deterministic: the same size gives the same text.
package benchmarks

import (
	"fmt"
	"strings"
)

// Input is one generated text and where in it to ask things.
type Input struct {
	Name string
	Text string
	// Hover is the 0-based line and byte column (the texts are ASCII, so
	// also the UTF-16 column) of a word to hover.
	HoverLine, HoverCol int
	// Edit is where a keystroke types a blank: inside the big
	// definition, so that it is read again, and after the hover.
	EditLine, EditCol int
}

// LongLine is n colon definitions on one line ("10k definitions on one
// 230 KB line"): every position a request converts is on that line.
func LongLine(n int) Input {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ": w%d ( n -- n ) 1+ ; ", i)
	}
	text := b.String()
	head := fmt.Sprintf(": w%d ( n -- n ) ", n/2)
	mid := strings.Index(text, head)
	return Input{Name: fmt.Sprintf("long-line-%d", n), Text: text + "\n",
		HoverLine: 0, HoverCol: mid + 2, EditLine: 0, EditCol: mid + len(head)}
}

// NestedDo is one definition of n DO loops inside each other ("20,000
// nested DO loops, 260 KB").
func NestedDo(n int) Input {
	text := ": deep ( -- )\n" + strings.Repeat("10 0 do ", n) + "\n" + strings.Repeat("loop ", n) + "\n;\n"
	return Input{Name: fmt.Sprintf("nested-do-%d", n), Text: text, HoverLine: 0, HoverCol: 2, EditLine: 1, EditCol: 0}
}

// NestedCase is one definition of n CASE structures inside each other
// ("4,000 nested CASEs").
func NestedCase(n int) Input {
	text := ": cases ( n -- )\n" + strings.Repeat("case 1 of ", n) + "\n" + strings.Repeat("endof endcase ", n) + "\n;\n"
	return Input{Name: fmt.Sprintf("nested-case-%d", n), Text: text, HoverLine: 0, HoverCol: 2, EditLine: 1, EditCol: 0}
}

// Chain is n words without stack comments, each calling the one before
// and pushing one more item: word i leaves i+1 items ("a chain of 4,000
// words whose inferred effects grow by one item each").
func Chain(n int) Input {
	var b strings.Builder
	b.WriteString(": c0 1 ;\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, ": c%d c%d 1 ;\n", i, i-1)
	}
	return Input{Name: fmt.Sprintf("chain-%d", n), Text: b.String(),
		HoverLine: n - 1, HoverCol: 2, EditLine: n - 1, EditCol: len(fmt.Sprintf(": c%d c%d ", n-1, n-2))}
}

// Literals is one definition of n literals ("100,000 literals in one
// definition"), ten to a line; the hover is on the last literal.
func Literals(n int) Input {
	var b strings.Builder
	b.WriteString(": lits\n")
	line := 1
	for i := range n {
		fmt.Fprintf(&b, "%d", i%1000)
		if i%10 == 9 {
			b.WriteString("\n")
			line++
		} else {
			b.WriteString(" ")
		}
	}
	b.WriteString(";\n")
	return Input{Name: fmt.Sprintf("literals-%d", n), Text: b.String(),
		HoverLine: line - 1, HoverCol: 0, EditLine: 1, EditCol: 0}
}

// Lines is n short definitions, one a line, and a last line of top-level
// code ("160,000 lines (4 MB)"); the keystroke is at the end of that last
// line, outside every definition.
func Lines(n int) Input {
	var b strings.Builder
	for i := range n - 1 {
		fmt.Fprintf(&b, ": w%06d ( n -- n ) 1+ ;\n", i)
	}
	last := "1 w000000 drop"
	b.WriteString(last + "\n")
	return Input{Name: fmt.Sprintf("lines-%d", n), Text: b.String(),
		HoverLine: n - 1, HoverCol: 2, EditLine: n - 1, EditCol: len(last)}
}

// Sizes are the sizes of issue 12 §3.
var Sizes = struct {
	LongLine, NestedDo, NestedCase, Chain, Literals, Lines int
}{10000, 20000, 4000, 4000, 100000, 160000}

// All is every input at the sizes.
func All() []Input {
	return []Input{
		LongLine(Sizes.LongLine),
		NestedDo(Sizes.NestedDo),
		NestedCase(Sizes.NestedCase),
		Chain(Sizes.Chain),
		Literals(Sizes.Literals),
		Lines(Sizes.Lines),
	}
}
