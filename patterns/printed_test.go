package patterns

import (
	"fmt"
	"strings"
	"testing"
)

// TestPrintedReadings: a printing spec's texts read as fields among
// fixed text, a run of a character, or one of two messages, with the
// code that prints what the word leaves.
func TestPrintedReadings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		texts  []string
		strs   []string
		width  bool
		outs   string // each example's fields, first printed on top
		suffix string // "" when the texts have no such reading
	}{
		{"brackets", []string{"[5]", "[-12]"}, nil, false, "[[5] [-12]]", ` ." [" 0 .r ." ]"`},
		{"dot", []string{"5 6 ", "7 8 "}, nil, false, "[[6 5] [8 7]]", " . ."},
		{"lines", []string{"1\n2\n", "3\n4\n"}, nil, false, "[[2 1] [4 3]]", " 0 .r cr 0 .r cr"},
		{"fraction", []string{"3/4", "-1/2"}, nil, false, "[[4 3] [2 -1]]", ` 0 .r ." /" 0 .r`},
		{"other text", []string{"[5]", "(5)"}, nil, false, "", ""},
		{"no number", []string{"yes", "no"}, nil, false, "", ""},
		// Digits against letters are text, not numbers.
		{"letters", []string{"x2=4", "x2=9"}, nil, false, "[[4] [9]]", ` ." x2=" 0 .r`},
		{"string", []string{"Hello, Bob!", "Hello, Ann!"}, []string{"Bob", "Ann"}, false, `[["Bob"] ["Ann"]]`, ` ." Hello, " type ." !"`},
		{"zero-padded", []string{"09:05", "23:59"}, nil, false, "[[5 9] [59 23]]", " 0 <# # #s #> type .\" :\" 0 <# # #s #> type"},
		{"padded and not", []string{"09", "123"}, nil, false, "[[9] [123]]", " 0 <# # #s #> type"},
		{"padded too short", []string{"09", "5"}, nil, false, "", ""},
		{"right-aligned", []string{"    1    2", "  100   -3"}, nil, true, "[[2 1] [-3 100]]", " 5 .r 5 .r"},
		{"full field", []string{"  7", "123"}, nil, true, "[[7] [123]]", " 3 .r"},
		{"no width", []string{"[5]", "[6]"}, nil, true, "", ""},
		// A number beyond a cell is a double, printed with D.
		{"double", []string{"18446744073709551616 ", "5 "}, nil, false, "", ""},
		{"doubles", []string{"18446744073709551616 ", "18446744073709551617 "}, nil, false, "[[18446744073709551616.] [18446744073709551617.]]", " d."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outs, _, suffix, ok := fieldsTemplate(tc.texts, tc.strs, tc.width, false)
			if !ok {
				if tc.suffix != "" {
					t.Fatalf("no reading, want %q", tc.suffix)
				}
				return
			}
			if suffix != tc.suffix || fmt.Sprint(outs) != tc.outs {
				t.Errorf("%v %q, want %s %q", outs, suffix, tc.outs, tc.suffix)
			}
		})
	}
}

func TestRunTemplate(t *testing.T) {
	for _, tc := range []struct {
		texts  []string
		outs   string
		suffix string
	}{
		{[]string{"---\n", "\n", "-----\n"}, "[[3] [0] [5]]", " 0 ?do [char] - emit loop cr"},
		{[]string{"*", "***"}, "[[1] [3]]", " 0 ?do [char] * emit loop"},
		{[]string{"a: **", "a: *"}, "[[2] [1]]", ` ." a: " 0 ?do [char] * emit loop`},
		{[]string{"**", "**"}, "", ""},     // the same length: no count to leave
		{[]string{"*-*", "*"}, "", ""},     // two runs
		{[]string{"**\n", "*x\n"}, "", ""}, // other text after
	} {
		outs, suffix, ok := runTemplate(tc.texts)
		if !ok {
			if tc.suffix != "" {
				t.Errorf("%q: no reading, want %q", tc.texts, tc.suffix)
			}
			continue
		}
		if suffix != tc.suffix || fmt.Sprint(outs) != tc.outs {
			t.Errorf("%q: %v %q, want %s %q", tc.texts, outs, suffix, tc.outs, tc.suffix)
		}
	}
}

