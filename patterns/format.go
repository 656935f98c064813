package patterns

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// ParamType is the type of a pattern parameter (see FORMAT.md).
type ParamType string

// The parameter types.
const (
	TypeName   ParamType = "name"   // a word the pattern defines
	TypeWord   ParamType = "word"   // existing words to apply, rendered as written
	TypeNumber ParamType = "number" // a signed decimal integer
	TypeText   ParamType = "text"   // text inside a string literal
)

// Param is one parameter of a pattern.
type Param struct {
	ID          string    `json:"id"`
	Type        ParamType `json:"type"`
	Default     string    `json:"default"`
	Description string    `json:"description"`
}

// Pattern is one pattern of the library.
type Pattern struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Category    string   `json:"category"`
	Tags        []string `json:"tags"`
	Description string   `json:"description"`
	Effect      string   `json:"effect"`
	Params      []Param  `json:"parameters"`
	Code        string   `json:"code"`  // the code template
	Tests       string   `json:"tests"` // the test template
	// File and Line locate the pattern's "pattern:" line.
	File string `json:"file"`
	Line int    `json:"line"`
	// User is set for a pattern read from a workspace's .fastforth/patterns.
	User bool `json:"user,omitempty"`
	// Overrides locates the builtin pattern of the same ID that a user
	// pattern replaces ("patterns/library/arithmetic.forth-patterns:5").
	Overrides string `json:"overrides,omitempty"`

	// shape is the effect's counts (alternatives allowed); counts the
	// first alternative's (the only one of a fixed effect).
	shape Shape
	// lazy, for a builtin pattern, prepares it on first use (prepared).
	lazy     *sync.Once
	counts   Counts
	code     *template.Template
	tests    *template.Template
	defaults map[string]string // the example parameters, rendered form
	// defs are the words the code defines besides its name parameters
	// (lower case), rendered with the defaults.
	defs map[string]bool
	// scan is what the scan of the templates found (scan.go).
	scan *scanResult
	// codeLine and testsLine are the file's lines of the templates'
	// first lines.
	codeLine, testsLine int
}

// Counts are the cells a word takes and leaves on the data and float stacks.
type Counts struct {
	In, Out, FloatIn, FloatOut int
}

func (c Counts) String() string {
	s := fmt.Sprintf("%d in, %d out", c.In, c.Out)
	if c.FloatIn != 0 || c.FloatOut != 0 {
		s += fmt.Sprintf("; floats %d in, %d out", c.FloatIn, c.FloatOut)
	}
	return s
}

// Counts returns the cell counts of the pattern's declared effect (its
// first alternative's, when it has several: see Shape).
func (p *Pattern) Counts() Counts { return p.counts }

// Shape returns the counts of the pattern's declared effect, with its
// alternatives.
func (p *Pattern) Shape() Shape { return p.shape }

// Fits reports whether the pattern's effect is fixed and has counts c.
func (p *Pattern) Fits(c Counts) bool { return len(p.shape.Outs) == 1 && p.counts == c }

// Param returns the parameter with the given ID, or nil.
func (p *Pattern) Param(id string) *Param {
	for i := range p.Params {
		if p.Params[i].ID == id {
			return &p.Params[i]
		}
	}
	return nil
}

// Defaults returns the example parameters, as they are rendered (a word
// default's "_" stands for a blank).
func (p *Pattern) Defaults() map[string]string {
	m := make(map[string]string, len(p.defaults))
	for k, v := range p.defaults {
		m[k] = v
	}
	return m
}

// Category describes one category of patterns (one file's header).
type Category struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	File    string `json:"file"`
}

// Diagnostic is a problem found in a pattern file: where, in which pattern
// and parameter, and what.
type Diagnostic struct {
	File    string `json:"file"`
	Line    int    `json:"line"` // 1-based; 0 for the file as a whole
	Pattern string `json:"pattern,omitempty"`
	Param   string `json:"parameter,omitempty"`
	Message string `json:"message"`
}

func (d Diagnostic) Error() string {
	s := d.File
	if d.Line > 0 {
		s += ":" + strconv.Itoa(d.Line)
	}
	s += ":"
	if d.Pattern != "" {
		s += " pattern " + d.Pattern
		if d.Param != "" {
			s += " parameter " + d.Param
		}
		s += ":"
	}
	return s + " " + d.Message
}

// ParsedFile is one pattern file: its category and patterns.
type ParsedFile struct {
	Category Category
	Patterns []*Pattern
}

var (
	idRE       = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`) })
	patternRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-[0-9]{3}$`) })
	paramIDRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })
	paramTypes = map[ParamType]bool{TypeName: true, TypeWord: true, TypeNumber: true, TypeText: true}
)

