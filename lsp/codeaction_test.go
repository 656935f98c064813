package lsp

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/internal/lsptest"
)

// codeAction is a code action as a client reads it.
type codeAction struct {
	Title       string       `json:"title"`
	Kind        string       `json:"kind"`
	IsPreferred bool         `json:"isPreferred"`
	Diagnostics []actionDiag `json:"diagnostics"`
	Edit        struct {
		Changes map[string][]actionEdit `json:"changes"`
	} `json:"edit"`
}

type actionDiag struct {
	Code  string        `json:"code"`
	Range lsptest.Range `json:"range"`
}

type actionEdit struct {
	Range   lsptest.Range `json:"range"`
	NewText string        `json:"newText"`
}

// actionsAt asks for the code actions of [start, end) (byte offsets of
// text) with context.only set to only (none when empty).
func actionsAt(t *testing.T, h *harness, u, text string, start, end int, only ...string) []codeAction {
	t.Helper()
	ctx := map[string]any{"diagnostics": []any{}}
	if len(only) > 0 {
		ctx["only"] = only
	}
	var res []codeAction
	h.Request("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": u},
		"range":        map[string]any{"start": lsptest.PositionAt(text, start), "end": lsptest.PositionAt(text, end)},
		"context":      ctx,
	}, &res)
	if res == nil {
		t.Fatalf("codeAction answered null")
	}
	return res
}

// rangeOf is the LSP range of bytes [start, end) of text.
func rangeOf(text string, start, end int) lsptest.Range {
	return lsptest.Range{Start: lsptest.PositionAt(text, start), End: lsptest.PositionAt(text, end)}
}

// applyAction applies an action's edits to text, as a client does: all
// ranges refer to the text before any of them is applied.
func applyAction(t *testing.T, a codeAction, u, text string) string {
	t.Helper()
	if len(a.Edit.Changes) != 1 || len(a.Edit.Changes[u]) == 0 {
		t.Fatalf("%q: edits %+v, want edits of %s only", a.Title, a.Edit.Changes, u)
	}
	edits := slices.Clone(a.Edit.Changes[u])
	sort.SliceStable(edits, func(i, j int) bool {
		return lsptest.Offset(text, edits[i].Range.Start) > lsptest.Offset(text, edits[j].Range.Start)
	})
	for i, e := range edits {
		s, end := lsptest.Offset(text, e.Range.Start), lsptest.Offset(text, e.Range.End)
		if i > 0 && end > lsptest.Offset(text, edits[i-1].Range.Start) {
			t.Fatalf("%q: overlapping edits %+v", a.Title, edits)
		}
		text = text[:s] + e.NewText + text[end:]
	}
	return text
}

// analyse analyses text as a fresh workspace does.
func analyse(text string) *analysis.Result {
	return analysis.New(analysis.Options{}).Analyze("/tmp/actions.fs", []byte(text))
}

// errorsOf lists the errors of an analysis as "code: message".
func errorsOf(r *analysis.Result) []string {
	var out []string
	for _, d := range r.Diags {
		if d.Severity == diag.Error {
			out = append(out, fmt.Sprintf("%s: %s", d.Code, d.Message))
		}
	}
	return out
}

// statusOf returns the verdict on the definition named name.
func statusOf(r *analysis.Result, name string) string {
	for _, rep := range r.Reports("x") {
		if rep.Name == name {
			return rep.Status
		}
	}
	return "absent"
}

func titles(as []codeAction) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}

// spanOf is the byte range of the n-th (from 0) occurrence of word.
func spanOf(t *testing.T, text, word string, n int) (int, int) {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(text[off+1:], word)
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times in %q", word, n+1, text)
		}
		off += 1 + j
	}
	return off, off + len(word)
}

