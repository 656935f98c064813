package analysis

// Keystroke benchmarks: what typing costs, one character at a time, in each
// kind of place in a file (issue 14). Each benchmark types a string at one
// place character by character, then deletes it again with backspace, and
// goes round; every keystroke is one re-analysis of the whole file, as the
// language server does it (a new text, its line index updated by the edit).
// Besides ns/op (the mean) they report the median and the 99th percentile
// of the keystrokes.
//
//	go test -run X -bench 'Keystroke' -count 6 ./analysis/ | tee /tmp/keys.txt
//	benchstat /tmp/keys.txt
//
// BenchmarkTypeFile types a whole file from an empty document and reports
// the per-keystroke percentiles and the heap (after a GC) at the end, next
// to the heap of a workspace that analysed the final text once.

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/internal/gforthtest"
)

// typist applies keystrokes to one document of a Workspace.
type typist struct {
	ws  *Workspace
	f   *source.File
	lat []time.Duration
}

func newTypist(name string, text []byte) *typist {
	t := &typist{ws: New(Options{}), f: source.NewFile(name, text)}
	t.ws.AnalyzeFile(t.f)
	return t
}

// edit replaces text[start:end] with s and analyses the new version,
// timing it the way the language server's worker would: the new text,
// its line index and the analysis.
func (t *typist) edit(start, end int, s string) *Result {
	t0 := time.Now()
	old := t.f.Src
	src := make([]byte, 0, len(old)-(end-start)+len(s))
	src = append(append(append(src, old[:start]...), s...), old[end:]...)
	t.f = t.f.Edit(src, start, end, start+len(s))
	r := t.ws.AnalyzeFile(t.f)
	t.lat = append(t.lat, time.Since(t0))
	return r
}

// keystrokes is a script: type text at off one byte at a time, then
// delete it again from its end.
type keystrokes struct {
	off  int
	text string
	i    int // the next keystroke, in [0, 2*len(text))
}

// next applies the script's next keystroke.
func (k *keystrokes) next(t *typist) *Result {
	n := len(k.text)
	var r *Result
	if k.i < n {
		p := k.off + k.i
		r = t.edit(p, p, k.text[k.i:k.i+1])
	} else {
		p := k.off + 2*n - 1 - k.i
		r = t.edit(p, p+1, "")
	}
	k.i = (k.i + 1) % (2 * n)
	return r
}

// reportPercentiles reports the median and 99th percentile of ds.
func reportPercentiles(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) float64 { return float64(s[min(len(s)-1, int(p*float64(len(s))))].Nanoseconds()) / 1e3 }
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
}

// editPlaces are the places of one file where the benchmarks type.
type editPlaces struct {
	name string
	text []byte
	// body is inside a colon definition's body; mid is the start of a
	// line between two definitions near the middle of the file.
	body, mid int
	bodyText  string // typed inside the body
	topText   string // a line of top-level code typed at mid
}

func bigPlaces() editPlaces {
	src := bigFile(10000)
	text := string(src)
	groups := strings.Count(text, ": sq")
	g := groups / 2
	mid := strings.Index(text, fmt.Sprintf("\\ word group %d\n", g))
	body := strings.Index(text, fmt.Sprintf("    i sq%d +", g)) + len(fmt.Sprintf("    i sq%d", g))
	return editPlaces{name: "10k", text: src, body: body, mid: mid, bodyText: " 1+ 1-",
		topText: fmt.Sprintf("7 counter%d !\n", g)}
}

// crossPlaces are in gforth's cross.fs (99 KB), the largest file gforth
// ships: a real program of cross-compiler code.
func crossPlaces(tb testing.TB) editPlaces {
	p := filepath.Join(gforthtest.Dir(tb), "cross.fs")
	src, err := os.ReadFile(p)
	if err != nil {
		tb.Skip(err)
	}
	text := string(src)
	mid := strings.Index(text, "\n: exists ( ghost tcfa -- )") + 1
	body := strings.Index(text, "over >link @ resolve-loop") + len("over >link @ resolve-loop")
	if mid <= 0 || body < len("x") {
		tb.Skip("cross.fs is not the version these benchmarks know")
	}
	return editPlaces{name: "cross", text: src, body: body, mid: mid, bodyText: " dup drop", topText: "here drop\n"}
}

