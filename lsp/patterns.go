package lsp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fastforth/fastforth/analysis/builtins"

	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/syntax"
	"github.com/fastforth/fastforth/patterns"
)

// The pattern library in the editor: completion items that insert a
// pattern as a snippet, code actions that generate a definition from a
// pattern (for an undefined word, or on an empty line under a comment
// saying what is wanted) and tests from the pattern a definition came
// from, and the executeCommand commands fastforth.generate and
// fastforth.patterns. The pattern logic lives in package patterns.

const (
	commandGenerate = "fastforth.generate"
	commandPatterns = "fastforth.patterns"

	// codeActionKindGenerate generates new code: a sub-kind of
	// refactor, so that clients show it with the refactorings.
	codeActionKindGenerate protocol.CodeActionKind = "refactor.generate"

	// minPatternPrefix is the shortest typed prefix that offers
	// patterns: shorter ones would list the whole library.
	minPatternPrefix = 2
	// maxPatternActions bounds the patterns offered by one code action
	// source.
	maxPatternActions = 3
)

func init() {
	AddCompletionSource(patternCompletions)
	addCodeActions(undefinedWordPatterns, protocol.CodeActionKindQuickFix)
	addCodeActions(emptyLinePatterns, codeActionKindGenerate)
	addCodeActions(patternTests, codeActionKindAddTest)
	addCommand(commandGenerate, generateCommand)
	addCommand(commandPatterns, patternsCommand)
}

// libraryFor is the library for a document: the builtin patterns and
// those of the workspace's .fastforth/patterns above it.
func libraryFor(snap *snapshot) *patterns.Library {
	if snap == nil || !snap.uri.IsFile() {
		return patterns.Builtin()
	}
	root := ""
	if snap.proj != nil {
		root = snap.proj.Root
	}
	return patterns.ForDirIn(filepath.Dir(docName(snap.uri)), root)
}

// commandLibrary is the library for commands, which name no document:
// that of the first workspace folder, else of the server's working
// directory (editors start the server there). It runs on the worker.
func (w *worker) commandLibrary() *patterns.Library {
	if folders := w.space.list(); len(folders) > 0 {
		return patterns.ForDir(folders[0])
	}
	wd, err := os.Getwd()
	if err != nil {
		return patterns.Builtin()
	}
	return patterns.ForDir(wd)
}

// patternCompletions offers the builtin patterns as snippets: those
// whose default word name, ID, or a word of whose name or tags starts
// with the typed prefix. The label starts with what matched (clients
// filter on it), followed by the ID unless it is the ID: a pattern's
// label never equals a word's.
func patternCompletions(prefix, dir, root string) []protocol.CompletionItem {
	if len(prefix) < minPatternPrefix {
		return nil
	}
	lib := patterns.Builtin()
	if dir != "" {
		lib = patterns.ForDirIn(dir, root) // with the workspace's own patterns
	}
	var items []protocol.CompletionItem
	for _, p := range lib.All() {
		label := ""
		if np := p.Param("name"); np != nil && strings.HasPrefix(builtins.LowerASCII(np.Default), prefix) {
			label = np.Default + " (" + p.ID + ")"
		} else if strings.HasPrefix(p.ID, prefix) {
			label = p.ID
		} else {
			for _, w := range patterns.Words(p.Name + " " + strings.Join(p.Tags, " ")) {
				if strings.HasPrefix(w, prefix) {
					label = w + " (" + p.ID + ")"
					break
				}
			}
		}
		if label == "" {
			continue
		}
		snip, err := p.Snippet()
		if err != nil {
			continue
		}
		items = append(items, protocol.CompletionItem{
			Label:            label,
			Kind:             protocol.CompletionItemKindSnippet,
			Detail:           protocol.NewOptional("pattern " + p.ID + " " + p.Effect),
			Documentation:    protocol.String(p.Name + ": " + p.Description),
			InsertText:       protocol.NewOptional(snip),
			InsertTextFormat: protocol.InsertTextFormatSnippet,
			SortText:         protocol.NewOptional(rankPattern + label),
		})
	}
	return items
}

// fitting returns up to n instances, verified with name, of the patterns
// whose effect has counts, best match for the query's words first.
func fitting(l *patterns.Library, query, name string, counts patterns.Counts, n int) []*patterns.Generated {
	var out []*patterns.Generated
	for _, h := range l.Search(query) {
		if h.Pattern.Counts() != counts {
			continue
		}
		g, err := l.Instantiate(h.Pattern.ID, map[string]string{"name": name})
		if err != nil || !g.Verification.Verified {
			continue
		}
		if out = append(out, g); len(out) == n {
			break
		}
	}
	return out
}

