package machine

import (
	"math"
	"strings"
)

// Defining words, the compiler, control structures, parsing words and
// exceptions.

const (
	immediate   = fImmediate
	compileOnly = fImmediate | fCompileOnly
)

// byeSignal ends a Load without an error (BYE).
type byeSignal struct{}

var compileWords = []prim{
	// Definitions.
	{name: ":", fn: func(m *Machine) {
		name := m.headerName()
		m.abandonDef()
		m.startDef(string(name))
	}},
	{name: ":noname", fn: func(m *Machine) {
		m.abandonDef()
		d := m.startDef("")
		m.push(d.xt)
		d.dsBase = m.sp
	}},
	{name: ";", fn: func(m *Machine) {
		if d := m.needDef(); d.outer != nil {
			m.structErr("unstructured ")
		}
		m.endDef()
	}, flags: compileOnly},
	{name: "[:", fn: func(m *Machine) {
		d := m.needDef()
		br := m.emit(opBranch, 0, -1)
		start := len(m.code)
		latest, lastXT := m.latest, m.lastXT
		i := m.addWord(word{kind: kColon, code: int32(start)}, false)
		m.latest, m.lastXT = latest, lastXT
		m.def = &defState{word: i, xt: xtOfUser(i), start: start, csBase: len(m.cs), lvBase: len(m.leaves), outer: d, branch: br}
	}, flags: compileOnly},
	{name: ";]", fn: func(m *Machine) {
		if d := m.needDef(); d.outer == nil {
			m.structErr("unstructured ")
		}
		m.endDef()
	}, flags: compileOnly},
	{name: "recurse", fn: func(m *Machine) { m.emit(opCall, 0, Cell(m.needDef().start)) }, flags: compileOnly},
	{name: "immediate", fn: func(m *Machine) { m.setFlag(fImmediate) }},
	{name: "compile-only", fn: func(m *Machine) { m.setFlag(fCompileOnly) }},
	{name: "restrict", fn: func(m *Machine) { m.setFlag(fCompileOnly) }},
	{name: "create", fn: func(m *Machine) {
		name := m.headerName()
		m.align()
		m.addWord(word{name: string(name), kind: kCreate, code: -1, body: m.here()}, true)
	}},
	{name: "variable", fn: func(m *Machine) { m.dataWord(kCreate, 8) }},
	{name: "2variable", fn: func(m *Machine) { m.dataWord(kCreate, 16) }},
	{name: "buffer:", fn: func(m *Machine) {
		n := m.pop()
		if n < 0 {
			m.throw(-24)
		}
		m.dataWord(kCreate, n)
	}},
	{name: "constant", fn: func(m *Machine) {
		v := m.pop()
		name := m.headerName()
		m.allot(8)
		m.addWord(word{name: string(name), kind: kConstant, body: v, code: -1}, true)
	}},
	{name: "2constant", fn: func(m *Machine) {
		lo, hi := m.pop2()
		body := m.dataWord(k2Constant, 16)
		m.store(body, hi)
		m.store(body+8, lo)
	}},
	{name: "value", fn: func(m *Machine) {
		v := m.pop()
		m.store(m.dataWord(kValue, 8), v)
	}},
	{name: "2value", fn: func(m *Machine) {
		lo, hi := m.pop2()
		body := m.dataWord(k2Value, 16)
		m.store(body, hi)
		m.store(body+8, lo)
	}},
	{name: "defer", fn: func(m *Machine) {
		m.store(m.dataWord(kDefer, 8), xtBase+Cell(deferUninit))
	}},
	{name: "(uninitialized-defer)", fn: func(m *Machine) { m.throw(-21) }},
	{name: "to", fn: func(m *Machine) { m.toInterp(false) }, comp: func(m *Machine) { m.toComp(false) }, flags: immediate},
	{name: "+to", fn: func(m *Machine) { m.toInterp(true) }, comp: func(m *Machine) { m.toComp(true) }, flags: immediate},
	{name: "is", fn: func(m *Machine) {
		xt := m.pop()
		m.store(m.deferBody(m.tickName()), xt)
	}, comp: func(m *Machine) {
		m.emit(opTo, 0, m.deferBody(m.tickName()))
	}, flags: immediate},
	{name: "action-of", fn: func(m *Machine) {
		m.push(m.fetch(m.deferBody(m.tickName())))
	}, comp: func(m *Machine) {
		m.emit(opValue, 0, m.deferBody(m.tickName()))
	}, flags: immediate},
	{name: "defer@", fn: func(m *Machine) { m.push(m.fetch(m.deferBody(m.pop()))) }},
	{name: "defer!", fn: func(m *Machine) {
		xt := m.pop()
		m.store(m.deferBody(xt), m.pop())
	}},
	{name: ">body", fn: func(m *Machine) {
		w := m.wordOf(m.pop())
		switch w.kind {
		case kCreate, kValue, k2Value, kFValue, kDefer, k2Constant, kFConstant:
			m.push(w.body)
		default:
			m.throw(-31)
		}
	}},
	{name: "does>", fn: func(m *Machine) {
		// Interpreted: the rest is a nameless definition, the DOES>
		// part of the latest word.
		m.abandonDef()
		start := len(m.code)
		m.setDoes(start)
		m.def = &defState{word: -1, start: start, csBase: len(m.cs), lvBase: len(m.leaves)}
		m.setState(true)
	}, comp: func(m *Machine) {
		d := m.needDef()
		if len(m.cs) != d.csBase {
			m.structErr("unstructured ")
		}
		m.dropLocals()
		m.emit(opDoes, 0, Cell(len(m.code)+1))
		d.locals, d.nloc = nil, 0
	}, flags: immediate},
	{name: "marker", fn: func(m *Machine) {
		name := m.needName()
		mk := m.saveMarker()
		m.header(name)
		m.markers = append(m.markers, mk)
		m.addWord(word{name: string(name), kind: kMarker, body: Cell(len(m.markers) - 1), code: -1}, true)
	}},
	{name: "latestxt", fn: func(m *Machine) { m.push(m.lastXT) }},
	{name: "lastxt", fn: func(m *Machine) { m.push(m.lastXT) }},
	{name: "+field", fn: func(m *Machine) {
		m.need(2)
		n := m.pop()
		off := m.pop()
		name := m.headerName()
		m.allot(8)
		m.addWord(word{name: string(name), kind: kField, body: off, code: -1}, true)
		m.push(off + n)
	}},
	{name: "field:", fn: func(m *Machine) { m.field(8, 8) }},
	{name: "cfield:", fn: func(m *Machine) { m.field(1, 1) }},
	{name: "ffield:", fn: func(m *Machine) { m.field(8, 8) }},
	{name: "2field:", fn: func(m *Machine) { m.field(16, 8) }},
	{name: "begin-structure", fn: func(m *Machine) {
		body := m.dataWord(kCreate, 8)
		w := m.mutWord(m.latest)
		w.code = int32(structDoes(m))
		m.push(body)
		m.push(0)
	}},
	{name: "end-structure", fn: func(m *Machine) {
		n := m.pop()
		m.store(m.pop(), n)
	}},

	// The compiler.
	{name: "[", fn: func(m *Machine) { m.setState(false) }, flags: immediate},
	{name: "]", fn: func(m *Machine) { m.setState(true) }},
	{name: "state", fn: constant(varState)},
	{name: "literal", fn: func(m *Machine) { m.literal(m.pop()) }, flags: compileOnly},
	{name: "2literal", fn: func(m *Machine) {
		lo, hi := m.pop2()
		m.literal(lo)
		m.literal(hi)
	}, flags: compileOnly},
	{name: "sliteral", fn: func(m *Machine) {
		n := m.pop()
		a := m.pop()
		m.compileString(m.span(a, n))
	}, flags: compileOnly},
	{name: "compile,", fn: func(m *Machine) { m.compileXT(m.pop()) }},
	{name: "postpone", fn: func(m *Machine) { m.postpone(true) }, flags: compileOnly},
	{name: "[compile]", fn: func(m *Machine) { m.postpone(false) }, flags: compileOnly},
	{name: "'", fn: func(m *Machine) { m.push(m.tickName()) }},
	{name: "[']", fn: func(m *Machine) { m.literal(m.tickName()) }, flags: compileOnly},
	{name: "char", fn: func(m *Machine) { m.push(m.parseChar()) }},
	{name: "[char]", fn: func(m *Machine) { m.literal(m.parseChar()) }, flags: compileOnly},
	{name: "execute", fn: func(m *Machine) { m.execXT(m.pop()) }, op: opExecute},
	{name: "perform", fn: func(m *Machine) { m.execXT(m.fetch(m.pop())) }},
	{name: "exit", fn: func(m *Machine) {
		m.needDef()
		m.dropLocals()
		m.emit(opExit, 0, 0)
	}, flags: compileOnly},

	// Control structures.
	{name: "if", fn: func(m *Machine) { m.csPush(csItem{kind: csOrig, at: m.emit(op0Branch, 0, -1)}) }, flags: compileOnly},
	{name: "ahead", fn: func(m *Machine) { m.csPush(csItem{kind: csOrig, at: m.emit(opBranch, 0, -1)}) }, flags: compileOnly},
	{name: "then", fn: func(m *Machine) { m.resolve(m.csPop(csOrig)) }, flags: compileOnly},
	{name: "endif", fn: func(m *Machine) { m.resolve(m.csPop(csOrig)) }, flags: compileOnly},
	{name: "else", fn: func(m *Machine) {
		orig := m.csPop(csOrig)
		m.csPush(csItem{kind: csOrig, at: m.emit(opBranch, 0, -1)})
		m.resolve(orig)
	}, flags: compileOnly},
	{name: "begin", fn: func(m *Machine) { m.needDef(); m.csPush(csItem{kind: csDest, at: len(m.code)}) }, flags: compileOnly},
	{name: "until", fn: func(m *Machine) { m.emit(op0Branch, 0, Cell(m.csPop(csDest).at)) }, flags: compileOnly},
	{name: "again", fn: func(m *Machine) { m.emit(opBranch, 0, Cell(m.csPop(csDest).at)) }, flags: compileOnly},
	{name: "while", fn: func(m *Machine) {
		dest := m.csPop(csDest)
		m.csPush(csItem{kind: csOrig, at: m.emit(op0Branch, 0, -1)})
		m.csPush(dest)
	}, flags: compileOnly},
	{name: "repeat", fn: func(m *Machine) {
		m.emit(opBranch, 0, Cell(m.csPop(csDest).at))
		m.resolve(m.csPop(csOrig))
	}, flags: compileOnly},
	{name: "cs-pick", fn: func(m *Machine) {
		d := m.needDef()
		u := m.pop()
		if u < 0 || u >= Cell(len(m.cs)-d.csBase) {
			m.structErr("unstructured ")
		}
		m.csPush(m.cs[len(m.cs)-1-int(u)])
	}},
	{name: "cs-roll", fn: func(m *Machine) {
		d := m.needDef()
		u := m.pop()
		if u < 0 || u >= Cell(len(m.cs)-d.csBase) {
			m.structErr("unstructured ")
		}
		i := len(m.cs) - 1 - int(u)
		it := m.cs[i]
		copy(m.cs[i:], m.cs[i+1:])
		m.cs[len(m.cs)-1] = it
	}},
	{name: "do", fn: func(m *Machine) {
		m.needDef()
		m.emit(opDo, 0, 0)
		m.csPush(csItem{kind: csDo, at: len(m.code), leaves: len(m.leaves)})
	}, flags: compileOnly},
	{name: "?do", fn: func(m *Machine) {
		m.needDef()
		lv := len(m.leaves)
		m.leaves = append(m.leaves, m.emit(opQDo, 0, -1))
		m.csPush(csItem{kind: csDo, at: len(m.code), leaves: lv})
	}, flags: compileOnly},
	{name: "loop", fn: func(m *Machine) { m.endLoop(opLoop) }, flags: compileOnly},
	{name: "+loop", fn: func(m *Machine) { m.endLoop(opPlusLoop) }, flags: compileOnly},
	{name: "leave", fn: func(m *Machine) {
		m.innerDo()
		m.leaves = append(m.leaves, m.emit(opLeave, 0, -1))
	}, flags: compileOnly},
	{name: "?leave", fn: func(m *Machine) {
		m.innerDo()
		skip := m.emit(op0Branch, 0, -1)
		m.leaves = append(m.leaves, m.emit(opLeave, 0, -1))
		m.code[skip].arg = Cell(len(m.code))
	}, flags: compileOnly},
	{name: "unloop", fn: func(m *Machine) { m.rneed(2); m.rp -= 2 }, flags: fCompileOnly},
	{name: "i", fn: func(m *Machine) { m.rneed(1); m.push(m.rs[m.rp-1]) }, flags: fCompileOnly},
	{name: "i'", fn: func(m *Machine) { m.rneed(2); m.push(m.rs[m.rp-2]) }, flags: fCompileOnly},
	{name: "j", fn: func(m *Machine) { m.rneed(3); m.push(m.rs[m.rp-3]) }, flags: fCompileOnly},
	{name: "k", fn: func(m *Machine) { m.rneed(5); m.push(m.rs[m.rp-5]) }, flags: fCompileOnly},
	{name: "case", fn: func(m *Machine) { m.needDef(); m.csPush(csItem{kind: csCase}) }, flags: compileOnly},
	{name: "of", fn: func(m *Machine) {
		m.needDef()
		m.csPush(csItem{kind: csOf, at: m.emit(opOf, 0, -1)})
	}, flags: compileOnly},
	{name: "endof", fn: func(m *Machine) {
		of := m.csPop(csOf)
		m.csPush(csItem{kind: csEndof, at: m.emit(opBranch, 0, -1)})
		m.resolve(of)
	}, flags: compileOnly},
	{name: "endcase", fn: func(m *Machine) {
		d := m.needDef()
		m.compileXT(xtBase + Cell(builtinIndex[widForth]["drop"]))
		for len(m.cs) > d.csBase && m.cs[len(m.cs)-1].kind == csEndof {
			m.resolve(m.csPop(csEndof))
		}
		m.csPop(csCase)
	}, flags: compileOnly},

	// Parsing.
	{name: "(", fn: func(m *Machine) { m.comment() }, flags: immediate},
	{name: "\\", fn: func(m *Machine) { m.skipLine() }, flags: immediate},
	{name: "\\G", fn: func(m *Machine) { m.skipLine() }, flags: immediate},
	{name: ".(", fn: func(m *Machine) {
		_, s := m.parse(')')
		m.emitBytes(s)
	}, flags: immediate},
	{name: ".\"", fn: func(m *Machine) {
		_, s := m.parse('"')
		m.emitBytes(s)
	}, comp: func(m *Machine) {
		_, s := m.parse('"')
		m.compileString(s)
		m.compileXT(xtBase + Cell(builtinIndex[widForth]["type"]))
	}, flags: immediate},
	{name: "s\"", fn: func(m *Machine) {
		_, s := m.parse('"')
		m.push(m.allocTransient(s))
		m.push(Cell(len(s)))
	}, comp: func(m *Machine) {
		_, s := m.parse('"')
		m.compileString(s)
	}, flags: immediate},
	{name: "s\\\"", fn: func(m *Machine) {
		s := m.parseEscaped()
		m.push(m.allocTransient(s))
		m.push(Cell(len(s)))
	}, comp: func(m *Machine) {
		m.compileString(m.parseEscaped())
	}, flags: immediate},
	{name: ".\\\"", fn: func(m *Machine) {
		m.emitBytes(m.parseEscaped())
	}, comp: func(m *Machine) {
		m.compileString(m.parseEscaped())
		m.compileXT(xtBase + Cell(builtinIndex[widForth]["type"]))
	}, flags: immediate},
	// gforth 0.7.3's C" has no interpretation semantics (THROW -14),
	// so code that uses it outside a definition does not load there.
	{name: "c\"", fn: func(m *Machine) { m.throw(-14) }, comp: func(m *Machine) {
		_, s := m.parse('"')
		m.literal(m.allocLit(counted(m, s)))
	}, flags: immediate},
	{name: "parse", fn: func(m *Machine) {
		a, s := m.parse(byte(m.pop()))
		m.push2(a, Cell(len(s)))
	}},
	{name: "parse-name", fn: func(m *Machine) {
		a, n := m.parseNameAddr()
		m.push2(a, Cell(n))
	}},
	{name: "word", fn: func(m *Machine) {
		s := m.word(byte(m.pop()))
		if len(s) > 255 {
			m.throw(-18)
		}
		h := m.here()
		b := m.span(h, Cell(len(s)+2))
		b[0] = byte(len(s))
		copy(b[1:], s)
		b[len(s)+1] = ' '
		m.push(h)
	}},
	{name: "source", fn: func(m *Machine) {
		s := m.cur()
		m.push2(s.addr, Cell(s.len))
	}},
	{name: ">in", fn: constant(varIn)},
	{name: "source-id", fn: func(m *Machine) { m.push(m.cur().id) }},
	{name: "refill", fn: func(m *Machine) { m.pushBool(m.refill()) }},
	{name: "save-input", fn: func(m *Machine) {
		s := m.cur()
		m.push(Cell(s.next))
		m.push(Cell(s.line))
		m.push(m.fetch(varIn))
		m.push(s.id)
		m.push(4)
	}},
	{name: "restore-input", fn: func(m *Machine) {
		n := m.pop()
		if n != 4 {
			for range n {
				m.pop()
			}
			m.push(-1)
			return
		}
		id := m.pop()
		in := m.pop()
		line := m.pop()
		next := m.pop()
		s := m.cur()
		if id != s.id {
			m.push(-1)
			return
		}
		if s.kind == srcFile && (Cell(s.next) != next || Cell(s.line) != line) {
			// Go back to the line: it starts where the next line
			// started when it was saved, minus the line itself.
			if next < 0 || next > Cell(s.textLen)+1 || line < 1 {
				m.push(-1)
				return
			}
			m.seekLine(s, int(line))
		}
		m.store(varIn, in)
		m.push(0)
	}},
	{name: "[if]", fn: func(m *Machine) {
		if m.pop() == 0 {
			m.skipConditional(true)
		}
	}, flags: immediate},
	{name: "[else]", fn: func(m *Machine) { m.skipConditional(false) }, flags: immediate},
	{name: "[then]", fn: func(m *Machine) {}, flags: immediate},
	{name: "[endif]", fn: func(m *Machine) {}, flags: immediate},
	{name: "[defined]", fn: func(m *Machine) { m.pushBool(m.defined()) }, flags: immediate},
	{name: "[undefined]", fn: func(m *Machine) { m.pushBool(!m.defined()) }, flags: immediate},
	{name: "[ifdef]", fn: func(m *Machine) {
		if !m.defined() {
			m.skipConditional(true)
		}
	}, flags: immediate},
	{name: "[ifundef]", fn: func(m *Machine) {
		if m.defined() {
			m.skipConditional(true)
		}
	}, flags: immediate},
	{name: "evaluate", fn: func(m *Machine) {
		n := m.pop()
		a := m.pop()
		m.nesting++
		defer func() { m.nesting-- }()
		if m.nesting > m.cfg.MaxNesting {
			m.limit(ErrNesting)
		}
		m.evaluate(a, n)
	}},
	{name: "included", fn: func(m *Machine) {
		n := m.pop()
		m.include(m.str(m.pop(), n), false)
	}},
	{name: "required", fn: func(m *Machine) {
		n := m.pop()
		m.include(m.str(m.pop(), n), true)
	}},
	{name: "include", fn: func(m *Machine) { m.include(string(m.needName()), false) }},
	{name: "require", fn: func(m *Machine) { m.include(string(m.needName()), true) }},
	{name: "needs", fn: func(m *Machine) { m.include(string(m.needName()), true) }},

	// Exceptions.
	{name: "catch", fn: pCatch},
	{name: "throw", fn: func(m *Machine) {
		if n := m.pop(); n != 0 {
			if n == -2 {
				m.abortMsg = ""
			}
			m.throw(int(n))
		}
	}},
	{name: "abort", fn: func(m *Machine) { m.throw(-1) }},
	{name: "abort\"", fn: func(m *Machine) {
		_, s := m.parse('"')
		m.compileString(s)
		m.emit(opPrim, 0, Cell(abortQuote))
	}, flags: compileOnly},
	{name: "(abort\")", fn: func(m *Machine) {
		n := m.pop()
		a := m.pop()
		if m.pop() != 0 {
			m.abortMsg = m.str(a, n)
			m.throw(-2)
		}
	}},
	{name: "exception", fn: func(m *Machine) {
		n := m.pop()
		s := m.str(m.pop(), n)
		if m.exceptions == nil {
			m.exceptions = map[int]string{}
		}
		if len(m.exceptions) >= 4096 {
			m.throw(-8)
		}
		code := m.nextExc
		m.exceptions[code] = s
		m.nextExc--
		m.push(Cell(code))
	}},
	{name: "bye", fn: func(*Machine) { panic(byeSignal{}) }},
	{name: "quit", fn: func(m *Machine) { m.throw(-56) }},
	{name: "key", fn: func(m *Machine) { m.throw(-39) }},
	{name: "key?", fn: constant(0)},
	{name: "accept", fn: func(m *Machine) { m.pop2(); m.push(0) }},
	{name: "environment?", fn: func(m *Machine) {
		n := m.pop()
		name := m.span(m.pop(), n)
		xt, ok := m.findIn(widEnv, m.lowerKey(name))
		if !ok {
			m.push(0)
			return
		}
		m.execXT(xt)
		m.push(-1)
	}},
}

