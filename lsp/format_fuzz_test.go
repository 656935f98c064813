package lsp

import (
	"testing"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/source"
)

// FuzzFormat: formatting any text never panics, keeps every line's words,
// and formatting its output again changes nothing.
//
//	go test -run X -fuzz FuzzFormat ./lsp/
func FuzzFormat(f *testing.F) {
	for _, s := range []string{
		": f ( n -- n )\n  dup if\n1+\n    else\n drop 0 then ;\n",
		": g begin dup while 1- repeat drop ;\n",
		": h 10 0 ?do i . loop\n; \\ then\n",
		": s s\" if then\" type ( if\nelse ) ;\n",
		"[if]\n: x ;\n[then]\n",
		": q [: dup\n  ;] drop\n  ;\n",
		"create t 1 , does> @\n;\n",
		": u case 1 of 2 endof\n 3 endcase ;\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src := []byte(s)
		r := analysis.New(analysis.Options{}).Analyze("fuzz.fs", src)
		got := applyFmtEdits(t, src, formatEdits(r.File.Source, r.File, spacesOpts(2)))
		a, b := lineWords(src), lineWords([]byte(got))
		if len(a) != len(b) {
			t.Fatalf("%d lines became %d:\n%q\n%q", len(a), len(b), s, got)
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("line %d: words changed: %q became %q", i+1, a[i], b[i])
			}
		}
		r2 := analysis.New(analysis.Options{}).Analyze("fuzz.fs", []byte(got))
		if again := formatEdits(source.NewFile("fuzz.fs", []byte(got)), r2.File, spacesOpts(2)); len(again) != 0 {
			t.Fatalf("formatting again changes %q: %+v", got, again[0])
		}
	})
}
