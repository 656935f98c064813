package main

// Performance of `fastforth lsp` as an editor sees it: the real binary
// (built by TestMain) over real pipes, driven by a lean client that frames
// pre-encoded requests and reads answers by scanning bytes, so that the
// client's own JSON work does not dominate the numbers.
//
//	go test -run XXX -bench LSP -count 6 ./cmd/fastforth/ | tee /tmp/lspbench.txt
//	benchstat /tmp/lspbench.txt
//
// With -lspbench.profile DIR each server is the test binary itself, running
// the same code as `fastforth lsp` under pprof; its profiles go to DIR:
//
//	go test -c -o /tmp/ff.test ./cmd/fastforth/
//	/tmp/ff.test -test.run XXX -test.bench LSPHover$ -lspbench.profile /tmp/prof
//	go tool pprof -top /tmp/ff.test /tmp/prof/cpu-*.prof
//
// TestLSPBenchScenarios runs every scenario a few times under plain
// `go test`, checking the answers in full, so that the harness cannot rot.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

var lspProfile = flag.String("lspbench.profile", "", "profile each language server of the LSP benchmarks into `DIR`/cpu-PID.prof and heap-PID.prof")

// profileEnv, when set in the environment, makes the test binary a
// language server that profiles itself into the directory it names: the
// same code as `fastforth lsp` (runLSP), with pprof around it.
const profileEnv = "FASTFORTH_LSPBENCH_PROFILE"

