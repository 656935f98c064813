package patterns

import (
	"math"
	"strings"
	"testing"
)

func TestFloatsNear(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		a, b float64
		want bool
	}{
		{1.5, 1.5, true}, {1, 1 + 1e-12, true}, {1, 1.001, false}, {0, 0, true}, {0, 1e-300, false},
		{inf, inf, true}, {1.5, -inf, false}, {-inf, inf, false}, {math.NaN(), math.NaN(), true}, {math.NaN(), 1, false},
	} {
		if got := floatsNear(tc.a, tc.b); got != tc.want {
			t.Errorf("floatsNear(%v, %v) = %v", tc.a, tc.b, got)
		}
	}
}

// TestExampleLine: each kind of example becomes a test line that passes
// when the word does what the example says.
func TestExampleLine(t *testing.T) {
	n := func(i int) *int { return &i }
	s := func(x string) *string { return &x }
	for _, tc := range []struct {
		ex   Example
		want string
	}{
		{Example{Inputs: Values{Tok("3")}, Outputs: Values{Tok("9")}}, "T{ 3 sq -> 9 }T"},
		{Example{Inputs: Values{Str("ab")}, Outputs: Values{Str("ba")}}, `T{ s" ab" sq 1 roll 1 roll s" ba" compare -> 0 }T`},
		{Example{Inputs: Values{Str("ab")}, Outputs: Values{Str("ba"), Tok("2")}}, `T{ s" ab" sq 2 roll 2 roll s" ba" compare -> 2 0 }T`},
		{Example{Inputs: Values{Tok("1"), Tok("0")}, Throws: n(-10)}, "T{ 1 0 ' sq catch nip nip -> -10 }T"},
		{Example{Inputs: Values{Tok("3")}, Printed: s("***")}, `T{ 3 tests-out{ sq }tests-out s" ***" compare -> 0 }T`},
		{Example{Inputs: Values{Tok("buf")}, After: "buf @", Outputs: Values{Tok("6")}}, "T{ buf sq buf @ -> 6 }T"},
		{Example{Inputs: Values{Tok("1e0")}, Outputs: Values{Tok("2e0")}}, "T{ 1e0 sq 2e0 tests-f~ -> true }T"},
		{Example{Parse: "foo", Outputs: Values{}}, "T{ sq foo -> }T"},
	} {
		if got := exampleLine("sq", &tc.ex); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// TestGenerateRoutes: how each kind of spec is answered, and that nothing
// is ok that the examples do not decide.
func TestGenerateRoutes(t *testing.T) {
	l := Builtin()
	for _, tc := range []struct {
		name, spec string
		ok         bool
		route      string
		problem    string // in the verification's problems when not ok
	}{
		// The example: square, not the integer square root.
		{"square", `{"name":"sq","effect":"( n -- n*n )","description":"square a number","examples":[{"inputs":[3],"outputs":[9]}]}`, true, "pattern", ""},
		// Cube is not square: the examples decide.
		{"cube", `{"name":"cube","effect":"( n -- n3 )","description":"cube a number","examples":[{"inputs":[3],"outputs":[27]},{"inputs":[-2],"outputs":[-8]}]}`, true, "synthesized", ""},
		// One example, nothing said: nip, *, max... all pass it.
		{"undecided", `{"name":"f","effect":"( a b -- c )","examples":[{"inputs":[1,2],"outputs":[2]}]}`, false, "", "the examples do not decide"},
		// The description decides between them.
		{"described", `{"name":"f","effect":"( a b -- c )","description":"drop the second item","examples":[{"inputs":[1,2],"outputs":[2]}]}`, true, "synthesized", ""},
		// Examples that contradict each other: nothing fits.
		{"contradiction", `{"name":"f","effect":"( n -- m )","examples":[{"inputs":[1],"outputs":[2]},{"inputs":[1],"outputs":[3]}]}`, false, "", "no pattern"},
		{"throws", `{"name":"f","effect":"( a b -- q )","description":"divide, THROW -10 on a zero divisor","examples":[{"inputs":[7,2],"outputs":[3]},{"inputs":[1,0],"throws":-10}]}`, true, "", ""},
		{"string", `{"name":"slen","effect":"( c-addr u -- u )","description":"the length of a string","examples":[{"inputs":[{"string":"hello"}],"outputs":[5]},{"inputs":[{"string":""}],"outputs":[0]}]}`, true, "synthesized", ""},
		{"composed", `{"name":"rev","effect":"( c-addr u -- c-addr u )","description":"reverse a string in place","examples":[{"inputs":[{"string":"abc"}],"outputs":[{"string":"cba"}]}]}`, true, "composed", ""},
		{"memory", `{"name":"bump","effect":"( addr -- )","description":"add one to the variable at addr","setup":"variable counter 5 counter !","examples":[{"inputs":["counter"],"after":"counter @","outputs":[6]}]}`, true, "", ""},
		{"no examples", `{"name":"sq","effect":"( n -- n*n )","description":"square a number"}`, true, "pattern", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSpec([]byte(tc.spec))
			if err != nil {
				t.Fatal(err)
			}
			r := l.Generate(s)
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %v", r.Errors)
			}
			if r.OK != tc.ok || tc.route != "" && r.Route != tc.route {
				t.Fatalf("ok %v route %q, want %v %q\n%s\n%+v", r.OK, r.Route, tc.ok, tc.route, r.Code, r.Verification)
			}
			if !r.OK {
				if r.Tests != "" || r.Route != "" {
					t.Errorf("not ok but tests or a route: %q %q", r.Tests, r.Route)
				}
				if !strings.Contains(strings.Join(r.Verification.Problems, "; "), tc.problem) {
					t.Errorf("problems %v, want %q", r.Verification.Problems, tc.problem)
				}
				return
			}
			want := "examples"
			if len(s.Examples) == 0 {
				want = "effect-only"
			}
			if r.Checked != want {
				t.Errorf("checked %q, want %q", r.Checked, want)
			}
			for _, e := range r.Examples {
				if !e.Pass {
					t.Errorf("ok with a failing example: %+v", e)
				}
			}
			// The emitted tests pass in the machine.
			rep := l.Run(t.Context(), DefaultRunner, r)
			if !rep.Ran && len(s.Examples) > 0 || rep.Failed != 0 || !r.OK {
				t.Errorf("emitted tests: %+v\n%s\n%s", rep, r.Code, r.Tests)
			}
		})
	}
}

// TestDoubleNameHint: a count that differs because an item is named as a
// double cell says so.
func TestDoubleNameHint(t *testing.T) {
	s, _ := ParseSpec([]byte(`{"name":"f","effect":"( a b -- d )","examples":[{"inputs":[1,2],"outputs":[3]}]}`))
	_, errs := Builtin().Validate(s)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "d names a double cell") {
		t.Errorf("%v", errs)
	}
}

// TestMachineSynthEffects: the machine synthesis knows the effect of
// every word of its alphabet.
func TestMachineSynthEffects(t *testing.T) {
	for _, w := range msynthWords {
		if _, ok := msynthEffects[w]; !ok {
			t.Errorf("%s: no effect", w)
		}
	}
}
