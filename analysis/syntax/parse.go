package syntax

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/number"
	"github.com/fastforth/fastforth/analysis/scan"
	"github.com/fastforth/fastforth/analysis/source"
)

// Config controls how a file is read.
type Config struct {
	// NoFloats disables float literals (1e, 1.5e-3), as on a system
	// without the floating-point word set.
	NoFloats bool
	// Dialect gives the words the system provides and its reading rules;
	// nil means builtins.Default() (gforth).
	Dialect *builtins.Dialect
	// Include resolves an include/require of path from the file named
	// from and reads it in ctx (the including file's dictionary and base
	// at that point), returning the parsed file (nil when there is
	// nothing to read: not found, a cycle, or a file already required).
	// The words the included file adds become visible after the include.
	// A nil Include ignores includes.
	Include func(path string, from *source.File, once bool, ctx *Context) (*File, error)
	// Context is what the file is read in: the dictionary and base its
	// includer has at the include, or the preloaded files' words. nil
	// means the dialect's words only.
	Context *Context
	// Elsewhere, when set, finds a word that nothing in the file's
	// context defines but another file of its project does: the word is
	// read as that definition reads (its effect, what it parses) and
	// reported as not loaded, so that one missing require is one
	// diagnostic, not a cascade. It returns the definition, or nil.
	Elsewhere func(from, name string) *Def
	// ElsewhereError makes a word found by Elsewhere an error (the
	// project states its load order) instead of a warning.
	ElsewhereError bool
	// Preload are files read before this one (a test harness such as the
	// Hayes tester.fs that the tests expect to be loaded already). Their
	// words are those of Context when it is set; they are listed among
	// the file's includes.
	Preload []*File
}

// Parse reads one file.
func Parse(f *source.File, cfg Config) *File {
	if cfg.Dialect == nil {
		cfg.Dialect = builtins.Default()
	}
	p := &parser{
		f:     &File{Source: f},
		src:   f.Src,
		cfg:   cfg,
		base:  10,
		added: NewDict(nil),
	}
	preloads := slices.ContainsFunc(cfg.Preload, func(f *File) bool { return f != nil })
	if ctx := cfg.Context; ctx != nil {
		p.dict = NewDict(ctx.Dict)
		if ctx.Base >= 2 && ctx.Base <= 36 {
			p.base = ctx.Base
		}
		p.missing = ctx.Missing
		p.f.Context = ctx
	} else if preloads {
		p.dict = NewDict(nil)
	} else {
		// Read on its own, the file's dictionary holds what it added,
		// until a scope ends (when p.dict goes back to an earlier
		// version and p.added goes on): one Dict serves as both rather
		// than keep every binding twice.
		p.dict = p.added
	}
	p.sc.Init(f.Src)
	// About one top-level word per 16 bytes in real files: start there
	// rather than growing from nothing.
	p.f.Top = make([]Op, 0, len(f.Src)/64+8)
	p.ops = &p.f.Top
	for _, pre := range cfg.Preload {
		if pre == nil {
			continue
		}
		if cfg.Context == nil {
			for name, d := range pre.Added.All() {
				p.dict.set(name, d)
			}
		}
		p.f.Includes = append(p.f.Includes, Include{Path: pre.Source.Name, File: pre, Once: true})
	}
	// A checkpoint at the start: an edit in the first item converges
	// like any other.
	p.takeCkpt()
	p.run()
	p.f.ckpts = p.ckpts
	p.f.Exports = p.dict
	p.f.Added = p.added
	p.f.EndBase = p.base
	p.f.Missing = p.missing
	return p.f
}

type kval struct {
	known bool
	v     int64
}

type parser struct {
	f     *File
	src   []byte
	sc    scan.Scanner
	cfg   Config
	dict  *Dict // the dictionary as it stands (its top layer is this file's)
	added *Dict // the words this file (and its includes) added

	base     int
	baseSave []int
	missing  string // a file the load needed and could not find
	asmOrder bool   // ASSEMBLER is on top of the search order

	compiling bool
	cur       *Def   // definition being compiled
	outer     []*Def // enclosing definitions of quotations and does> parts
	ops       *[]Op  // where operations go
	interp    bool   // inside [ ] of a definition
	lastDef   *Def   // the most recent definition, for immediate
	lastOps   []Op   // the last top-level ops, for patterns like "N base !"

	loopDepth    int                  // loops open in the body being compiled
	ifDepth      int                  // IFs (and CASEs) open in it
	implicit     *Def                 // the definition a control word at top level compiles
	sawFixed     bool                 // the file has used an s31.32 fixed-point literal
	modWords     *Dict                // every word defined in a module, for "mod::word"
	refilled     string               // a word run at top level that reads the source with REFILL
	hashIf       bool                 // the word before was an e4thcom "#ifndef name" whose line goes on
	nextnameSeen bool                 // it has called nextname
	inSaved      bool                 // it has read >IN (">in @")
	ckv          []kval               // the compile-time stack's known flags ([defined] in a definition)
	postponing   bool                 // between ]] and [[
	scopes       []scope              // vocabularies and modules being defined into
	orderOther   bool                 // the top of the search order is not the FORTH wordlist
	dynamic      string               // a word run at top level that evaluates text (and may define words)
	noname       bool                 // "noname": the next definition has no name
	ext          func(lw string) *Def // earlier definitions, when re-reading one
	sawImmediate bool                 // "immediate" inside a definition

	condDepth int      // open [if]s
	condStart []int32  // their positions
	kv        []kval   // known values at top level, for [if]
	lower     [64]byte // lower-case buffer for lookups
	// effects holds the stack comments read so far by their text: most
	// say one of a few effects, which the definitions share rather
	// than each keep a copy of (effects are not changed in place).
	effects map[string]parsedEffect

	docStart, docEnd int32 // the latest comment block

	// Checkpoints (see resume.go): those taken, where the last one was,
	// the version whose coordinates the offsets are in, and what a
	// resumed reading compares itself with.
	ckpts  []*ckpt
	lastCk int32
	epoch  int32
	rs     *resumeState
	// topBase is how many top-level operations of the previous reading
	// come before p.f.Top[0] (a resumed reading copies only the last few).
	topBase int
	// listBase counts the includes, comments, inactive ranges and
	// diagnostics of the previous reading before the lists of a resumed
	// one.
	listBase struct{ incl, comm, inact, diags int }
}

func (p *parser) diag(code diag.Code, start, end int32, format string, args ...any) {
	p.addDiag(p.owner(), diag.New(code, int(start), int(end), fmt.Sprintf(format, args...)))
}

// addDiag files a diagnostic with definition d, or with the file when d is
// nil.
func (p *parser) addDiag(d *Def, x diag.Diagnostic) {
	if d != nil {
		d.Diags = append(d.Diags, x)
		return
	}
	p.f.Diags = append(p.f.Diags, x)
}

// owner is the top-level definition being read, or nil at top level.
func (p *parser) owner() *Def {
	if p.cur == nil {
		return nil
	}
	if p.cur.Outer != nil {
		return p.cur.Outer
	}
	return p.cur
}

func (p *parser) inactive(r Range) {
	if o := p.owner(); o != nil {
		o.Inactive = append(o.Inactive, r)
		return
	}
	p.f.Inactive = append(p.f.Inactive, r)
}

// dictLookup finds a user definition by lower-case name: those read so
// far, then (when re-reading one definition) the ones before it.
func (p *parser) dictLookup(lw string) *Def {
	if d := p.dict.Lookup(lw); d != nil {
		return d
	}
	if p.ext != nil {
		return p.ext(lw)
	}
	return nil
}

// lowerName returns name in lower case, in a buffer reused across calls.
func (p *parser) lowerName(b []byte) string {
	if len(b) > len(p.lower) {
		return builtins.LowerASCII(string(b))
	}
	l := scan.Lower(p.lower[:0], b)
	return unsafeString(l)
}

func (p *parser) lookup(b []byte) Ref {
	lw := p.lowerName(b)
	if d := p.dictLookup(lw); d != nil {
		return Ref{D: d}
	}
	if w := p.cfg.Dialect.Lookup(lw); w != nil {
		return Ref{B: w}
	}
	return Ref{}
}

func (p *parser) emit(op Op) {
	if p.interp {
		op.Interp = true
	}
	if p.compiling && !op.Interp && op.Kind == OpCall && op.Ref.B != nil {
		switch op.Ref.B.Name {
		case "begin", "do", "?do", "+do", "-do", "u+do", "u-do", "for":
			p.loopDepth++
		case "until", "again", "repeat", "end", "loop", "+loop", "-loop", "next":
			p.loopDepth = max(p.loopDepth-1, 0)
		case "if", "?dup-if", "?dup-0=-if", "ahead", "case":
			p.ifDepth++
		case "then", "endif", "endcase", "endcasestr":
			p.ifDepth = max(p.ifDepth-1, 0)
		case "nextname":
			p.nextnameSeen = true
		}
	}
	if p.compiling && op.Kind == OpCall && callsName(op, "@") {
		if n := len(*p.ops); n > 0 && (callsName((*p.ops)[n-1], ">in") || callsName((*p.ops)[n-1], ">parse")) {
			p.inSaved = true
		}
	}
	*p.ops = append(*p.ops, op)
	if n, ok := foldable(&op); ok && p.cur == nil && p.lastDef != nil && p.lastDef.Kind == Colon {
		// ": f>s ( f -- n ) nip ; 2-foldable"
		p.lastDef.InputCells = n
	}
	if !p.compiling {
		p.track(op)
	}
}

// track keeps the few facts about top-level values that conditional
// compilation and BASE changes depend on.
func (p *parser) track(op Op) {
	p.lastOps = append(p.lastOps, op)
	if len(p.lastOps) > 3 {
		copy(p.lastOps, p.lastOps[1:])
		p.lastOps = p.lastOps[:3]
	}
	pop := func() kval {
		if n := len(p.kv); n > 0 {
			v := p.kv[n-1]
			p.kv = p.kv[:n-1]
			return v
		}
		return kval{}
	}
	push := func(v kval) {
		p.kv = append(p.kv, v)
		if len(p.kv) > 16 {
			p.kv = p.kv[1:]
		}
	}
	flag := func(b bool) int64 {
		if b {
			return -1
		}
		return 0
	}
	switch op.Kind {
	case OpNumber, OpChar:
		push(kval{true, op.Lo})
		return
	case OpCall:
	default:
		p.kv = p.kv[:0]
		return
	}
	if op.Ref.B == nil {
		if d := op.Ref.D; d != nil && d.evaluates && !d.evalsText && p.dynamic == "" {
			p.dynamic = d.Display
		}
		if d := op.Ref.D; d != nil && d.refills && p.refilled == "" {
			p.refilled = d.Display
		}
		if d := op.Ref.D; d != nil && d.wordlist && d.Kind != Constant {
			// A vocabulary replaces the top of the search order.
			p.orderOther = true
		}
		if d := op.Ref.D; d != nil && d.orderOnly {
			// ">target" of gforth's cross.fs ("also target definitions
			// previous"): run, it changes the search order as its body
			// does.
			for _, b := range d.Body {
				p.track(b)
			}
			return
		}
		if d := op.Ref.D; d != nil && d.Kind == Constant && d.Effect != nil && d.known {
			push(kval{true, d.value})
			return
		}
		p.kv = p.kv[:0]
		return
	}
	p.searchOrder(op.Ref.B)
	if evaluator(op.Ref.B.Name) && p.dynamic == "" {
		if n := len(p.lastOps); n < 2 || p.lastOps[n-2].Kind != OpString {
			p.dynamic = op.Ref.B.Name
		}
	}
	switch op.Ref.B.Name {
	case "true":
		push(kval{true, -1})
	case "false":
		push(kval{true, 0})
	case "0=", "not":
		v := pop()
		push(kval{v.known, flag(v.v == 0)})
	case "0<>":
		v := pop()
		push(kval{v.known, flag(v.v != 0)})
	case "invert":
		v := pop()
		push(kval{v.known, ^v.v})
	case "negate":
		v := pop()
		push(kval{v.known, -v.v})
	case "and", "or", "xor", "=", "<>", "+", "-", "<", ">":
		b, a := pop(), pop()
		r := kval{known: a.known && b.known}
		switch op.Ref.B.Name {
		case "and":
			r.v = a.v & b.v
		case "or":
			r.v = a.v | b.v
		case "xor":
			r.v = a.v ^ b.v
		case "=":
			r.v = flag(a.v == b.v)
		case "<>":
			r.v = flag(a.v != b.v)
		case "+":
			r.v = a.v + b.v
		case "-":
			r.v = a.v - b.v
		case "<":
			r.v = flag(a.v < b.v)
		case ">":
			r.v = flag(a.v > b.v)
		}
		push(r)
	case "!":
		// "16 base !" sets the base; "base @ ... base !" (or with >r and
		// r>) restores a saved one.
		_, val := pop(), pop()
		if n := len(p.lastOps); n >= 2 && isCall(p.lastOps[n-2], ">in") && !p.compiling {
			// "source nip >in !" at top level: the rest of the line (as
			// far as can be told) is not read.
			p.kv = p.kv[:0]
			p.skipInput(kval{})
			return
		}
		if n := len(p.lastOps); n >= 2 && isCall(p.lastOps[n-2], "base") {
			switch {
			case val.known:
				// Any base, as gforth takes it: in base 0 or 1 the
				// numbers that follow are undefined words there too.
				p.base = int(val.v)
				if k := len(p.baseSave); k > 0 && p.baseSave[k-1] == p.base {
					p.baseSave = p.baseSave[:k-1]
				}
			case len(p.baseSave) > 0:
				p.base = p.baseSave[len(p.baseSave)-1]
				p.baseSave = p.baseSave[:len(p.baseSave)-1]
			}
		}
		p.kv = p.kv[:0]
	case "@":
		if n := len(p.lastOps); n >= 2 && isCall(p.lastOps[n-2], "base") {
			p.baseSave = append(p.baseSave, p.base)
			pop()
			push(kval{true, int64(p.base)})
			return
		}
		p.kv = p.kv[:0]
	case "1+", "1-", "2*", "2/", "cell+", "cells", "char+", "chars":
		v := pop()
		switch op.Ref.B.Name {
		case "1+", "char+":
			v.v++
		case "1-":
			v.v--
		case "2*":
			v.v *= 2
		case "2/":
			v.v >>= 1
		case "cell+", "cells":
			v.known = false
		}
		push(v)
	case ">in", "base":
		// An address: what is stored there or fetched from it matters.
		push(kval{})
	case "+!":
		addr, v := pop(), pop()
		_ = addr
		if n := len(p.lastOps); n >= 2 && isCall(p.lastOps[n-2], ">in") && !p.compiling {
			// "1 >in +! xSOURCE": the input moves on by that much
			// (the Forth 2012 suite's prelimtest skips text this way);
			// by an amount not known here, the rest of the line is not
			// read.
			p.skipInput(v)
		}
		p.kv = p.kv[:0]
	default:
		p.kv = p.kv[:0]
	}
}

