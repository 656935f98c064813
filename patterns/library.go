// Package patterns is Fast Forth's library of Forth code patterns and the
// code generator built on it: pattern files (FORMAT.md) are read once into
// in-memory indexes (by ID, by category, by word for search), templates are
// rendered with validated parameters, and every generated definition is
// checked by the stack-effect analysis. A JSON spec (spec.go) turns into a
// verified definition and Forth 2012 tests, which gforth can run (run.go)
// with the embedded tester (tester.fs).
//
// The package knows nothing of LSP or the command line; both front ends
// use it.
package patterns

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/project"
)

//go:embed library/*.forth-patterns
var libraryFS embed.FS

//go:generate go test -run TestGeneratedLibrary -update-library .

// UserDir is where a workspace keeps its own patterns, relative to its
// root.
const UserDir = ".fastforth/patterns"

// Ext is the file name ending of pattern files.
const Ext = ".forth-patterns"

// cacheSize bounds the instance cache of each Library.
const cacheSize = 1024

// Library is a set of patterns with its indexes. It is immutable once made
// and safe for concurrent use (the instance cache locks itself).
type Library struct {
	list       []*Pattern // by ID
	byID       map[string]*Pattern
	byCategory map[string][]*Pattern
	categories []Category // by ID
	index      map[string][]posting
	words      []string // the index's words, sorted, for prefix search
	// Diagnostics are the problems of the files read (those patterns are
	// left out).
	Diagnostics []Diagnostic
	// Notes say which user patterns override builtin ones.
	Notes []Diagnostic
	cache *lru.Cache[string, *Generated]
	// The search index, built on first use (searchIndex).
	indexOnce sync.Once
	// The ranking index of generation (rank.go), built on first use.
	rankOnce sync.Once
	rankI    *rankIndex
}

// posting is one pattern a search word occurs in, with its weight there.
type posting struct {
	p      *Pattern
	weight int
}

var (
	builtinOnce sync.Once
	builtin     *Library
)

// Builtin returns the embedded library, made once per process from the
// patterns read ahead of time (library_gen.go, which TestGeneratedLibrary
// checks against the files): a cold process neither reads the files nor
// indexes them.
func Builtin() *Library {
	builtinOnce.Do(func() {
		l := &Library{byID: make(map[string]*Pattern, len(genPatterns)), list: make([]*Pattern, len(genPatterns))}
		for i := range genPatterns {
			p := &genPatterns[i]
			l.list[i] = p
			l.byID[p.ID] = p
		}
		l.byCategory = map[string][]*Pattern{}
		for _, p := range l.list {
			l.byCategory[p.Category] = append(l.byCategory[p.Category], p)
		}
		l.categories = genCategories
		l.cache, _ = lru.New[string, *Generated](cacheSize)
		l.rankOnce.Do(func() { l.rankI = &genRank })
		builtin = l
	})
	return builtin
}

// LoadFS reads the pattern files of dir in fsys into a new Library;
// their problems are in its Diagnostics.
func LoadFS(fsys fs.FS, dir string) *Library {
	l := &Library{byID: map[string]*Pattern{}}
	names, _ := fs.Glob(fsys, dir+"/*"+Ext)
	sort.Strings(names)
	cats := map[string]Category{}
	for _, n := range names {
		src, err := fs.ReadFile(fsys, n)
		if err != nil {
			l.Diagnostics = append(l.Diagnostics, Diagnostic{File: n, Message: err.Error()})
			continue
		}
		l.addFile(n, src, false, cats)
	}
	l.build(cats)
	return l
}

// addFile reads one pattern file into l; its patterns replace any of the
// same ID.
func (l *Library) addFile(name string, src []byte, user bool, cats map[string]Category) {
	pf, diags := parseFile(name, src, user)
	l.Diagnostics = append(l.Diagnostics, diags...)
	if pf.Category.ID == "" {
		return
	}
	if c, ok := cats[pf.Category.ID]; !ok || c.Title == "" {
		cats[pf.Category.ID] = pf.Category
	}
	for _, p := range pf.Patterns {
		p.User = user
		prev, dup := l.byID[p.ID]
		if dup && prev.User == user {
			l.Diagnostics = append(l.Diagnostics, Diagnostic{File: name, Line: p.Line, Pattern: p.ID,
				Message: fmt.Sprintf("pattern %s is defined again (first in %s:%d)", p.ID, prev.File, prev.Line)})
			continue
		}
		if dup && user {
			// Said so: a workspace can replace a builtin pattern, but
			// not without the user knowing.
			p.Overrides = fmt.Sprintf("%s:%d", prev.File, prev.Line)
			l.Notes = append(l.Notes, Diagnostic{File: name, Line: p.Line,
				Message: fmt.Sprintf("pattern %s overrides builtin %s (%s)", p.ID, p.ID, p.Overrides)})
		}
		l.byID[p.ID] = p
	}
}