// ParseFile reads a pattern file as a user pattern file (a workspace's
// .fastforth/patterns): besides the format, the code and tests of each
// pattern are held to the allowlist (scan.go). Every problem is reported
// (a pattern with a problem is left out); a malformed file never panics.
func ParseFile(name string, src []byte) (*ParsedFile, []Diagnostic) {
	return parseFile(name, src, true)
}

// parseFile reads a pattern file; user holds its patterns to the
// allowlist (the builtin library is trusted with other words).
func parseFile(name string, src []byte, user bool) (*ParsedFile, []Diagnostic) {
	pf := &ParsedFile{Category: Category{File: name}}
	var diags []Diagnostic
	bad := func(line int, pat, param, format string, args ...any) {
		diags = append(diags, Diagnostic{File: name, Line: line, Pattern: pat, Param: param, Message: fmt.Sprintf(format, args...)})
	}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var (
		cur     *Pattern
		curBad  bool
		block   string // "", "code", "tests"
		code    []string
		tests   []string
		seen    map[string]int // keys of the current pattern
		lineNo  int
		started bool // a pattern has started: the header is over
	)
	finish := func(endLine int) {
		if cur == nil {
			return
		}
		cur.Code = strings.Join(code, "\n")
		cur.Tests = strings.Join(tests, "\n")
		if !curBad {
			if ok := finishPattern(cur, user, endLine, bad); ok {
				pf.Patterns = append(pf.Patterns, cur)
			}
		}
		cur, block, code, tests = nil, "", nil, nil
	}
	for sc.Scan() {
		lineNo++
		raw := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(raw)
		if cur != nil && block != "" {
			switch trimmed {
			case "end":
				finish(lineNo)
				continue
			case "tests:":
				if block == "tests" {
					bad(lineNo, cur.ID, "", "tests: given twice")
					curBad = true
				}
				block = "tests"
				cur.testsLine = lineNo + 1
				continue
			}
			if block == "code" {
				code = append(code, raw)
			} else {
				tests = append(tests, raw)
			}
			continue
		}
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		key, val, ok := strings.Cut(trimmed, ":")
		if trimmed == "end" {
			if cur == nil {
				bad(lineNo, "", "", "end without pattern:")
			} else {
				finish(lineNo)
			}
			continue
		}
		if !ok {
			id := ""
			if cur != nil {
				id = cur.ID
			}
			bad(lineNo, id, "", "expected \"key: value\", found %q", trimmed)
			curBad = curBad || cur != nil
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if key == "pattern" {
			if cur != nil {
				bad(lineNo, cur.ID, "", "pattern %s has no end line before the next pattern:", cur.ID)
				curBad = true
				finish(lineNo)
			}
			started = true
			cur = &Pattern{ID: val, File: name, Line: lineNo, Category: pf.Category.ID}
			curBad = false
			seen = map[string]int{}
			if !patternRE().MatchString(val) {
				bad(lineNo, val, "", "pattern ID %q must be lower-case words joined by hyphens, ending in a three-digit number (e.g. loop-sum-001)", val)
				curBad = true
			}
			continue
		}
		if cur == nil {
			// The header.
			if started {
				bad(lineNo, "", "", "%s: outside a pattern (header keys come before the first pattern:)", key)
				continue
			}
			switch key {
			case "category":
				if !idRE().MatchString(val) {
					bad(lineNo, "", "", "category ID %q must be lower-case words joined by hyphens", val)
				}
				pf.Category.ID = val
			case "title":
				pf.Category.Title = val
			case "summary":
				pf.Category.Summary = val
			default:
				bad(lineNo, "", "", "unknown header key %q (want category, title, summary or pattern)", key)
			}
			continue
		}
		if key != "param" {
			if prev, dup := seen[key]; dup {
				bad(lineNo, cur.ID, "", "%s: given twice (first on line %d)", key, prev)
				curBad = true
				continue
			}
			seen[key] = lineNo
		}
		switch key {
		case "name":
			cur.Name = val
		case "tags":
			for _, t := range strings.Split(val, ",") {
				if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
					cur.Tags = append(cur.Tags, t)
				}
			}
		case "description":
			cur.Description = val
		case "effect":
			cur.Effect = val
			e, err := effect.Parse(val)
			if err != nil {
				bad(lineNo, cur.ID, "", "effect %q cannot be read: %v", val, err)
				curBad = true
				break
			}
			sh, err := shapeOf(&e)
			if err != nil {
				bad(lineNo, cur.ID, "", "effect %q: %v", val, err)
				curBad = true
				break
			}
			cur.shape = sh
			cur.counts = Counts{In: sh.In, FloatIn: sh.FloatIn, Out: sh.Outs[0].Out, FloatOut: sh.Outs[0].FloatOut}
		case "param":
			f := strings.Fields(val)
			if len(f) < 3 {
				bad(lineNo, cur.ID, "", "param: want \"ID TYPE DEFAULT DESCRIPTION...\", found %q", val)
				curBad = true
				break
			}
			p := Param{ID: f[0], Type: ParamType(f[1]), Default: f[2], Description: strings.Join(f[3:], " ")}
			switch {
			case !paramIDRE().MatchString(p.ID):
				bad(lineNo, cur.ID, p.ID, "parameter ID %q must be letters, digits and _ (a Go template field)", p.ID)
				curBad = true
			case !paramTypes[p.Type]:
				bad(lineNo, cur.ID, p.ID, "unknown type %q (want name, word, number or text)", p.Type)
				curBad = true
			case cur.Param(p.ID) != nil:
				bad(lineNo, cur.ID, p.ID, "parameter %s declared twice", p.ID)
				curBad = true
			default:
				// Word defaults are checked against the pattern's own
				// words once its code is known (finishPattern).
				if err := validateValue(p.Type, defaultValue(p), nil); err != nil {
					bad(lineNo, cur.ID, p.ID, "default %q: %v", p.Default, err)
					curBad = true
				}
			}
			cur.Params = append(cur.Params, p)
		case "code":
			if val != "" {
				bad(lineNo, cur.ID, "", "code: must be alone on its line; the template starts on the next line")
				curBad = true
			}
			block = "code"
			cur.codeLine = lineNo + 1
		case "tests":
			bad(lineNo, cur.ID, "", "tests: before code:")
			curBad = true
			block = "tests"
		default:
			bad(lineNo, cur.ID, "", "unknown key %q", key)
			curBad = true
		}
	}
	if err := sc.Err(); err != nil {
		bad(lineNo, "", "", "reading the file: %v", err)
	}
	if cur != nil {
		bad(cur.Line, cur.ID, "", "pattern %s has no end line", cur.ID)
		cur = nil
	}
	if pf.Category.ID == "" {
		bad(0, "", "", "the file has no category: header")
	}
	for _, p := range pf.Patterns {
		p.Category = pf.Category.ID
	}
	return pf, diags
}

