package main

// `fastforth lsp --demo FILE`: the language server seen from an editor.
// It starts the real server as a child process, talks LSP to it over the
// pipes with go.lsp.dev/jsonrpc2 as the client side, and prints what an
// editor would show for FILE, step by step, with each round trip's time.
// The client decodes every answer into its own small types, not the
// server's, so that the transcript shows the wire contract.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/uri"
)

// demoConfig is what `lsp --demo` was given: the file and the analysis
// flags passed on to the server.
type demoConfig struct {
	file     string
	includes []string
	preload  []string
	dialect  string
	noFloats bool
	logFile  string
}

// demoTimeout bounds the whole session: a server that stops answering
// fails the demo rather than hanging it.
const demoTimeout = 60 * time.Second

// runDemo runs the session and returns the exit status: 0 when it ran
// (whatever the diagnostics), 1 when the server or a step failed, 2 when
// FILE cannot be read.
func runDemo(cfg demoConfig, stdout, stderr io.Writer) int {
	text, err := os.ReadFile(cfg.file)
	if err != nil {
		fmt.Fprintf(stderr, "fastforth lsp --demo: %v\n", err)
		return 2
	}
	abs, err := filepath.Abs(cfg.file)
	if err != nil {
		fmt.Fprintf(stderr, "fastforth lsp --demo: %v\n", err)
		return 2
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "fastforth lsp --demo: cannot find the fastforth executable: %v\n", err)
		return 1
	}
	args := []string{"lsp"}
	for _, d := range cfg.includes {
		args = append(args, "-I", d)
	}
	for _, p := range cfg.preload {
		args = append(args, "--preload", p)
	}
	if cfg.dialect != "" {
		args = append(args, "--dialect", cfg.dialect)
	}
	if cfg.noFloats {
		args = append(args, "--no-floats")
	}
	if cfg.logFile != "" {
		args = append(args, "--log", cfg.logFile)
	}
	ctx, cancel := context.WithTimeout(context.Background(), demoTimeout)
	defer cancel()
	d := &demoSession{out: stdout, file: cfg.file, abs: abs, uri: uri.File(abs), text: string(text), changed: make(chan struct{})}
	err = d.run(ctx, exe, args)
	if err != nil {
		fmt.Fprintf(stderr, "fastforth lsp --demo: %v\n", err)
		if log := strings.TrimSpace(d.serverLog.String()); log != "" {
			fmt.Fprintf(stderr, "server log (last lines):\n%s\n", lastLines(log, 20))
		}
		return 1
	}
	return 0
}

// demoSession is one editor session.
type demoSession struct {
	out       io.Writer
	file, abs string
	uri       uri.URI
	text      string // the document as the editor has it
	version   int32
	conn      jsonrpc2.Conn
	serverLog syncBuffer

	mu       sync.Mutex
	pubs     map[uri.URI][]published // every publishDiagnostics, in order
	changed  chan struct{}           // closed, and replaced, on each publish
	requests map[string]int          // server-to-client requests by method
	notes    map[string]int          // other server notifications by method
}

type published struct {
	version *int32
	diags   []lspDiagnostic
}