// skipInput moves the input on by v characters, within the line, or to
// its end when v is not known; the text passed over is not read.
func (p *parser) skipInput(v kval) {
	from := int32(p.sc.Offset())
	end := p.lineEnd()
	to := end
	if v.known && v.v >= 0 && int64(from)+v.v <= int64(end) {
		to = from + int32(v.v)
	}
	if to > from {
		p.comment(from, to)
		p.inactive(Range{from, to})
	}
	p.sc.SetOffset(int(to))
}

// searchOrder follows where definitions go, as far as it matters to
// which word a name means: a vocabulary or module made the current
// wordlist and searched ("also assembler definitions", zeptoforth's
// begin-module) opens a scope whose words shadow others only until the
// scope ends ("previous ... set-current", end-module); a wordlist made
// current but not searched ("names set-current") hides nothing at all.
// Words of an ended scope stay known where no other word has their name.
func (p *parser) searchOrder(w *builtins.Word) {
	prev := func() *Op {
		if n := len(p.lastOps); n >= 2 {
			return &p.lastOps[n-2]
		}
		return nil
	}
	switch w.Name {
	case "set-current":
		hidden := false
		if o := prev(); o != nil && o.Kind == OpCall {
			switch {
			case o.Ref.D != nil:
				hidden = o.Ref.D.wordlist
			case o.Ref.B != nil:
				hidden = o.Ref.B.Name != "forth-wordlist" && o.Ref.B.Name != "get-current" &&
					strings.HasSuffix(o.Ref.B.Name, "-wordlist")
			}
		}
		if hidden {
			p.enterScope(true)
		} else {
			p.exitScopes(0)
		}
	case "definitions":
		if p.orderOther {
			p.enterScope(false)
		} else {
			p.exitScopes(0)
		}
	case "previous":
		p.orderOther = false
		p.asmOrder = false
		if n := len(p.scopes); n > 0 {
			// "also target definitions previous": definitions go on
			// into a wordlist no longer searched first.
			p.scopes[n-1].hidden = true
		}
	case "forth", "only":
		p.orderOther = false
		p.asmOrder = false
	case ">order":
		if o := prev(); o != nil && o.Kind == OpCall && o.Ref.D != nil && o.Ref.D.wordlist {
			p.orderOther = true
		}
	case "root", "environment", "assembler", "editor":
		p.orderOther = true
		p.asmOrder = w.Name == "assembler"
	case "end-module", "end-module>", "end-package":
		p.exitScopes(len(p.scopes) - 1)
	case "private-module", "continue-module", "begin-package", "package":
		p.enterScope(false)
	}
}

// scope is a run of definitions made in a vocabulary or module.
type scope struct {
	base   *Dict  // the dictionary when the scope began
	words  []*Def // the definitions made in it
	hidden bool   // its wordlist is not searched: its words hide nothing
}

// enterScope starts a scope, or marks the open one hidden.
func (p *parser) enterScope(hidden bool) {
	if n := len(p.scopes); n > 0 {
		p.scopes[n-1].hidden = p.scopes[n-1].hidden || hidden
		if !hidden {
			p.scopes = append(p.scopes, scope{base: p.dict.snapshot(), hidden: false})
		}
		return
	}
	p.scopes = append(p.scopes, scope{base: p.dict.snapshot(), hidden: hidden})
}

// exitScopes ends the scopes from the n-th on: their words no longer
// hide the words they shadowed, and stay known under names nothing else
// has.
func (p *parser) exitScopes(n int) {
	if n < 0 || n >= len(p.scopes) {
		return
	}
	base := p.scopes[n].base
	var words []*Def
	for _, sc := range p.scopes[n:] {
		words = append(words, sc.words...)
	}
	p.scopes = p.scopes[:n]
	p.dict = NewDict(base)
	for _, d := range words {
		if p.dict.Lookup(d.Name) == nil && p.cfg.Dialect.Lookup(d.Name) == nil {
			p.setDict(d.Name, d)
		}
	}
}

// hiddenScope reports whether definitions go to a wordlist that is not
// searched.
func (p *parser) hiddenScope() bool {
	n := len(p.scopes)
	return n > 0 && p.scopes[n-1].hidden
}

// evaluator reports whether a builtin interprets text it is given: run
// on text made at run time, it may define any word.
func evaluator(name string) bool {
	switch name {
	case "evaluate", "included", "include-file", "execute-parsing", "load", "thru", "required":
		return true
	}
	return false
}

func isCall(op Op, name string) bool {
	return op.Kind == OpCall && op.Ref.B != nil && op.Ref.B.Name == name
}

func (p *parser) comment(start, end int32) {
	if o := p.owner(); o != nil {
		o.Comments = append(o.Comments, Range{start, end})
	} else {
		p.f.Comments = append(p.f.Comments, Range{start, end})
	}
	// Consecutive comment lines form one documentation block.
	if p.docEnd > 0 && onlyBlank(p.src[p.docEnd:start], 1) {
		p.docEnd = end
		return
	}
	p.docStart, p.docEnd = start, end
}

// onlyBlank reports whether b is white space with at most maxNL newlines.
func onlyBlank(b []byte, maxNL int) bool {
	nl := 0
	for _, c := range b {
		if c == '\n' {
			nl++
			if nl > maxNL {
				return false
			}
		} else if !scan.IsBlank(c) {
			return false
		}
	}
	return true
}

func (p *parser) run() {
	for {
		s, e, ok := p.sc.Word()
		if !ok {
			break
		}
		if p.implicit != nil {
			p.word(int32(s), int32(e))
			p.endImplicit(int32(e))
			continue
		}
		p.word(int32(s), int32(e))
		if p.afterWord() {
			return
		}
	}
	p.finish()
}

// implicitOpeners are the words that, outside a definition, start one
// that runs as soon as its control structure is closed (zeptoforth).
var implicitOpeners = map[string]bool{"if": true, "begin": true, "do": true, "?do": true, "case": true, "[:": true}

// beginImplicit starts the nameless definition a control word compiles
// at top level in a system that compiles them there: it runs once its
// last structure closes, so locals and quotations work in it as in any
// definition ("begin ... [: { buf } ... ;] with-aligned-allot end").
func (p *parser) beginImplicit(s, e int32) {
	d := p.newDef(Noname, s, s, s)
	d.NameEnd = s
	d.Base = p.base
	d.Implicit = true
	p.emit(Op{Kind: OpColon, Start: s, End: s, NewDef: d, ArgStart: s, ArgEnd: s})
	p.cur = d
	d.Body = make([]Op, 0, 8)
	p.ops = &d.Body
	p.nextnameSeen, p.inSaved = false, false
	p.compiling, p.interp = true, false
	p.loopDepth, p.ifDepth = 0, 0
	p.implicit = d
}

// endImplicit ends the implicit definition once the structures it opened
// are closed, and runs it.
func (p *parser) endImplicit(end int32) {
	d := p.implicit
	if p.cur != d || !p.compiling || p.interp || p.loopDepth > 0 || p.ifDepth > 0 {
		if p.cur == nil {
			p.implicit = nil // ended some other way (";")
		}
		return
	}
	p.implicit = nil
	p.endDef(end)
	if w := p.cfg.Dialect.Lookup("execute"); w != nil {
		p.emit(Op{Kind: OpCall, Start: end, End: end, Ref: Ref{B: w}})
	}
}

func (p *parser) finish() {
	end := int32(len(p.src))
	for p.cur != nil {
		d := p.cur
		d.Unterminated = true
		d.End = end
		kind := "definition"
		name := d.Display
		if d.Kind == Quotation {
			kind, name = "quotation", "[:"
		}
		if name == "" {
			name = ":noname"
		}
		p.diag(diag.Unterminated, d.NameStart, d.NameEnd, "%s of %s has no closing %s", kind, name, map[bool]string{true: ";]", false: ";"}[d.Kind == Quotation])
		p.endDef(end)
	}
	for i := p.condDepth - 1; i >= 0; i-- {
		s := p.condStart[i]
		p.diag(diag.Unterminated, s, s+4, "[if] has no closing [then]")
	}
}

func (p *parser) text(s, e int32) []byte { return p.src[s:e] }

func (p *parser) word(s, e int32) {
	tok := p.src[s:e]
	afterHashIf := p.hashIf
	p.hashIf = false
	if p.postponing {
		p.postponed(tok, s, e)
		return
	}
	// Locals shadow everything while their definition is compiled.
	if p.cur != nil && p.compiling && !p.interp && len(p.cur.Locals) > 0 {
		lw := p.lowerName(tok)
		for i := len(p.cur.Locals) - 1; i >= 0; i-- {
			if p.cur.Locals[i].Name == lw {
				p.emit(Op{Kind: OpLocal, Start: s, End: e, Local: int32(i)})
				return
			}
		}
	}
	rules := &p.cfg.Dialect.Rules
	if len(tok) == 2 && tok[0] == '#' && tok[1] == '!' && p.lookup(tok).isZero() {
		// "#! /usr/bin/env gforth": a script's first line, a comment to
		// the end of the line in the systems that run scripts.
		_, ae := p.sc.Line()
		p.comment(s, int32(ae))
		return
	}
	if rules.BraceComments && len(tok) == 1 && tok[0] == '{' {
		// SwiftForth: "{ ... }" is a comment, across lines.
		_, ae, closed := p.sc.Until('}', true)
		end := int32(ae)
		if closed {
			end++
		} else {
			p.diag(diag.Unterminated, s, e, "comment has no closing }")
		}
		p.comment(s, end)
		return
	}
	if rules.ModuleIncludes && !p.compiling && string(tok) == "\\\\" && p.lookup(tok).isZero() &&
		(s == 0 || p.src[s-1] == '\n' || p.src[s-1] == '\r') {
		// e4thcom's (and zeptoforth's codeload's) "\\" at the start of
		// a line: the rest of the file is not uploaded.
		p.comment(s, int32(len(p.src)))
		p.inactive(Range{s, int32(len(p.src))})
		p.sc.SetOffset(len(p.src))
		return
	}
	if rules.ModuleIncludes && !p.compiling && len(tok) > 1 && tok[0] == '\\' && isLetters(string(tok[1:])) && p.lookup(tok).isZero() &&
		(s == 0 || p.src[s-1] == '\n' || p.src[s-1] == '\r') {
		// An upload tool's directive at the start of a line ("\index
		// eraseflash" for e4thcom): not Forth.
		_, ae := p.sc.Line()
		p.comment(s, int32(ae))
		return
	}
	if rules.ModuleIncludes && !p.compiling && (string(tok) == "#ifndef" || string(tok) == "#ifdef") && p.lookup(tok).isZero() &&
		(s == 0 || p.src[s-1] == '\n' || p.src[s-1] == '\r') {
		// e4thcom's "#ifndef name #include file.fs": the rest of the
		// line is uploaded when name is not (or is) defined.
		ns, ne, ok := p.sc.Word()
		if !ok {
			return
		}
		_, le := p.sc.Line()
		p.sc.SetOffset(ne)
		defined := !p.lookup(p.src[ns:ne]).isZero()
		if defined == (string(tok) == "#ifndef") {
			p.comment(s, int32(le))
			p.inactive(Range{int32(ne), int32(le)})
			p.sc.SetOffset(le)
			return
		}
		p.comment(s, int32(ne))
		p.hashIf = true
		return
	}
	if rules.ModuleIncludes && !p.compiling && (string(tok) == "#include" || string(tok) == "#require") && (s == 0 || p.src[s-1] == '\n' || p.src[s-1] == '\r' || afterHashIf) {
		// The upload tool's directive: the rest of the line names a file.
		as, ae := p.sc.Line()
		for as < ae && scan.IsBlank(p.src[as]) {
			as++
		}
		for ae > as && scan.IsBlank(p.src[ae-1]) {
			ae--
		}
		var w *builtins.Word
		if r := p.lookup(tok); r.B != nil {
			w = r.B
		}
		p.include(w, s, e, int32(as), int32(ae), string(tok) == "#require")
		return
	}
	ref := p.lookup(tok)
	if rules.ImplicitCompile && p.cur == nil && !p.compiling && ref.B != nil && implicitOpeners[ref.B.Name] {
		p.beginImplicit(s, e)
	}
	if ref.isZero() && rules.ModulePaths {
		ref = p.modulePath(tok)
	}
	if d := ref.D; d != nil && d.ActsAs != "" {
		// A wrapper around ":" or ";" starts or ends a definition as
		// they do.
		if w := p.cfg.Dialect.Lookup(d.ActsAs); w != nil {
			switch {
			case d.ActsAs == ":" && !p.compiling:
				p.beginColon(w, s, e)
				if p.cur != nil {
					p.cur.StartedBy = d
				}
				return
			case d.ActsAs == ":noname" && !p.compiling:
				if d.Parse == builtins.ParseName {
					// gforth's cross.fs "Cond: ( "name" -- )": the
					// name it parses comes before the body.
					for i := 0; i < max(d.ParseN, 1); i++ {
						if _, _, ok := p.nameArg(d.Display, s, e); !ok {
							return
						}
					}
				}
				p.beginColon(w, s, e)
				if p.cur != nil {
					p.cur.StartedBy = d
				}
				return
			case d.ActsAs == ";" && p.compiling && !p.interp && d.Immediate:
				p.compileSpecial(w, s, e)
				return
			}
		}
	}
	if ref.D != nil {
		// An alias or synonym of a builtin that changes how the text is
		// read (a comment, a parsing word) reads it the same way.
		if b := aliasedBuiltin(ref.D); b != nil {
			if p.special(b, s, e) {
				return
			}
			if b.Parse != builtins.ParseNone {
				p.builtinWord(b, s, e)
				return
			}
		}
		// A redefinition of a builtin that the reader handles itself,
		// immediate as the builtin is ("{" in gforth's glocals.fs), is
		// an implementation of that word: read on as the builtin does.
		if b := ref.D.wraps; b != nil {
			// ": aka save-next-word aka ;": a redefinition that ends
			// by running the word it redefines reads as that word.
			if !p.special(b, s, e) {
				p.builtinWord(b, s, e)
			}
			return
		}
		if d := ref.D; d.Kind == Colon || d.Kind == Alias {
			// Also a plain one of a plain builtin that neither defines
			// nor parses (pForth's system.fth: ": ] ( -- ) 1 state ! ;"):
			// a defining word's redefinition defines as its body does.
			if b := p.cfg.Dialect.Lookup(d.Name); b != nil && (d.Immediate && b.Immediate ||
				!d.Immediate && !b.Immediate && b.Defines == "" && b.Parse == builtins.ParseNone && d.Parse == builtins.ParseNone) && p.special(b, s, e) {
				return
			}
		}
		// So is a redefinition that takes its caller's return address
		// to change what the rest of its caller does (zeptoforth's
		// basic.fs defines DOES> so: "... r> 0 build-target @ literal!").
		if d := ref.D; d.takesReturn && p.compiling {
			if b := p.cfg.Dialect.Lookup(d.Name); b != nil && b.Immediate && p.special(b, s, e) {
				return
			}
		}
		p.userWord(ref.D, s, e)
		return
	}
	if ref.B != nil {
		if p.special(ref.B, s, e) {
			return
		}
		p.builtinWord(ref.B, s, e)
		return
	}
	if n, ok := p.number(tok); ok {
		p.emit(Op{Kind: OpNumber, Start: s, End: e, NumKind: n.Kind, Lo: n.Lo, Hi: n.Hi})
		return
	}
	if d := p.elsewhere(tok, s, e); d != nil {
		p.userWord(d, s, e)
		return
	}
	if rules.ClassArrow {
		// "my-class->draw": the method draw of class my-class.
		if i := bytes.Index(tok[1:], []byte("->")); i >= 0 && 1+i+2 < len(tok) {
			class, method := p.lookup(tok[:1+i]), p.lookup(tok[1+i+2:])
			switch {
			case class.isZero():
			case method.D != nil:
				p.userWord(method.D, s, e)
				return
			case method.B != nil:
				p.builtinWord(method.B, s, e)
				return
			}
		}
	}
	if p.dynamic != "" {
		// Top-level code earlier ran a word that evaluates text: the
		// word may have been defined then.
		p.addDiag(p.owner(), diag.Diagnostic{Start: int(s), End: int(e), Severity: diag.Warning, Code: diag.Undefined,
			Message: fmt.Sprintf("undefined word %s (unless %s defined it: it evaluates text when it runs)", tok, p.dynamic)})
		p.emit(Op{Kind: OpUndefined, Start: s, End: e})
		return
	}
	if p.refilled != "" {
		// Top-level code earlier ran a word that reads the source
		// itself (REFILL): the text it read is not Forth to us.
		p.addDiag(p.owner(), diag.Diagnostic{Start: int(s), End: int(e), Severity: diag.Warning, Code: diag.Undefined,
			Message: fmt.Sprintf("undefined word %s (unless %s read it: it reads the source itself with REFILL)", tok, p.refilled)})
		p.emit(Op{Kind: OpUndefined, Start: s, End: e})
		return
	}
	if p.asmOrder {
		// "assembler : fnext ret end-code ;": the system's assembler
		// words are not in its word list.
		p.addDiag(p.owner(), diag.Diagnostic{Start: int(s), End: int(e), Severity: diag.Warning, Code: diag.Undefined,
			Message: fmt.Sprintf("undefined word %s (unless it is an assembler word: the ASSEMBLER vocabulary is searched first here, and its words are not known)", tok)})
		p.emit(Op{Kind: OpUndefined, Start: s, End: e})
		return
	}
	if p.missing != "" {
		// The load could not find a file it reads before this point:
		// the word may be defined there.
		p.addDiag(p.owner(), diag.Diagnostic{Start: int(s), End: int(e), Severity: diag.Warning, Code: diag.Undefined,
			Message: fmt.Sprintf("undefined word %s (unless %s defined it: that file was not found)", tok, p.missing)})
		p.emit(Op{Kind: OpUndefined, Start: s, End: e})
		return
	}
	p.diag(diag.Undefined, s, e, "undefined word %s", tok)
	p.emit(Op{Kind: OpUndefined, Start: s, End: e})
}