func init() {
	dir := os.Getenv(profileEnv)
	if dir == "" {
		return
	}
	pid := strconv.Itoa(os.Getpid())
	cpu, err := os.Create(filepath.Join(dir, "cpu-"+pid+".prof"))
	if err == nil {
		err = pprof.StartCPUProfile(cpu)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := runLSP(nil, os.Stdin, os.Stdout, os.Stderr)
	pprof.StopCPUProfile()
	_ = cpu.Close()
	if heap, err := os.Create(filepath.Join(dir, "heap-"+pid+".prof")); err == nil {
		_ = pprof.Lookup("heap").WriteTo(heap, 0)
		_ = heap.Close()
	}
	os.Exit(code)
}

// benchTimeout bounds every wait of the harness.
const benchTimeout = 60 * time.Second

// ---- the 10,000-line document ----

// benchDoc is a generated Forth file with the positions the benchmarks
// use.
type benchDoc struct {
	text string
	// hovers are positions (line, UTF-16 character) of words inside
	// definitions: user words, builtins, variables, literals.
	hovers [][2]int
	// edit is where a one-character edit goes inside one definition's body
	// (just after a word, so inserting a letter makes it undefined).
	edit [2]int
}

// makeBenchDoc generates a realistic file of at least n lines: groups of
// commented colon definitions with stack comments, IF/ELSE/THEN,
// BEGIN/WHILE/REPEAT, ?DO/LOOP, CASE, strings, variables, constants,
// values and tables, and now and then a definition whose comment is wrong
// (so there are diagnostics to publish).
func makeBenchDoc(n int) benchDoc {
	var sb strings.Builder
	var doc benchDoc
	line := 0
	emit := func(format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		sb.WriteString(s)
		line += strings.Count(s, "\n")
	}
	for g := 0; line < n; g++ {
		emit("\\ ---- group %d: counters, sums and tables ----\n", g)
		emit("variable counter%d\n%d constant limit%d\n%d value scale%d\n", g, g+10, g, g%7+1, g)
		emit("create table%d  %d , %d , %d ,\n\n", g, g, g*2, g*3)
		emit("\\ Square a number.\n: sq%d ( n -- n*n )  dup * ;\n\n", g)
		emit("\\ The sum of the squares below n.\n: sum%d ( n -- sum )\n  0 swap 0 ?do\n", g)
		if g == 150 {
			doc.edit = [2]int{line, len("    i sq150")}
		}
		emit("    i sq%d +\n  loop ;\n\n", g)
		emit(": bump%d ( -- )\n  1 counter%d +!\n  counter%d @ limit%d > if\n    0 counter%d !\n  then ;\n\n", g, g, g, g, g)
		emit(": clamp%d ( n lo hi -- n' )  rot min max ;\n\n", g)
		emit("\\ A name for a small number.\n: classify%d ( n -- addr u )\n  dup 0< if drop s\" negative\" exit then\n", g)
		emit("  case\n    0 of s\" zero\" endof\n    1 of s\" one\" endof\n    >r s\" many\" r>\n  endcase ;\n\n")
		emit(": table-sum%d ( -- n )\n  0 3 0 do\n    table%d i cells + @ +\n  loop ;\n\n", g, g)
		emit(": countdown%d ( n -- )\n  begin dup 0> while\n    1- dup scale%d * drop\n  repeat drop ;\n\n", g, g)
		emit(": scaled%d ( n -- n' )\n  scale%d *\n  0 limit%d clamp%d\n  dup 0= if 1+ else 1- then ;\n\n", g, g, g, g)
		if g%25 == 24 {
			emit(": broken%d ( a b -- c )  swap ;\n\n", g)
		}
	}
	doc.text = sb.String()
	// Hover on the first word of every indented body line.
	for i, l := range strings.Split(doc.text, "\n") {
		if t := strings.TrimLeft(l, " "); len(t) < len(l) && t != "" {
			doc.hovers = append(doc.hovers, [2]int{i, len(l) - len(t)})
		}
	}
	return doc
}

// ---- a lean client ----

// benchServer is a running server and the client end of its pipes. Its
// methods are not safe for concurrent use, except that one goroutine may
// read (readFrame) while another writes.
type benchServer struct {
	tb    testing.TB
	pid   int
	w     io.WriteCloser
	r     *bufio.Reader
	body  []byte // the last frame read (reused)
	wbuf  []byte
	stop  func()
	start time.Time
}

// startBenchServer starts `fastforth lsp` and
// returns once its process has started; it does not initialize.
func startBenchServer(tb testing.TB) *benchServer {
	tb.Helper()
	s := &benchServer{tb: tb, start: time.Now()}
	cmd := exec.Command(binary, "lsp")
	if *lspProfile != "" {
		// The test binary itself, profiling (see init).
		cmd = exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), profileEnv+"="+*lspProfile)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s.pid, s.w, s.r = cmd.Process.Pid, stdin, bufio.NewReaderSize(stdout, 1<<16)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s.stop = sync.OnceFunc(func() {
		_ = stdin.Close()
		select {
		case <-exited:
		case <-time.After(benchTimeout):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	tb.Cleanup(func() {
		s.stop()
		if tb.Failed() {
			tb.Logf("server stderr:\n%s", stderr.String())
		}
	})
	return s
}

// write sends one message body, framed.
func (s *benchServer) write(body []byte) {
	s.wbuf = appendFrame(s.wbuf[:0], body)
	if _, err := s.w.Write(s.wbuf); err != nil {
		s.tb.Fatalf("writing to the server: %v", err)
	}
}

func appendFrame(dst, body []byte) []byte {
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	dst = append(dst, "\r\n\r\n"...)
	return append(dst, body...)
}

// send encodes msg with encoding/json (for setup messages, not measured).
func (s *benchServer) send(msg any) {
	b, err := json.Marshal(msg)
	if err != nil {
		s.tb.Fatal(err)
	}
	s.write(b)
}

// readFrame returns the next message body; it is valid until the next
// call. Only errors are reported (with t.Error, as it may run on another
// goroutine), returning nil.
func (s *benchServer) readFrame() []byte {
	n := -1
	for {
		l, err := s.r.ReadSlice('\n')
		if err != nil {
			s.tb.Errorf("reading the server's output: %v", err)
			return nil
		}
		l = bytes.TrimRight(l, "\r\n")
		if len(l) == 0 {
			break
		}
		if v, ok := bytes.CutPrefix(l, []byte("Content-Length: ")); ok {
			if n, err = strconv.Atoi(string(v)); err != nil {
				n = -1
			}
		}
	}
	if n < 0 {
		s.tb.Errorf("a frame without Content-Length")
		return nil
	}
	s.body = slices.Grow(s.body[:0], n)[:n]
	if _, err := io.ReadFull(s.r, s.body); err != nil {
		s.tb.Errorf("reading a frame: %v", err)
		return nil
	}
	return s.body
}

var (
	publishMethod = []byte(`"method":"textDocument/publishDiagnostics"`)
	methodKey     = []byte(`"method":`)
)

// isNotification tells a server notification from a response by its
// leading fields (jsonrpc2 writes "method" before "params"; a response has
// no "method" at its top level, and a string inside one cannot hold an
// unescaped quote).
func isNotification(body []byte) bool {
	return bytes.Contains(body[:min(len(body), 64)], methodKey)
}

func isPublish(body []byte) bool { return bytes.Contains(body[:min(len(body), 80)], publishMethod) }

// intField reads the integer after the first "key": in body, or -1.
func intField(body []byte, key string) int64 {
	i := bytes.Index(body, []byte(`"`+key+`":`))
	if i < 0 {
		return -1
	}
	rest := body[i+len(key)+3:]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	v, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	if err != nil {
		return -1
	}
	return v
}

// stringField reads the string after the first "key": in body (no
// escapes: used for URIs).
func stringField(body []byte, key string) string {
	i := bytes.Index(body, []byte(`"`+key+`":"`))
	if i < 0 {
		return ""
	}
	rest := body[i+len(key)+4:]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// response reads until the response to id, skipping notifications, and
// returns its body (valid until the next read).
func (s *benchServer) response(id int64) []byte {
	for {
		body := s.readFrame()
		if body == nil {
			s.tb.FailNow()
		}
		if !isNotification(body) && intField(body, "id") == id {
			return body
		}
	}
}

// published reads until the publication of uri's diagnostics for version
// and returns its body.
func (s *benchServer) published(uri string, version int64) []byte {
	for {
		body := s.readFrame()
		if body == nil {
			s.tb.FailNow()
		}
		if isPublish(body) && intField(body, "version") == version && stringField(body, "uri") == uri {
			return body
		}
	}
}

// initialize runs the handshake.
func (s *benchServer) initialize(extra map[string]any) {
	params := map[string]any{"processId": os.Getpid(), "rootUri": nil, "capabilities": map[string]any{}}
	for k, v := range extra {
		params[k] = v
	}
	s.send(map[string]any{"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": params})
	s.response(0)
	s.send(map[string]any{"jsonrpc": "2.0", "method": "initialized", "params": map[string]any{}})
}

func (s *benchServer) open(uri, text string, version int) {
	s.send(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "forth", "version": version, "text": text}}})
}

// shutdown ends the session politely and waits for the process.
func (s *benchServer) shutdown() {
	s.send(map[string]any{"jsonrpc": "2.0", "id": -1, "method": "shutdown"})
	for {
		body := s.readFrame()
		if body == nil || (!isNotification(body) && bytes.Contains(body, []byte(`"id":-1`))) {
			break
		}
	}
	s.send(map[string]any{"jsonrpc": "2.0", "method": "exit"})
	s.stop()
}

// procStatus reads VmRSS and VmHWM (MB) of the server process.
func (s *benchServer) procStatus() (rss, hwm float64) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.pid) + "/status")
	if err != nil {
		s.tb.Skipf("no /proc: %v", err)
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		switch k {
		case "VmRSS":
			rss = kb / 1024
		case "VmHWM":
			hwm = kb / 1024
		}
	}
	return rss, hwm
}

