package patterns

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
)

// The scan of a pattern's templates reads the code and then the tests as
// gforth's text interpreter would, word by word, with each parameter
// rendered as a placeholder token, so that it holds for every value:
//
//   - Every word is a number, a word defined earlier in the templates
//     (a colon definition from its ";" on, as in gforth, which hides a
//     name until then), or, in a user pattern, a word of the allowlist
//     (allow.go), a control-structure word inside a definition, or a
//     defining, comment, string, character or tick word used as below.
//     A builtin pattern is trusted with other words.
//   - Comments and strings end on their line (gforth ends a line at a
//     carriage return too, so no control character but tab is allowed);
//     ( and \ comments, s" ." c" abort" strings, char and [char] take
//     their text as gforth does in the state the scan is in.
//   - execute and catch only run the word ticked just before them
//     (['] w catch); : and the other defining words take their name on
//     the same line and may not be nested; a name may not be one of the
//     words above, nor a parsing, immediate or compile-only builtin.
//   - A colon definition that runs create (or variable, constant, value)
//     at its top level, before any exit, is a defining word: used outside
//     a definition it takes the next word as the name of a new word.
//     (Should it throw before, gforth stops reading the file.)
//   - A word parameter is a whole word; its value may use the words the
//     templates defined before its first use (and the allowlist). A name
//     parameter is a whole word or part of one, defined before it is
//     used; a number parameter is a whole word or inside a comment or
//     string; a text parameter is inside a string or a \ comment.
//
// What the scan accepts therefore runs nothing but allowlisted words and
// the templates' own definitions, whatever the parameters' values (which
// validateValue checks by type).

// The placeholder of parameter i is markOpen, i in decimal, markClose:
// characters of Unicode's private use area, which templates may not hold.
const (
	markOpen  = '\uE000'
	markClose = '\uE001'
)

func marker(i int) string { return string(markOpen) + strconv.Itoa(i) + string(markClose) }

// scanResult is what the scan finds out for checking values.
type scanResult struct {
	// before holds, for each word parameter the templates use, the
	// words defined before its first use (lower case, with placeholders).
	before map[string][]string
	// names are the words the templates define that have name
	// parameters in them (lower case, with placeholders).
	names []string
}

// scanError is a problem of a template: its line in the pattern file and
// what is wrong.
type scanError struct {
	line int
	msg  string
}

// definers are the builtins (besides the defining words of scan.go) that
// parse the name of a new word; a trusted pattern may use them.
var definers = map[string]bool{
	"fvariable": true, "fconstant": true, "2value": true, "fvalue": true, "defer": true, "buffer:": true,
	"begin-structure": true, "field:": true, "cfield:": true, "+field": true, "ffield:": true,
	"sffield:": true, "dffield:": true, "marker": true,
}

type scanner struct {
	p    *Pattern
	user bool
	res  scanResult

	text string // the line
	pos  int    // in text, after the last word read
	line int    // in the pattern file

	defined  map[string]bool // lower case
	defining map[string]bool // defined words that run create
	// The interpreter's state: compiling, inside a colon definition
	// (cur, from its ":"), and that definition's control-structure depth
	// and whether it ran exit, or create or another defining word, at
	// its top level yet.
	compiling, inDef bool
	cur              string
	depth            int
	exitSeen, create bool
	ticked           bool // the last words were ['] w or ' w
	inTests          bool // reading the tests
	err              *scanError
}

// scanTemplates scans a pattern's code and tests (see above); user
// patterns are held to the allowlist.
func scanTemplates(p *Pattern, user bool, codeLine, testsLine int) (*scanResult, *scanError) {
	s := &scanner{p: p, user: user, defined: map[string]bool{}, defining: map[string]bool{},
		res: scanResult{before: map[string][]string{}}}
	marks := make(map[string]string, len(p.Params))
	for i, pr := range p.Params {
		marks[pr.ID] = marker(i)
	}
	for _, part := range []struct {
		text  string
		first int
		what  string
	}{{p.Code, codeLine, "code"}, {p.Tests, testsLine, "tests"}} {
		if strings.ContainsAny(part.text, string([]rune{markOpen, markClose})) {
			return nil, &scanError{part.first, fmt.Sprintf("the %s template holds a character of Unicode's private use area (U+E000 or U+E001)", part.what)}
		}
		var b strings.Builder
		t := p.code
		if part.what == "tests" {
			t, s.inTests = p.tests, true
		}
		if err := t.Execute(&b, marks); err != nil {
			return nil, &scanError{part.first, fmt.Sprintf("%s template: %v", part.what, err)}
		}
		for i, l := range strings.Split(b.String(), "\n") {
			if !s.scanLine(l, part.first+i) {
				return nil, s.err
			}
		}
	}
	if s.inDef && s.user {
		return nil, &scanError{testsLine, fmt.Sprintf("the definition of %s does not end (no ;)", s.show(s.cur))}
	}
	sort.Strings(s.res.names)
	return &s.res, nil
}

