package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// renameFiles is the references workspace (xrefFiles) and a file with a
// builtin and a local.
func renameFiles() map[string]string {
	files := map[string]string{"b.fs": ": b ( n -- n n ) dup ;\n: l { a -- b } a a + ;\n"}
	for k, v := range xrefFiles {
		files[k] = v
	}
	return files
}

// renameWorkspace starts a server on a temporary copy of renameFiles,
// indexed; caps are the client's extra capabilities.
func renameWorkspace(t *testing.T, caps map[string]any) (h *harness, dir string, uri func(string) string) {
	t.Helper()
	dir = t.TempDir()
	wsTree(t, dir, renameFiles())
	h = startServer(t, Options{}, nil)
	all := map[string]any{}
	for k, v := range progressCaps {
		all[k] = v
	}
	for k, v := range caps {
		all[k] = v
	}
	wsInitialize(t, h.Client, []string{dir}, all)
	checkProgress(t, wsProgress(t, h.Client))
	return h, dir, func(name string) string { return wsURI(filepath.Join(dir, filepath.FromSlash(name))) }
}

// renameResult is a rename answer in either shape.
type renameResult struct {
	Changes         map[string][]textEdit `json:"changes"`
	DocumentChanges []struct {
		TextDocument struct {
			URI     string `json:"uri"`
			Version *int   `json:"version"`
		} `json:"textDocument"`
		Edits []textEdit `json:"edits"`
	} `json:"documentChanges"`
}

// places lists where a rename edits, checking the new text.
func (r *renameResult) places(t *testing.T, newName string) []location {
	t.Helper()
	var out []location
	add := func(u string, es []textEdit) {
		for _, e := range es {
			if e.NewText != newName {
				t.Errorf("edit %+v in %s: want the text %q", e, u, newName)
			}
			out = append(out, location{u, e.Range})
		}
	}
	for u, es := range r.Changes {
		add(u, es)
	}
	for _, d := range r.DocumentChanges {
		add(d.TextDocument.URI, d.Edits)
	}
	sortLocations(out)
	return out
}

func renameAt(t *testing.T, h *harness, u string, p lsptest.Position, name string) (*renameResult, *lsptest.Error) {
	t.Helper()
	m := rawRequest(h, "textDocument/rename", renameParams(u, p, name))
	if m.Error != nil {
		return nil, m.Error
	}
	var r renameResult
	if err := json.Unmarshal(m.Result, &r); err != nil {
		t.Fatalf("rename result %s: %v", m.Result, err)
	}
	return &r, nil
}

// TestRenameWorkspace: renaming lib.fs's helper, from its definition or
// from a use, whichever files are open, edits exactly the places
// references gives with the declaration: never other.fs's own helper,
// nor strings or comments.
func TestRenameWorkspace(t *testing.T) {
	h, dir, uri := renameWorkspace(t, nil)
	lib, main := xrefFiles["lib.fs"], xrefFiles["main.fs"]
	decl := location{uri("lib.fs"), wordRange(t, lib, 1, "helper", 0)}
	want := append([]location{decl}, xrefWant(t, dir)...)
	fromDef := wordAt(t, lib, 1, "helper", 0)
	fromUse := wordAt(t, main, 1, "helper", 0)
	for _, step := range []struct {
		what        string
		open, close []string
		from        string
		at          lsptest.Position
	}{
		{"from a use, main.fs open", []string{"main.fs"}, nil, "main.fs", fromUse},
		{"from the definition, both open", []string{"lib.fs"}, nil, "lib.fs", fromDef},
		{"from the definition, main.fs closed", nil, []string{"main.fs"}, "lib.fs", fromDef},
		{"from a use, lib.fs closed", []string{"main.fs"}, []string{"lib.fs"}, "main.fs", fromUse},
	} {
		for _, name := range step.open {
			open(h, uri(name), xrefFiles[name], 1)
		}
		for _, name := range step.close {
			h.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri(name)}})
		}
		r, err := renameAt(t, h, uri(step.from), step.at, "assist")
		if err != nil {
			t.Fatalf("%s: %+v", step.what, err)
		}
		got := r.places(t, "assist")
		sameLocations(t, step.what, got, want)
		p := posParams(uri(step.from), step.at)
		p["context"] = map[string]any{"includeDeclaration": true}
		refs := locations(t, h, "textDocument/references", p)
		sortLocations(refs)
		sameLocations(t, step.what+": references", refs, got)

		// Applied, strings and comments keep the old name.
		after := applyEdits(t, main, r.Changes[uri("main.fs")])
		if wantMain := "require lib.fs\n: go ( -- ) assist .\" helper\" ; \\ helper in a comment\nassist ' assist drop\n"; after != wantMain {
			t.Errorf("%s: main.fs becomes\n%s\nwant\n%s", step.what, after, wantMain)
		}
		if es := r.Changes[uri("other.fs")]; len(es) != 0 {
			t.Errorf("%s: other.fs's own helper renamed: %+v", step.what, es)
		}
	}
}

