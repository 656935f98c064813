package machine

import "math"

// opcode is an instruction of compiled code.
type opcode uint8

// inst is one instruction: an opcode, a small operand x and a cell
// operand arg.
type inst struct {
	op  opcode
	x   int32
	arg Cell
}

const (
	opNop           opcode = iota
	opHalt                 // return to the Go caller of run
	opExit                 // return from a definition
	opCall                 // call the code at arg
	opPrim                 // call builtin function arg
	opExec                 // execute the word of xt arg
	opExecute              // execute the xt on the stack
	opLit                  // push arg
	opFLit                 // push the float whose bits are arg
	opSLit                 // push arg and x (a string)
	opBranch               // jump to arg
	op0Branch              // pop; jump to arg if zero
	opDo                   // ( limit index -- ) R: ( -- limit index )
	opQDo                  // as opDo, but jump to arg if limit = index
	opLoop                 // add one to the index; loop to arg unless done
	opPlusLoop             // add n to the index; loop to arg unless done
	opLeave                // drop the loop parameters, jump to arg
	opOf                   // ( x1 x2 -- | x1 ) equal: drop both; else drop x2, jump to arg
	opCreated              // push the body of user word arg, run its DOES> code
	opValue                // push the cell at arg
	opDefer                // execute the xt stored at arg
	opTo                   // store the top cell at arg
	opPlusTo               // add the top cell to the cell at arg
	op2Value               // push the two cells at arg
	op2To                  // store two cells at arg
	opFValue               // push the float at arg
	opFTo                  // store a float at arg
	opDoes                 // make arg the DOES> code of the latest word; exit
	opLocals               // move x cells from the data stack to the locals stack
	opLocalsReserve        // push x zero cells on the locals stack
	opLocalsDrop           // drop x locals
	opLocal                // push local cell lp-x
	opLocalTo              // store into local cell lp-x
	opLocalPlusTo          // add into local cell lp-x
	opFLocal               // push local float lp-x
	opFLocalTo             // store float into local lp-x
	opXDo                  // gforth's +DO U+DO -DO U-DO (x): as opQDo, jump to arg when the loop is empty
	opMinusLoop            // gforth's -LOOP: subtract u from the index; loop to arg unless it crossed the limit
	opTestT                // built-in T{ at run time
	opTestArrow            // built-in ->
	opTestEnd              // built-in }T
)

// haltIP is the address of an opHalt: the return address of a call from
// Go into compiled code.
const haltIP = 0

// run executes compiled code from ip until the opHalt that returns to
// the caller (pushed on the return stack by call).
func (m *Machine) run(ip int) {
	m.nesting++
	defer func() { m.nesting-- }()
	if m.nesting > m.cfg.MaxNesting {
		m.throw(-5)
	}
	for {
		m.steps--
		if m.steps < 0 {
			m.limit(ErrSteps)
		}
		if uint(ip) >= uint(len(m.code)) {
			m.throw(-9)
		}
		in := m.code[ip]
		ip++
		switch in.op {
		case opPrim:
			primFns[in.arg](m)
		case opLit:
			m.push(in.arg)
		case opCall:
			m.rpush(Cell(ip))
			ip = int(in.arg)
		case opExit:
			ip = m.retAddr()
		case opBranch:
			ip = int(in.arg)
		case op0Branch:
			if m.pop() == 0 {
				ip = int(in.arg)
			}
		case opHalt:
			return
		case opExec:
			ip = m.enterXT(in.arg, ip)
		case opExecute:
			ip = m.enterXT(m.pop(), ip)
		case opFLit:
			m.fpush(math.Float64frombits(uint64(in.arg)))
		case opSLit:
			m.push(in.arg)
			m.push(Cell(in.x))
		case opDo:
			m.need(2)
			m.rpush(m.ds[m.sp-2])
			m.rpush(m.ds[m.sp-1])
			m.sp -= 2
		case opQDo:
			m.need(2)
			limit, index := m.ds[m.sp-2], m.ds[m.sp-1]
			m.sp -= 2
			if limit == index {
				ip = int(in.arg)
			} else {
				m.rpush(limit)
				m.rpush(index)
			}
		case opLoop:
			m.rneed(2)
			i := m.rs[m.rp-1] + 1
			if i == m.rs[m.rp-2] {
				m.rp -= 2
			} else {
				m.rs[m.rp-1] = i
				ip = int(in.arg)
			}
		case opPlusLoop:
			n := m.pop()
			m.rneed(2)
			d := m.rs[m.rp-1] - m.rs[m.rp-2]
			if (d^(d+n)) < 0 && (d^n) < 0 {
				m.rp -= 2
			} else {
				m.rs[m.rp-1] += n
				ip = int(in.arg)
			}
		case opLeave:
			m.rneed(2)
			m.rp -= 2
			ip = int(in.arg)
		case opOf:
			m.need(2)
			if m.ds[m.sp-1] == m.ds[m.sp-2] {
				m.sp -= 2
			} else {
				m.sp--
				ip = int(in.arg)
			}
		case opCreated:
			w := &m.words[in.arg]
			m.push(w.body)
			if w.code >= 0 {
				m.rpush(Cell(ip))
				ip = int(w.code)
			}
		case opValue:
			m.push(m.fetch(in.arg))
		case opDefer:
			ip = m.enterXT(m.fetch(in.arg), ip)
		case opTo:
			m.store(in.arg, m.pop())
		case opPlusTo:
			m.store(in.arg, m.fetch(in.arg)+m.pop())
		case op2Value:
			m.push(m.fetch(in.arg + 8))
			m.push(m.fetch(in.arg))
		case op2To:
			hi := m.pop()
			lo := m.pop()
			m.store(in.arg, hi)
			m.store(in.arg+8, lo)
		case opFValue:
			m.fpush(m.ffetch(in.arg))
		case opFTo:
			m.fstore(in.arg, m.fpop())
		case opDoes:
			m.setDoes(int(in.arg))
			ip = m.retAddr()
		case opLocals:
			n := int(in.x)
			m.need(n)
			for i := m.sp - n; i < m.sp; i++ {
				m.lpush(m.ds[i])
			}
			m.sp -= n
		case opLocalsReserve:
			for range in.x {
				m.lpush(0)
			}
		case opLocalsDrop:
			m.lp -= int(in.x)
			if m.lp < 0 {
				m.lp = 0
				m.throw(-6)
			}
		case opLocal:
			m.push(m.local(in.x))
		case opLocalTo:
			v := m.pop()
			m.ls[m.localIndex(in.x)] = v
		case opLocalPlusTo:
			v := m.pop()
			m.ls[m.localIndex(in.x)] += v
		case opFLocal:
			m.fpush(math.Float64frombits(uint64(m.local(in.x))))
		case opFLocalTo:
			f := m.fpop()
			m.ls[m.localIndex(in.x)] = Cell(math.Float64bits(f))
		case opXDo:
			m.need(2)
			limit, index := m.ds[m.sp-2], m.ds[m.sp-1]
			m.sp -= 2
			if xdoSkips(in.x, limit, index) {
				ip = int(in.arg)
			} else {
				m.rpush(limit)
				m.rpush(index)
			}
		case opMinusLoop:
			u := m.pop()
			m.rneed(2)
			d := uint64(m.rs[m.rp-1] - m.rs[m.rp-2])
			if d > uint64(u) {
				m.rs[m.rp-1] -= u
				ip = int(in.arg)
			} else {
				m.rp -= 2
			}
		case opTestT:
			m.testOpen()
		case opTestArrow:
			m.testArrow()
		case opTestEnd:
			m.testClose()
		case opNop:
		default:
			m.throw(-21)
		}
	}
}

