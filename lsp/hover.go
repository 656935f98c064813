package lsp

import (
	"context"
	"fmt"
	"github.com/fastforth/fastforth/analysis/stackview"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// hoverFacts is everything a hover shows, read from the analysis on the
// worker (the Checker is not safe for concurrent use) and rendered off it.
type hoverFacts struct {
	start, end int // the word's bytes
	word       string
	about      *wordFacts // the word's definition; nil for literals, locals, ...
	note       string     // what the word is when about is nil
	stack      *stackFacts
}

// wordFacts describe a builtin or user word.
type wordFacts struct {
	name    string
	effect  string // shown after the name; "" when not known
	kind    string // "builtin, core word set", "colon definition", ...
	flags   []string
	verdict string // user colon definitions: declared vs inferred (markdown)
	doc     string // plain text
	// Where it is defined (user words): the file, its URI for a link, and
	// the 1-based line and column of the name.
	file      string
	link      uri.URI
	line, col int
}

// stackFacts describe the stacks around a word inside a definition.
type stackFacts struct {
	def         string // the definition's name
	declared    string // its stack comment, or ""
	before      []string
	after       []string
	interp      bool   // the word runs at compile time
	unreachable bool   // no path reaches the word
	stops       string // why nothing is shown after the word
}

// hover answers textDocument/hover.
func (w *worker) hover(p *protocol.HoverParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	off := toOffset(snap.file, p.Position, snap.enc)
	facts := collectHover(snap, off)
	if facts == nil {
		return nil, nil
	}
	return func(ctx context.Context) (any, error) {
		rng := toRange(snap.file, facts.start, facts.end, snap.enc)
		return &protocol.Hover{
			Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: renderHover(facts)},
			Range:    &rng,
		}, nil
	}, nil
}

// collectHover reads what to show for the word at off, or nil. It uses
// the snapshot's Checker, so it runs on the worker.
func collectHover(snap *snapshot, off int) *hoverFacts {
	r := snap.result
	f := r.File
	t, ok := find(f, off)
	if !ok {
		return nil
	}
	h := &hoverFacts{start: t.start, end: t.end, word: string(f.Source.Src[t.start:t.end])}
	switch {
	case t.ref.B != nil:
		h.about = builtinFacts(t.ref.B)
	case t.ref.D != nil:
		h.about = userFacts(snap, t.ref.D)
	case t.def != nil:
		h.about = userFacts(snap, t.def)
	case t.local != nil:
		h.note = "local"
		if t.local.Float {
			h.note = "float local"
		} else if t.local.Double {
			h.note = "double-cell local"
		}
		if t.in != nil && t.in.Display != "" {
			h.note += " of " + code(t.in.Display)
		}
	case t.number:
		h.note = "literal"
	case t.undefined:
		h.note = "undefined word: neither a defined word nor a number"
		// Another workspace file may define it (workspace.go).
		h.about = elsewhereFacts(snap, h.word)
	}
	if t.in != nil {
		h.stack = stackFactsOf(r, t.in, t.index, t.interp)
	}
	return h
}

func builtinFacts(b *builtins.Word) *wordFacts {
	wf := &wordFacts{name: b.Name, kind: "builtin, " + b.WordSet + " word set", doc: b.Doc}
	if b.Known {
		wf.effect = b.EffectText
	}
	if b.Immediate {
		wf.flags = append(wf.flags, "immediate")
	}
	if b.CompileOnly {
		wf.flags = append(wf.flags, "compile-only")
	}
	return wf
}

