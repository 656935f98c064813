package patterns

import (
	"slices"
	"testing"
)

func TestStem(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"recursively", "recursive"}, {"recursive", "recursion"}, {"counting", "counted"}, {"counts", "count"},
		{"squares", "square"}, {"copies", "copy"},
	} {
		if stem(tc.a) != stem(tc.b) {
			t.Errorf("stem(%q) = %q, stem(%q) = %q", tc.a, stem(tc.a), tc.b, stem(tc.b))
		}
	}
}

func TestRankWords(t *testing.T) {
	// Single letters, numbers and the words every spec says are ignored;
	// each stem counts once.
	got := rankWords("Return the number n squared: n*n, squares 2 a b")
	if want := []string{"squar"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRank(t *testing.T) {
	l := Builtin()
	for _, tc := range []struct {
		query string
		top   string // a pattern that must rank first
	}{
		{"square a number sq", "arith-square-001"},
		{"reverse the top three items", "stack-reverse3-001"},
	} {
		hits := l.rank(tc.query)
		if len(hits) == 0 || hits[0].p.ID != tc.top {
			var ids []string
			for _, h := range hits[:min(5, len(hits))] {
				ids = append(ids, h.p.ID)
			}
			t.Errorf("%q: first %v, want %s", tc.query, ids, tc.top)
		}
	}
	// A query of stop words and letters ranks nothing.
	if hits := l.rank("return the number n of a b c"); len(hits) != 0 {
		t.Errorf("ranked %d patterns", len(hits))
	}
}
