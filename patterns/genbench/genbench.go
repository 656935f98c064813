// Package genbench is the held-out benchmark for `fastforth gen`: tasks
// written as a user would ask for a word (a spec in format v2, see
// patterns/spec.schema.json), each with a hand-written gforth reference.
//
// The package loads the tasks (Load), checks them at the schema level
// (Validate, ParseEffect) and runs a spec's examples against any Forth code
// with its own renderer and harness (TaskBody, Harness, RunGforth, Check).
// The renderer is independent of the generator's: it implements the
// semantics of spec format v2 directly, so that a benchmark command can run
// the generator on each task and judge its answer here.
//
// How an example runs (harness.fs): the stacks are emptied, the inputs are
// pushed (a {"string": ...} value as the c-addr u of a fresh allocated
// copy), output is captured by revectoring TYPE and EMIT, the word runs
// under CATCH (with the example's parse text after its name), `after` runs,
// and both stacks are saved into arrays and compared cell by cell (strings
// by content, floats within a relative 1e-9), as are the THROW code and the
// printed text. Each example prints one result line.
package genbench

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed harness.fs
var harness string

// Harness returns the Forth source (gforth 0.7.3) that TaskBody's output
// needs loaded first.
func Harness() string { return harness }

// Categories are the task categories, in the order the README lists them.
var Categories = []string{
	"stack", "arithmetic", "doubles", "comparisons", "conditionals",
	"counted-loops", "indefinite-loops", "recursion", "memory",
	"strings", "bits", "base-conversion", "printing", "structures",
	"defining-words", "errors",
}

// Task is one benchmark task: testdata/genbench/tasks/NNN-slug.json.
type Task struct {
	ID        string          `json:"-"` // the file name without .json: "012-gcd"
	Path      string          `json:"-"`
	Category  string          `json:"category"`
	SpecJSON  json.RawMessage `json:"spec"` // the spec exactly as written, to hand to the generator
	Spec      Spec            `json:"-"`
	Reference string          `json:"reference"`
	Notes     string          `json:"notes,omitempty"`
}

// Spec is a spec in format v2 (see /patterns/spec.schema.json).
type Spec struct {
	Name        string          `json:"name"`
	Effect      string          `json:"effect"`
	Pattern     string          `json:"pattern,omitempty"`
	Params      json.RawMessage `json:"params,omitempty"`
	Description string          `json:"description,omitempty"`
	Properties  []string        `json:"properties,omitempty"`
	Setup       string          `json:"setup,omitempty"`
	Examples    []Example       `json:"examples,omitempty"`
}

// Example is one example of a spec. Exactly one of HasOutputs and Throws
// is set in a benchmark task; with neither, only the THROW (none) and the
// printed text are checked.
type Example struct {
	Inputs     []Value
	Outputs    []Value
	HasOutputs bool
	Throws     *int64
	After      string
	Parse      string
	Printed    *string
}

type exampleJSON struct {
	Inputs  json.RawMessage `json:"inputs,omitempty"`
	Outputs json.RawMessage `json:"outputs,omitempty"`
	Throws  *int64          `json:"throws,omitempty"`
	After   string          `json:"after,omitempty"`
	Parse   string          `json:"parse,omitempty"`
	Printed *string         `json:"printed,omitempty"`
}

// UnmarshalJSON reads an example strictly: unknown fields are errors.
func (e *Example) UnmarshalJSON(b []byte) error {
	var raw exampleJSON
	if err := decodeStrict(b, &raw); err != nil {
		return err
	}
	*e = Example{Throws: raw.Throws, After: raw.After, Parse: raw.Parse, Printed: raw.Printed}
	var err error
	if len(raw.Inputs) > 0 && string(raw.Inputs) != "null" {
		if e.Inputs, err = parseValues(raw.Inputs, true); err != nil {
			return fmt.Errorf("inputs: %w", err)
		}
	}
	if len(raw.Outputs) > 0 && string(raw.Outputs) != "null" {
		e.HasOutputs = true
		if e.Outputs, err = parseValues(raw.Outputs, false); err != nil {
			return fmt.Errorf("outputs: %w", err)
		}
	}
	return nil
}