func TestTwoMessages(t *testing.T) {
	for _, tc := range []struct {
		texts  []string
		outs   string
		suffix string
	}{
		{[]string{"yes", "no", "yes"}, "[[-1] [0] [-1]]", ` if ." yes" else ." no" then`},
		{[]string{"odd\n", ""}, "[[-1] [0]]", ` if ." odd" cr then`},
		{[]string{"", "even"}, "[[-1] [0]]", ` 0= if ." even" then`},
		{[]string{"a", "b", "c"}, "", ""},
		{[]string{"a", "a"}, "", ""},
		{[]string{"A=65", "z=122"}, "", ""}, // numbers: not messages
	} {
		outs, suffix, ok := twoMessages(tc.texts)
		if !ok {
			if tc.suffix != "" {
				t.Errorf("%q: no reading, want %q", tc.texts, tc.suffix)
			}
			continue
		}
		if suffix != tc.suffix || fmt.Sprint(outs) != tc.outs {
			t.Errorf("%q: %v %q, want %s %q", tc.texts, outs, suffix, tc.outs, tc.suffix)
		}
	}
}

// TestGenerateNewRoutes: printing words, guards, record updates, hints
// that count once, string inputs in the evaluator. Each answer passes
// further examples the generator did not see (check, after the word).
func TestGenerateNewRoutes(t *testing.T) {
	l := Builtin()
	const pt = `begin-structure pt% field: pt-x field: pt-y end-structure\ncreate p1 1 , 2 ,\ncreate p2 -5 , 0 ,\ncreate p3 9 , 4 ,`
	for _, tc := range []struct {
		name, spec string
		check      string // Forth run after the code: leaves the expected
		want       string // stack, or the printed text (printing words)
		code       string // in the code, when set
	}{
		{"brackets", `{"name":"b","effect":"( n -- )","description":"print a number in square brackets","examples":[{"inputs":[5],"printed":"[5]"},{"inputs":[-12],"printed":"[-12]"}]}`,
			"77 b", "[77]", `." [" 0 .r ." ]"`},
		{"yes-no", `{"name":"yn","effect":"( flag -- )","description":"print yes when the flag is true, else no","examples":[{"inputs":[-1],"printed":"yes"},{"inputs":[0],"printed":"no"}]}`,
			"1 yn", "yes", "if"},
		{"dashes", `{"name":"dashes","effect":"( n -- )","description":"print n dashes, then a newline","examples":[{"inputs":[3],"printed":"---\n"},{"inputs":[0],"printed":"\n"},{"inputs":[5],"printed":"-----\n"}]}`,
			"2 dashes", "--\n", "?do"},
		{"greet", `{"name":"greet","effect":"( c-addr u -- )","description":"greet someone by name","examples":[{"inputs":[{"string":"Bob"}],"printed":"Hello, Bob!"},{"inputs":[{"string":"Ann"}],"printed":"Hello, Ann!"}]}`,
			`s" Zed" greet`, "Hello, Zed!", "type"},
		{"hhmm", `{"name":".hm","effect":"( h m -- )","description":"print hours and minutes, two digits each","examples":[{"inputs":[9,5],"printed":"09:05"},{"inputs":[23,59],"printed":"23:59"}]}`,
			"7 30 .hm", "07:30", "<#"},
		// A guard and a rest, each short.
		{"index", `{"name":"ix","effect":"( i n -- i )","description":"leave i when 0 <= i < n, else throw -9","examples":[{"inputs":[0,5],"outputs":[0]},{"inputs":[4,5],"outputs":[4]},{"inputs":[5,5],"throws":-9},{"inputs":[-1,5],"throws":-9}]}`,
			"2 3 ix", "2", "throw then"},
		// A string's guard tests its length.
		{"nonempty", `{"name":"ne","effect":"( c-addr u -- c-addr u )","description":"pass a string through, throw -24 when it is empty","examples":[{"inputs":[{"string":"ab"}],"outputs":[{"string":"ab"}]},{"inputs":[{"string":""}],"throws":-24}]}`,
			`s" xyz" ne nip`, "3", "dup 0= if -24 throw then"},
		// "add" counts once: m+ alone, not over + m+.
		{"d+n", `{"name":"dn+","effect":"( d n -- d' )","description":"add a single-cell number to a double-cell number","examples":[{"inputs":[1,0,2],"outputs":[3,0]},{"inputs":[-1,0,1],"outputs":[0,1]},{"inputs":[5,0,-10],"outputs":[-5,-1]}]}`,
			"0 1 -1 dn+", "-1 0", "m+ ;"},
		// "an unsigned double" names a size, not 2*.
		{"um*", `{"name":"uw*","effect":"( u1 u2 -- ud )","description":"the unsigned product of two unsigned numbers as an unsigned double","examples":[{"inputs":[3,4],"outputs":[12,0]},{"inputs":[-1,2],"outputs":[-2,1]},{"inputs":[0,99],"outputs":[0,0]}]}`,
			"4294967296 4294967296 uw*", "0 1", "um* ;"},
		// Swapping a record's fields: their new values from the old.
		{"swap fields", `{"name":"swap-xy","effect":"( pt -- )","description":"exchange the fields pt-x and pt-y of a point","setup":"` + pt + `","examples":[{"inputs":["p1"],"after":"p1 pt-x @ p1 pt-y @","outputs":[2,1]},{"inputs":["p2"],"after":"p2 pt-x @ p2 pt-y @","outputs":[0,-5]}]}`,
			"p3 swap-xy p3 pt-x @ p3 pt-y @", "4 9", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSpec([]byte(tc.spec))
			if err != nil {
				t.Fatal(err)
			}
			r := l.Generate(s)
			if !r.OK {
				t.Fatalf("not ok: %v %v", r.Errors, r.Verification.Problems)
			}
			if tc.code != "" && !strings.Contains(r.Code, tc.code) {
				t.Errorf("code without %q:\n%s", tc.code, r.Code)
			}
			m, err := prepareExamples(s).load(r.Code)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Eval(tc.check); err != nil {
				t.Fatalf("%s: %v\n%s", tc.check, err, r.Code)
			}
			got := strings.Trim(fmt.Sprint(m.Stack()), "[]")
			if s.Examples[0].Printed != nil {
				got = m.Output()
			}
			if got != tc.want {
				t.Errorf("%s: %q, want %q\n%s", tc.check, got, tc.want, r.Code)
			}
		})
	}
}

