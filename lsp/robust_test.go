package lsp

import (
	"encoding/json"
	"sort"
	"testing"
)

// junkParams are params no handler should choke on: wrong types, missing
// fields, positions and ranges out of every bound, unknown and closed
// documents.
var junkParams = []string{
	`null`, `[]`, `1`, `"x"`, `{}`, `true`,
	`{"textDocument":{}}`,
	`{"textDocument":{"uri":1},"position":"here"}`,
	`{"textDocument":{"uri":"file:///not-open.fs"},"position":{"line":0,"character":0}}`,
	`{"textDocument":{"uri":"file:///robust.fs"},"position":{"line":-1,"character":-5}}`,
	`{"textDocument":{"uri":"file:///robust.fs"},"position":{"line":4000000000,"character":4000000000}}`,
	`{"textDocument":{"uri":"file:///robust.fs"},"position":{"line":1,"character":3},"newName":""}`,
	`{"textDocument":{"uri":"file:///robust.fs"},"position":{"line":1,"character":3},"newName":"a b"}`,
	`{"textDocument":{"uri":"file:///robust.fs"},"range":{"start":{"line":9,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}`,
	`{"textDocument":{"uri":"file:///robust.fs"},"range":{"start":{"line":0,"character":0},"end":{"line":99,"character":99}},"context":{"diagnostics":[{"range":{"start":{"line":50,"character":0},"end":{"line":50,"character":1}},"message":"x","code":"undefined-word"}],"only":["refactor.extract","nonsense"]}}`,
	`{"textDocument":{"uri":"file:///robust.fs"},"options":{"tabSize":-3,"insertSpaces":false}}`,
	`{"textDocument":{"uri":"file:///robust.fs"},"previousResultId":"nope"}`,
	`{"command":"fastforth.generate","arguments":[{"name":"","effect":"("}]}`,
	`{"command":"fastforth.patterns","arguments":[{"id":"nope"}]}`,
	`{"command":"nope","arguments":[1,2,3]}`,
	`{"query":""}`, `{"query":"\u0000\uffff"}`,
	`{"text":": x ( -- ) [: ;] 10000 0 do"}`,
}

// TestJunkParams sends every registered request junk params: each is
// answered (a result or an error), and the server still works after.
func TestJunkParams(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(map[string]any{"general": map[string]any{"positionEncodings": []string{"utf-16"}}})
	const u = "file:///robust.fs"
	open(h, u, "\\ a file\n: square ( n -- n*n ) dup * ;\n: broken ( -- ) swp if ;\n", 1)
	for _, m := range requestMethods() {
		for _, p := range junkParams {
			r := h.Response(h.Call(m, json.RawMessage(p)))
			switch {
			case r.Error == nil && len(r.Result) == 0:
				t.Errorf("%s %s: neither result nor error", m, p)
			case r.Error == nil && m == "textDocument/diagnostic" && string(r.Result) == "null":
				t.Errorf("%s %s: null is not a diagnostic report", m, p)
			}
		}
	}
	if hv := hoverAt(h, u, 1, 3); hv == nil {
		t.Fatal("no hover after the junk: the server is broken")
	}
}

// FuzzRequest sends fuzzed params to every registered request of one
// server: none may go unanswered or stop the server.
//
//	go test -run X -fuzz FuzzRequest ./lsp/
func FuzzRequest(f *testing.F) {
	for _, p := range junkParams {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, params string) {
		if !json.Valid([]byte(params)) {
			return
		}
		h := startServer(t, Options{}, nil)
		h.initialize(nil)
		open(h, "file:///robust.fs", ": square ( n -- n*n ) dup * ;\n: b swp if ;\n", 1)
		for _, m := range requestMethods() {
			h.Response(h.Call(m, json.RawMessage(params)))
		}
		h.Request("shutdown", nil, nil)
	})
}

// requestMethods are the requests the server answers after initialize:
// the core ones and every registered feature, sorted.
func requestMethods() []string {
	methods := []string{"textDocument/hover", "textDocument/diagnostic"}
	for m := range features {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	return methods
}
