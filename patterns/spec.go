package patterns

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/number"
)

// Spec asks for one word (the JSON spec of `fastforth gen`).
type Spec struct {
	// Name is the word to define.
	Name string `json:"name"`
	// Effect is its stack comment, e.g. "( hi lo -- sum )".
	Effect string `json:"effect"`
	// Pattern, when set, is the ID of the pattern to use; otherwise one is
	// chosen by the effect and the description's words.
	Pattern string `json:"pattern,omitempty"`
	// Params are the pattern's parameters (strings or numbers); missing
	// ones take their defaults, and "name" is Name.
	Params map[string]Value `json:"params,omitempty"`
	// Description says what the word does; its words choose a pattern.
	Description string `json:"description,omitempty"`
	// Examples become tests: inputs -> outputs.
	Examples []Example `json:"examples,omitempty"`
	// Properties are short statements about the word ("pure", "no
	// allocation") kept in the generated header comment; their words
	// help choose a pattern too.
	Properties []string `json:"properties,omitempty"`
}

// Example is one test: the inputs pushed before the word and the results
// expected after it.
type Example struct {
	Inputs  Values `json:"inputs"`
	Outputs Values `json:"outputs"`
}

// Value is a parameter value: a JSON string or number, kept as text.
type Value string

// UnmarshalJSON accepts a string, a number or a boolean (Forth's -1/0).
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = Value(s)
	case string(b) == "true":
		*v = "-1"
	case string(b) == "false":
		*v = "0"
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a string or a number, found %s", b)
		}
		*v = Value(n.String())
	}
	return nil
}

// Values are Forth values pushed or expected: a string of blank-separated
// tokens ("5 0") or an array of numbers and tokens ([5, 0]).
type Values []string

// UnmarshalJSON accepts a string or an array.
func (vs *Values) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*vs = strings.Fields(s)
		return nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(b, &arr); err != nil {
		return fmt.Errorf("want a string such as \"5 0\" or an array such as [5, 0]")
	}
	out := make(Values, 0, len(arr))
	for _, a := range arr {
		var v Value
		if err := v.UnmarshalJSON(a); err != nil {
			return err
		}
		// "1 2" in an array is two values, as it is in a string.
		f := strings.Fields(string(v))
		if len(f) == 0 {
			f = []string{string(v)}
		}
		out = append(out, f...)
	}
	*vs = out
	return nil
}

// MarshalJSON writes the tokens as one string.
func (vs Values) MarshalJSON() ([]byte, error) { return json.Marshal(strings.Join(vs, " ")) }

// FieldError is one problem of a spec, naming its field ("name",
// "params.op", "examples[1].outputs").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// SpecErrors are all the problems of a spec.
type SpecErrors []FieldError

