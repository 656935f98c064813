package infer

import (
	"fmt"
	"slices"
	"sync"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/number"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// sigs caches the Sig of each builtin word (*builtins.Word -> *Sig),
// made on first use: a process that analyses a few lines (a cold
// fastforth gen) does not pay for the signatures of the 1,600 others.
var sigs sync.Map

// BuiltinSig returns the Sig of a builtin word, computed once from the
// table.
func BuiltinSig(w *builtins.Word) *Sig {
	if w == nil {
		return Unknown("not a builtin")
	}
	if s, ok := sigs.Load(w); ok {
		return s.(*Sig)
	}
	s, _ := sigs.LoadOrStore(w, wordSig(w))
	return s.(*Sig)
}

func wordSig(b *builtins.Word) *Sig {
	if !b.Known {
		return Unknown("no effect is recorded for " + b.Name)
	}
	return FromEffect(&b.Effect)
}

// SigOf returns the Sig of any word reference.
func (e *engine) sigOf(r syntax.Ref) *Sig {
	switch {
	case r.D != nil:
		return e.resolve(r.D)
	case r.B != nil:
		return BuiltinSig(r.B)
	}
	return Unknown("undefined word")
}

func (e *engine) pushXT(r syntax.Ref) {
	e.xts = append(e.xts, r)
	idx := int32(len(e.xts))
	e.each(func(s *state) {
		v := e.fresh()
		v.k, v.xt = kNonZero, idx
		e.push(s, 0, v)
	})
}

func (e *engine) step(op *syntax.Op) {
	e.before, e.prev = e.prev, op
	if op.Postponed && op.Kind != syntax.OpPostpone {
		// Compiled into the caller (]] 5 [[): no effect here.
		return
	}
	switch op.Kind {
	case syntax.OpNumber, syntax.OpChar:
		n := op.Number()
		e.each(func(s *state) {
			switch n.Kind {
			case number.Double:
				lo, hi := e.fresh(), e.fresh()
				lo.k, lo.lit = kLit, n.Lo
				hi.k, hi.lit = kLit, n.Hi
				e.push(s, 0, lo)
				e.push(s, 0, hi)
			case number.Float:
				e.push(s, 2, e.fresh())
			default:
				v := e.fresh()
				v.k, v.lit = kLit, n.Lo
				e.push(s, 0, v)
			}
		})
	case syntax.OpString:
		if op.Ref.B != nil && op.Ref.B.Name == "abort\"" {
			if sig := BuiltinSig(op.Ref.B); sig.Known && len(sig.Alts) > 0 && sig.Alts[0].In[0] == 0 {
				// A system's ABORT" that takes no flag (ESP32forth):
				// it always aborts.
				e.cur = nil
				return
			}
			// The selector of a CASE that no OF matched, as the flag of
			// the default's ABORT", stands for "any other value": the
			// default aborts.
			var next []*state
			for _, s := range e.cur {
				if n := len(s.st[0]); n > 0 && s.st[0][n-1].sel {
					e.pop(s, 0)
					continue
				}
				next = append(next, s)
			}
			e.cur = next
			_, onFalse := e.split()
			e.cur = onFalse
			return
		}
		e.call(op, e.sigOf(op.Ref), opName(op))
	case syntax.OpTick:
		e.pushXT(op.Target)
	case syntax.OpQuotation:
		e.pushXT(syntax.Ref{D: op.NewDef})
	case syntax.OpColon:
		if op.NewDef != nil && op.NewDef.Kind == syntax.Noname {
			e.pushXT(syntax.Ref{D: op.NewDef})
		}
	case syntax.OpLocal, syntax.OpToLocal:
		if e.def == nil || int(op.Local) >= len(e.def.Locals) {
			return
		}
		l := e.def.Locals[op.Local]
		k, n := 0, 1
		if l.Float {
			k = 2
		} else if l.Double {
			n = 2
		}
		e.each(func(s *state) {
			if k == 0 && n == 1 {
				// A single-cell local keeps what is known of its value
				// (an xt given to a combinator, a literal).
				if op.Kind == syntax.OpLocal {
					v, ok := s.local(int(op.Local))
					if !ok {
						v = e.fresh()
					}
					e.push(s, 0, v)
				} else {
					s.setLocal(int(op.Local), e.pop(s, 0))
				}
				return
			}
			for i := 0; i < n; i++ {
				if op.Kind == syntax.OpLocal {
					e.push(s, k, e.fresh())
				} else {
					e.pop(s, k)
				}
			}
		})
	case syntax.OpLocals:
		e.each(func(s *state) {
			for i := int16(0); i < op.NFloatLocals; i++ {
				e.pop(s, 2)
			}
			cells := make([]val, op.NLocals)
			for i := len(cells) - 1; i >= 0; i-- {
				cells[i] = e.pop(s, 0)
			}
			if e.def == nil {
				return
			}
			// The initialised locals come first, the last one from the
			// top of the stack; "locals| a b |" takes a from the top.
			if op.Ref.B != nil && op.Ref.B.Name == "locals|" {
				slices.Reverse(cells)
			}
			c, f := 0, int16(0)
			for i := int(op.Local); i < len(e.def.Locals) && (c < len(cells) || f < op.NFloatLocals); i++ {
				switch l := e.def.Locals[i]; {
				case l.Float:
					f++
				case l.Double:
					c += 2
				default:
					if c < len(cells) {
						v := cells[c]
						if v.id < 0 && e.inLoop() {
							v = e.fresh()
						}
						s.setLocal(i, v)
					}
					c++
				}
			}
		})
	case syntax.OpUndefined:
		e.setUnknown(fmt.Sprintf("calls the undefined word %s", e.text(op)))
	case syntax.OpDefine:
		if op.Ref.D == nil && op.Ref.B == nil {
			// A further name of a word that defines several: the
			// defining word's effect was applied once.
			return
		}
		if op.Ref.D != nil {
			e.call(op, e.resolve(op.Ref.D), op.Ref.D.Display)
			return
		}
		e.call(op, e.sigOf(op.Ref), opName(op))
	case syntax.OpPostpone:
		if t := op.Target.D; t != nil {
			// Postponing an immediate word compiles a call to it: it
			// runs when this definition runs.
			if e.remap(t).Immediate {
				e.call(op, e.resolve(t), t.Display)
			}
			return
		}
		if op.Target.B == nil {
			return
		}
		switch b := op.Target.B; b.Name {
		case "literal":
			e.apply(Fixed(1, 0, 0, 0, 0, 0))
		case "2literal", "sliteral":
			e.apply(Fixed(2, 0, 0, 0, 0, 0))
		case "fliteral":
			e.apply(Fixed(0, 0, 0, 0, 1, 0))
		default:
			if controlWord(b) {
				// Its compile-time effect is on the control-flow stack,
				// which gforth keeps on the data stack.
				e.setUnknown(fmt.Sprintf("postpones %s, which works on the control-flow stack when this definition runs", b.Name))
			}
		}
	case syntax.OpDoes:
		e.exit(op, "DOES>")
	case syntax.OpTo:
		e.to(op)
	case syntax.OpInclude:
		if op.Ref.B != nil && (op.Ref.B.Name == "included" || op.Ref.B.Name == "required") {
			e.apply(Fixed(2, 0, 0, 0, 0, 0))
		}
	case syntax.OpEnterInterp, syntax.OpLeaveInterp:
	case syntax.OpCall:
		if d := op.Ref.D; d != nil {
			if e.remap(d) == e.def {
				e.recurse(op)
				return
			}
			e.call(op, e.resolve(d), d.Display)
			if d.Kind == syntax.Constant {
				e.constant(e.remap(d))
			}
			return
		}
		if op.Ref.B != nil {
			e.builtin(op, op.Ref.B)
		}
	}
}

// constant marks the cell a single-cell constant left: its value when
// known, else that it is a named constant (an exception code thrown with
// THROW is never zero).
func (e *engine) constant(d *syntax.Def) {
	if d.Effect == nil || len(d.Effect.Out) != 1 {
		return
	}
	if n, ok := d.Effect.Out[0].Count(effect.Data); !ok || n != 1 {
		return
	}
	if n, _ := d.Effect.Out[0].Count(effect.Float); n != 0 {
		return
	}
	lit, known := d.Value()
	e.each(func(s *state) {
		n := len(s.st[0])
		if n == 0 || s.st[0][n-1].id < 0 {
			return
		}
		v := &s.st[0][n-1]
		if known {
			v.k, v.lit = kLit, lit
		} else if v.k == kUnknown {
			v.named = true
		}
	})
}

func (e *engine) to(op *syntax.Op) {
	name := opName(op)
	if name == "action-of" {
		e.apply(Fixed(0, 1, 0, 0, 0, 0))
		return
	}
	if name == "is" {
		e.apply(Fixed(1, 0, 0, 0, 0, 0))
		return
	}
	din, fin := 1, 0
	if t := op.Target.D; t != nil && t.Via != nil {
		switch t.Via.Name {
		case "2value":
			din = 2
		case "fvalue":
			din, fin = 0, 1
		}
	}
	e.apply(Fixed(din, 0, 0, 0, fin, 0))
}

func (e *engine) exit(op *syntax.Op, where string) {
	for _, s := range e.cur {
		e.checkReturn(op, s, where)
	}
	e.exits = append(e.exits, e.cur...)
	e.cur = nil
}

func (e *engine) recurse(op *syntax.Op) {
	if e.def == nil || e.topLvl {
		e.report(diag.RecurseOutside, op, "RECURSE outside a definition")
		return
	}
	e.sawRecurse = true
	switch {
	case e.recurseBottom:
		e.cur = nil
	case e.self != nil && e.self.Known:
		e.apply(e.self)
	default:
		e.setUnknown("recursive, without a stack comment")
	}
}

func (e *engine) builtin(op *syntax.Op, w *builtins.Word) {
	if !w.Immediate && structureWord(w.Name) {
		// A system's ordinary word that shares a control word's name
		// (zeptoforth's TRY, which executes an xt like CATCH).
		e.call(op, BuiltinSig(w), w.Name)
		return
	}
	if e.topLvl && w.CompileOnly {
		if w.Name == "recurse" {
			e.report(diag.RecurseOutside, op, "RECURSE outside a definition")
			return
		}
		e.report(diag.CompileOnly, op, "%s is compile-only: it has no meaning outside a definition", w.Name)
		// Go on with its usual data effect, without a second complaint,
		// so that "r> drop" does not also report an underflow.
		if sig := BuiltinSig(w); sig.Known && len(sig.Alts) == 1 {
			a := sig.Alts[0]
			deep := e.deep
			e.deep = true
			e.apply(Fixed(a.In[0], a.Out[0], 0, 0, a.In[2], a.Out[2]))
			e.deep = deep
		}
		return
	}
	switch w.Name {
	case ";", ";]":
		e.exit(op, "the end of the definition")
		e.closeCS()
	case "exit":
		e.exit(op, "EXIT")
	case "?exit":
		onTrue, onFalse := e.split()
		saved := e.cur
		e.cur = onTrue
		e.exit(op, "?EXIT")
		_ = saved
		e.cur = onFalse
	case "recurse":
		e.recurse(op)
	case ":", ":noname":
		// Compiled into a definition: it starts another one when this
		// one runs, with a colon-sys whose size is the system's.
		e.setUnknown(fmt.Sprintf("%s starts a definition when this one runs (colon-sys is system-specific)", w.Name))
	case "if":
		onTrue, onFalse := e.split()
		e.cs = append(e.cs, csEntry{kind: csOrig, states: onFalse, op: op})
		e.cur = onTrue
	case "else":
		if o, ok := e.popCS(op, csOrig); ok {
			e.cs = append(e.cs, csEntry{kind: csOrig, states: e.cur, op: op})
			e.cur = o.states
		}
	case "then", "endif":
		if o, ok := e.popCS(op, csOrig); ok {
			e.cur = e.join(op, e.cur, o.states)
		}
	case "?dup-if", "?dup-0=-if":
		// ?dup-if: go on with x when it is non-zero, else drop it and
		// branch forward; ?dup-0=-if the other way round.
		var keep, dropped []*state
		for _, s := range e.cur {
			v := e.pop(s, 0)
			switch {
			case v.zero():
				dropped = append(dropped, s)
			case v.nonZero():
				e.push(s, 0, v)
				keep = append(keep, s)
			default:
				dropped = append(dropped, s.clone())
				v.k = kNonZero
				e.push(s, 0, v)
				keep = append(keep, s)
			}
		}
		cont, jump := keep, dropped
		if w.Name == "?dup-0=-if" {
			cont, jump = dropped, keep
		}
		e.cs = append(e.cs, csEntry{kind: csOrig, states: jump, op: op})
		e.cur = cont
	case "aft":
		// for ... aft A then B next: the first pass jumps from AFT to
		// THEN; later passes run A.
		if i := e.innermostDo(); i < 0 || i != len(e.cs)-1 {
			e.report(diag.UnbalancedControl, op, "AFT without a matching FOR")
			e.setBroken("unbalanced control structure")
			return
		}
		e.cs = append(e.cs, csEntry{kind: csOrig, states: cloneAll(e.cur), op: op})
	case "try":
		// The handler frame goes on the return stack. An exception comes
		// back with the stacks at the depth they had here (their
		// contents unknown), the frame still there, and the error code
		// on top; it arrives where IFERROR, RESTORE or ENDTRY-IFERROR
		// resolves the orig TRY leaves.
		e.each(func(s *state) { e.push(s, 1, e.fresh()) })
		failed := cloneAll(e.cur)
		for _, s := range failed {
			for k := 0; k < 3; k += 2 {
				for i := range s.st[k] {
					s.st[k][i] = e.fresh()
				}
			}
			v := e.fresh()
			v.k = kNonZero
			e.push(s, 0, v)
		}
		e.cs = append(e.cs, csEntry{kind: csOrig, states: failed, op: op})
	case "iferror", "restore":
		if o, ok := e.popCS(op, csOrig); ok {
			if w.Name == "restore" {
				e.cur = e.join(op, e.cur, o.states)
				return
			}
			e.cs = append(e.cs, csEntry{kind: csOrig, states: e.cur, op: op})
			e.cur = o.states
		}
	case "endtry":
		e.each(func(s *state) { e.pop(s, 1) })
	case "endtry-iferror":
		if o, ok := e.popCS(op, csOrig); ok {
			e.each(func(s *state) { e.pop(s, 1) })
			for _, s := range o.states {
				e.pop(s, 1)
			}
			e.cs = append(e.cs, csEntry{kind: csOrig, states: e.cur, op: op})
			e.cur = o.states
		}
	case "cs-pick", "cs-roll":
		// Inside [ ] it rearranges this definition's control-flow
		// stack; compiled, it acts on whatever is being compiled when
		// the definition runs.
		if !op.Interp {
			e.setUnknown(fmt.Sprintf("%s rearranges the control-flow stack of the definition being compiled", w.Name))
			return
		}
		u := -1
		for i, s := range e.cur {
			v := e.pop(s, 0)
			if v.k != kLit && !v.zero() || i > 0 && int(v.lit) != u {
				u = -1
				break
			}
			u = int(v.lit)
		}
		if u < 0 || u >= len(e.cs) {
			e.setUnknown(fmt.Sprintf("%s with an index that is not known here", w.Name))
			return
		}
		i := len(e.cs) - 1 - u
		c := e.cs[i]
		if w.Name == "cs-pick" {
			c.states = cloneAll(c.states)
			c.leaves = cloneAll(c.leaves)
			c.leaveOps = slices.Clone(c.leaveOps)
			e.cs = append(e.cs, c)
			return
		}
		copy(e.cs[i:], e.cs[i+1:])
		e.cs[len(e.cs)-1] = c
	case "ahead":
		e.cs = append(e.cs, csEntry{kind: csOrig, states: e.cur, op: op})
		e.cur = nil
	case "begin":
		e.cur = e.widen(e.cur)
		e.cs = append(e.cs, csEntry{kind: csDest, states: cloneAll(e.cur), op: op})
	case "until":
		dep := e.topDep()
		if d, ok := e.popCS(op, csDest); ok {
			onTrue, onFalse := e.split()
			e.backEdge(op, d.states, onFalse, d.dep || dep)
			e.cur = onTrue
		}
	case "end":
		// zeptoforth's "begin ... end": a block, not a loop (at top
		// level, the end of implicit compilation).
		e.popCS(op, csDest)
	case "again":
		if d, ok := e.popCS(op, csDest); ok {
			e.backEdge(op, d.states, e.cur, d.dep)
			e.cur = nil
		}
	case "while":
		dep := e.topDep()
		onTrue, onFalse := e.split()
		o := csEntry{kind: csOrig, states: onFalse, op: op}
		// WHILE goes below the innermost BEGIN (or DO: gforth allows
		// leaving a counted loop with WHILE, the loop parameters still
		// on the return stack).
		if n := len(e.cs); n > 0 && (e.cs[n-1].kind == csDest || e.cs[n-1].kind == csDo) {
			e.cs[n-1].dep = e.cs[n-1].dep || dep
			e.cs = append(e.cs[:n-1], o, e.cs[n-1])
		} else if !e.csLost {
			e.report(diag.UnbalancedControl, op, "WHILE without a matching BEGIN")
			e.setBroken("unbalanced control structure")
			e.cs = append(e.cs, o)
		}
		e.cur = onTrue
	case "repeat":
		if d, ok := e.popCS(op, csDest); ok {
			e.backEdge(op, d.states, e.cur, d.dep)
			e.cur = nil
			if o, ok := e.popCS(op, csOrig); ok {
				e.cur = e.join(op, o.states)
			}
		}
	case "do", "?do", "+do", "u+do", "-do", "u-do":
		dep := false
		e.each(func(s *state) {
			a, b := e.pop(s, 0), e.pop(s, 0)
			dep = dep || a.dep || b.dep
		})
		var skip []*state
		if w.Name != "do" {
			skip = cloneAll(e.cur)
		}
		e.each(func(s *state) {
			v := e.fresh()
			v.loopSys = true
			e.push(s, 1, v)
		})
		e.cur = e.widen(e.cur)
		e.cs = append(e.cs, csEntry{kind: csDo, states: cloneAll(e.cur), leaves: skip, leaveOps: make([]*syntax.Op, len(skip)), op: op, dep: dep})
	case "for":
		// u+1 iterations (at least one): no path skips the body.
		dep := e.topDep()
		e.each(func(s *state) {
			e.pop(s, 0)
			v := e.fresh()
			v.loopSys = true
			e.push(s, 1, v)
		})
		e.cur = e.widen(e.cur)
		e.cs = append(e.cs, csEntry{kind: csDo, states: cloneAll(e.cur), op: op, dep: dep})
	case "loop", "+loop", "-loop", "s+loop", "next":
		dep := false
		if w.Name != "loop" && w.Name != "next" {
			dep = e.topDep()
			e.each(func(s *state) { e.pop(s, 0) })
		}
		if d, ok := e.popCS(op, csDo); ok {
			e.backEdge(op, d.states, e.cur, d.dep || dep)
			e.each(func(s *state) { e.popLoopSys(op, s) })
			if e.checkLeaves(d) {
				e.cur = e.join(nil, e.cur, d.leaves)
			} else {
				e.cur = e.join(op, e.cur, d.leaves)
			}
		}
	case "leave", "?leave":
		idx := e.innermostDo()
		leaving := e.cur
		if w.Name == "?leave" {
			var onFalse []*state
			leaving, onFalse = e.split()
			e.cur = onFalse
		} else {
			e.cur = nil
		}
		if idx < 0 {
			if !e.csLost {
				e.report(diag.UnbalancedControl, op, "%s outside a DO loop", w.Name)
				e.setBroken("unbalanced control structure")
			}
			return
		}
		for _, s := range leaving {
			e.popLoopSys(op, s)
			e.cs[idx].leaves = append(e.cs[idx].leaves, s)
			e.cs[idx].leaveOps = append(e.cs[idx].leaveOps, op)
		}
	case "unloop":
		e.each(func(s *state) { e.popLoopSys(op, s) })
	case "i", "j", "k", "i'":
		need := map[string]int{"i": 1, "i'": 1, "j": 2, "k": 3}[w.Name]
		e.each(func(s *state) {
			seen := 0
			for i := len(s.st[1]) - 1; i >= 0 && seen < need; i-- {
				if s.st[1][i].loopSys {
					seen++
					continue
				}
				if e.innermostDo() >= 0 {
					e.diags = append(e.diags, diag.Diagnostic{Start: int(op.Start), End: int(op.End), Severity: diag.Warning, Code: diag.ReturnStack,
						Message: fmt.Sprintf("%s with other items on the return stack above the loop parameters", w.Name)})
				}
				break
			}
			e.push(s, 0, e.fresh())
		})
	case "case":
		e.cs = append(e.cs, csEntry{kind: csCase, op: op})
	case "of":
		var match, next []*state
		for _, s := range e.cur {
			x2 := e.pop(s, 0)
			x1 := e.pop(s, 0)
			if x1.k == kLit && x2.k == kLit {
				if x1.lit == x2.lit {
					match = append(match, s)
				} else {
					e.push(s, 0, x1)
					next = append(next, s)
				}
				continue
			}
			n := s.clone()
			if x2.zero() && x1.k == kUnknown {
				// Not 0: the path that goes on knows it is not zero.
				x1.k = kNonZero
			}
			x1.sel = true
			e.push(n, 0, x1)
			match = append(match, s)
			next = append(next, n)
		}
		e.cs = append(e.cs, csEntry{kind: csOf, states: next, op: op})
		e.cur = match
	case "ofstr", "ofstrcase":
		// zeptoforth's CASE on strings: "s\" TCP\" ofstr ... endof"
		// compares the string given with the case string below it.
		var match, next []*state
		for _, s := range e.cur {
			e.pop(s, 0)
			e.pop(s, 0)
			u := e.pop(s, 0)
			a := e.pop(s, 0)
			n := s.clone()
			e.push(n, 0, a)
			e.push(n, 0, u)
			match = append(match, s)
			next = append(next, n)
		}
		e.cs = append(e.cs, csEntry{kind: csOf, states: next, op: op})
		e.cur = match
	case "endof":
		if o, ok := e.popCS(op, csOf); ok {
			if n := len(e.cs); n > 0 && e.cs[n-1].kind == csCase {
				e.cs[n-1].leaves = append(e.cs[n-1].leaves, e.cur...)
			} else if !e.csLost {
				e.report(diag.UnbalancedControl, op, "ENDOF without CASE")
				e.setBroken("unbalanced control structure")
			}
			e.cur = o.states
		}
	case "endcase", "endcasestr":
		if c, ok := e.popCS(op, csCase); ok {
			e.each(func(s *state) {
				e.pop(s, 0)
				if w.Name == "endcasestr" {
					e.pop(s, 0) // the case string is two cells
				}
			})
			n := len(e.divs)
			def := e.cur
			e.cur = e.join(op, e.cur, c.leaves)
			if len(e.divs) > n && e.before != nil && e.before.Kind == syntax.OpCall && e.before.Ref.B != nil && e.before.Ref.B.Name == "endof" && oneDepth(c.leaves) && len(def) > 0 && !oneDepth(append(slices.Clone(def), c.leaves...)) {
				// "case a of ... endof b of ... endof endcase": every
				// arm leaves the same stack; only no match, which the
				// code does not expect, leaves another.
				e.divs[n].noDefault = true
			}
		}
	case "state":
		e.apply(BuiltinSig(w))
		e.each(func(s *state) {
			if n := len(s.st[0]); n > 0 {
				s.st[0][n-1].stateAddr = true
			}
		})
	case "@":
		from := make([]bool, len(e.cur))
		for i, s := range e.cur {
			n := len(s.st[0])
			from[i] = n > 0 && s.st[0][n-1].stateAddr
		}
		e.apply(BuiltinSig(w))
		if len(e.cur) == len(from) {
			for i, s := range e.cur {
				if n := len(s.st[0]); n > 0 && from[i] {
					s.st[0][n-1].stateSense = 1
				}
			}
		}
	case "depth", "fdepth":
		e.readsDepth = true
		e.apply(BuiltinSig(w))
		e.each(func(s *state) {
			if n := len(s.st[0]); n > 0 {
				s.st[0][n-1].dep = true
			}
		})
	case "abort", "quit", "bye", "(abort)":
		e.cur = nil
	case "throw", "?raise":
		var next []*state
		for _, s := range e.cur {
			// "exp-bad throw": a named constant thrown is an exception
			// code, never zero.
			if v := e.pop(s, 0); !v.nonZero() && !v.named {
				next = append(next, s)
			}
		}
		e.cur = next
	case "?dup":
		var next []*state
		for _, s := range e.cur {
			v := e.pop(s, 0)
			switch {
			case v.zero():
				e.push(s, 0, v)
				next = append(next, s)
			case v.nonZero():
				e.push(s, 0, v)
				e.push(s, 0, v)
				next = append(next, s)
			default:
				z := s.clone()
				zv := v
				zv.k = kZero
				e.push(z, 0, zv)
				nv := v
				nv.k = kNonZero
				e.push(s, 0, nv)
				e.push(s, 0, nv)
				next = append(next, z, s)
			}
		}
		e.cur = e.join(nil, next)
	case "0=", "not", "0<>":
		var vals []val
		for _, s := range e.cur {
			if n := len(s.st[0]); n > 0 {
				vals = append(vals, s.st[0][n-1])
			} else {
				vals = append(vals, val{})
			}
		}
		e.apply(BuiltinSig(w))
		if len(vals) != len(e.cur) {
			return
		}
		for i, s := range e.cur {
			v := vals[i]
			n := len(s.st[0])
			if n > 0 && v.stateSense != 0 {
				s.st[0][n-1].stateSense = v.stateSense
				if w.Name != "0<>" {
					s.st[0][n-1].stateSense = -v.stateSense
				}
			}
			if n == 0 || !(v.zero() || v.nonZero()) {
				continue
			}
			isZero := v.zero()
			if w.Name == "0<>" {
				isZero = !isZero
			}
			r := &s.st[0][n-1]
			r.k = kLit
			r.lit = 0
			if isZero {
				r.lit = -1
			}
		}
	case "execute", "catch":
		var ref syntax.Ref
		for i, s := range e.cur {
			n := len(s.st[0])
			if n == 0 || s.st[0][n-1].xt == 0 {
				e.execUnknown = true
				e.setUnknown(fmt.Sprintf("%s of an execution token that is not known here", w.Name))
				return
			}
			r := e.xts[s.st[0][n-1].xt-1]
			if i > 0 && r != ref {
				e.execUnknown = true
				e.setUnknown(fmt.Sprintf("%s of different execution tokens on different paths", w.Name))
				return
			}
			ref = r
		}
		e.each(func(s *state) { e.pop(s, 0) })
		sig := e.sigOf(ref)
		if w.Name == "execute" {
			e.call(op, sig, ref.Name())
			return
		}
		if sig == nil || !sig.Known || len(sig.Alts) != 1 {
			e.call(op, sig, ref.Name())
			return
		}
		// CATCH: the xt's effect and 0, or the depth before and an error.
		failed := cloneAll(e.cur)
		e.apply(sig)
		e.each(func(s *state) {
			v := e.fresh()
			v.k = kZero
			e.push(s, 0, v)
		})
		a := sig.Alts[0]
		for _, s := range failed {
			for k := 0; k < 3; k++ {
				for j := 0; j < a.In[k]; j++ {
					e.pop(s, k)
				}
				for j := 0; j < a.In[k]; j++ {
					e.push(s, k, e.fresh())
				}
			}
			v := e.fresh()
			v.k = kNonZero
			e.push(s, 0, v)
		}
		e.cur = e.join(op, e.cur, failed)
	case "pick", "roll":
		for _, s := range e.cur {
			u := e.pop(s, 0)
			if u.k != kLit && !u.zero() || u.lit < 0 || u.lit > 64 {
				e.setUnknown(fmt.Sprintf("%s with an index that is not a literal", w.Name))
				return
			}
			n := int(u.lit)
			if len(s.st[0]) < n+1 {
				need := s.in
				need[0] += n + 1 - len(s.st[0])
				if e.topLvl && !e.deep {
					e.report(diag.StackUnderflow, op, "stack underflow: %s reaches below the stack", w.Name)
					e.deep = true
				}
				s.extend(need)
			}
			i := len(s.st[0]) - 1 - n
			v := s.st[0][i]
			if w.Name == "roll" {
				copy(s.st[0][i:], s.st[0][i+1:])
				s.st[0][len(s.st[0])-1] = v
			} else {
				e.push(s, 0, v)
			}
		}
	case "literal", "2literal", "sliteral", "fliteral":
		if e.ct == nil {
			e.ct = e.newState()
		}
		k, n := 0, 1
		switch w.Name {
		case "2literal", "sliteral":
			n = 2
		case "fliteral":
			k = 2
		}
		vals := make([]val, n)
		for i := n - 1; i >= 0; i-- {
			vals[i] = e.pop(e.ct, k)
			if vals[i].id < 0 {
				vals[i] = e.fresh()
			}
		}
		e.each(func(s *state) {
			for _, v := range vals {
				e.push(s, k, v)
			}
		})
	default:
		e.call(op, BuiltinSig(w), w.Name)
	}
}

// structureWord reports whether the engine gives a word of this name its
// control-structure meaning, which only an immediate word can have.
func structureWord(name string) bool {
	switch name {
	case "if", "else", "then", "endif", "ahead", "begin", "until", "again", "while", "repeat", "end",
		"do", "?do", "+do", "u+do", "-do", "u-do", "loop", "+loop", "-loop", "s+loop", "for", "next", "aft",
		"case", "of", "endof", "endcase", "?dup-if", "?dup-0=-if", "try", "iferror", "restore", "endtry", "endtry-iferror",
		"ofstr", "ofstrcase", "endcasestr":
		return true
	}
	return false
}

// controlWord reports whether a builtin's compilation semantics use the
// control-flow stack (or otherwise structure the definition being
// compiled).
func controlWord(b *builtins.Word) bool {
	switch b.Name {
	case "if", "else", "then", "endif", "ahead", "begin", "until", "again", "while", "repeat", "end",
		"do", "?do", "+do", "u+do", "-do", "u-do", "loop", "+loop", "-loop", "s+loop", "for", "next",
		"case", "of", "endof", "endcase", "?dup-if", "?dup-0=-if", "try", "iferror", "restore", "endtry",
		"endtry-iferror", "ofstr", "ofstrcase", "endcasestr", "cs-pick", "cs-roll", "does>", ";", ":", ":noname", "[:", ";]", "leave", "?leave", "done":
		return true
	}
	return b.Known && b.Effect.Has(effect.Control)
}

// topDep reports whether the top of the data stack is computed from the
// stack depth on some path.
func (e *engine) topDep() bool {
	for _, s := range e.cur {
		if n := len(s.st[0]); n > 0 && s.st[0][n-1].dep {
			return true
		}
	}
	return false
}

func (e *engine) popLoopSys(op *syntax.Op, s *state) {
	if n := len(s.st[1]); n > 0 && s.st[1][n-1].loopSys {
		s.st[1] = s.st[1][:n-1]
		return
	}
	e.report(diag.ReturnStack, op, "%s: the return stack does not hold the loop parameters on top (unbalanced >R/R> inside the loop?)", opName(op))
	e.setBroken("return stack not balanced")
	if len(s.st[1]) > 0 {
		s.st[1] = s.st[1][:len(s.st[1])-1]
	}
}

// checkLeaves reports the LEAVEs whose paths leave the loop with another
// depth than its end: the items they leave (or take) make every caller's
// effect wrong whenever the loop is left there. It reports whether it
// found one.
func (e *engine) checkLeaves(d csEntry) bool {
	if len(e.cur) == 0 {
		return false
	}
	found := false
	var seen []*syntax.Op
	for i, s := range d.leaves {
		if i >= len(d.leaveOps) || d.leaveOps[i] == nil || slices.Contains(seen, d.leaveOps[i]) {
			continue
		}
		same := false
		for _, c := range e.cur {
			if c.net() == s.net() {
				same = true
			}
		}
		if same {
			continue
		}
		op := d.leaveOps[i]
		seen = append(seen, op)
		e.report(diag.UnbalancedBranch, op, "%s leaves the loop with %s but the loop's end with %s", upper(opName(op)), e.describe(s), e.describe(e.cur[0]))
		e.setBroken("a LEAVE leaves the loop with another stack depth than its end")
		e.brokenLoop = true
		found = true
	}
	return found
}

// closeCS reports control structures still open at the end of a body.
func (e *engine) closeCS() {
	if e.csLost {
		e.cs = e.cs[:0]
		return
	}
	for i := len(e.cs) - 1; i >= 0; i-- {
		c := e.cs[i]
		closer := map[csKind]string{csOrig: "THEN", csDest: "UNTIL, AGAIN or REPEAT", csDo: "LOOP or +LOOP", csCase: "ENDCASE", csOf: "ENDOF"}[c.kind]
		e.report(diag.UnbalancedControl, c.op, "%s has no matching %s", upper(opName(c.op)), closer)
		e.setBroken("unbalanced control structure")
	}
	e.cs = e.cs[:0]
}

func (e *engine) text(op *syntax.Op) string {
	if e.def != nil && e.def.File != nil && int(op.End) <= len(e.def.File.Src) {
		return string(e.def.File.Src[op.Start:op.End])
	}
	return "?"
}

// oneDepth reports whether all the states leave the stacks at the same
// depths.
func oneDepth(states []*state) bool {
	for _, s := range states[min(1, len(states)):] {
		if s.net() != states[0].net() {
			return false
		}
	}
	return true
}
