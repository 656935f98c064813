package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
	"github.com/fastforth/fastforth/forth/machine"
)

// Code lenses (textDocument/codeLens), over the name of each top-level
// definition of a document:
//
//   - its verdict, for a colon definition: "verified ( a b -- c )", what
//     differs ("declared ( a b -- c ), the body does ( a b -- a x1 )"),
//     "inferred ( x -- x2 )" without a stack comment, or why the effect is
//     unknown;
//   - its number of uses, workspace-wide (as references counts them);
//   - "Run tests" when T{ ... }T tests of the document use it: the command
//     fastforth.runTests runs them in the in-process Forth machine
//     (forth/machine) and reports each failing test as a diagnostic
//     (code test-failed) on its line, until the document changes.
//
// The lenses that only inform carry a command with no name, which editors
// show as text.

const commandRunTests = "fastforth.runTests"

func init() {
	register(protocol.MethodTextDocumentCodeLens, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.CodeLensParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			if p.TextDocument.URI == "" {
				return nil, errInvalidParams("textDocument.uri is required")
			}
			return func(w *worker) (compute, error) { return w.codeLenses(p.TextDocument.URI) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.CodeLensProvider = &protocol.CodeLensOptions{}
		},
	})
	addCommand(commandRunTests, func(s *server, arg json.RawMessage) (func(*worker) (compute, error), error) {
		var p runTestsParams
		if json.Unmarshal(arg, &p) != nil || p.TextDocument == nil || p.TextDocument.URI == "" {
			return nil, errInvalidParams("%s: the argument must be an object with textDocument and, optionally, name", commandRunTests)
		}
		return func(w *worker) (compute, error) { return w.runTests(&p) }, nil
	})
}

// runTestsParams is fastforth.runTests' argument: the document, and the
// word whose tests to run ("" for every test of the document).
type runTestsParams struct {
	TextDocument *struct {
		URI uri.URI `json:"uri"`
	} `json:"textDocument"`
	Name string `json:"name,omitempty"`
}

// testLine is one T{ ... }T test of a document: its line's bytes and the
// words on it (lower case).
type testLine struct {
	start, end int
	words      map[string]bool
}

// testLines lists the lines of src that hold a T{ test: the first word of
// the line is T{.
func testLines(src []byte) []testLine {
	var out []testLine
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		line := src[off:end]
		fields := strings.Fields(string(line))
		if len(fields) > 0 && strings.EqualFold(fields[0], "t{") {
			tl := testLine{start: off, end: end, words: map[string]bool{}}
			for _, f := range fields[1:] {
				tl.words[builtins.LowerASCII(f)] = true
			}
			// The line's end without a CR.
			for tl.end > tl.start && (src[tl.end-1] == '\r' || src[tl.end-1] == ' ' || src[tl.end-1] == '\t') {
				tl.end--
			}
			out = append(out, tl)
		}
		off = end + 1
	}
	return out
}

func (w *worker) codeLenses(u uri.URI) (compute, error) {
	snap, ok := w.snapshot(u)
	if !ok {
		return func(context.Context) (any, error) { return []protocol.CodeLens{}, nil }, nil
	}
	r := snap.result
	f := r.File
	occs := occurrences(r)
	tests := testLines(snap.file.Src)
	type lensDef struct {
		d       *syntax.Def
		name    protocol.Range
		verdict string
		local   int // uses in this document
		wide    func([]protocol.Location) []protocol.Location
		tests   int
	}
	var defs []lensDef
	for _, d := range f.Defs {
		if d.Outer != nil || d.Name == "" || !isLocalDef(r, d) {
			continue
		}
		ns, ne := f.Abs(d.Epoch, d.NameStart), f.Abs(d.Epoch, d.NameEnd)
		if ns < 0 || ne > len(snap.file.Src) || ns >= ne {
			continue
		}
		ld := lensDef{d: d, name: toRange(snap.file, ns, ne, snap.enc)}
		if d.Kind == syntax.Colon {
			ld.verdict = lensVerdict(d, resultOf(r, d))
		}
		// The uses: as references counts them (the declaration left out).
		if t := occAt(occs, ns); t != nil && t.kind == occDef {
			ld.local = len(sameAs(occs, t, false))
			ld.wide = w.workspaceRefs(snap, t)
		}
		for _, tl := range tests {
			if tl.words[d.Name] {
				ld.tests++
			}
		}
		defs = append(defs, ld)
	}
	return func(ctx context.Context) (any, error) {
		out := []protocol.CodeLens{}
		for _, ld := range defs {
			if ld.verdict != "" {
				out = append(out, protocol.CodeLens{Range: ld.name, Command: protocol.Command{Title: ld.verdict}})
			}
			n := ld.local
			if ld.wide != nil {
				n += len(ld.wide(nil))
			}
			out = append(out, protocol.CodeLens{Range: ld.name, Command: protocol.Command{Title: plural(n, "use")}})
			if ld.tests > 0 {
				arg, _ := json.Marshal(map[string]any{"textDocument": map[string]any{"uri": snap.uri}, "name": ld.d.Name})
				out = append(out, protocol.CodeLens{Range: ld.name, Command: protocol.Command{
					Title: "Run tests (" + fmt.Sprint(ld.tests) + ")", Command: commandRunTests, Arguments: []protocol.LSPAny{arg}}})
			}
		}
		return out, nil
	}, nil
}