func (s *scanner) fail(format string, args ...any) bool {
	s.err = &scanError{s.line, fmt.Sprintf(format, args...)}
	return false
}

// show renders a word with placeholders for a message: {{.param}}.
func (s *scanner) show(w string) string {
	var b strings.Builder
	for _, seg := range segments(w) {
		if seg.param < 0 {
			b.WriteString(seg.text)
		} else {
			b.WriteString("{{." + s.p.Params[seg.param].ID + "}}")
		}
	}
	return b.String()
}

// segment is literal text or a parameter's placeholder.
type segment struct {
	text  string
	param int // -1 for text
}

// segments splits a word into text and placeholders.
func segments(w string) []segment {
	var out []segment
	for w != "" {
		i := strings.IndexRune(w, markOpen)
		if i < 0 {
			out = append(out, segment{w, -1})
			break
		}
		if i > 0 {
			out = append(out, segment{w[:i], -1})
		}
		rest := w[i+len(string(markOpen)):]
		j := strings.IndexRune(rest, markClose)
		n, err := strconv.Atoi(rest[:max(j, 0)])
		if j < 0 || err != nil {
			out = append(out, segment{w[i:], -1}) // cannot happen: templates hold no marks
			break
		}
		out = append(out, segment{param: n})
		w = rest[j+len(string(markClose)):]
	}
	return out
}

// params returns the types of the parameters in w (nil for none).
func (s *scanner) params(w string) []ParamType {
	var ts []ParamType
	for _, seg := range segments(w) {
		if seg.param >= 0 {
			ts = append(ts, s.p.Params[seg.param].Type)
		}
	}
	return ts
}

