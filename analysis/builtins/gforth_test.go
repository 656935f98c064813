package builtins

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/internal/gforthtest"
)

// This file checks the table against a real Forth system, gforth 0.7.3: that
// every word exists, and that the stack effect of every word that can be run
// safely in isolation matches what gforth does. Everything runs in one gforth
// process fed one generated script.
//
// For each word the script empties both stacks, pushes sentinel cells and
// floats ("pads"), then inputs built from the item names of the table's
// effect (addresses point into a zeroed scratch buffer, counts are 1, flags
// 0, xt is ' noop, ...), and runs the word under catch. It prints the depths
// before and after and whether the pads are intact and were not copied, which
// catches a wrong net change and also a word that uses more inputs than the
// table lists. Return-stack words run inside colon definitions, measured with
// rp@. Set CI=true to make a missing gforth a failure rather than a skip.

// absentWordSets lists word sets that gforth 0.7.3 lacks entirely; their words
// are not looked up. None so far.
var absentWordSets = map[string]string{
	"quotations": "quotations came after 0.7.3",
}

// absentFromGforth lists the table words that gforth 0.7.3 does not define
// (most are Forth 2012 additions made after its release). Every other table
// word must exist in gforth, so a misspelt name fails the test; a word listed
// here that gforth does define fails it too, so that the list stays exact.
var absentFromGforth = map[string]string{
	// CORE EXT
	"buffer:": "Forth 2012 addition",
	"holds":   "Forth 2012 addition",
	// DOUBLE EXT
	"2value": "Forth 2012 addition",
	// FACILITY EXT
	"emit?": "not implemented by gforth 0.7.3",
	// LOCALS EXT
	"{:": "Forth 2012 addition (gforth 0.7.3 has its own { ... } syntax)",
	// TOOLS EXT
	"editor":            "no editor word list in gforth",
	"forget":            "gforth does not implement forget (use marker)",
	"n>r":               "Forth 2012 addition",
	"nr>":               "Forth 2012 addition",
	"name>compile":      "Forth 2012 addition (gforth 0.7.3 has name>comp)",
	"name>interpret":    "Forth 2012 addition (gforth 0.7.3 has name>int)",
	"synonym":           "Forth 2012 addition",
	"traverse-wordlist": "Forth 2012 addition",
	// STRING EXT
	"replaces":   "Forth 2012 addition",
	"substitute": "Forth 2012 addition",
	"unescape":   "Forth 2012 addition",
	// FLOATING EXT
	"fvalue": "Forth 2012 addition",
	// XCHAR, XCHAR EXT
	"xc!+":       "Forth 2012 name, not in gforth 0.7.3",
	"xc,":        "Forth 2012 name, not in gforth 0.7.3",
	"xkey?":      "Forth 2012 name, not in gforth 0.7.3",
	"ekey>xchar": "Forth 2012 name, not in gforth 0.7.3",
	"xc-width":   "Forth 2012 name, not in gforth 0.7.3",
}

// skipExec lists words whose effect could be checked by running them but
// which must not run inside the test script, with the reason.
var skipExec = map[string]string{
	"lp!":            "running it alone corrupts the locals stack",
	"#>>":            "running it alone needs a conversion started by <<#",
	"code-address!":  "running it alone changes the word xt",
	"does-code!":     "running it alone changes the word xt",
	"definer!":       "running it alone changes the word xt",
	"noname":         "running it alone changes the next definition",
	"nextname":       "running it alone changes the next definition",
	"slurp-file":     "running it alone needs an existing file name",
	"slurp-fid":      "gforth 0.7.3 throws when the file is already at its end",
	"close-pipe":     "running it alone needs a pipe opened with OPEN-PIPE",
	"read-dir":       "running it alone needs a directory opened with OPEN-DIR",
	"close-dir":      "running it alone needs a directory opened with OPEN-DIR",
	"edit-line":      "running it alone reads the terminal",
	"end-c-library":  "running it alone needs a C library interface in progress",
	"c-library-name": "running it alone starts a C library interface",
	"lib-sym":        "running it alone needs a library handle from OPEN-LIB",
	"block-included": "running it alone needs a blocks file",
	"get-block-fid":  "running it alone needs a blocks file",
	"open-blocks":    "running it alone needs a blocks file",
	"updated?":       "running it alone needs a blocks file",
	"bye":            "leaves gforth",
	"quit":           "restarts the text interpreter",
	"abort":          "restarts the text interpreter",
	"key":            "reads the terminal",
	"key?":           "reads the terminal",
	"ekey":           "reads the terminal",
	"ekey?":          "reads the terminal",
	"xkey":           "reads the terminal",
	"xkey?":          "reads the terminal",
	"accept":         "reads the terminal",
	"expect":         "reads the terminal",
	"query":          "reads the terminal",
	"refill":         "would consume the next line of the test script",
	"]":              "enters compilation state",
	":noname":        "enters compilation state",
}

