package lsp

import (
	"context"
	"slices"
	"sort"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Code actions come from sources, each in its own file, registered with
// addCodeActions in an init function:
//
//	func init() { addCodeActions(myActions, protocol.CodeActionKindQuickFix) }
//
//	func myActions(snap *snapshot, rng byteRange, diags []protocol.Diagnostic) []protocol.CodeAction {
//		// look at snap.result, return actions with full edits
//	}
//
// A source runs on the worker, so it may use snap.result.Checker (to
// trace or infer, on a Clone when it makes up definitions: see
// trialChecker); it must not change the snapshot and should be quick, as
// clients ask for code actions whenever the cursor moves. rng is the
// request's range in bytes of snap.file; diags are the diagnostics the
// client sent in the request's context (it may send none: resolvedDiags
// finds the server's own). Each action carries its edit in full
// (editAction builds one): nothing is resolved later. The kinds given to
// addCodeActions are announced in the capability, and a source none of
// whose kinds the request's context.only accepts is not run; every action
// returned is filtered by context.only again, by its own kind. A source
// that panics loses its actions, not the others'.
//
// Helpers for sources: touchingDefs (the definitions the range touches),
// editAction and byteEdit (an action and its edits, in the client's
// position encoding), resolvedDiags (the diagnostics an action fixes),
// beforeDef (where new text goes before a definition), eolOf (the file's
// line ends) and trialChecker (inference with a made-up word).

// byteRange is a range of a document's text in bytes.
type byteRange struct{ start, end int }

// codeActionSource offers code actions for a range of a document.
type codeActionSource func(snap *snapshot, rng byteRange, diags []protocol.Diagnostic) []protocol.CodeAction

type actionSource struct {
	fn    codeActionSource
	kinds []protocol.CodeActionKind
}

// actionSources are the registered sources, in registration order (init
// order, that is, by file name; the answer is sorted by kind anyway).
var actionSources []actionSource

// addCodeActions registers a source of code actions whose actions have
// the given kinds (announced in the capability; with none, the source is
// always run). Call it from an init function.
func addCodeActions(src codeActionSource, kinds ...protocol.CodeActionKind) {
	actionSources = append(actionSources, actionSource{fn: src, kinds: kinds})
}

// Kinds of the actions offered here beside the LSP's own.
const (
	// codeActionKindAddTest adds a test skeleton for a word: a sub-kind
	// of source, so that a client asking for "source" actions gets it.
	codeActionKindAddTest protocol.CodeActionKind = "source.addTest"
)

func init() {
	register(protocol.MethodTextDocumentCodeAction, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.CodeActionParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.codeActions(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.CodeActionProvider = &protocol.CodeActionOptions{CodeActionKinds: announcedKinds()}
		},
	})
	addCodeActions(commentActions, protocol.CodeActionKindQuickFix)
}

// announcedKinds lists the kinds of every source, each once, in a stable
// order.
func announcedKinds() []protocol.CodeActionKind {
	var kinds []protocol.CodeActionKind
	for _, s := range actionSources {
		for _, k := range s.kinds {
			if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	slices.SortStableFunc(kinds, func(a, b protocol.CodeActionKind) int { return kindRank(a) - kindRank(b) })
	return kinds
}

// kindAllowed reports whether context.only accepts kind: an empty list
// accepts everything, and "refactor" accepts "refactor.extract".
func kindAllowed(kind protocol.CodeActionKind, only []protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if kind == o || o != "" && strings.HasPrefix(string(kind), string(o)+".") {
			return true
		}
	}
	return false
}

// kindRank orders the answer: fixes first, then refactorings, then
// source actions.
func kindRank(k protocol.CodeActionKind) int {
	for i, prefix := range []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, protocol.CodeActionKindRefactor, protocol.CodeActionKindSource} {
		if kindAllowed(k, []protocol.CodeActionKind{prefix}) {
			return i
		}
	}
	return 3
}