// userFacts describes a user definition. Words in code that was not read
// again after an edit still point at the definition as first read: the
// Checker's Remap gives the one now in its place.
func userFacts(snap *snapshot, d *syntax.Def) *wordFacts {
	r := snap.result
	c := r.Checker
	if c.Remap != nil {
		d = c.Remap(d)
	}
	wf := &wordFacts{name: d.Display, kind: kindOf(d)}
	if wf.name == "" {
		wf.name = ":noname"
	}
	if d.Immediate {
		wf.flags = append(wf.flags, "immediate")
	}
	if d.CompileOnly {
		wf.flags = append(wf.flags, "compile-only")
	}
	switch d.Kind {
	case syntax.Colon, syntax.Noname, syntax.Quotation:
		wf.effect, wf.verdict = verdict(d, c.Def(d))
	default:
		wf.effect = fixedEffect(c, d)
		if d.Runs != nil {
			_, v := verdict(d.Runs, c.Def(d.Runs))
			wf.verdict = "Its `does>` part: " + v
		}
	}

	// The documentation and the place of the definition, read from the
	// current text when it is in this file.
	local := r.File.IndexOf(d) >= 0
	switch {
	case local:
		f := r.File
		if s, e := docRange(f, d); e > s && e <= len(f.Source.Src) {
			wf.doc = syntax.CleanDoc(string(f.Source.Src[s:e]))
		}
		pos := f.Source.Position(f.Abs(d.Epoch, d.NameStart))
		wf.file, wf.line, wf.col = f.Source.Name, pos.Line+1, pos.UTF16+1
		wf.link = snap.uri
	case d.File != nil:
		src := d.File.Src
		if s, e := syntax.DocLines(src, int(d.DocStart), int(d.DocEnd)); e > s {
			wf.doc = syntax.CleanDoc(string(src[s:e]))
		}
		pos := d.File.Position(int(d.NameStart))
		wf.file, wf.line, wf.col = d.File.Name, pos.Line+1, pos.UTF16+1
		if filepath.IsAbs(d.File.Name) {
			wf.link = uri.File(d.File.Name)
		}
	}
	return wf
}

func kindOf(d *syntax.Def) string { return d.KindText(code) }

// verdict gives a colon definition's effect for the signature line (the
// declared one, else the inferred one) and a sentence comparing them.
func verdict(d *syntax.Def, res *infer.Result) (shown, sentence string) {
	declared := ""
	switch {
	case res.Declared != nil:
		declared = res.Declared.String()
	case d.Comment != nil && d.Comment.Err != nil:
		return "", fmt.Sprintf("The stack comment %s cannot be read: %v.", code(d.Comment.Text), d.Comment.Err)
	}
	inferred := ""
	if res.Inferred != nil {
		inferred = res.Inferred.Short()
	}
	shown = declared
	if shown == "" {
		shown = inferred
	}
	switch res.Status {
	case infer.Verified:
		if inferred == "" {
			return shown, fmt.Sprintf("Declared %s; no path returns, which agrees with any effect.", code(declared))
		}
		return shown, fmt.Sprintf("Declared %s, inferred %s: they agree.", code(declared), code(inferred))
	case infer.Mismatch:
		return shown, fmt.Sprintf("Declared %s, but the body does %s: **they disagree**.", code(declared), code(inferred))
	case infer.Undeclared:
		if inferred == "" {
			return shown, "No stack comment; no path returns."
		}
		return shown, fmt.Sprintf("No stack comment; inferred %s.", code(inferred))
	}
	// Unknown.
	why := res.Reason
	switch {
	case declared != "" && inferred != "":
		return shown, fmt.Sprintf("Declared %s, inferred %s; they cannot be compared: %s.", code(declared), code(inferred), why)
	case declared != "":
		return shown, fmt.Sprintf("Declared %s; the effect cannot be inferred: %s.", code(declared), why)
	}
	return shown, fmt.Sprintf("No stack comment; the effect cannot be inferred: %s.", why)
}

// fixedEffect gives the effect of a word that is not a colon definition:
// its fixed effect (variables, constants, fields: with their names), a
// deferred word's comment, else what callers see (a word made by a
// defining word with does> runs that does> part).
func fixedEffect(c *infer.Checker, d *syntax.Def) string {
	runsDoes := d.Runs != nil
	if m := d.Maker; d.Kind == syntax.Child && m != nil {
		if c.Remap != nil {
			m = c.Remap(m)
		}
		runsDoes = runsDoes || m.Does != nil
	}
	switch {
	case d.Effect != nil && !runsDoes:
		return d.Effect.Short()
	case d.Kind == syntax.Defer && d.Comment != nil && d.Comment.Err == nil:
		return d.Comment.Effect.Short()
	}
	if s := c.Resolve(d); s != nil && s.Known {
		return sigString(s)
	}
	return ""
}

