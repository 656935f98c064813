package lsp

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Navigation: textDocument/definition, declaration, references and
// documentHighlight. All of them read the occurrences of words in the
// snapshot's file (see occurrences), on the worker: the Checker's Remap,
// which maps definitions as first read onto those now in their place, is
// not safe for concurrent use.

func init() {
	position := func(method string, answer func(w *worker, p *protocol.TextDocumentPositionParams) (compute, error)) {
		register(method, feature{
			request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
				var p protocol.TextDocumentPositionParams
				if err := decode(raw, &p); err != nil {
					return nil, err
				}
				if p.TextDocument.URI == "" {
					return nil, errInvalidParams("textDocument.uri is required")
				}
				return func(w *worker) (compute, error) { return answer(w, &p) }, nil
			},
			capabilities: func(s *server, caps *protocol.ServerCapabilities) {
				switch method {
				case protocol.MethodTextDocumentDefinition:
					caps.DefinitionProvider = protocol.Boolean(true)
				case protocol.MethodTextDocumentDeclaration:
					caps.DeclarationProvider = protocol.Boolean(true)
				case protocol.MethodTextDocumentDocumentHighlight:
					caps.DocumentHighlightProvider = protocol.Boolean(true)
				}
			},
		})
	}
	position(protocol.MethodTextDocumentDefinition, (*worker).definition)
	position(protocol.MethodTextDocumentDeclaration, (*worker).definition)
	position(protocol.MethodTextDocumentDocumentHighlight, (*worker).highlight)
	register(protocol.MethodTextDocumentReferences, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.ReferenceParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.references(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.ReferencesProvider = protocol.Boolean(true)
		},
	})
}

// occKind tells what an occurrence of a word is.
type occKind uint8

const (
	occDef       occKind = iota // names a user definition (def)
	occLocal                    // names local index of owner
	occBuiltin                  // names a builtin
	occUndefined                // neither defined nor a number
	occInclude                  // the path of an include (include)
)

// occ is one occurrence of a name in the current text of a file.
type occ struct {
	start, end int
	def        *syntax.Def // canonical (Remap applied)
	owner      *syntax.Def // the definition whose local it is
	builtin    *builtins.Word
	include    *syntax.Include
	// The small fields last, together: a file's occurrences are kept
	// (one a word: 56 bytes each rather than 72 with padding).
	local int32
	kind  occKind
	decl  bool // where the definition or local is declared
	write bool // to, is, +to on it
}

// same reports whether o names what t names (a user definition or a
// local).
func (o *occ) same(t *occ) bool {
	switch t.kind {
	case occDef:
		return o.kind == occDef && o.def == t.def
	case occLocal:
		return o.kind == occLocal && o.owner == t.owner && o.local == t.local
	}
	return false
}

// occurrences lists every word of r's file that names something: the
// names of definitions and locals where declared, the words of the top
// level and of every definition body, the names ', ['], postpone, to, is
// (and synonym) take, and include paths, sorted by place. The text of
// strings and comments is not a word. It runs on the worker (it uses
// Remap).
func occurrences(r *analysis.Result) []occ {
	return sortRuns(occurrenceRuns(r), occBefore)
}

// occBefore orders occurrences by start, then end.
func occBefore(a, b occ) bool {
	return a.start < b.start || a.start == b.start && a.end < b.end
}

