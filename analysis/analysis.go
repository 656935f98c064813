// Package analysis ties the reader, the dictionary and inference together:
// source text in, definitions with their effects and diagnostics out. It
// knows nothing of LSP or JSON; the CLI and the language server are front
// ends over it.
//
// A Workspace keeps what it has read: parsed included files (by path and
// content), inferred definitions (by their text and the effects of the
// words they call) and, for each file it analysed, its last version with
// the reader's checkpoints, so re-analysing a file after an edit re-reads
// only the text around the edit and re-infers only the definitions it
// touched and the ones whose callees changed.
package analysis

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
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
	// Elsewhere, when set, finds a word another file of the project
	// defines (see syntax.Config.Elsewhere); ElsewhereError makes its
	// uses errors.
	Elsewhere      func(from, name string) *syntax.Def
	ElsewhereError bool
	// Context, when set, gives the context a file is read in (its
	// includer's dictionary at the include), or nil for a file read on
	// its own after the preloaded files.
	Context func(path string) *syntax.Context
}

// Workspace analyses files and caches what it can between calls. It is safe
// for use by one goroutine at a time; callers serialise (the language server
// analyses in edit order).
type Workspace struct {
	opts   Options
	mu     sync.Mutex
	read   map[string]*diskFile     // files read from disk, by clean path
	parsed map[parseKey]*cachedFile // included files as read in a context
	cache  *resultCache
	docs   map[string]*docState // the last version of each analysed file
	disk   bool                 // files are read from disk: a stat tells whether one changed
	gen    uint32               // analyses run, for sweeping parsed
}

// diskFile is a file as last read from disk.
type diskFile struct {
	src []byte
	// mod and size identify the disk version src was read from.
	mod  time.Time
	size int64
}

// parseKey identifies an included file's reading: its path, its text and
// the context it was read in.
type parseKey struct {
	path string
	text uint64
	ctx  uint64
}

type cachedFile struct {
	src  []byte
	file *syntax.File
	gen  uint32
}

// New makes a Workspace.
func New(opts Options) *Workspace {
	disk := opts.ReadFile == nil
	if disk {
		opts.ReadFile = ReadSource
	}
	if opts.MaxIncludeDepth == 0 {
		opts.MaxIncludeDepth = 64
	}
	return &Workspace{opts: opts, disk: disk, read: make(map[string]*diskFile), parsed: make(map[parseKey]*cachedFile),
		cache: newResultCache(), docs: make(map[string]*docState)}
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

// session is one load: a root file (after the preloaded files, or in the
// context its includer gives it) and everything it includes, read in one
// growing dictionary as a Forth system reads them.
type session struct {
	w        *Workspace
	included map[string]bool // files loaded so far (for require)
	active   map[string]bool // files being read (for cycles)
	depth    int
	// loaded lists every file read in this session, in load order, each
	// once: the first reading of a file is its reading in the project.
	loaded []*syntax.File
	seen   map[string]bool
}

func newSession(w *Workspace) *session {
	return &session{w: w, included: map[string]bool{}, active: map[string]bool{}, seen: map[string]bool{}}
}

// Analyze reads and checks one file. name is its path (used to resolve
// includes and to find the previous version); src is its current text.
// A new version of a file analysed before is read again only from the
// reader's last checkpoint before the change to the point where the
// reading is back in step with the previous one (see syntax.Resume), and
// only the definitions read again and the words whose callees' effects
// changed are inferred again.
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
	return w.parseFresh(name, src, sf).check()
}

// reading is a file read (parsed) in a load of its own but not yet
// checked: full's first half.
type reading struct {
	w    *Workspace
	name string
	src  []byte
	ctx  *syntax.Context
	f    *syntax.File
}

// parseFresh is full's first half: the file read (parsed) in a load of its own.
func (w *Workspace) parseFresh(name string, src []byte, sf *source.File) *reading {
	if sf == nil {
		sf = source.NewFile(name, src)
	}
	s := newSession(w)
	abs := cleanPath(name)
	ctx, pre := s.start(abs)
	s.active[abs] = true
	cfg := w.config(s.include, pre)
	cfg.Context = ctx
	f := syntax.Parse(sf, cfg)
	return &reading{w: w, name: name, src: src, ctx: ctx, f: f}
}

