package patterns

import (
	"context"
	"errors"
	"reflect"
	"strings"

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

// fresh is a machine for one unit, with the capture of output that
// generated tests use (tests-out{ ... }tests-out, which tester.fs
// defines for gforth): the machine has no way to redirect its output, so
// the two words are files that the machine includes from Go, which reads
// the output buffer.
func (m Machine) fresh() *machine.Machine {
	cfg := m.Config
	if reflect.ValueOf(cfg).IsZero() {
		cfg = machine.Config{}
	}
	cap := &capture{}
	next := cfg.Include
	cfg.Include = func(name, from string) (string, []byte, error) {
		switch name {
		case captureOpen:
			cap.mark = len(cap.m.Output())
			return name, nil, nil
		case captureClose:
			out := cap.m.Output()
			text := ""
			if cap.mark <= len(out) {
				text = out[cap.mark:]
			}
			if len(text) > maxCapture {
				text = text[:maxCapture]
			}
			cap.mark = len(out)
			return name, []byte(`s\" ` + escapeForth(text) + `"`), nil
		}
		if next == nil {
			return "", nil, errors.New("no files")
		}
		return next(name, from)
	}
	mc := machine.New(cfg)
	cap.m = mc
	if err := mc.Eval(capturePrelude); err != nil {
		panic("the capture prelude does not load: " + err.Error())
	}
	return mc
}

// The files that stand for the capture of output (names no file system
// gives), and the definitions that include them.
const (
	captureOpen    = "\x00fastforth:tests-out{"
	captureClose   = "\x00fastforth:}tests-out"
	capturePrelude = `: ` + outOpen + ` ( -- ) s\" \x00fastforth:tests-out{" included ; ` +
		`: ` + outClose + ` ( -- c-addr u ) s\" \x00fastforth:}tests-out" included ;`
	// maxCapture is what tester.fs keeps of a capture (tests-omax).
	maxCapture = 65536
)

// capture is the state of one machine's capture.
type capture struct {
	m    *machine.Machine
	mark int
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
