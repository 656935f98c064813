package analysis

import (
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// FileResult is the analysis of one file as a load read it.
type FileResult struct {
	Path  string // clean absolute path
	File  *syntax.File
	Defs  []*infer.Result // one per definition of the file, in source order
	Diags []diag.Diagnostic
}

// Loaded is one load: root files read in order in one dictionary, as
// "gforth a.fs b.fs" reads them, and every file they included.
type Loaded struct {
	// Files lists every file read, in load order, each once: a file's
	// first reading is its reading in the load.
	Files   []*FileResult
	Checker *infer.Checker
	// Context is the dictionary at the end of the load.
	Context *syntax.Context
	byPath  map[string]*FileResult
}

// File returns the result for a file read in the load, or nil.
func (l *Loaded) File(path string) *FileResult { return l.byPath[cleanPath(path)] }

// Load reads preload, then roots, in one growing dictionary (a root
// already read as another's include is not read again) and checks every
// file read. Each root is read with the words of everything before it.
func (w *Workspace) Load(roots, preload []string) *Loaded {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := newSession(w)
	var ctx *syntax.Context
	step := func(path string, once bool) {
		abs := cleanPath(path)
		if s.included[abs] {
			return
		}
		f, err := s.include(abs, source.NewFile(abs, nil), once, ctx)
		if err == nil && f != nil {
			ctx = &syntax.Context{Dict: f.Exports, Base: f.EndBase, From: abs, Loaded: s.loadedSet(), Missing: f.Missing}
		}
	}
	for _, p := range preload {
		step(p, true)
	}
	for _, r := range roots {
		step(r, false)
	}
	l := &Loaded{Checker: infer.NewChecker(), Context: ctx, byPath: map[string]*FileResult{}}
	for _, f := range s.loaded {
		fr := &FileResult{Path: f.Source.Name, File: f}
		fr.Diags = f.AllDiags()
		for _, d := range f.Defs {
			r := l.Checker.Def(d)
			fr.Defs = append(fr.Defs, r)
			for _, x := range r.Diags {
				x.Start, x.End = f.Abs(d.Epoch, int32(x.Start)), f.Abs(d.Epoch, int32(x.End))
				fr.Diags = append(fr.Diags, x)
			}
		}
		fr.Diags = append(fr.Diags, l.Checker.Top(f)...)
		sortDiags(fr.Diags)
		l.Files = append(l.Files, fr)
		l.byPath[fr.Path] = fr
	}
	w.sweepParsed()
	return l
}

// ContextIn is the context target is read in when the load group roots
// (after preload) is loaded: its first includer's dictionary and base at
// the include, with the files loaded before it. It is nil when no file of
// the load includes target and target is not a root; a root is read in
// the context of the preloaded files and the roots before it. Readings
// are cached, so asking again after an edit re-reads only what changed.
func (w *Workspace) ContextIn(roots, preload []string, target string) *syntax.Context {
	w.mu.Lock()
	defer w.mu.Unlock()
	target = cleanPath(target)
	s := newSession(w)
	var ctx, found *syntax.Context
	step := func(path string, once bool) bool {
		abs := cleanPath(path)
		if abs == target {
			found = ctx
			if found == nil {
				found = &syntax.Context{}
			}
			return true
		}
		if s.included[abs] {
			return false
		}
		f, err := s.include(abs, source.NewFile(abs, nil), once, ctx)
		if err == nil && f != nil {
			if c := includeContext(f, target, map[*syntax.File]bool{}); c != nil {
				found = c
				return true
			}
			ctx = &syntax.Context{Dict: f.Exports, Base: f.EndBase, From: abs, Loaded: s.loadedSet(), Missing: f.Missing}
		}
		return false
	}
	for _, p := range preload {
		if step(p, true) {
			break
		}
	}
	if found == nil {
		for _, r := range roots {
			if step(r, false) {
				break
			}
		}
	}
	w.sweepParsed()
	if found != nil && found.Dict == nil {
		return nil
	}
	return found
}

// includeContext finds the first include of target in f or the files it
// includes, in reading order, and returns the context it was read in.
func includeContext(f *syntax.File, target string, seen map[*syntax.File]bool) *syntax.Context {
	if f == nil || seen[f] {
		return nil
	}
	seen[f] = true
	for _, inc := range f.Includes {
		if inc.File != nil && inc.File.Source.Name == target && inc.Ctx != nil {
			return inc.Ctx
		}
		if c := includeContext(inc.File, target, seen); c != nil {
			return c
		}
	}
	return nil
}
