package lsp

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis/syntax"
)

// The semantic token legend.
var (
	semTypes = []string{"function", "keyword", "number", "string", "comment", "variable"}
	semMods  = []string{"definition", "defaultLibrary", "declaration"}
)

const (
	tokFunction = iota
	tokKeyword
	tokNumber
	tokString
	tokComment
	tokVariable
)

const (
	modDefinition = 1 << iota
	modDefaultLibrary
	modDeclaration
)

// controlWords are the builtins shown as keywords.
var controlWords = map[string]bool{
	"if": true, "else": true, "then": true, "endif": true, "ahead": true,
	"begin": true, "while": true, "until": true, "repeat": true, "again": true,
	"do": true, "?do": true, "+do": true, "-do": true, "u+do": true, "u-do": true,
	"loop": true, "+loop": true, "-loop": true, "leave": true, "?leave": true, "unloop": true,
	"case": true, "of": true, "endof": true, "endcase": true, "?of": true,
	"exit": true, "recurse": true, "?dup-if": true, "?dup-0=-if": true,
}

func init() {
	decodeTokens := func(raw jsonrpc2.RawMessage, p any, u func() uri.URI) error {
		if err := decode(raw, p); err != nil {
			return err
		}
		if u() == "" {
			return errInvalidParams("textDocument.uri is required")
		}
		return nil
	}
	register(protocol.MethodTextDocumentSemanticTokensFull, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.SemanticTokensParams
			if err := decodeTokens(raw, &p, func() uri.URI { return p.TextDocument.URI }); err != nil {
				return nil, err
			}
			return func(w *worker) (compute, error) { return w.semanticTokens(p.TextDocument.URI, nil, "") }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			delta := true
			caps.SemanticTokensProvider = &protocol.SemanticTokensOptions{
				Legend: protocol.SemanticTokensLegend{TokenTypes: semTypes, TokenModifiers: semMods},
				Range:  protocol.Boolean(true),
				Full:   &protocol.SemanticTokensFullDelta{Delta: &delta},
			}
		},
	})
	register(protocol.MethodTextDocumentSemanticTokensRange, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.SemanticTokensRangeParams
			if err := decodeTokens(raw, &p, func() uri.URI { return p.TextDocument.URI }); err != nil {
				return nil, err
			}
			return func(w *worker) (compute, error) { return w.semanticTokens(p.TextDocument.URI, &p.Range, "") }, nil
		},
	})
	register(protocol.MethodTextDocumentSemanticTokensFullDelta, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.SemanticTokensDeltaParams
			if err := decodeTokens(raw, &p, func() uri.URI { return p.TextDocument.URI }); err != nil {
				return nil, err
			}
			prev := p.PreviousResultID
			if prev == "" {
				prev = "\x00" // never matches: answer in full
			}
			return func(w *worker) (compute, error) { return w.semanticTokens(p.TextDocument.URI, nil, prev) }, nil
		},
	})
}

// tokenCache keeps, per server and document, the last full result sent,
// for deltas.
type tokenResult struct {
	id   string
	data []uint32
}

var (
	tokenMu     sync.Mutex
	tokenCache  = map[*server]map[uri.URI]tokenResult{}
	tokenSerial atomic.Uint64
)

// semanticTokens answers the three semantic token requests: rng limits
// the tokens to a range (no result id); prev, when not empty, asks for a
// delta from that result.
func (w *worker) semanticTokens(u uri.URI, rng *protocol.Range, prev string) (compute, error) {
	snap, ok := w.snapshot(u)
	s := w.s
	if !ok {
		return func(context.Context) (any, error) { return &protocol.SemanticTokens{Data: []uint32{}}, nil }, nil
	}
	return func(ctx context.Context) (any, error) {
		toks := tokensOf(ctx, snap)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if rng != nil {
			from := toOffset(snap.file, rng.Start, snap.enc)
			to := toOffset(snap.file, rng.End, snap.enc)
			kept := toks[:0]
			for _, t := range toks {
				if t.e > from && t.s < to || t.s == from {
					kept = append(kept, t)
				}
			}
			data := encodeTokens(ctx, snap, kept)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return &protocol.SemanticTokens{Data: data}, nil
		}
		data := encodeTokens(ctx, snap, toks)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		id := strconv.FormatUint(tokenSerial.Add(1), 10)
		tokenMu.Lock()
		docs := tokenCache[s]
		if docs == nil {
			docs = map[uri.URI]tokenResult{}
			tokenCache[s] = docs
		}
		old, had := docs[u]
		docs[u] = tokenResult{id: id, data: data}
		tokenMu.Unlock()
		if prev != "" && had && old.id == prev {
			return &protocol.SemanticTokensDelta{ResultID: &id, Edits: tokenEdits(old.data, data)}, nil
		}
		return &protocol.SemanticTokens{ResultID: &id, Data: data}, nil
	}, nil
}

// tokenEdits gives the one edit that turns old into cur (none when equal).
func tokenEdits(old, cur []uint32) []protocol.SemanticTokensEdit {
	p := 0
	for p < len(old) && p < len(cur) && old[p] == cur[p] {
		p++
	}
	if p == len(old) && p == len(cur) {
		return []protocol.SemanticTokensEdit{}
	}
	q := 0
	for q < len(old)-p && q < len(cur)-p && old[len(old)-1-q] == cur[len(cur)-1-q] {
		q++
	}
	return []protocol.SemanticTokensEdit{{
		Start:       uint32(p),
		DeleteCount: uint32(len(old) - p - q),
		Data:        slices.Clone(cur[p : len(cur)-q]),
	}}
}

