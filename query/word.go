package query

import (
	"context"
	"fmt"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// WordRequest asks about a word: a builtin of the dialect, or one that
// the text or file defines.
type WordRequest struct {
	Name string `json:"name" jsonschema:"the word, e.g. swap or a word the text defines"`
	Source
}

// Location is a place in a file (1-based line, 1-based byte column).
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// In is the definition the place is in ("" at top level).
	In string `json:"in,omitempty"`
}

// WordResult describes a word.
type WordResult struct {
	Name string `json:"name"`
	// Kind says what it is: "builtin", "colon definition", "variable",
	// "constant or value", ...
	Kind string `json:"kind"`
	// Effect is its stack effect as callers see it ("" when not known).
	Effect string `json:"effect"`
	// Declared, Inferred and Status are the analysis of a colon
	// definition (as infer reports them).
	Declared *string `json:"declared,omitempty"`
	Inferred *string `json:"inferred,omitempty"`
	Status   string  `json:"status,omitempty"`
	// Verdict compares the declared and inferred effects in a sentence.
	Verdict     string   `json:"verdict,omitempty"`
	Description string   `json:"description"`
	WordSet     string   `json:"wordSet,omitempty" jsonschema:"a builtin's word set: core, core-ext, gforth, ..."`
	Flags       []string `json:"flags" jsonschema:"immediate, compile-only, parsing"`
	Dialect     string   `json:"dialect"`
	// DefinedAt is where a user word is defined (null for builtins).
	DefinedAt *Location `json:"definedAt"`
	// Uses are the places in the text or file that use the word (at
	// most a limit's worth; UsesTotal counts them all).
	Uses      []Location `json:"uses"`
	UsesTotal int        `json:"usesTotal"`
}

// Word describes a word by name.
func (s *Service) Word(ctx context.Context, req *WordRequest) (*WordResult, error) {
	name := strings.TrimSpace(req.Name)
	if name == "" {
		return nil, missing("name", "the word to describe")
	}
	if strings.ContainsAny(name, " \t\r\n") {
		return nil, errf(CodeInvalid, "name", "a word has no blanks in its name: %q", req.Name)
	}
	if len(name) > 256 {
		return nil, errf(CodeInvalid, "name", "a name of %d bytes is too long", len(name))
	}
	if err := checkDialect(req.Dialect); err != nil {
		return nil, err
	}
	lname := builtins.LowerASCII(name)
	res := &WordResult{Name: name, Flags: []string{}, Uses: []Location{}}
	var u *unit
	var dict *builtins.Dialect
	if req.Text != "" || req.Path != "" {
		var qerr *Error
		if u, qerr = s.load(ctx, &req.Source); qerr != nil {
			return nil, qerr
		}
		dict = u.dialect
	} else {
		o, qerr := s.textOptions(req.Dialect)
		if qerr != nil {
			return nil, qerr
		}
		dict = analysis.ResolveDialect(o.Dialect, o.Words)
	}
	res.Dialect = dict.Name
	var d *syntax.Def
	if u != nil {
		for _, x := range u.file.Defs {
			if x.Name == lname && x.Outer == nil {
				d = x
			}
		}
		if d == nil {
			d = u.file.Added.Lookup(lname)
		}
	}
	var b *builtins.Word
	switch {
	case d != nil:
		userWord(res, u, d)
	default:
		if b = dict.Lookup(lname); b == nil {
			return nil, errf(CodeNotFound, "name", "no word %q: neither defined here nor a word of %s", name, dict.Name)
		}
		res.Name = b.Name
		res.Kind = "builtin"
		res.WordSet = b.WordSet
		res.Description = b.Doc
		if b.Known {
			res.Effect = b.EffectText
		}
		if b.Immediate {
			res.Flags = append(res.Flags, "immediate")
		}
		if b.CompileOnly {
			res.Flags = append(res.Flags, "compile-only")
		}
		if b.Parse != builtins.ParseNone {
			res.Flags = append(res.Flags, "parsing")
		}
	}
	if u != nil {
		max := s.limits().MaxUses
		uses := func(in *syntax.Def, ops []syntax.Op, epoch int32) {
			for i := range ops {
				op := &ops[i]
				if !refers(op.Ref, d, b) && !refers(op.Target, d, b) {
					continue
				}
				res.UsesTotal++
				if len(res.Uses) < max {
					pos := u.file.Source.Position(u.file.Abs(epoch, op.Start))
					l := Location{File: u.name, Line: pos.Line + 1, Column: pos.Col + 1}
					if in != nil {
						l.In = analysis.ReportName(in)
					}
					res.Uses = append(res.Uses, l)
				}
			}
		}
		uses(nil, u.file.Top, 0)
		for _, x := range u.file.Defs {
			uses(x, x.Body, x.Epoch)
		}
	}
	return res, nil
}