// check is full's second half: the definitions read inferred and
// checked.
func (rd *reading) check() *docState {
	w, f := rd.w, rd.f
	c := infer.NewChecker()
	if _, seen := w.docs[rd.name]; seen {
		// A new version of a file analysed before: unchanged definitions
		// come from the cache. A first analysis would only fill it.
		w.cache.attach(c)
	}
	for _, d := range f.Defs {
		c.Def(d)
	}
	st := newDocState(rd.src, f, c)
	st.ctx = rd.ctx
	st.checkTop(c, f)
	c.Reuse, c.Store = nil, nil
	st.result = st.assemble(f, c, nil)
	w.cache.sweep()
	w.sweepParsed()
	return st
}

// Parsed is a file read but not yet checked: what the syntax of a
// text says, for a caller that may analyse an edited text instead (a
// verify that puts the effect asked for in place of a stack comment).
type Parsed struct {
	rd   *reading
	done bool
}

// Parse reads a file as Analyze would, without checking it: File is
// the syntax Analyze's Result would have, and Analyze finishes the
// analysis (its Result is Analyze's) without reading the file again.
func (w *Workspace) Parse(name string, src []byte) *Parsed {
	w.mu.Lock()
	defer w.mu.Unlock()
	return &Parsed{rd: w.parseFresh(name, src, nil)}
}

// File is the file as read.
func (p *Parsed) File() *syntax.File { return p.rd.f }

// ReplaceComment gives d, a definition of File, the stack comment text
// in place of its own before Analyze, as syntax.File.ReplaceComment
// does in the dialect the file was read in: Analyze then checks d's
// body and its callers against text, as the analysis of the text with
// text written over d's comment would, in the original's positions. It
// reports false and changes nothing when that cannot be told without
// reading the edited text (see syntax.File.ReplaceComment), or when
// Analyze would read the file again (it was called, or the Workspace
// has analysed the name since).
func (p *Parsed) ReplaceComment(d *syntax.Def, text string) bool {
	w := p.rd.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if p.done || w.docs[p.rd.name] != nil {
		return false
	}
	return p.rd.f.ReplaceComment(d, w.opts.Reader().Dialect, text)
}

// Analyze finishes the analysis: the Result of Workspace.Analyze of the
// same name and text. It is read again from scratch when the Workspace
// has analysed that name since, or when Analyze was called before.
func (p *Parsed) Analyze() *Result {
	w := p.rd.w
	w.mu.Lock()
	if p.done || w.docs[p.rd.name] != nil {
		w.mu.Unlock()
		return w.Analyze(p.rd.name, p.rd.src)
	}
	defer w.mu.Unlock()
	p.done = true
	st := p.rd.check()
	w.docs[p.rd.name] = st
	return st.result
}

// start gives the context a root file is read in: the one the options'
// Context hook gives it (its includer's), else the preloaded files read in
// order, each in the context of those before it.
func (s *session) start(abs string) (*syntax.Context, []*syntax.File) {
	if h := s.w.opts.Context; h != nil {
		if ctx := h(abs); ctx != nil {
			for p := range ctx.Loaded {
				s.included[p] = true
			}
			return ctx, nil
		}
	}
	var ctx *syntax.Context
	var pre []*syntax.File
	for _, p := range s.w.opts.Preload {
		cp := cleanPath(p)
		if cp == abs {
			continue
		}
		pf, err := s.include(cp, source.NewFile(abs, nil), true, ctx)
		if err == nil && pf != nil {
			pre = append(pre, pf)
			ctx = &syntax.Context{Dict: pf.Exports, Base: pf.EndBase, From: pf.Source.Name, Loaded: s.loadedSet(), Missing: pf.Missing}
		}
	}
	return ctx, pre
}

