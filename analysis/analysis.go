// Package analysis ties the reader, the dictionary and inference together:
// source text in, definitions with their effects and diagnostics out. It
// knows nothing of LSP or JSON; the CLI and the language server are front
// ends over it.
//
// A Workspace keeps what it has read: parsed included files (by path and
// content) and inferred definitions (by their text and the effects of the
// words they call), so re-analysing a file after an edit re-infers only the
// definitions the edit touched and the ones whose callees changed.
package analysis

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Options configure a Workspace.
type Options struct {
	// IncludePaths are searched, after the including file's directory, for
	// include and require.
	IncludePaths []string
	// NoFloats disables float literals.
	NoFloats bool
	// Dialect names the Forth system whose words and reading rules apply
	// (builtins.Dialects lists them; "" means gforth).
	Dialect string
	// Words are words declared in word files (builtins.ParseWordFile),
	// known on top of the dialect's.
	Words []*builtins.Word
	// ReadFile reads included files; nil means os.ReadFile. The language
	// server passes one that prefers open editor buffers.
	ReadFile func(path string) ([]byte, error)
	// MaxIncludeDepth bounds nested includes (default 64).
	MaxIncludeDepth int
	// Preload names files loaded before every analysed file, as a Forth
	// system loads a harness before the files that use it (for example
	// the Hayes test suite's tester.fs).
	Preload []string
}

// Workspace analyses files and caches what it can between calls. It is safe
// for use by one goroutine at a time; callers serialise (the language server
// analyses in edit order).
type Workspace struct {
	opts  Options
	mu    sync.Mutex
	files map[string]*cachedFile // parsed included files by clean path
	cache *resultCache
	docs  map[string]*docState // the last version of each analysed file
	disk  bool                 // files are read from disk: a stat tells whether one changed
}

type cachedFile struct {
	src  []byte
	file *syntax.File
	// mod and size identify the disk version src was read from.
	mod  time.Time
	size int64
}

// New makes a Workspace.
func New(opts Options) *Workspace {
	disk := opts.ReadFile == nil
	if disk {
		opts.ReadFile = os.ReadFile
	}
	if opts.MaxIncludeDepth == 0 {
		opts.MaxIncludeDepth = 64
	}
	return &Workspace{opts: opts, disk: disk, files: make(map[string]*cachedFile), cache: newResultCache(), docs: make(map[string]*docState)}
}

// Result is the analysis of one file.
type Result struct {
	File  *syntax.File
	Defs  []*infer.Result // one per definition of this file, in source order
	Diags []diag.Diagnostic
	// Checker can answer questions about any definition seen, including
	// those of included files (e.g. for hovers).
	Checker *infer.Checker
}

// session is one analysis of a root file: which files it has included.
type session struct {
	w        *Workspace
	stat     map[string]os.FileInfo // what was read from disk, by clean path
	included map[string]bool
	active   map[string]bool
	depth    int
}

// Analyze reads and checks one file. name is its path (used to resolve
// includes and to find the previous version); src is its current text.
// When the previous version differs only inside one colon definition's
// body, only that definition is read again and only it and the words whose
// callees' effects changed are inferred again.
func (w *Workspace) Analyze(name string, src []byte) *Result {
	return w.analyze(name, src, nil)
}

// AnalyzeFile is Analyze for a text whose line index the caller already
// keeps (the language server updates it edit by edit): it is used as is,
// not built again. f.Name names the file.
func (w *Workspace) AnalyzeFile(f *source.File) *Result {
	return w.analyze(f.Name, f.Src, f)
}

// analyze uses sf, when not nil, as the source.File of src.
func (w *Workspace) analyze(name string, src []byte, sf *source.File) *Result {
	w.mu.Lock()
	defer w.mu.Unlock()
	if st := w.docs[name]; st != nil {
		if r := st.update(w, src, sf); r != nil {
			return r
		}
	}
	st := w.full(name, src, sf)
	w.docs[name] = st
	return st.result
}

// Forget drops what the Workspace remembers about a file (a closed
// document).
func (w *Workspace) Forget(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.docs, name)
}

