package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/query"
)

const testUsage = `usage: fastforth test [--json] [--gforth] [--timeout 1m] FILE...

Loads the files, in order, into one Forth machine (as gforth loads the
files of its command line) and runs their T{ ... -> ... }T tests: the
machine knows T{ -> }T itself, and a file's own tester takes over. Prints
each failure with its line. --gforth also runs the files in gforth (the
Fast Forth tester preloaded) and compares. Exit status: 0 every test
passes, 1 a test fails or a file does not load (or, with --gforth, gforth
disagrees), 2 usage error.
`

func runTest(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("test", flag.ContinueOnError)
	fset.SetOutput(stderr)
	asJSON := fset.Bool("json", false, "print the results as JSON")
	withGforth := fset.Bool("gforth", false, "also run the files in gforth and compare")
	timeout := fset.Duration("timeout", time.Minute, "how long gforth may take before it is killed")
	files, status, done := parseCommand("test", fset, args, stdout, stderr)
	if done {
		return status
	}
	var err error
	if len(files) == 0 {
		fmt.Fprint(stderr, testUsage)
		return 2
	}
	srcs := make([][]byte, len(files))
	abs := make([]string, len(files))
	for i, f := range files {
		if srcs[i], err = analysis.ReadSource(f); err != nil {
			fmt.Fprintf(stderr, "fastforth test: %v\n", err)
			return 2
		}
		if abs[i], err = filepath.Abs(f); err != nil {
			abs[i] = f
		}
	}
	svc := query.New()
	svc.Limits = query.LocalLimits
	out, err := svc.RunTests(context.Background(), files, abs, srcs, *withGforth, *timeout)
	if err != nil {
		fmt.Fprintf(stderr, "fastforth test: %s\n", query.AsError(err).Message)
		return 2
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(out)
	} else {
		fmt.Fprint(stdout, out.String())
	}
	if out.Summary.OK {
		return 0
	}
	return 1
}
