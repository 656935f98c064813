package lsp

import (
	"encoding/json"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/internal/lsptest"
	"go.lsp.dev/uri"
)

// messageLog reads a harness's messages one at a time, in arrival order,
// and keeps them.
type messageLog struct {
	h   *harness
	all []lsptest.Message
}

// until reads messages until one satisfies pred, and returns its index.
func (l *messageLog) until(what string, pred func(lsptest.Message) bool) int {
	l.h.t.Helper()
	for {
		m := l.h.Wait(what, func(lsptest.Message) bool { return true })
		l.all = append(l.all, m)
		if pred(m) {
			return len(l.all) - 1
		}
	}
}

// publications lists the indexes (from from on) of the publications of
// uri, with their diagnostics' codes.
func (l *messageLog) publications(uri string, from int) (idx []int, codes [][]string) {
	for i := from; i < len(l.all); i++ {
		if lsptest.IsPublish(uri, -1)(l.all[i]) {
			var p struct {
				Diagnostics []struct{ Code string }
			}
			_ = json.Unmarshal(l.all[i].Params, &p)
			var cs []string
			for _, d := range p.Diagnostics {
				cs = append(cs, d.Code)
			}
			idx, codes = append(idx, i), append(codes, cs)
		}
	}
	return idx, codes
}

// replaceLine replaces line n with text.
func replaceLine(n int, text string) map[string]any {
	return map[string]any{"range": map[string]any{
		"start": map[string]any{"line": n, "character": 0}, "end": map[string]any{"line": n + 1, "character": 0}}, "text": text}
}

// An edit of an included document publishes that document first; its
// open includer is published again only when what the edit changed
// reaches it (the effect of a word it uses), once for a burst of edits,
// for the last one. Go to definition from the includer follows the
// edited text even when the includer was not analysed again.
func TestIncluderEdits(t *testing.T) {
	dir := t.TempDir()
	a := "include b.fs\n: use ( n -- n' ) inc ;\n"
	b := "\\ b\n: inc ( n -- n' ) 1+ ;\n"
	wsTree(t, dir, map[string]string{"a.fs": a, "b.fs": b})
	ua, ub := wsURI(filepath.Join(dir, "a.fs")), wsURI(filepath.Join(dir, "b.fs"))

	const burst = 5
	h, gate := startHeldServer(t, burst-1)
	h.initialize(nil)
	log := &messageLog{h: h}
	open(h, ua, a, 1)
	open(h, ub, b, 1)
	log.until("a v1 and b v1", func(m lsptest.Message) bool {
		_, ca := log.publications(ua, 0)
		_, cb := log.publications(ub, 0)
		return len(ca) > 0 && len(cb) > 0
	})
	start := len(log.all)

	// A comment line above the word, then its body written otherwise:
	// its effect is the same.
	change(h, ub, 2, insert(1, 0, "\\ note\n"))
	log.until("b v2", lsptest.IsPublish(ub, 2))
	change(h, ub, 3, replaceLine(2, ": inc ( n -- n' ) 1 + ;\n"))
	log.until("b v3", lsptest.IsPublish(ub, 3))
	var locs []wsLocation
	h.Request("textDocument/definition", wsPos(ua, 1, 19), &locs)
	if len(locs) != 1 || locs[0].URI != ub || locs[0].Range.Start.Line != 2 {
		t.Errorf("definition of inc from a.fs after b.fs moved it: %+v", locs)
	}

	// Now its effect changes: a.fs's use of it is wrong.
	change(h, ub, 4, replaceLine(2, ": inc ( n -- n' ) drop ;\n"))
	bi := log.until("b v4", lsptest.IsPublish(ub, 4))
	ai := log.until("a republished", lsptest.IsPublish(ua, -1))
	pubs, codes := log.publications(ua, start)
	if len(pubs) != 1 || pubs[0] != ai || ai < bi || !strings.Contains(strings.Join(codes[0], " "), "effect-mismatch") {
		t.Fatalf("a.fs published at %v (b.fs v4 at %d) with %v; want once, after b.fs, with an effect-mismatch", pubs, bi, codes)
	}

	// A burst of edits that change the effect each time: b.fs is
	// published for the last, then a.fs once, for it too.
	start = len(log.all)
	bodies := []string{"dup", "drop", "dup", "2drop", "1+"}
	gate <- true
	for i, body := range bodies {
		change(h, ub, 5+i, replaceLine(2, ": inc ( n -- n' ) "+body+" ;\n"))
	}
	last := 4 + burst
	bi = log.until("b's last version", lsptest.IsPublish(ub, last))
	ai = log.until("a after the burst", lsptest.IsPublish(ua, -1))
	pubs, codes = log.publications(ua, start)
	bpubs, _ := log.publications(ub, start)
	if len(pubs) != 1 || ai < bi || len(codes[0]) != 0 {
		t.Errorf("after the burst a.fs published at %v with %v (b.fs's v%d at %d); want once, after it, clean", pubs, codes, last, bi)
	}
	if len(bpubs) != 1 {
		t.Errorf("b.fs published %d times for the burst, want once", len(bpubs))
	}
}