// finishPattern checks a complete pattern and prepares its templates.
func finishPattern(p *Pattern, user bool, endLine int, bad func(int, string, string, string, ...any)) bool {
	ok := true
	miss := func(what string) {
		bad(p.Line, p.ID, "", "missing %s", what)
		ok = false
	}
	if p.Name == "" {
		miss("name:")
	}
	if p.Description == "" {
		miss("description:")
	}
	if p.Effect == "" {
		miss("effect:")
	}
	if len(p.Tags) == 0 {
		miss("tags:")
	}
	if np := p.Param("name"); np == nil {
		bad(p.Line, p.ID, "name", "every pattern needs a parameter called name of type name (the word it defines)")
		ok = false
	} else if np.Type != TypeName {
		bad(p.Line, p.ID, "name", "the parameter name must have type name, not %s", np.Type)
		ok = false
	}
	if strings.TrimSpace(p.Code) == "" {
		miss("code: (a non-empty code template)")
	}
	if !strings.Contains(p.Tests, "T{") {
		miss("tests: with at least one T{ ... -> ... }T line")
	}
	if !ok {
		return false
	}
	p.defaults = make(map[string]string, len(p.Params))
	for _, pr := range p.Params {
		p.defaults[pr.ID] = defaultValue(pr)
	}
	if !user && lazyBuiltin {
		// The builtin library is checked by its tests (every pattern
		// prepares without a problem): its templates are parsed when
		// a pattern is first used, so that a process that uses a few
		// patterns does not pay for all of them.
		p.lazy = &sync.Once{}
		return true
	}
	return prepare(p, user, bad)
}

// lazyBuiltin: builtin patterns are prepared on first use (prepared).
var lazyBuiltin = true

// prepared makes sure the pattern's templates and scans are ready (a
// builtin pattern's are made on first use).
func (p *Pattern) prepared() *Pattern {
	if p.lazy != nil {
		p.lazy.Do(func() {
			if !prepare(p, false, func(line int, id, param, format string, args ...any) {
				panic(fmt.Sprintf("builtin pattern %s (line %d): %s", id, line, fmt.Sprintf(format, args...)))
			}) {
				panic("builtin pattern " + p.ID + " does not prepare")
			}
		})
	}
	return p
}

