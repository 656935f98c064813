package lsp

import (
	"bytes"
	"path/filepath"
	"strings"

	"go.uber.org/zap"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/project"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Projects: every document belongs to the Forth project of its file (the
// directory holding fastforth.toml, else the nearest version-control root,
// else its own directory; see analysis/project), read the way the CLI
// reads it: the project file's dialect, include paths, preloaded files and
// word files, with the editor's settings over them. A file that another
// project file includes is read in the context its first includer (in
// load order) gives it: the words defined before the include.
//
// The context of an open document is computed off the per-keystroke path,
// once, and kept: typing in the document itself reuses it. It is worked
// out again when a file it comes from changes before the include (an
// includer edited above its includes, a file saved or changed on disk, the
// settings changed), and kept as the same value when its content did not
// change, so that the document's incremental analysis goes on.

// lspProject is a project the server has open documents of.
type lspProject struct {
	root string
	proj *project.Project
	ws   *analysis.Workspace
	ctx  map[string]*docContext // open documents' contexts, by path
}

// docContext is an open document's context, and whether it is current.
type docContext struct {
	ctx   *syntax.Context
	valid bool
}

// projectOf returns the project of a document, opening it the first time.
// Documents that are not files (untitled buffers) share one project with
// no files: the settings alone apply.
func (w *worker) projectOf(name string) *lspProject {
	dir := filepath.Dir(name)
	if !filepath.IsAbs(name) {
		dir = ""
	}
	root, ok := w.rootOf[dir]
	if !ok {
		if dir != "" {
			// A document of a workspace folder with no project file
			// and no version-control root above it: the folder is the
			// project.
			root, _ = project.DiscoverWithin(name, w.folderOf(name))
		}
		w.rootOf[dir] = root
	}
	if lp := w.projects[root]; lp != nil {
		return lp
	}
	st := w.settings()
	over := project.Overrides{Dialect: st.Dialect, IncludePaths: st.IncludePaths, Preload: st.Preload}
	if !st.Floats {
		nf := true
		over.NoFloats = &nf
	}
	lp := &lspProject{root: root, ctx: map[string]*docContext{}}
	if root != "" {
		lp.proj = project.Open(root, over)
		if len(lp.proj.AllProblems()) > 0 {
			w.log.Warn("project file problems", zap.String("root", root), zap.Int("problems", len(lp.proj.AllProblems())))
		}
	} else {
		lp.proj = project.Empty(over)
	}
	opts := lp.proj.Options(root)
	// Words of files that are not loaded stay undefined for the analysis
	// here: the editor's features (rename, references, the require fix)
	// work from the workspace index, which says where they are defined.
	opts.Elsewhere = nil
	opts.ReadFile = w.readFile
	opts.Context = lp.lookup
	lp.ws = analysis.New(opts)
	w.projects[root] = lp
	w.log.Debug("project", zap.String("root", root), zap.String("file", lp.proj.File), zap.Int("files", len(lp.proj.Files())))
	return lp
}

// lookup is the analysis' Context hook: the kept context, never computed
// here (the hook runs inside the analysis, which holds its lock).
func (lp *lspProject) lookup(path string) *syntax.Context {
	if c := lp.ctx[path]; c != nil {
		return c.ctx
	}
	return nil
}

// ensureContext makes d's context current before d is analysed.
func (w *worker) ensureContext(lp *lspProject, d *document) {
	c := lp.ctx[d.name]
	if c != nil && c.valid {
		return
	}
	var ctx *syntax.Context
	if lp.root != "" {
		group := lp.proj.GroupFor(d.name)
		pre := lp.proj.Preload(group[0])
		if group[0] != d.name || len(group) > 1 || len(pre) > 0 {
			ctx = lp.ws.ContextIn(group, pre, d.name)
		}
	}
	if c != nil && c.ctx != nil && ctx != nil && c.ctx.Fingerprint() == ctx.Fingerprint() {
		// The same words as before: keep the value, so that the
		// document's analysis goes on incrementally.
		ctx = c.ctx
	}
	if c != nil && c.ctx != ctx {
		// What the document is read in changed: its diagnostics are
		// published again even though its text did not change.
		d.hasPublished = false
	}
	lp.ctx[d.name] = &docContext{ctx: ctx, valid: true}
}

// invalidateContexts marks the contexts of the open documents of a
// project to be worked out again, and those documents to be published
// again (which costs nothing when the context comes out the same).
func (w *worker) invalidateContexts(lp *lspProject) {
	for _, c := range lp.ctx {
		c.valid = false
	}
	for _, d := range w.docs {
		if w.projectOf(d.name) == lp && !isPatternFile(d.name) && !isProjectFile(d.name) {
			d.analyzed = nil
			w.dirty[d] = true
		}
	}
}

// editedAbove reports whether an edit of an open file, from old to new
// text, changed anything before its last include: only such an edit can
// change what the files it includes are read in.
func editedAbove(r *analysis.Result, old, new []byte) bool {
	if r == nil || len(r.File.Includes) == 0 {
		return false
	}
	last := 0
	for _, inc := range r.File.Includes {
		if inc.End > inc.Start || inc.End > 0 {
			last = max(last, r.File.TopAbs(inc.End))
		}
	}
	n := min(len(old), len(new))
	p := 0
	for p+64 <= n && bytes.Equal(old[p:p+64], new[p:p+64]) {
		p += 64
	}
	for p < n && old[p] == new[p] {
		p++
	}
	return p < last
}

// projectsChanged re-reads files of the projects after they changed on
// disk (or were saved), and makes contexts be worked out again.
func (w *worker) projectsChanged(paths []string) {
	for _, lp := range w.projects {
		if lp.root == "" {
			continue
		}
		var mine []string
		for _, p := range paths {
			if within(p, lp.root) {
				mine = append(mine, p)
			}
		}
		if len(mine) == 0 {
			continue
		}
		if lp.proj.Refresh(mine) {
			// The project file itself changed: open the project again.
			delete(w.projects, lp.root)
			for _, d := range w.docs {
				if within(d.name, lp.root) {
					w.reanalyze(d)
				}
			}
			continue
		}
		w.invalidateContexts(lp)
	}
}

// projectFileResult reads an open project file (fastforth.toml): its
// problems are the document's diagnostics.
func (w *worker) projectFileResult(f *source.File) *analysis.Result {
	empty := w.emptyResult()
	r := *empty
	file := *empty.File
	file.Source = f
	r.File = &file
	_, probs := project.ParseConfig(f.Name, f.Src)
	for _, p := range probs {
		line := max(p.Line, 1) - 1
		start, end := f.LineStart(line), f.LineEnd(line)
		if p.File != f.Name {
			// A word file's problem: shown on the project file's first
			// line, naming the file.
			start, end = f.LineStart(0), f.LineEnd(0)
		}
		r.Diags = append(r.Diags, diag.Diagnostic{Start: start, End: end, Severity: diag.Error, Code: diag.BadProject, Message: p.Error()})
	}
	return &r
}

// isProjectFile reports whether a document is a project file.
func isProjectFile(name string) bool { return filepath.Base(name) == project.FileName }

// folderOf is the workspace folder holding a file, the innermost when
// folders nest; "" when none does.
func (w *worker) folderOf(name string) string {
	best := ""
	for _, f := range w.space.list() {
		if rel, err := filepath.Rel(f, name); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && len(f) > len(best) {
			best = f
		}
	}
	return best
}
