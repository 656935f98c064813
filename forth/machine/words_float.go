package machine

import (
	"encoding/binary"
	"math"
	"math/big"
	"strconv"
)

// The floating-point word set (a separate float stack of float64, as
// gforth's) and its output words, which print exactly as gforth 0.7.3's.

func fbinop(f func(a, b float64) float64) func(*Machine) {
	return func(m *Machine) {
		m.fneed(2)
		m.fp--
		m.fs[m.fp-1] = f(m.fs[m.fp-1], m.fs[m.fp])
	}
}

func funop(f func(a float64) float64) func(*Machine) {
	return func(m *Machine) {
		m.fneed(1)
		m.fs[m.fp-1] = f(m.fs[m.fp-1])
	}
}

func fcmp(f func(a, b float64) bool) func(*Machine) {
	return func(m *Machine) {
		m.fneed(2)
		m.fp -= 2
		m.pushBool(f(m.fs[m.fp], m.fs[m.fp+1]))
	}
}

func fcmp0(f func(a float64) bool) func(*Machine) {
	return func(m *Machine) { m.pushBool(f(m.fpop())) }
}

// ftoi is C's (int64)r on amd64: out of range and NaN give the minimum.
func ftoi(r float64) Cell {
	if math.IsNaN(r) || r >= 9223372036854775808.0 || r < -9223372036854775808.0 {
		return minCell
	}
	return Cell(r)
}