// number reads tok as a number in the current base, with the dialect's
// number syntax.
func (p *parser) number(tok []byte) (number.Number, bool) {
	r := &p.cfg.Dialect.Rules
	n, ok := number.ParseRules(tok, p.base, !p.cfg.NoFloats, number.Rules{FixedPointComma: r.FixedPointComma, FixedPointSemicolon: r.FixedPointSemicolon, Underscores: r.Underscores})
	if ok && r.FixedPointComma && n.Kind == number.Double && bytes.IndexByte(tok, ',') > 0 {
		p.sawFixed = true
	}
	return n, ok
}

// postponed reads a word between ]] and [[: it is compiled into the
// definition that runs the one being compiled, as POSTPONE would.
func (p *parser) postponed(tok []byte, s, e int32) {
	if p.lowerName(tok) == "[[" {
		p.postponing = false
		return
	}
	ref := p.lookup(tok)
	if ref.isZero() {
		if n, ok := p.number(tok); ok {
			p.emit(Op{Kind: OpNumber, Start: s, End: e, NumKind: n.Kind, Lo: n.Lo, Hi: n.Hi, Postponed: true})
			return
		}
		p.diag(diag.Undefined, s, e, "undefined word %s", tok)
		p.emit(Op{Kind: OpUndefined, Start: s, End: e})
		return
	}
	if ref.B != nil && ref.B.Parse != builtins.ParseNone {
		// A postponed parsing word parses when the definition that runs
		// this one is compiled; here its text is taken as written.
		p.builtinWord(ref.B, s, e)
		ops := *p.ops
		ops[len(ops)-1].Postponed = true
		return
	}
	p.emit(Op{Kind: OpPostpone, Start: s, End: e, Ref: ref, Target: ref, Postponed: true})
}

// aliasedBuiltin returns the builtin an alias or synonym stands for, or
// nil.
func aliasedBuiltin(d *Def) *builtins.Word {
	for i := 0; d != nil && d.Kind == Alias && i < 16; i++ {
		if d.Target.B != nil {
			return d.Target.B
		}
		d = d.Target.D
	}
	return nil
}

// compileParses reports whether a non-immediate builtin parses its
// argument when compiled (its compilation semantics parse).
func compileParses(name string) bool {
	switch name {
	case "to", "is", "+to", "action-of", "s\"", "s\\\"", "c\"", ".\"", ".\\\"", "abort\"":
		return true
	}
	return false
}

func (p *parser) builtinWord(w *builtins.Word, s, e int32) {
	if (!p.compiling || p.interp) && (w.Name == "word" || w.Name == "parse") {
		// Executed now with a literal delimiter ("32 word hello",
		// "char ) parse text)"): it takes its text now.
		if k, delim, ok := p.delimBefore(); ok {
			op := Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}}
			op.ArgStart, op.ArgEnd = p.takeText(k, delim, e)
			p.emit(op)
			return
		}
	}
	parses := w.Parse != builtins.ParseNone && (!p.compiling || p.interp || w.Immediate || compileParses(w.Name))
	if !parses {
		if p.compiling && !p.interp && p.cur != nil {
			// "nextname dup if constant else ['] x alias then": the
			// name of each defining word after it on its path.
			afterNextname := p.nextnameSeen
			switch {
			case afterNextname && (definingEffect(w) != nil || w.Defines != "" || w.Name == "defer" || w.Name == ":" || w.Name == "alias"):
				// "nextname constant": the name comes from a string,
				// not from the input.
				p.creates(w, nil)
			case w.Parse != builtins.ParseNone:
				// Compiled into a definition, the word parses when that
				// definition runs: the definition becomes a parsing word.
				p.noteParse(w.Parse, w.Delim, 1)
				if definingEffect(w) != nil || w.Name == "defer" || w.Defines != "" {
					p.creates(w, nil)
				}
			case w.Name == "!" && p.restoresIn():
				p.reread()
			case w.Name == "set-current":
				p.defOwner().setsCurrent = true
			case w.Name == "setflags":
				// Mecrisp's "<builds h, $30 setflags": the flags of what
				// was just created; $10 is Flag_immediate.
				if n := len(*p.ops); n > 0 {
					if o := (*p.ops)[n-1]; o.Kind == OpNumber && o.Lo&0x10 != 0 && p.defOwner().Defines != nil {
						p.defOwner().ChildImmediate = true
					}
				}
			case w.Name == "header" || w.Name == "(field)":
				// Makes a header whose behaviour is set by code we do
				// not follow.
				p.noteParse(builtins.ParseName, 0, 1)
				p.creates(nil, nil)
			case w.Name == "parse" || w.Name == "word":
				if k, delim, ok := p.delimBefore(); ok {
					p.noteParse(k, delim, 1)
				} else if w.Name == "word" {
					// A delimiter from the caller: WORD skips leading
					// delimiters and is nearly always given a blank.
					p.noteParse(builtins.ParseName, 0, 1)
				}
			case w.Name == "parse-name" || w.Name == "parse-word" || w.Name == "name":
				p.noteParse(builtins.ParseName, 0, 1)
			case (w.Name == "!" || w.Name == "+!") && p.skipsLine():
				// "source nip >in !" (the Hayes tester's TESTING), "7 >in
				// +!": the word moves the input on. How far is not known:
				// it is taken to use up the line it is used on. (A store
				// that puts back a saved >IN after parsing is not a parse:
				// see restoresInput.)
				o := p.defOwner()
				last := o.lastParse
				p.noteParse(builtins.ParseLine, 0, 1)
				if o.Parse != builtins.ParseLine {
					o.lastParse = last
				}
			}
		}
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		return
	}
	switch w.Parse {
	case builtins.ParseName:
		as, ae, ok := p.sc.Word()
		op := Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}, ArgStart: int32(as), ArgEnd: int32(ae)}
		if !ok {
			p.diag(diag.Unterminated, s, e, "%s needs a name after it", w.Name)
			op.ArgStart, op.ArgEnd = e, e
		}
		p.emit(op)
	case builtins.ParseLine:
		as, ae := p.sc.Line()
		p.emit(Op{Kind: OpString, Start: s, End: e, Ref: Ref{B: w}, ArgStart: int32(as), ArgEnd: int32(ae)})
	case builtins.ParseDelim:
		p.stringWord(w, s, e)
	}
}

func (p *parser) stringWord(w *builtins.Word, s, e int32) {
	var as, ae int
	var closed bool
	escaped := strings.HasSuffix(w.Name, "\\\"")
	switch {
	case escaped:
		as, ae, closed = p.sc.UntilEscaped(w.Delim)
	default:
		as, ae, closed = p.sc.Until(w.Delim, w.Delim == ')' || p.cfg.Dialect.Rules.RawStrings)
	}
	op := Op{Kind: OpString, Start: s, End: e, Ref: Ref{B: w}, ArgStart: int32(as), ArgEnd: int32(ae), Unterminated: !closed}
	if !closed {
		p.diag(diag.Unterminated, s, int32(ae), "%s has no closing %c", w.Name, w.Delim)
	}
	if escaped && closed {
		if err := badEscape(p.src[as:ae]); err != nil {
			p.diag(diag.BadEscape, int32(as), int32(ae), "%s: %v", w.Name, err)
		}
	}
	p.emit(op)
}

// badEscape returns the first escape in text that gforth does not
// document: the standard's, plus octal ones (\0 to \377).
func badEscape(text []byte) error {
	for off := 0; off < len(text); {
		_, err := scan.Unescape(text[off:])
		ee, ok := err.(*scan.EscapeError)
		if !ok {
			return err
		}
		if len(ee.Seq) < 2 || ee.Seq[1] < '0' || ee.Seq[1] > '7' {
			ee.Offset += off
			return ee
		}
		off += ee.Offset + len(ee.Seq)
	}
	return nil
}

// inheritParse makes the definition being compiled parse as k (when
// nothing else made it parse already): it compiles a parsing word.
func (p *parser) inheritParse(k builtins.Parse, delim byte) {
	p.noteParse(k, delim, 1)
}

// noteParse records that the body being compiled parses n times as k when
// it runs. Several names parsed one after the other on the one path
// ("' '") make a word that parses several names; a name parsed in a loop
// makes one that parses names up to an end.
func (p *parser) noteParse(k builtins.Parse, delim byte, n int) {
	if p.cur == nil {
		return
	}
	p.noteStep(ParseStep{Kind: k, Delim: delim, N: n})
}

// noteStep records one parse of the body being compiled; see noteParse.
func (p *parser) noteStep(st ParseStep) {
	if p.cur == nil {
		return
	}
	d := p.defOwner()
	d.lastParse = len(d.Body)
	if d.Parse == builtins.ParseNone {
		d.Parse, d.Delim, d.ParseN, d.Until = st.Kind, st.Delim, st.N, st.Until
		d.parseInLoop = p.loopDepth > 0
		return
	}
	if p.loopDepth > 0 && d.Parse == builtins.ParseName && st.Kind == builtins.ParseName && len(d.Then) == 0 {
		// "token s\" {\" compare ... begin token ... while": after the
		// first names, names up to an end (see finishParse).
		d.parseInLoop = true
		return
	}
	if p.loopDepth > 0 || p.branched() {
		return
	}
	last := &ParseStep{Kind: d.Parse, N: d.ParseN}
	inThen := len(d.Then) > 0
	if inThen {
		last = &d.Then[len(d.Then)-1]
	}
	switch {
	case last.Kind == builtins.ParseName && st.Kind == builtins.ParseName:
		if inThen {
			last.N = max(last.N, 1) + max(st.N, 1)
		} else {
			d.ParseN = max(d.ParseN, 1) + max(st.N, 1)
		}
	case last.Kind == builtins.ParseLine:
		// The line is used up: what it parses next is not known.
	default:
		d.Then = append(d.Then, st)
	}
}

// delimBefore reads the delimiter that WORD or PARSE gets from the literal
// just before it ("bl word", "[char] ) parse", "-1 parse").
func (p *parser) delimBefore() (builtins.Parse, byte, bool) {
	ops := *p.ops
	n := len(ops)
	if n == 0 {
		return 0, 0, false
	}
	if isCall(ops[n-1], "bl") {
		return builtins.ParseName, 0, true
	}
	c := ops[n-1].Lo
	switch {
	case ops[n-1].Kind == OpCall && ops[n-1].Ref.B != nil && ops[n-1].Ref.B.HasValue:
		c = ops[n-1].Ref.B.Value // a system constant: pForth's "EOL word"
	case ops[n-1].Kind != OpChar && ops[n-1].Kind != OpNumber:
		return 0, 0, false
	}
	switch {
	case c == ' ':
		return builtins.ParseName, 0, true
	case c <= 0 || c > 255 || c == '\n' || c == '\r':
		// No character of a line matches: "-1 parse" and "0 parse"
		// take the rest of the line.
		return builtins.ParseLine, 0, true
	default:
		return builtins.ParseDelim, byte(c), true
	}
}

