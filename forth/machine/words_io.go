package machine

import (
	"math/bits"
	"sort"
	"strconv"
)

// Output: the output buffer, number formatting and pictured numeric
// output.

func (m *Machine) emitBytes(b []byte) {
	if len(m.out)+len(b) > m.cfg.MaxOutput {
		m.limit(ErrOutput)
	}
	m.out = append(m.out, b...)
}

func (m *Machine) emitString(s string) {
	if len(m.out)+len(s) > m.cfg.MaxOutput {
		m.limit(ErrOutput)
	}
	m.out = append(m.out, s...)
}

func (m *Machine) emitByte(c byte) {
	if len(m.out)+1 > m.cfg.MaxOutput {
		m.limit(ErrOutput)
	}
	m.out = append(m.out, c)
}

func (m *Machine) spaces(n Cell) {
	if n <= 0 {
		return
	}
	if n > Cell(m.cfg.MaxOutput) {
		m.limit(ErrOutput)
	}
	for range n {
		m.emitByte(' ')
	}
}

// base returns BASE, checked (gforth divides by it: 0 THROWs -10).
func (m *Machine) base() uint64 {
	b := m.fetch(varBase)
	if b == 0 {
		m.throw(-10)
	}
	return uint64(b)
}

// digitChar is the character of digit d, as gforth's: 0-9, then A-Z and
// beyond in ASCII.
func digitChar(d uint64) byte {
	if d > 9 {
		d += 7
	}
	return byte(d + '0')
}

// formatUD formats the unsigned double (lo, hi) in base b.
func formatUD(lo, hi uint64, b uint64) []byte {
	var buf [130]byte
	i := len(buf)
	for {
		var r uint64
		lo, hi, r = udivmod128(lo, hi, b)
		i--
		buf[i] = digitChar(r)
		if lo == 0 && hi == 0 || i == 0 {
			break
		}
	}
	return append([]byte(nil), buf[i:]...)
}

// formatD formats a signed double.
func (m *Machine) formatD(lo, hi Cell) []byte {
	b := m.base()
	if b == 1 {
		m.throw(-24)
	}
	neg := hi < 0
	if neg {
		lo, hi = dneg(lo, hi)
	}
	s := formatUD(uint64(lo), uint64(hi), b)
	if neg {
		s = append([]byte{'-'}, s...)
	}
	return s
}

func (m *Machine) formatU(lo, hi Cell) []byte {
	b := m.base()
	if b == 1 {
		m.throw(-24)
	}
	return formatUD(uint64(lo), uint64(hi), b)
}

// typeR prints s right-aligned in a field of width w.
func (m *Machine) typeR(s []byte, w Cell) {
	m.spaces(w - Cell(len(s)))
	m.emitBytes(s)
}

// dotS prints the stack as gforth's .S: the depth, then at most nine
// items.
func (m *Machine) dotS() {
	m.emitString("<" + strconv.Itoa(m.sp) + "> ")
	n := min(m.sp, 9)
	for _, v := range m.ds[m.sp-n : m.sp] {
		m.emitBytes(m.formatD(v, v>>63))
		m.emitByte(' ')
	}
}

