package machine

import (
	"bytes"
	"math"

	"github.com/fastforth/fastforth/analysis/number"
)

// srcKind is the kind of an input source.
type srcKind uint8

const (
	srcFile   srcKind = iota // text read line by line (Load, Eval, INCLUDED)
	srcString                // EVALUATE
)

// source is an input source. The current line (or the EVALUATE string)
// is addr, len in memory; >IN is the system variable while the source is
// current and saved in in while another is on top of it.
type source struct {
	kind    srcKind
	name    string
	text    Cell // srcFile: the whole text
	textLen int
	next    int // srcFile: offset of the next line in text
	addr    Cell
	len     int
	line    int // srcFile: 1-based number of the current line
	in      Cell
	top     int // segSrc allocation to release, or -1
	id      Cell
}

// cur is the current input source.
func (m *Machine) cur() *source {
	if len(m.srcs) == 0 {
		m.throw(-21)
	}
	return m.srcs[len(m.srcs)-1]
}

func (m *Machine) pushInput(s *source) {
	if len(m.srcs) >= m.cfg.MaxNesting {
		m.limit(ErrNesting)
	}
	if len(m.srcs) > 0 {
		m.srcs[len(m.srcs)-1].in = m.fetch(varIn)
	}
	m.srcs = append(m.srcs, s)
	m.store(varIn, 0)
}

func (m *Machine) popInput() {
	s := m.srcs[len(m.srcs)-1]
	m.srcs = m.srcs[:len(m.srcs)-1]
	if s.top >= 0 {
		m.popSource(s.top)
	}
	if len(m.srcs) > 0 {
		m.store(varIn, m.srcs[len(m.srcs)-1].in)
	}
}

// interpretFile interprets src line by line as the file name.
func (m *Machine) interpretFile(name, src string) {
	if len(src) > m.cfg.MaxInput {
		m.limit(ErrInput)
	}
	s := &source{kind: srcFile, name: name, textLen: len(src), id: Cell(len(m.srcs) + 1)}
	s.text, s.top = m.pushSource(src)
	m.pushInput(s)
	defer m.popInput()
	for m.refill() {
		m.interpret()
	}
}

// evaluate interprets the string at a, n.
func (m *Machine) evaluate(a, n Cell) {
	if n < 0 {
		m.throw(-24)
	}
	m.span(a, n) // check it
	s := &source{kind: srcString, addr: a, len: int(n), top: -1, id: -1}
	m.pushInput(s)
	defer m.popInput()
	m.interpret()
}

// refill reads the next line of a file source; false at its end and for
// strings.
func (m *Machine) refill() bool {
	s := m.cur()
	if s.kind != srcFile || s.next >= s.textLen {
		return false
	}
	m.steps--
	if m.steps < 0 {
		m.limit(ErrSteps)
	}
	rest := m.span(s.text+Cell(s.next), Cell(s.textLen-s.next))
	n := bytes.IndexByte(rest, '\n')
	adv := n + 1
	if n < 0 {
		n, adv = len(rest), len(rest)
	}
	l := n
	if l > 0 && rest[l-1] == '\r' {
		l--
	}
	s.addr = s.text + Cell(s.next)
	s.len = l
	s.next += adv
	s.line++
	m.store(varIn, 0)
	return true
}

// sourceText is the current line (or string) of s.
func (m *Machine) sourceText(s *source) (string, bool) {
	if s.len == 0 || !m.valid(s.addr, Cell(s.len)) {
		return "", s.len == 0
	}
	return string(m.span(s.addr, Cell(s.len))), true
}

// fileSource is the innermost file source (for messages), or nil.
func (m *Machine) fileSource() *source {
	for i := len(m.srcs) - 1; i >= 0; i-- {
		if m.srcs[i].kind == srcFile {
			return m.srcs[i]
		}
	}
	return nil
}

// parseArea returns the current source's text and >IN (clamped).
func (m *Machine) parseArea() ([]byte, int) {
	s := m.cur()
	buf := m.span(s.addr, Cell(s.len))
	in := m.fetch(varIn)
	if in < 0 {
		in = 0
	}
	if in > Cell(len(buf)) {
		in = Cell(len(buf))
	}
	return buf, int(in)
}

func isSpace(c byte) bool { return c <= ' ' }

// parseName skips white space and parses a blank-delimited name.
func (m *Machine) parseName() []byte {
	buf, in := m.parseArea()
	start0 := in
	for in < len(buf) && isSpace(buf[in]) {
		in++
	}
	start := in
	for in < len(buf) && !isSpace(buf[in]) {
		in++
	}
	end := in
	if in < len(buf) {
		in++
	}
	m.countBytes(Cell(end - start0))
	m.store(varIn, Cell(in))
	m.nameStart = start
	return buf[start:end]
}

// parseNameAddr is parseName with the name's address.
func (m *Machine) parseNameAddr() (Cell, int) {
	name := m.parseName()
	return m.cur().addr + Cell(m.nameStart), len(name)
}

