package infer

import (
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strings"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// Checker infers definitions on demand and remembers the results, so that
// each definition is inferred once however many callers it has. Callers see
// a definition through its Sig: the declared effect when it has a readable
// one (so one wrong definition does not cascade), else the inferred one.
type Checker struct {
	results map[*syntax.Def]*Result
	// base holds the results of the version this one was cloned from
	// (read-only); forgot lists the ones that no longer hold.
	base   map[*syntax.Def]*Result
	forgot map[*syntax.Def]bool
	busy   map[*syntax.Def]bool
	shared *shared // shared by clones
	// specs remembers the effects of combinators run with given
	// execution tokens (see specialize).
	specs     map[string]*Sig
	specDepth int
	// Reuse, when set, is asked for a result before inferring; it lets a
	// cache keyed by source text skip unchanged definitions.
	Reuse func(d *syntax.Def, c *Checker) *Result
	// Store, when set, is told every freshly inferred result.
	Store func(d *syntax.Def, r *Result)
	// Remap, when set, maps a definition that words refer to onto the
	// one that now stands in its place (after a re-read of one
	// definition, unchanged code still points at the old object).
	Remap func(d *syntax.Def) *syntax.Def
}

// Clone makes a Checker for a new version of a file that starts from this
// one's results. The results are shared, not copied: the clone keeps its
// own (few) new ones in front of them.
func (c *Checker) Clone() *Checker {
	n := &Checker{
		busy:   make(map[*syntax.Def]bool),
		shared: c.shared,
		Remap:  c.Remap,
	}
	switch {
	case c.base == nil:
		n.base = c.results
		n.results = make(map[*syntax.Def]*Result)
		n.forgot = maps.Clone(c.forgot)
	case len(c.results)+len(c.forgot) > max(64, len(c.base)/8):
		// The clones' own results have grown (a whole half of the file
		// read again, or many edits): merge them into a new base
		// rather than copy them at every clone.
		n.base = make(map[*syntax.Def]*Result, len(c.base)+len(c.results))
		for d, r := range c.base {
			if !c.forgot[d] {
				n.base[d] = r
			}
		}
		maps.Copy(n.base, c.results)
		n.results = make(map[*syntax.Def]*Result)
		n.forgot = make(map[*syntax.Def]bool)
	default:
		n.base = c.base
		n.results = maps.Clone(c.results)
		n.forgot = maps.Clone(c.forgot)
	}
	if n.forgot == nil {
		n.forgot = make(map[*syntax.Def]bool)
	}
	return n
}

// Forget drops the result for d so that it is inferred again.
// Keep records r as d's result: d stands where r.Def stood and reads the
// same, with the same effects of what it uses.
func (c *Checker) Keep(d *syntax.Def, r *Result) {
	c.results[d] = r
}

func (c *Checker) Forget(d *syntax.Def) {
	delete(c.results, d)
	if _, inBase := c.base[d]; inBase {
		c.forgot[d] = true
	}
}

func (c *Checker) lookup(d *syntax.Def) (*Result, bool) {
	if r, ok := c.results[d]; ok {
		return r, true
	}
	if c.base != nil && !c.forgot[d] {
		r, ok := c.base[d]
		return r, ok
	}
	return nil, false
}

func (c *Checker) current(d *syntax.Def) *syntax.Def {
	if c.Remap != nil && d != nil {
		return c.Remap(d)
	}
	return d
}

// SameSig reports whether two Sigs describe the same effect, so that callers
// inferred against one are still right against the other.
func SameSig(a, b *Sig) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.Known != b.Known || a.Bottom != b.Bottom || len(a.Alts) != len(b.Alts) || !slices.Equal(a.XTs, b.XTs) || a.Trusted != b.Trusted {
		return false
	}
	if !a.Known {
		return a.Reason == b.Reason
	}
	for i := range a.Alts {
		x, y := &a.Alts[i], &b.Alts[i]
		if x.In != y.In || x.Out != y.Out || x.NonZeroTop != y.NonZeroTop || x.ZeroTop != y.ZeroTop {
			return false
		}
		for k := 0; k < 3; k++ {
			for j := range x.Src[k] {
				p, q := x.Src[k][j], y.Src[k][j]
				if p.Copy != q.Copy || p.Stack != q.Stack || p.In != q.In || p.Lit != q.Lit || p.Val != q.Val || p.Dep != q.Dep {
					return false
				}
			}
		}
	}
	return true
}

// NewChecker makes an empty Checker.
func NewChecker() *Checker {
	return &Checker{
		results: make(map[*syntax.Def]*Result),
		busy:    make(map[*syntax.Def]bool),
		shared:  newShared(),
	}
}

