package analysis

import (
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/diag"
)

// TestDialect: gforth's own words are builtins by default and undefined
// when checking portable (standard) code; standard words are builtins in
// both.
func TestDialect(t *testing.T) {
	src := []byte(": f ( a b c -- c ) -rot 2drop ;\n: g ( n -- ) 0 ?do i . loop ;\n")
	for _, tt := range []struct {
		dialect   string
		undefined int
	}{
		{"", 0},
		{"gforth", 0},
		{"standard", 1},
	} {
		r := New(Options{Dialect: tt.dialect}).Analyze("d.fs", src)
		n := 0
		for _, d := range r.Diags {
			if d.Code == diag.Undefined {
				n++
			}
		}
		if n != tt.undefined {
			t.Errorf("dialect %q: %d undefined words, want %d: %v", tt.dialect, n, tt.undefined, r.Diags)
		}
	}
}

// TestDialectReading: each system's own way of writing Forth is read as
// that system reads it. Every case was a false alarm on real code of the
// system; none may report an error or a warning (other than notes on
// redefinitions), and the named definitions have the effects given
// ("unknown" for an effect that cannot be known statically).
func TestDialectReading(t *testing.T) {
	for _, c := range []struct {
		name, dialect, src string
		effects            map[string]string
	}{
		{"zeptoforth fixed-point literals", "zeptoforth", ": half ( -- d ) 0,5 ;\n: neg ( -- d ) -1,25 ;\n",
			map[string]string{"half": "( -- d )", "neg": "( -- d )"}},
		{"zeptoforth S15.16 fixed-point literals (fixed32) are one cell", "zeptoforth", ": half ( -- n ) 0;5 ;\n: two ( -- n n ) 2;0 3;25 ;\n", map[string]string{"half": "( -- n )", "two": "( -- n n )"}},
		{"zeptoforth underscores in numbers", "zeptoforth", ": big ( -- n ) $8000_0000 62_500_000 + ;\n",
			map[string]string{"big": "( -- n )"}},
		{"zeptoforth module paths", "zeptoforth", "begin-module foo\n: bar ( -- n ) 1 ;\nend-module\n: baz ( -- n ) foo::bar ;\n",
			map[string]string{"baz": "( -- n )"}},
		{"zeptoforth modules end their redefinitions", "zeptoforth", "begin-module m\n: dup ( -- ) ;\nend-module\n: two ( n -- n n ) dup ;\n",
			map[string]string{"two": "( n -- n n )"}},
		{"zeptoforth control structures at top level", "zeptoforth", "16 0 ?do i drop loop\n", nil},
		{"zeptoforth [immediate] marks the definition", "zeptoforth", ": chk ( f \"name\" -- ) [immediate] token-word drop state @ if postpone drop else drop then ;\n: use ( f -- ) chk x-none ;\n",
			map[string]string{"use": "unknown"}},
		{"mecrisp immediate inside a definition marks it", "mecrisp", ": lit, ( x -- ) literal, immediate ;\n: t ( -- n ) [ 5 ] lit, ;\n", nil},
		{"zeptoforth try is an ordinary word", "zeptoforth", ": t ( xt -- ) try drop ;\n", map[string]string{"t": "unknown"}},
		{"zeptoforth assembler in a definition", "zeptoforth", ": t ( -- ) code[ r0 r1 adds_,_,_ ]code ;\n", map[string]string{"t": "unknown"}},
		{"mecrisp fixed-point literals", "mecrisp", "0,5 2constant half\n: pi ( -- d ) 3,14159 ;\n", nil},
		{"esp32forth raw strings span lines", "esp32forth", ": page ( -- a u ) r| <html>\n<body> not words </body>\n| ;\n",
			map[string]string{"page": "( -- a u )"}},
		{"esp32forth for aft then next", "esp32forth", ": spaces' ( n -- ) 0 max for aft space then next ;\n",
			map[string]string{"spaces'": "( n -- )"}},
		{"esp32forth abort\" takes no flag", "esp32forth", ": boom ( -- ) abort\" never\" ;\n", nil},
		{"swiftforth brace comments", "swiftforth", "{ A block comment\n  over two lines with words: frob }\n: ok ( -- n ) 1 ;\n",
			map[string]string{"ok": "( -- n )"}},
		{"swiftforth \\\\ ends the file", "swiftforth", ": ok ( -- n ) 1 ;\n\\\\\nstruct servent { char *s_name; }\n", map[string]string{"ok": "( -- n )"}},
		{"pforth \\s ends the file", "pforth", ": ok ( -- n ) 1 ;\n\\s\nnot forth at all\n", map[string]string{"ok": "( -- n )"}},
		{"swiftforth word that runs :noname and leaves the definition open", "swiftforth", "create table 8 cells allot\n: opc: ( i -- ) cells table + >r :noname r> ! ;\n0 opc: ( -- n ) 5 ;\n1 opc: 6 7 + ;\n: run ( i -- xt ) cells table + @ ;\n", map[string]string{"run": "( i -- xt )"}},
		{"vfx extern over two lines defines the function", "vfx", "extern \"C\" void al_build( void * trans, int x,\n   int y );\nextern: void * al_create( int w, int h );\n: t ( a b c -- ) al_build ;\n: u ( -- a ) 1 2 al_create ;\n", map[string]string{"t": "( a b c -- )", "u": "( -- a )"}},
		{"vfx extern with a float parameter has an unknown effect", "vfx", "extern \"C\" void al_rot( void * t, float theta );\n: t ( a -- ) 1e al_rot ;\n", map[string]string{"t": "unknown"}},
		{"vfx enum defines its items as constants", "vfx", "enum COLORS {\n  RED = 0,\n  GREEN = 4,\n  BLUE\n};\nenum { A, B };\n: t ( -- n ) RED GREEN + BLUE + A + B + ;\n", map[string]string{"t": "( -- n )"}},
		{"esp32forth DEFINED? of a word the image lacks skips the [IF] part", "esp32forth", "DEFINED? OledNew [IF]\n: oled-init ( -- ) 128 64 -1 OledNew ;\n[THEN]\n: t ( -- n ) 1 ;\n", map[string]string{"t": "( -- n )"}},
		{"mecrisp e4thcom \\\\ at the start of a line ends the upload", "mecrisp", ": ok ( -- n ) 1 ;\n\\\\ notes below are not uploaded\nfrob blah\n", map[string]string{"ok": "( -- n )"}},
		{"zeptoforth class->method names the method of a class", "zeptoforth", "oo import\n: free-it ( object -- ) <object>->destroy ;\n", map[string]string{"free-it": "( object -- )"}},
		{"mecrisp children made immediate by $30 setflags parse their operands", "mecrisp", ": two-op <builds h, $30 setflags does> h@ token 2drop token 2drop h, ;\n$4000 two-op ands\n: t ( -- ) ands r0 r1 ;\n: u ( -- n ) 1 ;\n", map[string]string{"u": "( -- n )"}},
		{"swiftforth code ended by a macro that ends with end-code, and ;code (assembler words: a warning at most)", "swiftforth", "assembler\n: fnext ( -- ) ret end-code ;\nforth\ncode #1.0e ( -- r ) fld1 f> fnext\n: finteger ( n -- ) create , ;code eax pop 0 [eax] dword fild f> fnext\n-1 finteger #-1.0e\n: t ( -- n ) 1 ;\n", map[string]string{"t": "( -- n )"}},
		{"swiftforth AKA old new, and CREATE-XT defines a word", "swiftforth", "AKA dup twin\n: f ( n -- n n ) twin ;\ncreate-xt foo drop\n: g ( -- a ) foo ;\n", map[string]string{"f": "( n -- n n )", "g": "( -- a )"}},
		{"esp32forth user words parse past the end of the line (files are evaluated whole)", "esp32forth", ": q| ( \"ccc|\" -- a n ) [char] | parse ;\nq| not\nwords here | 2drop\n: t ( -- n ) 1 ;\n", map[string]string{"t": "( -- n )"}},
		{"swiftforth assembler in a definition", "swiftforth", ": t ( -- ) [+ASM] EAX EBX MOV [-ASM] ;\n", map[string]string{"t": "unknown"}},
		{"zeptoforth sources redefining a system word take its cell widths (( f -- n ) is ( d:f -- n ))", "zeptoforth", ": f>s ( f -- n ) nip ;\n", nil},
		{"a redefinition of DOES> that takes its caller's return address is DOES>", "zeptoforth", ": does> ( -- ) r> drop ;\n: k ( n \"name\" -- ) <builds , does> @ 1+ drop ;\n", nil},
		{"zeptoforth compiles control structures at top level: locals and quotations work in them", "zeptoforth", "2 0 ?do i { c } c drop loop\n16 [: { buf } buf drop ;] drop drop\nbegin 2 { x } x 3 end + drop\n: t ( -- n ) begin 1 end ;\n", map[string]string{"t": "( -- n )"}},
		{"zeptoforth ?raise of an xt never returns", "zeptoforth", ": x-bad ( -- ) ;\n: name ( n -- c-addr u ) case 1 of s\" one\" endof ['] x-bad ?raise endcase ;\n", map[string]string{"name": "( n -- c-addr u )"}},
		{"swiftforth [ASM ... END-CODE ends the definition", "swiftforth", ": m ( n -- n )\n  1 [ASM\n  EAX POP\n  RET END-CODE\n: n ( n -- ) m drop ;\n", map[string]string{"m": "unknown", "n": "( n -- )"}},
		{"mecrisp: in a file of s31.32 numbers, unmarked items may be two cells each", "mecrisp", ": half ( -- x ) 0,5 ;\n: dbl ( x -- y ) 2dup d+ ;\n: quad ( x -- y ) dbl dbl ;\n", nil},
		{"a defining word that creates twice takes two names (DUP CONSTANT CREATE ... DOES>)", "swiftforth", ": sizes ( n -- ) dup constant create 1000 * ,\n  does> ( x1 -- x2 ) @ swap 7 and or ;\n0 sizes s8 byte\n: u ( x -- x ) byte ;\n", map[string]string{"u": "( x -- x )"}},
		{"pforth: a comment word built on EOL WORD skips the line; a plain redefinition of ] still enters compilation", "pforth", ": \\ ( <line> -- ) eol word drop ; immediate\n\\ 1 echo !  this line is a comment\n: ] ( -- ) 1 state ! ;\n: two ( -- n ) [ 1 1 + ] literal ;\n", map[string]string{"two": "( -- n )"}},
		{"mecrisp: a ( comment without ) ends with its line", "mecrisp", ": t ( n -- n\n  1+ ;\n: u ( n -- n ) t ;\n", map[string]string{"u": "( n -- n )"}},
		{"zeptoforth a::b::word names a word of a module inside a module, also after [']", "zeptoforth", "begin-module aa\nbegin-module bb\n: xx ( -- n ) 1 ;\nend-module\nend-module\n: yy ( -- n ) ['] aa::bb::xx drop aa::bb::xx ;\n", map[string]string{"yy": "( -- n )"}},
		{"an immediate implementation of a system word: its comment describes the word as used", "gforth", "variable cases\n: case ( n -- ) cases @ 0 cases ! ; immediate\n", nil},
		{"an immediate word that compiles through a helper", "gforth", ": fop ( n \"name\" -- ) >r ' r> drop state @ if , else execute then ;\n: !f ( n \"name\" -- ) 2 fop ; immediate\n", nil},
		{"a word that reads the source itself with REFILL (a warning at most)", "gforth", ": skip2 ( -- ) refill drop refill drop ;\nskip2 these words\nare read by skip2\n: t ( -- n ) 1 ;\n", map[string]string{"t": "( -- n )"}},
		{"mecrisp N-foldable says how many cells a word takes: its comment's items may be two cells wide", "mecrisp", ": s>f ( n -- f ) 0 swap 1-foldable ;\n: f>s ( f -- n ) nip 2-foldable ;\n: t ( n -- n ) s>f f>s ;\n", map[string]string{"t": "( n -- n )"}},
		{"a wrapper of an alias of a system word reads as that word (synonym aka synonym, : aka note aka ;)", "vfx", "synonym aka synonym\n: note ( -- ) ;\n: aka note aka ;\n: property ( -- n ) 1 ;\naka prop property\n: t ( -- n ) prop ;\n", map[string]string{"t": "( -- n )"}},
		{"swiftforth \\\\ compiled into a definition does not end the file", "swiftforth", ": end-macro ( -- ) \\\\ ;\n: t ( -- n ) 1 ;\n", map[string]string{"t": "( -- n )"}},
		{"a word that parses a name, then names in a loop up to a closing string (mecrisp push { r3 r4 pc })", "mecrisp", ": pp <builds h, $30 setflags\n  does> h@ token s\" {\" compare not if cr quit then\n  begin token 2dup s\" }\" compare not while 2drop repeat 2drop h, ;\n$B400 pp push\n: t ( -- ) push { r3 r4 pc } ;\n: u ( -- n ) 1 ;\n", map[string]string{"u": "( -- n )"}},
		{"a defining word with a does> part that starts a :noname body (continuation:)", "gforth", ": continuation: ( \"name\" -- )\n  create immediate here 0 , :noname swap ! postpone r>\n  does> @ compile, ;\ncontinuation: show> ( -- )\n  drop ;\n: t ( -- n ) 1 ;\n", map[string]string{"t": "( -- n )"}},
		{"pforth control structures at top level", "pforth", "10 0 do i drop loop\n", nil},
		{"pforth include? loads a file unless a word is defined", "pforth", "include? t{ tester.fth\ninclude? dup nothere.fth\nt{ 1 -> 1 }t\n", nil},
		{"words defined by evaluated text (a warning at most)", "gforth", ": defs ( -- ) s\" : dyn ( -- n ) 1 ;\" evaluate ;\n: mk ( c-addr u -- ) evaluate ;\ns\" : dyn2 1 ;\" mk\ndyn2 drop\n", nil},
		{"a word that moves >in", "gforth", ": %% ( -- ) 7 >in +! ;\ncreate glyph %% ...#...\n%% ..#.#..\n", nil},
		{"a word that peeks and restores >in", "gforth", ": peek ( \"name\" -- c-addr u ) >in @ parse-name rot >in ! ;\npeek dup 2drop dup\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := memFS{"/d/tester.fth": ": t{ ( -- ) ; : -> ( -- ) ; : }t ( -- ) ;\n"}
			r := New(Options{Dialect: c.dialect, ReadFile: files.read}).Analyze("/d/t.fs", []byte(c.src))
			for _, d := range r.Diags {
				if d.Severity == diag.Error || d.Severity == diag.Warning && d.Code != diag.Redefined && !strings.Contains(c.name, "a warning at most") {
					t.Errorf("%s at %d: %s", d.Code, d.Start, d.Message)
				}
			}
			for name, want := range c.effects {
				dr := defResult(t, r, name)
				got := "unknown"
				if dr.Inferred != nil && dr.Status != "unknown" {
					got = dr.Inferred.String()
				}
				if got != want {
					t.Errorf("%s: %s (%s %s), want %s", name, got, dr.Status, dr.Reason, want)
				}
			}
		})
	}
}

