package patterns

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/internal/gforthtest"
)

// TestWordParamAllowlist: a word parameter takes numbers and words of the
// allowlist (and the pattern's own words), nothing else: no file, OS,
// dictionary, parsing or gforth-internal word, whatever its flags.
func TestWordParamAllowlist(t *testing.T) {
	l := testLib(t)
	for _, tc := range []struct{ op, bad string }{
		{"1+ pad 0 (system) 2drop", "pad"},
		{"+ 0 (system) 2drop", "(system)"},
		{"+ 0 0 0 open-pipe 2drop drop", "open-pipe"},
		{"+ 0 0 delete-file drop", "delete-file"},
		{"+ 1000000 spaces", "spaces"},
		{"+ here drop", "here"},
		{"+ 0 allot", "allot"},
		{"+ 0 0 !", "!"},
		{"+ words", "words"},
		{"+ sp@ drop", "sp@"},
		{"+ latest drop", "latest"},
		{"+ 0 >in !", ">in"},
		{"+ 0 0 type", "type"},
		{"+ 0 0 sh", "sh"},
		{"+ bye", "bye"},
	} {
		_, err := l.Instantiate("test-sum-range-001", map[string]string{"op": tc.op})
		if err == nil || !strings.Contains(err.Error(), "parameter op: ") || !strings.Contains(err.Error(), `"`+tc.bad+`" is not in the allowlist`) {
			t.Errorf("op %q: error %v, want one naming %q as not in the allowlist", tc.op, err, tc.bad)
		}
	}
	for _, op := range []string{"+", "1 + 2*", "SWAP -", "[char] , +", "-1 'a' +", "max", "dup * +", "cells +", "0= +", "and xor", "1+ 2/ +"} {
		if _, err := l.Instantiate("test-sum-range-001", map[string]string{"op": op}); err != nil {
			t.Errorf("op %q: %v", op, err)
		}
	}
}

// withUserFile is the test library with one user pattern file holding src.
func withUserFile(t *testing.T, src string) *Library {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, "mine"+Ext, src)
	return testLib(t).WithUser(dir)
}

// userPattern is a user pattern file with one pattern of the given code
// and tests templates.
func userPattern(code, tests string) string {
	return "category: mine\ntitle: M\nsummary: S.\n\npattern: mine-x-001\nname: X\ntags: x\ndescription: D.\neffect: ( n -- n )\nparam: name name xx the word\n" +
		"code:\n" + code + "\ntests:\n" + tests + "\nend\n"
}