// TestRenameDocumentChanges: a client that takes documentChanges gets
// them, with the open documents' versions and null for the others.
func TestRenameDocumentChanges(t *testing.T) {
	h, dir, uri := renameWorkspace(t, map[string]any{"workspace": map[string]any{"workspaceEdit": map[string]any{"documentChanges": true}}})
	main := xrefFiles["main.fs"]
	open(h, uri("main.fs"), main, 7)
	r, err := renameAt(t, h, uri("main.fs"), wordAt(t, main, 1, "helper", 0), "assist")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Changes) != 0 || len(r.DocumentChanges) == 0 {
		t.Fatalf("changes %+v, documentChanges %+v", r.Changes, r.DocumentChanges)
	}
	decl := location{uri("lib.fs"), wordRange(t, xrefFiles["lib.fs"], 1, "helper", 0)}
	sameLocations(t, "documentChanges", r.places(t, "assist"), append([]location{decl}, xrefWant(t, dir)...))
	for _, d := range r.DocumentChanges {
		v := d.TextDocument.Version
		if d.TextDocument.URI == uri("main.fs") {
			if v == nil || *v != 7 {
				t.Errorf("main.fs's version %v, want 7", v)
			}
		} else if v != nil {
			t.Errorf("%s is not open: version %d, want null", d.TextDocument.URI, *v)
		}
	}
}

