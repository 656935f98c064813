package lsp

import (
	"context"
	"sort"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/syntax"
)

// Selection ranges (textDocument/selectionRange), from the inside out: the
// word at the position (with the text it parses: `s" hi"`, `' dup`), the
// phrase around it (the words of its line between the control words of
// its structure), each control structure that holds it (IF ... THEN, DO
// ... LOOP, BEGIN ... UNTIL, CASE ... ENDCASE, OF ... ENDOF, innermost
// first), then each definition that holds it (a quotation, then the
// definition it is in). At top level: the word, then its line.

func init() {
	register(protocol.MethodTextDocumentSelectionRange, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.SelectionRangeParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.selectionRanges(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.SelectionRangeProvider = protocol.Boolean(true)
		},
	})
}

func (w *worker) selectionRanges(p *protocol.SelectionRangeParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	return func(context.Context) (any, error) {
		out := make([]*protocol.SelectionRange, 0, len(p.Positions))
		for _, pos := range p.Positions {
			if !ok {
				r := protocol.Range{Start: pos, End: pos}
				out = append(out, &protocol.SelectionRange{Range: r})
				continue
			}
			out = append(out, selectionAt(snap, toOffset(snap.file, pos, snap.enc)))
		}
		return out, nil
	}, nil
}

// span is a byte range of the current text.
type selSpan struct{ start, end int }

// selectionAt builds the chain of ranges around off.
func selectionAt(snap *snapshot, off int) *protocol.SelectionRange {
	f := snap.result.File
	src := snap.file.Src
	var chain []selSpan // innermost first
	add := func(s, e int) {
		if s < 0 || e > len(src) || s > e {
			return
		}
		if n := len(chain); n > 0 {
			last := chain[n-1]
			if s == last.start && e == last.end {
				return
			}
			if s > last.start || e < last.end {
				return // must hold the previous one
			}
		}
		chain = append(chain, selSpan{s, e})
	}

	d := innermost(f, off)
	if d == nil {
		// Top level: the word, its line.
		ws, we := wordSpan(src, off)
		add(ws, we)
		ls, le := lineSpan(src, off)
		add(ls, le)
	} else {
		for _, s := range bodySpans(f, d, off, src) {
			add(s.start, s.end)
		}
		for def := d; def != nil; def = def.Outer {
			add(f.Abs(def.Epoch, def.Start), f.Abs(def.Epoch, def.End))
		}
	}
	if len(chain) == 0 {
		chain = append(chain, selSpan{off, off})
	}
	var sr *protocol.SelectionRange
	for i := len(chain) - 1; i >= 0; i-- {
		sr = &protocol.SelectionRange{Range: toRange(snap.file, chain[i].start, chain[i].end, snap.enc), Parent: sr}
	}
	return sr
}

// Control words: those that open and close a structure, and those inside
// one that end a phrase.
var (
	selOpen  = foldOpen
	selClose = foldClose
	selMid   = map[string]bool{"else": true, "while": true, "leave": true, "?leave": true, "exit": true, "unloop": true}
)