// build makes the indexes from byID.
func (l *Library) build(cats map[string]Category) {
	l.list = l.list[:0]
	for _, p := range l.byID {
		l.list = append(l.list, p)
	}
	sort.Slice(l.list, func(i, j int) bool { return l.list[i].ID < l.list[j].ID })
	l.byCategory = map[string][]*Pattern{}
	used := map[string]bool{}
	for _, p := range l.list {
		l.byCategory[p.Category] = append(l.byCategory[p.Category], p)
		used[p.Category] = true
	}
	l.categories = nil
	for id, c := range cats {
		if used[id] {
			l.categories = append(l.categories, c)
		}
	}
	sort.Slice(l.categories, func(i, j int) bool { return l.categories[i].ID < l.categories[j].ID })
	l.cache, _ = lru.New[string, *Generated](cacheSize)
}

// WithUser returns the library with the pattern files of dir (a
// workspace's .fastforth/patterns) added: a user pattern with the ID of a
// builtin one replaces it. A missing dir gives l itself. Malformed files
// give diagnostics (in the result's Diagnostics), never a failure.
func (l *Library) WithUser(dir string) *Library {
	files, err := filepath.Glob(filepath.Join(dir, "*"+Ext))
	if err != nil || len(files) == 0 {
		return l
	}
	n := &Library{byID: make(map[string]*Pattern, len(l.byID)+8), Diagnostics: append([]Diagnostic(nil), l.Diagnostics...),
		Notes: append([]Diagnostic(nil), l.Notes...)}
	for id, p := range l.byID {
		n.byID[id] = p
	}
	cats := map[string]Category{}
	for _, c := range l.categories {
		cats[c.ID] = c
	}
	sort.Strings(files)
	for _, f := range files {
		// A hostile repository's pattern file may be a link to a device
		// or a FIFO, or huge: read only regular files of sane size.
		src, err := analysis.ReadSource(f)
		if err != nil {
			n.Diagnostics = append(n.Diagnostics, Diagnostic{File: f, Message: err.Error()})
			continue
		}
		n.addFile(f, src, true, cats)
	}
	n.build(cats)
	return n
}

// FindUserDir looks for a workspace's pattern directory in dir and its
// parents up to the project root, never above it; "" when there is none.
// The project root is analysis/project's: the nearest directory holding
// fastforth.toml, else the nearest version-control root, else dir
// itself. (Above the project, a .fastforth/patterns belongs to someone
// else: a home directory, a shared /tmp.)
func FindUserDir(dir string) string {
	return FindUserDirIn(dir, "")
}

// FindUserDirIn is FindUserDir within the project rooted at root (empty:
// the project dir belongs to, as project.Discover finds it).
func FindUserDirIn(dir, root string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if root == "" {
		root, _ = project.Discover(dir)
	}
	if !within(dir, root) {
		return ""
	}
	for {
		p := filepath.Join(dir, UserDir)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if dir == root || parent == dir || !within(parent, root) {
			return ""
		}
		dir = parent
	}
}

