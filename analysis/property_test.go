package analysis

// Property test: every definite effect the analysis gives agrees with
// running the code in gforth. Random small definitions are generated from a
// grammar of stack words, literals, arithmetic, IF/ELSE/THEN,
// BEGIN/WHILE/REPEAT, BEGIN/UNTIL, ?DO/LOOP with LEAVE and ?LEAVE, ?DUP, >R
// R>, EXIT, locals ({ } and LOCALS| |, read and stored with TO) and calls to
// earlier generated words; gforth runs each one on a
// few prepared stacks (one process for the whole batch), and every
// definition whose effect callers would use must change the depth by that
// effect on every run that ends normally.
//
// go test ./analysis -run TestPropertyEffectsAgreeWithGforth -prop.n 5000 -prop.seed 7

import (
	"flag"
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/internal/gforthtest"
)

var (
	propN    = flag.Int("prop.n", 300, "programs the gforth property test generates")
	propSeed = flag.Int64("prop.seed", 1, "seed of the gforth property test")
)

// propPrelude is loaded before the programs, by gforth and by the
// analysis. Loops take their flag from fuel-ok or fuel-out as well, so that
// every loop ends; run-one runs an xt and prints the depth change, or E
// when it throws.
const propPrelude = `variable fuel
: fuel-ok ( -- f ) fuel @ 1- dup fuel ! 0> ;
: fuel-out ( -- f ) fuel-ok 0= ;
variable d0
: prep ( -- ) clearstack 200 0 do 1000 loop ;
: run-one ( xt -- ) 20 fuel ! depth 1- d0 ! catch if ." E " else depth d0 @ - . then clearstack ;
`

// propStacks are the values the definitions run on (below them: 200
// copies of 1000).
var propStacks = []string{"", "0 0 0 0 0 0", "1 2 3 4 5 6", "-1 5 0 7 -3 2", "3 0 -2 1 0 4"}

type propGen struct {
	r      *rand.Rand
	b      strings.Builder
	words  []string // earlier definitions of this program
	inDo   int      // open DO loops
	locals bool     // the definition has locals l0 and l1
}

func (g *propGen) emit(s ...string) {
	for _, x := range s {
		g.b.WriteString(x)
		g.b.WriteByte(' ')
	}
}

var (
	propStackWords = []string{"dup", "drop", "swap", "over", "rot", "nip", "tuck", "2dup", "2drop", "-rot", "2swap"}
	propArith      = []string{"+", "-", "*", "and", "or", "xor", "negate", "1+", "1-", "abs", "max", "min", "=", "<", "0=", "0<", "invert", "2*"}
)

// seq emits 1 to 4 items; depth bounds nesting; plain allows no control
// flow (inside >r ... r>).
func (g *propGen) seq(depth int, plain bool) {
	n := 1 + g.r.Intn(4)
	for i := 0; i < n; i++ {
		g.item(depth, plain)
	}
}

func (g *propGen) item(depth int, plain bool) {
	k := g.r.Intn(100)
	if plain || depth <= 0 {
		k %= 45
	}
	switch {
	case k < 15:
		g.emit(propStackWords[g.r.Intn(len(propStackWords))])
	case k < 25:
		g.emit(strconv.Itoa(g.r.Intn(6) - 1))
	case k < 38:
		g.emit(propArith[g.r.Intn(len(propArith))])
	case k < 45 && g.locals && k%3 == 0:
		// A local, or a store into one.
		if k%2 == 0 {
			g.emit("l" + strconv.Itoa(g.r.Intn(2)))
		} else {
			g.emit("to", "l"+strconv.Itoa(g.r.Intn(2)))
		}
	case k < 45:
		if len(g.words) > 0 && !plain {
			g.emit(g.words[g.r.Intn(len(g.words))])
		} else {
			g.emit("dup")
		}
	case k < 55:
		g.emit("if")
		g.seq(depth-1, false)
		if g.r.Intn(2) == 0 {
			g.emit("else")
			g.seq(depth-1, false)
		}
		g.emit("then")
	case k < 62:
		g.emit("begin")
		g.seq(depth-1, false)
		if g.r.Intn(2) == 0 {
			g.emit("fuel-ok", "while")
		} else {
			g.emit("dup", "fuel-ok", "and", "while")
		}
		g.seq(depth-1, false)
		g.emit("repeat")
	case k < 67:
		g.emit("begin")
		g.seq(depth-1, false)
		if g.r.Intn(2) == 0 {
			g.emit("fuel-out", "until")
		} else {
			g.emit("dup", "fuel-out", "or", "until")
		}
	case k < 76:
		g.emit(strconv.Itoa(g.r.Intn(4)), "0", "?do")
		g.inDo++
		g.seq(depth-1, false)
		switch g.r.Intn(4) {
		case 0:
			g.emit("i", "2", "=", "if")
			g.seq(depth-1, true)
			g.emit("leave", "then")
		case 1:
			g.emit("i", "1", "=", "?leave")
		case 2:
			g.emit("i")
		}
		g.seq(depth-1, false)
		g.inDo--
		g.emit("loop")
	case k < 82:
		g.emit("?dup", "if")
		g.seq(depth-1, false)
		g.emit("then")
	case k < 88:
		g.emit("?dup")
	case k < 94:
		g.emit(">r")
		g.seq(0, true)
		g.emit("r>")
	default:
		if g.inDo == 0 {
			g.emit("dup", "0<", "if", "exit", "then")
		} else {
			g.emit("dup")
		}
	}
}

