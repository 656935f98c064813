// Package query answers the questions every front end asks — check,
// infer, verify, compose, the stacks at a point, a word's facts,
// generate, patterns, test — once, with one set of JSON types. The
// command line's --json output, the MCP server's tools and the HTTP API
// are thin layers over it, as gopls' MCP tools and LSP handlers share its
// feature code (design-notes.md).
//
// A Service is safe for concurrent use: every request analyses in a
// workspace of its own over the shared, immutable builtin dictionary, so
// requests run in parallel on all cores.
package query

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/project"
	"github.com/fastforth/fastforth/patterns"
)

// Limits bound what one request may ask for.
type Limits struct {
	// MaxText bounds a request's Forth text (text, code, words) in bytes.
	MaxText int
	// MaxPaths bounds the files and directories one request names.
	MaxPaths int
	// MaxFiles bounds the files one check or infer analyses.
	MaxFiles int
	// MaxUses bounds the uses word lists.
	MaxUses int
}

// DefaultLimits are the limits of a Service whose Limits are zero: those
// of a request from a client (MCP, HTTP).
var DefaultLimits = Limits{MaxText: 1 << 20, MaxPaths: 64, MaxFiles: 5000, MaxUses: 200}

// LocalLimits are the limits of the command line: the user names the
// files (a shell glob may name hundreds) and reads every use; files are
// still read as sources are (regular, at most 4 MiB each).
var LocalLimits = Limits{MaxText: 1 << 20, MaxPaths: math.MaxInt, MaxFiles: math.MaxInt, MaxUses: math.MaxInt}

// Service answers queries. The zero value is not ready: use New.
type Service struct {
	// Root, when not empty, confines the files a request may name, and
	// those the analysis of a request's text may include, to this
	// directory (the HTTP server's --root).
	Root string
	// AllowGforth lets generate and test run gforth when a request asks
	// for it (never by default: tests run in the in-process machine).
	AllowGforth bool
	// Overrides are the command line's settings over every project's
	// (dialect, include paths, preloaded files, word files).
	Overrides project.Overrides
	Limits    Limits

	lib     *patterns.Library
	libOnce sync.Once
	// LibraryDir is where the workspace's patterns are looked for
	// (.fastforth/patterns in it or a parent, up to its project root);
	// "" means the working directory.
	LibraryDir string
	// NoBuiltin leaves the builtin pattern library out.
	NoBuiltin bool
	// Notes receives the pattern library's warnings and notes (a broken
	// user pattern file), once, when it is first loaded.
	Notes func(msg string)

	base     analysis.Options // the options of a text with no path
	textAbs  string           // textPath
	textOnce sync.Once
	baseErr  error
	baseOnce sync.Once
}

// New makes a Service.
func New() *Service { return &Service{Limits: DefaultLimits} }

func (s *Service) limits() Limits {
	l := s.Limits
	d := DefaultLimits
	if l.MaxText <= 0 {
		l.MaxText = d.MaxText
	}
	if l.MaxPaths <= 0 {
		l.MaxPaths = d.MaxPaths
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = d.MaxFiles
	}
	if l.MaxUses <= 0 {
		l.MaxUses = d.MaxUses
	}
	return l
}

// Library is the pattern library: the builtin patterns (unless
// NoBuiltin) and the workspace's, loaded once.
func (s *Service) Library() *patterns.Library {
	s.libOnce.Do(func() {
		l := patterns.Builtin()
		if s.NoBuiltin {
			l = patterns.Empty()
		}
		dir := s.LibraryDir
		if dir == "" {
			dir = "."
		}
		if d := patterns.FindUserDir(dir); d != "" {
			l = l.WithUser(d)
		}
		if s.Notes != nil {
			for _, d := range l.Diagnostics {
				s.Notes("warning: " + d.Error())
			}
			for _, d := range l.Notes {
				s.Notes("note: " + d.Error())
			}
		}
		s.lib = l
	})
	return s.lib
}

// Error is a request that cannot be answered, with a stable code that
// the front ends map onto their own errors (an HTTP status, an MCP tool
// error, an exit status).
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	// Field names the request field at fault, when one is.
	Field string `json:"field,omitempty"`
	// Details are further problems (every field error of a spec, every
	// problem of a project file).
	Details []Detail `json:"details,omitempty"`
}

