package patterns

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/fastforth/fastforth/analysis/number"
)

// FuzzParseFile: a pattern file of any content is read without a panic,
// and every pattern it keeps has an ID, a name parameter and counts.
//
//	go test -run X -fuzz FuzzParseFile ./patterns/
func FuzzParseFile(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("library", "*"+Ext))
	files = append(files, filepath.Join("testdata", "basic"+Ext))
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("pattern: x-001\ncode:\n{{.name\ntests:\nend\n"))
	f.Add([]byte("category: c\npattern: a-b-001\nparam: name name {{ x\nend"))
	f.Fuzz(func(t *testing.T, src []byte) {
		pf, _ := ParseFile("fuzz"+Ext, src)
		if pf == nil {
			t.Fatal("ParseFile returned no file")
		}
		for _, p := range pf.Patterns {
			if p.ID == "" || p.Param("name") == nil {
				t.Fatalf("kept a pattern without an ID or a name parameter: %+v", p)
			}
		}
	})
}

// FuzzSpec: any spec JSON is validated or generated from without a panic;
// a result is never ok with code that does not verify, and code that does
// not verify is never printed as the verified result.
//
//	go test -run X -fuzz FuzzSpec ./patterns/
func FuzzSpec(f *testing.F) {
	for _, s := range []string{
		`{"name":"order-desc","effect":"( a b -- hi lo )","pattern":"stack-sort2-001","params":{"cmp":"<"},"examples":[{"inputs":[1,3],"outputs":[3,1]}]}`,
		`{"name":"sq","effect":"( n -- n*n )","description":"square a number"}`,
		`{"name":"","effect":"(","examples":[{"inputs":{},"outputs":null}]}`,
		`{"name":"x","effect":"( -- )","pattern":"nope-001","params":{"name":"y","op":"{{"}}`,
		`[]`, `null`, `{"name":"a b","effect":"( a -- b ) ( F: r -- )"}`,
	} {
		f.Add([]byte(s))
	}
	lib := Builtin()
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := ParseSpec(data)
		if err != nil || spec == nil {
			return
		}
		res := lib.Generate(spec)
		if res == nil {
			t.Fatal("Generate returned nothing")
		}
		verified := res.Verification != nil && res.Verification.Verified
		if res.OK && !verified {
			t.Fatalf("ok without verified code for %s: %q", data, res.Code)
		}
		if !verified && res.Tests != "" {
			t.Fatalf("tests for unverified code for %s: %q", data, res.Tests)
		}
	})
}

// FuzzWordParam: whatever a word parameter holds, the code reaches a test
// runner only when every token of it is a number, [char] and one
// character, or a word of the allowlist that parameters may use (the
// pattern defines no word before its parameter), and the code is
// verified. The check here is written apart from validateWords.
//
//	go test -run X -fuzz FuzzWordParam ./patterns/
func FuzzWordParam(f *testing.F) {
	for _, s := range []string{
		"+", "dup * +", "1 + 2*", "[char] , +", "-1 'a' +", "SWAP -", "+ $ff and",
		"1+ pad 0 (system) 2drop", "+ 0 (system) 2drop", "+ 0 0 0 open-pipe 2drop drop", "+ 0 0 delete-file drop",
		"1000000 spaces +", "+ [ s\" touch x\" system ]", "+ ] system [", "+ \\ x", "+ ( x )", "+ bye",
		"' + execute", "+ \u212aey", "+ S\" ls\" SYSTEM", "+ [char] ( drop", "+ [char]", "+\tdrop", "+ 0 >r r> drop",
		"+ here drop", "+ 0 0 !", "+ sum-range", "+ recurse", "+ i drop", "+ exit", "+ leave", "+ ; : x",
	} {
		f.Add(s)
	}
	lib := Builtin()
	f.Fuzz(func(t *testing.T, op string) {
		spec := &Spec{Name: "sum-range", Effect: "( hi lo -- sum )", Pattern: "loop-sum-range-001",
			Params: map[string]Value{"op": Value(op)}, Examples: []Example{{Inputs: Values{Tok("5"), Tok("0")}, Outputs: Values{Tok("10")}}}}
		r := lib.Generate(spec)
		rec := &recorder{}
		lib.Run(context.Background(), rec, r)
		if len(rec.units) == 0 {
			return
		}
		if !r.Verification.Verified || !strings.Contains(rec.units[0].Code, op) {
			t.Fatalf("ran code that is not verified or lacks the parameter: %q", rec.units[0].Code)
		}
		toks := strings.Fields(op)
		for i := 0; i < len(toks); i++ {
			w := toks[i]
			if _, ok := number.Parse([]byte(w), 10, true); ok {
				continue
			}
			if strings.EqualFold(w, "[char]") && i+1 < len(toks) && utf8.RuneCountInString(toks[i+1]) == 1 {
				i++
				continue
			}
			if _, param, ok := AllowedWord(w); ok && param {
				continue
			}
			t.Fatalf("op %q reached the runner with %q, which is not allowlisted", op, w)
		}
		for _, c := range op {
			if unicode.IsControl(c) {
				t.Fatalf("op %q reached the runner with a control character", op)
			}
		}
	})
}
