package patterns

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// A fast evaluator of pure Forth words in Go, for the synthesis (which
// runs millions of short programs): stack, arithmetic, logic and
// comparison words on 64-bit cells, and the common float words, with
// exactly the in-process machine's (and gforth 0.7.3's) semantics:
// floored division, a zero divisor THROWs -10, an overflowing quotient
// -11 (or -10 for */), shift counts modulo 64. TestEvalAgreesWithMachine
// checks it against the machine on random programs.

// maxDepth bounds the stacks of an evaluated program.
const maxDepth = 12

// evalState is the stacks of one run.
type evalState struct {
	ds  [maxDepth]int64
	fs  [maxDepth]float64
	sp  int8
	fp  int8
	err int16 // THROW code, 0 while running
}

// op is one word (or literal) of the evaluator.
type op struct {
	name string
	// in, out and fin, fout are the cells and floats it takes and
	// leaves.
	in, out, fin, fout int8
	fn                 func(s *evalState)
	lit                int64
	flit               float64
	kind               opKind
	// commutes: swap before it changes nothing (a binary operator
	// whose operands commute).
	commutes bool
}

type opKind uint8

const (
	opWord opKind = iota
	opLit
	opFLit
)

// apply runs o on s (which must hold its inputs and have room).
func (o *op) apply(s *evalState) {
	switch o.kind {
	case opLit:
		s.ds[s.sp] = o.lit
		s.sp++
	case opFLit:
		s.fs[s.fp] = o.flit
		s.fp++
	default:
		o.fn(s)
	}
}

func flagOf(b bool) int64 {
	if b {
		return -1
	}
	return 0
}

func un(f func(a int64) int64) func(*evalState) {
	return func(s *evalState) { s.ds[s.sp-1] = f(s.ds[s.sp-1]) }
}

func bin(f func(a, b int64) int64) func(*evalState) {
	return func(s *evalState) {
		s.sp--
		s.ds[s.sp-1] = f(s.ds[s.sp-1], s.ds[s.sp])
	}
}

func cmp(f func(a, b int64) bool) func(*evalState) {
	return bin(func(a, b int64) int64 { return flagOf(f(a, b)) })
}

func fun(f func(a float64) float64) func(*evalState) {
	return func(s *evalState) { s.fs[s.fp-1] = f(s.fs[s.fp-1]) }
}

func fbin(f func(a, b float64) float64) func(*evalState) {
	return func(s *evalState) {
		s.fp--
		s.fs[s.fp-1] = f(s.fs[s.fp-1], s.fs[s.fp])
	}
}

const minInt = math.MinInt64

// divmod is floored division; code is the THROW code (0: none).
func divmod(a, b int64) (rem, quot int64, code int16) {
	if b == 0 {
		return 0, 0, -10
	}
	if b == -1 && a == minInt {
		return 0, 0, -11
	}
	q, r := a/b, a%b
	if (a^b) < 0 && r != 0 {
		q--
		r += b
	}
	return r, q, 0
}

// starSlash is */ and */MOD: n1*n2 (a double) divided by n3, floored.
func starSlash(n1, n2, n3 int64) (rem, quot int64, code int16) {
	hiU, loU := bits.Mul64(uint64(n1), uint64(n2))
	hi := int64(hiU)
	if n1 < 0 {
		hi -= n2
	}
	if n2 < 0 {
		hi -= n1
	}
	return fmMod(int64(loU), hi, n3)
}

// smRem is SM/REM: symmetric division of the double lo hi by n, as the
// machine (forth/machine, checked against gforth) divides.
func smRem(lo, hi, n int64) (rem, quot int64, code int16) {
	if n == 0 {
		return 0, 0, -10
	}
	al, ah := uint64(lo), uint64(hi)
	if hi < 0 {
		al = -al
		ah = ^ah
		if al == 0 {
			ah++
		}
	}
	an := uint64(n)
	if n < 0 {
		an = -an
	}
	if ah >= an {
		return 0, 0, -10
	}
	q, r := bits.Div64(ah, al, an)
	if (hi < 0) != (n < 0) {
		if q > 1<<63 {
			return 0, 0, -10
		}
		quot = -int64(q)
	} else {
		if q >= 1<<63 {
			return 0, 0, -10
		}
		quot = int64(q)
	}
	rem = int64(r)
	if hi < 0 {
		rem = -rem
	}
	return rem, quot, 0
}