var floatWords = []prim{
	{name: "f+", fn: fbinop(func(a, b float64) float64 { return a + b })},
	{name: "f-", fn: fbinop(func(a, b float64) float64 { return a - b })},
	{name: "f*", fn: fbinop(func(a, b float64) float64 { return a * b })},
	{name: "f/", fn: fbinop(func(a, b float64) float64 { return a / b })},
	{name: "f**", fn: fbinop(math.Pow)},
	{name: "fnegate", fn: funop(func(a float64) float64 { return -a })},
	{name: "fabs", fn: funop(math.Abs)},
	{name: "fmax", fn: fbinop(func(a, b float64) float64 {
		if a < b {
			return b
		}
		return a
	})},
	{name: "fmin", fn: fbinop(func(a, b float64) float64 {
		if a < b {
			return a
		}
		return b
	})},
	{name: "floor", fn: funop(math.Floor)},
	{name: "fround", fn: funop(math.RoundToEven)},
	// gforth's FTRUNC is F>D D>F (so -0.5 truncates to +0).
	{name: "ftrunc", fn: funop(func(a float64) float64 { return dtof(ftod(a)) })},
	{name: "fsqrt", fn: funop(math.Sqrt)},
	{name: "fexp", fn: funop(math.Exp)},
	{name: "fexpm1", fn: funop(math.Expm1)},
	{name: "fln", fn: funop(math.Log)},
	{name: "flnp1", fn: funop(math.Log1p)},
	{name: "flog", fn: funop(math.Log10)},
	{name: "falog", fn: funop(func(a float64) float64 { return math.Pow(10, a) })},
	{name: "fsin", fn: funop(math.Sin)},
	{name: "fcos", fn: funop(math.Cos)},
	{name: "ftan", fn: funop(math.Tan)},
	{name: "fasin", fn: funop(math.Asin)},
	{name: "facos", fn: funop(math.Acos)},
	{name: "fatan", fn: funop(math.Atan)},
	{name: "fatan2", fn: fbinop(math.Atan2)},
	{name: "fsinh", fn: funop(math.Sinh)},
	{name: "fcosh", fn: funop(math.Cosh)},
	{name: "ftanh", fn: funop(math.Tanh)},
	{name: "fasinh", fn: funop(math.Asinh)},
	{name: "facosh", fn: funop(math.Acosh)},
	{name: "fatanh", fn: funop(math.Atanh)},
	{name: "fsincos", fn: func(m *Machine) {
		r := m.fpop()
		m.fpush(math.Sin(r))
		m.fpush(math.Cos(r))
	}},
	{name: "f2*", fn: funop(func(a float64) float64 { return a * 2 })},
	{name: "f2/", fn: funop(func(a float64) float64 { return a * 0.5 })},
	{name: "1/f", fn: funop(func(a float64) float64 { return 1 / a })},
	{name: "pi", fn: func(m *Machine) { m.fpush(math.Pi) }},
	{name: "fdup", fn: func(m *Machine) { m.fneed(1); m.fpush(m.fs[m.fp-1]) }},
	{name: "fdrop", fn: func(m *Machine) { m.fneed(1); m.fp-- }},
	{name: "fswap", fn: func(m *Machine) {
		m.fneed(2)
		m.fs[m.fp-1], m.fs[m.fp-2] = m.fs[m.fp-2], m.fs[m.fp-1]
	}},
	{name: "fover", fn: func(m *Machine) { m.fneed(2); m.fpush(m.fs[m.fp-2]) }},
	{name: "frot", fn: func(m *Machine) {
		m.fneed(3)
		s := m.fs[m.fp-3 : m.fp]
		s[0], s[1], s[2] = s[1], s[2], s[0]
	}},
	{name: "fnip", fn: func(m *Machine) { m.fneed(2); m.fs[m.fp-2] = m.fs[m.fp-1]; m.fp-- }},
	{name: "ftuck", fn: func(m *Machine) {
		m.fneed(2)
		a, b := m.fs[m.fp-2], m.fs[m.fp-1]
		m.fs[m.fp-2], m.fs[m.fp-1] = b, a
		m.fpush(b)
	}},
	{name: "fpick", fn: func(m *Machine) {
		n := m.pop()
		if n < 0 || n >= Cell(m.fp) {
			m.throw(-45)
		}
		m.fpush(m.fs[m.fp-1-int(n)])
	}},
	{name: "fdepth", fn: func(m *Machine) { m.push(Cell(m.fp)) }},
	{name: "f@", fn: func(m *Machine) { m.fpush(m.ffetch(m.pop())) }},
	{name: "f!", fn: func(m *Machine) { m.fstore(m.pop(), m.fpop()) }},
	{name: "df@", fn: func(m *Machine) { m.fpush(m.ffetch(m.pop())) }},
	{name: "df!", fn: func(m *Machine) { m.fstore(m.pop(), m.fpop()) }},
	{name: "sf@", fn: func(m *Machine) {
		b := m.span(m.pop(), 4)
		m.fpush(float64(math.Float32frombits(binary.LittleEndian.Uint32(b))))
	}},
	{name: "sf!", fn: func(m *Machine) {
		b := m.span(m.pop(), 4)
		binary.LittleEndian.PutUint32(b, math.Float32bits(float32(m.fpop())))
	}},
	{name: "f,", fn: func(m *Machine) {
		a := m.here()
		m.allot(8)
		m.fstore(a, m.fpop())
	}},
	{name: "floats", fn: unop(func(a Cell) Cell { return a * 8 })},
	{name: "float+", fn: unop(func(a Cell) Cell { return a + 8 })},
	{name: "dfloats", fn: unop(func(a Cell) Cell { return a * 8 })},
	{name: "dfloat+", fn: unop(func(a Cell) Cell { return a + 8 })},
	{name: "sfloats", fn: unop(func(a Cell) Cell { return a * 4 })},
	{name: "sfloat+", fn: unop(func(a Cell) Cell { return a + 4 })},
	{name: "faligned", fn: unop(aligned)},
	{name: "dfaligned", fn: unop(aligned)},
	{name: "sfaligned", fn: unop(func(a Cell) Cell { return (a + 3) &^ 3 })},
	{name: "falign", fn: func(m *Machine) { m.align() }},
	{name: "dfalign", fn: func(m *Machine) { m.align() }},
	{name: "sfalign", fn: func(m *Machine) {
		for m.here()%4 != 0 {
			m.ccomma(' ')
		}
	}},
	{name: "fconstant", fn: func(m *Machine) {
		r := m.fpop()
		m.fstore(m.dataWord(kFConstant, 8), r)
	}},
	{name: "fvariable", fn: func(m *Machine) { m.dataWord(kCreate, 8) }},
	{name: "fvalue", fn: func(m *Machine) {
		r := m.fpop()
		m.fstore(m.dataWord(kFValue, 8), r)
	}},
	{name: "fliteral", fn: func(m *Machine) { m.floatLit(m.fpop()) }, flags: compileOnly},
	{name: "d>f", fn: func(m *Machine) {
		lo, hi := m.pop2()
		m.fpush(dtof(lo, hi))
	}},
	{name: "f>d", fn: func(m *Machine) { m.push2(ftod(m.fpop())) }},
	{name: "s>f", fn: func(m *Machine) { m.fpush(float64(m.pop())) }},
	{name: "f>s", fn: func(m *Machine) { m.push(ftoi(m.fpop())) }},
	{name: "f0<", fn: fcmp0(func(a float64) bool { return a < 0 })},
	{name: "f0=", fn: fcmp0(func(a float64) bool { return a == 0 })},
	{name: "f0>", fn: fcmp0(func(a float64) bool { return a > 0 })},
	{name: "f0<>", fn: fcmp0(func(a float64) bool { return a != 0 })},
	{name: "f0<=", fn: fcmp0(func(a float64) bool { return a <= 0 })},
	{name: "f0>=", fn: fcmp0(func(a float64) bool { return a >= 0 })},
	{name: "f<", fn: fcmp(func(a, b float64) bool { return a < b })},
	{name: "f=", fn: fcmp(func(a, b float64) bool { return a == b })},
	{name: "f<>", fn: fcmp(func(a, b float64) bool { return a != b })},
	{name: "f>", fn: fcmp(func(a, b float64) bool { return a > b })},
	{name: "f<=", fn: fcmp(func(a, b float64) bool { return a <= b })},
	{name: "f>=", fn: fcmp(func(a, b float64) bool { return a >= b })},
	{name: "f~", fn: func(m *Machine) {
		m.fneed(3)
		r1, r2, r3 := m.fs[m.fp-3], m.fs[m.fp-2], m.fs[m.fp-1]
		m.fp -= 3
		switch {
		case r3 == 0:
			m.pushBool(math.Float64bits(r1) == math.Float64bits(r2))
		case r3 > 0:
			m.pushBool(math.Abs(r1-r2) < r3)
		default:
			m.pushBool(math.Abs(r1-r2) < -r3*(math.Abs(r1)+math.Abs(r2)))
		}
	}},
	{name: "f~abs", fn: func(m *Machine) {
		m.fneed(3)
		r1, r2, r3 := m.fs[m.fp-3], m.fs[m.fp-2], m.fs[m.fp-1]
		m.fp -= 3
		m.pushBool(math.Abs(r1-r2) < r3)
	}},
	{name: "f~rel", fn: func(m *Machine) {
		m.fneed(3)
		r1, r2, r3 := m.fs[m.fp-3], m.fs[m.fp-2], m.fs[m.fp-1]
		m.fp -= 3
		m.pushBool(math.Abs(r1-r2) < r3*(math.Abs(r1)+math.Abs(r2)))
	}},
	{name: ">float", fn: func(m *Machine) {
		n := m.pop()
		r, ok := toFloat(m.span(m.pop(), n))
		if ok {
			m.fpush(r)
		}
		m.pushBool(ok)
	}},
	{name: "represent", fn: func(m *Machine) {
		u := m.pop()
		a := m.pop()
		r := m.fpop()
		if u < 0 || u > 1024 {
			m.throw(-24)
		}
		dst := m.span(a, u)
		sig, n, neg, ok := represent(r, int(u))
		copy(dst, sig)
		m.push(Cell(n))
		m.pushBool(neg)
		m.pushBool(ok)
	}},
	{name: "precision", fn: func(m *Machine) { m.push(Cell(m.precision)) }},
	{name: "set-precision", fn: func(m *Machine) {
		p := m.pop()
		if p < 1 || p > 255 {
			m.throw(-24)
		}
		m.precision = int(p)
	}},
	{name: "f.", fn: func(m *Machine) { m.emitString(fdot(m.fpop(), m.precision)) }},
	{name: "fe.", fn: func(m *Machine) { m.emitString(fedot(m.fpop(), m.precision)) }},
	{name: "fs.", fn: func(m *Machine) { m.emitString(fsdot(m.fpop(), m.precision)) }},
	{name: "f.s", fn: func(m *Machine) {
		m.emitString("<" + strconv.Itoa(m.fp) + "> ")
		for _, r := range m.fs[m.fp-min(m.fp, 9) : m.fp] {
			m.emitString(fedot(r, m.precision))
		}
	}},
}