// MarshalJSON writes an example back in the spec's form.
func (e Example) MarshalJSON() ([]byte, error) {
	m := map[string]any{"inputs": valuesJSON(e.Inputs)}
	if e.HasOutputs {
		m["outputs"] = valuesJSON(e.Outputs)
	}
	if e.Throws != nil {
		m["throws"] = *e.Throws
	}
	if e.After != "" {
		m["after"] = e.After
	}
	if e.Parse != "" {
		m["parse"] = e.Parse
	}
	if e.Printed != nil {
		m["printed"] = *e.Printed
	}
	return json.Marshal(m)
}

func valuesJSON(vs []Value) []any {
	out := make([]any, 0, len(vs))
	for _, v := range vs {
		switch v.Kind {
		case Int:
			out = append(out, v.Int)
		case String:
			out = append(out, map[string]string{"string": v.Text})
		default:
			out = append(out, v.Text)
		}
	}
	return out
}

// ValueKind says what a Value is.
type ValueKind int

// The kinds of value.
const (
	Int    ValueKind = iota // an integer: one cell
	Char                    // a character literal 'a': one cell, its code
	Float                   // a float literal such as 1.5e0: one float
	Word                    // a word (defined by setup, or TRUE/FALSE): one cell, what it pushes
	String                  // {"string": ...}: two cells, c-addr u
)

// Value is one input or output value.
type Value struct {
	Kind ValueKind
	Int  int64  // Int, Char
	Text string // the literal as written (Char, Float, Word) or the string's text (String)
}

// Cells is how many data-stack cells the value takes.
func (v Value) Cells() int {
	switch v.Kind {
	case Float:
		return 0
	case String:
		return 2
	}
	return 1
}

