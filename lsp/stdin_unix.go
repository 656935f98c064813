//go:build unix

package lsp

import (
	"io"
	"os"
	"syscall"
	"time"
)

// pollable returns in as a file that the Go runtime polls, when it is a
// pipe or socket open in blocking mode, as the standard input an editor
// gives a language server is. A blocking read holds its thread in the
// kernel, so each message must wake another thread to run the worker; a
// polled read parks only the reading goroutine, and its thread goes on to
// the worker at once (BenchmarkLSPHover, BenchmarkLSPHoverPipelined: less
// latency and less CPU per request). Anything else, or any failure, leaves
// in as it is. Nothing else in the process may read in afterwards.
//
// The non-blocking mode belongs to the open file, which the parent may
// share: closing the returned file (Serve does when it stops) puts the
// blocking mode back first.
func pollable(in io.Reader) io.Reader {
	f, ok := in.(*os.File)
	if !ok {
		return in
	}
	// A file that takes a deadline is polled already. A terminal is left
	// alone: its mode is shared with the shell.
	if f.SetReadDeadline(time.Time{}) == nil {
		return in
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&(os.ModeNamedPipe|os.ModeSocket) == 0 {
		return in
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return in
	}
	var fd uintptr
	var nbErr error
	if err := rc.Control(func(d uintptr) { fd, nbErr = d, syscall.SetNonblock(int(d), true) }); err != nil || nbErr != nil {
		return in
	}
	// NewFile sees the descriptor is non-blocking and polls it.
	return &polledFile{File: os.NewFile(fd, f.Name()), fd: fd}
}

// polledFile is a descriptor made non-blocking by pollable.
type polledFile struct {
	*os.File
	fd uintptr
}

// Close restores the blocking mode, then closes the file.
func (p *polledFile) Close() error {
	_ = syscall.SetNonblock(int(p.fd), false)
	return p.File.Close()
}
