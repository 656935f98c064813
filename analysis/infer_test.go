package analysis

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/diag"
)

// effects runs the analysis on src and returns "name status inferred" per
// definition and the diagnostic codes (without hints).
func effects(t *testing.T, src string) (map[string]string, []string) {
	t.Helper()
	r := New(Options{}).Analyze("test.fs", []byte(src))
	got := map[string]string{}
	for _, d := range r.Defs {
		name := d.Def.Display
		if d.Def.DoesOf != nil {
			name = d.Def.DoesOf.Display + " does>"
		}
		if name == "" {
			continue
		}
		inf := "?"
		if d.Inferred != nil {
			inf = d.Inferred.String()
		}
		got[name] = fmt.Sprintf("%s %s", d.Status, inf)
	}
	var codes []string
	for _, d := range r.Diags {
		if d.Severity != diag.Hint {
			codes = append(codes, string(d.Code))
		}
	}
	sort.Strings(codes)
	return got, codes
}

func TestInference(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  map[string]string // definition -> "status inferred"
		codes string            // sorted diagnostic codes, space-separated
	}{
		{"arith", `: sq ( n -- n2 ) dup * ;`, map[string]string{"sq": "verified ( n -- n2 )"}, ""},
		{"shuffle names", `: sw ( a b -- b a ) swap ;`, map[string]string{"sw": "verified ( a b -- b a )"}, ""},
		{"undeclared", `: foo + ;`, map[string]string{"foo": "undeclared ( x1 x2 -- x3 )"}, ""},
		{"takes less than declared", `: f ( a b -- a ) drop ;`, map[string]string{"f": "verified ( a b -- a )"}, ""},
		{"mismatch", `: f ( a b -- c ) over + ;`, map[string]string{"f": "mismatch ( a b -- a x1 )"}, "effect-mismatch"},
		{"if else", `: abs2 ( n -- u ) dup 0< if negate else 1+ then ;`, map[string]string{"abs2": "verified ( n -- u )"}, ""},
		{"unbalanced", `: f ( n -- n ) dup 0< if dup then ;`, map[string]string{"f": "mismatch ( n -- n n | n )"}, "unbalanced-branches"},
		{"?dup if", `: f ( n -- ) ?dup if . then ;`, map[string]string{"f": "verified ( n -- )"}, ""},
		{"?dup 0= if", `: f ( n -- n ) ?dup 0= if 0 then ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"alternatives declared", `: f ( x -- 0 | x x ) dup if dup then ;`, map[string]string{"f": "verified ( x -- x x | x )"}, ""},
		{"begin until", `: f ( n -- ) begin 1- dup 0= until drop ;`, map[string]string{"f": "verified ( n -- )"}, ""},
		{"begin while repeat", `: f ( a n -- ) begin dup while 1- swap 1+ swap repeat 2drop ;`, map[string]string{"f": "verified ( a n -- )"}, ""},
		{"two whiles", `: f ( n -- n ) begin dup 10 < while dup 5 <> while 1+ repeat then ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"loop", `: f ( n -- s ) 0 swap 0 ?do i + loop ;`, map[string]string{"f": "verified ( n -- s )"}, ""},
		{"loop not neutral", `: f ( n -- ) 0 do i loop ;`, map[string]string{"f": "unknown ?"}, "loop-not-neutral"},
		{"leave", `: f ( n -- ) 0 do i 5 = if leave then loop ;`, map[string]string{"f": "verified ( n -- )"}, ""},
		{"unloop exit", `: f ( n -- f ) 0 do i 5 = if unloop true exit then loop false ;`, map[string]string{"f": "verified ( n -- f )"}, ""},
		{"exit in loop", `: f ( n -- ) 0 do exit loop ;`, nil, "return-stack"},
		{"case", `: f ( n -- m ) case 1 of 10 endof 2 of 20 endof 0 swap endcase ;`, map[string]string{"f": "verified ( n -- m )"}, ""},
		{"return stack", `: f ( a b -- b a ) >r r> swap ;`, map[string]string{"f": "verified ( a b -- b a )"}, ""},
		{"return stack leak", `: f ( n -- ) >r ;`, nil, "return-stack"},
		{"exit", `: f ( n -- n ) dup 0= if exit then 1- ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"throw continues", `: f ( ior -- ) throw ;`, map[string]string{"f": "verified ( ior -- )"}, ""},
		{"abort path", `: f ( n -- n ) dup 0< if abort then ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"abort\"", `: f ( n -- ) 0< abort" negative" ;`, map[string]string{"f": "verified ( n -- )"}, ""},
		{"pick literal", `: f ( a b c -- a b c a ) 2 pick ;`, map[string]string{"f": "verified ( a b c -- a b c a )"}, ""},
		{"execute literal xt", `: g ( n -- n n ) dup ; : f ( n -- n n ) ['] g execute ;`, map[string]string{"f": "verified ( n -- n n )"}, ""},
		{"execute unknown", `: f ( xt -- ) execute ;`, map[string]string{"f": "unknown ?"}, ""},
		{"catch literal", `: g ( n -- n ) 1+ ; : f ( n -- n ior ) ['] g catch ;`, map[string]string{"f": "verified ( n -- n ior )"}, ""},
		{"strings", `: f ( -- ) s" hello" type ." world" cr ;`, map[string]string{"f": "verified ( -- )"}, ""},
		{"char", `: f ( -- c ) [char] a ;`, map[string]string{"f": "verified ( -- c )"}, ""},
		{"double literal", `: f ( -- d ) 1. ;`, map[string]string{"f": "verified ( -- d )"}, ""},
		{"double ops", `: f ( d1 d2 -- d3 ) d+ ;`, map[string]string{"f": "verified ( d1 d2 -- d3 )"}, ""},
		{"floats F:", `: f ( F: r1 r2 -- r3 ) f+ ;`, map[string]string{"f": "verified ( -- ) ( F: r1 r2 -- r3 )"}, ""},
		{"floats by name", `: f ( r1 r2 -- r3 ) f* ;`, map[string]string{"f": "verified ( -- ) ( F: r1 r2 -- r3 )"}, ""},
		{"float literal", `: f ( -- ) ( F: -- r ) 1.5e ;`, map[string]string{"f": "verified ( -- ) ( F: -- r )"}, ""},
		{"variable", `variable v : f ( -- n ) v @ ;`, map[string]string{"f": "verified ( -- n )"}, ""},
		{"constant", `10 constant ten : f ( -- n ) ten 1+ ;`, map[string]string{"f": "verified ( -- n )"}, ""},
		{"value to", `0 value v : f ( n -- ) to v ;`, map[string]string{"f": "verified ( n -- )"}, ""},
		{"defer comment", `defer d ( n -- n ) : f ( n -- n ) d ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"defer no comment", `defer d : f ( n -- n ) d ;`, map[string]string{"f": "unknown ?"}, ""},
		{"create does", `: arr ( n "name" -- ) create cells allot does> ( i -- addr ) swap cells + ; 10 arr a : f ( -- addr ) 3 a ;`,
			map[string]string{"arr": "verified ( n -- )", "arr does>": "verified ( i -- addr )", "f": "verified ( -- addr )"}, ""},
		{"structure", `begin-structure point field: p.x field: p.y end-structure : f ( p -- n ) p.y @ ;`, map[string]string{"f": "verified ( p -- n )"}, ""},
		{"locals", `: f {: a b -- c :} a b + ;`, map[string]string{"f": "verified ( a b -- c )"}, ""},
		{"gforth locals", `: f { a b -- c } a b * ;`, map[string]string{"f": "verified ( a b -- c )"}, ""},
		{"locals to", `: f ( n -- n ) {: x :} x 1+ to x x ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"recurse declared", `: fact ( n -- n! ) dup 1 > if dup 1- recurse * else drop 1 then ;`, map[string]string{"fact": "verified ( n -- n! )"}, ""},
		{"recurse undeclared", `: fact dup 1 > if dup 1- recurse * else drop 1 then ;`, map[string]string{"fact": "undeclared ( x -- x2 )"}, ""},
		{"compile time literal", `: f ( -- n ) [ 3 4 + ] literal ;`, map[string]string{"f": "verified ( -- n )"}, ""},
		{"macro", `: ?neg postpone dup postpone 0< ; immediate : f ( n -- n f ) ?neg ;`, map[string]string{"f": "verified ( n -- n f )"}, ""},
		{"undefined", `: f ( -- ) frob ;`, map[string]string{"f": "unknown ?"}, "undefined-word"},
		{"top level", `1 2 + constant three : f ( -- n ) three ;`, map[string]string{"f": "verified ( -- n )"}, ""},
		{"top-level underflow", `drop`, nil, "stack-underflow"},
		{"then without if", `: f ( -- ) then ;`, nil, "unbalanced-control"},
		{"if without then", `: f ( n -- ) if ;`, nil, "unbalanced-control"},
		{"unterminated def", `: f ( -- ) 1 2`, nil, "unterminated"},
		{"unterminated comment", `( oops`, nil, "unterminated"},
		{"unterminated string", `: f ( -- ) s" abc`, nil, "unterminated unterminated"},
		{"recurse outside", `recurse`, nil, "recurse-outside-definition"},
		{"catch unbalanced", `: g ( n -- ) drop ; : f ( n -- ior ) ['] g catch ;`, nil, "unbalanced-branches"},
		{"redefinition", `: f ( -- ) ; : f ( -- ) ;`, nil, "redefined"},
		{"compile-only interpreted", `1 if`, nil, "compile-only"},
		{"hex", "hex : f ( -- n ) ff ; decimal", map[string]string{"f": "verified ( -- n )"}, ""},
		{"base restore", "base @ hex : f ( -- n ) ff ; base ! : g ( -- n ) 10 ;", map[string]string{"f": "verified ( -- n )", "g": "verified ( -- n )"}, ""},
		{"if defined", "[defined] frob [if] : f ( -- ) frob ; [else] : f ( -- ) ; [then]", map[string]string{"f": "verified ( -- )"}, ""},
		{"if undefined", "[undefined] frob [if] : frob ( -- ) ; [then] : g ( -- ) frob ;", map[string]string{"g": "verified ( -- )"}, ""},
		{"zero if skips", "0 [if] this is not code [then] : g ( -- ) ;", map[string]string{"g": "verified ( -- )"}, ""},
		{"noname", `:noname ( n -- ) drop ; constant xt`, nil, ""},
		{"quotation", `: f ( n -- n ) [: 1+ ;] execute ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"does> with addr comment", `: c ( x "name" -- ) create , does> ( addr -- x ) @ ;`, map[string]string{"c does>": "verified ( -- x )"}, ""},
		{"never returns", `: die ( -- ) ." bad" abort ;`, map[string]string{"die": "verified ?"}, ""},
		{"synonym", `synonym plus + : f ( a b -- c ) plus ;`, map[string]string{"f": "verified ( a b -- c )"}, ""},
		{"user parsing word", `: my-var ( "name" -- ) create 0 , ; my-var x : f ( -- n ) x @ ;`, map[string]string{"f": "verified ( -- n )"}, ""},
		{"roll", `: f ( a b c -- b c a ) 2 roll ;`, map[string]string{"f": "verified ( a b c -- b c a )"}, ""},
		{"rot names", `: f ( a b c -- b c a ) rot ;`, map[string]string{"f": "verified ( a b c -- b c a )"}, ""},
		{"2>r", `: f ( a b -- a b ) 2>r 2r> ;`, map[string]string{"f": "verified ( a b -- a b )"}, ""},
		{"while else", `: f ( n -- n ) begin dup while 1- repeat ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		// gforth's own sources (false positives found there)
		{"immediate compiled in a defining word", `: mk ( "name" -- ) create immediate ; : w ( "name" -- ) mk ;`, map[string]string{"w": "verified ( -- )"}, ""},
		{"alias of a comment word", "' \\ alias rem\nrem this is a comment\n: f ( -- ) ;", map[string]string{"f": "verified ( -- )"}, ""},
		{"-1 parse takes the line", ": m: ( \"line\" -- ) -1 parse 2drop ;\nm: ### $ ##\n: f ( -- ) ;", map[string]string{"f": "verified ( -- )"}, ""},
		{"immediate redefinition of {", `: { ( -- ) ; immediate : f ( a b -- c ) { x y } x y + ;`, map[string]string{"f": "verified ( a b -- c )"}, ""},
		{"recursive", `: f ( n -- ) recursive dup if 1- f else drop then ;`, map[string]string{"f": "verified ( n -- )"}, ""},
		{"?dup-if", `: f ( n -- ) ?dup-if . endif ;`, map[string]string{"f": "verified ( n -- )"}, ""},
		{"?dup-0=-if", `: f ( n -- m ) ?dup-0=-if 1 then ;`, map[string]string{"f": "verified ( n -- m )"}, ""},
		{"try restore endtry", `: f ( n -- n ) try 1+ 0 restore endtry throw ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"try iferror then endtry", `: f ( a -- b ) try 1+ iferror 2drop 0 then endtry ;`, map[string]string{"f": "verified ( a -- b )"}, ""},
		{"try endtry-iferror", `: f ( a -- b ) try 1+ endtry-iferror 2drop 0 then ;`, map[string]string{"f": "verified ( a -- b )"}, ""},
		{"for next", `: f ( n -- ) for i . next ;`, map[string]string{"f": "verified ( n -- )"}, ""},
		{"cs-roll in [ ]", `: f ( n -- n ) begin dup if [ 1 cs-roll ] 1- repeat ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"while in a do loop", `: f ( n -- f ) 0 ?do i 5 < while loop true else unloop false then ;`, map[string]string{"f": "verified ( n -- f )"}, ""},
		{"loop on depth", `: clear ( i*x -- ) begin depth while drop repeat ; : f ( -- ) depth 0 ?do drop loop ;`, map[string]string{"clear": "unknown ?", "f": "unknown ?"}, ""},
		{"variable loop without a fixed comment", `: dropn 0 ?do drop loop ; : ids ( -- widn .. wid1 n ) 3 0 ?do i loop 3 ;`, map[string]string{"dropn": "unknown ?", "ids": "unknown ?"}, ""},
		{"loops pushing and popping", `: u8 ( u -- ) 0 swap begin dup 64 u> while dup 63 and swap 6 rshift repeat begin dup while emit repeat drop ;`, map[string]string{"u8": "unknown ?"}, ""},
		{": compiled mid-line", `: mk ( "name" -- ) >r : r> drop ; : g ( -- ) ;`, map[string]string{"mk": "unknown ?", "g": "verified ( -- )"}, ""},
		{": at line start ends", ": f ( -- n ) 1\n: g ( -- ) ;", nil, "unbalanced-control"},
		{"top-level does>", `create foo 5 , does> ( addr -- x ) @ ; : f ( -- x ) foo ;`, map[string]string{"f": "verified ( -- x )"}, ""},
		{"noname colon", "noname : 1 drop ;\n: f ( -- ) ;", map[string]string{"f": "verified ( -- )"}, ""},
		{"noname create", "noname create 5 ,\n: f ( -- ) ;", map[string]string{"f": "verified ( -- )"}, ""},
		{"does> in a does> part", `: mk ( "name" -- ) create does> create does> drop ; mk a a b : f ( -- ) b ;`, map[string]string{"f": "verified ( -- )"}, ""},
		{"defining word through another", `: mk2 ( x y "name" -- ) create , , does> 2@ ; : my2 ( x y "name" -- ) mk2 ; 1 2 my2 p : f ( -- a b ) p ;`, map[string]string{"f": "verified ( -- a b )"}, ""},
		{"does> run by a callee", `: zf ( -- ) does> drop ; : fld ( "name" -- ) create zf ; fld a : f ( n -- n ) a ;`, map[string]string{"f": "verified ( n -- n )"}, ""},
		{"creates twice: children unknown", `: two ( "name1" "name2" -- ) create create ; two a b : f ( -- ) a ;`, map[string]string{"f": "unknown ?"}, ""},
		{"octal escape", `: f ( -- a u ) s\" a\0b\101" ;`, map[string]string{"f": "verified ( -- a u )"}, ""},
		{"bad escape", `: f ( -- a u ) s\" a\kb" ;`, nil, "bad-escape"},
		{"postpone control word", `: join ( orig -- ) postpone then ; immediate`, map[string]string{"join": "unknown ?"}, ""},
		{"postpone immediate user word", `: now ( -- f ) state @ ; immediate : later ( -- f ) postpone now ;`, map[string]string{"later": "verified ( -- f )"}, ""},
		{"defer comment not checked", `defer d ( u -- )`, nil, ""},
		{"quoted item with blanks", `: w ( " name" -- a-addr ) create here ;`, map[string]string{"w": "verified ( -- a-addr )"}, ""},
		{"single-quoted parsed item", `: w ( char 'index' -- ) char + drop ;`, map[string]string{"w": "verified ( char -- )"}, ""},
		{"n* items", `: w ( -- n* cnt ) 1 2 2 ;`, map[string]string{"w": "unknown ( -- x1 x2 x3 )"}, ""},
		{"D: locals are doubles", `: w { D: a D: b -- } a b 2drop 2drop ; : f ( -- ) 1. 2. w ;`, map[string]string{"f": "verified ( -- )"}, ""},
		// gforth's dialect reads a complex z as two floats (two-float: z);
		// comments_test.go has the standard dialect, where z is unknown.
		{"floats named z", `: zdup ( z -- z z ) fover fover ;`, map[string]string{"zdup": "verified ( -- ) ( F: z -- z z )"}, ""},
		{"floats forgotten", `: p ( -- ) pi ;`, map[string]string{"p": "mismatch ( -- ) ( F: -- r1 )"}, "effect-mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, codes := effects(t, tt.src)
			for name, want := range tt.want {
				if got[name] != want {
					t.Errorf("%s: got %q, want %q", name, got[name], want)
				}
			}
			if g := strings.Join(codes, " "); g != tt.codes {
				t.Errorf("diagnostics: got %q, want %q", g, tt.codes)
			}
		})
	}
}