// Indexes of builtins used by compiled code (set by initBuiltins users).
var (
	abortQuote  = -1
	deferUninit = -1
)

// pCatch is CATCH: it runs xt and, if it THROWs, restores the stack
// depths and pushes the code.
func pCatch(m *Machine) {
	xt := m.pop()
	sp, rp, fp, lp, nsrc := m.sp, m.rp, m.fp, m.lp, len(m.srcs)
	if code := m.catchCall(xt); code != 0 {
		m.sp, m.rp, m.fp, m.lp = sp, rp, fp, lp
		for len(m.srcs) > nsrc {
			m.popInput()
		}
		m.push(Cell(code))
		return
	}
	m.push(0)
}

func (m *Machine) catchCall(xt Cell) (code int) {
	defer func() {
		if r := recover(); r != nil {
			t, ok := r.(throwSignal)
			if !ok {
				panic(r)
			}
			code = t.code
		}
	}()
	m.nesting++
	defer func() { m.nesting-- }()
	if m.nesting > m.cfg.MaxNesting {
		m.throw(-5)
	}
	m.execXT(xt)
	return 0
}

// abandonDef drops an unfinished definition left by an error (as gforth,
// which starts the next one regardless); while compiling it THROWs -29.
func (m *Machine) abandonDef() {
	if m.def == nil {
		return
	}
	if m.compiling() {
		m.throw(-29)
	}
	m.def = nil
	m.cs = m.cs[:0]
	m.leaves = m.leaves[:0]
}