func (es SpecErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// ParseSpec reads a JSON spec. Unknown fields are errors (a misspelt
// field would otherwise be ignored silently).
//
// The error is a *SpecReadError, which names the field of each problem.
func ParseSpec(data []byte) (*Spec, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Spec
	if err := dec.Decode(&s); err != nil {
		return nil, &SpecReadError{Errors: specFieldErrors(data, err)}
	}
	if dec.More() {
		return nil, &SpecReadError{Errors: SpecErrors{{Field: "spec", Message: "more than one JSON value"}}}
	}
	return &s, nil
}

// SpecReadError is a spec that is not valid JSON or whose fields have the
// wrong names or types. Errors name the fields ("spec" for the text as a
// whole).
type SpecReadError struct {
	Errors SpecErrors
}

func (e *SpecReadError) Error() string { return "reading the spec: " + e.Errors.Error() }

// specFieldErrors finds the fields behind err, the decoder's first error,
// by reading the spec field by field (the decoder names neither unknown
// fields' parents nor the fields of its values' own errors).
func specFieldErrors(data []byte, err error) SpecErrors {
	var errs SpecErrors
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil || top == nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return SpecErrors{{Field: "spec", Message: fmt.Sprintf("%v (at byte %d)", err, syn.Offset)}}
		}
		return SpecErrors{{Field: "spec", Message: strings.TrimPrefix(err.Error(), "json: ")}}
	}
	for _, k := range sortedKeys(top) {
		v := top[k]
		// encoding/json matches field names regardless of case.
		switch strings.ToLower(k) {
		case "name", "effect", "pattern", "description":
			var str string
			if json.Unmarshal(v, &str) != nil {
				bad(k, "want a string, found %s", abbrev(v))
			}
		case "params":
			var m map[string]json.RawMessage
			if json.Unmarshal(v, &m) != nil {
				bad(k, "want an object of parameter values, found %s", abbrev(v))
				break
			}
			for _, pk := range sortedKeys(m) {
				var x Value
				if e := x.UnmarshalJSON(m[pk]); e != nil {
					bad(k+"."+pk, "%v", e)
				}
			}
		case "examples":
			var arr []json.RawMessage
			if json.Unmarshal(v, &arr) != nil {
				bad(k, "want an array of {\"inputs\": ..., \"outputs\": ...}, found %s", abbrev(v))
				break
			}
			for i, ex := range arr {
				f := fmt.Sprintf("%s[%d]", k, i)
				var m map[string]json.RawMessage
				if json.Unmarshal(ex, &m) != nil {
					bad(f, "want an object {\"inputs\": ..., \"outputs\": ...}, found %s", abbrev(ex))
					continue
				}
				for _, ek := range sortedKeys(m) {
					switch strings.ToLower(ek) {
					case "inputs", "outputs":
						var vs Values
						if e := vs.UnmarshalJSON(m[ek]); e != nil {
							bad(f+"."+ek, "%v", e)
						}
					default:
						bad(f+"."+ek, "unknown field (an example has inputs and outputs)")
					}
				}
			}
		case "properties":
			var ps []string
			if json.Unmarshal(v, &ps) != nil {
				bad(k, "want an array of strings, found %s", abbrev(v))
			}
		default:
			bad(k, "unknown field (a spec has name, effect, pattern, params, description, examples and properties)")
		}
	}
	if len(errs) == 0 {
		errs = SpecErrors{{Field: "spec", Message: strings.TrimPrefix(err.Error(), "json: ")}}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// abbrev is a JSON value for a message, cut short.
func abbrev(v json.RawMessage) string {
	s := string(bytes.TrimSpace(v))
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

// Validate checks a spec against the library and returns every problem at
// once; counts are the effect's, when it could be read.
func (l *Library) Validate(s *Spec) (Counts, SpecErrors) {
	var errs SpecErrors
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	if s.Name == "" {
		bad("name", "required: the name of the word to define")
	} else if err := ValidName(s.Name); err != nil {
		bad("name", "%v", err)
	}
	var counts Counts
	countsOK := false
	if strings.TrimSpace(s.Effect) == "" {
		bad("effect", "required: the stack effect, e.g. \"( n1 n2 -- n3 )\"")
	} else if t := strings.TrimSpace(s.Effect); !strings.HasPrefix(t, "( ") || !strings.HasSuffix(t, " )") {
		// It becomes the definition's stack comment: it must be one.
		bad("effect", "%q is not a stack comment: write it as \"( before -- after )\"", s.Effect)
	} else if e, err := effect.Parse(s.Effect); err != nil {
		bad("effect", "%q cannot be read: %v", s.Effect, err)
	} else if c, err := countsOf(&e); err != nil {
		bad("effect", "%q: %v", s.Effect, err)
	} else {
		counts, countsOK = c, true
	}
	var p *Pattern
	if s.Pattern != "" {
		if p = l.Get(s.Pattern); p == nil {
			msg := fmt.Sprintf("no pattern %q", s.Pattern)
			if near := l.nearestID(s.Pattern); near != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", near)
			}
			bad("pattern", "%s", msg)
		} else if countsOK && p.counts != counts {
			bad("effect", "%s does not fit pattern %s, whose effect is %s (%s, not %s)", s.Effect, p.ID, p.Effect, p.counts, counts)
		}
	} else if len(s.Params) > 0 {
		bad("params", "parameters need a pattern: give \"pattern\" too")
	}
	if p != nil {
		keys := make([]string, 0, len(s.Params))
		vals := p.Defaults()
		for k, v := range s.Params {
			keys = append(keys, k)
			vals[k] = string(v)
		}
		vals["name"] = s.Name
		if _, given := s.Params["name"]; !given && s.Name != "" && ValidName(s.Name) == nil {
			if err := p.checkValue(p.Param("name"), s.Name, vals); err != nil {
				bad("name", "%v", err)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := string(s.Params[k])
			pr := p.Param(k)
			switch {
			case pr == nil:
				bad("params."+k, "pattern %s has no parameter %s (it takes %s)", p.ID, k, p.paramList())
			case k == "name" && v != s.Name:
				bad("params.name", "%q differs from name %q (leave it out: name is used)", v, s.Name)
			default:
				if err := p.checkValue(pr, v, vals); err != nil {
					bad("params."+k, "%v", err)
				}
			}
		}
	}
	for i, ex := range s.Examples {
		f := fmt.Sprintf("examples[%d]", i)
		if countsOK && counts.FloatIn == 0 && counts.FloatOut == 0 {
			if len(ex.Inputs) != counts.In {
				bad(f+".inputs", "%d value(s) given but the effect takes %d", len(ex.Inputs), counts.In)
			}
			if len(ex.Outputs) != counts.Out {
				bad(f+".outputs", "%d value(s) given but the effect leaves %d", len(ex.Outputs), counts.Out)
			}
		}
		for _, sv := range []struct {
			side string
			vs   Values
		}{{"inputs", ex.Inputs}, {"outputs", ex.Outputs}} {
			for k, v := range sv.vs {
				// Only literals: a test line is interpreted, and any
				// word in it would run.
				if _, ok := number.Parse([]byte(v), 10, true); !ok {
					bad(f+"."+sv.side, "value %d, %q, is not a number, a float literal (1e0) or a character literal ('a')", k+1, v)
				}
			}
		}
	}
	for i, pr := range s.Properties {
		if commentProblem(pr) != "" {
			bad(fmt.Sprintf("properties[%d]", i), "%s", commentProblem(pr))
		}
	}
	if commentProblem(s.Description) != "" {
		bad("description", "%s", commentProblem(s.Description))
	}
	return counts, errs
}

// commentProblem says why text cannot go into a \ comment line of the
// generated code, or "": it must be one line (gforth ends a line at a
// carriage return too, which would run the rest), without control
// characters but tab.
func commentProblem(text string) string {
	if strings.ContainsAny(text, "\n\r") {
		return "must be one line"
	}
	if hasControl(strings.ReplaceAll(text, "\t", " ")) {
		return "cannot contain a control character"
	}
	return ""
}

// GenResult is the answer of `fastforth gen --json` and of the language
// server's fastforth.generate command.
type GenResult struct {
	OK   bool   `json:"ok"` // valid spec, verified code (and passing tests when run)
	Name string `json:"name"`
	// Effect is the spec's effect.
	Effect  string            `json:"effect"`
	Pattern *PatternRef       `json:"pattern"` // the pattern used, or null
	Params  map[string]string `json:"params"`
	// Code is the generated definition (with any helper words before it).
	Code string `json:"code"`
	// Tests are T{ ... }T lines, after a line that loads the tester.
	Tests        string        `json:"tests"`
	Verification *Verification `json:"verification"`
	// TestResults are present after --run (null otherwise).
	TestResults *RunReport `json:"testResults"`
	// Closest are the patterns that came nearest when none fits.
	Closest []Candidate `json:"closest,omitempty"`
	// Errors are the spec's problems (nothing is generated then).
	Errors  SpecErrors `json:"errors,omitempty"`
	Timings Timings    `json:"timings"`

	// The code and tests as Generate made them, from allowlisted
	// parameters and verified: Run runs nothing else.
	genCode, genTests string
}

// vetted reports whether r is a result of Generate, unchanged, with
// verified code: the only code Run runs.
func (r *GenResult) vetted() bool {
	return r.genTests != "" && r.OK && r.Verification != nil && r.Verification.Verified &&
		r.Code == r.genCode && r.Tests == r.genTests
}

// PatternRef names a pattern in results.
type PatternRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Effect   string `json:"effect"`
}

// Candidate is a pattern considered for a spec without a pattern ID.
type Candidate struct {
	PatternRef
	Score int    `json:"score"` // how well the description's words match
	Why   string `json:"why"`   // why it does not fit
}

// RunReport is the outcome of running the generated tests.
type RunReport struct {
	// Ran is false when the tests could not run (Message says why:
	// gforth is not installed, no runner, nothing to run).
	Ran bool `json:"ran"`
	// Runner says where the tests ran ("gforth", "machine").
	Runner  string       `json:"runner,omitempty"`
	Message string       `json:"message,omitempty"`
	Passed  int          `json:"passed"`
	Failed  int          `json:"failed"`
	Tests   []TestResult `json:"tests"`
	Error   string       `json:"error,omitempty"`
}

// Timings are microseconds spent in each step.
type Timings struct {
	ValidateMicros float64 `json:"validateMicros"`
	// GenerateMicros covers rendering and verifying (nothing for an
	// instance found in the cache).
	GenerateMicros float64 `json:"generateMicros"`
	RunMicros      float64 `json:"runMicros,omitempty"`
	TotalMicros    float64 `json:"totalMicros"`
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()/10) / 100 }