func refers(r syntax.Ref, d *syntax.Def, b *builtins.Word) bool {
	return d != nil && r.D == d || b != nil && r.B == b
}

// userWord fills in a word the analysed code defines.
func userWord(res *WordResult, u *unit, d *syntax.Def) {
	c := u.checker
	res.Name = d.Display
	res.Kind = d.KindText(nil)
	if d.Immediate {
		res.Flags = append(res.Flags, "immediate")
	}
	if d.CompileOnly {
		res.Flags = append(res.Flags, "compile-only")
	}
	if d.Parse != builtins.ParseNone {
		res.Flags = append(res.Flags, "parsing")
	}
	switch d.Kind {
	case syntax.Colon, syntax.Noname, syntax.Quotation:
		r := c.Def(d)
		res.Status = string(r.Status)
		if r.Declared != nil {
			t := r.Declared.String()
			res.Declared = &t
			res.Effect = t
		}
		if r.Inferred != nil {
			t := r.Inferred.String()
			res.Inferred = &t
			if res.Effect == "" {
				res.Effect = t
			}
		}
		res.Verdict = verdictSentence(r)
	default:
		switch {
		case d.Effect != nil && d.Runs == nil:
			res.Effect = d.Effect.String()
		case d.Kind == syntax.Defer && d.Comment != nil && d.Comment.Err == nil:
			res.Effect = d.Comment.Effect.String()
		case d.Runs != nil:
			if r := c.Def(d.Runs); r.Inferred != nil {
				res.Effect = r.Inferred.String()
			}
		}
	}
	if d.File != nil {
		src := d.File.Src
		if s, e := syntax.DocLines(src, int(d.DocStart), int(d.DocEnd)); e > s {
			res.Description = syntax.CleanDoc(string(src[s:e]))
		}
		pos := d.File.Position(int(d.NameStart))
		file := d.File.Name
		if d.File == u.file.Source || d.File.Name == u.file.Source.Name {
			file = u.name
		}
		res.DefinedAt = &Location{File: file, Line: pos.Line + 1, Column: pos.Col + 1}
	}
}

// verdictSentence compares a colon definition's declared and inferred
// effects, as the hover says it.
func verdictSentence(r *infer.Result) string {
	code := func(s string) string { return "`" + s + "`" }
	declared, inferred := "", ""
	if r.Declared != nil {
		declared = r.Declared.String()
	}
	if r.Inferred != nil {
		inferred = r.Inferred.String()
	}
	switch r.Status {
	case infer.Verified:
		if inferred == "" {
			return fmt.Sprintf("Declared %s; no path returns, which agrees with any effect.", code(declared))
		}
		return fmt.Sprintf("Declared %s, inferred %s: they agree.", code(declared), code(inferred))
	case infer.Mismatch:
		return fmt.Sprintf("Declared %s, but the body does %s: they disagree.", code(declared), code(inferred))
	case infer.Undeclared:
		if inferred == "" {
			return "No stack comment; no path returns."
		}
		return fmt.Sprintf("No stack comment; inferred %s.", code(inferred))
	}
	switch {
	case declared != "" && inferred != "":
		return fmt.Sprintf("Declared %s, inferred %s; they cannot be compared: %s.", code(declared), code(inferred), r.Reason)
	case declared != "":
		return fmt.Sprintf("Declared %s; the effect cannot be inferred: %s.", code(declared), r.Reason)
	}
	return fmt.Sprintf("No stack comment; the effect cannot be inferred: %s.", r.Reason)
}

// String reads well on its own.
func (r *WordResult) String() string {
	var b strings.Builder
	b.WriteString(r.Name)
	if r.Effect != "" {
		b.WriteString(" " + r.Effect)
	}
	kind := r.Kind
	if r.WordSet != "" {
		kind += ", " + r.WordSet + " word set"
	}
	if len(r.Flags) > 0 {
		kind += " (" + strings.Join(r.Flags, ", ") + ")"
	}
	fmt.Fprintf(&b, "\n%s (%s)", kind, r.Dialect)
	if r.Verdict != "" {
		b.WriteString("\n" + r.Verdict)
	}
	if r.Description != "" {
		b.WriteString("\n" + r.Description)
	}
	if l := r.DefinedAt; l != nil {
		fmt.Fprintf(&b, "\ndefined at %s:%d:%d", l.File, l.Line, l.Column)
	}
	if r.UsesTotal > 0 {
		fmt.Fprintf(&b, "\nused %d time(s):", r.UsesTotal)
		for _, l := range r.Uses {
			fmt.Fprintf(&b, "\n  %s:%d:%d", l.File, l.Line, l.Column)
			if l.In != "" {
				b.WriteString(" in " + l.In)
			}
		}
	}
	return b.String()
}