var (
	intRe   = regexp.MustCompile(`^-?[0-9]+$`)
	floatRe = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]*$`)
	charRe  = regexp.MustCompile(`^'[ -~]'$`)
	// 1.5 is a double-cell number to a Forth text interpreter, not a float.
	doubleLitRe = regexp.MustCompile(`^[+-]?[0-9]+\.[0-9]*$`)
	wordRe      = regexp.MustCompile(`^[!-~]+$`)
)

// ParseValue reads a value written as a string: an integer, a character
// literal 'a', a float literal 1.5e0 or the name of a word.
func ParseValue(s string) (Value, error) {
	switch {
	case intRe.MatchString(s):
		n, err := parseInt(s)
		if err != nil {
			return Value{}, err
		}
		return Value{Kind: Int, Int: n, Text: s}, nil
	case charRe.MatchString(s):
		return Value{Kind: Char, Int: int64(s[1]), Text: s}, nil
	case floatRe.MatchString(s):
		return Value{Kind: Float, Text: s}, nil
	case doubleLitRe.MatchString(s):
		return Value{}, fmt.Errorf("%q would be a double-cell number in Forth: write a float as 1.5e0", s)
	case wordRe.MatchString(s) && !strings.HasPrefix(s, "'"):
		return Value{Kind: Word, Text: s}, nil
	}
	return Value{}, fmt.Errorf("%q is not an integer, a character literal 'c', a float literal (1.5e0) or a word", s)
}

// parseInt reads a decimal integer; values past the signed range up to 2^64-1
// are taken as the unsigned cell.
func parseInt(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		return int64(u), nil
	}
	return 0, fmt.Errorf("%s does not fit in a 64-bit cell", s)
}

func parseValues(raw json.RawMessage, allowString bool) ([]Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		if !allowString {
			return nil, errors.New("must be an array")
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		var out []Value
		for _, f := range strings.Fields(s) {
			v, err := ParseValue(f)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errors.New("must be an array of values")
	}
	out := make([]Value, 0, len(items))
	for i, it := range items {
		v, err := parseValueJSON(it)
		if err != nil {
			return nil, fmt.Errorf("value %d: %w", i, err)
		}
		out = append(out, v)
	}
	return out, nil
}

func parseValueJSON(raw json.RawMessage) (Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return Value{}, errors.New("empty value")
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Value{}, err
		}
		return ParseValue(s)
	case '{':
		var obj struct {
			String *string `json:"string"`
		}
		if err := decodeStrict(raw, &obj); err != nil {
			return Value{}, err
		}
		if obj.String == nil {
			return Value{}, errors.New(`an object value needs "string"`)
		}
		return Value{Kind: String, Text: *obj.String}, nil
	}
	s := string(raw)
	if !intRe.MatchString(s) {
		return Value{}, fmt.Errorf("%s: a number value must be an integer (write a float as a string such as \"1.5e0\")", s)
	}
	n, err := parseInt(s)
	if err != nil {
		return Value{}, err
	}
	return Value{Kind: Int, Int: n, Text: s}, nil
}

func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// ParseSpec reads a spec strictly (unknown fields are errors).
func ParseSpec(b []byte) (Spec, error) {
	var s Spec
	err := decodeStrict(b, &s)
	return s, err
}

var taskFileRe = regexp.MustCompile(`^([0-9]{3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.json$`)

// Load reads every NNN-slug.json task in dir, sorted by file name.
func Load(dir string) ([]Task, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var tasks []Task
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		if !taskFileRe.MatchString(e.Name()) {
			return nil, fmt.Errorf("%s: a task file is named NNN-slug.json (lower-case slug)", e.Name())
		}
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var t Task
		if err := decodeStrict(b, &t); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if len(t.SpecJSON) == 0 {
			return nil, fmt.Errorf("%s: no spec", e.Name())
		}
		if t.Spec, err = ParseSpec(t.SpecJSON); err != nil {
			return nil, fmt.Errorf("%s: spec: %w", e.Name(), err)
		}
		t.ID = strings.TrimSuffix(e.Name(), ".json")
		t.Path = path
		tasks = append(tasks, t)
	}
	sort.Slice(tasks, func(i, j int) bool { return tasks[i].ID < tasks[j].ID })
	return tasks, nil
}

// Side is one side of a stack effect: how many data cells and floats.
type Side struct {
	Cells, Floats int
}

// Effect is a parsed stack comment. Outs has one Side per alternative
// ("-- n true | false" has two). Variable is set when the comment has
// items of no fixed count (i*x, ...), so counts cannot be checked.
type Effect struct {
	In       Side
	Outs     []Side
	Variable bool
}

var (
	doubleRe   = regexp.MustCompile(`^u?d[0-9]*$`)
	floatTokRe = regexp.MustCompile(`^r[0-9]*$`)
)

// ParseEffect reads a stack comment such as "( c-addr u -- n true | false )".
// Tokens in double quotes ("name") are parsed text, not stack items; d, ud,
// d1... take two cells; r, r1... and everything after F: are floats (F: as
// the comment's first token makes both sides float items); items after R:
// are on the return stack and not counted.
func ParseEffect(s string) (Effect, error) {
	f := strings.Fields(s)
	if len(f) < 3 || f[0] != "(" || f[len(f)-1] != ")" {
		return Effect{}, fmt.Errorf("effect %q: want \"( before -- after )\"", s)
	}
	f = f[1 : len(f)-1]
	sep := -1
	for i, t := range f {
		if t == "--" {
			if sep >= 0 {
				return Effect{}, fmt.Errorf("effect %q: more than one --", s)
			}
			sep = i
		}
	}
	if sep < 0 {
		return Effect{}, fmt.Errorf("effect %q: no --", s)
	}
	allFloat := len(f) > 0 && f[0] == "F:"
	var e Effect
	side := func(toks []string) (Side, bool) {
		var sd Side
		mode := "data"
		if allFloat {
			mode = "float"
		}
		variable := false
		for _, t := range toks {
			switch {
			case t == "F:":
				mode = "float"
			case t == "R:":
				mode = "return"
			case t == "D:" || t == "S:":
				mode = "data"
			case strings.HasPrefix(t, `"`):
				// parsed text
			case strings.Contains(t, "*") || strings.Contains(t, "..."):
				variable = true
			case mode == "return":
			case mode == "float" || floatTokRe.MatchString(t):
				sd.Floats++
			case doubleRe.MatchString(t):
				sd.Cells += 2
			default:
				sd.Cells++
			}
		}
		return sd, variable
	}
	in := f[:sep]
	for _, t := range in {
		if t == "|" {
			e.Variable = true
		}
	}
	var v bool
	e.In, v = side(in)
	e.Variable = e.Variable || v
	alt := []string{}
	for _, t := range append(f[sep+1:], "|") {
		if t != "|" {
			alt = append(alt, t)
			continue
		}
		sd, v := side(alt)
		e.Outs = append(e.Outs, sd)
		e.Variable = e.Variable || v
		alt = alt[:0]
	}
	return e, nil
}