func ref(p *Pattern) *PatternRef {
	return &PatternRef{ID: p.ID, Name: p.Name, Category: p.Category, Effect: p.Effect}
}

// maxClosest is how many near patterns a failed choice reports.
const maxClosest = 5

// Generate turns a spec into a definition and tests, verified by the
// analysis. A spec with problems gives them all (Errors) and no code;
// when no pattern fits, Closest says which came nearest and why, and no
// code is given: code is never presented as verified when it is not
// (Verification says).
func (l *Library) Generate(s *Spec) *GenResult {
	t0 := time.Now()
	res := &GenResult{Name: s.Name, Effect: s.Effect, Params: map[string]string{}}
	counts, errs := l.Validate(s)
	t1 := time.Now()
	res.Timings.ValidateMicros = micros(t1.Sub(t0))
	defer func() { res.Timings.TotalMicros = micros(time.Since(t0)) }()
	if len(errs) > 0 {
		res.Errors = errs
		return res
	}
	var g *Generated
	if s.Pattern != "" {
		params := map[string]string{"name": s.Name}
		for k, v := range s.Params {
			params[k] = string(v)
		}
		var err error
		g, err = l.forSpec(s.Pattern, params, s.Effect, counts)
		if err != nil {
			// Validate checked the parameters: only rendering can fail.
			res.Errors = SpecErrors{{Field: "pattern", Message: err.Error()}}
			return res
		}
	} else {
		g, res.Closest = l.choose(s, counts)
	}
	res.Timings.GenerateMicros = micros(time.Since(t1))
	if g == nil {
		res.Verification = &Verification{Word: s.Name, Declared: s.Effect, Status: "no-pattern",
			Problems: []string{"no pattern fits: see closest"}}
		return res
	}
	res.Pattern = ref(g.Pattern)
	res.Params = g.Params
	res.Verification = g.Verification
	if !g.Verification.Verified {
		// Shown for inspection; OK stays false.
		res.Code = g.Code
		return res
	}
	res.Code = header(s) + g.Marker() + "\n" + g.Code
	res.Tests = tests(s, g)
	res.OK = true
	res.genCode, res.genTests = res.Code, res.Tests
	return res
}

