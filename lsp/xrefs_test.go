package lsp

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fastforth/fastforth/analysis/syntax"
)

// The workspace of the references tests: lib.fs defines helper, which
// main.fs (including it) and sub/deep.fs (including main.fs) use;
// loose.fs uses it without any definition (it relies on its includer);
// other.fs uses a helper of its own, and shadow.fs uses lib.fs's before
// defining its own.
var xrefFiles = map[string]string{
	"lib.fs":      "\\ lib\n: helper ( -- ) ;\n: twice ( -- ) helper helper ;\n",
	"main.fs":     "require lib.fs\n: go ( -- ) helper .\" helper\" ; \\ helper in a comment\nhelper ' helper drop\n",
	"sub/deep.fs": "require ../main.fs\n( helper ) helper\n",
	"loose.fs":    ": f ( -- ) helper ;\n",
	"other.fs":    ": helper ( -- ) ;\nhelper\n",
	"shadow.fs":   "require lib.fs\nhelper\n: helper ( -- ) ;\nhelper\n",
}

// xrefWant is every use of lib.fs's helper, without its declaration.
func xrefWant(t *testing.T, dir string) []location {
	u := func(name string) string { return wsURI(filepath.Join(dir, filepath.FromSlash(name))) }
	r := func(name string, line int, n int) location {
		return location{u(name), wordRange(t, xrefFiles[name], line, "helper", n)}
	}
	return []location{
		r("lib.fs", 2, 0), r("lib.fs", 2, 1),
		r("main.fs", 1, 0), r("main.fs", 2, 0), r("main.fs", 2, 1),
		r("sub/deep.fs", 1, 1), // not the one in the comment
		r("loose.fs", 0, 0),
		r("shadow.fs", 1, 0), // before its own definition only
	}
}

// TestWorkspaceReferences: references reach every workspace file that
// uses the definition (through its includes, or relying on its
// includer), whether asked from the definition or from a use, whichever
// documents are open, and leave out strings, comments and uses of other
// definitions of the name.
func TestWorkspaceReferences(t *testing.T) {
	dir := t.TempDir()
	wsTree(t, dir, xrefFiles)
	h := startServer(t, Options{}, nil)
	wsInitialize(t, h.Client, []string{dir}, progressCaps)
	checkProgress(t, wsProgress(t, h.Client))

	uri := func(name string) string { return wsURI(filepath.Join(dir, filepath.FromSlash(name))) }
	uses := xrefWant(t, dir)
	decl := location{uri("lib.fs"), wordRange(t, xrefFiles["lib.fs"], 1, "helper", 0)}
	fromUse := posParams(uri("main.fs"), wordAt(t, xrefFiles["main.fs"], 1, "helper", 0))
	fromDef := posParams(uri("lib.fs"), decl.Range.Start)
	fromTick := posParams(uri("main.fs"), wordAt(t, xrefFiles["main.fs"], 2, "helper", 1))
	fromLoose := posParams(uri("loose.fs"), wordAt(t, xrefFiles["loose.fs"], 0, "helper", 0))

	refs := func(params map[string]any, withDecl bool) []location {
		p := map[string]any{}
		for k, v := range params {
			p[k] = v
		}
		p["context"] = map[string]any{"includeDeclaration": withDecl}
		return locations(t, h, "textDocument/references", p)
	}
	close := func(name string) {
		h.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri(name)}})
	}

	for _, step := range []struct {
		what  string
		open  []string // opened before the step
		close []string // closed before the step
		from  map[string]any
	}{
		{"from a use, main.fs open", []string{"main.fs"}, nil, fromUse},
		{"from the tick, main.fs open", nil, nil, fromTick},
		{"from the definition, both open", []string{"lib.fs"}, nil, fromDef},
		{"from the definition, lib.fs open", nil, []string{"main.fs"}, fromDef},
		{"from a use, main.fs and loose.fs open", []string{"main.fs", "loose.fs"}, []string{"lib.fs"}, fromUse},
	} {
		for _, name := range step.open {
			open(h, uri(name), xrefFiles[name], 1)
		}
		for _, name := range step.close {
			close(name)
		}
		sameLocations(t, step.what+", without the declaration", refs(step.from, false), uses)
		sameLocations(t, step.what+", with the declaration", refs(step.from, true), append([]location{decl}, uses...))
	}

	// other.fs's own helper: its uses, and loose.fs's, which may rely on
	// any definition.
	other, shadow := xrefFiles["other.fs"], xrefFiles["shadow.fs"]
	looseUse := location{uri("loose.fs"), wordRange(t, xrefFiles["loose.fs"], 0, "helper", 0)}
	otherDecl := location{uri("other.fs"), wordRange(t, other, 0, "helper", 0)}
	otherUse := location{uri("other.fs"), wordRange(t, other, 1, "helper", 0)}
	open(h, uri("other.fs"), other, 1)
	sameLocations(t, "other.fs's helper", refs(posParams(uri("other.fs"), otherUse.Range.Start), true),
		[]location{otherDecl, otherUse, looseUse})

	// A use that no included file defines: every definition in the
	// workspace is a candidate, and so are the uses of each.
	shadowDecl := location{uri("shadow.fs"), wordRange(t, shadow, 2, "helper", 0)}
	shadowUse := location{uri("shadow.fs"), wordRange(t, shadow, 3, "helper", 0)}
	sameLocations(t, "from a loose use", refs(fromLoose, true),
		append([]location{decl, otherDecl, otherUse, shadowDecl, shadowUse}, uses...))
}

