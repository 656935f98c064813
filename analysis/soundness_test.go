package analysis

// An effect given to callers is either right or unknown; a construct that
// cannot be known statically makes the effect unknown with a reason and no
// error follows from it; errors sit on the word that causes them.

import (
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/diag"
)

// user-defined CASE in the style of gforth's compat/caseext.fs: ENDOF
// rolls the orig under the BEGIN with 1 CS-ROLL, ENDCASE resolves the
// origs left above a depth recorded at compile time.
const userCase = `variable cs-base
: case    ( C: -- case-sys ) depth cs-base !  postpone begin ; immediate
: of      ( C: -- of-sys ) postpone over postpone = postpone if postpone drop ; immediate
: endof   ( C: case-sys of-sys -- case-sys ) postpone else 1 cs-roll ; immediate
: endcase ( C: case-sys -- )
    postpone drop  postpone ahead 1 cs-roll postpone again postpone then
    begin depth cs-base @ > while postpone then repeat ; immediate
`

func TestSoundEffects(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  map[string]string // definition -> "status inferred"
		codes string            // sorted diagnostic codes (no hints)
	}{
		// Section 6: words whose effect is wrong on some runs are
		// unknown to their callers; the error stays on the word.
		{"loop changes the depth", `: up ( n -- n' ) begin dup 1+ dup 5 < while repeat ; : caller ( -- n ) 1 up ;`,
			map[string]string{"up": "unknown ?", "caller": "unknown ?"}, "loop-not-neutral"},
		{"leave with an extra item", `: lv ( n -- ) 0 do i 5 = if 7 leave then loop ; : caller ( -- ) 10 lv ;`,
			map[string]string{"lv": "unknown ?", "caller": "unknown ?"}, "unbalanced-branches"},
		{"?leave after pushing", `: ql ( n -- ) 0 do i dup 5 = ?leave drop loop ; : caller ( -- ) 10 ql ;`,
			map[string]string{"ql": "unknown ?", "caller": "unknown ?"}, "unbalanced-branches"},
		{"leave that keeps the depth", `: lv ( n -- ) 0 do i 5 = if leave then loop ; : caller ( -- ) 10 lv ;`,
			map[string]string{"lv": "verified ( n -- )", "caller": "verified ( -- )"}, ""},
		{"unbalanced branches", `: f ( n -- n ) dup 0< if dup then ; : g ( n -- n ) f ;`,
			map[string]string{"f": "mismatch ( n -- n n | n )", "g": "unknown ?"}, "unbalanced-branches"},
		// A body a Forth system would not compile: its comment is taken
		// on trust (see TestTrustedEffects), the error stays on it.
		{"unbalanced control", `: f ( n -- n ) dup if ; : g ( n -- n ) f ;`,
			map[string]string{"f": "unknown ?", "g": "verified ( n -- n )"}, "unbalanced-control"},
		{"alternatives nothing tells apart", `defer f ( -- c | n1 n2 ) : g ( -- n ) f ;`,
			map[string]string{"g": "unknown ?"}, ""},
		{"undeclared alternatives a flag tells apart", `: q ?dup ; : r ( x -- x ) q 0= if 0 then ;`,
			map[string]string{"q": "undeclared ( x -- x | x x )", "r": "verified ( x -- x )"}, ""},
		{"alternatives a flag tells apart", `: f ( x -- false | x true ) dup if true else drop false then ; : g ( x -- x ) f 0= if 0 then ;`,
			map[string]string{"g": "verified ( x -- x )"}, ""},

		// The -- part of a locals declaration is only a comment: a body
		// that does otherwise is not wrong, and callers see the body.
		{"locals declaration's outputs are a comment", `: f { n -- } n dup ; : g ( n -- n n ) f ;`,
			map[string]string{"f": "unknown ( n -- n n )", "g": "verified ( n -- n n )"}, ""},
		{"locals declaration that fits is verified", `: f { a b -- c } a b + ;`,
			map[string]string{"f": "verified ( a b -- c )"}, ""},

		// A word whose first return-stack operation takes its caller's
		// return address means to (a control primitive).
		{"return address taken first", `: my-do ( limit start -- ) swap r> -rot >r >r >r ;`,
			map[string]string{"my-do": "unknown ?"}, ""},
		{"return stack taken after a push is an error", `: f ( x -- ) >r r> r> drop drop ;`,
			map[string]string{"f": "unknown ?"}, "return-stack"},

		// A named constant thrown is an exception code: the path ends.
		{"throw of a named constant", `variable next-code : exception ( -- n ) next-code @ 1- dup next-code ! ;
exception constant exp-bad
: f ( n -- n ) dup 0< if drop exp-bad throw then 1+ ;`,
			map[string]string{"f": "verified ( n -- n )"}, ""},
		{"throw of a constant known to be zero goes on", `0 constant no-error : f ( n -- n ) dup 0< if drop no-error throw then 1+ ;`,
			map[string]string{"f": "mismatch ( x1 n -- n | n )"}, "unbalanced-branches"},

		// A flag computed from DEPTH that chooses paths of different
		// depths: the difference is meant (a check for enough items).
		{"depth guard", `: has2? ( x1 x2 -- flag ) depth 2 < dup if ." underflow" then 0= ;
: ?s ( n1 n2 -- ) has2? if 2dup <> if . . else 2drop then then ;
: t ( -- ) 1 2 ?s ;`,
			map[string]string{"has2?": "unknown ( -- flag )", "?s": "unknown ( n1 n2 -- | )", "t": "verified ( -- )"}, ""},
		{"depth guard in the word", `: g ( n -- ) depth 0> if drop then ;`,
			map[string]string{"g": "unknown ( n -- | )"}, ""},
		{"counted items with another mismatch", `: h ( x1 x2 -- flag flag ) depth 2 < ;`,
			map[string]string{"h": "mismatch ( -- x3 )"}, "effect-mismatch"},
		{"branch on another flag still differs", `: g ( n -- ) depth drop dup 0> if drop then ;`,
			map[string]string{"g": "mismatch ( n -- | n )"}, "unbalanced-branches"},

		// Section 5: false alarms gforth loads; a construct that cannot
		// be followed gives an unknown effect and no error.
		{"state-smart", `: s2 ( "ccc<quote>" -- c-addr u ) [char] " parse state @ if postpone sliteral then ; immediate
: t ( -- c-addr u ) s2 abc" ;`,
			map[string]string{"s2": "unknown ?", "t": "unknown ?"}, ""},
		{"state-smart with 0=", `: o ( o -- ) state @ 0= if drop exit then postpone drop ; immediate`,
			map[string]string{"o": "unknown ?"}, ""},
		{"DONE with CS-ROLL", `: DONE ( C: dest orig1 -- orig2 dest ) POSTPONE ELSE 1 CS-ROLL ; IMMEDIATE
: t ( n -- n' ) BEGIN DUP WHILE DUP 5 = IF DONE 1- REPEAT THEN ;`,
			map[string]string{"t": "verified ( n -- n' )"}, ""},
		{"CS-PICK", `: cont ( C: dest orig -- dest orig ) 1 cs-pick postpone again postpone then ; immediate
: t ( n -- n' ) begin dup 0> while 1- dup 5 = if 1- cont 0 drop repeat ;`,
			map[string]string{"t": "verified ( n -- n' )"}, ""},
		{"EVALUATE of a literal", `: ANDIF ( C: -- orig ) S" DUP IF DROP" EVALUATE ; IMMEDIATE
variable x variable y
: t ( -- f ) x @ 0> ANDIF y @ 0> THEN ;`,
			map[string]string{"t": "verified ( -- f )"}, ""},
		// gforth runs it: "99 1 0 t" leaves 2 items, "99 1 1 t" one.
		{"EVALUATE finds a real mismatch", `: ANDIF ( C: -- orig ) S" DUP IF DROP" EVALUATE ; IMMEDIATE
: t ( a b -- f ) 0> swap 0> ANDIF 0= THEN nip ;`,
			map[string]string{"t": "mismatch ( x1 a b -- f | f )"}, "unbalanced-branches"},
		{"EVALUATE of a user word", `: frob ( n -- n ) 1+ ; : m ( -- ) S" frob" EVALUATE ; IMMEDIATE : t ( n -- n ) m ;`,
			map[string]string{"t": "unknown ?"}, ""},
		{"user CASE", userCase + `: f ( n -- m ) case 1 of 10 endof 2 of 20 endof 0 swap endcase ;
: g ( n -- ) 0> if ." pos" then ;`,
			map[string]string{"f": "unknown ?", "g": "verified ( n -- )"}, "redefined redefined redefined redefined"},
		{"postponed DOES>", `: postpone-does> postpone does> ; : pdoes ( -- ) [ postpone-does> ] @ 1+ ;`,
			map[string]string{"pdoes": "verified ( -- )"}, ""},
		{"CASE whose default is ABORT\"", `: f ( n -- m ) case 1 of 10 endof 2 of 20 endof abort" bad" endcase ;
: g ( n -- m ) case 0 of 10 endof 2 of 20 endof abort" bad" endcase ;`,
			map[string]string{"f": "verified ( n -- m )", "g": "verified ( n -- m )"}, ""},
		{"compiling word inside [ ]", `: lit, postpone literal ; : f ( -- n ) [ 5 lit, ] ;`,
			map[string]string{"f": "verified ( -- n )"}, ""},
		{"compiling word inside [ ] not followed", `: lit2, here drop postpone literal ; : g ( -- n ) [ 5 lit2, ] ;`,
			map[string]string{"g": "unknown ?"}, ""},
		{"]] [[ compiles", `: m ( n -- n n ) ]] dup [[ ; immediate : u ( n -- n n n ) m dup ;`,
			map[string]string{"m": "verified ( n -- n n )", "u": "verified ( n -- n n n )"}, ""},
		{"macro comment about its code", `: r'@ ( R: x1 x2 -- x1 x2 ; -- x1 ) postpone 2r@ postpone drop ; immediate`,
			map[string]string{"r'@": "verified ( -- x1 ) ( R: x1 x2 -- x1 x2 )"}, ""},

		// Section 4: "( xt -- )" of a word that executes its xt.
		{"combinator with a neutral xt", `: twice ( xt -- ) dup >r execute r> execute ; : a ( -- ) ['] cr twice ;`,
			map[string]string{"a": "verified ( -- )"}, ""},
		{"combinator run with its xt", `: twice ( xt -- ) dup >r execute r> execute ; : b ( -- ) ['] drop twice ;`,
			map[string]string{"b": "mismatch ( x1 x2 -- )"}, "effect-mismatch"},
		{"combinator with locals", `: each ( addr n xt -- ) { a n xt } n 0 ?do a i cells + @ xt execute loop ; : c ( addr -- ) 4 ['] . each ;`,
			map[string]string{"c": "verified ( addr -- )"}, ""},
		{"locals| order", `: old ( a b -- b a ) locals| x y | x y ; : new ( a b -- b a ) {: x y :} y x ;`,
			map[string]string{"old": "verified ( a b -- b a )", "new": "verified ( a b -- b a )"}, ""},
		{"combinator with an unknown xt", `: twice ( xt -- ) dup >r execute r> execute ; variable v : d ( -- ) v @ twice ;`,
			map[string]string{"d": "unknown ?"}, ""},
		{"deferred word with an xt", `defer hook ( xt -- ) : e ( -- ) ['] cr hook ; : f ( -- ) ['] drop hook ;`,
			map[string]string{"e": "verified ( -- )", "f": "unknown ?"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, codes := effects(t, tt.src)
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

// TestMessagesPointAtTheCause: section 7 of the issue.
func TestMessagesPointAtTheCause(t *testing.T) {
	tests := []struct {
		name, src string
		at        string // the text the error's range covers
		code      diag.Code
		says      string // part of the message
		not       string // text the message must not have
	}{
		{"LEAVE with an extra item", `: lv ( n -- ) 0 do i 5 = if 7 leave then loop ;`, "leave", diag.UnbalancedBranch,
			"LEAVE leaves the loop with ( n -- x1 ) but the loop's end with ( n -- )", "each iteration"},
		{"?LEAVE with an extra item", `: ql ( n -- ) 0 do i dup 5 = ?leave drop loop ;`, "?leave", diag.UnbalancedBranch,
			"?LEAVE leaves the loop", "each iteration"},
		{"error on the word, not its caller", `: f ( n -- n ) dup 0< if dup then ; : g ( n -- n ) f ; : h ( n -- n ) g ;`, "then",
			diag.UnbalancedBranch, "THEN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := analyze(t, tt.src)
			var errs []diag.Diagnostic
			for _, d := range r.Diags {
				if d.Severity == diag.Error {
					errs = append(errs, d)
				}
			}
			if tt.code == "" {
				if len(errs) != 0 {
					t.Errorf("errors: %v", errs)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("want one error, got %v", errs)
			}
			d := errs[0]
			if d.Code != tt.code || tt.src[d.Start:d.End] != tt.at || !strings.Contains(d.Message, tt.says) || tt.not != "" && strings.Contains(d.Message, tt.not) {
				t.Errorf("got %s at %q: %s", d.Code, tt.src[d.Start:d.End], d.Message)
			}
		})
	}
	// A comment with phases names nothing of the inferred effect: its
	// items belong to other times than the run.
	r := analyze(t, `: y ( compilation: -- orig ; run-time: x -- ) 1 2 ;`)
	if got := defResult(t, r, "y").Inferred; got == nil || got.String() != "( -- x1 x2 )" {
		t.Errorf("y: inferred %v, want ( -- x1 x2 )", got)
	}
}

// TestTrustedEffects: an effect that rests on a stack comment the analysis
// could not check against a body is marked as taken on trust, and so is
// every effect computed from it.
func TestTrustedEffects(t *testing.T) {
	tests := []struct {
		name, src string
		trusted   map[string]bool
	}{
		{"followed", `: f ( n -- n ) 1+ ; : g ( n -- n ) f ;`, map[string]bool{"f": false, "g": false}},
		{"deferred", `defer d ( n -- n ) : g ( n -- n ) d ; : h ( n -- n ) g ;`, map[string]bool{"g": true, "h": true}},
		{"not followed", `variable v : f ( n -- n ) v @ execute ; : g ( n -- n ) f ;`, map[string]bool{"f": true, "g": true}},
		{"unbalanced control", `: f ( n -- n ) dup if ; : g ( n -- n ) f ;`, map[string]bool{"f": true, "g": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := analyze(t, tt.src)
			for name, want := range tt.trusted {
				dr := defResult(t, r, name)
				if dr.Sig == nil || !dr.Sig.Known || dr.Sig.Trusted != want {
					t.Errorf("%s: Sig %+v, want known and trusted=%v", name, dr.Sig, want)
				}
			}
		})
	}
}
