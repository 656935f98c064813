package main

// Typing through the language server, one character a keystroke
// (incremental sync), each keystroke timed from writing its didChange to
// reading the publishDiagnostics of its version (issue 14): in each kind of
// place of the generated 10,000-line document and of gforth's cross.fs,
// and a whole file typed from an empty document with the server's memory.
//
//	go test -run X -bench 'LSPKeystroke|LSPTypeFile' -count 6 ./cmd/fastforth/

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

// typedDoc is an open document the client types into; it keeps the text
// so that it can name positions the way the editor would.
type typedDoc struct {
	*benchServer
	uri     string
	text    string
	version int64
	lat     []time.Duration
}

// position is the LSP position (UTF-16 columns) of byte offset off.
func (d *typedDoc) position(off int) (line, char int) {
	start := strings.LastIndexByte(d.text[:off], '\n') + 1
	line = strings.Count(d.text[:start], "\n")
	for _, r := range d.text[start:off] {
		if r >= 0x10000 {
			char += len(utf16.Encode([]rune{r}))
		} else {
			char++
		}
	}
	return line, char
}

// edit replaces text[start:end] with s and waits for the diagnostics of
// the new version.
func (d *typedDoc) edit(start, end int, s string) {
	d.version++
	l0, c0 := d.position(start)
	l1, c1 := d.position(end)
	body := fmt.Appendf(nil, `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":%d},"contentChanges":[{"range":{"start":{"line":%d,"character":%d},"end":{"line":%d,"character":%d}},"text":%s}]}}`,
		d.uri, d.version, l0, c0, l1, c1, strconv.Quote(s))
	d.text = d.text[:start] + s + d.text[end:]
	d.wbuf = appendFrame(d.wbuf[:0], body)
	t0 := time.Now()
	if _, err := d.w.Write(d.wbuf); err != nil {
		d.tb.Fatal(err)
	}
	d.published(d.uri, d.version)
	d.lat = append(d.lat, time.Since(t0))
}

// script types text at off a character at a time, then deletes it again.
type script struct {
	off  int
	text string
	i    int // the next keystroke, in [0, 2*runes)
}

func (k *script) next(d *typedDoc) {
	rs := []rune(k.text)
	n := len(rs)
	if k.i < n {
		p := k.off + len(string(rs[:k.i]))
		d.edit(p, p, string(rs[k.i]))
	} else {
		j := 2*n - 1 - k.i
		p := k.off + len(string(rs[:j]))
		d.edit(p, p+utf8.RuneLen(rs[j]), "")
	}
	k.i = (k.i + 1) % (2 * n)
}

// typingFile is a file the benchmarks open and type in, with its places.
type typingFile struct {
	name      string
	path      string // where it is written (a temporary directory)
	text      string
	body, mid int
	bodyText  string
	topText   string
}

