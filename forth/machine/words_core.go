package machine

// Stack, arithmetic, logic, comparison and memory words.

// binop makes a word ( a b -- f(a,b) ).
func binop(f func(a, b Cell) Cell) func(*Machine) {
	return func(m *Machine) {
		m.need(2)
		m.sp--
		m.ds[m.sp-1] = f(m.ds[m.sp-1], m.ds[m.sp])
	}
}

// unop makes a word ( a -- f(a) ).
func unop(f func(a Cell) Cell) func(*Machine) {
	return func(m *Machine) {
		m.need(1)
		m.ds[m.sp-1] = f(m.ds[m.sp-1])
	}
}

// cmpop makes a comparison ( a b -- flag ).
func cmpop(f func(a, b Cell) bool) func(*Machine) {
	return binop(func(a, b Cell) Cell { return flag(f(a, b)) })
}

// constant makes a word pushing v.
func constant(v Cell) func(*Machine) { return func(m *Machine) { m.push(v) } }

var coreWords = []prim{
	// Stack.
	{name: "dup", fn: func(m *Machine) { m.push(m.top()) }},
	{name: "drop", fn: func(m *Machine) { m.need(1); m.sp-- }},
	{name: "swap", fn: func(m *Machine) {
		m.need(2)
		m.ds[m.sp-1], m.ds[m.sp-2] = m.ds[m.sp-2], m.ds[m.sp-1]
	}},
	{name: "over", fn: func(m *Machine) { m.need(2); m.push(m.ds[m.sp-2]) }},
	{name: "rot", fn: func(m *Machine) {
		m.need(3)
		s := m.ds[m.sp-3 : m.sp]
		s[0], s[1], s[2] = s[1], s[2], s[0]
	}},
	{name: "-rot", fn: func(m *Machine) {
		m.need(3)
		s := m.ds[m.sp-3 : m.sp]
		s[0], s[1], s[2] = s[2], s[0], s[1]
	}},
	{name: "nip", fn: func(m *Machine) { m.need(2); m.ds[m.sp-2] = m.ds[m.sp-1]; m.sp-- }},
	{name: "tuck", fn: func(m *Machine) {
		m.need(2)
		a, b := m.ds[m.sp-2], m.ds[m.sp-1]
		m.ds[m.sp-2], m.ds[m.sp-1] = b, a
		m.push(b)
	}},
	{name: "pick", fn: func(m *Machine) {
		n := m.pop()
		if n < 0 || n >= Cell(m.sp) {
			m.throw(-4)
		}
		m.push(m.ds[m.sp-1-int(n)])
	}},
	{name: "roll", fn: func(m *Machine) {
		n := m.pop()
		if n < 0 || n >= Cell(m.sp) {
			m.throw(-4)
		}
		i := m.sp - 1 - int(n)
		v := m.ds[i]
		copy(m.ds[i:m.sp-1], m.ds[i+1:m.sp])
		m.ds[m.sp-1] = v
	}},
	{name: "?dup", fn: func(m *Machine) {
		if v := m.top(); v != 0 {
			m.push(v)
		}
	}},
	{name: "2dup", fn: func(m *Machine) { m.need(2); m.push2(m.ds[m.sp-2], m.ds[m.sp-1]) }},
	{name: "2drop", fn: func(m *Machine) { m.need(2); m.sp -= 2 }},
	{name: "2swap", fn: func(m *Machine) {
		m.need(4)
		s := m.ds[m.sp-4 : m.sp]
		s[0], s[1], s[2], s[3] = s[2], s[3], s[0], s[1]
	}},
	{name: "2over", fn: func(m *Machine) { m.need(4); m.push2(m.ds[m.sp-4], m.ds[m.sp-3]) }},
	{name: "2rot", fn: func(m *Machine) {
		m.need(6)
		s := m.ds[m.sp-6 : m.sp]
		a, b := s[0], s[1]
		copy(s, s[2:])
		s[4], s[5] = a, b
	}},
	{name: "2nip", fn: func(m *Machine) {
		m.need(4)
		m.ds[m.sp-4], m.ds[m.sp-3] = m.ds[m.sp-2], m.ds[m.sp-1]
		m.sp -= 2
	}},
	{name: "2tuck", fn: func(m *Machine) {
		m.need(4)
		m.room(2)
		s := m.ds[m.sp-4 : m.sp+2]
		a, b, c, d := s[0], s[1], s[2], s[3]
		s[0], s[1], s[2], s[3], s[4], s[5] = c, d, a, b, c, d
		m.sp += 2
	}},
	{name: "depth", fn: func(m *Machine) { m.push(Cell(m.sp)) }},
	{name: "clearstack", fn: func(m *Machine) { m.sp = 0 }},
	{name: ">r", fn: func(m *Machine) { m.rpush(m.pop()) }, flags: fCompileOnly},
	{name: "r>", fn: func(m *Machine) { m.push(m.rpop()) }, flags: fCompileOnly},
	{name: "r@", fn: func(m *Machine) { m.rneed(1); m.push(m.rs[m.rp-1]) }, flags: fCompileOnly},
	{name: "rdrop", fn: func(m *Machine) { m.rpop() }, flags: fCompileOnly},
	{name: "2>r", fn: func(m *Machine) {
		m.need(2)
		m.rpush(m.ds[m.sp-2])
		m.rpush(m.ds[m.sp-1])
		m.sp -= 2
	}, flags: fCompileOnly},
	{name: "2r>", fn: func(m *Machine) {
		m.rneed(2)
		m.push2(m.rs[m.rp-2], m.rs[m.rp-1])
		m.rp -= 2
	}, flags: fCompileOnly},
	{name: "2r@", fn: func(m *Machine) { m.rneed(2); m.push2(m.rs[m.rp-2], m.rs[m.rp-1]) }, flags: fCompileOnly},
	{name: "2rdrop", fn: func(m *Machine) { m.rneed(2); m.rp -= 2 }, flags: fCompileOnly},
	{name: "n>r", fn: func(m *Machine) {
		n := m.pop()
		if n < 0 || n > Cell(m.sp) {
			m.throw(-4)
		}
		for i := m.sp - int(n); i < m.sp; i++ {
			m.rpush(m.ds[i])
		}
		m.sp -= int(n)
		m.rpush(n)
	}, flags: fCompileOnly},
	{name: "nr>", fn: func(m *Machine) {
		n := m.rpop()
		if n < 0 || n > Cell(m.rp) {
			m.throw(-6)
		}
		for i := m.rp - int(n); i < m.rp; i++ {
			m.push(m.rs[i])
		}
		m.rp -= int(n)
		m.push(n)
	}, flags: fCompileOnly},

	// Arithmetic.
	{name: "+", fn: binop(func(a, b Cell) Cell { return a + b })},
	{name: "-", fn: binop(func(a, b Cell) Cell { return a - b })},
	{name: "*", fn: binop(func(a, b Cell) Cell { return a * b })},
	{name: "/", fn: func(m *Machine) {
		m.need(2)
		_, q := m.divmod(m.ds[m.sp-2], m.ds[m.sp-1])
		m.sp--
		m.ds[m.sp-1] = q
	}},
	{name: "mod", fn: func(m *Machine) {
		m.need(2)
		r, _ := m.divmod(m.ds[m.sp-2], m.ds[m.sp-1])
		m.sp--
		m.ds[m.sp-1] = r
	}},
	{name: "/mod", fn: func(m *Machine) {
		m.need(2)
		r, q := m.divmod(m.ds[m.sp-2], m.ds[m.sp-1])
		m.ds[m.sp-2], m.ds[m.sp-1] = r, q
	}},
	{name: "*/", fn: func(m *Machine) {
		m.need(3)
		lo, hi := mstar(m.ds[m.sp-3], m.ds[m.sp-2])
		_, q := m.fmslashmod(lo, hi, m.ds[m.sp-1])
		m.sp -= 2
		m.ds[m.sp-1] = q
	}},
	{name: "*/mod", fn: func(m *Machine) {
		m.need(3)
		lo, hi := mstar(m.ds[m.sp-3], m.ds[m.sp-2])
		r, q := m.fmslashmod(lo, hi, m.ds[m.sp-1])
		m.sp--
		m.ds[m.sp-2], m.ds[m.sp-1] = r, q
	}},
	{name: "1+", fn: unop(func(a Cell) Cell { return a + 1 })},
	{name: "1-", fn: unop(func(a Cell) Cell { return a - 1 })},
	{name: "2*", fn: unop(func(a Cell) Cell { return a << 1 })},
	{name: "2/", fn: unop(func(a Cell) Cell { return a >> 1 })},
	{name: "negate", fn: unop(func(a Cell) Cell { return -a })},
	{name: "abs", fn: unop(func(a Cell) Cell {
		if a < 0 {
			return -a
		}
		return a
	})},
	{name: "min", fn: binop(func(a, b Cell) Cell { return min(a, b) })},
	{name: "max", fn: binop(func(a, b Cell) Cell { return max(a, b) })},
	{name: "umin", fn: binop(func(a, b Cell) Cell {
		if uint64(a) < uint64(b) {
			return a
		}
		return b
	})},
	{name: "under+", fn: func(m *Machine) {
		m.need(3)
		m.ds[m.sp-3] += m.ds[m.sp-1]
		m.sp--
	}},
	// gforth's shifts are C's on amd64: the count is taken modulo 64.
	{name: "lshift", fn: binop(func(a, b Cell) Cell { return Cell(uint64(a) << (uint(b) & 63)) })},
	{name: "rshift", fn: binop(func(a, b Cell) Cell { return Cell(uint64(a) >> (uint(b) & 63)) })},
	{name: "and", fn: binop(func(a, b Cell) Cell { return a & b })},
	{name: "or", fn: binop(func(a, b Cell) Cell { return a | b })},
	{name: "xor", fn: binop(func(a, b Cell) Cell { return a ^ b })},
	{name: "invert", fn: unop(func(a Cell) Cell { return ^a })},
	{name: "m*", fn: func(m *Machine) {
		m.need(2)
		m.ds[m.sp-2], m.ds[m.sp-1] = mstar(m.ds[m.sp-2], m.ds[m.sp-1])
	}},
	{name: "um*", fn: func(m *Machine) {
		m.need(2)
		m.ds[m.sp-2], m.ds[m.sp-1] = umstar(m.ds[m.sp-2], m.ds[m.sp-1])
	}},
	{name: "um/mod", fn: func(m *Machine) {
		m.need(3)
		r, q := m.umslashmod(m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1])
		m.sp--
		m.ds[m.sp-2], m.ds[m.sp-1] = r, q
	}},
	{name: "fm/mod", fn: func(m *Machine) {
		m.need(3)
		r, q := m.fmslashmod(m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1])
		m.sp--
		m.ds[m.sp-2], m.ds[m.sp-1] = r, q
	}},
	{name: "sm/rem", fn: func(m *Machine) {
		m.need(3)
		r, q := m.smslashrem(m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1])
		m.sp--
		m.ds[m.sp-2], m.ds[m.sp-1] = r, q
	}},
	{name: "s>d", fn: func(m *Machine) { m.push(m.top() >> 63) }},

	// Comparison.
	{name: "=", fn: cmpop(func(a, b Cell) bool { return a == b })},
	{name: "<>", fn: cmpop(func(a, b Cell) bool { return a != b })},
	{name: "<", fn: cmpop(func(a, b Cell) bool { return a < b })},
	{name: ">", fn: cmpop(func(a, b Cell) bool { return a > b })},
	{name: "<=", fn: cmpop(func(a, b Cell) bool { return a <= b })},
	{name: ">=", fn: cmpop(func(a, b Cell) bool { return a >= b })},
	{name: "u<", fn: cmpop(func(a, b Cell) bool { return uint64(a) < uint64(b) })},
	{name: "u>", fn: cmpop(func(a, b Cell) bool { return uint64(a) > uint64(b) })},
	{name: "u<=", fn: cmpop(func(a, b Cell) bool { return uint64(a) <= uint64(b) })},
	{name: "u>=", fn: cmpop(func(a, b Cell) bool { return uint64(a) >= uint64(b) })},
	{name: "0=", fn: unop(func(a Cell) Cell { return flag(a == 0) })},
	{name: "0<>", fn: unop(func(a Cell) Cell { return flag(a != 0) })},
	{name: "0<", fn: unop(func(a Cell) Cell { return flag(a < 0) })},
	{name: "0>", fn: unop(func(a Cell) Cell { return flag(a > 0) })},
	{name: "0<=", fn: unop(func(a Cell) Cell { return flag(a <= 0) })},
	{name: "0>=", fn: unop(func(a Cell) Cell { return flag(a >= 0) })},
	{name: "within", fn: func(m *Machine) {
		m.need(3)
		n, lo, hi := m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1]
		m.sp -= 2
		m.ds[m.sp-1] = flag(uint64(n-lo) < uint64(hi-lo))
	}},
	{name: "true", fn: constant(-1)},
	{name: "false", fn: constant(0)},
	{name: "bl", fn: constant(' ')},
	{name: "base", fn: constant(varBase)},
	{name: "warnings", fn: constant(varWarn)},
	{name: "span", fn: constant(varSpan)},
	{name: "decimal", fn: func(m *Machine) { m.store(varBase, 10) }},
	{name: "hex", fn: func(m *Machine) { m.store(varBase, 16) }},

	// Memory.
	{name: "@", fn: func(m *Machine) { m.need(1); m.ds[m.sp-1] = m.fetch(m.ds[m.sp-1]) }},
	{name: "!", fn: func(m *Machine) {
		m.need(2)
		m.store(m.ds[m.sp-1], m.ds[m.sp-2])
		m.sp -= 2
	}},
	{name: "c@", fn: func(m *Machine) { m.need(1); m.ds[m.sp-1] = m.cfetch(m.ds[m.sp-1]) }},
	{name: "c!", fn: func(m *Machine) {
		m.need(2)
		m.cstore(m.ds[m.sp-1], m.ds[m.sp-2])
		m.sp -= 2
	}},
	{name: "+!", fn: func(m *Machine) {
		m.need(2)
		a := m.ds[m.sp-1]
		m.store(a, m.fetch(a)+m.ds[m.sp-2])
		m.sp -= 2
	}},
	{name: "2@", fn: func(m *Machine) {
		a := m.pop()
		m.push2(m.fetch(a+8), m.fetch(a))
	}},
	{name: "2!", fn: func(m *Machine) {
		m.need(3)
		a := m.ds[m.sp-1]
		m.store(a, m.ds[m.sp-2])
		m.store(a+8, m.ds[m.sp-3])
		m.sp -= 3
	}},
	{name: "on", fn: func(m *Machine) { m.store(m.pop(), -1) }},
	{name: "off", fn: func(m *Machine) { m.store(m.pop(), 0) }},
	{name: "cell", fn: constant(8)},
	{name: "cells", fn: unop(func(a Cell) Cell { return a * 8 })},
	{name: "cell+", fn: unop(func(a Cell) Cell { return a + 8 })},
	{name: "char+", fn: unop(func(a Cell) Cell { return a + 1 })},
	{name: "chars", fn: unop(func(a Cell) Cell { return a })},
	{name: "aligned", fn: unop(aligned)},
	{name: "align", fn: func(m *Machine) { m.align() }},
	{name: "here", fn: func(m *Machine) { m.push(m.here()) }},
	{name: "allot", fn: func(m *Machine) { m.allot(m.pop()) }},
	{name: ",", fn: func(m *Machine) { m.comma(m.pop()) }},
	{name: "c,", fn: func(m *Machine) { m.ccomma(m.pop()) }},
	{name: "unused", fn: func(m *Machine) {
		d := &m.mem.seg[segDict]
		m.push(Cell(d.size - d.top))
	}},
	{name: "pad", fn: constant(padAddr)},
	{name: "fill", fn: func(m *Machine) {
		m.need(3)
		a, n, c := m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1]
		m.sp -= 3
		if n <= 0 {
			return
		}
		m.countBytes(n)
		b := m.span(a, n)
		for i := range b {
			b[i] = byte(c)
		}
	}},
	{name: "erase", fn: func(m *Machine) {
		m.need(2)
		a, n := m.ds[m.sp-2], m.ds[m.sp-1]
		m.sp -= 2
		if n > 0 {
			m.countBytes(n)
			clear(m.span(a, n))
		}
	}},
	{name: "blank", fn: func(m *Machine) {
		m.need(2)
		a, n := m.ds[m.sp-2], m.ds[m.sp-1]
		m.sp -= 2
		if n > 0 {
			m.countBytes(n)
			b := m.span(a, n)
			for i := range b {
				b[i] = ' '
			}
		}
	}},
	{name: "move", fn: func(m *Machine) { m.move(false) }},
	{name: "cmove", fn: func(m *Machine) { m.cmove(false) }},
	{name: "cmove>", fn: func(m *Machine) { m.cmove(true) }},
	{name: "count", fn: func(m *Machine) {
		a := m.pop()
		m.push2(a+1, m.cfetch(a))
	}},
	{name: "c@+", fn: func(m *Machine) {
		a := m.pop()
		m.push2(a+1, m.cfetch(a))
	}},
	{name: "bounds", fn: func(m *Machine) {
		m.need(2)
		a, n := m.ds[m.sp-2], m.ds[m.sp-1]
		m.ds[m.sp-2], m.ds[m.sp-1] = a+n, a
	}},
	{name: "noop", fn: func(*Machine) {}},
	{name: "allocate", fn: func(m *Machine) {
		a, ok := m.allocate(m.pop())
		m.push(a)
		m.pushIOR(ok)
	}},
	{name: "free", fn: func(m *Machine) {
		if m.free(m.pop()) {
			m.push(0)
		} else {
			m.push(iorInvalid)
		}
	}},
	{name: "resize", fn: func(m *Machine) {
		n := m.pop()
		a := m.pop()
		b, ok := m.resize(a, n)
		m.push(b)
		m.pushIOR(ok)
	}},
}

