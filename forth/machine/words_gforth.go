package machine

import "strconv"

// gforth's own words that programs commonly use: its counted loops,
// ?EXIT, ?DUP-IF, its structures (struct.fs) and a few definers.

// gforthDo compiles +DO, U+DO, -DO or U-DO: as ?DO, but the loop is
// skipped unless the index starts below (or, counting down, above) the
// limit. x tells which.
func (m *Machine) gforthDo(x int32) {
	m.needDef()
	lv := len(m.leaves)
	m.leaves = append(m.leaves, m.emit(opXDo, x, -1))
	m.csPush(csItem{kind: csDo, at: len(m.code), leaves: lv})
}

// Kinds of opXDo.
const (
	xPlusDo = iota
	xUPlusDo
	xMinusDo
	xUMinusDo
)

// xdoSkips reports whether opXDo skips the loop.
func xdoSkips(x int32, limit, start Cell) bool {
	switch x {
	case xPlusDo:
		return start >= limit
	case xUPlusDo:
		return uint64(start) >= uint64(limit)
	case xMinusDo:
		return start <= limit
	default:
		return uint64(start) <= uint64(limit)
	}
}

// naligned rounds a up to a multiple of n (a power of two).
func naligned(a, n Cell) Cell { return (a + n - 1) &^ (n - 1) }