// takeText reads what a parsing word of kind k takes after the word
// ending at e, returning its range.
func (p *parser) takeText(k builtins.Parse, delim byte, e int32) (int32, int32) {
	switch k {
	case builtins.ParseName:
		as, ae, ok := p.sc.Word()
		if !ok {
			return e, e
		}
		return int32(as), int32(ae)
	case builtins.ParseLine:
		as, ae := p.sc.Line()
		return int32(as), int32(ae)
	case builtins.ParseDelim:
		as, ae, _ := p.sc.Until(delim, p.crossLines(delim))
		return int32(as), int32(ae)
	}
	return e, e
}

// lastIs reports whether the operation just before is a call of the
// builtin name.
// orderOnly reports whether a body only changes the search order and
// the current wordlist.
func orderOnly(body []Op) bool {
	if len(body) == 0 {
		return false
	}
	for _, op := range body {
		if op.Kind != OpCall || op.Interp {
			return false
		}
		switch {
		case op.Ref.D != nil:
			if !(op.Ref.D.wordlist && op.Ref.D.Kind != Constant) && !op.Ref.D.orderOnly {
				return false
			}
		case op.Ref.B != nil:
			switch op.Ref.B.Name {
			case "also", "previous", "definitions", "only", "forth", "root", "assembler", "editor", "environment", ";", "exit":
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// restoresIn reports whether a store compiled here puts back a saved
// input position: ">in @ ... >in !", on the path every run takes.
func (p *parser) restoresIn() bool {
	ops := *p.ops
	n := len(ops)
	if n == 0 || !callsName(ops[n-1], ">in") || !p.inSaved || p.loopDepth > 0 || p.ifDepth > 0 {
		return false
	}
	// "source nip >in !", "#tib @ >in !": a skip to the end of the line.
	toEnd := n >= 3 && (callsName(ops[n-2], "nip") && callsName(ops[n-3], "source") ||
		callsName(ops[n-2], "@") && callsName(ops[n-3], "#tib"))
	return !toEnd
}

// reread handles ">in @ ghost swap >in ! '": the input is put back and
// the names parsed before are read again, so only the parses after this
// count.
func (p *parser) reread() {
	o := p.defOwner()
	o.Parse, o.Delim, o.ParseN, o.Until, o.Then, o.parseInLoop = builtins.ParseNone, 0, 0, "", nil, false
}

// widthsFromSystem takes the cell widths of a stack comment's items from
// the system's own word of the same name, when the comment lists as many
// items on each side: the system's sources (zeptoforth's fixed.fs) write
// "( f -- n )" for a word the system documents as "( d:f -- n )".
func (p *parser) widthsFromSystem(name string, e *effect.Effect) {
	widthsFromSystem(p.cfg.Dialect, name, e)
}

func widthsFromSystem(dialect *builtins.Dialect, name string, e *effect.Effect) {
	if name == "" || e.Complex || len(e.In) != 1 || len(e.Out) != 1 {
		return
	}
	w := dialect.Lookup(name)
	if w == nil || !w.Known || w.Effect.Complex || len(w.Effect.In) != 1 || len(w.Effect.Out) != 1 {
		return
	}
	same := func(a, b effect.Picture) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i].Stack != b[i].Stack || a[i].Kind != b[i].Kind {
				return false
			}
		}
		return true
	}
	if !same(e.In[0], w.Effect.In[0]) || !same(e.Out[0], w.Effect.Out[0]) {
		return
	}
	in := slices.Clone(e.In[0])
	out := slices.Clone(e.Out[0])
	for i := range in {
		in[i].Cells = w.Effect.In[0][i].Cells
	}
	for i := range out {
		out[i].Cells = w.Effect.Out[0][i].Cells
	}
	e.In = []effect.Picture{in}
	e.Out = []effect.Picture{out}
}

// crossLines reports whether a user word's PARSE up to delim goes on
// past the end of the line: in systems that evaluate a file as one
// buffer (ESP32forth: "r| ... |" over many lines), for any delimiter but
// the end of a line itself.
func (p *parser) crossLines(delim byte) bool {
	return p.cfg.Dialect.Rules.RawStrings && delim != '\n' && delim != '\r' && delim != 0
}

// endsWithCall reports whether d's body ends by calling name (before
// its ";").
func endsWithCall(d *Def, name string) bool {
	if d.Kind != Colon {
		return false
	}
	b := d.Body
	if n := len(b); n > 0 && callsName(b[n-1], ";") {
		b = b[:n-1]
	}
	if len(b) == 0 {
		return false
	}
	last := b[len(b)-1]
	if last.Kind == OpUndefined && d.File != nil && int(last.End) <= len(d.File.Src) && last.Start < last.End {
		// The assembler's END-CODE, not in the word list.
		return builtins.LowerASCII(string(d.File.Src[last.Start:last.End])) == name
	}
	return callsName(last, name)
}

// callsName reports whether op calls a word named name, the system's or
// a redefinition (gforth's cross.fs has its own @ and !).
func callsName(op Op, name string) bool {
	if op.Kind != OpCall {
		return false
	}
	switch {
	case op.Ref.D != nil:
		return op.Ref.D.Name == name
	case op.Ref.B != nil:
		return op.Ref.B.Name == name
	}
	return false
}

func (p *parser) lastIs(name string) bool {
	ops := *p.ops
	return len(ops) > 0 && isCall(ops[len(ops)-1], name)
}

// creates records that the body being compiled creates a word when it
// runs: with the builtin defining word w, through the user defining word
// via, or (both nil) in a way that is not followed. A body that creates
// more than once, or not in a followed way, makes children whose
// behaviour is not known.
func (p *parser) creates(w *builtins.Word, via *Def) {
	o := p.defOwner()
	o.creations++
	if w != nil {
		o.Defines = w
	}
	if o.setsCurrent || via != nil && via.ChildHidden {
		o.ChildHidden = true
	}
	o.DoesVia = via
	if o.creations > 1 || w == nil {
		o.ChildUnknown = true
	}
}

// defOwner is the definition whose behaviour the current body gives:
// the colon definition, quotation or does> part being compiled. What a
// does> part does (parse, create) happens when the defining word's
// children run, so it belongs to the part, and children take it from
// there.
func (p *parser) defOwner() *Def {
	return p.cur
}

func (p *parser) userWord(d *Def, s, e int32) {
	op := Op{Kind: OpCall, Start: s, End: e, Ref: Ref{D: d}}
	runsNow := !p.compiling || p.interp || d.Immediate
	if !runsNow {
		switch {
		case p.cur == nil:
		case d.Name == "set-current":
			// search.fs's own set-current.
			p.defOwner().setsCurrent = true
		case d.Name == "!" && p.restoresIn():
			p.reread()
		}
		if d.Parse != builtins.ParseNone {
			// Compiling a word that parses makes one that parses the
			// same when it runs.
			p.noteStep(ParseStep{Kind: d.Parse, Delim: d.Delim, N: max(d.ParseN, 1), Until: d.Until})
			for _, st := range d.Then {
				p.noteStep(st)
			}
			if d.Defines != nil && p.cur != nil {
				o := p.defOwner()
				p.creates(d.Defines, d)
				o.ChildImmediate = o.ChildImmediate || d.ChildImmediate
				o.ChildCompileOnly = o.ChildCompileOnly || d.ChildCompileOnly
			}
		} else if (d.Does != nil || d.DoesVia != nil) && p.cur != nil {
			// Runs a does> that gives the latest word its behaviour
			// (gforth's struct.fs: "create dozerofield").
			o := p.defOwner()
			o.changes++
			o.DoesVia = d
			if o.changes > 1 {
				o.ChildUnknown = true
			}
		}
		p.emit(op)
		return
	}
	if p.compiling && !p.interp && d.Immediate {
		op.Interp = true
	}
	if d.evalsText {
		// The text after it is read on as Forth.
		p.emit(op)
		return
	}
	if d.loads != "" && !p.compiling {
		// ": include push-order getPathSpec included pop-order ;": it
		// loads the file it names, as the system's include does.
		if w := p.cfg.Dialect.Lookup("include"); w != nil {
			if as, ae, ok := p.nameArg(d.Display, s, e); ok {
				p.include(w, s, e, as, ae, d.loads == "once")
			}
			return
		}
	}
	switch d.Parse {
	case builtins.ParseName:
		if d.Defines != nil && !p.compiling && p.takeNoname() {
			nd := p.newDef(Child, e, e, s)
			nd.Maker, nd.Via = effectiveMaker(d), d.Defines
			nd.Effect = definingEffect(d.Defines)
			op.Kind, op.NewDef = OpDefine, nd
			p.emit(op)
			return
		}
		as, ae, ok := p.sc.Word()
		if !ok {
			p.diag(diag.Unterminated, s, e, "%s needs a name after it", d.Display)
			p.emit(op)
			return
		}
		if d.Defines != nil && !p.compiling && d.creations > 1 && d.ParseN == d.creations {
			// "DUP CONSTANT CREATE 1000 * , DOES> ...": each creation
			// takes its own name; the last one is the child the does>
			// part (if any) gives its behaviour.
			names := [][2]int32{{int32(as), int32(ae)}}
			for k := 1; k < d.ParseN; k++ {
				if ws, we, ok := p.sc.Word(); ok {
					names = append(names, [2]int32{int32(ws), int32(we)})
				}
			}
			for i, nm := range names {
				var nd *Def
				if i < len(names)-1 {
					nd = p.newDef(Child, nm[0], nm[1], s)
					nd.Maker, nd.Earlier = d, true
				} else {
					nd = p.child(d, nm[0], nm[1], s)
				}
				o := Op{Kind: OpDefine, Start: s, End: e, NewDef: nd, ArgStart: nm[0], ArgEnd: nm[1]}
				if i == 0 {
					o.Ref = op.Ref // the defining word's effect, once
				}
				p.emit(o)
				p.define(nd)
			}
			return
		}
		if d.Defines != nil && !p.compiling {
			op.Kind, op.NewDef = OpDefine, p.child(d, int32(as), int32(ae), s)
			op.ArgStart, op.ArgEnd = int32(as), int32(ae)
			// "inh ( -<name>- ) create bl word count here place": the
			// names after the one the child is named by.
			for k := 1; k < d.ParseN; k++ {
				if _, ae, ok := p.sc.Word(); ok {
					op.ArgEnd = int32(ae)
				}
			}
			p.moreSteps(d, &op)
			p.emit(op)
			p.define(op.NewDef)
			return
		}
		op.ArgStart, op.ArgEnd = int32(as), int32(ae)
		for k := 1; k < d.ParseN; k++ {
			if _, ae, ok := p.sc.Word(); ok {
				op.ArgEnd = int32(ae)
			}
		}
	case builtins.ParseLine:
		if d.Defines != nil && !p.compiling && d.parseInLoop {
			// A defining word that creates in a loop ("300 7 regs AX CX
			// DX"): every name on the rest of the line is a new word.
			p.emit(op)
			line := p.lineEnd()
			for int32(p.sc.Offset()) < line {
				save := p.sc.Offset()
				as, ae, ok := p.sc.Word()
				if !ok || int32(as) >= line {
					p.sc.SetOffset(save)
					break
				}
				nd := p.child(d, int32(as), int32(ae), int32(as))
				p.emit(Op{Kind: OpDefine, Start: int32(as), End: int32(ae), NewDef: nd, ArgStart: int32(as), ArgEnd: int32(ae)})
				p.define(nd)
			}
			return
		}
		as, ae := p.sc.Line()
		op.ArgStart, op.ArgEnd = int32(as), int32(ae)
	case builtins.ParseDelim:
		as, ae, _ := p.sc.Until(d.Delim, p.crossLines(d.Delim))
		op.ArgStart, op.ArgEnd = int32(as), int32(ae)
	case builtins.ParseWords:
		op.ArgStart, op.ArgEnd = e, e
		for {
			ws, we, ok := p.sc.Word()
			if !ok {
				break
			}
			if op.ArgStart == e {
				op.ArgStart = int32(ws)
			}
			op.ArgEnd = int32(we)
			if string(p.src[ws:we]) == d.Until {
				break
			}
		}
	}
	p.moreSteps(d, &op)
	p.emit(op)
}

// moreSteps reads the text d parses after its first parse ("e: name ...
// ;e": a name, then words up to ;e).
func (p *parser) moreSteps(d *Def, op *Op) {
	for _, st := range d.Then {
		switch st.Kind {
		case builtins.ParseName:
			for k := 0; k < max(st.N, 1); k++ {
				if _, ae, ok := p.sc.Word(); ok {
					op.ArgEnd = int32(ae)
				}
			}
		case builtins.ParseLine:
			_, ae := p.sc.Line()
			op.ArgEnd = int32(ae)
		case builtins.ParseDelim:
			_, ae, _ := p.sc.Until(st.Delim, p.crossLines(st.Delim))
			op.ArgEnd = int32(ae)
		case builtins.ParseWords:
			for {
				ws, we, ok := p.sc.Word()
				if !ok {
					break
				}
				op.ArgEnd = int32(we)
				if string(p.src[ws:we]) == st.Until {
					break
				}
			}
		}
	}
}

// child makes the word that the user defining word d defines with the
// name at [ns, ne), d's use starting at s.
func (p *parser) child(d *Def, ns, ne, s int32) *Def {
	nd := p.newDef(Child, ns, ne, s)
	nd.Maker, nd.Via = effectiveMaker(d), d.Defines
	nd.Immediate, nd.CompileOnly = d.ChildImmediate, d.ChildCompileOnly
	nd.hidden = d.ChildHidden
	if b := d.Does; b != nil && b.Parse != builtins.ParseNone {
		// The maker's does> part parses (and perhaps creates) when the
		// child runs.
		nd.Parse, nd.Delim, nd.Defines = b.Parse, b.Delim, b.Defines
		nd.ParseN, nd.Until, nd.Then, nd.parseInLoop = b.ParseN, b.Until, b.Then, b.parseInLoop
		nd.ChildImmediate, nd.ChildCompileOnly = b.ChildImmediate, b.ChildCompileOnly
		nd.Does = b.Does
	}
	nd.Effect = definingEffect(d.Defines)
	return nd
}

// lineEnd is the offset of the end of the line the scanner is on.
func (p *parser) lineEnd() int32 {
	i := p.sc.Offset()
	for i < len(p.src) && p.src[i] != '\n' && p.src[i] != '\r' {
		i++
	}
	p.sc.Touch(i + 1)
	return int32(i)
}

// effectiveMaker is the defining word whose does> part (if any) gives
// the children of d their behaviour: d itself, or the word it creates
// through when it has no does> of its own.
func effectiveMaker(d *Def) *Def {
	m := d
	for i := 0; i < 16 && m.Does == nil && m.DoesVia != nil && !m.ChildUnknown; i++ {
		m = m.DoesVia
	}
	return m
}

// newDef makes a definition named by the text at [ns, ne) whose defining
// word starts at start.
func (p *parser) newDef(kind DefKind, ns, ne, start int32) *Def {
	d := &Def{Kind: kind, File: p.f.Source, Start: start, End: ne, NameStart: ns, NameEnd: ne, missing: p.missing}
	if ne > ns {
		d.Display = string(p.src[ns:ne])
		d.Name = builtins.LowerASCII(d.Display)
	}
	if p.docEnd > 0 && p.docEnd <= start && onlyBlank(p.src[p.docEnd:start], 1) {
		d.DocStart, d.DocEnd = p.docStart, p.docEnd
	}
	d.Index = len(p.f.Defs)
	p.f.Defs = append(p.f.Defs, d)
	p.lastDef = d
	return d
}

// define makes d visible to later code.
func (p *parser) define(d *Def) {
	if d.Name == "" {
		return
	}
	var owner *Def
	if d.Kind == Colon || d.Kind == Noname {
		owner = d
	}
	old := p.dictLookup(d.Name)
	other := p.hiddenScope() || d.hidden
	if old == d {
		// made visible early by "recursive"
	} else if old != nil && !other {
		// The message names no line: it must stay true when lines move.
		where := "earlier in this file"
		if old.File.Name != p.f.Source.Name {
			where = "in " + old.File.Name
		}
		p.addDiag(owner, diag.New(diag.Redefined, int(d.NameStart), int(d.NameEnd), fmt.Sprintf("%s redefined (previous definition %s)", d.Display, where)))
	} else if w := p.cfg.Dialect.Lookup(d.Name); w != nil && builtins.StandardSet(w.WordSet) && !other {
		// Only a standard word's redefinition is worth a note: systems
		// have many words of their own (gforth's "f", "l", "n") that
		// programs reuse as names without meaning to replace anything.
		p.addDiag(owner, diag.Diagnostic{Start: int(d.NameStart), End: int(d.NameEnd), Severity: diag.Information, Code: diag.Redefined,
			Message: fmt.Sprintf("%s redefines the %s word %s", d.Display, w.WordSet, w.Name)})
	}
	if n := len(p.scopes); n > 0 {
		p.scopes[n-1].words = append(p.scopes[n-1].words, d)
		if p.cfg.Dialect.Rules.ModulePaths {
			if p.modWords == nil {
				p.modWords = NewDict(nil)
			}
			p.modWords.bind(d.Name, d)
		}
	}
	if other && old != d && (old != nil || p.cfg.Dialect.Lookup(d.Name) != nil) {
		// Defined in a wordlist that is not searched: the word the
		// program goes on using is the one it had.
		return
	}
	p.setDict(d.Name, d)
}

// setDict makes name mean d from here on.
func (p *parser) setDict(name string, d *Def) {
	p.dict.set(name, d)
	p.added.bind(name, d)
}

// nameArg reads the name a parsing word takes, reporting its absence.
func (p *parser) nameArg(w string, s, e int32) (int32, int32, bool) {
	as, ae, ok := p.sc.Word()
	if !ok {
		p.diag(diag.Unterminated, s, e, "%s needs a name after it", w)
		return e, e, false
	}
	return int32(as), int32(ae), true
}

// special handles the words that change how the rest of the text is read.
// It reports false for ordinary words.
func (p *parser) special(w *builtins.Word, s, e int32) bool {
	name := w.Name
	switch name {
	case "\\", "\\g":
		as, ae := p.sc.Line()
		_ = as
		p.comment(s, int32(ae))
		return true
	case "(":
		lineOnly := p.cfg.Dialect.Rules.ParenLine
		_, ae, closed := p.sc.Until(')', !lineOnly)
		end := int32(ae)
		if closed {
			end++
		}
		if !closed && !lineOnly {
			p.diag(diag.Unterminated, s, e, "comment has no closing )")
		}
		p.comment(s, end)
		return true
	case "[if]":
		p.condIf(s, e, p.popKnown())
		return true
	case "[ifdef]", "[ifundef]":
		as, ae, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		def := !p.lookup(p.text(as, ae)).isZero()
		p.condIf(s, e, kval{true, boolInt(def == (name == "[ifdef]"))})
		return true
	case "[else]":
		if p.condDepth == 0 {
			p.diag(diag.UnbalancedControl, s, e, "[else] without [if]")
			return true
		}
		p.skip(false)
		return true
	case "[then]", "[endif]":
		if p.condDepth == 0 {
			p.diag(diag.UnbalancedControl, s, e, "%s without [if]", name)
			return true
		}
		p.condDepth--
		p.condStart = p.condStart[:p.condDepth]
		return true
	case "[defined]", "[undefined]", "defined?":
		// ESP32forth's DEFINED? gives the word's xt or zero: as a flag,
		// the same as [DEFINED].
		as, ae, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		def := !p.lookup(p.text(as, ae)).isZero()
		op := Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}, ArgStart: as, ArgEnd: ae}
		flag := kval{true, boolInt(def == (name != "[undefined]"))}
		if p.compiling && !p.interp {
			// Immediate: in a definition its flag is on the stack at
			// compile time, for the [if] that follows.
			op.Interp = true
			p.ckv = append(p.ckv, flag)
		}
		p.emit(op)
		if !p.compiling {
			p.kv = append(p.kv, flag)
		}
		return true
	}
	if p.compiling && !p.interp {
		return p.compileSpecial(w, s, e)
	}
	return p.interpretSpecial(w, s, e)
}