// givesSame tells edits that leave what a file gives its includers as it
// was from those that change it.
func TestGivesSame(t *testing.T) {
	const base = "\\ lib\n10 constant ten\n: inc ( n -- n' ) 1+ ;\n: twice ( n -- n' ) inc inc ;\n: now ( -- ) ; immediate\n"
	tests := []struct {
		name, text string
		same       bool
	}{
		{"unchanged", base, true},
		{"comment line", strings.Replace(base, ": twice", "\\ a note\n: twice", 1), true},
		{"comment in a body", strings.Replace(base, "1+ ;", "1+ \\ up\n;", 1), true},
		{"body, same effect", strings.Replace(base, "1+ ;", "1 + ;", 1), true},
		{"body, other effect", strings.Replace(base, "1+ ;", "drop ;", 1), false},
		{"callee's effect changes the caller's", strings.Replace(base, "( n -- n' ) 1+", "( n -- n' ) dup", 1), false},
		{"new definition", base + ": more ( -- ) ;\n", false},
		{"renamed", strings.Replace(base, ": inc", ": incr", 1), false},
		{"constant's value", strings.Replace(base, "10 constant", "11 constant", 1), false},
		{"top-level code", base + "hex\n", false},
		{"immediate word's body", strings.Replace(base, ": now ( -- ) ;", ": now ( -- ) 1 drop ;", 1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := analysis.New(analysis.Options{})
			a := ws.Analyze("/lib.fs", []byte(base))
			b := ws.Analyze("/lib.fs", []byte(tc.text))
			if got := givesSame(a, b); got != tc.same {
				t.Errorf("givesSame = %v, want %v", got, tc.same)
			}
			// From scratch too: no pointer is shared.
			c := analysis.New(analysis.Options{}).Analyze("/lib.fs", []byte(tc.text))
			if got := givesSame(a, c); got != tc.same {
				t.Errorf("from scratch: givesSame = %v, want %v", got, tc.same)
			}
		})
	}
}

