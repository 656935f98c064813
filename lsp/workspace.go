package lsp

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fastforth/fastforth/analysis/builtins"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// The workspace: the folders the client opened, the index of their Forth
// files (index.go, built by progress.go) and what it adds to the features
// of one document: words defined in workspace files that the document does
// not include are still found by go to definition, references, hover and
// completion, and their undefined-word diagnostics point at the
// definition and come with a "require" quick fix.
//
// Files changing on disk (workspace/didChangeWatchedFiles, registered
// dynamically when the client can) update the index and make every open
// document that includes the file, directly or not, be analysed again:
// the analysis.Workspace re-reads an included file only for a document
// analysed from scratch, so those documents are forgotten first.

func init() {
	addCodeActions(requireActions, protocol.CodeActionKindQuickFix)
	register(protocol.MethodWorkspaceSymbol, feature{
		request: func(s *server, raw jsonrpc2.RawMessage) (func(*worker) (compute, error), error) {
			var p protocol.WorkspaceSymbolParams
			if err := decode(raw, &p); err != nil {
				return nil, err
			}
			return func(w *worker) (compute, error) { return w.workspaceSymbols(&p) }, nil
		},
		capabilities: func(s *server, caps *protocol.ServerCapabilities) {
			caps.WorkspaceSymbolProvider = protocol.Boolean(true)
			yes := true
			if caps.Workspace == nil {
				caps.Workspace = &protocol.WorkspaceOptions{}
			}
			caps.Workspace.WorkspaceFolders = &protocol.WorkspaceFoldersServerCapabilities{
				Supported: &yes, ChangeNotifications: protocol.Boolean(true)}
		},
	})
}

// Methods of the workspace notifications.
const (
	methodDidChangeWorkspaceFolders = "workspace/didChangeWorkspaceFolders"
	methodDidChangeWatchedFiles     = "workspace/didChangeWatchedFiles"
)

// workspace holds the folders and what the client supports of the
// workspace features. Its methods are safe for concurrent use.
type workspace struct {
	mu      sync.Mutex
	folders []string // clean absolute paths

	progress atomic.Bool // the client takes window/workDoneProgress/create
	watch    atomic.Bool // the client registers file watchers dynamically
}

// list returns the folders.
func (ws *workspace) list() []string {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return append([]string(nil), ws.folders...)
}

// inFolders reports whether path lies in a workspace folder.
func (ws *workspace) inFolders(path string) bool {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for _, f := range ws.folders {
		if within(path, f) {
			return true
		}
	}
	return false
}

// add adds folders, returning those that are new.
func (ws *workspace) add(dirs []string) []string {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	var added []string
	for _, d := range dirs {
		dup := false
		for _, f := range ws.folders {
			dup = dup || f == d
		}
		if !dup {
			ws.folders = append(ws.folders, d)
			added = append(added, d)
		}
	}
	return added
}

// remove removes folders, returning those that were there.
func (ws *workspace) remove(dirs []string) []string {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	var gone []string
	for _, d := range dirs {
		for i, f := range ws.folders {
			if f == d {
				ws.folders = append(ws.folders[:i], ws.folders[i+1:]...)
				gone = append(gone, d)
				break
			}
		}
	}
	return gone
}

