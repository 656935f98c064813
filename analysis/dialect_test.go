package analysis

import (
	"testing"

	"github.com/fastforth/fastforth/analysis/diag"
)

// TestDialect: gforth's own words are builtins by default and undefined
// when checking portable (standard) code; standard words are builtins in
// both.
func TestDialect(t *testing.T) {
	src := []byte(": f ( a b c -- c ) -rot 2drop ;\n: g ( n -- ) 0 ?do i . loop ;\n")
	for _, tt := range []struct {
		dialect   string
		undefined int
	}{
		{"", 0},
		{"gforth", 0},
		{"standard", 1},
	} {
		r := New(Options{Dialect: tt.dialect}).Analyze("d.fs", src)
		n := 0
		for _, d := range r.Diags {
			if d.Code == diag.Undefined {
				n++
			}
		}
		if n != tt.undefined {
			t.Errorf("dialect %q: %d undefined words, want %d: %v", tt.dialect, n, tt.undefined, r.Diags)
		}
	}
}