var ioWords = []prim{
	{name: "emit", fn: func(m *Machine) { m.emitByte(byte(m.pop())) }},
	{name: "xemit", fn: func(m *Machine) {
		c := m.pop()
		if c < 0x80 || c > 0x7FFFFFFF {
			m.emitByte(byte(c))
			return
		}
		m.emitString(string(rune(c)))
	}},
	{name: "type", fn: func(m *Machine) {
		n := m.pop()
		a := m.pop()
		if n > 0 {
			m.emitBytes(m.span(a, n))
		}
	}},
	{name: "cr", fn: func(m *Machine) { m.emitByte('\n') }},
	{name: "space", fn: func(m *Machine) { m.emitByte(' ') }},
	{name: "spaces", fn: func(m *Machine) { m.spaces(m.pop()) }},
	{name: ".", fn: func(m *Machine) {
		v := m.pop()
		m.emitBytes(m.formatD(v, v>>63))
		m.emitByte(' ')
	}},
	{name: "u.", fn: func(m *Machine) {
		m.emitBytes(m.formatU(m.pop(), 0))
		m.emitByte(' ')
	}},
	{name: ".r", fn: func(m *Machine) {
		w := m.pop()
		v := m.pop()
		m.typeR(m.formatD(v, v>>63), w)
	}},
	{name: "u.r", fn: func(m *Machine) {
		w := m.pop()
		m.typeR(m.formatU(m.pop(), 0), w)
	}},
	{name: "d.", fn: func(m *Machine) {
		lo, hi := m.pop2()
		m.emitBytes(m.formatD(lo, hi))
		m.emitByte(' ')
	}},
	{name: "d.r", fn: func(m *Machine) {
		w := m.pop()
		lo, hi := m.pop2()
		m.typeR(m.formatD(lo, hi), w)
	}},
	{name: "ud.", fn: func(m *Machine) {
		lo, hi := m.pop2()
		m.emitBytes(m.formatU(lo, hi))
		m.emitByte(' ')
	}},
	{name: "ud.r", fn: func(m *Machine) {
		w := m.pop()
		lo, hi := m.pop2()
		m.typeR(m.formatU(lo, hi), w)
	}},
	{name: "dec.", fn: func(m *Machine) {
		v := m.pop()
		m.emitString(strconv.FormatInt(v, 10) + " ")
	}},
	{name: "hex.", fn: func(m *Machine) {
		m.emitString("$" + formatHex(uint64(m.pop())) + " ")
	}},
	{name: ".s", fn: func(m *Machine) { m.dotS() }},
	{name: "?", fn: func(m *Machine) {
		v := m.fetch(m.pop())
		m.emitBytes(m.formatD(v, v>>63))
		m.emitByte(' ')
	}},
	{name: "<#", fn: func(m *Machine) { m.store(varHLD, holdEnd) }},
	{name: "<<#", fn: func(m *Machine) { m.store(varHLD, holdEnd) }},
	{name: "#>>", fn: func(*Machine) {}},
	{name: "hold", fn: func(m *Machine) { m.hold(byte(m.pop())) }},
	{name: "holds", fn: func(m *Machine) {
		n := m.pop()
		s := m.span(m.pop(), n)
		for i := len(s) - 1; i >= 0; i-- {
			m.hold(s[i])
		}
	}},
	{name: "sign", fn: func(m *Machine) {
		if m.pop() < 0 {
			m.hold('-')
		}
	}},
	{name: "#", fn: func(m *Machine) { m.holdDigit() }},
	{name: "#s", fn: func(m *Machine) {
		for {
			m.holdDigit()
			if m.ds[m.sp-1] == 0 && m.ds[m.sp-2] == 0 {
				return
			}
			m.steps--
		}
	}},
	{name: "#>", fn: func(m *Machine) {
		m.pop2()
		h := m.fetch(varHLD)
		if h < holdBuf || h > holdEnd {
			m.throw(-17)
		}
		m.push2(h, holdEnd-h)
	}},
	{name: "dump", fn: func(m *Machine) {
		n := m.pop()
		a := m.pop()
		m.dump(a, n)
	}},
	{name: "words", fn: func(m *Machine) { m.listWords() }},
}

func formatHex(v uint64) string {
	s := []byte(strconv.FormatUint(v, 16))
	for i, c := range s {
		if 'a' <= c && c <= 'f' {
			s[i] = c - 32
		}
	}
	return string(s)
}

func (m *Machine) hold(c byte) {
	h := m.fetch(varHLD) - 1
	if h < holdBuf || h >= holdEnd {
		m.throw(-17)
	}
	m.store(varHLD, h)
	m.cstore(h, Cell(c))
}

// holdDigit is # ( ud1 -- ud2 ).
func (m *Machine) holdDigit() {
	m.need(2)
	b := m.base()
	lo, hi := uint64(m.ds[m.sp-2]), uint64(m.ds[m.sp-1])
	lo, hi, r := udivmod128(lo, hi, b)
	m.ds[m.sp-2], m.ds[m.sp-1] = Cell(lo), Cell(hi)
	m.hold(digitChar(r))
}

// dump prints memory as gforth's DUMP.
func (m *Machine) dump(a, n Cell) {
	if n <= 0 {
		return
	}
	b := m.span(a, n)
	m.emitByte('\n')
	for off := 0; off < len(b); off += 16 {
		line := b[off:min(off+16, len(b))]
		addr := formatHex(uint64(a) + uint64(off))
		m.typeR([]byte(addr), 8)
		m.emitString(": ")
		for i := 0; i < 16; i++ {
			switch {
			case i < len(line):
				h := formatHex(uint64(line[i]))
				if len(h) < 2 {
					h = "0" + h
				}
				m.emitString(h)
			default:
				m.emitString("  ")
			}
			m.emitByte(' ')
			if i == 3 || i == 11 {
				m.emitByte(' ')
			}
			if i == 7 {
				m.emitString("- ")
			}
		}
		m.emitByte(' ')
		for _, c := range line {
			if c < ' ' || c >= 0x7F {
				c = '.'
			}
			m.emitByte(c)
		}
		m.emitByte('\n')
	}
}

// listWords prints the user words of the first word list in the search
// order, the latest first, then the builtins, sorted.
func (m *Machine) listWords() {
	wid := widForth
	if len(m.order) > 0 {
		wid = m.order[0]
	}
	m.emitByte('\n')
	for i := len(m.words) - 1; i >= 0; i-- {
		w := &m.words[i]
		if w.name == "" || int(w.wid) != wid {
			continue
		}
		if cur, ok := m.lists[wid].m[lower(w.name)]; !ok || int(cur) != i {
			continue
		}
		m.emitString(w.name + " ")
	}
	if wid < numBuiltinLists {
		var names []string
		for k := range builtinIndex[wid] {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, n := range names {
			m.emitString(n + " ")
		}
	}
	m.emitByte('\n')
}

var _ = bits.Len