// An includer is analysed and published again after an edit of an
// included document changed a word's effect, added or took away a
// definition, only when its own code depends on that word, directly or
// through words of other files; top-level code added that may change how
// what follows is read always makes it be analysed again.
func TestIncluderDependsOn(t *testing.T) {
	b := ": inc ( n -- n' ) 1+ ;\n: other ( -- ) ;\n"
	dropInc := replaceLine(0, ": inc ( n -- n' ) drop ;\n")
	tests := []struct {
		name, a, c  string
		edit        map[string]any // of b.fs; dropInc when nil
		republished bool
	}{
		{"a new definition it does not use", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( -- ) ;\n", insert(1, 0, ": extra ( -- ) ;\n"), false},
		{"a new definition it names", "include b.fs\ninclude c.fs\n: mine ( -- ) extra ;\n", ": cw ( -- ) ;\n", insert(1, 0, ": extra ( -- ) ;\n"), true},
		{"a new definition a word it uses names", "include b.fs\ninclude c.fs\n: mine ( -- ) cw ;\n", ": cw ( -- ) extra ;\n", insert(2, 0, ": extra ( -- ) ;\n"), true},
		{"a new definition at the end", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( -- ) ;\n", insert(2, 0, ": extra ( -- ) ;\n"), false},
		{"a definition renamed", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( -- ) ;\n", replaceLine(0, ": incr ( n -- n' ) 1+ ;\n"), false},
		{"a definition it uses renamed", "include b.fs\ninclude c.fs\n: mine ( n -- n' ) inc ;\n", ": cw ( -- ) ;\n", replaceLine(0, ": incr ( n -- n' ) 1+ ;\n"), true},
		{"top-level code", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( -- ) ;\n", insert(2, 0, "1 drop\n"), false},
		{"top-level code that changes the search order", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( -- ) ;\n", insert(2, 0, "forth definitions\n"), true},
		{"top-level code that ticks", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( -- ) ;\n", insert(2, 0, "' inc drop\n"), true},
		{"the base at the end", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( -- ) ;\n", insert(2, 0, "hex\n"), true},
		{"a constant", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( -- ) ;\n", insert(2, 0, "3 constant three\n"), false},
		{"a constant it names", "include b.fs\ninclude c.fs\n: mine ( -- n ) three ;\n", ": cw ( -- ) ;\n", insert(2, 0, "3 constant three\n"), true},
		{"uses another word", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( -- ) ;\n", nil, false},
		{"uses it", "include b.fs\ninclude c.fs\n: mine ( n -- n' ) inc ;\n", ": cw ( -- ) ;\n", nil, true},
		{"uses a word that uses it", "include b.fs\ninclude c.fs\n: mine ( n -- n' ) cw ;\n", ": cw ( n -- n' ) inc ;\n", nil, true},
		{"another file uses it", "include b.fs\ninclude c.fs\n: mine ( -- ) other ;\n", ": cw ( n -- n' ) inc ;\n", nil, false},
		{"its top level uses it", "include b.fs\ninclude c.fs\n1 inc drop\n", ": cw ( -- ) ;\n", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			wsTree(t, dir, map[string]string{"a.fs": tc.a, "b.fs": b, "c.fs": tc.c})
			ua, ub := wsURI(filepath.Join(dir, "a.fs")), wsURI(filepath.Join(dir, "b.fs"))
			// Before the request that follows the edit, on the worker:
			// is a.fs to be analysed again?
			var h *harness
			again := make(chan bool, 1)
			var before *analysis.Result
			h = startServer(t, Options{}, func(ev event) {
				d := h.srv.work.docs[uri.URI(ua)]
				switch {
				case ev.kind == evChange:
					before = d.result
				case ev.kind == evCall && ev.call.method == "textDocument/documentSymbol":
					again <- d.analyzed == nil || d.result != before
				}
			})
			h.initialize(nil)
			log := &messageLog{h: h}
			open(h, ub, b, 1)
			log.until("b v1", lsptest.IsPublish(ub, 1))
			open(h, ua, tc.a, 1)
			log.until("a v1", lsptest.IsPublish(ua, 1))
			edit := tc.edit
			if edit == nil {
				edit = dropInc
			}
			change(h, ub, 2, edit)
			log.until("b v2", lsptest.IsPublish(ub, 2))
			var syms []any
			h.Request("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": ub}}, &syms)
			if got := <-again; got != tc.republished {
				t.Errorf("a.fs analysed again after inc's effect changed: %v, want %v", got, tc.republished)
			}
		})
	}
}

// Closing an included document, its open includer reads its file again:
// the buffer's edits, not saved, are gone for it.
func TestIncluderAfterClose(t *testing.T) {
	dir := t.TempDir()
	a := "include b.fs\n: use ( n -- n' ) inc ;\n"
	b := ": inc ( n -- n' ) drop ;\n"
	wsTree(t, dir, map[string]string{"a.fs": a, "b.fs": b})
	ua, ub := wsURI(filepath.Join(dir, "a.fs")), wsURI(filepath.Join(dir, "b.fs"))
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	log := &messageLog{h: h}
	open(h, ub, b, 1)
	log.until("b v1", lsptest.IsPublish(ub, 1))
	open(h, ua, a, 1)
	log.until("a v1", lsptest.IsPublish(ua, 1))
	// Mended in the buffer, then a comment: a.fs is clean, and stale.
	change(h, ub, 2, replaceLine(0, ": inc ( n -- n' ) 1+ ;\n"))
	log.until("a clean", func(m lsptest.Message) bool {
		_, codes := log.publications(ua, 0)
		return lsptest.IsPublish(ua, -1)(m) && len(codes[len(codes)-1]) == 0
	})
	change(h, ub, 3, insert(0, 0, "\\ mended\n"))
	log.until("b v3", lsptest.IsPublish(ub, 3))
	h.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": ub}})
	log.until("a with the file's text", func(m lsptest.Message) bool {
		_, codes := log.publications(ua, 0)
		return lsptest.IsPublish(ua, -1)(m) && strings.Join(codes[len(codes)-1], " ") == "effect-mismatch"
	})
}

// TestIncluderEditThenSave: an edit of an included document that changes
// what its includer sees, with the save queued behind it (an editor's
// save right after typing), publishes the includer with the new view.
// The save invalidated the includer before the edits' batch reached it;
// it was then read again but never published, as its version was the
// same.
func TestIncluderEditThenSave(t *testing.T) {
	dir := t.TempDir()
	a := "include b.fs\n: use ( n -- n ) inc ;\n"
	b := ": inc ( n -- n ) 1+ ;\n"
	wsTree(t, dir, map[string]string{"a.fs": a, "b.fs": b})
	ua, ub := wsURI(filepath.Join(dir, "a.fs")), wsURI(filepath.Join(dir, "b.fs"))
	h, gate := startHeldServer(t, 1)
	h.initialize(nil)
	log := &messageLog{h: h}
	open(h, ub, b, 1)
	open(h, ua, a, 1)
	log.until("a v1 and b v1", func(m lsptest.Message) bool {
		_, ca := log.publications(ua, 0)
		_, cb := log.publications(ub, 0)
		return len(ca) > 0 && len(cb) > 0
	})
	start := len(log.all)
	gate <- true
	change(h, ub, 2, replaceLine(0, ": inc ( n -- n n ) dup ;\n"))
	h.Notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": ub}})
	log.until("a republished", lsptest.IsPublish(ua, -1))
	_, codes := log.publications(ua, start)
	if got := strings.Join(codes[len(codes)-1], " "); got != "effect-mismatch" {
		t.Errorf("a.fs after b.fs's edit and save: %q, want effect-mismatch", got)
	}
}

// startHeldServer starts a server whose worker, after a value is sent on
// gate, holds the next event it takes until n more events are queued
// behind it, whatever the scheduling: a burst of notifications then
// reaches the worker as one batch.
func startHeldServer(t *testing.T, n int) (h *harness, gate chan bool) {
	gate = make(chan bool, 1)
	h = startServer(t, Options{}, func(ev event) {
		select {
		case <-gate:
		default:
			return
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			h.srv.work.q.mu.Lock()
			k := len(h.srv.work.q.items)
			h.srv.work.q.mu.Unlock()
			if k >= n || time.Now().After(deadline) {
				return
			}
			runtime.Gosched()
		}
	})
	return h, gate
}
