package infer

import (
	"fmt"
	"strings"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// maxStates bounds the paths followed at once; beyond it the result is
// unknown rather than slow.
const maxStates = 16

type csKind uint8

const (
	csOrig csKind = iota
	csDest
	csDo
	csCase
	csOf
)

func (k csKind) String() string {
	return [...]string{"IF/AHEAD/WHILE", "BEGIN", "DO", "CASE", "OF"}[k]
}

// csEntry is one item of the simulated control-flow stack.
type csEntry struct {
	kind   csKind
	dep    bool     // a loop controlled by a value computed from DEPTH
	states []*state // orig/of: paths jumping forward; dest/do: the entry
	leaves []*state // do: LEAVE paths; case: ENDOF paths
	op     *syntax.Op
}

type divergence struct {
	op      *syntax.Op
	effects []string
}

// Resolver gives the Sig of a user definition.
type Resolver func(d *syntax.Def) *Sig

// engine runs one body.
type engine struct {
	resolve Resolver
	remap   func(*syntax.Def) *syntax.Def
	def     *syntax.Def
	self    *Sig // for RECURSE
	decl    *effect.Effect
	topLvl  bool // top-level code: underflow is an error

	cur    []*state
	cs     []csEntry
	exits  []*state
	ct     *state // compile-time stack inside [ ]
	nextID int32
	xts    []syntax.Ref

	unknown bool
	reason  string
	broken  string // first structural error, which makes the effect unknown
	diags   []diag.Diagnostic
	divs    []divergence
	loops   []loopChange
	op      *syntax.Op
	deep    bool // top level after an unknown effect: depth is not known
	// OnOp, when set, is called after each operation with the paths.
	OnOp func(i int, op *syntax.Op, states []*state)
	// recurseBottom makes RECURSE end its path (first fixpoint pass).
	recurseBottom bool
	sawRecurse    bool
	insBuf        [6]val // data-stack inputs of the word being applied
}

func (e *engine) fresh() val {
	e.nextID++
	return val{id: e.nextID}
}

func (e *engine) report(code diag.Code, op *syntax.Op, format string, args ...any) {
	if op == nil {
		return
	}
	e.diags = append(e.diags, diag.New(code, int(op.Start), int(op.End), fmt.Sprintf(format, args...)))
}

func (e *engine) setUnknown(reason string) {
	if e.topLvl {
		// Top-level code goes on; only its depth is no longer known.
		e.deep = true
		for _, s := range e.cur {
			for k := range s.st {
				s.st[k] = s.st[k][:0]
			}
		}
		return
	}
	if !e.unknown {
		e.unknown = true
		e.reason = reason
	}
	e.cur = nil
}

func (e *engine) setBroken(msg string) {
	if e.broken == "" {
		e.broken = msg
	}
}

func (e *engine) pop(s *state, k int) val {
	n := len(s.st[k])
	if n > 0 {
		v := s.st[k][n-1]
		s.st[k] = s.st[k][:n-1]
		return v
	}
	if e.topLvl && !e.deep {
		name := "the stack"
		switch k {
		case 1:
			name = "the return stack"
		case 2:
			name = "the float stack"
		}
		e.report(diag.StackUnderflow, e.op, "stack underflow: %s takes more items than %s holds", opName(e.op), name)
		e.deep = true
	}
	s.in[k]++
	if e.inLoop() {
		// An item taken from below inside a loop is a different item on
		// each iteration: it is not the definition's input as such.
		return e.fresh()
	}
	return val{id: inputID(k, s.in[k]-1)}
}

// inLoop reports whether a BEGIN or DO is open.
func (e *engine) inLoop() bool {
	for i := range e.cs {
		if e.cs[i].kind == csDest || e.cs[i].kind == csDo {
			return true
		}
	}
	return false
}

func (e *engine) push(s *state, k int, v val) { s.st[k] = append(s.st[k], v) }

func opName(op *syntax.Op) string {
	if op == nil {
		return "?"
	}
	if n := op.Ref.Name(); n != "" {
		return n
	}
	return "word"
}

// each applies f to every current path.
func (e *engine) each(f func(s *state)) {
	for _, s := range e.cur {
		f(s)
	}
}

// split pops a flag on every path and divides the paths by it.
func (e *engine) split() (onTrue, onFalse []*state) {
	for _, s := range e.cur {
		v := e.pop(s, 0)
		switch {
		case v.zero():
			onFalse = append(onFalse, s)
		case v.nonZero():
			onTrue = append(onTrue, s)
		default:
			onTrue = append(onTrue, s)
			onFalse = append(onFalse, s.clone())
		}
	}
	return
}

// join merges paths with the same depth change; paths with different
// changes stay apart and the divergence is remembered.
func (e *engine) join(op *syntax.Op, groups ...[]*state) []*state {
	var out []*state
	for _, g := range groups {
		for _, s := range g {
			placed := false
			for i, o := range out {
				if o.net() == s.net() {
					out[i] = e.merge(o, s)
					placed = true
					break
				}
			}
			if !placed {
				out = append(out, s)
			}
		}
	}
	if len(out) > 1 && op != nil {
		d := divergence{op: op}
		for _, s := range out {
			d.effects = append(d.effects, e.describe(s))
		}
		e.divs = append(e.divs, d)
	}
	if len(out) > maxStates {
		e.setUnknown("too many paths with different stack depths")
		return nil
	}
	return out
}

func (e *engine) merge(a, b *state) *state {
	if a == b {
		return a
	}
	var n [3]int
	for k := 0; k < 3; k++ {
		n[k] = max(a.in[k], b.in[k])
	}
	a.extend(n)
	b.extend(n)
	for k := 0; k < 3; k++ {
		for i := range a.st[k] {
			x, y := a.st[k][i], b.st[k][i]
			if x.id == y.id && x.xt == y.xt {
				x.k, x.lit = joinKnow(x, y)
				x.dep = x.dep || y.dep
				a.st[k][i] = x
				continue
			}
			v := e.fresh()
			v.k, v.lit = joinKnow(x, y)
			v.loopSys = x.loopSys && y.loopSys
			v.dep = x.dep || y.dep
			a.st[k][i] = v
		}
	}
	return a
}

// widen forgets what a loop may change: every value becomes new and
// unknown, inputs included (the loop may replace them before an exit),
// except that loop parameters stay loop parameters.
func (e *engine) widen(states []*state) []*state {
	states = e.join(nil, states)
	for _, s := range states {
		for k := 0; k < 3; k++ {
			for i, v := range s.st[k] {
				w := e.fresh()
				w.loopSys, w.dep = v.loopSys, v.dep
				s.st[k][i] = w
			}
		}
	}
	return states
}

func cloneAll(states []*state) []*state {
	r := make([]*state, len(states))
	for i, s := range states {
		r[i] = s.clone()
	}
	return r
}

// describe prints a path's effect so far, for messages.
func (e *engine) describe(s *state) string {
	a := altOf(s)
	eff := nameAlt(&a, e.decl)
	return eff.String()
}

// backEdge checks that paths returning to a loop's start keep its depth.
// A loop controlled by a value computed from DEPTH (dep) is meant to
// change the depth: its effect is variable, not an error.
func (e *engine) backEdge(op *syntax.Op, entry []*state, back []*state, dep bool) {
	if len(entry) == 0 {
		return
	}
	want := entry[0].net()
	for _, s := range back {
		got := s.net()
		if got == want {
			continue
		}
		d := got[0] - want[0]
		what := fmt.Sprintf("changes the data stack depth by %+d", d)
		if d == 0 {
			if got[2] != want[2] {
				what = fmt.Sprintf("changes the float stack depth by %+d", got[2]-want[2])
			} else {
				what = fmt.Sprintf("changes the return stack depth by %+d", got[1]-want[1])
			}
		}
		if dep {
			e.setUnknown(fmt.Sprintf("a loop controlled by the stack depth %s on each iteration", what))
			return
		}
		if !fixedDecl(e.decl) {
			// Without a declaration that fixes the effect, a loop that
			// moves a variable number of items (up to a sentinel, n
			// times) is as likely meant as not: the effect is variable.
			e.setUnknown(fmt.Sprintf("a loop body %s on each iteration", what))
			return
		}
		k, n := 0, d
		if d == 0 {
			k, n = 2, got[2]-want[2]
			if n == 0 {
				k, n = 1, got[1]-want[1]
			}
		}
		e.loops = append(e.loops, loopChange{op: op, msg: "loop body " + what + " on each iteration", stack: k, up: n > 0})
		e.setBroken("loop body is not depth-neutral")
		return
	}
}

// loopChange is a loop whose body changes a stack's depth.
type loopChange struct {
	op    *syntax.Op
	msg   string
	stack int
	up    bool
}

// reportLoops reports the loops that change the depth, unless one loop
// pushes what another pops (items kept on a stack up to a sentinel, as in
// gforth's utf-8.fs): that is meant, and only the effect is unknown.
func (e *engine) reportLoops() {
	for _, a := range e.loops {
		for _, b := range e.loops {
			if a.stack == b.stack && a.up != b.up {
				e.setUnknown("one loop pushes a variable number of items that another pops")
				return
			}
		}
	}
	for _, l := range e.loops {
		e.report(diag.LoopNotNeutral, l.op, "%s", l.msg)
	}
}

// fixedDecl reports whether a declaration fixes how many items each
// stack gets: there is one, and it has no wildcard ("i*x", "...") and
// describes one phase.
func fixedDecl(d *effect.Effect) bool {
	if d == nil || d.Complex {
		return false
	}
	for _, side := range [2][]effect.Picture{d.In, d.Out} {
		for _, p := range side {
			for _, it := range p {
				if it.Kind == effect.Wildcard {
					return false
				}
			}
		}
	}
	return true
}

func (e *engine) popCS(op *syntax.Op, kinds ...csKind) (csEntry, bool) {
	if len(e.cs) == 0 {
		e.report(diag.UnbalancedControl, op, "%s without a matching %s", strings.ToUpper(opName(op)), kinds[0])
		e.setBroken("unbalanced control structure")
		return csEntry{}, false
	}
	top := e.cs[len(e.cs)-1]
	for _, k := range kinds {
		if top.kind == k {
			e.cs = e.cs[:len(e.cs)-1]
			return top, true
		}
	}
	e.report(diag.UnbalancedControl, op, "%s does not match the open %s", strings.ToUpper(opName(op)), top.kind)
	e.setBroken("unbalanced control structure")
	return csEntry{}, false
}

// innermostDo finds the open DO for LEAVE and I.
func (e *engine) innermostDo() int {
	for i := len(e.cs) - 1; i >= 0; i-- {
		if e.cs[i].kind == csDo {
			return i
		}
	}
	return -1
}

// checkReturn reports a return stack that is not as it was on entry.
func (e *engine) checkReturn(op *syntax.Op, s *state, where string) bool {
	if e.decl != nil && e.decl.Has(effect.Return) {
		return true
	}
	if len(s.st[1]) == 0 && s.in[1] == 0 {
		return true
	}
	for _, v := range s.st[1] {
		if v.loopSys {
			e.report(diag.ReturnStack, op, "%s inside a DO loop: UNLOOP the loop parameters first", where)
			e.setBroken("return stack not balanced")
			return false
		}
	}
	if s.in[1] > 0 {
		e.report(diag.ReturnStack, op, "return stack not balanced at %s: the body takes %d item(s) it did not put there", where, s.in[1])
	} else {
		e.report(diag.ReturnStack, op, "return stack not balanced at %s: %d item(s) left on it", where, len(s.st[1]))
	}
	e.setBroken("return stack not balanced")
	return false
}

// run interprets ops.
func (e *engine) run(ops []syntax.Op) {
	for i := range ops {
		op := &ops[i]
		e.op = op
		if op.Interp {
			e.interp(op)
		} else {
			e.step(op)
		}
		if e.OnOp != nil {
			e.OnOp(i, op, e.cur)
		}
	}
}

// interp runs an operation at compile time (inside [ ] or an immediate
// word) on the compile-time stack.
func (e *engine) interp(op *syntax.Op) {
	// An immediate word in a definition, or any word made only of
	// POSTPONEs run inside [ ], compiles into the definition.
	if d := op.Ref.D; d != nil && !e.topLvl && (e.remap(d).Immediate || onlyPostpones(e.remap(d))) {
		e.macro(op)
		return
	}
	if e.ct == nil {
		e.ct = &state{}
	}
	saved, savedTop := e.cur, e.topLvl
	e.cur = []*state{e.ct}
	e.topLvl = false
	e.step(op)
	if len(e.cur) > 0 {
		e.ct = e.cur[0]
	} else {
		e.ct = &state{}
	}
	e.cur, e.topLvl = saved, savedTop
}

// macro handles an immediate user word used in a definition: a word made
// only of POSTPONEs is expanded in place; one that compiles nothing has no
// run-time effect; anything else is unknown.
func (e *engine) macro(op *syntax.Op) {
	d := e.remap(op.Ref.D)
	pure, compiles := true, false
	for i := range d.Body {
		b := &d.Body[i]
		switch {
		case b.Kind == syntax.OpPostpone:
			compiles = true
		case b.Kind == syntax.OpCall && b.Ref.B != nil && b.Ref.B.Name == ";":
		default:
			pure = false
			if b.Kind == syntax.OpCall && b.Ref.B != nil {
				switch b.Ref.B.Name {
				case "compile,", "literal", "2literal", "fliteral", "sliteral", ",", "postpone", "[compile]":
					compiles = true
				}
			}
			if b.Kind == syntax.OpCall && b.Ref.D != nil {
				compiles = true // may compile; be safe
			}
		}
	}
	switch {
	case pure && compiles:
		for i := range d.Body {
			b := &d.Body[i]
			if b.Kind != syntax.OpPostpone {
				continue
			}
			syn := syntax.Op{Kind: syntax.OpCall, Start: op.Start, End: op.End, Ref: b.Target}
			if b.Target.D != nil && b.Target.D.Immediate {
				syn.Interp = true
				e.interp(&syn)
				continue
			}
			e.step(&syn)
		}
	case !compiles:
		// Runs at compile time only; its data effect is on the
		// compile-time stack.
		saved := e.cur
		if e.ct == nil {
			e.ct = &state{}
		}
		e.cur = []*state{e.ct}
		e.call(op, e.resolve(d), d.Display)
		if len(e.cur) > 0 {
			e.ct = e.cur[0]
		}
		e.cur = saved
	default:
		e.setUnknown(fmt.Sprintf("uses the immediate word %s, which compiles code at compile time", d.Display))
	}
}

// apply runs a Sig's alternatives on every path.
func (e *engine) apply(sig *Sig) {
	var next []*state
	for _, s := range e.cur {
		for ai := range sig.Alts {
			a := &sig.Alts[ai]
			t := s
			if ai < len(sig.Alts)-1 {
				t = s.clone()
			}
			var ins [3][]val
			dep := false
			for k := 0; k < 3; k++ {
				if a.In[k] == 0 {
					continue
				}
				if k == 0 && a.In[k] <= len(e.insBuf) {
					ins[k] = e.insBuf[:a.In[k]]
				} else {
					ins[k] = make([]val, a.In[k])
				}
				for j := a.In[k] - 1; j >= 0; j-- {
					ins[k][j] = e.pop(t, k)
					dep = dep || ins[k][j].dep
				}
			}
			for k := 0; k < 3; k++ {
				for _, src := range a.Src[k] {
					var v val
					switch {
					case src.Copy && src.In < len(ins[src.Stack]):
						v = ins[src.Stack][src.In]
					case src.Lit:
						v = e.fresh()
						v.k, v.lit = kLit, src.Val
					default:
						v = e.fresh()
						v.dep = dep
					}
					e.push(t, k, v)
				}
			}
			if a.NonZeroTop {
				if n := len(t.st[0]); n > 0 && t.st[0][n-1].k == kUnknown {
					t.st[0][n-1].k = kNonZero
				}
			}
			next = append(next, t)
		}
	}
	if sig.Bottom {
		next = nil
	}
	if len(sig.Alts) > 1 {
		next = e.join(nil, next)
	}
	e.cur = next
}

// call applies the effect of a word, or makes the result unknown.
func (e *engine) call(op *syntax.Op, sig *Sig, name string) {
	if sig == nil || !sig.Known {
		reason := "unknown"
		if sig != nil && sig.Reason != "" {
			reason = sig.Reason
		}
		e.setUnknown(fmt.Sprintf("%s has an unknown effect (%s)", name, reason))
		return
	}
	if !sig.Distinct() {
		e.setUnknown(fmt.Sprintf("%s has an unknown effect (its alternatives leave different depths and nothing tells them apart)", name))
		return
	}
	e.apply(sig)
}

// onlyPostpones reports whether d's body is nothing but POSTPONEs.
func onlyPostpones(d *syntax.Def) bool {
	n := 0
	for i := range d.Body {
		switch op := &d.Body[i]; {
		case op.Kind == syntax.OpPostpone:
			n++
		case op.Kind == syntax.OpCall && op.Ref.B != nil && op.Ref.B.Name == ";":
		default:
			return false
		}
	}
	return n > 0
}
