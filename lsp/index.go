package lsp

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// The workspace index: the named definitions of every Forth file under the
// workspace folders, so that a word defined in a file the current document
// does not include is still known (go to definition, hover, completion,
// the "require" quick fix, workspace/symbol).
//
// Files are read with syntax.Parse alone, includes ignored: a definition's
// name, kind, place, stack comment and documentation are all in its own
// file, and reading one file costs no more than its own text. Entries are
// built off the worker (progress.go) and never change once stored; the
// index swaps whole entries under its lock, so a request reading it while
// indexing goes on sees each file either before or after, never half.

// indexDef is one named top-level definition of an indexed file.
type indexDef struct {
	name    string // lower case, as looked up
	display string // as written
	kind    syntax.DefKind
	symbol  protocol.SymbolKind
	about   string // what the word is, for hovers ("colon definition")
	effect  string // the stack comment, or the fixed effect; "" when unknown
	doc     string // the comment block above it, cleaned
	rng     protocol.Range
	sel     protocol.Range // the name
}

// indexFile is what the index knows about one file.
type indexFile struct {
	path string // clean absolute path
	uri  uri.URI
	mod  time.Time
	size int64
	defs []indexDef
	// uses are the file's uses of its own and of undefined words, and
	// incs the paths it includes as written (xrefs.go); an open
	// document's entry leaves them out, as its analysis has them.
	uses map[string][]xuse
	incs []string
}

// openEntry is an open document's contribution: its buffer text wins over
// the file on disk. The entry is built from the analysis lazily, the first
// time a lookup needs it.
type openEntry struct {
	result *analysis.Result
	uri    uri.URI
	once   sync.Once
	file   *indexFile
	// names are the top-level names the document defines, listed once:
	// lookups ask every open document, on every publication.
	namesOnce sync.Once
	names     map[string]bool
}

// defines reports whether the document defines name at the top level.
func (e *openEntry) defines(name string) bool {
	e.namesOnce.Do(func() {
		e.names = map[string]bool{}
		for _, d := range e.result.File.Defs {
			if d.Outer == nil && d.Name != "" {
				e.names[d.Name] = true
			}
		}
	})
	return e.names[name]
}

// wsIndex is the workspace index. Its methods are safe for concurrent use.
type wsIndex struct {
	mu    sync.RWMutex
	files map[string]*indexFile   // by path
	names map[string][]*indexFile // by lower-case word name
	open  map[string]*openEntry   // open documents by path
}

func newIndex() *wsIndex {
	return &wsIndex{files: map[string]*indexFile{}, names: map[string][]*indexFile{}, open: map[string]*openEntry{}}
}

// put stores (or replaces) a file's entry.
func (ix *wsIndex) put(f *indexFile) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(f.path)
	ix.files[f.path] = f
	seen := map[string]bool{}
	for i := range f.defs {
		n := f.defs[i].name
		if !seen[n] {
			seen[n] = true
			ix.names[n] = append(ix.names[n], f)
		}
	}
}

// remove drops a file's entry; it reports whether there was one.
func (ix *wsIndex) remove(path string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ok := ix.removeLocked(path)
	if ok {
	}
	return ok
}

func (ix *wsIndex) removeLocked(path string) bool {
	old := ix.files[path]
	if old == nil {
		return false
	}
	delete(ix.files, path)
	for i := range old.defs {
		n := old.defs[i].name
		list := slices.DeleteFunc(ix.names[n], func(f *indexFile) bool { return f == old })
		if len(list) == 0 {
			delete(ix.names, n)
		} else {
			ix.names[n] = list
		}
	}
	return true
}

// removeUnder drops every file under dir unless keep says it is still
// wanted (it lies under another workspace folder); it returns the paths
// dropped.
func (ix *wsIndex) removeUnder(dir string, keep func(path string) bool) []string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var gone []string
	for p := range ix.files {
		if within(p, dir) && !keep(p) {
			gone = append(gone, p)
		}
	}
	for _, p := range gone {
		ix.removeLocked(p)
	}
	if len(gone) > 0 {
	}
	return gone
}

// stat returns a file's recorded modification time and size.
func (ix *wsIndex) stat(path string) (time.Time, int64, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	f := ix.files[path]
	if f == nil {
		return time.Time{}, 0, false
	}
	return f.mod, f.size, true
}

// setOpen records an open document's latest analysis (nil: closed).
func (ix *wsIndex) setOpen(path string, u uri.URI, r *analysis.Result) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if r == nil {
		delete(ix.open, path)
		return
	}
	if e := ix.open[path]; e != nil && e.result == r {
		return
	}
	ix.open[path] = &openEntry{result: r, uri: u}
}

func (e *openEntry) entry(enc encoding) *indexFile {
	e.once.Do(func() {
		f := e.result.File
		e.file = &indexFile{path: f.Source.Name, uri: e.uri, defs: indexDefs(f, e.result, enc)}
	})
	return e.file
}

// definesName reports whether f defines name at the top level, the only
// definitions an index entry holds.
func definesName(f *syntax.File, name string) bool {
	for _, d := range f.Defs {
		if d.Outer == nil && d.Name == name {
			return true
		}
	}
	return false
}

// definitions counts the index's definitions of name in the file at
// path. An open document's are counted in its analysis: its entry, built
// for that, holds every definition's ranges and documentation (for a file
// of 160,000 definitions: 110 MB allocated, 25 MB kept) to answer one
// reference request.
func (ix *wsIndex) definitions(path, name string) int {
	ix.mu.RLock()
	e, f := ix.open[path], ix.files[path]
	ix.mu.RUnlock()
	n := 0
	switch {
	case e != nil:
		rf := e.result.File
		for _, d := range rf.Defs {
			if d.Name == name && indexable(rf, d) {
				n++
			}
		}
	case f != nil:
		for i := range f.defs {
			if f.defs[i].name == name {
				n++
			}
		}
	}
	return n
}

