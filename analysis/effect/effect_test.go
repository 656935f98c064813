package effect

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in                     string
		din, dout, fin, fout   int // -1: not fixed
		rin, rout              int
		canonical              string
		complex, variable, err bool
	}{
		{in: "( a b -- c )", din: 2, dout: 1, canonical: "( a b -- c )"},
		{in: "( -- )", canonical: "( -- )"},
		{in: "( x -- x x )", din: 1, dout: 2, canonical: "( x -- x x )"},
		{in: "( d1 d2 -- d3 )", din: 4, dout: 2, canonical: "( d1 d2 -- d3 )"},
		{in: "( ud -- u )", din: 2, dout: 1, canonical: "( ud -- u )"},
		{in: "( x -- ) ( R: -- x )", din: 1, rout: 1, canonical: "( x -- ) ( R: -- x )"},
		{in: "( F: r1 r2 -- r3 )", fin: 2, fout: 1, canonical: "( -- ) ( F: r1 r2 -- r3 )"},
		{in: "( f-addr -- ) ( F: -- r )", din: 1, fout: 1, canonical: "( f-addr -- ) ( F: -- r )"},
		{in: "( x -- 0 | x x )", din: 1, dout: -1, canonical: "( x -- 0 | x x )", variable: true},
		{in: "( i*x xt -- j*x )", din: -1, dout: -1, canonical: "( i*x xt -- j*x )", variable: true},
		{in: "( n -- n*n )", din: 1, dout: 1, canonical: "( n -- n*n )"},
		{in: "( i*n +n -- )", din: -1, canonical: "( i*n +n -- )", variable: true},
		{in: "( \"name\" -- )", canonical: "( \"name\" -- )"},
		{in: "( x \"<spaces>name\" -- )", din: 1, canonical: "( x \"<spaces>name\" -- )"},
		{in: "( xu ... x0 u -- xu ... x0 xu )", din: -1, dout: -1, canonical: "( xu ... x0 u -- xu ... x0 xu )", variable: true},
		{in: "( compilation: -- orig ; run-time: x -- )", complex: true, din: -1, dout: -1, canonical: "( -- orig x -- )"},
		{in: "a b -- c", din: 2, dout: 1, canonical: "( a b -- c )"},
		{in: "( just a comment )", err: true},
		{in: "( a -- b -- c )", err: true},
		{in: "( w -- R:w )", din: 1, rout: 1, canonical: "( w -- ) ( R: -- w )"},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if tt.err {
			if err == nil {
				t.Errorf("Parse(%q): no error", tt.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		count := func(out bool, s Stack) int {
			n, ok := e.Count(out, s)
			if !ok {
				return -1
			}
			return n
		}
		if e.Complex != tt.complex {
			t.Errorf("Parse(%q).Complex = %v", tt.in, e.Complex)
		}
		if tt.complex {
			continue
		}
		got := []int{count(false, Data), count(true, Data), count(false, Float), count(true, Float), count(false, Return), count(true, Return)}
		want := []int{tt.din, tt.dout, tt.fin, tt.fout, tt.rin, tt.rout}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("Parse(%q) counts = %v, want %v", tt.in, got, want)
				break
			}
		}
		if s := e.String(); s != tt.canonical {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, s, tt.canonical)
		}
		if e.Variable() != tt.variable {
			t.Errorf("Parse(%q).Variable() = %v", tt.in, e.Variable())
		}
	}
}

func TestFloatsByName(t *testing.T) {
	e, _ := Parse("( r1 r2 -- r3 )")
	f := e.FloatsByName()
	if n, _ := f.Count(false, Float); n != 2 {
		t.Errorf("float inputs = %d, want 2", n)
	}
	if n, _ := f.Count(false, Data); n != 0 {
		t.Errorf("data inputs = %d, want 0", n)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"( a -- b )", "( x -- 0 | x x )", "( F: r -- ) ( R: -- x )", "( \"ccc<)>\" -- )", "(", ")", "( -- -- )"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			return
		}
		_ = e.String()
		e.Count(false, Data)
		e.FloatsByName()
	})
}