// occurrenceRuns lists the occurrences definition by definition, each
// definition's sorted, and the top level's in between.
func occurrenceRuns(r *analysis.Result) []occ {
	f := r.File
	src := f.Source.Src
	canon := func(d *syntax.Def) *syntax.Def {
		if r.Checker != nil && r.Checker.Remap != nil {
			return r.Checker.Remap(d)
		}
		return d
	}
	// Room for them all at once: growing the list copied it over and
	// over on a large file.
	n := len(f.Top) + len(f.Includes)
	for _, d := range f.Defs {
		n += 1 + len(d.Locals) + len(d.Body)
	}
	out := make([]occ, 0, n+n/8)
	valid := func(s, e int) bool { return 0 <= s && s < e && e <= len(src) }
	// named checks that the text is the name, so that an edit never
	// lands on anything else.
	named := func(s, e int, name string) bool {
		return valid(s, e) && name != "" && strings.EqualFold(string(src[s:e]), name)
	}
	addRef := func(ref syntax.Ref, s, e int, write bool) {
		switch {
		case ref.D != nil:
			d := canon(ref.D)
			if named(s, e, d.Name) {
				out = append(out, occ{start: s, end: e, kind: occDef, def: d, write: write})
			}
		case ref.B != nil:
			if valid(s, e) {
				out = append(out, occ{start: s, end: e, kind: occBuiltin, builtin: ref.B})
			}
		}
	}
	addLocal := func(owner *syntax.Def, i int32, s, e int, decl, write bool) {
		if owner == nil || i < 0 || int(i) >= len(owner.Locals) || !named(s, e, owner.Locals[i].Name) {
			return
		}
		out = append(out, occ{start: s, end: e, kind: occLocal, owner: owner, local: i, decl: decl, write: write})
	}
	walk := func(ops []syntax.Op, abs func(int32) int, owner *syntax.Def) {
		for i := range ops {
			op := &ops[i]
			s, e := abs(op.Start), abs(op.End)
			switch op.Kind {
			case syntax.OpLocal:
				addLocal(owner, op.Local, s, e, false, false)
			case syntax.OpUndefined:
				if valid(s, e) {
					out = append(out, occ{start: s, end: e, kind: occUndefined})
				}
			default:
				addRef(op.Ref, s, e, false)
			}
			as, ae := abs(op.ArgStart), abs(op.ArgEnd)
			switch op.Kind {
			case syntax.OpTick, syntax.OpPostpone:
				addRef(op.Target, as, ae, false)
			case syntax.OpTo:
				addRef(op.Target, as, ae, true)
			case syntax.OpToLocal:
				addLocal(owner, op.Local, as, ae, false, true)
			case syntax.OpDefine:
				// "synonym new old": old ends the definition.
				if nd := op.NewDef; nd != nil && nd.Kind == syntax.Alias && op.Ref.B != nil && op.Ref.B.Name == "synonym" {
					oe := f.Abs(nd.Epoch, nd.End)
					os := oe
					for os > 0 && os <= len(src) && !isBlank(src[os-1]) {
						os--
					}
					if os >= ae {
						addRef(op.Target, os, oe, false)
					}
				}
			}
		}
	}
	// The top level's occurrences go in between the definitions': those
	// up to a definition's start before it, so that the list is sorted
	// as it is made and sortRuns has nothing to merge (a merge copied it
	// all).
	top := func(x int32) int { return f.TopAbs(x) }
	ti, ii := 0, 0
	flush := func(limit int) {
		first := len(out)
		for ; ti < len(f.Top) && top(f.Top[ti].Start) <= limit; ti++ {
			walk(f.Top[ti:ti+1], top, nil)
		}
		for ; ii < len(f.Includes) && top(f.Includes[ii].Start) <= limit; ii++ {
			inc := &f.Includes[ii]
			if s, e := top(inc.Start), top(inc.End); inc.End > inc.Start && valid(s, e) {
				out = append(out, occ{start: s, end: e, kind: occInclude, include: inc})
			}
		}
		sortStable(out[first:], occBefore)
	}
	for _, d := range f.Defs {
		flush(f.Abs(d.Epoch, d.Start))
		first := len(out)
		abs := func(x int32) int { return f.Abs(d.Epoch, x) }
		if s, e := abs(d.NameStart), abs(d.NameEnd); d.Name != "" && named(s, e, d.Name) {
			out = append(out, occ{start: s, end: e, kind: occDef, def: canon(d), decl: true})
		}
		for i, l := range d.Locals {
			addLocal(d, int32(i), abs(l.Start), abs(l.End), true, false)
		}
		walk(d.Body, abs, d)
		sortStable(out[first:], occBefore)
	}
	flush(math.MaxInt)
	return out
}

func isBlank(c byte) bool { return c <= ' ' }

// occAt returns the smallest occurrence holding byte offset off, else
// one that ends at off (the cursor just after a word), or nil.
func occAt(occs []occ, off int) *occ {
	var best *occ
	for i := range occs {
		o := &occs[i]
		if o.start <= off && off < o.end && (best == nil || o.end-o.start < best.end-best.start) {
			best = o
		}
	}
	if best != nil {
		return best
	}
	for i := range occs {
		if o := &occs[i]; o.end == off && o.end > o.start {
			return o
		}
	}
	return nil
}

// isLocalDef reports whether d is one of the definitions of r's file (as
// opposed to one of an included file).
func isLocalDef(r *analysis.Result, d *syntax.Def) bool {
	return r.File.IndexOf(d) >= 0
}

// place is a location computed on the worker: a range of a file's text.
type place struct {
	uri        uri.URI
	file       *source.File
	start, end int
}

func (p place) location(enc encoding) protocol.Location {
	return protocol.Location{URI: p.uri, Range: toRange(p.file, p.start, p.end, enc)}
}

// declPlace is where the definition or local t names is declared.
func declPlace(snap *snapshot, t *occ) (place, bool) {
	r := snap.result
	f := r.File
	switch t.kind {
	case occDef:
		d := t.def
		if isLocalDef(r, d) {
			return place{snap.uri, snap.file, f.Abs(d.Epoch, d.NameStart), f.Abs(d.Epoch, d.NameEnd)}, true
		}
		if d.File != nil && filepath.IsAbs(d.File.Name) {
			s, e := int(d.NameStart), int(d.NameEnd)
			if 0 <= s && s <= e && e <= len(d.File.Src) {
				return place{uri.File(d.File.Name), d.File, s, e}, true
			}
		}
	case occLocal:
		l := t.owner.Locals[t.local]
		return place{snap.uri, snap.file, f.Abs(t.owner.Epoch, l.Start), f.Abs(t.owner.Epoch, l.End)}, true
	case occInclude:
		if inc := t.include.File; inc != nil && inc.Source != nil && filepath.IsAbs(inc.Source.Name) {
			return place{uri.File(inc.Source.Name), inc.Source, 0, 0}, true
		}
	}
	return place{}, false
}

