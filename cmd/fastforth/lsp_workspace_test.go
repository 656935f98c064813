package main

// End-to-end tests of the language server's workspace features with the
// real binary over pipes: background indexing with progress,
// workspace/symbol, definitions in files the document does not include,
// the require quick fix, watched files and workspace folders.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/internal/lsptest"
)

func e2eURI(p string) string { return string(uri.File(p)) }

func e2eFolders(dirs ...string) []any {
	out := []any{}
	for _, d := range dirs {
		out = append(out, map[string]any{"uri": e2eURI(d), "name": filepath.Base(d)})
	}
	return out
}

// e2eProgress answers window/workDoneProgress/create and returns the
// kinds of the $/progress values for that token, begin to end.
func e2eProgress(t *testing.T, p *lspProcess) []string {
	t.Helper()
	m := p.Wait("window/workDoneProgress/create", func(m lsptest.Message) bool {
		return m.Method == "window/workDoneProgress/create" && m.ID != nil
	})
	var create struct {
		Token json.RawMessage `json:"token"`
	}
	if err := json.Unmarshal(m.Params, &create); err != nil {
		t.Fatal(err)
	}
	p.Send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
	var kinds []string
	for {
		n := p.Wait("$/progress", func(m lsptest.Message) bool {
			return m.Method == "$/progress" && strings.Contains(string(m.Params), string(create.Token))
		})
		var v struct {
			Value struct {
				Kind string `json:"kind"`
			} `json:"value"`
		}
		if err := json.Unmarshal(n.Params, &v); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, v.Value.Kind)
		if v.Value.Kind == "end" {
			return kinds
		}
	}
}

func e2eSymbols(p *lspProcess, query string) map[string]string {
	var out []struct {
		Name          string `json:"name"`
		ContainerName string `json:"containerName"`
	}
	p.Request("workspace/symbol", map[string]any{"query": query}, &out)
	m := map[string]string{}
	for _, s := range out {
		m[s.Name] = s.ContainerName
	}
	return m
}

func TestLSPWorkspace(t *testing.T) {
	dir, extra := t.TempDir(), t.TempDir()
	files := map[string]string{
		"lib.fs":        ": square ( n -- n*n ) dup * ;\n",
		"tools/cube.fs": "\\ Cube a number.\n: cube ( n -- n*n*n ) dup dup * * ;\n",
		"main.fs":       "require lib.fs\n: c3 ( -- n ) 3 cube ;\n: s4 ( -- n ) 4 square ;\n",
	}
	for i := 0; i < 30; i++ {
		files["gen/f"+string(rune('a'+i%26))+string(rune('a'+i/26))+".fs"] = ": gen" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + " ( -- ) ;\n"
	}
	writeFiles(t, dir, files)
	writeFiles(t, extra, map[string]string{"x.fs": ": extraword ( -- ) ;\n"})

	p := startLSP(t)
	var res map[string]any
	p.Request("initialize", map[string]any{"processId": os.Getpid(), "rootUri": e2eURI(dir),
		"workspaceFolders": e2eFolders(dir),
		"capabilities": map[string]any{
			"window":    map[string]any{"workDoneProgress": true},
			"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}, "workspaceFolders": true},
		}}, &res)
	p.Notify("initialized", map[string]any{})
	reg := p.Wait("client/registerCapability", func(m lsptest.Message) bool { return m.Method == "client/registerCapability" })
	p.Send(map[string]any{"jsonrpc": "2.0", "id": reg.ID, "result": nil})

	// Progress: begin, reports, end, in that order.
	kinds := e2eProgress(t, p)
	if kinds[0] != "begin" || kinds[len(kinds)-1] != "end" || len(kinds) < 3 {
		t.Fatalf("progress kinds %v", kinds)
	}
	for _, k := range kinds[1 : len(kinds)-1] {
		if k != "report" {
			t.Fatalf("progress kinds %v", kinds)
		}
	}

	// workspace/symbol.
	if s := e2eSymbols(p, "cube"); s["cube"] != "tools/cube.fs" {
		t.Errorf("workspace/symbol cube: %v", s)
	}
	if s := e2eSymbols(p, "gen"); len(s) != 30 {
		t.Errorf("workspace/symbol gen: %d symbols", len(s))
	}

	// Definition into a file main.fs does not include.
	mainPath := filepath.Join(dir, "main.fs")
	u := e2eURI(mainPath)
	text := files["main.fs"]
	p.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "forth", "version": 1, "text": text}})
	pos := wordPos(t, text, "cube", 0).Start
	var locs []struct {
		URI   string        `json:"uri"`
		Range lsptest.Range `json:"range"`
	}
	p.Request("textDocument/definition", map[string]any{"textDocument": map[string]any{"uri": u}, "position": pos}, &locs)
	if len(locs) != 1 || locs[0].URI != e2eURI(filepath.Join(dir, "tools", "cube.fs")) || locs[0].Range.Start.Line != 1 {
		t.Errorf("definition of cube: %+v", locs)
	}

	// The require quick fix.
	var actions []struct {
		Title string `json:"title"`
		Edit  struct {
			Changes map[string][]struct {
				Range   lsptest.Range `json:"range"`
				NewText string        `json:"newText"`
			} `json:"changes"`
		} `json:"edit"`
	}
	p.Request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": u},
		"range": wordPos(t, text, "cube", 0), "context": map[string]any{"diagnostics": []any{}}}, &actions)
	fixed := false
	for _, a := range actions {
		if e := a.Edit.Changes[u]; strings.Contains(a.Title, "require tools/cube.fs") && len(e) == 1 && e[0].NewText == "require tools/cube.fs\n" {
			fixed = true
		}
	}
	if !fixed {
		t.Errorf("no require quick fix in %+v", actions)
	}

	// A watched file changes on disk: the includer's diagnostics change.
	hasCode := func(m lsptest.Message, code string) bool {
		if !lsptest.IsPublish(u, 1)(m) {
			return false
		}
		for _, d := range lsptest.Notification[lsptest.PublishDiagnostics](t, m).Diagnostics {
			if d.Code == code && strings.Contains(d.Message, "square") {
				return true
			}
		}
		return false
	}
	p.Wait("main.fs diagnostics", lsptest.IsPublish(u, 1))
	writeFiles(t, dir, map[string]string{"lib.fs": ": squared ( n -- n*n ) dup * ;\n"})
	p.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": e2eURI(filepath.Join(dir, "lib.fs")), "type": 2}}})
	p.Wait("square undefined after lib.fs changed", func(m lsptest.Message) bool { return hasCode(m, "undefined-word") })

	// Folders added and removed.
	p.Notify("workspace/didChangeWorkspaceFolders", map[string]any{"event": map[string]any{"added": e2eFolders(extra), "removed": []any{}}})
	e2eProgress(t, p)
	if s := e2eSymbols(p, "extraword"); s["extraword"] != "x.fs" {
		t.Errorf("after adding a folder: %v", s)
	}
	p.Notify("workspace/didChangeWorkspaceFolders", map[string]any{"event": map[string]any{"added": []any{}, "removed": e2eFolders(extra)}})
	if s := e2eSymbols(p, "extraword"); len(s) != 0 {
		t.Errorf("after removing the folder: %v", s)
	}

	p.Request("shutdown", nil, nil)
	p.Notify("exit", nil)
	if code := p.exitCode(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}
