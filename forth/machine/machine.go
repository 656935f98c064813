// Package machine is an in-process Forth system: a small, fast
// interpreter that runs Forth 2012 code the way gforth 0.7.3 (64-bit)
// does, so that generated code and its T{ ... -> ... }T tests can be
// checked in microseconds without starting a Forth process.
//
// It has the data, return, floating-point and locals stacks, a
// dictionary of colon definitions compiled to an internal instruction
// form, byte-addressed memory (data space, a heap for ALLOCATE, PAD, the
// pictured-numeric-output buffer and transient string buffers), BASE,
// CATCH/THROW, locals and every control structure; the words of the Forth
// 2012 core, core-ext, double, exception, locals, memory, string, tools
// and search-order word sets, most of floating-point and the gforth words
// programs commonly use. The only I/O is an output buffer; INCLUDED reads
// files only through Config.Include.
//
// Every run is bounded: instructions executed, memory, stack depths,
// nesting, output and input each have a limit in Config, so any program,
// even BEGIN AGAIN, ends with a clear result. Exceeding a step, output or
// input limit ends the call with an *Error whose Limit is set; stack
// overflows and bad memory accesses THROW, as in gforth, and can be
// caught. No input makes the machine panic: every entry point recovers
// and reports an internal error instead.
//
// The T{ -> }T test harness is built in (Hayes semantics); a file that
// defines its own T{ (gforth's tester.fs, say) takes over, as in any
// Forth, and its tests are still recorded.
//
// Typical use:
//
//	m := machine.New(machine.Config{})
//	rep := m.RunTests("square.fs", ": sq dup * ;\nT{ 3 sq -> 9 }T\n")
//	if !rep.OK() { ... rep.Tests[i].Message ... }
//
// Loading once and running many examples against the loaded state:
//
//	base := machine.New(machine.Config{})
//	if err := base.Load("code.fs", code); err != nil { ... }
//	for _, ex := range examples {
//		m := base.Clone()
//		rep := m.RunTests("example", ex)
//		...
//	}
//
// A Machine is not safe for concurrent use; clones are independent.
package machine

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
)

// Cell is a Forth cell: 64 bits, two's complement, as in 64-bit gforth.
type Cell = int64

// Config bounds a machine. A zero field takes its default.
type Config struct {
	// MaxSteps bounds the instructions (and interpreted words) one
	// call to Load, Eval, RunTests or Execute may execute. Default
	// 10,000,000 (some tens of milliseconds).
	MaxSteps int64
	// MemorySize is the size of data space (the dictionary: HERE,
	// ALLOT, CREATE, VARIABLE ...) in bytes. Default 1 MiB.
	MemorySize int
	// HeapSize bounds ALLOCATE and RESIZE, in bytes. Default 1 MiB.
	HeapSize int
	// DataDepth, ReturnDepth, FloatDepth and LocalsDepth are the stack
	// sizes in items. Defaults 1024, 1024, 256 and 1024.
	DataDepth, ReturnDepth, FloatDepth, LocalsDepth int
	// MaxNesting bounds the nesting of EVALUATE, INCLUDED, CATCH and
	// EXECUTE from outside compiled code. Default 256.
	MaxNesting int
	// MaxOutput bounds the output buffer, in bytes. Default 1 MiB.
	MaxOutput int
	// MaxInput bounds the source text one call may read (its text and
	// every file it includes), in bytes. Default 16 MiB.
	MaxInput int
	// MaxTests bounds the T{ }T results recorded (until ClearTests).
	// Default 100,000.
	MaxTests int
	// StringSpace is the size of the ring buffer that S" and S\" use
	// outside definitions, in bytes; the oldest strings are overwritten
	// when it wraps. Default 256 KiB.
	StringSpace int
	// Include reads the file that INCLUDED, INCLUDE, REQUIRE, REQUIRED
	// and NEEDS name, from is the file that includes it ("" at the top).
	// It returns the file's canonical name (REQUIRE loads a name once)
	// and text. Nil: those words THROW -38 (non-existent file). OSFiles
	// reads from the operating system.
	Include func(name, from string) (path string, src []byte, err error)
	// NoTester leaves out the built-in T{ -> }T harness (then only a
	// loaded tester defines them).
	NoTester bool
	// Garbage fills data space beyond HERE and ALLOCATEd memory with
	// a non-zero pattern instead of zeros, as memory is in a Forth
	// system that has run other code (gforth after a MARKER, or after
	// the previous test): code that reads memory it never wrote then
	// fails here instead of passing by luck. VARIABLE, 2VARIABLE and
	// BUFFER: still clear their bodies.
	Garbage bool
}

