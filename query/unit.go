package query

import (
	"context"
	"os"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/project"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// unit is one analysed file: a request's text, or a file read in its
// project.
type unit struct {
	name    string // as the request named it
	file    *syntax.File
	checker *infer.Checker // not safe for concurrent use: the request's own
	defs    []*infer.Result
	diags   []diag.Diagnostic
	dialect *builtins.Dialect // the dialect it was read in (with word files' words)
}

// load analyses the text or the file a Source names.
func (s *Service) load(ctx context.Context, src *Source) (*unit, *Error) {
	if src.Text != "" {
		a, err := s.analyzeText(src)
		if err != nil {
			return nil, err
		}
		r := a.res
		return &unit{name: a.name, file: r.File, checker: r.Checker, defs: r.Defs, diags: r.Diags, dialect: a.dialect}, nil
	}
	if src.Path == "" {
		return nil, missing("text", "give text or path")
	}
	if err := checkDialect(src.Dialect); err != nil {
		return nil, err
	}
	if st, err := os.Stat(src.Path); err == nil && st.IsDir() {
		return nil, errf(CodeInvalid, "path", "%s is a directory: name a file", src.Path)
	}
	over := s.Overrides
	if src.Dialect != "" {
		over.Dialect = src.Dialect
	}
	var u *unit
	err := s.checkPaths(ctx, []string{src.Path}, over, func(name string, r *project.Report, p *project.Project) {
		if u == nil {
			o := p.Options(r.Path)
			u = &unit{name: name, file: r.Result.File, checker: r.Checker, defs: r.Result.Defs, diags: r.Diags,
				dialect: analysis.ResolveDialect(o.Dialect, o.Words)}
		}
	})
	if err != nil {
		return nil, AsError(err)
	}
	if u == nil {
		return nil, errf(CodeInvalid, "path", "%s is not a Forth file", src.Path)
	}
	return u, nil
}
