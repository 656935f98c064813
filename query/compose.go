package query

import (
	"context"
	"fmt"
	"strings"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// ComposeRequest asks for the effect of a sequence of words.
type ComposeRequest struct {
	Words string `json:"words" jsonschema:"the sequence of words, as Forth text, e.g. over over + -rot"`
	// Stack names the items on the stack before the sequence, bottom
	// first ("a b", or "( a b )"; "" for an empty stack). Without it
	// nothing is assumed and nothing underflows.
	Stack *string `json:"stack,omitempty" jsonschema:"the items on the stack before the words, bottom first, e.g. a b; an empty string for an empty stack; omit to assume nothing"`
	// Definitions are Forth definitions of words the sequence uses.
	Definitions string `json:"definitions,omitempty" jsonschema:"Forth code defining words the sequence uses"`
	Dialect     string `json:"dialect,omitempty" jsonschema:"the Forth system (default gforth)"`
}

// ComposeResult is the effect of the sequence and its stacks word by word.
type ComposeResult struct {
	// Effect is the sequence's effect, its inputs named after Stack;
	// null when it cannot be known (Reason says why).
	Effect   *string `json:"effect"`
	In       *int    `json:"in" jsonschema:"data stack cells taken"`
	Out      *int    `json:"out" jsonschema:"data stack cells left"`
	FloatIn  *int    `json:"floatIn"`
	FloatOut *int    `json:"floatOut"`
	// Paths are the effects of the ways through the sequence (several
	// when branches inside it differ).
	Paths  []string `json:"paths"`
	Reason string   `json:"reason,omitempty" jsonschema:"why the effect is not known"`
	// Steps give the stacks after each word.
	Steps []ComposeStep `json:"steps"`
	// Underflow, when set, is the first word that takes more than the
	// stack holds (with Stack given).
	Underflow   *Underflow   `json:"underflow,omitempty"`
	Diagnostics []Diagnostic `json:"diagnostics" jsonschema:"problems in words (file words) and definitions (file definitions)"`
}

// ComposeStep is one word of the sequence and the stacks after it.
type ComposeStep struct {
	Word  string   `json:"word"`
	After []string `json:"after" jsonschema:"the stacks after the word, one per path; empty when not known"`
}

// Underflow says where a sequence takes more than the stack holds.
type Underflow struct {
	Word    string `json:"word"`
	Index   int    `json:"index" jsonschema:"0-based position of the word in the sequence"`
	Needs   int    `json:"needs" jsonschema:"data cells the sequence has taken from below by then"`
	Has     int    `json:"has" jsonschema:"data cells the stack held before the sequence"`
	Message string `json:"message"`
}

// maxSteps bounds the steps reported.
const maxSteps = 500

// composeName is the definition the sequence is analysed as.
const composeName = "composed-sequence"

// Compose infers the effect of a sequence of words as the body of a
// definition, its inputs named after the stack given, and finds where it
// underflows that stack.
func (s *Service) Compose(ctx context.Context, req *ComposeRequest) (*ComposeResult, error) {
	if strings.TrimSpace(req.Words) == "" {
		return nil, missing("words", "the sequence of words")
	}
	for _, f := range []struct{ name, text string }{{"words", req.Words}, {"definitions", req.Definitions}} {
		if err := s.checkText(f.name, f.text); err != nil {
			return nil, err
		}
	}
	has := -1
	comment := ""
	if req.Stack != nil {
		st := strings.TrimSpace(*req.Stack)
		st = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(st, "("), ")"))
		if strings.ContainsAny(st, "()\r\n") || strings.Contains(st, "--") {
			return nil, errf(CodeInvalid, "stack", "stack lists the items on the stack, bottom first (\"a b\"), not an effect")
		}
		comment = "( " + st + " -- )"
		e, err := effect.Parse(comment)
		if err != nil {
			return nil, errf(CodeInvalid, "stack", "%q cannot be read: %v", *req.Stack, err)
		}
		has, _ = e.In[0].Count(effect.Data)
	}
	if strings.ContainsAny(req.Words, "\r\n") {
		return nil, errf(CodeInvalid, "words", "give the words on one line")
	}
	defs := req.Definitions
	if defs != "" && !strings.HasSuffix(defs, "\n") {
		defs += "\n"
	}
	head := ": " + composeName + " "
	if comment != "" {
		head += comment + " "
	}
	text := defs + head + req.Words + " ;\n"
	wordsAt := len(defs) + len(head)
	a, qerr := s.analyzeText(&Source{Text: text, Dialect: req.Dialect})
	if qerr != nil {
		return nil, qerr
	}
	r := a.res
	f := r.File
	var d *syntax.Def
	var dr *infer.Result
	for i, x := range f.Defs {
		if x.Name == composeName && x.Outer == nil {
			d, dr = x, r.Defs[i]
		}
	}
	if d == nil {
		return nil, errf(CodeInvalid, "words", "the words do not form a sequence (a ; or : inside them?)")
	}
	res := &ComposeResult{Paths: []string{}, Steps: []ComposeStep{}, Diagnostics: []Diagnostic{}}
	defsFile := source.NewFile("definitions", []byte(req.Definitions))
	wordsFile := source.NewFile("words", []byte(req.Words))
	for _, x := range r.Diags {
		if x.Code == diag.MissingComment || x.Code == diag.EffectMismatch && x.Start >= len(defs) {
			continue // the comment made up here
		}
		if x.Start >= wordsAt {
			x.Start, x.End = min(x.Start-wordsAt, len(req.Words)), min(x.End-wordsAt, len(req.Words))
			res.Diagnostics = append(res.Diagnostics, ToDiagnostic("words", wordsFile, x))
		} else {
			x.Start, x.End = min(x.Start, len(req.Definitions)), min(x.End, len(req.Definitions))
			res.Diagnostics = append(res.Diagnostics, ToDiagnostic("definitions", defsFile, x))
		}
	}
	if dr.Inferred != nil {
		t := dr.Inferred.String()
		res.Effect = &t
	}
	if res.Effect != nil && len(dr.Alts) == 1 {
		a := dr.Alts[0]
		res.In, res.Out = &a.In[effect.Data], &a.Out[effect.Data]
		res.FloatIn, res.FloatOut = &a.In[effect.Float], &a.Out[effect.Float]
	}
	if res.Effect == nil {
		res.Reason = dr.Reason
		if res.Reason == "" && len(dr.Alts) > 1 {
			res.Reason = "paths leave different stack depths"
		}
		if res.Reason == "" {
			res.Reason = "the effect cannot be known"
		}
	}
	for _, p := range dr.PathEffects() {
		res.Paths = append(res.Paths, p.String())
	}
	after, taken := stacksAfterEach(r.Checker, d)
	wordsEnd := wordsAt + len(req.Words)
	for i := range d.Body {
		op := &d.Body[i]
		if f.Abs(d.Epoch, op.Start) >= wordsEnd {
			break // the closing ;
		}
		word := string(f.Source.Src[f.Abs(d.Epoch, op.Start):f.Abs(d.Epoch, op.End)])
		if i < maxSteps {
			st := after[i]
			if st == nil {
				st = []string{}
			}
			res.Steps = append(res.Steps, ComposeStep{Word: word, After: st})
		}
		if has >= 0 && res.Underflow == nil && taken[i] > has {
			res.Underflow = &Underflow{Word: word, Index: i, Needs: taken[i], Has: has,
				Message: fmt.Sprintf("%s (word %d) underflows: by then the sequence has taken %d cell(s) from the stack, which held %d", word, i+1, taken[i], has)}
		}
	}
	return res, nil
}

// String reads well on its own.
func (r *ComposeResult) String() string {
	var b strings.Builder
	if r.Effect != nil {
		fmt.Fprintf(&b, "effect: %s", *r.Effect)
	} else {
		fmt.Fprintf(&b, "effect not known: %s", r.Reason)
	}
	if len(r.Paths) > 1 {
		b.WriteString("\npaths: " + strings.Join(r.Paths, " | "))
	}
	if u := r.Underflow; u != nil {
		b.WriteString("\nUNDERFLOW: " + u.Message)
	}
	for _, st := range r.Steps {
		after := strings.Join(st.After, " or ")
		if after == "" {
			after = "?"
		}
		fmt.Fprintf(&b, "\n  %-12s %s", st.Word, after)
	}
	for _, d := range r.Diagnostics {
		b.WriteString("\n" + d.String())
	}
	return b.String()
}
