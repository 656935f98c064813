package patterns

import (
	"os"
	"path/filepath"
	"testing"
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
