package patterns

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ranking for generation: it only orders the candidates (the examples
// decide). A query word counts once, by its stem (recursively ~
// recursive ~ recursion), weighted by its rarity in the library (a word
// most patterns have tells nothing) and by the best place it occurs in a
// pattern (ID, name and tags above the category, the category above the
// description). Single letters, numbers and stop words (those of Words
// and the words every spec says: "number", "return", "value") are
// ignored, so that a pattern is not ranked up by the letters of a stack
// comment or by "returns the number".

// rankStopWords are the words of specs that say nothing of what a word
// does.
var rankStopWords = map[string]bool{
	"number": true, "numbers": true, "return": true, "returns": true, "returned": true, "returning": true,
	"value": true, "values": true, "given": true, "give": true, "gives": true, "leave": true, "leaves": true,
	"result": true, "results": true, "input": true, "inputs": true, "output": true, "outputs": true,
	"then": true, "if": true, "else": true, "otherwise": true, "so": true, "all": true, "both": true,
	"two": true, "one": true, "item": true, "items": true, "cell": true, "cells": true, "use": true,
	"using": true, "uses": true, "not": true, "no": true, "do": true, "does": true, "onto": true,
	"n": true, "u": true, "x": true, "get": true, "gets": true, "compute": true, "computes": true,
	"calculate": true, "calculates": true, "take": true, "takes": true, "push": true, "pushes": true,
	"integer": true, "integers": true, "signed": true, "unsigned": true, "s": true, "we": true, "you": true,
	"will": true, "should": true, "must": true, "was": true, "were": true, "has": true, "have": true,
}

// stem reduces a word to a crude stem: common English suffixes off, so
// that the forms of a word meet (recursively, recursive, recursion →
// recurs; counting, counted, counts → count).
func stem(w string) string {
	for _, suf := range []string{"ly"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			w = w[:len(w)-len(suf)]
		}
	}
	for _, suf := range []string{"ations", "ation", "ions", "ion", "ives", "ive", "ings", "ing", "ers", "er", "edly", "ed", "ies", "es", "s"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			w = w[:len(w)-len(suf)]
			if suf == "ies" {
				w += "y"
			}
			break
		}
	}
	// square ~ squares (squar).
	if len(w) > 4 && w[len(w)-1] == 'e' {
		w = w[:len(w)-1]
	}
	return w
}

// rankWords are a text's stems for ranking, each once. (Indexing the
// library calls it some 1,300 times in a cold process: ASCII text, all
// of the library's, is split without allocating more than the result.)
func rankWords(text string) []string {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			return rankWordsUnicode(text)
		}
	}
	var out []string
	for i := 0; i < len(text); {
		for i < len(text) && !isAlnumASCII(text[i]) {
			i++
		}
		j := i
		for j < len(text) && isAlnumASCII(text[j]) {
			j++
		}
		if j > i {
			out = addRankWord(out, lowerASCII(text[i:j]))
		}
		i = j
	}
	return out
}

// rankWordsUnicode is rankWords for any text.
func rankWordsUnicode(text string) []string {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var out []string
	for _, w := range f {
		out = addRankWord(out, w)
	}
	return out
}

// addRankWord adds w's stem to out unless it is a stop word, a number,
// shorter than two letters or there already.
func addRankWord(out []string, w string) []string {
	if len(w) < 2 || stopWords[w] || rankStopWords[w] || isDigits(w) {
		return out
	}
	s := stem(w)
	if slices.Contains(out, s) {
		return out
	}
	return append(out, s)
}

func isAlnumASCII(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isDigits(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// rankIndex is the library's stems, sorted: for each, the patterns it
// occurs in with the weight of its best place there, and its rarity. The
// builtin library's is generated (library_gen.go): slices, not maps, so
// that a cold process does not build it.
type rankIndex struct {
	stems []string
	idf   []float64
	post  [][]posting
}

// find returns the index of stem w, or -1.
func (ri *rankIndex) find(w string) int {
	i, ok := slices.BinarySearch(ri.stems, w)
	if !ok {
		return -1
	}
	return i
}

// rankIdx builds the ranking index once per library.
func (l *Library) rankIdx() *rankIndex {
	l.rankOnce.Do(func() { l.rankI = buildRankIndex(l.list) })
	return l.rankI
}

// buildRankIndex indexes the patterns of list (in its order).
func buildRankIndex(list []*Pattern) *rankIndex {
	post := postings(list, rankWords, func(id string) string { return strings.ReplaceAll(id, "-", " ") })
	ri := &rankIndex{}
	for w := range post {
		ri.stems = append(ri.stems, w)
	}
	sort.Strings(ri.stems)
	n := float64(len(list))
	for _, w := range ri.stems {
		ri.post = append(ri.post, post[w])
		ri.idf = append(ri.idf, math.Log(1+n/float64(len(post[w]))))
	}
	return ri
}

// rankHit is a pattern's score for a query.
type rankHit struct {
	p       *Pattern
	score   int // 100 × the sum of rarity × place weight
	matched []string
}

// rank scores the patterns the query's stems occur in, best first (ties
// by ID).
func (l *Library) rank(query string) []rankHit {
	ri := l.rankIdx()
	acc := map[*Pattern]*rankHit{}
	var hits []*rankHit
	for _, q := range rankWords(query) {
		k := ri.find(q)
		if k < 0 {
			continue
		}
		for _, ps := range ri.post[k] {
			h := acc[ps.p]
			if h == nil {
				h = &rankHit{p: ps.p}
				acc[ps.p] = h
				hits = append(hits, h)
			}
			h.score += int(math.Round(100 * ri.idf[k] * float64(ps.weight)))
			h.matched = append(h.matched, q)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].p.ID < hits[j].p.ID
	})
	out := make([]rankHit, len(hits))
	for i, h := range hits {
		out[i] = *h
	}
	return out
}
