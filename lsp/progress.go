package lsp

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Background indexing. The indexer is a goroutine of its own, beside the
// worker: it walks the workspace folders, reads each Forth file with
// syntax.Parse (its own parser state; it never touches the worker's
// analysis.Workspace) and stores the definitions in the index. Edits and
// requests go on being handled by the worker meanwhile. When a job has
// changed the index, the indexer queues an evIndexed event, so that the
// worker, in order with the edits, republishes what depends on it.
//
// Progress is reported with $/progress (after window/workDoneProgress/create)
// when the client announced window.workDoneProgress.

// Limits of indexing: files larger than maxIndexBytes are skipped (they are
// generated data more often than source), and at most maxIndexFiles files
// are read per folder scan, so that opening a home directory by mistake
// stays cheap.
const (
	maxIndexBytes = 4 << 20
	maxIndexFiles = 20000
)

// indexExts are the file name endings indexed and watched.
var indexExts = map[string]bool{".fs": true, ".fth": true, ".4th": true, ".f": true, ".forth": true, ".fr": true, ".fb": true}

// watchGlob is the watcher registered with the client for indexExts.
const watchGlob = "**/*.{fs,fth,4th,f,forth,fr,fb}"

func isForthFile(path string) bool { return indexExts[strings.ToLower(filepath.Ext(path))] }

