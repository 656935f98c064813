package lsp

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// wsTree writes files (slash-separated paths relative to dir).
func wsTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func wsURI(p string) string { return string(uri.File(p)) }

// wsInitialize initializes with workspace folders and client capabilities.
func wsInitialize(t testing.TB, c *lsptest.Client, folders []string, caps map[string]any) map[string]any {
	t.Helper()
	var fs []any
	for _, f := range folders {
		fs = append(fs, map[string]any{"uri": wsURI(f), "name": filepath.Base(f)})
	}
	var res map[string]any
	c.Request("initialize", map[string]any{"processId": nil, "rootUri": nil, "workspaceFolders": fs, "capabilities": caps}, &res)
	c.Notify("initialized", map[string]any{})
	return res
}

var progressCaps = map[string]any{"window": map[string]any{"workDoneProgress": true}}

// wsProgress answers the server's window/workDoneProgress/create and
// returns the values of the $/progress notifications for that token, up
// to and including "end".
func wsProgress(t testing.TB, c *lsptest.Client) []map[string]any {
	t.Helper()
	m := c.Wait("window/workDoneProgress/create", func(m lsptest.Message) bool {
		return m.Method == "window/workDoneProgress/create" && m.ID != nil
	})
	var p struct {
		Token json.RawMessage `json:"token"`
	}
	if err := json.Unmarshal(m.Params, &p); err != nil || len(p.Token) == 0 {
		t.Fatalf("create params %s", m.Params)
	}
	c.Send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
	var values []map[string]any
	for {
		n := c.Wait("$/progress", func(m lsptest.Message) bool {
			var q struct {
				Token json.RawMessage `json:"token"`
			}
			return m.Method == "$/progress" && json.Unmarshal(m.Params, &q) == nil && string(q.Token) == string(p.Token)
		})
		var q struct {
			Value map[string]any `json:"value"`
		}
		if err := json.Unmarshal(n.Params, &q); err != nil {
			t.Fatal(err)
		}
		values = append(values, q.Value)
		if q.Value["kind"] == "end" {
			return values
		}
	}
}

// checkProgress checks a begin, report..., end sequence.
func checkProgress(t *testing.T, values []map[string]any) {
	t.Helper()
	if len(values) < 2 || values[0]["kind"] != "begin" || values[len(values)-1]["kind"] != "end" {
		t.Fatalf("progress %v: want begin ... end", values)
	}
	last := -1.0
	for i, v := range values[:len(values)-1] {
		if i > 0 && v["kind"] != "report" {
			t.Errorf("progress %d is %v, want a report", i, v)
		}
		pct, ok := v["percentage"].(float64)
		if !ok || pct < last || pct > 100 {
			t.Errorf("progress %d: percentage %v after %v", i, v["percentage"], last)
		}
		last = pct
	}
}

type wsSymbol struct {
	Name          string `json:"name"`
	Kind          int    `json:"kind"`
	ContainerName string `json:"containerName"`
	Location      struct {
		URI   string        `json:"uri"`
		Range lsptest.Range `json:"range"`
	} `json:"location"`
}

func wsSymbols(t testing.TB, c *lsptest.Client, query string) []wsSymbol {
	t.Helper()
	var out []wsSymbol
	c.Request("workspace/symbol", map[string]any{"query": query}, &out)
	return out
}

func symbolNames(ss []wsSymbol) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

type wsLocation struct {
	URI   string        `json:"uri"`
	Range lsptest.Range `json:"range"`
}

func wsPos(u string, line, char int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": line, "character": char}}
}

