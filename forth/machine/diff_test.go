package machine

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

// The differential tests run the same Forth text in the machine and in
// gforth 0.7.3 (one process per batch) and compare the output, in which
// each program prints its final data and float stacks.

// diffPrologue is loaded first in both systems: ff-run evaluates a
// program and reports an uncaught THROW; ff-stack prints and empties the
// stacks.
const diffPrologue = `[defined] warnings [if] warnings off [then]
: ff-clear ( i*x -- ) begin depth while drop repeat begin fdepth while fdrop repeat ;
: ff-stack ( i*x -- ) depth 0 ?do depth 1- roll . loop begin fdepth while fs. repeat ;
: ff-run ( c-addr u -- ) ['] evaluate catch ?dup if ." @@ERR " . ff-clear postpone [ then ;
: ff-line ( "text" -- ) 0 parse ff-run ;
`

// runGforthText runs text as a file in one gforth process and returns its
// output.
func runGforthText(t *testing.T, text string) string {
	t.Helper()
	bin := gforthtest.Path(t)
	file := filepath.Join(t.TempDir(), "diff.fs")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, file, "-e", "bye")
	cmd.Env = gforthtest.Env()
	cmd.Stdin = strings.NewReader("")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("gforth: %v\n%s", err, stderr.String())
	}
	return stdout.String()
}

// runMachineText runs text in a fresh machine and returns its output.
func runMachineText(t *testing.T, text string) string {
	t.Helper()
	m := New(Config{MaxSteps: 1 << 30})
	if err := m.Load("diff.fs", text); err != nil {
		t.Fatalf("machine: %v\n%s", err, m.Output())
	}
	return m.Output()
}

var markRE = regexp.MustCompile(`@@P (\d+) *\n`)

// splitRuns splits output at the @@P markers.
func splitRuns(out string) map[int]string {
	res := map[int]string{}
	locs := markRE.FindAllStringSubmatchIndex(out, -1)
	for i, l := range locs {
		id, _ := strconv.Atoi(out[l[2]:l[3]])
		end := len(out)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		res[id] = out[l[1]:end]
	}
	return res
}

// TestDifferentialRandom generates random small programs and requires
// the machine to print exactly what gforth prints for each.
func TestDifferentialRandom(t *testing.T) {
	batches, perBatch := 8, 500
	if n, err := strconv.Atoi(os.Getenv("FF_DIFF_BATCHES")); err == nil && n > 0 {
		batches = n // a longer run: FF_DIFF_BATCHES=100
	}
	total, agree := 0, 0
	for b := range batches {
		g := newProgGen(int64(1000 + b))
		progs := make([]string, perBatch)
		var text strings.Builder
		text.WriteString(diffPrologue)
		for i := range progs {
			id := b*perBatch + i
			progs[i] = g.program(id)
			fmt.Fprintf(&text, ".( @@P %d) cr ff-line %s\ndecimal cr ff-stack cr\n", id, progs[i])
		}
		want := splitRuns(runGforthText(t, text.String()))
		got := splitRuns(runMachineText(t, text.String()))
		if len(want) != perBatch {
			t.Fatalf("batch %d: gforth ran %d of %d programs", b, len(want), perBatch)
		}
		bad := 0
		for i, p := range progs {
			id := b*perBatch + i
			if got[id] != want[id] {
				bad++
				if bad <= 10 {
					t.Errorf("program %d differs:\n  %s\ngforth:  %q\nmachine: %q", id, p, want[id], got[id])
				}
			}
		}
		if bad > 0 {
			t.Errorf("batch %d: %d of %d programs differ", b, bad, perBatch)
		}
		total += perBatch
		agree += perBatch - bad
	}
	t.Logf("%d of %d random programs agree with gforth", agree, total)
}

// sameModuloAddresses compares outputs, taking a machine address (in its
// segments) and a gforth address (a large number) in the same place as
// equal.
func sameModuloAddresses(got, want string) bool {
	if got == want {
		return true
	}
	g, w := strings.Fields(got), strings.Fields(want)
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		if g[i] == w[i] {
			continue
		}
		gv, err1 := strconv.ParseInt(g[i], 10, 64)
		wv, err2 := strconv.ParseInt(w[i], 10, 64)
		if err1 != nil || err2 != nil || gv < 1<<segShift || gv >= 16<<segShift || wv < 1<<32 {
			return false
		}
	}
	return true
}