// The client's own view of the LSP types it reads.
type (
	lspPosition struct {
		Line      int `json:"line"`
		Character int `json:"character"`
	}
	lspRange struct {
		Start lspPosition `json:"start"`
		End   lspPosition `json:"end"`
	}
	lspDiagnostic struct {
		Range    lspRange        `json:"range"`
		Severity int             `json:"severity,omitempty"`
		Code     json.RawMessage `json:"code,omitempty"`
		Source   string          `json:"source,omitempty"`
		Message  string          `json:"message"`
		Data     json.RawMessage `json:"data,omitempty"`
		Related  json.RawMessage `json:"relatedInformation,omitempty"`
		Tags     json.RawMessage `json:"tags,omitempty"`
	}
	lspTextEdit struct {
		Range   lspRange `json:"range"`
		NewText string   `json:"newText"`
	}
	lspSymbol struct {
		Name           string      `json:"name"`
		Detail         string      `json:"detail"`
		Kind           int         `json:"kind"`
		Range          lspRange    `json:"range"`
		SelectionRange lspRange    `json:"selectionRange"`
		Children       []lspSymbol `json:"children"`
	}
	lspWorkspaceEdit struct {
		Changes         map[string][]lspTextEdit `json:"changes"`
		DocumentChanges []struct {
			TextDocument struct {
				URI string `json:"uri"`
			} `json:"textDocument"`
			Edits []lspTextEdit `json:"edits"`
		} `json:"documentChanges"`
	}
	lspCodeAction struct {
		Title       string            `json:"title"`
		Kind        string            `json:"kind"`
		IsPreferred bool              `json:"isPreferred"`
		Edit        *lspWorkspaceEdit `json:"edit"`
	}
)

const symbolKindFunction = 12 // LSP SymbolKind.Function

func (d *demoSession) printf(format string, args ...any) { fmt.Fprintf(d.out, format, args...) }

// step prints a step's heading with the round-trip time.
func (d *demoSession) step(title string, took time.Duration) {
	d.printf("\n%s (%s)\n", title, fmtDuration(took))
}

func (d *demoSession) run(ctx context.Context, exe string, args []string) error {
	cmd := exec.Command(exe, args...)
	cmd.Stderr = &d.serverLog
	cmd.Dir = filepath.Dir(d.abs)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the server: %w", err)
	}
	exited := make(chan struct{})
	var waitErr error
	stopped := false
	defer func() {
		if !stopped {
			_ = cmd.Process.Kill()
			_ = stdin.Close()
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
			}
		}
	}()
	d.pubs = map[uri.URI][]published{}
	d.requests = map[string]int{}
	d.notes = map[string]int{}
	d.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(pipeRWC{stdout, stdin}))
	d.conn.Go(ctx, d.handle)
	go func() {
		// Wait closes stdout: only once the reader has seen its end, or
		// when the process is killed.
		<-d.conn.Done()
		waitErr = cmd.Wait()
		close(exited)
	}()

	d.printf("fastforth lsp --demo %s\n", d.file)
	d.printf("server: %s\n", strings.Join(append([]string{filepath.Base(exe)}, args...), " "))
	if err := d.session(ctx, start); err != nil {
		return err
	}

	// shutdown, exit, and the server's own exit status.
	t0 := time.Now()
	if _, err := d.call(ctx, "shutdown", nil, nil); err != nil {
		return err
	}
	if err := d.conn.Notify(ctx, "exit", nil); err != nil {
		return fmt.Errorf("exit: %w", err)
	}
	select {
	case <-exited:
	case <-ctx.Done():
		return errors.New("the server did not exit after shutdown and exit")
	}
	stopped = true
	took := time.Since(t0)
	_ = d.conn.Close()
	code := 0
	var ee *exec.ExitError
	if errors.As(waitErr, &ee) {
		code = ee.ExitCode()
	} else if waitErr != nil {
		return fmt.Errorf("waiting for the server: %w", waitErr)
	}
	d.step("shutdown, exit", took)
	d.printf("  server exit status %d\n", code)
	d.summary()
	if code != 0 {
		return fmt.Errorf("the server exited with status %d", code)
	}
	return nil
}

// session runs the steps between initialize and shutdown.
func (d *demoSession) session(ctx context.Context, start time.Time) error {
	if err := d.initialize(ctx, start); err != nil {
		return err
	}
	diags, err := d.open(ctx)
	if err != nil {
		return err
	}
	syms, err := d.definitions(ctx)
	if err != nil {
		return err
	}
	if err := d.inlayHints(ctx); err != nil {
		return err
	}
	if err := d.completionAndSignature(ctx, syms); err != nil {
		return err
	}
	if err := d.fix(ctx, diags); err != nil {
		return err
	}
	if err := d.format(ctx); err != nil {
		return err
	}
	return d.verify(ctx)
}

