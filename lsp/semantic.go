package lsp

import (
	"context"
	"math"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"weak"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/source"
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

// A tokenResult is the encoded tokens of one version of a document.
type tokenResult struct {
	id string // the result id it was sent with ("" if never)
	// of is the analysis it is of, weak: the tokens kept must not keep
	// the analysis of a version edited since alive (20 MB and more for a
	// large file).
	of   weak.Pointer[analysis.Result]
	data []uint32
}

// tokenDoc is what is kept of a document's tokens: the last full result
// sent, for deltas, and the tokens of the latest version computed, which
// the next requests on that version share (the tokens of a 160,000-line
// file take over 100 ms of CPU to compute, 20 ms to send again; an editor
// asks for them in full and for the visible range after each edit). The
// two are one slice when the latest tokens were sent in full.
type tokenDoc struct {
	sent, latest tokenResult
}

var (
	tokenMu     sync.Mutex
	tokenCache  = map[*server]map[uri.URI]*tokenDoc{}
	tokenSerial atomic.Uint64
)

// keptTokens returns the encoded tokens kept for snap's version, or nil.
func keptTokens(s *server, snap *snapshot) []uint32 {
	tokenMu.Lock()
	defer tokenMu.Unlock()
	if doc := tokenCache[s][snap.uri]; doc != nil && doc.latest.of == weak.Make(snap.result) {
		return doc.latest.data
	}
	return nil
}

// cachedTokens returns the encoded tokens of snap's version: those kept
// for it, else computed (nil when ctx is cancelled) and kept.
func cachedTokens(ctx context.Context, s *server, snap *snapshot) []uint32 {
	if data := keptTokens(s, snap); data != nil {
		return data
	}
	data := encodeTokens(ctx, snap, tokensOf(ctx, snap))
	if ctx.Err() != nil {
		return nil
	}
	tokenMu.Lock()
	defer tokenMu.Unlock()
	docs := tokenCache[s]
	if docs == nil {
		docs = map[uri.URI]*tokenDoc{}
		tokenCache[s] = docs
	}
	if docs[snap.uri] == nil {
		docs[snap.uri] = &tokenDoc{}
	}
	docs[snap.uri].latest = tokenResult{of: weak.Make(snap.result), data: data}
	return data
}

// forgetTokens drops what is kept of a closed document's tokens, or of
// every document of a server that stops when u is empty.
func forgetTokens(s *server, u uri.URI) {
	tokenMu.Lock()
	if u == "" {
		delete(tokenCache, s)
	} else {
		delete(tokenCache[s], u)
	}
	tokenMu.Unlock()
}

// semanticTokens answers the three semantic token requests: rng limits
// the tokens to a range (no result id); prev, when not empty, asks for a
// delta from that result. Full and range answers are encoded here
// (jsonTokens), straight from the numbers: a 160,000-line file has four
// million of them.
func (w *worker) semanticTokens(u uri.URI, rng *protocol.Range, prev string) (compute, error) {
	snap, ok := w.snapshot(u)
	s := w.s
	if !ok {
		return func(context.Context) (any, error) { return &protocol.SemanticTokens{Data: []uint32{}}, nil }, nil
	}
	return func(ctx context.Context) (any, error) {
		if rng != nil {
			// The tokens kept for the version, else those of the
			// definitions in the range only: an editor asks for the
			// visible lines after every edit.
			from := snap.file.Position(toOffset(snap.file, rng.Start, snap.enc))
			to := snap.file.Position(toOffset(snap.file, rng.End, snap.enc))
			data := keptTokens(s, snap)
			if data == nil && from.Offset == 0 && to.Offset == len(snap.file.Src) {
				data = cachedTokens(ctx, s, snap) // the whole file
			}
			if data == nil {
				data = encodeTokens(ctx, snap, tokensWithin(ctx, snap, snap.file.LineStart(from.Line), to.Offset))
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
			}
			return jsonTokens(nil, tokensIn(data, tokenPos(from, snap.enc), tokenPos(to, snap.enc))), nil
		}
		data := cachedTokens(ctx, s, snap)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		id := strconv.FormatUint(tokenSerial.Add(1), 10)
		tokenMu.Lock()
		doc := tokenCache[s][snap.uri]
		old := tokenResult{}
		if doc != nil {
			old = doc.sent
			doc.sent = tokenResult{id: id, data: data}
		}
		tokenMu.Unlock()
		if prev != "" && old.id == prev {
			return &protocol.SemanticTokensDelta{ResultID: &id, Edits: tokenEdits(old.data, data)}, nil
		}
		return jsonTokens(&id, data), nil
	}, nil
}

// tokenPos is a position as the token data counts it: a line and a
// column in the session's encoding, in one number that orders them.
func tokenPos(p source.Position, enc encoding) uint64 {
	col := p.UTF16
	if enc == encUTF8 {
		col = p.Col
	}
	return uint64(p.Line)<<32 | uint64(col)
}

// tokensIn re-encodes the tokens of data (encoded) that overlap the
// positions [from, to) or start at from. Tokens are sorted and do not
// overlap, so those are a run of data's, of which only the first, now
// relative to the start of the text, changes.
func tokensIn(data []uint32, from, to uint64) []uint32 {
	first, last := -1, len(data)
	var line, col, fl, fc uint32
	for i := 0; i+5 <= len(data); i += 5 {
		if data[i] != 0 {
			line, col = line+data[i], data[i+1]
		} else {
			col += data[i+1]
		}
		s := uint64(line)<<32 | uint64(col)
		if s >= to && s != from {
			last = i
			break
		}
		if first < 0 && (s+uint64(data[i+2]) > from || s == from) {
			first, fl, fc = i, line, col
		}
	}
	if first < 0 {
		return []uint32{}
	}
	out := slices.Clone(data[first:last])
	out[0], out[1] = fl, fc
	return out
}

// jsonTokens encodes a SemanticTokens result, with its id when not nil,
// as the protocol package would.
func jsonTokens(id *string, data []uint32) jsonrpc2.RawMessage {
	// The exact size: a guess left megabytes unused or grew the buffer.
	n := 32 + len(data)
	if id != nil {
		n += 2 * len(*id)
	}
	for _, v := range data {
		for n++; v >= 10; v /= 10 {
			n++
		}
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	if id != nil {
		b = append(b, `"resultId":`...)
		b = strconv.AppendQuote(b, *id)
		b = append(b, ',')
	}
	b = append(b, `"data":[`...)
	for i, v := range data {
		if i > 0 {
			b = append(b, ',')
		}
		if v < 10 {
			b = append(b, byte('0'+v))
		} else {
			b = strconv.AppendUint(b, uint64(v), 10)
		}
	}
	return append(b, "]}"...)
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

// semTok is a token's bytes in the current text (16 bytes: a large file
// has a million of them).
type semTok struct {
	s, e      int32
	typ, mods uint32
}

// tokenBefore orders tokens by start, the longer first where two start
// together.
func tokenBefore(a, b semTok) bool {
	return a.s < b.s || a.s == b.s && a.e > b.e
}

// tokensOf lists the file's tokens sorted and without overlaps (where
// tokens overlap, the first listed wins; a token may span lines).
func tokensOf(ctx context.Context, snap *snapshot) []semTok {
	return tokensWithin(ctx, snap, 0, math.MaxInt)
}

// tokensWithin is tokensOf for the definitions and top-level words that
// reach into the bytes [from, to] (a few more than the tokens there).
func tokensWithin(ctx context.Context, snap *snapshot, from, to int) []semTok {
	f := snap.result.File
	stop := stopper{ctx: ctx}
	whole := from <= 0 && to >= len(snap.file.Src)
	var toks []semTok
	if whole {
		// Room for every token at once: growing the slice copied it a
		// dozen times over on a large file.
		n := len(f.Top) + len(f.Comments) + len(f.Inactive)
		for _, d := range f.Defs {
			n += 2 + len(d.Body) + len(d.Locals) + len(d.Comments) + len(d.Inactive)
		}
		toks = make([]semTok, 0, n+n/4)
	}
	add := func(s, e int, typ, mods uint32) {
		if e > s && s >= 0 && e <= len(snap.file.Src) && (whole || e >= from && s <= to) {
			toks = append(toks, semTok{int32(s), int32(e), typ, mods})
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
	// The top level's tokens go in between the definitions': those up to
	// a definition's start before it, in the order of the text (sorted
	// in small groups), so that the list is sorted as it is made and
	// sortRuns has nothing to merge (a merge copied it all, twice).
	top := func(x int32) int { return f.TopAbs(x) }
	ti, ci, ii := 0, 0, 0
	flush := func(limit int) {
		first := len(toks)
		for ; ti < len(f.Top) && top(f.Top[ti].Start) <= limit; ti++ {
			ops(f.Top[ti:ti+1], top)
		}
		for ; ci < len(f.Comments) && top(f.Comments[ci].Start) <= limit; ci++ {
			add(top(f.Comments[ci].Start), top(f.Comments[ci].End), tokComment, 0)
		}
		for ; ii < len(f.Inactive) && top(f.Inactive[ii].Start) <= limit; ii++ {
			add(top(f.Inactive[ii].Start), top(f.Inactive[ii].End), tokComment, 0)
		}
		sortStable(toks[first:], tokenBefore)
	}
	for _, d := range f.Defs {
		if stop.now() {
			return nil
		}
		flush(f.Abs(d.Epoch, d.Start))
		if !whole && (f.Abs(d.Epoch, d.End) < from || f.Abs(d.Epoch, d.Start) > to) {
			continue
		}
		first := len(toks)
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
		// A definition's few tokens sorted here make the whole list a
		// few sorted runs, which sortRuns merges in linear time.
		sortStable(toks[first:], tokenBefore)
	}
	flush(math.MaxInt)
	toks = sortRuns(toks, tokenBefore)
	out := toks[:0]
	last := int32(0)
	for _, t := range toks {
		if t.s < last {
			continue
		}
		out = append(out, t)
		last = t.e
	}
	return out
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

// encodeTokens writes tokens in the relative form of the protocol, each
// cut at the ends of the lines it spans.
func encodeTokens(ctx context.Context, snap *snapshot, toks []semTok) []uint32 {
	data := make([]uint32, 0, 5*len(toks))
	var pl, pc uint32
	stop := stopper{ctx: ctx}
	src := snap.file
	// The tokens are in order: a cursor resolves each offset from the
	// one before (10,000 definitions on one line cost a scan per token).
	cur := src.Cursor()
	put := func(s, e int) {
		start := cursorPosition(cur, s, snap.enc)
		end := cursorPosition(cur, e, snap.enc)
		if end.Line != start.Line || end.Character <= start.Character {
			return
		}
		dl, dc := start.Line-pl, start.Character
		if dl == 0 {
			dc = start.Character - pc
		}
		data = append(data, dl, dc, end.Character-start.Character, uint32(0), uint32(0))
		pl, pc = start.Line, start.Character
	}
	for _, t := range toks {
		if stop.now() {
			return nil
		}
		n := len(data)
		ts, te := int(t.s), int(t.e)
		if te <= src.LineEnd(int(cursorPosition(cur, ts, snap.enc).Line)) {
			put(ts, te)
		} else {
			for s := ts; s < te; {
				l := src.Line(s)
				if e := min(te, src.LineEnd(l)); e > s {
					put(s, e)
				}
				next := src.LineStart(l + 1)
				if next <= s {
					break
				}
				s = next
			}
		}
		for i := n; i < len(data); i += 5 {
			data[i+3], data[i+4] = t.typ, t.mods
		}
	}
	return data
}