// cpuTime is the CPU time the server process has used so far (user and
// system, all threads), from /proc/PID/stat; 0 where there is no /proc.
// It is steadier than wall time on a busy machine.
func (s *benchServer) cpuTime() time.Duration { return procCPU(strconv.Itoa(s.pid)) }

// procCPU reads the CPU time of process pid ("self" for this one).
func procCPU(pid string) time.Duration {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces): state is
	// field 3, utime and stime are fields 14 and 15, in clock ticks
	// (USER_HZ, 100 on Linux).
	_, rest, _ := bytes.Cut(b, []byte(") "))
	f := strings.Fields(string(rest))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * (time.Second / 100)
}

// reportCPU reports the server's CPU time per op since start.
func (s *benchServer) reportCPU(b *testing.B, start time.Duration, ops int) {
	if start == 0 || ops == 0 {
		return
	}
	b.ReportMetric(float64((s.cpuTime()-start).Nanoseconds())/1e3/float64(ops), "server-cpu-µs/op")
}

// ---- scenarios ----

const benchURI = "file:///bench/big.fs"

// docSession is a server with the 10,000-line document open and its first
// diagnostics published.
type docSession struct {
	*benchServer
	uri      string // the document's URI
	doc      benchDoc
	hovers   [][]byte // pre-encoded hover bodies after the id: ,"method":...}
	nextID   int64
	version  int64
	inserted bool
}