// TestUserPatternAllowlist: a user pattern's code and tests use only
// allowlisted words, words they define before, and control-structure and
// defining words; otherwise the pattern is left out with an error naming
// the word.
func TestUserPatternAllowlist(t *testing.T) {
	const okTests = "T{ 1 {{.name}} -> 1 }T"
	for _, tc := range []struct{ name, code, tests, bad string }{
		{"system in code", `: {{.name}} ( n -- n ) s" touch x" system ;`, okTests, `"system"`},
		{"system in tests", ": {{.name}} ( n -- n ) ;", "s\" touch x\" system\n" + okTests, `"system"`},
		{"open-pipe", ": {{.name}} ( n -- n ) 0 0 0 open-pipe 2drop ;", okTests, `"open-pipe"`},
		{"sh", ": {{.name}} ( n -- n ) ;\nsh touch x", okTests, `"sh"`},
		{"include", ": {{.name}} ( n -- n ) ;\ninclude /etc/passwd", okTests, `"include"`},
		{"comment over two lines", ": {{.name}} ( n -- n ) ;\n( a comment\ns\" touch x\" system )", okTests, "comment"},
		{"carriage return in a comment", ": {{.name}} ( n -- n ) ; \\ x\rs\" touch x\" system", okTests, "control character"},
		{"execute of a number", ": {{.name}} ( n -- n ) 12345 execute ;", okTests, `"execute"`},
		{"redefined comment word", ": ( ;\n: {{.name}} ( n -- n ) ( s\" x\" system ) ;", okTests, `"("`},
		{"char compiled hides a word", ": {{.name}} ( n -- n ) char system ;", okTests, `"system"`},
		{"use before definition", ": {{.name}} ( n -- n ) helper ;\n: helper ( n -- n ) ;", okTests, `"helper"`},
		{"evaluate", `: {{.name}} ( n -- n ) s" 1" evaluate drop ;`, okTests, `"evaluate"`},
		{"postpone", ": {{.name}} ( n -- n ) postpone dup ;", okTests, `"postpone"`},
		{"return stack in the tests", ": {{.name}} ( n -- n ) ;", ": h ( -- ) 12345 >r ;\n" + okTests, `">r" in the tests`},
		{"exit in a loop in the tests", ": {{.name}} ( n -- n ) ;", ": h ( -- ) 0 5 0 do exit loop ;\n" + okTests, `"exit" in the tests`},
		{"unicode case folding", ": {{.name}} ( n -- n ) ;\n: \u212aey ( -- ) ;", "key\n" + okTests, `"key"`},
		{"tick of a forbidden word", ": {{.name}} ( n -- n ) ['] system drop ;", okTests, `"system" is neither in the allowlist`},
		{"tick then execute of a parsing word", ": t ( -- ) ' ;\n: {{.name}} ( n -- n ) ;", "['] t execute system\n" + okTests, `"system"`},
		{"defining word in a branch", ": mk ( f -- ) if create then ;\n: {{.name}} ( n -- n ) ;", "0 mk system\n" + okTests, `"system"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := withUserFile(t, userPattern(tc.code, tc.tests))
			if p := l.Get("mine-x-001"); p != nil {
				t.Errorf("accepted: %q", p.Code)
			}
			var msgs []string
			for _, d := range l.Diagnostics {
				msgs = append(msgs, d.Error())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tc.bad) {
				t.Errorf("diagnostics %q lack %s", msgs, tc.bad)
			}
		})
	}
	// A pattern of allowlisted, control-structure and defining words, with
	// helpers, a defining word and its children, strings and comments.
	good := userPattern(`variable {{.name}}-v
create {{.name}}-buf 4 cells allot
: {{.name}}-counter ( n "name" -- ) create , does> ( -- n ) dup @ 1 rot +! ;
: {{.name}}-h ( n -- n ) dup 0< if negate then ;
: {{.name}} ( n -- n ) \ the word
  {{.name}}-h 0 ?do i drop loop [ 1 cells ] literal drop 0 {{.name}}-v ! ;`,
		"5 {{.name}}-counter c1\nT{ c1 c1 -> 5 6 }T\nT{ s\" ab\" nip -> 2 }T\n"+okTests)
	l := withUserFile(t, good)
	if l.Get("mine-x-001") == nil {
		t.Errorf("a good user pattern is left out: %v", l.Diagnostics)
	}
}

// TestUserPatternParamPlaces: parameters go where their values cannot
// change how the text reads.
func TestUserPatternParamPlaces(t *testing.T) {
	head := "category: mine\ntitle: M\nsummary: S.\n\npattern: mine-x-001\nname: X\ntags: x\ndescription: D.\neffect: ( n -- n )\n" +
		"param: name name xx the word\nparam: msg text hi a text\nparam: op word 1+ a word\nparam: k number 3 a number\n"
	for _, tc := range []struct{ name, code, bad string }{
		{"text outside a string", ": {{.name}} ( n -- n ) {{.msg}} ;", "text parameter msg outside a string"},
		{"text in a ( comment", ": {{.name}} ( n -- n ) ( {{.msg}} ) ;", "text parameter msg inside a ( comment"},
		{"word in a string", ": {{.name}} ( n -- n ) s\" {{.op}}\" 2drop ;", "word parameter op inside a string"},
		{"word glued", ": {{.name}} ( n -- n ) {{.op}}x ;", "must be a word of its own"},
		{"word as a name", ": {{.op}} ( n -- n ) ;", "only name parameters can make a name"},
		{"text after [char]", ": {{.name}} ( n -- n ) [char] {{.msg}} drop ;", "[char] takes one character"},
		{"name used before its ;", ": {{.name}} ( n -- n ) dup if 1- {{.name}} then ;", "{{.name}} is used before it is defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := withUserFile(t, head+"code:\n"+tc.code+"\ntests:\nT{ 1 {{.name}} -> 1 }T\nend\n")
			if l.Get("mine-x-001") != nil || len(l.Diagnostics) == 0 || !strings.Contains(l.Diagnostics[len(l.Diagnostics)-1].Message, tc.bad) {
				t.Errorf("diagnostics %v, want %q", l.Diagnostics, tc.bad)
			}
		})
	}
	l := withUserFile(t, head+"code:\n: {{.name}}-h ( n -- n ) {{.k}} + ;\n: {{.name}} ( n -- n ) \\ {{.msg}}\n  {{.op}} {{.name}}-h ( {{.k}} ) ;\ntests:\n.\" {{.msg}}\" cr\nT{ 1 {{.name}} -> 5 }T\nend\n")
	if l.Get("mine-x-001") == nil {
		t.Fatalf("left out: %v", l.Diagnostics)
	}
	for _, tc := range []struct {
		params map[string]string
		want   string
	}{
		{map[string]string{"op": "xx-h"}, ""},                              // defined before the parameter
		{map[string]string{"name": "yy", "op": "yy-h 1+"}, ""},             // renamed with the name
		{map[string]string{"op": "xx"}, `"xx" is not in the allowlist`},    // its own name: not yet defined
		{map[string]string{"name": "system", "op": "system"}, `"system"`},  // gforth's, inside the definition
		{map[string]string{"name": "("}, `"(" is a control-structure`},     // would turn the comments into code
		{map[string]string{"name": "s\""}, `"s\"" is a control-structure`}, // a string word
		{map[string]string{"name": "sh"}, `"sh" is a parsing`},             // a parsing builtin
	} {
		_, err := l.Instantiate("mine-x-001", tc.params)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.params, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want %q", tc.params, err, tc.want)
		}
	}
}

// TestBuiltinsAsUserPatterns: the allowlist is enough for the builtin
// library: all its patterns but one (err-exception-001, which allocates a
// THROW code with gforth's exception) would be accepted as user patterns.
func TestBuiltinsAsUserPatterns(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("library", "*"+Ext))
	n := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pf, diags := ParseFile(f, src)
		n += len(pf.Patterns)
		for _, d := range diags {
			if d.Pattern != "err-exception-001" || !strings.Contains(d.Message, `"exception" is not in the allowlist`) {
				t.Errorf("%s", d.Error())
			}
		}
	}
	if want := Builtin().Len() - 1; n != want {
		t.Errorf("%d builtin patterns pass as user patterns, want %d", n, want)
	}
}

// TestAllowlistTable: every allowlisted word is a builtin of the analysis
// (which knows its effect) and a word of gforth; none parses, none is a
// control-structure or defining word, and a word parameter's classes hold
// no immediate or compile-only word.
func TestAllowlistTable(t *testing.T) {
	var all []string
	for _, c := range AllowedWords() {
		for _, w := range c.Words {
			all = append(all, w)
			b := builtins.Lookup(w)
			switch {
			case b == nil:
				t.Errorf("%s (%s) is not a builtin", w, c.Class)
			case b.Parse != builtins.ParseNone || specialWords[w]:
				t.Errorf("%s (%s) parses or is a special word", w, c.Class)
			case c.Param && (b.Immediate || b.CompileOnly):
				t.Errorf("%s (%s) is immediate or compile-only but allowed in parameters", w, c.Class)
			case strings.HasPrefix(b.WordSet, "gforth") && w != "-rot" && w != "bounds" && w != "scan":
				t.Errorf("%s (%s) is a gforth word (%s)", w, c.Class, b.WordSet)
			}
		}
	}
	if len(all) < 100 {
		t.Errorf("only %d words", len(all))
	}
	var prog strings.Builder
	for _, w := range append(all, strings.Fields(controlWords+" "+definingWords+" "+textWords)...) {
		fmt.Fprintf(&prog, "[defined] %s 0= [if] .( MISSING ) .( %s) cr [then]\n", w, strings.ReplaceAll(w, ")", ""))
	}
	if out := gforthtest.Run(t, prog.String()); strings.Contains(out, "MISSING") {
		t.Errorf("words gforth lacks:\n%s", out)
	}
}

// TestSpecCommentText: the description and properties go into \ comment
// lines: one line each, without control characters.
func TestSpecCommentText(t *testing.T) {
	l := testLib(t)
	for _, tc := range []struct{ spec, field string }{
		{`{"name": "sq", "effect": "( n -- n*n )", "pattern": "test-square-001", "description": "a\rs\" x\" system"}`, "description"},
		{`{"name": "sq", "effect": "( n -- n*n )", "pattern": "test-square-001", "description": "a\u000bb"}`, "description"},
		{`{"name": "sq", "effect": "( n -- n*n )", "pattern": "test-square-001", "properties": ["ok", "a\u001bb"]}`, "properties[1]"},
	} {
		spec, err := ParseSpec([]byte(tc.spec))
		if err != nil {
			t.Fatal(err)
		}
		if _, errs := l.Validate(spec); len(errs) != 1 || errs[0].Field != tc.field {
			t.Errorf("%s: %v, want one error for %s", tc.spec, errs, tc.field)
		}
	}
	spec, _ := ParseSpec([]byte(`{"name": "sq", "effect": "( n -- n*n )", "pattern": "test-square-001", "description": "tab\there"}`))
	if _, errs := l.Validate(spec); len(errs) != 0 {
		t.Errorf("a tab: %v", errs)
	}
}
