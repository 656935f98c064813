package project

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// ForthExts are the file name endings of Forth sources in every dialect;
// a dialect may add its own (Mecrisp's .txt).
var ForthExts = []string{".fs", ".fth", ".4th", ".f", ".forth", ".fr", ".fb"}

// MaxFileSize bounds the files read as part of a project.
const MaxFileSize = 4 << 20

// vcsMarkers name the entries a version-control root holds.
var vcsMarkers = []string{".git", ".hg", ".svn", ".bzr", "_darcs", ".fossil", "_FOSSIL_", ".jj"}

// Overrides are settings that win over the project file: the command
// line's flags, or the editor's settings. Empty fields leave the
// project's value.
type Overrides struct {
	Dialect      string
	IncludePaths []string // absolute, or relative to the working directory
	Preload      []string
	Words        []string
	NoFloats     *bool
}

// Project is a Forth project: its root directory, its project file (if
// any), its files, and which file includes which.
type Project struct {
	// Root is the directory that holds the project file, else the
	// nearest version-control root, else the directory given.
	Root string
	// File is the project file's path, or "" when there is none.
	File   string
	Config *Config
	// Problems are the project file's problems (none when it is good).
	Problems []Problem

	over    Overrides
	words   []*builtins.Word
	wordErr []Problem

	files     []string // the project's Forth files, clean absolute paths, sorted
	inProject map[string]bool
	// The files are read on their own lazily: scan holds those read so
	// far; includers is complete (and names filled) once all are.
	scan       map[string]*scanned
	allScanned bool
	texts      map[string][]byte
	includers  map[string][]string
	names      map[string][]DefSite
	spaces     map[string]*analysis.Workspace
}

// scanned is what a file's own reading (includes ignored) says.
type scanned struct {
	includes []string // resolved, clean absolute paths
}

// DefSite is where a project file defines a name at its top level.
type DefSite struct {
	Name    string // lower case
	File    string // clean absolute path
	Line    int    // 1-based
	Start   int
	End     int
	Display string
	// Def is the definition as the file's own reading read it.
	Def *syntax.Def
}

// Discover finds the project a path belongs to: the nearest directory at
// or above it holding a project file, else the nearest version-control
// root, else the path itself (its directory for a file).
func Discover(path string) (root, file string) {
	return DiscoverWithin(path, "")
}