// lensVerdict is a colon definition's verdict in a few words.
func lensVerdict(d *syntax.Def, res *infer.Result) string {
	if res == nil {
		return ""
	}
	declared, inferred := "", ""
	if res.Declared != nil {
		declared = res.Declared.String()
	}
	if res.Inferred != nil {
		inferred = res.Inferred.String()
	}
	switch res.Status {
	case infer.Verified:
		return "verified " + declared
	case infer.Mismatch:
		return "declared " + declared + ", the body does " + inferred
	case infer.Undeclared:
		if inferred == "" {
			return "no stack comment; no path returns"
		}
		return "inferred " + inferred + " (no stack comment)"
	}
	if d.Comment != nil && d.Comment.Err != nil {
		return "the stack comment cannot be read"
	}
	return "effect unknown: " + res.Reason
}

// testRun is the outcome of a fastforth.runTests on one version of a
// document: diagnostics for its failing tests.
type testRun struct {
	version int32
	diags   []protocol.Diagnostic
}

// testRuns holds each server's last test run per document. Runs are
// stored on the worker; diagnostics are read on it and off it.
var testRuns = struct {
	sync.Mutex
	m map[*worker]map[uri.URI]testRun
}{m: map[*worker]map[uri.URI]testRun{}}

// withTestResults adds the failing tests of the last run on the
// snapshot's version of its document to its diagnostics.
func (w *worker) withTestResults(snap *snapshot, ds []protocol.Diagnostic) []protocol.Diagnostic {
	testRuns.Lock()
	run, ok := testRuns.m[w][snap.uri]
	testRuns.Unlock()
	if !ok || run.version != snap.version || len(run.diags) == 0 {
		return ds
	}
	return append(append([]protocol.Diagnostic(nil), ds...), run.diags...)
}

// testOutcome is one test in fastforth.runTests' answer.
type testOutcome struct {
	Line    int    `json:"line"` // 0-based
	Text    string `json:"text"`
	Pass    bool   `json:"pass"`
	Message string `json:"message,omitempty"`
}

// runTestsResult answers fastforth.runTests.
type runTestsResult struct {
	Runner string        `json:"runner"`
	Passed int           `json:"passed"`
	Failed int           `json:"failed"`
	Tests  []testOutcome `json:"tests"`
	Error  string        `json:"error,omitempty"`
}

// runTests runs the document's tests (those that use p.Name) in a fresh
// Forth machine: the document is loaded as it is, with the other tests'
// lines blanked, so that its definitions and the code between the tests
// run as they would. Included files are read from disk. The run is
// bounded by the machine's limits (ten million steps), so it is done
// here, on the worker, which then publishes the document's diagnostics
// with the failures.
func (w *worker) runTests(p *runTestsParams) (compute, error) {
	u := p.TextDocument.URI
	snap, ok := w.snapshot(u)
	if !ok {
		return nil, errInvalidParams("%s is not open", u)
	}
	src := snap.file.Src
	name := builtins.LowerASCII(p.Name)
	code := append([]byte(nil), src...)
	var chosen []testLine
	for _, tl := range testLines(src) {
		if name == "" || tl.words[name] {
			chosen = append(chosen, tl)
			continue
		}
		for i := tl.start; i < tl.end; i++ {
			code[i] = ' '
		}
	}
	path := "untitled.fs"
	if u.IsFile() {
		path = docName(u)
	}
	res := runTestsResult{Runner: "machine", Tests: []testOutcome{}}
	var diags []protocol.Diagnostic
	if len(chosen) > 0 {
		m := machine.New(machine.Config{Include: machine.OSFiles})
		rep := m.RunTests(path, string(code))
		lineRange := func(line int) protocol.Range {
			s := snap.file.LineStart(line)
			e := s
			for e < len(src) && src[e] != '\n' && src[e] != '\r' {
				e++
			}
			for s < e && isBlank(src[s]) {
				s++
			}
			return toRange(snap.file, s, e, snap.enc)
		}
		for _, t := range rep.Tests {
			if t.File != "" && t.File != path {
				continue
			}
			o := testOutcome{Line: t.Line - 1, Text: strings.TrimSpace(t.Text), Pass: t.Pass, Message: t.Message}
			res.Tests = append(res.Tests, o)
			if t.Pass {
				res.Passed++
				continue
			}
			res.Failed++
			msg := "test failed"
			if t.Message != "" {
				msg += ": " + t.Message
			}
			diags = append(diags, protocol.Diagnostic{Range: lineRange(t.Line - 1), Severity: protocol.DiagnosticSeverityError,
				Code: protocol.String("test-failed"), Source: protocol.NewOptional(diagnosticSource), Message: protocol.String(msg)})
		}
		if rep.Err != nil {
			res.Error = rep.Err.Error()
			line := 0
			if rep.Err.Line > 0 && (rep.Err.File == "" || rep.Err.File == path) {
				line = rep.Err.Line - 1
			}
			diags = append(diags, protocol.Diagnostic{Range: lineRange(line), Severity: protocol.DiagnosticSeverityError,
				Code: protocol.String("test-failed"), Source: protocol.NewOptional(diagnosticSource),
				Message: protocol.String("the tests stopped: " + rep.Err.Error())})
		}
	}
	testRuns.Lock()
	if testRuns.m[w] == nil {
		testRuns.m[w] = map[uri.URI]testRun{}
	}
	testRuns.m[w][u] = testRun{version: snap.version, diags: diags}
	testRuns.Unlock()
	// Publish the document's diagnostics again, with the failures; a
	// client that pulls them (VS Code, Neovim 0.11 and later) is asked to
	// pull again, or it would show them only after the next edit, which
	// drops them.
	if d := w.docs[u]; d != nil {
		d.hasPublished = false
		w.dirty[d] = true
	}
	if !w.s.push.Load() && w.cfg.diagRefresh.Load() {
		w.s.refresh(protocol.MethodWorkspaceDiagnosticRefresh)
	}
	return func(context.Context) (any, error) { return res, nil }, nil
}
