package lsp

import (
	"strings"
	"testing"
)

func TestSignatureHelp(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/sig.fs"
	open(h, u, ": f ( a b -- c ) + ;\n", 1)
	type sigHelp struct {
		Signatures []struct {
			Label         string `json:"label"`
			Documentation struct {
				Value string `json:"value"`
			} `json:"documentation"`
		} `json:"signatures"`
	}
	at := func(char int) *sigHelp {
		var res *sigHelp
		h.Request("textDocument/signatureHelp", map[string]any{
			"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": 0, "character": char}}, &res)
		return res
	}
	for _, char := range []int{17, 18} { // on "+", and after "+ "
		res := at(char)
		if res == nil || len(res.Signatures) != 1 {
			t.Fatalf("at %d: %+v", char, res)
		}
		s := res.Signatures[0]
		if s.Label != "+ ( n1 n2 -- n3 )" || !strings.Contains(s.Documentation.Value, "`( a b )`") {
			t.Errorf("at %d: %+v", char, s)
		}
	}
	if res := at(6); res != nil && len(res.Signatures) > 0 {
		t.Errorf("inside the stack comment: %+v", res)
	}
}