// DiscoverWithin is Discover for an editor's workspace folder folder
// (empty: none): a path in it with neither a project file nor a
// version-control root above it belongs to the folder's project.
func DiscoverWithin(path, folder string) (root, file string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	dir := abs
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		dir = filepath.Dir(abs)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, FileName)); err == nil && st.Mode().IsRegular() {
			return d, filepath.Join(d, FileName)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	for d := dir; ; d = filepath.Dir(d) {
		for _, m := range vcsMarkers {
			if _, err := os.Stat(filepath.Join(d, m)); err == nil {
				return d, ""
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if folder != "" {
		if f, err := filepath.Abs(folder); err == nil && within(dir, f) {
			return f, ""
		}
	}
	return dir, ""
}

// Open opens the project that path belongs to, reading its project file
// (problems are in Problems; a project with problems still opens, with
// what could be read) and listing and reading its files.
func Open(path string, over Overrides) *Project {
	root, file := Discover(path)
	p := &Project{Root: root, File: file, Config: &Config{}, over: over, spaces: map[string]*analysis.Workspace{}}
	if file != "" {
		c, probs := ReadConfig(file)
		p.Problems = probs
		if c != nil {
			p.Config = c
		}
	}
	p.readWords()
	p.list()
	p.scan, p.includers, p.names, p.texts = map[string]*scanned{}, map[string][]string{}, map[string][]DefSite{}, map[string][]byte{}
	return p
}

// Empty is a project without files: what a buffer that is not a file
// (an editor's untitled document) is read in. Only the overrides apply.
func Empty(over Overrides) *Project {
	p := &Project{Config: &Config{}, over: over, spaces: map[string]*analysis.Workspace{}, allScanned: true,
		inProject: map[string]bool{}, scan: map[string]*scanned{}, includers: map[string][]string{}, names: map[string][]DefSite{}, texts: map[string][]byte{}}
	p.readWords()
	return p
}

// Refresh reads the given files again after they changed on disk (or
// appeared, or went away). It reports true when one of them is the
// project file or a word file: then the project must be opened again.
func (p *Project) Refresh(paths []string) bool {
	for _, path := range paths {
		path = cleanAbs(path)
		if path == p.File || filepath.Base(path) == FileName && within(path, p.Root) {
			return true
		}
		for _, w := range p.Config.Words {
			if p.abs(w) == path {
				return true
			}
		}
	}
	for _, path := range paths {
		path = cleanAbs(path)
		p.forget(path)
		st, err := os.Stat(path)
		rel, _ := filepath.Rel(p.Root, path)
		if err != nil || !st.Mode().IsRegular() || st.Size() > MaxFileSize || !p.IsForth(path) || p.Config.excluded(rel) || !within(path, p.Root) {
			continue
		}
		if !p.inProject[path] {
			p.inProject[path] = true
			p.files = append(p.files, path)
			sort.Strings(p.files)
		}
		if p.allScanned {
			p.scanFile(path, p.IncludeDirs())
		}
	}
	return false
}

// forget drops what the project knows of a file.
func (p *Project) forget(path string) {
	if sc := p.scan[path]; sc != nil {
		for _, inc := range sc.includes {
			p.includers[inc] = slices.DeleteFunc(p.includers[inc], func(s string) bool { return s == path })
		}
	}
	delete(p.scan, path)
	delete(p.texts, path)
	for name, sites := range p.names {
		p.names[name] = slices.DeleteFunc(sites, func(s DefSite) bool { return s.File == path })
	}
	if p.inProject[path] {
		delete(p.inProject, path)
		p.files = slices.DeleteFunc(p.files, func(s string) bool { return s == path })
	}
}

// OK reports whether the project file has no problems.
func (p *Project) OK() bool { return len(p.Problems) == 0 && len(p.wordErr) == 0 }

// AllProblems lists the project file's problems and those of its word
// files.
func (p *Project) AllProblems() []Problem { return append(slices.Clone(p.Problems), p.wordErr...) }

func (p *Project) abs(rel string) string {
	if filepath.IsAbs(rel) {
		return filepath.Clean(rel)
	}
	return filepath.Join(p.Root, rel)
}

// readWords reads the word files of the project file and the overrides.
func (p *Project) readWords() {
	var paths []string
	for _, w := range p.Config.Words {
		paths = append(paths, p.abs(w))
	}
	for _, w := range p.over.Words {
		a, _ := filepath.Abs(w)
		paths = append(paths, a)
	}
	p.words = p.readWordFiles(paths)
}

func (p *Project) readWordFiles(paths []string) []*builtins.Word {
	var ws []*builtins.Word
	for _, path := range paths {
		src, err := readRegular(path)
		if err != nil {
			p.wordErr = append(p.wordErr, Problem{File: path, Msg: err.Error()})
			continue
		}
		got, errs := builtins.ParseWordFile(path, src)
		for _, e := range errs {
			p.wordErr = append(p.wordErr, Problem{File: e.File, Line: e.Line, Col: 1, Msg: e.Msg})
		}
		ws = append(ws, got...)
	}
	return ws
}

// readRegular reads a source file (see analysis.ReadSource).
func readRegular(path string) ([]byte, error) { return analysis.ReadSource(path) }

// DialectName is the dialect that applies to a file.
func (p *Project) DialectName(path string) string {
	if p.over.Dialect != "" {
		return p.over.Dialect
	}
	name := p.Config.Dialect
	for _, r := range p.rules(path) {
		if r.Dialect != "" {
			name = r.Dialect
		}
	}
	if _, err := builtins.Get(name); err != nil {
		return builtins.DefaultDialect
	}
	if name == "" {
		return builtins.DefaultDialect
	}
	return name
}

func (p *Project) rules(path string) []FileRule {
	rel, err := filepath.Rel(p.Root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil
	}
	return p.Config.rulesFor(rel)
}

// Exts lists the file name endings the project's files have.
func (p *Project) Exts() []string {
	exts := slices.Clone(ForthExts)
	if d, err := builtins.Get(p.DialectName(p.Root)); err == nil {
		for _, e := range d.Rules.Extensions {
			if e = strings.ToLower(e); !slices.Contains(exts, e) {
				exts = append(exts, e)
			}
		}
	}
	return exts
}

// IsForth reports whether a file name has a Forth ending for the project.
func (p *Project) IsForth(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return slices.Contains(p.Exts(), ext)
}

// list finds the project's files: every Forth file under the root that is
// not excluded, in a hidden directory or node_modules, not reached through
// a symbolic link leading out of the root or to anything but a regular
// file, and not larger than MaxFileSize.
func (p *Project) list() {
	p.inProject = map[string]bool{}
	filepath.WalkDir(p.Root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != p.Root && (strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			if rel, _ := filepath.Rel(p.Root, path); path != p.Root && p.Config.excluded(rel+"/") {
				return filepath.SkipDir
			}
			return nil
		}
		if !p.IsForth(name) {
			return nil
		}
		rel, _ := filepath.Rel(p.Root, path)
		if p.Config.excluded(rel) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			t, err := filepath.EvalSymlinks(path)
			if err != nil || !within(t, p.Root) {
				return nil
			}
		}
		st, err := os.Stat(path)
		if err != nil || !st.Mode().IsRegular() || st.Size() > MaxFileSize {
			return nil
		}
		p.files = append(p.files, path)
		p.inProject[path] = true
		return nil
	})
	sort.Strings(p.files)
}

func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Files lists the project's Forth files (clean absolute paths, sorted).
func (p *Project) Files() []string { return p.files }

// Contains reports whether a file is one of the project's.
func (p *Project) Contains(path string) bool { return p.inProject[cleanAbs(path)] }

func cleanAbs(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return filepath.Clean(path)
}

// IncludeDirs are searched, after the including file's directory, for
// included files: the project's root (gforth searches the directory it
// runs in), the include paths, and the dialect's library directories.
func (p *Project) IncludeDirs() []string {
	dirs := []string{p.Root}
	for _, d := range p.Config.IncludePaths {
		dirs = append(dirs, p.abs(d))
	}
	for _, d := range p.over.IncludePaths {
		a, _ := filepath.Abs(d)
		dirs = append(dirs, a)
	}
	if d, err := builtins.Get(p.DialectName(p.Root)); err == nil {
		for _, g := range d.Rules.Libraries {
			matches, _ := filepath.Glob(g)
			for _, m := range matches {
				if st, err := os.Stat(m); err == nil && st.IsDir() && !slices.Contains(dirs, m) {
					dirs = append(dirs, m)
				}
			}
		}
	}
	return dirs
}

// scanAll reads every project file on its own (includes ignored) to learn
// which files it includes and which names it defines.
func (p *Project) scanAll() {
	if p.allScanned {
		return
	}
	dirs := p.IncludeDirs()
	for _, path := range p.files {
		if p.scan[path] == nil {
			p.scanFile(path, dirs)
		}
	}
	p.allScanned = true
}

// scanned is a file's own reading, done the first time it is asked for.
func (p *Project) scanned(path string) *scanned {
	if sc, ok := p.scan[path]; ok {
		return sc
	}
	if !p.inProject[path] {
		// A file outside the project (a library): read it too, for
		// closures, but it is never a root or an includer.
		p.scanFile(path, p.IncludeDirs())
		return p.scan[path]
	}
	p.scanFile(path, p.IncludeDirs())
	return p.scan[path]
}

// text is a project file's text, read once.
func (p *Project) text(path string) []byte {
	if t, ok := p.texts[path]; ok {
		return t
	}
	src, _ := readRegular(path)
	p.texts[path] = src
	return src
}

// includersOf lists the project files that include path. Until every file
// has been read, only the files whose text mentions path's name are: an
// include names the file.
func (p *Project) includersOf(path string) []string {
	if p.allScanned {
		return p.includers[path]
	}
	base := []byte(filepath.Base(path))
	var out []string
	for _, f := range p.files {
		if f == path || !bytes.Contains(p.text(f), base) {
			continue
		}
		if slices.Contains(p.scanned(f).includes, path) {
			out = append(out, f)
		}
	}
	return out
}

// scanFile reads one project file on its own.
func (p *Project) scanFile(path string, dirs []string) {
	src := p.text(path)
	if src == nil {
		p.scan[path] = &scanned{}
		return
	}
	opts := p.Options(path)
	sf := source.NewFile(path, src)
	f := syntax.Parse(sf, opts.Reader())
	sc := &scanned{}
	for _, inc := range f.Includes {
		for _, c := range analysis.IncludeCandidates(inc.Path, path, dirs) {
			if st, err := os.Stat(c); err == nil && st.Mode().IsRegular() {
				c = cleanAbs(c)
				sc.includes = append(sc.includes, c)
				if p.inProject[c] && c != path {
					p.includers[c] = append(p.includers[c], path)
				}
				break
			}
		}
	}
	for _, d := range f.Defs {
		if d.Name == "" || d.Outer != nil {
			continue
		}
		pos := sf.Position(int(d.NameStart))
		p.names[d.Name] = append(p.names[d.Name], DefSite{Name: d.Name, Display: d.Display, File: path, Line: pos.Line + 1, Start: int(d.NameStart), End: int(d.NameEnd), Def: d})
	}
	p.scan[path] = sc
}

// Includers lists the project files that include path.
func (p *Project) Includers(path string) []string { return p.includersOf(cleanAbs(path)) }

// Defined lists where project files define name (lower case). The first
// call reads every file of the project.
func (p *Project) Defined(name string) []DefSite {
	p.scanAll()
	return p.names[name]
}

// LoadOrderStated reports whether the project file names the entry files.
func (p *Project) LoadOrderStated() bool { return len(p.Config.Load) > 0 }

// Roots lists the load groups in load order: first the project file's
// load list (read in one dictionary), then each file that no project file
// includes, on its own, then files reached only through include cycles.
func (p *Project) Roots() [][]string {
	p.scanAll()
	var groups [][]string
	covered := map[string]bool{}
	if len(p.Config.Load) > 0 {
		var g []string
		for _, l := range p.Config.Load {
			g = append(g, p.abs(l))
		}
		groups = append(groups, g)
		for f := range p.closure(g) {
			covered[f] = true
		}
	}
	for _, f := range p.files {
		if len(p.includers[f]) == 0 && !covered[f] {
			groups = append(groups, []string{f})
			for g := range p.closure([]string{f}) {
				covered[g] = true
			}
		}
	}
	for _, f := range p.files {
		if !covered[f] {
			groups = append(groups, []string{f})
			for g := range p.closure([]string{f}) {
				covered[g] = true
			}
		}
	}
	return groups
}

// closure is the set of files reachable from roots through includes.
func (p *Project) closure(roots []string) map[string]bool {
	seen := map[string]bool{}
	stack := slices.Clone(roots)
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[f] {
			continue
		}
		seen[f] = true
		if sc := p.scanned(f); sc != nil {
			stack = append(stack, sc.includes...)
		}
	}
	return seen
}