// bodySpans lists, innermost first, the word at off in definition d, its
// phrase and the control structures of d that hold it.
func bodySpans(f *syntax.File, d *syntax.Def, off int, src []byte) []selSpan {
	line := func(off int) int { return f.Source.Position(off).Line }
	type word struct {
		start, end int
		ctl        string // "open", "close", "mid" or ""
		kind       string // for open and close: the structure
	}
	var words []word
	for i := range d.Body {
		op := &d.Body[i]
		s, e := f.Abs(d.Epoch, op.Start), f.Abs(d.Epoch, op.End)
		if op.ArgEnd > op.ArgStart {
			if ae := f.Abs(d.Epoch, op.ArgEnd); ae > e {
				e = ae
			}
		}
		if s < 0 || e > len(src) || s >= e {
			continue
		}
		w := word{start: s, end: e}
		if op.Kind == syntax.OpCall && op.Ref.B != nil {
			n := op.Ref.B.Name
			if k, ok := selOpen[n]; ok {
				w.ctl, w.kind = "open", k
			} else if k, ok := selClose[n]; ok {
				w.ctl, w.kind = "close", k
			} else if selMid[n] {
				w.ctl = "mid"
			}
		}
		words = append(words, w)
	}
	// Words of a closing ; or of text a defining word parsed are not ops:
	// the word at off is the blank-delimited run there when no op holds
	// it.
	at := sort.Search(len(words), func(i int) bool { return words[i].end > off }) // first word ending after off
	if at < len(words) && words[at].start > off {
		at = -1
	} else if at == len(words) {
		at = -1
	}
	// A word that ends exactly at off (the cursor just after it).
	if at < 0 {
		for i, w := range words {
			if w.end == off {
				at = i
			}
		}
	}

	// The structures: match openers with closers.
	var structs []selStructure
	var stack []int
	for i, w := range words {
		switch w.ctl {
		case "open":
			stack = append(stack, i)
		case "close":
			for j := len(stack) - 1; j >= 0; j-- {
				if words[stack[j]].kind == w.kind {
					o := stack[j]
					structs = append(structs, selStructure{words[o].start, w.end, o, i})
					stack = stack[:j]
					break
				}
			}
		}
	}
	var out []selSpan
	if at < 0 {
		ws, we := wordSpan(src, off)
		if ws < we {
			out = append(out, selSpan{ws, we})
		}
		return append(out, holding(structs, off)...)
	}
	w := words[at]
	out = append(out, selSpan{w.start, w.end})
	// The phrase: the words around it on its line, up to a control word
	// (a control word's phrase is itself).
	if w.ctl == "" {
		l := line(w.start)
		s, e := at, at
		for s > 0 && words[s-1].ctl == "" && line(words[s-1].start) == l {
			s--
		}
		for e+1 < len(words) && words[e+1].ctl == "" && line(words[e+1].end) == l {
			e++
		}
		out = append(out, selSpan{words[s].start, words[e].end})
	}
	// The structures holding the word, innermost first: those that
	// contain it (a control word is inside its own structure).
	var hold []selStructure
	for _, st := range structs {
		if st.start <= w.start && w.end <= st.end {
			hold = append(hold, st)
		}
	}
	sort.Slice(hold, func(i, j int) bool { return hold[i].end-hold[i].start < hold[j].end-hold[j].start })
	for _, st := range hold {
		out = append(out, selSpan{st.start, st.end})
	}
	return out
}

// selStructure is a control structure: its bytes and the indexes of its
// opening and closing words.
type selStructure struct{ start, end, open, close int }

// holding lists the structures that hold off, innermost first.
func holding(structs []selStructure, off int) []selSpan {
	var out []selSpan
	for _, st := range structs {
		if st.start <= off && off <= st.end {
			out = append(out, selSpan{st.start, st.end})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].end-out[i].start < out[j].end-out[j].start })
	return out
}

// wordSpan is the blank-delimited run of text at off (or just before it).
func wordSpan(src []byte, off int) (int, int) {
	if off > len(src) {
		off = len(src)
	}
	s, e := off, off
	if (s == len(src) || isBlank(src[s])) && s > 0 && !isBlank(src[s-1]) {
		s--
		e = s
	}
	for s > 0 && !isBlank(src[s-1]) {
		s--
	}
	for e < len(src) && !isBlank(src[e]) {
		e++
	}
	return s, e
}

// lineSpan is the text of off's line without its leading and trailing
// blanks.
func lineSpan(src []byte, off int) (int, int) {
	s, e := off, off
	for s > 0 && src[s-1] != '\n' {
		s--
	}
	for e < len(src) && src[e] != '\n' && src[e] != '\r' {
		e++
	}
	for s < e && isBlank(src[s]) {
		s++
	}
	for e > s && isBlank(src[e-1]) {
		e--
	}
	return s, e
}
