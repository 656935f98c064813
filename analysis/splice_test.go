package analysis

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// fullSummary is summary with everything else a front end shows of a
// definition: its declared effect, its reason and where its name is.
func fullSummary(r *Result) string {
	var sb strings.Builder
	sb.WriteString(summary(r))
	for i, dr := range r.Defs {
		d := r.File.Defs[i]
		decl := "-"
		if dr.Declared != nil {
			decl = dr.Declared.String()
		}
		sig := "?"
		if dr.Sig != nil {
			sig = fmt.Sprintf("%v %s", dr.Sig.Known, dr.Sig.Reason)
		}
		fmt.Fprintf(&sb, "N %d %s %d-%d %s %s\n", i, d.Name, r.File.Abs(d.Epoch, d.NameStart), r.File.Abs(d.Epoch, d.NameEnd), decl, sig)
	}
	for _, c := range r.File.Comments {
		fmt.Fprintf(&sb, "C %d-%d\n", r.File.TopAbs(c.Start), r.File.TopAbs(c.End))
	}
	for _, op := range r.File.Top {
		fmt.Fprintf(&sb, "T %d %d-%d %s\n", op.Kind, r.File.TopAbs(op.Start), r.File.TopAbs(op.End), op.Ref.Name())
	}
	return sb.String()
}

// spliceSources are the texts the edits are made in: the bundled
// examples and golden files, the generated file of small definitions,
// and gforth's own sources when gforth is installed.
func spliceSources(t *testing.T) map[string]string {
	srcs := map[string]string{"big": string(bigFile(400))}
	// The dialects' programs, read with their dialects (see dialectOf).
	dial, _ := filepath.Glob("../testdata/golden/dialect/*")
	for _, f := range dial {
		if strings.HasSuffix(f, ".json") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs["dialect/"+filepath.Base(f)] = string(b)
	}
	files, _ := filepath.Glob("../testdata/golden/*.fs")
	files = append(files, "../testdata/examples/demo.fs")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs[filepath.Base(f)] = string(b)
	}
	if !testing.Short() {
		// Without gforth the other texts are still edited.
		for _, name := range []string{"cross.fs", "prims2x.fs"} {
			if m, _ := filepath.Glob("/usr/share/gforth/*/" + name); len(m) > 0 {
				if b, err := os.ReadFile(m[0]); err == nil {
					srcs[name] = string(b)
				}
			}
		}
	}
	return srcs
}

// editor applies edits to one document and checks every version's
// result against a fresh analysis.
type editor struct {
	t    *testing.T
	ws   *Workspace
	f    *source.File
	step int
	fast int // versions analysed without reading the whole file

	dialect string
}

// dialectOf is the dialect a source of spliceSources is read with: the
// name of a dialect program's file.
func dialectOf(name string) string {
	if d, ok := strings.CutPrefix(name, "dialect/"); ok {
		return strings.TrimSuffix(d, filepath.Ext(d))
	}
	return ""
}

func newEditor(t *testing.T, text, dialect string) *editor {
	e := &editor{t: t, ws: New(Options{Dialect: dialect}), f: source.NewFile("t.fs", []byte(text))}
	e.dialect = dialect
	e.ws.AnalyzeFile(e.f)
	return e
}

