// Package mcpserver serves the query layer as a Model Context Protocol
// server (github.com/modelcontextprotocol/go-sdk): one tool per query,
// with input and output schemas from the query package's typed structs,
// results both structured and readable, over stdio or streamable HTTP.
package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/fastforth/fastforth/query"
)

// Instructions tell an agent how to use the tools (the server's
// instructions in initialize).
const Instructions = `Fast Forth: static stack-effect analysis, code generation and an in-process Forth machine for Forth code.

Forth words take and leave items on stacks; stack effects like ( a b -- c ) say how many. Do not guess stacks: ask.
Workflow:
1. Before writing or running code, check effects: forth_word (what a word does), forth_compose (the effect of a sequence of words and where it underflows), forth_stack_at (the stacks before and after a word inside a definition; name the definition and the word rather than a position).
2. To write a new word, look for a pattern (forth_patterns with query words) and generate it from a spec (forth_generate: name, effect, pattern or description, examples); the code comes verified and its tests run.
3. After writing or editing code, verify it: forth_verify (code + the effect the word must have -> verdict, each path's effect, why) and forth_check (every diagnostic, of text or files in their project).
4. Test: forth_test runs T{ inputs -> outputs }T lines in the in-process Forth machine (T{ is built in).
Positions are 1-based line and column (columns count bytes), or a 0-based byte offset into text. Files are read in their project (fastforth.toml: dialect, include paths), as the fastforth CLI reads them.`

// New makes the MCP server over a query Service.
func New(svc *query.Service, version string) *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "fastforth", Title: "Fast Forth", Version: version},
		&mcp.ServerOptions{Instructions: Instructions, Capabilities: &mcp.ServerCapabilities{}})
	t := &tools{svc: svc}
	readOnly := func(title string) *mcp.ToolAnnotations {
		no := false
		return &mcp.ToolAnnotations{Title: title, ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: &no}
	}
	addTool(s, &mcp.Tool{Name: "forth_check", Annotations: readOnly("Check Forth code"),
		Description: "Diagnostics (undefined words, effects that disagree with stack comments, unbalanced branches, underflow...) of Forth text, a file or files and directories, each read in its project. Give text, path, or paths."},
		t.check)
	addTool(s, &mcp.Tool{Name: "forth_infer", Annotations: readOnly("Infer stack effects"),
		Description: "The declared and inferred stack effect of every definition of Forth text or a file, with a verdict (verified, mismatch, undeclared, unknown with a reason). word picks one definition."},
		t.infer)
	addTool(s, &mcp.Tool{Name: "forth_verify", Annotations: readOnly("Verify a definition's effect"),
		Description: "Checks that a word in code does exactly an effect on every path: the verdict, what each path does, and why not. Without effect, the word's own stack comment. Without word, the last colon definition."},
		t.verify)
	addTool(s, &mcp.Tool{Name: "forth_compose", Annotations: readOnly("Effect of a word sequence"),
		Description: "The stack effect of a sequence of words (e.g. \"over over + -rot\"), the stacks after each word named after the stack you give (bottom first, e.g. \"a b\"), and the first word that underflows it. definitions may define words the sequence uses."},
		t.compose)
	addTool(s, &mcp.Tool{Name: "forth_stack_at", Annotations: readOnly("Stacks at a word"),
		Description: "The stacks just before and just after a word inside a definition, named after the definition's stack comment, one per path. Name the place (definition, word, occurrence) or give line and column (1-based) or offset (0-based byte into text)."},
		t.stackAt)
	addTool(s, &mcp.Tool{Name: "forth_word", Annotations: readOnly("Describe a word"),
		Description: "A word's stack effect, description, flags, where it is defined and where it is used: a builtin of the dialect, or a word the text or file defines."},
		t.word)
	addTool(s, &mcp.Tool{Name: "forth_generate", Annotations: readOnly("Generate a word from a spec"),
		Description: "Generates a verified definition and its T{ }T tests from a spec (name, effect, pattern ID or description, params, examples) using the pattern library, and runs the tests in the in-process Forth machine. ok is true when the code verifies and the tests pass."},
		t.generate)
	addTool(s, &mcp.Tool{Name: "forth_patterns", Annotations: readOnly("Search the pattern library"),
		Description: "Searches (query words), lists (category) or shows (id) the patterns forth_generate instantiates: idioms with parameters, effects, code and tests. brief leaves the code out; limit bounds the list."},
		t.patterns)
	addTool(s, &mcp.Tool{Name: "forth_test", Annotations: readOnly("Run T{ }T tests"),
		Description: "Runs the T{ inputs -> outputs }T tests of Forth text or files in the in-process Forth machine (gforth 0.7.3's behaviour, bounded in steps and memory; T{ is built in) and reports each failure with its line."},
		t.test)
	return s
}

type tools struct{ svc *query.Service }