// skipDir reports whether a directory is left out of the walk: version
// control, dependencies and hidden directories.
func skipDir(name string) bool {
	return name == "node_modules" || (strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// indexJob is one unit of the indexer's work.
type indexJob struct {
	scan  []string // folders to walk and index (with progress)
	files []string // files created, changed, saved or deleted
	// cfg, when set, is how files are read from now on (the settings
	// changed the dialect or float literals): every file is read again.
	cfg *syntax.Config
}

// indexer runs index jobs in order on its own goroutine.
type indexer struct {
	s   *server
	ix  *wsIndex
	cfg syntax.Config // owned by the indexer goroutine once it runs
	log *zap.Logger
	// reread makes the job being run read files whose version the index
	// already holds.
	reread bool

	mu     sync.Mutex
	jobs   []indexJob
	signal chan struct{}
	start  sync.Once

	tokens atomic.Int64 // progress tokens made
}

func newIndexer(s *server, ix *wsIndex) *indexer {
	cfg := s.opts.Analysis.Reader()
	return &indexer{s: s, ix: ix, cfg: cfg, log: s.log, signal: make(chan struct{}, 1)}
}

// push queues a job; the indexer runs once started.
func (x *indexer) push(j indexJob) {
	x.mu.Lock()
	x.jobs = append(x.jobs, j)
	x.mu.Unlock()
	select {
	case x.signal <- struct{}{}:
	default:
	}
}

// run starts the indexer goroutine (once); it stops with ctx.
func (x *indexer) run(ctx context.Context) {
	x.start.Do(func() { go x.loop(ctx) })
}

func (x *indexer) loop(ctx context.Context) {
	for {
		x.mu.Lock()
		var j indexJob
		ok := len(x.jobs) > 0
		if ok {
			j = x.jobs[0]
			x.jobs = x.jobs[1:]
		}
		x.mu.Unlock()
		if !ok {
			select {
			case <-x.signal:
				continue
			case <-ctx.Done():
				return
			}
		}
		if x.do(ctx, j) {
			x.s.work.q.push(event{kind: evIndexed})
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// do runs one job, surviving a panic in it; it reports whether the index
// changed.
func (x *indexer) do(ctx context.Context, j indexJob) (changed bool) {
	defer func() {
		if r := recover(); r != nil {
			x.log.Error("indexing panicked", zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			changed = true
		}
	}()
	if j.cfg != nil {
		x.cfg, x.reread = *j.cfg, true
		defer func() { x.reread = false }()
	}
	if len(j.scan) > 0 && x.scan(ctx, j.scan) {
		changed = true
	}
	for _, p := range j.files {
		if x.refresh(p) {
			changed = true
		}
	}
	return changed
}

// refresh reads one file again, or drops it when it is gone or no longer
// in a workspace folder.
func (x *indexer) refresh(path string) bool {
	st, err := os.Stat(path)
	if err != nil || st.IsDir() || !isForthFile(path) || st.Size() > maxIndexBytes || !x.s.work.space.inFolders(path) {
		return x.ix.remove(path)
	}
	return x.read(path, st)
}

// read indexes one file unless the index holds its current version.
func (x *indexer) read(path string, st fs.FileInfo) bool {
	if !x.s.work.space.inFolders(path) {
		return false // its folder was removed meanwhile
	}
	if mod, size, ok := x.ix.stat(path); ok && mod.Equal(st.ModTime()) && size == st.Size() && !x.reread {
		return false
	}
	src, err := analysis.ReadSource(path)
	if err != nil {
		return x.ix.remove(path)
	}
	f := indexSource(path, src, x.cfg, x.s.encoding())
	f.mod, f.size = st.ModTime(), st.Size()
	x.ix.put(f)
	return true
}

// scan walks the folders and indexes every Forth file found, reporting
// progress; files under the folders that are gone are dropped.
func (x *indexer) scan(ctx context.Context, folders []string) bool {
	began := time.Now()
	type found struct {
		path string
		st   fs.FileInfo
	}
	var files []found
	seen := map[string]bool{}
	for _, dir := range folders {
		n := 0
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				return nil // unreadable: skip it, go on with the rest
			}
			if d.IsDir() {
				if p != dir && skipDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if !isForthFile(p) || seen[p] {
				return nil
			}
			if n >= maxIndexFiles {
				return filepath.SkipAll
			}
			st, err := d.Info()
			if err != nil || !st.Mode().IsRegular() || st.Size() > maxIndexBytes {
				return nil
			}
			seen[p] = true
			files = append(files, found{p, st})
			n++
			return nil
		})
	}
	changed := false
	for _, dir := range folders {
		if len(x.ix.removeUnder(dir, func(p string) bool { return seen[p] })) > 0 {
			changed = true
		}
	}
	if len(files) == 0 {
		return changed
	}
	prog := x.beginProgress(ctx, len(files))
	lastPct := uint32(0)
	for i, f := range files {
		if ctx.Err() != nil {
			break
		}
		if x.read(f.path, f.st) {
			changed = true
		}
		if pct := uint32((i + 1) * 100 / len(files)); pct >= lastPct+5 && i+1 < len(files) {
			lastPct = pct
			prog.report(ctx, pct, fmt.Sprintf("%d/%d files", i+1, len(files)))
		}
	}
	prog.end(ctx, fmt.Sprintf("%d files indexed", len(files)))
	x.log.Info("indexed the workspace", zap.Strings("folders", folders), zap.Int("files", len(files)),
		zap.Duration("took", time.Since(began)))
	return changed
}

// progress is one $/progress sequence; the zero value reports nothing.
type progress struct {
	x     *indexer
	token string
}

// beginProgress creates a progress token with the client and sends begin,
// when the client supports it. The token is created first, as the
// protocol requires; a client that refuses it (or does not answer within
// a few seconds) just gets no progress.
func (x *indexer) beginProgress(ctx context.Context, total int) progress {
	if !x.s.work.space.progress.Load() || x.s.conn == nil {
		return progress{}
	}
	token := fmt.Sprintf("fastforth/index/%d", x.tokens.Add(1))
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var res jsonrpc2.RawMessage
	if _, err := x.s.conn.Call(cctx, protocol.MethodWindowWorkDoneProgressCreate, map[string]any{"token": token}, &res); err != nil {
		x.log.Info("no progress reports: window/workDoneProgress/create failed", zap.Error(err))
		return progress{}
	}
	p := progress{x: x, token: token}
	p.send(ctx, map[string]any{"kind": "begin", "title": "Indexing Forth files", "cancellable": false,
		"message": fmt.Sprintf("0/%d files", total), "percentage": 0})
	return p
}

func (p progress) report(ctx context.Context, pct uint32, msg string) {
	p.send(ctx, map[string]any{"kind": "report", "message": msg, "percentage": pct})
}

func (p progress) end(ctx context.Context, msg string) {
	p.send(ctx, map[string]any{"kind": "end", "message": msg})
}

func (p progress) send(ctx context.Context, value map[string]any) {
	if p.x == nil {
		return
	}
	if err := p.x.s.conn.Notify(ctx, protocol.MethodProgress, map[string]any{"token": p.token, "value": value}); err != nil {
		p.x.log.Debug("sending progress", zap.Error(err))
	}
}