func countValues(vs []Value) Side {
	var s Side
	for _, v := range vs {
		if v.Kind == Float {
			s.Floats++
		} else {
			s.Cells += v.Cells()
		}
	}
	return s
}

var nameTokenRe = regexp.MustCompile(`^\S+$`)

// Validate checks a task at the schema level (what a JSON schema cannot
// say): a known category, a parseable effect, at least three examples each
// with outputs or throws (not both), example counts that match the
// effect's (when it has no variable items; outputs only when the example
// has no `after`), and a reference that defines the word with ":".
func Validate(t Task) []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	known := false
	for _, c := range Categories {
		known = known || c == t.Category
	}
	if !known {
		bad("category %q is not one of %v", t.Category, Categories)
	}
	s := t.Spec
	if s.Name == "" || !nameTokenRe.MatchString(s.Name) {
		bad("name %q: want one blank-free word", s.Name)
	}
	if strings.TrimSpace(s.Description) == "" || strings.Contains(s.Description, "\n") {
		bad("description: want one non-empty line")
	}
	eff, err := ParseEffect(s.Effect)
	if err != nil {
		bad("%v", err)
	}
	if len(s.Examples) < 3 {
		bad("%d examples, want at least 3", len(s.Examples))
	}
	for i, ex := range s.Examples {
		if ex.HasOutputs == (ex.Throws != nil) {
			bad("example %d: want exactly one of outputs and throws", i)
		}
		if ex.Throws != nil && ex.After != "" {
			bad("example %d: after with throws is never run", i)
		}
		if err != nil || eff.Variable {
			continue
		}
		if got := countValues(ex.Inputs); got != eff.In {
			bad("example %d: inputs are %d cells and %d floats, the effect takes %d and %d", i, got.Cells, got.Floats, eff.In.Cells, eff.In.Floats)
		}
		if ex.HasOutputs && ex.After == "" {
			got := countValues(ex.Outputs)
			match := false
			for _, o := range eff.Outs {
				match = match || o == got
			}
			if !match {
				bad("example %d: outputs are %d cells and %d floats, which matches no alternative of %s", i, got.Cells, got.Floats, s.Effect)
			}
		}
	}
	if strings.TrimSpace(t.Reference) == "" {
		bad("no reference")
	} else if !definesWord(t.Reference, s.Name) {
		bad("the reference has no \": %s\"", s.Name)
	}
	return errs
}

func definesWord(code, name string) bool {
	f := strings.Fields(code)
	for i := 0; i+1 < len(f); i++ {
		if f[i] == ":" && strings.EqualFold(f[i+1], name) {
			return true
		}
	}
	return false
}

// Mode says how a task's examples share state.
type Mode int

const (
	// Fresh loads setup and the code anew for every example (the spec's
	// "fresh state after setup"), each example inside its own MARKER.
	Fresh Mode = iota
	// Sequential loads setup and the code once and runs the examples one
	// after another. The tasks are written to pass in both modes (each
	// example that changes memory uses its own buffer or name), so they
	// do not depend on which reading of "fresh state" a checker takes.
	Sequential
)