// addTool adds a query as a tool: its input and output schemas come
// from the request and answer types (as mcp.AddTool makes them), the
// arguments are decoded strictly (an unknown or mistyped argument is an
// error that names it), the answer is the structured content and its
// String the readable text, a query error is a tool error (isError)
// whose text says what to fix, and a panic is recovered into one.
//
// Unlike mcp.AddTool it does not validate each call's arguments and
// answer against the schemas through a generic JSON tree: the strict
// decoding and the query layer's own checks reject what the input
// schema would, and the answer is the type the output schema was made
// from (clients such as the TypeScript SDK validate it on their side,
// and the tests check it). That validation was most of a call's cost.
func addTool[In any, Out fmt.Stringer](s *mcp.Server, tool *mcp.Tool, f func(context.Context, *In) (Out, error)) {
	tool.InputSchema, tool.OutputSchema = schemaFor[In](tool.Name), schemaFor[Out](tool.Name)
	call := func(ctx context.Context, req *mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
		defer func() {
			if r := recover(); r != nil {
				res, err = toolError(fmt.Sprintf("internal error: %v\n%s", r, debug.Stack())), nil
			}
		}()
		var args In
		if raw := bytes.TrimSpace(req.Params.Arguments); len(raw) > 0 && string(raw) != "null" {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&args); err != nil {
				return toolError("invalid-argument: arguments: " + strings.TrimPrefix(err.Error(), "json: ")), nil
			}
		}
		answer, err := f(ctx, &args)
		if err != nil {
			e := query.AsError(err)
			msg := string(e.Code) + ": " + e.Error()
			for _, d := range e.Details {
				if d.Field != "" {
					msg += "\n- " + d.Field + ": " + d.Message
				} else {
					msg += "\n- " + d.Message
				}
			}
			return toolError(msg), nil
		}
		// The answer itself is the structured content: the SDK encodes
		// the result once, with encoding/json as json.Marshal would
		// (CallToolResult.MarshalJSON), where encoding it here first
		// made the SDK copy and re-validate the bytes as a
		// json.RawMessage.
		var sc any = answer
		if w, ok := any(answer).(wrapper); ok {
			sc = w.unwrap()
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: answer.String()}}, StructuredContent: sc}, nil
	}
	s.AddTool(tool, func(ctx context.Context, req *mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
		warm.run(func() { res, err = call(ctx, req) })
		return res, err
	})
}

// wrapper is an answer type that only adds a String method to the
// query's answer: the structured content is the query's answer.
type wrapper interface{ unwrap() any }

// schemaFor is the schema of T's JSON, a pointer's that of what it points
// to (an answer is never null).
func schemaFor[T any](tool string) *jsonschema.Schema {
	t := reflect.TypeFor[T]()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	sc, err := jsonschema.ForType(t, &jsonschema.ForOptions{})
	if err != nil {
		panic(fmt.Sprintf("mcpserver: %s: schema of %v: %v", tool, t, err))
	}
	if sc.Type != "object" {
		panic(fmt.Sprintf("mcpserver: %s: the schema of %v is not an object's", tool, t))
	}
	return sc
}

func toolError(msg string) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: msg}}}
}

func (t *tools) check(ctx context.Context, in *query.CheckRequest) (*query.CheckResult, error) {
	return t.svc.Check(ctx, in)
}

func (t *tools) infer(ctx context.Context, in *query.InferRequest) (*query.InferResult, error) {
	return t.svc.Infer(ctx, in)
}

func (t *tools) verify(ctx context.Context, in *query.VerifyRequest) (*query.VerifyResult, error) {
	return t.svc.Verify(ctx, in)
}

func (t *tools) compose(ctx context.Context, in *query.ComposeRequest) (*query.ComposeResult, error) {
	return t.svc.Compose(ctx, in)
}

func (t *tools) stackAt(ctx context.Context, in *query.StackAtRequest) (*query.StackAtResult, error) {
	return t.svc.StackAt(ctx, in)
}

func (t *tools) word(ctx context.Context, in *query.WordRequest) (*query.WordResult, error) {
	return t.svc.Word(ctx, in)
}

// genResult makes the generation's answer a Stringer.
type genResult struct{ *query.GenerateResult }

func (g genResult) String() string { return query.GenerateText(g.GenerateResult) }

func (g genResult) unwrap() any { return g.GenerateResult }

func (t *tools) generate(ctx context.Context, in *query.GenerateRequest) (genResult, error) {
	r, err := t.svc.Generate(ctx, in)
	return genResult{r}, err
}

func (t *tools) patterns(ctx context.Context, in *query.PatternsRequest) (*query.PatternsResult, error) {
	return t.svc.Patterns(ctx, in)
}

func (t *tools) test(ctx context.Context, in *query.TestRequest) (*query.TestResult, error) {
	return t.svc.Test(ctx, in)
}
