package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/fastforth/fastforth/analysis/builtins"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/diag"
)

// forthExts are the file name endings searched in directories.
var forthExts = map[string]bool{".fs": true, ".fth": true, ".4th": true, ".f": true, ".forth": true, ".fr": true, ".fb": true}

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
}

// dialectUsage is the help text of --dialect.
var dialectUsage = "the Forth system whose words and reading rules apply: " + strings.Join(builtins.Dialects(), ", ")

func parseFlags(name string, args []string, stderr io.Writer, withHints bool) (*common, []string, bool) {
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.SetOutput(stderr)
	c := &common{}
	fset.BoolVar(&c.json, "json", false, "print JSON")
	fset.Var(&c.includes, "I", "directory to search for included files (repeatable)")
	fset.Var(&c.preload, "preload", "file loaded before each analysed file, e.g. a test harness (repeatable)")
	fset.BoolVar(&c.noFloats, "no-floats", false, "do not read float literals (system without the floating-point word set)")
	fset.StringVar(&c.dialect, "dialect", "gforth", dialectUsage)
	fset.Var(&c.words, "words", "word file declaring words of another system or library (repeatable)")
	if withHints {
		fset.BoolVar(&c.hints, "hints", false, "also report hints (e.g. missing stack comments)")
	}
	if err := fset.Parse(args); err != nil {
		return nil, nil, false
	}
	if _, err := builtins.Get(c.dialect); err != nil {
		fmt.Fprintf(stderr, "fastforth %s: --dialect: %v\n", name, err)
		return nil, nil, false
	}
	if fset.NArg() == 0 {
		fmt.Fprintf(stderr, "fastforth %s: no files or directories given\n", name)
		return nil, nil, false
	}
	return c, fset.Args(), true
}

// collect expands directories into the Forth files below them.
func collect(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && forthExts[strings.ToLower(filepath.Ext(path))] {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// analyzeAll runs the analysis over every file, calling f for each. Every
// file is read first: on an I/O error nothing is analysed and the caller
// exits 2 with the message on stderr and nothing on stdout.
func analyzeAll(c *common, paths []string, stderr io.Writer, f func(name string, r *analysis.Result)) bool {
	files, err := collect(paths)
	if err != nil {
		fmt.Fprintf(stderr, "fastforth: %v\n", err)
		return false
	}
	srcs := make([][]byte, len(files))
	ok := true
	for i, name := range files {
		srcs[i], err = os.ReadFile(name)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe
			}
			fmt.Fprintf(stderr, "fastforth: %v\n", err)
			ok = false
		}
	}
	if !ok {
		return false
	}
	for _, p := range c.preload {
		if _, err := os.Stat(p); err != nil {
			fmt.Fprintf(stderr, "fastforth: %v\n", err)
			return false
		}
	}
	var words []*builtins.Word
	for _, wf := range c.words {
		src, err := os.ReadFile(wf)
		if err != nil {
			fmt.Fprintf(stderr, "fastforth: %v\n", err)
			return false
		}
		ws, errs := builtins.ParseWordFile(wf, src)
		for _, e := range errs {
			fmt.Fprintf(stderr, "fastforth: %v\n", e)
		}
		if len(errs) > 0 {
			return false
		}
		words = append(words, ws...)
	}
	ws := analysis.New(analysis.Options{IncludePaths: c.includes, NoFloats: c.noFloats, Preload: c.preload, Dialect: c.dialect, Words: words})
	for i, name := range files {
		f(name, ws.Analyze(name, srcs[i]))
		// A batch run analyses each file once: keep no state for edits.
		ws.Forget(name)
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
	c, paths, ok := parseFlags("check", args, stderr, true)
	if !ok {
		return 2
	}
	out := []jsonDiag{}
	errorsSeen := false
	ioOK := analyzeAll(c, paths, stderr, func(name string, r *analysis.Result) {
		for _, d := range r.Diags {
			if d.Severity == diag.Hint && !c.hints {
				continue
			}
			if d.Severity == diag.Error {
				errorsSeen = true
			}
			s := r.File.Source.Position(d.Start)
			e := r.File.Source.Position(d.End)
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
	c, paths, ok := parseFlags("infer", args, stderr, false)
	if !ok {
		return 2
	}
	out := []analysis.DefReport{}
	ioOK := analyzeAll(c, paths, stderr, func(name string, r *analysis.Result) {
		for _, jd := range r.Reports(name) {
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