// TestShiftedSetup: code that passes because a setup word's execution
// token or address happens to be even is not taken.
func TestShiftedSetup(t *testing.T) {
	s, err := ParseSpec([]byte(`{"name":"throws?","effect":"( xt -- flag )","description":"true when running xt throws","setup":": w-ok ; : w-bad 3 throw ;\n' w-ok constant xt-ok ' w-bad constant xt-bad","examples":[{"inputs":["xt-ok"],"outputs":[0]},{"inputs":["xt-bad"],"outputs":[-1]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	set := prepareExamples(s)
	// Whatever the numbers are, one of "1 and 0<>" and "1 and 0=" fits
	// the examples by chance in one place and not in the other.
	for _, body := range []string{"1 and 0<>", "1 and 0=", "2 and 0<>", "2 and 0="} {
		code := ": throws? ( xt -- flag ) " + body + " ;"
		m, err := set.load(code)
		if err != nil {
			t.Fatal(err)
		}
		_, passed := set.run(m, true)
		_, _, ok := set.checkShifted(code)
		if passed == len(set.cases) && ok {
			t.Errorf("%q passes where the setup's words are and where they are not", body)
		}
	}
	// Code that does not look at the numbers passes in both.
	code := ": throws? ( xt -- flag ) catch 0<> ;"
	m, err := set.load(code)
	if err != nil {
		t.Fatal(err)
	}
	if _, passed := set.run(m, true); passed != len(set.cases) {
		t.Fatalf("catch 0<> fails")
	}
	if _, _, ok := set.checkShifted(code); !ok {
		t.Errorf("catch 0<> fails with the setup's words elsewhere")
	}
}

func TestNumbersIn(t *testing.T) {
	for text, want := range map[string]string{
		"3n+1":              "[3 1]",
		"n/2 when even":     "[2]",
		"a 2D vector":       "[2]",
		"between 10 and -5": "[10 -5]",
		"1.5e0 and 2e0":     "[1.5e0 2e0]",
		"no numbers at all": "[]",
	} {
		if got := fmt.Sprint(numbersIn(text)); got != want {
			t.Errorf("%q: %s, want %s", text, got, want)
		}
	}
}

func TestHintGroups(t *testing.T) {
	h := hintsOf("add a number to a double-cell number")
	for _, tc := range []struct {
		prog []string
		want int
	}{
		{[]string{"m+"}, 1},
		{[]string{"over", "+", "m+"}, 1}, // + and m+ answer the same word
		{[]string{"swap"}, 0},
	} {
		if got := h.affinityOf(tc.prog); got != tc.want {
			t.Errorf("%v: %d, want %d", tc.prog, got, tc.want)
		}
	}
	// "as an unsigned double" names a size: it suggests no 2*.
	if h := hintsOf("the product as an unsigned double"); h.words["2*"] || !h.words["um*"] {
		t.Errorf("unsigned double: %v", h.words)
	}
	// "sum of the squares": the phrase counts twice when said twice.
	h = hintsOf("sum of the squares")
	if a, b := h.affinityOf(strings.Fields("dup * swap dup * +")), h.affinityOf(strings.Fields("+ dup * 1+ 2/")); a <= b {
		t.Errorf("squares: %d, not above %d", a, b)
	}
}

func TestDescChars(t *testing.T) {
	for _, tc := range []struct{ eff, desc, want string }{
		{"( n -- char )", "the character - for a negative number, + otherwise", "-+"},
		{"( n -- c )", "'*' when n is odd", "*"},
		{"( n -- m )", "the character - for a negative number", ""},
	} {
		if got := string(descChars(&Spec{Effect: tc.eff, Description: tc.desc})); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.desc, got, tc.want)
		}
	}
}

// TestPrintedSequence: a word that prints f(i) over a range n bounds.
func TestPrintedSequence(t *testing.T) {
	l := Builtin()
	for _, tc := range []struct{ name, examples, check, want string }{
		{"squares", `[{"inputs":[3],"printed":"1 4 9 "},{"inputs":[1],"printed":"1 "},{"inputs":[0],"printed":""}]`, "4", "1 4 9 16 "},
		{"evens", `[{"inputs":[3],"printed":"0,2,4\n"},{"inputs":[1],"printed":"0\n"}]`, "4", "0,2,4,6\n"},
		{"down", `[{"inputs":[3],"printed":"30 20 10 "},{"inputs":[1],"printed":"10 "}]`, "2", "20 10 "},
	} {
		s, err := ParseSpec([]byte(`{"name":"seq","effect":"( n -- )","description":"print a sequence (ten times the index going down)","examples":` + tc.examples + `}`))
		if err != nil {
			t.Fatal(err)
		}
		r := l.Generate(s)
		if !r.OK {
			t.Errorf("%s: not ok: %v", tc.name, r.Verification.Problems)
			continue
		}
		m, err := prepareExamples(s).load(r.Code)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Eval(tc.check + " seq"); err != nil || m.Output() != tc.want {
			t.Errorf("%s: %q (%v), want %q\n%s", tc.name, m.Output(), err, tc.want, r.Code)
		}
	}
}

func TestOneChar(t *testing.T) {
	for _, tc := range []struct {
		texts  []string
		outs   string
		suffix string
	}{
		{[]string{"A", "b"}, "[[65] [98]]", " emit"},
		{[]string{"*\n", "-\n"}, "[[42] [45]]", " emit cr"},
		{[]string{"A", "bc"}, "", ""},
		{[]string{"A\n", "b"}, "", ""},
	} {
		outs, suffix, ok := oneChar(tc.texts)
		if ok != (tc.suffix != "") || ok && (suffix != tc.suffix || fmt.Sprint(outs) != tc.outs) {
			t.Errorf("%q: %v %q %v, want %s %q", tc.texts, outs, suffix, ok, tc.outs, tc.suffix)
		}
	}
}

// TestFieldConstruct: a constructor of the setup's structure stores its
// values into the fields the examples observe.
func TestFieldConstruct(t *testing.T) {
	const setup = `begin-structure date% field: d-year cfield: d-month cfield: d-day end-structure`
	s, err := ParseSpec([]byte(`{"name":"new-date","effect":"( day month year -- date )","description":"a new date record","setup":"` + setup + `","examples":[` +
		`{"inputs":[7,3,2024],"after":"dup d-year @ over d-month c@ rot d-day c@","outputs":[2024,3,7]},` +
		`{"inputs":[25,12,1999],"after":"dup d-year @ over d-month c@ rot d-day c@","outputs":[1999,12,25]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r := Builtin().Generate(s)
	if !r.OK {
		t.Fatalf("not ok: %v", r.Verification.Problems)
	}
	m, err := prepareExamples(s).load(r.Code)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Eval("1 2 2000 new-date dup d-year @ over d-month c@ rot d-day c@"); err != nil || fmt.Sprint(m.Stack()) != "[2000 2 1]" {
		t.Errorf("%v %v\n%s", m.Stack(), err, r.Code)
	}
}

// TestStringChoices: a word that leaves one of two texts leaves a flag
// first; one of three, an index (each assignment tried).
func TestStringChoices(t *testing.T) {
	spec := func(outs ...string) *Spec {
		var exs []string
		for i, o := range outs {
			exs = append(exs, fmt.Sprintf(`{"inputs":[%d],"outputs":[{"string":%q}]}`, i, o))
		}
		s, err := ParseSpec([]byte(`{"name":"w","effect":"( n -- c-addr u )","examples":[` + strings.Join(exs, ",") + `]}`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sh, _ := ParseShape("( n -- c-addr u )")
	rs := stringChoices(spec("even", "odd", "even"), sh)
	if len(rs) != 1 || rs[0].suffix != ` if s" even" else s" odd" then` || fmt.Sprint(rs[0].s.Examples[1].Outputs) != "[0]" {
		t.Errorf("two texts: %+v", rs)
	}
	rs = stringChoices(spec("neg", "zero", "pos"), sh)
	if len(rs) != 6 || !strings.Contains(rs[0].suffix, `dup 0= if drop s" neg" else 1 = if s" zero" else s" pos" then then`) {
		t.Errorf("three texts: %d %q", len(rs), rs[0].suffix)
	}
	if rs := stringChoices(spec("a", "b", "c", "d"), sh); rs != nil {
		t.Errorf("four texts: %d readings", len(rs))
	}
}
