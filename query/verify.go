package query

import (
	"context"
	"fmt"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
	lru "github.com/hashicorp/golang-lru/v2"
)

// VerifyRequest asks whether code does what an effect says.
type VerifyRequest struct {
	Code string `json:"code" jsonschema:"Forth code holding the definition (and any words it uses)"`
	// Effect is the effect the word must have; without it, the word's
	// own stack comment.
	Effect string `json:"effect,omitempty" jsonschema:"the stack effect the word must have, e.g. ( a b -- b a ); default: its stack comment in code"`
	// Word names the definition; default the last colon definition.
	Word    string `json:"word,omitempty" jsonschema:"the definition to verify (default: the last colon definition in code)"`
	Dialect string `json:"dialect,omitempty" jsonschema:"the Forth system (default gforth)"`
}

// VerifyResult is the verdict on one definition.
type VerifyResult struct {
	// Verified is true when every path through the word does exactly
	// the effect and the code has no error.
	Verified bool   `json:"verified"`
	Word     string `json:"word"`
	// Effect is what the word was checked against: the request's
	// effect, else the word's stack comment.
	Effect string `json:"effect"`
	// Declared is the word's own stack comment in the code, or null.
	Declared *string `json:"declared"`
	// Inferred is what the body does, named after Effect where the
	// counts allow; null when it cannot be known.
	Inferred *string `json:"inferred"`
	// Status is the analysis' verdict: verified, mismatch, unknown.
	Status string `json:"status"`
	// Paths are the effects of the ways through the word (several when
	// branches differ).
	Paths []string `json:"paths"`
	// Why says why it is not verified (and notes when it is).
	Why []string `json:"why"`
	// Definitions are every definition of the code, as infer reports
	// them (checked with Effect as the word's stack comment).
	Definitions []analysis.DefReport `json:"definitions"`
	Diagnostics []Diagnostic         `json:"diagnostics"`
}