// Resolve returns the effect callers of d see.
func (c *Checker) Resolve(d *syntax.Def) *Sig {
	d = c.current(d)
	if d.Runs != nil {
		return c.Def(d.Runs).Sig
	}
	switch d.Kind {
	case syntax.Colon, syntax.Noname, syntax.Quotation:
		return c.Def(d).Sig
	case syntax.Defer:
		if d.Comment != nil && d.Comment.Err == nil {
			if floatsByNameOnly(&d.Comment.Effect) {
				return Unknown(fmt.Sprintf("whether the stack comment's %s of deferred word %s is a float cannot be told", floatNamed(&d.Comment.Effect), d.Display))
			}
			// Whatever word it is set to may execute an xt it is given.
			return withXTs(c.fromEffect(&d.Comment.Effect), &d.Comment.Effect).trusted()
		}
		if d.Comment != nil {
			return Unknown(fmt.Sprintf("the stack comment of deferred word %s cannot be read (%v)", d.Display, d.Comment.Err))
		}
		return Unknown(fmt.Sprintf("deferred word %s has no stack comment", d.Display))
	case syntax.Alias:
		switch {
		case d.Target.D != nil:
			if c.busy[d] {
				return Unknown("alias cycle")
			}
			c.busy[d] = true
			s := c.Resolve(d.Target.D)
			delete(c.busy, d)
			return s
		case d.Target.B != nil:
			return BuiltinSig(d.Target.B)
		}
		return Unknown(fmt.Sprintf("alias %s of an unknown word", d.Display))
	case syntax.Child:
		if d.Earlier {
			return Unknown(fmt.Sprintf("%s is one of several words %s makes at once", d.Display, d.Maker.Display))
		}
		if m := c.current(d.Maker); m != nil && m.Does != nil {
			return c.Def(m.Does).Sig
		}
		if m := c.current(d.Maker); m != nil && m.ChildUnknown {
			return Unknown(fmt.Sprintf("%s was made by %s, which creates words in ways that cannot be followed", d.Display, d.Maker.Display))
		}
		if d.Effect != nil {
			return c.fromEffect(d.Effect)
		}
		return Unknown(fmt.Sprintf("%s was made by %s", d.Display, d.Maker.Display))
	case syntax.Variable, syntax.Constant, syntax.Field, syntax.Marker, syntax.Other:
		if d.Effect != nil {
			return c.fromEffect(d.Effect)
		}
	}
	return Unknown(fmt.Sprintf("%s is not Forth code that can be analysed", d.Display))
}

func (c *Checker) fromEffect(e *effect.Effect) *Sig {
	return c.shared.fromEffect(e)
}

// Def infers d (once).
func (c *Checker) Def(d *syntax.Def) *Result {
	d = c.current(d)
	if r, ok := c.lookup(d); ok {
		return r
	}
	if c.busy[d] {
		return &Result{Def: d, Status: Unknowable, Reason: "recursive", Sig: Unknown("recursive")}
	}
	if d.Name != "" {
		c.shared.addName(d.Name)
	}
	c.busy[d] = true
	var r *Result
	if d.Kind == syntax.Defer {
		// A deferred word has no body: its stack comment is what
		// callers rely on, and nothing checks it.
		r = &Result{Def: d, Status: Unknowable, Reason: "deferred word: its effect is whatever word it is set to", Sig: c.Resolve(d)}
		if d.Comment != nil && d.Comment.Err == nil {
			r.Declared = &d.Comment.Effect
		}
		delete(c.busy, d)
		c.results[d] = r
		return r
	}
	if c.Reuse != nil {
		r = c.Reuse(d, c)
	}
	if r == nil {
		r = c.infer(d, nil)
		if c.Store != nil {
			c.Store(d, r)
		}
	}
	delete(c.busy, d)
	c.results[d] = r
	return r
}

// Trace re-runs inference of d and calls f after every operation of its
// body with the stacks along each path, as pictures named after d's stack
// comment. It is for hovers and does not touch the Checker's results.
func (c *Checker) Trace(d *syntax.Def, f func(i int, op *syntax.Op, pictures []effect.Effect)) {
	c.TraceOps(d, 0, len(d.Body)-1, f)
}

// TraceOps is Trace for the operations lo to hi only: naming the stacks
// is most of a trace's cost, and a hover needs two of them.
func (c *Checker) TraceOps(d *syntax.Def, lo, hi int, f func(i int, op *syntax.Op, pictures []effect.Effect)) {
	var decl *effect.Effect
	if d.Comment != nil && d.Comment.Err == nil {
		decl = &d.Comment.Effect
	}
	c.infer(d, func(i int, op *syntax.Op, states []*state) {
		if i < lo || i > hi {
			return
		}
		pics := make([]effect.Effect, 0, len(states))
		for _, s := range states {
			a := altOf(s)
			pics = append(pics, nameAlt(&a, decl))
		}
		f(i, op, pics)
	})
}