// TestParseAsWritten reads stack comments the way real code writes them:
// with a description after the items, labelled stacks of the program's own,
// a group per stack separated by ";", and items that are not described.
func TestParseAsWritten(t *testing.T) {
	tests := []struct {
		in        string
		canonical string
		variable  bool // Variable or Complex: not a fixed count
		err       bool
	}{
		// Descriptions (the Forth Foundation Library, pForth, others).
		{in: "( a32 -- = Initialise the variable )", canonical: "( a32 -- )"},
		{in: "( x -- y = Convert x, see y = z )", canonical: "( x -- y )"},
		{in: "( psize p^ snl -- 0 p^ | psize nil == Move all nodes )", canonical: "( psize p^ snl -- 0 p^ | psize nil )", variable: true},
		{in: "( n l -- , print right justified )", canonical: "( n l -- )"},
		{in: "( <name> -- flag , true if not defined, ANS )", canonical: "( <name> -- flag )"},
		{in: "( r1 r2 -- flag, true if exact )", canonical: "( r1 r2 -- flag )"},
		{in: "( period_us, timer -- )", canonical: "( period_us timer -- )"},
		{in: "( a, b -- c, d )", canonical: "( a b -- c d )"},
		{in: "( -- f \\ f is 0 or non-0 )", canonical: "( -- f )"},
		{in: "( xt -- : pluginname )", canonical: "( xt -- )"},
		{in: "( n -- flag | true if n is a lower case letter )", canonical: "( n -- flag )"},
		{in: "( -- x y | return the current cursor coordinates)", canonical: "( -- x y )"},
		{in: "( x1 bct -- false | x2 true = Get the data x2 )", canonical: "( x1 bct -- false | x2 true )", variable: true},
		{in: "( u -- Put a single result in the hold area )", err: true},
		{in: "( n dom -- Throws an error if n is not allowed )", err: true},
		{in: "( str2 str1 -- Move str2 in str1 )", err: true},
		{in: "( c-addr u -- | Keep a cumulative error count )", canonical: "( c-addr u -- )"},
		{in: "( -- Flag )", canonical: "( -- Flag )"},
		{in: "( F: X Y -- S: FLAG )", canonical: "( -- FLAG ) ( F: X Y -- )"},
		{in: "( addr -- Addr' Len Flag )", canonical: "( addr -- Addr' Len Flag )"},
		// Labelled stacks.
		{in: "( a: a a -- )", canonical: "( -- ) ( a: a a -- )"},
		{in: "( n a: a -- a: a )", canonical: "( n -- ) ( a: a -- a )"},
		{in: "( C: dest orig1 -- orig2 dest )", canonical: "( -- ) ( C: dest orig1 -- orig2 dest )"},
		{in: "( F: X Y -- S: FLAG )", canonical: "( -- FLAG ) ( F: X Y -- )"},
		// A group per stack, or phases.
		// A float on the return stack takes the system's number of cells.
		{in: "( r -- ; R: -- r = Push float on the return stack )", canonical: "( r -- ) ( R: -- r )", variable: true},
		{in: "( reg xt -- asm-orig )", canonical: "( reg xt -- asm-orig )", variable: true},
		{in: "( R: x1 x2 -- x1 x2; -- x1 = Fetch the second cell )", canonical: "( -- x1 ) ( R: x1 x2 -- x1 x2 )"},
		{in: "( F: r1 r2 -- ; x bnn1 -- bnn2 = Create )", canonical: "( x bnn1 -- bnn2 ) ( F: r1 r2 -- )"},
		{in: "( -- a ; F: r r r r -- )", canonical: "( -- a ) ( F: r r r r -- )"},
		{in: "( task -- R: continue -- )", canonical: "( task -- ) ( R: continue -- )"},
		// pForth names the stack between dashes.
		{in: "( r -f- )", canonical: "( -- ) ( F: r -- )"},
		{in: "( r1 r2 -f- flag , true if equal )", canonical: "( -- flag ) ( F: r1 r2 -- )"},
		{in: "( addr -c- addr' )", canonical: "( -- ) ( C: addr -- addr' )"},
		{in: "( F: r1 r2 -- flag = Compare two floats )", canonical: "( -- flag ) ( F: r1 r2 -- )"},
		{in: "( char <string>char -- addr num )", canonical: "( char <string>char -- addr num )"},
		{in: "( --, f: x a c -- z )", canonical: "( -- ) ( F: x a c -- z )"},
		{in: "( offword --- offbyte )", canonical: "( offword -- offbyte )"},
		{in: "( n size -- | -- addr )", canonical: "( n size -- addr )", variable: true},
		{in: "( \"<spaces>name\" -- ; -- dom = Create a named DOM )", canonical: "( \"<spaces>name\" -- dom )", variable: true},
		// Alternatives with "/", items not described, ranges.
		{in: "( -- c / ior )", canonical: "( -- c | ior )", variable: true},
		{in: "( f3 f2 f1 -- ? )", canonical: "( f3 f2 f1 -- ? )", variable: true},
		{in: "( ??? xt -- ??? )", canonical: "( ??? xt -- ??? )", variable: true},
		// gforth: a word that does not return.
		{in: "( -- never )", canonical: "( -- never )", variable: true},
		{in: "( xu..x0 u -- )", canonical: "( xu..x0 u -- )", variable: true},
		{in: "( N -- 0,1,..N )", canonical: "( N -- 0,1,..N )", variable: true},
		{in: "( j*sys -- )", canonical: "( j*sys -- )", variable: true},
		{in: "( w*u u -- )", canonical: "( w*u u -- )", variable: true},
		{in: "( +n*x +n -- )", canonical: "( +n*x +n -- )", variable: true},
		{in: "( n -- n*2 )", canonical: "( n -- n*2 )"},
		{in: "( n -- 0..n-1 )", canonical: "( n -- 0..n-1 )"},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if tt.err {
			if err == nil {
				t.Errorf("Parse(%q) = %s, want an error", tt.in, e.String())
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if s := e.String(); s != tt.canonical {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, s, tt.canonical)
		}
		if v := e.Variable() || e.Complex; v != tt.variable {
			t.Errorf("Parse(%q) variable = %v, want %v", tt.in, v, tt.variable)
		}
	}
}

// TestOptions reads items a system takes as two cells or two floats.
func TestOptions(t *testing.T) {
	o := Options{TwoCell: []string{"f"}, TwoFloat: []string{"z"}}
	tests := []struct {
		in                        string
		opts                      Options
		din, dout, fin, fout      int
		floatsIn, floatsOutByName int // float counts after FloatsByName
	}{
		{"( f1 f2 -- f3 )", o, 4, 2, 0, 0, 0, 0},
		{"( f1 f2 -- f3 )", Options{}, 2, 1, 0, 0, 0, 0},
		{"( F: z1 z2 -- z3 )", o, 0, 0, 4, 2, 4, 2},
		{"( z1 z2 -- z3 )", o, 2, 1, 0, 0, 4, 2},
		{"( z1 z2 -- z3 )", Options{}, 2, 1, 0, 0, 0, 0},
		{"( r z -- d )", o, 2, 2, 0, 0, 3, 0},
		{"( D: x n -- D: y )", Options{DoubleMarker: true}, 3, 2, 0, 0, 0, 0},
		{"( D: x n -- D: y )", Options{}, 2, 1, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		e, err := tt.opts.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		c := func(e Effect, out bool, s Stack) int { n, _ := e.Count(out, s); return n }
		got := []int{c(e, false, Data), c(e, true, Data), c(e, false, Float), c(e, true, Float)}
		f := e.FloatsByName()
		got = append(got, c(f, false, Float), c(f, true, Float))
		want := []int{tt.din, tt.dout, tt.fin, tt.fout, tt.floatsIn, tt.floatsOutByName}
		if !slices.Equal(got, want) {
			t.Errorf("%+v Parse(%q): counts %v, want %v", tt.opts, tt.in, got, want)
		}
	}
}

// TestShort: an effect prints in full up to ShortItems items a stack
// picture, and past it as its first and last items around "…", so that a
// message about an effect of hundreds of items stays short.
func TestShort(t *testing.T) {
	small, err := Parse("( a b -- c ) ( R: x -- )")
	if err != nil {
		t.Fatal(err)
	}
	if small.Short() != small.String() {
		t.Errorf("Short %q, String %q", small.Short(), small.String())
	}
	var out []string
	for i := range 300 {
		out = append(out, fmt.Sprintf("x%d", i+1))
	}
	big, err := Parse("( a -- " + strings.Join(out, " ") + " )")
	if err != nil {
		t.Fatal(err)
	}
	want := "( a -- " + strings.Join(out[:ShortItems*3/4], " ") + " … " + strings.Join(out[300-ShortItems/4:], " ") + " )"
	if got := big.Short(); got != want {
		t.Errorf("Short:\n%s\nwant\n%s", got, want)
	}
	if got := big.String(); !strings.Contains(got, "x150 x151") {
		t.Errorf("String leaves items out: %s", got)
	}
}
