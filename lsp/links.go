package lsp

import (
	"context"
	"path/filepath"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// textDocument/documentLink: the path of each include, require, needs
// (and s" path" included, required) links to the file it resolved to.
// Paths that were not found have no link.

func init() {
	register(protocol.MethodTextDocumentDocumentLink, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.DocumentLinkParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.documentLinks(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.DocumentLinkProvider = &protocol.DocumentLinkOptions{}
		},
	})
}

func (w *worker) documentLinks(p *protocol.DocumentLinkParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	type link struct {
		start, end int
		path       string
	}
	var links []link
	if ok {
		// Read on the worker, like every use of the analysis.
		f := snap.result.File
		for _, inc := range f.Includes {
			// Preloaded files have no text here.
			if inc.End <= inc.Start || inc.File == nil || inc.File.Source == nil || !filepath.IsAbs(inc.File.Source.Name) {
				continue
			}
			s, e := f.TopAbs(inc.Start), f.TopAbs(inc.End)
			if s < 0 || e > len(snap.file.Src) {
				continue
			}
			links = append(links, link{s, e, inc.File.Source.Name})
		}
	}
	return func(context.Context) (any, error) {
		out := []protocol.DocumentLink{}
		for _, l := range links {
			target := uri.File(l.path)
			tip := l.path
			out = append(out, protocol.DocumentLink{Range: toRange(snap.file, l.start, l.end, snap.enc), Target: &target, Tooltip: &tip})
		}
		return out, nil
	}, nil
}