func (c *Checker) run(d *syntax.Def, decl *effect.Effect, self *Sig, recBottom bool, onOp func(int, *syntax.Op, []*state)) *engine {
	e := &engine{resolve: c.Resolve, remap: c.current, def: d, self: self, decl: decl, recurseBottom: recBottom, OnOp: onOp, userName: c.userName, spec: c.specialize}
	e.budget = workBudget(len(d.Body))
	s := e.newState()
	if d.DoesOf != nil {
		e.push(s, 0, e.fresh()) // the child's data address
	}
	e.cur = []*state{s}
	e.run(d.Body)
	if len(e.cur) > 0 || len(e.cs) > 0 {
		var last *syntax.Op
		if n := len(d.Body); n > 0 {
			last = &d.Body[n-1]
		}
		e.exit(last, "the end of the definition")
		e.closeCS()
	}
	e.reportLoops()
	return e
}

// compilesCode reports whether executing d adds code to the definition
// being compiled (POSTPONE, ]] ... [[, COMPILE, LITERAL, ...).
func compilesCode(d *syntax.Def, depth int) bool {
	for i := range d.Body {
		op := &d.Body[i]
		if op.Kind == syntax.OpPostpone || op.Kind == syntax.OpCall && op.Ref.B != nil && op.Ref.D == nil && compilesWord(op.Ref.B.Name) {
			return true
		}
		// ": !field 2 field-op ; immediate", where field-op compiles
		// when STATE says so.
		if depth > 0 && op.Kind == syntax.OpCall && !op.Interp && op.Ref.D != nil && op.Ref.D != d && op.Ref.D.Kind == syntax.Colon && compilesCode(op.Ref.D, depth-1) {
			return true
		}
	}
	return false
}

// immediateComment handles the stack comment of an immediate word that
// compiles code: it may describe what the word does when it runs (at
// compile time) or, as usual for a macro, the code it compiles. Either
// reading that fits is right; callers that execute the word get what its
// body does, never the comment.
func (c *Checker) immediateComment(e *engine, r *Result, decl *effect.Effect) {
	d := r.Def
	if decl != nil && compileTimeItems(decl) {
		// "( sys n -- )", "( C: -- orig )": the comment is about what
		// the word does when it runs, at compile time.
		return
	}
	if decl != nil && r.Status == Mismatch && d.ShadowsImmediate {
		// ": CASE ( n -- ) cases @ 0 cases ! ; immediate": an
		// implementation of the system's word, whose comment says what
		// that word does where it is used.
		r.Status = Unknowable
		r.Reason = fmt.Sprintf("it implements the system word %s: its stack comment may describe that word as it is used", d.Display)
		r.Diags = dropCode(r.Diags, diag.EffectMismatch)
	}
	if decl != nil && r.Status != Verified {
		exp, ok := c.expansion(d, decl)
		switch {
		case ok && allMatch(decl, exp):
			r.Status, r.Reason = Verified, ""
			r.Inferred = namedEffect(exp, decl)
			r.Diags = dropCode(r.Diags, diag.EffectMismatch)
		case r.Status == Mismatch && !ok:
			// What it compiles cannot be followed: the comment may be
			// right about it.
			r.Status = Unknowable
			r.Reason = "the stack comment may describe the code it compiles, which cannot be followed"
			r.Diags = dropCode(r.Diags, diag.EffectMismatch)
		}
	}
	switch {
	case e.unknown || e.broken != "" || len(r.Alts) != 1:
		reason := r.Reason
		if reason == "" {
			reason = "its body cannot be followed"
		}
		r.Sig = Unknown(fmt.Sprintf("the immediate word %s compiles code (%s)", d.Display, reason))
	default:
		r.Sig = sigOfAlts(r.Alts)
	}
}

// compileTimeItems reports whether a comment names control-flow items
// (on "C:" or named orig, dest, sys): it describes compile time.
func compileTimeItems(d *effect.Effect) bool {
	for _, side := range [2][]effect.Picture{d.In, d.Out} {
		for _, p := range side {
			for _, it := range p {
				base := strings.TrimRight(strings.ToLower(it.Name), "0123456789'_")
				if it.Stack == effect.Control || base == "sys" || base == "orig" || base == "dest" ||
					strings.HasSuffix(base, "-sys") || strings.HasSuffix(base, "-orig") || strings.HasSuffix(base, "-dest") {
					return true
				}
			}
		}
	}
	return false
}

func dropCode(ds []diag.Diagnostic, code diag.Code) []diag.Diagnostic {
	out := ds[:0:0]
	for _, x := range ds {
		if x.Code != code {
			out = append(out, x)
		}
	}
	return out
}

// expansion returns the effect of the code the immediate word d compiles
// where it is used, and false when that cannot be followed. The
// declaration says whether that code may use the return stack.
func (c *Checker) expansion(d *syntax.Def, decl *effect.Effect) ([]Alt, bool) {
	use := &syntax.Def{Kind: syntax.Colon, File: d.File, Base: d.Base,
		Body: []syntax.Op{{Kind: syntax.OpCall, Interp: true, Start: d.NameStart, End: d.NameEnd, Ref: syntax.Ref{D: d}}}}
	e := c.run(use, decl, nil, false, nil)
	finals := e.finals()
	if e.unknown || e.broken != "" || len(finals) == 0 || len(e.diags) > 0 {
		return nil, false
	}
	return altsOf(finals), true
}