// inputOverride gives the Forth code that pushes the inputs of words that
// need particular values (real heap blocks, deferred words, file names). It
// must push exactly the cells (and floats) the table lists; the script
// reports the depth, so a mismatch shows up.
var inputOverride = map[string]string{
	"block":       "1",
	"buffer":      "1",
	"list":        "1",
	"free":        "1 allocate drop",
	"resize":      "1 allocate drop 2",
	"defer@":      "' t-defer",
	"defer!":      "' noop ' t-defer",
	"open-file":   "t-fn-a r/o",
	"close-file":  "t-fn-a r/o open-file drop",
	"create-file": "t-fn-new r/w",
	"delete-file": "t-fn-del",
	"rename-file": "t-fn-ren t-fn-ren2",
	"file-status": "t-fn-a",
}

// inputPrefix gives code run before the generated inputs, for words that
// need some state set up first (pictured numeric output started with <#).
var inputPrefix = map[string]string{
	"#":     "<#",
	"#s":    "<#",
	"#>":    "<#",
	"hold":  "<#",
	"holds": "<#",
	"sign":  "<#",
	"xhold": "<#",
}

// returnStackWords are checked inside a colon definition, where they may run,
// by measuring rp@ around them.
var returnStackWords = []string{">r", "r>", "r@", "2>r", "2r>", "2r@"}

const (
	dataPads  = 4 // sentinel cells below the inputs
	floatPads = 2 // sentinel floats below the float inputs
)

// itemCode returns Forth code that pushes a suitable value for a data-stack
// item, chosen from its name so that the word is safe to run.
func itemCode(it effect.Item) (string, error) {
	lf := strings.ToLower(it.Name)
	if it.Stack == effect.Float {
		return "1e", nil
	}
	if it.Stack != effect.Data {
		return "", fmt.Errorf("item %q is on the %v stack", it.Name, it.Stack)
	}
	if effect.IsDoubleName(lf) {
		return "1 0", nil
	}
	base := strings.TrimRight(lf, "0123456789'_")
	switch {
	case strings.Contains(base, "addr"):
		return "t-buf", nil
	case effect.IsFloatName(base):
		return "", fmt.Errorf("float item %q on the data stack: put it in an F: section", it.Name)
	}
	switch base {
	case "x", "w", "n", "+n", "u", "len":
		return "1", nil
	case "flag", "f", "true", "false":
		return "0", nil
	case "char", "c", "xchar", "xc":
		return "65", nil
	case "xt":
		return "' noop", nil
	case "nt":
		return "t-nt", nil
	case "wid":
		return "forth-wordlist", nil
	case "fileid":
		return "t-fid", nil
	case "fam":
		return "r/o", nil
	case "ior":
		return "0", nil
	case "struct-sys":
		// gforth's struct-sys is the address of the structure size.
		return "t-buf", nil
	}
	return "", fmt.Errorf("no input rule for item %q (add one to itemCode)", it.Name)
}

