package machine

import (
	"math/big"
	"math/bits"

	"github.com/fastforth/fastforth/analysis/number"
)

// The double-number word set and number conversion.

// dbinop makes ( d1 d2 -- d3 ).
func dbinop(f func(l1, h1, l2, h2 Cell) (Cell, Cell)) func(*Machine) {
	return func(m *Machine) {
		m.need(4)
		s := m.ds[m.sp-4 : m.sp]
		s[0], s[1] = f(s[0], s[1], s[2], s[3])
		m.sp -= 2
	}
}

// dcmp makes ( d1 d2 -- flag ).
func dcmp(f func(l1, h1, l2, h2 Cell) bool) func(*Machine) {
	return func(m *Machine) {
		m.need(4)
		s := m.ds[m.sp-4 : m.sp]
		s[0] = flag(f(s[0], s[1], s[2], s[3]))
		m.sp -= 3
	}
}

// d0cmp makes ( d -- flag ).
func d0cmp(f func(lo, hi Cell) bool) func(*Machine) {
	return func(m *Machine) {
		m.need(2)
		m.ds[m.sp-2] = flag(f(m.ds[m.sp-2], m.ds[m.sp-1]))
		m.sp--
	}
}

// dunop makes ( d1 -- d2 ).
func dunop(f func(lo, hi Cell) (Cell, Cell)) func(*Machine) {
	return func(m *Machine) {
		m.need(2)
		m.ds[m.sp-2], m.ds[m.sp-1] = f(m.ds[m.sp-2], m.ds[m.sp-1])
	}
}