// onlyNames reports whether every parameter in w is a name.
func onlyNames(ts []ParamType) bool {
	for _, t := range ts {
		if t != TypeName {
			return false
		}
	}
	return true
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// next reads the next word of the line, or "" at its end.
func (s *scanner) next() string {
	for s.pos < len(s.text) && isBlank(s.text[s.pos]) {
		s.pos++
	}
	start := s.pos
	for s.pos < len(s.text) && !isBlank(s.text[s.pos]) {
		s.pos++
	}
	return s.text[start:s.pos]
}

// parseTo takes the text after the word just read up to delim, as gforth
// parses it: from the character after the blank that ended the word.
func (s *scanner) parseTo(delim byte) (string, bool) {
	start := min(s.pos+1, len(s.text))
	i := strings.IndexByte(s.text[start:], delim)
	if i < 0 {
		return "", false
	}
	s.pos = start + i + 1
	return s.text[start : start+i], true
}

func (s *scanner) scanLine(text string, line int) bool {
	s.text, s.pos, s.line = text, 0, line
	for _, r := range text {
		if r != '\t' && unicode.IsControl(r) {
			return s.fail("a control character (%U) in the template: gforth may read it as the end of a line", r)
		}
	}
	for {
		w := s.next()
		if w == "" {
			return true
		}
		if !s.word(w) {
			return false
		}
	}
}

// word reads one word and what it parses.
func (s *scanner) word(w string) bool {
	ticked := s.ticked
	s.ticked = false
	lw := lowerASCII(w)
	if strings.ContainsRune(w, markOpen) {
		return s.placeholder(w, lw)
	}
	if s.user && s.inTests && !s.defined[lw] && (lw == "exit" || lw == "unloop" || classOf[lw] == "return stack") {
		// The analysis checks the code's definitions (an EXIT inside a
		// loop, a number left on the return stack would jump to an
		// address of the test's choosing); the tests are not analysed.
		return s.fail("%q in the tests: only the code, which the analysis checks, may use the return stack", w)
	}
	switch lw {
	case `\`:
		rest := s.text[min(s.pos+1, len(s.text)):]
		s.pos = len(s.text)
		return s.inText(rest, "a \\ comment", TypeName, TypeWord, TypeNumber, TypeText)
	case "(":
		c, ok := s.parseTo(')')
		if !ok {
			return s.fail("a ( comment must end on its line (with \")\")")
		}
		return s.inText(c, "a ( comment", TypeNumber)
	case `s"`, `."`, `c"`, `abort"`:
		c, ok := s.parseTo('"')
		if !ok {
			return s.fail("the string after %s must end on its line (with a \")", w)
		}
		return s.inText(c, "a string", TypeNumber, TypeText)
	case "[char]", "char":
		if lw == "char" && s.compiling {
			return true // compiled: it parses when the definition runs
		}
		c := s.next()
		if c == "" {
			return s.fail("%s must be followed by a character on the same line", w)
		}
		if ts := s.params(c); !onlyNames(ts) && !(len(ts) == 1 && ts[0] == TypeNumber) {
			return s.fail("%s takes one character: a word or text parameter cannot follow it", w)
		}
		return true
	case "[']", "'":
		if lw == "'" && s.compiling {
			return true
		}
		x := s.next()
		if x == "" {
			return s.fail("%s must be followed by a word on the same line", w)
		}
		if !s.reference(w, x) {
			return false
		}
		s.ticked = true
		return true
	case "catch", "execute":
		if !ticked && s.user {
			return s.fail("%q may only run the word ticked just before it (['] WORD %s)", w, lw)
		}
		return true
	case "to":
		x := s.next()
		if x == "" {
			return s.fail("to must be followed by a value's name on the same line")
		}
		return s.reference(w, x)
	case ":":
		if s.inDef {
			return s.fail("a colon definition inside the definition of %s", s.show(s.cur))
		}
		n, ok := s.newName(w)
		if !ok {
			return false
		}
		s.inDef, s.compiling, s.cur = true, true, n
		s.depth, s.exitSeen, s.create = 0, false, false
		return true
	case ";":
		if !s.inDef || !s.compiling {
			if s.user {
				return s.fail("; outside a colon definition")
			}
			return true
		}
		s.define(s.cur, s.create)
		s.inDef, s.compiling = false, false
		return true
	case "variable", "constant", "2variable", "2constant", "value", "create",
		"begin-structure", "field:", "cfield:", "+field":
		if s.compiling {
			// Compiled: the definition parses a name when it runs.
			if s.depth == 0 && !s.exitSeen {
				s.create = true
			}
			return true
		}
		n, ok := s.newName(w)
		if !ok {
			return false
		}
		s.define(n, false)
		return true
	case "[":
		if s.inDef && s.compiling {
			s.compiling = false
			return true
		}
	case "]":
		if s.inDef && !s.compiling {
			s.compiling = true
			return true
		}
	case "does>", "literal":
		if s.compiling {
			return true
		}
	case "if", "begin", "do", "?do", "case", "of":
		if s.compiling {
			s.depth++
			return true
		}
	case "then", "repeat", "until", "again", "loop", "+loop", "endof", "endcase":
		if s.compiling {
			s.depth--
			return true
		}
	case "else", "while", "i", "j", "leave", "unloop", "recurse":
		if s.compiling {
			return true
		}
	case "exit":
		if s.compiling {
			s.exitSeen = true
			return true
		}
	case "t{", "->", "}t", "tests-out{", "}tests-out", "tests-f~", "allot", ",", "c,", "end-structure":
		return true
	default:
		return s.plain(w, lw)
	}
	// A control-structure or compiler word where gforth would refuse it.
	if s.user {
		return s.fail("%q is used outside a colon definition (or where its state does not allow it)", w)
	}
	return true
}

// plain reads a word without placeholders that the scan gives no meaning
// of its own: a number, a word defined before, an allowlisted word, or,
// in a builtin pattern, any other word (what a builtin parses is taken).
func (s *scanner) plain(w, lw string) bool {
	if isNumber(w) {
		return true
	}
	if s.defined[lw] {
		if s.defining[lw] && !s.compiling {
			n, ok := s.newName(w)
			if ok {
				s.define(n, false)
			}
			return ok
		}
		return true
	}
	if _, _, ok := AllowedWord(lw); ok {
		return true
	}
	if s.user {
		return s.fail("%q is not in the allowlist of words a user pattern may use (see patterns/allow.go), nor defined before by the pattern", w)
	}
	b := builtins.Lookup(lw)
	if b == nil || !(b.Immediate || !s.compiling) {
		return true
	}
	switch b.Parse {
	case builtins.ParseName:
		if definers[lw] || b.Defines != "" {
			n, ok := s.newName(w)
			if ok {
				s.define(n, false)
			}
			return ok
		}
		x := s.next()
		if x == "" {
			return true
		}
		return s.reference(w, x)
	case builtins.ParseDelim:
		c, ok := s.parseTo(b.Delim)
		if !ok {
			return s.fail("the text after %s must end on its line (with %q)", w, b.Delim)
		}
		return s.inText(c, "the text "+w+" parses", TypeNumber, TypeText)
	case builtins.ParseLine:
		rest := s.text[min(s.pos+1, len(s.text)):]
		s.pos = len(s.text)
		return s.inText(rest, "the line "+w+" parses", TypeName, TypeWord, TypeNumber, TypeText)
	}
	return true
}

// placeholder reads a word with parameters in it.
func (s *scanner) placeholder(w, lw string) bool {
	segs := segments(w)
	if len(segs) == 1 {
		pr := s.p.Params[segs[0].param]
		switch pr.Type {
		case TypeWord:
			if _, seen := s.res.before[pr.ID]; !seen {
				ws := make([]string, 0, len(s.defined))
				for d := range s.defined {
					ws = append(ws, d)
				}
				sort.Strings(ws)
				s.res.before[pr.ID] = ws
			}
			return true
		case TypeNumber:
			return true
		case TypeText:
			return s.fail("text parameter %s outside a string (it goes inside s\" ...\" or .\" ...\")", pr.ID)
		}
	}
	ts := s.params(w)
	if !onlyNames(ts) {
		return s.fail("%s: a word or number parameter must be a word of its own, and a text parameter inside a string", s.show(w))
	}
	if !s.defined[lw] {
		return s.fail("%s is used before it is defined (a colon definition's name counts from its ;: use recurse inside it)", s.show(w))
	}
	if s.defining[lw] && !s.compiling {
		n, ok := s.newName(w)
		if ok {
			s.define(n, false)
		}
		return ok
	}
	return true
}

// reference checks x, the word ticked or set (to) by w: a word defined
// before, or (' and ['] only) an allowlisted one.
func (s *scanner) reference(w, x string) bool {
	lx := lowerASCII(x)
	ts := s.params(x)
	if len(ts) > 0 {
		if !onlyNames(ts) {
			return s.fail("%s %s: only a name parameter can follow %s", w, s.show(x), w)
		}
		if !s.defined[lx] {
			return s.fail("%s %s: %s is used before it is defined", w, s.show(x), s.show(x))
		}
		return true
	}
	if s.defined[lx] || !s.user {
		return true
	}
	if _, _, ok := AllowedWord(lx); ok && lowerASCII(w) != "to" {
		return true
	}
	return s.fail("%s %s: %q is neither in the allowlist nor defined before by the pattern", w, x, x)
}

// newName reads the name a defining word w takes and checks it.
func (s *scanner) newName(w string) (string, bool) {
	n := s.next()
	if n == "" {
		return "", s.fail("%s must be followed by a name on the same line", w)
	}
	ln := lowerASCII(n)
	if ts := s.params(n); len(ts) > 0 {
		if !onlyNames(ts) {
			return "", s.fail("%s %s: only name parameters can make a name", w, s.show(n))
		}
		s.res.names = append(s.res.names, ln)
		return ln, true
	}
	if err := analysis.CheckName(n); err != nil {
		return "", s.fail("%s %s: %v", w, n, err)
	}
	if err := unsafeName(n); err != nil {
		return "", s.fail("%s %s: %v", w, n, err)
	}
	return ln, true
}

func (s *scanner) define(n string, defining bool) {
	s.defined[n] = true
	s.defining[n] = defining
}

// inText checks the parameters in text that a comment or string takes:
// only the given types may be there.
func (s *scanner) inText(text, what string, ok ...ParamType) bool {
	if !strings.ContainsRune(text, markOpen) {
		return true
	}
	for _, seg := range segments(text) {
		if seg.param < 0 {
			continue
		}
		pr := s.p.Params[seg.param]
		allowed := false
		for _, t := range ok {
			allowed = allowed || t == pr.Type
		}
		if !allowed {
			return s.fail("%s parameter %s inside %s: its value could end it", pr.Type, pr.ID, what)
		}
	}
	return true
}