func boolInt(b bool) int64 {
	if b {
		return -1
	}
	return 0
}

func (r Ref) isZero() bool { return r.B == nil && r.D == nil }

// to reads "to name", "is name", "+to name" and "action-of name": on one
// of the given locals, or on a word.
func (p *parser) to(w *builtins.Word, s, e int32, locals []Local) {
	as, ae, ok := p.nameArg(w.Name, s, e)
	if !ok {
		return
	}
	lw := p.lowerName(p.text(as, ae))
	for i := len(locals) - 1; i >= 0; i-- {
		if locals[i].Name == lw {
			p.emit(Op{Kind: OpToLocal, Start: s, End: e, Ref: Ref{B: w}, Local: int32(i), ArgStart: as, ArgEnd: ae})
			return
		}
	}
	p.emit(Op{Kind: OpTo, Start: s, End: e, Ref: Ref{B: w}, Target: p.target(as, ae), ArgStart: as, ArgEnd: ae})
}

// target resolves the name a parsing word takes (', postpone, to, ...),
// reporting it when undefined.
func (p *parser) target(s, e int32) Ref {
	t := p.lookup(p.text(s, e))
	if t.isZero() && p.cfg.Dialect.Rules.ModulePaths {
		t = p.modulePath(p.text(s, e))
	}
	if t.isZero() {
		if d := p.elsewhere(p.text(s, e), s, e); d != nil {
			return Ref{D: d}
		}
		p.diag(diag.Undefined, s, e, "undefined word %s", p.text(s, e))
	}
	return t
}

// wrapped returns the builtin that colon definition d redefines and
// runs as its last word, reading no text before it (": see save-next-word
// see ;"), when that builtin changes how text is read (it parses or the
// reader handles it itself); else nil.
func (p *parser) wrapped(d *Def) *builtins.Word {
	if d.Kind != Colon || d.Name == "" || len(d.Body) < 2 {
		return nil
	}
	last := len(d.Body) - 1
	if isCall(d.Body[last], ";") {
		last--
	}
	if last < 1 || d.Body[last].Kind != OpCall || d.Body[last].Interp {
		return nil
	}
	// The word it runs last is the one of its name it redefines: the
	// system's, or an earlier alias of a system word (VFX projects:
	// "synonym aka synonym", then ": aka save-next-word aka ;").
	var b *builtins.Word
	op := &d.Body[last]
	switch ref := op.Ref; {
	case ref.B != nil && (ref.B.Name == d.Name || builtins.LowerASCII(string(p.text(op.Start, op.End))) == d.Name):
		// the system's word, or an alias of it read as the word
		b = ref.B
	case ref.D != nil && ref.D.Name == d.Name && ref.D != d:
		b = aliasedBuiltin(ref.D)
	}
	if b == nil || b.Immediate != d.Immediate || b.Parse == builtins.ParseNone && b.Defines == "" && b.Loads == "" {
		return nil
	}
	for i := range last {
		op := &d.Body[i]
		if op.Kind != OpCall || op.Interp {
			continue
		}
		if op.Ref.B != nil && (op.Ref.B.Parse != builtins.ParseNone || op.Ref.B.Defines != "") || op.Ref.D != nil && (op.Ref.D.Parse != builtins.ParseNone || op.Ref.D.Defines != nil) {
			return nil
		}
	}
	return b
}

// foldable reads Mecrisp-Stellaris's "N-foldable": the definition takes
// N cells (it is folded when they are all constants); n is N+1.
func foldable(op *Op) (int, bool) {
	if op.Kind != OpCall || op.Ref.B == nil {
		return 0, false
	}
	name := op.Ref.B.Name
	if len(name) == len("0-foldable") && name[0] >= '0' && name[0] <= '9' && name[1:] == "-foldable" {
		return int(name[0]-'0') + 1, true
	}
	return 0, false
}

// loadsNamed says whether colon definition d loads the file whose name
// it parses ("always" as include, "once" as require): it parses one name
// and then passes it to INCLUDED or REQUIRED (or to a word that loads).
func loadsNamed(d *Def) string {
	if d.Kind != Colon || d.Parse != builtins.ParseName || d.ParseN > 1 || len(d.Then) > 0 || d.Defines != nil {
		return ""
	}
	for i := d.lastParse + 1; i < len(d.Body); i++ {
		op := &d.Body[i]
		if op.Kind != OpCall || op.Interp {
			continue
		}
		switch {
		case op.Ref.B != nil && (op.Ref.B.Name == "included" || op.Ref.B.Loads == "always"):
			return "always"
		case op.Ref.B != nil && (op.Ref.B.Name == "required" || op.Ref.B.Loads == "once"):
			return "once"
		case op.Ref.D != nil && op.Ref.D.loadsText != "":
			return op.Ref.D.loadsText
		}
	}
	return ""
}

// modulePath reads zeptoforth's "module::word" (also "a::b::word"): the
// word of that module. Modules are not told apart: the word is looked up
// by its own name, among the words in scope and then among those every
// module defined so far (a module's words are out of scope once the
// module that holds it ends).
func (p *parser) modulePath(tok []byte) Ref {
	i := bytes.LastIndex(tok, []byte("::"))
	if i <= 0 || i+2 >= len(tok) {
		return Ref{}
	}
	if r := p.lookup(tok[i+2:]); !r.isZero() {
		return r
	}
	if d := p.modWords.Lookup(p.lowerName(tok[i+2:])); d != nil {
		return Ref{D: d}
	}
	return Ref{}
}

// elsewhere finds a word another file of the project defines (see
// Config.Elsewhere) and reports it as not loaded here.
func (p *parser) elsewhere(tok []byte, s, e int32) *Def {
	if p.cfg.Elsewhere == nil {
		return nil
	}
	d := p.cfg.Elsewhere(p.f.Source.Name, p.lowerName(tok))
	if d == nil || d.File == nil {
		return nil
	}
	rel, err := filepath.Rel(filepath.Dir(p.f.Source.Name), d.File.Name)
	if err != nil {
		rel = d.File.Name
	}
	rel = filepath.ToSlash(rel)
	line := d.File.Position(int(d.NameStart)).Line + 1
	x := diag.New(diag.NotLoaded, int(s), int(e), fmt.Sprintf("%s is not loaded here: it is defined in %s:%d, which nothing loads before this file (require %s)", tok, rel, line, rel))
	if p.cfg.ElsewhereError {
		x.Severity = diag.Error
	}
	p.addDiag(p.owner(), x)
	return d
}

func (p *parser) popKnown() kval {
	if p.compiling {
		if n := len(p.ckv); n > 0 && !p.interp {
			v := p.ckv[n-1]
			p.ckv = p.ckv[:n-1]
			return v
		}
		return kval{}
	}
	if len(p.kv) == 0 {
		return kval{}
	}
	v := p.kv[len(p.kv)-1]
	p.kv = p.kv[:len(p.kv)-1]
	return v
}

// condIf enters a conditional. An unknown condition is taken as true so
// that the first branch is analysed.
func (p *parser) condIf(s, e int32, v kval) {
	p.condDepth++
	p.condStart = append(p.condStart, s)
	if v.known && v.v == 0 {
		p.skip(true)
	}
}

// skip passes over inactive text up to the matching [else] (when
// elseEnds) or [then], as the standard's [ELSE] does: word by word,
// counting nested [if]s.
func (p *parser) skip(elseEnds bool) {
	start := int32(p.sc.Offset())
	level := 0
	for {
		s, e, ok := p.sc.Word()
		if !ok {
			p.inactive(Range{start, int32(len(p.src))})
			return
		}
		lw := p.lowerName(p.src[s:e])
		switch lw {
		case "\\":
			p.sc.Line()
		case "(":
			p.sc.Until(')', true)
		case "[if]", "[ifdef]", "[ifundef]":
			level++
		case "[else]":
			if level == 0 && elseEnds {
				p.inactive(Range{start, int32(s)})
				return
			}
		case "[then]", "[endif]":
			if level == 0 {
				p.inactive(Range{start, int32(s)})
				p.condDepth--
				p.condStart = p.condStart[:p.condDepth]
				return
			}
			level--
		}
	}
}

// Effects of the words defining words create.
var definingEffects = map[string]*effect.Effect{}