// Detail is one problem among several.
type Detail struct {
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if e.Field != "" && !strings.HasPrefix(e.Message, e.Field) {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Code is an error's stable code.
type Code string

// The error codes. They are part of the HTTP API's contract.
const (
	CodeBadJSON          Code = "bad-json"           // the request is not JSON
	CodeUnknownField     Code = "unknown-field"      // a field the request type does not have
	CodeMissingField     Code = "missing-field"      // a required field is missing
	CodeInvalid          Code = "invalid-argument"   // a field's value is wrong
	CodeNotFound         Code = "not-found"          // no such word, pattern, file or route
	CodeForbidden        Code = "forbidden"          // a path outside the root, gforth not allowed
	CodeTooLarge         Code = "too-large"          // a body or text over its limit
	CodeMethodNotAllowed Code = "method-not-allowed" // (HTTP) the route exists for other methods
	CodeUnauthorized     Code = "unauthorized"       // (HTTP) a missing or wrong bearer token
	CodeRateLimited      Code = "rate-limited"       // (HTTP) over the client's request rate
	CodeTimeout          Code = "timeout"            // the request took longer than allowed
	CodeBadProject       Code = "bad-project"        // the project file or a word file has problems
	CodeIO               Code = "io-error"           // a file could not be read
	CodeInternal         Code = "internal"           // a bug: the handler recovered from a panic
)

func errf(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

func missing(field, what string) *Error {
	return &Error{Code: CodeMissingField, Field: field, Message: field + " is required: " + what}
}

// AsError returns err as an *Error (CodeInternal for other errors).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: CodeTimeout, Message: "the request took longer than allowed"}
	}
	return &Error{Code: CodeInternal, Message: err.Error()}
}

// checkDialect reports an unknown dialect name.
func checkDialect(name string) *Error {
	if name == "" {
		return nil
	}
	if _, err := builtins.Get(name); err != nil {
		return errf(CodeInvalid, "dialect", "%v", err)
	}
	return nil
}

// checkText bounds a text field.
func (s *Service) checkText(field, text string) *Error {
	if max := s.limits().MaxText; len(text) > max {
		return errf(CodeTooLarge, field, "%s is %d bytes; at most %d are allowed", field, len(text), max)
	}
	return nil
}

// resolve makes a path a request names absolute and checks that it is
// inside the root, when the Service has one. Symbolic links are followed
// for the check.
func (s *Service) resolve(field, path string) (string, *Error) {
	if path == "" {
		return "", missing(field, "a path")
	}
	if strings.ContainsRune(path, 0) {
		return "", errf(CodeInvalid, field, "%s: a path cannot contain a NUL byte", field)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", errf(CodeInvalid, field, "%s: %v", field, err)
	}
	if s.Root == "" {
		return abs, nil
	}
	if !s.inRoot(abs) {
		return "", errf(CodeForbidden, field, "%s: %s is outside the directory this server may read (%s)", field, path, s.Root)
	}
	return abs, nil
}

// inRoot reports whether abs, with its symbolic links followed where it
// exists, is inside the root.
func (s *Service) inRoot(abs string) bool {
	root, err := filepath.EvalSymlinks(s.Root)
	if err != nil {
		root = s.Root
	}
	root, _ = filepath.Abs(root)
	real := abs
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		real = r
	} else if r, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		real = filepath.Join(r, filepath.Base(abs))
	}
	rel, err := filepath.Rel(root, real)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// readFile is the analysis' ReadFile for text a request sent: inside the
// root only, when there is one.
func (s *Service) readFile(path string) ([]byte, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if s.Root != "" && !s.inRoot(abs) {
		return nil, analysis.ErrNotFound
	}
	return analysis.ReadSource(abs)
}

// textOptions are the analysis options of a text without a path: the
// overrides' (dialect, include paths, preloaded files, word files) over
// the defaults, with dialect, when not empty, over them.
func (s *Service) textOptions(dialect string) (analysis.Options, *Error) {
	s.baseOnce.Do(func() {
		p := project.Empty(s.Overrides)
		if !p.OK() {
			var msgs []string
			for _, pr := range p.AllProblems() {
				msgs = append(msgs, pr.Error())
			}
			s.baseErr = &Error{Code: CodeBadProject, Message: strings.Join(msgs, "\n")}
			return
		}
		s.base = p.Options("")
		s.base.IncludePaths = append([]string(nil), s.Overrides.IncludePaths...)
		for _, pre := range s.Overrides.Preload {
			if a, err := filepath.Abs(pre); err == nil {
				s.base.Preload = append(s.base.Preload, a)
			}
		}
	})
	if s.baseErr != nil {
		return analysis.Options{}, AsError(s.baseErr)
	}
	o := s.base
	if dialect != "" {
		o.Dialect = dialect
	}
	if s.Root != "" {
		o.ReadFile = s.readFile
	}
	return o, nil
}

// statErr turns a failed os.Stat into the CLI's message.
func statErr(err error) *Error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe
	}
	code := CodeIO
	if errors.Is(err, os.ErrNotExist) {
		code = CodeNotFound
	}
	return &Error{Code: code, Message: err.Error()}
}
