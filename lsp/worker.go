package lsp

import (
	"context"
	"path/filepath"
	"runtime/debug"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/project"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// diagnosticSource names the server in diagnostics and as the pull
// diagnostics identifier.
const diagnosticSource = "fastforth"

// worker is the one goroutine that owns the open documents and the
// analysis.Workspace. It handles events in the order they were read.
type worker struct {
	s    *server
	log  *zap.Logger
	q    *queue
	docs map[uri.URI]*document
	// projects are the projects of the open documents, by root (projects.go);
	// rootOf caches which root a directory's files belong to.
	projects map[string]*lspProject
	rootOf   map[string]string
	paths    map[string]*document // open documents by file path, for includes
	dirty    map[*document]bool   // documents whose diagnostics are not published
	// edited names the open documents whose text changed since their
	// includers were last told (see includersEdited); editedDocs lists
	// them in the order of their edits, to be published before the
	// documents that change with them.
	edited     map[string]bool
	editedDocs []*document
	// empty is the analysis of an empty file (patternfile.go).
	empty *analysis.Result

	// The workspace folders and their index (workspace.go, index.go,
	// progress.go).
	space   *workspace
	ix      *wsIndex
	indexer *indexer

	// cfg holds the editor settings and the trace level (settings.go).
	cfg *config

	// beforeEvent, when set (by tests), is called before each event.
	beforeEvent func(event)
}

// document is an open text document.
type document struct {
	uri     uri.URI
	name    string // the analysis' name for it: the file path, else the URI
	version int32
	file    *source.File // the current text

	result   *analysis.Result // the analysis of analyzed
	analyzed *source.File

	published    int32 // the version whose diagnostics were last published
	hasPublished bool

	// closure lists the files closureOf's analysis includes (workspace.go).
	closure   map[string]bool
	closureOf *analysis.Result
	// occs are the occurrences of occsOf (occurrencesOf), kept for the
	// requests on the same version: an editor asks for the highlights at
	// every move of the cursor, and a long file takes long to go over.
	occs   []occ
	occsOf *analysis.Result

	// Open documents this one includes (includers.go): views are the
	// files its analysis reads (viewsFor's), seen what is known of its
	// readings of open ones, and stale tells that an included document
	// was edited since without changing what it gives this one.
	views    map[string]*syntax.File
	viewsFor *analysis.Result
	seen     map[string]seenView
	// pub keeps the JSON of its published diagnostics (publish.go).
	pub   pubCache
	stale bool
	// users is the reverse of the uses in usersFor's reading, built when
	// an included document's edit changed effects.
	users    defUsers
	usersFor *analysis.Result
}

func newWorker(s *server) *worker {
	w := &worker{
		s:     s,
		log:   s.log,
		q:     newQueue(),
		docs:  make(map[uri.URI]*document),
		paths: make(map[string]*document),
		dirty: make(map[*document]bool),
	}
	w.space = &workspace{}
	w.ix = newIndex()
	w.indexer = newIndexer(s, w.ix)
	w.cfg = newConfig(s.opts.Analysis)
	w.projects = map[string]*lspProject{}
	w.rootOf = map[string]string{}
	return w
}

// readFile is the Workspace's file reader: an open document's current
// text, else the file on disk. It runs inside Analyze, on the worker.
func (w *worker) readFile(path string) ([]byte, error) {
	if d, ok := w.paths[cleanPath(path)]; ok {
		return d.file.Src, nil
	}
	return analysis.ReadSource(path)
}

func cleanPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// docName is the name a document is analysed under: its path for a file
// (so that includes resolve next to it), else the URI itself.
func docName(u uri.URI) string {
	if u.IsFile() {
		if p := u.FsPath(); p != "" {
			return cleanPath(p)
		}
	}
	return string(u)
}

func (w *worker) run(ctx context.Context) {
	for {
		ev, ok := w.q.pop(ctx)
		if !ok {
			return
		}
		w.handle(ctx, ev)
		if w.q.empty() {
			w.publishDirty(ctx)
		}
	}
}

// handle applies one event, surviving a panic in it.
func (w *worker) handle(ctx context.Context, ev event) {
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("worker panicked", zap.Stringer("event", ev.kind), zap.String("uri", string(ev.uri)),
				zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			if ev.call != nil {
				ev.call.finish(nil, errInternal("%v", r))
			}
		}
	}()
	if w.beforeEvent != nil {
		w.beforeEvent(ev)
	}
	switch ev.kind {
	case evOpen:
		w.open(ev)
	case evChange:
		w.change(ev)
	case evClose:
		w.close(ctx, ev)
	case evSave:
		w.log.Debug("saved", zap.String("uri", string(ev.uri)))
		w.saved(ev.uri)
	case evFiles:
		w.filesChanged(ev.paths)
	case evIndexed:
		w.indexChanged()
	case evFolders:
		w.foldersChanged()
	case evConfig:
		w.applySettings(ctx, ev.config)
	case evCall:
		w.call(ev.call)
	}
}