// retAddr pops a return address and checks it.
func (m *Machine) retAddr() int {
	a := m.rpop()
	if a < 0 || a >= Cell(len(m.code)) {
		m.throw(-9)
	}
	return int(a)
}

func (m *Machine) localIndex(x int32) int {
	i := m.lp - int(x)
	if i < 0 || i >= m.lp {
		m.throw(-9)
	}
	return i
}

func (m *Machine) local(x int32) Cell { return m.ls[m.localIndex(x)] }

// enterXT starts executing xt from compiled code at return address ip;
// it returns where to continue.
func (m *Machine) enterXT(xt Cell, ip int) int {
	for {
		w := m.wordOf(xt)
		switch w.kind {
		case kPrim:
			primFns[w.prim](m)
			return ip
		case kColon:
			m.rpush(Cell(ip))
			return int(w.code)
		case kCreate:
			m.push(w.body)
			if w.code >= 0 {
				m.rpush(Cell(ip))
				return int(w.code)
			}
			return ip
		case kDefer:
			// A deferred word executes another, which may be deferred
			// too: each step counts, so a loop of them ends.
			m.steps--
			if m.steps < 0 {
				m.limit(ErrSteps)
			}
			xt = m.fetch(w.body)
		default:
			m.execData(w)
			return ip
		}
	}
}

// execData executes a word whose behaviour is in its data.
func (m *Machine) execData(w *word) {
	switch w.kind {
	case kConstant:
		m.push(w.body)
	case kValue:
		m.push(m.fetch(w.body))
	case k2Constant, k2Value:
		m.push(m.fetch(w.body + 8))
		m.push(m.fetch(w.body))
	case kFConstant, kFValue:
		m.fpush(m.ffetch(w.body))
	case kField:
		m.push(m.pop() + w.body)
	case kVocabulary:
		m.replaceOrder(int(w.body))
	case kMarker:
		i := int(w.body)
		if i < len(m.markers) {
			mk := m.markers[i]
			m.markers = m.markers[:i]
			m.restoreMarker(mk)
		}
	default:
		m.throw(-21)
	}
}

// execXT executes xt from Go (the text interpreter or a builtin).
func (m *Machine) execXT(xt Cell) {
	ip := m.enterXT(xt, haltIP)
	if ip != haltIP {
		m.run(ip)
	}
}

// callCode runs the code at ip from Go.
func (m *Machine) callCode(ip int) {
	m.rpush(haltIP)
	m.run(ip)
}

// setDoes makes the code at ip the DOES> part of the latest word.
func (m *Machine) setDoes(ip int) {
	if m.latest < 0 {
		m.throw(-31)
	}
	w := m.mutWord(m.latest)
	if w.kind != kCreate {
		m.throw(-31)
	}
	w.code = int32(ip)
}
