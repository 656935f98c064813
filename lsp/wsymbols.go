package lsp

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/syntax"

	"go.lsp.dev/protocol"
)

// workspace/symbol: the named definitions of the workspace index and of
// the open documents (whose buffers replace their files), matched against
// the query without regard to case and ranked: the exact name first, then
// names starting with the query, names containing it, and names holding
// its characters in order. The request is registered in workspace.go,
// which announces the workspace capabilities.

// maxWorkspaceSymbols bounds the answer: a client asks again as the query
// grows.
const maxWorkspaceSymbols = 500

// Match ranks, best first.
const (
	matchExact = iota
	matchPrefix
	matchSubstring
	matchSubsequence
	noMatch
)

// matchRank ranks name (lower case) against the query (lower case). An
// empty query matches everything equally.
func matchRank(query, name string) int {
	switch {
	case query == "" || name == query:
		return matchExact
	case strings.HasPrefix(name, query):
		return matchPrefix
	case strings.Contains(name, query):
		return matchSubstring
	case subsequence(query, name):
		return matchSubsequence
	}
	return noMatch
}

// subsequence reports whether the bytes of q appear in s in order.
func subsequence(q, s string) bool {
	i := 0
	for j := 0; j < len(s) && i < len(q); j++ {
		if s[j] == q[i] {
			i++
		}
	}
	return i == len(q)
}

// workspaceSymbols answers workspace/symbol. The open documents are
// analysed first, on the worker, so that their current text is what is
// searched; the search runs off it.
func (w *worker) workspaceSymbols(p *protocol.WorkspaceSymbolParams) (compute, error) {
	for _, d := range w.docs {
		w.analyze(d)
	}
	ix, enc, space := w.ix, w.s.encoding(), w.space
	query := builtins.LowerASCII(strings.TrimSpace(p.Query))
	return func(ctx context.Context) (any, error) {
		// A match is an entry of an indexed file, or a definition of an
		// open document, whose entry is made only if it is answered:
		// making the entries of a file of 160,000 definitions took a
		// fifth of a second and kept 25 MB.
		type match struct {
			rank  int
			name  string
			path  string
			place uint64 // orders the matches of one file
			f     *indexFile
			d     *indexDef
			e     *openEntry
			def   *syntax.Def
		}
		compare := func(a, b *match) int {
			switch {
			case a.rank != b.rank:
				return cmp.Compare(a.rank, b.rank)
			case len(a.name) != len(b.name):
				return cmp.Compare(len(a.name), len(b.name))
			case a.name != b.name:
				return strings.Compare(a.name, b.name)
			case a.path != b.path:
				return strings.Compare(a.path, b.path)
			}
			return cmp.Compare(a.place, b.place)
		}
		// ms keeps the best matches seen, at most maxWorkspaceSymbols, as
		// a heap with the worst first: a query that matches every word of
		// a 160,000-definition file sorted them all.
		var ms []match
		offer := func(m match) {
			if len(ms) < maxWorkspaceSymbols {
				ms = append(ms, m)
				for i := len(ms) - 1; i > 0; {
					p := (i - 1) / 2
					if compare(&ms[p], &ms[i]) >= 0 {
						break
					}
					ms[p], ms[i] = ms[i], ms[p]
					i = p
				}
				return
			}
			if compare(&m, &ms[0]) >= 0 {
				return
			}
			ms[0] = m
			for i := 0; ; {
				w, l, r := i, 2*i+1, 2*i+2
				if l < len(ms) && compare(&ms[l], &ms[w]) > 0 {
					w = l
				}
				if r < len(ms) && compare(&ms[r], &ms[w]) > 0 {
					w = r
				}
				if w == i {
					break
				}
				ms[w], ms[i] = ms[i], ms[w]
				i = w
			}
		}
		ix.each(func(f *indexFile) {
			if ctx.Err() != nil {
				return
			}
			for i := range f.defs {
				d := &f.defs[i]
				if r := matchRank(query, d.name); r != noMatch {
					offer(match{rank: r, name: d.name, path: f.path, place: uint64(d.sel.Start.Line)<<32 | uint64(d.sel.Start.Character), f: f, d: d})
				}
			}
		}, func(e *openEntry) {
			rf := e.result.File
			for _, d := range rf.Defs {
				if ctx.Err() != nil {
					return
				}
				if r := matchRank(query, d.Name); r != noMatch && indexable(rf, d) {
					_, _, ns, _ := defSpan(rf, d)
					offer(match{rank: r, name: d.Name, path: rf.Source.Name, place: uint64(ns), e: e, def: d})
				}
			}
		})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		slices.SortFunc(ms, func(a, b match) int { return compare(&a, &b) })
		out := make([]protocol.SymbolInformation, 0, len(ms))
		names := map[string]string{} // container names by path
		for _, m := range ms {
			c, ok := names[m.path]
			if !ok {
				c = space.relName(m.path)
				names[m.path] = c
			}
			f, d := m.f, m.d
			if d == nil {
				id := indexDefOf(m.e.result.File, m.e.result, m.def, enc)
				f, d = &indexFile{uri: m.e.uri}, &id
			}
			si := protocol.SymbolInformation{Location: protocol.Location{URI: f.uri, Range: d.rng}}
			si.Name, si.Kind = d.display, d.symbol
			si.ContainerName = &c
			out = append(out, si)
		}
		return out, nil
	}, nil
}
