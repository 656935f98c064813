package patterns

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

// TestRunOutputCap: a test that prints without end is stopped once its
// output passes the cap, and the run says so.
func TestRunOutputCap(t *testing.T) {
	bin := gforthtest.Path(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	res, err := RunGforth(ctx, bin, []Unit{
		{ID: "flood", Code: ": flood ( -- ) begin 1000000 spaces again ;", Tests: "T{ 1 -> 1 }T\nT{ flood -> }T"},
	})
	if err != nil {
		t.Fatal(err)
	}
	u := res[0]
	if !strings.Contains(u.Error, "output exceeded 1048576 bytes") || len(u.Tests) != 2 || !u.Tests[0].Pass || !strings.Contains(u.Tests[1].Message, "output exceeded") {
		t.Errorf("%+v", u)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("the run took %v: it was not stopped at the cap", d)
	}
}

// TestRunOnlyVettedCode: Run runs only what Generate produced (allowlisted
// parameters, verified code), never a result made by hand.
func TestRunOnlyVettedCode(t *testing.T) {
	gforthtest.Path(t)
	marker := filepath.Join(t.TempDir(), "pwned")
	r := &GenResult{OK: true, Name: "x", Code: ": x ( -- ) ;", Tests: TesterLoad + "\ns\" touch " + marker + "\" system\nT{ x -> }T\n",
		Verification: &Verification{Verified: true}}
	rep := testLib(t).Run(context.Background(), Gforth{}, r)
	if _, err := os.Stat(marker); err == nil {
		t.Error("Run ran a shell command of a result it did not generate")
	}
	if rep.Ran || r.OK {
		t.Errorf("%+v ok=%v", rep, r.OK)
	}
}

// TestRunChangedResult: a generated result whose code or tests were
// changed afterwards is not run either.
func TestRunChangedResult(t *testing.T) {
	l := testLib(t)
	spec, _ := ParseSpec([]byte(`{"name": "sq", "effect": "( n -- n*n )", "pattern": "test-square-001"}`))
	rec := &recorder{}
	r := l.Generate(spec)
	r.Tests += "s\" touch x\" system\n"
	if rep := l.Run(context.Background(), rec, r); rep.Ran || len(rec.units) > 0 || r.OK || !strings.Contains(rep.Message, "not run") {
		t.Errorf("changed tests ran: %+v", rep)
	}
	r = l.Generate(spec)
	if rep := l.Run(context.Background(), rec, r); !rep.Ran || len(rec.units) != 1 || rep.Runner != "recorder" || !r.OK {
		t.Errorf("generated result: %+v %v", rep, rec.units)
	}
}

// recorder is a Runner that records what it is given and passes every
// test.
type recorder struct{ units []Unit }

func (*recorder) Name() string { return "recorder" }

func (r *recorder) Run(_ context.Context, units []Unit) ([]UnitResult, error) {
	r.units = append(r.units, units...)
	out := make([]UnitResult, len(units))
	for i, u := range units {
		out[i] = UnitResult{ID: u.ID, Tests: []TestResult{{Line: 1, Test: "T{", Pass: true}}, Passed: 1}
	}
	return out, nil
}