// Defaults of Config.
const (
	DefaultMaxSteps    = 10_000_000
	DefaultMemorySize  = 1 << 20
	DefaultHeapSize    = 1 << 20
	DefaultDataDepth   = 1024
	DefaultReturnDepth = 1024
	DefaultFloatDepth  = 256
	DefaultLocalsDepth = 1024
	DefaultMaxNesting  = 256
	DefaultMaxOutput   = 1 << 20
	DefaultMaxInput    = 16 << 20
	DefaultStringSpace = 256 << 10
	DefaultMaxTests    = 100_000
)

// maxSegment is the largest size of one memory region.
const maxSegment = 1<<segShift - 1

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.MaxSteps <= 0 {
		c.MaxSteps = DefaultMaxSteps
	}
	def(&c.MemorySize, DefaultMemorySize)
	def(&c.HeapSize, DefaultHeapSize)
	def(&c.DataDepth, DefaultDataDepth)
	def(&c.ReturnDepth, DefaultReturnDepth)
	def(&c.FloatDepth, DefaultFloatDepth)
	def(&c.LocalsDepth, DefaultLocalsDepth)
	def(&c.MaxNesting, DefaultMaxNesting)
	def(&c.MaxOutput, DefaultMaxOutput)
	def(&c.MaxInput, DefaultMaxInput)
	def(&c.StringSpace, DefaultStringSpace)
	def(&c.MaxTests, DefaultMaxTests)
	clamp := func(v *int) {
		if *v > maxSegment {
			*v = maxSegment
		}
	}
	clamp(&c.MemorySize)
	clamp(&c.HeapSize)
	clamp(&c.StringSpace)
	clamp(&c.MaxInput)
	return c
}

// Limit errors: an *Error whose Limit is one of these ends the call; Forth
// code cannot catch it.
var (
	ErrSteps   = errors.New("step limit reached")
	ErrOutput  = errors.New("output limit reached")
	ErrInput   = errors.New("input limit reached")
	ErrNesting = errors.New("nesting limit reached")
	ErrTests   = errors.New("test limit reached")
	// ErrInternal is a bug in the machine, recovered from a panic.
	ErrInternal = errors.New("internal error")
)

// Error is why a call ended early: an uncaught THROW (Code, as gforth
// reports it), or a limit (Limit). It names the place in the source.
type Error struct {
	Code    int    // the THROW code; 0 for a limit or internal error
	Limit   error  // ErrSteps, ErrOutput, ErrInput, ErrNesting, ErrTests or ErrInternal; nil for a THROW
	Message string // gforth's text for Code, the ABORT" text, or the limit
	Word    string // the word being interpreted, when known
	File    string // source file ("" for Eval)
	Line    int    // 1-based line, 0 if unknown
	Column  int    // 1-based byte column where Word starts, 0 if unknown
	Source  string // the line's text
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" || e.Line > 0 {
		if e.File != "" {
			b.WriteString(e.File)
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%d:", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, "%d:", e.Column)
		}
		b.WriteByte(' ')
	}
	b.WriteString(e.Message)
	if e.Code != 0 && e.Code != -2 {
		fmt.Fprintf(&b, " (THROW %d)", e.Code)
	}
	if e.Word != "" {
		fmt.Fprintf(&b, ": %s", e.Word)
	}
	return b.String()
}

// Unwrap returns the limit, so that errors.Is(err, ErrSteps) works.
func (e *Error) Unwrap() error { return e.Limit }

// Machine is one Forth system. Make it with New; Clone copies it.
type Machine struct {
	cfg Config

	ds []Cell // data stack
	sp int
	rs []Cell // return stack
	rp int
	fs []float64 // floating-point stack
	fp int
	ls []Cell // locals stack
	lp int

	mem memory

	code  []inst // compiled code of every definition
	words []word // user words; their xts follow the builtins'
	// *wordsShared (atomic) is set when words is shared with a clone:
	// an element is copied before it changes (appending copies anyway,
	// as clones share words with no spare capacity). It is a pointer so
	// that copying the Machine does not read it.
	wordsShared *uint32
	lists       []wlist  // word lists (the first three are builtin)
	order       []int    // search order, first searched first
	current     int      // compilation word list
	latest      int      // user word index of the latest definition, -1 none
	lastXT      Cell     // xt of the latest definition (also :NONAME)
	markers     []marker // state saved by MARKER words

	// compiler
	def    *defState
	cs     []csItem
	leaves []int

	// input
	srcs     []*source // input source stack, the current one last
	included map[string]bool
	inputUse int // source bytes read in this call

	out []byte

	steps   int64 // left in this call
	nesting int

	tests    []TestResult
	tst      testState
	hookTest hookState

	substs map[string]string // REPLACES
	files  []*vfile          // open files (nil: not yet made)
	vfs    map[string][]byte // files written in this machine

	abortMsg   string
	exceptions map[int]string
	nextExc    int
	precision  int

	keyBuf    []byte  // lower-case name being looked up
	nameStart int     // offset of the name parseName returned last
	curName   []byte  // the word being interpreted (for messages)
	curSrc    *source // its source
	curIn     int     // its offset there
	errAt     errPlace
}

