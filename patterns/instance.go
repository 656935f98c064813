package patterns

import (
	"errors"
	"fmt"
	"github.com/fastforth/fastforth/analysis"
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
	if err := analysis.CheckName(s); err != nil {
		return err
	}
	if utf8.RuneCountInString(s) > 31 {
		// Forth 2012 promises names up to 31 characters on every system.
		return fmt.Errorf("%q is longer than 31 characters", s)
	}
	if testerWords[strings.ToLower(s)] {
		// Generated tests run these words at interpretation time; a
		// redefinition would break every test after it.
		return fmt.Errorf("%q is a word the generated tests use (T{ -> }T and the line that loads the tester)", s)
	}
	return nil
}

// testerWords are the words generated tests interpret: the tester's and
// those of TesterLoad, lower case.
var testerWords = func() map[string]bool {
	m := map[string]bool{"t{": true, "->": true, "}t": true}
	for _, w := range strings.Fields(TesterLoad) {
		m[strings.ToLower(w)] = true
	}
	return m
}()

// hasControl reports whether s has a control character (a line break, a
// tab, NUL, DEL...).
func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// validateValue checks one value against its parameter type; known is
// as for validateWords.
func validateValue(t ParamType, v string, known func(string) bool) error {
	if !utf8.ValidString(v) {
		return errors.New("a value must be valid UTF-8")
	}
	if hasControl(v) {
		return errors.New("a value cannot contain a control character (line break, tab...)")
	}
	switch t {
	case TypeName:
		return ValidName(v)
	case TypeWord:
		if strings.TrimSpace(v) == "" {
			return errors.New("give at least one word")
		}
		return validateWords(v, known)
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
		vals[k] = v
	}
	for _, k := range keys {
		pr := p.Param(k)
		if pr == nil {
			continue
		}
		v := given[k]
		if err := p.checkValue(pr, v, vals); err != nil {
			errs = append(errs, &ParamError{Pattern: p.ID, Param: k, Value: v, Msg: err.Error()})
			vals[k] = p.defaults[k]
		}
	}
	return vals, errs
}

// checkValue checks the value v of parameter pr, vals being all the
// parameters (for the names the code will define).
func (p *Pattern) checkValue(pr *Param, v string, vals map[string]string) error {
	return p.prepared().checkPrepared(pr, v, vals)
}

// checkPrepared is checkValue on a prepared pattern.
func (p *Pattern) checkPrepared(pr *Param, v string, vals map[string]string) error {
	// A word parameter may use the words defined before its first use
	// (rendered with these values).
	known := func(w string) bool {
		if p.scan == nil {
			return false
		}
		for _, d := range p.scan.before[pr.ID] {
			if p.renderWord(d, vals) == w {
				return true
			}
		}
		return false
	}
	if err := validateValue(pr.Type, v, known); err != nil {
		return fmt.Errorf("%s (type %s)", err, pr.Type)
	}
	if pr.Type == TypeName && p.scan != nil {
		// The words the templates define with this name in them: none
		// may be a word that would change how the text after it reads.
		mark := marker(p.paramIndex(pr.ID))
		for _, n := range p.scan.names {
			if !strings.Contains(n, mark) {
				continue
			}
			w := p.renderWord(n, vals)
			if err := analysis.CheckName(w); err != nil {
				return fmt.Errorf("the pattern defines %s: %v", w, err)
			}
			if err := unsafeName(w); err != nil {
				return err
			}
		}
	}
	if pr.Type == TypeName {
		// Two definitions of one name: the tests would see only the
		// last, and code written for the first would call the wrong
		// word.
		lv := strings.ToLower(v)
		if p.defs[lv] {
			return fmt.Errorf("%q is a word the pattern defines itself; choose another name", v)
		}
		for _, q := range p.Params {
			if q.ID != pr.ID && q.Type == TypeName && strings.ToLower(vals[q.ID]) == lv {
				return fmt.Errorf("%q is also the value of parameter %s; the names must differ", v, q.ID)
			}
		}
	}
	return nil
}

// renderWord renders a word of the scan (lower case, with placeholders)
// with the given values.
func (p *Pattern) renderWord(w string, vals map[string]string) string {
	if !strings.ContainsRune(w, markOpen) {
		return w
	}
	var b strings.Builder
	for _, seg := range segments(w) {
		if seg.param < 0 {
			b.WriteString(seg.text)
		} else {
			b.WriteString(lowerASCII(vals[p.Params[seg.param].ID]))
		}
	}
	return b.String()
}

// paramIndex is the index of parameter id, or -1.
func (p *Pattern) paramIndex(id string) int {
	for i := range p.Params {
		if p.Params[i].ID == id {
			return i
		}
	}
	return -1
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
	return p.render(vals)
}

// render renders the pattern with resolved, valid parameters.
func (p *Pattern) render(vals map[string]string) (*Instance, error) {
	p.prepared()
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
	p.prepared()
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