// setFlag sets a flag of the latest definition.
func (m *Machine) setFlag(f uint8) {
	if m.latest < 0 {
		return
	}
	m.mutWord(m.latest).flags |= f
}

// dataWord defines a word of kind k with n aligned zero bytes of data
// space; it returns the body.
func (m *Machine) dataWord(k wordKind, n Cell) Cell {
	name := m.headerName()
	m.align()
	body := m.here()
	m.allot(n)
	if n > 0 {
		m.countBytes(n)
		clear(m.span(body, n))
	}
	m.addWord(word{name: string(name), kind: k, body: body, code: -1}, true)
	return body
}

// field defines a field of size n aligned to a ( offset -- offset' ).
func (m *Machine) field(n, a Cell) {
	off := m.pop()
	off = (off + a - 1) &^ (a - 1)
	name := m.headerName()
	m.allot(8)
	m.addWord(word{name: string(name), kind: kField, body: off, code: -1}, true)
	m.push(off + n)
}

// structDoes is the code of a structure name: ( body -- size ).
func structDoes(m *Machine) int {
	start := len(m.code)
	m.compileXT(xtBase + Cell(builtinIndex[widForth]["@"]))
	m.emit(opExit, 0, 0)
	return start
}

// tickName parses a name and returns its xt (-13 if undefined).
func (m *Machine) tickName() Cell {
	name := m.needName()
	xt, _, ok := m.findName(name)
	if !ok {
		m.curName = name
		m.throw(-13)
	}
	return xt
}