func TestCommentActions(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/actions.fs"
	text := ": double  2* ;\n: wrong ( a b -- c ) over + ;\n: mk ( n \"name\" -- n ) create , ;\n: ok ( n -- n ) 1+ ;\n"
	open(h, u, text, 1)
	for _, c := range []struct {
		word, title, newText string
		sl, sc, el, ec       int
		preferred            bool
		fixes                string
	}{
		{"double", "Insert the inferred stack comment ( x -- x2 )", " ( x -- x2 )", 0, 8, 0, 8, true, "missing-stack-comment"},
		{"wrong", "Correct the stack comment to ( a b -- a x1 )", "( a b -- a x1 )", 1, 8, 1, 20, false, "effect-mismatch"},
		{"mk", "Correct the stack comment to ( \"name\" n -- )", "( \"name\" n -- )", 2, 5, 2, 22, false, "effect-mismatch"},
	} {
		t.Run(c.word, func(t *testing.T) {
			s, _ := spanOf(t, text, c.word, 0)
			got := actionsAt(t, h, u, text, s, s+1, "quickfix")
			if len(got) != 1 {
				t.Fatalf("actions %q", titles(got))
			}
			a := got[0]
			edits := a.Edit.Changes[u]
			if a.Title != c.title || a.Kind != "quickfix" || len(edits) != 1 || edits[0].NewText != c.newText || a.IsPreferred != c.preferred {
				t.Fatalf("%+v", a)
			}
			if r := edits[0].Range; r != (lsptest.Range{Start: lsptest.Position{Line: c.sl, Character: c.sc}, End: lsptest.Position{Line: c.el, Character: c.ec}}) {
				t.Errorf("range %+v", r)
			}
			if len(a.Diagnostics) != 1 || a.Diagnostics[0].Code != c.fixes {
				t.Errorf("diagnostics %+v, want the %s one", a.Diagnostics, c.fixes)
			}
			fixed := analyse(applyAction(t, a, u, text))
			if st := statusOf(fixed, c.word); st != "verified" {
				t.Errorf("after the fix %s is %s", c.word, st)
			}
		})
	}
	// Nothing to offer: an empty array, not null.
	s, _ := spanOf(t, text, "ok", 0)
	if got := actionsAt(t, h, u, text, s, s+1, "quickfix"); len(got) != 0 {
		t.Errorf("actions on a correct definition: %q", titles(got))
	}
	if got := actionsAt(t, h, "file:///tmp/not-open.fs", "", 0, 0); len(got) != 0 {
		t.Errorf("actions in a document that is not open: %q", titles(got))
	}
	// Bad params: an error, and the server goes on.
	for _, params := range []any{nil, map[string]any{"range": 7}, map[string]any{"textDocument": map[string]any{}}} {
		if m := h.Response(h.Call("textDocument/codeAction", params)); m.Error == nil || m.Error.Code != -32602 {
			t.Errorf("params %v answered %+v %s", params, m.Error, m.Result)
		}
	}
	// A range past the end of the text clamps.
	var res []codeAction
	h.Request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": u},
		"range":   map[string]any{"start": map[string]any{"line": 99, "character": 0}, "end": map[string]any{"line": 0, "character": 0}},
		"context": map[string]any{"diagnostics": []any{}}}, &res)
	if len(res) == 0 {
		t.Errorf("no action for the whole text")
	}
}

// TestCodeActionKinds checks the capability and context.only: each
// action only where its kind is asked for, "refactor" and "source"
// including their sub-kinds.
func TestCodeActionKinds(t *testing.T) {
	h := startServer(t, Options{}, nil)
	res := h.initialize(nil)
	caps, _ := res["capabilities"].(map[string]any)
	prov, _ := caps["codeActionProvider"].(map[string]any)
	var kinds []string
	for _, k := range prov["codeActionKinds"].([]any) {
		kinds = append(kinds, k.(string))
	}
	for _, want := range []string{"quickfix", "refactor.extract", "source.addTest"} {
		if !slices.Contains(kinds, want) {
			t.Errorf("codeActionKinds %q lack %s", kinds, want)
		}
	}
	const u = "file:///tmp/kinds.fs"
	text := ": f ( n -- m ) dup * foo ;\n"
	open(h, u, text, 1)
	// From dup to the start of foo: extract dup *, define foo.
	s, e := spanOf(t, text, "dup * ", 0)
	all := []string{"Define `foo` ( m -- y )", "Extract to new word `helper` ( x -- x2 )", "Add test for `f`"}
	for _, c := range []struct {
		only []string
		want []string
	}{
		{nil, all},
		{[]string{"quickfix"}, all[:1]},
		{[]string{"refactor"}, all[1:2]},
		{[]string{"refactor.extract"}, all[1:2]},
		{[]string{"refactor.inline"}, nil},
		{[]string{"source"}, all[2:]},
		{[]string{"source.addTest"}, all[2:]},
		{[]string{"source.fixAll"}, nil},
		{[]string{"quickfix", "source"}, []string{all[0], all[2]}},
	} {
		got := titles(actionsAt(t, h, u, text, s, e, c.only...))
		if !slices.Equal(got, append([]string{}, c.want...)) {
			t.Errorf("only %q: %q, want %q", c.only, got, c.want)
		}
	}
}

// TestCodeActionsUTF8 checks that edits use the negotiated encoding.
func TestCodeActionsUTF8(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(map[string]any{"general": map[string]any{"positionEncodings": []string{"utf-8"}}})
	const u = "file:///tmp/utf8.fs"
	text := "\\ é😀\n: é😀  1+ ;\n"
	open(h, u, text, 1)
	var res []codeAction
	h.Request("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": u},
		"range":        map[string]any{"start": map[string]any{"line": 1, "character": 0}, "end": map[string]any{"line": 1, "character": 0}},
		"context":      map[string]any{"diagnostics": []any{}, "only": []string{"quickfix"}},
	}, &res)
	if len(res) != 1 {
		t.Fatalf("actions %q", titles(res))
	}
	// The name is 2+4 bytes after ": ".
	if r := res[0].Edit.Changes[u][0].Range.Start; r != (lsptest.Position{Line: 1, Character: 8}) {
		t.Errorf("insertion at %+v, want byte column 8", r)
	}
}

