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

// Limits on one body's inference, so that time and memory stay bounded
// on any input: past one, the body is not followed further and its
// effect is unknown, "too deep" or "too large" (with a too-deep or
// too-large warning), never slow and never guessed.
const (
	// MaxItems bounds the items of each stack on a path, those taken
	// from below the entry and those on it: a definition may take or
	// leave at most that many, so an effect never holds more. DO loops
	// nested deeper than this fill the return stack with their
	// parameters.
	MaxItems = 256
	// A body's paths may copy (at branches, loops, joins) at most
	// workBase + workPerOp*ops stack items in all, and never more than
	// workMax: the work stays linear in the length of the body.
	workBase  = 1 << 20
	workPerOp = 1 << 10
	workMax   = 1 << 22
)

// workBudget is how many stack items the paths through a body of n
// operations may copy.
func workBudget(n int) int {
	return min(workBase+workPerOp*n, workMax)
}

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
	// leaveOps holds the LEAVE of each of a DO's leaves (nil: the path
	// of ?DO that skips the loop).
	leaveOps []*syntax.Op
	op       *syntax.Op
}

type divergence struct {
	op      *syntax.Op
	effects []string
	// apart is set when what follows can tell the paths apart (by STATE
	// or a zero/non-zero top): meeting there is meant.
	apart bool
	// dep is set when a flag computed from DEPTH chose between the
	// paths: the difference is meant, so the effect is unknown rather
	// than wrong.
	dep bool
	// noDefault is set at an ENDCASE whose arms all agree and whose empty
	// default (no OF matched) leaves another stack.
	noDefault bool
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
	prev    *syntax.Op // the operation being run
	before  *syntax.Op // the one run before it
	loops   []loopChange
	op      *syntax.Op
	deep    bool // top level after an unknown effect: depth is not known
	// OnOp, when set, is called after each operation with the paths.
	OnOp func(i int, op *syntax.Op, states []*state)
	// recurseBottom makes RECURSE end its path (first fixpoint pass).
	recurseBottom bool
	sawRecurse    bool
	insBuf        [6]val // data-stack inputs of the word being applied
	// csLost is set when a macro that could not be followed may have
	// changed the control-flow stack: control-structure errors after it
	// would be guesses.
	csLost     bool
	macroDepth int
	// userName reports whether the program defines a word of a name
	// (EVALUATE cannot look user words up).
	userName func(name string) bool
	// postponing is set between ]] and [[.
	postponing bool
	// execUnknown is set when the body executes an execution token it
	// does not know (its own argument, say).
	execUnknown bool
	// readsDepth is set when the body reads DEPTH or FDEPTH.
	readsDepth bool
	// bodyEffect is set when callers get what the body does although
	// the verdict is unknown: it rests on no comment taken on trust.
	bodyEffect bool
	// trusted is set when a callee's effect was taken on trust.
	trusted bool
	// brokenLoop is set when a loop changes the depth or a LEAVE leaves
	// another depth: the effect is wrong whenever the loop runs more or
	// less than once, whatever the comment says.
	brokenLoop bool
	// spec runs a combinator's body with the execution tokens a caller
	// gives it (Checker.specialize).
	spec func(d *syntax.Def, n int, xts []boundXT) *Sig
	// work counts the stack items the paths copied, budget bounds it
	// (0: no bound); stopped is set once a limit stopped the run.
	work    int
	budget  int
	stopped bool
	// limitHit is set once top-level code passed a limit (see
	// TopRun).
	limitHit bool
	// described tells which divergences have their effects described
	// (reportDivergence shows one of the first two kinds only).
	describedFirst, describedTight bool
}

