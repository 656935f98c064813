package lsp

import (
	"context"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

func init() {
	register(protocol.MethodTextDocumentSignatureHelp, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.SignatureHelpParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.signatureHelp(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			// A blank ends a word: show the effect of the word just typed.
			caps.SignatureHelpProvider = &protocol.SignatureHelpOptions{TriggerCharacters: []string{" "}}
		},
	})
}

// signatureHelp answers textDocument/signatureHelp with the effect of the
// word at (or just before) the cursor and, inside a definition, the stack
// it acts on. The facts are those of a hover, read on the worker.
func (w *worker) signatureHelp(p *protocol.SignatureHelpParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	off := toOffset(snap.file, p.Position, snap.enc)
	facts := collectHover(snap, off)
	// After "dup " the cursor is past the blank: look at the word before.
	for back := off; facts == nil && back > 0 && back > off-2 && snap.file.Src[back-1] <= ' '; back-- {
		facts = collectHover(snap, back-1)
	}
	if facts == nil || facts.about == nil || facts.about.effect == "" {
		return nil, nil
	}
	return func(ctx context.Context) (any, error) {
		a := facts.about
		doc := a.doc
		if st := facts.stack; st != nil && len(st.before) > 0 {
			doc = strings.TrimSpace("Stack before it: `" + strings.Join(st.before, "` or `") + "`\n\n" + doc)
		}
		info := protocol.SignatureInformation{Label: a.name + " " + a.effect}
		if doc != "" {
			info.Documentation = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: doc}
		}
		return &protocol.SignatureHelp{Signatures: []protocol.SignatureInformation{info}}, nil
	}, nil
}
