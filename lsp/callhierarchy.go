package lsp

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sort"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Call hierarchy: textDocument/prepareCallHierarchy names the user
// definition at a position (or, for a word this document does not define,
// its definitions in other workspace files); callHierarchy/incomingCalls
// lists the definitions that use it, workspace-wide, through the same
// references as textDocument/references (the open documents' analyses and
// the workspace index), grouped by the definition that holds each use
// (top-level code is an item of kind File named after its file);
// callHierarchy/outgoingCalls lists the user words a definition's body
// uses, builtins left out.
//
// An item's data records where it was asked about (an open document and
// a position in it where the word is named): incoming and outgoing calls
// read the word from there again, since the file that defines it need
// not be open.

func init() {
	register(protocol.MethodTextDocumentPrepareCallHierarchy, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.CallHierarchyPrepareParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.prepareCallHierarchy(&p.TextDocumentPositionParams) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.CallHierarchyProvider = protocol.Boolean(true)
		},
	})
	register(protocol.MethodCallHierarchyIncomingCalls, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.CallHierarchyIncomingCallsParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			return func(w *worker) (compute, error) { return w.incomingCalls(&p.Item) }, nil
		},
	})
	register(protocol.MethodCallHierarchyOutgoingCalls, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.CallHierarchyOutgoingCallsParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			return func(w *worker) (compute, error) { return w.outgoingCalls(&p.Item) }, nil
		},
	})
}

// callOrigin is an item's data: a place in an open document that names
// the item's word.
type callOrigin struct {
	URI      uri.URI           `json:"uri"`
	Position protocol.Position `json:"position"`
}

func originData(u uri.URI, p protocol.Position) protocol.LSPAny {
	b, _ := json.Marshal(callOrigin{URI: u, Position: p})
	return b
}

// origin reads where an item was asked about; an item without data (or
// with data of another shape) is read at its own name.
func itemOrigin(it *protocol.CallHierarchyItem) protocol.TextDocumentPositionParams {
	var o callOrigin
	if len(it.Data) > 0 && json.Unmarshal(it.Data, &o) == nil && o.URI != "" {
		return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: o.URI}, Position: o.Position}
	}
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: it.URI}, Position: it.SelectionRange.Start}
}

// defPlace is where a definition stands: its file, the whole definition
// and its name, in the snapshot's document when it is defined there.
func defPlace(snap *snapshot, d *syntax.Def) (u uri.URI, f *source.File, start, end, nameStart, nameEnd int, ok bool) {
	r := snap.result
	if isLocalDef(r, d) {
		sf := r.File
		return snap.uri, snap.file, sf.Abs(d.Epoch, d.Start), sf.Abs(d.Epoch, d.End), sf.Abs(d.Epoch, d.NameStart), sf.Abs(d.Epoch, d.NameEnd), true
	}
	if d.File == nil || !filepath.IsAbs(d.File.Name) {
		return "", nil, 0, 0, 0, 0, false
	}
	s, e, ns, ne := int(d.Start), int(d.End), int(d.NameStart), int(d.NameEnd)
	if s < 0 || e > len(d.File.Src) || s > e || ns < s || ne > e || ns > ne {
		return "", nil, 0, 0, 0, 0, false
	}
	return uri.File(d.File.Name), d.File, s, e, ns, ne, true
}

// defItem is the call hierarchy item of a user definition; data is the
// place it was named at.
func defItem(snap *snapshot, d *syntax.Def, data protocol.LSPAny) (protocol.CallHierarchyItem, bool) {
	u, f, s, e, ns, ne, ok := defPlace(snap, d)
	if !ok {
		return protocol.CallHierarchyItem{}, false
	}
	name := d.Display
	if name == "" {
		name = symbolName(d)
	}
	it := protocol.CallHierarchyItem{Name: name, Kind: symbolKind(d), URI: u,
		Range: toRange(f, s, e, snap.enc), SelectionRange: toRange(f, ns, ne, snap.enc), Data: data}
	if detail := symbolDetail(snap.result, d); detail != "" {
		it.Detail = &detail
	}
	return it, true
}

// indexItem is the item of a definition the workspace index holds.
func indexItem(f *indexFile, d *indexDef, data protocol.LSPAny) protocol.CallHierarchyItem {
	it := protocol.CallHierarchyItem{Name: d.display, Kind: d.symbol, URI: f.uri, Range: d.rng, SelectionRange: d.sel, Data: data}
	if d.effect != "" {
		eff := d.effect
		it.Detail = &eff
	}
	return it
}