// newState makes an empty path whose copies count towards the work.
func (e *engine) newState() *state {
	return &state{work: &e.work}
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

// split pops a flag on every path and divides the paths by it. A flag
// read from STATE also tells each side whether it runs while compiling or
// while interpreting; a side that contradicts what the path already knows
// is dropped.
func (e *engine) split() (onTrue, onFalse []*state) {
	for _, s := range e.cur {
		v := e.pop(s, 0)
		if v.dep {
			s.depBranch = true
		}
		if v.stateSense != 0 {
			tm, fm := int8(modeCompiling), int8(modeInterpreting)
			if v.stateSense < 0 {
				tm, fm = fm, tm
			}
			if s.mode == 0 || s.mode == tm {
				t := s.clone()
				t.mode = tm
				onTrue = append(onTrue, t)
			}
			if s.mode == 0 || s.mode == fm {
				s.mode = fm
				onFalse = append(onFalse, s)
			}
			continue
		}
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
		d := divergence{op: op, apart: apart(out)}
		for _, s := range out {
			d.dep = d.dep || s.depBranch
		}
		// Only the first divergence and the first one that nothing
		// tells apart can be reported (reportDivergence): describing
		// every one would cost a naming of the stacks at each meeting.
		if !e.describedFirst || !d.apart && !e.describedTight {
			e.describedFirst = true
			e.describedTight = e.describedTight || !d.apart
			for _, s := range out {
				d.effects = append(d.effects, e.describe(s))
			}
		}
		e.divs = append(e.divs, d)
	}
	if len(out) > maxStates {
		e.setUnknown("too many paths with different stack depths")
		return nil
	}
	return out
}

// assigned reports whether the body stores into local i ("to x"): a
// loop may change it.
func (e *engine) assigned(i int) bool {
	if e.def == nil {
		return true
	}
	for j := range e.def.Body {
		if op := &e.def.Body[j]; op.Kind == syntax.OpToLocal && int(op.Local) == i {
			return true
		}
	}
	return false
}

// apart reports whether the paths that leave different depths can be told
// apart by what comes after: by STATE, or by a top value known to be zero
// on one and non-zero on the other ("( -- 0 | x true )", ?DUP): meeting is
// not an error there, only where nothing tells them apart.
func apart(states []*state) bool {
	for i, a := range states {
		for _, b := range states[i+1:] {
			if a.net() == b.net() || a.mode != 0 && b.mode != 0 && a.mode != b.mode {
				continue
			}
			za, zb := topZero(a), topZero(b)
			if za == 0 || zb == 0 || za == zb {
				return false
			}
		}
	}
	return true
}

// topZero tells whether a path's top data cell is known zero (1), known
// non-zero (2) or neither (0).
func topZero(s *state) int {
	n := len(s.st[0])
	switch {
	case n == 0:
		return 0
	case s.st[0][n-1].zero():
		return 1
	case s.st[0][n-1].nonZero():
		return 2
	}
	return 0
}

// byMode reports whether the paths that leave different depths are told
// apart by STATE: one runs while compiling, the other while interpreting
// (a state-smart word).
func byMode(states []*state) bool {
	for i, a := range states {
		for _, b := range states[i+1:] {
			if a.net() != b.net() && (a.mode == 0 || b.mode == 0 || a.mode == b.mode) {
				return false
			}
		}
	}
	return len(states) > 1
}

func (e *engine) merge(a, b *state) *state {
	if a == b {
		return a
	}
	if a.mode != b.mode {
		a.mode = 0
	}
	a.depBranch = a.depBranch || b.depBranch
	for i := range a.loc {
		if x, y := a.loc[i], b.localOr(i); x.id != y.id || x.xt != y.xt {
			a.loc[i] = val{}
		}
	}
	var n [3]int
	for k := 0; k < 3; k++ {
		n[k] = max(a.in[k], b.in[k])
	}
	a.extend(n)
	b.extend(n)
	a.count(len(a.st[0]) + len(a.st[1]) + len(a.st[2]))
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
			v.named = x.named && y.named
			a.st[k][i] = v
		}
	}
	return a
}

