package query

import (
	"context"
	"fmt"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/project"
)

// InferRequest asks for the effects of the definitions of a text, a file
// or files and directories.
type InferRequest struct {
	Source
	Paths []string `json:"paths,omitempty" jsonschema:"files or directories, each analysed in its project (instead of text or path)"`
	// Word restricts the answer to the definitions of that name.
	Word string `json:"word,omitempty" jsonschema:"only the definitions of this word (case-insensitive)"`
}

// InferResult lists definitions in the shape of `fastforth infer --json`
// (analysis.DefReport, a stable contract).
type InferResult struct {
	Definitions []analysis.DefReport `json:"definitions"`
	// Errors counts the error diagnostics of the analysed code (check
	// lists them).
	Errors int `json:"errors"`
}

// Infer infers the effect of every colon definition, :noname and does>
// part.
func (s *Service) Infer(ctx context.Context, req *InferRequest) (*InferResult, error) {
	res := &InferResult{Definitions: []analysis.DefReport{}}
	if err := checkDialect(req.Dialect); err != nil {
		return nil, err
	}
	switch {
	case len(req.Paths) > 0 || (req.Path != "" && req.Text == ""):
		if len(req.Paths) > 0 && (req.Text != "" || req.Path != "") {
			return nil, errf(CodeInvalid, "paths", "give paths, or text and/or path, not both")
		}
		paths := req.Paths
		if len(paths) == 0 {
			paths = []string{req.Path}
		}
		over := s.Overrides
		if req.Dialect != "" {
			over.Dialect = req.Dialect
		}
		err := s.CheckPaths(ctx, paths, over, func(name string, r *project.Report) {
			res.Definitions = append(res.Definitions, r.Result.Reports(name)...)
			res.Errors += countErrors(r)
		})
		if err != nil {
			return nil, err
		}
	case req.Text != "":
		a, err := s.analyzeText(&req.Source)
		if err != nil {
			return nil, err
		}
		res.Definitions = a.res.Reports(a.name)
		for _, d := range a.res.Diags {
			if d.Severity == diag.Error {
				res.Errors++
			}
		}
	default:
		return nil, missing("text", "give text, path or paths")
	}
	if req.Word != "" {
		want := builtins.LowerASCII(req.Word)
		kept := res.Definitions[:0]
		for _, d := range res.Definitions {
			if builtins.LowerASCII(d.Name) == want {
				kept = append(kept, d)
			}
		}
		res.Definitions = kept
		if len(kept) == 0 {
			return nil, errf(CodeNotFound, "word", "no definition named %q", req.Word)
		}
	}
	return res, nil
}

func countErrors(r *project.Report) int {
	n := 0
	for _, d := range r.Diags {
		if d.Severity == diag.Error {
			n++
		}
	}
	return n
}

// InferLine is the CLI's line for a definition: file:line:col: name
// declared D inferred I: status (reason).
func InferLine(jd analysis.DefReport) string {
	decl, inf := "-", "?"
	if jd.Declared != nil {
		decl = *jd.Declared
	}
	if jd.Inferred != nil {
		inf = *jd.Inferred
	}
	line := fmt.Sprintf("%s:%d:%d: %s declared %s inferred %s: %s", jd.File, jd.Line, jd.Column, jd.Name, decl, inf, jd.Status)
	if jd.Reason != "" {
		line += " (" + jd.Reason + ")"
	}
	return line
}

// String reads well on its own: a line per definition.
func (r *InferResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", plural(len(r.Definitions), "definition"))
	if r.Errors > 0 {
		fmt.Fprintf(&b, " (%s in the code: see check)", plural(r.Errors, "error"))
	}
	for _, d := range r.Definitions {
		b.WriteString("\n" + InferLine(d))
	}
	return b.String()
}