// progGen generates random programs that end and never underflow the
// stacks, so that gforth (which checks neither) behaves deterministically.
type progGen struct {
	buf    string // a 64-byte buffer, if any
	r      *rand.Rand
	b      strings.Builder
	id     int
	names  int
	words  []genWord
	vars   []string
	values []string
	f      int // float stack depth
}

type genWord struct {
	name    string
	in, out int
	smallN  bool // takes a small non-negative count on top
}

func newProgGen(seed int64) *progGen { return &progGen{r: rand.New(rand.NewSource(seed))} }

func (g *progGen) w(s string) {
	g.b.WriteByte(' ')
	g.b.WriteString(s)
}

func (g *progGen) name(kind string) string {
	g.names++
	return fmt.Sprintf("p%d%s%d", g.id, kind, g.names)
}

// program returns one program on a line.
func (g *progGen) program(id int) string {
	g.b.Reset()
	g.id, g.names, g.words, g.vars, g.values, g.f = id, 0, nil, nil, nil, 0
	g.buf = ""
	if g.r.Intn(3) == 0 {
		g.buf = g.name("b")
		g.w("create " + g.buf + " 64 allot " + g.buf + " 64 erase")
	}
	for range g.r.Intn(3) {
		switch g.r.Intn(3) {
		case 0:
			v := g.name("v")
			g.w("variable " + v)
			g.vars = append(g.vars, v)
		case 1:
			v := g.name("u")
			g.w(g.lit() + " value " + v)
			g.values = append(g.values, v)
		case 2:
			v := g.name("c")
			g.w(g.lit() + " constant " + v)
			g.words = append(g.words, genWord{name: v, out: 1})
		}
	}
	for range g.r.Intn(4) {
		g.definition()
	}
	d := g.seq(0, 1+g.r.Intn(10), false, 0, true)
	// Call every definition.
	for _, w := range g.words {
		if w.smallN {
			g.w(strconv.Itoa(g.r.Intn(7)) + " " + w.name)
			continue
		}
		for d < w.in {
			g.w(g.lit())
			d++
		}
		g.w(w.name)
		d += w.out - w.in
		if d > 8 {
			g.w(".")
			d--
		}
	}
	return strings.TrimSpace(g.b.String())
}

func (g *progGen) definition() {
	name := g.name("w")
	switch g.r.Intn(10) {
	case 8: // a defining word and a word it defines
		g.w(": " + name + " create , does> @ 1+ ;")
		obj := g.name("o")
		g.w(g.lit() + " " + name + " " + obj)
		g.words = append(g.words, genWord{name: obj, out: 1})
		return
	case 9: // a word that may THROW, and one that catches it
		// (What a caught THROW leaves in the cells it restores is
		// undefined, so the thrower takes nothing from the stack.)
		thr := name
		g.w(fmt.Sprintf(": %s %d dup 3 > if throw then drop ;", thr, g.r.Intn(11)-2))
		g.words = append(g.words, genWord{name: thr})
		c := g.name("w")
		g.w(": " + c + " ['] " + thr + " catch ;")
		g.words = append(g.words, genWord{name: c, out: 1})
		return
	case 0: // a counted recursion
		g.w(": " + name + " dup 0> if dup . 1- recurse else drop then ;")
		g.words = append(g.words, genWord{name: name, in: 1, out: 0, smallN: true})
		return
	case 1: // locals
		g.w(": " + name + " { a b }")
		d := g.seqLocals(0, 1+g.r.Intn(6))
		g.w(";")
		g.words = append(g.words, genWord{name: name, in: 2, out: d})
		return
	}
	in := g.r.Intn(3)
	g.w(": " + name)
	d := g.seq(in, 1+g.r.Intn(8), true, 0, false)
	if d >= 1 && g.r.Intn(5) == 0 {
		g.w("dup 0< if drop 0 exit then")
	}
	g.w(";")
	g.words = append(g.words, genWord{name: name, in: in, out: d})
}

