package lsp

import (
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/patterns"
)

// codeBadPattern marks a problem in a pattern file (.forth-patterns): the
// pattern it names is left out of the library until it is fixed.
const codeBadPattern diag.Code = "bad-pattern"

// isPatternFile reports whether a document is a pattern file rather than
// Forth source.
func isPatternFile(name string) bool { return strings.HasSuffix(name, patterns.Ext) }

// analyzePatternFile reads a pattern file with the pattern parser: its
// problems become the document's diagnostics, one per faulty line (the
// whole first line for a problem of the file as a whole). The result has
// no definitions, so the Forth features find nothing in it.
func (w *worker) analyzePatternFile(f *source.File) *analysis.Result {
	empty := w.emptyResult()
	r := *empty
	file := *empty.File
	file.Source = f
	r.File = &file
	_, problems := patterns.ParseFile(f.Name, f.Src)
	for _, p := range problems {
		line := max(p.Line, 1) - 1 // line 0 (the file as a whole): the first line
		start, end := f.LineStart(line), f.LineEnd(line)
		msg := p.Message
		if p.Param != "" {
			msg = "parameter " + p.Param + ": " + msg
		}
		if p.Pattern != "" {
			msg = "pattern " + p.Pattern + ": " + msg
		}
		r.Diags = append(r.Diags, diag.Diagnostic{Start: start, End: end, Severity: diag.Error, Code: codeBadPattern, Message: msg})
	}
	return &r
}

// emptyResult is the analysis of an empty file, made once: it gives a
// pattern file's result a dictionary for features that ask for one.
func (w *worker) emptyResult() *analysis.Result {
	if w.empty == nil {
		w.empty = analysis.New(analysis.Options{}).Analyze("empty.fs", nil)
	}
	return w.empty
}
