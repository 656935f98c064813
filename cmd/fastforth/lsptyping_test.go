package main

// Typing through the language server, one character a keystroke
// (incremental sync), each keystroke timed from writing its didChange to
// reading the publishDiagnostics of its version (issue 14): in each kind of
// place of the generated 10,000-line document and of gforth's cross.fs,
// and a whole file typed from an empty document with the server's memory.
//
//	go test -run X -bench 'LSPKeystroke|LSPTypeFile' -count 6 ./cmd/fastforth/

import (
	"encoding/json"
	"fmt"
	"io/fs"
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
// server-cpu-µs/op, the server's CPU time per keystroke (what it does
// after the publication too), is steadier than the latencies on a busy
// machine.
func BenchmarkLSPKeystroke(b *testing.B) {
	for _, f := range typingFiles(b) {
		for _, k := range f.scripts() {
			b.Run(f.name+"/kind="+k.kind, func(b *testing.B) {
				d := openTyped(b, f.path, f.text)
				s := k.s
				cpu := d.cpuTime()
				for b.Loop() {
					s.next(d)
				}
				reportLatency(b, d.lat)
				d.reportCPU(b, cpu, len(d.lat))
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

// waitIndexed answers the server's window/workDoneProgress/create and
// reads until the indexing of the workspace folders has ended (the
// server was initialized with workDoneProgress).
func waitIndexed(s *benchServer) {
	for {
		body := s.readFrame()
		if body == nil {
			s.tb.FailNow()
		}
		if !isNotification(body) {
			continue
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params struct {
				Value struct{ Kind string } `json:"value"`
			} `json:"params"`
		}
		if err := json.Unmarshal(body, &m); err != nil {
			s.tb.Fatal(err)
		}
		switch {
		case m.Method == "window/workDoneProgress/create":
			s.write(fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%s,"result":null}`, m.ID))
		case m.Method == "$/progress" && m.Params.Value.Kind == "end":
			return
		}
	}
}

// openTypedIn is openTyped with dir as the workspace folder, indexed
// before the document opens, and the files also open (each published)
// before it.
func openTypedIn(tb testing.TB, dir, path, text string, also ...string) *typedDoc {
	s := startBenchServer(tb)
	s.initialize(map[string]any{"rootUri": "file://" + dir,
		"capabilities": map[string]any{"window": map[string]any{"workDoneProgress": true}}})
	waitIndexed(s)
	for _, p := range also {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		s.open("file://"+p, string(b), 1)
		s.published("file://"+p, 1)
	}
	d := &typedDoc{benchServer: s, uri: "file://" + path, text: text, version: 1}
	s.open(d.uri, text, 1)
	s.published(d.uri, 1)
	return d
}

// workspaceTypingFiles are the places of typingFiles in workspaces: the
// 10,000-line document in the 200-file project of
// BenchmarkLSPDidChangeProject (read in main.fs's context), once alone
// and once with main.fs, its includer, open too; and cross.fs among a
// copy of every .fs file gforth ships, the folder indexed.
func workspaceTypingFiles(tb testing.TB) []struct {
	f    typingFile
	dir  string
	also []string
} {
	var out []struct {
		f    typingFile
		dir  string
		also []string
	}
	files := typingFiles(tb)
	dir, doc := writeProject(tb)
	big := files[0]
	big.path, big.text = filepath.Join(dir, "big.fs"), doc.text
	big.name = "project"
	out = append(out, struct {
		f    typingFile
		dir  string
		also []string
	}{big, dir, nil})
	inc := big
	inc.name = "includer-open"
	out = append(out, struct {
		f    typingFile
		dir  string
		also []string
	}{inc, dir, []string{filepath.Join(dir, "main.fs")}})
	if len(files) > 1 {
		gdir := tb.TempDir()
		src := gforthtest.Dir(tb)
		_ = filepath.WalkDir(src, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".fs") {
				return nil
			}
			rel, _ := filepath.Rel(src, p)
			b, err := os.ReadFile(p)
			if err == nil {
				q := filepath.Join(gdir, rel)
				_ = os.MkdirAll(filepath.Dir(q), 0o755)
				_ = os.WriteFile(q, b, 0o644)
			}
			return nil
		})
		cross := files[1]
		cross.name, cross.path = "cross-workspace", filepath.Join(gdir, "cross.fs")
		out = append(out, struct {
			f    typingFile
			dir  string
			also []string
		}{cross, gdir, nil})
	}
	return out
}

// BenchmarkLSPKeystrokeWorkspace is BenchmarkLSPKeystroke in workspaces
// (see workspaceTypingFiles): the 10,000-line document of a 200-file
// project, the same with its includer open (each keystroke in the
// included file), and cross.fs in an indexed copy of gforth's sources.
func BenchmarkLSPKeystrokeWorkspace(b *testing.B) {
	for _, w := range workspaceTypingFiles(b) {
		for _, k := range w.f.scripts() {
			b.Run(w.f.name+"/kind="+k.kind, func(b *testing.B) {
				d := openTypedIn(b, w.dir, w.f.path, w.f.text, w.also...)
				s := k.s
				cpu := d.cpuTime()
				for b.Loop() {
					s.next(d)
				}
				reportLatency(b, d.lat)
				d.reportCPU(b, cpu, len(d.lat))
				rss, _ := d.procStatus()
				b.ReportMetric(rss, "rss-MB")
			})
		}
	}
}

// TestLSPEditedDocumentFirst: over the real binary's pipes, an edit of an
// included document that changes what its open includer sees publishes
// the edited document's diagnostics first, then the includer's, and a
// burst of such edits publishes the includer at most once per
// publication of the edited document, last for the burst's final text.
func TestLSPEditedDocumentFirst(t *testing.T) {
	dir := t.TempDir()
	a := "include b.fs\n: use ( n -- n' ) inc ;\n"
	b := ": inc ( n -- n' ) 1+ ;\n"
	for name, text := range map[string]string{"a.fs": a, "b.fs": b} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ua, ub := "file://"+filepath.Join(dir, "a.fs"), "file://"+filepath.Join(dir, "b.fs")
	s := startBenchServer(t)
	s.initialize(nil)
	s.open(ub, b, 1)
	s.published(ub, 1)
	s.open(ua, a, 1)
	s.published(ua, 1)
	// Each edit gives inc another effect; after the last, a.fs's use of
	// it is wrong.
	bodies := []string{"dup", "2drop", "dup dup", "1+", "drop"}
	var frames []byte
	for i, body := range bodies {
		msg := fmt.Appendf(nil, `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":%d},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":1,"character":0}},"text":%q}]}}`,
			ub, i+2, ": inc ( n -- n' ) "+body+" ;\n")
		frames = appendFrame(frames, msg)
	}
	// One write: the burst reaches the server at once.
	if _, err := s.w.Write(frames); err != nil {
		t.Fatal(err)
	}
	last := int64(len(bodies) + 1)
	type pub struct {
		uri     string
		version int64
		diags   int
	}
	var seen []pub
	for {
		body := s.readFrame()
		if body == nil {
			t.FailNow()
		}
		if !isPublish(body) {
			continue
		}
		var m struct {
			Params struct {
				URI         string
				Version     int64
				Diagnostics []json.RawMessage
			}
		}
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, pub{m.Params.URI, m.Params.Version, len(m.Params.Diagnostics)})
		if m.Params.URI == ua && slices.ContainsFunc(seen, func(p pub) bool { return p.uri == ub && p.version == last }) {
			break
		}
	}
	// Every publication of a.fs follows one of b.fs (the edit that
	// caused it was published first), and a.fs comes at most once after
	// each.
	var as, bs int
	for i, p := range seen {
		if p.uri == ub {
			bs++
			continue
		}
		as++
		if i == 0 || seen[i-1].uri != ub {
			t.Errorf("a.fs published without b.fs's edit published just before: %+v", seen)
			break
		}
	}
	if as > bs || bs > len(bodies) || seen[len(seen)-1].diags != 1 {
		t.Errorf("publications %+v: a.fs %d times, b.fs %d", seen, as, bs)
	}
	t.Logf("%d edits: b.fs published %d times, a.fs %d", len(bodies), bs, as)
}
