package patterns

import (
	"sort"
	"strings"
	"unicode"
)

// Weights of a query word found in each part of a pattern: a word of its
// name or a tag says more about what the pattern does than one of its
// description.
const (
	weightID       = 4
	weightName     = 3
	weightTag      = 3
	weightCategory = 2
	weightDesc     = 1
	// A query word that is only a prefix of an indexed word counts half.
	prefixDivisor = 2
)

// stopWords are too common in descriptions to tell patterns apart.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "and": true, "or": true, "to": true, "in": true,
	"on": true, "is": true, "it": true, "its": true, "by": true, "for": true, "with": true, "from": true,
	"as": true, "at": true, "be": true, "that": true, "this": true, "when": true, "into": true, "each": true,
	"every": true, "word": true, "words": true, "new": true, "which": true, "are": true, "than": true,
}

// Words splits text into lower-case search words: runs of letters and
// digits (a Forth word such as "2dup" or "+loop" keeps its letters and
// digits: "2dup", "loop"), without stop words.
func Words(text string) []string {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := f[:0]
	for _, w := range f {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

func buildIndex(list []*Pattern) map[string][]posting {
	return postings(list, Words, func(id string) string { return id })
}

// postings maps each word of the patterns' texts (split by words) to the
// patterns it occurs in, with the weight of the best place it occurs in
// (description, category, name, tags, the ID as id gives it to words).
// The search index and the ranking index differ only in those two.
func postings(list []*Pattern, words func(string) []string, id func(string) string) map[string][]posting {
	idx := map[string][]posting{}
	for _, p := range list {
		best := map[string]int{}
		add := func(text string, weight int) {
			for _, w := range words(text) {
				if best[w] < weight {
					best[w] = weight
				}
			}
		}
		add(p.Description, weightDesc)
		add(p.Category, weightCategory)
		add(p.Name, weightName)
		for _, t := range p.Tags {
			add(t, weightTag)
		}
		add(id(p.ID), weightID)
		for w, wt := range best {
			idx[w] = append(idx[w], posting{p, wt})
		}
	}
	return idx
}

// Hit is one search result.
type Hit struct {
	Pattern *Pattern
	Score   int
	// Matched are the query words the pattern matched.
	Matched []string
}

// Search ranks the patterns by the query's words found in their names,
// tags, category, IDs and descriptions: each query word adds the weight of
// the best place it occurs (half for a prefix of an indexed word), and a
// pattern matching more of the query ranks first. Ties go by ID. Patterns
// matching none of the words are left out; an empty query gives nothing.
func (l *Library) Search(query string) []Hit {
	qws := Words(query)
	if len(qws) == 0 {
		return nil
	}
	l.searchIndex()
	type acc struct {
		score   int
		matched []string
	}
	scores := map[*Pattern]*acc{}
	for _, q := range qws {
		best := map[*Pattern]int{}
		for _, ps := range l.index[q] {
			best[ps.p] = ps.weight * prefixDivisor
		}
		if len(q) >= 3 {
			// The indexed words that q is a proper prefix of follow q in
			// sorted order.
			for i := sort.SearchStrings(l.words, q); i < len(l.words) && strings.HasPrefix(l.words[i], q); i++ {
				if l.words[i] == q {
					continue
				}
				for _, x := range l.index[l.words[i]] {
					if best[x.p] < x.weight {
						best[x.p] = x.weight
					}
				}
			}
		}
		for p, s := range best {
			a := scores[p]
			if a == nil {
				a = &acc{}
				scores[p] = a
			}
			a.score += s
			a.matched = append(a.matched, q)
		}
	}
	hits := make([]Hit, 0, len(scores))
	for p, a := range scores {
		// Matching more of the query outweighs matching a word well.
		hits = append(hits, Hit{Pattern: p, Score: a.score + 100*len(a.matched), Matched: a.matched})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Pattern.ID < hits[j].Pattern.ID
	})
	return hits
}
