package patterns

import (
	"fmt"
	"strings"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Verification is what the analysis says about generated code: whether the
// word's inferred effect is exactly the declared one, with no error
// anywhere in the code.
type Verification struct {
	Verified bool    `json:"verified"`
	Word     string  `json:"word"`
	Declared string  `json:"declared"`
	Inferred *string `json:"inferred"`
	In       *int    `json:"in"`
	Out      *int    `json:"out"`
	FloatIn  *int    `json:"floatIn"`
	FloatOut *int    `json:"floatOut"`
	Status   string  `json:"status"` // the analysis' verdict on the word (see infer --json)
	// Problems say why the code is not verified (empty when it is).
	Problems []string `json:"problems"`
}

// Verify analyses code on its own (dialect gforth) and checks that it has
// no error and that word's definition declares declared and does exactly
// that: the inferred counts equal want on the data and float stacks.
//
// It is the cheapest full analysis of a snippet: the text is read once by
// the reader (the builtin dictionary, built once per process, is shared)
// and the definitions are inferred by a fresh Checker; nothing is cached
// between calls, since generated snippets are rarely analysed twice (the
// instance cache above it remembers verified results).
func Verify(code, word, declared string, want Counts) *Verification {
	return VerifyShape(code, word, declared, want.Shape())
}

// VerifyShape is Verify for an effect that may have alternatives: the
// word must be verified by the analysis and each of its inferred
// alternatives must be one of want's.
func VerifyShape(code, word, declared string, want Shape) *Verification {
	v := &Verification{Word: word, Declared: declared, Problems: []string{}}
	sf := source.NewFile("generated.fs", []byte(code))
	f := syntax.Parse(sf, syntax.Config{})
	c := infer.NewChecker()
	problem := func(d diag.Diagnostic) {
		pos := sf.Position(d.Start)
		v.Problems = append(v.Problems, fmt.Sprintf("line %d:%d: %s [%s]", pos.Line+1, pos.Col+1, d.Message, d.Code))
	}
	for _, d := range f.AllDiags() {
		if d.Severity == diag.Error {
			problem(d)
		}
	}
	lw := strings.ToLower(word)
	var main *infer.Result
	seen := make(map[string]int, len(f.Defs))
	for _, d := range f.Defs {
		if d.Name != "" && d.Outer == nil {
			// A word defined twice: the tests see only the last
			// definition, and the code before it may call the first.
			if seen[d.Name]++; seen[d.Name] == 2 {
				v.Problems = append(v.Problems, fmt.Sprintf("%s is defined more than once", d.Display))
			}
		}
		r := c.Def(d)
		for _, x := range r.Diags {
			if x.Severity == diag.Error {
				problem(x)
			}
		}
		if d.Kind == syntax.Colon && d.Name == lw && d.Outer == nil {
			main = r
		}
	}
	for _, d := range c.Top(f) {
		if d.Severity == diag.Error {
			problem(d)
		}
	}
	if main == nil {
		v.Status = "missing"
		v.Problems = append(v.Problems, fmt.Sprintf("the code does not define %s with a colon definition", word))
		return v
	}
	v.Status = string(main.Status)
	if main.Inferred != nil {
		s := main.Inferred.String()
		v.Inferred = &s
	}
	in, out, ok := main.Counts(0)
	fin, fout, fok := main.Counts(2)
	if ok && fok {
		v.In, v.Out, v.FloatIn, v.FloatOut = &in, &out, &fin, &fout
	}
	switch {
	case main.Def.Comment == nil:
		v.Problems = append(v.Problems, fmt.Sprintf("%s has no stack comment", word))
	case main.Status != infer.Verified:
		why := string(main.Status)
		if main.Reason != "" {
			why += ": " + main.Reason
		}
		v.Problems = append(v.Problems, fmt.Sprintf("%s is not verified (%s)", word, why))
	case (!ok || !fok) && len(want.Outs) == 1:
		v.Problems = append(v.Problems, fmt.Sprintf("the effect of %s is not one fixed effect", word))
	case ok && fok && !want.Allows(Counts{in, out, fin, fout}):
		v.Problems = append(v.Problems, fmt.Sprintf("%s does %s (%s) but %s (%s) was declared", word, derefOr(v.Inferred, "?"), Counts{in, out, fin, fout}, declared, want))
	case !ok || !fok:
		// Alternatives: each way out must be a declared one.
		if main.Inferred == nil || len(main.Alts) == 0 {
			v.Problems = append(v.Problems, fmt.Sprintf("the effect of %s is not known", word))
		}
		for _, a := range main.Alts {
			if c := (Counts{a.In[0], a.Out[0], a.In[2], a.Out[2]}); !want.Allows(c) {
				v.Problems = append(v.Problems, fmt.Sprintf("%s does %s (one way out: %s) but %s (%s) was declared", word, derefOr(v.Inferred, "?"), c, declared, want))
				break
			}
		}
	}
	if main.Declared != nil && len(v.Problems) == 0 {
		// The comment the code carries must be the declared one (the
		// analysis checked the body against the code's comment).
		if gs, err := shapeOf(main.Declared); err != nil || !gs.Equal(want) {
			v.Problems = append(v.Problems, fmt.Sprintf("the stack comment of %s is %s, not the declared %s", word, main.Declared.String(), declared))
		}
	}
	v.Verified = len(v.Problems) == 0
	return v
}

func derefOr(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}