func (e *editor) edit(start, end int, s string) {
	e.t.Helper()
	old := e.f.Src
	src := make([]byte, 0, len(old)-(end-start)+len(s))
	src = append(append(append(src, old[:start]...), s...), old[end:]...)
	e.f = e.f.Edit(src, start, end, start+len(s))
	before := e.ws.docs["t.fs"].file
	got := e.ws.AnalyzeFile(e.f)
	if len(got.File.Shifts) > len(before.Shifts) {
		e.fast++
	}
	want := New(Options{Dialect: e.dialect}).Analyze("t.fs", src)
	if g, w := fullSummary(got), fullSummary(want); g != w {
		if d := os.Getenv("FASTFORTH_INCR_DUMP"); d != "" {
			// The two texts, to replay the edit.
			os.WriteFile(d+".prev", old, 0o644)
			os.WriteFile(d+".next", src, 0o644)
		}
		lo, hi := max(0, start-80), min(len(old), end+80)
		e.t.Fatalf("edit %d: %q replaced by %q at %d, in\n%s\n-- the incremental result differs from a fresh analysis:\n%s",
			e.step, old[start:end], s, start, old[lo:hi], lineDiff(g, w))
	}
	if err := checkKept(e.ws.docs["t.fs"]); err != nil {
		e.t.Fatalf("edit %d: %q replaced by %q at %d: %v", e.step, old[start:end], s, start, err)
	}
	e.step++
}

// checkKept checks that what a document's state keeps between versions
// refers only to what its last version uses: the callers lists hold no
// reading of a definition that was read again or went (it would keep
// its version's text alive), and the versions counted as kept alive are
// those of the definitions.
func checkKept(st *docState) error {
	f := st.file
	// A caller is named by the definition first read in its place
	// (canonical).
	places := make(map[*syntax.Def]bool, len(f.Defs))
	for _, d := range f.Defs {
		places[st.canonical(d)] = true
	}
	for t, cs := range st.callers {
		for _, c := range cs {
			if !places[c] {
				return fmt.Errorf("callers of %s hold %s (%p), no longer in the file", t.Name, c.Name, c)
			}
		}
	}
	live := map[*source.File]int{}
	kept := 0
	for _, d := range f.Defs {
		if live[d.File]++; live[d.File] == 1 {
			kept += textSize(d.File)
		}
	}
	if len(live) != len(st.live) || kept != st.kept {
		return fmt.Errorf("%d versions (%d bytes) kept alive by the definitions, counted %d (%d bytes)", len(live), kept, len(st.live), st.kept)
	}
	for v, n := range live {
		if st.live[v] != n {
			return fmt.Errorf("%d definitions read in a version, counted %d", n, st.live[v])
		}
	}
	return nil
}