// widen forgets what a loop may change: every value becomes new and
// unknown, inputs included (the loop may replace them before an exit),
// except that loop parameters stay loop parameters.
//
// Paths that enter with different depths ("( -- n true | false )" before
// BEGIN WHILE) are told apart by their depth on every pass: each keeps
// whether its values are zero or not, which backEdge checks the body
// keeps.
func (e *engine) widen(states []*state) []*state {
	states = e.join(nil, states)
	multi := len(states) > 1
	for _, s := range states {
		s.count(len(s.st[0]) + len(s.st[1]) + len(s.st[2]))
		for i := range s.loc {
			if e.assigned(i) {
				s.loc[i] = val{}
			}
		}
		for k := 0; k < 3; k++ {
			for i, v := range s.st[k] {
				w := e.fresh()
				w.loopSys, w.dep = v.loopSys, v.dep
				if multi {
					switch {
					case v.zero():
						w.k = kZero
					case v.nonZero():
						w.k = kNonZero
					}
				}
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
	return eff.Short()
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
		// Paths that enter with different depths ("( -- n true |
		// false )" before BEGIN WHILE) may come back with any of them.
		var same *state
		for _, x := range entry {
			if x.net() == got {
				same = x
			}
		}
		if same != nil {
			if !keepsKnown(same, s) {
				e.setUnknown("a loop entered with different stack depths, whose body does not keep them apart")
				return
			}
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
		return
	}
}

// keepsKnown reports whether a path coming back to a loop's start (back)
// has, wherever the entry path assumed a value zero or non-zero, a value
// known the same.
func keepsKnown(entry, back *state) bool {
	for k := 0; k < 3; k++ {
		a, b := entry.st[k], back.st[k]
		for i := 1; i <= len(a) && i <= len(b); i++ {
			x, y := a[len(a)-i], b[len(b)-i]
			if x.zero() && !y.zero() || x.nonZero() && !y.nonZero() {
				return false
			}
		}
	}
	return true
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
	if len(e.loops) > 0 {
		e.setBroken("loop body is not depth-neutral")
		e.brokenLoop = true
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
	if e.csLost {
		// The control-flow stack is not known: take the entry if it
		// fits, else go on without a word.
		if n := len(e.cs); n > 0 {
			for _, k := range kinds {
				if e.cs[n-1].kind == k {
					top := e.cs[n-1]
					e.cs = e.cs[:n-1]
					return top, true
				}
			}
		}
		return csEntry{}, false
	}
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

// popsFirst reports whether the first return-stack operation of the
// definition being run takes an item rather than puts one.
func (e *engine) popsFirst() bool {
	return e.def != nil && e.def.TakesReturnAddress()
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
	if s.in[1] > 0 && e.popsFirst() {
		// "r> ... >r", ": do swap r> -rot >r >r >r ;": a word whose
		// first return-stack operation takes its caller's return
		// address means to work on it (a control primitive, an exit
		// to the caller's caller).
		e.setUnknown("it works on its caller's return address (its first return-stack operation takes an item it did not put there)")
		return false
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
		switch {
		case e.postponing:
			// Between ]] and [[ words are postponed: they are compiled
			// into the definition that uses this one.
			if isBuiltin(op, "[[") {
				e.postponing = false
			} else if op.Kind == syntax.OpCall {
				e.step(&syntax.Op{Kind: syntax.OpPostpone, Start: op.Start, End: op.End, Target: op.Ref})
			}
		case isBuiltin(op, "]]"):
			e.postponing = true
		case op.Interp:
			e.interp(op)
		default:
			e.step(op)
		}
		if e.OnOp != nil {
			e.OnOp(i, op, e.cur)
		}
		if !e.stopped {
			e.overLimits(op)
		}
	}
}

// overLimits checks the limits on the paths after op. Past one, top-level
// code goes on without knowing its depth; a body is not followed further,
// its effect is unknown, and a warning at op says which limit. Its
// control structures are still matched (without paths, which costs
// nothing), so that their errors are still found.
func (e *engine) overLimits(op *syntax.Op) {
	code, why := e.limitPassed()
	if why == "" {
		return
	}
	if e.topLvl {
		// Top-level code goes on (its stacks emptied, as after a word
		// of unknown effect): only its depth is no longer known.
		e.limitHit = true
		e.setUnknown(why)
		if e.ct != nil {
			e.ct = e.newState()
		}
		e.work = 0
		return
	}
	name := "the definition"
	if e.def != nil && e.def.Display != "" {
		name = e.def.Display
	}
	e.report(code, op, "%s; the effect of %s is not inferred", why, name)
	e.setUnknown(why)
	e.stopped = true
	e.cur, e.exits, e.ct = nil, nil, nil
	for i := range e.cs {
		e.cs[i].states, e.cs[i].leaves, e.cs[i].leaveOps = nil, nil, nil
	}
}

// limitPassed tells which limit the paths passed, if any: the work
// budget, or the items of a stack (at top level, only those on it count:
// taking more from below is an underflow, reported once).
func (e *engine) limitPassed() (diag.Code, string) {
	if e.budget > 0 && e.work > e.budget {
		return diag.TooLarge, fmt.Sprintf("too large to follow: its paths copy more than %d stack items", e.budget)
	}
	check := func(s *state) (diag.Code, string) {
		for k := range s.st {
			n := len(s.st[k])
			if !e.topLvl {
				n = max(n, s.in[k])
			}
			if n <= MaxItems {
				continue
			}
			if p := loopParams(s); k == 1 && p > MaxItems/2 {
				return diag.TooDeep, fmt.Sprintf("too deep to follow: DO loops nested %d deep", p)
			}
			return diag.TooLarge, fmt.Sprintf("too large to follow: more than %d items on %s", MaxItems, stackName(k))
		}
		return "", ""
	}
	for _, s := range e.cur {
		if code, why := check(s); why != "" {
			return code, why
		}
	}
	if e.ct != nil {
		return check(e.ct)
	}
	return "", ""
}

// loopParams counts the DO loop parameters on a path's return stack.
func loopParams(s *state) int {
	n := 0
	for _, v := range s.st[1] {
		if v.loopSys {
			n++
		}
	}
	return n
}

func stackName(k int) string {
	switch k {
	case 1:
		return "the return stack"
	case 2:
		return "the float stack"
	}
	return "the data stack"
}

// interp runs an operation at compile time (inside [ ] or an immediate
// word) on the compile-time stack.
func (e *engine) interp(op *syntax.Op) {
	// An immediate word in a definition, or a word inside [ ] that
	// only compiles (POSTPONEs, CS-ROLL, ...), compiles into the
	// definition.
	// A word that compiles code but cannot be followed ("]L": "] postpone
	// literal") compiles what nobody knows: macro makes that unknown.
	if d := op.Ref.D; d != nil && !e.topLvl && (e.remap(d).Immediate || e.followable(e.remap(d)) == "" || compilesCode(e.remap(d), 0)) {
		e.macro(op)
		return
	}
	if e.ct == nil {
		e.ct = e.newState()
	}
	if b := op.Ref.B; b != nil && op.Ref.D == nil && !e.topLvl && (b.Name == "literal," || b.Name == "2literal,") {
		// Mecrisp's LITERAL, run inside [ ]: it compiles what the
		// compile-time stack holds, pushed when the definition runs.
		n := 1
		if b.Name == "2literal," {
			n = 2
		}
		for i := 0; i < n; i++ {
			v := e.pop(e.ct, 0)
			if v.id < 0 {
				v = e.fresh()
			}
			e.each(func(s *state) { e.push(s, 0, v) })
		}
		return
	}
	saved, savedTop := e.cur, e.topLvl
	e.cur = []*state{e.ct}
	e.topLvl = false
	e.step(op)
	if len(e.cur) > 0 {
		e.ct = e.cur[0]
	} else {
		e.ct = e.newState()
	}
	e.cur, e.topLvl = saved, savedTop
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
						v.dep = dep || src.Dep
					}
					e.push(t, k, v)
				}
			}
			if a.ZeroTop {
				if n := len(t.st[0]); n > 0 && t.st[0][n-1].k == kUnknown {
					t.st[0][n-1].k = kZero
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
		e.setUnknown(unknownCall(name, reason))
		return
	}
	e.trusted = e.trusted || sig.Trusted
	if why := e.xtsNeutral(sig); why != "" {
		if s := e.specialized(sig); s != nil {
			sig = s
		} else {
			e.setUnknown(fmt.Sprintf("%s has an unknown effect (%s)", name, why))
			return
		}
	}
	if !sig.Distinct() {
		e.setUnknown(fmt.Sprintf("%s has an unknown effect (its alternatives leave different depths and nothing tells them apart)", name))
		return
	}
	e.apply(sig)
}

// unknownMid joins a word and why its effect is unknown.
const unknownMid = " has an unknown effect ("

// unknownCall says why calling name makes an effect unknown, given why
// name's own effect is: "name has an unknown effect (reason)". Down a
// chain of words, each calling the next, every caller would nest the
// reasons of all the words below it, which grows with the square of the
// chain: past two words, only the last word of the chain and its cause
// are kept ("a has an unknown effect (… z has an unknown effect
// (cause))").
func unknownCall(name, reason string) string {
	last, cause, ok := splitUnknown(reason)
	if !ok {
		return name + unknownMid + reason + ")"
	}
	deep := false
	for {
		n, r, ok := splitUnknown(cause)
		if !ok {
			break
		}
		last, cause, deep = n, r, true
	}
	if !deep {
		return name + unknownMid + reason + ")"
	}
	return name + unknownMid + "… " + last + unknownMid + cause + "))"
}

// splitUnknown reads a reason made by unknownCall: the word (a name has
// no blanks) and why its effect is unknown.
func splitUnknown(r string) (name, why string, ok bool) {
	i := strings.Index(r, unknownMid)
	if i <= 0 || strings.ContainsAny(r[:i], " \t\n") || !strings.HasSuffix(r, ")") {
		return "", "", false
	}
	return r[:i], strings.TrimPrefix(r[i+len(unknownMid):len(r)-1], "… "), true
}

// specialized runs the body of the combinator behind sig with the
// execution tokens given on every path (the same on all), or returns nil.
func (e *engine) specialized(sig *Sig) *Sig {
	if sig.def == nil || e.spec == nil || len(sig.Alts) != 1 || len(e.cur) == 0 {
		return nil
	}
	n := sig.Alts[0].In[0]
	var xts []boundXT
	for pi, s := range e.cur {
		for j, i := range sig.XTs {
			p := len(s.st[0]) - n + i
			if p < 0 || p >= len(s.st[0]) || s.st[0][p].xt == 0 {
				return nil
			}
			r := e.xts[s.st[0][p].xt-1]
			if pi == 0 {
				xts = append(xts, boundXT{in: i, ref: r})
			} else if xts[j].ref != r {
				return nil
			}
		}
	}
	return e.spec(sig.def, n, xts)
}

// xtsNeutral checks the execution tokens a word executes (Sig.XTs): its
// stack comment ("( xt -- )") is right only when they leave the stacks as
// they were. It tells why not, or "".
func (e *engine) xtsNeutral(sig *Sig) string {
	if len(sig.XTs) == 0 || len(sig.Alts) == 0 {
		return ""
	}
	n := sig.Alts[0].In[0]
	for _, s := range e.cur {
		for _, i := range sig.XTs {
			p := len(s.st[0]) - n + i
			if p < 0 || p >= len(s.st[0]) || s.st[0][p].xt == 0 {
				return "it executes an execution token not known here, and its stack comment is right only for one that leaves the stacks as they were"
			}
			r := e.xts[s.st[0][p].xt-1]
			x := e.sigOf(r)
			if x == nil || !x.Known || x.Bottom || len(x.Alts) != 1 || x.Alts[0].In != [3]int{} || x.Alts[0].Out != [3]int{} {
				return fmt.Sprintf("it executes %s, and its stack comment is right only for a word that leaves the stacks as they were", r.Name())
			}
		}
	}
	return ""
}