var doubleWords = []prim{
	{name: "d+", fn: dbinop(dadd)},
	{name: "d-", fn: dbinop(dsub)},
	{name: "dnegate", fn: dunop(dneg)},
	{name: "dabs", fn: dunop(dabs)},
	{name: "d2*", fn: dunop(func(lo, hi Cell) (Cell, Cell) {
		return lo << 1, hi<<1 | Cell(uint64(lo)>>63)
	})},
	{name: "d2/", fn: dunop(func(lo, hi Cell) (Cell, Cell) {
		return Cell(uint64(lo)>>1 | uint64(hi)<<63), hi >> 1
	})},
	{name: "dmax", fn: dbinop(func(l1, h1, l2, h2 Cell) (Cell, Cell) {
		if dless(l1, h1, l2, h2) {
			return l2, h2
		}
		return l1, h1
	})},
	{name: "dmin", fn: dbinop(func(l1, h1, l2, h2 Cell) (Cell, Cell) {
		if dless(l1, h1, l2, h2) {
			return l1, h1
		}
		return l2, h2
	})},
	{name: "d=", fn: dcmp(func(l1, h1, l2, h2 Cell) bool { return l1 == l2 && h1 == h2 })},
	{name: "d<>", fn: dcmp(func(l1, h1, l2, h2 Cell) bool { return l1 != l2 || h1 != h2 })},
	{name: "d<", fn: dcmp(dless)},
	{name: "d>", fn: dcmp(func(l1, h1, l2, h2 Cell) bool { return dless(l2, h2, l1, h1) })},
	{name: "d<=", fn: dcmp(func(l1, h1, l2, h2 Cell) bool { return !dless(l2, h2, l1, h1) })},
	{name: "d>=", fn: dcmp(func(l1, h1, l2, h2 Cell) bool { return !dless(l1, h1, l2, h2) })},
	{name: "du<", fn: dcmp(duless)},
	{name: "du>", fn: dcmp(func(l1, h1, l2, h2 Cell) bool { return duless(l2, h2, l1, h1) })},
	{name: "du<=", fn: dcmp(func(l1, h1, l2, h2 Cell) bool { return !duless(l2, h2, l1, h1) })},
	{name: "du>=", fn: dcmp(func(l1, h1, l2, h2 Cell) bool { return !duless(l1, h1, l2, h2) })},
	{name: "d0=", fn: d0cmp(func(lo, hi Cell) bool { return lo == 0 && hi == 0 })},
	{name: "d0<>", fn: d0cmp(func(lo, hi Cell) bool { return lo != 0 || hi != 0 })},
	{name: "d0<", fn: d0cmp(func(lo, hi Cell) bool { return hi < 0 })},
	{name: "d0>", fn: d0cmp(func(lo, hi Cell) bool { return hi > 0 || hi == 0 && lo != 0 })},
	{name: "d0<=", fn: d0cmp(func(lo, hi Cell) bool { return hi < 0 || hi == 0 && lo == 0 })},
	{name: "d0>=", fn: d0cmp(func(lo, hi Cell) bool { return hi >= 0 })},
	{name: "d>s", fn: func(m *Machine) { m.need(2); m.sp-- }},
	{name: "m+", fn: func(m *Machine) {
		m.need(3)
		n := m.ds[m.sp-1]
		m.ds[m.sp-3], m.ds[m.sp-2] = dadd(m.ds[m.sp-3], m.ds[m.sp-2], n, n>>63)
		m.sp--
	}},
	{name: "m*/", fn: func(m *Machine) {
		m.need(4)
		lo, hi, n1, n2 := m.ds[m.sp-4], m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1]
		q := m.mstarslash(lo, hi, n1, n2)
		m.sp -= 2
		m.ds[m.sp-2], m.ds[m.sp-1] = q[0], q[1]
	}},
	{name: "ud/mod", fn: func(m *Machine) {
		m.need(3)
		u := m.ds[m.sp-1]
		if u == 0 {
			m.throw(-10)
		}
		qlo, qhi, r := udivmod128(uint64(m.ds[m.sp-3]), uint64(m.ds[m.sp-2]), uint64(u))
		m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1] = Cell(r), Cell(qlo), Cell(qhi)
	}},
	{name: ">number", fn: func(m *Machine) {
		m.need(4)
		lo, hi, a, n := uint64(m.ds[m.sp-4]), uint64(m.ds[m.sp-3]), m.ds[m.sp-2], m.ds[m.sp-1]
		b := uint64(m.fetch(varBase))
		m.countBytes(n)
		for n > 0 {
			d := digitValue(byte(m.cfetch(a)))
			if d >= b {
				break
			}
			h, l := bits.Mul64(lo, b)
			hi = hi*b + h
			var c uint64
			lo, c = bits.Add64(l, d, 0)
			hi += c
			a++
			n--
		}
		m.ds[m.sp-4], m.ds[m.sp-3], m.ds[m.sp-2], m.ds[m.sp-1] = Cell(lo), Cell(hi), a, n
	}},
	{name: "s>number?", fn: func(m *Machine) {
		n := m.pop()
		s := m.span(m.pop(), n)
		v, ok := number.Parse(s, int(m.fetch(varBase)), false)
		if !ok {
			m.push2(0, 0)
			m.push(0)
			return
		}
		if v.Kind == number.Single {
			v.Hi = v.Lo >> 63
		}
		m.push2(v.Lo, v.Hi)
		m.push(-1)
	}},
	{name: "s>unumber?", fn: func(m *Machine) {
		n := m.pop()
		s := m.span(m.pop(), n)
		v, ok := number.Parse(s, int(m.fetch(varBase)), false)
		if !ok {
			m.push2(0, 0)
			m.push(0)
			return
		}
		if v.Kind == number.Single {
			v.Hi = 0
		}
		m.push2(v.Lo, v.Hi)
		m.push(-1)
	}},
}

// digitValue is the value of a digit character (letters of either case
// are 10..35), or 255.
func digitValue(c byte) uint64 {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0')
	case 'a' <= c && c <= 'z':
		return uint64(c-'a') + 10
	case 'A' <= c && c <= 'Z':
		return uint64(c-'A') + 10
	}
	return 255
}

// mstarslash is M*/ as gforth's: d*n1/n2 with a triple intermediate,
// floored; an overflowing quotient THROWs -10.
func (m *Machine) mstarslash(lo, hi, n1, n2 Cell) [2]Cell {
	if n2 == 0 {
		m.throw(-10)
	}
	d := new(big.Int).Lsh(big.NewInt(hi), 64)
	d.Add(d, new(big.Int).SetUint64(uint64(lo)))
	d.Mul(d, big.NewInt(n1))
	q := new(big.Int)
	mod := new(big.Int)
	q.DivMod(d, big.NewInt(n2), mod) // Euclidean: adjust to floored
	if mod.Sign() != 0 && n2 < 0 {
		q.Add(q, big.NewInt(1))
	}
	limit := new(big.Int).Lsh(big.NewInt(1), 127)
	if q.Cmp(limit) >= 0 || q.Cmp(new(big.Int).Neg(limit)) < 0 {
		m.throw(-10)
	}
	qlo := new(big.Int).And(q, new(big.Int).SetUint64(^uint64(0)))
	qhi := new(big.Int).Rsh(q, 64)
	return [2]Cell{Cell(qlo.Uint64()), qhi.Int64()}
}
