package infer

import (
	"fmt"
	"strings"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/number"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// maxMacroDepth bounds macros expanding macros (a word that postpones
// itself would not end).
const maxMacroDepth = 16

// macro expands an immediate user word d used in a definition by running
// its body at compile time, as the Forth compiler does:
//
//   - a POSTPONEd word, and every word between ]] and [[, is compiled
//     into this definition (an immediate one runs its compilation
//     semantics here: IF, ELSE, a user macro);
//   - literals go on the compile-time stack, where CS-PICK and CS-ROLL
//     take their index, LITERAL and COMPILE, what they compile;
//   - EVALUATE of a literal string reads the string as if it stood here;
//   - a postponed DOES> ends the run-time code of this definition.
//
// A body that does anything else (computes at compile time, decides,
// calls other words) cannot be followed: the effect of this definition is
// unknown, and since the word may have changed the control-flow stack, no
// control-structure error follows from it.
func (e *engine) macro(op *syntax.Op) {
	d := e.remap(op.Ref.D)
	if why := e.followable(d); why != "" {
		compiles := false
		for i := range d.Body {
			b := &d.Body[i]
			if b.Kind == syntax.OpPostpone || b.Kind == syntax.OpCall && b.Ref.D != nil ||
				b.Kind == syntax.OpCall && b.Ref.B != nil && compilesWord(b.Ref.B.Name) {
				compiles = true
			}
		}
		if !compiles {
			// Runs at compile time only; its data effect is on the
			// compile-time stack.
			saved := e.cur
			if e.ct == nil {
				e.ct = e.newState()
			}
			e.cur = []*state{e.ct}
			e.call(op, e.resolve(d), d.Display)
			if len(e.cur) > 0 {
				e.ct = e.cur[0]
			}
			e.cur = saved
			return
		}
		e.csLost = true
		e.setUnknown(fmt.Sprintf("uses the immediate word %s, which compiles code at compile time (%s)", d.Display, why))
		return
	}
	if e.macroDepth >= maxMacroDepth {
		e.csLost = true
		e.setUnknown(fmt.Sprintf("uses the immediate word %s, which expands into itself", d.Display))
		return
	}
	e.macroDepth++
	defer func() { e.macroDepth-- }()
	if e.ct == nil {
		e.ct = e.newState()
	}
	postponing := false
	for i := 0; i < len(d.Body); i++ {
		b := &d.Body[i]
		if postponing {
			if isBuiltin(b, "[[") {
				postponing = false
				continue
			}
			e.compile(op, b)
			continue
		}
		switch {
		case isBuiltin(b, "]]"):
			postponing = true
		case isBuiltin(b, ";"):
			return
		case b.Kind == syntax.OpPostpone:
			e.compileRef(op, b.Target)
		case b.Postponed:
			// A literal or a string the reader found between ]] and [[.
			e.compile(op, b)
		case b.Kind == syntax.OpNumber || b.Kind == syntax.OpChar:
			v := e.fresh()
			v.k, v.lit = kLit, b.Lo
			e.push(e.ct, 0, v)
		case b.Kind == syntax.OpTick:
			e.xts = append(e.xts, b.Target)
			v := e.fresh()
			v.k, v.xt = kNonZero, int32(len(e.xts))
			e.push(e.ct, 0, v)
		case b.Kind == syntax.OpString:
			// Followed by EVALUATE (followable checked it).
			i++
			e.evaluate(op, d, b)
		case isBuiltin(b, "cs-roll") || isBuiltin(b, "cs-pick"):
			syn := syntax.Op{Kind: syntax.OpCall, Start: op.Start, End: op.End, Ref: b.Ref, Interp: true}
			e.interp(&syn)
		case isBuiltin(b, "compile,"):
			v := e.pop(e.ct, 0)
			if v.xt == 0 {
				e.csLost = true
				e.setUnknown(fmt.Sprintf("uses the immediate word %s, which compiles an execution token not known here", d.Display))
				return
			}
			e.compileRef(op, e.xts[v.xt-1])
		case isBuiltin(b, "literal"), isBuiltin(b, "literal,"):
			v := e.pop(e.ct, 0)
			if v.id < 0 {
				v = e.fresh()
			}
			e.each(func(s *state) { e.push(s, 0, v) })
		}
		if e.unknown {
			return
		}
	}
}

// followable tells why d's body cannot be run at compile time by macro,
// or "" when it can.
func (e *engine) followable(d *syntax.Def) string {
	postponing, compiles := false, false
	for i := 0; i < len(d.Body); i++ {
		b := &d.Body[i]
		if postponing {
			if isBuiltin(b, "[[") {
				postponing = false
			}
			compiles = true
			continue
		}
		switch {
		case isBuiltin(b, "]]"):
			postponing = true
		case isBuiltin(b, ";"):
		case b.Kind == syntax.OpPostpone, b.Postponed:
			compiles = true
		case b.Kind == syntax.OpNumber && b.NumKind == number.Single, b.Kind == syntax.OpChar, b.Kind == syntax.OpTick:
		case b.Kind == syntax.OpString && b.Ref.B != nil && (b.Ref.B.Name == "s\"" || b.Ref.B.Name == "s\\\""):
			if i+1 >= len(d.Body) || !isBuiltin(&d.Body[i+1], "evaluate") {
				return "a string used otherwise than by EVALUATE"
			}
			i++
			compiles = true
		case isBuiltin(b, "cs-roll"), isBuiltin(b, "cs-pick"), isBuiltin(b, "compile,"), isBuiltin(b, "literal"), isBuiltin(b, "literal,"):
			compiles = true
		default:
			return fmt.Sprintf("%s at compile time", opName(b))
		}
	}
	if !compiles {
		return "it compiles nothing"
	}
	return ""
}

func isBuiltin(op *syntax.Op, name string) bool {
	return op.Kind == syntax.OpCall && op.Ref.B != nil && op.Ref.D == nil && op.Ref.B.Name == name
}

// compilesWord reports whether a builtin used at compile time adds code
// to the definition being compiled.
func compilesWord(name string) bool {
	switch name {
	case "compile,", "literal", "literal,", "2literal", "fliteral", "sliteral", ",", "postpone", "[compile]", "evaluate", "cs-roll", "cs-pick", "]]":
		return true
	}
	return false
}

// compile compiles the operation b of a macro's body (between ]] and
// [[) into this definition at the use op.
func (e *engine) compile(use, b *syntax.Op) {
	switch b.Kind {
	case syntax.OpCall:
		e.compileRef(use, b.Ref)
	default:
		syn := *b
		syn.Start, syn.End, syn.Interp = use.Start, use.End, false
		if b.Kind == syntax.OpString || b.Kind == syntax.OpTick {
			// The text stays where it was written.
			syn.Start, syn.End = b.Start, b.End
		}
		e.step(&syn)
	}
}

// compileRef compiles a call of r into this definition at the use op: an
// immediate word runs its compilation semantics here.
func (e *engine) compileRef(use *syntax.Op, r syntax.Ref) {
	syn := syntax.Op{Kind: syntax.OpCall, Start: use.Start, End: use.End, Ref: r}
	switch {
	case r.D != nil && e.remap(r.D).Immediate:
		syn.Interp = true
		e.interp(&syn)
	case r.B != nil && r.B.Name == "does>":
		e.exit(use, "DOES>")
	case r.B != nil && r.B.Name == ";":
		// A postponed ";" ends this definition where the macro is used.
		e.exit(use, "the end of the definition")
	default:
		e.step(&syn)
	}
}

// evaluate reads the text of the string op s (in d's source) as if it
// stood in this definition at the use op: numbers and the words of the
// system's dictionary that parse nothing; anything else (a user word,
// which the analysis cannot look up here, or a parsing word) makes the
// effect unknown.
func (e *engine) evaluate(use *syntax.Op, d *syntax.Def, s *syntax.Op) {
	if d.File == nil || int(s.ArgEnd) > len(d.File.Src) || s.ArgStart > s.ArgEnd {
		e.csLost = true
		e.setUnknown(fmt.Sprintf("uses the immediate word %s, which evaluates text not available here", d.Display))
		return
	}
	text := string(d.File.Src[s.ArgStart:s.ArgEnd])
	base := d.Base
	if base < 2 || base > 36 {
		base = 10
	}
	for _, w := range strings.Fields(text) {
		if n, ok := number.Parse([]byte(w), base, true); ok && n.Kind == number.Single {
			num := syntax.Op{Kind: syntax.OpNumber, NumKind: n.Kind, Lo: n.Lo, Hi: n.Hi, Start: use.Start, End: use.End}
			e.step(&num)
			continue
		}
		b := e.lookupWord(w)
		if b == nil || b.Parse != builtins.ParseNone || b.Defines != "" {
			e.csLost = true
			e.setUnknown(fmt.Sprintf("uses the immediate word %s, which evaluates %q (%s cannot be read here)", d.Display, text, w))
			return
		}
		e.compileRef(use, syntax.Ref{B: b})
		if e.unknown {
			return
		}
	}
}

// lookupWord finds a word of the system by name, unless the program
// defines a word of that name (then it cannot be told which is meant).
func (e *engine) lookupWord(name string) *builtins.Word {
	if e.userName != nil && e.userName(strings.ToLower(name)) {
		return nil
	}
	return builtins.Default().Lookup(name)
}
