package lsp

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis/syntax"
)

// Workspace-wide references. A word defined in file X is used, beyond
// the document asked about, by every workspace file whose include
// closure holds X, and by the files that call it without any definition
// of their own or in their closure (they rely on whoever includes them).
// A file that resolves the name to another definition (its own, earlier)
// does not use X.
//
// Index entries record their uses at index time (xuses, from the same
// syntax.Parse as their definitions, includes ignored); open documents
// are read from their analysis on the worker (see openXrefs), since
// their buffers win over the disk and Remap is needed.

// maxReferences bounds the locations of one references answer: a common
// name in a huge workspace would otherwise make a reply no editor can
// show.
const maxReferences = 2000

// xuse is one use of a word in an indexed file.
type xuse struct {
	rng protocol.Range
	// own is the index in the file's defs of the definition the use
	// resolves to in the file itself, or -1 when it is not defined there
	// (yet): the word comes from an include or the includer.
	own int32
}

// indexable reports whether d is one of the definitions an index entry
// holds (indexDefs), given its absolute offsets.
func indexable(f *syntax.File, d *syntax.Def) bool {
	if d.Name == "" || d.Outer != nil {
		return false
	}
	start, end := f.Abs(d.Epoch, d.Start), f.Abs(d.Epoch, d.End)
	return end <= len(f.Source.Src) && start <= end
}

// indexUses lists the uses of words in f that name a definition of f
// itself or nothing (undefined: an include or the includer defines
// them), by lower-case name; builtins are left out. The ranges are
// converted now, as the file's text is not kept.
func indexUses(f *syntax.File, enc encoding) map[string][]xuse {
	src := f.Source.Src
	slot := map[*syntax.Def]int32{}
	n := int32(0)
	for _, d := range f.Defs {
		if indexable(f, d) {
			slot[d] = n
			n++
		}
	}
	out := map[string][]xuse{}
	add := func(ref syntax.Ref, s, e int) {
		if s < 0 || s >= e || e > len(src) || ref.B != nil {
			return
		}
		own := int32(-1)
		name := builtins.LowerASCII(string(src[s:e]))
		if ref.D != nil {
			i, ok := slot[ref.D]
			if !ok || ref.D.Name != name {
				return
			}
			own = i
		}
		out[name] = append(out[name], xuse{rng: toRange(f.Source, s, e, enc), own: own})
	}
	walk := func(ops []syntax.Op, abs func(int32) int) {
		for i := range ops {
			op := &ops[i]
			switch op.Kind {
			case syntax.OpCall, syntax.OpUndefined:
				add(op.Ref, abs(op.Start), abs(op.End))
			case syntax.OpTick, syntax.OpPostpone, syntax.OpTo:
				add(op.Target, abs(op.ArgStart), abs(op.ArgEnd))
			}
		}
	}
	for _, d := range f.Defs {
		walk(d.Body, func(x int32) int { return f.Abs(d.Epoch, x) })
	}
	walk(f.Top, func(x int32) int { return f.TopAbs(x) })
	if len(out) == 0 {
		return nil
	}
	return out
}

// includePaths lists the paths f includes, as written.
func includePaths(f *syntax.File) []string {
	var out []string
	for _, inc := range f.Includes {
		if inc.Path != "" {
			out = append(out, inc.Path)
		}
	}
	return out
}

// xtarget is a definition whose references are asked for: the file that
// defines it and where its name starts there.
type xtarget struct {
	path string
	name string // lower case
	pos  protocol.Position
	// unique is set when the file defines name once: a use resolved to
	// its definition is a use of the target even if positions moved.
	unique bool
}

// matches reports whether a definition of name at pos in path is t.
func (t *xtarget) matches(path string, pos protocol.Position) bool {
	return path == t.path && (t.unique || pos == t.pos)
}

