package patterns

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fastforth/fastforth/analysis/number"
)

// ParamError is a parameter value that cannot be used.
type ParamError struct {
	Pattern string
	Param   string
	Value   string
	Msg     string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("pattern %s: parameter %s: %s", e.Pattern, e.Param, e.Msg)
}

// ParamErrors are all the problems of one set of parameters.
type ParamErrors []*ParamError

func (es ParamErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Instance is a pattern rendered with a set of parameters.
type Instance struct {
	Pattern *Pattern
	Params  map[string]string // every parameter, defaults filled in
	Code    string
	Tests   string
	// ExampleTests is set when the tests hold: every parameter but the
	// name has its example (default) value, which the tests' expected
	// results were written for.
	ExampleTests bool
}

// Name is the word the instance defines.
func (in *Instance) Name() string { return in.Params["name"] }

// ValidName reports why s is not a valid name for a new Forth word, or nil:
// 1 to 31 printable non-blank characters that do not read as a number.
func ValidName(s string) error {
	switch {
	case s == "":
		return errors.New("a word name cannot be empty")
	case utf8.RuneCountInString(s) > 31:
		return fmt.Errorf("%q is longer than 31 characters", s)
	case !utf8.ValidString(s):
		return fmt.Errorf("%q is not valid UTF-8", s)
	}
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return fmt.Errorf("%q contains a blank or a control character; a Forth name is one blank-free token", s)
		}
	}
	if _, ok := number.Parse([]byte(s), 10, true); ok {
		return fmt.Errorf("%q reads as a number, not as a word name", s)
	}
	return nil
}

// validateValue checks one value against its parameter type.
func validateValue(t ParamType, v string) error {
	switch t {
	case TypeName:
		return ValidName(v)
	case TypeWord:
		if strings.TrimSpace(v) == "" {
			return errors.New("give at least one word")
		}
		if strings.ContainsAny(v, "\n\r") {
			return errors.New("words must be on one line")
		}
		for _, w := range strings.Fields(v) {
			if utf8.RuneCountInString(w) > 31 && !isNumber(w) {
				return fmt.Errorf("%q is longer than 31 characters", w)
			}
		}
	case TypeNumber:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Errorf("%q is not a signed decimal integer", v)
		}
	case TypeText:
		if strings.ContainsAny(v, "\"\n\r") {
			return fmt.Errorf("text cannot contain a double quote or a line break (it goes inside a string literal)")
		}
	default:
		return fmt.Errorf("unknown parameter type %q", t)
	}
	return nil
}

func isNumber(s string) bool {
	_, ok := number.Parse([]byte(s), 10, true)
	return ok
}

// resolveParams fills in defaults and checks every value, returning every
// problem at once.
func (p *Pattern) resolveParams(given map[string]string) (map[string]string, ParamErrors) {
	var errs ParamErrors
	vals := make(map[string]string, len(p.Params))
	for k, v := range p.defaults {
		vals[k] = v
	}
	// In a stable order, so that the errors are too.
	keys := make([]string, 0, len(given))
	for k := range given {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := given[k]
		pr := p.Param(k)
		if pr == nil {
			errs = append(errs, &ParamError{Pattern: p.ID, Param: k, Value: v, Msg: "no such parameter (the pattern takes " + p.paramList() + ")"})
			continue
		}
		if err := validateValue(pr.Type, v); err != nil {
			errs = append(errs, &ParamError{Pattern: p.ID, Param: k, Value: v, Msg: fmt.Sprintf("%s (type %s)", err, pr.Type)})
			continue
		}
		vals[k] = v
	}
	return vals, errs
}

func (p *Pattern) paramList() string {
	ids := make([]string, len(p.Params))
	for i, pr := range p.Params {
		ids[i] = pr.ID
	}
	return strings.Join(ids, ", ")
}

// Instantiate renders the pattern with the given parameters (missing ones
// take their defaults). Every invalid parameter is reported, as
// ParamErrors.
func (p *Pattern) Instantiate(params map[string]string) (*Instance, error) {
	vals, errs := p.resolveParams(params)
	if len(errs) > 0 {
		return nil, errs
	}
	var code, tests strings.Builder
	code.Grow(len(p.Code) + 32)
	if err := p.code.Execute(&code, vals); err != nil {
		return nil, fmt.Errorf("pattern %s: rendering the code: %w", p.ID, err)
	}
	if err := p.tests.Execute(&tests, vals); err != nil {
		return nil, fmt.Errorf("pattern %s: rendering the tests: %w", p.ID, err)
	}
	example := true
	for k, v := range vals {
		if k != "name" && p.defaults[k] != v {
			example = false
		}
	}
	return &Instance{Pattern: p, Params: vals, Code: code.String(), Tests: tests.String(), ExampleTests: example}, nil
}

// Snippet renders the code template as an LSP snippet: each parameter is a
// placeholder ${N:default}, numbered in the order the parameters are
// declared (the same number wherever a parameter recurs, so editors edit
// every occurrence at once), and the rest of the text is escaped.
func (p *Pattern) Snippet() (string, error) {
	marks := make(map[string]string, len(p.Params))
	repl := make([]string, 0, 2*len(p.Params))
	for i, pr := range p.Params {
		m := fmt.Sprintf("\x00%d\x00", i)
		marks[pr.ID] = m
		repl = append(repl, m, fmt.Sprintf("${%d:%s}", i+1, snippetEscape(defaultValue(pr), true)))
	}
	var b strings.Builder
	if err := p.code.Execute(&b, marks); err != nil {
		return "", err
	}
	return strings.NewReplacer(repl...).Replace(snippetEscape(b.String(), false)), nil
}

// snippetEscape escapes the characters that mean something in LSP snippet
// syntax; inside a placeholder "}" must be escaped too.
func snippetEscape(s string, placeholder bool) string {
	r := strings.NewReplacer(`\`, `\\`, `$`, `\$`)
	if placeholder {
		r = strings.NewReplacer(`\`, `\\`, `$`, `\$`, `}`, `\}`)
	}
	return r.Replace(s)
}