// prepare parses a pattern's templates, renders them with the defaults
// and scans them; false (with the problems given to bad) when it cannot.
func prepare(p *Pattern, user bool, bad func(int, string, string, string, ...any)) bool {
	ok := true
	var err error
	if p.code, err = parseTemplate(p, "code", p.Code); err != nil {
		bad(p.Line, p.ID, "", "code template: %v", err)
		return false
	}
	if p.tests, err = parseTemplate(p, "tests", p.Tests); err != nil {
		bad(p.Line, p.ID, "", "tests template: %v", err)
		return false
	}
	// Rendering with the defaults finds references to undeclared
	// parameters now rather than when a user asks for the pattern.
	var code bytes.Buffer
	for _, t := range []*template.Template{p.code, p.tests} {
		var b bytes.Buffer
		if err := t.Execute(&b, p.defaults); err != nil {
			bad(p.Line, p.ID, "", "%s template: %v", t.Name(), err)
			return false
		}
		if t == p.code {
			code = b
		}
	}
	p.defs = definedWords(code.Bytes())
	for _, pr := range p.Params {
		if pr.Type == TypeName {
			delete(p.defs, strings.ToLower(p.defaults[pr.ID]))
		}
	}
	scan, serr := scanTemplates(p, user, p.codeLine, p.testsLine)
	if serr != nil {
		bad(serr.line, p.ID, "", "%s", serr.msg)
		return false
	}
	p.scan = scan
	for i := range p.Params {
		pr := &p.Params[i]
		if pr.Type != TypeWord && pr.Type != TypeName {
			continue
		}
		if err := p.checkPrepared(pr, p.defaults[pr.ID], p.defaults); err != nil {
			bad(p.Line, p.ID, pr.ID, "default %q: %v", pr.Default, err)
			ok = false
		}
	}
	return ok
}

// definedWords are the names the code defines, lower case.
func definedWords(code []byte) map[string]bool {
	f := syntax.Parse(source.NewFile("pattern.fs", code), syntax.Config{})
	m := make(map[string]bool, len(f.Defs))
	for _, d := range f.Defs {
		if d.Name != "" {
			m[d.Name] = true
		}
	}
	return m
}

func parseTemplate(p *Pattern, what, text string) (*template.Template, error) {
	t, err := template.New(what).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, err
	}
	if err := plainTemplate(t); err != nil {
		return nil, err
	}
	return t, nil
}

// plainTemplate checks that a template is only text and {{.param}}
// fields: no actions (range, if, with, template, define), pipelines or
// functions, so that rendering a user's pattern always ends, and quickly.
func plainTemplate(t *template.Template) error {
	if len(t.Templates()) > 1 {
		return errors.New("only text and {{.param}} fields are allowed (no define or block)")
	}
	if t.Tree == nil || t.Tree.Root == nil {
		return nil
	}
	for _, n := range t.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
		case *parse.ActionNode:
			if !plainField(n.Pipe) {
				return fmt.Errorf("%s: only {{.param}} fields are allowed (no pipelines, functions or variables)", n)
			}
		default:
			return fmt.Errorf("%s: only text and {{.param}} fields are allowed (no range, if, with or template)", n)
		}
	}
	return nil
}

func plainField(p *parse.PipeNode) bool {
	if p == nil || len(p.Decl) > 0 || p.IsAssign || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
	return ok && len(f.Ident) == 1
}

// defaultValue is a parameter's default as rendered: in a word default,
// "_" stands for a blank (the default is one blank-free token).
func defaultValue(p Param) string {
	if p.Type == TypeWord {
		return strings.ReplaceAll(p.Default, "_", " ")
	}
	return p.Default
}

// countsOf reads the cell counts of a fixed effect.
func countsOf(e *effect.Effect) (Counts, error) {
	if e.Complex || e.Variable() {
		return Counts{}, fmt.Errorf("must be one fixed effect (no alternatives, wildcards or phases)")
	}
	f := *e
	if !f.Has(effect.Float) {
		f = f.FloatsByName()
	}
	var c Counts
	var ok1, ok2, ok3, ok4 bool
	c.In, ok1 = f.Count(false, effect.Data)
	c.Out, ok2 = f.Count(true, effect.Data)
	c.FloatIn, ok3 = f.Count(false, effect.Float)
	c.FloatOut, ok4 = f.Count(true, effect.Float)
	if !(ok1 && ok2 && ok3 && ok4) {
		return Counts{}, fmt.Errorf("its item counts are not fixed")
	}
	return c, nil
}

// ParseEffect reads a stack comment with fixed counts, as patterns and specs
// declare them.
func ParseEffect(s string) (Counts, error) {
	e, err := effect.Parse(s)
	if err != nil {
		return Counts{}, err
	}
	return countsOf(&e)
}
