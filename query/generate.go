package query

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/fastforth/fastforth/patterns"
)

// GenerateRequest is a spec (the JSON `fastforth gen` reads; see
// patterns.Spec) and where to run the generated tests.
type GenerateRequest struct {
	Name        string            `json:"name" jsonschema:"the word to define"`
	Effect      string            `json:"effect" jsonschema:"its stack effect, e.g. ( a b -- hi lo )"`
	Pattern     string            `json:"pattern,omitempty" jsonschema:"a pattern ID (forth_patterns finds them); without it a pattern is chosen from the effect and the description"`
	Params      map[string]any    `json:"params,omitempty" jsonschema:"the pattern's parameters (strings or numbers)"`
	Description string            `json:"description,omitempty" jsonschema:"what the word does; its words choose a pattern"`
	Examples    []GenerateExample `json:"examples,omitempty" jsonschema:"input and output stacks, made into T{ }T tests"`
	Properties  []string          `json:"properties,omitempty" jsonschema:"short statements about the word (pure, no allocation)"`
	// Runner is where the tests run: machine (the in-process Forth
	// machine, the default), gforth (when the server allows it) or none.
	Runner string `json:"runner,omitempty" jsonschema:"where the tests run: machine (default, in-process), gforth (when allowed) or none"`
}

// GenerateExample is one test: the stack before the word and after it.
type GenerateExample struct {
	Inputs  any `json:"inputs" jsonschema:"the stack before, bottom first: \"3 1\" or [3, 1]"`
	Outputs any `json:"outputs" jsonschema:"the stack after: \"3 1\" or [3, 1]"`
}

// GenerateResult is patterns.GenResult: the answer of `fastforth gen
// --json`.
type GenerateResult = patterns.GenResult

// DefaultRunTimeout bounds the generated tests' run.
const DefaultRunTimeout = 20 * time.Second

// Generate turns a spec into a verified definition and its tests, and
// runs them (in the in-process machine unless asked otherwise). A spec
// with problems is an error whose details name every field at fault; a
// spec that no pattern fits is an answer with ok false and the closest
// patterns.
func (s *Service) Generate(ctx context.Context, req *GenerateRequest) (*GenerateResult, error) {
	spec := *req
	spec.Runner = ""
	data, err := json.Marshal(spec)
	if err != nil {
		return nil, errf(CodeInvalid, "spec", "%v", err)
	}
	return s.GenerateJSON(ctx, data, req.Runner)
}

// GenerateJSON is Generate for a spec as JSON (unknown fields are errors).
func (s *Service) GenerateJSON(ctx context.Context, data []byte, runner string) (*GenerateResult, error) {
	var run patterns.Runner
	switch runner {
	case "", "machine":
		run = patterns.DefaultRunner
	case "none":
	case "gforth":
		if !s.AllowGforth {
			return nil, errf(CodeForbidden, "runner", "this server does not run gforth (start it with --allow-gforth); the in-process machine runs the tests by default")
		}
		run = patterns.Gforth{}
	default:
		return nil, errf(CodeInvalid, "runner", "runner is machine, gforth or none, not %q", runner)
	}
	if max := s.limits().MaxText; len(data) > max {
		return nil, errf(CodeTooLarge, "spec", "the spec is %d bytes; at most %d are allowed", len(data), max)
	}
	spec, err := patterns.ParseSpec(data)
	if err != nil {
		if re, ok := err.(*patterns.SpecReadError); ok {
			return nil, specError(re.Errors)
		}
		return nil, errf(CodeInvalid, "spec", "%v", err)
	}
	l := s.Library()
	r := l.Generate(spec)
	if len(r.Errors) > 0 {
		return nil, specError(r.Errors)
	}
	if run != nil {
		ctx, cancel := context.WithTimeout(ctx, DefaultRunTimeout)
		l.Run(ctx, run, r)
		cancel()
	}
	return r, nil
}

// specError is the error for a spec's problems: the first one's code and
// field, every one in the details.
func specError(errs patterns.SpecErrors) *Error {
	e := &Error{Code: CodeInvalid}
	for i, fe := range errs {
		if i == 0 {
			e.Field, e.Message = fe.Field, fe.Field+": "+fe.Message
			switch {
			case strings.HasPrefix(fe.Message, "required"):
				e.Code = CodeMissingField
			case strings.HasPrefix(fe.Message, "unknown field"):
				e.Code = CodeUnknownField
			}
		}
		e.Details = append(e.Details, Detail{Field: fe.Field, Message: fe.Message})
	}
	if len(errs) > 1 {
		e.Message += fmt.Sprintf(" (and %d more problem(s))", len(errs)-1)
	}
	return e
}

// GenerateText renders a generation's answer to read on its own.
func GenerateText(r *GenerateResult) string {
	var b strings.Builder
	v := r.Verification
	switch {
	case r.Pattern == nil:
		fmt.Fprintf(&b, "no pattern fits %s %s", r.Name, r.Effect)
		for _, c := range r.Closest {
			fmt.Fprintf(&b, "\n  %s %s: %s", c.ID, c.Effect, c.Why)
		}
		return b.String()
	case v != nil && !v.Verified:
		fmt.Fprintf(&b, "the code from pattern %s is NOT verified:", r.Pattern.ID)
		for _, p := range v.Problems {
			b.WriteString("\n  " + p)
		}
		fmt.Fprintf(&b, "\nunverified code:\n%s", r.Code)
		return b.String()
	}
	status := "OK"
	if !r.OK {
		status = "NOT OK"
	}
	fmt.Fprintf(&b, "%s: %s %s from pattern %s, verified\n\n%s\n\n%s", status, r.Name, r.Effect, r.Pattern.ID, strings.TrimRight(r.Code, "\n"), r.Tests)
	if t := r.TestResults; t != nil {
		if !t.Ran {
			fmt.Fprintf(&b, "\ntests not run: %s", t.Message)
		} else {
			fmt.Fprintf(&b, "\ntests (%s): %d passed, %d failed", t.Runner, t.Passed, t.Failed)
			for _, tr := range t.Tests {
				if !tr.Pass {
					fmt.Fprintf(&b, "\n  FAIL %s: %s", tr.Test, tr.Message)
				}
			}
			if t.Error != "" {
				b.WriteString("\n  error: " + t.Error)
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
