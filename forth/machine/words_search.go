package machine

import (
	"math"
	"strings"
)

// The search-order word set, FIND, the environment queries, name tokens
// and the locals word set.

const maxOrder = 16

func (m *Machine) widOf(v Cell) int {
	i := v - widBase
	if i < 0 || i >= Cell(len(m.lists)) {
		m.throw(-32)
	}
	return int(i)
}

func (m *Machine) setOrder(order []int) {
	if len(order) > maxOrder {
		m.throw(-49)
	}
	m.order = append(m.order[:0], order...)
}

// findResult pushes xt and 1 (immediate) or -1.
func (m *Machine) findResult(xt Cell, w *word) {
	m.push(xt)
	if w.flags&(fImmediate|fDual) != 0 {
		m.push(1)
	} else {
		m.push(-1)
	}
}

// nameAddr returns the name of xt in memory (for NAME>STRING).
func (m *Machine) nameAddr(xt Cell) (Cell, Cell) {
	w := m.wordOf(xt)
	return m.allocLit([]byte(w.name)), Cell(len(w.name))
}

var searchWords = []prim{
	{name: "find", fn: func(m *Machine) {
		c := m.pop()
		n := m.cfetch(c)
		name := m.span(c+1, n)
		xt, w, ok := m.findName(name)
		if !ok || n == 0 {
			m.push2(c, 0)
			return
		}
		m.findResult(xt, w)
	}},
	{name: "search-wordlist", fn: func(m *Machine) {
		wid := m.widOf(m.pop())
		n := m.pop()
		name := m.span(m.pop(), n)
		xt, ok := m.findIn(wid, m.lowerKey(name))
		if !ok {
			m.push(0)
			return
		}
		m.findResult(xt, m.wordOf(xt))
	}},
	{name: "find-name", fn: func(m *Machine) {
		n := m.pop()
		name := m.span(m.pop(), n)
		xt, _, ok := m.findName(name)
		if !ok {
			xt = 0
		}
		m.push(xt)
	}},
	{name: "name>string", fn: func(m *Machine) { m.push2(m.nameAddr(m.pop())) }},
	{name: "name>interpret", fn: func(m *Machine) { m.wordOf(m.top()) }},
	{name: "name>int", fn: func(m *Machine) { m.wordOf(m.top()) }},
	{name: "name>compile", fn: func(m *Machine) {
		xt := m.pop()
		w := m.wordOf(xt)
		m.push(xt)
		if w.flags&(fImmediate|fDual) != 0 {
			m.push(xtBase + Cell(builtinIndex[widForth]["execute"]))
		} else {
			m.push(xtBase + Cell(builtinIndex[widForth]["compile,"]))
		}
	}},
	{name: "name>comp", fn: func(m *Machine) {
		xt := m.pop()
		w := m.wordOf(xt)
		m.push(xt)
		if w.flags&(fImmediate|fDual) != 0 {
			m.push(xtBase + Cell(builtinIndex[widForth]["execute"]))
		} else {
			m.push(xtBase + Cell(builtinIndex[widForth]["compile,"]))
		}
	}},
	{name: ">name", fn: func(*Machine) {}},
	{name: "traverse-wordlist", fn: func(m *Machine) {
		wid := m.widOf(m.pop())
		xt := m.pop()
		for i := len(m.words) - 1; i >= 0; i-- {
			w := &m.words[i]
			if int(w.wid) != wid || w.name == "" {
				continue
			}
			if cur, ok := m.lists[wid].m[lower(w.name)]; !ok || int(cur) != i {
				continue
			}
			m.push(xtOfUser(i))
			m.execXT(xt)
			if m.pop() == 0 {
				return
			}
		}
	}},
	{name: "forth-wordlist", fn: constant(widBase + widForth)},
	{name: "environment-wordlist", fn: constant(widBase + widEnv)},
	{name: "wordlist", fn: func(m *Machine) {
		if len(m.lists) >= 1024 {
			m.throw(-49)
		}
		m.lists = append(m.lists, wlist{})
		m.push(widBase + Cell(len(m.lists)-1))
	}},
	{name: "get-order", fn: func(m *Machine) {
		for i := len(m.order) - 1; i >= 0; i-- {
			m.push(widBase + Cell(m.order[i]))
		}
		m.push(Cell(len(m.order)))
	}},
	{name: "set-order", fn: func(m *Machine) {
		n := m.pop()
		if n == -1 {
			m.setOrder([]int{widRoot, widRoot})
			return
		}
		if n < 0 || n > maxOrder {
			m.throw(-49)
		}
		order := make([]int, n)
		for i := range order {
			order[i] = m.widOf(m.pop())
		}
		m.setOrder(order)
	}, wid: widForth},
	{name: "get-current", fn: func(m *Machine) { m.push(widBase + Cell(m.current)) }},
	{name: "set-current", fn: func(m *Machine) { m.current = m.widOf(m.pop()) }},
	{name: "definitions", fn: func(m *Machine) {
		if len(m.order) > 0 {
			m.current = m.order[0]
		}
	}},
	{name: "also", fn: func(m *Machine) {
		if len(m.order) == 0 {
			m.throw(-50)
		}
		m.setOrder(append([]int{m.order[0]}, m.order...))
	}},
	{name: "only", fn: func(m *Machine) { m.setOrder([]int{widRoot, widRoot}) }},
	{name: "previous", fn: func(m *Machine) {
		if len(m.order) == 0 {
			m.throw(-50)
		}
		m.order = m.order[1:]
	}},
	{name: "forth", fn: func(m *Machine) { m.replaceOrder(widForth) }},
	{name: "root", fn: func(m *Machine) { m.replaceOrder(widRoot) }},
	{name: ">order", fn: func(m *Machine) {
		wid := m.widOf(m.pop())
		m.setOrder(append([]int{wid}, m.order...))
	}},
	{name: "order", fn: func(m *Machine) {
		for _, wid := range m.order {
			m.emitString(m.listName(wid) + " ")
		}
		m.emitString("    " + m.listName(m.current) + " ")
	}},
	{name: "vocabulary", fn: func(m *Machine) {
		name := m.needName()
		m.lists = append(m.lists, wlist{name: lower(string(name))})
		m.addWord(word{name: string(name), kind: kVocabulary, body: Cell(len(m.lists) - 1), code: -1}, true)
	}},
	{name: "synonym", fn: func(m *Machine) {
		name := m.needName()
		old := m.wordOf(m.tickName())
		w := *old
		w.name = string(name)
		m.addWord(w, true)
	}},
	{name: "alias", fn: func(m *Machine) {
		xt := m.pop()
		name := m.needName()
		w := *m.wordOf(xt)
		w.name = string(name)
		w.flags &^= fImmediate | fCompileOnly
		if w.flags&fDual != 0 {
			w.flags |= fImmediate
		}
		m.addWord(w, true)
	}},

	// Locals.
	{name: "{:", fn: func(m *Machine) { m.parseLocals(":}") }, flags: compileOnly},
	{name: "{", fn: func(m *Machine) { m.parseLocals("}") }, flags: compileOnly},
	{name: "locals|", fn: func(m *Machine) {
		var ls []declLocal
		for {
			name := m.parseNameRefill()
			if name == nil {
				m.throw(-22)
			}
			key := lower(string(name))
			if key == "|" {
				break
			}
			ls = append([]declLocal{{name: key, kind: lCell, init: true}}, ls...)
		}
		m.declareLocals(ls)
	}, flags: compileOnly},
	{name: "(local)", fn: func(m *Machine) {
		n := m.pop()
		a := m.pop()
		d := m.needDef()
		if n == 0 {
			ls := d.pending
			d.pending = nil
			m.declareLocals(ls)
			return
		}
		d.pending = append([]declLocal{{name: lower(m.str(a, n)), kind: lCell, init: true}}, d.pending...)
	}},
}

