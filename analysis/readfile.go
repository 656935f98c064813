package analysis

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/fastforth/fastforth/analysis/diag"
)

// MaxSourceSize bounds the files read as Forth source (includes, project
// files, the index): 4 MiB, far beyond any real source file.
const MaxSourceSize = 4 << 20

// SourceError is why a file cannot be read as Forth source; its code is
// the diagnostic an include of it gets.
type SourceError struct {
	Path string
	Code diag.Code
	Msg  string
}

func (e *SourceError) Error() string { return e.Msg }

// DiagCode is the diagnostic code for an include of the file.
func (e *SourceError) DiagCode() diag.Code { return e.Code }

// testHookBeforeOpen, when set by a test, runs between the checks of a
// file and its opening (to change the file there).
var testHookBeforeOpen func(real string)

// ErrNotFound is returned (wrapped) for a file that does not exist.
var ErrNotFound = errors.New("file not found")

// specialDirs hold files that look regular but are made by the kernel
// (the environment, the process's own descriptors): never source.
var specialDirs = []string{"/proc/", "/sys/", "/dev/"}

// ReadSource reads a file as Forth source: only a regular file (after
// resolving symbolic links), outside the kernel's special file systems,
// of at most MaxSourceSize bytes. Everything else (a device such as
// /dev/zero, a FIFO, a directory, /proc/self/environ, a 4 GB file) is an
// error that says why, never a read that blocks or exhausts memory.
func ReadSource(path string) ([]byte, error) {
	if abs, err := filepath.Abs(path); err == nil {
		for _, d := range specialDirs {
			if strings.HasPrefix(abs+"/", d) {
				return nil, &SourceError{Path: path, Code: diag.IncludeNotRegular, Msg: abs + " is a special file of the system, not a source file"}
			}
		}
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w", ErrNotFound)
		}
		return nil, &SourceError{Path: path, Code: diag.IncludeNotRegular, Msg: "cannot be read: " + err.Error()}
	}
	real, _ = filepath.Abs(real)
	for _, d := range specialDirs {
		if strings.HasPrefix(real+"/", d) {
			return nil, &SourceError{Path: path, Code: diag.IncludeNotRegular, Msg: real + " is a special file of the system, not a source file"}
		}
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("%w", ErrNotFound)
	}
	if !st.Mode().IsRegular() {
		what := "not a regular file"
		switch {
		case st.IsDir():
			what = "a directory"
		case st.Mode()&os.ModeNamedPipe != 0:
			what = "a named pipe"
		case st.Mode()&os.ModeDevice != 0:
			what = "a device"
		case st.Mode()&os.ModeSocket != 0:
			what = "a socket"
		}
		return nil, &SourceError{Path: path, Code: diag.IncludeNotRegular, Msg: fmt.Sprintf("%s is %s, not a source file", path, what)}
	}
	if st.Size() > MaxSourceSize {
		return nil, &SourceError{Path: path, Code: diag.IncludeTooLarge, Msg: fmt.Sprintf("%s is %d bytes, more than the %d a source file may have", path, st.Size(), MaxSourceSize)}
	}
	if testHookBeforeOpen != nil {
		testHookBeforeOpen(real)
	}
	// Opened without blocking (a FIFO put in the file's place since the
	// check above would otherwise block the open until a writer comes),
	// and checked again on what was opened: the file read is the file
	// checked.
	f, err := os.OpenFile(real, os.O_RDONLY|openNoBlock, 0)
	if err != nil {
		return nil, &SourceError{Path: path, Code: diag.IncludeNotRegular, Msg: "cannot be read: " + err.Error()}
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, &SourceError{Path: path, Code: diag.IncludeNotRegular, Msg: fmt.Sprintf("%s changed into something that is not a regular file while it was read", path)}
	}
	if st.Size() > MaxSourceSize {
		return nil, &SourceError{Path: path, Code: diag.IncludeTooLarge, Msg: fmt.Sprintf("%s is %d bytes, more than the %d a source file may have", path, st.Size(), MaxSourceSize)}
	}
	// The size was checked, but a file may grow while it is read.
	src, err := io.ReadAll(io.LimitReader(f, MaxSourceSize+1))
	if err != nil {
		return nil, &SourceError{Path: path, Code: diag.IncludeNotRegular, Msg: "cannot be read: " + err.Error()}
	}
	if len(src) > MaxSourceSize {
		return nil, &SourceError{Path: path, Code: diag.IncludeTooLarge, Msg: fmt.Sprintf("%s is more than the %d bytes a source file may have", path, MaxSourceSize)}
	}
	return src, nil
}
