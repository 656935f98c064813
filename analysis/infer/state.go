package infer

// know is what is known about a value.
type know uint8

const (
	kUnknown know = iota
	kZero
	kNonZero
	kLit // exactly lit
)

// val is one symbolic stack item. Values taken from below the entry of a
// body have negative ids that encode stack and depth; every other value
// gets a fresh positive id.
type val struct {
	id  int32
	xt  int32 // 1 + index into engine.xts when the value is a known xt
	lit int64
	k   know
	// loopSys marks DO's loop parameters on the return stack.
	loopSys bool
	// dep marks a value computed from DEPTH or FDEPTH: a loop it
	// controls is meant to change the stack depth.
	dep bool
	// stateAddr marks the address STATE gives; stateSense a flag read
	// from it: +1 when it is non-zero exactly while compiling, -1 when
	// exactly while interpreting (after 0=).
	stateAddr  bool
	stateSense int8
	// sel marks a CASE selector that no OF matched.
	sel bool
	// named marks the value of a constant whose value is not known.
	named bool
}

func inputID(stack, depth int) int32 { return -1 - int32(depth*4+stack) }

// inputOf decodes an input id: its stack and its depth below the entry top.
func inputOf(id int32) (stack, depth int, ok bool) {
	if id >= 0 {
		return 0, 0, false
	}
	n := int(-1 - id)
	return n % 4, n / 4, true
}

func (v val) zero() bool    { return v.k == kZero || v.k == kLit && v.lit == 0 }
func (v val) nonZero() bool { return v.k == kNonZero || v.k == kLit && v.lit != 0 }

// state is the stacks along one path: items pushed since entry (bottom
// first) and how many were taken from below the entry.
type state struct {
	st [3][]val
	in [3]int
	// loc holds what is known of the single-cell locals, by index (a
	// zero val: nothing).
	loc []val
	// mode is what a test of STATE chose on this path: modeCompiling,
	// modeInterpreting, or 0 when none did.
	mode int8
	// depBranch is set once a path has been chosen by a flag computed
	// from DEPTH: paths that then leave different depths are meant to
	// (a word that checks how many items there are before it uses them).
	depBranch bool
	// work counts the items the engine's paths copy (nil: not counted);
	// clones share it.
	work *int
}

const (
	modeCompiling    = 1
	modeInterpreting = 2
)

func (s *state) clone() *state {
	c := &state{in: s.in, mode: s.mode, depBranch: s.depBranch, work: s.work}
	if len(s.loc) > 0 {
		c.loc = append([]val(nil), s.loc...)
	}
	n := len(s.loc)
	for k := range s.st {
		if len(s.st[k]) > 0 {
			c.st[k] = append(make([]val, 0, len(s.st[k])+4), s.st[k]...)
			n += len(s.st[k])
		}
	}
	s.count(n)
	return c
}

// count adds n items copied to the work of the path's engine.
func (s *state) count(n int) {
	if s.work != nil {
		*s.work += n
	}
}

// local returns the value of local i, when something is known of it.
func (s *state) local(i int) (val, bool) {
	if i < len(s.loc) && s.loc[i].id != 0 {
		return s.loc[i], true
	}
	return val{}, false
}

func (s *state) localOr(i int) val {
	if i < len(s.loc) {
		return s.loc[i]
	}
	return val{}
}

func (s *state) setLocal(i int, v val) {
	for len(s.loc) <= i {
		s.loc = append(s.loc, val{})
	}
	s.loc[i] = v
}

// net is the depth change per stack since entry.
func (s *state) net() [3]int {
	return [3]int{len(s.st[0]) - s.in[0], len(s.st[1]) - s.in[1], len(s.st[2]) - s.in[2]}
}

// extend materialises inputs so that n[k] items are taken from below.
func (s *state) extend(n [3]int) {
	for k := 0; k < 3; k++ {
		add := n[k] - s.in[k]
		if add <= 0 {
			continue
		}
		s.count(add + len(s.st[k]))
		ns := make([]val, add, add+len(s.st[k])+4)
		for j := 0; j < add; j++ {
			ns[j] = val{id: inputID(k, n[k]-1-j)}
		}
		s.st[k] = append(ns, s.st[k]...)
		s.in[k] = n[k]
	}
}

func joinKnow(a, b val) (know, int64) {
	switch {
	case a.k == kLit && b.k == kLit && a.lit == b.lit:
		return kLit, a.lit
	case a.zero() && b.zero():
		return kZero, 0
	case a.nonZero() && b.nonZero():
		return kNonZero, 0
	}
	return kUnknown, 0
}