// New returns a machine with an empty dictionary beyond the builtin words.
// It is cheap: memory and stacks grow as they are used.
func New(cfg Config) *Machine {
	initBuiltins()
	m := &Machine{cfg: cfg.withDefaults()}
	m.ds = make([]Cell, 32)
	m.rs = make([]Cell, 32)
	m.fs = make([]float64, 8)
	m.initMemory()
	m.code = make([]inst, haltIP+1, 32)
	m.code[haltIP] = inst{op: opHalt}
	m.lists = []wlist{{name: "Forth"}, {name: "environment"}, {name: "Root"}}
	m.order = []int{widForth, widForth, widRoot} // as gforth starts
	m.current = widForth
	m.latest = -1
	m.wordsShared = new(uint32)
	m.precision = 15
	m.nextExc = -2051 // gforth 0.7.3 has used -2050 itself
	m.store(varBase, 10)
	return m
}

// Clone returns an independent copy of m: its dictionary, memory and
// stacks; its output and recorded tests start empty. Loading code once and
// cloning for each example is much cheaper than loading the code again.
// Several goroutines may clone one machine at once (as long as none uses
// it meanwhile). A clone made while a definition is being compiled
// copies that too.
func (m *Machine) Clone() *Machine {
	c := *m
	c.ds = append([]Cell(nil), m.ds...)
	c.rs = append([]Cell(nil), m.rs...)
	c.fs = append([]float64(nil), m.fs...)
	c.ls = append([]Cell(nil), m.ls...)
	c.mem = m.mem.clone()
	if m.def != nil {
		// Branches of the open definition are still patched.
		c.code = append([]inst(nil), m.code...)
		d := *m.def
		d.locals = append([]local(nil), d.locals...)
		d.pending = append([]declLocal(nil), d.pending...)
		c.def = &d
	} else {
		// Compiled code never changes: share it, and let the first
		// append of either machine copy it.
		c.code = m.code[:len(m.code):len(m.code)]
	}
	c.words = m.words[:len(m.words):len(m.words)]
	c.wordsShared = new(uint32)
	*c.wordsShared = 1
	atomic.StoreUint32(m.wordsShared, 1)
	c.lists = make([]wlist, len(m.lists))
	for i := range m.lists {
		c.lists[i] = m.lists[i].clone()
	}
	c.keyBuf = nil
	c.curName, c.curSrc = nil, nil
	c.order = append([]int(nil), m.order...)
	c.markers = append([]marker(nil), m.markers...)
	c.cs = append([]csItem(nil), m.cs...)
	c.leaves = append([]int(nil), m.leaves...)
	c.srcs = make([]*source, len(m.srcs))
	for i, s := range m.srcs {
		s2 := *s
		c.srcs[i] = &s2
	}
	if m.included != nil {
		c.included = make(map[string]bool, len(m.included))
		for k, v := range m.included {
			c.included[k] = v
		}
	}
	c.out = nil
	c.tests = nil
	if m.files != nil {
		c.files = make([]*vfile, len(m.files))
		for i, f := range m.files {
			if f != nil {
				f2 := *f
				f2.data = append([]byte(nil), f.data...)
				c.files[i] = &f2
			}
		}
	}
	if m.substs != nil {
		c.substs = make(map[string]string, len(m.substs))
		for k, v := range m.substs {
			c.substs[k] = v
		}
	}
	if m.vfs != nil {
		c.vfs = make(map[string][]byte, len(m.vfs))
		for k, v := range m.vfs {
			c.vfs[k] = v // never changed in place
		}
	}
	c.tst = m.tst.clone()
	if m.exceptions != nil {
		c.exceptions = make(map[int]string, len(m.exceptions))
		for k, v := range m.exceptions {
			c.exceptions[k] = v
		}
	}
	return &c
}