func init() {
	for name, text := range map[string]string{
		"variable": "( -- a-addr )", "2variable": "( -- a-addr )", "fvariable": "( -- f-addr )",
		"create": "( -- a-addr )", "buffer:": "( -- a-addr )", "user": "( -- a-addr )",
		"constant": "( -- x )", "2constant": "( -- x1 x2 )", "fconstant": "( F: -- r )",
		"value": "( -- x )", "2value": "( -- x1 x2 )", "fvalue": "( F: -- r )",
		"field:": "( addr1 -- addr2 )", "+field": "( addr1 -- addr2 )", "cfield:": "( addr1 -- addr2 )",
		"ffield:": "( addr1 -- addr2 )", "sffield:": "( addr1 -- addr2 )", "dffield:": "( addr1 -- addr2 )",
		"2field:": "( addr1 -- addr2 )", "field": "( addr1 -- addr2 )",
		"begin-structure": "( -- u )", "end-struct": "( -- align size )",
		"marker": "( -- )", "vocabulary": "( -- )", "constant-like": "( -- x )",
	} {
		e, err := effect.Parse(text)
		if err != nil {
			panic(err)
		}
		definingEffects[name] = &e
	}
}

// definingEffect is the effect of the words that the builtin defining
// word w makes, or nil.
func definingEffect(w *builtins.Word) *effect.Effect {
	if w == nil {
		return nil
	}
	if w.Child != nil {
		return w.Child
	}
	if e := definingEffects[w.Name]; e != nil {
		return e
	}
	if w.Defines != "" {
		return definingEffects[kindWord(w.Defines)]
	}
	return nil
}

// kindWord names the standard defining word that makes words of a
// dialect's defines= kind.
func kindWord(kind string) string {
	switch kind {
	case "buffer":
		return "create"
	case "module":
		return "vocabulary"
	}
	return kind
}

func definingKind(name string) DefKind {
	switch name {
	case "constant", "2constant", "fconstant", "value", "2value", "fvalue", "begin-structure", "end-struct":
		return Constant
	case "field:", "+field", "cfield:", "ffield:", "sffield:", "dffield:", "2field:", "field":
		return Field
	case "marker":
		return Marker
	case "vocabulary":
		return Other
	}
	return Variable
}

func (p *parser) interpretSpecial(w *builtins.Word, s, e int32) bool {
	name := w.Name
	switch name {
	case ":", ":noname":
		p.beginColon(w, s, e)
		return true
	case "noname":
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		p.noname = true
		return true
	case "does>":
		if p.cur == nil && p.lastDef != nil && p.lastDef.Kind != Colon && p.lastDef.Kind != Noname && p.mutable(p.lastDef) {
			// gforth: does> in interpret state gives the word just
			// created the behaviour that follows, up to ";".
			p.beginDoes(w, s, e, p.lastDef)
			return true
		}
	case ";":
		if p.interp && p.cur != nil {
			// "[ ... ;" ends the definition from interpret state.
			p.interp = false
			return p.compileSpecial(w, s, e)
		}
		p.diag(diag.UnbalancedControl, s, e, "; without :")
		return true
	case "]":
		if p.cur != nil && p.interp {
			p.interp = false
			p.emit(Op{Kind: OpLeaveInterp, Start: s, End: e, Ref: Ref{B: w}})
		}
		return true
	case "[":
		return true
	case "hex":
		p.base = 16
	case "decimal":
		p.base = 10
	case "immediate":
		if p.lastDef != nil && p.mutable(p.lastDef) {
			p.lastDef.Immediate = true
		}
	case "compile-only", "restrict":
		if p.lastDef != nil && p.mutable(p.lastDef) {
			p.lastDef.CompileOnly = true
		}
	case "'", "char":
		as, ae, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		p.tickOrChar(w, s, e, as, ae, name == "char")
		return true
	case "include", "require", "needs":
		as, ae, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		p.include(w, s, e, as, ae, name != "include")
		return true
	case "include?":
		// pForth: "include? word file" includes file unless word is
		// defined.
		ws, we, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		as, ae, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		if p.lookup(p.text(ws, we)).isZero() {
			p.include(w, s, e, as, ae, true)
		} else {
			p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}, ArgStart: ws, ArgEnd: ae})
		}
		return true
	case "included", "required":
		if n := len(*p.ops); n > 0 && (*p.ops)[n-1].Kind == OpString {
			prev := (*p.ops)[n-1]
			p.include(w, s, e, prev.ArgStart, prev.ArgEnd, name == "required")
			return true
		}
	case "to", "is", "+to", "action-of":
		p.to(w, s, e, nil)
		return true
	case "synonym", "aka":
		ns, ne, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		os, oe, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		if name == "aka" {
			// SwiftForth's "AKA old new".
			ns, ne, os, oe = os, oe, ns, ne
		}
		t := p.target(os, oe)
		d := p.newDef(Alias, ns, ne, s)
		d.Target = t
		d.End = oe
		d.Immediate = t.Immediate()
		p.emit(Op{Kind: OpDefine, Start: s, End: e, Ref: Ref{B: w}, NewDef: d, Target: t, ArgStart: ns, ArgEnd: ne})
		p.define(d)
		return true
	case "alias":
		ns, ne, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		d := p.newDef(Alias, ns, ne, s)
		if n := len(*p.ops); n > 0 && (*p.ops)[n-1].Kind == OpTick {
			d.Target = (*p.ops)[n-1].Target
			d.Start = (*p.ops)[n-1].Start
		}
		p.emit(Op{Kind: OpDefine, Start: s, End: e, Ref: Ref{B: w}, NewDef: d, Target: d.Target, ArgStart: ns, ArgEnd: ne})
		p.define(d)
		return true
	case "code", "abi-code":
		p.codeDef(w, s, e, "end-code")
		return true
	case "defer":
		ns, ne, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		d := p.newDef(Defer, ns, ne, s)
		p.stackComment(d)
		p.emit(Op{Kind: OpDefine, Start: s, End: e, Ref: Ref{B: w}, NewDef: d, ArgStart: ns, ArgEnd: ne})
		p.define(d)
		return true
	}
	if w.Loads != "" {
		// A system's own word for loading a file (VFX's fload).
		as, ae, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		p.include(w, s, e, as, ae, w.Loads == "once")
		return true
	}
	if w.Defines != "" || w.SkipTo != "" {
		return p.dialectWord(w, s, e)
	}
	if eff, ok := definingEffects[name]; ok && w.Parse == builtins.ParseName {
		ns, ne, ok := e, e, true
		if !p.takeNoname() {
			ns, ne, ok = p.nameArg(name, s, e)
		}
		if !ok {
			return true
		}
		d := p.newDef(definingKind(name), ns, ne, s)
		d.Effect, d.Via = eff, w
		if name == "vocabulary" {
			d.wordlist = true
		}
		if n := len(p.lastOps); name == "constant" && n > 0 {
			if o := p.lastOps[n-1]; o.Kind == OpCall && o.Ref.B != nil && (o.Ref.B.Name == "wordlist" || o.Ref.B.Name == "table" || o.Ref.B.Name == "cs-wordlist") {
				d.wordlist = true
			}
		}
		if d.Kind == Constant {
			// Remember literal constants for [if] and for values.
			if len(p.kv) > 0 && (name == "constant" || name == "value") {
				if v := p.kv[len(p.kv)-1]; v.known {
					d.known, d.value = true, v.v
				}
			}
		}
		p.emit(Op{Kind: OpDefine, Start: s, End: e, Ref: Ref{B: w}, NewDef: d, ArgStart: ns, ArgEnd: ne})
		p.define(d)
		return true
	}
	if name == "end-struct" {
		ns, ne, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		d := p.newDef(Constant, ns, ne, s)
		d.Effect, d.Via = definingEffects[name], w
		p.emit(Op{Kind: OpDefine, Start: s, End: e, Ref: Ref{B: w}, NewDef: d, ArgStart: ns, ArgEnd: ne})
		p.define(d)
		return true
	}
	return false
}

// codeDef reads a definition whose text up to the word end (or
// "end-code:") is assembler, not Forth we analyse.
func (p *parser) codeDef(w *builtins.Word, s, e int32, end string) {
	ns, ne, ok := p.nameArg(w.Name, s, e)
	if !ok {
		return
	}
	d := p.newDef(Other, ns, ne, s)
	d.End = p.skipTo(end, s, e, "code definition "+d.Display)
	p.inactive(Range{ne, d.End})
	p.emit(Op{Kind: OpDefine, Start: s, End: e, Ref: Ref{B: w}, NewDef: d, ArgStart: ns, ArgEnd: ne})
	p.define(d)
}

// skipTo passes over text up to and including the word end (or end
// followed by a colon), returning the offset after it; what names the
// construct in the diagnostic when end never comes.
func (p *parser) skipTo(end string, s, e int32, what string) int32 {
	at, _ := p.skipToEither(end, "", s, e, what)
	return at
}

// skipToEither is skipTo that also stops at alt (when not ""), and says
// whether it was alt that ended the text.
func (p *parser) skipToEither(end, alt string, s, e int32, what string) (int32, bool) {
	if end == "<eof>" {
		// The rest of the file is not read (SwiftForth's \\).
		p.sc.SetOffset(len(p.src))
		return int32(len(p.src)), false
	}
	for {
		ws, we, ok := p.sc.Word()
		if !ok {
			p.diag(diag.Unterminated, s, e, "%s has no %s", what, end)
			return int32(len(p.src)), false
		}
		lw := p.lowerName(p.src[ws:we])
		if lw == end || lw == end+":" {
			return int32(we), false
		}
		if alt != "" && lw == alt {
			return int32(we), true
		}
		if d := p.dictLookup(lw); d != nil && (endsWithCall(d, end) || alt != "" && endsWithCall(d, alt)) {
			// SwiftForth's FNEXT ( -- ) "ret end-code": a macro that
			// ends the code.
			return int32(we), alt != "" && endsWithCall(d, alt)
		}
	}
}

// extern reads a C prototype up to the ; that ends it, over several
// lines if need be ("extern: int foo( int a, void * b );", VFX's extern
// "C" void f( float x, ... );) and defines the function's name: the word
// before the "(". Each parameter is a data cell and a return value other
// than void one more; with a float parameter or return (passed on the
// float stack or not, by the system's convention) the effect is unknown.
func (p *parser) extern(w *builtins.Word, s, e int32) {
	var toks [][2]int32
	end := int32(len(p.src))
	closed := false
	for {
		ws, we, ok := p.sc.Word()
		if !ok {
			break
		}
		toks = append(toks, [2]int32{int32(ws), int32(we)})
		if t := p.src[ws:we]; t[len(t)-1] == ';' {
			end, closed = int32(we), true
			break
		}
		if len(toks) > 256 {
			break
		}
	}
	if !closed {
		p.diag(diag.Unterminated, s, e, "%s has no closing ;", w.Name)
	}
	p.inactive(Range{e, end})
	// The text from the first token to the ";" is the prototype.
	proto := ""
	if len(toks) > 0 {
		proto = string(p.src[toks[0][0]:end])
	}
	open := strings.IndexByte(proto, '(')
	if open < 0 {
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		return
	}
	head := strings.Fields(proto[:open])
	if len(head) == 0 {
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		return
	}
	name := strings.TrimLeft(head[len(head)-1], "*")
	if name == "" {
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		return
	}
	off := toks[0][0] + int32(strings.LastIndex(proto[:open], name))
	d := p.newDef(Other, off, off+int32(len(name)), s)
	d.Via = w
	d.End = end
	d.Effect = externEffect(head[:len(head)-1], proto[open+1:])
	p.emit(Op{Kind: OpDefine, Start: s, End: e, Ref: Ref{B: w}, NewDef: d, ArgStart: d.NameStart, ArgEnd: d.NameEnd})
	p.define(d)
}

// enum reads a C enumeration up to the "};" that ends it ("enum name {
// A = 0, B, C };", VFX's header syntax) and defines each item as a
// constant.
func (p *parser) enum(w *builtins.Word, s, e int32) {
	start := int32(p.sc.Offset())
	inBody, afterEq := false, false
	p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
	for n := 0; n < 100000; n++ {
		ws, we, ok := p.sc.Word()
		if !ok {
			p.diag(diag.Unterminated, s, e, "%s has no closing };", w.Name)
			p.inactive(Range{start, int32(len(p.src))})
			return
		}
		t := string(p.src[ws:we])
		switch {
		case !inBody:
			if strings.HasSuffix(t, "{") {
				inBody = true
			}
			continue
		case t == "};" || t == "}":
			p.inactive(Range{start, int32(we)})
			return
		case t == "=":
			afterEq = true
			continue
		case afterEq:
			afterEq = !strings.HasSuffix(t, ",")
			continue
		}
		name := strings.TrimSuffix(t, ",")
		if name == "" {
			continue
		}
		d := p.newDef(Constant, int32(ws), int32(ws)+int32(len(name)), int32(ws))
		d.Via = w
		d.Effect = definingEffects["constant"]
		p.define(d)
		if strings.HasSuffix(t, "}") {
			p.inactive(Range{start, int32(we)})
			return
		}
	}
}

// externEffect is the stack effect of a C function imported with the
// return type words ret and the parameter text params (up to ")").
func externEffect(ret []string, params string) *effect.Effect {
	if i := strings.IndexByte(params, ')'); i >= 0 {
		params = params[:i]
	}
	isFloat := func(t string) bool {
		for _, f := range strings.Fields(strings.ToLower(t)) {
			if f == "float" || f == "double" {
				return true
			}
		}
		return false
	}
	in := 0
	if ps := strings.TrimSpace(params); ps != "" && strings.ToLower(ps) != "void" {
		for _, prm := range strings.Split(ps, ",") {
			if strings.TrimSpace(prm) == "..." || isFloat(prm) {
				return nil
			}
			in++
		}
	}
	rt := strings.ToLower(strings.Join(ret, " "))
	if isFloat(rt) {
		return nil
	}
	out := 1
	if f := strings.Fields(rt); len(f) > 0 && f[len(f)-1] == "void" {
		out = 0
	}
	var b strings.Builder
	b.WriteString("(")
	for i := 0; i < in; i++ {
		fmt.Fprintf(&b, " x%d", i+1)
	}
	b.WriteString(" --")
	if out == 1 {
		b.WriteString(" x")
	}
	b.WriteString(" )")
	eff, err := effect.Parse(b.String())
	if err != nil {
		return nil
	}
	return &eff
}