// dtof converts a double to the nearest float, as C's (double)__int128.
func dtof(lo, hi Cell) float64 {
	if hi == lo>>63 {
		return float64(lo)
	}
	d := new(big.Int).Lsh(big.NewInt(hi), 64)
	d.Add(d, new(big.Int).SetUint64(uint64(lo)))
	f, _ := new(big.Float).SetInt(d).Float64()
	return f
}

// ftod truncates a float to a double as gforth on amd64: out of range
// (infinities too) gives 0, a NaN the minimum.
func ftod(r float64) (Cell, Cell) {
	if math.IsNaN(r) {
		return 0, minCell
	}
	if math.Abs(r) >= 0x1p127 {
		return 0, 0
	}
	if math.Abs(r) < 0x1p63 {
		v := Cell(r)
		return v, v >> 63
	}
	b, _ := big.NewFloat(math.Trunc(r)).Int(nil)
	lo := new(big.Int).And(b, new(big.Int).SetUint64(^uint64(0)))
	hi := new(big.Int).Rsh(b, 64)
	return Cell(lo.Uint64()), hi.Int64()
}

// toFloat is gforth 0.7.3's >FLOAT (its to_float): an optional sign,
// digits with at most one dot, then optionally an exponent marked by
// e, E, d, D or a sign; a string of blanks is 0.
func toFloat(s []byte) (float64, bool) {
	if len(s) == 0 {
		return 0, true
	}
	if s[0] == ' ' {
		for _, c := range s {
			if c != ' ' {
				return 0, false
			}
		}
		return 0, true
	}
	var t []byte
	i := 0
	if s[0] == '-' || s[0] == '+' {
		t = append(t, s[0])
		i++
	}
	digits, dots := 0, 0
	for ; i < len(s); i++ {
		c := s[i]
		if '0' <= c && c <= '9' {
			digits++
		} else if c == '.' {
			dots++
		} else {
			break
		}
		t = append(t, c)
	}
	if digits < 1 || dots > 1 {
		return 0, false
	}
	t = append(t, 'E')
	if i < len(s) {
		switch s[i] {
		case 'd', 'D', 'e', 'E':
			i++
		}
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		t = append(t, s[i])
		i++
	}
	edigits := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		t = append(t, c)
		edigits++
	}
	if edigits == 0 {
		t = append(t, '0')
	}
	r, err := strconv.ParseFloat(string(t), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return r, true
}