// execCase is one word to run, with the counts the table gives and what
// gforth reported.
type execCase struct {
	w         *Word
	din, dout int // data cells in and out, by the table
	fin, fout int // floats
	rin, rout int // return-stack cells
	code      string
	seen      bool // a result line came back
	errCode   string
	dBefore   int // data depth before the word ran (pads + inputs)
	dAfter    int
	padsOK    bool
	fBefore   int
	fAfter    int
	fpadsOK   bool
	rsSeen    bool
	rsDataNet int // return-stack words: data and return depth changes
	rsNet     int
}

// plan decides for every table word whether it is looked up and whether it
// is run; skipped words are counted by reason.
func plan(t *testing.T) (lookups []*Word, cases []*execCase, rs []*execCase, skipped map[string][]string) {
	skipped = map[string][]string{}
	skip := func(w *Word, reason string) { skipped[reason] = append(skipped[reason], w.Name) }
	isRS := map[string]bool{}
	for _, n := range returnStackWords {
		isRS[n] = true
	}
	for _, w := range All() {
		if r, ok := absentWordSets[w.WordSet]; ok {
			skip(w, "word set absent from gforth 0.7.3: "+r)
			continue
		}
		lookups = append(lookups, w)
		if _, ok := absentFromGforth[w.Name]; ok {
			skip(w, "absent from gforth 0.7.3")
			continue
		}
		if isRS[w.Name] {
			c, err := newCase(w)
			if err != nil {
				t.Errorf("%s (%s): %v", w.Name, w.Source, err)
				continue
			}
			rs = append(rs, c)
			continue
		}
		e := &w.Effect
		switch {
		case !w.Known:
			skip(w, "effect unknown")
		case e.Complex:
			skip(w, "complex effect")
		case e.Variable():
			skip(w, "variable effect (alternatives or i*x)")
		case w.Parse != ParseNone:
			skip(w, "parses the input")
		case w.CompileOnly:
			skip(w, "compile-only")
		case w.Immediate:
			skip(w, "immediate")
		case e.Has(effect.Return) || e.Has(effect.Control):
			skip(w, "acts on the return or control-flow stack")
		case skipExec[w.Name] != "":
			skip(w, "unsafe: "+skipExec[w.Name])
		default:
			c, err := newCase(w)
			if err != nil {
				t.Errorf("%s (%s): %v", w.Name, w.Source, err)
				continue
			}
			cases = append(cases, c)
		}
	}
	return lookups, cases, rs, skipped
}

func newCase(w *Word) (*execCase, error) {
	e := &w.Effect
	c := &execCase{w: w}
	var ok [6]bool
	c.din, ok[0] = e.Count(false, effect.Data)
	c.dout, ok[1] = e.Count(true, effect.Data)
	c.fin, ok[2] = e.Count(false, effect.Float)
	c.fout, ok[3] = e.Count(true, effect.Float)
	c.rin, ok[4] = e.Count(false, effect.Return)
	c.rout, ok[5] = e.Count(true, effect.Return)
	for _, k := range ok {
		if !k {
			return nil, fmt.Errorf("effect %q has no fixed count", w.EffectText)
		}
	}
	if code, ok := inputOverride[w.Name]; ok {
		c.code = code
		return c, nil
	}
	var parts []string
	if p := inputPrefix[w.Name]; p != "" {
		parts = append(parts, p)
	}
	// Data items first, then floats: both orders give the same stacks.
	for _, st := range []effect.Stack{effect.Data, effect.Float} {
		for _, it := range e.In[0] {
			if it.Kind != effect.Cell || it.Stack != st {
				continue
			}
			s, err := itemCode(it)
			if err != nil {
				return nil, err
			}
			parts = append(parts, s)
		}
	}
	c.code = strings.Join(parts, " ")
	return c, nil
}

