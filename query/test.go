package query

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fastforth/fastforth/forth/machine"
	"github.com/fastforth/fastforth/patterns"
)

// TestRequest asks to run the T{ ... -> ... }T tests of a text or files,
// loaded in order into one Forth machine (as gforth loads the files of
// its command line).
type TestRequest struct {
	Text  string   `json:"text,omitempty" jsonschema:"Forth source with T{ ... -> ... }T tests (T{ is built in)"`
	Path  string   `json:"path,omitempty" jsonschema:"with text: the file the text is (includes are read from its directory); alone: a file to load"`
	Paths []string `json:"paths,omitempty" jsonschema:"files loaded in order into one machine"`
	// Gforth also runs the files in gforth and compares (when the
	// server allows it).
	Gforth bool `json:"gforth,omitempty" jsonschema:"also run in gforth and compare (only when the server allows gforth)"`
}

// TestFile is one file's outcome, in the shape of `fastforth test --json`.
type TestFile struct {
	File   string        `json:"file"`
	Tests  []TestOutcome `json:"tests"`
	Passed int           `json:"passed"`
	Failed int           `json:"failed"`
	// Error is set when the file did not load (an uncaught error or a
	// limit of the machine).
	Error  *TestError  `json:"error"`
	Gforth *GforthFile `json:"gforth,omitempty"`
}

// TestOutcome is one test line's outcome.
type TestOutcome struct {
	File    string      `json:"file"`
	Line    int         `json:"line"`
	Text    string      `json:"text"`
	Pass    bool        `json:"pass"`
	Message string      `json:"message,omitempty"`
	Gforth  *GforthTest `json:"gforth,omitempty"`
}

// TestError is why a file did not load.
type TestError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
	Code    int    `json:"code,omitempty"`
	Limit   string `json:"limit,omitempty"`
	Message string `json:"message"`
	Word    string `json:"word,omitempty"`
	Source  string `json:"source,omitempty"`
}

// GforthTest is gforth's verdict on a test.
type GforthTest struct {
	Pass    bool   `json:"pass"`
	Message string `json:"message,omitempty"`
}

// GforthFile is gforth's outcome for a file.
type GforthFile struct {
	Failed int    `json:"failed"`
	Error  string `json:"error,omitempty"`
	Agrees bool   `json:"agrees"`
}

// TestSummary counts the outcomes of all files.
type TestSummary struct {
	Files  int  `json:"files"`
	Tests  int  `json:"tests"`
	Passed int  `json:"passed"`
	Failed int  `json:"failed"`
	Errors int  `json:"errors"`
	OK     bool `json:"ok"`
}

// TestResult is the answer of a test run (and `fastforth test --json`).
type TestResult struct {
	Files   []TestFile  `json:"files"`
	Summary TestSummary `json:"summary"`
}

// DefaultGforthTimeout bounds a gforth run of test files.
const DefaultGforthTimeout = time.Minute

// Test runs the tests of a text or of files in the machine.
func (s *Service) Test(ctx context.Context, req *TestRequest) (*TestResult, error) {
	var names, abs []string
	var srcs [][]byte
	switch {
	case req.Text != "":
		if len(req.Paths) > 0 {
			return nil, errf(CodeInvalid, "paths", "give text (and path) or paths, not both")
		}
		if err := s.checkText("text", req.Text); err != nil {
			return nil, err
		}
		name, a := textName, ""
		if req.Path != "" {
			p, err := s.resolve("path", req.Path)
			if err != nil {
				return nil, err
			}
			name, a = req.Path, p
		} else {
			a = s.textPath()
		}
		names, abs, srcs = []string{name}, []string{a}, [][]byte{[]byte(req.Text)}
	case req.Path != "" || len(req.Paths) > 0:
		paths := req.Paths
		if req.Path != "" {
			paths = append([]string{req.Path}, paths...)
		}
		if lim := s.limits().MaxPaths; len(paths) > lim {
			return nil, errf(CodeTooLarge, "paths", "%d files; at most %d are allowed", len(paths), lim)
		}
		for i, p := range paths {
			a, err := s.resolve(fmt.Sprintf("paths[%d]", i), p)
			if err != nil {
				return nil, err
			}
			src, rerr := s.readFile(a)
			if rerr != nil {
				return nil, &Error{Code: CodeIO, Field: fmt.Sprintf("paths[%d]", i), Message: fmt.Sprintf("%s: %v", p, rerr)}
			}
			names, abs, srcs = append(names, p), append(abs, a), append(srcs, src)
		}
	default:
		return nil, missing("text", "give text, path or paths")
	}
	if req.Gforth && !s.AllowGforth {
		return nil, errf(CodeForbidden, "gforth", "this server does not run gforth; the in-process machine runs the tests")
	}
	return s.RunTests(ctx, names, abs, srcs, req.Gforth, DefaultGforthTimeout)
}