// A word nothing defines, in a load that could not find a file it reads
// first (here or in a file it includes, or before it in the load), may be
// defined there: a warning that says so, not an error.
func TestMissingIncludeSoftensUndefined(t *testing.T) {
	files := memFS{
		"/p/lib.fs":  "include gone.fs\n: u ( -- n ) 1 ;\n",
		"/p/main.fs": "include lib.fs\n: t ( -- n ) frob u + ;\n",
		"/p/ok.fs":   ": v ( -- n ) frob ;\n",
	}
	ws := New(Options{ReadFile: files.read})
	for _, c := range []struct {
		file string
		sev  diag.Severity
		msg  string
	}{
		{"/p/main.fs", diag.Warning, "unless gone.fs defined it"},
		{"/p/lib.fs", diag.Warning, ""},
		{"/p/ok.fs", diag.Error, "undefined word frob"},
	} {
		r := ws.Analyze(c.file, []byte(files[c.file]))
		for _, d := range r.Diags {
			if d.Code != diag.Undefined {
				continue
			}
			if d.Severity != c.sev || !strings.Contains(d.Message, c.msg) {
				t.Errorf("%s: %v %q, want %v containing %q", c.file, d.Severity, d.Message, c.sev, c.msg)
			}
		}
	}
	l := ws.Load([]string{"/p/main.fs", "/p/ok.fs"}, nil)
	for _, d := range l.File("/p/ok.fs").Diags {
		if d.Code == diag.Undefined && d.Severity != diag.Warning {
			t.Errorf("ok.fs loaded after a load that missed gone.fs: %v %s", d.Severity, d.Message)
		}
	}
}

