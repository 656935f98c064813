package machine

// The stacks grow (doubling) up to their configured depths; overflow and
// underflow THROW the standard codes.

func (m *Machine) push(v Cell) {
	if m.sp == len(m.ds) {
		m.growData()
	}
	m.ds[m.sp] = v
	m.sp++
}

func (m *Machine) growData() {
	if m.sp >= m.cfg.DataDepth {
		m.throw(-3)
	}
	n := min(2*len(m.ds)+8, m.cfg.DataDepth)
	m.ds = append(m.ds, make([]Cell, n-len(m.ds))...)
}

func (m *Machine) pop() Cell {
	if m.sp <= 0 {
		m.throw(-4)
	}
	m.sp--
	return m.ds[m.sp]
}

// need throws stack underflow unless the data stack holds n cells.
func (m *Machine) need(n int) {
	if m.sp < n {
		m.throw(-4)
	}
}

// room makes space for n more cells.
func (m *Machine) room(n int) {
	for m.sp+n > len(m.ds) {
		if m.sp+n > m.cfg.DataDepth {
			m.throw(-3)
		}
		m.growData()
	}
}

func (m *Machine) top() Cell {
	if m.sp <= 0 {
		m.throw(-4)
	}
	return m.ds[m.sp-1]
}

func (m *Machine) push2(lo, hi Cell) {
	m.push(lo)
	m.push(hi)
}

// pop2 pops a double: hi was on top.
func (m *Machine) pop2() (lo, hi Cell) {
	m.need(2)
	m.sp -= 2
	return m.ds[m.sp], m.ds[m.sp+1]
}

func (m *Machine) pushBool(b bool) {
	if b {
		m.push(-1)
	} else {
		m.push(0)
	}
}

func flag(b bool) Cell {
	if b {
		return -1
	}
	return 0
}

func (m *Machine) rpush(v Cell) {
	if m.rp == len(m.rs) {
		if m.rp >= m.cfg.ReturnDepth {
			m.throw(-5)
		}
		n := min(2*len(m.rs)+8, m.cfg.ReturnDepth)
		m.rs = append(m.rs, make([]Cell, n-len(m.rs))...)
	}
	m.rs[m.rp] = v
	m.rp++
}

func (m *Machine) rpop() Cell {
	if m.rp <= 0 {
		m.throw(-6)
	}
	m.rp--
	return m.rs[m.rp]
}

func (m *Machine) rneed(n int) {
	if m.rp < n {
		m.throw(-6)
	}
}

func (m *Machine) fpush(f float64) {
	if m.fp == len(m.fs) {
		if m.fp >= m.cfg.FloatDepth {
			m.throw(-44)
		}
		n := min(2*len(m.fs)+8, m.cfg.FloatDepth)
		m.fs = append(m.fs, make([]float64, n-len(m.fs))...)
	}
	m.fs[m.fp] = f
	m.fp++
}

func (m *Machine) fpop() float64 {
	if m.fp <= 0 {
		m.throw(-45)
	}
	m.fp--
	return m.fs[m.fp]
}

func (m *Machine) fneed(n int) {
	if m.fp < n {
		m.throw(-45)
	}
}

func (m *Machine) lpush(v Cell) {
	if m.lp == len(m.ls) {
		if m.lp >= m.cfg.LocalsDepth {
			m.throw(-5)
		}
		n := min(2*len(m.ls)+8, m.cfg.LocalsDepth)
		m.ls = append(m.ls, make([]Cell, n-len(m.ls))...)
	}
	m.ls[m.lp] = v
	m.lp++
}