// program returns the source of program p: a few definitions, the later
// ones calling the earlier.
func (g *propGen) program(p int) (src string, names []string) {
	g.words = g.words[:0]
	for i := 0; i < 4; i++ {
		name := fmt.Sprintf("p%d-w%d", p, i)
		g.b.Reset()
		g.emit(":", name)
		if g.r.Intn(3) == 0 {
			// A guessed stack comment: verified only when it fits.
			in, out := g.r.Intn(3), g.r.Intn(3)
			g.emit("(" + strings.Repeat(" x", in) + " --" + strings.Repeat(" y", out) + " )")
		}
		g.locals = false
		switch g.r.Intn(5) {
		case 0, 1:
			// Literals first, so that what the locals hold matters.
			for j := g.r.Intn(3); j > 0; j-- {
				g.emit(strconv.Itoa(g.r.Intn(3)))
			}
		}
		switch g.r.Intn(5) {
		case 0:
			g.emit("{", "l0", "l1", "}")
			g.locals = true
		case 1:
			g.emit("locals|", "l0", "l1", "|")
			g.locals = true
		}
		g.seq(3, false)
		g.emit(";")
		src += g.b.String() + "\n"
		g.words = append(g.words, name)
		names = append(names, name)
	}
	return src, names
}

// propBatch is how many programs one gforth process loads (its
// dictionary is not unlimited).
const propBatch = 1000

func TestPropertyEffectsAgreeWithGforth(t *testing.T) {
	gforthtest.Path(t)
	g := &propGen{r: rand.New(rand.NewSource(*propSeed))}
	total, definite := 0, 0
	for first := 0; first < *propN; first += propBatch {
		d, n := propBatchRun(t, g, first, min(first+propBatch, *propN))
		definite += d
		total += n
	}
	if definite < total/4 {
		t.Errorf("only %d of %d definitions have a definite effect: the generator is too wild to test anything", definite, total)
	}
	t.Logf("%d programs, %d definitions, %d with a definite effect", *propN, total, definite)
}

// propBatchRun generates programs first to last-1, runs them in one gforth
// process, checks the analysis against what gforth did and returns how
// many definitions had a definite effect, and how many there were.
func propBatchRun(t *testing.T, g *propGen, first, last int) (definite, total int) {
	var src, runs strings.Builder
	src.WriteString(propPrelude)
	var names []string
	for p := first; p < last; p++ {
		s, ns := g.program(p)
		src.WriteString(s)
		names = append(names, ns...)
	}
	for _, n := range names {
		fmt.Fprintf(&runs, ".( %s )", n)
		for _, st := range propStacks {
			fmt.Fprintf(&runs, " prep %s ' %s run-one", st, n)
		}
		runs.WriteString(" cr\n")
	}
	out := gforthtest.Run(t, src.String()+runs.String())

	// What gforth did: the depth changes per definition ("E": threw).
	ran := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == len(propStacks)+1 {
			ran[f[0]] = f[1:]
		}
	}
	r := New(Options{}).Analyze("property.fs", []byte(src.String()))
	for _, dr := range r.Defs {
		name := dr.Def.Name
		if !slices.Contains(names, name) {
			continue
		}
		deltas, ok := ran[name]
		if !ok {
			t.Fatalf("gforth printed nothing for %s:\n%s", name, out)
		}
		sig := dr.Sig
		if sig == nil || !sig.Known || sig.Bottom || len(sig.Alts) == 0 || !sig.Distinct() {
			continue
		}
		if sig.Trusted {
			// The effect rests on a stack comment taken on trust (a
			// body that could not be followed, here or in a callee):
			// the programmer's word rather than something the analysis
			// found, and here a random guess.
			continue
		}
		definite++
		var allowed []int
		for _, a := range sig.Alts {
			allowed = append(allowed, a.Out[0]-a.In[0])
		}
		for i, d := range deltas {
			if d == "E" {
				continue
			}
			n, err := strconv.Atoi(d)
			if err != nil {
				t.Fatalf("%s: gforth printed %q", name, d)
			}
			if !slices.Contains(allowed, n) {
				t.Errorf("%s on stack %q: gforth changes the depth by %d, the analysis gives %s (%s)\n%s",
					name, propStacks[i], n, effectOf(dr), dr.Status, defSource(src.String(), name))
			}
		}
	}
	return definite, len(names)
}

func effectOf(dr *infer.Result) string {
	if dr.Inferred != nil {
		return dr.Inferred.String()
	}
	return "?"
}

// defSource returns the line that defines name, and the earlier
// definitions of its program.
func defSource(src, name string) string {
	prog := name[:strings.Index(name, "-")]
	var b strings.Builder
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, ": "+prog+"-") {
			b.WriteString(line + "\n")
		}
		if strings.HasPrefix(line, ": "+name+" ") {
			break
		}
	}
	return b.String()
}