// prelude defines the helpers of the generated script. dir holds the files
// the file words work on.
func prelude(dir string) string {
	fn := func(name, file string) string {
		return fmt.Sprintf(": %s s\" %s\" ;\n", name, filepath.Join(dir, file))
	}
	var b strings.Builder
	b.WriteString(`\ generated by gforth_test.go
decimal
warnings off
-7777 constant t-pad
` + strconv.Itoa(dataPads) + ` constant t-npad
variable t-d0  variable t-f0  variable t-err  2variable t-name
variable t-rp0  variable t-d1  variable t-d2  variable t-r1  variable t-r2
falign here 64 allot 64 erase  here 4096 allot constant t-buf  t-buf 4096 erase
s" noop" find-name constant t-nt
defer t-defer  ' noop is t-defer
create t-order 64 cells allot
variable t-cur
`)
	b.WriteString(fn("t-fn-a", "a.txt"))
	b.WriteString(fn("t-fn-new", "new.txt"))
	b.WriteString(fn("t-fn-del", "del.txt"))
	b.WriteString(fn("t-fn-ren", "ren.txt"))
	b.WriteString(fn("t-fn-ren2", "ren2.txt"))
	b.WriteString(`t-fn-a r/w open-file throw constant t-fid
: t-save-order ( -- )
  get-order dup t-order ! 0 ?do t-order i 1+ cells + ! loop  get-current t-cur ! ;
: t-restore-order ( -- )
  t-order @ 0 ?do t-order t-order @ i - cells + @ loop  t-order @ set-order
  t-cur @ set-current ;
t-save-order
: t-clear ( i*x -- ) ( F: j*r -- )  clearstack  begin fdepth while fdrop repeat ;
: t-pads ( -- t-pad ... ) ( F: -- r r )  t-npad 0 ?do t-pad loop  -7.5e -7.5e ;
: t-pads-ok ( i*x -- i*x flag )
  depth t-npad < if false exit then
  true t-npad 0 ?do depth 1- i - pick t-pad = and loop
  depth t-npad - 1 ?do i pick t-pad <> and loop ;
\ the two float pads are at the bottom and no float above them equals one
\ (a copy of a pad means the word read below its inputs); empties F:
: t-fpads-ok ( -- flag ) ( F: i*r -- )
  fdepth 2 < if false exit then
  true fdepth 2 - 0 ?do -7.5e f= 0= and loop
  -7.5e f= and -7.5e f= and ;
\ t-ex name: report name if gforth does not know it
: t-ex ( "name" -- )
  parse-name 2dup find-name if 2drop else cr ." @@M " type then ;
\ t-run name: run name on the stacks prepared before it, under catch
: t-run ( i*x "name" -- j*x )
  depth t-d0 !  fdepth t-f0 !
  parse-name 2dup t-name 2!  find-name
  ?dup 0= if cr ." @@M " t-name 2@ type exit then
  name>int catch t-err !  decimal t-restore-order
  cr ." @@R " t-name 2@ type space
  t-err @ ?dup if ." ERR " . exit then
  t-d0 @ . depth . t-pads-ok . t-f0 @ . fdepth . t-fpads-ok . ;
: t-rs-report ( "name" -- )
  parse-name cr ." @@S " type space
  t-d2 @ t-d1 @ - .  t-r1 @ t-r2 @ - cell / . ;
: t-dummy ; \ the most recent definition, for immediate
`)
	return b.String()
}

