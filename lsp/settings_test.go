package lsp

import (
	"encoding/json"
	"fmt"
	"github.com/fastforth/fastforth/analysis/stackview"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/internal/lsptest"
)

func TestSettingsMerge(t *testing.T) {
	def := defaultSettings(analysis.Options{IncludePaths: []string{"/flags/inc"}})
	for _, tt := range []struct {
		name, raw string
		check     func(st *settings) bool
		warns     int
	}{
		{"dialect", `{"dialect":"standard"}`, func(st *settings) bool { return st.Dialect == "standard" }, 0},
		{"dialect of the wrong type", `{"dialect":3}`, func(st *settings) bool { return st.Dialect == "" }, 1},
		{"unknown dialect", `{"dialect":"ansi"}`, func(st *settings) bool { return st.Dialect == "" }, 1},
		{"include paths relative to the root", `{"includePaths":["lib","/abs/dir",""]}`, func(st *settings) bool {
			return reflect.DeepEqual(st.IncludePaths, []string{"/ws/lib", "/abs/dir"})
		}, 0},
		{"null restores the default", `{"includePaths":null}`, func(st *settings) bool {
			return reflect.DeepEqual(st.IncludePaths, []string{"/flags/inc"})
		}, 0},
		{"include paths of the wrong type", `{"includePaths":"lib"}`, func(st *settings) bool {
			return reflect.DeepEqual(st.IncludePaths, []string{"/flags/inc"})
		}, 1},
		{"preload", `{"preload":["tester.fs"]}`, func(st *settings) bool { return reflect.DeepEqual(st.Preload, []string{"/ws/tester.fs"}) }, 0},
		{"floats", `{"floats":false}`, func(st *settings) bool { return !st.Floats }, 0},
		{"floats of the wrong type", `{"floats":"no"}`, func(st *settings) bool { return st.Floats }, 1},
		{"diagnostics", `{"diagnostics":{"disable":["missing-stack-comment"],"hints":false,"other":1}}`, func(st *settings) bool {
			return st.Diagnostics.Enable && !st.Diagnostics.Hints && reflect.DeepEqual(st.Diagnostics.Disable, []string{"missing-stack-comment"})
		}, 0},
		{"diagnostics not an object", `{"diagnostics":5}`, func(st *settings) bool { return st.Diagnostics.Enable && st.Diagnostics.Hints }, 1},
		{"one bad member keeps the others", `{"diagnostics":{"enable":"off","hints":false}}`, func(st *settings) bool {
			return st.Diagnostics.Enable && !st.Diagnostics.Hints
		}, 1},
		{"inlay hints", `{"inlayHints":{"effects":false,"stackAtLineEnd":true}}`, func(st *settings) bool {
			return !st.InlayHints.Effects && st.InlayHints.StackAtLineEnd
		}, 0},
		{"format", `{"format":{"enable":false,"indent":4}}`, func(st *settings) bool { return !st.Format.Enable && st.Format.Indent == 4 }, 0},
		{"indent out of range", `{"format":{"indent":99}}`, func(st *settings) bool { return st.Format.Indent == 2 }, 1},
		{"unknown keys", `{"colour":"blue","format":{"style":"x"}}`, func(st *settings) bool { return reflect.DeepEqual(st, def) }, 0},
		{"not an object", `[1,2]`, func(st *settings) bool { return reflect.DeepEqual(st, def) }, 1},
	} {
		var warns []string
		st := def.merge([]byte(tt.raw), def, "/ws", func(m string) { warns = append(warns, m) })
		if !tt.check(st) {
			t.Errorf("%s: %s gave %+v", tt.name, tt.raw, st)
		}
		if len(warns) != tt.warns {
			t.Errorf("%s: warnings %q, want %d", tt.name, warns, tt.warns)
		}
	}
	// Keys not named keep their values.
	st := def.merge([]byte(`{"dialect":"standard"}`), def, "", func(string) {})
	st = st.merge([]byte(`{"floats":false}`), def, "", func(string) {})
	if st.Dialect != "standard" || st.Floats {
		t.Errorf("merged twice: %+v", st)
	}
}

