package analysis

// Regression tests for bugs found by the end-to-end, fuzz and robustness
// tests, each stating the expected behaviour for the input that showed it.

import (
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

func defResult(t *testing.T, r *Result, name string) *infer.Result {
	t.Helper()
	for _, dr := range r.Defs {
		if dr.Def.Name == name {
			return dr
		}
	}
	t.Fatalf("no definition %s", name)
	return nil
}

func TestKnownBugWhileLoopNaming(t *testing.T) {
	r := analyze(t, ": f begin dup while 1- repeat ;")
	if got := defResult(t, r, "f").Inferred.String(); got != "( x -- x2 )" {
		t.Errorf("f: %s, want ( x -- x2 )", got)
	}
}

func TestKnownBugFloatGroupFirst(t *testing.T) {
	r := analyze(t, ": f>n ( F: r -- ) ( -- n ) f>s ;")
	if dr := defResult(t, r, "f>n"); dr.Status != infer.Verified {
		t.Errorf("f>n: %s %v", dr.Status, dr.Inferred)
	}
	if len(r.Diags) != 0 {
		t.Errorf("diagnostics: %v", r.Diags)
	}
}

func TestKnownBugRecurseAtTopLevel(t *testing.T) {
	r := analyze(t, "recurse\n")
	if codes(r)[diag.RecurseOutside] != 1 {
		t.Errorf("diagnostics: %v", r.Diags)
	}
}

// TestKnownBugPrintedEffects: a printed effect, read back, has the same
// shape: the declared and inferred strings of the JSON output say what the
// counts say.
func TestKnownBugPrintedEffects(t *testing.T) {
	r := analyze(t, ": f {: d: a d: b -- d :} a b d+ ;\n: my-if ( C: -- orig ) postpone if ; immediate\n")
	decl := defResult(t, r, "f").Declared
	back, err := effect.Parse(decl.String())
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := back.Count(false, effect.Data); n != 4 {
		t.Errorf("f: declared prints as %s, which reads back as %d cells in, want 4", decl, n)
	}
	if s := defResult(t, r, "my-if").Declared.String(); !strings.Contains(s, "orig") {
		t.Errorf("my-if: declared prints as %s", s)
	}
}

func TestKnownBugUnterminatedLocalsRange(t *testing.T) {
	f := syntax.Parse(source.NewFile("x.fs", []byte(": f {: a b")), syntax.Config{})
	for _, op := range f.Defs[0].Body {
		if op.ArgStart > op.ArgEnd {
			t.Errorf("op %d: argument range [%d,%d)", op.Kind, op.ArgStart, op.ArgEnd)
		}
	}
}

func TestKnownBugCascadeAfterCompileOnly(t *testing.T) {
	// gforth 0.7.3 marks r> compile-only (later gforth does not).
	r := analyzeWithin(t, New(Options{ReadFile: memFS{}.read, Dialect: "gforth-0.7"}), "/robust/test.fs", []byte("r> drop\n"))
	if codes(r)[diag.StackUnderflow] != 0 {
		t.Errorf("diagnostics: %v", r.Diags)
	}
}

// TestPostponedParsingWord: a word that postpones \ or ( parses like it
// when it always does (postpone.fs's postpone-( ), but not when it does so
// only on some paths (coretest.fs's IFFLOORED, which comments a line out
// on some systems): then the line is read as code.
func TestPostponedParsingWord(t *testing.T) {
	r := analyze(t, ": cmt postpone ( ; immediate\n: f ( -- ) [ cmt not code ) ] ;\n"+
		": iff [ 0 ] literal if postpone \\ then ; immediate\niff : t ( -- ) ;\n: g ( -- ) t ;\n")
	if n := codes(r)[diag.Undefined]; n != 0 {
		t.Errorf("undefined words: %v", r.Diags)
	}
}

// TestBadStackComment: a comment with two "--" and no phases cannot be
// read; it is reported and the definition counts as undeclared.
func TestBadStackComment(t *testing.T) {
	r := analyze(t, ": f ( a -- b -- c ) ;\n")
	if codes(r)[diag.BadComment] != 1 {
		t.Errorf("diagnostics: %v", r.Diags)
	}
}