// xrefTargets lists the definitions the word at t names, for a
// workspace-wide search: the user definition it resolves to, or the
// definitions in other workspace files of an undefined word. It runs on
// the worker.
func xrefTargets(snap *snapshot, t *occ) []xtarget {
	if snap == nil || t == nil || snap.index == nil {
		return nil
	}
	var out []xtarget
	switch t.kind {
	case occDef:
		d := t.def
		if d.Name == "" || d.Outer != nil {
			return nil
		}
		var path string
		var pos protocol.Position
		if isLocalDef(snap.result, d) {
			path = snap.file.Name
			pos = toPosition(snap.file, snap.result.File.Abs(d.Epoch, d.NameStart), snap.enc)
		} else if d.File != nil {
			path = d.File.Name
			if s := int(d.NameStart); s >= 0 && s <= len(d.File.Src) {
				pos = toPosition(d.File, s, snap.enc)
			}
		}
		if !filepath.IsAbs(path) {
			return nil // an untitled document: no other file can include it
		}
		out = append(out, xtarget{path: path, name: d.Name, pos: pos})
	case occUndefined:
		name := snap.wordAt(t.start, t.end)
		for _, h := range snap.elsewhere(name) {
			out = append(out, xtarget{path: h.file.path, name: name, pos: h.def.sel.Start})
		}
	}
	for i := range out {
		out[i].unique = snap.index.definitions(out[i].path, out[i].name) <= 1
	}
	return out
}

// openXrefs lists the uses of the targets in the open documents other
// than skip, from their analysis (it runs on the worker: occurrences
// uses Remap). It returns them and the paths of the documents read.
func (w *worker) openXrefs(targets []xtarget, skip uri.URI) ([]place, map[string]bool) {
	seen := map[string]bool{}
	if len(targets) == 0 {
		return nil, seen
	}
	name := targets[0].name
	var out []place
	docs := make([]*document, 0, len(w.docs))
	for u, d := range w.docs {
		seen[d.name] = true
		// The text filter spares analysing documents that cannot use it.
		if u != skip && filepath.IsAbs(d.name) && !isPatternFile(d.name) && mentions(d.file.Src, name) {
			docs = append(docs, d)
		}
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].name < docs[j].name })
	enc := w.s.encoding()
	for _, d := range docs {
		r := w.analyze(d)
		if r == nil || r.File == nil {
			continue
		}
		closure := closureOf(r.File)
		loose := !definesName(r.File, name) && !includesDefine(r.File, name)
		for _, o := range w.occurrencesOf(d, r) {
			if o.decl {
				continue
			}
			ok := false
			switch o.kind {
			case occDef:
				dd := o.def
				if dd.Name != name {
					break
				}
				for i := range targets {
					t := &targets[i]
					if isLocalDef(r, dd) {
						ok = ok || t.matches(d.name, toPosition(r.File.Source, r.File.Abs(dd.Epoch, dd.NameStart), enc))
					} else if dd.File != nil && int(dd.NameStart) <= len(dd.File.Src) {
						ok = ok || t.matches(dd.File.Name, toPosition(dd.File, int(dd.NameStart), enc))
					}
				}
			case occUndefined:
				if strings.EqualFold(string(r.File.Source.Src[o.start:o.end]), name) {
					ok = loose
					for i := range targets {
						ok = ok || (targets[i].path != d.name && closure[targets[i].path])
					}
				}
			}
			if ok {
				out = append(out, place{d.uri, r.File.Source, o.start, o.end})
			}
		}
	}
	return out, seen
}

// mentions is a cheap filter: whether name (lower case) appears in src,
// in any case.
func mentions(src []byte, name string) bool {
	return bytes.Contains(bytes.ToLower(src), []byte(name))
}

// includesDefine reports whether a file f includes, directly or not,
// defines name.
func includesDefine(f *syntax.File, name string) bool {
	for _, inc := range f.Includes {
		if inc.File != nil && inc.File.Added.Lookup(name) != nil {
			return true
		}
	}
	return false
}