// full reads and checks a file from scratch.
func (w *Workspace) full(name string, src []byte, sf *source.File) *docState {
	if sf == nil {
		sf = source.NewFile(name, src)
	}
	s := &session{w: w, included: map[string]bool{}, active: map[string]bool{}, stat: map[string]os.FileInfo{}}
	abs := cleanPath(name)
	var pre []*syntax.File
	for _, p := range w.opts.Preload {
		if cleanPath(p) == abs {
			continue
		}
		pf, err := s.include(cleanPath(p), source.NewFile(name, nil), true)
		if err == nil && pf != nil {
			pre = append(pre, pf)
		}
	}
	s.active[abs] = true
	f := syntax.Parse(sf, w.config(s.include, pre))
	c := infer.NewChecker()
	if _, seen := w.docs[name]; seen {
		// A new version of a file analysed before: unchanged definitions
		// come from the cache. A first analysis would only fill it.
		w.cache.attach(c)
	}
	for _, d := range f.Defs {
		c.Def(d)
	}
	st := newDocState(src, f, c)
	st.top = c.Top(f)
	c.Reuse, c.Store = nil, nil
	st.result = st.assemble(f, c, nil)
	w.cache.sweep()
	return st
}

func sortDiags(ds []diag.Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Start != ds[j].Start {
			return ds[i].Start < ds[j].Start
		}
		return ds[i].Severity < ds[j].Severity
	})
}

func cleanPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

var errNotFound = errors.New("file not found")

// include resolves and parses an included file. A file already being
// included (a cycle) or already required is skipped.
func (s *session) include(path string, from *source.File, once bool) (*syntax.File, error) {
	full, src, err := s.find(path, from.Name)
	if err != nil {
		return nil, err
	}
	if s.active[full] {
		return nil, nil // a cycle: Forth would loop; we stop
	}
	if once && s.included[full] {
		// Already loaded: Forth would skip it, and its words are already
		// visible. Each file here has its own dictionary, so hand back
		// the same parse to keep them visible to this includer too.
		if c, ok := s.w.files[full]; ok {
			return c.file, nil
		}
		return nil, nil
	}
	if s.depth >= s.w.opts.MaxIncludeDepth {
		return nil, errors.New("includes nested too deeply")
	}
	s.included[full] = true
	if c, ok := s.w.files[full]; ok && bytes.Equal(c.src, src) {
		return c.file, nil
	}
	s.active[full] = true
	s.depth++
	f := syntax.Parse(source.NewFile(full, src), s.w.config(s.include, nil))
	s.depth--
	delete(s.active, full)
	cf := &cachedFile{src: src, file: f}
	if st, ok := s.stat[full]; ok {
		cf.mod, cf.size = st.ModTime(), st.Size()
	}
	s.w.files[full] = cf
	return f, nil
}

func (s *session) find(path, from string) (string, []byte, error) {
	for _, c := range IncludeCandidates(path, from, s.w.opts.IncludePaths) {
		if s.w.disk {
			st, err := os.Stat(c)
			if err != nil || st.IsDir() {
				continue
			}
			full := cleanPath(c)
			if cf, ok := s.w.files[full]; ok && cf.mod.Equal(st.ModTime()) && cf.size == st.Size() {
				return full, cf.src, nil
			}
			src, err := os.ReadFile(c)
			if err != nil {
				continue
			}
			s.stat[full] = st
			return full, src, nil
		}
		src, err := s.w.opts.ReadFile(c)
		if err == nil {
			return cleanPath(c), src, nil
		}
	}
	return "", nil, errNotFound
}

// config is how this Workspace reads files.
func (w *Workspace) config(include func(string, *source.File, bool) (*syntax.File, error), preload []*syntax.File) syntax.Config {
	c := w.opts.Reader()
	c.Include, c.Preload = include, preload
	return c
}

// Reader is how files are read under these options: the dialect (with
// the word files' words) and float literals; no includes.
func (o Options) Reader() syntax.Config {
	return syntax.Config{NoFloats: o.NoFloats, Dialect: ResolveDialect(o.Dialect, o.Words)}
}

type dialectKey struct {
	name  string
	first *builtins.Word
	n     int
}

var dialectMemo sync.Map // dialectKey -> *builtins.Dialect

// ResolveDialect returns the dialect called name with words added; an
// unknown name gives the default dialect (front ends check names first,
// with builtins.Get). The result is remembered: callers ask for it on
// every analysis.
func ResolveDialect(name string, words []*builtins.Word) *builtins.Dialect {
	d, err := builtins.Get(name)
	if err != nil {
		d = builtins.Default()
	}
	if len(words) == 0 {
		return d
	}
	k := dialectKey{d.Name, words[0], len(words)}
	if v, ok := dialectMemo.Load(k); ok {
		return v.(*builtins.Dialect)
	}
	v, _ := dialectMemo.LoadOrStore(k, d.With(words))
	return v.(*builtins.Dialect)
}