func (w *worker) open(ev event) {
	if old := w.docs[ev.uri]; old != nil {
		w.drop(old)
	}
	name := docName(ev.uri)
	d := &document{uri: ev.uri, name: name, version: ev.version, file: source.NewFile(name, []byte(ev.text))}
	w.docs[ev.uri] = d
	if ev.uri.IsFile() {
		w.paths[name] = d
	}
	w.dirty[d] = true
	w.log.Debug("opened", zap.String("uri", string(ev.uri)), zap.Int32("version", ev.version), zap.Int("bytes", len(ev.text)))
}

func (w *worker) change(ev event) {
	d := w.docs[ev.uri]
	if d == nil {
		w.log.Warn("didChange for a document that is not open", zap.String("uri", string(ev.uri)))
		return
	}
	enc := w.s.encoding()
	before := d.file
	for i, c := range ev.changes {
		f, err := applyChange(d.file, c, enc)
		if err != nil {
			w.log.Warn("skipping a content change", zap.String("uri", string(ev.uri)), zap.Int("index", i), zap.Error(err))
			continue
		}
		d.file = f
	}
	if ev.version <= d.version {
		w.log.Warn("didChange version did not increase", zap.String("uri", string(ev.uri)),
			zap.Int32("from", d.version), zap.Int32("to", ev.version))
	}
	d.version = ev.version
	w.dirty[d] = true
	if len(w.docs) > 1 && editedAbove(d.result, before.Src, d.file.Src) {
		// What the files it includes are read in may have changed.
		w.invalidateContexts(w.projectOf(d.name))
	}
	if w.edited == nil {
		w.edited = map[string]bool{}
	}
	if !w.edited[d.name] {
		w.editedDocs = append(w.editedDocs, d)
	}
	w.edited[d.name] = true
}

func (w *worker) close(ctx context.Context, ev event) {
	d := w.docs[ev.uri]
	if d == nil {
		w.log.Warn("didClose for a document that is not open", zap.String("uri", string(ev.uri)))
		return
	}
	w.drop(d)
	forgetTokens(w.s, d.uri)
	if d.result != nil && !isPatternFile(d.name) {
		w.namesChanged(d, d.result.File, &syntax.File{})
	}
	// The documents that read its buffer read its file from now on.
	gone := map[string]bool{d.name: true}
	for _, a := range w.docs {
		if a.result != nil && a.includes(gone) {
			w.reanalyze(a)
		}
	}
	// Clear what was shown for it, whichever way diagnostics travel.
	w.notify(ctx, &protocol.PublishDiagnosticsParams{URI: d.uri, Diagnostics: []protocol.Diagnostic{}})
	w.log.Debug("closed", zap.String("uri", string(ev.uri)))
}

// drop forgets an open document.
func (w *worker) drop(d *document) {
	delete(w.docs, d.uri)
	if w.paths[d.name] == d {
		delete(w.paths, d.name)
	}
	delete(w.dirty, d)
	lp := w.projectOf(d.name)
	lp.ws.Forget(d.name)
	delete(lp.ctx, d.name)
	w.ix.setOpen(d.name, "", nil)
}

// analyze brings d's analysis up to date with its text.
func (w *worker) analyze(d *document) *analysis.Result {
	if len(w.edited) > 0 {
		w.includersEdited()
	}
	if d.stale {
		// An included document moved under this analysis: read it
		// again, once, now that it is used.
		d.stale = false
		w.projectOf(d.name).ws.Forget(d.name)
		d.analyzed = nil
	}
	if d.analyzed != d.file {
		// The line index was kept up to date edit by edit: reuse it.
		if isPatternFile(d.name) {
			d.result = w.analyzePatternFile(d.file)
			d.analyzed = d.file
			return d.result
		}
		if isProjectFile(d.name) {
			d.result = w.projectFileResult(d.file)
			d.analyzed = d.file
			return d.result
		}
		old := d.result
		lp := w.projectOf(d.name)
		w.ensureContext(lp, d)
		d.result = lp.ws.AnalyzeFile(d.file)
		d.analyzed = d.file
		if d.occsOf != d.result {
			// The occurrences of the version before would keep its
			// analysis alive (20 MB and more for a large file).
			d.occs, d.occsOf = nil, nil
		}
		w.ix.setOpen(d.name, d.uri, d.result)
		if len(w.docs) > 1 {
			before := &syntax.File{}
			if old != nil {
				before = old.File
			}
			w.namesChanged(d, before, d.result.File)
		}
	}
	return d.result
}