// The workspace of most tests: main.fs requires mylib.fs and uses cube,
// which tools/cube.fs defines; the other files must not be indexed.
var wsFiles = map[string]string{
	"mylib.fs": "\\ lib\n: square ( n -- n*n ) dup * ;\n",
	"tools/cube.fs": "\\ Cube a number.\n\\ Three times.\n: cube ( n -- n*n*n ) dup dup * * ;\nvariable counter\n" +
		"begin-structure point\n  field: p.x\nend-structure\n",
	"main.fs":                 "require mylib.fs\n: sq4 ( -- n ) 4 square ;\n: c3 ( -- n ) 3 cube ;\n",
	".git/hidden.fs":          ": hidden ;\n",
	".hide/x.fs":              ": hiddendir ;\n",
	"node_modules/dep/dep.fs": ": depword ;\n",
	"notes.txt":               ": txtword ;\n",
}

func TestWorkspaceIndexAndSymbols(t *testing.T) {
	dir := t.TempDir()
	wsTree(t, dir, wsFiles)
	big := ": bigword ;\n" + strings.Repeat("\\ filler line\n", maxIndexBytes/14+1)
	wsTree(t, dir, map[string]string{"big.fs": big})
	h := startServer(t, Options{}, nil)
	res := wsInitialize(t, h.Client, []string{dir}, progressCaps)
	caps, _ := res["capabilities"].(map[string]any)
	wcaps, _ := caps["workspace"].(map[string]any)
	folders, _ := wcaps["workspaceFolders"].(map[string]any)
	if caps["workspaceSymbolProvider"] != true || folders["supported"] != true || folders["changeNotifications"] != true {
		t.Fatalf("capabilities %v", caps)
	}
	checkProgress(t, wsProgress(t, h.Client))

	all := symbolNames(wsSymbols(t, h.Client, ""))
	for _, want := range []string{"square", "cube", "counter", "point", "p.x", "sq4", "c3"} {
		if !strings.Contains(" "+strings.Join(all, " ")+" ", " "+want+" ") {
			t.Errorf("symbol %s missing from %v", want, all)
		}
	}
	for _, not := range []string{"hidden", "hiddendir", "depword", "txtword", "bigword"} {
		for _, n := range all {
			if n == not {
				t.Errorf("%s should not be indexed", not)
			}
		}
	}

	got := wsSymbols(t, h.Client, "CUBE")
	if len(got) != 1 || got[0].Name != "cube" || got[0].Kind != 12 || got[0].ContainerName != "tools/cube.fs" ||
		got[0].Location.URI != wsURI(filepath.Join(dir, "tools", "cube.fs")) || got[0].Location.Range.Start.Line != 2 {
		t.Errorf("workspace/symbol cube: %+v", got)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"sq", []string{"sq4", "square"}},        // prefixes, shorter first
		{"c", []string{"c3", "cube", "counter"}}, // then substrings and subsequences
		{"cbe", []string{"cube"}},                // a subsequence
		{"px", []string{"p.x"}},                  // across the dot
		{"zzz", nil},
	} {
		names := symbolNames(wsSymbols(t, h.Client, tc.query))
		if len(names) < len(tc.want) || strings.Join(names[:len(tc.want)], " ") != strings.Join(tc.want, " ") {
			t.Errorf("query %q: %v, want %v first", tc.query, names, tc.want)
		}
	}
	if k := wsSymbols(t, h.Client, "counter"); len(k) != 1 || k[0].Kind != 13 {
		t.Errorf("counter: %+v (want a variable)", k)
	}
}

func TestMatchRank(t *testing.T) {
	for _, tc := range []struct {
		q, name string
		want    int
	}{
		{"", "dup", matchExact},
		{"cube", "cube", matchExact},
		{"cu", "cube", matchPrefix},
		{"ub", "cube", matchSubstring},
		{"ce", "cube", matchSubsequence},
		{"ec", "cube", noMatch},
		{"cubes", "cube", noMatch},
	} {
		if got := matchRank(tc.q, tc.name); got != tc.want {
			t.Errorf("matchRank(%q, %q) = %d, want %d", tc.q, tc.name, got, tc.want)
		}
	}
}

