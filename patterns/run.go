package patterns

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Tester is the test harness generated tests load (tester.fs): T{ ... ->
// ... }T with the usual semantics, floats included.
//
//go:embed tester.fs
var Tester string

// TesterFile is the name generated tests include the harness by.
const TesterFile = "tester.fs"

// Unit is code and its tests, run together.
type Unit struct {
	ID    string
	Code  string
	Tests string
}

// TestResult is the outcome of one T{ ... }T line.
type TestResult struct {
	Line    int    `json:"line"` // 1-based line in the tests
	Test    string `json:"test"`
	Pass    bool   `json:"pass"`
	Message string `json:"message,omitempty"` // why it failed
}

// UnitResult is the outcome of one unit's tests.
type UnitResult struct {
	ID     string       `json:"id"`
	Tests  []TestResult `json:"tests"`
	Passed int          `json:"passed"`
	Failed int          `json:"failed"`
	// Error is set when loading the code or running a test threw.
	Error string `json:"error,omitempty"`
}

// OK reports whether every test passed and nothing threw.
func (r *UnitResult) OK() bool { return r.Failed == 0 && r.Error == "" && r.Passed > 0 }

// ErrNoGforth is returned by RunGforth when gforth is not installed.
var ErrNoGforth = errors.New("gforth is not installed (apt-get install gforth); the tests were not run")

// FindGforth returns the gforth binary on the PATH, or ErrNoGforth.
func FindGforth() (string, error) {
	p, err := exec.LookPath("gforth")
	if err != nil {
		return "", ErrNoGforth
	}
	return p, nil
}

// throwNames are the standard THROW codes a failing unit most often ends
// with.
var throwNames = map[int]string{
	-1: "ABORT", -2: "ABORT\"", -3: "stack overflow", -4: "stack underflow", -5: "return stack overflow",
	-6: "return stack underflow", -7: "do-loops nested too deeply", -8: "dictionary overflow",
	-9: "invalid memory address", -10: "division by zero", -11: "result out of range",
	-12: "argument type mismatch", -13: "undefined word", -14: "interpreting a compile-only word",
	-16: "attempt to use zero-length string as a name", -21: "unsupported operation",
	-22: "control structure mismatch", -24: "invalid numeric argument", -28: "user interrupt",
	-44: "floating-point stack overflow", -45: "floating-point stack underflow", -42: "floating-point divide by zero",
	-46: "floating-point invalid argument",
}

func throwText(code int) string {
	if s, ok := throwNames[code]; ok {
		return fmt.Sprintf("THROW %d (%s)", code, s)
	}
	return fmt.Sprintf("THROW %d", code)
}

// RunGforth runs every unit in one gforth process (gforth is the binary;
// "" finds it on the PATH): the tester is loaded once, then each unit's
// code and tests are included with its own wordlist (the previous units'
// words are out of sight), with any error caught so that the next unit
// still runs. ctx bounds the whole run, and gforth's output is capped at
// DefaultMaxOutput bytes (see Gforth).
//
// It runs whatever it is given: generated code goes through Library.Run,
// which runs only what passed the allowlist and the analysis.
func RunGforth(ctx context.Context, gforth string, units []Unit) ([]UnitResult, error) {
	return Gforth{Path: gforth}.Run(ctx, units)
}

// runGforth is RunGforth with an output cap of maxOut bytes.
func runGforth(parent context.Context, gforth string, units []Unit, maxOut int64) ([]UnitResult, error) {
	if gforth == "" {
		var err error
		if gforth, err = FindGforth(); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(gforth); err != nil {
		return nil, fmt.Errorf("%w: %s does not exist", ErrNoGforth, gforth)
	}
	dir, err := os.MkdirTemp("", "fastforth-run")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, TesterFile), []byte(Tester), 0o644); err != nil {
		return nil, err
	}
	var drv strings.Builder
	fmt.Fprintf(&drv, "s\" %s\" included\n1 tests-verbose !\n", filepath.Join(dir, TesterFile))
	// Each unit defines its words in a wordlist of its own, which is
	// dropped from the search order afterwards, so that units do not
	// see (or redefine) each other's words. (A marker would do it too,
	// but gforth 0.7.3 fails to include files after some forty markers
	// and includes.)
	drv.WriteString("[defined] warnings [if] warnings off [then]\n" +
		"create ff-order 32 cells allot  variable ff-n\n" +
		": ff-save ( -- ) get-order dup ff-n ! 0 ?do ff-order i cells + ! loop ;  ff-save\n" +
		": ff-restore ( -- ) ff-n @ 0 ?do ff-order ff-n @ 1- i - cells + @ loop ff-n @ set-order forth-wordlist set-current decimal ;\n" +
		": ff-begin ( -- ) ff-restore wordlist >r get-order r@ swap 1+ set-order r> set-current ;\n")
	// After a throw the text interpreter may be left compiling (an error
	// inside a definition): go back to interpreting. The unit's wordlist
	// goes at once, from inside ff-run: the driver's next words are
	// looked up without it, so that a unit cannot define them.
	drv.WriteString(": ff-run ( c-addr u -- ) ['] included catch ?dup if cr .\" @@ERROR \" . cr 2drop postpone [ then ff-restore ;\n")
	for i, u := range units {
		name := filepath.Join(dir, fmt.Sprintf("unit%04d.fs", i))
		if err := os.WriteFile(name, []byte(u.Code+"\n"+u.Tests+"\n"), 0o644); err != nil {
			return nil, err
		}
		fmt.Fprintf(&drv, "ff-begin .( @@UNIT %d) cr tests-flush\ns\" %s\" ff-run\n", i, name)
	}
	driver := filepath.Join(dir, "driver.fs")
	if err := os.WriteFile(driver, []byte(drv.String()), 0o644); err != nil {
		return nil, err
	}
	// The output cap cancels ctx, which kills gforth's process group.
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	cmd := exec.CommandContext(ctx, gforth, driver, "-e", "bye")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8")
	cmd.Stdin = strings.NewReader("")
	// A test may start processes of its own (system, sh): on timeout the
	// whole process group goes, and Wait gives up on pipes that a
	// surviving child still holds open.
	setProcessGroup(cmd)
	cmd.WaitDelay = waitDelay
	stdout := &cappedBuffer{max: maxOut, full: cancel}
	stderr := &cappedBuffer{max: maxStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	switch {
	case stdout.exceeded:
		// What ran before is reported; the test that was running is
		// marked as stopped.
		return parseRun(units, stdout.String(), OutputExceeded(maxOut)), nil
	case parent.Err() != nil:
		return parseRun(units, stdout.String(), TimedOut), nil
	case err != nil || stderr.Len() > 0:
		return nil, fmt.Errorf("gforth: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return parseRun(units, stdout.String(), ""), nil
}

// OutputExceeded is the message of the test that was running when the
// output passed max bytes.
func OutputExceeded(max int64) string { return fmt.Sprintf("output exceeded %d bytes", max) }

// maxStderr caps what gforth's standard error keeps (it only says why a
// run failed).
const maxStderr = 64 << 10

// cappedBuffer keeps the first max bytes written to it and calls full
// once when more come; the rest is dropped (the writer goes on draining
// the pipe until the process is gone).
//
// The buffer is a field, not embedded: embedded, its ReadFrom would be
// promoted, and io.Copy would fill it through ReadFrom, past the cap.
type cappedBuffer struct {
	buf      bytes.Buffer
	max      int64
	full     func()
	exceeded bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.exceeded {
		return len(p), nil
	}
	if room := b.max - int64(b.buf.Len()); int64(len(p)) > room {
		b.buf.Write(p[:room])
		b.exceeded = true
		if b.full != nil {
			b.full()
		}
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *cappedBuffer) String() string { return b.buf.String() }
func (b *cappedBuffer) Len() int       { return b.buf.Len() }

// waitDelay is how long a run waits for gforth's output pipes to close
// after it was killed.
const waitDelay = 2 * time.Second

// TimedOut is the message of the test that was running when a run timed
// out.
const TimedOut = "timed out"

// parseRun matches gforth's output with the units' test lines: each test
// prints one PASS:, INCORRECT RESULT: or WRONG NUMBER OF RESULTS: line
// with its source line, in order. When the run was stopped (stop says
// why: TimedOut, OutputExceeded), out is what gforth printed until then:
// the first test without an outcome in the unit that was running is
// marked with stop, and that unit's Error says so.
func parseRun(units []Unit, out string, stop string) []UnitResult {
	timedOut := stop != ""
	type event struct {
		pass bool
		msg  string
		line string
	}
	events := make([][]event, len(units))
	errs := make([]string, len(units))
	cur := -1
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		l := strings.TrimRight(sc.Text(), " ")
		if s, ok := strings.CutPrefix(l, "@@UNIT "); ok {
			cur, _ = strconv.Atoi(strings.TrimSpace(s))
			continue
		}
		if cur < 0 || cur >= len(units) {
			continue
		}
		if s, ok := strings.CutPrefix(l, "@@ERROR "); ok {
			code, _ := strconv.Atoi(strings.TrimSpace(s))
			errs[cur] = throwText(code)
			continue
		}
		for _, k := range []string{"PASS: ", "INCORRECT RESULT: ", "WRONG NUMBER OF RESULTS: "} {
			if i := strings.Index(l, k); i >= 0 {
				events[cur] = append(events[cur], event{pass: k == "PASS: ", msg: strings.TrimSuffix(k, ": "), line: strings.TrimSpace(l[i+len(k):])})
				break
			}
		}
	}
	if timedOut && cur >= 0 && cur < len(units) && errs[cur] == "" {
		errs[cur] = stop
	}
	res := make([]UnitResult, len(units))
	for i, u := range units {
		r := UnitResult{ID: u.ID, Tests: []TestResult{}, Error: errs[i]}
		running := timedOut && i == cur
		ev := events[i]
		for n, line := range strings.Split(u.Tests, "\n") {
			t := strings.TrimSpace(line)
			if !strings.HasPrefix(t, "T{") {
				continue
			}
			tr := TestResult{Line: n + 1, Test: t}
			if len(ev) > 0 && ev[0].line == t {
				tr.Pass, tr.Message = ev[0].pass, ev[0].msg
				if tr.Pass {
					tr.Message = ""
				}
				ev = ev[1:]
			} else if running {
				tr.Message = stop
				running = false
			} else {
				tr.Message = "not run"
				if errs[i] != "" {
					tr.Message = "not run: " + errs[i]
				}
			}
			if tr.Pass {
				r.Passed++
			} else {
				r.Failed++
			}
			r.Tests = append(r.Tests, tr)
		}
		res[i] = r
	}
	return res
}

// Run runs a generated result's tests with runner (see Runner: the
// in-process Forth machine by default, gforth when asked for) and records
// the report in r (TestResults, OK and the run's time). Only what Generate
// produced runs: code from allowlisted parameters that the analysis
// verified. Without the runner (gforth not installed) the report says so
// and OK is unchanged: the code is still verified, only not tested.
func (l *Library) Run(ctx context.Context, runner Runner, r *GenResult) *RunReport {
	start := time.Now()
	rep := &RunReport{Tests: []TestResult{}}
	r.TestResults = rep
	defer func() {
		r.Timings.RunMicros = micros(time.Since(start))
		r.Timings.TotalMicros += r.Timings.RunMicros
	}()
	switch {
	case r.Tests == "":
		rep.Message = "nothing to run: no verified code was generated"
		return rep
	case !r.vetted():
		// A result made or changed by hand: its code passed neither
		// the allowlist nor the analysis.
		rep.Message = "not run: only code generated from a pattern, with allowlisted parameters and verified by the analysis, is run"
		r.OK = false
		return rep
	case !hasTest(r.Tests):
		rep.Message = "no runnable tests: give examples in the spec"
		return rep
	case runner == nil:
		rep.Message = "no test runner: the in-process Forth machine is not available; run the tests in gforth (--run)"
		return rep
	}
	rep.Runner = runner.Name()
	res, err := runner.Run(ctx, []Unit{{ID: r.Name, Code: r.Code, Tests: r.Tests}})
	if errors.Is(err, ErrNoGforth) {
		rep.Message = err.Error()
		return rep
	}
	if err != nil {
		rep.Error = err.Error()
		rep.Ran = true
		r.OK = false
		return rep
	}
	u := res[0]
	rep.Ran, rep.Passed, rep.Failed, rep.Tests, rep.Error = true, u.Passed, u.Failed, u.Tests, u.Error
	if !u.OK() {
		r.OK = false
	}
	return rep
}

// hasTest reports whether tests has a T{ line (one that runs).
func hasTest(tests string) bool {
	for _, line := range strings.Split(tests, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "T{") {
			return true
		}
	}
	return false
}
