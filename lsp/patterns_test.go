package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/patterns"
)

// patternWorkspace makes a workspace whose .fastforth/patterns holds the
// pattern package's test patterns, and returns the URI of a file in it.
func patternWorkspace(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "patterns", "testdata", "basic.forth-patterns"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pd := filepath.Join(dir, ".fastforth", "patterns")
	if err := os.MkdirAll(pd, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pd, "basic.forth-patterns"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	// The project root: user patterns are looked for up to it only.
	if err := os.WriteFile(filepath.Join(dir, "fastforth.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(filepath.Join(dir, "src", "main.fs"))
}

func TestPatternCompletion(t *testing.T) {
	all := patterns.Builtin().All()
	if len(all) == 0 {
		t.Skip("empty builtin library")
	}
	p := all[0]
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/patterns-complete.fs"
	prefix := p.ID[:4]
	open(h, u, prefix, 1)
	got := completeAt(h, u, 0, len(prefix))
	found := false
	for _, it := range got.Items {
		if !strings.Contains(it.Label, p.ID) && !strings.Contains(it.Detail, p.ID) {
			continue
		}
		found = true
		snip, _ := p.Snippet()
		if it.Kind != 15 || it.InsertTextFormat != 2 || it.InsertText != snip || !strings.Contains(it.InsertText, "${1:") {
			t.Errorf("item %+v", it)
		}
	}
	if !found {
		t.Errorf("no item for %s after %q", p.ID, prefix)
	}
	// A pattern is offered under the word it defines.
	np := p.Param("name").Default
	items := patternCompletions(strings.ToLower(np), "", "")
	if len(items) == 0 || items[0].Label != np+" ("+p.ID+")" {
		t.Errorf("completing %q: %+v", np, items)
	}
	// A workspace's own patterns are offered in its documents.
	wu := patternWorkspace(t)
	open(h, wu, "test-squ", 1)
	offered := false
	for _, it := range completeAt(h, wu, 0, len("test-squ")).Items {
		offered = offered || strings.Contains(it.Label, "test-square-001")
	}
	if !offered {
		t.Errorf("the workspace's pattern test-square-001 is not offered")
	}
	// One letter lists nothing from the library.
	for _, it := range patternCompletions(prefix[:1], "", "") {
		t.Errorf("item %s for a one-letter prefix", it.Label)
	}
}

func TestPatternCodeActions(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	u := patternWorkspace(t)

	t.Run("undefined word", func(t *testing.T) {
		text := ": f ( n -- m ) 1+ square ;\n"
		open(h, u, text, 1)
		s, e := spanOf(t, text, "square", 0)
		var got *codeAction
		acts := actionsAt(t, h, u, text, s, e, "quickfix")
		for i, a := range acts {
			if strings.Contains(a.Title, "from pattern test-square-001") {
				got = &acts[i]
			}
		}
		if got == nil {
			t.Fatalf("actions %q", titles(acts))
		}
		if got.Title != "Generate `square` from pattern test-square-001 (Square a number)" || got.IsPreferred || len(got.Diagnostics) != 1 {
			t.Errorf("%+v", got)
		}
		fixed := applyAction(t, *got, u, text)
		if want := "\\ From pattern test-square-001\n: square ( n -- n*n )\n  dup * ;\n\n" + text; fixed != want {
			t.Errorf("applied %q, want %q", fixed, want)
		}
		r := analyse(fixed)
		if errs := errorsOf(r); len(errs) > 0 || statusOf(r, "square") != "verified" || statusOf(r, "f") != "verified" {
			t.Errorf("after the fix: %v", errs)
		}
		// A use whose effect no pattern has gets no pattern action.
		text = ": g ( a b -- c ) square ;\n"
		open(h, u, text, 2)
		s, e = spanOf(t, text, "square", 0)
		for _, a := range actionsAt(t, h, u, text, s, e, "quickfix") {
			if strings.Contains(a.Title, "pattern") {
				t.Errorf("unexpected %q", a.Title)
			}
		}
	})

	t.Run("empty line under a comment", func(t *testing.T) {
		text := "\\ sum of an index range\n\n: other ( -- ) ;\n"
		open(h, u, text, 3)
		at := strings.Index(text, "\n\n") + 1
		acts := actionsAt(t, h, u, text, at, at, "refactor")
		// The builtin library may hold patterns that match as well.
		i := slices.IndexFunc(acts, func(a codeAction) bool {
			return a.Title == "Generate a definition from pattern test-sum-range-001 (Sum of an index range)"
		})
		if i < 0 || acts[i].Kind != "refactor.generate" || len(acts) > maxPatternActions {
			t.Fatalf("actions %q", titles(acts))
		}
		fixed := applyAction(t, acts[i], u, text)
		if !strings.Contains(fixed, "\\ sum of an index range\n\\ From pattern test-sum-range-001\n: sum-range ( hi lo -- sum )") {
			t.Errorf("applied %q", fixed)
		}
		// Not on a line with code, nor under a line that is not a comment.
		for _, off := range []int{strings.Index(text, "other"), len(text)} {
			for _, a := range actionsAt(t, h, u, text, off, off, "refactor") {
				if strings.Contains(a.Title, "pattern") {
					t.Errorf("at %d: unexpected %q", off, a.Title)
				}
			}
		}
		// A selected comment is a query too.
		s, e := spanOf(t, text, "\\ sum of an index range", 0)
		acts = actionsAt(t, h, u, text, s, e, "refactor")
		if !slices.ContainsFunc(acts, func(a codeAction) bool { return strings.Contains(a.Title, "test-sum-range-001") }) {
			t.Errorf("selection: %q", titles(acts))
		}
	})

	t.Run("CRLF line ends", func(t *testing.T) {
		text := "\\ sum of an index range\r\n\r\n\\ From pattern test-sum-range-001\r\n: total ( hi lo -- sum )\r\n  0 -rot ?do i + loop ;\r\n"
		open(h, u, text, 5)
		at := strings.Index(text, "\r\n\r\n") + 2
		if acts := actionsAt(t, h, u, text, at, at, "refactor"); !slices.ContainsFunc(acts, func(a codeAction) bool {
			return strings.Contains(a.Title, "test-sum-range-001")
		}) {
			t.Errorf("no pattern on an empty CRLF line under a comment: %q", titles(acts))
		}
		s, e := spanOf(t, text, "total", 0)
		if acts := actionsAt(t, h, u, text, s, e, "source.addTest"); !slices.ContainsFunc(acts, func(a codeAction) bool {
			return a.Title == "Generate tests for `total` from pattern test-sum-range-001"
		}) {
			t.Errorf("no pattern tests under a CRLF marker line: %q", titles(acts))
		}
	})

	t.Run("tests from the pattern", func(t *testing.T) {
		text := "\\ From pattern test-sum-range-001\n: total ( hi lo -- sum )\n  0 -rot ?do i + loop ;\n: plain ( n -- n ) ;\n\\ From pattern test-sum-range-001 (non-default parameters)\n: prod ( hi lo -- p ) 1 -rot ?do i * loop ;\n"
		open(h, u, text, 4)
		acts := actionsAt(t, h, u, text, 0, len(text), "source.addTest")
		var mine []codeAction
		for _, a := range acts {
			if strings.Contains(a.Title, "from pattern") {
				mine = append(mine, a)
			}
		}
		if len(mine) != 1 || mine[0].Title != "Generate tests for `total` from pattern test-sum-range-001" {
			t.Fatalf("actions %q", titles(acts))
		}
		// One test action per word: no skeleton beside the pattern's tests.
		if slices.ContainsFunc(acts, func(a codeAction) bool { return a.Title == "Add test for `total`" }) {
			t.Errorf("a skeleton is offered beside the pattern's tests: %q", titles(acts))
		}
		if !slices.ContainsFunc(acts, func(a codeAction) bool { return a.Title == "Add test for `plain`" }) {
			t.Errorf("no skeleton for a word without a marker: %q", titles(acts))
		}
		fixed := applyAction(t, mine[0], u, text)
		want := "  0 -rot ?do i + loop ;\n" + patterns.TesterLoad + "\nT{ 5 0 total -> 10 }T\nT{ 3 3 total -> 0 }T\n: plain"
		if !strings.Contains(fixed, want) {
			t.Errorf("applied %q, want it to contain %q", fixed, want)
		}
	})
}

func TestPatternCommands(t *testing.T) {
	h := startServer(t, Options{}, nil)
	res := h.initialize(nil)
	b, _ := json.Marshal(res)
	for _, c := range []string{commandGenerate, commandPatterns, commandInfer, commandVerify} {
		if !strings.Contains(string(b), `"`+c+`"`) {
			t.Errorf("capabilities lack %s: %s", c, b)
		}
	}
	lib := patterns.Builtin()
	if lib.Len() == 0 {
		t.Skip("empty builtin library")
	}
	p := lib.All()[0]
	exec := func(cmd string, arg any, out any) {
		t.Helper()
		h.Request("workspace/executeCommand", map[string]any{"command": cmd, "arguments": []any{arg}}, out)
	}
	var gen patterns.GenResult
	exec(commandGenerate, map[string]any{"name": "my-word", "effect": p.Effect, "pattern": p.ID}, &gen)
	if !gen.OK || !gen.Verification.Verified || !strings.Contains(gen.Code, ": my-word ") || gen.Pattern.ID != p.ID {
		t.Errorf("generate: %+v", gen)
	}
	var bad patterns.GenResult
	exec(commandGenerate, map[string]any{"name": "", "effect": "( -- )"}, &bad)
	if bad.OK || len(bad.Errors) != 1 || bad.Errors[0].Field != "name" {
		t.Errorf("invalid spec: %+v", bad)
	}

	var objs []map[string]any
	exec(commandPatterns, map[string]any{"id": p.ID}, &objs)
	if len(objs) != 1 || objs[0]["id"] != p.ID {
		t.Fatalf("by id: %v", objs)
	}
	for _, k := range []string{"id", "name", "category", "effect", "parameters"} {
		if _, ok := objs[0][k]; !ok {
			t.Errorf("pattern object lacks %s: %v", k, objs[0])
		}
	}
	objs = nil
	exec(commandPatterns, map[string]any{"category": p.Category}, &objs)
	if len(objs) != len(lib.ByCategory(p.Category)) {
		t.Errorf("by category: %d, want %d", len(objs), len(lib.ByCategory(p.Category)))
	}
	objs = nil
	exec(commandPatterns, map[string]any{"query": p.Name}, &objs)
	if len(objs) == 0 || objs[0]["score"] == nil {
		t.Errorf("query %q: %v", p.Name, objs)
	}
	objs = nil
	exec(commandPatterns, map[string]any{}, &objs)
	if len(objs) != lib.Len() {
		t.Errorf("all: %d", len(objs))
	}
	// Bad arguments are invalid params, not crashes.
	for _, arg := range []any{map[string]any{"id": "nope-001"}, map[string]any{"colour": 1}, "text"} {
		id := h.Call("workspace/executeCommand", map[string]any{"command": commandPatterns, "arguments": []any{arg}})
		if m := h.Response(id); m.Error == nil || m.Error.Code != -32602 {
			t.Errorf("%v: %+v", arg, m)
		}
	}
	id := h.Call("workspace/executeCommand", map[string]any{"command": commandGenerate, "arguments": []any{map[string]any{"nmae": "x"}}})
	if m := h.Response(id); m.Error == nil || !strings.Contains(m.Error.Message, "nmae") {
		t.Errorf("generate with a typo: %+v", m)
	}
}
