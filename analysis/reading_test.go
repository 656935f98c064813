package analysis

// Reading what real code does: each case was a false alarm on real code
// that gforth loads without error. Every case is run in gforth too
// (TestReadingCasesLoadInGforth), so none of them states something gforth
// would not do.

import (
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/internal/gforthtest"
)

type readingCase struct {
	name string
	src  string
	// effects the named definitions must have (inferred, or unknown
	// when the value is "unknown")
	effects map[string]string
	// gforth07 is false when gforth 0.7.3 cannot load the case (a word
	// of a later gforth).
	skipGforth bool
}

var readingCases = []readingCase{
	{name: "user word that parses two names",
		src:     ": 2tick ( \"a\" \"b\" -- xt1 xt2 ) ' ' ;\n2tick c! c! 2drop\n",
		effects: map[string]string{"2tick": "( -- xt1 xt2 )"}},
	{name: "user word that parses up to a delimiter word",
		src: ": skip| ( \"names... |\" -- ) begin parse-name s\" |\" compare 0= until ;\nskip| alpha beta gamma |\n"},
	{name: "a defining word that parses a name, then words up to a closing word",
		src: ": skip;e ( \"words... ;e\" -- ) begin parse-name dup 0= >r s\" ;e\" str= r> or until ;\n" +
			": e: ( \"name\" \"words... ;e\" -- ) create skip;e ;\ne: t1 some words here ;e\nt1 drop\n"},
	{name: "word at top level",
		src: "32 word hello count type\nbl word hello count type\n"},
	{name: "[defined] inside a definition",
		src:     ": t ( -- n ) [DEFINED] foo [IF] 1 [ELSE] 2 [THEN] ;\n: u ( -- n ) [undefined] dup [if] 1 [else] 2 [then] ;\n",
		effects: map[string]string{"t": "( -- n )", "u": "( -- n )"}},
	{name: "block words have effects",
		src:     ": first-byte ( u -- c ) block c@ ;\n: fresh ( u -- a ) buffer ;\n",
		effects: map[string]string{"first-byte": "( u -- c )", "fresh": "( u -- a )"}},
	{name: "parsing through a helper word",
		src: ": parse\\\" ( \"ccc<quote>\" -- c-addr u ) [char] \" parse ;\n" +
			": ,\\\" ( \"ccc<quote>\" -- ) parse\\\" dup c, here swap dup allot move ;\n" +
			",\\\" hello world\" \n"},
	{name: "macro built with ]] [[",
		src:        ": dup-if ( C: -- orig ) ]] dup if [[ ; immediate\n: t ( n -- n ) dup-if 1+ then ;\n",
		effects:    map[string]string{"t": "( n -- n )"},
		skipGforth: true},
	{name: "definitions into another wordlist do not hide the system's words",
		src:     "wordlist constant names\nget-current names set-current\n: : ( -- ) ;\ncreate ( 0 ,\nset-current\n: ok ( -- n ) 1 ;\n( a comment )\n",
		effects: map[string]string{"ok": "( -- n )"}},
	{name: "a wrapper around : starts definitions as : does",
		src:     "variable defs\n: : ( \"name\" -- ) 1 defs +! : ;\n: five ( -- n ) 5 ;\n: ten ( -- n ) five five + ;\n",
		effects: map[string]string{"ten": "( -- n )"}},
	{name: "a redefinition of a system word that postpones ; on one path keeps that word's reading",
		src:     ": exit ( -- ) state @ 0= if postpone ; then postpone exit ; immediate\n: f ( -- n ) 1 exit ;\n: g ( -- n ) 2 ;\n",
		effects: map[string]string{"g": "( -- n )"}},
	{name: "a word that runs :noname and postpones ; compiles a whole definition",
		src:     ": mk ( -- xt ) :noname 5 postpone literal postpone ; ;\nmk execute . : six ( -- n ) 6 ;\n",
		effects: map[string]string{"six": "( -- n )"}},
	{name: "nextname earlier on the path names the defining words after it",
		src:     ": seq ( u addr u -- ) nextname dup if constant else drop ['] noop alias then ;\n5 s\" five\" seq\n\\ a comment\n: t ( -- n ) 6 ;\n",
		effects: map[string]string{"t": "( -- n )"}},
	{name: "a defining word that makes another wordlist current first does not shadow the words in use",
		src:     "wordlist constant ghosts\n: ghost ( \"name\" -- ) get-current >r ghosts set-current create r> set-current ;\n: comment ( \"name\" -- ) ghost ;\ncomment \\\n\\ still a comment\n: t ( -- n ) 6 ;\n",
		effects: map[string]string{"t": "( -- n )"}},
	{name: "a word that puts back >IN after parsing, then parses again, parses one name",
		src:     ": twice ( \"name\" -- xt ) >in @ bl word swap >in ! ' nip ;\ntwice dup constant dupxt\n: t ( -- xt ) dupxt ;\n",
		effects: map[string]string{"t": "( -- xt )"}},
	{name: "a definition started by a word that compiles code into it first is not checked against its comment",
		src:     ": build: ( -- xt colon-sys ) :noname postpone dup ;\nbuild: ( n -- ) ; drop\n: t ( -- n ) 6 ;\n",
		effects: map[string]string{"t": "( -- n )"}},
	{name: "a word that reads >IN and then skips to the end of the line still skips it",
		src:     "false value verbose\n: testing ( -- ) verbose if source >in @ /string type cr then source nip >in ! ; immediate\ntesting File Access word set\n: t ( -- n ) 6 ;\n",
		effects: map[string]string{"t": "( -- n )"}},
	{name: "a defining word that parses a second name after the child's",
		src:     ": inh ( \"name\" \"text\" -- ) create bl word count here place here c@ 1+ allot does> count type ;\ninh clc clc\ninh stc stc\n: t ( -- ) clc stc ;\n",
		effects: map[string]string{"t": "( -- )"}},
	{name: "a word that evaluates the rest of its line has that text read as Forth",
		src:     ": || ( \"text\" -- ) 0 parse evaluate ; immediate\n|| : sq ( n -- n*n )\n  dup * ;\n: t ( -- n ) 3 sq ;\n",
		effects: map[string]string{"sq": "( n -- n*n )", "t": "( -- n )"}},
	{name: "postponing an immediate user word that parses makes a word that parses the same",
		src:     ": q\" ( \"ccc<quote>\" -- c-addr u ) [char] \" parse postpone sliteral ; immediate\n: q.\" ( \"ccc<quote>\" -- ) postpone q\" postpone type ; immediate\n: t ( -- ) q.\" not words here\" ;\n: u ( -- n ) 1 ;\n",
		effects: map[string]string{"u": "( -- n )"}},
	{name: "n >IN +! at top level skips n characters; an unknown amount skips the line",
		src:     "1 >in +! x: one ( -- n ) 1 ;\n0 1+ 1+ >in +! xx: two ( -- n ) 2 ;\nvariable y 4 y ! y @ >in +! abc\nsource nip >in ! more garbage\n: t ( -- n ) one two + ;\n",
		effects: map[string]string{"t": "( -- n )"}},
	{name: "an immediate word that postpones ; ends definitions",
		src:     ": ; ( -- ) postpone ; ; immediate\n: six ( -- n ) 6 ;\n",
		effects: map[string]string{"six": "( -- n )"}},
	{name: "nextname before a defining word",
		src:     ": named ( n addr u -- ) nextname constant ;\n5 s\" five\" named\n: seven ( -- n ) 7 ;\n",
		effects: map[string]string{"seven": "( -- n )"}},
}