// deferBody returns the body of the deferred word xt.
func (m *Machine) deferBody(xt Cell) Cell {
	w := m.wordOf(xt)
	if w.kind != kDefer {
		m.throw(-32)
	}
	return w.body
}

func (m *Machine) toInterp(plus bool) {
	w := m.wordOf(m.tickName())
	switch {
	case w.kind == kValue && plus:
		m.store(w.body, m.fetch(w.body)+m.pop())
	case w.kind == kValue:
		m.store(w.body, m.pop())
	case w.kind == k2Value && !plus:
		lo, hi := m.pop2()
		m.store(w.body, hi)
		m.store(w.body+8, lo)
	case w.kind == kFValue && !plus:
		m.fstore(w.body, m.fpop())
	case w.kind == kDefer && !plus:
		m.store(w.body, m.pop())
	default:
		m.throw(-32)
	}
}

func (m *Machine) toComp(plus bool) {
	name := m.needName()
	if d := m.def; d != nil {
		if l := d.findLocal(name); l != nil {
			m.compileLocalTo(l, plus)
			return
		}
	}
	xt, _, ok := m.findName(name)
	if !ok {
		m.curName = name
		m.throw(-13)
	}
	w := m.wordOf(xt)
	switch {
	case w.kind == kValue && plus:
		m.emit(opPlusTo, 0, w.body)
	case w.kind == kValue:
		m.emit(opTo, 0, w.body)
	case w.kind == k2Value && !plus:
		m.emit(op2To, 0, w.body)
	case w.kind == kFValue && !plus:
		m.emit(opFTo, 0, w.body)
	case w.kind == kDefer && !plus:
		m.emit(opTo, 0, w.body)
	default:
		m.throw(-32)
	}
}