func (m *Machine) markIncluded(name string) {
	if m.included == nil {
		m.included = map[string]bool{}
	}
	m.included[name] = true
}

// Config returns the machine's configuration, defaults filled in.
func (m *Machine) Config() Config { return m.cfg }

// Output returns everything the machine has printed since it was made or
// the output was last cleared.
func (m *Machine) Output() string { return string(m.out) }

// ClearOutput empties the output buffer.
func (m *Machine) ClearOutput() { m.out = m.out[:0] }

// Stack returns a copy of the data stack, bottom first.
func (m *Machine) Stack() []Cell { return append([]Cell{}, m.ds[:m.sp]...) }

// FStack returns a copy of the floating-point stack, bottom first.
func (m *Machine) FStack() []float64 { return append([]float64{}, m.fs[:m.fp]...) }

// Depth is the number of cells on the data stack.
func (m *Machine) Depth() int { return m.sp }

// Push pushes cells on the data stack (the last on top). It fails when
// the stack would overflow.
func (m *Machine) Push(cells ...Cell) error {
	if m.sp+len(cells) > m.cfg.DataDepth {
		return &Error{Code: -3, Message: throwMessage(-3)}
	}
	for _, c := range cells {
		m.push(c)
	}
	return nil
}

// FPush pushes floats on the floating-point stack.
func (m *Machine) FPush(fs ...float64) error {
	if m.fp+len(fs) > m.cfg.FloatDepth {
		return &Error{Code: -44, Message: throwMessage(-44)}
	}
	for _, f := range fs {
		m.fpush(f)
	}
	return nil
}

// ClearStacks empties the data, floating-point, return and locals stacks.
func (m *Machine) ClearStacks() {
	m.sp, m.rp, m.fp, m.lp = 0, 0, 0, 0
}

// Reset empties the stacks, the output and the recorded tests and
// returns to interpretation state in decimal; the dictionary and memory
// stay as they are.
func (m *Machine) Reset() {
	m.ClearStacks()
	m.ClearOutput()
	m.ClearTests()
	m.tst = testState{}
	m.hookTest = hookState{}
	m.abortCompile()
	m.store(varBase, 10)
}

// Tests returns the T{ ... }T results recorded so far.
func (m *Machine) Tests() []TestResult { return append([]TestResult(nil), m.tests...) }

// ClearTests forgets the recorded test results.
func (m *Machine) ClearTests() { m.tests = nil }

// Load interprets src as the text of the file name (used in messages and
// to resolve files it includes): definitions are added to the dictionary
// and tests are run and recorded. It stops at the first uncaught error,
// as gforth does, and returns it as an *Error; the stacks are then empty.
func (m *Machine) Load(name, src string) error {
	return m.enter(func() {
		if name != "" {
			m.markIncluded(name)
		}
		m.interpretFile(name, src)
	})
}

// Eval interprets src, as Load with no file name.
func (m *Machine) Eval(src string) error { return m.Load("", src) }

// Find returns the execution token of the word name in the search order.
func (m *Machine) Find(name string) (xt Cell, ok bool) {
	w, _, found := m.findName([]byte(name))
	if !found {
		return 0, false
	}
	return w, true
}

// Execute runs the word whose execution token is xt on the current
// stacks.
func (m *Machine) Execute(xt Cell) error {
	return m.enter(func() { m.execXT(xt) })
}

// enter runs f as one call: it sets the step budget and turns throws,
// limits and panics into an *Error (after which the machine is back in
// interpretation state with empty stacks).
func (m *Machine) enter(f func()) (err error) {
	m.steps = m.cfg.MaxSteps
	m.inputUse = 0
	m.nesting = 0
	m.curName, m.curSrc = nil, nil
	m.errAt = errPlace{}
	depth := len(m.srcs)
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if _, ok := r.(byeSignal); ok {
			m.srcs = m.srcs[:depth]
			m.abortCompile()
			return
		}
		e := m.errorFor(r)
		m.srcs = m.srcs[:depth]
		m.ClearStacks()
		m.abortCompile()
		m.tst.open, m.hookTest.open = false, false
		err = e
	}()
	f()
	return nil
}