func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		path, dir string
		want      bool
	}{
		{"/a/b/c.fs", "/a/b", true},
		{"/a/b", "/a/b", true},
		{"/a/bc/d.fs", "/a/b", false},
		{"/a/c.fs", "/a/b", false},
		{"/a/..b/c.fs", "/a", true},
	} {
		if got := within(tc.path, tc.dir); got != tc.want {
			t.Errorf("within(%q, %q) = %v", tc.path, tc.dir, got)
		}
	}
}

// TestCrossFile: a word defined in a workspace file that the document does
// not include is known to diagnostics, definition, references, hover,
// completion and code actions; the quick fix's require makes it defined.
func TestCrossFile(t *testing.T) {
	dir := t.TempDir()
	wsTree(t, dir, wsFiles)
	h := startServer(t, Options{}, nil)
	wsInitialize(t, h.Client, []string{dir}, progressCaps)
	wsProgress(t, h.Client)
	mainPath := filepath.Join(dir, "main.fs")
	u, cubeURI, libURI := wsURI(mainPath), wsURI(filepath.Join(dir, "tools", "cube.fs")), wsURI(filepath.Join(dir, "mylib.fs"))
	text := wsFiles["main.fs"]
	open(h, u, text, 1)

	// The diagnostic points at the definition.
	var pd struct {
		Diagnostics []struct {
			Code               string `json:"code"`
			RelatedInformation []struct {
				Location wsLocation `json:"location"`
				Message  string     `json:"message"`
			} `json:"relatedInformation"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(h.Wait("main.fs diagnostics", lsptest.IsPublish(u, 1)).Params, &pd); err != nil {
		t.Fatal(err)
	}
	if len(pd.Diagnostics) != 1 || pd.Diagnostics[0].Code != "not-loaded" || len(pd.Diagnostics[0].RelatedInformation) != 1 {
		t.Fatalf("diagnostics %+v", pd.Diagnostics)
	}
	rel := pd.Diagnostics[0].RelatedInformation[0]
	if rel.Location.URI != cubeURI || rel.Location.Range.Start != (lsptest.Position{Line: 2, Character: 2}) ||
		!strings.Contains(rel.Message, "tools/cube.fs, which this file does not include") {
		t.Errorf("related information %+v", rel)
	}

	// Definition: into the file that is not included, and (as before)
	// into the included one.
	var locs []wsLocation
	h.Request("textDocument/definition", wsPos(u, 2, 17), &locs)
	if len(locs) != 1 || locs[0].URI != cubeURI || locs[0].Range != (lsptest.Range{Start: lsptest.Position{Line: 2, Character: 2}, End: lsptest.Position{Line: 2, Character: 6}}) {
		t.Errorf("definition of cube: %+v", locs)
	}
	h.Request("textDocument/definition", wsPos(u, 1, 18), &locs)
	if len(locs) != 1 || locs[0].URI != libURI || locs[0].Range.Start.Line != 1 {
		t.Errorf("definition of square: %+v", locs)
	}
	// References: the definition and the use.
	refs := wsPos(u, 2, 17)
	refs["context"] = map[string]any{"includeDeclaration": true}
	h.Request("textDocument/references", refs, &locs)
	if len(locs) != 2 || locs[0].URI != cubeURI || locs[1].URI != u || locs[1].Range.Start != (lsptest.Position{Line: 2, Character: 16}) {
		t.Errorf("references of cube: %+v", locs)
	}

	// Hover.
	hv := hoverAt(h, u, 2, 17)
	if hv == nil || !strings.Contains(hv.Contents.Value, "cube ( n -- n\\*n\\*n )") && !strings.Contains(hv.Contents.Value, "cube ( n -- n*n*n )") ||
		!strings.Contains(hv.Contents.Value, "which this file does not include") || !strings.Contains(hv.Contents.Value, "Cube a number.") {
		t.Errorf("hover: %+v", hv)
	}

	// Completion: after the words in scope, with the file and the require.
	var cl struct {
		Items []struct {
			Label               string `json:"label"`
			Detail              string `json:"detail"`
			SortText            string `json:"sortText"`
			AdditionalTextEdits []struct {
				Range   lsptest.Range `json:"range"`
				NewText string        `json:"newText"`
			} `json:"additionalTextEdits"`
		} `json:"items"`
	}
	h.Request("textDocument/completion", wsPos(u, 2, 18), &cl)
	found := false
	for _, it := range cl.Items {
		if it.Label != "cube" {
			continue
		}
		found = true
		if !strings.Contains(it.Detail, "tools/cube.fs") || !strings.HasPrefix(it.SortText, rankElsewhere) || len(it.AdditionalTextEdits) != 1 ||
			it.AdditionalTextEdits[0].NewText != "require tools/cube.fs\n" || it.AdditionalTextEdits[0].Range.Start.Line != 1 {
			t.Errorf("completion item %+v", it)
		}
	}
	if !found {
		t.Errorf("cube not offered: %+v", cl.Items)
	}

	// The quick fix, applied, makes cube defined.
	var actions []struct {
		Title string `json:"title"`
		Edit  struct {
			Changes map[string][]struct {
				Range   lsptest.Range `json:"range"`
				NewText string        `json:"newText"`
			} `json:"changes"`
		} `json:"edit"`
	}
	h.Request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": u},
		"range":   map[string]any{"start": map[string]any{"line": 2, "character": 16}, "end": map[string]any{"line": 2, "character": 20}},
		"context": map[string]any{"diagnostics": []any{}}}, &actions)
	var fix []struct {
		Range   lsptest.Range `json:"range"`
		NewText string        `json:"newText"`
	}
	for _, a := range actions {
		if strings.Contains(a.Title, "require tools/cube.fs") {
			fix = a.Edit.Changes[u]
		}
	}
	if len(fix) != 1 || fix[0].NewText != "require tools/cube.fs\n" || fix[0].Range.Start != (lsptest.Position{Line: 1}) {
		t.Fatalf("code actions %+v", actions)
	}
	change(h, u, 2, map[string]any{"range": fix[0].Range, "text": fix[0].NewText})
	p := lsptest.Notification[lsptest.PublishDiagnostics](t, h.Wait("after the fix", lsptest.IsPublish(u, 2)))
	if len(p.Diagnostics) != 0 {
		t.Errorf("after the require: %+v", p.Diagnostics)
	}
}

// TestRequireEdit: where the require goes.
func TestRequireEdit(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		text string
		at   string // the word used
		want string // the text after the edit
	}{
		{"foo\n", "foo", "require other.fs\nfoo\n"},
		{"require a.fs\nfoo\n", "foo", "require a.fs\nrequire other.fs\nfoo\n"},
		{"require a.fs\nfoo\nrequire b.fs\n", "foo", "require a.fs\nrequire other.fs\nfoo\nrequire b.fs\n"},
		{"require a.fs", "a.fs", "require a.fs\nrequire other.fs"},
	} {
		s := newServer(Options{}, zap.NewNop())
		name := filepath.Join(dir, "doc.fs")
		r := s.work.projectOf(name).ws.Analyze(name, []byte(tc.text))
		snap := &snapshot{file: r.File.Source, result: r, enc: encUTF16}
		at := strings.LastIndex(tc.text, tc.at) + len(tc.at)
		e := requireEdit(snap, filepath.Join(dir, "other.fs"), at)
		got := applyTextEdit(t, tc.text, e.Range.Start.Line, e.Range.Start.Character, e.NewText)
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

func applyTextEdit(t *testing.T, text string, line, char uint32, ins string) string {
	t.Helper()
	lines := strings.SplitAfter(text, "\n")
	off := 0
	for i := 0; i < int(line); i++ {
		off += len(lines[i])
	}
	return text[:off+int(char)] + ins + text[off+int(char):]
}

// TestWatchedFiles: the watcher is registered; a change on disk of an
// included file makes the includer's diagnostics change, and the index
// follows.
func TestWatchedFiles(t *testing.T) {
	dir := t.TempDir()
	wsTree(t, dir, wsFiles)
	indexed := make(chan struct{}, 64)
	h := startServer(t, Options{}, func(ev event) {
		if ev.kind == evIndexed {
			indexed <- struct{}{}
		}
	})
	wsInitialize(t, h.Client, []string{dir}, map[string]any{
		"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}})
	reg := h.Wait("client/registerCapability", func(m lsptest.Message) bool { return m.Method == "client/registerCapability" })
	if !strings.Contains(string(reg.Params), `"workspace/didChangeWatchedFiles"`) || !strings.Contains(string(reg.Params), `**/*.{fs,fth,4th,f,forth,fr,fb}`) {
		t.Errorf("registration %s", reg.Params)
	}
	h.Send(map[string]any{"jsonrpc": "2.0", "id": reg.ID, "result": nil})
	<-indexed

	libPath := filepath.Join(dir, "mylib.fs")
	text := "require mylib.fs\n: sq4 ( -- n ) 4 square ;\n"
	u := wsURI(filepath.Join(dir, "main.fs"))
	open(h, u, text, 1)
	codes := func(ds []lsptest.Diagnostic) string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Code)
		}
		return strings.Join(out, " ")
	}
	// publish waits for main.fs' diagnostics to have the codes. The
	// document publishes again when the index changes (its undefined
	// words may now be defined elsewhere): those publications are passed
	// over.
	publish := func(what, want string) {
		t.Helper()
		h.Wait(what+": diagnostics "+want, func(m lsptest.Message) bool {
			if !lsptest.IsPublish(u, 1)(m) {
				return false
			}
			return codes(lsptest.Notification[lsptest.PublishDiagnostics](t, m).Diagnostics) == want
		})
	}
	publish("first", "")
	watched := func(typ int) {
		h.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": wsURI(libPath), "type": typ}}})
	}
	for _, step := range []struct {
		what   string
		do     func()
		typ    int
		codes  string
		symbol string // now in the index
		gone   string // no longer in it
	}{
		{"renamed square", func() { wsTree(t, dir, map[string]string{"mylib.fs": ": square2 ( n -- n*n ) dup * ;\n"}) }, 2, "undefined-word", "square2", "square"},
		{"deleted", func() { os.Remove(libPath) }, 3, "include-not-found undefined-word", "", "square2"},
		{"created", func() { wsTree(t, dir, map[string]string{"mylib.fs": "\\ back\n: square ( n -- n*n ) dup * ;\n"}) }, 1, "", "square", ""},
	} {
		step.do()
		watched(step.typ)
		publish(step.what, step.codes)
		<-indexed
		names := " " + strings.Join(symbolNames(wsSymbols(t, h.Client, "squ")), " ") + " "
		if step.symbol != "" && !strings.Contains(names, " "+step.symbol+" ") || step.gone != "" && strings.Contains(names, " "+step.gone+" ") {
			t.Errorf("%s: symbols %s", step.what, names)
		}
	}
}

// TestWorkspaceFolders: folders added are indexed (with progress), folders
// removed leave the index; didSave refreshes a file's entry.
func TestWorkspaceFolders(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	wsTree(t, a, map[string]string{"a.fs": ": alpha ;\n"})
	wsTree(t, b, map[string]string{"b.fs": ": beta ;\n"})
	indexed := make(chan struct{}, 64)
	h := startServer(t, Options{}, func(ev event) {
		if ev.kind == evIndexed {
			indexed <- struct{}{}
		}
	})
	wsInitialize(t, h.Client, []string{a}, progressCaps)
	wsProgress(t, h.Client)
	has := func(name string) bool {
		for _, s := range wsSymbols(t, h.Client, name) {
			if s.Name == name {
				return true
			}
		}
		return false
	}
	if !has("alpha") || has("beta") {
		t.Fatal("only alpha should be indexed")
	}
	folders := func(added, removed []string) {
		list := func(ds []string) []any {
			out := []any{}
			for _, d := range ds {
				out = append(out, map[string]any{"uri": wsURI(d), "name": filepath.Base(d)})
			}
			return out
		}
		h.Notify("workspace/didChangeWorkspaceFolders", map[string]any{"event": map[string]any{"added": list(added), "removed": list(removed)}})
	}
	folders([]string{b}, nil)
	checkProgress(t, wsProgress(t, h.Client))
	if !has("alpha") || !has("beta") {
		t.Fatal("alpha and beta should be indexed")
	}
	folders(nil, []string{a})
	if has("alpha") || !has("beta") {
		t.Fatal("only beta should be indexed")
	}
	// didSave reads the file again.
	wsTree(t, b, map[string]string{"b.fs": ": beta ;\n: gamma ;\n"})
	for len(indexed) > 0 {
		<-indexed
	}
	h.Notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": wsURI(filepath.Join(b, "b.fs"))}})
	// An indexing started before the save may finish first: wait for the
	// one that shows the saved text.
	for !has("gamma") {
		select {
		case <-indexed:
		case <-time.After(10 * time.Second):
			t.Fatal("gamma should be indexed after didSave")
		}
	}
}

// TestOpenBufferWins: an open document's buffer, not its file, is what the
// index offers.
func TestOpenBufferWins(t *testing.T) {
	dir := t.TempDir()
	wsTree(t, dir, map[string]string{"a.fs": ": ondisk ;\n", "b.fs": "fresh\n"})
	h := startServer(t, Options{}, nil)
	wsInitialize(t, h.Client, []string{dir}, progressCaps)
	wsProgress(t, h.Client)
	ua, ub := wsURI(filepath.Join(dir, "a.fs")), wsURI(filepath.Join(dir, "b.fs"))
	open(h, ua, ": inbuffer ;\n: fresh ( -- ) ;\n", 1)
	if names := symbolNames(wsSymbols(t, h.Client, "ondisk")); len(names) != 0 {
		t.Errorf("ondisk: %v", names)
	}
	if names := symbolNames(wsSymbols(t, h.Client, "inbuffer")); len(names) != 1 {
		t.Errorf("inbuffer: %v", names)
	}
	open(h, ub, "fresh\n", 1)
	var locs []wsLocation
	h.Request("textDocument/definition", wsPos(ub, 0, 1), &locs)
	if len(locs) != 1 || locs[0].URI != ua || locs[0].Range.Start.Line != 1 {
		t.Errorf("definition of fresh: %+v", locs)
	}
}

// BenchmarkIndexGforth indexes gforth 0.7.3's sources as a workspace
// folder while a document is being edited, and reports how long indexing
// takes (index-ms) and how long a didChange takes to be published, with
// no indexing (idle-edit-µs, the median) and while indexing runs
// (index-edit-µs median, index-edit-p99-µs, index-edit-max-µs). The
// client edits as fast as the server publishes, far faster than anyone
// types.
func BenchmarkIndexGforth(b *testing.B) {
	const root = "/usr/share/gforth/0.7.3"
	if _, err := os.Stat(root); err != nil {
		b.Skip("gforth 0.7.3's sources are not installed")
	}
	var doc strings.Builder
	for i := 0; i < 300; i++ {
		doc.WriteString(": w" + strconv.Itoa(i) + " ( n -- n ) dup + ;\n")
	}
	docPath := filepath.Join(b.TempDir(), "edit.fs")
	u := wsURI(docPath)
	var indexTotal time.Duration
	var idle, busy []time.Duration
	busyMax := time.Duration(0)
	for b.Loop() {
		c, stop := benchServer(b)
		var res map[string]any
		c.Request("initialize", map[string]any{"processId": nil, "rootUri": nil,
			"workspaceFolders": []any{map[string]any{"uri": wsURI(root), "name": "gforth"}}, "capabilities": progressCaps}, &res)
		c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "forth", "version": 1, "text": doc.String()}})
		c.Wait("first publication", lsptest.IsPublish(u, 1))
		version := 1
		edit := func() time.Duration {
			version++
			start := time.Now()
			// Insert " 1 drop" into a body, then take it out again.
			p, e, text := map[string]any{"line": 150, "character": 21}, map[string]any{"line": 150, "character": 21}, " 1 drop"
			if version%2 == 1 {
				e, text = map[string]any{"line": 150, "character": 28}, ""
			}
			c.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": u, "version": version},
				"contentChanges": []any{map[string]any{"range": map[string]any{"start": p, "end": e}, "text": text}}})
			c.Wait("publication", lsptest.IsPublish(u, version))
			return time.Since(start)
		}
		for range 20 {
			idle = append(idle, edit())
		}
		start := time.Now()
		c.Notify("initialized", map[string]any{})
		m := c.Wait("create", func(m lsptest.Message) bool { return m.Method == "window/workDoneProgress/create" })
		c.Send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
		for done := false; !done; {
			d := edit()
			for _, m := range c.Drain() {
				if m.Method == "$/progress" && strings.Contains(string(m.Params), `"end"`) {
					done = true
				}
			}
			if !done {
				busy = append(busy, d)
				busyMax = max(busyMax, d)
			}
		}
		indexTotal += time.Since(start)
		stop()
	}
	pct := func(ds []time.Duration, p int) float64 {
		if len(ds) == 0 {
			return 0
		}
		s := slices.Clone(ds)
		slices.Sort(s)
		return float64(s[len(s)*p/100].Microseconds())
	}
	median := func(ds []time.Duration) float64 { return pct(ds, 50) }
	b.ReportMetric(float64(indexTotal.Milliseconds())/float64(b.N), "index-ms")
	b.ReportMetric(median(idle), "idle-edit-µs")
	b.ReportMetric(median(busy), "index-edit-µs")
	b.ReportMetric(float64(busyMax.Microseconds()), "index-edit-max-µs")
	b.ReportMetric(pct(busy, 99), "index-edit-p99-µs")
	b.ReportMetric(float64(len(busy))/float64(b.N), "edits-while-indexing")
}

// benchServer runs a server in process for a benchmark; stop ends it.
func benchServer(tb testing.TB) (*lsptest.Client, func()) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := newServer(Options{}, zap.NewNop())
	done := make(chan struct{})
	go func() {
		s.serve(context.Background(), inR, outW)
		outW.Close()
		close(done)
	}()
	c := lsptest.New(tb, outR, inW)
	c.Timeout = 60 * time.Second
	return c, func() {
		inW.Close()
		<-done
	}
}

// The index reads definitions with the dialect in force: a word that
// gforth's ALIAS defines is a workspace symbol under the gforth dialect,
// and not once the settings switch to standard Forth (which has no ALIAS).
func TestIndexFollowsDialect(t *testing.T) {
	dir := t.TempDir()
	wsTree(t, dir, map[string]string{"words.fs": "' dup alias twin\n: plain ( -- ) ;\n"})
	h := startServer(t, Options{}, nil)
	wsInitialize(t, h.Client, []string{dir}, progressCaps)
	checkProgress(t, wsProgress(t, h.Client))
	if got := symbolNames(wsSymbols(t, h.Client, "twin")); !slices.Contains(got, "twin") {
		t.Fatalf("gforth dialect: twin missing from %v", got)
	}
	configure(h, map[string]any{"fastforth": map[string]any{"dialect": "standard"}})
	checkProgress(t, wsProgress(t, h.Client)) // the folders are read again
	if got := symbolNames(wsSymbols(t, h.Client, "")); slices.Contains(got, "twin") || !slices.Contains(got, "plain") {
		t.Errorf("standard dialect: symbols %v", got)
	}
}