// ecvt is glibc's ecvt_r, which gforth's REPRESENT calls: the value is
// first scaled into [1, 10) by a power of ten computed in floating point
// (so large and small exponents lose precision exactly as in gforth),
// then formatted with ndigit significant digits.
func ecvt(value float64, ndigit int) (digits string, decpt int, neg bool) {
	neg = math.Signbit(value)
	if math.IsInf(value, 0) || math.IsNaN(value) {
		s := "inf"
		if math.IsNaN(value) {
			s = "nan"
		}
		if neg {
			s = "-" + s
		}
		return s, 0, neg
	}
	exponent := 0
	if value != 0 {
		d := math.Abs(value)
		f := 1.0
		if d < 1e-307 {
			value /= 1e-307
			d = math.Abs(value)
			exponent += -307
		}
		if d < 1.0 {
			for {
				f *= 10
				exponent--
				if d*f >= 1.0 {
					break
				}
			}
			value *= f
		} else if d >= 10.0 {
			for {
				f *= 10
				exponent++
				if d < f*10 {
					break
				}
			}
			value /= f
		}
	}
	nd := min(ndigit, 17) - 1
	if nd < 0 {
		nd = 0
	}
	s := strconv.FormatFloat(math.Abs(value), 'f', nd, 64)
	// fcvt_r: the digits before the point give decpt; leading zeros of
	// a value below one are dropped.
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	decpt = i
	rest := ""
	if i < len(s) {
		rest = s[i+1:]
	}
	digits = s[:i] + rest
	if decpt == 1 && s[0] == '0' && value != 0 {
		j := 1
		decpt = 0
		for j < len(digits) && digits[j] == '0' {
			decpt--
			j++
		}
		digits = digits[j:]
	}
	return digits, decpt + exponent, neg
}