// stackFactsOf traces d to find the stacks around its op i.
func stackFactsOf(r *analysis.Result, d *syntax.Def, i int, interp bool) *stackFacts {
	c := r.Checker
	if c.Remap != nil {
		d = c.Remap(d)
	}
	sf := &stackFacts{def: d.Display, interp: interp}
	if d.DoesOf != nil {
		sf.def = d.DoesOf.Display + " does>"
	}
	if d.Comment != nil && d.Comment.Err == nil {
		sf.declared = d.Comment.Effect.Short()
	}
	if interp {
		return sf
	}
	before, after, ok := stackview.Around(c, d, i)
	sf.before, sf.after, sf.unreachable = before, after, !ok
	if ok && len(after) == 0 {
		// Either no path goes on (EXIT, ABORT, the closing ;) or the
		// effect is not known from here on.
		sf.stops = "no path continues"
		if i < len(d.Body) && d.Body[i].Kind == syntax.OpUndefined {
			sf.stops = "not known (the word is undefined)"
		} else if res := c.Def(d); res.Status == infer.Unknowable && res.Reason != "" {
			sf.stops = "not known (" + res.Reason + ")"
		}
	}
	return sf
}

// renderHover writes the hover's markdown.
func renderHover(h *hoverFacts) string {
	var b strings.Builder
	para := func(s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(s)
	}
	if a := h.about; a != nil {
		sig := a.name
		if a.effect != "" {
			sig += " " + a.effect
		}
		para(fence(sig))
		kind := capitalize(a.kind)
		if len(a.flags) > 0 {
			kind += " (" + strings.Join(a.flags, ", ") + ")"
		}
		para(kind + ".")
		para(a.verdict)
		para(markdownLines(a.doc))
		if a.file != "" {
			where := fmt.Sprintf("%s:%d:%d", filepath.Base(a.file), a.line, a.col)
			if a.link != "" {
				where = fmt.Sprintf("[%s](%s#L%d)", escape(where), a.link, a.line)
			} else {
				where = escape(where)
			}
			para("Defined at " + where + ".")
		}
	} else {
		para(fence(h.word))
		para(capitalize(h.note) + ".")
	}
	if s := h.stack; s != nil {
		if b.Len() > 0 {
			b.WriteString("\n\n---")
		}
		head := "In " + code(s.def)
		if s.declared != "" {
			head += " " + code(s.declared)
		}
		switch {
		case s.interp:
			para(head + ": runs at compile time.")
		case s.unreachable:
			para(head + ": no path reaches this word.")
		default:
			var lines []string
			lines = append(lines, head+":")
			lines = append(lines, "- before: "+codes(s.before))
			if len(s.after) > 0 {
				lines = append(lines, "- after: "+codes(s.after))
			} else {
				lines = append(lines, "- after: "+s.stops)
			}
			para(strings.Join(lines, "\n"))
		}
	}
	return b.String()
}

func codes(list []string) string {
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = code(s)
	}
	return strings.Join(parts, " or ")
}

// code writes s as inline code, with a fence longer than any run of
// backticks inside it.
func code(s string) string {
	fenceLen := 1 + longestRun(s, '`')
	f := strings.Repeat("`", fenceLen)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return f + " " + s + " " + f
	}
	return f + s + f
}

// fence writes s as a Forth code block.
func fence(s string) string {
	f := strings.Repeat("`", max(3, 1+longestRun(s, '`')))
	return f + "forth\n" + s + "\n" + f
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// markdownLines writes plain text as markdown, keeping its line breaks.
func markdownLines(text string) string {
	if text == "" {
		return ""
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = escape(l)
	}
	return strings.Join(lines, "  \n")
}

// escape keeps markdown from reading plain text as markup: characters
// that mark up anywhere, and those that start a heading, a list item or a
// quote at the start of a line.
func escape(s string) string {
	var b strings.Builder
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("\\`*_[]<>|~", c) >= 0,
			i == 0 && strings.IndexByte("#-+=", c) >= 0,
			i == digits && digits > 0 && (c == '.' || c == ')'):
			b.WriteByte('\\')
		}
		if i == digits && c >= '0' && c <= '9' {
			digits++
		}
		b.WriteByte(c)
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