// keystrokeKinds are the kinds of place the benchmarks type in.
func keystrokeKinds(p editPlaces) []struct {
	kind string
	ks   keystrokes
} {
	end := len(p.text)
	return []struct {
		kind string
		ks   keystrokes
	}{
		{"body", keystrokes{off: p.body, text: p.bodyText}},
		{"comment", keystrokes{off: p.mid, text: "\\ a note on the words below\n"}},
		{"newdef-mid", keystrokes{off: p.mid, text: ": extra ( n -- n' ) dup + ;\n"}},
		{"newdef-end", keystrokes{off: end, text: ": extra ( n -- n' ) dup + ;\n"}},
		{"toplevel", keystrokes{off: p.mid, text: p.topText}},
		{"if", keystrokes{off: p.mid, text: "[undefined] extra [if] : extra ( -- n ) 1 ; [then]\n"}},
	}
}

func benchKeystrokes(b *testing.B, p editPlaces) {
	for _, k := range keystrokeKinds(p) {
		b.Run("kind="+k.kind, func(b *testing.B) {
			t := newTypist(p.name+".fs", slices.Clone(p.text))
			ks := k.ks
			b.ReportAllocs()
			for b.Loop() {
				ks.next(t)
			}
			reportPercentiles(b, t.lat)
		})
	}
}

// BenchmarkKeystroke10k types in each kind of place of a generated
// 10,000-line file of small definitions.
func BenchmarkKeystroke10k(b *testing.B) { benchKeystrokes(b, bigPlaces()) }

// BenchmarkKeystrokeCross types in each kind of place of gforth's cross.fs.
func BenchmarkKeystrokeCross(b *testing.B) { benchKeystrokes(b, crossPlaces(b)) }

// typeBytes is how much of the file BenchmarkTypeFile types; the
// environment variable FASTFORTH_TYPE_BYTES changes it (0: all of it).
func typeBytes(tb testing.TB, n int) int {
	if v := os.Getenv("FASTFORTH_TYPE_BYTES"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil {
			tb.Fatalf("FASTFORTH_TYPE_BYTES: %v", err)
		}
		if k > 0 && k < n {
			return k
		}
		return n
	}
	return min(n, 20000)
}

// heapAfterGC is the live heap, in MB, after two collections.
func heapAfterGC() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// BenchmarkTypeFile types gforth's cross.fs (its first 20,000 bytes by
// default; FASTFORTH_TYPE_BYTES=0 for all 99 KB) into an empty document,
// one character per keystroke, as someone writing it would, and reports
// the keystrokes' median and 99th percentile, the live heap after a GC at
// the end (heap-MB), the live heap of a Workspace that analysed the final
// text once (fresh-MB), and their ratio. One op types the whole text.
func BenchmarkTypeFile(b *testing.B) {
	p := crossPlaces(b)
	text := p.text[:typeBytes(b, len(p.text))]
	var lat []time.Duration
	var heap, fresh float64
	// The dialects and the builtins' effects are loaded once per process,
	// when first used: load them before measuring, or the first
	// measurement counts them.
	runtime.KeepAlive(newTypist("warm.fs", slices.Clone(text)))
	for b.Loop() {
		base := heapAfterGC()
		t := newTypist("typed.fs", nil)
		for i := range text {
			t.edit(i, i, string(text[i:i+1]))
		}
		heap = heapAfterGC() - base
		lat = t.lat
		runtime.KeepAlive(t)
		t = nil
		base = heapAfterGC()
		f := newTypist("typed.fs", slices.Clone(text))
		fresh = heapAfterGC() - base
		runtime.KeepAlive(f)
	}
	reportPercentiles(b, lat)
	b.ReportMetric(float64(len(text)), "keystrokes")
	b.ReportMetric(heap, "heap-MB")
	b.ReportMetric(fresh, "fresh-MB")
	b.ReportMetric(heap/fresh, "heap/fresh")
}

// BenchmarkEditsFlat opens the 10,000-line file and edits it over and over
// (typing and deleting a word inside a definition, a comment line and a
// new definition, in turn) and reports the live heap after 1,000 edits
// and after all of them: once the text stops growing, memory must not.
func BenchmarkEditsFlat(b *testing.B) {
	p := bigPlaces()
	n := 20000
	if v := os.Getenv("FASTFORTH_EDITS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	var first, last float64
	for b.Loop() {
		base := heapAfterGC()
		t := newTypist("flat.fs", slices.Clone(p.text))
		kinds := keystrokeKinds(p)
		for i, round := 0, 0; i < n; round++ {
			// Each script runs whole, so that the text is back to the
			// original between scripts.
			k := kinds[round%3].ks
			for range 2 * len(k.text) {
				k.next(t)
				if i++; i == 1000 {
					first = heapAfterGC() - base
				}
			}
			t.lat = t.lat[:0]
		}
		last = heapAfterGC() - base
		t.lat = nil
		runtime.KeepAlive(t)
	}
	b.ReportMetric(float64(n), "edits")
	b.ReportMetric(first, "heap1k-MB")
	b.ReportMetric(last, "heap-MB")
}