// A user word that parses a file name and passes it to INCLUDED (a
// wrapper of include that keeps the search order) loads that file, and a
// redefinition that ends by running the word it redefines reads as it.
func TestUserLoadWords(t *testing.T) {
	files := memFS{
		"/p/lib.fs":  ": lib-word ( -- n ) 1 ;\n",
		"/p/lib2.fs": ": lib2-word ( -- n ) 2 ;\n",
		"/p/main.fs": ": include ( \"file\" -- ) parse-name included ;\n" +
			": fload ( \"file\" -- ) parse-name 2dup 2drop included ;\n" +
			": note ( -- ) ;\n: synonym ( \"new\" \"old\" -- ) note synonym ;\n" +
			"include lib.fs\nfload lib2.fs\nsynonym one lib-word\n" +
			": t ( -- n ) lib-word lib2-word + one + ;\n",
	}
	r := New(Options{ReadFile: files.read}).Analyze("/p/main.fs", []byte(files["/p/main.fs"]))
	for _, d := range r.Diags {
		if d.Severity <= diag.Warning && d.Code != diag.Redefined {
			t.Errorf("%s at %d: %s", d.Code, d.Start, d.Message)
		}
	}
	if dr := defResult(t, r, "t"); dr.Status != "verified" {
		t.Errorf("t: %s %s", dr.Status, dr.Reason)
	}
}

// A CASE whose arms all leave the same stack, with no default: only a
// value no OF names leaves another, which the code may never see (a
// warning). A default that leaves another stack is an error.
func TestCaseWithoutDefault(t *testing.T) {
	for _, c := range []struct {
		src  string
		want diag.Severity
	}{
		{": name ( n -- c-addr u ) case 0 of s\" zero\" endof 1 of s\" one\" endof endcase ;\n", diag.Warning},
		{": name ( n -- c-addr u ) case 0 of s\" zero\" endof 1 of s\" one\" endof 0 endcase ;\n", diag.Error},
	} {
		r := New(Options{}).Analyze("/t.fs", []byte(c.src))
		var got []diag.Diagnostic
		for _, d := range r.Diags {
			if d.Code == diag.UnbalancedBranch {
				got = append(got, d)
			}
		}
		if len(got) != 1 || got[0].Severity != c.want {
			t.Errorf("%q: %+v, want one unbalanced-branches of severity %v", c.src, got, c.want)
		}
	}
}
