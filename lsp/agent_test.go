package lsp

import (
	"testing"
)

func TestAgentRequests(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	type def struct {
		Name     string  `json:"name"`
		Declared *string `json:"declared"`
		Inferred *string `json:"inferred"`
		In       *int    `json:"in"`
		Out      *int    `json:"out"`
		Status   string  `json:"status"`
	}
	var defs []def
	h.Request("fastforth/infer", map[string]any{"text": ": sq ( n -- n*n ) dup * ;\n: two  2 ;\n"}, &defs)
	if len(defs) != 2 || defs[0].Name != "sq" || defs[0].Status != "verified" || *defs[0].In != 1 || *defs[0].Out != 1 ||
		defs[1].Status != "undeclared" || defs[1].Declared != nil || *defs[1].Inferred != "( -- x1 )" {
		t.Fatalf("infer: %+v", defs)
	}

	type verify struct {
		Verified    bool  `json:"verified"`
		Definitions []def `json:"definitions"`
		Diagnostics []struct {
			Code string `json:"code"`
		} `json:"diagnostics"`
	}
	var v verify
	h.Request("fastforth/verify", map[string]any{"text": ": sq ( n -- n*n ) dup * ;\n"}, &v)
	if !v.Verified || len(v.Definitions) != 1 || v.Diagnostics == nil {
		t.Errorf("verify good: %+v", v)
	}
	v = verify{}
	h.Request("workspace/executeCommand", map[string]any{"command": "fastforth.verify",
		"arguments": []any{map[string]any{"text": ": sq ( n -- n ) dup dup * ;\n"}}}, &v)
	if v.Verified || len(v.Diagnostics) != 1 || v.Diagnostics[0].Code != "effect-mismatch" {
		t.Errorf("verify bad via executeCommand: %+v", v)
	}

	// An open document, one definition by name.
	const u = "file:///tmp/agent.fs"
	open(h, u, ": a ( -- ) ;\n: b ( x -- ) drop ;\n", 1)
	defs = nil
	h.Request("fastforth/infer", map[string]any{"textDocument": map[string]any{"uri": u}, "name": "b"}, &defs)
	if len(defs) != 1 || defs[0].Name != "b" || defs[0].Status != "verified" {
		t.Errorf("infer open document: %+v", defs)
	}
	// Bad params are an error, not a crash.
	if m := h.Response(h.Call("fastforth/infer", map[string]any{})); m.Error == nil || m.Error.Code != -32602 {
		t.Errorf("no textDocument and no text: %+v", m)
	}
}
