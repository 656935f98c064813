package machine

import "bytes"

// The string word set and gforth's common string words.

// str2 pops two strings ( a1 u1 a2 u2 -- ).
func (m *Machine) str2() (a1, u1, a2, u2 Cell) {
	m.need(4)
	a1, u1, a2, u2 = m.ds[m.sp-4], m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1]
	m.sp -= 4
	if u1 < 0 || u2 < 0 {
		m.throw(-9)
	}
	return
}

func cmpResult(c int) Cell {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

func foldUpper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 32
	}
	return c
}

var stringWords = []prim{
	{name: "compare", fn: func(m *Machine) {
		a1, u1, a2, u2 := m.str2()
		m.countBytes(min(u1, u2))
		m.push(cmpResult(bytes.Compare(m.span(a1, u1), m.span(a2, u2))))
	}},
	{name: "capscompare", fn: func(m *Machine) {
		a1, u1, a2, u2 := m.str2()
		s1, s2 := m.span(a1, u1), m.span(a2, u2)
		m.countBytes(min(u1, u2))
		for i := 0; i < len(s1) && i < len(s2); i++ {
			c1, c2 := foldUpper(s1[i]), foldUpper(s2[i])
			if c1 != c2 {
				m.push(cmpResult(int(c1) - int(c2)))
				return
			}
		}
		m.push(cmpResult(len(s1) - len(s2)))
	}},
	{name: "str=", fn: func(m *Machine) {
		a1, u1, a2, u2 := m.str2()
		m.countBytes(min(u1, u2))
		m.pushBool(bytes.Equal(m.span(a1, u1), m.span(a2, u2)))
	}},
	{name: "str<", fn: func(m *Machine) {
		a1, u1, a2, u2 := m.str2()
		m.countBytes(min(u1, u2))
		m.pushBool(bytes.Compare(m.span(a1, u1), m.span(a2, u2)) < 0)
	}},
	{name: "string-prefix?", fn: func(m *Machine) {
		a1, u1, a2, u2 := m.str2()
		m.countBytes(min(u1, u2))
		m.pushBool(bytes.HasPrefix(m.span(a1, u1), m.span(a2, u2)))
	}},
	{name: "search", fn: func(m *Machine) {
		a1, u1, a2, u2 := m.str2()
		m.countBytes(u1)
		i := bytes.Index(m.span(a1, u1), m.span(a2, u2))
		if i < 0 {
			m.push2(a1, u1)
			m.push(0)
			return
		}
		m.push2(a1+Cell(i), u1-Cell(i))
		m.push(-1)
	}},
	{name: "-trailing", fn: func(m *Machine) {
		m.need(2)
		a, n := m.ds[m.sp-2], m.ds[m.sp-1]
		if n <= 0 {
			return
		}
		s := m.span(a, n)
		for n > 0 && s[n-1] == ' ' {
			n--
		}
		m.ds[m.sp-1] = n
	}},
	{name: "/string", fn: func(m *Machine) {
		m.need(3)
		n := m.ds[m.sp-1]
		m.sp--
		m.ds[m.sp-2] += n
		m.ds[m.sp-1] -= n
	}},
	{name: "place", fn: func(m *Machine) {
		m.need(3)
		a, n, to := m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1]
		m.sp -= 3
		if n < 0 || n > 255 {
			m.throw(-18)
		}
		s := append([]byte{byte(n)}, m.span(a, n)...)
		copy(m.span(to, n+1), s)
	}},
	{name: "+place", fn: func(m *Machine) {
		m.need(3)
		a, n, to := m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1]
		m.sp -= 3
		old := m.cfetch(to)
		if n < 0 || old+n > 255 {
			m.throw(-18)
		}
		s := append([]byte(nil), m.span(a, n)...)
		copy(m.span(to+1+old, n), s)
		m.cstore(to, old+n)
	}},
	{name: "scan", fn: func(m *Machine) {
		m.need(3)
		a, n, c := m.ds[m.sp-3], m.ds[m.sp-2], byte(m.ds[m.sp-1])
		m.sp--
		if n <= 0 {
			return
		}
		m.countBytes(n)
		i := bytes.IndexByte(m.span(a, n), c)
		if i < 0 {
			i = int(n)
		}
		m.ds[m.sp-2], m.ds[m.sp-1] = a+Cell(i), n-Cell(i)
	}},
	{name: "skip", fn: func(m *Machine) {
		m.need(3)
		a, n, c := m.ds[m.sp-3], m.ds[m.sp-2], byte(m.ds[m.sp-1])
		m.sp--
		if n <= 0 {
			return
		}
		m.countBytes(n)
		s := m.span(a, n)
		i := 0
		for i < len(s) && s[i] == c {
			i++
		}
		m.ds[m.sp-2], m.ds[m.sp-1] = a+Cell(i), n-Cell(i)
	}},
	{name: "toupper", fn: unop(func(c Cell) Cell {
		if 'a' <= c && c <= 'z' {
			return c - 32
		}
		return c
	})},
	{name: "save-mem", fn: func(m *Machine) {
		m.need(2)
		a, n := m.ds[m.sp-2], m.ds[m.sp-1]
		b, ok := m.allocate(n)
		if !ok {
			m.throw(iorNoMem)
		}
		src, dst := m.span2(a, b, n)
		copy(dst, src)
		m.ds[m.sp-2] = b
	}},
}

// The Forth 2012 text substitution words (gforth 0.7.3 lacks them):
// REPLACES names a text, SUBSTITUTE replaces %name% by it (%% by %),
// UNESCAPE doubles each %.
var substWords = []prim{
	{name: "replaces", fn: func(m *Machine) {
		n2 := m.pop()
		name := lower(m.str(m.pop(), n2))
		n1 := m.pop()
		text := m.str(m.pop(), n1)
		if m.substs == nil {
			m.substs = map[string]string{}
		}
		if _, ok := m.substs[name]; !ok && len(m.substs) >= 4096 {
			m.throw(-8)
		}
		m.substs[name] = text
	}},
	{name: "substitute", fn: func(m *Machine) {
		u2 := m.pop()
		a2 := m.pop()
		u1 := m.pop()
		src := []byte(m.str(m.pop(), u1))
		dst := m.span(a2, u2)
		m.countBytes(u1)
		var out []byte
		n := Cell(0)
		for i := 0; i < len(src); i++ {
			c := src[i]
			if c != '%' {
				out = append(out, c)
				continue
			}
			j := bytes.IndexByte(src[i+1:], '%')
			if j < 0 {
				out = append(out, src[i:]...)
				break
			}
			name := src[i+1 : i+1+j]
			switch text, ok := m.substs[lower(string(name))]; {
			case j == 0:
				out = append(out, '%')
			case ok:
				out = append(out, text...)
				n++
			default:
				out = append(out, src[i:i+j+2]...)
			}
			i += j + 1
		}
		if Cell(len(out)) > u2 {
			m.push2(a2, 0)
			m.push(-78) // the buffer is too small
			return
		}
		copy(dst, out)
		m.push2(a2, Cell(len(out)))
		m.push(n)
	}},
	{name: "unescape", fn: func(m *Machine) {
		a2 := m.pop()
		u1 := m.pop()
		src := []byte(m.str(m.pop(), u1))
		out := bytes.ReplaceAll(src, []byte("%"), []byte("%%"))
		copy(m.span(a2, Cell(len(out))), out)
		m.push2(a2, Cell(len(out)))
	}},
}