// clientCapabilities are those of a typical editor (UTF-16 positions,
// Markdown, hierarchical symbols, code action literals, dynamic
// registration, progress), except for pulled diagnostics: a client that
// pulls is sent no publishDiagnostics, and the transcript shows the ones
// pushed after each change.
var clientCapabilities = map[string]any{
	"general": map[string]any{"positionEncodings": []string{"utf-16"}},
	"workspace": map[string]any{
		"applyEdit":              true,
		"workspaceEdit":          map[string]any{"documentChanges": true},
		"didChangeConfiguration": map[string]any{"dynamicRegistration": true},
		"didChangeWatchedFiles":  map[string]any{"dynamicRegistration": true},
		"symbol":                 map[string]any{"dynamicRegistration": true},
		"executeCommand":         map[string]any{"dynamicRegistration": true},
		"configuration":          true,
		"workspaceFolders":       true,
		"inlayHint":              map[string]any{"refreshSupport": true},
	},
	"textDocument": map[string]any{
		"synchronization": map[string]any{"dynamicRegistration": true, "didSave": true, "willSave": false},
		"completion": map[string]any{
			"completionItem": map[string]any{
				"snippetSupport":          true,
				"documentationFormat":     []string{"markdown", "plaintext"},
				"labelDetailsSupport":     true,
				"insertReplaceSupport":    true,
				"resolveSupport":          map[string]any{"properties": []string{"documentation", "detail"}},
				"commitCharactersSupport": true,
			},
			"contextSupport": true,
		},
		"hover": map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
		"signatureHelp": map[string]any{
			"signatureInformation": map[string]any{"documentationFormat": []string{"markdown", "plaintext"}},
			"contextSupport":       true,
		},
		"definition":     map[string]any{"linkSupport": true},
		"references":     map[string]any{},
		"documentSymbol": map[string]any{"hierarchicalDocumentSymbolSupport": true},
		"codeAction": map[string]any{
			"codeActionLiteralSupport": map[string]any{"codeActionKind": map[string]any{"valueSet": []string{
				"", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source", "source.organizeImports"}}},
			"isPreferredSupport": true,
			"dataSupport":        true,
		},
		"formatting":         map[string]any{"dynamicRegistration": true},
		"rangeFormatting":    map[string]any{"dynamicRegistration": true},
		"rename":             map[string]any{"prepareSupport": true},
		"publishDiagnostics": map[string]any{"relatedInformation": true, "versionSupport": true, "codeDescriptionSupport": true, "dataSupport": true},
		"foldingRange":       map[string]any{"lineFoldingOnly": true},
		"inlayHint":          map[string]any{"dynamicRegistration": true},
	},
	"window": map[string]any{"workDoneProgress": true, "showMessage": map[string]any{}},
}

func (d *demoSession) initialize(ctx context.Context, start time.Time) error {
	dir := filepath.Dir(d.abs)
	params := map[string]any{
		"processId":        os.Getpid(),
		"clientInfo":       map[string]any{"name": "fastforth lsp --demo", "version": version},
		"locale":           "en",
		"rootUri":          uri.File(dir),
		"workspaceFolders": []any{map[string]any{"uri": uri.File(dir), "name": filepath.Base(dir)}},
		"capabilities":     clientCapabilities,
		"trace":            "off",
	}
	var res struct {
		ServerInfo struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"serverInfo"`
		Capabilities map[string]json.RawMessage `json:"capabilities"`
	}
	took, err := d.call(ctx, "initialize", params, &res)
	if err != nil {
		return err
	}
	d.step("initialize", took)
	d.printf("  server: %s %s (answered %s after start)\n", res.ServerInfo.Name, res.ServerInfo.Version, fmtDuration(time.Since(start)))
	var enc string
	_ = json.Unmarshal(res.Capabilities["positionEncoding"], &enc)
	if enc == "" {
		enc = "utf-16"
	}
	d.printf("  position encoding: %s\n", enc)
	var caps []string
	for k, v := range res.Capabilities {
		if k == "positionEncoding" || string(v) == "false" || string(v) == "null" {
			continue
		}
		caps = append(caps, strings.TrimSuffix(k, "Provider"))
	}
	sort.Strings(caps)
	d.printf("  capabilities (%d):\n", len(caps))
	for _, l := range wrapWords(caps, 72) {
		d.printf("    %s\n", l)
	}
	if err := d.conn.Notify(ctx, "initialized", map[string]any{}); err != nil {
		return fmt.Errorf("initialized: %w", err)
	}
	return nil
}

// open sends didOpen and shows the diagnostics published for it.
func (d *demoSession) open(ctx context.Context) ([]lspDiagnostic, error) {
	d.version = 1
	t0 := time.Now()
	err := d.notify(ctx, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": d.uri, "languageId": "forth", "version": d.version, "text": d.text}})
	if err != nil {
		return nil, err
	}
	diags, err := d.waitDiagnostics(ctx, d.version)
	if err != nil {
		return nil, err
	}
	d.step(fmt.Sprintf("didOpen version %d -> %d diagnostics", d.version, len(diags)), time.Since(t0))
	d.printDiagnostics(diags)
	return diags, nil
}

func (d *demoSession) printDiagnostics(diags []lspDiagnostic) {
	for _, g := range diags {
		d.printf("  %d:%d %s %s %s\n", g.Range.Start.Line+1, g.Range.Start.Character+1, severityName(g.Severity), codeString(g.Code), g.Message)
	}
}

// definitions takes the colon definitions from documentSymbol and hovers
// on each name.
func (d *demoSession) definitions(ctx context.Context) ([]lspSymbol, error) {
	var syms []lspSymbol
	took, err := d.call(ctx, "textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": d.uri}}, &syms)
	if err != nil {
		return nil, err
	}
	var defs []lspSymbol
	for _, s := range syms {
		if s.Kind == symbolKindFunction && s.SelectionRange.Start != s.SelectionRange.End {
			defs = append(defs, s)
		}
	}
	d.step(fmt.Sprintf("documentSymbol -> %d symbols, %d colon definitions", len(syms), len(defs)), took)
	for _, s := range defs {
		var h struct {
			Contents json.RawMessage `json:"contents"`
		}
		pos := s.SelectionRange.Start
		took, err := d.call(ctx, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": d.uri}, "position": pos}, &h)
		if err != nil {
			return nil, err
		}
		d.printf("  hover %s at %d:%d (%s)\n", s.Name, pos.Line+1, pos.Character+1, fmtDuration(took))
		text := hoverText(h.Contents)
		if text == "" {
			d.printf("    (nothing)\n")
		}
		for _, l := range firstLines(rendered(text), 4) {
			d.printf("    %s\n", l)
		}
	}
	return defs, nil
}

func (d *demoSession) inlayHints(ctx context.Context) error {
	lines := strings.Count(d.text, "\n") + 1
	var hints []struct {
		Position lspPosition     `json:"position"`
		Label    json.RawMessage `json:"label"`
	}
	took, err := d.call(ctx, "textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": d.uri},
		"range": lspRange{End: lspPosition{Line: lines}}}, &hints)
	if err != nil {
		return err
	}
	d.step("inlayHint -> "+plural(len(hints), "hint"), took)
	for _, h := range hints {
		d.printf("  %d:%d %s\n", h.Position.Line+1, h.Position.Character+1, strings.TrimSpace(labelText(h.Label)))
	}
	return nil
}

// completionAndSignature asks for completions after the first two letters
// of a word in a definition's body, as an editor does while one types,
// and for signature help just after that word and a blank.
func (d *demoSession) completionAndSignature(ctx context.Context, defs []lspSymbol) error {
	word, pos, ok := d.bodyWord(defs)
	if !ok {
		d.printf("\ncompletion, signatureHelp: no definition with a body word to try them on\n")
		return nil
	}
	at := lspPosition{Line: pos.Line, Character: pos.Character + utf16Len(word[:2])}
	var list struct {
		Items []struct {
			Label  string `json:"label"`
			Detail string `json:"detail"`
		} `json:"items"`
	}
	raw := json.RawMessage{}
	took, err := d.call(ctx, "textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": d.uri},
		"position": at, "context": map[string]any{"triggerKind": 1}}, &raw)
	if err != nil {
		return err
	}
	// The answer is a CompletionList or a bare array of items.
	if len(raw) > 0 && raw[0] == '[' {
		err = json.Unmarshal(raw, &list.Items)
	} else if string(raw) != "null" {
		err = json.Unmarshal(raw, &list)
	}
	if err != nil {
		return fmt.Errorf("textDocument/completion: %w", err)
	}
	d.step(fmt.Sprintf("completion at %d:%d after %q -> %d items", at.Line+1, at.Character+1, word[:2], len(list.Items)), took)
	for i, it := range list.Items {
		if i == 5 {
			break
		}
		d.printf("%s\n", strings.TrimRight(fmt.Sprintf("  %-16s %s", it.Label, it.Detail), " "))
	}

	// Just after the word, as when one has typed it: the word that follows
	// in the file is not touched.
	sig := lspPosition{Line: pos.Line, Character: pos.Character + utf16Len(word)}
	var help *struct {
		Signatures []struct {
			Label string `json:"label"`
		} `json:"signatures"`
	}
	took, err = d.call(ctx, "textDocument/signatureHelp", map[string]any{"textDocument": map[string]any{"uri": d.uri},
		"position": sig, "context": map[string]any{"triggerKind": 1, "isRetrigger": false}}, &help)
	if err != nil {
		return err
	}
	d.step(fmt.Sprintf("signatureHelp at %d:%d after %q", sig.Line+1, sig.Character+1, word), took)
	if help == nil || len(help.Signatures) == 0 {
		d.printf("  (none)\n")
		return nil
	}
	for _, s := range help.Signatures {
		d.printf("  %s\n", s.Label)
	}
	return nil
}

// bodyWord finds the first word of at least three characters in a colon
// definition's body (after its name and stack comment) and where it
// starts.
func (d *demoSession) bodyWord(defs []lspSymbol) (string, lspPosition, bool) {
	lines := strings.Split(d.text, "\n")
	for _, s := range defs {
		ln := s.SelectionRange.End.Line
		if ln >= len(lines) {
			continue
		}
		line := lines[ln]
		i := byteOffset(line, s.SelectionRange.End.Character)
		inComment := false
	words:
		for i < len(line) {
			for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
				i++
			}
			j := i
			for j < len(line) && line[j] != ' ' && line[j] != '\t' {
				j++
			}
			w := line[i:j]
			switch {
			case w == "":
			case inComment:
				inComment = !strings.HasSuffix(w, ")")
			case w == "(":
				inComment = true
			case w == "\\" || w == ";":
				break words // the rest of the line is a comment, or past the body
			case len(w) >= 3 && !strings.ContainsAny(w, "()\"") && w[0] > '9':
				return w, lspPosition{Line: ln, Character: utf16Len(line[:i])}, true
			}
			i = j
		}
	}
	return "", lspPosition{}, false
}

// fix shows the code actions for the first diagnostic and applies the
// first quick fix's edit with didChange.
func (d *demoSession) fix(ctx context.Context, diags []lspDiagnostic) error {
	if len(diags) == 0 {
		d.printf("\ncodeAction: no diagnostic to fix\n")
		return nil
	}
	first := diags[0]
	var actions []lspCodeAction
	took, err := d.call(ctx, "textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": d.uri},
		"range": first.Range, "context": map[string]any{"diagnostics": []lspDiagnostic{first}, "triggerKind": 1}}, &actions)
	if err != nil {
		return err
	}
	d.step(fmt.Sprintf("codeAction for %d:%d %s -> %d actions", first.Range.Start.Line+1, first.Range.Start.Character+1, codeString(first.Code), len(actions)), took)
	var quick *lspCodeAction
	for i, a := range actions {
		mark := ""
		if a.IsPreferred {
			mark = " (preferred)"
		}
		d.printf("  [%s] %s%s\n", a.Kind, a.Title, mark)
		if quick == nil && a.Edit != nil && (a.Kind == "quickfix" || strings.HasPrefix(a.Kind, "quickfix.")) {
			quick = &actions[i]
		}
	}
	if quick == nil {
		d.printf("  no quick fix with an edit to apply\n")
		return nil
	}
	edits := quick.Edit.Changes[string(d.uri)]
	for _, dc := range quick.Edit.DocumentChanges {
		if uri.URI(dc.TextDocument.URI) == d.uri {
			edits = append(edits, dc.Edits...)
		}
	}
	if len(edits) == 0 {
		d.printf("  the quick fix edits no part of %s\n", d.file)
		return nil
	}
	// Edits do not overlap and refer to the text before any of them: apply
	// them (and send them) from the last to the first.
	sort.SliceStable(edits, func(i, j int) bool { return before(edits[j].Range.Start, edits[i].Range.Start) })
	changes := make([]map[string]any, 0, len(edits))
	for _, e := range edits {
		text, err := applyEdit(d.text, e)
		if err != nil {
			return fmt.Errorf("applying %q: %w", quick.Title, err)
		}
		d.text = text
		changes = append(changes, map[string]any{"range": e.Range, "text": e.NewText})
	}
	d.version++
	t0 := time.Now()
	if err := d.notify(ctx, "textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": d.uri, "version": d.version}, "contentChanges": changes}); err != nil {
		return err
	}
	after, err := d.waitDiagnostics(ctx, d.version)
	if err != nil {
		return err
	}
	d.step(fmt.Sprintf("applied %q (%s), didChange version %d -> %d diagnostics", quick.Title, plural(len(edits), "edit"), d.version, len(after)), time.Since(t0))
	d.printDiagnostics(after)
	return nil
}

func (d *demoSession) format(ctx context.Context) error {
	var edits []lspTextEdit
	took, err := d.call(ctx, "textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": d.uri},
		"options": map[string]any{"tabSize": 2, "insertSpaces": true, "trimTrailingWhitespace": true, "insertFinalNewline": true}}, &edits)
	if err != nil {
		return err
	}
	d.step("formatting -> "+plural(len(edits), "edit"), took)
	return nil
}

func (d *demoSession) verify(ctx context.Context) error {
	var res struct {
		Verified    bool `json:"verified"`
		Definitions []struct {
			Status string `json:"status"`
		} `json:"definitions"`
		Diagnostics []json.RawMessage `json:"diagnostics"`
	}
	took, err := d.call(ctx, "fastforth/verify", map[string]any{"textDocument": map[string]any{"uri": d.uri}}, &res)
	if err != nil {
		return err
	}
	d.step("fastforth/verify", took)
	count := map[string]int{}
	for _, def := range res.Definitions {
		count[def.Status]++
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(count)) {
		parts = append(parts, fmt.Sprintf("%d %s", count[k], k))
	}
	d.printf("  verified: %v; %d definitions (%s); %d diagnostics\n", res.Verified, len(res.Definitions), strings.Join(parts, ", "), len(res.Diagnostics))
	return nil
}

// summary lists what the server asked of the editor and told it besides.
func (d *demoSession) summary() {
	d.mu.Lock()
	defer d.mu.Unlock()
	list := func(m map[string]int) string {
		if len(m) == 0 {
			return "none"
		}
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(m)) {
			parts = append(parts, fmt.Sprintf("%s x%d", k, m[k]))
		}
		return strings.Join(parts, ", ")
	}
	d.printf("\nserver requests answered: %s\n", list(d.requests))
	d.printf("server notifications: %s\n", list(d.notes))
}

// call sends a request and decodes its result with encoding/json; the
// params go as already-encoded JSON, so the client's types are read and
// written the same way throughout.
func (d *demoSession) call(ctx context.Context, method string, params, result any) (time.Duration, error) {
	var p any
	if params != nil {
		b, err := json.Marshal(params)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", method, err)
		}
		p = json.RawMessage(b)
	}
	var raw json.RawMessage
	t0 := time.Now()
	_, err := d.conn.Call(ctx, method, p, &raw)
	took := time.Since(t0)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, os.ErrClosed) {
			return took, fmt.Errorf("%s: the server closed the connection (%w)", method, err)
		}
		return took, fmt.Errorf("%s: %w", method, err)
	}
	if result != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, result); err != nil {
			return took, fmt.Errorf("%s: reading the answer: %w", method, err)
		}
	}
	return took, nil
}

func (d *demoSession) notify(ctx context.Context, method string, params any) error {
	b, err := json.Marshal(params)
	if err == nil {
		err = d.conn.Notify(ctx, method, json.RawMessage(b))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

// handle answers the server's requests as an editor does and records its
// notifications. It runs on the connection's read goroutine and never
// blocks.
func (d *demoSession) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	method := strings.Clone(req.Method())
	d.mu.Lock()
	defer d.mu.Unlock()
	if !req.IsCall() {
		d.notes[method]++
		if method == "textDocument/publishDiagnostics" {
			var p struct {
				URI         uri.URI         `json:"uri"`
				Version     *int32          `json:"version"`
				Diagnostics []lspDiagnostic `json:"diagnostics"`
			}
			if err := json.Unmarshal(req.Params(), &p); err != nil {
				return nil, nil // a notification's error would close the connection
			}
			d.pubs[p.URI] = append(d.pubs[p.URI], published{version: p.Version, diags: p.Diagnostics})
			close(d.changed)
			d.changed = make(chan struct{})
		}
		return nil, nil
	}
	d.requests[method]++
	switch method {
	case "workspace/configuration":
		// No editor settings: the server keeps its command-line flags.
		var p struct {
			Items []json.RawMessage `json:"items"`
		}
		_ = json.Unmarshal(req.Params(), &p)
		return make([]any, len(p.Items)), nil
	case "client/registerCapability", "client/unregisterCapability", "window/workDoneProgress/create",
		"window/showMessageRequest", "workspace/inlayHint/refresh", "workspace/diagnostic/refresh",
		"workspace/semanticTokens/refresh", "workspace/codeLens/refresh":
		return nil, nil
	case "workspace/workspaceFolders":
		dir := filepath.Dir(d.abs)
		return []any{map[string]any{"uri": uri.File(dir), "name": filepath.Base(dir)}}, nil
	case "workspace/applyEdit":
		return map[string]any{"applied": false, "failureReason": "the demo applies no server-initiated edits"}, nil
	}
	return nil, jsonrpc2.NewError(jsonrpc2.MethodNotFound, "the demo client does not handle "+method)
}

// waitDiagnostics waits for the diagnostics published for version of the
// document.
func (d *demoSession) waitDiagnostics(ctx context.Context, version int32) ([]lspDiagnostic, error) {
	for {
		d.mu.Lock()
		for _, p := range d.pubs[d.uri] {
			if p.version != nil && *p.version == version {
				d.mu.Unlock()
				return p.diags, nil
			}
		}
		changed := d.changed
		d.mu.Unlock()
		select {
		case <-changed:
		case <-d.conn.Done():
			return nil, fmt.Errorf("waiting for the diagnostics of version %d: the connection closed (%v)", version, d.conn.Err())
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the diagnostics of version %d: %w", version, ctx.Err())
		}
	}
}

// pipeRWC joins the child's stdout and stdin into the stream's
// connection.
type pipeRWC struct {
	io.ReadCloser
	w io.WriteCloser
}

func (p pipeRWC) Write(b []byte) (int, error) { return p.w.Write(b) }

func (p pipeRWC) Close() error {
	err := p.w.Close()
	if e := p.ReadCloser.Close(); err == nil && !errors.Is(e, os.ErrClosed) {
		err = e
	}
	return err
}

// syncBuffer collects the server's log, written by os/exec's copying
// goroutine while the demo may read it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func severityName(s int) string {
	switch s {
	case 1:
		return "error"
	case 2:
		return "warning"
	case 3:
		return "info"
	case 4:
		return "hint"
	}
	return "severity?"
}

// codeString renders a diagnostic code, a string or a number.
func codeString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// hoverText reads hover contents: MarkupContent, a MarkedString or a list
// of them.
func hoverText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var mc struct {
		Value string `json:"value"`
	}
	if len(raw) > 0 && raw[0] == '{' && json.Unmarshal(raw, &mc) == nil {
		return mc.Value
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		var parts []string
		for _, e := range list {
			parts = append(parts, hoverText(e))
		}
		return strings.Join(parts, "\n")
	}
	return ""
}

// labelText reads an inlay hint's label: a string or label parts.
func labelText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Value string `json:"value"`
	}
	_ = json.Unmarshal(raw, &parts)
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Value)
	}
	return b.String()
}

var (
	mdLink   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`) })
	mdEscape = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("\\\\([!-/:-@\\[-`{-~])") })
)