// definitionText is a generated definition, with its marker line, as
// inserted into a document.
func definitionText(g *patterns.Generated, eol string) string {
	return strings.ReplaceAll(g.Marker()+"\n"+strings.TrimRight(g.Code, "\n")+"\n\n", "\n", eol)
}

// undefinedWordPatterns offers, for an undefined word the range touches,
// the patterns that define it with the effect its use implies and whose
// words match its name.
func undefinedWordPatterns(snap *snapshot, rng byteRange, sent []protocol.Diagnostic) []protocol.CodeAction {
	f := snap.result.File
	src := snap.file.Src
	var out []protocol.CodeAction
	var lib *patterns.Library // looked up once, for the first fitting use
	undefinedUses(snap, rng, func(name string, start, end int, e stubEffect) {
		if !e.insKnown || !e.outsKnown || patterns.ValidName(name) != nil {
			return
		}
		if lib == nil {
			lib = libraryFor(snap)
		}
		counts := patterns.Counts{In: len(e.ins), Out: len(e.outs)}
		at := firstUse(f, src, builtins.LowerASCII(name))
		for _, g := range fitting(lib, strings.NewReplacer("-", " ", "_", " ").Replace(name), name, counts, maxPatternActions) {
			out = append(out, editAction(snap, "Generate `"+name+"` from pattern "+g.Pattern.ID+" ("+g.Pattern.Name+")",
				protocol.CodeActionKindQuickFix, false, resolvedDiags(snap, sent, diag.Undefined, start, end),
				byteEdit(snap, at, at, definitionText(g, eolOf(src)))))
		}
	})
	return out
}

// lineBounds returns the start and end (before the line break) of the
// line holding off.
func lineBounds(src []byte, off int) (int, int) {
	if off > 0 && off < len(src) && src[off] == '\n' && src[off-1] == '\r' {
		off-- // the end of a line ending in \r\n
	}
	s, e := off, off
	for s > 0 && src[s-1] != '\n' && src[s-1] != '\r' {
		s--
	}
	for e < len(src) && src[e] != '\n' && src[e] != '\r' {
		e++
	}
	return s, e
}

