package project

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Proposal is a project file worked out from what a project's files say,
// with the reason for each value.
type Proposal struct {
	Root         string
	Dialect      string
	DialectWhy   string
	Load         []string // relative to Root
	LoadWhy      string
	IncludePaths []string
	IncludeWhy   string
	Files        []FileRule
	FilesWhy     []string
	// Scores are the undefined words each dialect leaves, fewest first.
	Scores []DialectScore
}

// DialectScore is how many of the project's words a dialect leaves
// undefined.
type DialectScore struct {
	Dialect   string
	Undefined int
}

// harnessNames are the usual names of test harness files.
var harnessNames = []string{"tester.fs", "tester.fr", "tester.fth", "ttester.fs", "ttester.fth", "tester.f", "tester.4th"}

// Propose looks at the project at root (which has no project file yet)
// and works out a project file for it: the dialect whose words explain the
// most words the files use, the files nothing includes as the entry
// files, the directories includes need, and the harness test files need.
func Propose(root string) *Proposal {
	return propose(Open(root, Overrides{Dialect: builtins.DefaultDialect}))
}

// ProposeAt is Propose for the directory root itself, whatever project
// (version-control root) it lies in.
func ProposeAt(root string) *Proposal {
	p := &Project{Root: root, Config: &Config{}, over: Overrides{Dialect: builtins.DefaultDialect}, spaces: map[string]*analysis.Workspace{},
		scan: map[string]*scanned{}, includers: map[string][]string{}, names: map[string][]DefSite{}, texts: map[string][]byte{}}
	p.readWords()
	p.list()
	return propose(p)
}

func propose(p *Project) *Proposal {
	p.scanAll()
	pr := &Proposal{Root: p.Root}
	pr.chooseDialect(p)
	pr.chooseLoad(p)
	pr.chooseIncludePaths(p)
	pr.chooseHarness(p)
	return pr
}

// chooseDialect reads every file with every dialect (includes ignored)
// and counts the words left undefined that no project file defines.
func (pr *Proposal) chooseDialect(p *Project) {
	type file struct {
		sf  *source.File
		ext string
	}
	var files []file
	for _, path := range p.files {
		src, err := readRegular(path)
		if err == nil {
			files = append(files, file{source.NewFile(path, src), strings.ToLower(filepath.Ext(path))})
		}
	}
	for _, name := range builtins.Dialects() {
		d, err := builtins.Get(name)
		if err != nil {
			continue
		}
		n := 0
		for _, f := range files {
			if !slices.Contains(ForthExts, f.ext) && !slices.Contains(d.Rules.Extensions, f.ext) {
				continue
			}
			parsed := syntax.Parse(f.sf, syntax.Config{Dialect: d})
			for _, x := range parsed.AllDiags() {
				if x.Code != diag.Undefined {
					continue
				}
				w := builtins.LowerASCII(string(f.sf.Src[x.Start:x.End]))
				if len(p.names[w]) == 0 {
					n++
				}
			}
		}
		pr.Scores = append(pr.Scores, DialectScore{name, n})
	}
	// Fewest undefined words first; on a tie, the default, then the
	// smaller dictionary (the more specific system).
	sort.SliceStable(pr.Scores, func(i, j int) bool {
		a, b := pr.Scores[i], pr.Scores[j]
		if a.Undefined != b.Undefined {
			return a.Undefined < b.Undefined
		}
		if a.Dialect == builtins.DefaultDialect || b.Dialect == builtins.DefaultDialect {
			return a.Dialect == builtins.DefaultDialect
		}
		return builtins.MustGet(a.Dialect).Len() < builtins.MustGet(b.Dialect).Len()
	})
	if len(pr.Scores) == 0 {
		pr.Dialect = builtins.DefaultDialect
		return
	}
	best := pr.Scores[0]
	pr.Dialect = best.Dialect
	var others []string
	for _, s := range pr.Scores[1:min(4, len(pr.Scores))] {
		others = append(others, fmt.Sprintf("%s %d", s.Dialect, s.Undefined))
	}
	pr.DialectWhy = fmt.Sprintf("its words leave %d word(s) of the project's files undefined (next: %s)", best.Undefined, strings.Join(others, ", "))
}

// chooseLoad proposes the files nothing includes that include others (the
// programs), when there are few enough to be read as one load.
func (pr *Proposal) chooseLoad(p *Project) {
	var roots, programs []string
	for _, f := range p.files {
		if len(p.includers[f]) > 0 {
			continue
		}
		rel, _ := filepath.Rel(p.Root, f)
		roots = append(roots, filepath.ToSlash(rel))
		if sc := p.scan[f]; sc != nil && len(sc.includes) > 0 {
			programs = append(programs, filepath.ToSlash(rel))
		}
	}
	var abs []string
	for _, r := range programs {
		abs = append(abs, filepath.Join(p.Root, r))
	}
	covered := len(p.closure(abs))
	switch {
	case len(programs) > 0 && covered*2 < len(p.files):
		pr.LoadWhy = fmt.Sprintf("%d files are not included by any other (%s); the ones that include others load only %d of the %d files: each file is checked as its own program, so no load order is stated (list the entry files here to state one)",
			len(roots), summary(roots, 5), covered, len(p.files))
	case len(programs) == 1:
		pr.Load = programs
		pr.LoadWhy = fmt.Sprintf("%s is the one file that nothing includes and that includes others: the program", programs[0])
	case len(programs) > 1 && len(programs) <= 3 && len(programs) == len(roots):
		pr.Load = programs
		pr.LoadWhy = fmt.Sprintf("nothing includes these %d files, which include the others; they are loaded in this order, each seeing the words of those before it", len(programs))
	default:
		pr.LoadWhy = fmt.Sprintf("%d files are not included by any other (%s): each is checked as its own program, so no load order is stated (list the entry files here to state one)",
			len(roots), summary(roots, 5))
	}
}

