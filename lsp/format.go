package lsp

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis/scan"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Formatting re-indents the lines of colon definitions (and :noname,
// quotations and does> parts) by the nesting of their control structures
// and trims trailing whitespace. It only ever changes the blanks at the
// start and at the end of lines (and, for the whole document, the newlines
// at its end): no word moves to another line and nothing inside a string
// or a comment changes. Which words are code, and not text inside a
// comment, a string or a parsed name, comes from the analysis; words are
// then read with the Forth scanner.

func init() {
	register(protocol.MethodTextDocumentFormatting, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.DocumentFormattingParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.format(p.TextDocument.URI, p.Options, nil) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.DocumentFormattingProvider = protocol.Boolean(true)
		},
	})
	register(protocol.MethodTextDocumentRangeFormatting, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.DocumentRangeFormattingParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.format(p.TextDocument.URI, p.Options, &p.Range) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			// rangesFormatting (LSP 3.18, rangesformat.go) too.
			ranges := true
			caps.DocumentRangeFormattingProvider = &protocol.DocumentRangeFormattingOptions{RangesSupport: &ranges}
		},
	})
}

// format answers the two formatting requests; rng, when not nil, limits
// the edits to the lines it covers.
func (w *worker) format(u uri.URI, opts protocol.FormattingOptions, rng *protocol.Range) (compute, error) {
	st := w.settings()
	snap, ok := w.snapshot(u)
	if !ok || !st.Format.Enable {
		return func(context.Context) (any, error) { return []protocol.TextEdit{}, nil }, nil
	}
	return func(ctx context.Context) (any, error) {
		fo := formatOptionsFrom(opts, st.Format.Indent)
		if rng != nil {
			fo.whole = false
			fo.from = int(rng.Start.Line)
			fo.to = int(rng.End.Line)
			// A range that ends at the start of a line does not take it in.
			if rng.End.Character == 0 && rng.End.Line > rng.Start.Line {
				fo.to--
			}
		}
		edits := formatEdits(snap.file, snap.result.File, fo)
		out := make([]protocol.TextEdit, 0, len(edits))
		for _, e := range edits {
			out = append(out, protocol.TextEdit{Range: toRange(snap.file, e.start, e.end, snap.enc), NewText: e.text})
		}
		return out, nil
	}, nil
}

// formatOptions is what the formatter uses of the request's
// FormattingOptions and of the settings.
type formatOptions struct {
	indent string // one level of indentation
	// trimTrailing removes blanks at the ends of lines; finalNewline adds
	// a line end at the end of the text; trimFinal removes the empty
	// lines after the last line end.
	trimTrailing, finalNewline, trimFinal bool
	// whole formats the whole text; otherwise only lines from..to
	// (inclusive, 0-based) change and the end of the text is left alone.
	whole    bool
	from, to int
}

// formatOptionsFrom reads the request's options: tabSize and insertSpaces
// when the client sent them (tabSize 0 means it did not), else the
// settings' indent in spaces.
func formatOptionsFrom(o protocol.FormattingOptions, indent int) formatOptions {
	fo := formatOptions{trimTrailing: true, whole: true}
	switch {
	case o.TabSize == 0:
		fo.indent = strings.Repeat(" ", max(indent, 0))
	case o.InsertSpaces:
		fo.indent = strings.Repeat(" ", int(min(o.TabSize, 16)))
	default:
		fo.indent = "\t"
	}
	if o.TrimTrailingWhitespace != nil {
		fo.trimTrailing = *o.TrimTrailingWhitespace
	}
	if o.InsertFinalNewline != nil {
		fo.finalNewline = *o.InsertFinalNewline
	}
	if o.TrimFinalNewlines != nil {
		fo.trimFinal = *o.TrimFinalNewlines
	}
	return fo
}

// fmtEdit replaces the bytes [start, end) with text.
type fmtEdit struct {
	start, end int
	text       string
}

// span is a byte range [s, e).
type span struct{ s, e int }

// spans is a sorted list of disjoint byte ranges.
type spans []span

func spanBefore(a, b span) bool { return a.s < b.s }