// within reports whether dir is root or below it.
func within(dir, root string) bool {
	rel, err := filepath.Rel(root, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Get returns the pattern with the given ID, or nil.
func (l *Library) Get(id string) *Pattern { return l.byID[id] }

// All returns every pattern, by ID. The slice is shared: do not modify it.
func (l *Library) All() []*Pattern { return l.list }

// Len is the number of patterns.
func (l *Library) Len() int { return len(l.list) }

// ByCategory returns the patterns of a category, by ID (nil for an
// unknown category). The slice is shared: do not modify it.
func (l *Library) ByCategory(category string) []*Pattern { return l.byCategory[category] }

// Categories lists the categories that have patterns, by ID.
func (l *Library) Categories() []Category { return l.categories }

// Category returns a category's description.
func (l *Library) Category(id string) (Category, bool) {
	for _, c := range l.categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

// Instantiate renders pattern id with params and verifies the result,
// remembering it: the same pattern and parameters are rendered and
// verified once.
func (l *Library) Instantiate(id string, params map[string]string) (*Generated, error) {
	p := l.byID[id]
	if p == nil {
		return nil, fmt.Errorf("no pattern %q", id)
	}
	vals, errs := p.resolveParams(params)
	if len(errs) > 0 {
		return nil, errs
	}
	key := cacheKey(id, vals)
	if g, ok := l.cache.Get(key); ok {
		return g, nil
	}
	in, err := p.render(vals)
	if err != nil {
		return nil, err
	}
	g := &Generated{Instance: in, Verification: VerifyShape(in.Code, in.Name(), p.Effect, p.shape)}
	l.cache.Add(key, g)
	return g, nil
}

// rendered is Instantiate's instance without its verification: from
// the cache when it has it, else rendered (and not remembered: the cache
// holds verified instances only). The errors are Instantiate's.
func (l *Library) rendered(id string, params map[string]string) (*Instance, error) {
	p := l.byID[id]
	if p == nil {
		return nil, fmt.Errorf("no pattern %q", id)
	}
	vals, errs := p.resolveParams(params)
	if len(errs) > 0 {
		return nil, errs
	}
	if g, ok := l.cache.Get(cacheKey(id, vals)); ok {
		return g.Instance, nil
	}
	return p.render(vals)
}

// Generated is a verified (or not) instance.
type Generated struct {
	*Instance
	Verification *Verification
}

// cacheKey identifies an instance: the pattern ID and the resolved
// parameters (defaults filled in, so that leaving a parameter out and
// giving its default share an entry), JSON-encoded so that no value can
// forge a separator.
func cacheKey(id string, vals map[string]string) string {
	// Strings and a map of strings always encode; values are valid
	// UTF-8 (validateValue), which JSON keeps as it is.
	b, _ := json.Marshal(struct {
		ID     string            `json:"id"`
		Params map[string]string `json:"params"`
	}{id, vals})
	return string(b)
}

// userLib is a workspace's library and the state of its files when read.
type userLib struct {
	stamp string
	lib   *Library
}

var userLibs sync.Map // user pattern directory -> *userLib

// ForDir returns the library for files in dir: the builtin one with the
// patterns of the nearest .fastforth/patterns above dir. It is read again
// only when a file there changes (name, size or time), so that callers
// such as the language server can ask on every request.
func ForDir(dir string) *Library {
	return ForDirIn(dir, "")
}

// ForDirIn is ForDir within the project rooted at root (empty: the one
// dir belongs to).
func ForDirIn(dir, root string) *Library {
	ud := FindUserDirIn(dir, root)
	if ud == "" {
		return Builtin()
	}
	stamp := dirStamp(ud)
	if v, ok := userLibs.Load(ud); ok && v.(*userLib).stamp == stamp {
		return v.(*userLib).lib
	}
	l := Builtin().WithUser(ud)
	userLibs.Store(ud, &userLib{stamp: stamp, lib: l})
	return l
}

func dirStamp(dir string) string {
	files, _ := filepath.Glob(filepath.Join(dir, "*"+Ext))
	var b strings.Builder
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			fmt.Fprintf(&b, "%s\x00%d\x00%d\n", f, st.Size(), st.ModTime().UnixNano())
		}
	}
	return b.String()
}

// markerPrefix starts the comment line that generated code carries above
// its definition, naming the pattern it came from.
const markerPrefix = `\ From pattern `

// nonDefault ends the marker when the parameters were not the examples.
const nonDefault = " (non-default parameters)"

// Marker is the comment line naming an instance's pattern.
func (in *Instance) Marker() string {
	m := markerPrefix + in.Pattern.ID
	if !in.ExampleTests {
		m += nonDefault
	}
	return m
}

// ParseMarker reads a marker line: the pattern ID and whether the
// parameters were the examples (so that the pattern's tests hold).
func ParseMarker(line string) (id string, examples, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), markerPrefix)
	if !ok {
		return "", false, false
	}
	id, nd := strings.CutSuffix(rest, nonDefault)
	id = strings.TrimSpace(id)
	return id, !nd, patternRE().MatchString(id)
}

// Empty returns a library with no patterns (to which WithUser adds a
// workspace's own, alone).
func Empty() *Library {
	l := &Library{byID: map[string]*Pattern{}}
	l.build(map[string]Category{})
	return l
}

// searchIndex builds the search index on first use.
func (l *Library) searchIndex() {
	l.indexOnce.Do(func() {
		l.index = buildIndex(l.list)
		l.words = make([]string, 0, len(l.index))
		for w := range l.index {
			l.words = append(l.words, w)
		}
		sort.Strings(l.words)
	})
}
