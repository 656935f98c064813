package query

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/project"
	"github.com/fastforth/fastforth/analysis/source"
)

// Diagnostic is one problem found, in the shape of `fastforth check
// --json` (a stable contract): 1-based lines, 1-based byte columns.
type Diagnostic struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Severity  string `json:"severity" jsonschema:"error, warning, information or hint"`
	Code      string `json:"code" jsonschema:"the diagnostic's stable code, e.g. effect-mismatch"`
	Message   string `json:"message"`
}

// String is the CLI's line: file:line:col: severity: message [code].
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", d.File, d.Line, d.Column, d.Severity, d.Message, d.Code)
}

// Source names the Forth to analyse: a text, or a file (analysed in its
// project, as `fastforth check` reads it).
type Source struct {
	Text string `json:"text,omitempty" jsonschema:"Forth source text, analysed on its own (with path: as the current text of that file)"`
	Path string `json:"path,omitempty" jsonschema:"a Forth file, analysed in its project as fastforth check reads it (its fastforth.toml: dialect, include paths, load order)"`
	// Dialect overrides the project's dialect.
	Dialect string `json:"dialect,omitempty" jsonschema:"the Forth system: gforth (default), gforth-0.7, standard, pforth, swiftforth, vfx, zeptoforth, mecrisp, esp32forth"`
}

// CheckRequest asks for the diagnostics of a text, a file, or files and
// directories.
type CheckRequest struct {
	Source
	// Paths are files or directories (searched for Forth files), each
	// analysed in its project.
	Paths []string `json:"paths,omitempty" jsonschema:"files or directories to check, each in its project (instead of text or path)"`
	// Hints adds hints (a definition without a stack comment).
	Hints bool `json:"hints,omitempty" jsonschema:"also report hints such as missing stack comments"`
}

// CheckResult is the answer to a check.
type CheckResult struct {
	// OK is true when no error was found.
	OK          bool         `json:"ok"`
	Files       int          `json:"files" jsonschema:"how many files were analysed"`
	Errors      int          `json:"errors"`
	Warnings    int          `json:"warnings"`
	Diagnostics []Diagnostic `json:"diagnostics"`
}

func (r *CheckResult) add(d Diagnostic, sev diag.Severity) {
	switch sev {
	case diag.Error:
		r.Errors++
	case diag.Warning:
		r.Warnings++
	}
	r.Diagnostics = append(r.Diagnostics, d)
}

// ToDiagnostic places d in src, under the name file.
func ToDiagnostic(file string, src *source.File, d diag.Diagnostic) Diagnostic {
	s := src.Position(d.Start)
	e := src.Position(d.End)
	return Diagnostic{File: file, Line: s.Line + 1, Column: s.Col + 1, EndLine: e.Line + 1, EndColumn: e.Col + 1,
		Severity: d.Severity.String(), Code: string(d.Code), Message: d.Message}
}

// Check reports the diagnostics of a text, a file or files and
// directories.
func (s *Service) Check(ctx context.Context, req *CheckRequest) (*CheckResult, error) {
	res := &CheckResult{Diagnostics: []Diagnostic{}}
	if err := checkDialect(req.Dialect); err != nil {
		return nil, err
	}
	switch {
	case len(req.Paths) > 0:
		if req.Text != "" || req.Path != "" {
			return nil, errf(CodeInvalid, "paths", "give paths, or text and/or path, not both")
		}
		over := s.Overrides
		if req.Dialect != "" {
			over.Dialect = req.Dialect
		}
		err := s.CheckPaths(ctx, req.Paths, over, func(name string, r *project.Report) {
			res.Files++
			for _, d := range r.Diags {
				if d.Severity == diag.Hint && !req.Hints {
					continue
				}
				res.add(ToDiagnostic(name, r.Result.File.Source, d), d.Severity)
			}
		})
		if err != nil {
			return nil, err
		}
	case req.Text != "" || req.Path != "":
		if req.Text == "" {
			return s.Check(ctx, &CheckRequest{Source: Source{Dialect: req.Dialect}, Paths: []string{req.Path}, Hints: req.Hints})
		}
		a, err := s.analyzeText(&req.Source)
		if err != nil {
			return nil, err
		}
		res.Files = 1
		for _, d := range a.res.Diags {
			if d.Severity == diag.Hint && !req.Hints {
				continue
			}
			res.add(ToDiagnostic(a.name, a.res.File.Source, d), d.Severity)
		}
	default:
		return nil, missing("text", "give text, path or paths")
	}
	res.OK = res.Errors == 0
	return res, nil
}

// CheckPaths analyses files and directories, each file in the context
// its project loads it in, as `fastforth check` does, calling f for each
// file in order with its name as the request spelled it. Nothing is
// analysed when a path cannot be read or a project file has problems.
func (s *Service) CheckPaths(ctx context.Context, paths []string, over project.Overrides, f func(name string, r *project.Report)) error {
	return s.checkPaths(ctx, paths, over, func(name string, r *project.Report, _ *project.Project) { f(name, r) })
}

