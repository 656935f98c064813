package machine

import (
	"sync"
	"sync/atomic"
)

// wordKind is how a word behaves when executed.
type wordKind uint8

const (
	kPrim       wordKind = iota // a builtin Go function
	kColon                      // compiled code
	kCreate                     // pushes its body; then runs its DOES> code, if any
	kConstant                   // pushes body (the value itself)
	k2Constant                  // pushes the two cells at body
	kFConstant                  // pushes the float at body
	kValue                      // pushes the cell at body
	k2Value                     // pushes the two cells at body
	kFValue                     // pushes the float at body
	kDefer                      // executes the xt at body
	kField                      // adds body (an offset) to the top of the stack
	kMarker                     // restores the dictionary (body: marker index)
	kVocabulary                 // replaces the first word list of the search order (body: wid)
)

// Word flags.
const (
	fImmediate   = 1 << iota
	fCompileOnly // interpreting it THROWs -14
	fDual        // separate compilation semantics: comp
	fTestOpen    // a user word named T{ or {: a test starts
	fTestClose   // a user word named }T, ...}T or }: a test ends
	fTester      // a builtin of the T{ }T harness
)

// word is a dictionary entry: a builtin or a user definition.
type word struct {
	name  string
	kind  wordKind
	flags uint8
	prim  int32 // kPrim: index in primFns
	comp  int32 // fDual: index in primFns of the compilation semantics
	code  int32 // kColon: start in code; kCreate: DOES> code or -1
	body  Cell  // data field address; kConstant: the value; kField: the offset
	prev  int32 // the user word this one hides in its word list, or -1
	wid   int32 // word list
}

// Word lists: the first three are builtin.
const (
	widForth = iota
	widEnv
	widRoot
	numBuiltinLists
)

// wlist is a word list's user words: key (lower-case name) to the index
// of the latest word of that name. Maps are shared between clones until
// one of them writes. Cloning only sets shared (atomically), so that
// several goroutines may clone one machine at once.
type wlist struct {
	name   string
	m      map[string]int32
	shared uint32 // atomic: m is shared with a clone
}

// clone returns a copy of l sharing its map, and marks l as sharing it.
func (l *wlist) clone() wlist {
	atomic.StoreUint32(&l.shared, 1)
	return wlist{name: l.name, m: l.m, shared: 1}
}

// own makes l's map its own before a change.
func (l *wlist) own() {
	if atomic.LoadUint32(&l.shared) != 0 || l.m == nil {
		n := make(map[string]int32, len(l.m)+8)
		for k, v := range l.m {
			n[k] = v
		}
		l.m = n
		atomic.StoreUint32(&l.shared, 0)
	}
}

// set makes key name user word i in l.
func (l *wlist) set(key string, i int32) {
	l.own()
	l.m[key] = i
}

func (l *wlist) del(key string) {
	l.own()
	delete(l.m, key)
}

// Execution tokens and word-list ids are numbers outside memory.
const (
	xtBase  Cell = 15 << segShift
	widBase Cell = 14 << segShift
)

// The builtin words, made once per process.
var (
	builtinOnce  sync.Once
	builtins     []word
	primFns      []func(*Machine)
	primOps      []opcode // by primFns index: an instruction to compile instead of a call
	builtinIndex [numBuiltinLists]map[string]int32
	nBuiltins    int
)

// prim is a builtin's definition in the tables (words_*.go).
type prim struct {
	name  string
	fn    func(*Machine)
	flags uint8
	comp  func(*Machine) // compilation semantics of an fDual word
	wid   int32
	op    opcode // compiled as this instruction instead of a call
}

// primTables are the builtin word tables (words_*.go).
func primTables() [][]prim {
	return [][]prim{coreWords, compileWords, ioWords, doubleWords, stringWords, floatWords, searchWords, envWords, testerWords, fileWords, gforthWords, substWords}
}

func initBuiltins() {
	builtinOnce.Do(func() {
		for i := range builtinIndex {
			builtinIndex[i] = map[string]int32{}
		}
		for _, t := range primTables() {
			for _, p := range t {
				w := word{name: p.name, kind: kPrim, flags: p.flags, prim: int32(len(primFns)), wid: p.wid, code: -1, prev: -1}
				primFns = append(primFns, p.fn)
				primOps = append(primOps, p.op)
				if p.comp != nil {
					w.flags |= fDual
					w.comp = int32(len(primFns))
					primFns = append(primFns, p.comp)
					primOps = append(primOps, opNop)
				}
				if p.name != "" {
					builtinIndex[p.wid][lower(p.name)] = int32(len(builtins))
				}
				builtins = append(builtins, w)
			}
		}
		nBuiltins = len(builtins)
		forth := builtinIndex[widForth]
		abortQuote = int(builtins[forth[`(abort")`]].prim)
		deferUninit = int(forth["(uninitialized-defer)"])
		compileComma = int(builtins[forth["compile,"]].prim)
	})
}

// lower returns s in lower case (ASCII only, as gforth).
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 32
				}
			}
			return string(b)
		}
	}
	return s
}