// seqLocals is a body using the locals a and b.
func (g *progGen) seqLocals(d, n int) int {
	for range n {
		if g.r.Intn(2) == 0 {
			g.w([]string{"a", "b"}[g.r.Intn(2)])
			d++
			continue
		}
		if d >= 1 && g.r.Intn(4) == 0 {
			g.w("to " + []string{"a", "b"}[g.r.Intn(2)])
			d--
			continue
		}
		d = g.item(d, false, 2, false)
	}
	return d
}

// lit returns a random number literal.
func (g *progGen) lit() string {
	switch g.r.Intn(20) {
	case 0:
		return []string{"9223372036854775807", "-9223372036854775808", "-1", "4294967296", "18446744073709551615"}[g.r.Intn(5)]
	case 1:
		return strconv.FormatInt(g.r.Int63()-g.r.Int63(), 10)
	case 2:
		return []string{"$ff", "#10", "%101", "'a'", "$-10", "-$10", "'z"}[g.r.Intn(7)]
	case 3, 4, 5:
		return strconv.Itoa(g.r.Intn(2001) - 1000)
	}
	return strconv.Itoa(g.r.Intn(21) - 10)
}

func (g *progGen) smallPos() string { return strconv.Itoa(1 + g.r.Intn(9)) }

var flits = []string{"1e", "2.5e", "-0.75e", "3e10", "1.5e-7", "123.456e", "0e", "10e", "-1e3", "7e22", "1e100", "0.1e", "2e", "3.e0", "1.e-300"}

// seq emits n items from depth d and returns the depth after them.
func (g *progGen) seq(d, n int, inDef bool, nest int, floats bool) int {
	for range n {
		d = g.item(d, inDef, nest, floats)
	}
	return d
}

// balanced emits a sequence from depth d that ends at depth target.
func (g *progGen) balanced(d, target int, nest int) {
	d = g.seq(d, g.r.Intn(5), true, nest+1, false)
	for d > target {
		g.w([]string{"drop", "."}[g.r.Intn(2)])
		d--
	}
	for d < target {
		g.w(g.lit())
		d++
	}
}

var (
	unops  = []string{"negate", "abs", "1+", "1-", "2*", "2/", "invert", "0=", "0<", "0>", "0<>", "cell+", "cells", "char+"}
	binops = []string{"+", "-", "*", "and", "or", "xor", "=", "<>", "<", ">", "u<", "u>", "min", "max", "lshift", "rshift", "nip", "umin"}
	divops = []string{"/", "mod"}
)

