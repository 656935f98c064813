package patterns

import (
	"fmt"
	"strconv"
	"strings"
)

// TesterLoad is the first line of generated tests: it loads the tester
// unless T{ is already defined.
const TesterLoad = "[undefined] T{ [if] include " + TesterFile + " [then]"

// The words generated tests use besides T{ -> }T, defined by tester.fs
// in gforth and by the machine runner in the in-process machine:
// tests-out{ starts capturing what is printed, }tests-out ends it and
// leaves the text ( -- c-addr u ); tests-f~ compares two floats within a
// relative 1e-9 ( F: r1 r2 -- ) ( -- flag ).
const (
	outOpen  = "tests-out{"
	outClose = "}tests-out"
	floatEq  = "tests-f~"
)

// testLines renders the spec's examples as T{ ... -> ... }T lines, each
// after the setup (run again before each example, so that each starts
// from the state the setup makes, as the examples were checked):
//
//	T{ inputs name parse after -> outputs }T
//
// Strings are pushed with s" (s\" when they need escapes); a string
// output is compared by content (compare, which leaves 0); a float
// output with tests-f~ (which leaves true); an expected THROW is caught
// (' name catch) and the inputs under its code dropped; what is printed
// is captured (tests-out{ ... }tests-out) and compared.
func testLines(s *Spec) string {
	var b strings.Builder
	for i := range s.Examples {
		if s.Setup != "" {
			b.WriteString(strings.TrimRight(s.Setup, "\n") + "\n")
		}
		b.WriteString(exampleLine(s.Name, &s.Examples[i]) + "\n")
	}
	return b.String()
}

// exampleLine is one example as a test line.
func exampleLine(name string, ex *Example) string {
	var pre, post []string // before and after ->
	inCells, inFloats := 0, 0
	for _, v := range ex.Inputs {
		pre = append(pre, forthValue(v))
		r := readVal(v)
		switch r.kind {
		case kString:
			inCells += 2
		case kFloat:
			inFloats++
		case kCells:
			inCells += len(r.cells)
		default:
			inCells++ // a setup word: one cell (checked by Validate)
		}
	}
	call := []string{name}
	if ex.Throws != nil {
		call = []string{"'", name, "catch"}
	}
	if ex.Parse != "" {
		call = append(call, ex.Parse)
	}
	if ex.After != "" {
		call = append(call, ex.After)
	}
	flags := 0 // flags pushed above the results so far
	if ex.Printed != nil {
		pre = append(pre, outOpen)
		pre = append(pre, call...)
		pre = append(pre, outClose, stringLiteral(*ex.Printed), "compare")
		flags++
	} else {
		pre = append(pre, call...)
	}
	if ex.Throws != nil {
		// The inputs are still there under the code (CATCH restores
		// the depth): dropped, so that only the code is compared.
		for i := 0; i < inFloats; i++ {
			pre = append(pre, "fdrop")
		}
		for i := 0; i < inCells; i++ {
			if flags == 0 {
				pre = append(pre, "nip")
			} else {
				pre = append(pre, "2 roll drop")
			}
		}
		post = append(post, strconv.Itoa(*ex.Throws))
		if ex.Printed != nil {
			post = append(post, "0")
		}
		return testText(pre, post)
	}
	// Floats: compared from the top of the float stack down.
	var floats []string
	for _, v := range ex.Outputs {
		if r := readVal(v); r.kind == kFloat {
			floats = append(floats, v.Token)
		}
	}
	for i := len(floats) - 1; i >= 0; i-- {
		pre = append(pre, floats[i], floatEq)
	}
	// Strings: each brought to the top (roll) and compared, from the
	// topmost down; the cells above one are the outputs above it and
	// the flags pushed so far.
	above := 0
	var strFlags int
	for i := len(ex.Outputs) - 1; i >= 0; i-- {
		v := ex.Outputs[i]
		r := readVal(v)
		switch r.kind {
		case kString:
			d := above + flags + len(floats) + strFlags
			pre = append(pre, fmt.Sprintf("%d roll %d roll", d+1, d+1), stringLiteral(*v.Str), "compare")
			strFlags++
		case kFloat:
		case kCells:
			above += len(r.cells)
		default:
			above++
		}
	}
	for _, v := range ex.Outputs {
		if r := readVal(v); r.kind != kString && r.kind != kFloat {
			post = append(post, v.Token)
		}
	}
	if ex.Printed != nil {
		post = append(post, "0")
	}
	for range floats {
		post = append(post, "true")
	}
	for i := 0; i < strFlags; i++ {
		post = append(post, "0")
	}
	return testText(pre, post)
}

// testText is T{ pre -> post }T with single blanks.
func testText(pre, post []string) string {
	parts := []string{"T{"}
	for _, group := range [][]string{pre, {"->"}, post, {"}T"}} {
		for _, p := range group {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
	}
	return strings.Join(parts, " ")
}

// testHelpers are the definitions tests with floats or output need, for
// a system whose tester lacks them (tester.fs has them; so does the
// machine runner).
const testHelpers = "[undefined] " + floatEq + " [if] : " + floatEq +
	" ( F: r1 r2 -- ) ( -- flag ) fswap fover f- fabs fswap fabs 1e-9 f* fswap f< 0= ; [then]"

// header is the comment block above generated code.
func header(s *Spec) string {
	var b strings.Builder
	if s.Description != "" {
		fmt.Fprintf(&b, "\\ %s\n", s.Description)
	}
	for _, p := range s.Properties {
		fmt.Fprintf(&b, "\\ Property: %s\n", p)
	}
	return b.String()
}

// Skeleton makes test lines for a word without a pattern: one per example
// when given, else a line to fill in.
func Skeleton(name string, counts Counts) string {
	return TesterLoad + "\n" + skeletonLine(name, counts)
}

// placeholderLine is a commented-out test to fill in.
func placeholderLine(name string, counts Counts) string {
	return fmt.Sprintf("\\ %s \\ TODO: replace each ? with the expected result\n", testLine(name, counts))
}

func skeletonLine(name string, counts Counts) string {
	return fmt.Sprintf("\\ Replace each ? with the expected result.\n%s\n", testLine(name, counts))
}

// testLine is a test of name with inputs 1, 2... and ? for the results.
func testLine(name string, counts Counts) string {
	ins := make([]string, counts.In)
	for i := range ins {
		ins[i] = strconv.Itoa(i + 1)
	}
	for i := 0; i < counts.FloatIn; i++ {
		ins = append(ins, strconv.Itoa(i+1)+"e")
	}
	outs := make([]string, counts.Out+counts.FloatOut)
	for i := range outs {
		outs[i] = "?"
	}
	return fmt.Sprintf("T{ %s -> %s }T", strings.TrimSpace(strings.Join(ins, " ")+" "+name), strings.Join(outs, " "))
}
