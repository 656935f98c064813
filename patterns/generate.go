package patterns

import (
	"fmt"
	"github.com/fastforth/fastforth/analysis/builtins"
	"math/rand"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// GenResult is the answer of `fastforth gen --json` and of the language
// server's fastforth.generate command.
type GenResult struct {
	// OK: a valid spec, code whose effect the analysis verified, and,
	// when the spec has examples, every example passed in the
	// in-process machine (and the tests passed, when they ran).
	OK   bool   `json:"ok"`
	Name string `json:"name"`
	// Effect is the spec's effect.
	Effect string `json:"effect"`
	// Route says how the code was made: "pattern" (a pattern with its
	// example parameters or those the spec gave), "pattern+parameters"
	// (parameters inferred from the examples), "composed" (a pattern
	// whose word parameter was synthesized), "synthesized" (a program
	// searched for from the examples). Empty without code.
	Route string `json:"route,omitempty"`
	// Checked says what vouches for the behaviour: "examples" (every
	// example ran and passed) or "effect-only" (the spec has no
	// examples: only the stack effect is checked; the behaviour is not).
	Checked string            `json:"checked,omitempty"`
	Pattern *PatternRef       `json:"pattern"` // the pattern used, or null
	Params  map[string]string `json:"params"`
	// Code is the generated definition (with any helper words before it).
	Code string `json:"code"`
	// Tests are T{ ... }T lines, after a line that loads the tester.
	Tests        string        `json:"tests"`
	Verification *Verification `json:"verification"`
	// Examples are what the code did on each example (in the machine).
	Examples []ExampleResult `json:"examples,omitempty"`
	// TestResults are the generated tests' results, when they ran.
	TestResults *RunReport `json:"testResults"`
	// Closest are the patterns that came nearest when nothing fits:
	// their code, what it does on the examples, what would have to
	// change.
	Closest []Candidate `json:"closest,omitempty"`
	// Errors are the spec's problems (nothing is generated then).
	Errors SpecErrors   `json:"errors,omitempty"`
	Search *SearchStats `json:"search,omitempty"`
	// Timings are the microseconds each step took.
	Timings Timings `json:"timings"`

	// The code and tests as Generate made them, from allowlisted
	// parameters and verified: Run runs nothing else.
	genCode, genTests string
}

// vetted reports whether r is a result of Generate, unchanged, with
// verified code: the only code Run runs.
func (r *GenResult) vetted() bool {
	return r.genTests != "" && r.OK && r.Verification != nil && r.Verification.Verified &&
		r.Code == r.genCode && r.Tests == r.genTests
}

// PatternRef names a pattern in results.
type PatternRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Effect   string `json:"effect"`
}

// Candidate is a pattern that came near a spec.
type Candidate struct {
	PatternRef
	Score int    `json:"score"` // how well the description's words match
	Why   string `json:"why"`   // why it does not fit
	// Code is its code for the spec (with its example parameters, or
	// the parameters that passed the most examples).
	Code   string            `json:"code,omitempty"`
	Params map[string]string `json:"params,omitempty"`
	// Examples are what the code does on the spec's examples.
	Examples []ExampleResult `json:"examples,omitempty"`
	// Change says what would have to change for it to fit.
	Change string `json:"change,omitempty"`
}

// RunReport is the outcome of running the generated tests.
type RunReport struct {
	// Ran is false when the tests could not run (Message says why:
	// gforth is not installed, no runner, nothing to run).
	Ran bool `json:"ran"`
	// Runner says where the tests ran ("gforth", "machine").
	Runner  string       `json:"runner,omitempty"`
	Message string       `json:"message,omitempty"`
	Passed  int          `json:"passed"`
	Failed  int          `json:"failed"`
	Tests   []TestResult `json:"tests"`
	Error   string       `json:"error,omitempty"`
}

// SearchStats say how much was tried.
type SearchStats struct {
	// Patterns is how many patterns' effects fit the spec's.
	Patterns int `json:"patterns"`
	// Instances is how many instances ran on the examples.
	Instances int `json:"instances"`
	// Programs is how many programs the synthesis ran (0 when it did
	// not run).
	Programs int `json:"programs"`
	// SynthLimitMicros is the synthesis' time limit; SynthStopped is
	// set when it was reached.
	SynthLimitMicros float64 `json:"synthLimitMicros,omitempty"`
	SynthStopped     bool    `json:"synthStopped,omitempty"`
}

// Timings are microseconds spent in each step.
type Timings struct {
	ValidateMicros float64 `json:"validateMicros"`
	// GenerateMicros covers choosing, rendering, verifying and running
	// the examples (the steps below included).
	GenerateMicros float64 `json:"generateMicros"`
	// ExamplesMicros is the time spent running examples in the machine.
	ExamplesMicros float64 `json:"examplesMicros,omitempty"`
	// SynthMicros is the time the synthesis took (when it ran).
	SynthMicros float64 `json:"synthMicros,omitempty"`
	RunMicros   float64 `json:"runMicros,omitempty"`
	TotalMicros float64 `json:"totalMicros"`
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()/10) / 100 }

func ref(p *Pattern) *PatternRef {
	return &PatternRef{ID: p.ID, Name: p.Name, Category: p.Category, Effect: p.Effect}
}

// maxClosest is how many near patterns a failed choice reports.
const maxClosest = 5

// DefaultSynthLimit bounds the synthesis (GenOptions.SynthLimit).
const DefaultSynthLimit = 200 * time.Millisecond

// GenOptions tune Generate.
type GenOptions struct {
	// SynthLimit bounds the time of the synthesis (and separately of
	// the inference of parameters); 0 is DefaultSynthLimit, negative
	// turns both off.
	SynthLimit time.Duration
}

