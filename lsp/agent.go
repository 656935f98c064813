package lsp

import (
	"context"
	"encoding/json"
	"sort"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/diag"
)

// Requests for agents that speak LSP: the analysis of an open document or
// of a snippet of Forth, in the shape of `fastforth infer --json`.
const (
	methodInfer  = "fastforth/infer"
	methodVerify = "fastforth/verify"
	// Their workspace/executeCommand equivalents take the same params as
	// their one argument.
	commandInfer  = "fastforth.infer"
	commandVerify = "fastforth.verify"
)

// agentParams name what to analyse: an open document, or text.
type agentParams struct {
	TextDocument *struct {
		URI uri.URI `json:"uri"`
	} `json:"textDocument,omitempty"`
	Text *string `json:"text,omitempty"`
	// Name restricts the answer to one definition.
	Name string `json:"name,omitempty"`
}

// verifyResult answers fastforth/verify.
type verifyResult struct {
	// Verified is true when every definition reported agrees with its
	// stack comment (or has none) and there is no error.
	Verified    bool                  `json:"verified"`
	Definitions []analysis.DefReport  `json:"definitions"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
}

func init() {
	for _, m := range []string{methodInfer, methodVerify} {
		register(m, feature{request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p agentParams
			if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &p) != nil {
				return nil, errInvalidParams("params must be an object with textDocument or text")
			}
			return agentRequest(m, &p)
		}})
	}
	for _, c := range [][2]string{{commandInfer, methodInfer}, {commandVerify, methodVerify}} {
		name, m := c[0], c[1]
		addCommand(name, func(s *server, arg json.RawMessage) (func(*worker) (compute, error), error) {
			var ap agentParams
			if json.Unmarshal(arg, &ap) != nil {
				return nil, errInvalidParams("%s: the argument must be an object with textDocument or text", name)
			}
			return agentRequest(m, &ap)
		})
	}
	register(protocol.MethodWorkspaceExecuteCommand, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.ExecuteCommandParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			h := commands[p.Command]
			if h == nil {
				return nil, errInvalidParams("unknown command %q", p.Command)
			}
			if len(p.Arguments) != 1 {
				return nil, errInvalidParams("%s takes one argument (an object)", p.Command)
			}
			b, _ := json.Marshal(p.Arguments[0])
			return h(s, b)
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			names := make([]string, 0, len(commands))
			for n := range commands {
				names = append(names, n)
			}
			sort.Strings(names)
			caps.ExecuteCommandProvider = protocol.ExecuteCommandOptions{Commands: names}
		},
	})
}

// commandHandler answers one workspace/executeCommand command from its one
// argument (as JSON), the way a feature answers a request.
type commandHandler func(s *server, arg json.RawMessage) (func(*worker) (compute, error), error)

// commands are the executeCommand commands by name; the files that
// implement them add them in init with addCommand.
var commands = map[string]commandHandler{}

// addCommand registers a workspace/executeCommand command.
func addCommand(name string, h commandHandler) {
	if _, dup := commands[name]; dup {
		panic("lsp: command " + name + " registered twice")
	}
	commands[name] = h
}

func agentRequest(method string, p *agentParams) (func(*worker) (compute, error), error) {
	if (p.TextDocument == nil) == (p.Text == nil) {
		return nil, errInvalidParams("give exactly one of textDocument and text")
	}
	return func(w *worker) (compute, error) {
		var r *analysis.Result
		var name string
		var enc encoding
		if p.TextDocument != nil {
			snap, ok := w.snapshot(p.TextDocument.URI)
			if !ok {
				return nil, errInvalidParams("%s is not open", p.TextDocument.URI)
			}
			r, name, enc = snap.result, string(p.TextDocument.URI), snap.enc
		} else {
			// A snippet is analysed on its own, apart from the documents.
			r, name, enc = analysis.New(w.s.opts.Analysis).Analyze("snippet.fs", []byte(*p.Text)), "snippet.fs", w.s.encoding()
		}
		return func(ctx context.Context) (any, error) {
			defs := r.Reports(name)
			if p.Name != "" {
				kept := defs[:0]
				for _, d := range defs {
					if d.Name == p.Name {
						kept = append(kept, d)
					}
				}
				defs = kept
				if len(defs) == 0 {
					return nil, errInvalidParams("no definition named %q", p.Name)
				}
			}
			if method == methodInfer {
				return defs, nil
			}
			res := verifyResult{Verified: true, Definitions: defs, Diagnostics: toDiagnostics(r.File.Source, r.Diags, enc)}
			for _, d := range defs {
				if d.Status != "verified" && d.Status != "undeclared" {
					res.Verified = false
				}
			}
			for _, d := range r.Diags {
				if d.Severity == diag.Error {
					res.Verified = false
				}
			}
			if res.Diagnostics == nil {
				res.Diagnostics = []protocol.Diagnostic{}
			}
			return res, nil
		}, nil
	}, nil
}
