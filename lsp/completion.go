package lsp

import (
	"context"
	"path/filepath"
	"sort"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/syntax"
)

func init() {
	register(protocol.MethodTextDocumentCompletion, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.CompletionParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.completion(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.CompletionProvider = &protocol.CompletionOptions{}
		},
	})
}

// CompletionSource adds completion items for the word being typed (its
// prefix, lower case). The pattern library registers one to offer its
// patterns as snippets; sources are asked after the words and snippets
// below, and their items are ranked after them. dir is the document's
// directory and root its project's root ("" for a document that is not a
// file).
type CompletionSource func(prefix, dir, root string) []protocol.CompletionItem

var completionSources []CompletionSource

// AddCompletionSource registers a source of completion items.
func AddCompletionSource(src CompletionSource) { completionSources = append(completionSources, src) }

// controlSnippets insert the control structures with placeholders.
var controlSnippets = []struct{ label, body, doc string }{
	{"if … then", "if\n\t$0\nthen", "Run the code when the flag is non-zero."},
	{"if … else … then", "if\n\t${1}\nelse\n\t$0\nthen", "Choose by the flag."},
	{"begin … until", "begin\n\t$0\nuntil", "Loop until the flag is non-zero."},
	{"begin … while … repeat", "begin\n\t${1}\nwhile\n\t$0\nrepeat", "Loop while the flag is non-zero."},
	{"begin … again", "begin\n\t$0\nagain", "Loop for ever (leave with EXIT)."},
	{"?do … loop", "?do\n\t$0\nloop", "Count from the index up to the limit (skipped when equal)."},
	{"do … +loop", "do\n\t$0\n${1:1} +loop", "Count with a step."},
	{"case … endcase", "case\n\t${1:0} of $2 endof\n\t$0\nendcase", "Choose by value."},
	{": name ( -- ) ;", ": ${1:name} ( ${2} -- ${3} )\n\t$0 ;", "A new colon definition with its stack comment."},
}