// represent is REPRESENT: u significant digits (padded with zeros), the
// decimal exponent, the sign and whether the number is finite. For
// infinities and NaNs the digits are gforth's text ("inf", "-nan"),
// padded with blanks.
func represent(r float64, u int) (sig []byte, n int, neg, ok bool) {
	digits, decpt, neg := ecvt(r, u)
	n = decpt
	if r == 0 {
		n = 1
	}
	ok = len(digits) > 0 && digits[0] >= '0' && digits[0] <= '9'
	if len(digits) > u {
		digits = digits[:u]
	}
	pad := byte('0')
	if !ok {
		pad = ' '
	}
	sig = make([]byte, u)
	copy(sig, digits)
	for i := len(digits); i < u; i++ {
		sig[i] = pad
	}
	return sig, n, neg, ok
}

// fdollar is gforth's f$: the sign (printed), the digits and exponent, or
// the text to print for a non-finite number.
func fdollar(r float64, prec int) (prefix string, sig []byte, n int, ok bool) {
	sig, n, neg, ok := represent(r, prec)
	if !ok {
		return string(sig[:min(3, len(sig))]), nil, 0, false
	}
	if neg {
		prefix = "-"
	}
	return prefix, sig, n, true
}

func zeros(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

// fdot is F.
func fdot(r float64, prec int) string {
	out, sig, n, ok := fdollar(r, prec)
	if !ok {
		return out
	}
	if n <= 0 {
		out += "0"
	} else {
		out += string(sig[:min(n, len(sig))]) + zeros(n-prec)
	}
	out += "." + zeros(-n)
	rest := sig[min(max(n, 0), len(sig)):]
	for len(rest) > 0 && rest[len(rest)-1] == '0' {
		rest = rest[:len(rest)-1]
	}
	return out + string(rest) + " "
}

// fedot is FE.
func fedot(r float64, prec int) string {
	out, sig, n, ok := fdollar(r, prec)
	if !ok {
		return out
	}
	e := n - 1
	q := e / 3
	if e%3 != 0 && e < 0 {
		q--
	}
	k := e - 3*q + 1
	lead := min(prec, k)
	out += string(sig[:lead]) + zeros(k-lead) + "."
	if k < len(sig) {
		out += string(sig[k:])
	}
	return out + "E" + strconv.Itoa(3*q) + " "
}

// fsdot is FS.
func fsdot(r float64, prec int) string {
	out, sig, n, ok := fdollar(r, prec)
	if !ok {
		return out
	}
	return out + string(sig[:1]) + "." + string(sig[1:]) + "E" + strconv.Itoa(n-1) + " "
}