// emptyLinePatterns: on an empty line under a comment ("\ sum of the
// squares"), or on a selection of such a comment, the patterns that best
// match its words, inserted with their default names. Code is not a
// query: a range that touches a definition gets nothing.
func emptyLinePatterns(snap *snapshot, rng byteRange, _ []protocol.Diagnostic) []protocol.CodeAction {
	f := snap.result.File
	src := snap.file.Src
	for _, d := range f.Defs {
		if rng.touches(f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)) {
			return nil
		}
	}
	var query string
	var at int
	if rng.start == rng.end {
		s, e := lineBounds(src, rng.start)
		if strings.TrimSpace(string(src[s:e])) != "" || s == 0 {
			return nil
		}
		ps, pe := lineBounds(src, s-1)
		prev := strings.TrimSpace(string(src[ps:pe]))
		if !strings.HasPrefix(prev, `\ `) {
			return nil
		}
		query, at = prev[2:], s
	} else {
		text := string(src[rng.start:rng.end])
		var words []string
		for _, l := range strings.Split(text, "\n") {
			l = strings.TrimSpace(l)
			if !strings.HasPrefix(l, `\`) {
				return nil // only comments are read as what is wanted
			}
			words = append(words, strings.TrimPrefix(l, `\`))
		}
		_, e := lineBounds(src, rng.end)
		query, at = strings.Join(words, " "), e
	}
	l := libraryFor(snap)
	eol := eolOf(src)
	var out []protocol.CodeAction
	for _, h := range l.Search(query) {
		g, err := l.Instantiate(h.Pattern.ID, nil)
		if err != nil || !g.Verification.Verified {
			continue
		}
		text := definitionText(g, eol)
		if rng.start != rng.end {
			text = eol + strings.TrimSuffix(text, eol)
		}
		out = append(out, editAction(snap, "Generate a definition from pattern "+g.Pattern.ID+" ("+g.Pattern.Name+")",
			codeActionKindGenerate, false, nil, byteEdit(snap, at, at, text)))
		if len(out) == maxPatternActions {
			break
		}
	}
	return out
}

// patternTests offers, for a definition the range touches that carries a
// pattern marker with the example parameters, the pattern's tests for
// it. (Other definitions get a skeleton from testActions.)
func patternTests(snap *snapshot, rng byteRange, _ []protocol.Diagnostic) []protocol.CodeAction {
	r := snap.result
	f := r.File
	src := snap.file.Src
	var out []protocol.CodeAction
	var lib *patterns.Library // looked up once, for the first marked word
	touchingDefs(f, rng, func(d *syntax.Def) {
		if d.Kind != syntax.Colon || d.Name == "" || d.Outer != nil || d.Unterminated {
			return
		}
		end := f.Abs(d.Epoch, d.End)
		id, examples := markerAbove(src, f.Abs(d.Epoch, d.Start))
		if id == "" || !examples {
			return
		}
		if lib == nil {
			lib = libraryFor(snap)
		}
		g, err := lib.Instantiate(id, map[string]string{"name": d.Display})
		if err != nil || strings.TrimSpace(g.Tests) == "" {
			return
		}
		eol := eolOf(src)
		text := eol + patterns.TesterLoad + eol + strings.ReplaceAll(strings.TrimRight(g.Tests, "\n"), "\n", eol)
		at := snap.file.LineEnd(snap.file.Position(end).Line)
		out = append(out, editAction(snap, "Generate tests for `"+d.Display+"` from pattern "+id,
			codeActionKindAddTest, false, nil, byteEdit(snap, at, at, text)))
	})
	return out
}

// hasPatternTests reports whether d was generated from a pattern whose
// own tests patternTests offers for it (then a skeleton is not offered).
func hasPatternTests(snap *snapshot, d *syntax.Def) bool {
	id, examples := markerAbove(snap.file.Src, snap.result.File.Abs(d.Epoch, d.Start))
	return id != "" && examples && libraryFor(snap).Get(id) != nil
}

// markerAbove finds a pattern marker in the comment lines just above the
// definition starting at off.
func markerAbove(src []byte, off int) (id string, examples bool) {
	s, _ := lineBounds(src, off)
	for s > 0 {
		ps, pe := lineBounds(src, s-1)
		line := strings.TrimSpace(string(src[ps:pe]))
		if !strings.HasPrefix(line, `\`) {
			return "", false
		}
		if id, ex, ok := patterns.ParseMarker(line); ok {
			return id, ex
		}
		s = ps
	}
	return "", false
}

// generateCommand answers fastforth.generate: the argument is a spec, the
// answer what `fastforth gen --json` prints. The tests run in the
// in-process Forth machine (patterns.DefaultRunner) once it is available,
// never in gforth: until then they are not run.
func generateCommand(s *server, arg json.RawMessage) (func(*worker) (compute, error), error) {
	spec, err := patterns.ParseSpec(arg)
	if err != nil {
		return nil, errInvalidParams("%s: %v", commandGenerate, err)
	}
	return func(w *worker) (compute, error) {
		l := w.commandLibrary()
		return func(ctx context.Context) (any, error) {
			r := l.Generate(spec)
			if runner := patterns.DefaultRunner; runner != nil && r.OK {
				ctx, cancel := context.WithTimeout(ctx, generateRunTimeout)
				defer cancel()
				l.Run(ctx, runner, r)
			}
			return r, nil
		}, nil
	}, nil
}

// generateRunTimeout bounds the tests fastforth.generate runs.
const generateRunTimeout = 20 * time.Second

// patternsQuery is the argument of fastforth.patterns.
type patternsQuery struct {
	Query    string `json:"query,omitempty"`
	Category string `json:"category,omitempty"`
	ID       string `json:"id,omitempty"`
}

// patternObject is a pattern in fastforth.patterns' answer: the shape of
// `fastforth patterns ... --json` (score and matched only for a query).
type patternObject struct {
	*patterns.Pattern
	Score   int      `json:"score,omitempty"`
	Matched []string `json:"matched,omitempty"`
}

// patternsCommand answers fastforth.patterns: one pattern by id, those of
// a category, those matching a query (ranked), or all.
func patternsCommand(s *server, arg json.RawMessage) (func(*worker) (compute, error), error) {
	var q patternsQuery
	dec := json.NewDecoder(strings.NewReader(string(arg)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return nil, errInvalidParams("%s: the argument must be an object {query?, category?, id?}: %v", commandPatterns, err)
	}
	return func(w *worker) (compute, error) {
		l := w.commandLibrary()
		return func(context.Context) (any, error) {
			out := []patternObject{}
			switch {
			case q.ID != "":
				p := l.Get(q.ID)
				if p == nil {
					return nil, errInvalidParams("%s: no pattern %q", commandPatterns, q.ID)
				}
				out = append(out, patternObject{Pattern: p})
			case q.Query != "":
				for _, h := range l.Search(q.Query) {
					if q.Category == "" || h.Pattern.Category == q.Category {
						out = append(out, patternObject{Pattern: h.Pattern, Score: h.Score, Matched: h.Matched})
					}
				}
			case q.Category != "":
				for _, p := range l.ByCategory(q.Category) {
					out = append(out, patternObject{Pattern: p})
				}
			default:
				for _, p := range l.All() {
					out = append(out, patternObject{Pattern: p})
				}
			}
			sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
			return out, nil
		}, nil
	}, nil
}