// fmMod is FM/MOD: floored division of the double lo hi by n.
func fmMod(lo, hi, n int64) (rem, quot int64, code int16) {
	rem, quot, code = smRem(lo, hi, n)
	if code == 0 && rem != 0 && (hi < 0) != (n < 0) {
		if quot == minInt {
			return 0, 0, -11
		}
		quot--
		rem += n
	}
	return rem, quot, code
}

// umMod is UM/MOD: unsigned division of the double lo hi by u.
func umMod(lo, hi, u int64) (rem, quot int64, code int16) {
	if u == 0 || uint64(hi) >= uint64(u) {
		return 0, 0, -10
	}
	q, r := bits.Div64(uint64(hi), uint64(lo), uint64(u))
	return int64(r), int64(q), 0
}

func ftoi(r float64) int64 {
	if math.IsNaN(r) || r >= 9223372036854775808.0 || r < -9223372036854775808.0 {
		return minInt
	}
	return int64(r)
}

// divop is a division of a double by a cell leaving the remainder and
// the quotient (UM/MOD, SM/REM, FM/MOD).
func divop(f func(lo, hi, n int64) (int64, int64, int16)) func(*evalState) {
	return func(s *evalState) {
		r, q, e := f(s.ds[s.sp-3], s.ds[s.sp-2], s.ds[s.sp-1])
		s.sp--
		s.ds[s.sp-2], s.ds[s.sp-1], s.err = r, q, e
	}
}

