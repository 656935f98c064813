package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/fastforth/fastforth/patterns"
)

const genUsage = `usage: fastforth gen [--json] [--run | --gforth PATH] [--timeout 20s] [--max-output BYTES] [--no-builtin] SPEC.json
       fastforth gen --tester

Generates a verified definition and its tests from a JSON spec (SPEC.json,
or - for standard input). Tests run in the in-process Forth machine, which
has no I/O, when it is available; --run runs them in gforth instead (the
gforth on the PATH, or --gforth PATH), killing it after --timeout or once
it has printed --max-output bytes. Only code from allowlisted parameters
that the analysis verified ever runs. --tester prints the tester.fs the
generated tests include.
`

// runTimeout bounds a --run by default: generated tests take
// milliseconds, so a run this long is a test that loops.
const runTimeout = 20 * time.Second

func runGen(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("gen", flag.ContinueOnError)
	asJSON := fset.Bool("json", false, "print the code, tests, verification, test results and timings as JSON")
	run := fset.Bool("run", false, "run the generated tests in gforth")
	tester := fset.Bool("tester", false, "print tester.fs, the harness the generated tests include")
	gforth := fset.String("gforth", "", "run the generated tests in this gforth binary (--run: gforth on the PATH)")
	maxOutput := fset.Int64("max-output", patterns.DefaultMaxOutput, "stop a gforth run that prints more than this many bytes")
	noBuiltin := fset.Bool("no-builtin", false, "only the workspace's patterns (.fastforth/patterns), not the builtin library")
	timeout := fset.Duration("timeout", runTimeout, "how long --run may take before gforth is killed")
	pos, status, done := parseCommand("gen", fset, args, stdout, stderr)
	if done {
		return status
	}
	if *timeout <= 0 {
		fmt.Fprintf(stderr, "fastforth gen: --timeout must be positive, not %v\n", *timeout)
		return 2
	}
	if *maxOutput <= 0 {
		fmt.Fprintf(stderr, "fastforth gen: --max-output must be positive, not %d\n", *maxOutput)
		return 2
	}
	if *tester {
		fmt.Fprint(stdout, patterns.Tester)
		return 0
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, genUsage)
		return 2
	}
	// A short-lived process: collect garbage less often (a third of
	// the CPU time of a cold run went to the collector).
	debug.SetGCPercent(400)
	patterns.Warm()
	var data []byte
	var err error
	if pos[0] == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(pos[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "fastforth gen: %v\n", err)
		return 2
	}
	if emptySpec(data) {
		fmt.Fprintf(stderr, "fastforth gen: %s: the spec is empty: it needs at least a \"name\" and an \"effect\", e.g.\n  {\"name\": \"sum-squares\", \"effect\": \"( n1 n2 -- n3 )\", \"description\": \"the sum of the squares\"}\n", pos[0])
		return 2
	}
	spec, err := patterns.ParseSpec(data)
	if err != nil {
		var re *patterns.SpecReadError
		if *asJSON && errors.As(err, &re) {
			// The same answer as for a spec that reads but is invalid.
			writeJSON(stdout, &patterns.GenResult{Params: map[string]string{}, Errors: re.Errors})
			return 2
		}
		fmt.Fprintf(stderr, "fastforth gen: %s: %v\n", pos[0], err)
		return 2
	}
	l := loadLibrary(stderr, *noBuiltin)
	r := l.Generate(spec)
	if runner := testRunner(*run, *gforth, *maxOutput); runner != nil {
		ctx, cancel := context.WithTimeout(context.Background(), *timeout)
		l.Run(ctx, runner, r)
		cancel()
	}
	code := genStatus(r)
	if *asJSON {
		writeJSON(stdout, r)
		return code
	}
	printGen(pos[0], r, stdout, stderr)
	return code
}

// testRunner is where generated tests run: gforth when asked for (--run,
// --gforth), else the in-process Forth machine (patterns.DefaultRunner;
// nil, no run, until it is available).
func testRunner(run bool, gforth string, maxOutput int64) patterns.Runner {
	if run || gforth != "" {
		return patterns.Gforth{Path: gforth, MaxOutput: maxOutput}
	}
	return patterns.DefaultRunner
}

// genStatus is the exit status: 2 for an invalid spec, 1 when no verified
// code came out or a test failed, else 0.
func genStatus(r *patterns.GenResult) int {
	switch {
	case len(r.Errors) > 0:
		return 2
	case !r.OK:
		return 1
	}
	return 0
}