// hit is one definition found in the index.
type hit struct {
	file *indexFile
	def  *indexDef
}

// lookup returns the definitions of name (lower case) in the workspace,
// open documents' buffers replacing their files' disk text, except those
// of the files skip rejects. They are ordered by path, then position.
func (ix *wsIndex) lookup(name string, enc encoding, skip func(path string) bool) []hit {
	ix.mu.RLock()
	var files []*indexFile
	for _, f := range ix.names[name] {
		if ix.open[f.path] == nil {
			files = append(files, f)
		}
	}
	opens := make([]*openEntry, 0, len(ix.open))
	for path, e := range ix.open {
		// Skipped documents (the asker's own, on every keystroke) are not
		// indexed for nothing; nor are those that do not define name.
		if (skip == nil || !skip(path)) && e.defines(name) {
			opens = append(opens, e)
		}
	}
	ix.mu.RUnlock()
	for _, e := range opens {
		files = append(files, e.entry(enc))
	}
	var out []hit
	for _, f := range files {
		if skip != nil && skip(f.path) {
			continue
		}
		for i := range f.defs {
			if f.defs[i].name == name {
				out = append(out, hit{f, &f.defs[i]})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].file.path < out[j].file.path })
	return out
}

// all calls fn for every indexed file but those skip, when not nil,
// reports, open documents' entries replacing their disk ones. fn must not
// keep the index busy: it runs without the lock, over a list taken under
// it.
func (ix *wsIndex) all(enc encoding, skip func(path string) bool, fn func(*indexFile)) {
	ix.mu.RLock()
	files := make([]*indexFile, 0, len(ix.files))
	for p, f := range ix.files {
		if ix.open[p] == nil && (skip == nil || !skip(p)) {
			files = append(files, f)
		}
	}
	opens := make([]*openEntry, 0, len(ix.open))
	for p, e := range ix.open {
		// A skipped document's entry is not built for nothing (the
		// asker's own: every definition of a large file).
		if skip == nil || !skip(p) {
			opens = append(opens, e)
		}
	}
	ix.mu.RUnlock()
	for _, e := range opens {
		files = append(files, e.entry(enc))
	}
	for _, f := range files {
		fn(f)
	}
}

// indexSource reads one file's definitions, the words it uses and the
// paths it includes (includes are not followed).
func indexSource(path string, src []byte, cfg syntax.Config, enc encoding) *indexFile {
	cfg.Include, cfg.Preload = nil, nil
	f := syntax.Parse(source.NewFile(path, src), cfg)
	return &indexFile{path: path, uri: uri.File(path), defs: indexDefs(f, nil, enc), uses: indexUses(f, enc), incs: includePaths(f)}
}

// indexDefs lists the named top-level definitions of f. r, when not nil,
// supplies inferred effects for definitions without a stack comment.
func indexDefs(f *syntax.File, r *analysis.Result, enc encoding) []indexDef {
	var out []indexDef
	for _, d := range f.Defs {
		// indexable is shared with indexUses, whose uses point into
		// this list.
		if indexable(f, d) {
			out = append(out, indexDefOf(f, r, d, enc))
		}
	}
	return out
}

// defSpan gives d's bytes in f and its name's (the start of the
// definition when the name is not inside it).
func defSpan(f *syntax.File, d *syntax.Def) (start, end, ns, ne int) {
	start, end = f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)
	ns, ne = f.Abs(d.Epoch, d.NameStart), f.Abs(d.Epoch, d.NameEnd)
	if ne <= ns || ns < start || ne > end {
		ns, ne = start, start
	}
	return start, end, ns, ne
}

// indexDefOf is the entry of d, an indexable definition of f.
func indexDefOf(f *syntax.File, r *analysis.Result, d *syntax.Def, enc encoding) indexDef {
	src := f.Source
	start, end, ns, ne := defSpan(f, d)
	id := indexDef{
		name: d.Name, display: d.Display, kind: d.Kind, symbol: symbolKind(d), about: kindOf(d),
		rng: toRange(src, start, end, enc), sel: toRange(src, ns, ne, enc),
	}
	if r != nil {
		id.effect = symbolDetail(r, d)
	} else if d.Comment != nil && d.Comment.Err == nil {
		id.effect = d.Comment.Effect.String()
	} else if d.Effect != nil && d.Runs == nil && d.Kind != syntax.Colon {
		id.effect = d.Effect.String()
	}
	if s, e := docRange(f, d); e > s && e <= len(src.Src) {
		id.doc = syntax.CleanDoc(string(src.Src[s:e]))
	}
	return id
}

// each calls file for every indexed file that is not open and open for
// every open document, whose entry it does not build: a caller that
// wants few of a large document's definitions reads them from its
// analysis.
func (ix *wsIndex) each(file func(*indexFile), open func(*openEntry)) {
	ix.mu.RLock()
	files := make([]*indexFile, 0, len(ix.files))
	for p, f := range ix.files {
		if ix.open[p] == nil {
			files = append(files, f)
		}
	}
	opens := make([]*openEntry, 0, len(ix.open))
	for _, e := range ix.open {
		opens = append(opens, e)
	}
	ix.mu.RUnlock()
	for _, f := range files {
		file(f)
	}
	for _, e := range opens {
		open(e)
	}
}

// within reports whether path is dir or lies under it.
func within(path, dir string) bool {
	if path == dir {
		return true
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