func TestSettingsSection(t *testing.T) {
	for _, tt := range []struct {
		raw, want string
		ok        bool
	}{
		{`{"fastforth":{"dialect":"standard"}}`, `{"dialect":"standard"}`, true},
		{`{"dialect":"standard"}`, `{"dialect":"standard"}`, true},
		{`{"fastforth":null}`, ``, false},
		{`null`, ``, false},
		{``, ``, false},
		{`{}`, ``, false},
		{`{"otherTool":{"x":1}}`, ``, false},
		{`"text"`, ``, false},
	} {
		got, ok := section([]byte(tt.raw))
		if ok != tt.ok || string(got) != tt.want {
			t.Errorf("section(%s) = %s, %v; want %s, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}

// initWith runs the handshake with extra initialize params.
func initWith(h *harness, params map[string]any) {
	h.t.Helper()
	p := map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}
	for k, v := range params {
		p[k] = v
	}
	h.Request("initialize", p, nil)
	h.Notify("initialized", map[string]any{})
}

func configure(h *harness, settings any) {
	h.Notify("workspace/didChangeConfiguration", map[string]any{"settings": settings})
}

// diagCodes lists the codes of a publication.
func diagCodes(ds []lsptest.Diagnostic) string {
	var cs []string
	for _, d := range ds {
		cs = append(cs, d.Code)
	}
	return strings.Join(cs, ",")
}

// nextPublish waits for the next publication for u.
func nextPublish(h *harness, u string) lsptest.PublishDiagnostics {
	h.t.Helper()
	return lsptest.Notification[lsptest.PublishDiagnostics](h.t, h.Wait("diagnostics for "+u, lsptest.IsPublish(u, -1)))
}

// TestSettingsPushed: settings from initializationOptions and
// didChangeConfiguration, in every shape, change the analysis and the
// diagnostics published, in wire order.
func TestSettingsPushed(t *testing.T) {
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"initializationOptions": map[string]any{"fastforth": map[string]any{"dialect": "standard"}}})
	const u = "file:///tmp/settings-push.fs"
	open(h, u, ": f ( a b c -- c ) -rot 2drop ;\n: g 1 ;\n", 1)
	if got := diagCodes(nextPublish(h, u).Diagnostics); got != "undefined-word,missing-stack-comment" {
		t.Fatalf("standard dialect from initializationOptions: %s", got)
	}
	for _, tt := range []struct {
		name     string
		settings any
		want     string
	}{
		{"the section", map[string]any{"fastforth": map[string]any{"dialect": "gforth"}}, "missing-stack-comment"},
		{"the section's keys alone", map[string]any{"dialect": "standard"}, "undefined-word,missing-stack-comment"},
		{"a disabled code", map[string]any{"fastforth": map[string]any{"diagnostics": map[string]any{"disable": []string{"undefined-word"}}}}, "missing-stack-comment"},
		{"no hints", map[string]any{"fastforth": map[string]any{"diagnostics": map[string]any{"disable": []string{}, "hints": false}}}, "undefined-word"},
		{"disabled", map[string]any{"fastforth": map[string]any{"diagnostics": map[string]any{"enable": false}}}, ""},
		{"enabled again", map[string]any{"fastforth": map[string]any{"diagnostics": map[string]any{"enable": true, "hints": true}}}, "undefined-word,missing-stack-comment"},
	} {
		configure(h, tt.settings)
		p := nextPublish(h, u)
		if got := diagCodes(p.Diagnostics); got != tt.want {
			t.Errorf("%s: published %q, want %q", tt.name, got, tt.want)
		}
		if p.Diagnostics == nil || p.Version == nil || *p.Version != 1 {
			t.Errorf("%s: publication %+v", tt.name, p)
		}
	}
	// A value of the wrong type is logged and changes nothing; the server
	// goes on.
	configure(h, map[string]any{"fastforth": map[string]any{"dialect": 5, "floats": "yes"}})
	change(h, u, 2, insert(1, 0, "\n"))
	if got := diagCodes(nextPublish(h, u).Diagnostics); got != "undefined-word,missing-stack-comment" {
		t.Errorf("after a bad value: %s", got)
	}
	if log := h.log.String(); !strings.Contains(log, "dialect: 5 is not a string") || !strings.Contains(log, `floats: "yes" is not a boolean`) {
		t.Errorf("no warning logged:\n%s", log)
	}
	// Null settings from a client without workspace/configuration are
	// ignored.
	configure(h, nil)
	change(h, u, 3, insert(0, 0, "\\ x\n"))
	if got := diagCodes(nextPublish(h, u).Diagnostics); got != "undefined-word,missing-stack-comment" {
		t.Errorf("after null settings: %s", got)
	}
}

// TestSettingsPulled: with a client that pulls diagnostics and offers
// workspace/configuration, the server asks for the section after
// initialized and again when didChangeConfiguration carries none, and a
// pull right after a change sees it.
func TestSettingsPulled(t *testing.T) {
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"capabilities": map[string]any{
		"workspace":    map[string]any{"configuration": true, "diagnostics": map[string]any{"refreshSupport": true}},
		"textDocument": map[string]any{"diagnostic": map[string]any{}},
	}})
	answer := func(result any) {
		t.Helper()
		m := h.Wait("workspace/configuration", func(m lsptest.Message) bool { return m.Method == "workspace/configuration" })
		var p struct {
			Items []struct {
				Section string `json:"section"`
			} `json:"items"`
		}
		if err := json.Unmarshal(m.Params, &p); err != nil || len(p.Items) != 1 || p.Items[0].Section != "fastforth" {
			t.Fatalf("workspace/configuration params %s", m.Params)
		}
		h.Send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": result})
	}
	answer([]any{map[string]any{"diagnostics": map[string]any{"disable": []string{"missing-stack-comment"}}}})
	const u = "file:///tmp/settings-pull.fs"
	open(h, u, ": g 1 ;\nswp\n", 1)
	pull := func() string {
		t.Helper()
		var rep lsptest.FullReport
		h.Request("textDocument/diagnostic", docParams(u), &rep)
		return diagCodes(rep.Items)
	}
	// The pulled settings are applied when they arrive: wait for the
	// refresh request that a change of the filter sends.
	h.Wait("diagnostic refresh", func(m lsptest.Message) bool { return m.Method == "workspace/diagnostic/refresh" })
	if got := pull(); got != "undefined-word" {
		t.Errorf("with pulled settings: %q", got)
	}
	configure(h, nil)
	answer([]any{map[string]any{"dialect": "gforth", "diagnostics": map[string]any{"disable": []string{"undefined-word"}}}})
	h.Wait("diagnostic refresh", func(m lsptest.Message) bool { return m.Method == "workspace/diagnostic/refresh" })
	if got := pull(); got != "missing-stack-comment" {
		t.Errorf("after pulling again: %q", got)
	}
	// Pushed settings apply in wire order: the pull right after sees them.
	configure(h, map[string]any{"fastforth": map[string]any{"diagnostics": map[string]any{"disable": nil}}})
	if got := pull(); got != "missing-stack-comment,undefined-word" {
		t.Errorf("right after didChangeConfiguration: %q", got)
	}
	for _, m := range h.Drain() {
		if m.Method == "textDocument/publishDiagnostics" {
			t.Errorf("pushed to a client that pulls: %s", m.Params)
		}
	}
}

