package machine

import "math/bits"

// Double-cell arithmetic. A double is (lo, hi) with hi the signed high
// cell. Division follows gforth 0.7.3 on amd64: a zero divisor or a
// quotient that does not fit (the processor's divide trap) THROWs -10;
// floored adjustments that overflow THROW -11.

func dneg(lo, hi Cell) (Cell, Cell) {
	l, b := bits.Sub64(0, uint64(lo), 0)
	h, _ := bits.Sub64(0, uint64(hi), b)
	return Cell(l), Cell(h)
}

func dadd(l1, h1, l2, h2 Cell) (Cell, Cell) {
	l, c := bits.Add64(uint64(l1), uint64(l2), 0)
	h, _ := bits.Add64(uint64(h1), uint64(h2), c)
	return Cell(l), Cell(h)
}

func dsub(l1, h1, l2, h2 Cell) (Cell, Cell) {
	l, b := bits.Sub64(uint64(l1), uint64(l2), 0)
	h, _ := bits.Sub64(uint64(h1), uint64(h2), b)
	return Cell(l), Cell(h)
}

func dabs(lo, hi Cell) (Cell, Cell) {
	if hi < 0 {
		return dneg(lo, hi)
	}
	return lo, hi
}

// dless compares doubles, signed.
func dless(l1, h1, l2, h2 Cell) bool {
	if h1 != h2 {
		return h1 < h2
	}
	return uint64(l1) < uint64(l2)
}

func duless(l1, h1, l2, h2 Cell) bool {
	if h1 != h2 {
		return uint64(h1) < uint64(h2)
	}
	return uint64(l1) < uint64(l2)
}

// mstar is the signed double product.
func mstar(a, b Cell) (Cell, Cell) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	h := Cell(hi)
	if a < 0 {
		h -= b
	}
	if b < 0 {
		h -= a
	}
	return Cell(lo), h
}

func umstar(a, b Cell) (Cell, Cell) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	return Cell(lo), Cell(hi)
}

// umslashmod divides an unsigned double by an unsigned cell.
func (m *Machine) umslashmod(lo, hi, u Cell) (rem, quot Cell) {
	if u == 0 || uint64(hi) >= uint64(u) {
		m.throw(-10)
	}
	q, r := bits.Div64(uint64(hi), uint64(lo), uint64(u))
	return Cell(r), Cell(q)
}

// smslashrem is symmetric division of a double by a cell.
func (m *Machine) smslashrem(lo, hi, n Cell) (rem, quot Cell) {
	if n == 0 {
		m.throw(-10)
	}
	al, ah := dabs(lo, hi)
	an := n
	if an < 0 {
		an = -an
	}
	if uint64(ah) >= uint64(an) {
		m.throw(-10)
	}
	q, r := bits.Div64(uint64(ah), uint64(al), uint64(an))
	neg := (hi < 0) != (n < 0)
	if neg {
		if q > 1<<63 {
			m.throw(-10)
		}
		quot = -Cell(q)
	} else {
		if q >= 1<<63 {
			m.throw(-10)
		}
		quot = Cell(q)
	}
	rem = Cell(r)
	if hi < 0 {
		rem = -rem
	}
	return rem, quot
}

// fmslashmod is floored division of a double by a cell.
func (m *Machine) fmslashmod(lo, hi, n Cell) (rem, quot Cell) {
	rem, quot = m.smslashrem(lo, hi, n)
	if rem != 0 && (hi < 0) != (n < 0) {
		if quot == minCell {
			m.throw(-11)
		}
		quot--
		rem += n
	}
	return rem, quot
}

const (
	minCell = -1 << 63
	maxCell = 1<<63 - 1
)

// divmod is gforth's floored / and MOD on cells.
func (m *Machine) divmod(a, b Cell) (rem, quot Cell) {
	if b == 0 {
		m.throw(-10)
	}
	if b == -1 && a == minCell {
		m.throw(-11)
	}
	q, r := a/b, a%b
	if (a^b) < 0 && r != 0 {
		q--
		r += b
	}
	return r, q
}

// udivmod128 divides an unsigned 128-bit number by a cell (no overflow):
// the quotient is 128 bits.
func udivmod128(lo, hi uint64, d uint64) (qlo, qhi, r uint64) {
	qhi = hi / d
	r = hi % d
	qlo, r = bits.Div64(r, lo, d)
	return
}
