package project

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
)

// Report is the analysis of one file as its project loads it.
type Report struct {
	Path   string
	Result *analysis.FileResult
	// Diags are the file's diagnostics, with the project's rules applied:
	// codes the project disables are left out, and an undefined word that
	// another project file defines is reported as not-loaded.
	Diags []diag.Diagnostic
	// Group is the load group the file was read in (its entry files).
	Group []string
	// Checker is the load's: it answers questions about the file's
	// definitions (the stacks inside one, say). Not safe for concurrent
	// use.
	Checker *infer.Checker
}

// Check analyses files in the context their project loads them in: each
// file is read as the first load group that reaches it reads it, so
// checking a file alone or with its whole directory gives the same
// diagnostics. Files are reported in the order given.
func (p *Project) Check(paths []string) []*Report {
	loads := map[string]*analysis.Loaded{}
	var out []*Report
	for _, path := range paths {
		path = cleanAbs(path)
		g := p.GroupFor(path)
		key := strings.Join(g, "\x00")
		l, ok := loads[key]
		if !ok {
			l = p.workspace(g[0]).Load(g, p.Preload(g[0]))
			loads[key] = l
		}
		fr := l.File(path)
		if fr == nil {
			// The project's scan thought g reads path but the load did
			// not (an include in a skipped [if] branch, or one the load
			// could not resolve): read it in the context of its nearest
			// includer that reaches it, else alone.
			g, l, fr = p.nearestLoad(path)
		}
		if fr == nil {
			continue
		}
		out = append(out, &Report{Path: path, Result: fr, Diags: p.finish(path, fr), Group: g, Checker: l.Checker})
	}
	return out
}

// nearestLoad reads path from its includers, nearest first (an includer,
// then the includers of that includer), taking the first load that
// reaches it; else path on its own.
func (p *Project) nearestLoad(path string) ([]string, *analysis.Loaded, *analysis.FileResult) {
	seen := map[string]bool{path: true}
	level := []string{path}
	for depth := 0; depth < 8 && len(level) > 0; depth++ {
		var next []string
		for _, f := range level {
			for _, inc := range p.includersOf(f) {
				if seen[inc] {
					continue
				}
				seen[inc] = true
				next = append(next, inc)
				g := []string{inc}
				l := p.workspace(inc).Load(g, p.Preload(inc))
				if fr := l.File(path); fr != nil {
					return g, l, fr
				}
			}
		}
		level = next
	}
	g := []string{path}
	l := p.workspace(path).Load(g, p.Preload(path))
	return g, l, l.File(path)
}

// finish applies the project's rules to a file's diagnostics.
func (p *Project) finish(path string, fr *analysis.FileResult) []diag.Diagnostic {
	var out []diag.Diagnostic
	src := fr.File.Source.Src
	for _, d := range fr.Diags {
		if d.Code == diag.Undefined && d.Start >= 0 && d.End <= len(src) && d.Start < d.End {
			name := builtins.LowerASCII(string(src[d.Start:d.End]))
			if nd, ok := p.notLoaded(path, name, d); ok {
				d = nd
			}
		}
		if p.Disabled(path, d.Code) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// notLoaded turns an undefined word that another project file defines
// into a not-loaded diagnostic naming where; a warning, or an error when
// the project file states the load order.
func (p *Project) notLoaded(path, name string, d diag.Diagnostic) (diag.Diagnostic, bool) {
	var site *DefSite
	for _, s := range p.Defined(name) {
		if s.File != path {
			site = &s
			break
		}
	}
	if site == nil {
		return d, false
	}
	rel, err := filepath.Rel(filepath.Dir(path), site.File)
	if err != nil {
		rel = site.File
	}
	n := diag.New(diag.NotLoaded, d.Start, d.End, fmt.Sprintf("%s is not loaded here: it is defined in %s:%d, which nothing loads before this file (require %s)", site.Display, filepath.ToSlash(rel), site.Line, filepath.ToSlash(rel)))
	if p.LoadOrderStated() {
		n.Severity = diag.Error
	}
	n.Related = &diag.Related{File: site.File, Start: site.Start, End: site.End, Line: site.Line, Message: "defined here"}
	return n, true
}