// lowerKey writes name in lower case into the machine's key buffer.
func (m *Machine) lowerKey(name []byte) []byte {
	k := m.keyBuf[:0]
	for _, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 32
		}
		k = append(k, c)
	}
	m.keyBuf = k
	return k
}

// xtOf is the execution token of user word i.
func xtOfUser(i int) Cell { return xtBase + Cell(nBuiltins+i) }

// wordOf returns the word of an execution token; a bad token THROWs -9.
func (m *Machine) wordOf(xt Cell) *word {
	i := xt - xtBase
	if i >= 0 && i < Cell(nBuiltins) {
		return &builtins[i]
	}
	i -= Cell(nBuiltins)
	if i >= 0 && i < Cell(len(m.words)) {
		return &m.words[i]
	}
	m.throw(-9)
	return nil
}

// userIndex returns the user word index of xt, or -1.
func (m *Machine) userIndex(xt Cell) int {
	i := xt - xtBase - Cell(nBuiltins)
	if i >= 0 && i < Cell(len(m.words)) {
		return int(i)
	}
	return -1
}

// mutWord returns user word i for changing it.
func (m *Machine) mutWord(i int) *word {
	if atomic.LoadUint32(m.wordsShared) != 0 {
		m.words = append([]word(nil), m.words...)
		m.wordsShared = new(uint32)
	}
	return &m.words[i]
}

// findIn looks key up in word list wid.
func (m *Machine) findIn(wid int, key []byte) (Cell, bool) {
	if wid < len(m.lists) {
		if i, ok := m.lists[wid].m[string(key)]; ok && i >= 0 {
			return xtOfUser(int(i)), true
		}
	}
	if wid < numBuiltinLists {
		if i, ok := builtinIndex[wid][string(key)]; ok && (!m.cfg.NoTester || builtins[i].flags&fTester == 0) {
			return xtBase + Cell(i), true
		}
	}
	return 0, false
}

// findName looks name up in the search order.
func (m *Machine) findName(name []byte) (xt Cell, w *word, ok bool) {
	key := m.lowerKey(name)
	for _, wid := range m.order {
		if xt, ok := m.findIn(wid, key); ok {
			return xt, m.wordOf(xt), true
		}
	}
	return 0, nil, false
}

// addWord adds a user word to the compilation word list; reveal makes it
// findable (a colon definition is revealed at ;).
func (m *Machine) addWord(w word, reveal bool) int {
	w.wid = int32(m.current)
	w.prev = -1
	if len(m.words) >= m.cfg.MemorySize/32+1024 {
		m.throw(-8)
	}
	i := len(m.words)
	m.words = append(m.words, w)
	m.latest = i
	m.lastXT = xtOfUser(i)
	if reveal {
		m.reveal(i)
	}
	return i
}

// reveal makes user word i findable.
func (m *Machine) reveal(i int) {
	w := m.mutWord(i)
	if w.name == "" {
		return
	}
	key := lower(w.name)
	l := &m.lists[w.wid]
	if p, ok := l.m[key]; ok {
		w.prev = p
	} else {
		w.prev = -1
	}
	l.set(key, int32(i))
	// The tester's words are recorded when interpreted.
	switch {
	case key == "t{" || key == "{":
		w.flags |= fTestOpen
	case key == "}" || len(key) >= 2 && key[len(key)-2:] == "}t":
		w.flags |= fTestClose
	}
}

// marker is the dictionary state a MARKER word restores.
type marker struct {
	words   int
	code    int
	here    int
	lit     int
	lists   int
	order   []int
	current int
}

func (m *Machine) saveMarker() marker {
	return marker{words: len(m.words), code: len(m.code), here: m.mem.seg[segDict].top,
		lit: m.mem.seg[segLit].top, lists: len(m.lists), order: append([]int(nil), m.order...), current: m.current}
}

// restoreMarker forgets every word defined since mk.
func (m *Machine) restoreMarker(mk marker) {
	for i := len(m.words) - 1; i >= mk.words; i-- {
		w := m.words[i]
		if w.name == "" || int(w.wid) >= len(m.lists) {
			continue
		}
		key := lower(w.name)
		l := &m.lists[w.wid]
		if cur, ok := l.m[key]; ok && int(cur) == i {
			if w.prev >= 0 {
				l.set(key, w.prev)
			} else {
				l.del(key)
			}
		}
	}
	m.words = m.words[:mk.words:mk.words]
	m.code = m.code[:mk.code:mk.code]
	m.mem.seg[segDict].top = mk.here
	m.mem.seg[segLit].top = mk.lit
	m.mem.seg[segLit].size = mk.lit
	if mk.lists <= len(m.lists) {
		m.lists = m.lists[:mk.lists]
	}
	m.order = append(m.order[:0], mk.order...)
	m.current = mk.current
	if m.current >= len(m.lists) {
		m.current = widForth
	}
	m.latest = mk.words - 1
	if m.latest >= 0 {
		m.lastXT = xtOfUser(m.latest)
	}
}