// GroupFor returns the first load group (in load order) that reads path:
// the project file's load list when it reaches path, else the first (by
// name) of the files that nothing includes and that include path,
// directly or not.
func (p *Project) GroupFor(path string) []string {
	path = cleanAbs(path)
	if len(p.Config.Load) > 0 {
		var g []string
		for _, l := range p.Config.Load {
			g = append(g, p.abs(l))
		}
		if p.closure(g)[path] {
			return g
		}
	}
	seen := map[string]bool{path: true}
	queue := []string{path}
	var roots []string
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		incs := p.includersOf(f)
		if len(incs) == 0 {
			roots = append(roots, f)
		}
		for _, i := range incs {
			if !seen[i] {
				seen[i] = true
				queue = append(queue, i)
			}
		}
	}
	if len(roots) == 0 {
		// Only include cycles lead to path: the first file of the cycle.
		for f := range seen {
			roots = append(roots, f)
		}
	}
	sort.Strings(roots)
	return []string{roots[0]}
}

// Options are the analysis options for a file of the project: its
// dialect, words, include directories and floats.
func (p *Project) Options(path string) analysis.Options {
	o := analysis.Options{Dialect: p.DialectName(path), IncludePaths: p.IncludeDirs(), Words: p.words}
	if p.Config.Floats != nil && !*p.Config.Floats {
		o.NoFloats = true
	}
	if p.over.NoFloats != nil {
		o.NoFloats = *p.over.NoFloats
	}
	var extra []string
	for _, r := range p.rules(path) {
		for _, w := range r.Words {
			extra = append(extra, p.abs(w))
		}
	}
	if len(extra) > 0 {
		o.Words = append(slices.Clone(p.words), p.readWordFiles(extra)...)
	}
	if p.Root != "" {
		o.Elsewhere = p.elsewhere
		o.ElsewhereError = p.LoadOrderStated()
	}
	return o
}

