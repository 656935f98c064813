package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

func init() {
	register(protocol.MethodTextDocumentDocumentSymbol, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.DocumentSymbolParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.documentSymbols(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.DocumentSymbolProvider = protocol.Boolean(true)
		},
	})
}

// documentSymbols answers textDocument/documentSymbol with the file's
// definitions as a tree: does> parts and quotations under the definition
// holding them, fields under the structure they follow.
func (w *worker) documentSymbols(p *protocol.DocumentSymbolParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	if !ok {
		return func(context.Context) (any, error) { return []protocol.DocumentSymbol{}, nil }, nil
	}
	return func(ctx context.Context) (any, error) {
		syms := symbolsOf(ctx, snap)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return syms, nil
	}, nil
}

// maxSymbols bounds the symbols of a documentSymbol answer. Past it the
// answer ends with one symbol that says how many definitions are not
// listed and spans them: the outline of a 160,000-line file was 36 MB of
// JSON and took 1.6 s to build and send, and no editor shows that many.
const maxSymbols = 5000

// symbolsOf builds the symbol tree of the snapshot's file: at most
// maxSymbols symbols, then the one that says what is left out. It reads
// only the snapshot's file and inference results, which do not change.
func symbolsOf(ctx context.Context, snap *snapshot) []protocol.DocumentSymbol {
	stop := stopper{ctx: ctx}
	r := snap.result
	f := r.File
	out := []protocol.DocumentSymbol{}
	// byDef finds a top-level definition's symbol, to hang nested ones
	// under it.
	byDef := map[*syntax.Def]int{}
	structIdx := -1 // the structure whose fields are being read
	// Definitions are in order: a cursor converts their offsets, each
	// from the one before (many on one line cost a scan each).
	cur := snap.file.Cursor()
	listed := 0
	for i, d := range f.Defs {
		if stop.now() {
			return nil
		}
		if listed == maxSymbols {
			out = append(out, unlisted(snap, cur, f.Defs[i:]))
			break
		}
		listed++
		start, end := f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)
		ns, ne := f.Abs(d.Epoch, d.NameStart), f.Abs(d.Epoch, d.NameEnd)
		if ne <= ns || ns < start || ne > end {
			ns, ne = start, start
		}
		// In the order of the text: start, name, end.
		end = max(end, start)
		s := cursorPosition(cur, start, snap.enc)
		sel := protocol.Range{Start: cursorPosition(cur, ns, snap.enc), End: cursorPosition(cur, ne, snap.enc)}
		sym := protocol.DocumentSymbol{
			Name:           symbolName(d),
			Kind:           symbolKind(d),
			Range:          protocol.Range{Start: s, End: cursorPosition(cur, end, snap.enc)},
			SelectionRange: sel,
		}
		if det := symbolDetail(r, d); det != "" {
			sym.Detail = &det
		}
		if d.Outer != nil {
			if i, ok := byDef[d.Outer]; ok {
				out[i].Children = append(out[i].Children, sym)
				continue
			}
		}
		if d.Kind == syntax.Field && structIdx >= 0 {
			parent := &out[structIdx]
			parent.Children = append(parent.Children, sym)
			if after(sym.Range.End, parent.Range.End) {
				parent.Range.End = sym.Range.End
			}
			continue
		}
		structIdx = -1
		if isStructure(d) {
			structIdx = len(out)
		}
		byDef[d] = len(out)
		out = append(out, sym)
	}
	return out
}

// unlisted is the symbol that stands for the definitions left out of an
// answer: it names how many they are and spans them, from the first to
// the end of the file.
func unlisted(snap *snapshot, cur *source.Cursor, defs []*syntax.Def) protocol.DocumentSymbol {
	f := snap.result.File
	d := defs[0]
	start := cursorPosition(cur, f.Abs(d.Epoch, d.Start), snap.enc)
	end := cursorPosition(cur, len(snap.file.Src), snap.enc)
	detail := fmt.Sprintf("an outline lists at most %d symbols", maxSymbols)
	return protocol.DocumentSymbol{
		Name:           fmt.Sprintf("(%d more definitions not listed)", len(defs)),
		Detail:         &detail,
		Kind:           protocol.SymbolKindNull,
		Range:          protocol.Range{Start: start, End: end},
		SelectionRange: protocol.Range{Start: start, End: start},
	}
}

func after(a, b protocol.Position) bool {
	return a.Line > b.Line || a.Line == b.Line && a.Character > b.Character
}

func symbolName(d *syntax.Def) string {
	switch {
	case d.DoesOf != nil:
		return "does>"
	case d.Kind == syntax.Quotation:
		return "[: ;]"
	case d.Display != "":
		return d.Display
	case d.Kind == syntax.Noname:
		return ":noname"
	}
	return "(unnamed)"
}

func isStructure(d *syntax.Def) bool {
	return d.Via != nil && d.Via.Name == "begin-structure"
}

func symbolKind(d *syntax.Def) protocol.SymbolKind {
	switch {
	case isStructure(d):
		return protocol.SymbolKindStruct
	}
	switch d.Kind {
	case syntax.Colon, syntax.Noname, syntax.Quotation, syntax.Defer:
		return protocol.SymbolKindFunction
	case syntax.Variable:
		return protocol.SymbolKindVariable
	case syntax.Constant:
		if d.Via != nil && (d.Via.Name == "value" || d.Via.Name == "2value" || d.Via.Name == "fvalue") {
			return protocol.SymbolKindVariable
		}
		return protocol.SymbolKindConstant
	case syntax.Field:
		return protocol.SymbolKindField
	}
	return protocol.SymbolKindObject
}

// symbolDetail is a definition's stack effect: the declared one, else the
// inferred one for colon definitions, the fixed one for the others.
func symbolDetail(r *analysis.Result, d *syntax.Def) string {
	if d.Comment != nil && d.Comment.Err == nil {
		return d.Comment.Effect.Short()
	}
	switch d.Kind {
	case syntax.Colon, syntax.Noname, syntax.Quotation:
		if res := resultOf(r, d); res != nil && res.Inferred != nil {
			return res.Inferred.Short()
		}
		return ""
	}
	if d.Effect != nil && d.Runs == nil {
		return d.Effect.Short()
	}
	return ""
}

// resultOf is the inference result of d, one of r.File's definitions,
// read from r.Defs (computed by the analysis, not changed afterwards).
func resultOf(r *analysis.Result, d *syntax.Def) *infer.Result {
	if i := r.File.IndexOf(d); i >= 0 && i < len(r.Defs) {
		if res := r.Defs[i]; res != nil && res.Def == d {
			return res
		}
	}
	for _, res := range r.Defs {
		if res != nil && res.Def == d {
			return res
		}
	}
	return nil
}