func startDocSession(tb testing.TB) *docSession {
	tb.Helper()
	s := &docSession{benchServer: startBenchServer(tb), uri: benchURI, doc: makeBenchDoc(10000), version: 1}
	s.initialize(nil)
	return s.openDoc()
}

// openDoc opens the session's document, waits for its diagnostics and
// prepares the hovers.
func (s *docSession) openDoc() *docSession {
	s.open(s.uri, s.doc.text, 1)
	s.published(s.uri, 1)
	return s.openDocAgain()
}

// startProjectSession is startDocSession with the document in a project
// of 200 files: main.fs loads 99 library files, the document, then 99
// more, and the document is read in main.fs's context at its include
// (the words of the 99 files before it). The workspace folder is the
// project, indexed as an editor would open it.
func startProjectSession(tb testing.TB) *docSession {
	tb.Helper()
	dir, doc := writeProject(tb)
	s := &docSession{benchServer: startBenchServer(tb), uri: "file://" + filepath.Join(dir, "big.fs"), doc: doc, version: 1}
	s.initialize(map[string]any{"rootUri": "file://" + dir})
	s.open(s.uri, s.doc.text, 1)
	if pub := s.published(s.uri, 1); bytes.Contains(pub, []byte("m0-w0")) {
		tb.Fatalf("big.fs was not read in main.fs's context: %s", pub)
	}
	s.version = 1
	return s.openDocAgain()
}

// writeProject writes the project of startProjectSession into a new
// directory: main.fs loads 99 library files, big.fs (doc), then 99 more.
func writeProject(tb testing.TB) (dir string, doc benchDoc) {
	tb.Helper()
	dir = tb.TempDir()
	doc = makeBenchDoc(10000)
	// A word of a file loaded before it: known only in the context.
	doc.text += ": uses-lib ( n -- n' )  m0-w0 ;\n"
	files := map[string]string{".git/HEAD": "ref: refs/heads/main\n", "big.fs": doc.text}
	var main strings.Builder
	for i := range 198 {
		if i == 99 {
			main.WriteString("include big.fs\n")
		}
		name := fmt.Sprintf("lib/m%03d.fs", i)
		main.WriteString("include " + name + "\n")
		var lib strings.Builder
		for k := range 30 {
			fmt.Fprintf(&lib, "\\ Word %d of module %d.\n: m%d-w%d ( n -- n' )  dup %d + swap 2* - ;\n", k, i, i, k, k)
		}
		files[name] = lib.String()
	}
	files["main.fs"] = main.String()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir, doc
}

// openDocAgain prepares the hovers of a document already open.
func (s *docSession) openDocAgain() *docSession {
	for _, p := range s.doc.hovers {
		s.hovers = append(s.hovers, fmt.Appendf(nil,
			`,"method":"textDocument/hover","params":{"textDocument":{"uri":%q},"position":{"line":%d,"character":%d}}}`,
			s.uri, p[0], p[1]))
	}
	s.nextID = 1
	return s
}

// appendHover appends the framed hover request number i (cycling through
// the document's positions) and returns its id.
func (s *docSession) appendHover(dst []byte, i int) ([]byte, int64) {
	id := s.nextID
	s.nextID++
	tail := s.hovers[i%len(s.hovers)]
	var head [48]byte
	h := append(append(head[:0], `{"jsonrpc":"2.0","id":`...), strconv.FormatInt(id, 10)...)
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(h)+len(tail)), 10)
	dst = append(dst, "\r\n\r\n"...)
	return append(append(dst, h...), tail...), id
}