// newSpans sorts and merges ranges.
func newSpans(rs []span) spans {
	rs = sortRuns(rs, spanBefore)
	out := spans(rs[:0]) // merged in place: never ahead of the reading
	for _, r := range rs {
		if r.e <= r.s {
			continue
		}
		if n := len(out); n > 0 && r.s <= out[n-1].e {
			out[n-1].e = max(out[n-1].e, r.e)
			continue
		}
		out = append(out, r)
	}
	return out
}

// after returns the index of the first range that ends after off.
// Hand-written rather than sort.Search: it runs for every word and line
// of the text, and the closure cost as much as the search.
func (ss spans) after(off int) int {
	lo, hi := 0, len(ss)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ss[m].e > off {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// at returns the range that contains off (s <= off < e).
func (ss spans) at(off int) (span, bool) {
	i := ss.after(off)
	if i < len(ss) && ss[i].s <= off {
		return ss[i], true
	}
	return span{}, false
}

// inside reports whether off lies strictly inside a range (s < off < e):
// text on both sides of it belongs to the range.
func (ss spans) inside(off int) bool {
	r, ok := ss.at(off)
	return ok && r.s < off
}

// spans reports whether a range that started before off runs on past
// to: the text between them belongs to it (a line that starts inside a
// multi-line comment and goes on with it).
func (ss spans) spans(off, to int) bool {
	r, ok := ss.at(off)
	return ok && r.s < off && to < r.e
}

// overlaps reports whether [s, e) and a range share a byte.
func (ss spans) overlaps(s, e int) bool {
	i := ss.after(s)
	return i < len(ss) && ss[i].s < e
}

// spanCursor answers the questions of spans for offsets that mostly
// grow, each search starting where the one before ended: the formatter
// asks them for every word and line of the text.
type spanCursor struct {
	ss spans
	i  int // the answer of the last after
}

func (ss spans) cursor() *spanCursor { return &spanCursor{ss: ss} }

// after is ss.after(off).
func (c *spanCursor) after(off int) int {
	ss := c.ss
	if c.i > 0 && ss[c.i-1].e > off {
		c.i = ss.after(off) // back: search again
		return c.i
	}
	for n := 0; c.i < len(ss) && ss[c.i].e <= off; n++ {
		if n == 8 {
			// Far ahead: search the rest.
			c.i += ss[c.i:].after(off)
			break
		}
		c.i++
	}
	return c.i
}

func (c *spanCursor) at(off int) (span, bool) {
	if i := c.after(off); i < len(c.ss) && c.ss[i].s <= off {
		return c.ss[i], true
	}
	return span{}, false
}

func (c *spanCursor) inside(off int) bool {
	r, ok := c.at(off)
	return ok && r.s < off
}

func (c *spanCursor) spans(off, to int) bool {
	r, ok := c.at(off)
	return ok && r.s < off && to < r.e
}

func (c *spanCursor) overlaps(s, e int) bool {
	i := c.after(s)
	return i < len(c.ss) && c.ss[i].s < e
}

// textOf collects what is not code in f, in the current text: comments,
// stack comments, inactive [if] text (text), and the text that words
// parse: strings, names after ' postpone to and defining words, locals
// (args). Strings are kept apart because their trailing blanks matter.
func textOf(f *syntax.File) (text, strs spans) {
	// Room for all at once, each definition's sorted on its own: the
	// lists are then a few sorted runs, merged in linear time.
	n := len(f.Top) + len(f.Comments) + len(f.Inactive)
	for _, d := range f.Defs {
		n += 2 + len(d.Body) + len(d.Locals) + len(d.Comments) + len(d.Inactive)
	}
	t, s := make([]span, 0, n/4), make([]span, 0, n/2)
	ops := func(body []syntax.Op, abs func(int32) int) {
		for i := range body {
			op := &body[i]
			if op.ArgEnd > op.ArgStart {
				s = append(s, span{abs(op.ArgStart), abs(op.ArgEnd)})
			}
		}
	}
	top := func(x int32) int { return f.TopAbs(x) }
	ops(f.Top, top)
	for _, c := range f.Comments {
		t = append(t, span{top(c.Start), top(c.End)})
	}
	for _, r := range f.Inactive {
		t = append(t, span{top(r.Start), top(r.End)})
	}
	for _, d := range f.Defs {
		ft, fs := len(t), len(s)
		abs := func(x int32) int { return f.Abs(d.Epoch, x) }
		ops(d.Body, abs)
		// A name that words parse; quotations and does> parts have as
		// "name" the word that starts them, which is code.
		if d.NameEnd > d.NameStart && d.Kind != syntax.Quotation && d.DoesOf == nil {
			s = append(s, span{abs(d.NameStart), abs(d.NameEnd)})
		}
		for _, l := range d.Locals {
			s = append(s, span{abs(l.Start), abs(l.End)})
		}
		for _, c := range d.Comments {
			t = append(t, span{abs(c.Start), abs(c.End)})
		}
		for _, r := range d.Inactive {
			t = append(t, span{abs(r.Start), abs(r.End)})
		}
		if c := d.Comment; c != nil {
			t = append(t, span{abs(c.Start), abs(c.End)})
		}
		sortStable(t[ft:], spanBefore)
		sortStable(s[fs:], spanBefore)
	}
	return newSpans(t), newSpans(s)
}

// frameKind is the kind of a control structure being compiled.
type frameKind uint8

const (
	frDef  frameKind = iota // : ... ; (and does>)
	frOrig                  // if, ahead, else, while: resolved by then
	frDest                  // begin: resolved by until, again, repeat
	frDo                    // do ... loop
	frCase                  // case ... endcase
	frOf                    // of ... endof
	frTry                   // try ... endtry
	frQuot                  // [: ... ;]
	frCond                  // [if] ... [then]
)

// frame is one open control structure; hidden ones do not indent (the
// orig a WHILE leaves below its BEGIN's dest, say).
type frame struct {
	kind   frameKind
	hidden bool
}

// cfWord is what a control word does to the open structures: it closes
// the nearest open structure of each kind in pops, then opens those in
// pushes. A word that closes something is dedented when it starts a line.
type cfWord struct {
	pops   []frameKind
	pushes []frame
}

var (
	opens  = func(k frameKind) cfWord { return cfWord{pushes: []frame{{kind: k}}} }
	closes = func(k ...frameKind) cfWord { return cfWord{pops: k} }
	middle = func(k frameKind) cfWord { return cfWord{pops: []frameKind{k}, pushes: []frame{{kind: k}}} }
)

// cfWords are the words that open, continue or close a control structure.
var cfWords = map[string]cfWord{
	"if": opens(frOrig), "ahead": opens(frOrig), "?dup-if": opens(frOrig), "?dup-0=-if": opens(frOrig),
	"else": middle(frOrig), "then": closes(frOrig), "endif": closes(frOrig),
	"begin": opens(frDest),
	"while": {pops: []frameKind{frDest}, pushes: []frame{{kind: frOrig, hidden: true}, {kind: frDest}}},
	"until": closes(frDest), "again": closes(frDest), "repeat": closes(frDest, frOrig),
	"do": opens(frDo), "?do": opens(frDo), "+do": opens(frDo), "-do": opens(frDo), "u+do": opens(frDo), "u-do": opens(frDo),
	"loop": closes(frDo), "+loop": closes(frDo), "-loop": closes(frDo),
	"case": opens(frCase), "endcase": closes(frCase), "next-case": closes(frCase),
	"of": opens(frOf), "?of": opens(frOf), "endof": closes(frOf),
	"try":            opens(frTry),
	"iferror":        {pops: []frameKind{frTry}, pushes: []frame{{kind: frTry, hidden: true}, {kind: frOrig}}},
	"restore":        middle(frTry),
	"endtry":         closes(frTry),
	"endtry-iferror": {pops: []frameKind{frTry}, pushes: []frame{{kind: frOrig}}},
	"[:":             opens(frQuot), ";]": closes(frQuot),
	"does>": middle(frDef), ";": closes(frDef),
	"[if]": opens(frCond), "[ifdef]": opens(frCond), "[ifundef]": opens(frCond),
	"[else]": middle(frCond), "[then]": closes(frCond), "[endif]": closes(frCond),
}

// nesting is the stack of open control structures.
type nesting struct{ frames []frame }

// depth counts the structures that indent.
func (n *nesting) depth() int {
	d := 0
	for _, f := range n.frames {
		if !f.hidden {
			d++
		}
	}
	return d
}

// pop closes the nearest open structure of kind k; code with unbalanced
// structures loses nothing else.
func (n *nesting) pop(k frameKind) {
	for i := len(n.frames) - 1; i >= 0; i-- {
		if n.frames[i].kind == k {
			n.frames = append(n.frames[:i], n.frames[i+1:]...)
			return
		}
	}
}

// region is one top-level definition: its bytes, from the defining word
// to its end, and the structure its first word opens.
type region struct {
	start, end int
	opener     frameKind
}

// regionsOf lists the top-level definitions with code bodies, in order.
// Unterminated ones are left out: their end is not known.
func regionsOf(f *syntax.File) []region {
	rs := make([]region, 0, len(f.Defs))
	for _, d := range f.Defs {
		if d.Outer != nil || d.Unterminated {
			continue
		}
		var k frameKind
		switch d.Kind {
		case syntax.Colon, syntax.Noname:
			k = frDef
		case syntax.Quotation:
			k = frQuot
		default:
			continue
		}
		s, e := f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)
		if e <= s {
			continue
		}
		rs = append(rs, region{start: s, end: e, opener: k})
	}
	slices.SortFunc(rs, func(a, b region) int { return cmp.Compare(a.start, b.start) })
	return rs
}

// lineLevels gives, for each line, its indentation level: -1 for lines
// to leave alone, those outside definitions and those shared by two.
// Lines are found by offset alone (their columns do not matter), and
// kept in slices indexed by line: maps of every line of a 160,000-line
// file and a position with its column for every word took most of a
// second.
func lineLevels(sf *source.File, f *syntax.File, text, strs spans) []int {
	levels := make([]int, sf.LineCount())
	owner := make([]int, sf.LineCount()) // line -> region index
	for l := range levels {
		levels[l], owner[l] = -1, -1
	}
	src := sf.Src
	var sc scan.Scanner
	sc.Init(src)
	var lower []byte
	var n nesting
	tc, sc2 := text.cursor(), strs.cursor()
	for ri, r := range regionsOf(f) {
		first := sf.Line(r.start)
		last := sf.Line(max(r.end-1, r.start))
		var shared []int
		for l := first; l <= last; l++ {
			if o := owner[l]; o >= 0 && o != ri {
				shared = append(shared, l)
			}
			owner[l] = ri
		}
		// One stack for every region, emptied for each.
		n.frames = append(n.frames[:0], frame{kind: r.opener})
		line := first
		levels[first] = 0
		leading := false // still reading the words that start line
		sc.SetOffset(r.start)
		// The defining word itself opened the region.
		if _, e, ok := sc.Word(); !ok || e > r.end {
			continue
		}
		for {
			s, e, ok := sc.Word()
			if !ok || s >= r.end {
				break
			}
			if sp, in := tc.at(s); in {
				sc.SetOffset(sp.e)
				continue
			}
			if sp, in := sc2.at(s); in {
				sc.SetOffset(sp.e)
				continue
			}
			firstOnLine := false
			if l := sf.Line(s); l != line {
				// Lines with no code (blank, or comments only) take
				// the level where they stand.
				for k := line + 1; k <= l; k++ {
					levels[k] = n.depth()
				}
				line, leading, firstOnLine = l, true, true
			}
			lower = scan.Lower(lower[:0], src[s:e])
			cw, isCF := cfWords[string(lower)]
			if !isCF {
				leading = false
				continue
			}
			// A line starting with words that close structures is
			// dedented to the level they leave; ";" and "does>" only
			// when they come first ("then ;" stays with the body).
			dedent := leading && len(cw.pops) > 0 && line != first &&
				(firstOnLine || cw.pops[0] != frDef)
			for _, k := range cw.pops {
				n.pop(k)
			}
			if dedent {
				levels[line] = min(levels[line], n.depth())
			} else {
				leading = false
			}
			n.frames = append(n.frames, cw.pushes...)
		}
		for k := line + 1; k <= last; k++ {
			levels[k] = n.depth()
		}
		for _, l := range shared {
			levels[l] = -1
		}
	}
	return levels
}

// formatEdits computes the edits that format sf, whose analysis is f.
// Edits are sorted and do not overlap.
func formatEdits(sf *source.File, f *syntax.File, o formatOptions) []fmtEdit {
	src := sf.Src
	text, strs := textOf(f)
	levels := lineLevels(sf, f, text, strs)
	nlines := sf.LineCount()
	from, to := 0, nlines-1
	if !o.whole {
		from, to = max(o.from, 0), min(o.to, nlines-1)
	}
	// cut is where the empty lines at the end of the text start (when
	// trimming them): lines from there on are removed as a whole.
	cut := len(src)
	var final *fmtEdit
	if o.whole {
		final, cut = finalNewlines(src, text, strs, o)
	}
	var edits []fmtEdit
	// A cursor for each offset asked about on every line: each grows
	// from line to line.
	tLS, tLE := text.cursor(), text.cursor()
	sLS, sLE, sJ := strs.cursor(), strs.cursor(), strs.cursor()
	for l := from; l <= to; l++ {
		ls, le := sf.LineStart(l), sf.LineEnd(l)
		if ls >= cut {
			break
		}
		// The blanks at the start.
		i := ls
		for i < le && isSpace(src[i]) {
			i++
		}
		blank := i == le
		lead := -1 // the wanted indentation level, or -1 to keep it
		if lv := levels[l]; lv >= 0 && !blank && !tLS.spans(ls, i) && !sLS.spans(ls, i) && !scan.IsBlank(src[i]) {
			lead = lv
		}
		// The blanks at the end.
		j := le
		for j > i && isSpace(src[j-1]) {
			j--
		}
		if blank {
			if o.trimTrailing && le > ls && !tLS.inside(ls) && !tLE.inside(le) && !sLS.overlaps(ls, le) {
				edits = append(edits, fmtEdit{ls, le, ""})
			}
			continue
		}
		trim := o.trimTrailing && j < le && !tLE.inside(le) && !sLE.inside(le) && !sJ.overlaps(j, le)
		if lead >= 0 {
			want := strings.Repeat(o.indent, lead)
			have := string(src[ls:i])
			if have != want {
				p := 0
				for p < len(have) && p < len(want) && have[p] == want[p] {
					p++
				}
				edits = append(edits, fmtEdit{ls + p, i, want[p:]})
			}
		}
		if trim {
			edits = append(edits, fmtEdit{j, le, ""})
		}
	}
	if final != nil {
		// A last line whose trailing blanks go: the newline follows.
		if n := len(edits); n > 0 && final.start == final.end && edits[n-1].end == final.start {
			edits[n-1].text += final.text
		} else {
			edits = append(edits, *final)
		}
	}
	return edits
}

// finalNewlines computes the edit at the end of the text that the
// options ask for, if any, and where the lines it removes start (len(src)
// when it removes none).
func finalNewlines(src []byte, text, strs spans, o formatOptions) (*fmtEdit, int) {
	// p is the end of the last line with something on it.
	p := len(src)
	for p > 0 && scan.IsBlank(src[p-1]) {
		p--
	}
	if text.inside(p) || strs.inside(p) {
		// An unterminated comment runs to the end: its blanks are its own.
		return nil, len(src)
	}
	// The first line end after p.
	q := p
	for q < len(src) && src[q] != '\n' && src[q] != '\r' {
		q++
	}
	if q < len(src) {
		if src[q] == '\r' && q+1 < len(src) && src[q+1] == '\n' {
			q += 2
		} else {
			q++
		}
		if o.trimFinal && q < len(src) {
			return &fmtEdit{q, len(src), ""}, q
		}
		return nil, len(src)
	}
	if o.finalNewline && len(src) > 0 {
		return &fmtEdit{len(src), len(src), eolOf(src)}, len(src)
	}
	return nil, len(src)
}

// isSpace tells the blanks the formatter may change: white space within a
// line. Forth reads other control characters as blanks too, but they are
// left as they are: they are rarely there by accident.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\f' || c == '\v' }
