package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fastforth/fastforth/forth/machine"
	"github.com/fastforth/fastforth/patterns"
)

const testUsage = `usage: fastforth test [--json] [--gforth] [--timeout 1m] FILE...

Loads the files, in order, into one Forth machine (as gforth loads the
files of its command line) and runs their T{ ... -> ... }T tests: the
machine knows T{ -> }T itself, and a file's own tester takes over. Prints
each failure with its line. --gforth also runs the files in gforth (the
Fast Forth tester preloaded) and compares. Exit status: 0 every test
passes, 1 a test fails or a file does not load (or, with --gforth, gforth
disagrees), 2 usage error.
`

// testFileJSON is one file's outcome in fastforth test --json.
type testFileJSON struct {
	File   string           `json:"file"`
	Tests  []testResultJSON `json:"tests"`
	Passed int              `json:"passed"`
	Failed int              `json:"failed"`
	Error  *testErrorJSON   `json:"error"`
	Gforth *gforthFileJSON  `json:"gforth,omitempty"`
}

type testResultJSON struct {
	File    string      `json:"file"`
	Line    int         `json:"line"`
	Text    string      `json:"text"`
	Pass    bool        `json:"pass"`
	Message string      `json:"message,omitempty"`
	Gforth  *gforthTest `json:"gforth,omitempty"`
}

type testErrorJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
	Code    int    `json:"code,omitempty"`
	Limit   string `json:"limit,omitempty"`
	Message string `json:"message"`
	Word    string `json:"word,omitempty"`
	Source  string `json:"source,omitempty"`
}

type gforthTest struct {
	Pass    bool   `json:"pass"`
	Message string `json:"message,omitempty"`
}

// gforthFileJSON is gforth's outcome for a file.
type gforthFileJSON struct {
	Failed int    `json:"failed"`
	Error  string `json:"error,omitempty"`
	Agrees bool   `json:"agrees"`
}

type testSummaryJSON struct {
	Files  int  `json:"files"`
	Tests  int  `json:"tests"`
	Passed int  `json:"passed"`
	Failed int  `json:"failed"`
	Errors int  `json:"errors"`
	OK     bool `json:"ok"`
}

type testOutputJSON struct {
	Files   []testFileJSON  `json:"files"`
	Summary testSummaryJSON `json:"summary"`
}

func runTest(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("test", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprint(stderr, testUsage) }
	asJSON := fset.Bool("json", false, "print the results as JSON")
	withGforth := fset.Bool("gforth", false, "also run the files in gforth and compare")
	timeout := fset.Duration("timeout", time.Minute, "how long gforth may take before it is killed")
	files, err := parseInterleaved(fset, args)
	if err != nil {
		return 2
	}
	if len(files) == 0 {
		fmt.Fprint(stderr, testUsage)
		return 2
	}
	srcs := make([][]byte, len(files))
	abs := make([]string, len(files))
	for i, f := range files {
		if srcs[i], err = os.ReadFile(f); err != nil {
			fmt.Fprintf(stderr, "fastforth test: %v\n", err)
			return 2
		}
		if abs[i], err = filepath.Abs(f); err != nil {
			abs[i] = f
		}
	}
	var gf []gforthFile
	if *withGforth {
		bin, err := patterns.FindGforth()
		if err != nil {
			fmt.Fprintf(stderr, "fastforth test: %v\n", err)
			return 2
		}
		if gf, err = runGforthFiles(bin, abs, *timeout); err != nil {
			fmt.Fprintf(stderr, "fastforth test: %v\n", err)
			return 2
		}
	}

	// Names in the output are the user's, or relative to the working
	// directory for included files.
	wd, _ := os.Getwd()
	display := func(p string) string {
		for i, a := range abs {
			if a == p {
				return files[i]
			}
		}
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
		return p
	}

	m := machine.New(machine.Config{Include: machine.OSFiles})
	out := testOutputJSON{Files: []testFileJSON{}}
	for i := range files {
		rep := m.RunTests(abs[i], string(srcs[i]))
		fj := testFileJSON{File: files[i], Tests: []testResultJSON{}, Passed: rep.Passed, Failed: rep.Failed}
		for _, t := range rep.Tests {
			fj.Tests = append(fj.Tests, testResultJSON{File: display(t.File), Line: t.Line, Text: t.Text, Pass: t.Pass, Message: t.Message})
		}
		if e := rep.Err; e != nil {
			fj.Error = &testErrorJSON{File: display(e.File), Line: e.Line, Column: e.Column, Code: e.Code,
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

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(out)
	} else {
		printTests(stdout, &out)
	}
	if out.Summary.OK {
		return 0
	}
	return 1
}

// printTests prints the failures, each file's count and the total.
func printTests(w io.Writer, out *testOutputJSON) {
	for _, f := range out.Files {
		for _, t := range f.Tests {
			if !t.Pass {
				fmt.Fprintf(w, "%s:%d: %s\n    %s\n", t.File, t.Line, t.Message, t.Text)
			}
			if g := t.Gforth; g != nil && g.Pass != t.Pass {
				verdict := "passes"
				if !g.Pass {
					verdict = g.Message
				}
				fmt.Fprintf(w, "%s:%d: gforth: %s\n    %s\n", t.File, t.Line, verdict, t.Text)
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
			fmt.Fprintf(w, "%s: error: %s\n", pos, msg)
			if e.Source != "" {
				fmt.Fprintf(w, "    %s\n", strings.TrimSpace(e.Source))
			}
		}
		fmt.Fprintf(w, "%s: %s, %d failed", f.File, testPlural(len(f.Tests), "test"), f.Failed)
		if f.Error != nil {
			fmt.Fprint(w, ", did not load")
		}
		if g := f.Gforth; g != nil {
			fmt.Fprintf(w, "; gforth: %d failed", g.Failed)
			if g.Error != "" {
				fmt.Fprintf(w, ", error: %s", g.Error)
			}
			if g.Agrees {
				fmt.Fprint(w, ", agrees")
			} else {
				fmt.Fprint(w, ", differs")
			}
		}
		fmt.Fprintln(w)
	}
	s := out.Summary
	fmt.Fprintf(w, "%s, %d passed, %d failed", testPlural(s.Tests, "test"), s.Passed, s.Failed)
	if s.Errors > 0 {
		fmt.Fprintf(w, ", %s did not load", testPlural(s.Errors, "file"))
	}
	fmt.Fprintln(w)
}

func testPlural(n int, what string) string {
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
// tester (patterns.Tester) first, each file under CATCH.
func runGforthFiles(bin string, files []string, timeout time.Duration) ([]gforthFile, error) {
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
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, driver, "-e", "bye")
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8")
	cmd.Stdin = strings.NewReader("")
	cmd.WaitDelay = 2 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
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
		}
	}
	return res, nil
}

// compareGforth marks each test with gforth's outcome: it failed in
// gforth if gforth printed a failure for its line.
func compareGforth(f *testFileJSON, g gforthFile) *gforthFileJSON {
	res := &gforthFileJSON{Failed: len(g.failures), Agrees: true}
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
		gt := &gforthTest{Pass: true}
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
