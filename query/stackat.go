package query

import (
	"context"
	"fmt"
	"github.com/fastforth/fastforth/analysis/stackview"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// StackAtRequest names a word inside a definition: by position (line and
// column, or a byte offset into text), or by name (the definition, the
// word, and which of its uses there).
type StackAtRequest struct {
	Source
	Line   int  `json:"line,omitempty" jsonschema:"1-based line of the word (with column)"`
	Column int  `json:"column,omitempty" jsonschema:"1-based byte column of the word (with line)"`
	Offset *int `json:"offset,omitempty" jsonschema:"0-based byte offset into text (instead of line and column)"`
	// Definition and Word name the place instead of a position: the
	// Occurrence-th use of Word in the body of Definition.
	Definition string `json:"definition,omitempty" jsonschema:"the name of the definition to look into (instead of a position)"`
	Word       string `json:"word,omitempty" jsonschema:"with definition: the word in its body"`
	Occurrence int    `json:"occurrence,omitempty" jsonschema:"with definition and word: which use of the word, 1-based (default 1)"`
}

// StackAtResult gives the stacks just before and just after a word, one
// picture per path that reaches it, named after the stack comment of the
// definition it is in: "( a b )", and "( R: x )", "( F: r )" when the
// return or float stack holds items.
type StackAtResult struct {
	Word       string   `json:"word" jsonschema:"the word at the place, as written"`
	Line       int      `json:"line"`
	Column     int      `json:"column"`
	Definition string   `json:"definition,omitempty" jsonschema:"the definition the word is in; empty at top level"`
	Declared   *string  `json:"declared" jsonschema:"that definition's stack comment"`
	Before     []string `json:"before" jsonschema:"the stacks just before the word, one per path"`
	After      []string `json:"after" jsonschema:"the stacks just after it, one per path; empty when no path goes on"`
	Reachable  bool     `json:"reachable" jsonschema:"false when no path reaches the word"`
	// CompileTime is set for a word that runs while the definition is
	// compiled ([ ] or an immediate word): it does not act on these
	// stacks.
	CompileTime bool   `json:"compileTime,omitempty"`
	Note        string `json:"note,omitempty" jsonschema:"why nothing is shown, or what was picked"`
}

// StackAt gives the stacks around a word inside a definition.
func (s *Service) StackAt(ctx context.Context, req *StackAtRequest) (*StackAtResult, error) {
	byName := req.Definition != "" || req.Word != ""
	byPos := req.Line > 0 || req.Column > 0 || req.Offset != nil
	switch {
	case byName && byPos:
		return nil, errf(CodeInvalid, "definition", "give a position (line and column, or offset) or names (definition and word), not both")
	case byName && (req.Definition == "" || req.Word == ""):
		if req.Definition == "" {
			return nil, missing("definition", "the definition the word is in")
		}
		return nil, missing("word", "the word in the definition's body")
	case !byName && !byPos:
		return nil, missing("line", "give line and column, offset, or definition and word")
	case req.Offset != nil && req.Text == "":
		return nil, errf(CodeInvalid, "offset", "offset is a byte offset into text: give text, or line and column")
	case req.Offset != nil && (req.Line > 0 || req.Column > 0):
		return nil, errf(CodeInvalid, "offset", "give offset, or line and column, not both")
	case byPos && req.Offset == nil && (req.Line <= 0 || req.Column <= 0):
		if req.Line <= 0 {
			return nil, errf(CodeInvalid, "line", "line is 1-based and required with column")
		}
		return nil, errf(CodeInvalid, "column", "column is 1-based and required with line")
	case req.Offset != nil && (*req.Offset < 0 || *req.Offset > len(req.Text)):
		return nil, errf(CodeInvalid, "offset", "offset %d is outside the text (0 to %d)", *req.Offset, len(req.Text))
	}
	u, err := s.load(ctx, &req.Source)
	if err != nil {
		return nil, err
	}
	f := u.file
	var d *syntax.Def
	var i int
	note := ""
	if byName {
		var qerr *Error
		d, i, qerr = findByName(f, req.Definition, req.Word, max(req.Occurrence, 1))
		if qerr != nil {
			return nil, qerr
		}
	} else {
		off := 0
		if req.Offset != nil {
			off = *req.Offset
		} else {
			if req.Line > f.Source.LineCount() {
				return nil, errf(CodeInvalid, "line", "line %d is past the end (%d lines)", req.Line, f.Source.LineCount())
			}
			off = f.Source.Offset(req.Line-1, req.Column-1, false)
		}
		d, i, note = findAt(f, off)
		if d == nil {
			res := &StackAtResult{Before: []string{}, After: []string{}, Note: note}
			if note == "" {
				res.Note = "not inside a definition: the stacks are shown for words in the body of a colon definition"
			}
			pos := f.Source.Position(off)
			res.Line, res.Column = pos.Line+1, pos.Col+1
			return res, nil
		}
	}
	return stackResult(u, d, i, note), nil
}

// stackResult traces d to give the stacks around its op i.
func stackResult(u *unit, d *syntax.Def, i int, note string) *StackAtResult {
	f := u.file
	c := u.checker
	op := &d.Body[i]
	start := f.Abs(d.Epoch, op.Start)
	pos := f.Source.Position(start)
	res := &StackAtResult{
		Word: string(f.Source.Src[start:f.Abs(d.Epoch, op.End)]), Line: pos.Line + 1, Column: pos.Col + 1,
		Definition: analysis.ReportName(d), Before: []string{}, After: []string{}, Note: note,
		CompileTime: op.Interp,
	}
	if d.Comment != nil && d.Comment.Err == nil {
		s := d.Comment.Effect.String()
		res.Declared = &s
	}
	if op.Interp {
		res.Reachable = true
		res.Note = join(res.Note, "the word runs while the definition is compiled, not on these stacks")
		return res
	}
	before, after, ok := stackview.Around(c, d, i)
	res.Reachable = ok
	if before != nil {
		res.Before = before
	}
	if after != nil {
		res.After = after
	}
	switch {
	case !ok:
		res.Note = join(res.Note, "no path reaches this word")
	case len(after) == 0:
		why := "no path continues after the word"
		if op.Kind == syntax.OpUndefined {
			why = "not known after the word: it is undefined"
		} else if r := c.Def(d); r.Status == infer.Unknowable && r.Reason != "" {
			why = "not known after the word: " + r.Reason
		}
		res.Note = join(res.Note, why)
	}
	return res
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// findAt finds the op of a definition's body at byte offset off: the word
// there, or the one the offset is just after; between words, the next
// word of the definition (said in note).
func findAt(f *syntax.File, off int) (d *syntax.Def, i int, note string) {
	for _, x := range f.Defs {
		if len(x.Body) == 0 {
			continue
		}
		if f.Abs(x.Epoch, x.Start) <= off && off <= f.Abs(x.Epoch, x.End) {
			d = x // the innermost (quotations and does> parts come after)
		}
	}
	if d == nil {
		return nil, 0, ""
	}
	abs := func(x int32) int { return f.Abs(d.Epoch, x) }
	for j := range d.Body {
		op := &d.Body[j]
		end := max(abs(op.End), abs(op.ArgEnd))
		if abs(op.Start) <= off && off < end {
			return d, j, ""
		}
	}
	for j := range d.Body {
		if abs(d.Body[j].End) == off {
			return d, j, ""
		}
	}
	for j := range d.Body {
		if abs(d.Body[j].Start) > off {
			return d, j, "no word at the position: the stacks around the next word"
		}
	}
	j := len(d.Body) - 1
	return d, j, "no word at the position: the stacks around the last word"
}

// findByName finds the n-th use of word in the body of the last
// definition called def.
func findByName(f *syntax.File, def, word string, n int) (*syntax.Def, int, *Error) {
	var d *syntax.Def
	want := builtins.LowerASCII(def)
	for _, x := range f.Defs {
		if x.Name == want || analysis.ReportName(x) == def {
			d = x
		}
	}
	if d == nil {
		return nil, 0, errf(CodeNotFound, "definition", "no definition named %q", def)
	}
	if len(d.Body) == 0 {
		return nil, 0, errf(CodeInvalid, "definition", "%s is not a colon definition: it has no body", d.Display)
	}
	lw := builtins.LowerASCII(word)
	seen := 0
	for j := range d.Body {
		op := &d.Body[j]
		text := string(f.Source.Src[f.Abs(d.Epoch, op.Start):f.Abs(d.Epoch, op.End)])
		if builtins.LowerASCII(text) == lw {
			seen++
			if seen == n {
				return d, j, nil
			}
		}
	}
	if seen == 0 {
		return nil, 0, errf(CodeNotFound, "word", "%s does not use %q", d.Display, word)
	}
	return nil, 0, errf(CodeNotFound, "occurrence", "%s uses %q %d time(s), not %d", d.Display, word, seen, n)
}

// String reads well on its own (what an agent quotes back).
func (r *StackAtResult) String() string {
	var b strings.Builder
	if r.Definition == "" {
		fmt.Fprintf(&b, "%d:%d: %s", r.Line, r.Column, r.Note)
		return b.String()
	}
	fmt.Fprintf(&b, "%s at %d:%d in %s", r.Word, r.Line, r.Column, r.Definition)
	if r.Declared != nil {
		fmt.Fprintf(&b, " %s", *r.Declared)
	}
	b.WriteString(":\n")
	if len(r.Before) > 0 {
		fmt.Fprintf(&b, "  before: %s\n", strings.Join(r.Before, " or "))
	}
	if len(r.After) > 0 {
		fmt.Fprintf(&b, "  after:  %s\n", strings.Join(r.After, " or "))
	}
	if r.Note != "" {
		fmt.Fprintf(&b, "  (%s)\n", r.Note)
	}
	return strings.TrimRight(b.String(), "\n")
}