var gforthWords = []prim{
	{name: "+do", fn: func(m *Machine) { m.gforthDo(xPlusDo) }, flags: compileOnly},
	{name: "u+do", fn: func(m *Machine) { m.gforthDo(xUPlusDo) }, flags: compileOnly},
	{name: "-do", fn: func(m *Machine) { m.gforthDo(xMinusDo) }, flags: compileOnly},
	{name: "u-do", fn: func(m *Machine) { m.gforthDo(xUMinusDo) }, flags: compileOnly},
	{name: "-loop", fn: func(m *Machine) { m.endLoop(opMinusLoop) }, flags: compileOnly},
	{name: "?exit", fn: func(m *Machine) {
		m.needDef()
		skip := m.emit(op0Branch, 0, -1)
		m.dropLocals()
		m.emit(opExit, 0, 0)
		m.code[skip].arg = Cell(len(m.code))
	}, flags: compileOnly},
	{name: "?dup-if", fn: func(m *Machine) {
		m.compileXT(xtBase + Cell(builtinIndex[widForth]["?dup"]))
		m.csPush(csItem{kind: csOrig, at: m.emit(op0Branch, 0, -1)})
	}, flags: compileOnly},
	{name: "clearstacks", fn: func(m *Machine) { m.sp, m.fp = 0, 0 }},
	{name: "]l", fn: func(m *Machine) {
		m.literal(m.pop())
		m.setState(true)
	}, flags: immediate},
	{name: "2,", fn: func(m *Machine) {
		lo, hi := m.pop2()
		m.comma(hi)
		m.comma(lo)
	}},
	{name: "a,", fn: func(m *Machine) { m.comma(m.pop()) }},
	{name: ".name", fn: func(m *Machine) { m.emitString(m.wordOf(m.pop()).name + " ") }},
	{name: "id.", fn: func(m *Machine) { m.emitString(m.wordOf(m.pop()).name + " ") }},
	{name: "what's", fn: func(m *Machine) {
		m.push(m.fetch(m.deferBody(m.tickName())))
	}, comp: func(m *Machine) {
		m.emit(opValue, 0, m.deferBody(m.tickName()))
	}, flags: immediate},
	{name: "recursive", fn: func(m *Machine) {
		if d := m.needDef(); d.named && d.outer == nil {
			m.reveal(d.word)
			d.named = false
		}
	}, flags: compileOnly},
	{name: ",\"", fn: func(m *Machine) {
		// gforth's ," : the text up to " as a counted string at
		// HERE, then ALIGN.
		_, s := m.parse('"')
		if len(s) > 255 {
			m.throw(-18)
		}
		a := m.here()
		m.allot(Cell(len(s) + 1))
		b := m.span(a, Cell(len(s)+1))
		b[0] = byte(len(s))
		copy(b[1:], s)
		m.align()
	}},
	{name: "avariable", fn: func(m *Machine) { m.dataWord(kCreate, 8) }},
	{name: "aconstant", fn: func(m *Machine) {
		v := m.pop()
		name := m.needName()
		m.addWord(word{name: string(name), kind: kConstant, body: v, code: -1}, true)
	}},
	{name: "avalue", fn: func(m *Machine) {
		v := m.pop()
		m.store(m.dataWord(kValue, 8), v)
	}},
	{name: "dec.r", fn: func(m *Machine) {
		w := m.pop()
		m.typeR([]byte(strconv.FormatUint(uint64(m.pop()), 10)), w)
	}},
	{name: "naligned", fn: func(m *Machine) {
		n := m.pop()
		m.push(naligned(m.pop(), n))
	}},
	{name: "nalign", fn: func(m *Machine) {
		n := m.pop()
		m.push(naligned(m.pop(), n))
	}},

	// struct.fs
	{name: "struct", fn: func(m *Machine) { m.push2(1, 0) }},
	{name: "end-struct", fn: func(m *Machine) {
		align, size := m.pop2()
		size = naligned(size, align)
		name := m.needName()
		body := m.align2(16)
		m.store(body, size)
		m.store(body+8, align)
		m.addWord(word{name: string(name), kind: k2Constant, body: body, code: -1}, true)
	}},
	{name: "field", fn: func(m *Machine) {
		m.need(4)
		a1, o1, a, s := m.ds[m.sp-4], m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1]
		m.sp -= 4
		off := naligned(o1, a)
		name := m.needName()
		m.addWord(word{name: string(name), kind: kField, body: off, code: -1}, true)
		m.push2(naligned(a1, a), off+s)
	}},
	{name: "cell%", fn: func(m *Machine) { m.push2(8, 8) }},
	{name: "char%", fn: func(m *Machine) { m.push2(1, 1) }},
	{name: "float%", fn: func(m *Machine) { m.push2(8, 8) }},
	{name: "dfloat%", fn: func(m *Machine) { m.push2(8, 8) }},
	{name: "sfloat%", fn: func(m *Machine) { m.push2(4, 4) }},
	{name: "double%", fn: func(m *Machine) { m.push2(8, 16) }},
	{name: "%alignment", fn: func(m *Machine) { m.pop2p(func(a, _ Cell) { m.push(a) }) }},
	{name: "%size", fn: func(m *Machine) { m.pop2p(func(_, s Cell) { m.push(s) }) }},
	{name: "%align", fn: func(m *Machine) { m.pop2p(func(a, _ Cell) { m.alignTo(a) }) }},
	{name: "%allot", fn: func(m *Machine) {
		m.pop2p(func(a, s Cell) {
			m.alignTo(a)
			h := m.here()
			m.allot(s)
			m.push(h)
		})
	}},
	{name: "%allocate", fn: func(m *Machine) {
		m.pop2p(func(_, s Cell) {
			a, ok := m.allocate(s)
			m.push(a)
			m.pushIOR(ok)
		})
	}},
	{name: "%alloc", fn: func(m *Machine) {
		m.pop2p(func(_, s Cell) {
			a, ok := m.allocate(s)
			if !ok {
				m.throw(iorNoMem)
			}
			m.push(a)
		})
	}},
}

// pop2p pops ( a b -- ) and calls f(a, b).
func (m *Machine) pop2p(f func(a, b Cell)) {
	a, b := m.pop2()
	f(a, b)
}

// alignTo aligns HERE to a multiple of n.
func (m *Machine) alignTo(n Cell) {
	if n <= 0 || n&(n-1) != 0 {
		m.throw(-24)
	}
	h := m.here()
	m.allot(naligned(h, n) - h)
}

// align2 aligns HERE and allots n bytes, returning their address.
func (m *Machine) align2(n Cell) Cell {
	m.align()
	h := m.here()
	m.allot(n)
	return h
}