// codeActions answers textDocument/codeAction with the actions of every
// source whose kinds context.only accepts.
func (w *worker) codeActions(p *protocol.CodeActionParams) (compute, error) {
	actions := []protocol.CodeAction{}
	answer := func(context.Context) (any, error) { return actions, nil }
	snap, ok := w.snapshot(p.TextDocument.URI)
	if !ok {
		return answer, nil
	}
	only := p.Context.Only
	lo := toOffset(snap.file, p.Range.Start, snap.enc)
	hi := toOffset(snap.file, p.Range.End, snap.enc)
	if hi < lo {
		lo, hi = hi, lo
	}
	rng := byteRange{lo, hi}
	for _, src := range actionSources {
		if len(src.kinds) > 0 && !slices.ContainsFunc(src.kinds, func(k protocol.CodeActionKind) bool { return kindAllowed(k, only) }) {
			continue
		}
		for _, a := range w.runSource(src.fn, snap, rng, p.Context.Diagnostics) {
			var kind protocol.CodeActionKind
			if a.Kind != nil {
				kind = *a.Kind
			}
			if kindAllowed(kind, only) {
				actions = append(actions, a)
			}
		}
	}
	slices.SortStableFunc(actions, func(a, b protocol.CodeAction) int {
		var ka, kb protocol.CodeActionKind
		if a.Kind != nil {
			ka = *a.Kind
		}
		if b.Kind != nil {
			kb = *b.Kind
		}
		return kindRank(ka) - kindRank(kb)
	})
	return answer, nil
}

// runSource runs one source, surviving its panic.
func (w *worker) runSource(fn codeActionSource, snap *snapshot, rng byteRange, diags []protocol.Diagnostic) (actions []protocol.CodeAction) {
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("code action source panicked", zap.String("uri", string(snap.uri)), zap.Any("panic", r))
			actions = nil
		}
	}()
	return fn(snap, rng, diags)
}

// byteEdit replaces bytes [start, end) of the snapshot's text.
func byteEdit(snap *snapshot, start, end int, text string) protocol.TextEdit {
	return protocol.TextEdit{Range: toRange(snap.file, start, end, snap.enc), NewText: text}
}

// editAction makes an action that applies edits to the snapshot's
// document. fixes are the diagnostics it resolves (nil for none).
func editAction(snap *snapshot, title string, kind protocol.CodeActionKind, preferred bool, fixes []protocol.Diagnostic, edits ...protocol.TextEdit) protocol.CodeAction {
	a := protocol.CodeAction{
		Title:       title,
		Kind:        &kind,
		Diagnostics: fixes,
		Edit:        &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{snap.uri: edits}},
	}
	if preferred {
		a.IsPreferred = &preferred
	}
	return a
}

// resolvedDiags returns the diagnostics with code at [start, end) that an
// action resolves: the client's own copies when it sent them (clients
// match them by value), else the server's.
func resolvedDiags(snap *snapshot, sent []protocol.Diagnostic, code diag.Code, start, end int) []protocol.Diagnostic {
	rng := toRange(snap.file, start, end, snap.enc)
	var out []protocol.Diagnostic
	for _, d := range sent {
		if c, ok := d.Code.(protocol.String); ok && string(c) == string(code) && d.Range == rng {
			out = append(out, d)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, d := range snap.result.Diags {
		if d.Code == code && d.Start == start && d.End == end {
			return toDiagnostics(snap.file, []diag.Diagnostic{d}, snap.enc)
		}
	}
	return nil
}

// touches reports whether [s, e) meets the range, a cursor at either end
// of it included.
func (r byteRange) touches(s, e int) bool { return s <= r.end && e >= r.start }

// touchingDefs calls fn, in source order, for each definition (nested
// ones included) whose text the range touches. It finds them by binary
// search, as requests come on every cursor move.
func touchingDefs(f *syntax.File, rng byteRange, fn func(d *syntax.Def)) {
	defs := f.Defs
	// Definitions are in source order, nested ones right after their
	// outer one, and top-level ones do not overlap.
	hi := sort.Search(len(defs), func(i int) bool { return f.Abs(defs[i].Epoch, defs[i].Start) > rng.end })
	lo := hi
	for lo > 0 {
		d := defs[lo-1]
		if d.Outer == nil && f.Abs(d.Epoch, d.End) < rng.start {
			break
		}
		lo--
	}
	for _, d := range defs[lo:hi] {
		if rng.touches(f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)) {
			fn(d)
		}
	}
}

// eolOf is the file's line terminator: that of its first line, or
// "\n".
func eolOf(src []byte) string {
	for i, c := range src {
		switch c {
		case '\n':
			return "\n"
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				return "\r\n"
			}
			return "\r"
		}
	}
	return "\n"
}