// printGen writes accepted code and its tests on stdout and everything
// else on stderr, so that stdout can be saved as a Forth file. Code that
// was not accepted (it fails an example, or the analysis does not verify
// it) never goes to stdout.
func printGen(file string, r *patterns.GenResult, stdout, stderr io.Writer) {
	if len(r.Errors) > 0 {
		for _, e := range r.Errors {
			fmt.Fprintf(stderr, "%s: %s: %s\n", file, e.Field, e.Message)
		}
		return
	}
	v := r.Verification
	if r.Route == "" {
		printRejected(r, stderr)
		return
	}
	fmt.Fprintf(stdout, "%s\n\n%s", strings.TrimRight(r.Code, "\n"), r.Tests)
	from := "synthesized from the examples"
	if r.Pattern != nil {
		from = "pattern " + r.Pattern.ID
		if r.Route != "pattern" {
			from += ", " + r.Route
		}
	}
	checked := "behaviour unchecked: the spec has no examples"
	if r.Checked == "examples" {
		checked = fmt.Sprintf("%d of %d examples pass", passedExamples(r), len(r.Examples))
	}
	fmt.Fprintf(stderr, "verified: %s %s (%s); %s\n", r.Name, derefOr(v.Inferred, r.Effect), from, checked)
	if t := r.TestResults; t != nil {
		if !t.Ran {
			fmt.Fprintf(stderr, "tests not run: %s\n", t.Message)
			return
		}
		for _, tr := range t.Tests {
			status := "PASS"
			if !tr.Pass {
				status = "FAIL (" + tr.Message + ")"
			}
			fmt.Fprintf(stderr, "%s: %s\n", status, tr.Test)
		}
		if t.Error != "" {
			fmt.Fprintf(stderr, "%s: %s\n", t.Runner, t.Error)
		}
		fmt.Fprintf(stderr, "%d passed, %d failed\n", t.Passed, t.Failed)
	}
}

// printRejected says why no code was accepted: the named pattern's code
// fails the examples or the analysis, or nothing fits (with the closest
// patterns, what they do and what would have to change).
func printRejected(r *patterns.GenResult, stderr io.Writer) {
	v := r.Verification
	if r.Pattern != nil {
		if v != nil && !v.Verified {
			fmt.Fprintf(stderr, "fastforth gen: the code from pattern %s is NOT verified; not printed:\n", r.Pattern.ID)
		} else {
			fmt.Fprintf(stderr, "fastforth gen: the code from pattern %s fails the examples; not printed:\n", r.Pattern.ID)
		}
		if v != nil {
			for _, p := range v.Problems {
				fmt.Fprintf(stderr, "  %s\n", p)
			}
		}
		printExamples(r.Examples, stderr, "  ")
		if r.Code != "" {
			fmt.Fprintf(stderr, "rejected code:\n%s\n", indent(r.Code))
		}
		return
	}
	why := "no pattern fits"
	if v != nil && len(v.Problems) > 0 {
		why = v.Problems[0]
	}
	fmt.Fprintf(stderr, "fastforth gen: nothing fits %s %s: %s\n", r.Name, r.Effect, why)
	if len(r.Closest) > 0 {
		fmt.Fprintln(stderr, "closest patterns:")
	}
	for _, c := range r.Closest {
		fmt.Fprintf(stderr, "  %s %s: %s\n", c.ID, c.Effect, c.Why)
		if c.Change != "" {
			fmt.Fprintf(stderr, "    to fit: %s\n", c.Change)
		}
	}
}

// printExamples writes what the code did on each example.
func printExamples(exs []patterns.ExampleResult, w io.Writer, prefix string) {
	for _, e := range exs {
		if e.Pass {
			fmt.Fprintf(w, "%sexamples[%d]: pass (%s)\n", prefix, e.Example, e.Got)
		} else {
			fmt.Fprintf(w, "%sexamples[%d]: FAIL: %s\n", prefix, e.Example, e.Message)
		}
	}
}

func passedExamples(r *patterns.GenResult) int {
	n := 0
	for _, e := range r.Examples {
		if e.Pass {
			n++
		}
	}
	return n
}

func derefOr(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}

// emptySpec reports whether a spec says nothing: no text, only blanks,
// null or an object without keys.
func emptySpec(data []byte) bool {
	t := strings.TrimSpace(string(data))
	if t == "" || t == "null" {
		return true
	}
	var m map[string]json.RawMessage
	return json.Unmarshal(data, &m) == nil && len(m) == 0
}