// pushIOR pushes 0 for success and otherwise gforth's ior for ENOMEM.
func (m *Machine) pushIOR(ok bool) {
	if ok {
		m.push(0)
	} else {
		m.push(iorNoMem)
	}
}

// iors as gforth makes them from errno: -512 - errno.
const (
	iorNoMem   = -512 - 12 // ENOMEM
	iorInvalid = -512 - 22 // EINVAL
)

// countBytes charges a step per 64 bytes a word processes.
func (m *Machine) countBytes(n Cell) {
	m.steps -= n >> 6
	if m.steps < 0 {
		m.limit(ErrSteps)
	}
}

// move copies ( from to u -- ), as MOVE (overlap safe).
func (m *Machine) move(bool) {
	m.need(3)
	from, to, n := m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1]
	m.sp -= 3
	if n <= 0 {
		return
	}
	m.countBytes(n)
	src, dst := m.span2(from, to, n)
	copy(dst, src)
}

// cmove copies byte by byte, from low addresses (or high ones, up):
// overlapping copies propagate as in CMOVE and CMOVE>.
func (m *Machine) cmove(up bool) {
	m.need(3)
	from, to, n := m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1]
	m.sp -= 3
	if n <= 0 {
		return
	}
	m.countBytes(n)
	src, dst := m.span2(from, to, n)
	if up {
		for i := n - 1; i >= 0; i-- {
			dst[i] = src[i]
		}
	} else {
		for i := Cell(0); i < n; i++ {
			dst[i] = src[i]
		}
	}
}
