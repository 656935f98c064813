package machine

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// The built-in T{ -> }T harness, with Hayes' semantics: T{ notes the
// stack depths, -> takes the results above them, }T compares them with
// the expected results above the same depths, cell by cell and float by
// float. A failure prints the tester's line ("INCORRECT RESULT: " or
// "WRONG NUMBER OF RESULTS: " and the source line) and is recorded with
// what differed. Floats are equal when identical or within a relative
// 1e-12 (as Fast Forth's generated tester). A file that defines its own
// T{ ... }T takes over; its tests are recorded too, failed when they
// print such a line.

// TestResult is the outcome of one T{ ... }T test.
type TestResult struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"` // 1-based line of the test in File
	Text    string `json:"text"` // the source line
	Pass    bool   `json:"pass"`
	Message string `json:"message,omitempty"` // why it failed
}

// Report is the outcome of RunTests.
type Report struct {
	File   string       `json:"file"`
	Tests  []TestResult `json:"tests"`
	Passed int          `json:"passed"`
	Failed int          `json:"failed"`
	// Err is set when the source did not load to its end (an uncaught
	// error or a limit); the tests before it are still reported.
	Err *Error `json:"error,omitempty"`
}

// OK reports whether the source loaded and every test passed.
func (r *Report) OK() bool { return r.Err == nil && r.Failed == 0 }

// RunTests loads src as the file name and reports the tests run while
// loading it.
func (m *Machine) RunTests(name, src string) *Report {
	start := len(m.tests)
	err := m.Load(name, src)
	r := &Report{File: name, Tests: append([]TestResult{}, m.tests[start:]...)}
	for _, t := range r.Tests {
		if t.Pass {
			r.Passed++
		} else {
			r.Failed++
		}
	}
	if err != nil {
		r.Err = err.(*Error)
	}
	return r
}

// testState is the open built-in test.
type testState struct {
	open   bool
	arrow  bool
	depth  int
	fdepth int
	got    []Cell
	fgot   []float64
	ngot   int // cells after ->; negative: taken from below T{'s depth
	nfgot  int
	loc    testLoc
}

type testLoc struct {
	file string
	line int
	text string
}

func (t testState) clone() testState {
	t.got = append([]Cell(nil), t.got...)
	t.fgot = append([]float64(nil), t.fgot...)
	return t
}

// hookState is a test of a loaded tester being run.
type hookState struct {
	open   bool
	outLen int
	tests  int // tests recorded when it began
	loc    testLoc
}

var testerWords = []prim{
	{name: "t{", fn: func(m *Machine) { m.testOpen() }, op: opTestT, flags: fTester},
	{name: "->", fn: func(m *Machine) { m.testArrow() }, op: opTestArrow, flags: fTester},
	{name: "}t", fn: func(m *Machine) { m.testClose() }, op: opTestEnd, flags: fTester},
}

// here returns where the current test is.
func (m *Machine) testLoc() testLoc {
	f := m.fileSource()
	if f == nil {
		return testLoc{}
	}
	text, _ := m.sourceText(f)
	return testLoc{file: f.name, line: f.line, text: strings.TrimSpace(text)}
}

func (m *Machine) testOpen() {
	m.tst = testState{open: true, depth: m.sp, fdepth: m.fp, loc: m.testLoc(), got: m.tst.got[:0], fgot: m.tst.fgot[:0]}
}

func (m *Machine) testArrow() {
	t := &m.tst
	if !t.open {
		*t = testState{open: true, loc: m.testLoc()}
	}
	t.arrow = true
	t.ngot = m.sp - t.depth
	if t.ngot > 0 {
		t.got = append(t.got[:0], m.ds[t.depth:m.sp]...)
		m.sp = t.depth
	}
	t.nfgot = m.fp - t.fdepth
	if t.nfgot > 0 {
		t.fgot = append(t.fgot[:0], m.fs[t.fdepth:m.fp]...)
		m.fp = t.fdepth
	}
}

