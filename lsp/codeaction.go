package lsp

import (
	"context"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

func init() {
	register(protocol.MethodTextDocumentCodeAction, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.CodeActionParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.codeActions(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.CodeActionProvider = &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}}
		},
	})
}

// commentEdit is one stack comment to insert or replace.
type commentEdit struct {
	title      string
	start, end int // bytes replaced (equal for an insertion)
	text       string
	preferred  bool
}

// codeActions answers textDocument/codeAction for the colon definitions
// the range touches: insert the inferred stack comment where there is none,
// and correct a declared comment that disagrees with the body.
func (w *worker) codeActions(p *protocol.CodeActionParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	empty := func(context.Context) (any, error) { return []protocol.CodeAction{}, nil }
	if !ok {
		return empty, nil
	}
	r := snap.result
	f := r.File
	lo := toOffset(snap.file, p.Range.Start, snap.enc)
	hi := toOffset(snap.file, p.Range.End, snap.enc)
	var edits []commentEdit
	for _, d := range f.Defs {
		if d.Kind != syntax.Colon || d.Name == "" || d.Outer != nil || d.Unterminated {
			continue
		}
		start, end := f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)
		if end < lo || start > hi {
			continue
		}
		res := resultOf(r, d)
		if res == nil || res.Inferred == nil || len(res.Alts) != 1 {
			continue
		}
		switch {
		case d.Comment == nil && res.Status == infer.Undeclared:
			at := f.Abs(d.Epoch, d.NameEnd)
			c := res.Inferred.String()
			edits = append(edits, commentEdit{title: "Insert the inferred stack comment " + c, start: at, end: at, text: " " + c, preferred: true})
		case d.Comment != nil && !d.Comment.FromLocals && res.Status == infer.Mismatch:
			c := withParsed(res.Inferred.String(), &d.Comment.Effect)
			edits = append(edits, commentEdit{title: "Correct the stack comment to " + c,
				start: f.Abs(d.Epoch, d.Comment.Start), end: f.Abs(d.Epoch, d.Comment.End), text: c})
		}
	}
	if len(edits) == 0 {
		return empty, nil
	}
	u := p.TextDocument.URI
	return func(ctx context.Context) (any, error) {
		actions := make([]protocol.CodeAction, 0, len(edits))
		kind := protocol.CodeActionKindQuickFix
		for _, e := range edits {
			a := protocol.CodeAction{Title: e.title, Kind: &kind, Edit: &protocol.WorkspaceEdit{
				Changes: map[uri.URI][]protocol.TextEdit{u: {{Range: toRange(snap.file, e.start, e.end, snap.enc), NewText: e.text}}},
			}}
			if e.preferred {
				t := true
				a.IsPreferred = &t
			}
			actions = append(actions, a)
		}
		return actions, nil
	}, nil
}

// withParsed keeps the parsed-text items of a declaration ("name") at the
// front of a corrected comment: they are not on any stack, so inference
// does not see them.
func withParsed(inferred string, decl *effect.Effect) string {
	var parsed []string
	for _, it := range decl.Parses() {
		parsed = append(parsed, it.Name)
	}
	if len(parsed) == 0 || !strings.HasPrefix(inferred, "(") {
		return inferred
	}
	return "( " + strings.Join(parsed, " ") + inferred[1:]
}
