package patterns

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

// testLib is the library of testdata/*.forth-patterns.
func testLib(t testing.TB) *Library {
	t.Helper()
	l := LoadFS(os.DirFS("testdata"), ".")
	if len(l.Diagnostics) > 0 {
		t.Fatalf("testdata: %v", l.Diagnostics)
	}
	if l.Len() != 3 {
		t.Fatalf("testdata has %d patterns, want 3", l.Len())
	}
	return l
}

func TestParseTestdata(t *testing.T) {
	l := testLib(t)
	p := l.Get("test-sum-range-001")
	if p == nil {
		t.Fatal("test-sum-range-001 missing")
	}
	if p.Category != "testing" || p.Name != "Sum of an index range" || p.Effect != "( hi lo -- sum )" || p.Line != 20 {
		t.Errorf("header fields: %+v", p)
	}
	if got := strings.Join(p.Tags, ","); got != "loop,sum,range,do,accumulate" {
		t.Errorf("tags %q", got)
	}
	if len(p.Params) != 3 || p.Params[1] != (Param{"op", TypeWord, "+", "how each index is combined into the sum"}) {
		t.Errorf("params %+v", p.Params)
	}
	if p.Counts() != (Counts{In: 2, Out: 1}) {
		t.Errorf("counts %+v", p.Counts())
	}
	if !strings.HasPrefix(p.Code, ": {{.name}} ( hi lo -- sum )\n") || !strings.HasSuffix(p.Tests, "}T") {
		t.Errorf("code %q tests %q", p.Code, p.Tests)
	}
	if c, ok := l.Category("testing"); !ok || c.Title != "Test patterns" {
		t.Errorf("category %+v", c)
	}
	if got := len(l.ByCategory("testing")); got != 3 {
		t.Errorf("ByCategory: %d", got)
	}
}

// TestParseErrors: every malformed file gives a diagnostic naming the
// line, the pattern and the parameter, and never a panic.
func TestParseErrors(t *testing.T) {
	const head = "category: c\ntitle: C\nsummary: s\n"
	good := "pattern: c-ok-001\nname: N\ntags: t\ndescription: D\neffect: ( n -- n )\nparam: name name w the word\ncode:\n: {{.name}} ( n -- n ) ;\ntests:\nT{ 1 {{.name}} -> 1 }T\nend\n"
	tests := []struct {
		name, src string
		line      int
		pattern   string
		param     string
		msg       string
	}{
		{"no category", "pattern: c-a-001\nend\n", 0, "", "", "no category"},
		{"bad id", head + "pattern: Bad\nend\n", 4, "Bad", "", "pattern ID"},
		{"bad type", head + "pattern: c-a-001\nparam: x float 1 doc\nend\n", 5, "c-a-001", "x", "unknown type"},
		{"bad number default", head + "pattern: c-a-001\nparam: n number ten doc\nend\n", 5, "c-a-001", "n", "not a signed decimal"},
		{"bad name default", head + "pattern: c-a-001\nparam: name name 12 doc\nend\n", 5, "c-a-001", "name", "reads as a number"},
		{"missing name param", head + strings.Replace(good, "param: name name w the word\n", "", 1), 4, "c-ok-001", "name", "parameter called name"},
		{"bad effect", head + strings.Replace(good, "( n -- n )\nparam", "( i*x -- n )\nparam", 1), 8, "c-ok-001", "", "not fixed"},
		{"inputs with alternatives", head + strings.Replace(good, "( n -- n )\nparam", "( n | n n -- n )\nparam", 1), 8, "c-ok-001", "", "inputs must be one fixed list"},
		{"undeclared template field", head + strings.Replace(good, "( n -- n ) ;", "( n -- n ) {{.op}} ;", 1), 4, "c-ok-001", "", "code template"},
		{"template syntax", head + strings.Replace(good, "( n -- n ) ;", "( n -- n ) {{.name ;", 1), 4, "c-ok-001", "", "code template"},
		{"no tests", head + strings.Replace(good, "T{ 1 {{.name}} -> 1 }T\n", "", 1), 4, "c-ok-001", "", "tests:"},
		{"no end", head + strings.Replace(good, "end\n", "", 1), 4, "c-ok-001", "", "no end line"},
		{"unknown key", head + strings.Replace(good, "tags: t\n", "tags: t\ncolour: red\n", 1), 7, "c-ok-001", "", "unknown key"},
		{"duplicate key", head + strings.Replace(good, "tags: t\n", "tags: t\ntags: u\n", 1), 7, "c-ok-001", "", "given twice"},
		{"duplicate param", head + strings.Replace(good, "the word\n", "the word\nparam: name name v again\n", 1), 10, "c-ok-001", "name", "declared twice"},
		{"not key value", head + "just text\n", 4, "", "", "key: value"},
		{"duplicate pattern", head + good + good, 15, "c-ok-001", "", "defined again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := &Library{byID: map[string]*Pattern{}}
			l.addFile("f.forth-patterns", []byte(tc.src), true, map[string]Category{})
			for _, d := range l.Diagnostics {
				if d.Line == tc.line && d.Pattern == tc.pattern && d.Param == tc.param && strings.Contains(d.Message, tc.msg) {
					if !strings.HasPrefix(d.Error(), "f.forth-patterns") {
						t.Errorf("Error() %q does not start with the file", d.Error())
					}
					return
				}
			}
			t.Errorf("want line %d pattern %q param %q %q, got %v", tc.line, tc.pattern, tc.param, tc.msg, l.Diagnostics)
		})
	}
	// The good pattern alone parses.
	pf, diags := ParseFile("g", []byte(head+good))
	if len(diags) != 0 || len(pf.Patterns) != 1 {
		t.Errorf("good pattern: %v", diags)
	}
}

