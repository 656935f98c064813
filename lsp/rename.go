package lsp

import (
	"context"
	"fmt"
	"unicode"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Rename: textDocument/prepareRename and textDocument/rename of a user
// definition of the document (or a local of one of its definitions) and
// every word of the document naming it. Words in other open documents are
// not renamed; definitions of included files are refused, as renaming
// them here alone would break the file that defines them.

func init() {
	register(protocol.MethodTextDocumentPrepareRename, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.PrepareRenameParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.prepareRename(&p) }, nil
		},
		// Announced with rename.
	})
	register(protocol.MethodTextDocumentRename, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.RenameParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			if err := validName(p.NewName); err != nil {
				return nil, err
			}
			return func(w *worker) (compute, error) { return w.rename(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			prepare := true
			caps.RenameProvider = &protocol.RenameOptions{PrepareProvider: &prepare}
		},
	})
}

func errRename(format string, args ...any) error {
	return jsonrpc2.NewError(jsonrpc2.Code(protocol.LSPErrorCodesRequestFailed), fmt.Sprintf(format, args...))
}

// validName checks a new name: a Forth name is any run of non-blank
// characters.
func validName(name string) error {
	if name == "" {
		return errInvalidParams("the new name is empty")
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return errInvalidParams("the new name %q holds a blank or control character: a Forth name cannot", name)
		}
	}
	return nil
}

// renameTarget checks that t can be renamed in the snapshot's document:
// t is nil when there is nothing to rename at the position.
func renameTarget(snap *snapshot, t *occ) error {
	if t == nil {
		return errRename("there is no word to rename here")
	}
	word := string(snap.file.Src[t.start:t.end])
	switch t.kind {
	case occBuiltin:
		return errRename("%s is a builtin word: it cannot be renamed", word)
	case occUndefined:
		return errRename("%s is not defined: there is no definition to rename", word)
	case occInclude:
		return errRename("an include path cannot be renamed")
	case occDef:
		if !isLocalDef(snap.result, t.def) {
			where := "another file"
			if t.def.File != nil {
				where = t.def.File.Name
			}
			return errRename("%s is defined in %s: rename it there", word, where)
		}
	}
	return nil
}

// prepareRename answers textDocument/prepareRename: the word's range and
// text, null where there is no word, an error for what cannot be renamed.
func (w *worker) prepareRename(p *protocol.PrepareRenameParams) (compute, error) {
	snap, _, t, ok := w.targetAt(&p.TextDocumentPositionParams)
	if !ok || t == nil {
		return nil, nil
	}
	if err := renameTarget(snap, t); err != nil {
		return nil, err
	}
	start, end := t.start, t.end
	return func(context.Context) (any, error) {
		return &protocol.PrepareRenamePlaceholder{
			Range:       toRange(snap.file, start, end, snap.enc),
			Placeholder: string(snap.file.Src[start:end]),
		}, nil
	}, nil
}

// rename answers textDocument/rename with the edits of this document.
func (w *worker) rename(p *protocol.RenameParams) (compute, error) {
	snap, occs, t, ok := w.targetAt(&p.TextDocumentPositionParams)
	if !ok {
		return nil, errRename("the document is not open")
	}
	if err := renameTarget(snap, t); err != nil {
		return nil, err
	}
	refs := sameAs(occs, t, true)
	return func(context.Context) (any, error) {
		edits := []protocol.TextEdit{}
		last := -1
		for _, o := range refs { // in text order
			if o.start < last {
				continue // never overlapping edits
			}
			edits = append(edits, protocol.TextEdit{Range: toRange(snap.file, o.start, o.end, snap.enc), NewText: p.NewName})
			last = o.end
		}
		return &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{snap.uri: edits}}, nil
	}, nil
}