// postpone compiles the compilation semantics of the next word (always,
// or for [COMPILE] only those of immediate words).
func (m *Machine) postpone(always bool) {
	name := m.needName()
	xt, w, ok := m.findName(name)
	if !ok {
		if d := m.def; d != nil && d.findLocal(name) != nil {
			m.throw(-48)
		}
		m.curName = name
		m.throw(-13)
	}
	switch {
	case w.flags&fDual != 0:
		m.emit(opPrim, 0, Cell(w.comp))
	case w.flags&fImmediate != 0:
		m.compileXT(xt)
	case always:
		m.literal(xt)
		m.emit(opPrim, 0, Cell(compileComma))
	default:
		m.compileXT(xt)
	}
}

var compileComma = -1

// endLoop compiles LOOP or +LOOP.
func (m *Machine) endLoop(op opcode) {
	do := m.csPop(csDo)
	m.emit(op, 0, Cell(do.at))
	for _, at := range m.leaves[do.leaves:] {
		m.code[at].arg = Cell(len(m.code))
	}
	m.leaves = m.leaves[:do.leaves]
}

// innerDo checks that a DO is open in the current definition.
func (m *Machine) innerDo() {
	d := m.needDef()
	for i := len(m.cs) - 1; i >= d.csBase; i-- {
		if m.cs[i].kind == csDo {
			return
		}
	}
	m.structErr("unstructured ")
}

