package mcpserver

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/fastforth/fastforth/query"
)

// session connects the SDK's client to the server in memory.
func session(tb testing.TB) *mcp.ClientSession {
	tb.Helper()
	ct, st := mcp.NewInMemoryTransports()
	ctx := context.Background()
	ss, err := New(query.New(), "test").Connect(ctx, st, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cs.Close() })
	return cs
}

// BenchmarkTools measures a tool call through the SDK, client and
// server in one process (no pipe): what the protocol layer costs over
// the query.
func BenchmarkTools(b *testing.B) {
	cs := session(b)
	for _, c := range []struct {
		tool string
		args map[string]any
	}{
		{"forth_verify", map[string]any{"code": ": max2 ( a b -- m ) 2dup < if swap then drop ;", "effect": "( a b -- max )"}},
		{"forth_check", map[string]any{"text": ": sq ( n -- n*n ) dup * ;\n: bad ( a b -- c ) swap ;"}},
		{"forth_generate", map[string]any{"name": "order-desc", "effect": "( a b -- hi lo )", "pattern": "stack-sort2-001", "params": map[string]any{"cmp": "<"}, "examples": []any{map[string]any{"inputs": []int{1, 3}, "outputs": []int{3, 1}}}}},
	} {
		b.Run(c.tool, func(b *testing.B) {
			for b.Loop() {
				res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: c.tool, Arguments: c.args})
				if err != nil || res.IsError {
					b.Fatal(err, res)
				}
			}
		})
	}
}

// TestOutputSchemas calls every tool and validates its structured
// answer against the output schema it lists (the server does not
// validate each answer: this is the check that it need not), and its
// arguments against the input schema.
func TestOutputSchemas(t *testing.T) {
	cs := session(t)
	examples := map[string]map[string]any{
		"forth_check":    {"text": ": sq ( n -- n*n ) dup * ;\n: bad ( a b -- c ) swap ;"},
		"forth_infer":    {"text": ": sq ( n -- n*n ) dup * ;", "word": "sq"},
		"forth_verify":   {"code": ": f ( n -- n ) dup 0< if drop then ;"},
		"forth_compose":  {"words": "over over + rot drop drop drop", "stack": "a b"},
		"forth_stack_at": {"text": ": sum3 ( a b c -- s ) + + ;", "definition": "sum3", "word": "+", "occurrence": 2},
		"forth_word":     {"name": "sq", "text": "\\ squares\n: sq ( n -- n*n ) dup * ;\n: q sq sq ;"},
		"forth_generate": {"name": "order-desc", "effect": "( a b -- hi lo )", "pattern": "stack-sort2-001", "params": map[string]any{"cmp": "<"}, "examples": []any{map[string]any{"inputs": []int{1, 3}, "outputs": []int{3, 1}}}},
		"forth_patterns": {"query": "sum range", "limit": 2},
		"forth_test":     {"text": ": sq dup * ;\nT{ 3 sq -> 9 }T\nT{ 2 sq -> 5 }T"},
	}
	tools, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(schema any) *jsonschema.Resolved {
		b, _ := json.Marshal(schema)
		var sc jsonschema.Schema
		if err := json.Unmarshal(b, &sc); err != nil {
			t.Fatal(err)
		}
		r, err := sc.Resolve(nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tool := range tools.Tools {
		args := examples[tool.Name]
		if args == nil {
			t.Errorf("%s: no example", tool.Name)
			continue
		}
		for _, sc := range []any{tool.InputSchema, tool.OutputSchema} {
			if m, _ := sc.(map[string]any); m["type"] != "object" {
				t.Errorf("%s: a schema of type %v, want object", tool.Name, m["type"])
			}
		}
		var argv any
		b, _ := json.Marshal(args)
		json.Unmarshal(b, &argv)
		if err := resolve(tool.InputSchema).Validate(argv); err != nil {
			t.Errorf("%s: the example does not fit the input schema: %v", tool.Name, err)
		}
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tool.Name, Arguments: args})
		if err != nil || res.IsError {
			t.Errorf("%s: %v %+v", tool.Name, err, res)
			continue
		}
		if err := resolve(tool.OutputSchema).Validate(res.StructuredContent); err != nil {
			t.Errorf("%s: the answer does not fit the output schema: %v", tool.Name, err)
		}
		if tc, ok := res.Content[0].(*mcp.TextContent); !ok || tc.Text == "" || tc.Text[0] == '{' {
			t.Errorf("%s: the text is not readable: %+v", tool.Name, res.Content)
		}
	}
	// Arguments that do not fit: errors that name them.
	for _, c := range []struct {
		tool string
		args any
		want string
	}{
		{"forth_verify", map[string]any{"code": ": f ;", "colour": "red"}, "colour"},
		{"forth_verify", map[string]any{"code": 3}, "code"},
		{"forth_verify", map[string]any{}, "missing-field"},
		{"forth_compose", nil, "missing-field"},
	} {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: c.tool, Arguments: c.args})
		if err != nil || !res.IsError || !strings.Contains(res.Content[0].(*mcp.TextContent).Text, c.want) {
			t.Errorf("%s %v: %v %+v, want an error about %s", c.tool, c.args, err, res, c.want)
		}
	}
}