func typingFiles(tb testing.TB) []typingFile {
	dir := tb.TempDir()
	doc := makeBenchDoc(10000)
	g := strings.Count(doc.text, "\\ ---- group") / 2
	big := typingFile{name: "10k", path: filepath.Join(dir, "big.fs"), text: doc.text,
		mid:      strings.Index(doc.text, fmt.Sprintf("\\ ---- group %d:", g)),
		body:     strings.Index(doc.text, fmt.Sprintf("    i sq%d +", g)) + len(fmt.Sprintf("    i sq%d", g)),
		bodyText: " 1+ 1-", topText: fmt.Sprintf("7 counter%d !\n", g)}
	files := []typingFile{big}
	if src, err := os.ReadFile(filepath.Join(gforthtest.Dir(tb), "cross.fs")); err == nil {
		text := string(src)
		cross := typingFile{name: "cross", path: filepath.Join(dir, "cross.fs"), text: text,
			mid:      strings.Index(text, "\n: exists ( ghost tcfa -- )") + 1,
			body:     strings.Index(text, "over >link @ resolve-loop") + len("over >link @ resolve-loop"),
			bodyText: " dup drop", topText: "here drop\n"}
		// The file it includes, where gforth has it.
		if inc, err := os.ReadFile(filepath.Join(gforthtest.Dir(tb), "compat", "strcomp.fs")); err == nil {
			_ = os.MkdirAll(filepath.Join(dir, "compat"), 0o755)
			_ = os.WriteFile(filepath.Join(dir, "compat", "strcomp.fs"), inc, 0o644)
		}
		files = append(files, cross)
	}
	for _, f := range files {
		if f.mid <= 0 || f.body <= 0 {
			tb.Fatalf("%s: the places to type were not found", f.name)
		}
		if err := os.WriteFile(f.path, []byte(f.text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return files
}

func (f typingFile) scripts() []struct {
	kind string
	s    script
} {
	return []struct {
		kind string
		s    script
	}{
		{"body", script{off: f.body, text: f.bodyText}},
		{"comment", script{off: f.mid, text: "\\ a note on the words below\n"}},
		{"newdef-mid", script{off: f.mid, text: ": extra ( n -- n' ) dup + ;\n"}},
		{"newdef-end", script{off: len(f.text), text: ": extra ( n -- n' ) dup + ;\n"}},
		{"toplevel", script{off: f.mid, text: f.topText}},
		{"if", script{off: f.mid, text: "[undefined] extra [if] : extra ( -- n ) 1 ; [then]\n"}},
	}
}

// openTyped starts a server with f open and its first diagnostics
// published.
func openTyped(tb testing.TB, path, text string) *typedDoc {
	s := startBenchServer(tb)
	s.initialize(nil)
	d := &typedDoc{benchServer: s, uri: "file://" + path, text: text, version: 1}
	s.open(d.uri, text, 1)
	s.published(d.uri, 1)
	return d
}

// BenchmarkLSPKeystroke types in each kind of place (a definition's body,
// a comment line, a new definition in the middle and at the end, a line of
// top-level code, an [IF] block) of the 10,000-line document and of
// cross.fs; an op is one keystroke, from didChange to its diagnostics.
func BenchmarkLSPKeystroke(b *testing.B) {
	for _, f := range typingFiles(b) {
		for _, k := range f.scripts() {
			b.Run(f.name+"/kind="+k.kind, func(b *testing.B) {
				d := openTyped(b, f.path, f.text)
				s := k.s
				for b.Loop() {
					s.next(d)
				}
				reportLatency(b, d.lat)
				rss, _ := d.procStatus()
				b.ReportMetric(rss, "rss-MB")
			})
		}
	}
}

// BenchmarkLSPTypeFile types cross.fs (the first 20,000 characters; all of
// it with FASTFORTH_TYPE_BYTES=0) into an empty document, a character a
// keystroke, and reports the keystrokes' median and 99th percentile and
// the server's resident memory at the end (rss-MB), next to that of a
// server that opened the final text and took 1,000 edits (fresh-rss-MB).
func BenchmarkLSPTypeFile(b *testing.B) {
	files := typingFiles(b)
	if len(files) < 2 {
		b.Skip("no cross.fs")
	}
	f := files[1]
	n := min(len(f.text), 20000)
	if v := os.Getenv("FASTFORTH_TYPE_BYTES"); v != "" {
		if k, err := strconv.Atoi(v); err == nil && k > 0 && k < len(f.text) {
			n = k
		} else if err == nil {
			n = len(f.text)
		}
	}
	text := f.text[:n]
	for !utf8.ValidString(text) {
		text = text[:len(text)-1]
	}
	var lat []time.Duration
	var rss, fresh float64
	for b.Loop() {
		d := openTyped(b, f.path, "")
		marks := map[int]bool{10000: true, 60000: true}
		for i, r := range text {
			d.edit(i, i, string(r))
			if marks[i+1] {
				m, _ := d.procStatus()
				b.Logf("after %d keystrokes: RSS %.1f MB", i+1, m)
			}
		}
		lat = slices.Clone(d.lat)
		rss, _ = d.procStatus()
		d.shutdown()
		o := openTyped(b, f.path, text)
		k := script{off: len(text), text: "x"}
		for range 1000 {
			k.next(o)
		}
		fresh, _ = o.procStatus()
		o.shutdown()
	}
	reportLatency(b, lat)
	b.ReportMetric(float64(len(lat)), "keystrokes")
	b.ReportMetric(rss, "rss-MB")
	b.ReportMetric(fresh, "fresh-rss-MB")
}
