package lsp

import (
	"context"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/syntax"
)

func init() {
	register(protocol.MethodTextDocumentInlayHint, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.InlayHintParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.inlayHints(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.InlayHintProvider = protocol.Boolean(true)
		},
	})
}

// inlayHints shows the inferred effect after the name of each colon
// definition that has no stack comment.
func (w *worker) inlayHints(p *protocol.InlayHintParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	if !ok {
		return func(context.Context) (any, error) { return []protocol.InlayHint{}, nil }, nil
	}
	rng := p.Range
	return func(ctx context.Context) (any, error) {
		r := snap.result
		f := r.File
		from := toOffset(snap.file, rng.Start, snap.enc)
		to := toOffset(snap.file, rng.End, snap.enc)
		out := []protocol.InlayHint{}
		pad := true
		for _, d := range f.Defs {
			if d.Kind != syntax.Colon || d.DoesOf != nil || d.Name == "" || d.Comment != nil || d.NameEnd <= d.NameStart {
				continue
			}
			at := f.Abs(d.Epoch, d.NameEnd)
			if at < from || at > to {
				continue
			}
			res := resultOf(r, d)
			if res == nil || res.Inferred == nil {
				continue
			}
			out = append(out, protocol.InlayHint{
				Position:    toPosition(snap.file, at, snap.enc),
				Label:       protocol.String(res.Inferred.String()),
				Kind:        protocol.InlayHintKindType,
				PaddingLeft: &pad,
			})
		}
		return out, nil
	}, nil
}