// compileString compiles pushing a copy of s ( -- c-addr u ).
func (m *Machine) compileString(s []byte) {
	a := m.allocLit(s)
	m.emit(opSLit, int32(len(s)), a)
}

// counted returns s as a counted string.
func counted(m *Machine, s []byte) []byte {
	if len(s) > 255 {
		m.throw(-18)
	}
	return append([]byte{byte(len(s))}, s...)
}

// parseChar parses a name and returns its first character (UTF-8).
func (m *Machine) parseChar() Cell {
	name := m.needName()
	c, _ := decodeChar(name)
	return c
}

// decodeChar decodes one character as gforth's xc@+: lax UTF-8 (overlong
// forms accepted); a byte that does not start a sequence is itself.
func decodeChar(b []byte) (Cell, int) {
	lead := b[0]
	if lead < 0xC0 {
		return Cell(lead), 1
	}
	v := uint64(lead & 0x7F)
	mask := uint64(0x40)
	i := 1
	for v&mask != 0 {
		v ^= mask
		v <<= 6
		mask <<= 5
		if i >= len(b) || b[i]&0xC0 != 0x80 {
			return Cell(lead), 1
		}
		v |= uint64(b[i] & 0x3F)
		i++
	}
	return Cell(v), i
}

// parseEscaped parses the text of S\" up to an unescaped quote and
// translates gforth's escapes.
func (m *Machine) parseEscaped() []byte {
	buf, in := m.parseArea()
	m.countBytes(Cell(len(buf) - in))
	var out []byte
	for in < len(buf) {
		c := buf[in]
		in++
		if c == '"' {
			m.store(varIn, Cell(in))
			return out
		}
		if c != '\\' || in >= len(buf) {
			out = append(out, c)
			continue
		}
		c = buf[in]
		in++
		switch c {
		case 'a':
			out = append(out, 7)
		case 'b':
			out = append(out, 8)
		case 'e':
			out = append(out, 27)
		case 'f':
			out = append(out, 12)
		case 'l', 'n':
			out = append(out, '\n')
		case 'm':
			out = append(out, '\r', '\n')
		case 'q', '"':
			out = append(out, '"')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, 11)
		case 'z', '0':
			out = append(out, 0)
		case 'x':
			v, n := 0, 0
			for n < 2 && in < len(buf) {
				d := hexDigit(buf[in])
				if d < 0 {
					break
				}
				v = v*16 + d
				in++
				n++
			}
			out = append(out, byte(v))
		default:
			out = append(out, c)
		}
	}
	m.store(varIn, Cell(in))
	return out
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// comment skips a ( comment, across lines of a file.
func (m *Machine) comment() {
	for {
		buf, in := m.parseArea()
		m.countBytes(Cell(len(buf) - in))
		for in < len(buf) {
			if buf[in] == ')' {
				m.store(varIn, Cell(in+1))
				return
			}
			in++
		}
		m.store(varIn, Cell(in))
		if !m.refill() {
			return
		}
	}
}

func (m *Machine) skipLine() {
	m.store(varIn, Cell(m.cur().len))
}

// defined parses a name and reports whether it is in the search order.
func (m *Machine) defined() bool {
	name := m.parseName()
	if len(name) == 0 {
		return false
	}
	_, _, ok := m.findName(name)
	return ok
}

// skipConditional skips to the matching [THEN] (or [ELSE], if elseOK),
// across lines.
func (m *Machine) skipConditional(elseOK bool) {
	level := 1
	for {
		name := m.parseNameRefill()
		if name == nil {
			return
		}
		m.steps--
		if m.steps < 0 {
			m.limit(ErrSteps)
		}
		switch strings.ToLower(string(name)) {
		case "[if]", "[ifdef]", "[ifundef]":
			level++
		case "[else]":
			if level == 1 && elseOK {
				return
			}
		case "[then]", "[endif]":
			level--
			if level == 0 {
				return
			}
		}
	}
}

// seekLine makes line n of the file source s current again.
func (m *Machine) seekLine(s *source, n int) {
	s.next = 0
	s.line = 0
	for s.line < n {
		if !m.refill() {
			break
		}
	}
}

var _ = math.Float64bits