func (w *worker) prepareCallHierarchy(p *protocol.TextDocumentPositionParams) (compute, error) {
	snap, _, t, ok := w.targetAt(p)
	var items []protocol.CallHierarchyItem
	if ok && t != nil {
		data := originData(p.TextDocument.URI, p.Position)
		switch t.kind {
		case occDef:
			if it, ok := defItem(snap, t.def, data); ok {
				items = append(items, it)
			}
		case occUndefined:
			for _, h := range snap.elsewhere(snap.wordAt(t.start, t.end)) {
				items = append(items, indexItem(h.file, h.def, data))
			}
		}
	}
	return func(context.Context) (any, error) {
		if len(items) == 0 {
			return nil, nil
		}
		return items, nil
	}, nil
}

// caller is one item of an incoming calls answer and the uses in it.
type caller struct {
	item   protocol.CallHierarchyItem
	ranges []protocol.Range
}

func (w *worker) incomingCalls(item *protocol.CallHierarchyItem) (compute, error) {
	origin := itemOrigin(item)
	empty := func(context.Context) (any, error) { return []protocol.CallHierarchyIncomingCall{}, nil }
	if _, ok := w.snapshot(origin.TextDocument.URI); !ok {
		return empty, nil
	}
	refs, err := w.references(&protocol.ReferenceParams{TextDocumentPositionParams: origin})
	if err != nil || refs == nil {
		return empty, err
	}
	// The open documents, for the definitions holding uses in them; the
	// other files are read from the index (off the worker: its entries
	// are immutable).
	open := map[uri.URI]*snapshot{}
	for u := range w.docs {
		if s, ok := w.snapshot(u); ok {
			open[u] = s
		}
	}
	enc := w.s.encoding()
	ix := w.ix
	return func(ctx context.Context) (any, error) {
		res, err := refs(ctx)
		if err != nil {
			return nil, err
		}
		locs, _ := res.([]protocol.Location)
		files := map[string]*indexFile{}
		ix.all(enc, nil, func(f *indexFile) { files[f.path] = f })
		byKey := map[string]*caller{}
		var order []string
		for _, l := range locs {
			it, ok := callerAt(open, files, l, enc)
			if !ok {
				continue
			}
			key := string(it.URI) + "#" + it.Name + "@" + posKey(it.SelectionRange.Start)
			c := byKey[key]
			if c == nil {
				c = &caller{item: it}
				byKey[key] = c
				order = append(order, key)
			}
			c.ranges = append(c.ranges, l.Range)
			// Top-level code: one item per file, spanning its uses.
			if it.Kind == protocol.SymbolKindFile && !before(l.Range.End, c.item.Range.End) {
				c.item.Range.End = l.Range.End
			}
		}
		out := make([]protocol.CallHierarchyIncomingCall, 0, len(order))
		for _, k := range order {
			c := byKey[k]
			out = append(out, protocol.CallHierarchyIncomingCall{From: c.item, FromRanges: c.ranges})
		}
		return out, nil
	}, nil
}

func posKey(p protocol.Position) string {
	b, _ := json.Marshal(p)
	return string(b)
}

// callerAt is the item of the definition that holds the use at l: a
// definition of an open document (the outermost one, for a quotation), of
// an indexed file, or the top-level code of the file.
func callerAt(open map[uri.URI]*snapshot, files map[string]*indexFile, l protocol.Location, enc encoding) (protocol.CallHierarchyItem, bool) {
	data := originData(l.URI, l.Range.Start)
	if snap := open[l.URI]; snap != nil {
		f := snap.result.File
		d := innermost(f, toOffset(snap.file, l.Range.Start, snap.enc))
		for d != nil && d.Outer != nil {
			d = d.Outer
		}
		if d != nil {
			it, ok := defItem(snap, d, originData(snap.uri, toRange(snap.file, f.Abs(d.Epoch, d.NameStart), f.Abs(d.Epoch, d.NameEnd), snap.enc).Start))
			if ok {
				return it, true
			}
		}
		return topItem(l), true
	}
	if !l.URI.IsFile() {
		return protocol.CallHierarchyItem{}, false
	}
	if f := files[docName(l.URI)]; f != nil {
		for i := range f.defs {
			d := &f.defs[i]
			if !before(l.Range.Start, d.rng.Start) && !before(d.rng.End, l.Range.End) {
				return indexItem(f, d, data), true
			}
		}
	}
	return topItem(l), true
}