// item emits one item from depth d and returns the new depth.
func (g *progGen) item(d int, inDef bool, nest int, floats bool) int {
	if d > 10 {
		g.w(".")
		return d - 1
	}
	for {
		switch g.r.Intn(32) {
		case 0, 1, 2, 3:
			g.w(g.lit())
			return d + 1
		case 4, 5:
			if d >= 1 {
				g.w(unops[g.r.Intn(len(unops))])
				return d
			}
		case 6, 7, 8:
			if d >= 2 {
				g.w(binops[g.r.Intn(len(binops))])
				return d - 1
			}
		case 9:
			if d >= 1 {
				g.w(g.smallPos() + " " + divops[g.r.Intn(2)])
				return d
			}
			if d >= 2 {
				g.w("/mod")
				return d
			}
		case 10:
			if d >= 1 {
				op := []string{"dup", "drop", "s>d", "depth"}[g.r.Intn(4)]
				g.w(op)
				return d + map[string]int{"dup": 1, "drop": -1, "s>d": 1, "depth": 1}[op]
			}
		case 11:
			if d >= 2 {
				op := []string{"swap", "over", "tuck", "2dup", "2drop", "m*", "um*"}[g.r.Intn(7)]
				g.w(op)
				return d + map[string]int{"swap": 0, "over": 1, "tuck": 1, "2dup": 2, "2drop": -2, "m*": 0, "um*": 0}[op]
			}
		case 12:
			if d >= 3 {
				op := []string{"rot", "-rot", "*/", "*/mod", "within", "fm/mod", "sm/rem", "um/mod"}[g.r.Intn(8)]
				g.w(op)
				return d + map[string]int{"rot": 0, "-rot": 0, "*/": -2, "*/mod": -1, "within": -2, "fm/mod": -1, "sm/rem": -1, "um/mod": -1}[op]
			}
		case 13:
			if d >= 1 {
				op := []string{"pick", "roll"}[g.r.Intn(2)]
				g.w(strconv.Itoa(g.r.Intn(d)) + " " + op)
				if op == "pick" {
					return d + 1
				}
				return d
			}
		case 14, 15:
			if d >= 1 {
				switch g.r.Intn(4) {
				case 0:
					g.w(".")
				case 1:
					g.w("u.")
				case 2:
					g.w(strconv.Itoa(g.r.Intn(12)-1) + " .r")
				case 3:
					g.w("hex . decimal")
				}
				return d - 1
			}
		case 16:
			switch g.r.Intn(6) {
			case 0:
				g.w(strconv.Itoa(33+g.r.Intn(94)) + " emit")
			case 1:
				g.w("cr")
			case 2:
				g.w(strconv.Itoa(g.r.Intn(4)) + " spaces")
			case 3:
				g.w(".s")
			case 4:
				g.w(g.lit() + " dup abs 0 <# #s rot sign #> type space")
			case 5:
				g.w("hex " + g.lit() + " 0 <# # # #s #> type decimal")
			}
			return d
		case 27:
			if d >= 4 {
				op := []string{"2swap", "2over", "2nip", "2tuck", "d+", "2rot"}[g.r.Intn(6)]
				if op == "2rot" && d < 6 {
					continue
				}
				g.w(op)
				return d + map[string]int{"2swap": 0, "2over": 2, "2nip": -2, "2tuck": 2, "d+": -2, "2rot": 0}[op]
			}
		case 28:
			switch g.r.Intn(5) {
			case 0:
				g.w(`s" hello world" 6 /string type`)
			case 1:
				g.w(`s" trailing   " -trailing type`)
			case 2:
				g.w(`s" find the needle" s" needle" search . type`)
			case 3:
				g.w(`0 0 s" 123xyz" >number type d.`)
			case 4:
				g.w(`s" 42 1+" evaluate .`)
			}
			return d
		case 29:
			if g.buf != "" && g.r.Intn(2) == 0 {
				b := g.buf
				k := g.r.Intn(8)
				switch g.r.Intn(7) {
				case 0:
					g.w(fmt.Sprintf("%s %s %d cells + !", g.lit(), b, k))
					return d
				case 1:
					g.w(fmt.Sprintf("%s %d cells + @", b, k))
					return d + 1
				case 2:
					g.w(fmt.Sprintf("%s %d + c@", b, g.r.Intn(64)))
					return d + 1
				case 3:
					g.w(fmt.Sprintf("%s %s %d + c!", g.lit(), b, g.r.Intn(64)))
					return d
				case 4:
					g.w(fmt.Sprintf("%s %d %d fill", b, g.r.Intn(64), 33+g.r.Intn(90)))
					return d
				case 5:
					g.w(fmt.Sprintf(`s" abcdefgh" %s %d + swap cmove %s 16 type`, b, g.r.Intn(8), b))
					return d
				case 6:
					g.w(fmt.Sprintf("%s %d + %s %d + %d move %s 20 type", b, g.r.Intn(10), b, g.r.Intn(10), g.r.Intn(10), b))
					return d
				}
			}
			if d >= 1 {
				g.w(strconv.Itoa(g.r.Intn(25)) + " u.r")
				return d - 1
			}
		case 17:
			switch g.r.Intn(5) {
			case 0:
				g.w(`s" abc" type`)
			case 1:
				g.w(`s" hello" nip .`)
			case 2:
				if inDef {
					g.w("[char] Q emit")
				} else {
					g.w("char Q emit")
				}
			case 3:
				g.w(`s" abc" s" abd" compare .`)
			case 4:
				g.w(`s\" a\tb\x41\n" type`)
			}
			return d
		case 18:
			if len(g.words) > 0 {
				w := g.words[g.r.Intn(len(g.words))]
				if w.smallN {
					g.w(strconv.Itoa(g.r.Intn(7)) + " " + w.name)
					return d
				}
				if d >= w.in {
					g.w(w.name)
					return d - w.in + w.out
				}
			}
		case 19:
			if len(g.vars) > 0 {
				v := g.vars[g.r.Intn(len(g.vars))]
				switch g.r.Intn(4) {
				case 0:
					g.w(g.lit() + " " + v + " !")
					return d
				case 1:
					g.w(v + " @")
					return d + 1
				case 2:
					g.w(g.lit() + " " + v + " +!")
					return d
				case 3:
					g.w(v + " ?")
					return d
				}
			}
			if len(g.values) > 0 {
				v := g.values[g.r.Intn(len(g.values))]
				if g.r.Intn(2) == 0 {
					g.w(v)
					return d + 1
				}
				g.w(g.lit() + " to " + v)
				return d
			}
		case 20:
			if d >= 2 {
				op := []string{"d+", "d-", "dnegate", "d.", "dabs", "d2*", "d2/", "d<", "d=", "d0="}[g.r.Intn(10)]
				need := map[string]int{"d+": 4, "d-": 4, "d<": 4, "d=": 4}[op]
				if d >= need {
					g.w(op)
					return d + map[string]int{"d+": -2, "d-": -2, "dnegate": 0, "d.": -2, "dabs": 0, "d2*": 0, "d2/": 0, "d<": -3, "d=": -3, "d0=": -1}[op]
				}
			}
		case 21, 22, 23:
			if inDef && nest < 2 {
				return g.control(d, nest)
			}
		case 24, 25, 30, 31:
			if floats {
				return g.floatItem(d)
			}
		case 26:
			if d >= 1 && inDef && nest < 2 {
				g.w(">r")
				g.balanced(d-1, d-1, nest)
				g.w("r>")
				return d
			}
		}
	}
}