func TestInstantiate(t *testing.T) {
	l := testLib(t)
	p := l.Get("test-sum-range-001")
	in, err := p.Instantiate(map[string]string{"name": "prod", "op": "*", "init": "1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := ": prod ( hi lo -- sum )\n  1 -rot ?do i * loop ;"; in.Code != want {
		t.Errorf("code %q, want %q", in.Code, want)
	}
	if in.ExampleTests {
		t.Error("ExampleTests with non-default op")
	}
	in, _ = p.Instantiate(map[string]string{"name": "s"})
	if !in.ExampleTests || !strings.Contains(in.Tests, "T{ 5 0 s -> 10 }T") {
		t.Errorf("defaults: %+v", in)
	}
	bad := []struct {
		params map[string]string
		param  string
		msg    string
	}{
		{map[string]string{"name": "two words"}, "name", "blank"},
		{map[string]string{"name": ""}, "name", "empty"},
		{map[string]string{"name": strings.Repeat("x", 32)}, "name", "longer than 31"},
		{map[string]string{"name": "-5"}, "name", "number"},
		{map[string]string{"init": "1.5"}, "init", "not a signed decimal integer"},
		{map[string]string{"init": "ten"}, "init", "not a signed decimal integer"},
		{map[string]string{"op": " "}, "op", "at least one word"},
		{map[string]string{"colour": "red"}, "colour", "no such parameter"},
	}
	for _, b := range bad {
		_, err := p.Instantiate(b.params)
		var pe ParamErrors
		if !errors.As(err, &pe) || len(pe) != 1 || pe[0].Param != b.param || !strings.Contains(pe[0].Msg, b.msg) {
			t.Errorf("%v: got %v, want parameter %s: %s", b.params, err, b.param, b.msg)
		}
	}
	// Every problem at once.
	_, err = p.Instantiate(map[string]string{"name": "a b", "init": "x"})
	if pe, _ := err.(ParamErrors); len(pe) != 2 || !strings.Contains(err.Error(), "parameter init") || !strings.Contains(err.Error(), "parameter name") {
		t.Errorf("two problems: %v", err)
	}
	g := l.Get("test-greet-001")
	if _, err := g.Instantiate(map[string]string{"greeting": `say "hi"`}); err == nil || !strings.Contains(err.Error(), "greeting") {
		t.Errorf("text with a quote: %v", err)
	}
}

func TestWordDefaultUnderscore(t *testing.T) {
	src := "category: c\npattern: c-w-001\nname: N\ntags: t\ndescription: D\neffect: ( n -- n )\nparam: name name w the word\nparam: f word 1+_2* what\ncode:\n: {{.name}} ( n -- n ) {{.f}} ;\ntests:\nT{ 1 {{.name}} -> 4 }T\nend\n"
	pf, diags := ParseFile("x", []byte(src))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	in, err := pf.Patterns[0].Instantiate(nil)
	if err != nil || in.Code != ": w ( n -- n ) 1+ 2* ;" {
		t.Errorf("%v %q", err, in.Code)
	}
}

func TestSnippet(t *testing.T) {
	l := testLib(t)
	s, err := l.Get("test-sum-range-001").Snippet()
	if err != nil {
		t.Fatal(err)
	}
	if want := ": ${1:sum-range} ( hi lo -- sum )\n  ${3:0} -rot ?do i ${2:+} loop ;"; s != want {
		t.Errorf("snippet %q, want %q", s, want)
	}
	src := "category: c\npattern: c-w-001\nname: N\ntags: t\ndescription: D\neffect: ( -- )\nparam: name name w$}x the word\ncode:\n: {{.name}} ( -- ) .\" $5\" ;\ntests:\nT{ {{.name}} -> }T\nend\n"
	pf, diags := ParseFile("x", []byte(src))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	s, _ = pf.Patterns[0].Snippet()
	if want := `: ${1:w\$\}x} ( -- ) ." \$5" ;`; s != want {
		t.Errorf("escaped snippet %q, want %q", s, want)
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name, code, word, effect string
		ok                       bool
		problem                  string
	}{
		{"verified", ": sq ( n -- n*n ) dup * ;", "sq", "( n -- n*n )", true, ""},
		{"helper words", ": h ( n -- n ) 1+ ;\n: w ( n -- n ) h h ;", "w", "( n -- n )", true, ""},
		{"floats by name", ": avg ( r1 r2 -- r3 ) f+ 2e f/ ;", "avg", "( r1 r2 -- r3 )", true, ""},
		{"floats with F:", ": avg ( F: r1 r2 -- r3 ) f+ 2e f/ ;", "avg", "( F: r1 r2 -- r3 )", true, ""},
		{"mismatch", ": sq ( n -- n ) dup ;", "sq", "( n -- n )", false, "effect-mismatch"},
		{"undefined", ": sq ( n -- n ) frob ;", "sq", "( n -- n )", false, "undefined word frob"},
		{"error in a helper", ": h ( -- ) swap ;\n: w ( n -- n ) ;", "w", "( n -- n )", false, "line 1"},
		{"missing word", ": h ( -- ) ;", "w", "( -- )", false, "does not define w"},
		{"no comment", ": w dup * ;", "w", "( n -- n )", false, "no stack comment"},
		{"comment differs from declared", ": w ( a b -- c ) + ;", "w", "( n -- n )", false, "was declared"},
		{"unknown effect", ": w ( xt -- ) execute ;", "w", "( xt -- )", false, "not verified"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := ParseEffect(tc.effect)
			if err != nil {
				t.Fatal(err)
			}
			v := Verify(tc.code, tc.word, tc.effect, want)
			if v.Verified != tc.ok {
				t.Fatalf("verified %v, want %v: %v", v.Verified, tc.ok, v.Problems)
			}
			if tc.ok && len(v.Problems) != 0 || !tc.ok && !strings.Contains(strings.Join(v.Problems, "\n"), tc.problem) {
				t.Errorf("problems %q, want %q", v.Problems, tc.problem)
			}
		})
	}
}