// checkPaths is CheckPaths, telling f the project too.
func (s *Service) checkPaths(ctx context.Context, paths []string, over project.Overrides, f func(name string, r *project.Report, p *project.Project)) error {
	lim := s.limits()
	if len(paths) > lim.MaxPaths {
		return errf(CodeTooLarge, "paths", "%d paths; at most %d are allowed", len(paths), lim.MaxPaths)
	}
	targets, err := s.collect(paths, over)
	if err != nil {
		return err
	}
	n := 0
	for _, t := range targets {
		n += len(t.files)
	}
	if n > lim.MaxFiles {
		return errf(CodeTooLarge, "paths", "%d files; at most %d are analysed in one request", n, lim.MaxFiles)
	}
	for _, p := range over.Preload {
		if _, err := os.Stat(p); err != nil {
			return statErr(err)
		}
	}
	for _, t := range targets {
		if err := ctx.Err(); err != nil {
			return AsError(err)
		}
		for _, r := range t.proj.Check(t.files) {
			f(t.names[r.Path], r, t.proj)
		}
	}
	return nil
}

// target is the files of one project that a request names.
type target struct {
	proj  *project.Project
	files []string          // clean absolute paths
	names map[string]string // as the request spelled them
}

// collect opens the project of each path and lists the files to analyse:
// a file as given, a directory's project files below it. Names keep the
// spelling the request gave (relative stays relative).
func (s *Service) collect(paths []string, over project.Overrides) ([]*target, error) {
	projects := map[string]*project.Project{}
	var out []*target
	byProject := map[*project.Project]*target{}
	for i, arg := range paths {
		field := fmt.Sprintf("paths[%d]", i)
		abs, qerr := s.resolve(field, arg)
		if qerr != nil {
			return nil, qerr
		}
		st, err := os.Stat(arg)
		if err != nil {
			return nil, statErr(err)
		}
		root, _ := project.Discover(arg)
		p := projects[root]
		if p == nil {
			p = project.Open(arg, over)
			projects[root] = p
			if !p.OK() {
				e := &Error{Code: CodeBadProject, Message: "the project file has problems"}
				for _, pr := range p.AllProblems() {
					e.Details = append(e.Details, Detail{Message: pr.Error()})
				}
				if len(e.Details) > 0 {
					e.Message = e.Details[0].Message
				}
				return nil, e
			}
		}
		t := byProject[p]
		if t == nil {
			t = &target{proj: p, names: map[string]string{}}
			byProject[p] = t
			out = append(out, t)
		}
		if !st.IsDir() {
			if _, err := analysis.ReadSource(arg); err != nil {
				return nil, &Error{Code: CodeIO, Field: field, Message: fmt.Sprintf("%s: %v", arg, err)}
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
			return nil, &Error{Code: CodeNotFound, Field: field, Message: fmt.Sprintf("no Forth files in %s (looked for %s)", arg, strings.Join(p.Exts(), " "))}
		}
	}
	return out, nil
}

func (t *target) add(abs, shown string) {
	if _, dup := t.names[abs]; dup {
		return
	}
	t.names[abs] = shown
	t.files = append(t.files, abs)
}

// analyzed is a text's analysis, under the name its diagnostics give.
type analyzed struct {
	name    string
	res     *analysis.Result
	dialect *builtins.Dialect
}

// analyzeText analyses a request's text on its own, or, with a path, as
// that file's current text in its project (its dialect, words, include
// paths and preloaded files; includes resolved from its directory).
func (s *Service) analyzeText(src *Source) (*analyzed, *Error) {
	if err := s.checkText("text", src.Text); err != nil {
		return nil, err
	}
	if err := checkDialect(src.Dialect); err != nil {
		return nil, err
	}
	if src.Path == "" {
		o, err := s.textOptions(src.Dialect)
		if err != nil {
			return nil, err
		}
		r := analysis.New(o).Analyze(s.textPath(), []byte(src.Text))
		return &analyzed{name: textName, res: r, dialect: analysis.ResolveDialect(o.Dialect, o.Words)}, nil
	}
	abs, err := s.resolve("path", src.Path)
	if err != nil {
		return nil, err
	}
	over := s.Overrides
	if src.Dialect != "" {
		over.Dialect = src.Dialect
	}
	p := project.Open(abs, over)
	if !p.OK() {
		e := &Error{Code: CodeBadProject, Message: "the project file has problems"}
		for _, pr := range p.AllProblems() {
			e.Details = append(e.Details, Detail{Message: pr.Error()})
		}
		return nil, e
	}
	o := p.Options(abs)
	o.Preload = p.Preload(abs)
	if s.Root != "" {
		o.ReadFile = s.readFile
	}
	r := analysis.New(o).Analyze(abs, []byte(src.Text))
	return &analyzed{name: src.Path, res: r, dialect: analysis.ResolveDialect(o.Dialect, o.Words)}, nil
}

// textName names a text sent without a path in diagnostics.
const textName = "input.fs"

// textPath is where a text sent without a path is analysed: textName in
// the root, else in the working directory when the Service was first
// asked (made absolute once: the analysis would otherwise look up the
// working directory for every text).
func (s *Service) textPath() string {
	s.textOnce.Do(func() {
		if s.Root != "" {
			s.textAbs = filepath.Join(s.Root, textName)
		} else if a, err := filepath.Abs(textName); err == nil {
			s.textAbs = a
		} else {
			s.textAbs = textName
		}
	})
	return s.textAbs
}

// String reads well on its own: a summary line, then the CLI's line for
// each diagnostic.
func (r *CheckResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s in %s", plural(r.Errors, "error"), plural(r.Warnings, "warning"), plural(r.Files, "file"))
	for _, d := range r.Diagnostics {
		b.WriteString("\n" + d.String())
	}
	return b.String()
}