// evalWords are the words the evaluator knows, by name.
var evalWords = func() map[string]*op {
	ws := []*op{
		{name: "dup", in: 1, out: 2, fn: func(s *evalState) { s.ds[s.sp] = s.ds[s.sp-1]; s.sp++ }},
		{name: "drop", in: 1, out: 0, fn: func(s *evalState) { s.sp-- }},
		{name: "swap", in: 2, out: 2, fn: func(s *evalState) { s.ds[s.sp-1], s.ds[s.sp-2] = s.ds[s.sp-2], s.ds[s.sp-1] }},
		{name: "over", in: 2, out: 3, fn: func(s *evalState) { s.ds[s.sp] = s.ds[s.sp-2]; s.sp++ }},
		{name: "rot", in: 3, out: 3, fn: func(s *evalState) {
			a := s.ds[s.sp-3]
			s.ds[s.sp-3], s.ds[s.sp-2], s.ds[s.sp-1] = s.ds[s.sp-2], s.ds[s.sp-1], a
		}},
		{name: "-rot", in: 3, out: 3, fn: func(s *evalState) {
			c := s.ds[s.sp-1]
			s.ds[s.sp-1], s.ds[s.sp-2], s.ds[s.sp-3] = s.ds[s.sp-2], s.ds[s.sp-3], c
		}},
		{name: "nip", in: 2, out: 1, fn: func(s *evalState) { s.ds[s.sp-2] = s.ds[s.sp-1]; s.sp-- }},
		// A THROW code beyond int16 is not one an example expects:
		// -4095 stands for it (no example can expect it).
		{name: "throw", in: 1, out: 0, fn: func(s *evalState) {
			s.sp--
			if v := s.ds[s.sp]; v != 0 {
				s.err = -4095
				if v >= -4094 && v <= math.MaxInt16 {
					s.err = int16(v)
				}
			}
		}},
		{name: "tuck", in: 2, out: 3, fn: func(s *evalState) {
			a, b := s.ds[s.sp-2], s.ds[s.sp-1]
			s.ds[s.sp-2], s.ds[s.sp-1], s.ds[s.sp] = b, a, b
			s.sp++
		}},
		{name: "2dup", in: 2, out: 4, fn: func(s *evalState) {
			s.ds[s.sp], s.ds[s.sp+1] = s.ds[s.sp-2], s.ds[s.sp-1]
			s.sp += 2
		}},
		{name: "2drop", in: 2, out: 0, fn: func(s *evalState) { s.sp -= 2 }},
		{name: "2swap", in: 4, out: 4, fn: func(s *evalState) {
			p := s.sp
			s.ds[p-4], s.ds[p-3], s.ds[p-2], s.ds[p-1] = s.ds[p-2], s.ds[p-1], s.ds[p-4], s.ds[p-3]
		}},
		{name: "2over", in: 4, out: 6, fn: func(s *evalState) {
			s.ds[s.sp], s.ds[s.sp+1] = s.ds[s.sp-4], s.ds[s.sp-3]
			s.sp += 2
		}},
		{name: "+", in: 2, out: 1, commutes: true, fn: bin(func(a, b int64) int64 { return a + b })},
		{name: "-", in: 2, out: 1, fn: bin(func(a, b int64) int64 { return a - b })},
		{name: "*", in: 2, out: 1, commutes: true, fn: bin(func(a, b int64) int64 { return a * b })},
		{name: "/", in: 2, out: 1, fn: func(s *evalState) {
			_, q, e := divmod(s.ds[s.sp-2], s.ds[s.sp-1])
			s.sp--
			s.ds[s.sp-1], s.err = q, e
		}},
		{name: "mod", in: 2, out: 1, fn: func(s *evalState) {
			r, _, e := divmod(s.ds[s.sp-2], s.ds[s.sp-1])
			s.sp--
			s.ds[s.sp-1], s.err = r, e
		}},
		{name: "/mod", in: 2, out: 2, fn: func(s *evalState) {
			r, q, e := divmod(s.ds[s.sp-2], s.ds[s.sp-1])
			s.ds[s.sp-2], s.ds[s.sp-1], s.err = r, q, e
		}},
		{name: "*/", in: 3, out: 1, fn: func(s *evalState) {
			_, q, e := starSlash(s.ds[s.sp-3], s.ds[s.sp-2], s.ds[s.sp-1])
			s.sp -= 2
			s.ds[s.sp-1], s.err = q, e
		}},
		{name: "1+", in: 1, out: 1, fn: un(func(a int64) int64 { return a + 1 })},
		{name: "1-", in: 1, out: 1, fn: un(func(a int64) int64 { return a - 1 })},
		{name: "2*", in: 1, out: 1, fn: un(func(a int64) int64 { return a << 1 })},
		{name: "2/", in: 1, out: 1, fn: un(func(a int64) int64 { return a >> 1 })},
		{name: "negate", in: 1, out: 1, fn: un(func(a int64) int64 { return -a })},
		{name: "abs", in: 1, out: 1, fn: un(func(a int64) int64 {
			if a < 0 {
				return -a
			}
			return a
		})},
		{name: "min", in: 2, out: 1, commutes: true, fn: bin(func(a, b int64) int64 { return min(a, b) })},
		{name: "max", in: 2, out: 1, commutes: true, fn: bin(func(a, b int64) int64 { return max(a, b) })},
		{name: "lshift", in: 2, out: 1, fn: bin(func(a, b int64) int64 { return int64(uint64(a) << (uint(b) & 63)) })},
		{name: "rshift", in: 2, out: 1, fn: bin(func(a, b int64) int64 { return int64(uint64(a) >> (uint(b) & 63)) })},
		{name: "and", in: 2, out: 1, commutes: true, fn: bin(func(a, b int64) int64 { return a & b })},
		{name: "or", in: 2, out: 1, commutes: true, fn: bin(func(a, b int64) int64 { return a | b })},
		{name: "xor", in: 2, out: 1, commutes: true, fn: bin(func(a, b int64) int64 { return a ^ b })},
		{name: "invert", in: 1, out: 1, fn: un(func(a int64) int64 { return ^a })},
		{name: "=", in: 2, out: 1, commutes: true, fn: cmp(func(a, b int64) bool { return a == b })},
		{name: "<>", in: 2, out: 1, commutes: true, fn: cmp(func(a, b int64) bool { return a != b })},
		{name: "<", in: 2, out: 1, fn: cmp(func(a, b int64) bool { return a < b })},
		{name: ">", in: 2, out: 1, fn: cmp(func(a, b int64) bool { return a > b })},
		{name: "u<", in: 2, out: 1, fn: cmp(func(a, b int64) bool { return uint64(a) < uint64(b) })},
		{name: "u>", in: 2, out: 1, fn: cmp(func(a, b int64) bool { return uint64(a) > uint64(b) })},
		{name: "0=", in: 1, out: 1, fn: un(func(a int64) int64 { return flagOf(a == 0) })},
		{name: "0<>", in: 1, out: 1, fn: un(func(a int64) int64 { return flagOf(a != 0) })},
		{name: "0<", in: 1, out: 1, fn: un(func(a int64) int64 { return flagOf(a < 0) })},
		{name: "0>", in: 1, out: 1, fn: un(func(a int64) int64 { return flagOf(a > 0) })},
		{name: "within", in: 3, out: 1, fn: func(s *evalState) {
			n, lo, hi := s.ds[s.sp-3], s.ds[s.sp-2], s.ds[s.sp-1]
			s.sp -= 2
			s.ds[s.sp-1] = flagOf(uint64(n-lo) < uint64(hi-lo))
		}},
		// Doubles: a double is two cells, the high one on top.
		{name: "s>d", in: 1, out: 2, fn: func(s *evalState) {
			s.ds[s.sp] = s.ds[s.sp-1] >> 63
			s.sp++
		}},
		{name: "d>s", in: 2, out: 1, fn: func(s *evalState) { s.sp-- }},
		{name: "d+", in: 4, out: 2, fn: dbin(func(a, b [2]uint64) [2]uint64 { return dadd(a, b) })},
		{name: "d-", in: 4, out: 2, fn: dbin(func(a, b [2]uint64) [2]uint64 { return dadd(a, dneg(b)) })},
		{name: "dnegate", in: 2, out: 2, fn: dun(dneg)},
		{name: "dabs", in: 2, out: 2, fn: dun(func(a [2]uint64) [2]uint64 {
			if int64(a[1]) < 0 {
				return dneg(a)
			}
			return a
		})},
		{name: "dmax", in: 4, out: 2, commutes: true, fn: dbin(func(a, b [2]uint64) [2]uint64 {
			if dless(a, b) {
				return b
			}
			return a
		})},
		{name: "dmin", in: 4, out: 2, commutes: true, fn: dbin(func(a, b [2]uint64) [2]uint64 {
			if dless(a, b) {
				return a
			}
			return b
		})},
		{name: "d2*", in: 2, out: 2, fn: dun(func(a [2]uint64) [2]uint64 { return [2]uint64{a[0] << 1, a[1]<<1 | a[0]>>63} })},
		{name: "d2/", in: 2, out: 2, fn: dun(func(a [2]uint64) [2]uint64 {
			return [2]uint64{a[0]>>1 | a[1]<<63, uint64(int64(a[1]) >> 1)}
		})},
		{name: "um*", in: 2, out: 2, fn: func(s *evalState) {
			hi, lo := bits.Mul64(uint64(s.ds[s.sp-2]), uint64(s.ds[s.sp-1]))
			s.ds[s.sp-2], s.ds[s.sp-1] = int64(lo), int64(hi)
		}},
		{name: "m*", in: 2, out: 2, fn: func(s *evalState) {
			a, b := s.ds[s.sp-2], s.ds[s.sp-1]
			hi, lo := bits.Mul64(uint64(a), uint64(b))
			// Signed: subtract the other operand from the high cell
			// for each negative one.
			if a < 0 {
				hi -= uint64(b)
			}
			if b < 0 {
				hi -= uint64(a)
			}
			s.ds[s.sp-2], s.ds[s.sp-1] = int64(lo), int64(hi)
		}},
		{name: "um/mod", in: 3, out: 2, fn: divop(umMod)},
		{name: "sm/rem", in: 3, out: 2, fn: divop(smRem)},
		{name: "fm/mod", in: 3, out: 2, fn: divop(fmMod)},
		{name: "m+", in: 3, out: 2, fn: func(s *evalState) {
			n := s.ds[s.sp-1]
			s.sp--
			r := dadd([2]uint64{uint64(s.ds[s.sp-2]), uint64(s.ds[s.sp-1])}, [2]uint64{uint64(n), uint64(n >> 63)})
			s.ds[s.sp-2], s.ds[s.sp-1] = int64(r[0]), int64(r[1])
		}},
		{name: "d=", in: 4, out: 1, fn: dcmp(func(a, b [2]uint64) bool { return a == b })},
		{name: "d<", in: 4, out: 1, fn: dcmp(func(a, b [2]uint64) bool {
			if a[1] != b[1] {
				return int64(a[1]) < int64(b[1])
			}
			return a[0] < b[0]
		})},
		{name: "du<", in: 4, out: 1, fn: dcmp(func(a, b [2]uint64) bool {
			if a[1] != b[1] {
				return a[1] < b[1]
			}
			return a[0] < b[0]
		})},
		{name: "d0=", in: 2, out: 1, fn: func(s *evalState) {
			s.sp--
			s.ds[s.sp-1] = flagOf(s.ds[s.sp-1] == 0 && s.ds[s.sp] == 0)
		}},
		{name: "d0<", in: 2, out: 1, fn: func(s *evalState) {
			s.sp--
			s.ds[s.sp-1] = flagOf(s.ds[s.sp] < 0)
		}},
		// Floats.
		{name: "f+", fin: 2, fout: 1, fn: fbin(func(a, b float64) float64 { return a + b })},
		{name: "f-", fin: 2, fout: 1, fn: fbin(func(a, b float64) float64 { return a - b })},
		{name: "f*", fin: 2, fout: 1, fn: fbin(func(a, b float64) float64 { return a * b })},
		{name: "f/", fin: 2, fout: 1, fn: fbin(func(a, b float64) float64 { return a / b })},
		{name: "fnegate", fin: 1, fout: 1, fn: fun(func(a float64) float64 { return -a })},
		{name: "fabs", fin: 1, fout: 1, fn: fun(math.Abs)},
		{name: "fsqrt", fin: 1, fout: 1, fn: fun(math.Sqrt)},
		{name: "floor", fin: 1, fout: 1, fn: fun(math.Floor)},
		{name: "fround", fin: 1, fout: 1, fn: fun(math.RoundToEven)},
		{name: "fmax", fin: 2, fout: 1, fn: fbin(func(a, b float64) float64 {
			if a < b {
				return b
			}
			return a
		})},
		{name: "fmin", fin: 2, fout: 1, fn: fbin(func(a, b float64) float64 {
			if a < b {
				return a
			}
			return b
		})},
		{name: "fdup", fin: 1, fout: 2, fn: func(s *evalState) { s.fs[s.fp] = s.fs[s.fp-1]; s.fp++ }},
		{name: "fdrop", fin: 1, fn: func(s *evalState) { s.fp-- }},
		{name: "fswap", fin: 2, fout: 2, fn: func(s *evalState) { s.fs[s.fp-1], s.fs[s.fp-2] = s.fs[s.fp-2], s.fs[s.fp-1] }},
		{name: "fover", fin: 2, fout: 3, fn: func(s *evalState) { s.fs[s.fp] = s.fs[s.fp-2]; s.fp++ }},
		{name: "s>f", in: 1, fout: 1, fn: func(s *evalState) {
			s.sp--
			s.fs[s.fp] = float64(s.ds[s.sp])
			s.fp++
		}},
		{name: "f>s", fin: 1, out: 1, fn: func(s *evalState) {
			s.fp--
			s.ds[s.sp] = ftoi(s.fs[s.fp])
			s.sp++
		}},
		{name: "f<", fin: 2, out: 1, fn: func(s *evalState) {
			s.fp -= 2
			s.ds[s.sp] = flagOf(s.fs[s.fp] < s.fs[s.fp+1])
			s.sp++
		}},
		{name: "f0<", fin: 1, out: 1, fn: func(s *evalState) {
			s.fp--
			s.ds[s.sp] = flagOf(s.fs[s.fp] < 0)
			s.sp++
		}},
		{name: "f0=", fin: 1, out: 1, fn: func(s *evalState) {
			s.fp--
			s.ds[s.sp] = flagOf(s.fs[s.fp] == 0)
			s.sp++
		}},
	}
	m := make(map[string]*op, len(ws))
	for _, w := range ws {
		m[w.name] = w
	}
	return m
}()