// maxSpecDepth bounds combinators specialised inside specialisations.
const maxSpecDepth = 4

// specialize runs the body of the combinator d (which takes n data
// cells) with the execution tokens xts among its inputs, and returns the
// effect it then has, or nil when that is not one known effect. It is how
// a caller of "( xt -- )" learns what the word does with its xt.
func (c *Checker) specialize(d *syntax.Def, n int, xts []boundXT) *Sig {
	d = c.current(d)
	var key strings.Builder
	fmt.Fprintf(&key, "%p/%d", d, n)
	for _, x := range xts {
		fmt.Fprintf(&key, "/%d:%p:%p", x.in, x.ref.B, x.ref.D)
	}
	k := key.String()
	if s, ok := c.specs[k]; ok {
		return s
	}
	if c.specDepth >= maxSpecDepth || c.busy[d] {
		return nil
	}
	if c.specs == nil {
		c.specs = make(map[string]*Sig)
	}
	c.specs[k] = nil // a specialisation that needs itself is not known
	c.specDepth++
	c.busy[d] = true
	defer func() {
		c.specDepth--
		delete(c.busy, d)
	}()
	var decl *effect.Effect
	var self *Sig
	if d.Comment != nil && d.Comment.Err == nil {
		decl = &d.Comment.Effect
		if s := c.fromEffect(decl); s.Known {
			self = s
		}
	}
	e := &engine{resolve: c.Resolve, remap: c.current, def: d, self: self, decl: decl, userName: c.userName, spec: c.specialize}
	e.budget = workBudget(len(d.Body))
	s := e.newState()
	s.extend([3]int{n, 0, 0})
	for _, x := range xts {
		if x.in < 0 || x.in >= n {
			return nil
		}
		e.xts = append(e.xts, x.ref)
		v := &s.st[0][x.in]
		v.xt, v.k = int32(len(e.xts)), kNonZero
	}
	e.cur = []*state{s}
	e.run(d.Body)
	if len(e.cur) > 0 || len(e.cs) > 0 {
		var last *syntax.Op
		if m := len(d.Body); m > 0 {
			last = &d.Body[m-1]
		}
		e.exit(last, "the end of the definition")
		e.closeCS()
	}
	e.reportLoops()
	finals := e.finals()
	if e.unknown || e.broken != "" || len(finals) != 1 || len(e.diags) > 0 {
		return nil
	}
	r := sigOfAlts(altsOf(finals))
	c.specs[k] = r
	return r
}

// boundXT is an execution token a caller gives a combinator: input in
// (from the bottom) is ref.
type boundXT struct {
	in  int
	ref syntax.Ref
}

// userName reports whether the program defines a word called name (as
// far as the definitions inferred so far tell).
func (c *Checker) userName(name string) bool {
	return c.shared.hasName(name)
}

func (e *engine) finals() []*state {
	var last *syntax.Op
	if e.def != nil && len(e.def.Body) > 0 {
		last = &e.def.Body[len(e.def.Body)-1]
	}
	return e.join(last, e.exits)
}

func altsOf(states []*state) []Alt {
	alts := make([]Alt, len(states))
	for i, s := range states {
		alts[i] = altOf(s)
	}
	return alts
}

func sameCounts(a, b []Alt) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].In != b[i].In || a[i].Out != b[i].Out {
			return false
		}
	}
	return true
}