// dialectWord reads a dialect's defining word (defines=KIND) or a word
// followed by text that is not Forth (skip-to=WORD), executed at top
// level.
func (p *parser) dialectWord(w *builtins.Word, s, e int32) bool {
	switch w.Defines {
	case "":
		end := p.skipTo(w.SkipTo, s, e, w.Name)
		p.inactive(Range{e, end})
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		return true
	case "colon":
		p.beginColon(w, s, e)
		return true
	case "code":
		end := w.SkipTo
		if end == "" {
			end = "end-code"
		}
		p.codeDef(w, s, e, end)
		return true
	case "extern":
		p.extern(w, s, e)
		return true
	case "enum":
		p.enum(w, s, e)
		return true
	}
	ns, ne, ok := e, e, true
	if !p.takeNoname() {
		ns, ne, ok = p.nameArg(w.Name, s, e)
	}
	if !ok {
		return true
	}
	kind := definingKind(kindWord(w.Defines))
	if w.Defines == "defer" {
		kind = Defer
	}
	d := p.newDef(kind, ns, ne, s)
	d.Via = w
	d.wordlist = w.Defines == "vocabulary" || w.Defines == "module"
	if kind == Defer {
		p.stackComment(d)
	} else {
		d.Effect = definingEffect(w)
	}
	if w.SkipTo != "" {
		d.End = p.skipTo(w.SkipTo, s, e, w.Name+" "+d.Display)
		p.inactive(Range{ne, d.End})
	}
	p.emit(Op{Kind: OpDefine, Start: s, End: e, Ref: Ref{B: w}, NewDef: d, ArgStart: ns, ArgEnd: ne})
	p.define(d)
	if w.Defines == "module" {
		// begin-module and its kind: definitions go to the module, which
		// is searched, until its end.
		p.enterScope(false)
	}
	return true
}

func (p *parser) tickOrChar(w *builtins.Word, s, e, as, ae int32, isChar bool) {
	if isChar {
		op := Op{Kind: OpChar, Start: s, End: e, Ref: Ref{B: w}, ArgStart: as, ArgEnd: ae}
		op.NumKind, op.Lo = number.Single, int64(firstRune(p.text(as, ae)))
		p.emit(op)
		return
	}
	t := p.target(as, ae)
	p.emit(Op{Kind: OpTick, Start: s, End: e, Ref: Ref{B: w}, Target: t, ArgStart: as, ArgEnd: ae})
}

func firstRune(b []byte) rune {
	for _, r := range string(b) {
		return r
	}
	return 0
}

func (p *parser) include(w *builtins.Word, s, e, as, ae int32, once bool) {
	path := string(p.text(as, ae))
	if p.cfg.Dialect.Rules.PathMacros {
		// VFX: %idir% is the including file's directory, which is where
		// a relative path is looked for first anyway.
		path = strings.ReplaceAll(path, "%idir%/", "")
		path = strings.ReplaceAll(path, "%idir%\\", "")
	}
	inc := Include{Path: path, Start: as, End: ae, Once: once, DefIndex: len(p.f.Defs)}
	if ae <= as {
		inc.Start, inc.End = s, e
	}
	if p.rs != nil {
		// The included file would be read in a context this reading
		// has no session for.
		p.rs.abort = true
		return
	}
	if p.cfg.Include != nil {
		ctx := &Context{Dict: p.dict.snapshot(), Base: p.base, From: p.f.Source.Name, Missing: p.missing}
		inc.Ctx = ctx
		f, err := p.cfg.Include(path, p.f.Source, once, ctx)
		switch {
		case err != nil:
			code := diag.IncludeNotFound
			if c, ok := err.(interface{ DiagCode() diag.Code }); ok {
				code = c.DiagCode()
			}
			p.diag(code, inc.Start, inc.End, "%s: %v", path, err)
			if code == diag.IncludeNotFound && p.missing == "" {
				p.missing = path
			}
		case f != nil:
			inc.File = f
			if p.missing == "" {
				p.missing = f.Missing
			}
			for name, d := range f.Added.All() {
				p.setDict(name, d)
			}
			if f.EndBase >= 2 && f.EndBase <= 36 {
				// BASE is the system's, not the file's.
				p.base = f.EndBase
			}
		}
	}
	p.f.Includes = append(p.f.Includes, inc)
	p.emit(Op{Kind: OpInclude, Start: s, End: e, Ref: Ref{B: w}, ArgStart: as, ArgEnd: ae})
}

func (p *parser) beginColon(w *builtins.Word, s, e int32) {
	var d *Def
	if w.Name == ":noname" {
		d = p.newDef(Noname, s, s, s)
		d.NameEnd = e
	} else if p.takeNoname() {
		// "noname :": a colon definition without a name (and, unlike
		// :noname, without an xt on the stack).
		d = p.newDef(Colon, s, s, s)
		d.NameEnd = e
	} else {
		ns, ne, ok := p.nameArg(":", s, e)
		if !ok {
			return
		}
		d = p.newDef(Colon, ns, ne, s)
	}
	d.Base = p.base
	p.emit(Op{Kind: OpColon, Start: s, End: e, Ref: Ref{B: w}, NewDef: d, ArgStart: d.NameStart, ArgEnd: d.NameEnd})
	p.cur = d
	d.Body = make([]Op, 0, 8)
	p.ops = &d.Body
	p.nextnameSeen, p.inSaved = false, false
	p.compiling = true
	p.interp = false
	p.stackComment(d)
}

// normalizeComment rewrites the gforth notations for parsed text that
// the effect reader would take for stack items: a quoted item with blanks
// inside ("<spaces> name", " name") and a single-quoted one
// ('ccc<paren>'); and it drops the label "compilation&interpretation"
// (one behaviour for both) and reads "compilation." as a phase label.
func normalizeComment(text string) string {
	if !strings.ContainsAny(text, "\"'&.*") {
		return text
	}
	fields := strings.Fields(text)
	out := fields[:0:0]
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		switch lf := strings.ToLower(f); {
		case lf == "compilation&interpretation" || lf == "interpretation&compilation":
			continue
		case strings.HasSuffix(lf, ".") && (lf == "compilation." || lf == "run-time." || lf == "runtime." || lf == "execution." || lf == "interpretation."):
			out = append(out, strings.TrimSuffix(f, ".")+":")
			continue
		case len(f) >= 2 && f[len(f)-1] == '*' && isLetters(f[:len(f)-1]):
			// "n*": any number of n items.
			out = append(out, "...")
			continue
		case len(f) > 2 && f[0] == '\'' && f[len(f)-1] == '\'':
			out = append(out, "\""+strings.ReplaceAll(f[1:len(f)-1], "\"", "")+"\"")
			continue
		case f[0] == '"' && (len(f) == 1 || !strings.HasSuffix(f, "\"")):
			// Join up to the closing quote, if there is one.
			j := i + 1
			for j < len(fields) && fields[j] != "--" && !strings.HasSuffix(fields[j], "\"") {
				j++
			}
			if j < len(fields) && fields[j] != "--" {
				out = append(out, strings.Join(fields[i:j+1], ""))
				i = j
				continue
			}
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// takeNoname reports (and forgets) a preceding "noname".
func (p *parser) takeNoname() bool {
	n := p.noname
	p.noname = false
	return n
}

// beginDoes starts a top-level does> part that gives the word d its
// behaviour.
func (p *parser) beginDoes(w *builtins.Word, s, e int32, d *Def) {
	body := p.newDef(Colon, s, e, s)
	body.Display, body.Name = "", ""
	p.lastDef = d
	body.DoesOf = d
	d.Runs = body
	body.Base = p.base
	p.emit(Op{Kind: OpColon, Start: s, End: e, Ref: Ref{B: w}, NewDef: body, ArgStart: s, ArgEnd: e})
	p.cur = body
	p.ops = &body.Body
	p.nextnameSeen, p.inSaved = false, false
	p.compiling = true
	p.interp = false
	p.stackComment(body)
}

// stackComment reads the stack comment that may follow a definition's
// name: one group, and further groups for other stacks, as in
// "( x -- ) ( R: -- x )".
func (p *parser) stackComment(d *Def) {
	for first := true; ; first = false {
		save := p.sc.Offset()
		s, e, ok := p.sc.Word()
		if !ok || e-s != 1 || p.src[s] != '(' {
			p.sc.SetOffset(save)
			return
		}
		lineOnly := p.cfg.Dialect.Rules.ParenLine
		as, ae, closed := p.sc.Until(')', !lineOnly)
		end := int32(ae)
		if closed {
			end++
		}
		if !closed {
			p.comment(int32(s), end)
			if !lineOnly {
				p.diag(diag.Unterminated, int32(s), int32(e), "comment has no closing )")
			}
			return
		}
		if first {
			if pe, ok := p.effects[unsafeString(p.src[as:ae])]; ok {
				p.addComment(int32(s), end)
				if pe.err == effect.ErrNotEffect {
					return
				}
				p.setComment(d, &Comment{Start: int32(s), End: end, Text: pe.text, Effect: pe.eff, Err: pe.err})
				continue
			}
		}
		text := string(p.src[as:ae])
		p.addComment(int32(s), end)
		if !first {
			// Only a further group for another stack belongs to the
			// stack comment; anything else is an ordinary comment.
			// "( x -- ) ( R: -- x )" and "( F: r -- ) ( -- n )": each
			// group after the first is for another stack than the ones
			// before it.
			if d.Comment == nil {
				return
			}
			// A group for a stack of the program's own ("( a: x -- )")
			// counts as another stack too.
			t := strings.ToUpper(strings.TrimSpace(text))
			first := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(d.Comment.Text, "(")))
			if !hasSeparator(t) || !(groupLabel(t) != "" || groupLabel(first) != "" && !strings.Contains(first, " D:")) {
				return
			}
			c := d.Comment
			eff, err := p.effectOptions().Parse(normalizeComment(c.Text + " (" + text + ")"))
			if err == nil {
				c.Effect = eff
				c.Text += " (" + text + ")"
				c.End = end
				d.End = end
			}
			continue
		}
		pe := p.readEffect(text)
		if p.effects == nil {
			p.effects = make(map[string]parsedEffect)
		}
		p.effects[text] = pe
		if pe.err == effect.ErrNotEffect {
			return
		}
		p.setComment(d, &Comment{Start: int32(s), End: end, Text: pe.text, Effect: pe.eff, Err: pe.err})
	}
}

// parsedEffect is a stack comment's text read as an effect.
type parsedEffect struct {
	text string // with its parentheses
	eff  effect.Effect
	err  error
}

// addComment records a comment of the definition being read, or of the
// top level.
func (p *parser) addComment(s, end int32) {
	if o := p.owner(); o != nil {
		o.Comments = append(o.Comments, Range{s, end})
	} else {
		p.f.Comments = append(p.f.Comments, Range{s, end})
	}
}

// setComment makes c the stack comment of d.
func (p *parser) setComment(d *Def, c *Comment) {
	if c.Err != nil {
		p.diag(diag.BadComment, c.Start, c.End, "cannot read stack comment: %v", c.Err)
	} else {
		p.widthsFromSystem(d.Name, &c.Effect)
	}
	d.Comment = c
	d.End = c.End
}

func (p *parser) compileSpecial(w *builtins.Word, s, e int32) bool {
	d := p.cur
	name := w.Name
	switch name {
	case ";":
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		if d.Kind == Quotation {
			p.diag(diag.UnbalancedControl, s, e, "; inside a quotation: expected ;]")
		}
		// endDef also ends the defining word of a does> part.
		p.endDef(e)
		return true
	case ";code":
		// "create , ;code eax pop ... end-code": the rest is the
		// children's run time in assembler, up to END-CODE (or a macro
		// that ends with it). What the children do is not followed.
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		p.defOwner().ChildUnknown = true
		end := p.skipTo("end-code", s, e, ";code")
		p.inactive(Range{e, end})
		for p.cur != nil {
			p.endDef(end)
		}
		return true
	case ";]":
		if d.Kind != Quotation {
			p.diag(diag.UnbalancedControl, s, e, ";] without [:")
			return true
		}
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		p.endDef(e)
		return true
	case "[:":
		last := p.lastDef
		q := p.newDef(Quotation, s, e, s)
		q.Outer = p.owner()
		p.lastDef = last
		p.emit(Op{Kind: OpQuotation, Start: s, End: e, Ref: Ref{B: w}, NewDef: q})
		p.outer = append(p.outer, d)
		p.cur = q
		p.ops = &q.Body
		return true
	case "does>":
		p.emit(Op{Kind: OpDoes, Start: s, End: e, Ref: Ref{B: w}})
		owner := p.defOwner()
		last := p.lastDef
		body := p.newDef(Colon, s, e, s)
		body.Display, body.Name = "", ""
		p.lastDef = last
		owner.Does = body
		body.DoesOf = owner
		body.Outer = p.owner()
		if d.DoesOf == nil {
			p.outer = append(p.outer, d)
		}
		// A does> inside a does> part gives the behaviour of the words
		// that part creates; the part ends here, and ";" still ends
		// the defining word.
		p.cur = body
		p.ops = &body.Body
		p.stackComment(body)
		return true
	case "[":
		p.interp = true
		p.emit(Op{Kind: OpEnterInterp, Start: s, End: e, Ref: Ref{B: w}})
		return true
	case "]]":
		p.postponing = true
		return true
	}
	if w.SkipTo != "" && w.Defines == "" && (w.Immediate || w.SkipTo != "<eof>") {
		// Assembler (or other text that is not Forth) inside a
		// definition, up to the word that ends it: what it does to the
		// stacks is not known. (A plain word that ends the file, as
		// SwiftForth's \\, is compiled: ": end-macro \\ ;".)
		// SwiftForth's "[ASM ... RET END-CODE": the assembler may end
		// the whole definition rather than return to Forth.
		alt := ""
		if w.SkipTo != "end-code" {
			alt = "end-code"
		}
		end, ended := p.skipToEither(w.SkipTo, alt, s, e, w.Name)
		p.inactive(Range{e, end})
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		if ended {
			p.defOwner().ChildUnknown = p.defOwner().Defines != nil
			for p.cur != nil {
				p.endDef(end)
			}
		}
		return true
	}
	switch name {
	case "recursive":
		if d.Name != "" {
			p.setDict(d.Name, d)
		}
		return true
	case "[immediate]", "[compile-only]":
		// zeptoforth: marks the definition being compiled.
		if name == "[immediate]" {
			p.defOwner().Immediate = true
		} else {
			p.defOwner().CompileOnly = true
		}
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}, Interp: true})
		return true
	case "immediate", "compile-only", "restrict", "compileonly":
		if w.Immediate {
			// A system whose IMMEDIATE is itself immediate (Mecrisp):
			// used inside a definition, it marks that definition.
			if name == "immediate" {
				p.defOwner().Immediate = true
			} else {
				p.defOwner().CompileOnly = true
			}
			p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}, Interp: true})
			return true
		}
		// Compiled into a definition, it marks whatever the definition
		// has just created when it runs: a defining word's children.
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		if o := p.defOwner(); o.Defines != nil {
			if name == "immediate" {
				o.ChildImmediate = true
			} else {
				o.ChildCompileOnly = true
			}
		}
		p.sawImmediate = true
		return true
	case "{:", "{", "locals|":
		p.locals(w, s, e)
		return true
	case "[']", "[char]", "postpone", "[compile]", "comp'", "[comp']":
		as, ae, ok := p.nameArg(name, s, e)
		if !ok {
			return true
		}
		if name == "[char]" {
			p.tickOrChar(w, s, e, as, ae, true)
			return true
		}
		t := p.target(as, ae)
		kind := OpTick
		if name == "postpone" || name == "[compile]" {
			kind = OpPostpone
			// Postponing an immediate parsing word ("postpone (") makes
			// this word parse the same way when it runs.
			// Not when it happens only on some paths ("IF POSTPONE \
			// THEN" comments a line out only sometimes): then both
			// readings are possible and the text is read as code.
			if t.B != nil && t.B.Immediate && t.B.Parse != builtins.ParseNone && !p.branched() {
				p.inheritParse(t.B.Parse, t.B.Delim)
			}
			// The same for an immediate user word that parses (ueforth's
			// ": .\" postpone s\" ... ; immediate" with its own s\").
			if d := t.D; d != nil && d.Immediate && d.Parse != builtins.ParseNone && !p.branched() {
				p.noteStep(ParseStep{Kind: d.Parse, Delim: d.Delim, N: max(d.ParseN, 1), Until: d.Until})
				for _, st := range d.Then {
					p.noteStep(st)
				}
			}
		}
		p.emit(Op{Kind: kind, Start: s, End: e, Ref: Ref{B: w}, Target: t, ArgStart: as, ArgEnd: ae})
		return true
	case "to", "+to", "is", "action-of":
		p.to(w, s, e, d.Locals)
		return true
	case ":", ":noname":
		if s == 0 || p.src[s-1] == '\n' {
			// At the start of a line, it most likely begins the next
			// definition.
			name := p.owner().Display
			if name == "" {
				name = ":noname"
			}
			p.diag(diag.UnbalancedControl, s, e, "%s inside the definition of %s (missing ;?)", w.Name, name)
			for p.cur != nil {
				p.endDef(s)
			}
			p.beginColon(w, s, e)
			return true
		}
		// Compiled: the definition starts a definition when it runs.
		if ops := *p.ops; name == ":" && !(len(ops) > 0 && isCall(ops[len(ops)-1], "noname")) {
			p.inheritParse(builtins.ParseName, 0)
			// It names a new word whose body we do not see.
			p.creates(w, nil)
			p.defOwner().ChildUnknown = true
		}
		p.emit(Op{Kind: OpCall, Start: s, End: e, Ref: Ref{B: w}})
		return true
	}
	return false
}