// Generate turns a spec into a definition and tests (GenerateWith the
// default options).
func (l *Library) Generate(s *Spec) *GenResult { return l.GenerateWith(s, GenOptions{}) }

// GenerateWith turns a spec into a definition and tests. A spec with
// problems gives them all (Errors) and no code. Otherwise the candidate
// patterns whose effect fits are tried in the order of the ranking: each
// is instantiated and run on the examples in the in-process machine, with
// its example parameters, then (for the patterns the description's words
// match) with parameters inferred from the examples and with synthesized
// word parameters; the first that passes every example and that the
// analysis verifies is the answer. When none does, a program is
// synthesized from the examples. Without examples, the best-ranked
// pattern whose effect the analysis verifies is taken and the result
// says that only the effect was checked. When nothing fits, Closest says
// which patterns came nearest, what they do and what would have to
// change; no code is given as OK.
func (l *Library) GenerateWith(s *Spec, o GenOptions) *GenResult {
	t0 := time.Now()
	res := &GenResult{Name: s.Name, Effect: s.Effect, Params: map[string]string{}}
	shape, errs := l.Validate(s)
	t1 := time.Now()
	res.Timings.ValidateMicros = micros(t1.Sub(t0))
	defer func() { res.Timings.TotalMicros = micros(time.Since(t0)) }()
	if len(errs) > 0 {
		res.Errors = errs
		return res
	}
	if o.SynthLimit == 0 {
		o.SynthLimit = DefaultSynthLimit
	}
	g := &gen{l: l, s: s, shape: shape, res: res, opts: o, stats: &SearchStats{}}
	if len(s.Examples) > 0 {
		g.set = prepareExamples(s)
		res.Checked = "examples"
	} else {
		res.Checked = "effect-only"
	}
	defer func() { res.Timings.GenerateMicros = micros(time.Since(t1)) }()
	if s.Pattern != "" {
		g.explicit()
		return res
	}
	res.Search = g.stats
	g.choose()
	return res
}

// gen is one generation.
type gen struct {
	l     *Library
	s     *Spec
	shape Shape
	set   *exSet // nil without examples
	res   *GenResult
	opts  GenOptions
	stats *SearchStats
	// attempts are the instances that ran, for closest.
	attempts []*attempt
	// ambiguous are two synthesized programs that pass every example
	// but do otherwise elsewhere (the examples do not decide).
	ambiguous []string
	order     int
}

// attempt is one instance run on the examples.
type attempt struct {
	p       *Pattern
	score   int
	order   int
	in      *Instance
	code    string // with the spec's stack comment
	results []ExampleResult
	passed  int
	all     bool   // results cover every example
	err     string // why it could not run (parameters, loading)
	why     string // why it is not the answer
	tried   int    // parameter values tried
}

// query is the text whose words rank the patterns.
func (s *Spec) query() string {
	return s.Description + " " + strings.NewReplacer("-", " ", "_", " ").Replace(s.Name) + " " + strings.Join(s.Properties, " ")
}