func (c *Checker) infer(d *syntax.Def, onOp func(int, *syntax.Op, []*state)) *Result {
	r := &Result{Def: d}
	var decl *effect.Effect
	if d.Comment != nil && d.Comment.Err == nil {
		decl = &d.Comment.Effect
	}
	r.Declared = decl
	var declSig *Sig
	if decl != nil {
		declSig = c.fromEffect(decl)
		if !declSig.Known {
			declSig = nil
		}
	}
	e := c.run(d, decl, declSig, false, onOp)
	finals := e.finals()
	if e.sawRecurse && declSig == nil && e.unknown && !e.stopped && onOp == nil {
		// Find the effect from the paths that do not recurse, then check
		// that the recursive paths agree with it.
		e1 := c.run(d, decl, nil, true, nil)
		f1 := e1.finals()
		if !e1.unknown && e1.broken == "" && len(f1) == 1 {
			a1 := altsOf(f1)
			e2 := c.run(d, decl, sigOfAlts(a1), false, nil)
			f2 := e2.finals()
			if !e2.unknown && sameCounts(altsOf(f2), a1) {
				e, finals = e2, f2
			}
		}
	}
	r.Diags = e.diags
	if w := d.StartedBy; w != nil && w.CompilesInto && !e.unknown {
		// "build: ( n -- ) ;build" of gforth's cross.fs: the word that
		// began the definition compiled code of its own into it first.
		e.setUnknown(fmt.Sprintf("%s compiles code of its own into the definition before this text", w.Display))
	}
	switch {
	case e.unknown:
		r.Status, r.Reason = Unknowable, e.reason
	case e.broken != "":
		r.Status, r.Reason = Unknowable, e.broken
	case d.Unterminated:
		r.Status, r.Reason = Unknowable, "the definition has no closing ;"
	case byMode(finals):
		// "state @ if postpone sliteral then": a state-smart word does
		// one thing while compiling and another while interpreting.
		var comp, interp string
		for _, s := range finals {
			if s.mode == modeCompiling {
				comp = e.describe(s)
			} else {
				interp = e.describe(s)
			}
		}
		r.Status = Unknowable
		r.Reason = fmt.Sprintf("state-smart: it does %s while compiling and %s while interpreting", comp, interp)
		r.Sig = Unknown(r.Reason)
	case len(finals) == 0:
		r.Bottom = true
		r.Reason = "no path returns"
		r.Status = Undeclared
		if decl != nil {
			r.Status = Verified
		}
		r.Sig = &Sig{Known: true, Bottom: true}
	default:
		r.Alts = altsOf(finals)
		c.verdict(e, r, decl)
	}
	if r.Sig == nil {
		switch {
		case e.brokenLoop:
			// A loop that changes the depth, a LEAVE with other items:
			// the effect is wrong whenever the loop runs more or less
			// than once. The error is reported here; callers get no
			// effect rather than a wrong one.
			r.Sig = Unknown(fmt.Sprintf("%s (reported at %s)", e.broken, d.Display))
		case d.DoesOf != nil && r.Status == Verified && len(r.Alts) > 0:
			// The comment of a does> part may count the data address,
			// which callers (the children) do not pass.
			r.Sig = sigOfAlts(r.Alts)
		case r.Status == Mismatch && len(r.Alts) == 1:
			// The comment is wrong (that is reported here): callers are
			// checked against what the word really does, so the error is
			// not repeated at every use.
			r.Sig = sigOfAlts(r.Alts)
		case r.Status == Mismatch:
			// Paths that leave different depths (reported here): no
			// one effect is right for every run.
			r.Sig = Unknown(fmt.Sprintf("its paths leave different stack depths (reported at %s)", d.Display))
		case declSig != nil && r.Status == Unknowable && floatsByNameOnly(decl):
			// "( z -- )" with a body that cannot be followed: whether z
			// is a float (as gforth writes them) or a data cell, the
			// body would have told.
			r.Sig = Unknown(fmt.Sprintf("%s: whether its stack comment's %s is a float cannot be told", r.Reason, floatNamed(decl)))
		case declSig != nil && e.unknown && (e.execUnknown || len(xtInputs(decl)) > 0):
			// "( xt -- )" of a combinator (or of a word whose body
			// cannot be followed, which may execute it): right only for
			// an xt that leaves the stacks as they were; callers check
			// theirs, or run the body with the xt they give.
			r.Sig = withXTs(declSig, decl)
			if r.Sig != declSig && d.Kind == syntax.Colon && d.DoesOf == nil {
				r.Sig.def = d
			}
		case declSig != nil:
			r.Sig = declSig
			if !declSig.Distinct() && r.Status == Verified {
				// "( -- c | n1 n2 )": the body's own paths may say
				// which is which.
				if s := sigOfAlts(r.Alts); s.Distinct() {
					r.Sig = s
				}
			}
		case r.Status != Unknowable && len(r.Alts) > 0:
			r.Sig = sigOfAlts(r.Alts)
		case decl != nil && decl.Complex && d.Parse == builtins.ParseNone && !e.unknown && e.broken == "" && !d.Unterminated && len(r.Alts) > 0 && sigOfAlts(r.Alts).Distinct():
			// A comment with phases cannot be checked: the body,
			// followed exactly, says what callers get. Not for a
			// word that parses a name (a defining word: whether it
			// really does is the reader's guess), nor for a comment
			// with "...": its writer says the effect varies.
			r.Sig = sigOfAlts(r.Alts)
		case d.Comment != nil && d.Comment.Err != nil:
			r.Sig = Unknown(fmt.Sprintf("%s; its stack comment cannot be read (%v)", r.Reason, d.Comment.Err))
		default:
			r.Sig = Unknown(r.Reason)
		}
	}
	if d.Immediate && (compilesCode(d, 4) || d.ShadowsImmediate) && onOp == nil {
		c.immediateComment(e, r, decl)
	}
	r.Trusted = e.trusted
	if r.Sig.Known && (e.trusted || r.Status == Unknowable && !e.bodyEffect) {
		// A comment taken on trust, or an effect that rests on one.
		r.Sig = r.Sig.trusted()
	}
	if d.Kind == syntax.Colon && d.Comment == nil && d.DoesOf == nil && d.Name != "" {
		msg := fmt.Sprintf("%s has no stack comment", d.Display)
		if r.Inferred != nil {
			msg += "; inferred " + r.Inferred.Short()
		}
		r.Diags = append(r.Diags, diag.New(diag.MissingComment, int(d.NameStart), int(d.NameEnd), msg))
	}
	if onOp == nil {
		c.share(r)
	}
	return r
}