// TestSpliceMatchesFull types scripts at every kind of place of real
// files (in a definition, a comment line, a new definition in the middle
// and at the end, a top-level line, an [IF]) and makes random edits
// everywhere (inserting, deleting and replacing text, across : and ;,
// comments, strings and [IF]), and checks that every version's result
// is exactly that of a fresh analysis of its text. Checkpoints are taken
// at every word so that readings resume and converge as often as they
// can.
func TestSpliceMatchesFull(t *testing.T) {
	for _, every := range []int{1, 64} {
		defer syntax.SetCheckpointSpacing(syntax.SetCheckpointSpacing(every))
		srcs := spliceSources(t)
		names := make([]string, 0, len(srcs))
		for n := range srcs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			text := srcs[name]
			t.Run(fmt.Sprintf("%s/every=%d", name, every), func(t *testing.T) {
				e := newEditor(t, text, dialectOf(name))
				rng := rand.New(rand.NewPCG(uint64(len(text)), uint64(every)))
				big := len(text) > 20000
				scripts := []string{
					"\\ a note on the words below\n",
					": extra ( n -- n' ) dup + ;\n",
					"7 counter !\n",
					"[undefined] extra [if] : extra ( -- n ) 1 ; [then]\n",
					" 1+ 1-",
					"( a comment )",
					"s\" a string\" type\n",
				}
				rounds := 12
				if big {
					rounds = 3
				}
				for r := 0; r < rounds; r++ {
					sc := scripts[rng.IntN(len(scripts))]
					at := lineStart(e.f.Src, rng.IntN(len(e.f.Src)+1))
					if rng.IntN(3) == 0 {
						at = rng.IntN(len(e.f.Src) + 1)
					}
					for i := range len(sc) {
						e.edit(at+i, at+i, sc[i:i+1])
					}
					for i := len(sc) - 1; i >= 0; i-- {
						e.edit(at+i, at+i+1, "")
					}
				}
				// Definitions added and taken away in the middle: one
				// that shadows a word of the file (used by later code,
				// or shadowed by a later definition of that name), a
				// whole definition deleted and typed again, and [IF]
				// lines that hide definitions.
				names := defNames(e.ws.docs["t.fs"].file)
				for r := 0; r < rounds && len(names) > 0; r++ {
					name := names[rng.IntN(len(names))]
					at := lineStart(e.f.Src, rng.IntN(len(e.f.Src)+1))
					e.typeText(at, ": "+name+" ( -- n ) 1 ;\n")
					e.eraseText(at, len(": "+name+" ( -- n ) 1 ;\n"))
					if s, end, ok := defLine(e.f.Src, rng.IntN(len(e.f.Src)+1)); ok {
						line := string(e.f.Src[s:end])
						e.eraseText(s, len(line))
						e.typeText(s, line)
						// Hidden by [IF] lines typed around it, then shown
						// again.
						e.typeText(end, "[then]\n")
						e.typeText(s, "0 [if]\n")
						e.eraseText(s, len("0 [if]\n"))
						e.eraseText(end, len("[then]\n"))
					}
				}
				pieces := []string{" dup", " drop", " ;", " :", ": x", " (", " )", " \\", "\n", " x", " 0", " [if]", " [then]",
					" [else]", " 0 [if]", " s\" q\"", "\"", " immediate", " does>", " create", " variable v", " constant",
					" hex", " decimal", " [:", " ;]", " defer d", " ' dup is d", "e"}
				steps := 150
				if big {
					steps = 40
				}
				for range steps {
					src := e.f.Src
					pos := rng.IntN(len(src) + 1)
					switch rng.IntN(3) {
					case 0:
						e.edit(pos, pos, pieces[rng.IntN(len(pieces))])
					case 1:
						e.edit(pos, min(len(src), pos+1+rng.IntN(6)), "")
					default:
						if pos < len(src) {
							e.edit(pos, pos+1, string("x1 ;(\n\\"[rng.IntN(7)]))
						}
					}
				}
				t.Logf("%d of %d versions analysed without reading the whole file", e.fast, e.step)
				if e.fast == 0 {
					t.Error("every version was read as a whole")
				}
			})
		}
	}
}

// typeText types text at off, a character at a time.
func (e *editor) typeText(off int, text string) {
	e.t.Helper()
	for i := range len(text) {
		e.edit(off+i, off+i, text[i:i+1])
	}
}

// eraseText deletes the n bytes at off a character at a time, from the
// last, as backspace does.
func (e *editor) eraseText(off, n int) {
	e.t.Helper()
	for i := n - 1; i >= 0; i-- {
		e.edit(off+i, off+i+1, "")
	}
}

// defNames are the names of f's colon definitions, for the scripts
// that shadow them.
func defNames(f *syntax.File) []string {
	var names []string
	for _, d := range f.Defs {
		if d.Kind == syntax.Colon && d.Name != "" && !strings.ContainsAny(d.Name, "\\\"()") {
			names = append(names, d.Name)
		}
	}
	return names
}

// defLine finds the first line at or after off that starts a colon
// definition and ends it (": name ... ;"), and gives its bounds with the
// line end.
func defLine(src []byte, off int) (start, end int, ok bool) {
	for at := lineStart(src, off); at < len(src); {
		e := strings.IndexByte(string(src[at:]), '\n')
		if e < 0 {
			return 0, 0, false
		}
		line := string(src[at : at+e])
		if strings.HasPrefix(line, ": ") && strings.HasSuffix(strings.TrimSpace(line), " ;") {
			return at, at + e + 1, true
		}
		at += e + 1
	}
	return 0, 0, false
}

// lineStart is the start of the line holding off.
func lineStart(src []byte, off int) int {
	return strings.LastIndexByte(string(src[:off]), '\n') + 1
}