// TestIndexUses: what an index entry records of a file's words.
func TestIndexUses(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       map[string][]int32 // name → own of each use
		incs       []string
	}{
		{"own and undefined", ": a ( -- ) ;\n: b a c ;\nc a\n", map[string][]int32{"a": {0, 0}, "c": {-1, -1}}, nil},
		{"strings and comments", ": a .\" b\" ( b ) ;\n\\ b\n", nil, nil},
		{"builtins", ": a dup drop ;\n", nil, nil},
		{"tick, postpone, to", "' x drop 0 to v : m postpone y ;\n", map[string][]int32{"x": {-1}, "v": {-1}, "y": {-1}}, nil},
		{"includes", "require a.fs\ninclude sub/b.fs\nfoo\n", map[string][]int32{"foo": {-1}}, []string{"a.fs", "sub/b.fs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := indexSource("/tmp/x.fs", []byte(tc.text), syntax.Config{}, encUTF16)
			got := map[string][]int32{}
			for n, us := range f.uses {
				for _, u := range us {
					got[n] = append(got[n], u.own)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("uses %v, want %v", got, tc.want)
			}
			for n, w := range tc.want {
				if len(got[n]) != len(w) {
					t.Fatalf("uses %v, want %v", got, tc.want)
				}
				for i := range w {
					if got[n][i] != w[i] {
						t.Errorf("uses of %s: %v, want %v", n, got[n], w)
					}
				}
			}
			if len(f.incs) != len(tc.incs) {
				t.Fatalf("includes %v, want %v", f.incs, tc.incs)
			}
			for i := range tc.incs {
				if f.incs[i] != tc.incs[i] {
					t.Errorf("includes %v, want %v", f.incs, tc.incs)
				}
			}
		})
	}
	// The ranges are those of the words.
	f := indexSource("/tmp/x.fs", []byte("\n  foo\n"), syntax.Config{}, encUTF16)
	if us := f.uses["foo"]; len(us) != 1 || us[0].rng.Start.Line != 1 || us[0].rng.Start.Character != 2 || us[0].rng.End.Character != 5 {
		t.Errorf("range of foo: %+v", us)
	}
}

// BenchmarkIndexSource reads gforth's own sources as the indexer does,
// uses included, to show what recording the uses costs.
func BenchmarkIndexSource(b *testing.B) {
	paths, _ := filepath.Glob("/usr/share/gforth/0.7.3/*.fs")
	if len(paths) == 0 {
		b.Skip("no gforth sources")
	}
	var srcs [][]byte
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	b.ReportAllocs()
	uses := 0
	for b.Loop() {
		uses = 0
		for i, src := range srcs {
			f := indexSource(paths[i], src, syntax.Config{}, encUTF16)
			for _, us := range f.uses {
				uses += len(us)
			}
		}
	}
	b.ReportMetric(float64(uses), "uses")
	b.ReportMetric(float64(len(srcs)), "files")
}