// control emits a control structure from depth d.
func (g *progGen) control(d, nest int) int {
	switch g.r.Intn(8) {
	case 0, 1: // IF ELSE THEN
		if d < 1 {
			g.w(g.lit())
			d++
		}
		t := max(d-1+g.r.Intn(3)-1, 0)
		g.w("if")
		g.balanced(d-1, t, nest)
		g.w("else")
		g.balanced(d-1, t, nest)
		g.w("then")
		return t
	case 2: // IF THEN
		if d < 1 {
			g.w(g.lit())
			d++
		}
		g.w("if")
		g.balanced(d-1, d-1, nest)
		g.w("then")
		return d - 1
	case 3: // DO LOOP
		start := g.r.Intn(4)
		limit := start + g.r.Intn(6)
		op := "do"
		if g.r.Intn(2) == 0 {
			op = "?do"
		} else if limit == start {
			limit++
		}
		g.w(fmt.Sprintf("%d %d %s", limit, start, op))
		if g.r.Intn(3) == 0 {
			g.w("i .")
		}
		if g.r.Intn(4) == 0 {
			g.w(fmt.Sprintf("i %d = if leave then", start+1))
		}
		if nest == 0 && g.r.Intn(4) == 0 {
			g.w("2 0 do i j + . loop")
		}
		g.balanced(0, 0, nest)
		g.w("loop")
		return d
	case 4: // +LOOP, and gforth's +DO -DO -LOOP
		if g.r.Intn(3) == 0 {
			a, b := g.r.Intn(6)-2, g.r.Intn(6)-2
			if g.r.Intn(2) == 0 {
				g.w(fmt.Sprintf("%d %d +do i .", a, b))
				g.balanced(0, 0, nest)
				g.w("loop")
			} else {
				g.w(fmt.Sprintf("%d %d -do i .", a, b))
				g.balanced(0, 0, nest)
				g.w(fmt.Sprintf("%d -loop", 1+g.r.Intn(3)))
			}
			return d
		}
		step := []int{1, 2, 3, -1, -2}[g.r.Intn(5)]
		start, limit := g.r.Intn(5), 0
		if step > 0 {
			limit = start + 1 + g.r.Intn(8)
		} else {
			limit = start - 1 - g.r.Intn(8)
		}
		g.w(fmt.Sprintf("%d %d do i .", limit, start))
		g.balanced(0, 0, nest)
		g.w(fmt.Sprintf("%d +loop", step))
		return d
	case 5: // BEGIN UNTIL
		g.w(g.smallPos() + " begin")
		g.balanced(0, 0, nest)
		g.w("1- dup 0= until drop")
		return d
	case 6: // BEGIN WHILE REPEAT
		g.w(g.smallPos() + " begin dup 0> while")
		g.balanced(0, 0, nest)
		g.w("1- repeat drop")
		return d
	case 7: // CASE
		if d < 1 {
			g.w(strconv.Itoa(g.r.Intn(4)))
			d++
		}
		t := max(d-1+g.r.Intn(2), 0)
		g.w("case")
		for k := range 1 + g.r.Intn(3) {
			g.w(fmt.Sprintf("%d of", k))
			g.balanced(d-1, t, nest)
			g.w("endof")
		}
		g.balanced(d, t+1, nest)
		g.w("endcase")
		return t
	}
	return d
}