// share replaces r's inferred effect and alternatives with equal ones
// made before, so that the definitions that do the same keep one copy;
// they are not changed once inferred.
func (c *Checker) share(r *Result) {
	if r.Inferred != nil {
		r.Inferred = c.shared.effect(r.Inferred)
	}
	if len(r.Alts) > 0 {
		alts := c.shared.alts(r.Alts)
		if r.Sig != nil && len(r.Sig.Alts) > 0 && &r.Sig.Alts[0] == &r.Alts[0] {
			// Made from r.Alts just now (sigOfAlts), so r's own.
			r.Sig.Alts = alts
		}
		r.Alts = alts
	}
}

// verdict compares the inferred alternatives with the declaration.
func (c *Checker) verdict(e *engine, r *Result, decl *effect.Effect) {
	d := r.Def
	adj := decl
	if decl != nil && !decl.Has(effect.Float) && hasFloats(r.Alts) {
		f := decl.FloatsByName()
		adj = &f
		r.Sig = c.fromEffectCopy(adj)
	}
	if adj != nil && adj.TwoFloats() && !allMatch(adj, r.Alts) {
		// "z" is a complex (two floats) in the dialect, but may be a
		// real named z: the other reading, when the body fits it.
		if one := adj.OneFloatEach(); allMatch(&one, r.Alts) {
			adj = &one
			r.Sig = c.fromEffectCopy(adj)
		}
	}
	if adj != nil && d.FixedPoint && !allMatch(adj, r.Alts) {
		// A file of s31.32 fixed-point words writes "( x -- sqrtx )"
		// for two-cell items: the other reading, when the body fits it.
		if two := adj.TwoCellsEach(); allMatch(&two, r.Alts) {
			adj = &two
			r.Sig = c.fromEffectCopy(adj)
		}
	}
	if adj != nil && d.InputCells > 0 && !allMatch(adj, r.Alts) {
		// ": f>s ( f -- n ) nip 2-foldable ;": the author says how many
		// cells it takes; the comment's items may be two cells wide.
		if w, ok := widthsFor(adj, d.InputCells-1, r.Alts); ok {
			adj = w
			r.Sig = c.fromEffectCopy(adj)
		}
	}
	r.Inferred = namedEffect(r.Alts, adj)
	if decl != nil && !decl.Has(effect.Float) && hasFloats(r.Alts) && !dataFits(adj, r.Alts) {
		// gforth's own comments write floats as "f", "z" (a complex:
		// two floats), "z1+z2" and so on: with no item marked as a
		// float and the data stack not as declared either (items
		// named like floats read as floats), some declared items are
		// floats and which ones cannot be told.
		r.Status = Unknowable
		r.Reason = "the stack comment marks no item as a float but the body uses the float stack"
		r.Sig = Unknown(r.Reason)
		return
	}
	if decl == nil {
		if s := sigOfAlts(r.Alts); len(r.Alts) > 1 && s.Distinct() {
			// "( x -- 0 | x x )": callers tell the ways out apart.
			r.Status = Undeclared
			r.Sig = s
			return
		}
		if len(r.Alts) > 1 {
			if e.depthChosen() {
				r.Status, r.Reason = Unknowable, depthChosenReason
				r.Inferred = nil
				return
			}
			e.reportDivergence(r)
			r.Status, r.Reason = Unknowable, "paths leave different stack depths"
			r.Inferred = nil
			return
		}
		r.Status = Undeclared
		return
	}
	allOK, checkable := true, true
	for i := range r.Alts {
		a := r.Alts[i]
		ok, can := matches(adj, &a)
		if !can {
			checkable = false
			break
		}
		if !ok && d.DoesOf != nil {
			// The does> part's comment may include the data address.
			a.In[0]++
			ok, _ = matches(adj, &a)
		}
		if !ok {
			allOK = false
		}
	}
	switch {
	case !checkable || decl.Complex:
		r.Status, r.Reason = Unknowable, "the stack comment cannot be checked: "+describeDecl(decl)
	case allOK:
		r.Status = Verified
		// Show (and count) the items the declaration names but the body
		// passes through untouched.
		if len(r.Alts) == 1 && len(adj.In) == 1 {
			var want [3]int
			for k := 0; k < 3; k++ {
				want[k], _ = adj.In[0].Count(effect.Stack(k))
			}
			if ext := extendAlt(r.Alts[0], want); d.DoesOf == nil && ext.In != r.Alts[0].In {
				r.Alts[0] = ext
				r.Inferred = namedEffect(r.Alts, adj)
			}
		}
	case len(r.Alts) > 1 && e.depthChosen():
		// "depth 2 < if underflow else ... then": the paths are meant
		// to differ; the comment describes the one that has its items.
		r.Status, r.Reason = Unknowable, "the stack comment describes one path: "+depthChosenReason
	case len(r.Alts) > 1:
		r.Status = Mismatch
		if !e.reportDivergence(r) {
			cm := d.Comment
			r.Diags = append(r.Diags, diag.New(diag.EffectMismatch, int(cm.Start), int(cm.End),
				fmt.Sprintf("declared %s but the body does %s", adj.Short(), r.Inferred.Short())))
		}
	case d.Comment != nil && d.Comment.FromLocals:
		// The part of a locals declaration after -- is a comment by the
		// standard, often empty or prose ("{ addr -- , fetch a word }"):
		// a body that does otherwise is not wrong. Callers see what the
		// body does.
		r.Status = Unknowable
		r.Reason = fmt.Sprintf("the stack comment comes from a locals declaration, whose -- part is only a comment; the body does %s", r.Inferred.Short())
		r.Sig = sigOfAlts(r.Alts)
		e.bodyEffect = true
	case e.readsDepth && countedOnly(adj, &r.Alts[0]):
		// "( x1 x2 -- flag )" of a word that checks with DEPTH that
		// x1 and x2 are there and leaves them: the comment names the
		// items it counts. Callers see what the body does.
		r.Status = Unknowable
		r.Reason = fmt.Sprintf("the stack comment names items the body only counts with DEPTH; the body does %s", r.Inferred.Short())
		r.Sig = sigOfAlts(r.Alts)
		e.bodyEffect = true
	default:
		r.Status = Mismatch
		cm := d.Comment
		r.Diags = append(r.Diags, diag.New(diag.EffectMismatch, int(cm.Start), int(cm.End),
			fmt.Sprintf("declared %s but the body does %s", adj.Short(), r.Inferred.Short())))
		r.Sig = nil // callers see what the body does (see infer)
	}
}

