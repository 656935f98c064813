package machine

import (
	"strings"
	"testing"

	"github.com/fastforth/fastforth/patterns"
)

// TestPatternLibrary instantiates every builtin pattern with its example
// parameters and runs its tests in the machine: all must pass, as they
// do in gforth (patterns.TestBuiltinLibraryGforth).
func TestPatternLibrary(t *testing.T) {
	lib := patterns.Builtin()
	base := New(Config{})
	passed, tests := 0, 0
	for _, p := range lib.All() {
		in, err := p.Instantiate(nil)
		if err != nil {
			t.Errorf("%s: %v", p.ID, err)
			continue
		}
		m := base.Clone()
		rep := m.RunTests(p.ID, in.Code+"\n"+in.Tests+"\n")
		tests += len(rep.Tests)
		var why []string
		if rep.Err != nil {
			why = append(why, rep.Err.Error())
		}
		for _, tr := range rep.Tests {
			if !tr.Pass {
				why = append(why, tr.Message+": "+tr.Text)
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
