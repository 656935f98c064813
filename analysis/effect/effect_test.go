package effect

import "testing"

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