// beforeDef is where new text goes so that it stands before top-level
// definition d: the start of d's line, above its documenting comment
// block (which stays attached to d), when only blanks precede it there;
// else d itself. The text inserted there ends with a line break.
func beforeDef(f *syntax.File, d *syntax.Def) int {
	at := f.Abs(d.Epoch, d.Start)
	if d.DocEnd > d.DocStart {
		if s := f.Abs(d.Epoch, d.DocStart); s < at {
			at = s
		}
	}
	return lineStartBefore(f, at)
}

// lineStartBefore moves off back to its line's start when only blanks
// precede it there.
func lineStartBefore(f *syntax.File, off int) int {
	src := f.Source
	ls := src.LineStart(src.Position(off).Line)
	for i := ls; i < off; i++ {
		if c := src.Src[i]; c != ' ' && c != '\t' {
			return off
		}
	}
	return ls
}

// trialChecker returns a Checker for made-up definitions: a clone of c
// (whose results it leaves untouched) in which fake, when called, has
// the effect sig, as it would with a stack comment that reads so.
func trialChecker(c *infer.Checker, fake *syntax.Def, sig *infer.Sig) *infer.Checker {
	t := c.Clone()
	if fake != nil {
		t.Reuse = func(d *syntax.Def, _ *infer.Checker) *infer.Result {
			if d == fake {
				return &infer.Result{Def: d, Status: infer.Verified, Sig: sig}
			}
			return nil
		}
	}
	return t
}

// errorCount counts the error diagnostics of an inference result.
func errorCount(r *infer.Result) int {
	n := 0
	for _, d := range r.Diags {
		if d.Severity == diag.Error {
			n++
		}
	}
	return n
}

// commentActions offers, for the colon definitions the range touches,
// to insert the inferred stack comment where there is none and to
// correct a declared comment that disagrees with the body.
func commentActions(snap *snapshot, rng byteRange, sent []protocol.Diagnostic) []protocol.CodeAction {
	r := snap.result
	f := r.File
	var out []protocol.CodeAction
	touchingDefs(f, rng, func(d *syntax.Def) {
		if d.Kind != syntax.Colon || d.Name == "" || d.Outer != nil || d.Unterminated {
			return
		}
		res := resultOf(r, d)
		if res == nil || res.Inferred == nil || len(res.Alts) != 1 {
			return
		}
		switch {
		case d.Comment == nil && res.Status == infer.Undeclared:
			at := f.Abs(d.Epoch, d.NameEnd)
			c := res.Inferred.String()
			fixes := resolvedDiags(snap, sent, diag.MissingComment, f.Abs(d.Epoch, d.NameStart), at)
			out = append(out, editAction(snap, "Insert the inferred stack comment "+c, protocol.CodeActionKindQuickFix, true, fixes,
				byteEdit(snap, at, at, " "+c)))
		case d.Comment != nil && !d.Comment.FromLocals && res.Status == infer.Mismatch:
			c := withParsed(res.Inferred.String(), &d.Comment.Effect)
			start, end := f.Abs(d.Epoch, d.Comment.Start), f.Abs(d.Epoch, d.Comment.End)
			// Not preferred: the body may be what is wrong.
			out = append(out, editAction(snap, "Correct the stack comment to "+c, protocol.CodeActionKindQuickFix, false,
				resolvedDiags(snap, sent, diag.EffectMismatch, start, end), byteEdit(snap, start, end, c)))
		}
	})
	return out
}

// withParsed keeps the parsed-text items of a declaration ("name") at the
// front of a corrected comment: they are not on any stack, so inference
// does not see them.
func withParsed(inferred string, decl *effect.Effect) string {
	var parsed []string
	for _, it := range decl.Parses() {
		parsed = append(parsed, it.Name)
	}
	if len(parsed) == 0 || !strings.HasPrefix(inferred, "(") {
		return inferred
	}
	return "( " + strings.Join(parsed, " ") + inferred[1:]
}