// Verify checks that a word's body does exactly an effect.
func (s *Service) Verify(ctx context.Context, req *VerifyRequest) (*VerifyResult, error) {
	if strings.TrimSpace(req.Code) == "" {
		return nil, missing("code", "the Forth code to verify")
	}
	if err := s.checkText("code", req.Code); err != nil {
		return nil, err
	}
	want := strings.TrimSpace(req.Effect)
	wantRead := "" // want as the analysis writes effects
	if want != "" {
		if !strings.HasPrefix(want, "(") {
			want = "( " + want + " )"
		}
		if strings.ContainsAny(want, "\r\n") {
			return nil, errf(CodeInvalid, "effect", "the effect must be one line")
		}
		r := readWant(want)
		if r.err != nil {
			return nil, errf(CodeInvalid, "effect", "%q cannot be read: %v", req.Effect, r.err)
		}
		if r.empty {
			return nil, errf(CodeInvalid, "effect", "%q is not a stack effect: write it as ( before -- after )", req.Effect)
		}
		wantRead = r.text
	}
	src := &Source{Text: req.Code, Dialect: req.Dialect}
	// The text is read first; it is checked as it is only when the
	// word's own stack comment is the effect (else the edited text is).
	first, qerr := s.parseText(src)
	if qerr != nil {
		return nil, qerr
	}
	f := first.parsed.File()
	d, qerr := verifyTarget(f, req.Word)
	if qerr != nil {
		return nil, qerr
	}
	res := &VerifyResult{Word: analysis.ReportName(d), Paths: []string{}, Why: []string{}}
	if d.Comment != nil {
		t := d.Comment.Text
		if d.Comment.Err == nil {
			t = d.Comment.Effect.String()
		}
		res.Declared = &t
	}
	var an *analyzed
	shift := edit{}
	switch {
	case want == "" && (d.Comment == nil || d.Comment.Err != nil):
		return nil, missing("effect", fmt.Sprintf("%s has no readable stack comment: give the effect it must have", res.Word))
	case want == "":
		res.Effect = *res.Declared
		an = first.analyze()
	case res.Declared != nil && d.Comment.Err == nil && *res.Declared == wantRead:
		// The word's own stack comment is the effect asked for: the
		// analysis checks the body against it.
		res.Effect = want
		an = first.analyze()
	case !reparseVerify && first.parsed.ReplaceComment(d, want):
		// The same, without reading the text again: the comment is
		// replaced in the text as read.
		res.Effect = want
		an = first.analyze()
		if strings.Join(strings.Fields(*res.Declared), " ") != strings.Join(strings.Fields(want), " ") {
			res.Why = append(res.Why, fmt.Sprintf("checked against %s, not the code's own stack comment %s", want, *res.Declared))
		}
	default:
		res.Effect = want
		// The word's stack comment becomes the effect asked for, so
		// that the analysis checks the body (and its callers) against
		// it.
		if d.Comment != nil {
			shift = edit{at: f.Abs(d.Epoch, d.Comment.Start), old: f.Abs(d.Epoch, d.Comment.End) - f.Abs(d.Epoch, d.Comment.Start), text: want}
		} else {
			shift = edit{at: f.Abs(d.Epoch, d.NameEnd), text: " " + want}
		}
		code := req.Code[:shift.at] + shift.text + req.Code[shift.at+shift.old:]
		an, qerr = s.analyzeText(&Source{Text: code, Dialect: req.Dialect})
		if qerr != nil {
			return nil, qerr
		}
		if res.Declared != nil && strings.Join(strings.Fields(*res.Declared), " ") != strings.Join(strings.Fields(want), " ") {
			res.Why = append(res.Why, fmt.Sprintf("checked against %s, not the code's own stack comment %s", want, *res.Declared))
		}
	}
	r := an.res
	var dr *infer.Result
	// The text before d is the same: d stands at the index it has in
	// its own file.
	if i := f.IndexOf(d); i >= 0 && i < len(r.Defs) {
		dr = r.Defs[i]
	}
	if dr == nil || dr.Def.Name != d.Name {
		return nil, errf(CodeInternal, "", "the definition moved when its stack comment was replaced")
	}
	res.Status = string(dr.Status)
	if dr.Inferred != nil {
		t := dr.Inferred.String()
		res.Inferred = &t
	}
	for _, p := range dr.PathEffects() {
		res.Paths = append(res.Paths, p.String())
	}
	errors := 0
	res.Diagnostics = []Diagnostic{}
	for _, x := range r.Diags {
		x.Start, x.End = shift.back(x.Start), shift.back(x.End)
		res.Diagnostics = append(res.Diagnostics, ToDiagnostic(textName, f.Source, x))
		if x.Severity == diag.Error {
			errors++
		}
	}
	res.Definitions = reportsAt(textName, r, f, shift)
	switch dr.Status {
	case infer.Verified:
	case infer.Mismatch:
		mine := false
		for _, x := range dr.Diags {
			if x.Severity == diag.Error {
				res.Why = append(res.Why, x.Message)
				mine = true
			}
		}
		if !mine && res.Inferred != nil {
			res.Why = append(res.Why, fmt.Sprintf("the body does %s, not %s", *res.Inferred, res.Effect))
		}
	case infer.Unknowable:
		res.Why = append(res.Why, "the effect cannot be checked: "+dr.Reason)
	default:
		res.Why = append(res.Why, "status "+string(dr.Status))
	}
	if dr.Status == infer.Verified && dr.Bottom {
		res.Why = append(res.Why, "no path returns (ABORT, QUIT or THROW), which agrees with any effect")
	}
	for i, x := range r.Diags {
		if x.Severity != diag.Error || (dr.Status == infer.Mismatch && inDef(r.File, dr, x)) {
			continue
		}
		dg := res.Diagnostics[i]
		res.Why = append(res.Why, fmt.Sprintf("line %d:%d: %s [%s]", dg.Line, dg.Column, dg.Message, dg.Code))
	}
	res.Verified = dr.Status == infer.Verified && errors == 0
	return res, nil
}

