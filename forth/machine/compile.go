package machine

import "math"

// defState is the definition being compiled.
type defState struct {
	word   int // user word index
	xt     Cell
	start  int // code start (RECURSE)
	csBase int // control-flow stack depth at its start
	lvBase int // leave list length at its start
	locals []local
	nloc   int       // locals slots in use
	outer  *defState // a quotation's enclosing definition
	branch int       // a quotation: the branch around it
	named  bool      // revealed at ;
	// dsBase is the data stack depth when the definition began (after
	// the xt :NONAME leaves): gforth 0.7.3 keeps the colon-sys there,
	// on the data stack, so a definition that takes a cell from below
	// it or leaves one above it does not end there ("unstructured").
	dsBase int
	// pending are the locals (LOCAL) declared so far.
	pending []declLocal
}

// localKind is a local's type.
type localKind uint8

const (
	lCell localKind = iota
	lDouble
	lFloat
)

type local struct {
	name string // lower case
	kind localKind
	slot int
}

func (d *defState) findLocal(name []byte) *local {
	for i := len(d.locals) - 1; i >= 0; i-- {
		l := &d.locals[i]
		if len(l.name) == len(name) && equalFold(l.name, name) {
			return l
		}
	}
	return nil
}

func equalFold(lowerName string, b []byte) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 32
		}
		if c != lowerName[i] {
			return false
		}
	}
	return true
}

// csKind is the kind of a control-flow stack item.
type csKind uint8

const (
	csOrig csKind = iota
	csDest
	csDo
	csCase
	csOf
	csEndof
)

type csItem struct {
	kind   csKind
	at     int // code index: the branch to resolve, or the destination
	leaves int // csDo: the leave list length at DO
}

// emit appends an instruction and returns its index.
func (m *Machine) emit(op opcode, x int32, arg Cell) int {
	// Compiled code counts against data space, as in a Forth whose
	// code is in the dictionary: an instruction is 16 bytes.
	if len(m.code) >= m.cfg.MemorySize/16+1024 {
		m.throw(-8)
	}
	m.code = append(m.code, inst{op: op, x: x, arg: arg})
	return len(m.code) - 1
}

// compileXT appends the execution of xt to the current definition.
func (m *Machine) compileXT(xt Cell) {
	w := m.wordOf(xt)
	switch w.kind {
	case kPrim:
		if op := primOps[w.prim]; op != opNop {
			m.emit(op, 0, 0)
			return
		}
		m.emit(opPrim, 0, Cell(w.prim))
	case kColon:
		m.emit(opCall, 0, Cell(w.code))
	case kConstant:
		m.emit(opLit, 0, w.body)
	case kCreate:
		if i := m.userIndex(xt); i >= 0 {
			m.emit(opCreated, 0, Cell(i))
			return
		}
		m.emit(opExec, 0, xt)
	case kValue:
		m.emit(opValue, 0, w.body)
	case k2Value:
		m.emit(op2Value, 0, w.body)
	case kFValue:
		m.emit(opFValue, 0, w.body)
	case kDefer:
		m.emit(opDefer, 0, w.body)
	default:
		m.emit(opExec, 0, xt)
	}
}

func (m *Machine) literal(v Cell) { m.emit(opLit, 0, v) }

// needDef THROWs -14 unless a definition is being compiled.
func (m *Machine) needDef() *defState {
	if m.def == nil {
		m.throw(-14)
	}
	return m.def
}

func (m *Machine) csPush(it csItem) {
	if len(m.cs) >= 1024 {
		m.throw(-52)
	}
	m.cs = append(m.cs, it)
}

// structErr reports a control-structure mismatch as gforth 0.7.3 does:
// an ABORT" (THROW -2) with its message.
func (m *Machine) structErr(msg string) {
	m.abortMsg = msg
	m.throw(-2)
}

var expected = map[csKind]string{csOrig: "expected orig ", csDest: "expected dest ", csDo: "expected do-dest "}

// csPop pops an item of kind k (a mismatch is an error).
func (m *Machine) csPop(k csKind) csItem {
	d := m.needDef()
	if len(m.cs) <= d.csBase || m.cs[len(m.cs)-1].kind != k {
		msg, ok := expected[k]
		if !ok {
			msg = "unstructured "
		}
		m.structErr(msg)
	}
	it := m.cs[len(m.cs)-1]
	m.cs = m.cs[:len(m.cs)-1]
	return it
}