// topItem is the item of a file's top-level code, at the use l.
func topItem(l protocol.Location) protocol.CallHierarchyItem {
	name := string(l.URI)
	if l.URI.IsFile() {
		name = filepath.Base(docName(l.URI))
	}
	return protocol.CallHierarchyItem{Name: name + " (top level)", Kind: protocol.SymbolKindFile, URI: l.URI,
		Range: l.Range, SelectionRange: l.Range}
}

func (w *worker) outgoingCalls(item *protocol.CallHierarchyItem) (compute, error) {
	origin := itemOrigin(item)
	snap, _, t, ok := w.targetAt(&origin)
	var out []protocol.CallHierarchyOutgoingCall
	if ok && t != nil && t.kind == occDef {
		out = outgoing(snap, t.def)
	}
	return func(context.Context) (any, error) {
		if out == nil {
			out = []protocol.CallHierarchyOutgoingCall{}
		}
		return out, nil
	}, nil
}

// outgoing lists the user words d's body (and its does> part) uses, in
// the order of their first use, with the ranges of the uses in d's file.
func outgoing(snap *snapshot, d *syntax.Def) []protocol.CallHierarchyOutgoingCall {
	r := snap.result
	local := isLocalDef(r, d)
	src := d.File
	abs := func(def *syntax.Def, x int32) int { return int(x) }
	if local {
		src = snap.file
		abs = func(def *syntax.Def, x int32) int { return r.File.Abs(def.Epoch, x) }
	}
	if src == nil {
		return nil
	}
	canon := func(x *syntax.Def) *syntax.Def {
		if r.Checker != nil && r.Checker.Remap != nil {
			return r.Checker.Remap(x)
		}
		return x
	}
	byKey := map[string]int{}
	var out []protocol.CallHierarchyOutgoingCall
	add := func(it protocol.CallHierarchyItem, rng protocol.Range) {
		key := string(it.URI) + "@" + posKey(it.SelectionRange.Start)
		i, ok := byKey[key]
		if !ok {
			i = len(out)
			byKey[key] = i
			out = append(out, protocol.CallHierarchyOutgoingCall{To: it})
		}
		out[i].FromRanges = append(out[i].FromRanges, rng)
	}
	var walk func(def *syntax.Def, depth int)
	walk = func(def *syntax.Def, depth int) {
		if def == nil || depth > 8 {
			return
		}
		for i := range def.Body {
			op := &def.Body[i]
			ref, s, e := op.Ref, abs(def, op.Start), abs(def, op.End)
			switch op.Kind {
			case syntax.OpCall, syntax.OpUndefined:
			case syntax.OpTick, syntax.OpPostpone:
				ref, s, e = op.Target, abs(def, op.ArgStart), abs(def, op.ArgEnd)
			default:
				if op.NewDef != nil && op.NewDef.Outer == def {
					walk(op.NewDef, depth+1)
				}
				continue
			}
			if s < 0 || e > len(src.Src) || s >= e {
				continue
			}
			rng := toRange(src, s, e, snap.enc)
			data := originData(snap.uri, protocol.Position{})
			switch {
			case ref.D != nil:
				callee := canon(ref.D)
				if local {
					data = originData(snap.uri, rng.Start)
				} else if cu, cf, _, _, cns, _, ok := defPlace(snap, callee); ok {
					// Named in a file that is not open: read it at
					// its definition when that is open.
					data = originData(cu, toRange(cf, cns, cns, snap.enc).Start)
				}
				if it, ok := defItem(snap, callee, data); ok {
					add(it, rng)
				}
			case op.Kind == syntax.OpUndefined && local:
				for _, h := range snap.elsewhere(snap.wordAt(s, e)) {
					add(indexItem(h.file, h.def, originData(snap.uri, rng.Start)), rng)
					break
				}
			}
		}
		walk(def.Does, depth+1)
	}
	walk(d, 0)
	sort.SliceStable(out, func(i, j int) bool {
		return before(out[i].FromRanges[0].Start, out[j].FromRanges[0].Start)
	})
	return out
}
