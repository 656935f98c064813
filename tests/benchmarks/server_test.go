package benchmarks

import (
	"context"
	"encoding/json"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/lsptest"
	"github.com/fastforth/fastforth/lsp"
)

// server is a language server run in process over pipes, as an editor
// runs it.
type server struct {
	*lsptest.Client
	tb      testing.TB
	version int
}

const docURI = "file:///hostile/input.fs"

// startServer starts a server, initializes it (UTF-16 positions, pushed
// diagnostics) and stops it when the test ends.
func startServer(tb testing.TB) *server {
	tb.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		done <- lsp.Serve(ctx, inR, outW, lsp.Options{Version: "bench"})
		outW.Close()
	}()
	c := lsptest.New(tb, outR, inW)
	c.Timeout = 10 * time.Minute
	s := &server{Client: c, tb: tb}
	tb.Cleanup(func() {
		cancel()
		inW.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			tb.Error("the server did not stop")
		}
	})
	var res json.RawMessage
	s.Request("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}, &res)
	s.Notify("initialized", map[string]any{})
	return s
}

// open opens the input and waits for its diagnostics; it returns their
// size in bytes (the params of publishDiagnostics).
func (s *server) open(in Input) int {
	s.tb.Helper()
	s.version = 1
	s.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": docURI, "languageId": "forth", "version": 1, "text": in.Text}})
	m := s.Wait("the diagnostics of the opened input", lsptest.IsPublish(docURI, 1))
	return len(m.Params)
}

// keystroke types a blank at the input's edit position and waits for the
// diagnostics of the new version; it returns their size in bytes.
func (s *server) keystroke(in Input) int {
	s.tb.Helper()
	s.version++
	p := map[string]any{"line": in.EditLine, "character": in.EditCol}
	s.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": docURI, "version": s.version},
		"contentChanges": []any{map[string]any{"range": map[string]any{"start": p, "end": p}, "text": " "}}})
	m := s.Wait("the diagnostics of the edit", lsptest.IsPublish(docURI, s.version))
	return len(m.Params)
}

// request is one request the benchmarks and the measurements send.
type request struct {
	name   string
	method string
	params func(in Input) any
}

func docID() map[string]any { return map[string]any{"uri": docURI} }

func at(in Input) map[string]any {
	return map[string]any{"line": in.HoverLine, "character": in.HoverCol}
}

func whole() map[string]any {
	return map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 1 << 30, "character": 0}}
}

// requests are the requests timed on every input: those over the whole
// document and those at a position.
var requests = []request{
	{"semanticTokens", "textDocument/semanticTokens/full", func(in Input) any { return map[string]any{"textDocument": docID()} }},
	{"semanticTokensRange", "textDocument/semanticTokens/range", func(in Input) any {
		return map[string]any{"textDocument": docID(), "range": whole()}
	}},
	{"foldingRange", "textDocument/foldingRange", func(in Input) any { return map[string]any{"textDocument": docID()} }},
	{"documentSymbol", "textDocument/documentSymbol", func(in Input) any { return map[string]any{"textDocument": docID()} }},
	{"inlayHint", "textDocument/inlayHint", func(in Input) any {
		return map[string]any{"textDocument": docID(), "range": whole()}
	}},
	{"hover", "textDocument/hover", func(in Input) any { return map[string]any{"textDocument": docID(), "position": at(in)} }},
	{"references", "textDocument/references", func(in Input) any {
		return map[string]any{"textDocument": docID(), "position": at(in), "context": map[string]any{"includeDeclaration": true}}
	}},
	{"documentHighlight", "textDocument/documentHighlight", func(in Input) any {
		return map[string]any{"textDocument": docID(), "position": at(in)}
	}},
	{"definition", "textDocument/definition", func(in Input) any {
		return map[string]any{"textDocument": docID(), "position": at(in)}
	}},
	{"completion", "textDocument/completion", func(in Input) any {
		return map[string]any{"textDocument": docID(), "position": at(in)}
	}},
	{"codeAction", "textDocument/codeAction", func(in Input) any {
		p := at(in)
		return map[string]any{"textDocument": docID(), "range": map[string]any{"start": p, "end": p}, "context": map[string]any{"diagnostics": []any{}}}
	}},
	{"diagnostic", "textDocument/diagnostic", func(in Input) any { return map[string]any{"textDocument": docID()} }},
	{"formatting", "textDocument/formatting", func(in Input) any {
		return map[string]any{"textDocument": docID(), "options": map[string]any{"tabSize": 2, "insertSpaces": true}}
	}},
	{"signatureHelp", "textDocument/signatureHelp", func(in Input) any {
		return map[string]any{"textDocument": docID(), "position": at(in)}
	}},
	{"documentLink", "textDocument/documentLink", func(in Input) any { return map[string]any{"textDocument": docID()} }},
	{"prepareRename", "textDocument/prepareRename", func(in Input) any {
		return map[string]any{"textDocument": docID(), "position": at(in)}
	}},
	{"workspaceSymbol", "workspace/symbol", func(in Input) any { return map[string]any{"query": "w"} }},
}

// ask sends a request and waits for its answer; it returns the answer's
// size in bytes, or its error.
func (s *server) ask(r request, in Input) (int, *lsptest.Error) {
	s.tb.Helper()
	m := s.Response(s.Call(r.method, r.params(in)))
	return len(m.Result), m.Error
}

// peakHeap samples the live heap while it runs, for measurements.
type peakHeap struct {
	stop chan struct{}
	wg   sync.WaitGroup
	peak atomic.Uint64
	// limit, when not 0, ends the process when the heap grows past it
	// (a measurement of a runaway must not take the machine down).
	limit uint64
	what  atomic.Value // string: what is being measured
}

func startPeak(limit uint64, over func(what string, heap uint64)) *peakHeap {
	p := &peakHeap{stop: make(chan struct{}), limit: limit}
	p.what.Store("")
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	p.wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			h := sample[0].Value.Uint64()
			for {
				old := p.peak.Load()
				if h <= old || p.peak.CompareAndSwap(old, h) {
					break
				}
			}
			if p.limit > 0 && h > p.limit {
				over(p.what.Load().(string), h)
			}
		}
	})
	return p
}

// reset starts a new phase: the peak is the heap now.
func (p *peakHeap) reset(what string) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	p.peak.Store(sample[0].Value.Uint64())
	p.what.Store(what)
}

func (p *peakHeap) close() {
	close(p.stop)
	p.wg.Wait()
}