// chooseIncludePaths proposes directories under which includes that are
// not found next to their file or at the root are found.
func (pr *Proposal) chooseIncludePaths(p *Project) {
	var missing []string
	seen := map[string]bool{}
	for _, path := range p.files {
		src, err := readRegular(path)
		if err != nil {
			continue
		}
		f := syntax.Parse(source.NewFile(path, src), p.Options(path).Reader())
		for _, inc := range f.Includes {
			found := false
			for _, c := range analysis.IncludeCandidates(inc.Path, path, p.IncludeDirs()) {
				if st, err := os.Stat(c); err == nil && st.Mode().IsRegular() {
					found = true
					break
				}
			}
			if !found && !seen[inc.Path] {
				seen[inc.Path] = true
				missing = append(missing, inc.Path)
			}
		}
	}
	dirs := map[string]int{}
	for _, m := range missing {
		for _, f := range p.files {
			if strings.HasSuffix(filepath.ToSlash(f), "/"+filepath.ToSlash(m)) {
				d := strings.TrimSuffix(filepath.ToSlash(f), "/"+filepath.ToSlash(m))
				rel, _ := filepath.Rel(p.Root, d)
				dirs[filepath.ToSlash(rel)]++
				break
			}
		}
	}
	for d := range dirs {
		pr.IncludePaths = append(pr.IncludePaths, d)
	}
	sort.Strings(pr.IncludePaths)
	if len(pr.IncludePaths) > 0 {
		var parts []string
		for _, d := range pr.IncludePaths {
			parts = append(parts, fmt.Sprintf("%s finds %d", d, dirs[d]))
		}
		pr.IncludeWhy = fmt.Sprintf("%d included file name(s) are found neither next to their includer nor at the root: %s", len(missing), strings.Join(parts, ", "))
	}
}

// chooseHarness proposes preloading a test harness for the test files
// that use its words without including it.
func (pr *Proposal) chooseHarness(p *Project) {
	var harness string
	for _, f := range p.files {
		if slices.Contains(harnessNames, strings.ToLower(filepath.Base(f))) {
			harness = f
			break
		}
	}
	if harness == "" {
		return
	}
	hsc := p.scan[harness]
	_ = hsc
	dirs := map[string]int{}
	for _, f := range p.files {
		if f == harness || p.closure([]string{f})[harness] || len(p.includers[f]) > 0 {
			continue
		}
		src, err := readRegular(f)
		if err != nil {
			continue
		}
		if strings.Contains(string(src), "T{") || strings.Contains(string(src), "t{") {
			rel, _ := filepath.Rel(p.Root, filepath.Dir(f))
			dirs[filepath.ToSlash(rel)]++
		}
	}
	rel, _ := filepath.Rel(p.Root, harness)
	for d, n := range dirs {
		match := d + "/**"
		if d == "." {
			match = "**"
		}
		pr.Files = append(pr.Files, FileRule{Match: match, Preload: []string{filepath.ToSlash(rel)}})
		pr.FilesWhy = append(pr.FilesWhy, fmt.Sprintf("%d file(s) in %s use T{ ... }T without including %s", n, d, filepath.ToSlash(rel)))
	}
	sort.SliceStable(pr.Files, func(i, j int) bool { return pr.Files[i].Match < pr.Files[j].Match })
	sort.Strings(pr.FilesWhy)
}

func summary(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}

// TOML writes the proposal as a project file, each value with its reason
// as a comment.
func (pr *Proposal) TOML() string {
	var b strings.Builder
	b.WriteString("# fastforth.toml: how this Forth project is loaded (written by `fastforth init`).\n")
	b.WriteString("# Every key is described in the Fast Forth README, section \"Project file\".\n\n")
	fmt.Fprintf(&b, "# %s\ndialect = %s\n\n", pr.DialectWhy, strconv.Quote(pr.Dialect))
	fmt.Fprintf(&b, "# %s\n", pr.LoadWhy)
	if len(pr.Load) > 0 {
		fmt.Fprintf(&b, "load = %s\n\n", tomlList(pr.Load))
	} else {
		b.WriteString("# load = []\n\n")
	}
	if len(pr.IncludePaths) > 0 {
		fmt.Fprintf(&b, "# %s\ninclude-paths = %s\n\n", pr.IncludeWhy, tomlList(pr.IncludePaths))
	}
	for i, r := range pr.Files {
		fmt.Fprintf(&b, "# %s\n[[files]]\nmatch = %s\npreload = %s\n\n", pr.FilesWhy[i], strconv.Quote(r.Match), tomlList(r.Preload))
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func tomlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
