package patterns

import (
	"context"
	"reflect"
	"strings"
	"sync"

	"github.com/fastforth/fastforth/forth/machine"
)

// Machine runs units in the in-process Forth machine (package
// forth/machine): no process, no I/O, every run bounded in steps, memory
// and output. Each unit runs in a clone of one fresh machine, so units
// never see each other's words.
type Machine struct {
	// Config bounds each run; the zero value takes the machine's
	// defaults (10 million steps, 1 MiB of output and of data space).
	Config machine.Config
}

// Name is "machine".
func (Machine) Name() string { return "machine" }

// defaultFresh is a fresh machine with the default configuration, built
// once and cloned for each unit (a clone costs a few microseconds;
// building the dictionary, a fraction of a millisecond).
var defaultFresh = sync.OnceValue(func() *machine.Machine { return machine.New(machine.Config{}) })

func (m Machine) fresh() *machine.Machine {
	if reflect.ValueOf(m.Config).IsZero() {
		return defaultFresh().Clone()
	}
	return machine.New(m.Config)
}

// Run loads each unit's code, then runs its tests (the machine knows
// T{ -> }T itself: the line that would load tester.fs does nothing).
// ctx is checked between units; each unit is bounded by the machine's
// limits.
func (m Machine) Run(ctx context.Context, units []Unit) ([]UnitResult, error) {
	out := make([]UnitResult, 0, len(units))
	for _, u := range units {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		out = append(out, m.runUnit(u))
	}
	return out, nil
}

func (m Machine) runUnit(u Unit) UnitResult {
	res := UnitResult{ID: u.ID, Tests: []TestResult{}}
	mc := m.fresh()
	if err := mc.Load(u.ID+".fs", u.Code); err != nil {
		res.Error = "the code does not load: " + err.Error()
		return res
	}
	rep := mc.RunTests(u.ID+".tests.fs", u.Tests)
	for _, t := range rep.Tests {
		tr := TestResult{Line: t.Line, Test: strings.TrimSpace(t.Text), Pass: t.Pass, Message: t.Message}
		res.Tests = append(res.Tests, tr)
		if t.Pass {
			res.Passed++
		} else {
			res.Failed++
		}
	}
	if rep.Err != nil {
		res.Error = rep.Err.Error()
	}
	return res
}

func init() {
	DefaultRunner = Machine{}
}