// TestSettingsIncludePaths: include paths are relative to the workspace
// root, and changing them analyses the open documents again.
func TestSettingsIncludePaths(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "lib", "util.fs"), []byte(": helper ( n -- n ) 1+ ;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"rootUri": "file://" + root})
	u := "file://" + filepath.Join(root, "src", "main.fs")
	open(h, u, "include util.fs\n: f ( n -- n ) helper ;\n", 1)
	// helper is defined in lib/util.fs, which main.fs does not load: an
	// undefined word, or (once the index knows lib/util.fs) not-loaded.
	if got := diagCodes(nextPublish(h, u).Diagnostics); got != "include-not-found,undefined-word" && got != "include-not-found,not-loaded" {
		t.Fatalf("without include paths: %q", got)
	}
	// The workspace index may publish version 1 again (it relates the
	// undefined word), so wait for the publication that shows the change;
	// a settings change that does nothing times the wait out.
	configure(h, map[string]any{"fastforth": map[string]any{"includePaths": []string{"lib"}}})
	publishWith(h, u, "")
	configure(h, map[string]any{"fastforth": map[string]any{"includePaths": nil}})
	publishWith(h, u, "include-not-found,not-loaded")
}

// publishWith waits for a publication of u's diagnostics whose codes are
// want.
func publishWith(h *harness, u, want string) {
	h.t.Helper()
	h.Wait("diagnostics "+strconv.Quote(want)+" for "+u, func(m lsptest.Message) bool {
		if !lsptest.IsPublish(u, -1)(m) {
			return false
		}
		return diagCodes(lsptest.Notification[lsptest.PublishDiagnostics](h.t, m).Diagnostics) == want
	})
}