func TestReadingCases(t *testing.T) {
	for _, c := range readingCases {
		t.Run(c.name, func(t *testing.T) {
			r := analyze(t, c.src)
			for _, d := range r.Diags {
				if d.Severity <= diag.Warning && d.Code != diag.Redefined {
					t.Errorf("%s at %d: %s", d.Code, d.Start, d.Message)
				}
			}
			for name, want := range c.effects {
				dr := defResult(t, r, name)
				got := "unknown"
				if dr.Status != infer.Unknowable && dr.Inferred != nil {
					got = dr.Inferred.String()
				}
				if got != want {
					t.Errorf("%s: %s (%s %s), want %s", name, got, dr.Status, dr.Reason, want)
				}
			}
		})
	}
}

// TestReadingCasesLoadInGforth: gforth loads every case without error.
func TestReadingCasesLoadInGforth(t *testing.T) {
	for _, c := range readingCases {
		if c.skipGforth {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			// Run fails the test on anything gforth writes to standard
			// error (an undefined word, a stack underflow).
			// "warnings off": redefining : or ; is meant here.
			gforthtest.Run(t, "warnings off\n"+c.src)
		})
	}
}

// TestNamesMatchAsGforthMatches: names are matched ignoring the case of
// ASCII letters only, as gforth matches them: "Äpfel" and "ÄPFEL" are one
// name, "äpfel" another. Checked against gforth.
func TestNamesMatchAsGforthMatches(t *testing.T) {
	for _, c := range []struct {
		def, uses string
		undefined []string
	}{
		{"Äpfel", "Äpfel ÄPFEL ÄpFeL", nil},
		{"Äpfel", "äpfel", []string{"äpfel"}},
		{"Énorme", "ÉNORME énorme", []string{"énorme"}},
		{"Σum", "ΣUM σum", []string{"σum"}},
		{"İx", "İX ix", []string{"ix"}},
		{"ǅz", "ǅZ ǆz ǄZ", []string{"ǆz", "ǄZ"}},
		{"Дом", "Дом ДОМ дом", []string{"ДОМ", "дом"}},
	} {
		src := ": " + c.def + " ( -- ) ;\n: main ( -- ) " + c.uses + " ;\n"
		r := analyze(t, src)
		var got []string
		for _, d := range r.Diags {
			if d.Code == diag.Undefined {
				got = append(got, src[d.Start:d.End])
			}
		}
		if strings.Join(got, " ") != strings.Join(c.undefined, " ") {
			t.Errorf("%q: undefined %q, want %q", src, got, c.undefined)
		}
		if len(c.undefined) == 0 {
			gforthtest.Run(t, src)
		}
	}
}