var idRe = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// TaskBody renders the examples of spec, run against code (Forth source
// that defines spec.Name), as gforth source to load after Harness(). Each
// example prints "GB|id|index|ok" or "GB|id|index|FAIL|reasons".
func TaskBody(id string, spec Spec, code string, mode Mode) (string, error) {
	if !idRe.MatchString(id) {
		return "", fmt.Errorf("task id %q: letters, digits, . _ - only", id)
	}
	if !nameTokenRe.MatchString(spec.Name) {
		return "", fmt.Errorf("name %q: want one blank-free word", spec.Name)
	}
	var b strings.Builder
	load := func() {
		if strings.TrimSpace(spec.Setup) != "" {
			b.WriteString("\\ setup\n" + strings.TrimRight(spec.Setup, "\n") + "\n")
		}
		b.WriteString("\\ code\n" + strings.TrimRight(code, "\n") + "\n")
	}
	fmt.Fprintf(&b, "\\ genbench task %s\n", id)
	if mode == Sequential {
		b.WriteString("gb-ex-mark\n")
		load()
	}
	for i, ex := range spec.Examples {
		if mode == Fresh {
			fmt.Fprintf(&b, "\\ ---- example %d\ngb-ex-mark\n", i)
			load()
		} else {
			fmt.Fprintf(&b, "\\ ---- example %d\n", i)
		}
		if err := renderExample(&b, id, i, spec.Name, ex); err != nil {
			return "", fmt.Errorf("example %d: %w", i, err)
		}
		if mode == Fresh {
			b.WriteString("gb-ex\n")
		}
	}
	if mode == Sequential {
		b.WriteString("gb-ex\n")
	}
	return b.String(), nil
}

// forthString renders text as an s\" literal.
func forthString(s string) string {
	var b strings.Builder
	b.WriteString(`s\" `)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 32 || c == 127:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString(`"`)
	return b.String()
}

func renderValue(v Value) string {
	switch v.Kind {
	case Int, Char:
		return strconv.FormatInt(v.Int, 10)
	case String:
		return forthString(v.Text) + " gb-fresh"
	}
	return v.Text
}

func renderExample(b *strings.Builder, id string, i int, name string, ex Example) error {
	if strings.ContainsAny(ex.Parse, "\n\r") {
		return errors.New("parse text must be one line")
	}
	b.WriteString("gb-begin\n")
	ins := make([]string, 0, len(ex.Inputs))
	for _, v := range ex.Inputs {
		ins = append(ins, renderValue(v))
	}
	if len(ins) > 0 {
		b.WriteString(strings.Join(ins, " ") + "\n")
	}
	fmt.Fprintf(b, "gb-cap-on ' %s catch", name)
	if ex.Parse != "" {
		b.WriteString(" " + ex.Parse)
	}
	b.WriteString("\ngb-caught!\n")
	if ex.Throws != nil {
		fmt.Fprintf(b, "gb-cap-off gb-clear\n%d gb-expect-throw\n", *ex.Throws)
	} else {
		if strings.TrimSpace(ex.After) != "" {
			b.WriteString(strings.TrimRight(ex.After, "\n") + "\n")
		}
		b.WriteString("gb-cap-off gb-save\n0 gb-expect-throw\n")
		if ex.HasOutputs {
			n := countValues(ex.Outputs)
			fmt.Fprintf(b, "%d %d gb-shape\n", n.Cells, n.Floats)
			cell, fl := 0, 0
			for _, v := range ex.Outputs {
				switch v.Kind {
				case Float:
					fmt.Fprintf(b, "%d %s gb-float\n", fl, v.Text)
					fl++
				case String:
					fmt.Fprintf(b, "%d %s gb-str\n", cell, forthString(v.Text))
					cell += 2
				default:
					fmt.Fprintf(b, "%d %s gb-cell\n", cell, renderValue(v))
					cell++
				}
			}
		}
	}
	if ex.Printed != nil {
		b.WriteString(forthString(*ex.Printed) + " gb-printed\n")
	}
	fmt.Fprintf(b, "s\" %s\" %d gb-report\n", id, i)
	return nil
}

// Submission is code to check against a task's spec.
type Submission struct {
	ID   string
	Spec Spec
	Code string
}

// References returns the tasks' references as submissions.
func References(tasks []Task) []Submission {
	subs := make([]Submission, len(tasks))
	for i, t := range tasks {
		subs[i] = Submission{ID: t.ID, Spec: t.Spec, Code: t.Reference}
	}
	return subs
}