// publishDirty analyses the documents changed since their last
// publication and publishes their diagnostics, unless a newer edit of the
// same document is already waiting: its publication will supersede this
// one. The edited documents come first, as the person typing waits for
// them; the others (their includers, documents whose undefined words they
// define) follow while no event is waiting, so that a burst of edits
// publishes them once, for its last version.
func (w *worker) publishDirty(ctx context.Context) {
	for _, d := range w.editedDocs {
		if !w.dirty[d] || w.docs[d.uri] != d {
			continue
		}
		if !w.s.push.Load() {
			delete(w.dirty, d)
			continue
		}
		if w.q.edits(d.uri) {
			continue
		}
		w.publish(ctx, d)
		delete(w.dirty, d)
	}
	clear(w.editedDocs)
	w.editedDocs = w.editedDocs[:0]
	// Before the loop: it marks includers dirty, and a map entry added
	// while ranging over the map may be skipped.
	if len(w.edited) > 0 {
		w.includersEdited()
	}
	// Publishing analyses, which may mark other documents dirty (their
	// undefined words' related information): go round until a pass
	// publishes nothing.
	for published := true; published; {
		published = false
		for d := range w.dirty {
			if !w.s.push.Load() {
				delete(w.dirty, d)
				continue
			}
			if w.q.edits(d.uri) {
				continue
			}
			if !w.q.empty() {
				// The rest once the queue is drained.
				return
			}
			w.publish(ctx, d)
			delete(w.dirty, d)
			published = true
		}
	}
}

func (w *worker) publish(ctx context.Context, d *document) {
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("publishing diagnostics panicked", zap.String("uri", string(d.uri)),
				zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
		}
	}()
	r := w.analyze(d)
	if d.hasPublished && d.published == d.version {
		return
	}
	snap := &snapshot{uri: d.uri, version: d.version, file: r.File.Source, result: r, enc: w.s.encoding(), index: w.ix, proj: w.projectOf(d.name).proj}
	params, err := w.publishParams(&d.pub, snap)
	if err != nil {
		w.log.Warn("publishing diagnostics", zap.String("uri", string(d.uri)), zap.Error(err))
		return
	}
	if err := w.s.conn.Notify(ctx, protocol.MethodTextDocumentPublishDiagnostics, params); err != nil {
		w.log.Warn("publishing diagnostics", zap.String("uri", string(d.uri)), zap.Error(err))
		return
	}
	w.log.Debug("published diagnostics", zap.String("uri", string(d.uri)), zap.Int32("version", d.version))
	d.published, d.hasPublished = d.version, true
}

func (w *worker) notify(ctx context.Context, p *protocol.PublishDiagnosticsParams) {
	if err := w.s.conn.Notify(ctx, protocol.MethodTextDocumentPublishDiagnostics, p); err != nil {
		w.log.Warn("publishing diagnostics", zap.String("uri", string(p.URI)), zap.Error(err))
		return
	}
	w.log.Debug("published diagnostics", zap.String("uri", string(p.URI)), zap.Int("count", len(p.Diagnostics)))
}

// call takes a request's snapshot and starts its computation.
func (w *worker) call(c *call) {
	if c.ctx.Err() != nil {
		c.finish(nil, errCancelled)
		return
	}
	fn, err := c.prepare(w)
	if err != nil || fn == nil {
		c.finish(nil, err)
		return
	}
	// The request's goroutine computes the answer (server.compute).
	select {
	case c.done <- reply{compute: fn}:
	default:
	}
}

// snapshot is what a request computes from: one version of a document
// and its analysis. Nothing in it changes after it is taken.
type snapshot struct {
	uri     uri.URI
	version int32
	file    *source.File // the analysed text (offsets of result are in it)
	result  *analysis.Result
	enc     encoding
	// index is the workspace index, for words defined in files this
	// document does not include. It is shared and changes as files are
	// indexed; each of its entries is immutable.
	index *wsIndex
	// proj is the document's project (its rules for diagnostics).
	proj *project.Project
	// stubs memoises the effects that undefined words' uses imply
	// (stub.go), which more than one code action needs; a snapshot serves
	// one request, on one goroutine.
	stubs map[string]stubEffect
}

// snapshot analyses u's current text if needed; ok is false when u is not
// open.
func (w *worker) snapshot(u uri.URI) (*snapshot, bool) {
	d := w.docs[u]
	if d == nil {
		return nil, false
	}
	r := w.analyze(d)
	return &snapshot{uri: u, version: d.version, file: r.File.Source, result: r, enc: w.s.encoding(), index: w.ix, proj: w.projectOf(d.name).proj}, true
}

// diagnostic answers textDocument/diagnostic with a full report.
func (w *worker) diagnostic(p *protocol.DocumentDiagnosticParams) (compute, error) {
	snap, ok := w.snapshot(p.TextDocument.URI)
	st := w.settings()
	return func(ctx context.Context) (any, error) {
		rep := &protocol.RelatedFullDocumentDiagnosticReport{}
		rep.Kind = string(protocol.DocumentDiagnosticReportKindFull)
		rep.Items = []protocol.Diagnostic{}
		if !ok {
			// Not open: nothing is known about it.
			return rep, nil
		}
		rep.Items = filterDiagnostics(st, w.withTestResults(snap, projectFilter(snap, relateDiagnostics(snap, toDiagnostics(snap.file, snap.result.Diags, snap.enc)))))
		return rep, nil
	}, nil
}
