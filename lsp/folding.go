package lsp

import (
	"bytes"
	"cmp"
	"context"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/syntax"
)

func init() {
	register(protocol.MethodTextDocumentFoldingRange, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.FoldingRangeParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.foldingRanges(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.FoldingRangeProvider = protocol.Boolean(true)
		},
	})
}

func (w *worker) foldingRanges(p *protocol.FoldingRangeParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	if !ok {
		return func(context.Context) (any, error) { return []protocol.FoldingRange{}, nil }, nil
	}
	return func(ctx context.Context) (any, error) {
		folds := foldsOf(ctx, snap)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return folds, nil
	}, nil
}

// Control words that open and close a foldable structure.
var (
	foldOpen  = map[string]string{"if": "if", "begin": "begin", "do": "do", "?do": "do", "+do": "do", "-do": "do", "u+do": "do", "u-do": "do", "case": "case", "of": "of"}
	foldClose = map[string]string{"then": "if", "endif": "if", "until": "begin", "repeat": "begin", "again": "begin",
		"loop": "do", "+loop": "do", "-loop": "do", "endcase": "case", "endof": "of"}
)

// foldsOf lists the folding ranges of the snapshot's file.
func foldsOf(ctx context.Context, snap *snapshot) []protocol.FoldingRange {
	stop := stopper{ctx: ctx}
	f := snap.result.File
	src := snap.file
	// Lines only: a position's column scanned its line for nothing.
	line := func(off int) uint32 { return uint32(src.Line(off)) }
	out := []protocol.FoldingRange{}
	add := func(s, e uint32, kind protocol.FoldingRangeKind) {
		if e > s {
			out = append(out, protocol.FoldingRange{StartLine: s, EndLine: e, Kind: kind})
		}
	}

	// Comments: multi-line ones, and runs of lines of \ comments.
	type rng struct {
		s, e int
	}
	var comments, inactive []rng
	for _, c := range f.Comments {
		comments = append(comments, rng{f.TopAbs(c.Start), f.TopAbs(c.End)})
	}
	for _, r := range f.Inactive {
		inactive = append(inactive, rng{f.TopAbs(r.Start), f.TopAbs(r.End)})
	}
	for _, d := range f.Defs {
		if stop.now() {
			return nil
		}
		for _, c := range d.Comments {
			comments = append(comments, rng{f.Abs(d.Epoch, c.Start), f.Abs(d.Epoch, c.End)})
		}
		for _, r := range d.Inactive {
			inactive = append(inactive, rng{f.Abs(d.Epoch, r.Start), f.Abs(d.Epoch, r.End)})
		}
	}
	slices.SortFunc(comments, func(a, b rng) int { return cmp.Compare(a.s, b.s) })
	runStart, runEnd := -1, -1 // lines of the current run of \ comments
	flush := func() {
		if runStart >= 0 {
			add(uint32(runStart), uint32(runEnd), protocol.FoldingRangeKindComment)
		}
		runStart, runEnd = -1, -1
	}
	for _, c := range comments {
		if c.s < 0 || c.e > len(src.Src) || c.e <= c.s {
			continue
		}
		if src.Src[c.s] == '\\' {
			l := int(line(c.s))
			if runStart >= 0 && l == runEnd+1 && startsLine(src.Src, c.s) {
				runEnd = l
				continue
			}
			flush()
			if startsLine(src.Src, c.s) {
				runStart, runEnd = l, l
			}
			continue
		}
		end := c.e
		if end > c.s {
			end-- // the closing ) is on the last line
		}
		if !bytes.ContainsAny(src.Src[c.s:end], "\r\n") {
			continue // on one line (every stack comment, mostly)
		}
		add(line(c.s), line(end), protocol.FoldingRangeKindComment)
	}
	flush()
	for _, r := range inactive {
		if r.s < 0 || r.e > len(src.Src) || r.e <= r.s {
			continue
		}
		add(line(r.s), line(r.e-1), protocol.FoldingRangeKindRegion)
	}

	// Definitions and the control structures in their bodies.
	for _, d := range f.Defs {
		s, e := f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)
		if e > len(src.Src) || s < 0 {
			continue
		}
		first, last := line(s), line(max(s, e-1))
		if d.Outer == nil || d.Kind == syntax.Quotation {
			add(first, last, "")
		}
		if first == last {
			// On one line: nothing in it folds.
			continue
		}
		type open struct {
			kind string
			line uint32
		}
		var stack []open
		for i := range d.Body {
			op := &d.Body[i]
			if op.Kind != syntax.OpCall || op.Ref.B == nil {
				continue
			}
			name := op.Ref.B.Name
			if k, ok := foldOpen[name]; ok {
				stack = append(stack, open{k, line(f.Abs(d.Epoch, op.Start))})
				continue
			}
			k, ok := foldClose[name]
			if !ok {
				continue
			}
			l := line(f.Abs(d.Epoch, op.Start))
			// Close the innermost matching opener (skipping unbalanced
			// ones, which the diagnostics report).
			for j := len(stack) - 1; j >= 0; j-- {
				if stack[j].kind == k {
					// The closing word's line stays visible.
					if l > 0 {
						add(stack[j].line, l-1, "")
					}
					stack = stack[:j]
					break
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b protocol.FoldingRange) int { return cmp.Compare(a.StartLine, b.StartLine) })
	return out
}

// startsLine reports whether only blanks stand before off on its line.
func startsLine(src []byte, off int) bool {
	for i := off - 1; i >= 0; i-- {
		switch src[i] {
		case ' ', '\t':
			continue
		case '\n', '\r':
			return true
		}
		return false
	}
	return true
}