// floatItem emits a floating-point item.
func (g *progGen) floatItem(d int) int {
	for {
		switch g.r.Intn(9) {
		case 0, 1:
			g.w(flits[g.r.Intn(len(flits))])
			g.f++
			return d
		case 2:
			if g.f >= 2 {
				g.w([]string{"f+", "f-", "f*", "f/", "fmax", "fmin"}[g.r.Intn(6)])
				g.f--
				return d
			}
		case 3:
			if g.f >= 1 {
				g.w([]string{"fnegate", "fabs", "fabs fsqrt", "fround", "floor", "ftrunc", "fdup f*"}[g.r.Intn(7)])
				return d
			}
		case 4, 5:
			if g.f >= 1 {
				g.w([]string{"f.", "fe.", "fs.", "f.", "15 set-precision f.", "6 set-precision f. 15 set-precision"}[g.r.Intn(6)])
				g.f--
				return d
			}
		case 6:
			if d >= 1 {
				g.w("s>f")
				g.f++
				return d - 1
			}
		case 7:
			if g.f >= 1 {
				g.w([]string{"f>s", "f0=", "f0<"}[g.r.Intn(3)])
				g.f--
				return d + 1
			}
		case 8:
			if g.f >= 2 {
				g.w([]string{"f<", "f="}[g.r.Intn(2)])
				g.f -= 2
				return d + 1
			}
		}
	}
}

// TestWordCasesGforth runs the word-set table tests (words_test.go) in
// gforth too: what the machine does must be what gforth does, except in
// the cases marked as the machine's own (words gforth 0.7.3 lacks,
// addresses).
func TestWordCasesGforth(t *testing.T) {
	var cases []wcase
	for _, tab := range allCases() {
		for _, c := range tab {
			if c.notGforth == "" && !strings.Contains(c.src, "\n") {
				cases = append(cases, c)
			}
		}
	}
	var text strings.Builder
	text.WriteString(diffPrologue)
	for i, c := range cases {
		fmt.Fprintf(&text, ".( @@P %d) cr ff-line %s\ndecimal cr ff-stack cr\n", i, c.src)
	}
	want := splitRuns(runGforthText(t, text.String()))
	got := splitRuns(runMachineText(t, text.String()))
	bad := 0
	for i, c := range cases {
		if !sameModuloAddresses(got[i], want[i]) {
			bad++
			t.Errorf("%s\ngforth:  %q\nmachine: %q", c.src, want[i], got[i])
		}
	}
	t.Logf("%d table tests run in gforth, %d differ", len(cases), bad)
}

// TestBuiltinsAreGforthWords checks every builtin name against gforth.
func TestBuiltinsAreGforthWords(t *testing.T) {
	initBuiltins()
	var text strings.Builder
	text.WriteString(": chk ( \"name\" -- ) parse-name 2dup find-name 0= if .\" MISSING \" type cr else 2drop then ;\n")
	for name := range builtinIndex[widForth] {
		fmt.Fprintf(&text, "chk %s\n", name)
	}
	out := runGforthText(t, text.String())
	var missing []string
	for _, l := range strings.Split(out, "\n") {
		if name, ok := strings.CutPrefix(l, "MISSING "); ok && !notGforth[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Errorf("builtins that gforth 0.7.3 lacks: %v", missing)
	}
	t.Logf("%d builtins", len(builtinIndex[widForth]))
}