func TestGforth(t *testing.T) {
	gforth := gforthtest.Path(t)
	if errs := Errors(); len(errs) > 0 {
		t.Fatalf("table has %d errors, first: %v", len(errs), errs[0])
	}

	// Every absent-list entry must name a table word.
	for name := range absentFromGforth {
		if Lookup(name) == nil {
			t.Errorf("absentFromGforth lists %q, which is not in the table", name)
		}
	}
	for name := range skipExec {
		if Lookup(name) == nil {
			t.Errorf("skipExec lists %q, which is not in the table", name)
		}
	}

	lookups, cases, rs, skipped := plan(t)

	dir := t.TempDir()
	for _, f := range []string{"a.txt", "del.txt", "ren.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("hello\nworld\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	var sc strings.Builder
	sc.WriteString(prelude(dir))
	sc.WriteString("\\ existence\n")
	for _, w := range lookups {
		fmt.Fprintf(&sc, "t-ex %s\n", w.Name)
	}
	sc.WriteString("\\ effects\n")
	for _, c := range cases {
		fmt.Fprintf(&sc, "t-clear t-pads %s t-run %s\n", c.code, c.w.Name)
	}
	sc.WriteString("\\ return-stack effects, inside colon definitions\n")
	for i, c := range rs {
		// Two extra return-stack cells below the inputs keep a table that
		// lists too few inputs from popping the return address.
		body := strings.Builder{}
		body.WriteString(" 9 >r 9 >r")
		for k := 0; k < c.rin; k++ {
			body.WriteString(" 7 >r")
		}
		for k := 0; k < c.din; k++ {
			body.WriteString(" 7")
		}
		fmt.Fprintf(&sc, ": t-rs%d rp@ t-rp0 !%s depth t-d1 ! rp@ t-r1 ! %s depth t-d2 ! rp@ t-r2 ! t-rp0 @ rp! ;\n",
			i, body.String(), c.w.Name)
		fmt.Fprintf(&sc, "t-clear t-rs%d t-rs-report %s\n", i, c.w.Name)
	}
	sc.WriteString("cr .( @@END) cr\nbye\n")

	script := filepath.Join(dir, "check.fs")
	if err := os.WriteFile(script, []byte(sc.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, gforth, script, "-e", "bye")
	cmd.Dir = dir
	// Without a UTF-8 locale gforth's xchar words behave like char words.
	cmd.Env = gforthtest.Env()
	cmd.Stdin = strings.NewReader("")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	runErr := cmd.Run()
	elapsed := time.Since(start)
	output := out.String()
	// FF_GFORTH_DUMP=file keeps the script and gforth's output for a look.
	if dump := os.Getenv("FF_GFORTH_DUMP"); dump != "" {
		if err := os.WriteFile(dump, []byte(sc.String()+"\n===== output\n"+output), 0o644); err != nil {
			t.Log(err)
		}
	}
	if runErr != nil || !strings.Contains(output, "@@END") {
		t.Fatalf("gforth did not finish the script (err %v; set FF_GFORTH_DUMP=file to keep it)\nstderr:\n%s\nend of stdout:\n%s",
			runErr, errOut.String(), tail(output, 1500))
	}

	missing := map[string]bool{}
	byName := map[string]*execCase{}
	for _, c := range cases {
		byName[c.w.Name] = c
	}
	rsByName := map[string]*execCase{}
	for _, c := range rs {
		rsByName[c.w.Name] = c
	}
	for _, line := range strings.Split(output, "\n") {
		i := strings.Index(line, "@@")
		if i < 0 {
			continue
		}
		f := strings.Fields(line[i:])
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "@@M":
			missing[f[1]] = true
		case "@@R":
			c := byName[f[1]]
			if c == nil {
				t.Errorf("unexpected result line %q", line)
				continue
			}
			c.seen = true
			if len(f) >= 3 && f[2] == "ERR" {
				c.errCode = strings.Join(f[3:], " ")
				continue
			}
			n, ok := ints(f[2:], 6)
			if !ok {
				t.Errorf("bad result line %q", line)
				continue
			}
			c.dBefore, c.dAfter, c.padsOK = n[0], n[1], n[2] != 0
			c.fBefore, c.fAfter, c.fpadsOK = n[3], n[4], n[5] != 0
		case "@@S":
			c := rsByName[f[1]]
			n, ok := ints(f[2:], 2)
			if c == nil || !ok {
				t.Errorf("bad return-stack line %q", line)
				continue
			}
			c.rsSeen, c.rsDataNet, c.rsNet = true, n[0], n[1]
		}
	}

	t.Run("names", func(t *testing.T) {
		for _, w := range lookups {
			_, absent := absentFromGforth[w.Name]
			switch {
			case missing[w.Name] && !absent:
				t.Errorf("%s (%s, %s): gforth 0.7.3 does not know this word (misspelt? else add it to absentFromGforth)", w.Name, w.WordSet, w.Source)
			case !missing[w.Name] && absent:
				t.Errorf("%s: listed in absentFromGforth but gforth 0.7.3 defines it", w.Name)
			}
		}
	})

	verified := 0
	t.Run("effects", func(t *testing.T) {
		for _, c := range cases {
			w := c.w
			switch {
			case missing[w.Name]:
				continue // reported by "names"
			case !c.seen:
				t.Errorf("%s: no result from gforth", w.Name)
				continue
			case c.errCode != "":
				t.Errorf("%s %s: threw %s when run on inputs %q", w.Name, w.EffectText, c.errCode, c.code)
				continue
			}
			bad := false
			if c.dBefore != dataPads+c.din || c.fBefore != floatPads+c.fin {
				t.Errorf("%s %s (%s): inputs %q pushed %d cells and %d floats, the table says %d and %d",
					w.Name, w.EffectText, w.Source, c.code, c.dBefore-dataPads, c.fBefore-floatPads, c.din, c.fin)
				bad = true
			}
			if got, want := c.dAfter-c.dBefore, c.dout-c.din; got != want {
				t.Errorf("%s %s (%s): data stack changed by %d in gforth, the table says %d", w.Name, w.EffectText, w.Source, got, want)
				bad = true
			} else if !c.padsOK {
				t.Errorf("%s %s (%s): gforth used more than the %d input cells the table lists (the cells below them were consumed or copied)", w.Name, w.EffectText, w.Source, c.din)
				bad = true
			}
			if got, want := c.fAfter-c.fBefore, c.fout-c.fin; got != want {
				t.Errorf("%s %s (%s): float stack changed by %d in gforth, the table says %d", w.Name, w.EffectText, w.Source, got, want)
				bad = true
			} else if !c.fpadsOK {
				t.Errorf("%s %s (%s): gforth used more than the %d input floats the table lists (the floats below them were consumed or copied)", w.Name, w.EffectText, w.Source, c.fin)
				bad = true
			}
			if !bad {
				verified++
			}
		}
	})

	rsVerified := 0
	t.Run("return-stack", func(t *testing.T) {
		for _, c := range rs {
			w := c.w
			if !c.rsSeen {
				t.Errorf("%s: no result from gforth", w.Name)
				continue
			}
			ok := true
			if want := c.dout - c.din; c.rsDataNet != want {
				t.Errorf("%s %s: data stack changed by %d in gforth, the table says %d", w.Name, w.EffectText, c.rsDataNet, want)
				ok = false
			}
			if want := c.rout - c.rin; c.rsNet != want {
				t.Errorf("%s %s: return stack changed by %d in gforth, the table says %d", w.Name, w.EffectText, c.rsNet, want)
				ok = false
			}
			if ok {
				rsVerified++
			}
		}
	})

	t.Logf("gforth run took %v", elapsed.Round(time.Millisecond))
	t.Logf("%d table words looked up in gforth, %d listed as absent from gforth 0.7.3", len(lookups), len(absentFromGforth))
	t.Logf("%d of %d runnable words verified by running them; %d of %d return-stack words verified",
		verified, len(cases), rsVerified, len(rs))
	reasons := make([]string, 0, len(skipped))
	for r := range skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		names := skipped[r]
		shown := names
		if len(shown) > 12 {
			shown = shown[:12]
		}
		more := ""
		if len(names) > len(shown) {
			more = " ..."
		}
		t.Logf("not run, %s: %d (%s%s)", r, len(names), strings.Join(shown, " "), more)
	}
}

func ints(f []string, n int) ([]int, bool) {
	if len(f) < n {
		return nil, false
	}
	r := make([]int, n)
	for i := 0; i < n; i++ {
		v, err := strconv.Atoi(f[i])
		if err != nil {
			return nil, false
		}
		r[i] = v
	}
	return r, true
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