// ExampleResult is the verdict on one example.
type ExampleResult struct {
	Index   int
	OK      bool
	Message string
}

// TaskResult is the verdict on one submission.
type TaskResult struct {
	ID       string
	Examples []ExampleResult
	// Output is what the Forth system said when the task's program stopped
	// before reporting every example (its error message), else empty.
	Output string
	// Alone is set when RunGforth reran the task in a process of its own
	// because the batch did not report every example.
	Alone bool
}

// OK reports whether every example passed.
func (r TaskResult) OK() bool {
	if len(r.Examples) == 0 {
		return false
	}
	for _, e := range r.Examples {
		if !e.OK {
			return false
		}
	}
	return true
}

// Failures lists the failed examples as "example N: reason" lines.
func (r TaskResult) Failures() []string {
	var out []string
	for _, e := range r.Examples {
		if !e.OK {
			out = append(out, fmt.Sprintf("example %d: %s", e.Index, e.Message))
		}
	}
	return out
}

type report struct {
	ok  bool
	msg string
}

// parseReports reads GB| and GB-ERR| lines: results by task id and example
// index, and the throw codes of tasks whose file stopped early.
func parseReports(out string) (map[string]map[int]report, map[string]string) {
	res := map[string]map[int]report{}
	errs := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimRight(line, "\r")
		if i := strings.Index(line, "GB-ERR|"); i >= 0 {
			f := strings.SplitN(line[i:], "|", 3)
			if len(f) == 3 {
				errs[f[1]] = "stopped with THROW " + strings.TrimSpace(f[2])
			}
			continue
		}
		i := strings.Index(line, "GB|")
		if i < 0 {
			continue
		}
		f := strings.SplitN(line[i:], "|", 5)
		if len(f) < 4 {
			continue
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		if res[f[1]] == nil {
			res[f[1]] = map[int]report{}
		}
		if _, seen := res[f[1]][n]; seen {
			continue
		}
		r := report{ok: f[3] == "ok"}
		if !r.ok {
			if len(f) == 5 {
				r.msg = f[4]
			} else {
				r.msg = f[3]
			}
		}
		res[f[1]][n] = r
	}
	return res, errs
}

func collect(sub Submission, got map[int]report, why string) TaskResult {
	r := TaskResult{ID: sub.ID}
	for i := range sub.Spec.Examples {
		rep, ok := got[i]
		if !ok {
			rep.msg = "no result: the program stopped before this example"
			if why != "" {
				rep.msg += " (" + why + ")"
			}
		}
		r.Examples = append(r.Examples, ExampleResult{Index: i, OK: rep.ok, Message: rep.msg})
	}
	return r
}

// RunFunc runs a gforth program (the text of one source file, to be loaded
// with an empty standard input) and returns what it printed on standard
// output; err is for a failure to run it at all (a program that stops with
// a Forth error is not one).
type RunFunc func(ctx context.Context, program string) (stdout string, err error)

// Program returns a standalone program that checks one submission: the
// harness, the task body and BYE.
func Program(sub Submission, mode Mode) (string, error) {
	body, err := TaskBody(sub.ID, sub.Spec, sub.Code, mode)
	if err != nil {
		return "", err
	}
	return Harness() + "\n" + forthString(sub.ID) + " gb-id!\n" + body + "bye\n", nil
}

// Check runs one submission through run (for example another Forth system
// that runs gforth-compatible source) and judges its report.
func Check(ctx context.Context, run RunFunc, sub Submission, mode Mode) (TaskResult, error) {
	prog, err := Program(sub, mode)
	if err != nil {
		return TaskResult{}, err
	}
	out, err := run(ctx, prog)
	if err != nil {
		return TaskResult{}, err
	}
	got, _ := parseReports(out)
	r := collect(sub, got[sub.ID], "")
	if !r.OK() {
		r.Output = tail(out, 2000)
	}
	return r, nil
}

// Options tune RunGforth.
type Options struct {
	Gforth       string        // the gforth binary; "gforth" when empty
	Mode         Mode          // Fresh or Sequential
	BatchTimeout time.Duration // for the one process that runs every task; default 20s
	TaskTimeout  time.Duration // for a task rerun alone; default 10s
}