// TestRenameStale: a file changed on disk after it was indexed, before
// the watcher says so, refuses the rename rather than take edits at
// stale places, whether its stat shows it or not; once it is read again
// the rename goes through at its new places.
func TestRenameStale(t *testing.T) {
	h, dir, uri := renameWorkspace(t, nil)
	lib := xrefFiles["lib.fs"]
	open(h, uri("lib.fs"), lib, 1)
	fromDef := wordAt(t, lib, 1, "helper", 0)
	deep := filepath.Join(dir, "sub", "deep.fs")
	st, err := os.Stat(deep)
	if err != nil {
		t.Fatal(err)
	}

	// Same size and time, and helper still at the indexed place: only
	// parsing it again shows that it is now in a comment.
	swapped := "require ../main.fs\n\\ comment: helper\n"
	if len(swapped) != len(xrefFiles["sub/deep.fs"]) {
		t.Fatal("bad test: sizes differ")
	}
	if err := os.WriteFile(deep, []byte(swapped), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(deep, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if _, e := renameAt(t, h, uri("lib.fs"), fromDef, "assist"); e == nil || !strings.Contains(e.Message, "deep.fs changed on disk") {
		t.Errorf("same stat: error %+v, want deep.fs changed on disk", e)
	}

	// A new stat: the index entry is stale.
	moved := "require ../main.fs\n\n\n  helper\n"
	if err := os.WriteFile(deep, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, e := renameAt(t, h, uri("lib.fs"), fromDef, "assist"); e == nil || !strings.Contains(e.Message, "deep.fs changed on disk since it was indexed") {
		t.Errorf("new stat: error %+v, want deep.fs changed on disk since it was indexed", e)
	}

	// The watcher's event: the file is read again, and its new place
	// renamed. The indexer runs on its own goroutine, hence the wait.
	h.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": uri("sub/deep.fs"), "type": 2}}})
	wantDeep := []textEdit{{Range: wordRange(t, moved, 3, "helper", 0), NewText: "assist"}}
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, e := renameAt(t, h, uri("lib.fs"), fromDef, "assist")
		if e == nil {
			if got := r.Changes[uri("sub/deep.fs")]; len(got) != 1 || got[0] != wantDeep[0] {
				t.Errorf("deep.fs edits %+v, want %+v", got, wantDeep)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still refused after the watcher's event: %+v", e)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRenameRefusals: builtins and undefined words are refused by
// prepareRename and rename; a local stays in its definition.
func TestRenameRefusals(t *testing.T) {
	h, _, uri := renameWorkspace(t, nil)
	b := ": b ( n -- n n ) dup nowhere helper ;\n: l { a -- b } a a + ;\n"
	open(h, uri("b.fs"), b, 1)
	for _, tc := range []struct {
		word, why string
	}{{"dup", "builtin"}, {"nowhere", "not defined"}, {"helper", "defined in several files"}} {
		at := wordAt(t, b, 0, tc.word, 0)
		if m := rawRequest(h, "textDocument/prepareRename", posParams(uri("b.fs"), at)); m.Error == nil || !strings.Contains(m.Error.Message, tc.why) {
			t.Errorf("prepareRename of %s: %s %+v, want %q", tc.word, m.Result, m.Error, tc.why)
		}
		if _, e := renameAt(t, h, uri("b.fs"), at, "other"); e == nil || !strings.Contains(e.Message, tc.why) {
			t.Errorf("rename of %s: %+v, want %q", tc.word, e, tc.why)
		}
	}
	r, e := renameAt(t, h, uri("b.fs"), wordAt(t, b, 1, "a", 1), "x")
	if e != nil {
		t.Fatal(e)
	}
	if got := applyEdits(t, b, r.Changes[uri("b.fs")]); len(r.Changes) != 1 || !strings.Contains(got, ": l { x -- b } x x + ;") {
		t.Errorf("local rename: %+v", r.Changes)
	}
	// A new name must be a name: one token, and not one read as a number.
	for _, bad := range []string{"two words", "42", "1e"} {
		if m := rawRequest(h, "textDocument/rename", renameParams(uri("b.fs"), wordAt(t, b, 0, "b", 0), bad)); m.Error == nil {
			t.Errorf("new name %q accepted: %s", bad, m.Result)
		}
	}
}

// TestRenameOutsideWorkspace: a word defined in a file outside the
// workspace folders (a system library an include reaches, directly or
// through a link in the workspace) is not renamed, and the refusal says
// why; a word of the workspace still is. Without folders, the workspace
// is the open document's project.
func TestRenameOutsideWorkspace(t *testing.T) {
	sys := t.TempDir() // /usr/share/gforth/…, say
	wsTree(t, sys, map[string]string{
		"mini-oof.fs": ": method ( m v -- m' v ) ;\n",
		"linked.fs":   ": linked ( -- ) ;\n",
	})
	dir := t.TempDir()
	main := "include " + filepath.Join(sys, "mini-oof.fs") + "\ninclude link.fs\n: mine ( -- ) ;\n: go ( -- ) method linked mine ;\n"
	wsTree(t, dir, map[string]string{"main.fs": main})
	if err := os.Symlink(filepath.Join(sys, "linked.fs"), filepath.Join(dir, "link.fs")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	for _, folders := range [][]string{{dir}, nil} {
		h := startServer(t, Options{}, nil)
		wsInitialize(t, h.Client, folders, nil)
		u := wsURI(filepath.Join(dir, "main.fs"))
		open(h, u, main, 1)
		for word, file := range map[string]string{"method": "mini-oof.fs", "linked": "linked.fs"} {
			at := wordAt(t, main, 3, word, 0)
			if m := rawRequest(h, "textDocument/prepareRename", posParams(u, at)); m.Error == nil || !strings.Contains(m.Error.Message, "outside the workspace folders") {
				t.Errorf("folders %v: prepareRename of %s: %s %+v, want a refusal", folders, word, m.Result, m.Error)
			}
			if r, e := renameAt(t, h, u, at, "other"); e == nil || !strings.Contains(e.Message, filepath.Join(sys, file)) {
				t.Errorf("folders %v: rename of %s: %+v %+v, want a refusal naming where it is defined", folders, word, r, e)
			}
		}
		r, e := renameAt(t, h, u, wordAt(t, main, 3, "mine", 0), "ours")
		if e != nil {
			t.Fatalf("folders %v: rename of mine: %+v", folders, e)
		}
		if got := r.places(t, "ours"); len(got) != 2 || got[0].URI != u || got[1].URI != u {
			t.Errorf("folders %v: rename of mine edits %+v, want its two places in main.fs", folders, got)
		}
	}
	for _, f := range []string{"mini-oof.fs", "linked.fs"} {
		if b, err := os.ReadFile(filepath.Join(sys, f)); err != nil || strings.Contains(string(b), "other") {
			t.Errorf("%s: %q %v", f, b, err)
		}
	}
}

// TestRenamePlanOutside: whatever places a rename is given, it edits no
// file outside the workspace that is not open (a use a library makes of
// a workspace word, say), and says which file stopped it.
func TestRenamePlanOutside(t *testing.T) {
	ws, sys := t.TempDir(), t.TempDir()
	wsTree(t, ws, map[string]string{"a.fs": ": w ;\n"})
	wsTree(t, sys, map[string]string{"b.fs": ": x w ;\n"})
	rng := func(line, char int) protocol.Range {
		return protocol.Range{Start: protocol.Position{Line: uint32(line), Character: uint32(char)},
			End: protocol.Position{Line: uint32(line), Character: uint32(char + 1)}}
	}
	pl := &renamePlan{old: "w", new: "v", enc: encUTF16, open: map[uri.URI]int32{},
		ed: editable{folders: []string{ws}}}
	locs := []protocol.Location{
		{URI: uri.File(filepath.Join(ws, "a.fs")), Range: rng(0, 2)},
		{URI: uri.File(filepath.Join(sys, "b.fs")), Range: rng(0, 4)},
	}
	if _, err := pl.edit(locs); err == nil || !strings.Contains(err.Error(), filepath.Join(sys, "b.fs")+", outside the workspace folders") {
		t.Errorf("edit outside the workspace: %v", err)
	}
	// Open, the file's buffer is the client's to edit.
	pl.open[locs[1].URI] = 1
	if out, err := pl.edit(locs); err != nil || len(out.Changes) != 2 {
		t.Errorf("with b.fs open: %+v %v", out, err)
	}
}
