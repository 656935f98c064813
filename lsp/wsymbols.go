package lsp

import (
	"context"
	"sort"
	"strings"

	"github.com/fastforth/fastforth/analysis/builtins"

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
		type match struct {
			rank int
			f    *indexFile
			d    *indexDef
		}
		var ms []match
		ix.all(enc, nil, func(f *indexFile) {
			if ctx.Err() != nil {
				return
			}
			for i := range f.defs {
				d := &f.defs[i]
				if r := matchRank(query, d.name); r != noMatch {
					ms = append(ms, match{r, f, d})
				}
			}
		})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sort.Slice(ms, func(i, j int) bool {
			a, b := ms[i], ms[j]
			switch {
			case a.rank != b.rank:
				return a.rank < b.rank
			case len(a.d.name) != len(b.d.name):
				return len(a.d.name) < len(b.d.name)
			case a.d.name != b.d.name:
				return a.d.name < b.d.name
			case a.f.path != b.f.path:
				return a.f.path < b.f.path
			}
			return a.d.sel.Start.Line < b.d.sel.Start.Line
		})
		if len(ms) > maxWorkspaceSymbols {
			ms = ms[:maxWorkspaceSymbols]
		}
		out := make([]protocol.SymbolInformation, 0, len(ms))
		names := map[string]string{} // container names by path
		for _, m := range ms {
			c, ok := names[m.f.path]
			if !ok {
				c = space.relName(m.f.path)
				names[m.f.path] = c
			}
			si := protocol.SymbolInformation{Location: protocol.Location{URI: m.f.uri, Range: m.d.rng}}
			si.Name, si.Kind = m.d.display, m.d.symbol
			si.ContainerName = &c
			out = append(out, si)
		}
		return out, nil
	}, nil
}
