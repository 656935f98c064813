package machine_test

import (
	"fmt"
	"github.com/fastforth/fastforth/forth/machine"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/patterns"
)

// TestPatternLibrary instantiates every builtin pattern with its example
// parameters and runs its tests in the machine: all must pass, as they
// do in gforth (patterns.TestBuiltinLibraryGforth).
func TestPatternLibrary(t *testing.T) {
	lib := patterns.Builtin()
	passed, tests := 0, 0
	for _, p := range lib.All() {
		in, err := p.Instantiate(nil)
		if err != nil {
			t.Errorf("%s: %v", p.ID, err)
			continue
		}
		// The machine runner: the machine with tester.fs's capture of
		// output (tests-out{ ... }tests-out).
		res, err := patterns.Machine{}.Run(t.Context(), []patterns.Unit{{ID: p.ID, Code: in.Code, Tests: in.Tests}})
		if err != nil {
			t.Fatal(err)
		}
		rep := res[0]
		tests += len(rep.Tests)
		var why []string
		if rep.Error != "" {
			why = append(why, rep.Error)
		}
		for _, tr := range rep.Tests {
			if !tr.Pass {
				why = append(why, tr.Message+": "+tr.Test)
			}
		}
		if len(rep.Tests) == 0 {
			why = append(why, "no tests ran")
		}
		if len(why) > 0 {
			t.Errorf("%s:%d: pattern %s:\n  %s\n%s", p.File, p.Line, p.ID, strings.Join(why, "\n  "), in.Code)
			continue
		}
		passed++
	}
	t.Logf("%d/%d patterns pass, %d tests", passed, lib.Len(), tests)
}

// TestDifferentialPatterns loads every builtin pattern (with its example
// parameters) in both systems and runs each test's inputs and the word,
// comparing the resulting stacks and output (addresses aside).
func TestDifferentialPatterns(t *testing.T) {
	lib := patterns.Builtin()
	var text strings.Builder
	text.WriteString(machine.DiffPrologue)
	n := 0
	var inputs []string
	for _, p := range lib.All() {
		in, err := p.Instantiate(nil)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&text, "%s\n", in.Code)
		for _, line := range strings.Split(in.Tests, "\n") {
			line = strings.TrimSpace(line)
			body, ok := strings.CutPrefix(line, "T{")
			if !ok {
				fmt.Fprintf(&text, "%s\n", line)
				continue
			}
			input, _, ok := strings.Cut(body, "->")
			if !ok || strings.Contains(input, "tests-out{") {
				// Tests of output use tester.fs's capture, which
				// neither side has here (TestPatternLibrary runs
				// them in the machine, patterns' tests in gforth).
				continue
			}
			fmt.Fprintf(&text, ".( @@P %d) cr %s cr ff-stack cr\n", n, input)
			inputs = append(inputs, p.ID+": "+input)
			n++
		}
	}
	want := machine.SplitRuns(machine.RunGforthText(t, text.String()))
	got := machine.SplitRuns(machine.RunMachineText(t, text.String()))
	if len(want) != n {
		t.Fatalf("gforth ran %d of %d tests", len(want), n)
	}
	bad := 0
	for i := range n {
		if !machine.SameModuloAddresses(got[i], want[i]) {
			bad++
			if bad <= 10 {
				t.Errorf("%s\ngforth:  %q\nmachine: %q", inputs[i], want[i], got[i])
			}
		}
	}
	t.Logf("%d pattern tests run in both, %d differ", n, bad)
}