// targetAt reads the snapshot of a request at a position: the document's
// occurrences and the one at the position (nil when none). ok is false
// when the document is not open.
func (w *worker) targetAt(p *protocol.TextDocumentPositionParams) (snap *snapshot, occs []occ, t *occ, ok bool) {
	snap, ok = w.snapshot(p.TextDocument.URI)
	if !ok {
		return nil, nil, nil, false
	}
	occs = w.occurrencesOf(w.docs[p.TextDocument.URI], snap.result)
	t = occAt(occs, toOffset(snap.file, p.Position, snap.enc))
	return snap, occs, t, true
}

// occurrencesOf is occurrences(r) for r, d's analysis, computed once per
// version. The slice is shared by the requests on that version, which
// only read it (its capacity is its length: an append copies).
func (w *worker) occurrencesOf(d *document, r *analysis.Result) []occ {
	if d == nil || d.result != r {
		return occurrences(r)
	}
	if d.occsOf != r {
		d.occs, d.occsOf = slices.Clip(occurrences(r)), r
	}
	return d.occs
}

// definition answers textDocument/definition and declaration: where the
// user definition, local or included file at the position is. Builtins
// and undefined words have none: an empty list.
func (w *worker) definition(p *protocol.TextDocumentPositionParams) (compute, error) {
	snap, _, t, ok := w.targetAt(p)
	var at place
	if ok && t != nil {
		at, ok = declPlace(snap, t)
	}
	// An undefined word may be defined in a workspace file this document
	// does not include (workspace.go).
	far := elsewhereLocations(snap, t)
	return func(context.Context) (any, error) {
		out := []protocol.Location{}
		if ok && t != nil {
			out = append(out, at.location(snap.enc))
		}
		out = append(out, far...)
		return out, nil
	}, nil
}

// sameAs lists the occurrences naming what t names, declarations
// included when decl is set.
func sameAs(occs []occ, t *occ, decl bool) []occ {
	var out []occ
	for i := range occs {
		if o := &occs[i]; o.same(t) && (decl || !o.decl) {
			out = append(out, *o)
		}
	}
	return out
}

// references answers textDocument/references: the words of this
// document that name the same user definition or local, and its
// declaration when asked for (in an included file when it is there),
// then the uses in other workspace files and open documents (xrefs.go).
func (w *worker) references(p *protocol.ReferenceParams) (compute, error) {
	snap, occs, t, ok := w.targetAt(&p.TextDocumentPositionParams)
	var refs []occ
	var decl place
	hasDecl := false
	if ok && t != nil {
		refs = sameAs(occs, t, p.Context.IncludeDeclaration)
		if p.Context.IncludeDeclaration && t.kind == occDef && !isLocalDef(snap.result, t.def) {
			decl, hasDecl = declPlace(snap, t)
		}
	}
	// An undefined word that workspace files this document does not
	// include define: its uses here, and those definitions (workspace.go).
	var far []protocol.Location
	if defs := elsewhereLocations(snap, t); len(defs) > 0 {
		refs = sameUndefined(snap, occs, t)
		if p.Context.IncludeDeclaration {
			far = defs
		}
	}
	var wide func([]protocol.Location) []protocol.Location
	if ok && t != nil {
		wide = w.workspaceRefs(snap, t)
	}
	return func(context.Context) (any, error) {
		out := []protocol.Location{}
		if hasDecl {
			out = append(out, decl.location(snap.enc))
		}
		out = append(out, far...)
		for _, o := range refs {
			out = append(out, protocol.Location{URI: snap.uri, Range: toRange(snap.file, o.start, o.end, snap.enc)})
		}
		if wide != nil {
			out = wide(out)
		}
		return out, nil
	}, nil
}

// highlight answers textDocument/documentHighlight: the same words as
// references with the declaration, which is marked as a write, as are
// to, is and +to.
func (w *worker) highlight(p *protocol.TextDocumentPositionParams) (compute, error) {
	snap, occs, t, ok := w.targetAt(p)
	var refs []occ
	if ok && t != nil {
		refs = sameAs(occs, t, true)
	}
	return func(context.Context) (any, error) {
		out := []protocol.DocumentHighlight{}
		for _, o := range refs {
			kind := protocol.DocumentHighlightKindRead
			if o.decl || o.write {
				kind = protocol.DocumentHighlightKindWrite
			}
			out = append(out, protocol.DocumentHighlight{Range: toRange(snap.file, o.start, o.end, snap.enc), Kind: kind})
		}
		return out, nil
	}, nil
}