// resolve makes the branch at orig jump to the current end of code.
func (m *Machine) resolve(it csItem) { m.code[it.at].arg = Cell(len(m.code)) }

// startDef begins a colon definition (name "" for :NONAME).
func (m *Machine) startDef(name string) *defState {
	if m.def != nil {
		m.throw(-29)
	}
	start := len(m.code)
	i := m.addWord(word{name: name, kind: kColon, code: int32(start)}, false)
	m.def = &defState{word: i, xt: xtOfUser(i), start: start, csBase: len(m.cs), lvBase: len(m.leaves), named: name != "", dsBase: m.sp}
	m.setState(true)
	return m.def
}

// endDef ends the current definition at ; (or ;]).
func (m *Machine) endDef() {
	d := m.needDef()
	if len(m.cs) != d.csBase || d.outer == nil && m.sp != d.dsBase {
		m.structErr("unstructured ")
	}
	m.dropLocals()
	m.emit(opExit, 0, 0)
	if d.outer != nil { // a quotation
		m.code[d.branch].arg = Cell(len(m.code))
		m.def = d.outer
		m.literal(d.xt)
		return
	}
	m.def = nil
	m.setState(false)
	if d.named {
		m.reveal(d.word)
	}
	m.leaves = m.leaves[:d.lvBase]
}

// abortCompile abandons any definition (after an error).
func (m *Machine) abortCompile() {
	m.def = nil
	m.cs = m.cs[:0]
	m.leaves = m.leaves[:0]
	if len(m.srcs) == 0 || m.valid(varState, 8) {
		m.setState(false)
	}
}

// dropLocals compiles the release of the definition's locals.
func (m *Machine) dropLocals() {
	if d := m.def; d != nil && d.nloc > 0 {
		m.emit(opLocalsDrop, int32(d.nloc), 0)
	}
}

// compileLocal compiles pushing the value of a local.
func (m *Machine) compileLocal(l *local) {
	n := int32(m.def.nloc)
	switch l.kind {
	case lCell:
		m.emit(opLocal, n-int32(l.slot), 0)
	case lDouble:
		m.emit(opLocal, n-int32(l.slot), 0)
		m.emit(opLocal, n-int32(l.slot)-1, 0)
	case lFloat:
		m.emit(opFLocal, n-int32(l.slot), 0)
	}
}

// compileLocalTo compiles storing into (or adding to, plus) a local.
func (m *Machine) compileLocalTo(l *local, plus bool) {
	n := int32(m.def.nloc)
	switch {
	case plus && l.kind == lCell:
		m.emit(opLocalPlusTo, n-int32(l.slot), 0)
	case plus:
		m.throw(-21)
	case l.kind == lCell:
		m.emit(opLocalTo, n-int32(l.slot), 0)
	case l.kind == lDouble:
		m.emit(opLocalTo, n-int32(l.slot)-1, 0)
		m.emit(opLocalTo, n-int32(l.slot), 0)
	case l.kind == lFloat:
		m.emit(opFLocalTo, n-int32(l.slot), 0)
	}
}

// declLocal is a local being declared; init tells whether it takes its
// value from the stack.
type declLocal struct {
	name string
	kind localKind
	init bool
}

// declareLocals compiles the creation of locals, the first declared
// taking the deepest stack item.
func (m *Machine) declareLocals(ls []declLocal) {
	d := m.needDef()
	if len(m.cs) != d.csBase {
		// Locals inside a control structure would need scopes.
		m.throw(-21)
	}
	if len(ls) == 0 {
		return
	}
	simple := true
	for _, l := range ls {
		if l.kind != lCell || !l.init {
			simple = false
		}
	}
	base := d.nloc
	slots := 0
	for _, l := range ls {
		d.locals = append(d.locals, local{name: l.name, kind: l.kind, slot: base + slots})
		if l.kind == lDouble {
			slots += 2
		} else {
			slots++
		}
	}
	if simple {
		m.emit(opLocals, int32(slots), 0)
		d.nloc += slots
		return
	}
	m.emit(opLocalsReserve, int32(slots), 0)
	d.nloc += slots
	// Take the values from the stacks, the last declared first.
	loc := d.locals[len(d.locals)-len(ls):]
	for i := len(ls) - 1; i >= 0; i-- {
		if ls[i].init {
			m.compileLocalTo(&loc[i], false)
		}
	}
}

// floatLit compiles a float literal.
func (m *Machine) floatLit(f float64) { m.emit(opFLit, 0, Cell(math.Float64bits(f))) }