// wantReading is an effect a request asks for, as read.
type wantReading struct {
	text  string // as the analysis writes effects
	empty bool   // a side is missing: not a stack effect
	err   error
}

// wantReadings are the effects requests asked for, read once in the
// process: an agent asks for the same few effects again and again.
var wantReadings, _ = lru.New[string, wantReading](1024)

// readWant reads the effect a verify asks for.
func readWant(want string) wantReading {
	if r, ok := wantReadings.Get(want); ok {
		return r
	}
	var r wantReading
	e, err := effect.Parse(want)
	switch {
	case err != nil:
		r.err = err
	case len(e.In) == 0 || len(e.Out) == 0:
		r.empty = true
	default:
		r.text = e.String()
	}
	wantReadings.Add(want, r)
	return r
}

// reparseVerify makes Verify read the edited text again rather than
// replace the comment in the text as read: the tests compare the two.
var reparseVerify bool

// inDef reports whether diagnostic x is one of d's own inference
// diagnostics (already given as the mismatch's reason).
func inDef(f *syntax.File, dr *infer.Result, x diag.Diagnostic) bool {
	d := dr.Def
	for _, y := range dr.Diags {
		if y.Message == x.Message {
			return true
		}
	}
	return x.Code == diag.EffectMismatch && f.Abs(d.Epoch, d.Start) <= x.Start && x.End <= f.Abs(d.Epoch, d.End)
}

// verifyTarget finds the definition to verify: the last one named word, or the
// last top-level colon definition.
func verifyTarget(f *syntax.File, word string) (*syntax.Def, *Error) {
	var d *syntax.Def
	lw := builtins.LowerASCII(word)
	for _, x := range f.Defs {
		if x.Kind != syntax.Colon && x.Kind != syntax.Noname {
			continue
		}
		switch {
		case word == "" && x.Outer == nil && x.DoesOf == nil && x.Kind == syntax.Colon:
			d = x
		case word != "" && (x.Name == lw || analysis.ReportName(x) == word):
			d = x
		}
	}
	if d == nil {
		if word != "" {
			return nil, errf(CodeNotFound, "word", "the code has no colon definition named %q", word)
		}
		return nil, errf(CodeInvalid, "code", "the code has no colon definition to verify")
	}
	return d, nil
}

// edit is text put in place of old bytes at at: the map from offsets of
// the edited text back to the original's.
type edit struct {
	at, old int
	text    string
}

func (e edit) back(off int) int {
	switch end := e.at + len(e.text); {
	case off <= e.at:
		return off
	case off >= end:
		return off - len(e.text) + e.old
	}
	return e.at
}

// reportsAt is r.Reports with the positions of the original text.
func reportsAt(name string, r *analysis.Result, orig *syntax.File, e edit) []analysis.DefReport {
	reps := r.Reports(name)
	i := 0
	for _, dr := range r.Defs {
		d := dr.Def
		if d.Kind != syntax.Colon && d.Kind != syntax.Noname {
			continue
		}
		if i < len(reps) {
			pos := orig.Source.Position(e.back(r.File.Abs(d.Epoch, d.NameStart)))
			reps[i].Line, reps[i].Column = pos.Line+1, pos.Col+1
		}
		i++
	}
	return reps
}

// String reads well on its own.
func (r *VerifyResult) String() string {
	var b strings.Builder
	if r.Verified {
		fmt.Fprintf(&b, "verified: %s %s", r.Word, r.Effect)
	} else {
		fmt.Fprintf(&b, "NOT verified: %s %s", r.Word, r.Effect)
	}
	if r.Inferred != nil {
		fmt.Fprintf(&b, "\ninferred: %s", *r.Inferred)
	}
	if len(r.Paths) > 1 {
		b.WriteString("\npaths:")
		for _, p := range r.Paths {
			b.WriteString("\n  " + p)
		}
	}
	for _, w := range r.Why {
		b.WriteString("\n- " + w)
	}
	return b.String()
}