func (m *Machine) replaceOrder(wid int) {
	if len(m.order) == 0 {
		m.order = []int{wid}
		return
	}
	m.order[0] = wid
}

func (m *Machine) listName(wid int) string {
	if wid < len(m.lists) && m.lists[wid].name != "" {
		return m.lists[wid].name
	}
	return "wordlist"
}

// parseLocals parses a locals declaration up to end: names (typed by a
// preceding W:, D: or F:), | before the uninitialized ones, -- before a
// comment.
func (m *Machine) parseLocals(end string) {
	var ls []declLocal
	init := true
	kind := lCell
	for {
		name := m.parseNameRefill()
		if name == nil {
			m.throw(-22)
		}
		key := lower(string(name))
		switch key {
		case end:
			m.declareLocals(ls)
			return
		case "|":
			init = false
			continue
		case "--":
			for {
				name := m.parseNameRefill()
				if name == nil {
					m.throw(-22)
				}
				if lower(string(name)) == end {
					m.declareLocals(ls)
					return
				}
			}
		case "w:", "n:", "c:":
			kind = lCell
			continue
		case "d:":
			kind = lDouble
			continue
		case "f:", "r:":
			kind = lFloat
			continue
		}
		if strings.HasSuffix(key, "^") || strings.HasSuffix(key, ":") && len(key) > 1 {
			m.throw(-21)
		}
		ls = append(ls, declLocal{name: key, kind: kind, init: init})
		kind = lCell
	}
}