// RunGforth checks every submission in one gforth process; a task whose
// file stopped early, or that the batch never reached (a crash, a hang past
// BatchTimeout), is rerun alone to report what it can and gforth's error
// message.
func RunGforth(ctx context.Context, subs []Submission, opt Options) ([]TaskResult, error) {
	if opt.Gforth == "" {
		opt.Gforth = "gforth"
	}
	if opt.BatchTimeout == 0 {
		opt.BatchTimeout = 20 * time.Second
	}
	if opt.TaskTimeout == 0 {
		opt.TaskTimeout = 10 * time.Second
	}
	dir, err := os.MkdirTemp("", "genbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	hpath := filepath.Join(dir, "harness.fs")
	if err := os.WriteFile(hpath, []byte(harness), 0o644); err != nil {
		return nil, err
	}
	var driver strings.Builder
	driver.WriteString("include " + hpath + "\n")
	bodies := make([]string, len(subs))
	seen := map[string]bool{}
	for i, sub := range subs {
		if seen[sub.ID] {
			return nil, fmt.Errorf("submission id %q twice", sub.ID)
		}
		seen[sub.ID] = true
		body, err := TaskBody(sub.ID, sub.Spec, sub.Code, opt.Mode)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sub.ID, err)
		}
		bodies[i] = body
		p := filepath.Join(dir, sub.ID+".fs")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return nil, err
		}
		fmt.Fprintf(&driver, "gb-task-mark %s gb-id! %s gb-include gb-done gb-task\n", forthString(sub.ID), forthString(p))
	}
	driver.WriteString("bye\n")
	dpath := filepath.Join(dir, "driver.fs")
	if err := os.WriteFile(dpath, []byte(driver.String()), 0o644); err != nil {
		return nil, err
	}
	bctx, cancel := context.WithTimeout(ctx, opt.BatchTimeout)
	out, _, runErr := runGforth(bctx, opt.Gforth, dir, dpath)
	cancel()
	if errors.Is(runErr, exec.ErrNotFound) {
		return nil, runErr
	}
	got, stopped := parseReports(out)

	results := make([]TaskResult, len(subs))
	var redo []int
	for i, sub := range subs {
		results[i] = collect(sub, got[sub.ID], stopped[sub.ID])
		if len(got[sub.ID]) < len(sub.Spec.Examples) {
			redo = append(redo, i)
		}
	}
	// Rerun alone what the batch did not finish, to get gforth's own error
	// message (and the results of a task that the batch never reached).
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for _, i := range redo {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			sub := subs[i]
			p := filepath.Join(dir, sub.ID+".alone.fs")
			prog := forthString(sub.ID) + " gb-id!\n" + bodies[i] + "bye\n"
			if err := os.WriteFile(p, []byte(prog), 0o644); err != nil {
				return
			}
			tctx, cancel := context.WithTimeout(ctx, opt.TaskTimeout)
			defer cancel()
			out, errOut, err := runGforth(tctx, opt.Gforth, dir, hpath, p)
			alone, _ := parseReports(out)
			why := stopped[sub.ID]
			if tctx.Err() != nil {
				why = fmt.Sprintf("timed out after %v", opt.TaskTimeout)
			} else if err != nil && why == "" {
				why = err.Error()
			}
			r := collect(sub, alone[sub.ID], why)
			r.Output = tail(strings.TrimSpace(errOut+"\n"+stripReports(out)), 2000)
			r.Alone = true
			results[i] = r
		}(i)
	}
	wg.Wait()
	return results, ctx.Err()
}

func runGforth(ctx context.Context, gforth, dir string, files ...string) (stdout, stderr string, err error) {
	cmd := exec.CommandContext(ctx, gforth, files...)
	cmd.Dir = dir
	cmd.Stdin = nil // empty: a program that falls into the interpreter exits
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	return o.String(), e.String(), err
}

func stripReports(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.Contains(l, "GB|") && !strings.Contains(l, "GB-ERR|") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
