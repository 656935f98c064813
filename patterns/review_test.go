package patterns

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

// helperLib is a library of one pattern that defines a helper word of its
// own and one named by a parameter.
func helperLib(t *testing.T) *Library {
	t.Helper()
	l := LoadFS(fstest.MapFS{"h.forth-patterns": {Data: []byte(`category: testing
title: T
summary: S.

pattern: test-helper-001
name: Helper
tags: helper
description: Uses helpers.
effect: ( n -- m )
param: name    name  twice-sq  the new word
param: helper  name  sq        the helper
param: step    word  sq        what is applied
code:
: dbl ( n -- m ) 2* ;
: {{.helper}} ( n -- m ) dup * ;
: {{.name}} ( n -- m ) {{.step}} dbl ;
tests:
T{ 3 {{.name}} -> 18 }T
end
`)}}, ".")
	if len(l.Diagnostics) > 0 || l.Len() != 1 {
		t.Fatalf("%d patterns, %v", l.Len(), l.Diagnostics)
	}
	return l
}

func TestWordParamValidation(t *testing.T) {
	l := testLib(t)
	for _, tc := range []struct {
		op, want string // want: part of the error, "" for valid
	}{
		{"+", ""},
		{"1 + 2*", ""},
		{"SWAP -", ""},
		{"[char] , +", ""},
		{"-1 'a' +", ""},
		{`+ loop ; : sum-range ( hi lo -- sum ) 2drop 42 ; \`, `"loop" is not in the allowlist`},
		{`+ [ s" touch /tmp/x" system ]`, `"[" is not in the allowlist`},
		{"+ bye", `"bye" is not in the allowlist`},
		{"+ system", `"system" is not in the allowlist`},
		{"+ ]", `"]" is not in the allowlist`},
		{": x", `":" is not in the allowlist`},
		{"create x", `"create" is not in the allowlist`},
		{`( x ) +`, `"(" is not in the allowlist`},
		{"postpone +", `"postpone" is not in the allowlist`},
		{"if + then", `"if" is not in the allowlist`},
		{"r> +", `"r>" is not in the allowlist`},
		{"frobnicate", `"frobnicate" is not in the allowlist`},
		{"[char]", "[char] must be followed by one character"},
		{"[char] ab", "[char] must be followed by one character"},
		{"+\t-", "control character"},
	} {
		_, err := l.Instantiate("test-sum-range-001", map[string]string{"op": tc.op})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("op %q: %v", tc.op, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), "parameter op: ") || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("op %q: error %v, want one naming parameter op with %q", tc.op, err, tc.want)
		}
	}
	// The spec's validation goes through the same check.
	spec, _ := ParseSpec([]byte(`{"name": "s", "effect": "( hi lo -- sum )", "pattern": "test-sum-range-001", "params": {"op": "+ bye"}}`))
	if r := l.Generate(spec); r.OK || len(r.Errors) != 1 || r.Errors[0].Field != "params.op" {
		t.Errorf("spec: %+v", r.Errors)
	}
}

func TestControlCharacters(t *testing.T) {
	l := testLib(t)
	for _, params := range []map[string]string{
		{"greeting": "Hi\x00there"},
		{"greeting": "Hi\x1b[2J"},
		{"name": "gr\x7f"},
	} {
		if _, err := l.Instantiate("test-greet-001", params); err == nil || !strings.Contains(err.Error(), "control character") {
			t.Errorf("%q: %v", params, err)
		}
	}
}

func TestPatternOwnWords(t *testing.T) {
	l := helperLib(t)
	for _, tc := range []struct {
		params map[string]string
		want   string
	}{
		{map[string]string{"step": "dbl"}, ""},                                              // a word the code defines
		{map[string]string{"helper": "cube", "step": "cube dbl"}, ""},                       // a name parameter's word
		{map[string]string{"helper": "cube", "step": "sq"}, `"sq" is not in the allowlist`}, // renamed: sq is gone
		{map[string]string{"name": "dbl"}, "parameter name: \"dbl\" is a word the pattern defines itself"},
		{map[string]string{"name": "sq"}, "is also the value of parameter helper"},
		{map[string]string{"helper": "DBL"}, "parameter helper: \"DBL\" is a word the pattern defines itself"},
	} {
		g, err := l.Instantiate("test-helper-001", tc.params)
		switch {
		case tc.want == "" && (err != nil || !g.Verification.Verified):
			t.Errorf("%v: %v %+v", tc.params, err, g)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want %q", tc.params, err, tc.want)
		}
	}
	spec, _ := ParseSpec([]byte(`{"name": "dbl", "effect": "( n -- m )", "pattern": "test-helper-001"}`))
	if _, errs := l.Validate(spec); len(errs) != 1 || errs[0].Field != "name" {
		t.Errorf("spec naming the pattern's own word: %v", errs)
	}
}

func TestVerifyDuplicateDefinition(t *testing.T) {
	for _, code := range []string{
		": w ( n -- n ) ;\n: w ( n -- n ) 1+ ;",
		": h ( -- ) ;\n: w ( n -- n ) ;\n: H ( -- ) ;",
	} {
		v := Verify(code, "w", "( n -- n )", Counts{In: 1, Out: 1})
		if v.Verified || !strings.Contains(strings.Join(v.Problems, "; "), "defined more than once") {
			t.Errorf("%q: %+v", code, v)
		}
	}
}

func TestValidNameTesterWords(t *testing.T) {
	for _, s := range []string{"T{", "t{", "->", "}T", "[undefined]", "[IF]", "include", "[then]", "tester.fs"} {
		if err := ValidName(s); err == nil {
			t.Errorf("%q accepted as a name", s)
		}
	}
}

func TestTemplatesArePlain(t *testing.T) {
	for _, body := range []string{
		`{{range .name}}x{{end}}`,
		`{{if .name}}x{{end}}`,
		`{{with .name}}x{{end}}`,
		`{{.name | printf "%s"}}`,
		`{{printf "%s" .name}}`,
		`{{$x := .name}}`,
		`{{define "x"}}y{{end}}`,
		`{{template "code"}}`,
		`{{.name.field}}`,
	} {
		src := "category: testing\ntitle: T\nsummary: S.\n\npattern: test-bad-001\nname: Bad\ntags: bad\ndescription: Bad.\neffect: ( -- )\nparam: name name w the word\ncode:\n: {{.name}} ( -- ) ;\n" + body + "\ntests:\nT{ {{.name}} -> }T\nend\n"
		pf, diags := ParseFile("bad.forth-patterns", []byte(src))
		if len(pf.Patterns) != 0 || len(diags) != 1 || diags[0].Pattern != "test-bad-001" || !strings.Contains(diags[0].Message, "allowed") {
			t.Errorf("%s: %d patterns, %v", body, len(pf.Patterns), diags)
		}
	}
}

func TestCacheKey(t *testing.T) {
	if cacheKey("p", map[string]string{"a": "x\x00b\x01y"}) == cacheKey("p", map[string]string{"a": "x", "b": "y"}) {
		t.Error("values can forge the key's separators")
	}
	l := testLib(t)
	a, err := l.Instantiate("test-sum-range-001", map[string]string{"name": "s"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := l.Instantiate("test-sum-range-001", map[string]string{"name": "s", "op": "+", "init": "0"})
	if a != b {
		t.Error("a default given explicitly is cached apart from the same default left out")
	}
}

func TestSpecExampleValues(t *testing.T) {
	l := testLib(t)
	for _, tc := range []struct {
		examples, want string // want: the fields with errors
	}{
		{`[{"inputs": ["5 0"], "outputs": [10]}]`, ""},
		{`[{"inputs": [5, "'a'"], "outputs": "1"}]`, ""},
		// A float where the effect leaves a cell.
		{`[{"inputs": [5, "'a'"], "outputs": "1e0"}]`, "examples[0].outputs"},
		{`[{"inputs": "5 0", "outputs": "foo"}]`, "examples[0].outputs"},
		{`[{"inputs": "1 2", "outputs": "3"}, {"inputs": ["1", "bye"], "outputs": ["3"]}]`, "examples[1].inputs"},
		{`[{"inputs": ["1 2 3"], "outputs": [3]}]`, "examples[0].inputs"},
	} {
		spec, err := ParseSpec([]byte(`{"name": "s", "effect": "( hi lo -- sum )", "pattern": "test-sum-range-001", "examples": ` + tc.examples + `}`))
		if err != nil {
			t.Fatal(err)
		}
		_, errs := l.Validate(spec)
		var fields []string
		for _, e := range errs {
			fields = append(fields, e.Field)
		}
		if got := strings.Join(fields, " "); got != tc.want {
			t.Errorf("%s: fields %q, want %q (%v)", tc.examples, got, tc.want, errs)
		}
	}
}

func TestRunNoRunnableTests(t *testing.T) {
	l := testLib(t)
	spec, _ := ParseSpec([]byte(`{"name": "p", "effect": "( hi lo -- n )", "pattern": "test-sum-range-001", "params": {"init": 1}}`))
	r := l.Generate(spec)
	rep := l.Run(context.Background(), Gforth{}, r)
	if rep.Ran || !strings.Contains(rep.Message, "no runnable tests") || !r.OK {
		t.Errorf("%+v", rep)
	}
}

func TestTesterNeedsArrow(t *testing.T) {
	bin := gforthtest.Path(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := RunGforth(ctx, bin, []Unit{{ID: "u", Tests: "T{ 1 2 -> 1 2 }T\nT{ 1 2 }T\nT{ 1e -> 1e }T\nT{ 1e }T"}})
	if err != nil {
		t.Fatal(err)
	}
	u := res[0]
	if len(u.Tests) != 4 || !u.Tests[0].Pass || u.Tests[1].Pass || u.Tests[1].Message != "WRONG NUMBER OF RESULTS" || u.Tests[3].Pass {
		t.Errorf("%+v", u)
	}
}

func TestRunTimeout(t *testing.T) {
	bin := gforthtest.Path(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	res, err := RunGforth(ctx, bin, []Unit{
		{ID: "ok", Code: ": one ( -- n ) 1 ;", Tests: "T{ one -> 1 }T"},
		{ID: "spin", Code: ": spin ( -- ) begin again ;", Tests: "T{ 2 -> 2 }T\nT{ spin -> }T\nT{ 3 -> 3 }T"},
		{ID: "after", Code: "", Tests: "T{ 4 -> 4 }T"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].OK() {
		t.Errorf("unit before the loop: %+v", res[0])
	}
	s := res[1]
	if s.Error != TimedOut || len(s.Tests) != 3 || !s.Tests[0].Pass || s.Tests[1].Message != TimedOut || s.Tests[2].Message != "not run: "+TimedOut {
		t.Errorf("looping unit: %+v", s)
	}
	if res[2].Passed != 0 || res[2].Tests[0].Message != "not run" {
		t.Errorf("unit after the loop: %+v", res[2])
	}
}

func TestParseSpecFieldErrors(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{`{"nme": "x"}`, "nme"},
		{`{"name": 1}`, "name"},
		{`{"params": {"op": {}}}`, "params.op"},
		{`{"examples": [{"inputs": "1"}, {"inputs": {}, "outputs": "1"}]}`, "examples[1].inputs"},
		{`{"examples": [{"input": "1"}]}`, "examples[0].input"},
		{`{"properties": [1]}`, "properties"},
		{`{"name": `, "spec"},
		{`{} {}`, "spec"},
	} {
		_, err := ParseSpec([]byte(tc.spec))
		var re *SpecReadError
		if !errors.As(err, &re) || len(re.Errors) != 1 || re.Errors[0].Field != tc.want {
			t.Errorf("%s: %v, want one error for field %s", tc.spec, err, tc.want)
		}
	}
}