// rendered is Markdown as an editor shows it, as far as the transcript
// goes: links as their text, escaped punctuation as itself.
func rendered(md string) string {
	return mdEscape().ReplaceAllString(mdLink().ReplaceAllString(md, "$1"), "$1")
}

// firstLines returns the first n lines of text that carry text, the last
// one marked when lines were left out.
func firstLines(text string, n int) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		l = strings.TrimRight(l, " \t\r")
		// An editor draws a fence as a code block's edge, not as text.
		if l == "" || strings.HasPrefix(l, "```") {
			continue
		}
		if len(out) == n {
			out[n-1] += " …"
			break
		}
		out = append(out, l)
	}
	return out
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func wrapWords(words []string, width int) []string {
	var out []string
	var cur string
	for _, w := range words {
		switch {
		case cur == "":
			cur = w
		case len(cur)+2+len(w) > width:
			out = append(out, cur+",")
			cur = w
		default:
			cur += ", " + w
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// byteOffset converts a UTF-16 column of line to a byte offset.
func byteOffset(line string, col int) int {
	n := 0
	for i, r := range line {
		if n >= col {
			return i
		}
		n += utf16.RuneLen(r)
	}
	return len(line)
}

func before(a, b lspPosition) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
}

// applyEdit applies one text edit (UTF-16 positions) to text.
func applyEdit(text string, e lspTextEdit) (string, error) {
	start, ok1 := offsetOf(text, e.Range.Start)
	end, ok2 := offsetOf(text, e.Range.End)
	if !ok1 || !ok2 || end < start {
		return "", fmt.Errorf("edit range %d:%d-%d:%d is outside the document", e.Range.Start.Line+1, e.Range.Start.Character+1, e.Range.End.Line+1, e.Range.End.Character+1)
	}
	return text[:start] + e.NewText + text[end:], nil
}

// offsetOf converts a position to a byte offset of text.
func offsetOf(text string, p lspPosition) (int, bool) {
	off := 0
	for l := 0; l < p.Line; l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return 0, false
		}
		off += i + 1
	}
	line := text[off:]
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return off + byteOffset(line, p.Character), true
}