// TestBaseOutOfRange: after "0 base !" or "1 base !" numbers read as
// gforth reads them: in base 0 no digit is a digit, in base 1 only 0 is,
// and a prefix or a character literal brings its own base. Checked
// against gforth (decimal is restored before anything is printed).
func TestBaseOutOfRange(t *testing.T) {
	for _, c := range []struct {
		src       string
		undefined []string
	}{
		{"0 base ! $10 #10 %10 'a' decimal 2drop 2drop\n", nil},
		{"0 base ! 10 decimal\n", []string{"10"}},
		{"1 base ! 0 00 -0 $ff decimal 2drop 2drop\n", nil},
		{"1 base ! 1 decimal\n", []string{"1"}},
		{"37 base ! 1[ z decimal 2drop\n", nil},
		{"0 base ! : f ( -- n ) $10 ; : g ( -- ) 1 ; decimal\n", []string{"1"}},
	} {
		r := analyze(t, c.src)
		var got []string
		for _, d := range r.Diags {
			if d.Code == diag.Undefined {
				got = append(got, c.src[d.Start:d.End])
			} else if d.Severity == diag.Error {
				t.Errorf("%q: %s", c.src, d.Message)
			}
		}
		if strings.Join(got, " ") != strings.Join(c.undefined, " ") {
			t.Errorf("%q: undefined %q, want %q", c.src, got, c.undefined)
		}
		if len(c.undefined) == 0 {
			gforthtest.Run(t, c.src)
		}
	}
}