// errorFor turns a recovered panic into an *Error at the current source
// position.
func (m *Machine) errorFor(r any) *Error {
	e := &Error{}
	switch v := r.(type) {
	case throwSignal:
		e.Code = v.code
		e.Message = strings.TrimSpace(m.throwText(v.code))
	case limitSignal:
		e.Limit = v.err
		e.Message = v.err.Error()
	default:
		e.Limit = ErrInternal
		e.Message = fmt.Sprintf("internal error: %v", r)
	}
	p := m.errAt
	if !p.valid {
		p = m.place()
	}
	e.File, e.Line, e.Column, e.Source, e.Word = p.file, p.line, p.col, p.text, p.word
	return e
}

// throwText is gforth's message for a THROW code.
func (m *Machine) throwText(code int) string {
	if code == -2 && m.abortMsg != "" {
		return m.abortMsg
	}
	if s, ok := m.exceptions[code]; ok {
		return s
	}
	return throwMessage(code)
}

// ThrowMessage is gforth's text for a THROW code ("Undefined word" for
// -13, "error n" for codes it has no text for).
func ThrowMessage(code int) string { return throwMessage(code) }

// throwMessage is gforth's text for the standard THROW codes.
func throwMessage(code int) string {
	if code <= -1 && code >= -58 {
		if s := throwMessages[-code]; s != "" {
			return s
		}
	}
	switch code {
	case iorNoMem:
		return "Cannot allocate memory"
	case iorInvalid:
		return "Invalid argument"
	case iorNoEnt:
		return "No such file or directory"
	case iorBadFile:
		return "Bad file descriptor"
	}
	return fmt.Sprintf("error %d", code)
}

var throwMessages = [...]string{
	1: "Aborted", 2: "Aborted", 3: "Stack overflow", 4: "Stack underflow",
	5: "Return stack overflow", 6: "Return stack underflow",
	7: "Do-loops nested too deeply", 8: "Dictionary overflow",
	9: "Invalid memory address", 10: "Division by zero",
	11: "Result out of range", 12: "Argument type mismatch",
	13: "Undefined word", 14: "Interpreting a compile-only word",
	15: "Invalid FORGET", 16: "Attempt to use zero-length string as a name",
	17: "Pictured numeric ouput string overflow", 18: "Parsed string overflow",
	19: "Word name too long", 20: "Write to a read-only location",
	21: "Unsupported operation", 22: "Control structure mismatch",
	23: "Address alignment exception", 24: "Invalid numeric argument",
	25: "Return stack imbalance", 26: "Loop parameters unavailable",
	27: "Invalid recursion", 28: "User interrupt", 29: "Compiler nesting",
	30: "Obsolescent feature", 31: ">BODY used on non-CREATEd definition",
	32: "Invalid name argument", 33: "Block read exception",
	34: "Block write exception", 35: "Invalid block number",
	36: "Invalid file position", 37: "File I/O exception",
	38: "Non-existent file", 39: "Unexpected end of file",
	40: "Invalid BASE for floating point conversion", 41: "Loss of precision",
	42: "Floating-point divide by zero", 43: "Floating-point result out of range",
	44: "Floating-point stack overflow", 45: "Floating-point stack underflow",
	46: "Floating-point invalid argument", 47: "Compilation word list deleted",
	48: "invalid POSTPONE", 49: "Search-order overflow", 50: "Search-order underflow",
	51: "Compilation word list changed", 52: "Control-flow stack overflow",
	53: "Exception stack overflow", 54: "Floating-point underflow",
	55: "Floating-point unidentified fault", 56: "QUIT",
	57: "Error in sending or receiving a character", 58: "[IF], [ELSE], [THEN] error",
}

// throwSignal is the panic value of a THROW.
type throwSignal struct{ code int }

// limitSignal is the panic value of a limit: CATCH lets it through.
type limitSignal struct{ err error }

// throw raises a Forth exception.
func (m *Machine) throw(code int) {
	m.errAt = m.place()
	panic(throwSignal{code})
}

// limit ends the call.
func (m *Machine) limit(err error) {
	m.errAt = m.place()
	panic(limitSignal{err})
}

// errPlace is where an error happened.
type errPlace struct {
	valid      bool
	file, text string
	word       string
	line, col  int
}

// place is the current position in the source.
func (m *Machine) place() errPlace {
	p := errPlace{valid: true}
	if f := m.fileSource(); f != nil {
		p.file = f.name
		p.line = f.line
		p.text, _ = m.sourceText(f)
		if m.curSrc == f && m.curName != nil {
			p.col = m.curIn + 1
		}
	}
	if m.curName != nil {
		p.word = string(m.curName)
	}
	return p
}