// forSpec instantiates a pattern for a spec: the definition carries the
// spec's stack comment (its names), and is verified against it.
func (l *Library) forSpec(id string, params map[string]string, eff string, counts Counts) (*Generated, error) {
	g, err := l.Instantiate(id, params)
	if err != nil {
		return nil, err
	}
	p := g.Pattern
	if norm(eff) == norm(p.Effect) {
		return g, nil
	}
	code, ok := replaceComment(g.Code, g.Name(), p.Effect, eff)
	if !ok {
		return g, nil
	}
	in := *g.Instance
	in.Code = code
	return &Generated{Instance: &in, Verification: Verify(code, in.Name(), eff, counts)}, nil
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// replaceComment puts comment in place of the stack comment old after
// ": name" in code.
func replaceComment(code, name, old, comment string) (string, bool) {
	head := ": " + name + " "
	i := strings.Index(code, head)
	if i < 0 {
		return code, false
	}
	rest := code[i+len(head):]
	j := strings.Index(rest, "(")
	k := strings.Index(rest, ")")
	if j < 0 || k < j || strings.TrimSpace(rest[:j]) != "" {
		return code, false
	}
	if norm(rest[j:k+1]) != norm(old) {
		return code, false
	}
	return code[:i+len(head)] + rest[:j] + strings.TrimSpace(comment) + rest[k+1:], true
}

// choose picks a pattern for a spec without one: among the patterns whose
// effect has the spec's counts, the one whose words best match the
// description's (and the name's and properties') that verifies with the
// spec's name. Without a fit it returns the closest ones and why.
func (l *Library) choose(s *Spec, counts Counts) (*Generated, []Candidate) {
	query := s.Description + " " + strings.ReplaceAll(s.Name, "-", " ") + " " + strings.Join(s.Properties, " ")
	hits := l.Search(query)
	var closest []Candidate
	seen := map[string]bool{}
	for _, h := range hits {
		p := h.Pattern
		seen[p.ID] = true
		c := Candidate{PatternRef: *ref(p), Score: h.Score}
		if p.counts != counts {
			c.Why = fmt.Sprintf("its effect %s has %s, the spec's %s has %s (matched: %s)", p.Effect, p.counts, s.Effect, counts, strings.Join(h.Matched, ", "))
			if len(closest) < maxClosest {
				closest = append(closest, c)
			}
			continue
		}
		g, err := l.forSpec(p.ID, map[string]string{"name": s.Name}, s.Effect, counts)
		if err != nil {
			c.Why = err.Error()
		} else if !g.Verification.Verified {
			c.Why = "it does not verify with this name: " + strings.Join(g.Verification.Problems, "; ")
		} else {
			return g, nil
		}
		closest = append([]Candidate{c}, closest...)
		if len(closest) > maxClosest {
			closest = closest[:maxClosest]
		}
	}
	// Patterns with the right effect whose words do not match.
	for _, p := range l.list {
		if len(closest) >= maxClosest {
			break
		}
		if !seen[p.ID] && p.counts == counts {
			c := Candidate{PatternRef: *ref(p), Why: "its effect fits but none of the description's words match its name, tags or description"}
			closest = append(closest, c)
		}
	}
	if len(hits) == 0 && len(closest) == 0 {
		closest = []Candidate{}
	}
	return nil, closest
}

// header is the comment block above generated code.
func header(s *Spec) string {
	var b strings.Builder
	if s.Description != "" {
		fmt.Fprintf(&b, "\\ %s\n", s.Description)
	}
	for _, p := range s.Properties {
		fmt.Fprintf(&b, "\\ Property: %s\n", p)
	}
	return b.String()
}

// TesterLoad is the first line of generated tests: it loads the tester
// unless T{ is already defined.
const TesterLoad = "[undefined] T{ [if] include " + TesterFile + " [then]"

// tests renders a spec's tests: its examples, then the pattern's own tests
// when its parameters are the example ones (the expected results were
// written for them).
func tests(s *Spec, g *Generated) string {
	var b strings.Builder
	b.WriteString(TesterLoad + "\n")
	for _, ex := range s.Examples {
		in := strings.Join(ex.Inputs, " ")
		out := strings.Join(ex.Outputs, " ")
		fmt.Fprintf(&b, "T{ %s -> %s }T\n", strings.TrimSpace(in+" "+s.Name), out)
	}
	switch {
	case g.ExampleTests:
		if t := strings.TrimRight(g.Tests, "\n"); t != "" {
			b.WriteString(t + "\n")
		}
	case len(s.Examples) == 0:
		// The pattern's tests expect its default parameters' results;
		// the line to fill in is a comment, so that it never runs (and
		// never passes or fails by accident).
		b.WriteString(placeholderLine(s.Name, g.Pattern.counts))
	}
	return b.String()
}

// Skeleton makes test lines for a word without a pattern: one per example
// when given, else a line to fill in.
func Skeleton(name string, counts Counts) string {
	return TesterLoad + "\n" + skeletonLine(name, counts)
}

// placeholderLine is a commented-out test to fill in.
func placeholderLine(name string, counts Counts) string {
	return fmt.Sprintf("\\ %s \\ TODO: replace each ? with the expected result\n", testLine(name, counts))
}

func skeletonLine(name string, counts Counts) string {
	return fmt.Sprintf("\\ Replace each ? with the expected result.\n%s\n", testLine(name, counts))
}

// testLine is a test of name with inputs 1, 2... and ? for the results.
func testLine(name string, counts Counts) string {
	ins := make([]string, counts.In)
	for i := range ins {
		ins[i] = strconv.Itoa(i + 1)
	}
	for i := 0; i < counts.FloatIn; i++ {
		ins = append(ins, strconv.Itoa(i+1)+"e")
	}
	outs := make([]string, counts.Out+counts.FloatOut)
	for i := range outs {
		outs[i] = "?"
	}
	return fmt.Sprintf("T{ %s -> %s }T", strings.TrimSpace(strings.Join(ins, " ")+" "+name), strings.Join(outs, " "))
}

// nearestID is the pattern ID closest to a misspelt one, or "".
func (l *Library) nearestID(id string) string {
	best, bestD := "", len(id)/3+1
	for _, p := range l.list {
		if d := editDistance(id, p.ID); d < bestD {
			best, bestD = p.ID, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two strings (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