func TestSearch(t *testing.T) {
	l := testLib(t)
	tests := []struct {
		query string
		first string
		n     int
	}{
		{"sum of a range", "test-sum-range-001", 1},
		{"square", "test-square-001", 1},
		{"squ", "test-square-001", 1}, // a prefix
		{"print", "test-greet-001", 1},
		{"multiply loop", "test-square-001", 2}, // a tag beats a description word... and both match
		{"the of and", "", 0},                   // stop words only
		{"zebra", "", 0},
	}
	for _, tc := range tests {
		hits := l.Search(tc.query)
		if len(hits) != tc.n {
			t.Errorf("%q: %d hits, want %d", tc.query, len(hits), tc.n)
			continue
		}
		if tc.n > 0 && hits[0].Pattern.ID != tc.first {
			t.Errorf("%q: first %s, want %s", tc.query, hits[0].Pattern.ID, tc.first)
		}
	}
	// More words matched ranks higher than one word matched well.
	hits := l.Search("sum range multiply")
	if hits[0].Pattern.ID != "test-sum-range-001" {
		t.Errorf("ranking: %v", hits[0].Pattern.ID)
	}
}

func TestWithUser(t *testing.T) {
	base := testLib(t)
	dir := t.TempDir()
	override := strings.Replace(mustRead(t, "testdata/basic.forth-patterns"), "dup * ;", "dup dup * nip ;", 1)
	write(t, dir, "mine.forth-patterns", override)
	write(t, dir, "broken.forth-patterns", "category: x\npattern: x-a-001\nparam: name nosuchtype a b\n")
	write(t, dir, "empty.forth-patterns", "")
	write(t, dir, "notes.txt", "ignored")
	l := base.WithUser(dir)
	if got := l.Get("test-square-001"); got == nil || !got.User || !strings.Contains(got.Code, "nip") {
		t.Errorf("user pattern does not replace the builtin: %+v", got)
	}
	if base.Get("test-square-001").User {
		t.Error("WithUser changed the base library")
	}
	var files []string
	for _, d := range l.Diagnostics {
		files = append(files, filepath.Base(d.File))
	}
	if strings.Join(files, " ") != "broken.forth-patterns broken.forth-patterns empty.forth-patterns" {
		t.Errorf("diagnostics %v", l.Diagnostics)
	}
	if base.WithUser(filepath.Join(dir, "none")) != base {
		t.Error("a missing directory should give the library itself")
	}
	// FindUserDir walks up, to the project root.
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, UserDir), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, root, "fastforth.toml", "")
	sub := filepath.Join(root, "a", "b")
	os.MkdirAll(sub, 0o755)
	if got := FindUserDir(sub); got != filepath.Join(root, UserDir) {
		t.Errorf("FindUserDir %q", got)
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestInstantiateCache(t *testing.T) {
	l := testLib(t)
	a, err := l.Instantiate("test-square-001", map[string]string{"name": "sq"})
	if err != nil || !a.Verification.Verified {
		t.Fatalf("%v %+v", err, a)
	}
	b, _ := l.Instantiate("test-square-001", map[string]string{"name": "sq"})
	c, _ := l.Instantiate("test-square-001", map[string]string{"name": "sq2"})
	if a != b || a == c {
		t.Error("the cache is not keyed by pattern and parameters")
	}
	if _, err := l.Instantiate("nope-001", nil); err == nil {
		t.Error("unknown pattern")
	}
}

func TestSpecValidate(t *testing.T) {
	l := testLib(t)
	spec, err := ParseSpec([]byte(`{"name": "a b", "effect": "( x -- x | x x )", "pattern": "test-sum-range-001",
		"params": {"init": "one", "colour": "red", "name": "other"},
		"examples": [{"inputs": "1 2 3", "outputs": [1]}, {"inputs": [1, "T{"], "outputs": ""}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, errs := l.Validate(spec)
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field)
	}
	// examples[0] gives 3 cells to a word that takes 1; examples[1]
	// gives none of the 1 or 2 the effect leaves.
	want := "name effect params.colour params.init params.name examples[0].inputs examples[1].inputs examples[1].outputs"
	if got := strings.Join(fields, " "); got != want {
		t.Errorf("fields %q, want %q\n%v", got, want, errs)
	}
	spec, _ = ParseSpec([]byte(`{"name": "w", "effect": "( a b -- c )", "examples": [{"inputs": "1", "outputs": "1 2"}], "pattern": "test-square-001"}`))
	_, errs = l.Validate(spec)
	if got := errs.Error(); !strings.Contains(got, "effect: ( a b -- c ) does not fit pattern test-square-001") ||
		!strings.Contains(got, "examples[0].inputs: 1 cell(s) given but the effect takes 2 cell(s)") ||
		!strings.Contains(got, "examples[0].outputs: 2 cell(s) given but the effect leaves 1 cell(s)") {
		t.Errorf("%v", errs)
	}
	spec, _ = ParseSpec([]byte(`{"pattern": "test-sqaure-001"}`))
	_, errs = l.Validate(spec)
	if got := errs.Error(); !strings.Contains(got, "name: required") || !strings.Contains(got, "effect: required") || !strings.Contains(got, "did you mean test-square-001") {
		t.Errorf("%v", errs)
	}
	if _, err := ParseSpec([]byte(`{"nmae": "x"}`)); err == nil || !strings.Contains(err.Error(), "nmae") {
		t.Errorf("unknown field: %v", err)
	}
}

func TestGenerate(t *testing.T) {
	l := testLib(t)
	t.Run("with pattern", func(t *testing.T) {
		spec, _ := ParseSpec([]byte(`{"name": "sum-to", "effect": "( n lo -- total )", "pattern": "test-sum-range-001",
			"description": "Sum the numbers", "properties": ["pure"], "examples": [{"inputs": [4, 1], "outputs": [6]}]}`))
		r := l.Generate(spec)
		if !r.OK || !r.Verification.Verified {
			t.Fatalf("%+v %+v", r, r.Verification)
		}
		if want := "\\ Sum the numbers\n\\ Property: pure\n\\ From pattern test-sum-range-001\n: sum-to ( n lo -- total )\n  0 -rot ?do i + loop ;"; r.Code != want {
			t.Errorf("code %q, want %q", r.Code, want)
		}
		if want := TesterLoad + "\nT{ 4 1 sum-to -> 6 }T\nT{ 5 0 sum-to -> 10 }T\nT{ 3 3 sum-to -> 0 }T\n"; r.Tests != want {
			t.Errorf("tests %q, want %q", r.Tests, want)
		}
		if r.Pattern.ID != "test-sum-range-001" || r.Params["op"] != "+" || r.Params["name"] != "sum-to" {
			t.Errorf("%+v %v", r.Pattern, r.Params)
		}
	})
	t.Run("chosen by description", func(t *testing.T) {
		spec, _ := ParseSpec([]byte(`{"name": "sq", "effect": "( x -- y )", "description": "square of x"}`))
		r := l.Generate(spec)
		if !r.OK || r.Pattern == nil || r.Pattern.ID != "test-square-001" || !strings.Contains(r.Code, ": sq ( x -- y )") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("non-default parameters get a skeleton", func(t *testing.T) {
		spec, _ := ParseSpec([]byte(`{"name": "p", "effect": "( hi lo -- n )", "pattern": "test-sum-range-001", "params": {"op": "*", "init": 1}}`))
		r := l.Generate(spec)
		// The placeholder is a comment: run, "?" would be an undefined
		// word, and a test that runs must mean something.
		if !r.OK || strings.Contains(r.Tests, "-> 10") || !strings.Contains(r.Tests, "\\ T{ 1 2 p -> ? }T \\ TODO") {
			t.Errorf("%+v", r)
		}
		for _, line := range strings.Split(r.Tests, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "T{") {
				t.Errorf("runnable placeholder test %q", line)
			}
		}
	})
	t.Run("no pattern fits", func(t *testing.T) {
		spec, _ := ParseSpec([]byte(`{"name": "sq", "effect": "( a b -- c )", "description": "square"}`))
		r := l.Generate(spec)
		if r.OK || r.Code != "" || r.Verification.Verified || len(r.Closest) == 0 {
			t.Fatalf("%+v", r)
		}
		c := r.Closest[0]
		if c.ID != "test-square-001" || !strings.Contains(c.Why, "1 in, 1 out") {
			t.Errorf("closest %+v", c)
		}
		// Right effect but no matching words.
		found := false
		for _, c := range r.Closest {
			found = found || c.ID == "test-sum-range-001" && strings.Contains(c.Why, "effect fits")
		}
		if !found {
			t.Errorf("closest %+v", r.Closest)
		}
	})
	t.Run("unverified code is not presented as verified", func(t *testing.T) {
		spec, _ := ParseSpec([]byte(`{"name": "p", "effect": "( hi lo -- n )", "pattern": "test-sum-range-001", "params": {"op": "2drop"}}`))
		r := l.Generate(spec)
		if r.OK || r.Verification.Verified || r.Tests != "" || len(r.Verification.Problems) == 0 {
			t.Errorf("%+v %+v", r, r.Verification)
		}
	})
	t.Run("invalid spec", func(t *testing.T) {
		r := l.Generate(&Spec{})
		if r.OK || len(r.Errors) != 2 || r.Code != "" {
			t.Errorf("%+v", r)
		}
	})
}

// TestTesterCatchesWrongResults runs the embedded tester in gforth: a
// right result passes, a wrong one and a wrong count fail, floats compare,
// and a unit that throws does not stop the next one.
func TestTesterCatchesWrongResults(t *testing.T) {
	bin := gforthtest.Path(t)
	units := []Unit{
		{ID: "a", Code: ": sq ( n -- n ) dup * ;", Tests: "T{ 3 sq -> 9 }T\nT{ 3 sq -> 8 }T\nT{ 3 sq -> 9 9 }T\nT{ 2 3 sq -> 9 }T"},
		{ID: "floats", Code: ": avg ( r1 r2 -- r3 ) f+ 2e f/ ;", Tests: "T{ 1e 2e avg -> 1.5e }T\nT{ 1e 2e avg -> 1.6e }T\nT{ 0.1e 0.2e f+ -> 0.3e }T"},
		{ID: "throws", Code: ": w ( -- ) frobnicate ;", Tests: "T{ w -> }T"},
		{ID: "after", Code: ": w ( -- n ) 1 ;", Tests: "T{ w -> 1 }T"},
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := RunGforth(ctx, bin, units)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"", "INCORRECT RESULT", "WRONG NUMBER OF RESULTS", "WRONG NUMBER OF RESULTS"},
		{"", "INCORRECT RESULT", ""},
		{"not run: THROW -13 (undefined word)"},
		{""},
	}
	for i, r := range res {
		var got []string
		for _, tr := range r.Tests {
			got = append(got, tr.Message)
			if tr.Pass != (tr.Message == "") {
				t.Errorf("%s line %d: pass %v with message %q", r.ID, tr.Line, tr.Pass, tr.Message)
			}
		}
		if strings.Join(got, "|") != strings.Join(want[i], "|") {
			t.Errorf("unit %s: %q, want %q", r.ID, got, want[i])
		}
	}
	if res[2].Error == "" || res[2].OK() || !res[3].OK() {
		t.Errorf("errors: %+v", res)
	}
}

// TestTesterStandalone runs tester.fs as gforth runs a generated test file:
// the summary counts the failures.
func TestTesterStandalone(t *testing.T) {
	out := gforthtest.Run(t, Tester+"\nT{ 1 2 + -> 3 }T\nT{ 1 2 + -> 4 }T\nT{ -> 1 }T\ntests-summary\n")
	for _, want := range []string{"INCORRECT RESULT: T{ 1 2 + -> 4 }T", "WRONG NUMBER OF RESULTS: T{ -> 1 }T", "TESTS: 3 ERRORS: 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "PASS:") {
		t.Errorf("PASS lines without tests-verbose:\n%s", out)
	}
}

func TestGenerateAndRun(t *testing.T) {
	bin := gforthtest.Path(t)
	l := testLib(t)
	// Examples the code passes: they and the pattern's own tests pass in
	// gforth too.
	spec, _ := ParseSpec([]byte(`{"name": "sum-to", "effect": "( hi lo -- sum )", "pattern": "test-sum-range-001", "examples": [{"inputs": "4 1", "outputs": "6"}, {"inputs": "3 3", "outputs": "0"}]}`))
	r := l.Generate(spec)
	rep := l.Run(context.Background(), Gforth{Path: bin}, r)
	if !r.OK || !rep.Ran || rep.Failed != 0 || rep.Passed < 2 {
		t.Errorf("%+v ok=%v", rep, r.OK)
	}
	// An example the code fails: the examples decide, so the code is
	// not OK and nothing runs.
	spec, _ = ParseSpec([]byte(`{"name": "sum-to", "effect": "( hi lo -- sum )", "pattern": "test-sum-range-001", "examples": [{"inputs": "4 1", "outputs": "6"}, {"inputs": "4 1", "outputs": "7"}]}`))
	r = l.Generate(spec)
	rep = l.Run(context.Background(), Gforth{Path: bin}, r)
	if r.OK || rep.Ran || len(r.Examples) != 2 || r.Examples[1].Pass {
		t.Errorf("%+v ok=%v examples=%+v", rep, r.OK, r.Examples)
	}
	// Without gforth it says so plainly.
	spec, _ = ParseSpec([]byte(`{"name": "sum-to", "effect": "( hi lo -- sum )", "pattern": "test-sum-range-001", "examples": [{"inputs": "4 1", "outputs": "6"}]}`))
	rep = l.Run(context.Background(), Gforth{Path: filepath.Join(t.TempDir(), "no-gforth")}, l.Generate(spec))
	if rep.Ran || !strings.Contains(rep.Message, "not run") {
		t.Errorf("%+v", rep)
	}
}
