package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Rename: textDocument/prepareRename and textDocument/rename of a user
// word and every place that names it, across the workspace, or of a
// local within its definition. The places are exactly those references
// answers with the declaration (xrefs.go), so that the two never
// disagree; rename only adds the checks that make the edit safe to
// apply: the files that are not open are read again, and a file whose
// disk text is not the one indexed refuses the rename rather than
// receive edits at stale positions, and a file outside the workspace
// folders that is not open (a system library's, followed through an
// include or a link) refuses it rather than be edited behind the user's
// back.

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
	if err := analysis.CheckName(name); err != nil {
		return errInvalidParams("the new name: %v", err)
	}
	return nil
}

// readDocumentChanges reports whether the client's initialize params
// announce workspace.workspaceEdit.documentChanges: only then may a
// rename answer with versioned document edits.
func readDocumentChanges(raw jsonrpc2.RawMessage) bool {
	var p struct {
		Capabilities struct {
			Workspace struct {
				WorkspaceEdit struct {
					DocumentChanges bool `json:"documentChanges"`
				} `json:"workspaceEdit"`
			} `json:"workspace"`
		} `json:"capabilities"`
	}
	return json.Unmarshal(raw, &p) == nil && p.Capabilities.Workspace.WorkspaceEdit.DocumentChanges
}

// renameTarget checks that t can be renamed from the snapshot's document:
// t is nil when there is nothing to rename at the position. ed tells
// which files a rename may edit.
func renameTarget(snap *snapshot, t *occ, ed editable) error {
	if t == nil {
		return errRename("there is no word to rename here")
	}
	word := string(snap.file.Src[t.start:t.end])
	switch t.kind {
	case occBuiltin:
		return errRename("%s is a builtin word: it cannot be renamed", word)
	case occUndefined:
		switch hits := snap.elsewhere(snap.wordAt(t.start, t.end)); len(hits) {
		case 0:
			return errRename("%s is not defined: there is no definition to rename", word)
		case 1:
			if p := hits[0].file.path; !ed.ok(p) {
				return errOutside(word, p)
			}
		default:
			// Which one the file means is decided by whoever includes it:
			// renaming them all would rename unrelated words.
			var files []string
			for _, h := range hits {
				files = append(files, snap.relPath(h.file.path))
			}
			return errRename("%s is defined in several files (%s): rename it from its definition", word, strings.Join(files, ", "))
		}
	case occInclude:
		return errRename("an include path cannot be renamed")
	case occDef:
		p, ok := declPlace(snap, t)
		if !ok {
			// A preloaded or untitled file's definition: its text cannot
			// be edited.
			return errRename("%s is not defined in a file that can be edited", word)
		}
		if path := docName(p.uri); p.uri != snap.uri && !ed.ok(path) {
			return errOutside(word, path)
		}
	}
	return nil
}

// errOutside refuses to rename word, defined in path outside the
// workspace: renaming only the workspace's uses would leave them naming
// nothing.
func errOutside(word, path string) error {
	if real, err := filepath.EvalSymlinks(path); err == nil && real != path {
		path += " (a link to " + real + ")"
	}
	return errRename("%s is defined in %s, outside the workspace folders: renaming it would edit that file, so it is not renamed", word, path)
}

// editable is which files a workspace edit may touch: the open
// documents (the client edits their buffers) and the files inside the
// workspace folders once links are resolved, never a file elsewhere that
// an include or a link led to. A client that opened no folder has for
// workspace the projects of its open documents.
type editable struct {
	open    map[string]bool // open documents' paths
	folders []string        // the workspace folders, links resolved
}

// editable captures the files the worker's edits may touch now.
func (w *worker) editable() editable {
	ed := editable{open: map[string]bool{}}
	dirs := w.space.list()
	for _, d := range w.docs {
		ed.open[d.name] = true
	}
	if len(dirs) == 0 {
		for _, d := range w.docs {
			if !filepath.IsAbs(d.name) {
				continue
			}
			// The project's root, else the document's own directory
			// (a document not on disk has no project directory).
			root := w.projectOf(d.name).root
			if st, err := os.Stat(root); err != nil || !st.IsDir() {
				root = filepath.Dir(d.name)
			}
			dirs = append(dirs, root)
		}
	}
	for _, f := range dirs {
		if r, err := filepath.EvalSymlinks(f); err == nil {
			f = r
		}
		ed.folders = append(ed.folders, f)
	}
	return ed
}

