package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis"
)

// miniTester is enough of the Hayes tester for the analysis to know T{,
// -> and }T.
const miniTester = `variable actual-depth
create actual-results 32 cells allot
: T{ ( -- ) ;
: -> ( i*x -- ) depth dup actual-depth ! ?dup if 0 do actual-results i cells + ! loop then ;
: }T ( i*x -- ) depth actual-depth @ <> abort" wrong number of results" depth ?dup if 0 do drop loop then ;
`

// TestTestActions checks "Add test for `foo`": offered for a colon
// definition whose data-stack effect is known, with a line that is valid
// Forth once a tester is loaded, and a hint where T{ is not defined.
func TestTestActions(t *testing.T) {
	const hint = "\\ T{ -> }T come from tester.fs, the Forth 2012 test harness (gforth: require test/tester.fs)\n"
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	for i, c := range []struct {
		name, text, word string
		title            string // "" when nothing may be offered
		newText          string
	}{
		{name: "declared", text: ": sq ( n -- n*n ) dup * ;\n", word: "dup",
			title:   "Add test for `sq`",
			newText: ": sq ( n -- n*n ) dup * ;\n" + hint + "T{ 0 sq -> 0 }T " + testTODO + "\n"},
		{name: "inferred", text: ": Inc  1+ ;\n: x ( -- ) ;", word: "1+",
			title:   "Add test for `Inc`",
			newText: ": Inc  1+ ;\n" + hint + "T{ 0 Inc -> 0 }T " + testTODO + "\n: x ( -- ) ;"},
		{name: "doubles and several lines", text: ": f ( d n -- d' )\n  drop\n; immediate \\ odd\n", word: "drop",
			title:   "Add test for `f`",
			newText: ": f ( d n -- d' )\n  drop\n; immediate \\ odd\n" + hint + "T{ 0 0 0 f -> 0 0 }T " + testTODO + "\n"},
		{name: "tester defined", text: miniTester + ": two ( -- a b ) 1 2 ;", word: "two",
			title:   "Add test for `two`",
			newText: miniTester + ": two ( -- a b ) 1 2 ;\nT{ two -> 0 0 }T " + testTODO},
		{name: "hint given already", text: "\\ needs tester.fs\n: one ( -- n ) 1 ;\n", word: "one",
			title:   "Add test for `one`",
			newText: "\\ needs tester.fs\n: one ( -- n ) 1 ;\nT{ one -> 0 }T " + testTODO + "\n"},
		{name: "declared, body unknown", text: ": run ( xt -- ) execute ;\n", word: "run",
			title: "Add test for `run`"},
		{name: "unknown effect", text: ": run execute ;\n", word: "run"},
		{name: "floats", text: ": f ( F: r -- r ) fdup f* ;\n", word: "fdup"},
		{name: "parses", text: ": f ( \"name\" -- ) parse-name 2drop ;\n", word: "parse-name"},
		{name: "never returns", text: ": f ( -- ) abort ;\n", word: "abort"},
		{name: "return stack", text: ": f ( -- ) ( R: x -- ) r> drop ;\n", word: "drop"},
		{name: "top level", text: ": f ( -- ) ;\n1 2 + .\n", word: "+"},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := "file:///tmp/test" + string(rune('a'+i)) + ".fs"
			open(h, u, c.text, 1)
			s, _ := spanOf(t, c.text, c.word, 0)
			got := actionsAt(t, h, u, c.text, s, s, "source")
			if c.title == "" {
				if len(got) != 0 {
					t.Fatalf("offered %q", titles(got))
				}
				return
			}
			if len(got) != 1 || got[0].Title != c.title || got[0].Kind != "source.addTest" {
				t.Fatalf("actions %q, want %q", titles(got), c.title)
			}
			fixed := applyAction(t, got[0], u, c.text)
			if c.newText != "" && fixed != c.newText {
				t.Errorf("text:\n%s\nwant:\n%s", fixed, c.newText)
			}
			if strings.Contains(fixed, "T{ two") {
				if errs := errorsOf(analyse(fixed)); len(errs) != 0 {
					t.Errorf("errors with the tester defined: %q", errs)
				}
			}
		})
	}
}

// TestTestActionTesterBeside checks that a tester.fs beside the file is
// required before the first test, and that the result analyses clean.
func TestTestActionTesterBeside(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tester.fs"), []byte(miniTester), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "words.fs")
	u := "file://" + filepath.ToSlash(path)
	text := ": sq ( n -- n*n ) dup * ;\n"
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	open(h, u, text, 1)
	got := actionsAt(t, h, u, text, 3, 3, "source")
	if len(got) != 1 {
		t.Fatalf("actions %q", titles(got))
	}
	fixed := applyAction(t, got[0], u, text)
	if want := text + "require tester.fs\nT{ 0 sq -> 0 }T " + testTODO + "\n"; fixed != want {
		t.Fatalf("text:\n%s\nwant:\n%s", fixed, want)
	}
	r := analysis.New(analysis.Options{}).Analyze(path, []byte(fixed))
	if errs := errorsOf(r); len(errs) != 0 {
		t.Errorf("errors %q", errs)
	}
	// With the tester required, the next test comes without a hint.
	open(h, u, fixed, 2)
	got = actionsAt(t, h, u, fixed, 3, 3, "source")
	if len(got) != 1 || strings.Contains(got[0].Edit.Changes[u][0].NewText, "require") {
		t.Fatalf("second test: %+v", got)
	}
}

// TestTestActionPreloaded checks that a preloaded tester counts as
// loaded.
func TestTestActionPreloaded(t *testing.T) {
	dir := t.TempDir()
	tester := filepath.Join(dir, "harness.fs")
	if err := os.WriteFile(tester, []byte(miniTester), 0o644); err != nil {
		t.Fatal(err)
	}
	h := startServer(t, Options{Analysis: analysis.Options{Preload: []string{tester}}}, nil)
	h.initialize(nil)
	const u = "file:///tmp/preloaded.fs"
	text := ": sq ( n -- n*n ) dup * ;\n"
	open(h, u, text, 1)
	got := actionsAt(t, h, u, text, 3, 3, "source")
	if len(got) != 1 || got[0].Edit.Changes[u][0].NewText != "\nT{ 0 sq -> 0 }T "+testTODO {
		t.Fatalf("actions %+v", got)
	}
}