const depthChosenReason = "a flag computed from DEPTH chooses between paths that leave different stack depths"

// depthChosen reports whether every place where paths that leave
// different depths meet, and that nothing after tells apart, was reached
// through a branch on a flag computed from DEPTH: the difference is
// meant (a word that checks there are enough items before it uses them).
func (e *engine) depthChosen() bool {
	seen := false
	for _, d := range e.divs {
		if d.op == nil || d.apart {
			continue
		}
		if !d.dep {
			return false
		}
		seen = true
	}
	return seen
}

// countedOnly reports whether alternative a is the single declared
// alternative with some of its bottom inputs left in place rather than
// taken, on each stack: "( x1 x2 -- flag )" for a body that does
// "( -- flag )" after counting x1 and x2 with DEPTH.
func countedOnly(decl *effect.Effect, a *Alt) bool {
	if len(decl.In) != 1 || len(decl.Out) != 1 {
		return false
	}
	counted := false
	for k := effect.Data; k <= effect.Float; k++ {
		din, wi := wild(decl.In[0], k)
		dout, wo := wild(decl.Out[0], k)
		if len(wi)+len(wo) > 0 {
			return false
		}
		in, out := a.In[k], a.Out[k]
		if in <= din && out-in == dout-din {
			continue
		}
		// The body takes the top in of the din declared items and
		// leaves exactly the declared outputs: the rest it only counts.
		if out != dout || in >= din {
			return false
		}
		counted = true
	}
	return counted
}

// floatsByNameOnly reports whether a declaration marks no item as a float
// but names some data item like one ("r", "z"): gforth's comments write
// floats that way, other code means data cells. A complex "z" on the
// float stack is as unsure: one float or two.
func floatsByNameOnly(d *effect.Effect) bool {
	return !d.Has(effect.Float) && floatNamed(d) != "" || d.TwoFloats()
}

// allMatch reports whether every alternative fits the declaration.
func allMatch(d *effect.Effect, alts []Alt) bool {
	for i := range alts {
		if ok, can := matches(d, &alts[i]); !ok || !can {
			return false
		}
	}
	return true
}

// floatNamed returns the first data item of d named like a float, or "".
func floatNamed(d *effect.Effect) string {
	for _, side := range [2][]effect.Picture{d.In, d.Out} {
		for _, p := range side {
			for _, it := range p {
				if it.Kind == effect.Cell && (it.Stack == effect.Data && (it.Floats > 0 || effect.IsFloatName(strings.ToLower(it.Name))) || it.Floats == 2) {
					return it.Name
				}
			}
		}
	}
	return ""
}

// dataFits reports whether every alternative fits the declaration on the
// data and return stacks, ignoring the float stack.
func dataFits(decl *effect.Effect, alts []Alt) bool {
	noFloats := func(side []effect.Picture) []effect.Picture {
		out := make([]effect.Picture, len(side))
		for i, p := range side {
			for _, it := range p {
				if it.Stack != effect.Float {
					out[i] = append(out[i], it)
				}
			}
		}
		return out
	}
	decl = &effect.Effect{In: noFloats(decl.In), Out: noFloats(decl.Out), Complex: decl.Complex}
	for _, a := range alts {
		a.In[2], a.Out[2], a.Src[2] = 0, 0, nil
		if ok, can := matches(decl, &a); !ok || !can {
			return false
		}
	}
	return true
}