// loadedSet copies the set of files loaded so far.
func (s *session) loadedSet() map[string]bool {
	m := make(map[string]bool, len(s.included))
	for k := range s.included {
		m[k] = true
	}
	return m
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

// include resolves and reads an included file in ctx. A file already
// being included (a cycle) or already required is skipped: its words are
// already in the dictionary.
func (s *session) include(path string, from *source.File, once bool, ctx *syntax.Context) (*syntax.File, error) {
	full, src, err := s.find(path, from.Name)
	if err != nil {
		return nil, err
	}
	if s.active[full] {
		return nil, nil // a cycle: Forth would loop; we stop
	}
	if once && s.included[full] {
		return nil, nil
	}
	if s.depth >= s.w.opts.MaxIncludeDepth {
		return nil, &SourceError{Path: full, Code: diag.IncludeTooDeep,
			Msg: fmt.Sprintf("includes nested more than %d deep: %s is not read", s.w.opts.MaxIncludeDepth, full)}
	}
	if ctx != nil && ctx.Loaded == nil {
		ctx.Loaded = s.loadedSet()
	}
	s.included[full] = true
	key := parseKey{path: full, text: hashBytes(src), ctx: ctx.Fingerprint()}
	if c, ok := s.w.parsed[key]; ok && bytes.Equal(c.src, src) {
		c.gen = s.w.gen
		s.note(c.file)
		s.replay(c.file)
		return c.file, nil
	}
	s.active[full] = true
	s.depth++
	cfg := s.w.config(s.include, nil)
	cfg.Context = ctx
	f := syntax.Parse(source.NewFile(full, src), cfg)
	s.depth--
	delete(s.active, full)
	s.w.parsed[key] = &cachedFile{src: src, file: f, gen: s.w.gen}
	s.note(f)
	return f, nil
}

// note records the first reading of a file in this session.
func (s *session) note(f *syntax.File) {
	if !s.seen[f.Source.Name] {
		s.seen[f.Source.Name] = true
		s.loaded = append(s.loaded, f)
	}
}

// replay marks the files a cached reading included as loaded, as reading
// it again would have.
func (s *session) replay(f *syntax.File) {
	for _, inc := range f.Includes {
		if inc.File != nil && inc.File != f {
			s.included[inc.File.Source.Name] = true
			s.note(inc.File)
			s.replay(inc.File)
		}
	}
}

func hashBytes(b []byte) uint64 { return maphash.Bytes(hashSeed, b) }

var hashSeed = maphash.MakeSeed()

// sweepParsed drops readings no analysis used lately.
func (w *Workspace) sweepParsed() {
	w.gen++
	if w.gen%16 != 0 && len(w.parsed) < 1024 {
		return
	}
	for k, c := range w.parsed {
		if w.gen-c.gen > 8 {
			delete(w.parsed, k)
		}
	}
}

func (s *session) find(path, from string) (string, []byte, error) {
	for _, c := range IncludeCandidates(path, from, s.w.opts.IncludePaths) {
		if s.w.disk {
			st, err := os.Stat(c)
			if err != nil {
				continue
			}
			full := cleanPath(c)
			if df, ok := s.w.read[full]; ok && df.mod.Equal(st.ModTime()) && df.size == st.Size() {
				return full, df.src, nil
			}
			src, err := ReadSource(c)
			if err != nil {
				if errors.Is(err, ErrNotFound) {
					continue
				}
				return "", nil, err
			}
			s.w.read[full] = &diskFile{src: src, mod: st.ModTime(), size: st.Size()}
			return full, src, nil
		}
		src, err := s.w.opts.ReadFile(c)
		if err == nil {
			return cleanPath(c), src, nil
		}
		var se *SourceError
		if errors.As(err, &se) {
			return "", nil, err
		}
	}
	return "", nil, errNotFound
}

// config is how this Workspace reads files.
func (w *Workspace) config(include func(string, *source.File, bool, *syntax.Context) (*syntax.File, error), preload []*syntax.File) syntax.Config {
	c := w.opts.config()
	c.Include, c.Preload = include, preload
	return c
}

// Reader is how files are read under these options: the dialect (with
// the word files' words) and float literals; no includes.
func (o Options) Reader() syntax.Config {
	return syntax.Config{NoFloats: o.NoFloats, Dialect: ResolveDialect(o.Dialect, o.Words)}
}

// config is Reader with the project's hooks: how the Workspace reads the
// files it analyses.
func (o Options) config() syntax.Config {
	c := o.Reader()
	c.Elsewhere, c.ElsewhereError = o.Elsewhere, o.ElsewhereError
	return c
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
