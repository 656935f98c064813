package patterns

import (
	"fmt"
	"strings"
	"testing"
)

func TestSetupFields(t *testing.T) {
	cases := []struct{ setup, want string }{
		{"begin-structure r% field: r-w field: r-h end-structure create r1 3 , 4 ,", "[{r-w @} {r-h @}]"},
		{"begin-structure p cfield: p-tag field: p-v end-structure", "[{p-tag c@} {p-v @}]"},
		{"begin-structure p 2 cells +field p-xy end-structure", "[]"},
		{"begin-structure p ffield: p-f end-structure", "[]"},
		{"create buf 10 allot", "[]"},
		{"begin-structure a field: a-x end-structure begin-structure b field: b-y end-structure", "[{a-x @}]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(setupFields(c.setup)); got != c.want {
			t.Errorf("%q: got %s, want %s", c.setup, got, c.want)
		}
	}
	if got := unpack([]setupField{{"x", "@"}, {"y", "c@"}, {"z", "@"}}); got != ">r r@ x @ r@ y c@ r> z @" {
		t.Errorf("unpack: %s", got)
	}
}

// TestFieldSynthesis generates words on records of a setup's structure:
// the fields are fetched with the setup's words and the rest is
// synthesized; the answer passes the examples it was not shown.
func TestFieldSynthesis(t *testing.T) {
	const setup = `begin-structure rect% field: rect-w field: rect-h end-structure\ncreate r1 3 , 4 ,\ncreate r2 10 , 0 ,\ncreate r3 7 , 7 ,\ncreate r4 2 , 9 ,`
	cases := []struct {
		spec, check, want string
	}{
		{`{"name":"area","effect":"( rect -- n )","description":"the area of a rectangle record","setup":"` + setup + `","examples":[{"inputs":["r1"],"outputs":[12]},{"inputs":["r2"],"outputs":[0]},{"inputs":["r3"],"outputs":[49]}]}`,
			"r4 area", "18"},
		{`{"name":"wider","effect":"( rect1 rect2 -- flag )","description":"true when the first rectangle is wider than the second","setup":"` + setup + `","examples":[{"inputs":["r1","r2"],"outputs":[0]},{"inputs":["r2","r1"],"outputs":[-1]},{"inputs":["r3","r3"],"outputs":[0]},{"inputs":["r3","r4"],"outputs":[-1]}]}`,
			"r4 r1 wider", "0"},
	}
	l := Builtin()
	for _, c := range cases {
		s, err := ParseSpec([]byte(c.spec))
		if err != nil {
			t.Fatal(err)
		}
		r := l.Generate(s)
		if !r.OK {
			t.Errorf("%s: not ok: %v", s.Name, r.Verification.Problems)
			continue
		}
		if !strings.Contains(r.Code, "rect-w @") {
			t.Errorf("%s: does not fetch the fields:\n%s", s.Name, r.Code)
		}
		set := prepareExamples(s)
		m, err := set.load(r.Code)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Eval(c.check); err != nil || fmt.Sprint(m.Stack()) != "["+c.want+"]" {
			t.Errorf("%s: %s gives %v %v, want %s\n%s", s.Name, c.check, m.Stack(), err, c.want, r.Code)
		}
	}
}

func TestNotGforthWord(t *testing.T) {
	cases := map[string]string{
		": f 10 buffer: b ;":                      "buffer:",
		"\\ it holds anything\n: f ( n -- n ) ;":  "",
		": f ( holds -- ) .\" +to holds\" ;":      "",
		": f s\" a holds b\" 2drop 5 +TO x ;":     "+TO",
		": f .( holds) ;":                         "",
		": f ( a ( b -- ) holds ;":                "holds",
		": f [: 1 ;] execute ;":                   "[:",
		": f ( c-addr u -- ) type ; \\ {: a :}\n": "",
	}
	for code, want := range cases {
		if got := notGforthWord(code); got != want {
			t.Errorf("%q: got %q, want %q", code, got, want)
		}
	}
}

func TestAllDoubles(t *testing.T) {
	cases := map[string]bool{
		"( d1 d2 -- d3 )": true, "( d -- d' )": true, "( ud -- ud )": true,
		"( d -- flag )": false, "( n -- d )": false, "( -- )": false, "( d1 d2 -- d3 | d4 )": true,
	}
	for eff, want := range cases {
		if got := allDoubles(eff); got != want {
			t.Errorf("%s: %v", eff, got)
		}
	}
}

// TestFieldStore generates words that store their values into a record's
// fields, observed by the examples' after code; when the examples cannot
// tell two assignments apart (records that hold zeros, equal values),
// nothing is given.
func TestFieldStore(t *testing.T) {
	const setup = `begin-structure pt% field: pt-x field: pt-y end-structure\ncreate p1 0 , 0 ,\ncreate p2 7 , 8 ,\ncreate p3 1 , 1 ,`
	cases := []struct {
		name, examples, check, want string // want "" for no answer
	}{
		{"set", `[{"inputs":[3,4,"p1"],"after":"p1 pt-x @ p1 pt-y @","outputs":[3,4]},{"inputs":[-1,0,"p2"],"after":"p2 pt-x @ p2 pt-y @","outputs":[-1,0]}]`,
			"5 6 p3 set p3 pt-x @ p3 pt-y @", "5 6"},
		{"move", `[{"inputs":[3,4,"p2"],"after":"p2 pt-x @ p2 pt-y @","outputs":[10,12]},{"inputs":[1,-1,"p3"],"after":"p3 pt-x @ p3 pt-y @","outputs":[2,0]}]`,
			"1 2 p1 move p1 pt-x @ p1 pt-y @", "1 2"},
		{"sety", `[{"inputs":[9,"p2"],"after":"p2 pt-y @ p2 pt-x @","outputs":[9,7]}]`,
			"4 p3 sety p3 pt-x @ p3 pt-y @", "1 4"},
		// Zeroed record, equal values: ! and +!, any field to any
		// value, all pass.
		{"vague", `[{"inputs":[2,2,2,"q1"],"after":"q1 q-a @ q1 q-b @ q1 q-c @","outputs":[2,2,2]}]`, "", ""},
	}
	l := Builtin()
	for _, c := range cases {
		eff, set := "( x y pt -- )", setup
		switch c.name {
		case "sety":
			eff = "( y pt -- )"
		case "vague":
			eff, set = "( a b c q -- )", `begin-structure q% field: q-a field: q-b field: q-c end-structure\ncreate q1 0 , 0 , 0 ,`
		}
		s, err := ParseSpec([]byte(`{"name":"` + c.name + `","effect":"` + eff + `","setup":"` + set + `","examples":` + c.examples + `}`))
		if err != nil {
			t.Fatal(err)
		}
		r := l.Generate(s)
		if c.want == "" {
			if r.OK {
				t.Errorf("%s: ok, want nothing:\n%s", c.name, r.Code)
			}
			continue
		}
		if !r.OK {
			t.Errorf("%s: not ok: %v", c.name, r.Verification.Problems)
			continue
		}
		m, err := prepareExamples(s).load(r.Code)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Eval(c.check); err != nil || fmt.Sprint(m.Stack()) != "["+c.want+"]" {
			t.Errorf("%s: %s gives %v (%v), want %s\n%s", c.name, c.check, m.Stack(), err, c.want, r.Code)
		}
	}
}