// litOp is a literal cell.
func litOp(n int64) *op {
	return &op{name: formatInt(n), out: 1, lit: n, kind: opLit}
}

// flitOp is a literal float.
func flitOp(f float64) *op {
	return &op{name: formatFloat(f), fout: 1, flit: f, kind: opFLit}
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

// runOps runs a program on s; it stops at a THROW (s.err) and reports
// false when the stacks underflow or overflow (such a program is not
// considered at all).
func runOps(ops []*op, s *evalState) bool {
	for _, o := range ops {
		if s.err != 0 {
			return true
		}
		if !fits(o, s) {
			return false
		}
		o.apply(s)
	}
	return true
}

// fits reports whether s holds o's inputs and has room for its outputs.
func fits(o *op, s *evalState) bool {
	return s.sp >= o.in && s.fp >= o.fin &&
		s.sp-o.in+o.out <= maxDepth && s.fp-o.fin+o.fout <= maxDepth
}

// wordsEffect is the effect of a blank-separated sequence of words the
// evaluator knows (numbers count as literals): the cells and floats it
// takes and leaves; ok is false when a word is unknown.
func wordsEffect(text string) (in, out, fin, fout int, ok bool) {
	d, fd := 0, 0
	for _, w := range strings.Fields(text) {
		o := evalWords[strings.ToLower(w)]
		if o == nil {
			if isNumber(w) {
				o = &op{out: 1}
				if strings.ContainsAny(w, "eE") && !strings.HasPrefix(w, "'") && !strings.HasPrefix(w, "$") {
					o = &op{fout: 1}
				}
			} else {
				return 0, 0, 0, 0, false
			}
		}
		if d < int(o.in) {
			in += int(o.in) - d
			d = int(o.in)
		}
		if fd < int(o.fin) {
			fin += int(o.fin) - fd
			fd = int(o.fin)
		}
		d += int(o.out) - int(o.in)
		fd += int(o.fout) - int(o.fin)
	}
	return in, d, fin, fd, true
}

// Doubles as [lo, hi].
func dadd(a, b [2]uint64) [2]uint64 {
	lo, c := bits.Add64(a[0], b[0], 0)
	hi, _ := bits.Add64(a[1], b[1], c)
	return [2]uint64{lo, hi}
}

func dneg(a [2]uint64) [2]uint64 { return dadd([2]uint64{^a[0], ^a[1]}, [2]uint64{1, 0}) }

func dpop(s *evalState) [2]uint64 {
	s.sp -= 2
	return [2]uint64{uint64(s.ds[s.sp]), uint64(s.ds[s.sp+1])}
}

func dpush(s *evalState, d [2]uint64) {
	s.ds[s.sp], s.ds[s.sp+1] = int64(d[0]), int64(d[1])
	s.sp += 2
}

func dun(f func(a [2]uint64) [2]uint64) func(*evalState) {
	return func(s *evalState) { dpush(s, f(dpop(s))) }
}

// dless is d< of two doubles (signed).
func dless(a, b [2]uint64) bool {
	if a[1] != b[1] {
		return int64(a[1]) < int64(b[1])
	}
	return a[0] < b[0]
}

func dbin(f func(a, b [2]uint64) [2]uint64) func(*evalState) {
	return func(s *evalState) {
		b := dpop(s)
		a := dpop(s)
		dpush(s, f(a, b))
	}
}

func dcmp(f func(a, b [2]uint64) bool) func(*evalState) {
	return func(s *evalState) {
		b := dpop(s)
		a := dpop(s)
		s.ds[s.sp] = flagOf(f(a, b))
		s.sp++
	}
}
