package patterns

import (
	"math/rand"
	"slices"
	"testing"
)

// BenchmarkLoadLibrary is what a cold process spends reading the builtin
// library and indexing it for ranking (Builtin and its rank index).
func BenchmarkLoadLibrary(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		LoadFS(libraryFS, "library").rankIdx()
	}
}

// TestRankWordsASCII: the ASCII path of rankWords splits, lowers and
// stems as the general one does, on every text of the library and on
// random ones.
func TestRankWordsASCII(t *testing.T) {
	var texts []string
	for _, p := range Builtin().list {
		texts = append(texts, p.Description, p.Name, p.Category, p.ID)
		texts = append(texts, p.Tags...)
	}
	r := rand.New(rand.NewSource(1))
	const alphabet = "abcXYZ09 -_.,;'()\\"
	for range 2000 {
		b := make([]byte, r.Intn(40))
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		texts = append(texts, string(b), "Count THE Squares of 12 numbers")
	}
	for _, s := range texts {
		if got, want := rankWords(s), rankWordsUnicode(s); !slices.Equal(got, want) {
			t.Fatalf("%q: got %q, want %q", s, got, want)
		}
	}
}