// semTok is a token's bytes in the current text.
type semTok struct {
	s, e      int
	typ, mods uint32
}

// tokensOf lists the file's tokens sorted, without overlaps and each on
// one line.
func tokensOf(ctx context.Context, snap *snapshot) []semTok {
	f := snap.result.File
	stop := stopper{ctx: ctx}
	var toks []semTok
	add := func(s, e int, typ, mods uint32) {
		if e > s && s >= 0 && e <= len(snap.file.Src) {
			toks = append(toks, semTok{s, e, typ, mods})
		}
	}
	ops := func(body []syntax.Op, abs func(int32) int) {
		for i := range body {
			op := &body[i]
			s, e := abs(op.Start), abs(op.End)
			as, ae := abs(op.ArgStart), abs(op.ArgEnd)
			hasArg := op.ArgEnd > op.ArgStart
			switch op.Kind {
			case syntax.OpNumber:
				add(s, e, tokNumber, 0)
				continue
			case syntax.OpLocal:
				add(s, e, tokVariable, 0)
				continue
			case syntax.OpLocals, syntax.OpUndefined:
				continue
			}
			t, m := refType(op.Ref)
			add(s, e, t, m)
			if !hasArg {
				continue
			}
			switch op.Kind {
			case syntax.OpString, syntax.OpInclude:
				add(as, ae, tokString, 0)
			case syntax.OpChar:
				add(as, ae, tokNumber, 0)
			case syntax.OpToLocal:
				add(as, ae, tokVariable, 0)
			case syntax.OpTick, syntax.OpPostpone, syntax.OpTo:
				if op.Target.B != nil || op.Target.D != nil {
					t, m := refType(op.Target)
					add(as, ae, t, m)
				}
			}
		}
	}
	ops(f.Top, func(x int32) int { return f.TopAbs(x) })
	for _, c := range f.Comments {
		add(f.TopAbs(c.Start), f.TopAbs(c.End), tokComment, 0)
	}
	for _, r := range f.Inactive {
		add(f.TopAbs(r.Start), f.TopAbs(r.End), tokComment, 0)
	}
	for _, d := range f.Defs {
		if stop.now() {
			return nil
		}
		abs := func(x int32) int { return f.Abs(d.Epoch, x) }
		if d.NameEnd > d.NameStart {
			add(abs(d.NameStart), abs(d.NameEnd), tokFunction, modDefinition)
		}
		ops(d.Body, abs)
		for _, l := range d.Locals {
			add(abs(l.Start), abs(l.End), tokVariable, modDeclaration)
		}
		for _, c := range d.Comments {
			add(abs(c.Start), abs(c.End), tokComment, 0)
		}
		for _, r := range d.Inactive {
			add(abs(r.Start), abs(r.End), tokComment, 0)
		}
		if c := d.Comment; c != nil && !c.FromLocals {
			add(abs(c.Start), abs(c.End), tokComment, 0)
		}
	}
	// Sort; where tokens overlap, the first (the longer when they start
	// together) wins.
	sort.SliceStable(toks, func(i, j int) bool {
		if toks[i].s != toks[j].s {
			return toks[i].s < toks[j].s
		}
		return toks[i].e > toks[j].e
	})
	out := toks[:0]
	last := 0
	for _, t := range toks {
		if t.s < last {
			continue
		}
		out = append(out, t)
		last = t.e
	}
	// One line each.
	src := snap.file
	var lines []semTok
	for _, t := range out {
		for s := t.s; s < t.e; {
			l := src.Line(s)
			e := min(t.e, src.LineEnd(l))
			if e > s {
				lines = append(lines, semTok{s, e, t.typ, t.mods})
			}
			next := src.LineStart(l + 1)
			if next <= s {
				break
			}
			s = next
		}
	}
	return lines
}

func refType(r syntax.Ref) (uint32, uint32) {
	switch {
	case r.B != nil && controlWords[r.B.Name]:
		return tokKeyword, 0
	case r.B != nil:
		return tokFunction, modDefaultLibrary
	}
	return tokFunction, 0
}

// encodeTokens writes tokens in the relative form of the protocol.
func encodeTokens(ctx context.Context, snap *snapshot, toks []semTok) []uint32 {
	data := make([]uint32, 0, 5*len(toks))
	var pl, pc uint32
	stop := stopper{ctx: ctx}
	// The tokens are in order: a cursor resolves each offset from the
	// one before (10,000 definitions on one line cost a scan per token).
	cur := snap.file.Cursor()
	for _, t := range toks {
		if stop.now() {
			return nil
		}
		start := cursorPosition(cur, t.s, snap.enc)
		end := cursorPosition(cur, t.e, snap.enc)
		if end.Line != start.Line || end.Character <= start.Character {
			continue
		}
		dl, dc := start.Line-pl, start.Character
		if dl == 0 {
			dc = start.Character - pc
		}
		data = append(data, dl, dc, end.Character-start.Character, t.typ, t.mods)
		pl, pc = start.Line, start.Character
	}
	return data
}