func TestTrace(t *testing.T) {
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"trace": "messages"})
	const u = "file:///tmp/trace.fs"
	open(h, u, ": sq ( n -- n*n ) dup * ;\n", 1)
	isTrace := func(m lsptest.Message) bool { return m.Method == "$/logTrace" }
	traceOf := func(method string) map[string]any {
		t.Helper()
		m := h.Wait("trace of "+method, func(m lsptest.Message) bool {
			return isTrace(m) && strings.Contains(string(m.Params), " "+method+" ")
		})
		var p map[string]any
		if err := json.Unmarshal(m.Params, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hoverAt(h, u, 0, 18)
	p := traceOf("textDocument/hover")
	if msg, _ := p["message"].(string); !strings.HasPrefix(msg, "request textDocument/hover handled in ") {
		t.Errorf("message %q", msg)
	}
	if _, ok := p["verbose"]; ok {
		t.Errorf("verbose with messages: %v", p)
	}
	if p := traceOf("textDocument/didOpen"); !strings.HasPrefix(p["message"].(string), "notification textDocument/didOpen") {
		t.Errorf("didOpen: %v", p)
	}
	h.Notify("$/setTrace", map[string]any{"value": "verbose"})
	hoverAt(h, u, 0, 18)
	p = traceOf("textDocument/hover")
	if v, _ := p["verbose"].(string); !strings.HasPrefix(v, "params: ") || !strings.HasSuffix(v, " bytes") {
		t.Errorf("verbose %v", p)
	}
	h.Notify("$/setTrace", map[string]any{"value": "loud"}) // invalid: ignored
	// Still verbose, so it is traced: wait for that, so that no trace is
	// in flight when tracing stops.
	h.Wait("the trace of the invalid $/setTrace", func(m lsptest.Message) bool {
		return isTrace(m) && strings.Contains(string(m.Params), "loud")
	})
	h.Notify("$/setTrace", map[string]any{"value": "off"})
	h.Drain()
	// A request's trace is sent before its answer: none may come now.
	hoverAt(h, u, 0, 18)
	for _, m := range h.Drain() {
		if isTrace(m) {
			t.Errorf("trace while off: %s", m.Params)
		}
	}
	if !strings.Contains(h.log.String(), `value must be off, messages or verbose, not \"loud\"`) {
		t.Errorf("the invalid $/setTrace was not logged")
	}
}

// TestInlayHintStyles: inlayHints.effects switches the effect hints,
// inlayHints.stackAtLineEnd adds the stack at the end of body lines.
func TestInlayHintStyles(t *testing.T) {
	h := startServer(t, Options{}, nil)
	initWith(h, map[string]any{"initializationOptions": map[string]any{"inlayHints": map[string]any{"effects": false, "stackAtLineEnd": true}}})
	const u = "file:///tmp/inlay-styles.fs"
	const text = ": f ( a b -- a c )\n  over over \\ copies\n  +\n  nip ;\n" +
		": g ( n -- ) 0 ?do i . loop ;\n" +
		": h\n  dup if\n    1+\n  then ;\n"
	open(h, u, text, 1)
	hints := func() []string {
		t.Helper()
		var got []hint
		h.Request("textDocument/inlayHint", rangeParams(u, 0, 100), &got)
		var s []string
		for _, x := range got {
			s = append(s, fmt.Sprintf("%d:%d %s", x.Position.Line, x.Position.Character, x.Label))
		}
		return s
	}
	want := []string{"1:20 ( a b a b )", "2:3 ( a b x1 )", "3:7 ( a c )", "6:8 ( x )", "7:6 ( x2 )", "8:8 ( x2 )"}
	if got := hints(); !reflect.DeepEqual(got, want) {
		t.Errorf("stack hints\n got %q\nwant %q", got, want)
	}
	configure(h, map[string]any{"fastforth": map[string]any{"inlayHints": map[string]any{"effects": true, "stackAtLineEnd": false}}})
	if got, want := hints(), []string{"5:3 ( x -- x2 )"}; !reflect.DeepEqual(got, want) {
		t.Errorf("effect hints\n got %q\nwant %q", got, want)
	}
}

// TestStacksAfterMatchesStackAround: the line-end stacks are the "after"
// stacks of hovers.
func TestStacksAfterMatchesStackAround(t *testing.T) {
	src := ": f ( a b -- c ) over over + nip ;\n" +
		": g ( n -- ) 0 ?do i . loop ;\n" +
		": m ( n -- ) create , does> ( addr -- n ) @ 1+ ;\n" +
		": q ( -- ) [: ( x -- ) drop ;] drop ;\n"
	r := analysis.New(analysis.Options{}).Analyze("/tmp/after.fs", []byte(src))
	for _, d := range r.File.Defs {
		all := map[int]bool{}
		for i := range d.Body {
			all[i] = true
		}
		got := stacksAfter(r.Checker, d, all)
		for i := range d.Body {
			_, want, _ := stackview.Around(r.Checker, d, i)
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("%s op %d: %q, stackAround %q", d.Display, i, got[i], want)
			}
		}
	}
}