func (m *Machine) testClose() {
	t := &m.tst
	if !t.open {
		*t = testState{open: true, loc: m.testLoc()}
	}
	res := TestResult{File: t.loc.file, Line: t.loc.line, Text: t.loc.text, Pass: true}
	nwant := m.sp - t.depth
	nfwant := m.fp - t.fdepth
	var prefix string
	switch {
	case !t.arrow:
		prefix = "WRONG NUMBER OF RESULTS: "
		res.Message = "WRONG NUMBER OF RESULTS: no ->"
	case t.ngot != nwant || t.ngot < 0:
		prefix = "WRONG NUMBER OF RESULTS: "
		res.Message = "WRONG NUMBER OF RESULTS: expected " + m.cellList(m.ds[t.depth:max(m.sp, t.depth)], nwant) +
			", got " + m.cellList(t.got, t.ngot)
	case t.nfgot != nfwant || t.nfgot < 0:
		prefix = "WRONG NUMBER OF RESULTS: "
		res.Message = "WRONG NUMBER OF RESULTS: expected F: " + floatList(m.fs[t.fdepth:max(m.fp, t.fdepth)], nfwant) +
			", got F: " + floatList(t.fgot, t.nfgot)
	default:
		want := m.ds[t.depth:m.sp]
		for i := range want {
			if want[i] != t.got[i] {
				prefix = "INCORRECT RESULT: "
				res.Message = "INCORRECT RESULT: expected " + m.cellList(want, len(want)) + ", got " + m.cellList(t.got, t.ngot)
				break
			}
		}
		if prefix == "" {
			fwant := m.fs[t.fdepth:m.fp]
			for i := range fwant {
				if !floatsNear(fwant[i], t.fgot[i]) {
					prefix = "INCORRECT RESULT: "
					res.Message = "INCORRECT RESULT: expected F: " + floatList(fwant, len(fwant)) + ", got F: " + floatList(t.fgot, t.nfgot)
					break
				}
			}
		}
	}
	if m.sp > t.depth {
		m.sp = t.depth
	}
	if m.fp > t.fdepth {
		m.fp = t.fdepth
	}
	t.open = false
	if prefix != "" {
		res.Pass = false
		m.emitString(prefix)
		if s := m.srcs; len(s) > 0 {
			text, _ := m.sourceText(s[len(s)-1])
			m.emitString(text)
		}
		m.emitByte('\n')
	}
	m.addTest(res)
}

func (m *Machine) addTest(r TestResult) {
	if len(m.tests) >= m.cfg.MaxTests {
		m.limit(ErrTests)
	}
	m.tests = append(m.tests, r)
}

// cellList formats n cells in the current base ("(none)" for none; a
// negative n is cells taken from below the test's depth).
func (m *Machine) cellList(cs []Cell, n int) string {
	if n < 0 {
		return strconv.Itoa(-n) + " cell(s) fewer than at T{"
	}
	if n == 0 {
		return "nothing"
	}
	b := m.fetch(varBase)
	var parts []string
	for _, c := range cs {
		if b < 2 || b > 36 {
			b = 10
		}
		parts = append(parts, strconv.FormatInt(c, int(b)))
	}
	return strings.ToUpper(strings.Join(parts, " "))
}

func floatList(fs []float64, n int) string {
	if n < 0 {
		return strconv.Itoa(-n) + " float(s) fewer than at T{"
	}
	if n == 0 {
		return "nothing"
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, strconv.FormatFloat(f, 'g', -1, 64))
	}
	return strings.Join(parts, " ")
}

// floatsNear: identical, or within a relative 1e-12.
func floatsNear(a, b float64) bool {
	if math.Float64bits(a) == math.Float64bits(b) || a == b {
		return true
	}
	return math.Abs(a-b) < math.Abs(b)*1e-12
}

// hookExec executes a loaded tester's T{ or }T (or { and }) from the
// text interpreter and records the test it ends.
func (m *Machine) hookExec(xt Cell, w *word) {
	if w.flags&fTestOpen != 0 {
		m.hookTest = hookState{open: true, outLen: len(m.out), tests: len(m.tests), loc: m.testLoc()}
		m.execXT(xt)
		return
	}
	m.execXT(xt)
	h := m.hookTest
	if !h.open {
		return
	}
	m.hookTest.open = false
	if len(m.tests) > h.tests {
		return // the built-in harness did the test
	}
	res := TestResult{File: h.loc.file, Line: h.loc.line, Text: h.loc.text, Pass: true}
	if h.outLen <= len(m.out) {
		for _, l := range bytes.Split(m.out[h.outLen:], []byte("\n")) {
			s := string(bytes.TrimSpace(l))
			if strings.Contains(s, "INCORRECT") || strings.Contains(s, "WRONG NUMBER") ||
				strings.Contains(s, "NUMBER OF") && (strings.Contains(s, "MATCH") || strings.Contains(s, "BELOW")) {
				res.Pass = false
				// The tester prints the source line after its message.
				if t := h.loc.text; t != "" && strings.HasSuffix(s, t) && len(s) > len(t) {
					s = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(s, t)), ":")
				}
				res.Message = s
				break
			}
		}
	}
	m.addTest(res)
}
