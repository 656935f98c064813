package patterns

import "context"

// Runner runs units of code and tests and reports each test's outcome
// (UnitResult): each unit in a dictionary of its own, so that units do
// not see each other's words, and an error in one does not stop the
// others.
//
// Generated tests run in the in-process Forth machine, which has no I/O,
// by default (DefaultRunner); gforth runs only when asked for (Gforth:
// fastforth gen --run or --gforth), and then only on code that passed the
// allowlist and the analysis (Library.Run).
type Runner interface {
	// Name says where the tests run ("gforth", "machine").
	Name() string
	// Run runs the units; ctx bounds the run. A runner that cannot run
	// at all (gforth not installed) returns an error wrapping
	// ErrNoGforth (or its own), and no results.
	Run(ctx context.Context, units []Unit) ([]UnitResult, error)
}

// DefaultRunner is where generated tests run unless gforth is asked for:
// the in-process Forth machine (Machine, set in run_machine.go).
var DefaultRunner Runner

// DefaultMaxOutput caps what a gforth run may print: past it the run is
// stopped and the test that was running reported as
// OutputExceeded(DefaultMaxOutput). Generated tests print a line per
// test; a test that prints without end (1000000 spaces in a loop) would
// otherwise fill gigabytes in seconds.
const DefaultMaxOutput = 1 << 20

// Gforth runs units in gforth (RunGforth).
type Gforth struct {
	// Path is the gforth binary; "" finds gforth on the PATH.
	Path string
	// MaxOutput caps gforth's output in bytes; 0 is DefaultMaxOutput.
	MaxOutput int64
}

// Name is "gforth".
func (Gforth) Name() string { return "gforth" }

// Run runs the units in one gforth process (see RunGforth).
func (g Gforth) Run(ctx context.Context, units []Unit) ([]UnitResult, error) {
	max := g.MaxOutput
	if max <= 0 {
		max = DefaultMaxOutput
	}
	return runGforth(ctx, g.Path, units, max)
}