// forSpec instantiates a pattern for a spec: the definition carries the
// spec's stack comment (its names), and is verified against it.
func (l *Library) forSpec(id string, params map[string]string, eff string, shape Shape) (*Generated, error) {
	p := l.byID[id]
	if p == nil || norm(eff) == norm(p.Effect) && shape.Equal(p.shape) {
		return l.Instantiate(id, params)
	}
	// The code is verified with eff in place of the pattern's stack
	// comment: the pattern's own verification would go unused, so the
	// instance is only rendered here (or taken from the cache).
	g, err := l.rendered(id, params)
	if err != nil {
		return nil, err
	}
	code, ok := replaceComment(g.Code, g.Name(), p.Effect, eff)
	if !ok {
		return l.Instantiate(id, params)
	}
	in := *g
	in.Code = code
	return &Generated{Instance: &in, Verification: VerifyShape(code, in.Name(), eff, shape)}, nil
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// replaceComment puts comment in place of the stack comment old after
// ": name" in code.
func replaceComment(code, name, old, comment string) (string, bool) {
	head := ": " + name + " "
	i := strings.Index(code, head)
	if i < 0 {
		return code, false
	}
	rest := code[i+len(head):]
	j := strings.Index(rest, "(")
	k := strings.Index(rest, ")")
	if j < 0 || k < j || strings.TrimSpace(rest[:j]) != "" {
		return code, false
	}
	if norm(rest[j:k+1]) != norm(old) {
		return code, false
	}
	return code[:i+len(head)] + rest[:j] + strings.TrimSpace(comment) + rest[k+1:], true
}

// explicit generates from the pattern the spec names.
func (g *gen) explicit() {
	s, res := g.s, g.res
	params := map[string]string{"name": s.Name}
	for k, v := range s.Params {
		params[k] = string(v)
	}
	gi, err := g.l.forSpec(s.Pattern, params, s.Effect, g.shape)
	if err != nil {
		// Validate checked the parameters: only rendering can fail.
		res.Errors = SpecErrors{{Field: "pattern", Message: err.Error()}}
		return
	}
	res.Pattern = ref(gi.Pattern)
	res.Params = gi.Params
	res.Verification = gi.Verification
	if !gi.Verification.Verified {
		// Shown for inspection; OK stays false.
		res.Code = gi.Code
		return
	}
	if g.set != nil {
		a := g.run(gi.Pattern, gi.Instance, gi.Code, true)
		res.Examples = a.results
		if a.passed < len(g.set.cases) {
			res.Code = gi.Code
			res.Verification.Problems = append(res.Verification.Problems, examplesProblem(a))
			return
		}
	}
	g.finish(gi.Instance, gi.Code, gi.Verification, "pattern")
}

// examplesProblem says which examples an attempt failed.
func examplesProblem(a *attempt) string {
	if a.err != "" {
		return a.err
	}
	for _, r := range a.results {
		if !r.Pass {
			return fmt.Sprintf("examples[%d]: %s", r.Example, r.Message)
		}
	}
	return "the examples fail"
}

// finish records a pattern's instance as the answer.
func (g *gen) finish(in *Instance, code string, v *Verification, route string) {
	res := g.res
	res.Pattern = ref(in.Pattern)
	res.Params = in.Params
	res.Verification = v
	res.Route = route
	res.Code = header(g.s) + in.Marker() + "\n" + code
	res.Tests = g.tests(in)
	res.OK = true
	res.genCode, res.genTests = res.Code, res.Tests
}

// tests renders the spec's tests: its examples, then the pattern's own
// tests when its parameters are the example ones (the expected results
// were written for them).
func (g *gen) tests(in *Instance) string {
	s := g.s
	var b strings.Builder
	b.WriteString(TesterLoad + "\n")
	if hasFloatOutputs(s) {
		b.WriteString(testHelpers + "\n")
	}
	b.WriteString(testLines(s))
	switch {
	case in != nil && in.ExampleTests:
		if t := strings.TrimRight(in.Tests, "\n"); t != "" {
			b.WriteString(t + "\n")
		}
	case len(s.Examples) == 0:
		// The line to fill in is a comment, so that it never runs
		// (and never passes or fails by accident).
		c, _ := g.shape.Fixed()
		b.WriteString(placeholderLine(s.Name, c))
	}
	return b.String()
}

func hasFloatOutputs(s *Spec) bool {
	for _, ex := range s.Examples {
		for _, v := range ex.Outputs {
			if readVal(v).kind == kFloat {
				return true
			}
		}
	}
	return false
}

// run runs an instance on the examples (all of them when all is set,
// else up to the first failure).
func (g *gen) run(p *Pattern, in *Instance, code string, all bool) *attempt {
	a := &attempt{p: p, in: in, code: code, order: g.order, all: all}
	g.order++
	t := time.Now()
	defer func() { g.res.Timings.ExamplesMicros += micros(time.Since(t)) }()
	g.stats.Instances++
	m, err := g.set.load(code)
	if err != nil {
		a.err = "the code does not load: " + err.Error()
		return a
	}
	a.results, a.passed = g.set.run(m, all)
	if a.passed == len(g.set.cases) {
		if results, passed, ok := g.set.checkShifted(code); !ok {
			a.results, a.passed = results, passed
			a.err = "it passes the examples only where the setup's words happen to be (they fail once the setup's words are elsewhere)"
		}
	}
	a.all = all || a.passed == len(g.set.cases)
	return a
}

// instance renders pattern p for the spec with params (besides name).
func (g *gen) instance(p *Pattern, params map[string]string) (*Instance, string, error) {
	vals := map[string]string{"name": g.s.Name}
	for k, v := range params {
		vals[k] = v
	}
	in, err := p.Instantiate(vals)
	if err != nil {
		return nil, "", err
	}
	code := in.Code
	if norm(g.s.Effect) != norm(p.Effect) {
		if c, ok := replaceComment(code, g.s.Name, p.Effect, g.s.Effect); ok {
			code = c
		}
	}
	return in, code, nil
}

// try runs pattern p with params on the examples; a passing instance
// that the analysis verifies is the answer (true).
func (g *gen) try(p *Pattern, score int, params map[string]string, route string) (*attempt, bool) {
	in, code, err := g.instance(p, params)
	if err != nil {
		a := &attempt{p: p, score: score, order: g.order, err: err.Error()}
		g.order++
		return a, false
	}
	a := g.run(p, in, code, false)
	a.score = score
	if a.err != "" || a.passed < len(g.set.cases) {
		return a, false
	}
	v := VerifyShape(code, g.s.Name, g.s.Effect, g.shape)
	if !v.Verified {
		a.why = "it passes the examples but the analysis does not verify it: " + strings.Join(v.Problems, "; ")
		return a, false
	}
	g.res.Examples = a.results
	g.finish(in, code, v, route)
	return a, true
}

// cand is a pattern considered for a spec.
type cand struct {
	p       *Pattern
	score   int
	matched []string
	fits    bool
}

// candidates ranks the patterns for the spec: those the query's words
// match, best first, then the others; fits says whether the effect fits
// (with examples, each of the pattern's alternatives is one of the
// spec's; without, the effects are the same).
func (g *gen) candidates() []cand {
	var out []cand
	seen := map[*Pattern]bool{}
	fit := func(p *Pattern) bool {
		if g.set == nil {
			return p.shape.Equal(g.shape)
		}
		return g.shape.Within(p.shape)
	}
	for _, h := range g.l.rank(g.s.query()) {
		seen[h.p] = true
		out = append(out, cand{p: h.p, score: h.score, matched: h.matched, fits: fit(h.p)})
	}
	for _, p := range g.l.list {
		if !seen[p] && fit(p) {
			out = append(out, cand{p: p, fits: true})
		}
	}
	return out
}

// choose picks the code for a spec without a pattern ID.
func (g *gen) choose() {
	cands := g.candidates()
	for _, c := range cands {
		if c.fits {
			g.stats.Patterns++
		}
	}
	if g.set == nil {
		g.chooseByEffect(cands)
		return
	}
	// Every fitting pattern the description's words match, with its
	// example parameters, best ranked first.
	tryAll := func(ranked bool) bool {
		for _, c := range cands {
			if !c.fits || (c.score > 0) != ranked {
				continue
			}
			a, ok := g.try(c.p, c.score, nil, "pattern")
			if ok {
				return true
			}
			g.attempts = append(g.attempts, a)
		}
		return false
	}
	if tryAll(true) || g.tryAdapted(cands) || g.tryDescribedNumbers(cands) {
		return
	}
	// A short synthesis (straight-line code is often found in a
	// fraction of a millisecond), then the other patterns, then
	// parameters inferred from the examples and a longer synthesis.
	quickDone := false
	if g.opts.SynthLimit > 0 {
		ok, stopped := g.synthesize(g.opts.SynthLimit, quickNodes)
		if ok {
			return
		}
		quickDone = !stopped
	}
	// A pattern the description does not match is no better evidence
	// than two synthesized programs that disagree: when the examples
	// do not decide between those, they do not decide for it either.
	if g.ambiguous == nil && tryAll(false) {
		return
	}
	// A word that prints a sequence: f of each index of a range.
	if g.opts.SynthLimit > 0 && g.ambiguous == nil && g.printedSequence(g.opts.SynthLimit) {
		return
	}
	if g.opts.SynthLimit > 0 {
		deadline := time.Now().Add(g.opts.SynthLimit)
		for _, c := range cands {
			if !c.fits || c.score == 0 || len(c.p.Params) < 2 {
				continue
			}
			if g.inferParams(c, deadline) {
				return
			}
			if time.Now().After(deadline) {
				break
			}
		}
		if !quickDone && g.ambiguous == nil {
			if ok, _ := g.synthesize(g.opts.SynthLimit, fullNodes); ok {
				return
			}
		}
		// Records of the setup's structure: their fields fetched,
		// then a straight line.
		if g.ambiguous == nil && g.s.Setup != "" && (g.fieldSynthesize(g.opts.SynthLimit) || g.fieldStore() || g.ambiguous == nil && (g.fieldUpdate(g.opts.SynthLimit) || g.fieldConstruct())) {
			return
		}
		// A constructor of a record of cells needs no setup.
		if g.ambiguous == nil && g.s.Setup == "" && g.fieldConstruct() {
			return
		}
		// Beyond the evaluator (strings, memory, printed text): a
		// smaller search in the machine.
		if g.ambiguous == nil && (newSynthProblem(g.s, g.shape) == nil || hasStrings(g.s)) && g.machineSynthesize(g.opts.SynthLimit) {
			return
		}
	}
	g.noFit(cands)
}

// quickNodes and fullNodes bound the work of the first, short synthesis
// and of the full one (the time limit, SynthLimit, bounds both too, but
// only as a safety net: the work bound makes the answer the same on a
// loaded machine).
const (
	quickNodes = 20_000
	fullNodes  = 150_000
)

// chooseByEffect takes the best-ranked pattern whose effect fits and
// verifies (no examples to decide).
func (g *gen) chooseByEffect(cands []cand) {
	for _, c := range cands {
		if !c.fits || c.score == 0 {
			continue
		}
		gi, err := g.l.forSpec(c.p.ID, map[string]string{"name": g.s.Name}, g.s.Effect, g.shape)
		if err != nil {
			g.attempts = append(g.attempts, &attempt{p: c.p, score: c.score, order: len(g.attempts), err: err.Error()})
			continue
		}
		if !gi.Verification.Verified {
			g.attempts = append(g.attempts, &attempt{p: c.p, score: c.score, order: len(g.attempts), code: gi.Code,
				why: "it does not verify with this name: " + strings.Join(gi.Verification.Problems, "; ")})
			continue
		}
		g.finish(gi.Instance, gi.Code, gi.Verification, "pattern")
		return
	}
	g.noFit(cands)
}

// noFit reports that nothing fits, with the closest patterns.
func (g *gen) noFit(cands []cand) {
	res := g.res
	msg := "no pattern fits: see closest"
	if g.set != nil {
		msg = "no pattern, inferred parameters or synthesized program passes the examples: see closest"
	}
	if g.ambiguous != nil {
		msg = fmt.Sprintf("the examples do not decide: both %q and %q pass them but differ on other inputs; add an example that tells them apart (or describe the word so that its words suggest one)", g.ambiguous[0], g.ambiguous[1])
	}
	res.Verification = &Verification{Word: g.s.Name, Declared: g.s.Effect, Status: "no-pattern", Problems: []string{msg}}
	res.Closest = g.closest(cands)
}

// closest lists the patterns that came nearest: the fitting ones that
// passed the most examples (or ranked best), then those whose words match
// but whose effect does not fit.
func (g *gen) closest(cands []cand) []Candidate {
	byP := map[*Pattern]*attempt{}
	for _, a := range g.attempts {
		if b := byP[a.p]; b == nil || a.passed > b.passed || a.passed == b.passed && a.err == "" && b.err != "" {
			byP[a.p] = a
		}
	}
	type near struct {
		c cand
		a *attempt
	}
	var ns []near
	for _, c := range cands {
		if c.fits || c.score > 0 {
			ns = append(ns, near{c, byP[c.p]})
		}
	}
	passed := func(n near) int {
		if n.a == nil {
			return -1
		}
		return n.a.passed
	}
	sort.SliceStable(ns, func(i, j int) bool {
		pi, pj := passed(ns[i]), passed(ns[j])
		if (pi > 0 || pj > 0) && pi != pj {
			return pi > pj
		}
		if ns[i].c.fits != ns[j].c.fits && ns[i].c.score > 0 && ns[j].c.score > 0 {
			return ns[i].c.fits
		}
		return ns[i].c.score > ns[j].c.score
	})
	out := []Candidate{}
	for _, n := range ns {
		if len(out) == maxClosest {
			break
		}
		out = append(out, g.describe(n.c, n.a))
	}
	return out
}

// describe says what a near pattern does on the spec and what would
// have to change.
func (g *gen) describe(c cand, a *attempt) Candidate {
	p := c.p
	cd := Candidate{PatternRef: *ref(p), Score: c.score}
	matched := ""
	if len(c.matched) > 0 {
		matched = " (matched: " + strings.Join(c.matched, ", ") + ")"
	}
	if a == nil || a.in == nil {
		in, code, err := g.instance(p, nil)
		if err == nil && (a == nil || a.err == "") {
			a2 := &attempt{p: p, in: in, code: code}
			if g.set != nil {
				a2 = g.run(p, in, code, true)
			}
			if a != nil {
				a2.why, a2.tried = a.why, a.tried
			}
			a = a2
		} else if a == nil {
			a = &attempt{p: p, err: err.Error()}
		}
	}
	if g.set != nil && a.err == "" && !a.all {
		b := g.run(p, a.in, a.code, true)
		a.results, a.passed, a.all = b.results, b.passed, true
	}
	cd.Code = a.code
	cd.Examples = a.results
	if a.in != nil {
		for k, v := range a.in.Params {
			if k != "name" && v != p.defaults[k] {
				if cd.Params == nil {
					cd.Params = map[string]string{}
				}
				cd.Params[k] = v
			}
		}
	}
	var params []string
	for _, pr := range p.Params {
		if pr.Type != TypeName {
			params = append(params, pr.ID)
		}
	}
	switch {
	case !c.fits:
		cd.Why = fmt.Sprintf("its effect %s has %s, the spec's %s has %s%s", p.Effect, p.shape, g.s.Effect, g.shape, matched)
		cd.Change = fmt.Sprintf("the word would have to take and leave what %s says (%s), not %s: another pattern, or this one's code adapted", g.s.Effect, g.shape, p.shape)
	case a.err != "":
		cd.Why = a.err + matched
		cd.Change = "its code would have to load and run: " + a.err
	case a.why != "":
		cd.Why = a.why
		cd.Change = "the analysis would have to verify it (see why)"
	case g.set == nil:
		cd.Why = "its effect fits but none of the description's words match its name, tags or description"
		if c.score > 0 {
			cd.Why = "it does not verify with this name" + matched
		}
		cd.Change = "the description would have to say what it does (its words rank the patterns), or the spec name it: \"pattern\": \"" + p.ID + "\""
	default:
		cd.Why = fmt.Sprintf("it passes %d of %d examples%s", a.passed, len(g.set.cases), matched)
		var failed []string
		for _, r := range a.results {
			if !r.Pass {
				failed = append(failed, fmt.Sprintf("examples[%d] (%s)", r.Example, r.Message))
			}
		}
		if len(failed) > 2 {
			failed = append(failed[:2], fmt.Sprintf("%d more", len(failed)-2))
		}
		cd.Change = "its results would have to change on " + strings.Join(failed, ", ")
		switch {
		case len(params) == 0:
			cd.Change += "; it has no parameters to vary: another algorithm is needed"
		case a.tried > 0:
			cd.Change += fmt.Sprintf("; %d values of its parameters (%s) were tried", a.tried, strings.Join(params, ", "))
		default:
			cd.Change += fmt.Sprintf("; other values of its parameters (%s) might do it: give them in the spec with \"pattern\": \"%s\"", strings.Join(params, ", "), p.ID)
		}
	}
	return cd
}

// variant is one set of parameter values to try.
type variant struct {
	params   map[string]string
	composed bool
}

// maxVariants bounds the parameter values tried for one pattern (those
// of single words and numbers; composed fragments have their own bound).
const (
	maxVariants  = 64
	maxFragments = 120
)

// inferParams tries the pattern with parameters inferred from the spec:
// a number parameter takes the numbers of the description and of the
// examples (the THROW codes they expect too) and small numbers; a word
// parameter the words with the same stack effect as its example value,
// then short synthesized fragments; a text parameter the texts the
// examples print or return.
func (g *gen) inferParams(c cand, deadline time.Time) bool {
	p := c.p
	var best *attempt
	tried := 0
	for _, v := range g.variants(p) {
		if time.Now().After(deadline) {
			break
		}
		route := "pattern+parameters"
		if v.composed {
			route = "composed"
		}
		a, ok := g.try(p, c.score, v.params, route)
		tried++
		if ok {
			return true
		}
		if best == nil || a.passed > best.passed {
			best = a
		}
	}
	if best != nil && best.passed > 0 {
		best.tried = tried
		g.attempts = append(g.attempts, best)
	} else {
		for _, a := range g.attempts {
			if a.p == p {
				a.tried = tried
			}
		}
	}
	return false
}

// tryDescribedNumbers tries the patterns the description's words match
// that have two or more number parameters with the description's numbers
// in their order ("0 below 50, 1 from 50 to 79, 2 from 80 up" gives a
// two-threshold pattern 50 and 80): variants changes one parameter at a
// time, and a short synthesis would fit the examples with the numbers
// some other way ("2* 80 /").
func (g *gen) tryDescribedNumbers(cands []cand) bool {
	var nums []string
	for _, n := range numbersIn(g.s.Description + " " + strings.Join(g.s.Properties, " ")) {
		if _, err := strconv.ParseInt(n, 10, 64); err == nil && !slices.Contains(nums, n) {
			nums = append(nums, n)
		}
	}
	if len(nums) < 2 || len(nums) > maxDescribedNumbers {
		return false
	}
	for _, c := range cands {
		if !c.fits || c.score == 0 {
			continue
		}
		var ids []string
		for _, pr := range c.p.Params {
			if pr.Type == TypeNumber {
				ids = append(ids, pr.ID)
			}
		}
		if len(ids) < 2 || len(ids) > len(nums) {
			continue
		}
		// Each choice of len(ids) numbers in the description's order.
		var pick func(from int, chosen []string) bool
		pick = func(from int, chosen []string) bool {
			if len(chosen) == len(ids) {
				// Two numbers in either order ("8 binary digits":
				// the base is named after the width).
				orders := [][]string{chosen}
				if len(ids) == 2 {
					orders = append(orders, []string{chosen[1], chosen[0]})
				}
				for _, ch := range orders {
					params := map[string]string{}
					for i, id := range ids {
						params[id] = ch[i]
					}
					a, ok := g.try(c.p, c.score, params, "pattern+parameters")
					if ok {
						return true
					}
					if a != nil && a.passed > 0 {
						g.attempts = append(g.attempts, a)
					}
				}
				return false
			}
			for i := from; i <= len(nums)-(len(ids)-len(chosen)); i++ {
				if pick(i+1, append(chosen, nums[i])) {
					return true
				}
			}
			return false
		}
		if pick(0, nil) {
			return true
		}
	}
	return false
}

// maxDescribedNumbers bounds the numbers of a description that
// tryDescribedNumbers combines.
const maxDescribedNumbers = 6

// variants lists the parameter values to try for p, one parameter at a
// time (the others keep their example values).
func (g *gen) variants(p *Pattern) []variant {
	var plain, composed []variant
	nums := g.numberCandidates()
	texts := g.textCandidates()
	for _, pr := range p.Params {
		def := p.defaults[pr.ID]
		switch pr.Type {
		case TypeNumber:
			for _, n := range nums {
				if n != def {
					plain = append(plain, variant{params: map[string]string{pr.ID: n}})
				}
			}
		case TypeText:
			for _, t := range texts {
				if t != def {
					plain = append(plain, variant{params: map[string]string{pr.ID: t}})
				}
			}
		case TypeWord:
			in, out, fin, fout, ok := wordsEffect(def)
			if !ok {
				continue
			}
			words, frags := fragments(in, out, fin, fout, def, g.fragmentLits())
			for _, w := range words {
				plain = append(plain, variant{params: map[string]string{pr.ID: w}})
			}
			for _, f := range frags {
				composed = append(composed, variant{params: map[string]string{pr.ID: f}, composed: true})
			}
		}
	}
	if len(plain) > maxVariants {
		plain = plain[:maxVariants]
	}
	if len(composed) > maxFragments {
		composed = composed[:maxFragments]
	}
	return append(plain, composed...)
}

// numberCandidates are the numbers a number parameter tries: those of
// the description, of the examples, then small ones.
func (g *gen) numberCandidates() []string {
	var out []string
	seen := map[string]bool{}
	add := func(n string) {
		if _, err := strconv.ParseInt(n, 10, 64); err == nil && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, n := range numbersIn(g.s.query()) {
		add(n)
	}
	for _, ex := range g.s.Examples {
		for _, vs := range []Values{ex.Inputs, ex.Outputs} {
			for _, v := range vs {
				if r := readVal(v); r.kind == kCells && len(r.cells) == 1 {
					add(strconv.FormatInt(r.cells[0], 10))
				}
			}
		}
	}
	// The THROW codes the examples expect (a code parameter).
	for _, ex := range g.s.Examples {
		if ex.Throws != nil {
			add(strconv.Itoa(*ex.Throws))
		}
	}
	// The codes of the characters the examples print (a character
	// parameter is a number).
	for _, ex := range g.s.Examples {
		if ex.Printed != nil {
			for _, r := range *ex.Printed {
				if r > ' ' && r < 127 && !strings.ContainsRune("0123456789-", r) {
					add(strconv.Itoa(int(r)))
				}
			}
		}
	}
	for _, n := range strings.Fields("1 2 3 4 5 6 7 8 10 12 16 24 32 64 100 1000 0 -1") {
		add(n)
	}
	return out
}

// textCandidates are the texts a text parameter tries: what the examples
// print (without the line break at the end) and the strings they return.
func (g *gen) textCandidates() []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if t != "" && !seen[t] && validateValue(TypeText, t, nil) == nil {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, ex := range g.s.Examples {
		if ex.Printed != nil {
			add(strings.TrimRight(*ex.Printed, "\n "))
			add(*ex.Printed)
			// The text between the numbers (a separator, a unit).
			if ps, ok := splitPrinted(*ex.Printed); ok {
				for _, p := range ps {
					if !p.num {
						add(p.text)
						add(strings.TrimSpace(p.text))
					}
				}
			}
		}
		for _, v := range ex.Outputs {
			if v.Str != nil {
				add(*v.Str)
			}
		}
	}
	return out
}

// fragmentLits are the literals fragments may use: small numbers and
// those of the description.
func (g *gen) fragmentLits() []*op {
	lits := []*op{litOp(0), litOp(1), litOp(2), litOp(-1)}
	for _, n := range numbersIn(g.s.query()) {
		if v, err := strconv.ParseInt(n, 10, 64); err == nil {
			lits = append(lits, litOp(v))
		}
	}
	return lits
}

// fragments are the values a word parameter with the stack effect (in
// out fin fout) tries: single words of the allowlist with that effect,
// then sequences of up to three words and literals, without two that do
// the same on random stacks (nor what def does).
func fragments(in, out, fin, fout int, def string, lits []*op) (words, frags []string) {
	if in+fin > 4 || out+fout > 3 {
		return nil, nil
	}
	alphabet := make([]*op, 0, len(synthWords)+len(lits))
	if in+out > 0 {
		for _, w := range synthWords {
			alphabet = append(alphabet, evalWords[w])
		}
		alphabet = append(alphabet, lits...)
	}
	if fin+fout > 0 {
		for _, w := range synthFloatWords {
			alphabet = append(alphabet, evalWords[w])
		}
	}
	probes := probeStates(in, fin)
	seen := map[uint64]bool{}
	signature := func(prog []*op) (uint64, bool) {
		states := make([]evalState, len(probes))
		copy(states, probes)
		for k := range states {
			if !runOps(prog, &states[k]) {
				return 0, false
			}
			if states[k].err == 0 && (int(states[k].sp) != out || int(states[k].fp) != fout) {
				return 0, false
			}
		}
		return hashStates(states), true
	}
	if d := parseOps(def); d != nil {
		if h, ok := signature(d); ok {
			seen[h] = true
		}
	}
	var prog []*op
	// Shortest first: depth by depth.
	for maxD := 1; maxD <= 3; maxD++ {
		var level func(depth int)
		level = func(depth int) {
			if depth == maxD {
				if h, ok := signature(prog); ok && !seen[h] {
					seen[h] = true
					if depth == 1 && prog[0].kind == opWord {
						words = append(words, render(prog))
					} else {
						frags = append(frags, render(prog))
					}
				}
				return
			}
			for _, o := range alphabet {
				if depth > 0 && redundant(prog[depth-1], o) {
					continue
				}
				if len(frags) >= maxFragments {
					return
				}
				prog = append(prog, o)
				level(depth + 1)
				prog = prog[:depth]
			}
		}
		level(0)
	}
	return words, frags
}

// parseOps reads a sequence of evaluator words and numbers; nil when a
// word is unknown.
func parseOps(text string) []*op {
	var ops []*op
	for _, w := range strings.Fields(text) {
		if o := evalWords[strings.ToLower(w)]; o != nil {
			ops = append(ops, o)
		} else if n, err := strconv.ParseInt(w, 10, 64); err == nil {
			ops = append(ops, litOp(n))
		} else {
			return nil
		}
	}
	return ops
}

// probeStates are random stacks that tell fragments apart.
func probeStates(in, fin int) []evalState {
	r := rand.New(rand.NewSource(1))
	vals := []int64{0, 1, 2, 3, 5, 7, -1, -4, 10, 100, 255, -1000}
	out := make([]evalState, 8)
	for k := range out {
		for i := 0; i < in; i++ {
			out[k].ds[i] = vals[r.Intn(len(vals))] + int64(k)
		}
		out[k].sp = int8(in)
		for i := 0; i < fin; i++ {
			out[k].fs[i] = float64(vals[r.Intn(len(vals))]) + 0.5*float64(k)
		}
		out[k].fp = int8(fin)
	}
	return out
}

// synthesize searches a program for the examples (synth.go) and takes
// the first that the machine and the analysis accept.
func (g *gen) synthesize(limit time.Duration, budget int) (ok, stopped bool) {
	if p := newSynthProblem(g.s, g.shape); p != nil {
		return g.synthesizeWith(p, "", limit, budget)
	}
	// A word that prints numbers (as . does) is a word that leaves
	// them, then prints them: the search finds the former. So is a
	// word that prints a character a number of times, or one of two
	// messages (it leaves the count, or a flag).
	for _, r := range append(printedReadings(g.s, g.shape), stringChoices(g.s, g.shape)...) {
		p := newSynthProblem(r.s, r.shape)
		if p == nil {
			continue
		}
		if ok, stopped = g.synthesizeWith(p, r.suffix, limit, budget); ok || g.ambiguous != nil {
			return ok, stopped
		}
	}
	return false, stopped
}

// synthesizeWith searches a body for problem p, which the code ends
// with suffix after.
func (g *gen) synthesizeWith(p *synthProblem, suffix string, limit time.Duration, budget int) (ok, stopped bool) {
	t := time.Now()
	deadline := t.Add(limit)
	g.stats.SynthLimitMicros = micros(g.opts.SynthLimit)
	rejected := map[string]bool{}
	var won *attempt
	var wonV *Verification
	var wonCode string
	accept := func(body string) bool {
		if rejected[body] {
			return false
		}
		code := fmt.Sprintf(": %s %s\n  %s ;", g.s.Name, strings.TrimSpace(g.s.Effect), strings.TrimSpace(body+suffix))
		a := g.run(nil, nil, code, true)
		if a.err != "" || a.passed < len(g.set.cases) {
			rejected[body] = true
			return false
		}
		v := VerifyShape(code, g.s.Name, g.s.Effect, g.shape)
		if !v.Verified {
			rejected[body] = true
			return false
		}
		won, wonV, wonCode = a, v, code
		return true
	}
	r, stopped := p.synthesize(deadline, budget, accept)
	g.stats.Programs += p.nodes
	g.stats.SynthStopped = stopped
	g.res.Timings.SynthMicros += micros(time.Since(t))
	if r != nil && r.ambiguous != nil {
		g.ambiguous = r.ambiguous
		return false, stopped
	}
	if r == nil {
		return false, stopped
	}
	g.acceptFound(g.s, won, wonV, r.route, synthMarker, wonCode)
	return true, false
}

// acceptFound makes code, found by a search and run on the examples (a)
// and verified (v), the answer: route says how it was found, marker is
// the comment line put above it.
func (g *gen) acceptFound(s *Spec, a *attempt, v *Verification, route, marker, code string) {
	res := g.res
	res.Examples = a.results
	res.Verification = v
	res.Route = route
	res.Code = header(s) + marker + "\n" + code
	res.Tests = g.tests(nil)
	res.OK = true
	res.genCode, res.genTests = res.Code, res.Tests
}

// synthMarker is the comment line above synthesized code.
const synthMarker = `\ Synthesized from the examples (no pattern fits)`

// nearestID is the pattern ID closest to a misspelt one, or "".
func (l *Library) nearestID(id string) string {
	best, bestD := "", len(id)/3+1
	for _, p := range l.list {
		if d := editDistance(id, p.ID); d < bestD {
			best, bestD = p.ID, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two strings (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Warm starts, in the background, what the first generation needs and a
// cold process would otherwise make one after the other: the analysis'
// table of the default dialect's words and the machine the examples run
// in (a CLI calls it first thing; the rest of the process overlaps with
// it). The library and its ranking index are made ahead of time
// (library_gen.go).
func Warm() {
	go builtins.Get(builtins.DefaultDialect)
	go exampleFresh()
}

// keepInputs copies the top n cells (n = 1, 2, 3).
var keepInputs = map[int]string{1: "dup", 2: "2dup", 3: "2 pick 2 pick 2 pick"}

// tryAdapted composes a pattern the description's words match with a
// little glue, when its effect differs from the spec's in a usual way:
//   - a pattern that works in place (it takes the spec's inputs and
//     leaves nothing, as "( c-addr u -- )" reversing a string) becomes a
//     word that leaves its inputs ("( c-addr u -- c-addr u )"): the
//     pattern's word is called on a copy of them;
//   - a pattern that makes a string (c-addr u) or a number becomes a
//     word that prints it, when the spec's word leaves nothing and its
//     examples say what is printed: "inner type", "inner .",
//     "inner 0 .r".
//
// The pattern's word keeps a name of its own (name-in-place,
// name-text). Every composition runs on the examples like any candidate.
func (g *gen) tryAdapted(cands []cand) bool {
	sh := g.shape
	if sh.FloatIn != 0 || len(sh.Outs) != 1 || sh.Outs[0].FloatOut != 0 {
		return false
	}
	type glue struct {
		inner string    // the pattern word's name
		out   OutCounts // what the pattern must leave
		calls []string  // the body: %s is the inner word
		what  string
	}
	var glues []glue
	if keep, ok := keepInputs[sh.In]; ok && sh.Outs[0] == (OutCounts{sh.In, 0}) {
		glues = append(glues, glue{g.s.Name + "-in-place", OutCounts{}, []string{keep + " %s"}, "adapted to leave its inputs"})
	}
	printed := len(g.s.Examples) > 0
	for _, ex := range g.s.Examples {
		printed = printed && ex.Printed != nil
	}
	if printed && sh.Outs[0] == (OutCounts{}) {
		glues = append(glues,
			glue{g.s.Name + "-text", OutCounts{2, 0}, []string{"%s type"}, "adapted to print its string"},
			glue{g.s.Name + "-value", OutCounts{1, 0}, []string{"%s .", "%s 0 .r"}, "adapted to print its number"})
	}
	for _, gl := range glues {
		if ValidName(gl.inner) != nil {
			continue
		}
		for _, c := range cands {
			p := c.p
			if c.score == 0 || c.fits || p.shape.In != sh.In || p.shape.FloatIn != 0 || len(p.shape.Outs) != 1 || p.shape.Outs[0] != gl.out {
				continue
			}
			if g.tryAdaptedWith(c, gl.inner, gl.calls, gl.what) {
				return true
			}
		}
	}
	return false
}

// maxAdaptedNumbers bounds the values tried for each number parameter
// of an adapted pattern.
const maxAdaptedNumbers = 8

// tryAdaptedWith composes pattern c under the name inner with each glue
// call, with its example parameters, then with each number parameter
// taking the numbers of the description and the examples ("at least two
// digits" is a zero-padding pattern's width 2, printed).
func (g *gen) tryAdaptedWith(c cand, inner string, calls []string, what string) bool {
	p := c.p
	psets := []map[string]string{{"name": inner}}
	nums := g.numberCandidates()
	if len(nums) > maxAdaptedNumbers {
		nums = nums[:maxAdaptedNumbers]
	}
	for _, pr := range p.Params {
		if pr.Type != TypeNumber {
			continue
		}
		for _, n := range nums {
			if n != p.defaults[pr.ID] {
				psets = append(psets, map[string]string{"name": inner, pr.ID: n})
			}
		}
	}
	for k, ps := range psets {
		in, err := p.Instantiate(ps)
		if err != nil {
			continue
		}
		for _, call := range calls {
			body := fmt.Sprintf(call, inner)
			code := strings.TrimRight(in.Code, "\n") + fmt.Sprintf("\n: %s %s\n  %s ;", g.s.Name, strings.TrimSpace(g.s.Effect), body)
			a := g.run(p, in, code, false)
			a.score = c.score
			if a.err != "" || a.passed < len(g.set.cases) {
				if k == 0 { // the example parameters: closest says why
					a.why = what + " (" + body + "), " + examplesProblem(a)
					g.attempts = append(g.attempts, a)
				}
				continue
			}
			v := VerifyShape(code, g.s.Name, g.s.Effect, g.shape)
			if !v.Verified {
				continue
			}
			g.res.Examples = a.results
			g.finish(in, code, v, "composed")
			return true
		}
	}
	return false
}

// hasStrings reports whether an example has a string: the evaluator
// can pass strings on but not read them (the machine can).
func hasStrings(s *Spec) bool {
	for _, ex := range s.Examples {
		for _, v := range append(append([]Val{}, ex.Inputs...), ex.Outputs...) {
			if v.Str != nil {
				return true
			}
		}
	}
	return false
}