// hover sends hover request i and waits for its answer, returning the
// round trip and the answer's body.
func (s *docSession) hover(i int) (time.Duration, []byte) {
	var id int64
	s.wbuf, id = s.appendHover(s.wbuf[:0], i)
	t0 := time.Now()
	if _, err := s.w.Write(s.wbuf); err != nil {
		s.tb.Fatal(err)
	}
	body := s.response(id)
	return time.Since(t0), body
}

// change makes a one-character edit in one definition (inserting a
// letter after a word, then deleting it again) and waits for the
// diagnostics of the new version.
func (s *docSession) change() (time.Duration, []byte) {
	s.version++
	line, ch := s.doc.edit[0], s.doc.edit[1]
	var rng, text string
	if s.inserted {
		rng, text = fmt.Sprintf(`{"start":{"line":%d,"character":%d},"end":{"line":%d,"character":%d}}`, line, ch, line, ch+1), ""
	} else {
		rng, text = fmt.Sprintf(`{"start":{"line":%d,"character":%d},"end":{"line":%d,"character":%d}}`, line, ch, line, ch), "x"
	}
	s.inserted = !s.inserted
	body := fmt.Appendf(nil, `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":%d},"contentChanges":[{"range":%s,"text":%q}]}}`,
		s.uri, s.version, rng, text)
	s.wbuf = appendFrame(s.wbuf[:0], body)
	t0 := time.Now()
	if _, err := s.w.Write(s.wbuf); err != nil {
		s.tb.Fatal(err)
	}
	pub := s.published(s.uri, s.version)
	return time.Since(t0), pub
}

// pipelined sends n hovers keeping up to window of them unanswered and
// returns the time until the last answer and how many answers were null or
// errors.
func (s *docSession) pipelined(n, window int) (time.Duration, int) {
	slots := make(chan struct{}, window)
	for range window {
		slots <- struct{}{}
	}
	done := make(chan int, 1)
	go func() {
		bad := 0
		for got := 0; got < n; {
			body := s.readFrame()
			if body == nil {
				done <- -1
				return
			}
			if isNotification(body) {
				continue
			}
			if !bytes.Contains(body, []byte(`"contents":`)) {
				bad++
			}
			got++
			slots <- struct{}{}
		}
		done <- bad
	}()
	var buf []byte
	t0 := time.Now()
	for sent := 0; sent < n; {
		<-slots
		buf = buf[:0]
		// Whatever else is free goes out in the same write, as a
		// buffered writer in an editor would send it.
		for k := 0; ; k++ {
			buf, _ = s.appendHover(buf, sent)
			sent++
			if sent == n || k == 63 {
				break
			}
			select {
			case <-slots:
				continue
			default:
			}
			break
		}
		if _, err := s.w.Write(buf); err != nil {
			s.tb.Fatal(err)
		}
	}
	bad := <-done
	if bad < 0 {
		s.tb.FailNow()
	}
	return time.Since(t0), bad
}

// gforthFiles are gforth's shipped Forth sources.
func gforthFiles(tb testing.TB) []string {
	tb.Helper()
	dir := gforthtest.Dir(tb)
	var files []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".fs") {
			files = append(files, path)
		}
		return nil
	})
	if len(files) == 0 {
		tb.Skip("no gforth sources")
	}
	return files
}

type openedFile struct{ uri, text string }

func readGforthFiles(tb testing.TB) []openedFile {
	var out []openedFile
	for _, p := range gforthFiles(tb) {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, openedFile{uri: "file://" + p, text: string(b)})
	}
	return out
}

// openAll starts a server, opens every file and waits until each one's
// diagnostics are published; it returns the time that took and the
// server's VmRSS and VmHWM then.
func openAll(tb testing.TB, files []openedFile) (took time.Duration, rss, hwm float64) {
	s := startBenchServer(tb)
	s.initialize(nil)
	took = openFiles(tb, s, files)
	rss, hwm = s.procStatus()
	s.shutdown()
	return took, rss, hwm
}