// TestCodeActionSources checks the registration hook: a source's
// actions are offered beside the built-in ones, filtered by their kind,
// and a source that panics costs only its own actions.
func TestCodeActionSources(t *testing.T) {
	saved := actionSources
	t.Cleanup(func() { actionSources = saved })
	addCodeActions(func(snap *snapshot, rng byteRange, _ []protocol.Diagnostic) []protocol.CodeAction {
		return []protocol.CodeAction{editAction(snap, "plugged in", protocol.CodeActionKindRefactorRewrite, false, nil, byteEdit(snap, rng.start, rng.start, "x"))}
	}, protocol.CodeActionKindRefactorRewrite)
	addCodeActions(func(*snapshot, byteRange, []protocol.Diagnostic) []protocol.CodeAction { panic("broken source") })
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/sources.fs"
	text := ": f ( n -- n ) 1+ ;\n"
	open(h, u, text, 1)
	if got := titles(actionsAt(t, h, u, text, 0, 0)); !slices.Equal(got, []string{"plugged in", "Add test for `f`"}) {
		t.Errorf("actions %q", got)
	}
	if got := titles(actionsAt(t, h, u, text, 0, 0, "quickfix")); len(got) != 0 {
		t.Errorf("quickfix only: %q", got)
	}
	if !strings.Contains(h.log.String(), "broken source") {
		t.Errorf("the panic was not logged")
	}
}

// BenchmarkCodeActions measures the sources on a 10,000-line file: a
// cursor in a definition (what every cursor move asks), on an undefined
// word (the stub's trials) and a selection (the extraction's checks).
func BenchmarkCodeActions(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&sb, ": w%d ( a b -- c )\n  swap dup * + ;\n", i)
	}
	sb.WriteString(": last ( a b -- c ) swap frob + ;\n")
	text := sb.String()
	r := analysis.New(analysis.Options{}).Analyze("/tmp/bench.fs", []byte(text))
	snap := &snapshot{uri: "file:///tmp/bench.fs", file: r.File.Source, result: r}
	at := strings.Index(text, ": w2500 ")
	frob := strings.Index(text, "frob")
	sel := strings.Index(text[at:], "dup *") + at
	for _, c := range []struct {
		name string
		rng  byteRange
		want int
	}{
		{"cursor", byteRange{at + 4, at + 4}, 1},
		{"undefined", byteRange{frob, frob}, 2},
		{"selection", byteRange{sel, sel + 5}, 2},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				n := 0
				for _, src := range actionSources {
					n += len(src.fn(snap, c.rng, nil))
				}
				if n < c.want {
					b.Fatalf("%d actions, want at least %d", n, c.want)
				}
			}
		})
	}
}

// TestCodeActionsAfterEdits checks the actions on a document edited
// inside a definition (re-analysed incrementally, with offsets moved
// lazily): their edits still land on the right text.
func TestCodeActionsAfterEdits(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/edited.fs"
	text := ": a ( n -- n ) 1+ ;\n: b ( x y -- z ) swap frob + ;\n: c ( n -- n ) 2* 1+ ;\n"
	open(h, u, text, 1)
	// Three edits inside a's body, each re-read incrementally.
	for v, ins := range []string{"1+ 1- ", "dup drop ", "0 + "} {
		at := strings.Index(text, "1+ ;")
		change(h, u, v+2, insert(0, at, ins))
		text = text[:at] + ins + text[at:]
	}
	if r := analyse(text); statusOf(r, "a") != "verified" || len(errorsOf(r)) != 1 {
		t.Fatalf("edited text %q: %q", text, errorsOf(r))
	}
	s, _ := spanOf(t, text, "frob", 0)
	got := actionsAt(t, h, u, text, s, s, "quickfix")
	if len(got) != 1 || got[0].Title != "Define `frob` ( y x -- y1 y2 )" {
		t.Fatalf("actions %q on:\n%s", titles(got), text)
	}
	if after := analyse(applyAction(t, got[0], u, text)); len(errorsOf(after)) != 0 {
		t.Errorf("errors %q", errorsOf(after))
	}
	s, e := spanOf(t, text, "2* 1+", 0)
	got = actionsAt(t, h, u, text, s, e, "refactor")
	if len(got) != 1 {
		t.Fatalf("actions %q", titles(got))
	}
	fixed := applyAction(t, got[0], u, text)
	if !strings.Contains(fixed, ": helper ( x -- x2 ) 2* 1+ ;\n\n: c ( n -- n ) helper ;\n") {
		t.Errorf("extracted:\n%s", fixed)
	}
	if after := analyse(fixed); statusOf(after, "c") != "verified" || statusOf(after, "helper") != "verified" {
		t.Errorf("after extracting:\n%s", fixed)
	}
}