// include is the machine's Config.Include for a request: files read as
// source (regular files only, bounded), inside the root when there is
// one; a relative name next to the including file, then in the working
// directory (the root).
func (s *Service) include(name, from string) (string, []byte, error) {
	var tries []string
	if filepath.IsAbs(name) {
		tries = []string{name}
	} else {
		if from != "" {
			tries = append(tries, filepath.Join(filepath.Dir(from), name))
		}
		if s.Root != "" {
			tries = append(tries, filepath.Join(s.Root, name))
		} else {
			tries = append(tries, name)
		}
	}
	var err error
	for _, p := range tries {
		var src []byte
		if src, err = s.readFile(p); err == nil {
			a, _ := filepath.Abs(p)
			return a, src, nil
		}
	}
	return "", nil, err
}

// RunTests loads the files (names as shown, absolute paths, texts) in
// order into one machine and reports their tests; with gforth, also runs
// them in gforth (the Fast Forth tester preloaded) and compares.
func (s *Service) RunTests(ctx context.Context, names, abs []string, srcs [][]byte, gforth bool, timeout time.Duration) (*TestResult, error) {
	var gf []gforthFile
	if gforth {
		bin, err := patterns.FindGforth()
		if err != nil {
			return nil, &Error{Code: CodeNotFound, Field: "gforth", Message: err.Error()}
		}
		if gf, err = runGforthFiles(ctx, bin, abs, srcs, timeout); err != nil {
			return nil, &Error{Code: CodeIO, Field: "gforth", Message: err.Error()}
		}
	}
	// Names in the output are the request's, or relative to the working
	// directory for included files.
	// The working directory is looked up only for a name that needs it
	// (an included file): most requests' tests are all in their text.
	var wd string
	wdOnce := false
	display := func(p string) string {
		for i, a := range abs {
			if a == p {
				return names[i]
			}
		}
		if !wdOnce {
			wd, _ = os.Getwd()
			wdOnce = true
		}
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
		return p
	}
	m := machine.New(machine.Config{Include: s.include})
	out := &TestResult{Files: []TestFile{}}
	for i := range names {
		if err := ctx.Err(); err != nil {
			return nil, AsError(err)
		}
		rep := m.RunTests(abs[i], string(srcs[i]))
		fj := TestFile{File: names[i], Tests: []TestOutcome{}, Passed: rep.Passed, Failed: rep.Failed}
		for _, t := range rep.Tests {
			fj.Tests = append(fj.Tests, TestOutcome{File: display(t.File), Line: t.Line, Text: t.Text, Pass: t.Pass, Message: t.Message})
		}
		if e := rep.Err; e != nil {
			fj.Error = &TestError{File: display(e.File), Line: e.Line, Column: e.Column, Code: e.Code,
				Message: e.Message, Word: e.Word, Source: e.Source}
			if e.Limit != nil {
				fj.Error.Limit = e.Limit.Error()
			}
			out.Summary.Errors++
		}
		if gf != nil {
			fj.Gforth = compareGforth(&fj, gf[i])
		}
		out.Summary.Files++
		out.Summary.Tests += len(fj.Tests)
		out.Summary.Passed += fj.Passed
		out.Summary.Failed += fj.Failed
		out.Files = append(out.Files, fj)
	}
	out.Summary.OK = out.Summary.Failed == 0 && out.Summary.Errors == 0
	for _, f := range out.Files {
		if f.Gforth != nil && (!f.Gforth.Agrees || f.Gforth.Error != "" || f.Gforth.Failed > 0) {
			out.Summary.OK = false
		}
	}
	return out, nil
}