// endDef closes the current definition (or quotation, or does> part).
func (p *parser) endDef(end int32) {
	d := p.cur
	d.End = end
	p.settle(d)
	if n := len(p.outer); n > 0 {
		p.cur = p.outer[n-1]
		p.outer = p.outer[:n-1]
		if d.Kind == Quotation {
			p.ops = &p.cur.Body
			return
		}
		// a does> part: its defining word ends too
		p.cur.End = end
		d = p.cur
		p.settle(d)
		if n := len(p.outer); n > 0 {
			p.cur = p.outer[n-1]
			p.outer = p.outer[:n-1]
			p.ops = &p.cur.Body
			return
		}
	}
	p.cur = nil
	p.compiling = false
	p.interp = false
	p.postponing = false
	p.loopDepth = 0
	p.ifDepth = 0
	p.nextnameSeen, p.inSaved = false, false
	p.ckv = p.ckv[:0]
	p.ops = &p.f.Top
	p.kv = p.kv[:0]
	d.Sub = len(p.f.Defs) - d.Index - 1
	p.define(d)
}

// settle works out, once its body is read, how a definition reads the
// text after it when it runs (parses, loads, wraps a system word, starts
// or ends a definition) and what else its body says of it.
func (p *parser) settle(d *Def) {
	if cap(d.Body)-len(d.Body) >= 4 {
		// The body is complete: its spare room (a body starts with
		// room for 8 operations) would be kept for the life of the
		// file, about 100 bytes an operation, for every definition.
		d.Body = slices.Clone(d.Body)
	}
	p.finishParse(d)
	d.orderOnly = d.Kind == Colon && orderOnly(d.Body)
	d.takesReturn = d.Kind == Colon && d.TakesReturnAddress()
	d.loads = loadsNamed(d)
	d.wraps = p.wrapped(d)
	for i := range d.Body {
		if n, ok := foldable(&d.Body[i]); ok {
			d.InputCells = n
		}
	}
	for i := range d.Body {
		if op := &d.Body[i]; op.Kind == OpCall && !op.Interp && (isCall(*op, "refill") || op.Ref.D != nil && op.Ref.D.refills) {
			d.refills = true
			break
		}
	}
	if d.Kind == Colon && d.Name != "" {
		if b := p.cfg.Dialect.Lookup(d.Name); b != nil && b.Immediate {
			d.ShadowsImmediate = true
		}
	}
	if d.Kind == Colon && d.Parse == builtins.ParseNone {
		for i := range d.Body {
			op := &d.Body[i]
			if op.Kind == OpCall && !op.Interp && (isCall(*op, "included") || op.Ref.D != nil && op.Ref.D.loadsText != "") {
				d.loadsText = "always"
			}
		}
	}
	d.FixedPoint = p.sawFixed
	// A redefinition of another word the system knows (zeptoforth's ;]
	// postpones ; on one path) keeps that word's reading: only a new
	// name, or : and ; themselves, become wrappers.
	wrapper := d.Kind == Colon
	starts, ends := "", false // the body starts a definition; it ends one
	compiles := false         // it compiles code into the one it starts
	if b := p.cfg.Dialect.Lookup(d.Name); b != nil && b.Name != ":" && b.Name != ";" {
		wrapper = false
	}
	for i := range d.Body {
		op := &d.Body[i]
		if op.Kind == OpCall && !op.Interp && (op.Ref.B != nil && evaluator(op.Ref.B.Name) || op.Ref.D != nil && op.Ref.D.evaluates) {
			d.evaluates = true
			if i > 0 && i-1 == d.lastParse && isCall(*op, "evaluate") && d.Parse != builtins.ParseNone && d.ParseN <= 1 && len(d.Then) == 0 {
				// "|| ( -- ) private 0 parse evaluate public ;": the
				// text it parses is Forth, evaluated in place.
				d.evalsText = true
			}
		}
		switch {
		case !wrapper:
		case op.Kind == OpCall && !op.Interp && isCall(*op, ":") && (i == 0 || !isCall(d.Body[i-1], "noname")):
			starts = ":"
		case op.Kind == OpCall && !op.Interp && isCall(*op, ":noname"):
			// SwiftForth's "OPC: ( i -- ) ... :NONAME R> ! ;": the
			// code after it, up to ;, is the new definition's body.
			starts = ":noname"
		case op.Kind == OpPostpone && op.Target.B != nil && op.Target.B.Name == ";":
			ends = true
		case starts != "" && (op.Kind == OpPostpone || isCall(*op, "compile,") || isCall(*op, "literal") || isCall(*op, ",")):
			compiles = true
		}
	}
	switch {
	case starts != "" && !ends:
		d.ActsAs, d.CompilesInto = starts, compiles
	case ends && starts == "":
		d.ActsAs = ";"
	}
}

// finishParse settles how a definition that parses names in a loop
// parses: up to a closing word when the loop compares each name with a
// string ("begin parse-name s\" |\" compare 0= until"), else to the end
// of the line.
func (p *parser) finishParse(d *Def) {
	if d.Parse != builtins.ParseNone && restoresInput(d.Body, d.lastParse) {
		// ">in @ ... parse-name ... >in !": it looks ahead and puts the
		// input back; the text is read again after it.
		d.Parse, d.ParseN = builtins.ParseNone, 0
		return
	}
	if d.Parse != builtins.ParseName || !d.parseInLoop {
		return
	}
	d.ParseN = 0
	// The string the loop's last parse is compared with closes the list
	// ("token s\" {\" compare ... begin token 2dup s\" }\" compare not
	// while": "}"); else the first string compared.
	for _, from := range []int{d.lastParse + 1, 0} {
		if from < 0 || from > len(d.Body) {
			continue
		}
		if until, ok := p.comparedString(d, from); ok {
			d.Parse, d.Until = builtins.ParseWords, until
			return
		}
	}
	d.Parse = builtins.ParseLine
}

// comparedString finds the first s" string from the from-th operation of
// d's body that is compared with another string within three operations.
func (p *parser) comparedString(d *Def, from int) (string, bool) {
	for i := from; i < len(d.Body); i++ {
		op := &d.Body[i]
		if op.Kind != OpString || op.Ref.B == nil || op.Ref.B.Name != "s\"" || op.ArgEnd <= op.ArgStart {
			continue
		}
		for j := i + 1; j < len(d.Body) && j <= i+3; j++ {
			if b := d.Body[j].Ref.B; d.Body[j].Kind == OpCall && b != nil {
				switch b.Name {
				case "compare", "str=", "string=", "s=", "$=":
					return string(p.src[op.ArgStart:op.ArgEnd]), true
				}
			}
		}
	}
	return "", false
}

// restoresInput reports whether a body saves the input position (">in
// @") and later stores it back (">in !").
// It must do so after its last parse: ">in @ create >in ! ... create"
// reads the same name twice, and parses one.
func restoresInput(body []Op, lastParse int) bool {
	saved := false
	for i := 0; i+1 < len(body); i++ {
		in := callsName(body[i], ">in") || callsName(body[i], ">parse")
		switch {
		case in && callsName(body[i+1], "@"):
			saved = true
		case in && callsName(body[i+1], "!") && saved && i > lastParse:
			return true
		}
	}
	return false
}

// locals reads "{: a b | c -- d :}", gforth's "{ a b -- c }" and
// "locals| a b |". Initialised locals are popped from the stacks (the last
// one from the top); the part after -- is a comment.
func (p *parser) locals(w *builtins.Word, s, e int32) {
	d := p.cur
	closer := "}"
	switch w.Name {
	case "{:":
		closer = ":}"
	case "locals|":
		closer = "|"
	}
	op := Op{Kind: OpLocals, Start: s, End: e, Ref: Ref{B: w}}
	var ins, outs []string
	inInit, inOut := true, false
	var pendingType string
	first := len(d.Locals)
	for {
		ws, we, ok := p.sc.Word()
		if !ok {
			p.diag(diag.Unterminated, s, e, "locals declaration has no closing %s", closer)
			op.ArgEnd = int32(p.sc.Offset())
			break
		}
		tok := string(p.src[ws:we])
		lt := builtins.LowerASCII(tok)
		if lt == closer {
			op.ArgEnd = int32(we)
			break
		}
		switch {
		case lt == "--" && closer != "|":
			inOut = true
			continue
		case inOut:
			outs = append(outs, tok)
			continue
		case lt == "|" && closer != "|":
			inInit = false
			continue
		case lt == "\\" || lt == "(":
			if lt == "\\" {
				p.sc.Line()
			} else {
				p.sc.Until(')', true)
			}
			continue
		}
		if closer == "}" || closer == ":}" {
			// gforth type prefixes: w: d: f: c: a: xt: and their ^ forms.
			switch lt {
			case "w:", "d:", "f:", "c:", "a:", "xt:", "w^", "d^", "f^", "c^":
				pendingType = lt
				continue
			}
		}
		l := Local{Name: lt, Start: int32(ws), End: int32(we)}
		if pendingType == "f:" {
			l.Float = true
		}
		if pendingType == "d:" {
			l.Double = true
		}
		pendingType = ""
		d.Locals = append(d.Locals, l)
		if inInit {
			ins = append(ins, tok)
			switch {
			case l.Float:
				op.NFloatLocals = min(op.NFloatLocals+1, 1<<14)
			case l.Double:
				op.NLocals = min(op.NLocals+2, 1<<14)
			default:
				op.NLocals = min(op.NLocals+1, 1<<14)
			}
		}
	}
	op.Local = int32(first)
	op.ArgStart = e
	p.emit(op)
	// A locals declaration with "--" documents the effect when there is no
	// stack comment.
	if d.Comment == nil && inOut && len(p.outer) == 0 {
		var b strings.Builder
		b.WriteString("(")
		for i, in := range ins {
			l := d.Locals[first+i]
			switch {
			case l.Float:
				b.WriteString(" F: " + in + " D:")
			default:
				b.WriteString(" " + in)
			}
		}
		b.WriteString(" --")
		for _, o := range outs {
			b.WriteString(" " + o)
		}
		b.WriteString(" )")
		text := b.String()
		if eff, err := effect.Parse(text); err == nil {
			// "D: name" locals take two cells, whatever their names.
			j := 0
			for k, it := range eff.In[0] {
				if it.Stack != effect.Data || it.Kind != effect.Cell {
					continue
				}
				for j < len(ins) && d.Locals[first+j].Float {
					j++
				}
				if j < len(ins) {
					if d.Locals[first+j].Double {
						eff.In[0][k].Cells = 2
						// Printed so that it reads back as two cells.
						if n := eff.In[0][k].Name; !effect.IsDoubleName(strings.ToLower(n)) {
							eff.In[0][k].Name = "d:" + n
						}
					} else if eff.In[0][k].Cells == 2 {
						eff.In[0][k].Cells = 1
					}
				}
				j++
			}
			d.Comment = &Comment{Start: s, End: op.ArgEnd, Text: text, Effect: eff, FromLocals: true}
		}
	}
}

// skipsLine reports whether the current body, about to store with "!",
// stores into >IN a value derived from SOURCE: the idiom for skipping the
// rest of the input line.
func (p *parser) skipsLine() bool {
	ops := *p.ops
	if n := len(ops); n == 0 || !isCall(ops[n-1], ">in") && !isCall(ops[n-1], ">parse") {
		return false
	}
	return true
}

// branched reports whether the body being compiled has branched so far.
func (p *parser) branched() bool {
	for _, op := range *p.ops {
		if op.Kind == OpCall && op.Ref.B != nil {
			switch op.Ref.B.Name {
			case "if", "else", "of", "while", "until", "?dup-if", "?dup-0=-if", "ahead":
				return true
			}
		}
	}
	return false
}
