package lsp

import (
	"strings"
	"testing"
)

// TestExtractActions checks "Extract to new word": offered for whole,
// balanced selections inside one body only, and applying it gives a
// file whose new word verifies and whose definition still verifies.
func TestExtractActions(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	for i, c := range []struct {
		name, text string
		sel        string // the selected text (its first occurrence)
		from, to   int    // trim the selection: bytes off its start and end
		title      string // "" when nothing may be offered
		newText    string // the whole text after the edit, when checked
	}{
		{name: "middle", text: ": sum-sq ( a b -- c ) dup * swap dup * + ;\n", sel: "swap dup *",
			title:   "Extract to new word `helper` ( x1 x2 -- x2 x3 )",
			newText: ": helper ( x1 x2 -- x2 x3 ) swap dup * ;\n\n: sum-sq ( a b -- c ) dup * helper + ;\n"},
		{name: "blanks around", text: ": f ( n -- n ) 1+  2*  1- ;\n", sel: " 2*  ",
			title:   "Extract to new word `helper` ( x -- x2 )",
			newText: ": helper ( x -- x2 ) 2* ;\n\n: f ( n -- n ) 1+  helper  1- ;\n"},
		{name: "whole IF", text: ": f ( n -- m ) dup 0< if negate then 1+ ;\n", sel: "dup 0< if negate then",
			title: "Extract to new word `helper` ( x -- x2 )"},
		{name: "whole loop with I", text: ": f ( -- ) 10 0 do i . loop cr ;\n", sel: "10 0 do i . loop",
			title: "Extract to new word `helper` ( -- )"},
		{name: "balanced return stack", text: ": f ( a b -- a b ) >r dup drop r> ;\n", sel: ">r dup drop r>",
			title: "Extract to new word `helper` ( x1 x2 -- x1 x2 )"},
		{name: "string", text: ": f ( -- ) s\" hi there\" type cr ;\n", sel: "s\" hi there\" type",
			title: "Extract to new word `helper` ( -- )"},
		{name: "multi-line", text: ": f ( n -- n )\n  1+\n  2* ;\n", sel: "1+\n  2*",
			title:   "Extract to new word `helper` ( x -- x2 )",
			newText: ": helper ( x -- x2 )\n  1+\n  2* ;\n\n: f ( n -- n )\n  helper ;\n"},
		{name: "name taken", text: ": helper ( -- ) ;\n: f ( n -- n ) 1+ 2* helper2 ;\n", sel: "1+",
			title: "Extract to new word `helper3` ( x -- x2 )"},
		{name: "floats", text: ": f ( F: r -- r ) fdup f* ;\n", sel: "fdup f*",
			title: "Extract to new word `helper` ( -- ) ( F: r -- r2 )"},
		{name: "comment inside", text: ": f ( n -- n ) dup ( n n ) * ;\n", sel: "dup ( n n ) *",
			title:   "Extract to new word `helper` ( x -- x2 )",
			newText: ": helper ( x -- x2 ) dup ( n n ) * ;\n\n: f ( n -- n ) helper ;\n"},
		{name: "half an IF", text: ": f ( n -- m ) dup 0< if negate then 1+ ;\n", sel: "dup 0< if negate"},
		{name: "THEN without IF", text: ": f ( n -- m ) dup 0< if negate then 1+ ;\n", sel: "negate then 1+"},
		{name: "I outside its loop", text: ": f ( -- ) 10 0 do i . loop ;\n", sel: "i ."},
		{name: "LEAVE outside its loop", text: ": f ( -- ) 10 0 do leave loop ;\n", sel: "leave"},
		{name: "EXIT", text: ": f ( n -- ) dup 0= if drop exit then . ;\n", sel: "drop exit"},
		{name: "whole IF with EXIT", text: ": f ( n -- ) dup 0= if drop exit then . ;\n", sel: "dup 0= if drop exit then"},
		{name: "locals", text: ": f { a b -- c } a b + ;\n", sel: "a b +"},
		{name: "return stack left", text: ": f ( a b -- a b ) >r dup drop r> ;\n", sel: ">r dup"},
		{name: "word cut", text: ": f ( n -- n ) dup drop ;\n", sel: "dup dr"},
		{name: "string cut", text: ": f ( -- ) s\" hi there\" type ;\n", sel: "s\" hi"},
		{name: "inside a comment", text: ": f ( n -- n ) \\ dup drop\n ;\n", sel: "dup drop"},
		{name: "with the name", text: ": f ( n -- n ) dup drop ;\n", sel: "f ( n -- n ) dup"},
		{name: "with the semicolon", text: ": f ( n -- n ) dup drop ;\n", sel: "dup drop ;"},
		{name: "across definitions", text: ": f ( n -- n ) dup drop ;\n: g ( -- ) ;\n", sel: "drop ;\n: g"},
		{name: "top level", text: "1 2 + .\n", sel: "2 +"},
		{name: "empty selection", text: ": f ( n -- n ) dup drop ;\n", sel: "dup", to: 3},
		{name: "undefined word", text: ": f ( n -- n ) dup foo ;\n", sel: "dup foo"},
		{name: "known xt lost", text: ": f ( -- ) ['] cr execute ;\n", sel: "['] cr"},
		{name: "quotation", text: ": f ( -- ) [: 1 . ;] execute ;\n", sel: "[: 1 . ;]"},
		{name: "inside a quotation", text: ": f ( -- ) [: 1 . ;] execute ;\n", sel: "1 ."},
		{name: "compile-time code", text: ": f ( -- n ) [ 1 2 + ] literal ;\n", sel: "[ 1 2 + ] literal"},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := "file:///tmp/extract" + string(rune('a'+i)) + ".fs"
			open(h, u, c.text, 1)
			s, e := spanOf(t, c.text, c.sel, 0)
			got := actionsAt(t, h, u, c.text, s+c.from, e-c.to, "refactor")
			if c.title == "" {
				if len(got) != 0 {
					t.Fatalf("offered %q", titles(got))
				}
				return
			}
			if len(got) != 1 || got[0].Title != c.title || got[0].Kind != "refactor.extract" {
				t.Fatalf("actions %q, want %q", titles(got), c.title)
			}
			fixed := applyAction(t, got[0], u, c.text)
			if c.newText != "" && fixed != c.newText {
				t.Errorf("text after extracting:\n%s\nwant:\n%s", fixed, c.newText)
			}
			before, after := analyse(c.text), analyse(fixed)
			if got, want := errorsOf(after), errorsOf(before); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("errors %q, want %q:\n%s", got, want, fixed)
			}
			name := strings.Fields(strings.TrimPrefix(c.title, "Extract to new word "))[0]
			name = strings.Trim(name, "`")
			if st := statusOf(after, name); st != "verified" {
				t.Errorf("%s is %s:\n%s", name, st, fixed)
			}
			for _, rep := range before.Reports("x") {
				if st := statusOf(after, rep.Name); st != rep.Status {
					t.Errorf("%s was %s, is %s:\n%s", rep.Name, rep.Status, st, fixed)
				}
			}
		})
	}
}
