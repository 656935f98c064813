package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fastforth/fastforth/analysis/builtins"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/project"
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

// target is one command-line path in its project.
type target struct {
	proj  *project.Project
	files []string // clean absolute paths
	names map[string]string
}

// collect opens the project of each path and lists the files to analyse:
// a file as given, a directory's project files below it. Paths keep the
// spelling the user gave (relative stays relative) in the output.
func collect(c *common, paths []string, stderr io.Writer) ([]*target, bool) {
	projects := map[string]*project.Project{}
	var out []*target
	byProject := map[*project.Project]*target{}
	for _, arg := range paths {
		st, err := os.Stat(arg)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe
			}
			fmt.Fprintf(stderr, "fastforth: %v\n", err)
			return nil, false
		}
		root, _ := project.Discover(arg)
		p := projects[root]
		if p == nil {
			p = project.Open(arg, c.overrides())
			projects[root] = p
			if !p.OK() {
				for _, pr := range p.AllProblems() {
					fmt.Fprintf(stderr, "fastforth: %v\n", pr)
				}
				return nil, false
			}
		}
		t := byProject[p]
		if t == nil {
			t = &target{proj: p, names: map[string]string{}}
			byProject[p] = t
			out = append(out, t)
		}
		abs, _ := filepath.Abs(arg)
		if !st.IsDir() {
			if _, err := analysis.ReadSource(arg); err != nil {
				fmt.Fprintf(stderr, "fastforth: %s: %v\n", arg, err)
				return nil, false
			}
			t.add(abs, arg)
			continue
		}
		n := 0
		for _, f := range p.Files() {
			if rel, err := filepath.Rel(abs, f); err == nil && !strings.HasPrefix(rel, "..") {
				t.add(f, filepath.Join(arg, rel))
				n++
			}
		}
		if n == 0 {
			fmt.Fprintf(stderr, "fastforth: no Forth files in %s (looked for %s)\n", arg, strings.Join(p.Exts(), " "))
			return nil, false
		}
	}
	return out, true
}

func (t *target) add(abs, shown string) {
	if _, dup := t.names[abs]; dup {
		return
	}
	t.names[abs] = shown
	t.files = append(t.files, abs)
}

// analyzeAll analyses every file in its project's load context, calling f
// for each in order. On an I/O or project-file error nothing is analysed
// and the caller exits 2 with the message on stderr and nothing on stdout.
func analyzeAll(c *common, paths []string, stderr io.Writer, f func(name string, r *project.Report)) bool {
	targets, ok := collect(c, paths, stderr)
	if !ok {
		return false
	}
	for _, p := range c.preload {
		if _, err := os.Stat(p); err != nil {
			fmt.Fprintf(stderr, "fastforth: %v\n", err)
			return false
		}
	}
	for _, t := range targets {
		for _, r := range t.proj.Check(t.files) {
			f(t.names[r.Path], r)
		}
	}
	return true
}

// jsonDiag is one element of `check --json`: a stable contract.
type jsonDiag struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Severity  string `json:"severity"`
	Code      string `json:"code"`
	Message   string `json:"message"`
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	c, paths, status, ok := parseFlags("check", args, stdout, stderr, true)
	if !ok {
		return status
	}
	out := []jsonDiag{}
	errorsSeen := false
	ioOK := analyzeAll(c, paths, stderr, func(name string, r *project.Report) {
		for _, d := range r.Diags {
			if d.Severity == diag.Hint && !c.hints {
				continue
			}
			if d.Severity == diag.Error {
				errorsSeen = true
			}
			s := r.Result.File.Source.Position(d.Start)
			e := r.Result.File.Source.Position(d.End)
			jd := jsonDiag{File: name, Line: s.Line + 1, Column: s.Col + 1, EndLine: e.Line + 1, EndColumn: e.Col + 1,
				Severity: d.Severity.String(), Code: string(d.Code), Message: d.Message}
			if c.json {
				out = append(out, jd)
				continue
			}
			fmt.Fprintf(stdout, "%s:%d:%d: %s: %s [%s]\n", jd.File, jd.Line, jd.Column, jd.Severity, jd.Message, jd.Code)
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
			decl, inf := "-", "?"
			if jd.Declared != nil {
				decl = *jd.Declared
			}
			if jd.Inferred != nil {
				inf = *jd.Inferred
			}
			line := fmt.Sprintf("%s:%d:%d: %s declared %s inferred %s: %s", name, jd.Line, jd.Column, jd.Name, decl, inf, jd.Status)
			if jd.Reason != "" {
				line += " (" + jd.Reason + ")"
			}
			fmt.Fprintln(stdout, line)
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
