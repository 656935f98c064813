package patterns

import (
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/infer"
	"testing"
	"time"
)

// TestColdPhases logs (-v) what each first use costs in a fresh test
// process: the analysis' tables, the library, the first verification, the
// first machine load, the ranking index, the first and second generation.
// It asserts nothing (times are not assertions).
func TestColdPhases(t *testing.T) {
	ta := time.Now()
	all := builtins.All()
	tb := time.Now()
	infer.BuiltinSig(all[0])
	tc := time.Now()
	t.Logf("builtins %v sigs %v", tb.Sub(ta), tc.Sub(tb))
	t0 := time.Now()
	l := Builtin()
	t1 := time.Now()
	VerifyShape(": sq ( n -- n ) dup * ;", "sq", "( n -- n )", Counts{1, 1, 0, 0}.Shape())
	t2 := time.Now()
	loadCode(": sq ( n -- n ) dup * ;")
	t3 := time.Now()
	s, _ := ParseSpec([]byte(`{"name":"sq","effect":"( n -- n*n )","description":"square a number","examples":[{"inputs":[3],"outputs":[9]}]}`))
	t4 := time.Now()
	l.rankIdx()
	t5 := time.Now()
	r := l.Generate(s)
	t6 := time.Now()
	r2 := l.Generate(s)
	t7 := time.Now()
	t.Logf("builtin %v verify %v loadCode %v parse %v rankIdx %v generate %v (%+v) again %v (%+v)", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), t5.Sub(t4), t6.Sub(t5), r.Timings, t7.Sub(t6), r2.Timings)
}
