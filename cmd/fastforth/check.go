package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/fastforth/fastforth/analysis/builtins"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/project"
	"github.com/fastforth/fastforth/query"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

type common struct {
	json     bool
	includes multiFlag
	preload  multiFlag
	noFloats bool
	hints    bool
	dialect  string
	words    multiFlag
	// floatsSet is set when --no-floats was given.
	floatsSet bool
}

// dialectUsage is the help text of --dialect.
var dialectUsage = "the Forth system whose words and reading rules apply: " + strings.Join(builtins.Dialects(), ", ")

// parseFlags reads the flags of check and infer, before or after the
// paths. It returns ok false with the exit status when the command is
// done (--help: 0; a usage error: 2).
func parseFlags(name string, args []string, stdout, stderr io.Writer, withHints bool) (*common, []string, int, bool) {
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	c := &common{}
	fset.BoolVar(&c.json, "json", false, "print JSON")
	fset.Var(&c.includes, "I", "directory to search for included files (repeatable)")
	fset.Var(&c.preload, "preload", "file loaded before each analysed file, e.g. a test harness (repeatable)")
	fset.BoolVar(&c.noFloats, "no-floats", false, "do not read float literals (system without the floating-point word set)")
	fset.StringVar(&c.dialect, "dialect", "", dialectUsage+" (default: the project file's, else gforth)")
	fset.Var(&c.words, "words", "word file declaring words of another system or library (repeatable)")
	if withHints {
		fset.BoolVar(&c.hints, "hints", false, "also report hints (e.g. missing stack comments)")
	}
	paths, status, done := parseCommand(name, fset, args, stdout, stderr)
	if done {
		return nil, nil, status, false
	}
	fset.Visit(func(f *flag.Flag) {
		if f.Name == "no-floats" {
			c.floatsSet = true
		}
	})
	if c.dialect != "" {
		if _, err := builtins.Get(c.dialect); err != nil {
			fmt.Fprintf(stderr, "fastforth %s: --dialect: %v\n", name, err)
			return nil, nil, 2, false
		}
	}
	if len(paths) == 0 {
		fmt.Fprintf(stderr, "fastforth %s: no files or directories given (fastforth %s --help)\n", name, name)
		return nil, nil, 2, false
	}
	return c, paths, 0, true
}

// overrides are the command line's settings over the project file's.
func (c *common) overrides() project.Overrides {
	o := project.Overrides{Dialect: c.dialect, IncludePaths: c.includes, Preload: c.preload, Words: c.words}
	if c.floatsSet {
		nf := c.noFloats
		o.NoFloats = &nf
	}
	return o
}

// analyzeAll analyses every file in its project's load context (the
// query layer's CheckPaths), calling f for each in order. On an I/O or
// project-file error nothing is analysed and the caller exits 2 with the
// message on stderr and nothing on stdout.
func analyzeAll(c *common, paths []string, stderr io.Writer, f func(name string, r *project.Report)) bool {
	svc := query.New()
	svc.Limits = query.LocalLimits
	if err := svc.CheckPaths(context.Background(), paths, c.overrides(), f); err != nil {
		printError(stderr, err)
		return false
	}
	return true
}

// printError prints a query error as the commands always have: each
// problem on a line of its own after "fastforth: ".
func printError(stderr io.Writer, err error) {
	e := query.AsError(err)
	if len(e.Details) > 0 {
		for _, d := range e.Details {
			fmt.Fprintf(stderr, "fastforth: %s\n", d.Message)
		}
		return
	}
	fmt.Fprintf(stderr, "fastforth: %s\n", e.Message)
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	c, paths, status, ok := parseFlags("check", args, stdout, stderr, true)
	if !ok {
		return status
	}
	out := []query.Diagnostic{}
	errorsSeen := false
	ioOK := analyzeAll(c, paths, stderr, func(name string, r *project.Report) {
		for _, d := range r.Diags {
			if d.Severity == diag.Hint && !c.hints {
				continue
			}
			if d.Severity == diag.Error {
				errorsSeen = true
			}
			jd := query.ToDiagnostic(name, r.Result.File.Source, d)
			if c.json {
				out = append(out, jd)
				continue
			}
			fmt.Fprintln(stdout, jd.String())
		}
	})
	if !ioOK {
		return 2
	}
	if c.json {
		writeJSON(stdout, out)
	}
	switch {
	case errorsSeen:
		return 1
	}
	return 0
}

func runInfer(args []string, stdout, stderr io.Writer) int {
	c, paths, status, ok := parseFlags("infer", args, stdout, stderr, false)
	if !ok {
		return status
	}
	out := []analysis.DefReport{}
	ioOK := analyzeAll(c, paths, stderr, func(name string, r *project.Report) {
		for _, jd := range r.Result.Reports(name) {
			if c.json {
				out = append(out, jd)
				continue
			}
			fmt.Fprintln(stdout, query.InferLine(jd))
		}
	})
	if !ioOK {
		return 2
	}
	if c.json {
		writeJSON(stdout, out)
	}
	return 0
}

// writeJSON prints v indented, as the JSON contract's examples show it.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Forth is full of < > &: keep them readable.
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
