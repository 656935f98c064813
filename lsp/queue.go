package lsp

import (
	"context"
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// eventKind tells what an event asks of the worker.
type eventKind uint8

const (
	evOpen eventKind = iota
	evChange
	evClose
	evSave
	evCall
	evFiles   // files changed on disk (workspace.go)
	evIndexed // the workspace index changed (workspace.go)
	evConfig  // editor settings changed (settings.go)
	evFolders // workspace folders changed (workspace.go)
)

func (k eventKind) String() string {
	switch k {
	case evOpen:
		return "didOpen"
	case evChange:
		return "didChange"
	case evClose:
		return "didClose"
	case evSave:
		return "didSave"
	case evFiles:
		return "didChangeWatchedFiles"
	case evIndexed:
		return "indexed"
	case evFolders:
		return "didChangeWorkspaceFolders"
	case evConfig:
		return "settings"
	}
	return "request"
}

// event is one message for the worker, in wire order.
type event struct {
	kind    eventKind
	uri     uri.URI
	version int32
	text    string                                    // evOpen
	changes []protocol.TextDocumentContentChangeEvent // evChange
	call    *call                                     // evCall
	paths   []string                                  // evFiles
	config  []byte                                    // evConfig: the fastforth section, JSON
}

// queue is the worker's unbounded FIFO. The reader never blocks on it, so
// $/cancelRequest and exit are read however busy the worker is.
type queue struct {
	mu     sync.Mutex
	items  []event
	signal chan struct{} // capacity 1: "items may be non-empty"
}

func newQueue() *queue { return &queue{signal: make(chan struct{}, 1)} }

func (q *queue) push(e event) {
	q.mu.Lock()
	q.items = append(q.items, e)
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// pop waits for the next event; ok is false once ctx is done.
func (q *queue) pop(ctx context.Context) (e event, ok bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			e = q.items[0]
			q.items[0] = event{}
			q.items = q.items[1:]
			if len(q.items) == 0 {
				q.items = nil
			}
			q.mu.Unlock()
			return e, true
		}
		q.mu.Unlock()
		select {
		case <-q.signal:
		case <-ctx.Done():
			return event{}, false
		}
	}
}

func (q *queue) empty() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) == 0
}

// edits reports whether an event that changes document u is waiting.
func (q *queue) edits(u uri.URI) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.items {
		if e.uri == u && e.kind != evCall && e.kind != evSave {
			return true
		}
	}
	return false
}
