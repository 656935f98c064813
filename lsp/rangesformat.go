package lsp

import (
	"context"
	"sort"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// textDocument/rangesFormatting (LSP 3.18): the range formatter (format.go)
// over several ranges at once, as an editor asks for when it formats the
// lines changed since the last save. Its capability is announced with
// range formatting's (rangesSupport).

func init() {
	register(protocol.MethodTextDocumentRangesFormatting, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.DocumentRangesFormattingParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.formatRanges(p.TextDocument.URI, p.Options, p.Ranges) }, nil
		},
	})
}

// formatRanges formats each range as textDocument/rangeFormatting does and
// answers their edits together, each once, in document order.
func (w *worker) formatRanges(u uri.URI, opts protocol.FormattingOptions, ranges []protocol.Range) (compute, error) {
	var parts []compute
	for i := range ranges {
		c, err := w.format(u, opts, &ranges[i])
		if err != nil {
			return nil, err
		}
		parts = append(parts, c)
	}
	return func(ctx context.Context) (any, error) {
		out := []protocol.TextEdit{}
		seen := map[protocol.Range]bool{}
		for _, c := range parts {
			res, err := c(ctx)
			if err != nil {
				return nil, err
			}
			edits, _ := res.([]protocol.TextEdit)
			for _, e := range edits {
				if seen[e.Range] {
					continue
				}
				seen[e.Range] = true
				out = append(out, e)
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return before(out[i].Range.Start, out[j].Range.Start) })
		return out, nil
	}, nil
}