// openFiles opens the files in s and waits for each one's first
// diagnostics.
func openFiles(tb testing.TB, s *benchServer, files []openedFile) time.Duration {
	t0 := time.Now()
	// Writing and reading concurrently: the server publishes while it
	// still reads, and neither side may block the other on a full pipe.
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		for _, f := range files {
			b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": map[string]any{
				"textDocument": map[string]any{"uri": f.uri, "languageId": "forth", "version": 1, "text": f.text}}})
			if _, err := s.w.Write(appendFrame(nil, b)); err != nil {
				tb.Errorf("writing: %v", err)
				return
			}
		}
	}()
	want := make(map[string]bool, len(files))
	for _, f := range files {
		want[f.uri] = true
	}
	for len(want) > 0 {
		body := s.readFrame()
		if body == nil {
			tb.FailNow()
		}
		if isPublish(body) && intField(body, "version") == 1 {
			delete(want, stringField(body, "uri"))
		}
	}
	took := time.Since(t0)
	<-wrote
	return took
}

// startup starts a server and returns the time from process start to the
// initialize response.
func startup(tb testing.TB) time.Duration {
	s := startBenchServer(tb)
	s.initialize(nil)
	took := time.Since(s.start)
	s.shutdown()
	return took
}

// ---- reporting ----

