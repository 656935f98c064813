package analysis

// Stack comments as people write them (descriptions after the items,
// labelled stacks, a group per stack, a system's multi-cell item names),
// read through the whole analysis.

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// effectsWith is effects (see infer_test.go) with the dialect given: the
// reader and the checker alone, so that a test can give a dialect rules of
// its own.
func effectsWith(t *testing.T, d *builtins.Dialect, src string) (map[string]string, []string) {
	t.Helper()
	f := syntax.Parse(source.NewFile("test.fs", []byte(src)), syntax.Config{Dialect: d})
	c := infer.NewChecker()
	got := map[string]string{}
	var codes []string
	for _, x := range f.AllDiags() {
		if x.Severity != diag.Hint {
			codes = append(codes, string(x.Code))
		}
	}
	for _, def := range f.Defs {
		r := c.Def(def)
		for _, x := range r.Diags {
			if x.Severity != diag.Hint {
				codes = append(codes, string(x.Code))
			}
		}
		if def.Display == "" {
			continue
		}
		inf := "?"
		if r.Inferred != nil {
			inf = r.Inferred.String()
		}
		got[def.Display] = fmt.Sprintf("%s %s", r.Status, inf)
	}
	for _, x := range c.Top(f) {
		codes = append(codes, string(x.Code))
	}
	sort.Strings(codes)
	return got, codes
}

// withRules returns the default dialect with other two-cell and two-float
// item names.
func withRules(twoCell, twoFloat []string) *builtins.Dialect {
	d := *builtins.Default()
	d.Rules.TwoCell, d.Rules.TwoFloat = twoCell, twoFloat
	return &d
}