// String prints the failures, each file's count and the total, as
// `fastforth test` does.
func (out *TestResult) String() string {
	var w strings.Builder
	for _, f := range out.Files {
		for _, t := range f.Tests {
			if !t.Pass {
				fmt.Fprintf(&w, "%s:%d: %s\n    %s\n", t.File, t.Line, t.Message, t.Text)
			}
			if g := t.Gforth; g != nil && g.Pass != t.Pass {
				verdict := "passes"
				if !g.Pass {
					verdict = g.Message
				}
				fmt.Fprintf(&w, "%s:%d: gforth: %s\n    %s\n", t.File, t.Line, verdict, t.Text)
			}
		}
		if e := f.Error; e != nil {
			pos := e.File
			if e.Line > 0 {
				pos += ":" + strconv.Itoa(e.Line)
				if e.Column > 0 {
					pos += ":" + strconv.Itoa(e.Column)
				}
			}
			msg := e.Message
			if e.Word != "" {
				msg += ": " + e.Word
			}
			fmt.Fprintf(&w, "%s: error: %s\n", pos, msg)
			if e.Source != "" {
				fmt.Fprintf(&w, "    %s\n", strings.TrimSpace(e.Source))
			}
		}
		fmt.Fprintf(&w, "%s: %s, %d failed", f.File, plural(len(f.Tests), "test"), f.Failed)
		if f.Error != nil {
			fmt.Fprint(&w, ", did not load")
		}
		if g := f.Gforth; g != nil {
			fmt.Fprintf(&w, "; gforth: %d failed", g.Failed)
			if g.Error != "" {
				fmt.Fprintf(&w, ", error: %s", g.Error)
			}
			if g.Agrees {
				fmt.Fprint(&w, ", agrees")
			} else {
				fmt.Fprint(&w, ", differs")
			}
		}
		fmt.Fprintln(&w)
	}
	s := out.Summary
	fmt.Fprintf(&w, "%s, %d passed, %d failed", plural(s.Tests, "test"), s.Passed, s.Failed)
	if s.Errors > 0 {
		fmt.Fprintf(&w, ", %s did not load", plural(s.Errors, "file"))
	}
	fmt.Fprintln(&w)
	return w.String()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// gforthFile is what gforth printed for one file: the source lines of
// its failed tests (in order, with their messages) and a THROW code that
// stopped it.
type gforthFile struct {
	failures []gforthFailure
	code     int
	err      string // set when gforth did not get through the file
}

type gforthFailure struct {
	message string
	text    string
}

// runGforthFiles loads the files in one gforth process, the Fast Forth
// tester (patterns.Tester) first, each file under CATCH. A file whose
// text is not the one on disk (a request's text) is written to a
// temporary directory first.
func runGforthFiles(ctx context.Context, bin string, files []string, srcs [][]byte, timeout time.Duration) ([]gforthFile, error) {
	dir, err := os.MkdirTemp("", "fastforth-test")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	tester := filepath.Join(dir, patterns.TesterFile)
	if err := os.WriteFile(tester, []byte(patterns.Tester), 0o644); err != nil {
		return nil, err
	}
	var drv strings.Builder
	drv.WriteString("[defined] warnings [if] warnings off [then]\n")
	fmt.Fprintf(&drv, "s\" %s\" included\n", tester)
	drv.WriteString(": ff-file ( c-addr u -- ) ['] included catch ?dup if cr .\" @@ERROR \" . cr 2drop postpone [ then ;\n")
	for i, f := range files {
		if disk, err := os.ReadFile(f); err != nil || !bytes.Equal(disk, srcs[i]) {
			// The text of a request: gforth reads it from a file.
			f = filepath.Join(dir, fmt.Sprintf("input%d.fs", i))
			if err := os.WriteFile(f, srcs[i], 0o644); err != nil {
				return nil, err
			}
		}
		if strings.ContainsAny(f, "\"\n") {
			return nil, fmt.Errorf("%s: gforth cannot be given this file name", f)
		}
		// Flushed, so that a run killed later still shows which file
		// was running.
		fmt.Fprintf(&drv, "cr .( @@FILE %d) cr stdout flush-file drop s\" %s\" ff-file\n", i, f)
	}
	driver := filepath.Join(dir, "driver.fs")
	if err := os.WriteFile(driver, []byte(drv.String()), 0o644); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, driver, "-e", "bye")
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8")
	cmd.Stdin = strings.NewReader("")
	cmd.WaitDelay = 2 * time.Second
	// A test that prints without end would fill memory until the
	// timeout: past patterns.DefaultMaxOutput bytes gforth is stopped,
	// and the file that was running says so.
	stdout := &cappedOutput{max: patterns.DefaultMaxOutput, full: cancel}
	stderr := &cappedOutput{max: patterns.DefaultMaxOutput, full: cancel}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	timedOut := ctx.Err() != nil
	if err != nil && !timedOut {
		return nil, fmt.Errorf("gforth: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	res := make([]gforthFile, len(files))
	cur := -1
	for _, l := range strings.Split(stdout.String(), "\n") {
		l = strings.TrimRight(l, " \r")
		if s, ok := strings.CutPrefix(l, "@@FILE "); ok {
			cur, _ = strconv.Atoi(s)
			continue
		}
		if cur < 0 || cur >= len(files) {
			continue
		}
		if s, ok := strings.CutPrefix(l, "@@ERROR "); ok {
			res[cur].code, _ = strconv.Atoi(strings.TrimSpace(s))
			continue
		}
		for _, k := range []string{"INCORRECT RESULT: ", "WRONG NUMBER OF RESULTS: ", "INCORRECT FP RESULT: ", "WRONG NUMBER OF FP RESULTS: "} {
			if i := strings.Index(l, k); i >= 0 {
				res[cur].failures = append(res[cur].failures, gforthFailure{message: strings.TrimSuffix(k, ": "), text: strings.TrimSpace(l[i+len(k):])})
				break
			}
		}
	}
	if timedOut {
		// The file that was running did not end (a test that loops);
		// the ones after it did not run.
		for i := max(cur, 0); i < len(res); i++ {
			res[i].err = "not run"
		}
		if cur >= 0 {
			res[cur].err = fmt.Sprintf("timed out after %v", timeout)
			if stdout.exceeded || stderr.exceeded {
				res[cur].err = fmt.Sprintf("printed more than %d bytes: stopped", patterns.DefaultMaxOutput)
			}
		}
	}
	return res, nil
}

// compareGforth marks each test with gforth's outcome: it failed in
// gforth if gforth printed a failure for its line.
func compareGforth(f *TestFile, g gforthFile) *GforthFile {
	res := &GforthFile{Failed: len(g.failures), Agrees: true}
	if g.err != "" {
		// gforth did not finish the file; the machine ends any run.
		res.Error = g.err
		res.Agrees = f.Error != nil && f.Error.Limit != ""
	} else if g.code != 0 {
		res.Error = fmt.Sprintf("%s (THROW %d)", machine.ThrowMessage(g.code), g.code)
		if f.Error == nil || f.Error.Code != g.code {
			res.Agrees = false
		}
	} else if f.Error != nil {
		res.Agrees = false
	}
	fails := g.failures
	for i := range f.Tests {
		t := &f.Tests[i]
		gt := &GforthTest{Pass: true}
		for j, fl := range fails {
			if fl.text == t.Text {
				gt.Pass, gt.Message = false, fl.message
				fails = append(fails[:j:j], fails[j+1:]...)
				break
			}
		}
		t.Gforth = gt
		if gt.Pass != t.Pass {
			res.Agrees = false
		}
	}
	if len(fails) > 0 {
		res.Agrees = false
	}
	return res
}

// cappedOutput keeps at most max bytes of a process's output and calls
// full once when more comes.
type cappedOutput struct {
	buf      bytes.Buffer
	max      int
	full     func()
	exceeded bool
}

func (c *cappedOutput) Write(p []byte) (int, error) {
	if c.exceeded {
		return len(p), nil
	}
	if room := c.max - c.buf.Len(); len(p) > room {
		c.buf.Write(p[:room])
		c.exceeded = true
		c.full()
		return len(p), nil
	}
	return c.buf.Write(p)
}

func (c *cappedOutput) String() string { return c.buf.String() }