// ok reports whether path may be edited: it is open, or it lies in a
// workspace folder after its links are resolved (a file that does not
// exist is not).
func (ed editable) ok(path string) bool {
	if ed.open[path] {
		return true
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	for _, f := range ed.folders {
		if within(real, f) {
			return true
		}
	}
	return false
}

// prepareRename answers textDocument/prepareRename: the word's range and
// text, null where there is no word, an error for what cannot be renamed.
func (w *worker) prepareRename(p *protocol.PrepareRenameParams) (compute, error) {
	snap, _, t, ok := w.targetAt(&p.TextDocumentPositionParams)
	if !ok || t == nil {
		return nil, nil
	}
	if err := renameTarget(snap, t, w.editable()); err != nil {
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

// rename answers textDocument/rename: an edit of every place references
// lists with the declaration.
func (w *worker) rename(p *protocol.RenameParams) (compute, error) {
	snap, _, t, ok := w.targetAt(&p.TextDocumentPositionParams)
	if !ok {
		return nil, errRename("the document is not open")
	}
	ed := w.editable()
	if err := renameTarget(snap, t, ed); err != nil {
		return nil, err
	}
	refs, err := w.references(&protocol.ReferenceParams{
		TextDocumentPositionParams: p.TextDocumentPositionParams,
		Context:                    protocol.ReferenceContext{IncludeDeclaration: true},
	})
	if err != nil {
		return nil, err
	}
	plan := &renamePlan{
		old:     string(snap.file.Src[t.start:t.end]),
		new:     p.NewName,
		enc:     snap.enc,
		index:   snap.index,
		cfg:     w.settings().syntaxConfig(),
		open:    map[uri.URI]int32{},
		changes: w.s.docChanges.Load(),
		ed:      ed,
	}
	for u, d := range w.docs {
		plan.open[u] = d.version
	}
	return func(ctx context.Context) (any, error) {
		v, err := refs(ctx)
		if err != nil {
			return nil, err
		}
		locs, _ := v.([]protocol.Location)
		return plan.edit(locs)
	}, nil
}

// syntaxConfig is how the index reads files under these settings.
func (st *settings) syntaxConfig() syntax.Config {
	return analysis.Options{NoFloats: !st.Floats, Dialect: st.Dialect}.Reader()
}

// renamePlan is what a rename needs off the worker.
type renamePlan struct {
	old, new string
	enc      encoding
	index    *wsIndex
	cfg      syntax.Config
	open     map[uri.URI]int32 // open documents' versions
	changes  bool              // answer with documentChanges
	ed       editable
}

// edit turns the places to rename into a workspace edit, after checking
// the files that are not open against their disk text.
func (pl *renamePlan) edit(locs []protocol.Location) (*protocol.WorkspaceEdit, error) {
	if len(locs) >= maxReferences {
		// references stops at the cap: renaming only some would break
		// the rest.
		return nil, errRename("%s has %d or more references: too many to rename safely", pl.old, maxReferences)
	}
	byURI := map[uri.URI][]protocol.Range{}
	for _, l := range locs {
		byURI[l.URI] = append(byURI[l.URI], l.Range)
	}
	uris := make([]uri.URI, 0, len(byURI))
	for u, rs := range byURI {
		uris = append(uris, u)
		sort.Slice(rs, func(i, j int) bool { return before(rs[i].Start, rs[j].Start) })
	}
	sort.Slice(uris, func(i, j int) bool { return uris[i] < uris[j] })
	out := &protocol.WorkspaceEdit{}
	if !pl.changes {
		out.Changes = map[uri.URI][]protocol.TextEdit{}
	}
	for _, u := range uris {
		rs := byURI[u]
		_, open := pl.open[u]
		if !open {
			if path := docName(u); !pl.ed.ok(path) {
				// A use in a file outside the workspace: leaving it
				// would break it, editing it is not ours to do.
				return nil, errRename("renaming %s would edit %s, outside the workspace folders: it is not renamed", pl.old, path)
			}
			if err := pl.check(u, rs); err != nil {
				return nil, err
			}
		}
		edits := []protocol.TextEdit{}
		var last *protocol.Position
		for _, r := range rs {
			if last != nil && before(r.Start, *last) {
				continue // never overlapping edits
			}
			edits = append(edits, protocol.TextEdit{Range: r, NewText: pl.new})
			end := r.End
			last = &end
		}
		if !pl.changes {
			out.Changes[u] = edits
			continue
		}
		id := protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}}
		if open {
			// A file that is not open gets a null version: its disk
			// text is the truth.
			v := pl.open[u]
			id.Version = &v
		}
		elems := make([]protocol.TextDocumentEditElement, len(edits))
		for i := range edits {
			elems[i] = &edits[i]
		}
		out.DocumentChanges = append(out.DocumentChanges, &protocol.TextDocumentEdit{TextDocument: id, Edits: elems})
	}
	return out, nil
}

func before(a, b protocol.Position) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Character < b.Character)
}

// check reads a file that is not open again and makes sure every range
// is still a word naming the old name there, outside strings and
// comments: its index entry, whose places references used, may be older
// than its disk text when the watcher has not told yet.
func (pl *renamePlan) check(u uri.URI, rs []protocol.Range) error {
	path := docName(u)
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return errRename("cannot rename in %s: %v", name, err)
	}
	if pl.index != nil {
		if mod, size, ok := pl.index.stat(path); ok && (!mod.Equal(st.ModTime()) || size != st.Size()) {
			return errRename("%s changed on disk since it was indexed: try the rename again once it is read again", name)
		}
	}
	src, err := analysis.ReadSource(path)
	if err != nil {
		return errRename("cannot rename in %s: %v", name, err)
	}
	// The places a parse of the current text holds: the uses and the
	// definitions' names, never text in strings or comments.
	f := indexSource(path, src, pl.cfg, pl.enc)
	lower := builtins.LowerASCII(pl.old)
	words := map[protocol.Range]bool{}
	for _, use := range f.uses[lower] {
		words[use.rng] = true
	}
	for _, d := range f.defs {
		if d.name == lower {
			words[d.sel] = true
		}
	}
	sf := source.NewFile(path, src)
	for _, r := range rs {
		s, e := toOffset(sf, r.Start, pl.enc), toOffset(sf, r.End, pl.enc)
		if !words[r] || s < 0 || s >= e || e > len(src) || !bytes.EqualFold(src[s:e], []byte(pl.old)) {
			return errRename("%s changed on disk: %s is no longer at line %d, character %d; try the rename again",
				name, pl.old, r.Start.Line+1, r.Start.Character+1)
		}
	}
	return nil
}