func TestStackCommentsAsWritten(t *testing.T) {
	gforth := builtins.Default()
	standard := builtins.MustGet("standard")
	fixed := withRules([]string{"f"}, nil)
	tests := []struct {
		name    string
		dialect *builtins.Dialect
		src     string
		want    map[string]string // definition -> "status inferred"
		codes   string            // sorted diagnostic codes (no hints)
	}{
		{"ffl description", gforth, `: x ( a32 -- = Initialise the variable ) drop ;`,
			map[string]string{"x": "verified ( a32 -- )"}, ""},
		{"ffl description with =", gforth, `: x ( n1 n2 -- n3 = n3 = n1 + n2 ) + ;`,
			map[string]string{"x": "verified ( n1 n2 -- n3 )"}, ""},
		{"ffl alternatives", gforth, `: x ( x1 -- false | x1 true = Get x1 ) dup if true else drop false then ;`,
			map[string]string{"x": "verified ( x1 -- false | x1 true )"}, ""},
		{"pforth comma", gforth, `: y ( n l -- , print right justified ) 2drop ;`,
			map[string]string{"y": "verified ( n l -- )"}, ""},
		{"comma after an item", gforth, `: y ( r1 r2 -- flag, true if equal ) f= ;`,
			map[string]string{"y": "verified ( -- flag ) ( F: r1 r2 -- )"}, ""},
		{"comma then a float group", gforth, `: y ( -- , f: x -- y ) fnegate ;`,
			map[string]string{"y": "verified ( -- ) ( F: x -- y )"}, ""},
		{"backslash", gforth, `: y ( -- f \ f is 0 or not ) 0 ;`,
			map[string]string{"y": "verified ( -- f )"}, ""},
		{"bar then prose", gforth, `: y ( n -- flag | true if n is odd ) 1 and ;`,
			map[string]string{"y": "verified ( n -- flag )"}, ""},
		{"still a mismatch", gforth, `: y ( n -- = Drop n ) dup ;`,
			map[string]string{"y": "mismatch ( n -- n n )"}, "effect-mismatch"},
		{"prose without a marker", gforth, `: y ( u -- Put the result in the hold area ) drop ;`,
			map[string]string{"y": "undeclared ( x -- )"}, "bad-stack-comment"},
		{"pforth -f- group", gforth, `: y ( -- flag ) ( r -f- ) f0= ;`,
			map[string]string{"y": "verified ( -- flag ) ( F: r -- )"}, ""},
		{"a group per stack", gforth, `: y ( n -- ; R: -- n = Push n ) >r ;`,
			map[string]string{"y": "verified ( n -- ) ( R: -- n )"}, ""},
		{"phases stay phases", gforth, `: y ( "name" -- ; -- addr ) create ;`,
			map[string]string{"y": "unknown ( -- )"}, ""},
		{"phases: callers get the body", gforth, `: g ( compilation: -- ; run-time: n -- n n ) dup ; : h ( n -- n n ) g ;`,
			map[string]string{"g": "unknown ( x -- x x )", "h": "verified ( n -- n n )"}, ""},
		{"another group after a label", gforth, `: y ( x -- R: -- x ) >r ;`,
			map[string]string{"y": "verified ( x -- ) ( R: -- x )"}, ""},
		{"a pair of effects is not an alternative", gforth, `: y ( n size -- | -- addr ) 2drop ;`,
			map[string]string{"y": "unknown ( x1 x2 -- )"}, ""},
		{"labelled stack", gforth, `: a2drop ( a: a a -- ) ;`,
			map[string]string{"a2drop": "verified ( -- )"}, ""},
		{"labelled stack with data", gforth, `: apush ( n a: -- a: a ) drop ;`,
			map[string]string{"apush": "verified ( n -- )"}, ""},
		{"control-flow stack only", gforth, `: my-then ( C: orig -- ) postpone then ; immediate`,
			nil, ""},
		{"range is a wildcard", gforth, `: y ( N -- 0,1,..N ) dup 0> if dup 1- recurse then ;`,
			map[string]string{"y": "unknown ?"}, ""},
		{"complex z is two floats (gforth)", gforth, `: zdup ( z -- z z ) fover fover ;`,
			map[string]string{"zdup": "verified ( -- ) ( F: z -- z z )"}, ""},
		{"complex z unknown to the standard", standard, `: zdup ( z -- z z ) fover fover ;`,
			map[string]string{"zdup": "unknown ( -- ) ( F: r1 r2 -- r1 r2 r1 r2 )"}, ""},
		{"z as data in gforth", gforth, `: xyz ( x y z -- n ) + + ;`,
			map[string]string{"xyz": "verified ( x y z -- n )"}, ""},
		{"dialect two-cell item", fixed, `: fx+ ( f1 f2 -- f3 ) d+ ;`,
			map[string]string{"fx+": "verified ( f1 f2 -- f3 )"}, ""},
		{"dialect two-cell item mismatch", fixed, `: fx+ ( f1 f2 -- f3 ) + ;`,
			map[string]string{"fx+": "mismatch ( f2 -- x1 )"}, "effect-mismatch"},
		{"two-cell item in a caller", fixed, `: fx@ ( addr -- f ) 2@ ; : g ( addr -- n ) fx@ drop ;`,
			map[string]string{"g": "verified ( addr -- n )"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, codes := effectsWith(t, tt.dialect, tt.src)
			for name, want := range tt.want {
				if got[name] != want {
					t.Errorf("%s: got %q, want %q", name, got[name], want)
				}
			}
			if c := strings.Join(codes, " "); c != tt.codes {
				t.Errorf("codes: got %q, want %q", c, tt.codes)
			}
		})
	}
}

// TestUnreadableCommentNotUsed: a comment that cannot be read is never
// what callers use; they get the body's effect, or unknown with a reason,
// not an effect made of the comment's words.
func TestUnreadableCommentNotUsed(t *testing.T) {
	tests := []struct {
		name, src, caller, want string
		reason                  string // part of the caller's reason
	}{
		{"defer with prose", `defer hook ( n -- Call the hook with n ) : g ( n -- ) hook ;`, "g", "unknown ?", "cannot be read"},
		{"colon with prose, body known", `: h ( n -- Drop the item n ) drop ; : g ( n -- ) h ;`, "g", "verified ( n -- )", ""},
		{"colon with prose, body unknown", `defer kk : h ( n -- Call kk on the item n ) kk ; : g ( n -- ) h ;`, "g", "unknown ?", "cannot be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, codes := effects(t, tt.src)
			if got[tt.caller] != tt.want {
				t.Errorf("%s: got %q, want %q", tt.caller, got[tt.caller], tt.want)
			}
			r := analyze(t, tt.src)
			if dr := defResult(t, r, tt.caller); !strings.Contains(dr.Reason, tt.reason) {
				t.Errorf("%s: reason %q, want it to say %q", tt.caller, dr.Reason, tt.reason)
			}
			for _, c := range codes {
				if c != "bad-stack-comment" {
					t.Errorf("diagnostic %s", c)
				}
			}
		})
	}
}