// parse parses up to the delimiter c (not skipping leading delimiters).
func (m *Machine) parse(c byte) (Cell, []byte) {
	buf, in := m.parseArea()
	start := in
	for in < len(buf) && buf[in] != c {
		in++
	}
	end := in
	if in < len(buf) {
		in++
	}
	m.countBytes(Cell(end - start))
	m.store(varIn, Cell(in))
	return m.cur().addr + Cell(start), buf[start:end]
}

// word parses like WORD: skip leading delimiters (white space for BL),
// then up to the delimiter.
func (m *Machine) word(c byte) []byte {
	buf, in := m.parseArea()
	start0 := in
	delim := func(b byte) bool { return b == c || c == ' ' && isSpace(b) }
	for in < len(buf) && delim(buf[in]) {
		in++
	}
	start := in
	for in < len(buf) && !delim(buf[in]) {
		in++
	}
	end := in
	if in < len(buf) {
		in++
	}
	m.countBytes(Cell(end - start0))
	m.store(varIn, Cell(in))
	return buf[start:end]
}

// parseNameRefill parses a name, reading more lines of a file as needed;
// nil at the end of the input.
func (m *Machine) parseNameRefill() []byte {
	for {
		if name := m.parseName(); len(name) > 0 {
			return name
		}
		if !m.refill() {
			return nil
		}
	}
}

// needName parses a name for a defining or parsing word; none THROWs -16.
func (m *Machine) needName() []byte {
	name := m.parseName()
	if len(name) == 0 {
		m.throw(-16)
	}
	return name
}

// headerName parses the name of a definition and lays down its header
// in data space (header).
func (m *Machine) headerName() []byte {
	name := m.needName()
	m.header(name)
	return name
}

// header moves HERE past the room gforth 0.7.3's header of a word
// named name takes in data space (the name, the link and the code
// field; a body follows it aligned), so that HERE before and after a
// definition differ as they do there: code that keeps an address from
// before CREATE, or measures a table with HERE across a definition, gets
// what it gets in gforth. The machine keeps its headers elsewhere: the
// room is unused.
func (m *Machine) header(name []byte) {
	m.align()
	m.allot(Cell(aligned(Cell(len(name)+1)) + 32))
}

func (m *Machine) compiling() bool { return m.fetch(varState) != 0 }

func (m *Machine) setState(on bool) { m.store(varState, flag(on)) }

// interpret interprets the current source's parse area.
func (m *Machine) interpret() {
	for {
		name := m.parseName()
		if len(name) == 0 {
			return
		}
		m.interpretWord(name)
	}
}

// interpretWord interprets or compiles one name.
func (m *Machine) interpretWord(name []byte) {
	m.steps--
	if m.steps < 0 {
		m.limit(ErrSteps)
	}
	m.curName = name
	m.curSrc = m.srcs[len(m.srcs)-1]
	m.curIn = m.nameStart
	comp := m.compiling()
	if comp && m.def != nil && len(m.def.locals) > 0 {
		if l := m.def.findLocal(name); l != nil {
			m.compileLocal(l)
			return
		}
	}
	xt, w, ok := m.findName(name)
	if ok {
		if !comp {
			if w.flags&fCompileOnly != 0 {
				m.throw(-14)
			}
			if w.flags&(fTestOpen|fTestClose) != 0 {
				m.hookExec(xt, w)
				return
			}
			m.execXT(xt)
			return
		}
		switch {
		case w.flags&fDual != 0:
			primFns[w.comp](m)
		case w.flags&fImmediate != 0:
			m.execXT(xt)
		default:
			m.compileXT(xt)
		}
		return
	}
	base := m.fetch(varBase)
	if base == 0 {
		m.throw(-10) // gforth divides by BASE
	}
	n, ok := number.Parse(name, int(base), true)
	if !ok {
		m.throw(-13)
	}
	switch n.Kind {
	case number.Single:
		if comp {
			m.emit(opLit, 0, n.Lo)
		} else {
			m.push(n.Lo)
		}
	case number.Double:
		if comp {
			m.emit(opLit, 0, n.Lo)
			m.emit(opLit, 0, n.Hi)
		} else {
			m.push2(n.Lo, n.Hi)
		}
	case number.Float:
		if comp {
			m.emit(opFLit, 0, Cell(math.Float64bits(n.F)))
		} else {
			m.fpush(n.F)
		}
	}
}

// include interprets the file name (INCLUDED), once only if require.
func (m *Machine) include(name string, require bool) {
	if m.cfg.Include == nil {
		m.throw(-38)
	}
	from := ""
	if f := m.fileSource(); f != nil {
		from = f.name
	}
	p, src, err := m.cfg.Include(name, from)
	if err != nil {
		m.throw(-38)
	}
	if require && m.included[p] {
		return
	}
	m.markIncluded(p)
	m.nesting++
	defer func() { m.nesting-- }()
	if m.nesting > m.cfg.MaxNesting {
		m.limit(ErrNesting)
	}
	m.interpretFile(p, string(src))
}