// reportLatency reports the p50 and p99 of ds in µs.
func reportLatency(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	q := func(p float64) float64 {
		return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
}

// ---- benchmarks ----

// BenchmarkLSPHover: one hover at a time on a 10,000-line document, from
// writing the request to reading its answer.
func BenchmarkLSPHover(b *testing.B) {
	s := startDocSession(b)
	lat := make([]time.Duration, 0, 1<<16)
	cpu := s.cpuTime()
	i := 0
	for b.Loop() {
		d, _ := s.hover(i)
		lat = append(lat, d)
		i++
	}
	reportLatency(b, lat)
	s.reportCPU(b, cpu, i)
}

// BenchmarkLSPDidChangeToDiagnostics: a one-character edit inside one
// definition of a 10,000-line document, from writing the didChange to
// reading the diagnostics published for its version.
func BenchmarkLSPDidChangeToDiagnostics(b *testing.B) {
	benchChanges(b, startDocSession(b))
}

// benchChanges times b.N edits of s's document to their diagnostics.
func benchChanges(b *testing.B, s *docSession) {
	lat := make([]time.Duration, 0, 1<<14)
	cpu := s.cpuTime()
	for b.Loop() {
		d, _ := s.change()
		lat = append(lat, d)
	}
	reportLatency(b, lat)
	s.reportCPU(b, cpu, len(lat))
}

// BenchmarkLSPDidChangeProject is BenchmarkLSPDidChangeToDiagnostics for
// the document in a 200-file project, read in its includer's context (the
// load-order context on).
func BenchmarkLSPDidChangeProject(b *testing.B) {
	benchChanges(b, startProjectSession(b))
}

// BenchmarkLSPDidChangeIncluderOpen is BenchmarkLSPDidChangeProject with
// main.fs, which includes the document, open too: an edit inside a
// definition leaves what the document gives main.fs as it was, so
// main.fs is not analysed again (issue 14).
func BenchmarkLSPDidChangeIncluderOpen(b *testing.B) {
	s := startProjectSession(b)
	mainURI := strings.TrimSuffix(s.uri, "big.fs") + "main.fs"
	text, err := os.ReadFile(strings.TrimPrefix(mainURI, "file://"))
	if err != nil {
		b.Fatal(err)
	}
	s.open(mainURI, string(text), 1)
	s.published(mainURI, 1)
	benchChanges(b, s)
}

// BenchmarkLSPDidChangeManyOpen is BenchmarkLSPDidChangeToDiagnostics
// with every .fs file gforth ships open beside the document: what other
// open documents cost each keystroke.
func BenchmarkLSPDidChangeManyOpen(b *testing.B) {
	s := startDocSession(b)
	openFiles(b, s.benchServer, readGforthFiles(b))
	benchChanges(b, s)
}

// BenchmarkLSPHoverPipelined: b.N hovers with up to 128 unanswered at a
// time; ns/op is per request.
func BenchmarkLSPHoverPipelined(b *testing.B) {
	s := startDocSession(b)
	cpu, self := s.cpuTime(), procCPU("self")
	b.ResetTimer()
	took, bad := s.pipelined(b.N, 128)
	b.StopTimer()
	s.reportCPU(b, cpu, b.N)
	// The client's share of the machine's two cores.
	b.ReportMetric(float64((procCPU("self")-self).Nanoseconds())/1e3/float64(b.N), "client-cpu-µs/op")
	if bad > 0 {
		b.Fatalf("%d of %d hovers had no answer", bad, b.N)
	}
	b.ReportMetric(float64(b.N)/took.Seconds(), "req/s")
}

// BenchmarkLSPOpenGforthSources: a fresh server, every .fs file gforth
// ships opened with didOpen; an op ends when every file's diagnostics are
// published, and the server's resident memory is read then.
func BenchmarkLSPOpenGforthSources(b *testing.B) {
	files := readGforthFiles(b)
	var rss, hwm float64
	for b.Loop() {
		_, r, h := openAll(b, files)
		rss, hwm = max(rss, r), max(hwm, h)
	}
	b.ReportMetric(float64(len(files)), "files")
	b.ReportMetric(rss, "rss-MB")
	b.ReportMetric(hwm, "hwm-MB")
}

// BenchmarkLSPStartup: process start to the initialize response.
func BenchmarkLSPStartup(b *testing.B) {
	var lat []time.Duration
	for b.Loop() {
		d := startup(b)
		lat = append(lat, d)
	}
	reportLatency(b, lat)
}

// ---- the harness, checked ----

// TestLSPBenchScenarios runs each benchmark's scenario a few times and
// checks the answers in full (no timing is asserted).
func TestLSPBenchScenarios(t *testing.T) {
	t.Run("hover", func(t *testing.T) {
		s := startDocSession(t)
		for i := range 50 {
			_, body := s.hover(i * 37)
			var m struct {
				ID     int64 `json:"id"`
				Result *struct {
					Contents struct{ Kind, Value string }
				}
			}
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatalf("hover %d: %v in %s", i, err, body)
			}
			if m.ID != s.nextID-1 || m.Result == nil || m.Result.Contents.Value == "" {
				t.Fatalf("hover %d at %v: unexpected answer %s", i, s.doc.hovers[(i*37)%len(s.doc.hovers)], body)
			}
		}
	})
	t.Run("didChange", func(t *testing.T) {
		s := startDocSession(t)
		for i := range 6 {
			_, body := s.change()
			var m struct {
				Params struct {
					Version     int64
					Diagnostics []struct{ Code, Message string }
				}
			}
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			// The letter makes sq150x an undefined word; deleting it
			// makes it go away again.
			undefined := 0
			for _, d := range m.Params.Diagnostics {
				if d.Code == "undefined-word" && strings.Contains(d.Message, "sq150x") {
					undefined++
				}
			}
			if want := 1 - i%2; undefined != want || m.Params.Version != s.version {
				t.Fatalf("edit %d: version %d, %d undefined sq150x (want %d): %s", i, m.Params.Version, undefined, want, body)
			}
			// And nothing else is reported but the deliberate mistakes.
			if want := strings.Count(s.doc.text, ": broken") + undefined; len(m.Params.Diagnostics) != want {
				t.Fatalf("edit %d: %d diagnostics, want %d: %s", i, len(m.Params.Diagnostics), want, body)
			}
		}
	})
	t.Run("pipelined", func(t *testing.T) {
		s := startDocSession(t)
		if _, bad := s.pipelined(2000, 128); bad > 0 {
			t.Fatalf("%d hovers had no answer", bad)
		}
		// The connection is still in step: one more request is answered.
		if _, body := s.hover(1); !bytes.Contains(body, []byte(`"contents":`)) {
			t.Fatalf("after the pipelined hovers: %s", body)
		}
	})
	t.Run("gforth-sources", func(t *testing.T) {
		files := readGforthFiles(t)
		_, rss, hwm := openAll(t, files)
		if rss <= 0 || hwm < rss {
			t.Fatalf("VmRSS %.1f MB, VmHWM %.1f MB", rss, hwm)
		}
	})
	t.Run("startup", func(t *testing.T) {
		for range 2 {
			if d := startup(t); d <= 0 {
				t.Fatal(d)
			}
		}
	})
}