// The environment queries (ENVIRONMENT?).
var envWords = []prim{
	{name: "/counted-string", fn: constant(255), wid: widEnv},
	{name: "/hold", fn: constant(sysHoldSize), wid: widEnv},
	{name: "/pad", fn: constant(sysPadSize), wid: widEnv},
	{name: "address-unit-bits", fn: constant(8), wid: widEnv},
	{name: "core", fn: constant(-1), wid: widEnv},
	{name: "core-ext", fn: constant(-1), wid: widEnv},
	{name: "floored", fn: constant(-1), wid: widEnv},
	{name: "max-char", fn: constant(255), wid: widEnv},
	{name: "max-d", fn: func(m *Machine) { m.push2(-1, maxCell) }, wid: widEnv},
	{name: "max-n", fn: constant(maxCell), wid: widEnv},
	{name: "max-u", fn: constant(-1), wid: widEnv},
	{name: "max-ud", fn: func(m *Machine) { m.push2(-1, -1) }, wid: widEnv},
	{name: "return-stack-cells", fn: func(m *Machine) { m.push(Cell(m.cfg.ReturnDepth)) }, wid: widEnv},
	{name: "stack-cells", fn: func(m *Machine) { m.push(Cell(m.cfg.DataDepth)) }, wid: widEnv},
	{name: "floating", fn: constant(-1), wid: widEnv},
	{name: "floating-ext", fn: constant(-1), wid: widEnv},
	{name: "floating-stack", fn: func(m *Machine) { m.push(Cell(m.cfg.FloatDepth)) }, wid: widEnv},
	{name: "max-float", fn: func(m *Machine) { m.fpush(math.MaxFloat64) }, wid: widEnv},
	{name: "#locals", fn: constant(64), wid: widEnv},
	{name: "locals", fn: constant(-1), wid: widEnv},
	{name: "locals-ext", fn: constant(-1), wid: widEnv},
	{name: "wordlists", fn: constant(maxOrder), wid: widEnv},
	{name: "search-order", fn: constant(-1), wid: widEnv},
	{name: "search-order-ext", fn: constant(-1), wid: widEnv},
	{name: "double", fn: constant(-1), wid: widEnv},
	{name: "double-ext", fn: constant(-1), wid: widEnv},
	{name: "exception", fn: constant(-1), wid: widEnv},
	{name: "exception-ext", fn: constant(-1), wid: widEnv},
	{name: "memory-alloc", fn: constant(-1), wid: widEnv},
	{name: "memory-alloc-ext", fn: constant(-1), wid: widEnv},
	{name: "string", fn: constant(-1), wid: widEnv},
	{name: "string-ext", fn: constant(-1), wid: widEnv},
	{name: "tools", fn: constant(-1), wid: widEnv},
	{name: "tools-ext", fn: constant(-1), wid: widEnv},
	{name: "gforth", fn: func(m *Machine) {
		a := m.allocLit([]byte("0.7.3"))
		m.push2(a, 5)
	}, wid: widEnv},
	// The root word list (ONLY).
	{name: "forth", fn: func(m *Machine) { m.replaceOrder(widForth) }, wid: widRoot},
	{name: "forth-wordlist", fn: constant(widBase + widForth), wid: widRoot},
	{name: "set-order", fn: func(m *Machine) {
		m.push(xtBase + Cell(builtinIndex[widForth]["set-order"]))
		m.execXT(m.pop())
	}, wid: widRoot},
	{name: "words", fn: func(m *Machine) { m.listWords() }, wid: widRoot},
	{name: "order", fn: func(m *Machine) {
		m.execXT(xtBase + Cell(builtinIndex[widForth]["order"]))
	}, wid: widRoot},
	{name: "also", fn: func(m *Machine) {
		m.execXT(xtBase + Cell(builtinIndex[widForth]["also"]))
	}, wid: widRoot},
	{name: "only", fn: func(m *Machine) { m.setOrder([]int{widRoot, widRoot}) }, wid: widRoot},
}