func (c *Checker) fromEffectCopy(e *effect.Effect) *Sig {
	s := FromEffect(e)
	if !s.Known {
		return nil
	}
	return s
}

func describeDecl(e *effect.Effect) string {
	if e.Complex {
		return "it describes several phases"
	}
	return "its item counts vary (" + e.String() + ")"
}

func (e *engine) reportDivergence(r *Result) bool {
	// Where paths that nothing tells apart meet, else the first meeting.
	var dv *divergence
	for i := range e.divs {
		if e.divs[i].op != nil && !e.divs[i].apart {
			dv = &e.divs[i]
			break
		}
	}
	for i := range e.divs {
		if dv == nil && e.divs[i].op != nil {
			dv = &e.divs[i]
		}
	}
	if dv == nil {
		return false
	}
	where := upper(opName(dv.op))
	if dv.noDefault {
		// Values no OF names may never come (a selector that only
		// holds the named constants): a warning, not an error.
		msg := fmt.Sprintf("the CASE has no default: when no OF matches, the stacks differ: %s", joinEffects(dv.effects))
		x := diag.New(diag.UnbalancedBranch, int(dv.op.Start), int(dv.op.End), msg)
		x.Severity = diag.Warning
		r.Diags = append(r.Diags, x)
		return true
	}
	msg := fmt.Sprintf("the paths that meet at %s leave different stacks: %s", where, joinEffects(dv.effects))
	r.Diags = append(r.Diags, diag.New(diag.UnbalancedBranch, int(dv.op.Start), int(dv.op.End), msg))
	return true
}

func joinEffects(es []string) string {
	s := ""
	for i, x := range es {
		if i > 0 {
			if i == len(es)-1 {
				s += " and "
			} else {
				s += ", "
			}
		}
		s += x
	}
	return s
}

// Top runs a file's top-level code and returns its diagnostics (stack
// underflow, compile-only words interpreted, ...).
func (c *Checker) Top(f *syntax.File) []diag.Diagnostic {
	e := &engine{resolve: c.Resolve, remap: c.current, topLvl: true}
	e.budget = workBudget(len(f.Top))
	e.cur = []*state{e.newState()}
	e.run(f.Top)
	return e.diags
}

// extendAlt makes a take want[k] items from below on each stack, passing
// the extra ones through unchanged.
func extendAlt(a Alt, want [3]int) Alt {
	var add [3]int
	for k := 0; k < 3; k++ {
		if want[k] > a.In[k] {
			add[k] = want[k] - a.In[k]
		}
	}
	if add == [3]int{} {
		return a
	}
	n := Alt{NonZeroTop: a.NonZeroTop, ZeroTop: a.ZeroTop}
	for k := 0; k < 3; k++ {
		n.In[k] = a.In[k] + add[k]
		n.Out[k] = a.Out[k] + add[k]
		srcs := make([]Src, 0, n.Out[k])
		for i := 0; i < add[k]; i++ {
			srcs = append(srcs, Src{Copy: true, Stack: effect.Stack(k), In: i})
		}
		for _, s := range a.Src[k] {
			if s.Copy {
				s.In += add[s.Stack]
			}
			srcs = append(srcs, s)
		}
		n.Src[k] = srcs
	}
	return n
}

// widthsFor finds cell widths (one or two) for the one-cell data items of
// a single-picture comment such that its inputs take in cells and the
// body fits it; the first found, fewest items widened first.
func widthsFor(decl *effect.Effect, in int, alts []Alt) (*effect.Effect, bool) {
	if len(decl.In) != 1 || len(decl.Out) != 1 || decl.Complex {
		return nil, false
	}
	type slot struct{ side, i int }
	var slots []slot
	for side, pics := range [2][]effect.Picture{decl.In, decl.Out} {
		for i, it := range pics[0] {
			if it.Stack == effect.Data && it.Cells == 1 {
				slots = append(slots, slot{side, i})
			}
		}
	}
	if len(slots) == 0 || len(slots) > 8 {
		return nil, false
	}
	var best *effect.Effect
	bestN := len(slots) + 1
	for mask := 1; mask < 1<<len(slots); mask++ {
		n := bits.OnesCount(uint(mask))
		if n >= bestN {
			continue
		}
		w := effect.Effect{In: []effect.Picture{slices.Clone(decl.In[0])}, Out: []effect.Picture{slices.Clone(decl.Out[0])}}
		for k, sl := range slots {
			if mask&(1<<k) != 0 {
				if sl.side == 0 {
					w.In[0][sl.i].Cells = 2
				} else {
					w.Out[0][sl.i].Cells = 2
				}
			}
		}
		if c, ok := w.In[0].Count(effect.Data); !ok || c != in {
			continue
		}
		if allMatch(&w, alts) {
			best, bestN = &w, n
		}
	}
	return best, best != nil
}
