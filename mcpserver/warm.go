package mcpserver

import (
	"runtime"
	"sync"
)

// warmPool runs tool calls on long-lived goroutines. The SDK starts a
// goroutine per request, with the runtime's small initial stack; an
// analysis needs a deeper one, so every call grew (copied) its stack
// several times: a tenth of an MCP server's CPU in profiles of the agent
// benchmark. A pool goroutine keeps the stack it has grown (the
// collector halves an idle stack at most once per cycle).
type warmPool struct {
	once sync.Once
	work chan func()
}

var warm warmPool

// run runs f on an idle pool goroutine and waits for it; when every
// pool goroutine is busy, f runs on the caller's goroutine, as it would
// without the pool. f must not panic (the tool handler recovers).
func (p *warmPool) run(f func()) {
	p.once.Do(func() {
		p.work = make(chan func())
		for range runtime.GOMAXPROCS(0) {
			go func() {
				for job := range p.work {
					job()
				}
			}()
		}
	})
	done := donePool.Get().(chan struct{})
	select {
	case p.work <- func() { f(); done <- struct{}{} }:
		<-done
		donePool.Put(done)
	default:
		donePool.Put(done)
		f()
	}
}

// donePool recycles the channels that say a job is done (each is empty
// when put back).
var donePool = sync.Pool{New: func() any { return make(chan struct{}, 1) }}