// elsewhere finds a word that another project file defines (see
// syntax.Config.Elsewhere): its first definition outside the file from.
func (p *Project) elsewhere(from, name string) *syntax.Def {
	for _, s := range p.Defined(name) {
		if s.File != from && s.Def != nil {
			return s.Def
		}
	}
	return nil
}

// Preload lists the files loaded before a root file: the overrides', the
// project file's, then those of the [[files]] sections matching it.
func (p *Project) Preload(root string) []string {
	var out []string
	for _, f := range p.over.Preload {
		a, _ := filepath.Abs(f)
		out = append(out, a)
	}
	for _, f := range p.Config.Preload {
		out = append(out, p.abs(f))
	}
	for _, r := range p.rules(root) {
		for _, f := range r.Preload {
			out = append(out, p.abs(f))
		}
	}
	return out
}

// Disabled reports whether diagnostics with code are off for path.
func (p *Project) Disabled(path string, code diag.Code) bool {
	if slices.Contains(p.Config.Disable, string(code)) {
		return true
	}
	for _, r := range p.rules(path) {
		if slices.Contains(r.Disable, string(code)) {
			return true
		}
	}
	return false
}

// workspace returns the analysis workspace for a file's options, made
// once per distinct dialect and word set.
func (p *Project) workspace(path string) *analysis.Workspace {
	o := p.Options(path)
	key := fmt.Sprintf("%s|%v|%d", o.Dialect, o.NoFloats, len(o.Words))
	if ws, ok := p.spaces[key]; ok {
		return ws
	}
	ws := analysis.New(o)
	p.spaces[key] = ws
	return ws
}