// indexXrefs lists the uses of the targets in the indexed files, except
// those of skip (open documents, read from their analysis instead),
// ordered by path. dirs are the include search directories. It runs off
// the worker: index entries are immutable.
func (ix *wsIndex) indexXrefs(targets []xtarget, skip map[string]bool, dirs []string, limit int) []protocol.Location {
	if len(targets) == 0 || limit <= 0 {
		return nil
	}
	name := targets[0].name
	ix.mu.RLock()
	files := make(map[string]*indexFile, len(ix.files))
	for p, f := range ix.files {
		files[p] = f
	}
	ix.mu.RUnlock()
	var users []*indexFile
	for p, f := range files {
		if !skip[p] && len(f.uses[name]) > 0 {
			users = append(users, f)
		}
	}
	sort.Slice(users, func(i, j int) bool { return users[i].path < users[j].path })
	var out []protocol.Location
	for _, f := range users {
		closure := indexClosure(files, f, dirs)
		has := false
		for i := range targets {
			has = has || (targets[i].path != f.path && closure[targets[i].path])
		}
		loose := !has && !fileDefines(f, name)
		if loose {
			for p := range closure {
				if g := files[p]; p != f.path && g != nil && fileDefines(g, name) {
					loose = false
					break
				}
			}
		}
		for _, u := range f.uses[name] {
			ok := has || loose
			if u.own >= 0 {
				ok = false
				if int(u.own) < len(f.defs) {
					for i := range targets {
						ok = ok || targets[i].matches(f.path, f.defs[u.own].sel.Start)
					}
				}
			}
			if ok {
				out = append(out, protocol.Location{URI: f.uri, Range: u.rng})
				if len(out) >= limit {
					return out
				}
			}
		}
	}
	return out
}

func fileDefines(f *indexFile, name string) bool {
	for i := range f.defs {
		if f.defs[i].name == name {
			return true
		}
	}
	return false
}

// indexClosure is f's include closure as far as the index knows it:
// includes are resolved as the analysis does (next to the includer,
// then in dirs), against the indexed files.
func indexClosure(files map[string]*indexFile, f *indexFile, dirs []string) map[string]bool {
	out := map[string]bool{}
	var walk func(f *indexFile)
	walk = func(f *indexFile) {
		if out[f.path] {
			return
		}
		out[f.path] = true
		for _, p := range f.incs {
			for _, c := range analysis.IncludeCandidates(p, f.path, dirs) {
				if g := files[c]; g != nil {
					walk(g)
					break
				}
				if st, err := os.Stat(c); err == nil && !st.IsDir() {
					// Not indexed (outside the folders): still in the
					// closure, though what it includes is not known.
					out[c] = true
					break
				}
			}
		}
	}
	walk(f)
	return out
}

// workspaceRefs gathers, on the worker, the uses of the word at t in the
// other open documents, and returns a function that adds, off the
// worker, those of the indexed files; both come after the document's
// own, without duplicates, at most maxReferences in all.
func (w *worker) workspaceRefs(snap *snapshot, t *occ) func(out []protocol.Location) []protocol.Location {
	targets := xrefTargets(snap, t)
	if len(targets) == 0 {
		return func(out []protocol.Location) []protocol.Location { return out }
	}
	opens, skip := w.openXrefs(targets, snap.uri)
	skip[snap.file.Name] = true
	for p := range w.paths {
		skip[p] = true
	}
	dirs := w.settings().IncludePaths
	ix, enc := snap.index, snap.enc
	return func(out []protocol.Location) []protocol.Location {
		type key struct {
			u uri.URI
			r protocol.Range
		}
		have := map[key]bool{}
		for _, l := range out {
			have[key{l.URI, l.Range}] = true
		}
		add := func(l protocol.Location) {
			if len(out) < maxReferences && !have[key{l.URI, l.Range}] {
				have[key{l.URI, l.Range}] = true
				out = append(out, l)
			}
		}
		var more []protocol.Location
		for _, p := range opens {
			more = append(more, p.location(enc))
		}
		more = append(more, ix.indexXrefs(targets, skip, dirs, maxReferences)...)
		sort.SliceStable(more, func(i, j int) bool { return more[i].URI < more[j].URI })
		for _, l := range more {
			add(l)
		}
		return out
	}
}