// completion answers textDocument/completion: the words visible in the
// document (its definitions and those of included files) and the builtins
// whose names start with the word being typed, with their effects, plus
// snippets for control structures.
func (w *worker) completion(p *protocol.CompletionParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	if !ok {
		return func(context.Context) (any, error) {
			return &protocol.CompletionList{Items: []protocol.CompletionItem{}}, nil
		}, nil
	}
	// On a file name after include, require or needs: file names
	// (pathcomplete.go).
	if fn, ok := w.pathCompletion(snap, p.Position); ok {
		return fn, nil
	}
	off := toOffset(snap.file, p.Position, snap.enc)
	src := snap.file.Src
	start := off
	for start > 0 && src[start-1] > ' ' {
		start--
	}
	prefix := builtins.LowerASCII(string(src[start:off]))
	// User words' effects come from the Checker: read them on the worker.
	r := snap.result
	type userWord struct {
		name, effect string
		kind         protocol.CompletionItemKind
	}
	var users []userWord
	seen := map[string]bool{}
	more := false // words were left out: the list is incomplete
	addDef := func(d *syntax.Def) {
		if d == nil || d.Name == "" || seen[d.Name] || !strings.HasPrefix(d.Name, prefix) {
			return
		}
		if len(users) == maxUserCompletions {
			more = true
			return
		}
		seen[d.Name] = true
		eff := ""
		if d.Comment != nil && d.Comment.Err == nil {
			eff = d.Comment.Effect.Short()
		} else if res := resultOf(r, d); res != nil && res.Inferred != nil {
			eff = res.Inferred.Short()
		} else if d.Effect != nil {
			eff = d.Effect.Short()
		}
		users = append(users, userWord{name: d.Display, effect: eff, kind: completionKind(d)})
	}
	// Later definitions shadow earlier ones: walk from the end.
	for i := len(r.File.Defs) - 1; i >= 0 && !more; i-- {
		if d := r.File.Defs[i]; d.Outer == nil {
			addDef(d)
		}
	}
	// The words of the includes and of the context the file is read in
	// (its includer's): everything visible at its end.
	if ex := r.File.Exports; ex != nil && !more {
		var names []string
		for n := range ex.All() {
			if strings.HasPrefix(n, prefix) {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			if more {
				break
			}
			addDef(ex.Lookup(n))
		}
	}
	return func(ctx context.Context) (any, error) {
		items := make([]protocol.CompletionItem, 0, 64)
		for _, u := range users {
			it := protocol.CompletionItem{Label: u.name, Kind: u.kind, SortText: protocol.NewOptional(scopeRank(u.name, prefix) + builtins.LowerASCII(u.name))}
			if u.effect != "" {
				it.Detail = protocol.NewOptional(u.effect)
			}
			items = append(items, it)
		}
		// Words of workspace files this document does not include
		// (workspace.go).
		isBuiltin := func(n string) bool { return builtins.Lookup(n) != nil }
		items = append(items, elsewhereCompletions(snap, off, prefix, seen, isBuiltin)...)
		for _, b := range builtins.All() {
			if seen[b.Name] || !strings.HasPrefix(b.Name, prefix) {
				continue
			}
			rank := builtinRank(b)
			if b.Name == prefix {
				rank = rankExact
			} else if rank == "" {
				// A gforth internal with no recorded effect: only
				// when typed in full.
				continue
			}
			it := protocol.CompletionItem{Label: b.Name, Kind: protocol.CompletionItemKindFunction,
				SortText: protocol.NewOptional(rank + b.Name)}
			if b.Known {
				it.Detail = protocol.NewOptional(b.EffectText)
			}
			if b.Doc != "" {
				it.Documentation = protocol.String(b.Doc)
			}
			items = append(items, it)
		}
		for _, sn := range controlSnippets {
			if !strings.HasPrefix(sn.label, prefix) && !strings.HasPrefix(strings.TrimPrefix(sn.label, "?"), prefix) {
				continue
			}
			items = append(items, protocol.CompletionItem{Label: sn.label, Kind: protocol.CompletionItemKindSnippet,
				InsertText: protocol.NewOptional(sn.body), InsertTextFormat: protocol.InsertTextFormatSnippet,
				Documentation: protocol.String(sn.doc), SortText: protocol.NewOptional(rankSnippet + sn.label)})
		}
		dir, root := "", ""
		if snap.uri.IsFile() {
			dir = filepath.Dir(docName(snap.uri))
			if snap.proj != nil {
				root = snap.proj.Root
			}
		}
		for _, src := range completionSources {
			items = append(items, src(prefix, dir, root)...)
		}
		return &protocol.CompletionList{Items: items, IsIncomplete: more}, nil
	}, nil
}

// Completion ranks, the first character of each item's sortText: the
// word typed in full first, then the words in scope (the document's and
// those of the files it includes), the standard words, gforth's, the
// control-structure snippets, the words of workspace files the document
// does not include (workspace.go), patterns (patterns.go), and gforth's
// internals last. An internal with no recorded effect is offered only
// when typed in full.
const (
	rankExact       = "0"
	rankScope       = "1"
	rankStandard    = "2"
	rankGforth      = "3"
	rankSnippet     = "4"
	rankElsewhere   = "5"
	rankPattern     = "6"
	rankInternal    = "7"
	rankUnsupported = "" // not offered unless typed in full
)

// scopeRank is the rank of a word in scope named name when prefix is
// typed.
func scopeRank(name, prefix string) string {
	if builtins.LowerASCII(name) == prefix {
		return rankExact
	}
	return rankScope
}

// maxUserCompletions bounds the user words a completion lists: past it
// the list is marked incomplete and the client asks again as the prefix
// grows (a file of 160,000 definitions answered 12 MB to every empty
// prefix).
const maxUserCompletions = 1000

// builtinRank orders builtins: standard words before gforth's, gforth's
// internals last, those with no recorded effect not at all (rankUnsupported).
func builtinRank(b *builtins.Word) string {
	switch b.WordSet {
	case "gforth":
		return rankGforth
	case "gforth-internal":
		if !b.Known {
			return rankUnsupported
		}
		return rankInternal
	}
	return rankStandard
}

func completionKind(d *syntax.Def) protocol.CompletionItemKind { return kindCompletion(d.Kind) }

// kindCompletion is the completion item kind of a word of kind k.
func kindCompletion(k syntax.DefKind) protocol.CompletionItemKind {
	switch k {
	case syntax.Variable:
		return protocol.CompletionItemKindVariable
	case syntax.Constant:
		return protocol.CompletionItemKindConstant
	case syntax.Field:
		return protocol.CompletionItemKindField
	}
	return protocol.CompletionItemKindFunction
}
