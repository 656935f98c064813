package lsp

import (
	"github.com/fastforth/fastforth/internal/lsptest"
	"slices"
	"strings"
	"testing"
)

// TestStubActions checks "Define `foo`": offered on an undefined word
// only, with the effect its use implies, and applying it leaves a file
// where the word is defined before every use, the stub verifies and no
// error is added (when the effect is known; otherwise the title says so).
func TestStubActions(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	for i, c := range []struct {
		name, text, word string
		n                int // which occurrence of word
		uses             int // undefined-word diagnostics resolved, when not 1
		title            string
		unknown          bool     // the effect is not known in full: not preferred, may add errors
		verified         []string // definitions that verify after the fix
		stub             string   // the stub's text, when checked
		at               int      // 1 + the offset where the stub goes; 0: not checked
	}{
		{name: "tail", text: ": f ( a b -- c ) foo ;\n", word: "foo",
			title: "Define `foo` ( a b -- c )", verified: []string{"f", "foo"},
			stub: ": foo ( a b -- c ) \\ TODO\n  2drop 0 ;\n\n"},
		{name: "outputs used later", text: ": f ( a b -- c ) swap foo + ;\n", word: "foo",
			title: "Define `foo` ( b a -- y1 y2 )", verified: []string{"f", "foo"}},
		{name: "inputs below untouched", text: ": f ( a b c -- a n ) foo ;\n", word: "foo",
			title: "Define `foo` ( a b c -- y1 y2 )", verified: []string{"f", "foo"}},
		{name: "flag for IF", text: ": f ( n -- ) foo if 1 . then ;\n", word: "foo",
			title: "Define `foo` ( n -- y )", verified: []string{"f", "foo"}},
		{name: "in a loop", text: ": f ( n -- ) 0 ?do foo loop ;\n", word: "foo",
			title: "Define `foo` ( -- )", verified: []string{"f", "foo"}},
		{name: "double", text: ": f ( d -- n ) foo ;\n", word: "foo",
			title: "Define `foo` ( d -- n )", verified: []string{"f", "foo"},
			stub: ": foo ( d -- n ) \\ TODO\n  2drop 0 ;\n\n"},
		{name: "no comment", text: ": g 1 2 foo . ;\n", word: "foo",
			title: "Define `foo` ( x1 x2 -- y )", verified: []string{"foo"}},
		{name: "after its doc comment", text: "\\ does f\n\\ well\n: f ( -- n ) foo ;\n", word: "foo",
			title: "Define `foo` ( -- n )", verified: []string{"f", "foo"},
			stub: ": foo ( -- n ) \\ TODO\n  0 ;\n\n"},
		{name: "first use earlier", text: ": a ( -- n ) foo ;\n: b ( -- n ) foo 1+ ;\n", word: "foo", n: 1, uses: 2,
			title: "Define `foo` ( -- y )", verified: []string{"a", "b", "foo"}},
		{name: "top level", text: "1 2 foo .\n", word: "foo",
			title: "Define `foo` ( x1 x2 -- y )", verified: []string{"foo"}},
		{name: "top level, nothing on the stack", text: ": a ( -- ) ;\nfoo\n", word: "foo",
			title: "Define `foo` ( -- )", verified: []string{"foo"}},
		{name: "top level, mid-line", text: "variable v  1 foo v !\n", word: "foo",
			title: "Define `foo` ( x -- y )", verified: []string{"foo"}, at: 1},
		{name: "top level, after a definition", text: ": sq ( n -- n2 ) dup * ;\n5 sq foo .\n", word: "foo",
			title: "Define `foo` ( x -- y )", verified: []string{"foo"}, at: 26,
			stub: ": foo ( x -- y ) \\ TODO\n  drop 0 ;\n\n"},
		{name: "top level, line starts in a comment", text: "( a comment\n  on two lines ) 1 foo .\n", word: "foo",
			title: "Define `foo` ( x -- y )", verified: []string{"foo"}, at: 1},
		{name: "top level, line starts in a definition", text: ": a ( -- n )\n  1 ; a foo .\n", word: "foo",
			title: "Define `foo` ( x -- y )", verified: []string{"foo"}, at: 1},
		{name: "CRLF", text: ": f ( n -- m ) 1+ foo ;\r\n", word: "foo",
			title: "Define `foo` ( m -- y )", verified: []string{"f", "foo"},
			stub: ": foo ( m -- y ) \\ TODO\r\n  drop 0 ;\r\n\r\n"},
		{name: "outputs unknown", text: ": f ( -- ) foo bar ;\n", word: "foo",
			title: "Define `foo` ( -- ) (outputs unknown)", unknown: true},
		{name: "paths disagree", text: ": f ( n -- ) dup if 1 then foo ;\n", word: "foo",
			title: "Define `foo` ( -- ) (stack effect unknown)", unknown: true},
		{name: "builtin", text: ": f ( n -- ) drop ;\n", word: "drop"},
		{name: "in a comment", text: ": f ( n -- ) ( foo ) drop ;\n", word: "foo"},
		{name: "in a string", text: ": f ( -- ) s\" foo\" type ;\n", word: "foo"},
		{name: "defined later", text: ": f ( -- ) foo ;\n: foo ( -- ) ;\n", word: "foo"},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := "file:///tmp/stub" + string(rune('a'+i)) + ".fs"
			open(h, u, c.text, 1)
			s, e := spanOf(t, c.text, c.word, c.n)
			got := actionsAt(t, h, u, c.text, s+1, s+1, "quickfix")
			if c.title == "" {
				if len(got) != 0 {
					t.Fatalf("offered %q", titles(got))
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("actions %q, want %q", titles(got), c.title)
			}
			a := got[0]
			if a.Title != c.title || a.IsPreferred == c.unknown {
				t.Fatalf("%q (preferred %v), want %q", a.Title, a.IsPreferred, c.title)
			}
			uses := max(c.uses, 1)
			if len(a.Diagnostics) != uses || !slices.ContainsFunc(a.Diagnostics, func(d actionDiag) bool {
				return d.Code == "undefined-word" && d.Range == rangeOf(c.text, s, e)
			}) {
				t.Errorf("diagnostics %+v, want %d, this use's among them", a.Diagnostics, uses)
			}
			if c.at > 0 {
				// On its own lines: at a line start, before the statement.
				ed := a.Edit.Changes[u][0]
				if got := lsptest.Offset(c.text, ed.Range.Start); got != c.at-1 || ed.Range.Start != ed.Range.End {
					t.Errorf("stub inserted at %+v (offset %d), want offset %d", ed.Range, got, c.at-1)
				}
			}
			if c.stub != "" && a.Edit.Changes[u][0].NewText != c.stub {
				t.Errorf("stub %q, want %q", a.Edit.Changes[u][0].NewText, c.stub)
			}
			before := analyse(c.text)
			fixed := applyAction(t, a, u, c.text)
			after := analyse(fixed)
			for _, e := range errorsOf(after) {
				if strings.HasPrefix(e, "undefined-word: undefined word foo") {
					t.Errorf("still undefined after the fix:\n%s", fixed)
				}
			}
			if !c.unknown {
				var kept []string
				for _, e := range errorsOf(before) {
					if !strings.HasPrefix(e, "undefined-word: undefined word foo") {
						kept = append(kept, e)
					}
				}
				if got := errorsOf(after); strings.Join(got, "\n") != strings.Join(kept, "\n") {
					t.Errorf("errors after the fix %q, want %q; text:\n%s", got, kept, fixed)
				}
			}
			for _, name := range c.verified {
				if st := statusOf(after, name); st != "verified" && !(st == "undeclared" && name != "foo") {
					t.Errorf("%s is %s after the fix:\n%s", name, st, fixed)
				}
			}
		})
	}
}
