// Package lsp is the Fast Forth language server: the Language Server
// Protocol over a byte stream (an editor's pipe to the server's standard
// input and output), in front of the analysis core.
//
// # Ordering
//
// Messages are read by one goroutine, in wire order. The lifecycle
// (initialize, shutdown, exit), cancellation and parameter decoding are
// handled there, inline; document events (didOpen, didChange, didClose,
// didSave) and requests go, in that same order, onto one queue drained by
// one worker goroutine that owns the analysis.Workspace and the open
// documents. So edits are applied exactly in the order they were sent, and a
// request sees every edit sent before it and none sent after it: the worker
// takes the request's snapshot when it reaches it in the queue. The
// request's answer is then computed on its own goroutine from that
// immutable snapshot, so a slow request never holds up edits.
//
// The worker analyses lazily: it applies every queued edit first and
// analyses a document only when the queue is empty or a request needs the
// result, so a burst of keystrokes costs one analysis and a newer edit
// supersedes the publication of an older one.
//
// # Errors
//
// Every handler recovers from panics. A request is answered with a
// JSON-RPC error (-32601 unknown method, -32602 invalid params, -32002 not
// initialized, -32600 after shutdown, -32800 cancelled, -32603 internal);
// a notification that cannot be applied is logged and dropped, never
// allowed to close the connection. A frame that is not valid JSON is
// answered with -32700 and the server goes on reading.
package lsp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"

	"github.com/fastforth/fastforth/analysis"
)

// Options configure a server.
type Options struct {
	// Analysis configures the workspace (include paths, preloaded files,
	// float literals). Its ReadFile is replaced by one that reads open
	// documents from the editor's buffers and other files from disk.
	Analysis analysis.Options
	// Version is reported to the client in serverInfo.
	Version string
	// LogFile, when set, receives the log (debug level) instead of
	// LogWriter.
	LogFile string
	// LogWriter receives the log (info level) when LogFile is empty; nil
	// discards it. It must not be the protocol's output.
	LogWriter io.Writer
	// Logger, when set, is used as is and LogFile and LogWriter are
	// ignored.
	Logger *zap.Logger
	// MaxMessage bounds a message's body (DefaultMaxMessage when 0): a
	// larger one is skipped and answered with an error.
	MaxMessage int64
}

// Exit statuses of Serve.
const (
	// ExitOK: the client sent shutdown and then exit.
	ExitOK = 0
	// ExitNoShutdown: the connection ended (exit notification, end of
	// input, read error or cancelled context) without a shutdown request
	// first.
	ExitNoShutdown = 1
	// ExitSetup: the server could not start (the log file could not be
	// opened).
	ExitSetup = 2
)

// Serve runs the language server over in and out until the client sends
// exit, in reaches its end or ctx is cancelled, and returns the process
// exit status: 0 after shutdown and exit, 1 otherwise (the LSP
// specification's rule for exit without shutdown; also for input that ends
// without exit), 2 when the server could not start. The log never goes to
// out. When it stops, Serve closes in and out if they are io.Closers.
func Serve(ctx context.Context, in io.Reader, out io.Writer, opts Options) int {
	log, closeLog, err := newLogger(opts)
	if err != nil {
		if opts.LogWriter != nil {
			_, _ = io.WriteString(opts.LogWriter, "fastforth lsp: "+err.Error()+"\n")
		}
		return ExitSetup
	}
	defer closeLog()
	s := newServer(opts, log)
	// A blocking pipe (standard input) is read through the poller.
	return s.serve(ctx, pollable(in), out)
}

// stdio joins the two halves of the byte stream. Close closes whichever
// halves can be closed, which unblocks a pending read on a pipe.
type stdio struct {
	io.Reader
	io.Writer
}

func (s stdio) Close() error {
	var errs []error
	if c, ok := s.Reader.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	if c, ok := s.Writer.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// cleanupWait bounds how long Serve waits, after deciding to stop, for the
// connection's goroutines to finish. A read of the process' standard input
// cannot be interrupted (closing it does not unblock the read) and a
// client may keep the pipe open after exit; the process exits right after
// anyway.
const cleanupWait = 200 * time.Millisecond

func (s *server) serve(ctx context.Context, in io.Reader, out io.Writer) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// go.lsp.dev/protocol logs through log/slog: send it to the one zap
	// logger, so nothing it logs can reach the protocol's output.
	ctx = protocol.WithLogger(ctx, slog.New(zapslog.NewHandler(s.log.Core())))
	s.ctx = ctx

	rwc := stdio{Reader: in, Writer: out}
	st := newStream(newFrames(rwc, s.opts.MaxMessage), s.log)
	s.conn = jsonrpc2.NewConn(st, jsonrpc2.WithCodec(codec{}))

	var wg sync.WaitGroup
	wg.Go(func() { s.work.run(ctx) })
	s.conn.Go(ctx, s.handle)
	s.log.Info("fastforth language server started", zap.String("version", s.opts.Version))

	code := ExitNoShutdown
	select {
	case code = <-s.exited:
		s.log.Info("exit", zap.Int("status", code))
	case err := <-st.readErr:
		code = s.exitCode()
		if errors.Is(err, io.EOF) {
			s.log.Info("input closed", zap.Int("status", code))
		} else {
			s.log.Error("reading the input failed", zap.Error(err), zap.Int("status", code))
		}
	case <-s.conn.Done():
		code = s.exitCode()
		s.log.Info("connection closed", zap.Error(s.conn.Err()), zap.Int("status", code))
	case <-ctx.Done():
		code = s.exitCode()
		s.log.Info("stopped", zap.Error(context.Cause(ctx)), zap.Int("status", code))
	}

	// Stop: cancel every request and the worker, close the stream so the
	// reader returns, and give the goroutines a moment to finish.
	cancel()
	_ = rwc.Close()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		<-s.conn.Done()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(cleanupWait):
		s.log.Debug("the input is still being read at exit")
	}
	forgetTokens(s, "")
	_ = s.log.Sync()
	return code
}