// relName names a file for people: relative to the workspace folder that
// holds it, else its base name.
func (ws *workspace) relName(path string) string {
	best := ""
	for _, f := range ws.list() {
		if within(path, f) && len(f) > len(best) {
			best = f
		}
	}
	if best != "" {
		if rel, err := filepath.Rel(best, path); err == nil && rel != "." {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(path)
}

// folderPath turns a folder URI into a clean path; ok is false for a
// URI that is not a file.
func folderPath(u string) (string, bool) {
	if u == "" {
		return "", false
	}
	x, err := uri.Parse(u)
	if err != nil || !x.IsFile() || x.FsPath() == "" {
		return "", false
	}
	return cleanPath(x.FsPath()), true
}

// readWorkspace reads the workspace folders (workspaceFolders, else
// rootUri, else rootPath) and the client's workspace capabilities from
// initialize's params. It reads leniently: a field of an unexpected
// shape is ignored, never an error.
func (s *server) readWorkspace(raw jsonrpc2.RawMessage) {
	var p struct {
		RootURI          *string `json:"rootUri"`
		RootPath         *string `json:"rootPath"`
		WorkspaceFolders []struct {
			URI string `json:"uri"`
		} `json:"workspaceFolders"`
		Capabilities struct {
			Window struct {
				WorkDoneProgress bool `json:"workDoneProgress"`
			} `json:"window"`
			Workspace struct {
				DidChangeWatchedFiles struct {
					DynamicRegistration bool `json:"dynamicRegistration"`
				} `json:"didChangeWatchedFiles"`
			} `json:"workspace"`
		} `json:"capabilities"`
	}
	// Errors only mean that some field had another shape: what could be
	// read is used.
	_ = json.Unmarshal(raw, &p)
	ws := s.work.space
	ws.progress.Store(p.Capabilities.Window.WorkDoneProgress)
	ws.watch.Store(p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration)
	var dirs []string
	for _, f := range p.WorkspaceFolders {
		if d, ok := folderPath(f.URI); ok {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 && p.RootURI != nil {
		if d, ok := folderPath(*p.RootURI); ok {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 && p.RootPath != nil && *p.RootPath != "" {
		dirs = append(dirs, cleanPath(*p.RootPath))
	}
	ws.add(dirs)
	s.log.Info("workspace", zap.Strings("folders", dirs), zap.Bool("progress", ws.progress.Load()),
		zap.Bool("watchRegistration", ws.watch.Load()))
}

// workspaceInitialized runs at the initialized notification: it starts
// indexing the folders and registers the file watcher. Both talk to the
// client and wait for its answers, so they run off the reading goroutine
// (which must go on reading those answers).
func (s *server) workspaceInitialized() {
	w := s.work
	w.indexer.run(s.ctx)
	if dirs := w.space.list(); len(dirs) > 0 {
		w.indexer.push(indexJob{scan: dirs})
	}
	if w.space.watch.Load() && s.conn != nil {
		go func() {
			defer func() {
				if r := recover(); r != nil {
					s.log.Error("registering the file watcher panicked", zap.Any("panic", r))
				}
			}()
			params := map[string]any{"registrations": []any{map[string]any{
				"id":     "fastforth-watch",
				"method": methodDidChangeWatchedFiles,
				"registerOptions": map[string]any{"watchers": []any{
					map[string]any{"globPattern": watchGlob},
				}},
			}}}
			var res jsonrpc2.RawMessage
			if _, err := s.conn.Call(s.ctx, protocol.MethodClientRegisterCapability, params, &res); err != nil {
				s.log.Warn("registering the file watcher", zap.Error(err))
			}
		}()
	}
}

// didChangeWorkspaceFolders applies workspace/didChangeWorkspaceFolders:
// removed folders leave the index at once (unless inside a remaining
// folder), so that requests read after the notification no longer see
// them; added ones are indexed in the background.
func (s *server) didChangeWorkspaceFolders(raw jsonrpc2.RawMessage) error {
	var p protocol.DidChangeWorkspaceFoldersParams
	if err := decode(raw, &p); err != nil {
		return err
	}
	paths := func(fs []protocol.WorkspaceFolder) []string {
		var out []string
		for _, f := range fs {
			if d, ok := folderPath(string(f.URI)); ok {
				out = append(out, d)
			}
		}
		return out
	}
	ws := s.work.space
	dropped := false
	for _, dir := range ws.remove(paths(p.Event.Removed)) {
		if len(s.work.ix.removeUnder(dir, ws.inFolders)) > 0 {
			dropped = true
		}
	}
	if dropped {
		s.work.q.push(event{kind: evIndexed})
	}
	if added := ws.add(paths(p.Event.Added)); len(added) > 0 {
		s.work.indexer.push(indexJob{scan: added})
	}
	// A folder with no project file is its documents' project.
	s.work.q.push(event{kind: evFolders})
	return nil
}

// foldersChanged runs on the worker when workspace folders come or go:
// which project each document belongs to may change with them.
func (w *worker) foldersChanged() {
	w.projects = map[string]*lspProject{}
	w.rootOf = map[string]string{}
	for _, d := range w.docs {
		d.analyzed, d.result = nil, nil
		w.dirty[d] = true
	}
}

// didChangeWatchedFiles applies workspace/didChangeWatchedFiles: the
// documents including the files are analysed again (in order with the
// edits), and the index reads the files again.
func (s *server) didChangeWatchedFiles(raw jsonrpc2.RawMessage) error {
	var p protocol.DidChangeWatchedFilesParams
	if err := decode(raw, &p); err != nil {
		return err
	}
	var paths []string
	for _, c := range p.Changes {
		if c.URI.IsFile() && c.URI.FsPath() != "" {
			paths = append(paths, cleanPath(c.URI.FsPath()))
		}
	}
	if len(paths) == 0 {
		return nil
	}
	s.work.q.push(event{kind: evFiles, paths: paths})
	s.work.indexer.push(indexJob{files: paths})
	return nil
}

// filesChanged runs on the worker: the files changed on disk, so every
// open document that includes one of them (directly or not), or has an
// include that was not found (a new file may be it), is analysed again
// from scratch. A document's own buffer wins over its file.
func (w *worker) filesChanged(paths []string) {
	w.projectsChanged(paths)
	changed := map[string]bool{}
	for _, p := range paths {
		// An open file is read from its buffer, whose edits reached its
		// includers already (includersEdited): its disk text does not
		// matter to them.
		if w.paths[p] == nil {
			changed[p] = true
		}
	}
	if len(changed) == 0 {
		return
	}
	for _, d := range w.docs {
		if changed[d.name] || d.result == nil {
			continue
		}
		if d.includes(changed) || missesInclude(d.result.File) {
			w.reanalyze(d)
		}
	}
}

// includes reports whether d's current analysis includes, directly or
// not, one of the files. The files it includes are listed once per
// analysis: this runs for every open document after each batch of edits.
func (d *document) includes(files map[string]bool) bool {
	if d.closureOf != d.result {
		d.closure, d.closureOf = closureOf(d.result.File), d.result
	}
	for f := range files {
		if f != d.name && d.closure[f] {
			return true
		}
	}
	return false
}

// saved runs on the worker for didSave: the index reads the file again
// and the documents including it see its saved text.
func (w *worker) saved(u uri.URI) {
	if !u.IsFile() || u.FsPath() == "" {
		return
	}
	p := cleanPath(u.FsPath())
	if w.space.inFolders(p) {
		w.indexer.push(indexJob{files: []string{p}})
	}
	w.filesChanged([]string{p})
}

// reanalyze makes d be analysed from scratch (re-reading its includes)
// and its diagnostics published again.
func (w *worker) reanalyze(d *document) {
	lp := w.projectOf(d.name)
	lp.ws.Forget(d.name)
	if c := lp.ctx[d.name]; c != nil {
		c.valid = false
	}
	d.analyzed = nil
	d.hasPublished = false
	d.stale = false
	clear(d.seen)
	w.dirty[d] = true
}

// indexChanged runs on the worker when the index changed: documents with
// undefined words publish again, as what the index says about those
// words goes with their diagnostics.
func (w *worker) indexChanged() {
	for _, d := range w.docs {
		if d.result == nil || !d.hasPublished {
			continue
		}
		for _, x := range d.result.Diags {
			if x.Code == diag.Undefined {
				d.hasPublished = false
				w.dirty[d] = true
				break
			}
		}
	}
}

// namesChanged runs on the worker after d was analysed again: when the
// names it defines changed, the other open documents whose undefined
// words are among them publish again, as what is said of those words
// (defined in d, which they do not include) goes with their diagnostics.
// The common case, an edit inside a body, costs one pass of string
// comparisons.
func (w *worker) namesChanged(d *document, before, after *syntax.File) {
	if sameNames(before, after) {
		return
	}
	changed := map[string]bool{}
	for _, f := range []*syntax.File{before, after} {
		for _, x := range f.Defs {
			if x.Outer == nil && x.Name != "" {
				changed[x.Name] = !changed[x.Name]
			}
		}
	}
	for _, o := range w.docs {
		if o == d || o.result == nil || !o.hasPublished {
			continue
		}
		src := o.result.File.Source.Src
		for _, x := range o.result.Diags {
			if x.Code == diag.Undefined && x.End <= len(src) && changed[builtins.LowerASCII(string(src[x.Start:x.End]))] {
				o.hasPublished = false
				w.dirty[o] = true
				break
			}
		}
	}
}

// sameNames reports whether two versions of a file define the same
// top-level names in the same order.
func sameNames(a, b *syntax.File) bool {
	i, j := 0, 0
	for {
		for i < len(a.Defs) && (a.Defs[i].Outer != nil || a.Defs[i].Name == "") {
			i++
		}
		for j < len(b.Defs) && (b.Defs[j].Outer != nil || b.Defs[j].Name == "") {
			j++
		}
		if i == len(a.Defs) || j == len(b.Defs) {
			return i == len(a.Defs) && j == len(b.Defs)
		}
		if a.Defs[i].Name != b.Defs[j].Name {
			return false
		}
		i++
		j++
	}
}

// missesInclude reports whether f, or a file it includes, has an include
// that was not found: a file created on disk may be it.
func missesInclude(f *syntax.File) bool {
	seen := map[*syntax.File]bool{}
	var walk func(f *syntax.File) bool
	walk = func(f *syntax.File) bool {
		if f == nil || seen[f] {
			return false
		}
		seen[f] = true
		for _, inc := range f.Includes {
			if inc.File == nil || walk(inc.File) {
				return true
			}
		}
		return false
	}
	return walk(f)
}

// closureOf lists the files f's words can come from: f itself and every
// file it includes, directly or not.
func closureOf(f *syntax.File) map[string]bool {
	out := map[string]bool{}
	var walk func(f *syntax.File)
	walk = func(f *syntax.File) {
		if f == nil || f.Source == nil || out[f.Source.Name] {
			return
		}
		out[f.Source.Name] = true
		for _, inc := range f.Includes {
			walk(inc.File)
		}
	}
	walk(f)
	return out
}

// elsewhere finds the definitions of name (lower case) in workspace files
// outside the snapshot's document and its includes.
func (snap *snapshot) elsewhere(name string) []hit {
	if snap.index == nil || name == "" {
		return nil
	}
	in := closureOf(snap.result.File)
	return snap.index.lookup(name, snap.enc, func(p string) bool { return in[p] })
}

// wordAt returns the lower-case text of an occurrence.
func (snap *snapshot) wordAt(start, end int) string {
	src := snap.file.Src
	if start < 0 || end > len(src) || start >= end {
		return ""
	}
	return builtins.LowerASCII(string(src[start:end]))
}

// elsewhereLocations is where an undefined word at t is defined in other
// workspace files (nil for anything else).
func elsewhereLocations(snap *snapshot, t *occ) []protocol.Location {
	if snap == nil || t == nil || t.kind != occUndefined {
		return nil
	}
	var out []protocol.Location
	for _, h := range snap.elsewhere(snap.wordAt(t.start, t.end)) {
		out = append(out, protocol.Location{URI: h.file.uri, Range: h.def.sel})
	}
	return out
}

// sameUndefined lists the occurrences of the same undefined word as t.
func sameUndefined(snap *snapshot, occs []occ, t *occ) []occ {
	name := snap.wordAt(t.start, t.end)
	var out []occ
	for _, o := range occs {
		if o.kind == occUndefined && snap.wordAt(o.start, o.end) == name {
			out = append(out, o)
		}
	}
	return out
}

// elsewhereFacts describes, for a hover, an undefined word that another
// workspace file defines; nil when none does.
func elsewhereFacts(snap *snapshot, word string) *wordFacts {
	hits := snap.elsewhere(builtins.LowerASCII(word))
	if len(hits) == 0 {
		return nil
	}
	h := hits[0]
	rel := snap.relPath(h.file.path)
	kind := h.def.about + ", defined in " + code(rel) + ", which this file does not include"
	if len(hits) > 1 {
		kind += " (and in " + plural(len(hits)-1, "other place") + ")"
	}
	return &wordFacts{name: h.def.display, effect: h.def.effect, kind: kind, doc: h.def.doc,
		file: h.file.path, link: h.file.uri, line: int(h.def.sel.Start.Line) + 1, col: int(h.def.sel.Start.Character) + 1}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// relPath is how the snapshot's document names another file in a
// require: relative to its own directory (which is where the analysis
// looks first), with forward slashes.
func (snap *snapshot) relPath(path string) string {
	from := snap.file.Name
	if filepath.IsAbs(from) {
		if rel, err := filepath.Rel(filepath.Dir(from), path); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(path)
}

// requireEdit is the edit that makes the snapshot's document require
// path: a line "require rel" after the last include before offset at
// (where the word is first used), else at the top of the file.
func requireEdit(snap *snapshot, path string, at int) protocol.TextEdit {
	rel := snap.relPath(path)
	line := "require " + rel
	if strings.ContainsAny(rel, " \t") {
		line = `s" ` + rel + `" required`
	}
	f := snap.result.File
	after := -1
	for _, inc := range f.Includes {
		if inc.End <= inc.Start {
			continue // a preloaded file
		}
		if e := f.TopAbs(inc.End); e <= at && e > after {
			after = e
		}
	}
	if after < 0 {
		return protocol.TextEdit{Range: protocol.Range{}, NewText: line + "\n"}
	}
	pos := toPosition(snap.file, after, snap.enc)
	if int(pos.Line)+1 >= snap.file.LineCount() {
		// The include is on the last line, which has no line break.
		end := toPosition(snap.file, len(snap.file.Src), snap.enc)
		return protocol.TextEdit{Range: protocol.Range{Start: end, End: end}, NewText: "\n" + line}
	}
	p := protocol.Position{Line: pos.Line + 1}
	return protocol.TextEdit{Range: protocol.Range{Start: p, End: p}, NewText: line + "\n"}
}

// relateDiagnostics adds, to each undefined-word diagnostic of a word
// that other workspace files define, where they define it. ds are
// snap.result.Diags converted, in the same order.
func relateDiagnostics(snap *snapshot, ds []protocol.Diagnostic) []protocol.Diagnostic {
	if snap == nil || snap.index == nil {
		return ds
	}
	rd := snap.result.Diags
	if len(rd) != len(ds) {
		return ds
	}
	var in map[string]bool
	for i, x := range rd {
		if x.Code != diag.Undefined {
			continue
		}
		if in == nil {
			in = closureOf(snap.result.File)
		}
		relateOne(snap, x, &ds[i], in)
	}
	return ds
}

// relateOne is relateDiagnostics for one undefined-word diagnostic x,
// converted as d; in is closureOf the snapshot's file.
func relateOne(snap *snapshot, x diag.Diagnostic, d *protocol.Diagnostic, in map[string]bool) {
	name := snap.wordAt(x.Start, x.End)
	hits := snap.index.lookup(name, snap.enc, func(p string) bool { return in[p] })
	for k, h := range hits {
		if k == 3 {
			break
		}
		d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: h.file.uri, Range: h.def.sel},
			Message:  h.def.display + " is defined in " + snap.relPath(h.file.path) + ", which this file does not include",
		})
	}
	if len(hits) > 0 && !strings.Contains(x.Message, "evaluates text") {
		// Another file of the project defines it: it is not loaded
		// here, which the require quick fix mends. An error only when
		// the project file states the load order.
		h := hits[0]
		rel := snap.relPath(h.file.path)
		d.Code = protocol.String(diag.NotLoaded)
		d.Severity = protocol.DiagnosticSeverityWarning
		if snap.proj != nil && snap.proj.LoadOrderStated() {
			d.Severity = protocol.DiagnosticSeverityError
		}
		d.Message = protocol.String(fmt.Sprintf("%s is not loaded here: it is defined in %s:%d, which nothing loads before this file (require %s)",
			h.def.display, rel, h.def.sel.Start.Line+1, rel))
	}
}

// projectFilter leaves out the diagnostics whose codes the project file
// disables for the document.
func projectFilter(snap *snapshot, ds []protocol.Diagnostic) []protocol.Diagnostic {
	if snap.proj == nil || snap.file == nil {
		return ds
	}
	disabled := projectDisabled(snap)
	out := ds[:0]
	for _, d := range ds {
		if c, ok := d.Code.(protocol.String); ok && disabled(diag.Code(c)) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// requireActions are the quick fixes for the undefined words the range
// touches that other workspace files define: require the file. It is a
// code action source (codeaction.go).
func requireActions(snap *snapshot, rng byteRange, sent []protocol.Diagnostic) []protocol.CodeAction {
	if snap == nil || snap.index == nil {
		return nil
	}
	var out []protocol.CodeAction
	done := map[string]bool{} // files already offered
	in := closureOf(snap.result.File)
	for _, x := range snap.result.Diags {
		if x.Code != diag.Undefined || !rng.touches(x.Start, x.End) {
			continue
		}
		hits := snap.index.lookup(snap.wordAt(x.Start, x.End), snap.enc, func(p string) bool { return in[p] })
		for _, h := range hits {
			if done[h.file.path] || !h.file.uri.IsFile() {
				continue
			}
			done[h.file.path] = true
			title := "Add \"require " + snap.relPath(h.file.path) + "\" (defines " + h.def.display + ")"
			out = append(out, editAction(snap, title, protocol.CodeActionKindQuickFix, len(hits) == 1,
				append(resolvedDiags(snap, sent, diag.Undefined, x.Start, x.End), resolvedDiags(snap, sent, diag.NotLoaded, x.Start, x.End)...),
				requireEdit(snap, h.file.path, x.Start)))
		}
	}
	return out
}

// maxElsewhereCompletions bounds the completion items from other files:
// a short prefix matches much of a large workspace.
const maxElsewhereCompletions = 200

// elsewhereCompletions offers the words with the prefix that other
// workspace files define, ranked after the words in scope, each with the
// file it comes from and an edit that requires it (before off, the
// cursor). seen holds the names already offered.
func elsewhereCompletions(snap *snapshot, off int, prefix string, seen map[string]bool, isBuiltin func(string) bool) []protocol.CompletionItem {
	if snap == nil || snap.index == nil {
		return nil
	}
	in := closureOf(snap.result.File)
	type cand struct {
		f *indexFile
		d *indexDef
	}
	best := map[string]cand{}
	snap.index.all(snap.enc, func(path string) bool { return in[path] }, func(f *indexFile) {
		for i := range f.defs {
			d := &f.defs[i]
			if !strings.HasPrefix(d.name, prefix) || seen[d.name] || isBuiltin(d.name) {
				continue
			}
			if c, ok := best[d.name]; !ok || f.path < c.f.path {
				best[d.name] = cand{f, d}
			}
		}
	})
	names := make([]string, 0, len(best))
	for n := range best {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > maxElsewhereCompletions {
		names = names[:maxElsewhereCompletions]
	}
	out := make([]protocol.CompletionItem, 0, len(names))
	for _, n := range names {
		c := best[n]
		rel := snap.relPath(c.f.path)
		detail := "from " + rel
		if c.d.effect != "" {
			detail = c.d.effect + "  from " + rel
		}
		doc := "Defined in " + rel + ", which this file does not include; choosing it adds a require."
		if c.d.doc != "" {
			doc = c.d.doc + "\n\n" + doc
		}
		it := protocol.CompletionItem{
			Label: c.d.display, Kind: kindCompletion(c.d.kind),
			Detail: protocol.NewOptional(detail), Documentation: protocol.String(doc),
			SortText: protocol.NewOptional(rankElsewhere + n),
		}
		if c.f.uri.IsFile() {
			it.AdditionalTextEdits = []protocol.TextEdit{requireEdit(snap, c.f.path, off)}
		}
		out = append(out, it)
	}
	return out
}
