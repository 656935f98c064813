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
)

// This file checks the pforth dialect (dialects/pforth.txt) against the
// installed pForth (Debian's pforth package, 2.0.1), in one pforth process fed
// one generated script:
//
//   - the script first lists pForth's whole dictionary (as WORDS does, with
//     each word's immediate flag); every word there that is not a standard
//     word must be an entry of the dialect, with the same immediate flag;
//   - every entry of the dialect must exist in pForth, except those of the
//     word set pforth-2.1 (added in later sources), which must not;
//   - every entry that can be run safely in isolation is run on a prepared
//     stack, as gforth_test.go does for the gforth table: sentinel cells and
//     floats ("pads"), then inputs built from the item names of the effect,
//     then the word under CATCH; the depths after it and the intact pads
//     check the effect's net change and that it uses no more inputs than it
//     lists. Return-stack words are checked inside a colon definition with
//     RP@;
//   - the standard words (the dialect's base) that pForth has are run the
//     same way, which shows that pForth's versions have the standard
//     effects (so the dialect need not list them again).
//
// It also reports, as information, which standard words pForth lacks.
// Without pforth the test is skipped, except under CI=true, where it fails.

// pfSkipExec lists dialect words whose effect could be checked by running
// them but which must not run inside the test script, with the reason.
var pfSkipExec = map[string]string{
	"bail":                "leaves pForth",
	"(quit)":              "returns to the outer interpreter",
	"(accept)":            "reads the terminal",
	"?terminal":           "reads the terminal",
	"?pause":              "reads the terminal",
	"history":             "reads the terminal (?PAUSE)",
	"history#":            "reads the terminal (?PAUSE)",
	"vlist":               "lists the whole dictionary and reads the terminal (?PAUSE)",
	"branch":              "run-time code that reads the compiled code after its call",
	"0branch":             "run-time code that reads the compiled code after its call",
	"(literal)":           "run-time code that reads the compiled code after its call",
	"(2literal)":          "run-time code that reads the compiled code after its call",
	"(aliteral)":          "run-time code that reads the compiled code after its call",
	"(fliteral)":          "run-time code that reads the compiled code after its call",
	"(create)":            "run-time code that reads the compiled code after its call",
	"(c\")":               "run-time code that reads the compiled code after its call",
	"(s\")":               "run-time code that reads the compiled code after its call",
	"(.\")":               "run-time code that reads the compiled code after its call",
	"(local@)":            "needs a local-variable frame",
	"(local!)":            "needs a local-variable frame",
	"(local+!)":           "needs a local-variable frame",
	"(1_local@)":          "needs a local-variable frame",
	"(2_local@)":          "needs a local-variable frame",
	"(3_local@)":          "needs a local-variable frame",
	"(4_local@)":          "needs a local-variable frame",
	"(5_local@)":          "needs a local-variable frame",
	"(6_local@)":          "needs a local-variable frame",
	"(7_local@)":          "needs a local-variable frame",
	"(8_local@)":          "needs a local-variable frame",
	"(1_local!)":          "needs a local-variable frame",
	"(2_local!)":          "needs a local-variable frame",
	"(3_local!)":          "needs a local-variable frame",
	"(4_local!)":          "needs a local-variable frame",
	"(5_local!)":          "needs a local-variable frame",
	"(6_local!)":          "needs a local-variable frame",
	"(7_local!)":          "needs a local-variable frame",
	"(8_local!)":          "needs a local-variable frame",
	"(:)":                 "adds a word to the dictionary",
	"(does>)":             "changes the newest definition",
	"include.mark.start":  "adds a word to the dictionary",
	"include.mark.end":    "adds a word to the dictionary",
	"forget.nfa":          "forgets the test's own words",
	"verify.forget":       "forgets the test's own words",
	"private{":            "changes which words PRIVATIZE hides",
	"}private":            "changes which words PRIVATIZE hides",
	"privatize":           "hides words",
	"loop-forward":        "needs a DO loop being compiled",
	"loop-back":           "needs a DO loop being compiled",
	"?comp":               "throws when interpreting",
	";struct":             "needs a :STRUCT being defined",
	"ob.make.member":      "needs a :STRUCT being defined",
	"union{":              "needs a :STRUCT being defined",
	"}union{":             "needs a :STRUCT being defined",
	"}union":              "needs a :STRUCT being defined",
	"smif{":               "starts compiling when interpreting",
	"}smif":               "ends an interpreted control structure",
	"set-source":          "replaces the input buffer of the test script",
	"push-source-id":      "changes the input source of the test script",
	"pop-source-id":       "changes the input source of the test script",
	"\\s":                 "skips the rest of the test script",
	"ri":                  "includes the last file again",
	"auto.init":           "reinitialises the system",
	"auto.term":           "shuts the system's extensions down",
	"fp.init":             "changes how numbers are read",
	"fp.term":             "changes how numbers are read",
	"save-forth":          "writes a dictionary file",
	"turnkey":             "writes a dictionary file",
	"(save-forth)":        "writes a dictionary file",
	"sdad":                "writes pfdicdat.h",
	"sdad.open":           "writes pfdicdat.h",
	"sdad.close":          "writes to SDAD's file",
	"sdad.flush":          "writes to SDAD's file",
	"sdad.emit":           "writes to SDAD's file",
	"sdad.type":           "writes to SDAD's file",
	"$sdad.line":          "writes to SDAD's file",
	"sdad.dump.hex":       "writes to SDAD's file",
	"sdad.dump.hex,":      "writes to SDAD's file",
	"sdad.dump.hex.byte":  "writes to SDAD's file",
	"sdad.dump.hex.byte,": "writes to SDAD's file",
	"sdad.dump.data":      "writes to SDAD's file",
	"sdad.define":         "writes to SDAD's file",
}

// pfStdSkipExec lists standard words that must not run inside the test
// script, with the reason.
var pfStdSkipExec = map[string]string{
	"]":         "enters compilation state",
	"key":       "reads the terminal",
	"key?":      "reads the terminal",
	"ekey":      "reads the terminal",
	"ekey?":     "reads the terminal",
	"accept":    "reads the terminal",
	"expect":    "reads the terminal",
	"query":     "reads the terminal",
	"refill":    "would consume the next line of the test script",
	"bye":       "leaves pForth",
	"quit":      "restarts the text interpreter",
	"abort":     "restarts the text interpreter",
	"words":     "lists the whole dictionary and reads the terminal (?PAUSE)",
	"immediate": "changes the newest definition",
	"page":      "clears the screen",
}

// pfInputOverride gives the Forth code that pushes the inputs of words that
// need particular values. It must push exactly the cells (and floats) the
// effect lists; the script reports the depth, so a mismatch shows up.
var pfInputOverride = map[string]string{
	"?condition":  "conditional_key",
	"check.defer": "' msec",
	"(is)":        "' noop ' t-defer",
	"(what's)":    "' t-defer",
	"<:struct>":   "t-buf 0 over !",
	// standard words
	"free":        "1 allocate drop",
	"resize":      "1 allocate drop 2",
	"open-file":   "t-fn-a r/o",
	"close-file":  "t-fn-a r/o open-file drop",
	"create-file": "t-fn-new r/w",
	"delete-file": "t-fn-del",
	"rename-file": "t-fn-ren t-fn-ren2",
	"file-status": "t-fn-a",
}

// pfInputPrefix gives code run before the generated inputs, for words that
// need some state set up first.
var pfInputPrefix = map[string]string{
	"#":                       "<#",
	"#s":                      "<#",
	"#>":                      "<#",
	"hold":                    "<#",
	"sign":                    "<#",
	"fp.hold":                 "fp-output-pad fp-output-ptr !",
	"fp.append":               "fp-output-pad fp-output-ptr !",
	"fp.append.zeros":         "fp-output-pad fp-output-ptr !",
	"fp.move.decimal":         "fp-output-pad fp-output-ptr !",
	"fp.strip.trailing.zeros": "fp-output-pad fp-output-ptr !",
}

// pfParseArg gives the text that follows a parsing (or immediate) word
// that can run while interpreting; such words run like the others, with
// this text after their name. The children of defining words listed here
// are run too (their names start with t- so that the dictionary check
// ignores them).
var pfParseArg = map[string]string{
	"$":          "ff",
	"ascii":      "a",
	"what's":     "msec",
	"'c":         "noop",
	"exists?":    "noop",
	"\"\"":       "abc",
	",\"":        "abc\"",
	"\"":         "abc\"",
	"p\"":        "abc\"",
	"c\"":        "abc\"",
	".\"":        "abc\"",
	".'":         "abc'",
	"warning\"":  "abc\"",
	"find.body":  "noop",
	"ob.findit":  "noop",
	"file?":      "noop",
	"words.like": "t-words",
	"->":         "t-val",
	"+->":        "t-val",
	"anew":       "t-anew1",
	":stack":     "t-stk1",
	"$array":     "t-sa1",
	"$rom":       "t-rom1",
	"textrom":    "t-tr1",
	"barray":     "t-ba1",
	"warray":     "t-wa1",
	"array":      "t-ar1",
	"fcreate":    "t-fc1",
	"<:struct>":  "t-cs1",
	// t-st is a :STRUCT with the members t-m1 (LONG) and t-mf (FLPT),
	// defined by the prelude.
	"s@":        "t-m1",
	"s!":        "t-m1",
	"..":        "t-m1",
	"fs@":       "t-mf",
	"fs!":       "t-mf",
	"ob.stats?": "t-m1",
	"sizeof()":  "t-st",
}

// pfChildEffect is the effect of the words the defining word w makes, when
// the test can check it.
func pfChildEffect(w *Word) *effect.Effect {
	if w.Child != nil {
		return w.Child
	}
	switch w.Defines {
	case "variable", "create":
		e, err := effect.Parse("( -- a-addr )")
		if err != nil {
			panic(err)
		}
		return &e
	}
	return nil
}

// pfReturnStackWords are checked inside a colon definition, where they may
// run, by measuring RP@ around them.
var pfReturnStackWords = map[string]bool{
	"rdrop": true, ">r": true, "r>": true, "r@": true, "2>r": true, "2r>": true, "2r@": true,
}

// pfNewerWordSet holds the words added after 2.0.1; the installed pForth must
// not have them (so that the set stays exact), unless it is newer.
const pfNewerWordSet = "pforth-2.1"

// pfInstalledVersion is the VERSION_CODE of the pForth the table describes.
const pfInstalledVersion = 29

// pfItemCode returns Forth code that pushes a suitable value for a
// data-stack item, chosen from its name so that the word is safe to run.
func pfItemCode(it effect.Item) (string, error) {
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
	case "x", "n", "+n", "u":
		return "1", nil
	case "flag":
		return "0", nil
	case "char":
		return "65", nil
	case "xt":
		return "' noop", nil
	case "nfa":
		return "latest", nil
	case "fileid":
		return "t-fid", nil
	case "ior":
		return "0", nil
	case "fam":
		return "r/o", nil
	case "struct-sys":
		return "t-buf", nil
	}
	return "", fmt.Errorf("no input rule for item %q (add one to pfItemCode)", it.Name)
}

type pfCase struct {
	w         *Word
	arg       string // text after the name, for parsing words
	din, dout int
	fin, fout int
	rin, rout int
	code      string
	seen      bool
	errCode   string
	dBefore   int
	dAfter    int
	padsOK    bool
	fBefore   int
	fAfter    int
	fpadsOK   bool
	rsSeen    bool
	rsDataNet int
	rsNet     int
}

func pfNewCase(w *Word) (*pfCase, error) {
	e := &w.Effect
	c := &pfCase{w: w}
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
	if code, ok := pfInputOverride[w.Name]; ok {
		c.code = code
		return c, nil
	}
	var parts []string
	if p := pfInputPrefix[w.Name]; p != "" {
		parts = append(parts, p)
	}
	for _, st := range []effect.Stack{effect.Data, effect.Float} {
		for _, it := range e.In[0] {
			if it.Kind != effect.Cell || it.Stack != st {
				continue
			}
			s, err := pfItemCode(it)
			if err != nil {
				return nil, err
			}
			parts = append(parts, s)
		}
	}
	c.code = strings.Join(parts, " ")
	return c, nil
}

// pfOwn returns the entries of the pforth dialect file itself (not those of
// its base).
func pfOwn(t *testing.T) []*Word {
	d, err := Get("pforth")
	if err != nil {
		t.Fatal(err)
	}
	var own []*Word
	for _, w := range d.All() {
		if strings.HasPrefix(w.Source, "dialects/pforth.txt:") {
			own = append(own, w)
		}
	}
	if len(own) == 0 {
		t.Fatal("the pforth dialect has no entries")
	}
	return own
}

// pforthPath returns the pforth binary, or skips the test (fails it under
// CI=true).
func pforthPath(t *testing.T) string {
	p, err := exec.LookPath("pforth")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pforth not found on PATH (required when CI=true; apt-get install pforth)")
		}
		t.Skip("pforth not found on PATH")
	}
	return p
}

func pfPrelude(dir string) string {
	var b strings.Builder
	// The dictionary listing comes first, before the helpers exist.
	b.WriteString(`\ generated by pforth_test.go
: t-words ( -- )
    latest
    BEGIN dup WHILE
        dup c@ flag_smudge and 0= IF
            cr ." @@W " dup c@ flag_immediate and IF ." I " ELSE ." - " THEN dup id.
        THEN
        prevname
    REPEAT drop ;
t-words
cr ." @@V " version_code .
decimal
-7777 constant t-pad
4 constant t-npad
variable t-d0  variable t-f0  variable t-err
variable t-rp0  variable t-d1  variable t-d2  variable t-r1  variable t-r2
create t-nbuf 64 allot
falign here 64 allot drop  here 4096 allot constant t-buf  t-buf 4096 erase
defer t-defer  ' noop is t-defer
0 value t-val
:struct t-st  long t-m1  flpt t-mf  ;struct
`)
	for _, f := range [][2]string{{"t-fn-a", "a.txt"}, {"t-fn-new", "new.txt"}, {"t-fn-del", "del.txt"},
		{"t-fn-ren", "ren.txt"}, {"t-fn-ren2", "ren2.txt"}} {
		fmt.Fprintf(&b, ": %s s\" %s\" ;\n", f[0], filepath.Join(dir, f[1]))
	}
	b.WriteString(`t-fn-a r/w open-file throw constant t-fid
: t-clear ( i*x -- ) ( F: i*r -- )  0sp f0sp  t-buf 256 erase ;
: t-pads ( -- t-pad ... ) ( F: -- r r )  t-npad 0 ?DO t-pad LOOP  -7.5e -7.5e ;
: t-pads-ok ( i*x -- i*x flag )
    depth t-npad < IF false exit THEN
    true t-npad 0 ?DO depth 1- i - pick t-pad = and LOOP
    depth t-npad - 1 ?DO i pick t-pad <> and LOOP ;
\ the two float pads are at the bottom and no float above them equals one
: t-fpads-ok ( -- flag ) ( F: i*r -- )
    fdepth 2 < IF false exit THEN
    true fdepth 2 - 0 ?DO -7.5e f- f0= 0= and LOOP
    -7.5e f- f0= and -7.5e f- f0= and ;
\ t-ex name: report name if pforth does not know it
: t-ex ( "name" -- )
    bl word find 0= IF cr ." @@M " count type space ELSE drop THEN ;
\ t-run name: run name on the stacks prepared before it, under catch
: t-run ( i*x "name" -- j*x )
    depth t-d0 !  fdepth t-f0 !
    bl word t-nbuf $move  t-nbuf find
    0= IF cr ." @@M " count type space exit THEN
    catch t-err !  decimal
    cr ." @@R " t-nbuf $type space
    t-err @ ?dup IF ." ERR " . exit THEN
    t-d0 @ . depth . t-pads-ok . t-f0 @ . fdepth . t-fpads-ok . ;
: t-rs-report ( "name" -- )
    bl word cr ." @@S " $type space
    t-d2 @ t-d1 @ - .  t-r1 @ t-r2 @ - cell / . ;
: t-dummy ;
`)
	return b.String()
}

func TestPforth(t *testing.T) {
	bin := pforthPath(t)
	if errs := DialectErrors(); len(errs) > 0 {
		t.Fatalf("dialects have %d errors, first: %v", len(errs), errs[0])
	}
	own := pfOwn(t)
	ownByName := map[string]*Word{}
	for _, w := range own {
		ownByName[w.Name] = w
	}
	for name := range pfSkipExec {
		if ownByName[name] == nil {
			t.Errorf("pfSkipExec lists %q, which is not in the pforth dialect", name)
		}
	}

	// Plan: which entries are looked up, run, or checked on the return
	// stack. The standard words (of the base dialect) that pforth has are
	// run too, to show that pforth agrees with their standard effects.
	skipped := map[string][]string{}
	skip := func(w *Word, reason string) { skipped[reason] = append(skipped[reason], w.Name) }
	var cases, rs []*pfCase
	plan := func(w *Word, std bool) {
		fail := func(err error) {
			if std {
				skip(w, "standard word without a pforth input rule")
				return
			}
			t.Errorf("%s (%s): %v", w.Name, w.Source, err)
		}
		e := &w.Effect
		switch {
		case pfReturnStackWords[w.Name]:
			c, err := pfNewCase(w)
			if err != nil {
				fail(err)
				return
			}
			rs = append(rs, c)
		case !w.Known:
			skip(w, "effect unknown")
		case e.Complex:
			skip(w, "complex effect")
		case e.Variable():
			skip(w, "variable effect (alternatives or i*x)")
		case w.Parse != ParseNone && (std || pfParseArg[w.Name] == ""):
			skip(w, "parses the input")
		case w.CompileOnly:
			skip(w, "compile-only")
		case w.Immediate && (std || pfParseArg[w.Name] == ""):
			skip(w, "immediate")
		case e.Has(effect.Return) || e.Has(effect.Control):
			skip(w, "acts on the return or control-flow stack")
		case !std && pfSkipExec[w.Name] != "":
			skip(w, "unsafe: "+pfSkipExec[w.Name])
		case std && pfStdSkipExec[w.Name] != "":
			skip(w, "unsafe: "+pfStdSkipExec[w.Name])
		default:
			c, err := pfNewCase(w)
			if err != nil {
				fail(err)
				return
			}
			if std {
				cases = append(cases, c)
				return
			}
			c.arg = pfParseArg[w.Name]
			cases = append(cases, c)
			// A defining word's child runs right after it is made.
			if ce := pfChildEffect(w); ce != nil && c.arg != "" {
				cw := &Word{Name: LowerASCII(c.arg), Effect: *ce, Known: true, EffectText: ce.String(),
					WordSet: w.WordSet, Source: w.Source + " (child " + c.arg + ")"}
				cc, err := pfNewCase(cw)
				if err != nil {
					t.Errorf("%s (%s): child: %v", w.Name, w.Source, err)
					return
				}
				cases = append(cases, cc)
			}
		}
	}
	for _, w := range own {
		if w.WordSet == pfNewerWordSet {
			skip(w, "added after 2.0.1")
			continue
		}
		plan(w, false)
	}
	for _, w := range MustGet("standard").All() {
		if ownByName[w.Name] == nil {
			plan(w, true)
		}
	}
	// The structures :STRUCT makes parse a name and create an instance.
	if w := ownByName[":struct"]; w != nil && w.Child != nil {
		cw := &Word{Name: "t-st", Effect: *w.Child, Known: true, EffectText: w.Child.String(),
			WordSet: w.WordSet, Source: w.Source + " (child t-st)"}
		if c, err := pfNewCase(cw); err != nil {
			t.Errorf(":struct child: %v", err)
		} else {
			c.arg = "t-sti1"
			cases = append(cases, c)
		}
	}
	for name := range pfParseArg {
		if ownByName[name] == nil {
			t.Errorf("pfParseArg lists %q, which is not in the pforth dialect", name)
		}
	}

	dir := t.TempDir()
	for _, f := range []string{"a.txt", "del.txt", "ren.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("hello\nworld\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var sc strings.Builder
	sc.WriteString(pfPrelude(dir))
	sc.WriteString("\\ existence\n")
	for _, w := range own {
		fmt.Fprintf(&sc, "t-ex %s\n", w.Name)
	}
	sc.WriteString("\\ effects\n")
	for _, c := range cases {
		fmt.Fprintf(&sc, "t-clear t-pads %s t-run %s %s\n", c.code, c.w.Name, c.arg)
	}
	sc.WriteString("\\ return-stack effects, inside colon definitions\n")
	for i, c := range rs {
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
	// No BYE: at the end of the file pforth reads the (empty) standard
	// input and leaves.
	sc.WriteString("cr .( @@END) cr\n")

	script := filepath.Join(dir, "check.fth")
	if err := os.WriteFile(script, []byte(sc.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-q", script)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	runErr := cmd.Run()
	elapsed := time.Since(start)
	output := out.String()
	// FF_PFORTH_DUMP=file keeps the script and pforth's output for a look.
	if dump := os.Getenv("FF_PFORTH_DUMP"); dump != "" {
		if err := os.WriteFile(dump, []byte(sc.String()+"\n===== output\n"+output), 0o644); err != nil {
			t.Log(err)
		}
	}
	if !strings.Contains(output, "@@END") {
		t.Fatalf("pforth did not finish the script (err %v; set FF_PFORTH_DUMP=file to keep it)\nstderr:\n%s\nend of stdout:\n%s",
			runErr, errOut.String(), pfTail(output, 1500))
	}

	dict := map[string]bool{} // pforth's words, lower case: immediate?
	version := -1
	missing := map[string]bool{}
	byName := map[string]*pfCase{}
	for _, c := range cases {
		byName[c.w.Name] = c
	}
	rsByName := map[string]*pfCase{}
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
		case "@@W":
			// Newest first: the first of several words of one name
			// is the one FIND finds.
			if len(f) >= 3 {
				if name := LowerASCII(f[2]); !pfHas(dict, name) {
					dict[name] = f[1] == "I"
				}
			}
		case "@@V":
			version, _ = strconv.Atoi(f[1])
		case "@@M":
			missing[LowerASCII(f[1])] = true
		case "@@R":
			c := byName[LowerASCII(f[1])]
			if c == nil {
				t.Errorf("unexpected result line %q", line)
				continue
			}
			c.seen = true
			if len(f) >= 3 && f[2] == "ERR" {
				c.errCode = strings.Join(f[3:], " ")
				continue
			}
			n, ok := pfInts(f[2:], 6)
			if !ok {
				t.Errorf("bad result line %q", line)
				continue
			}
			c.dBefore, c.dAfter, c.padsOK = n[0], n[1], n[2] != 0
			c.fBefore, c.fAfter, c.fpadsOK = n[3], n[4], n[5] != 0
		case "@@S":
			c := rsByName[LowerASCII(f[1])]
			n, ok := pfInts(f[2:], 2)
			if c == nil || !ok {
				t.Errorf("bad return-stack line %q", line)
				continue
			}
			c.rsSeen, c.rsDataNet, c.rsNet = true, n[0], n[1]
		}
	}
	if len(dict) < 500 {
		t.Fatalf("pforth listed only %d words; the dictionary listing failed", len(dict))
	}
	if version != pfInstalledVersion {
		t.Logf("pforth reports VERSION_CODE %d; the table describes %d (2.0.x)", version, pfInstalledVersion)
	}

	t.Run("names", func(t *testing.T) {
		for _, w := range own {
			newer := w.WordSet == pfNewerWordSet
			switch {
			case missing[w.Name] && !newer:
				t.Errorf("%s (%s): pforth does not know this word (misspelt?)", w.Name, w.Source)
			case !missing[w.Name] && newer && version == pfInstalledVersion:
				t.Errorf("%s (%s): listed as added after 2.0.1, but this pforth has it", w.Name, w.Source)
			}
		}
	})

	t.Run("complete", func(t *testing.T) {
		std := MustGet("standard")
		for name, imm := range dict {
			if strings.HasPrefix(name, "::::") || name == ";;;;" || strings.HasPrefix(name, "t-") {
				continue // include markers, the test's own words
			}
			w := ownByName[name]
			if w == nil {
				if std.Lookup(name) == nil {
					t.Errorf("%s: pforth defines it but the pforth dialect does not list it", name)
				}
				continue
			}
			if w.Immediate != imm {
				t.Errorf("%s (%s): immediate is %v in the table, %v in pforth", name, w.Source, w.Immediate, imm)
			}
		}
	})

	verified, stdVerified := 0, 0
	t.Run("effects", func(t *testing.T) {
		for _, c := range cases {
			w := c.w
			switch {
			case missing[w.Name]:
				continue // reported by "names"
			case !c.seen:
				t.Errorf("%s: no result from pforth", w.Name)
				continue
			case c.errCode != "":
				t.Errorf("%s %s: threw %s when run on inputs %q", w.Name, w.EffectText, c.errCode, c.code)
				continue
			}
			bad := false
			if c.dBefore != t2pads+c.din || c.fBefore != 2+c.fin {
				t.Errorf("%s %s (%s): inputs %q pushed %d cells and %d floats, the table says %d and %d",
					w.Name, w.EffectText, w.Source, c.code, c.dBefore-t2pads, c.fBefore-2, c.din, c.fin)
				bad = true
			}
			if got, want := c.dAfter-c.dBefore, c.dout-c.din; got != want {
				t.Errorf("%s %s (%s): data stack changed by %d in pforth, the table says %d", w.Name, w.EffectText, w.Source, got, want)
				bad = true
			} else if !c.padsOK {
				t.Errorf("%s %s (%s): pforth used more than the %d input cells the table lists", w.Name, w.EffectText, w.Source, c.din)
				bad = true
			}
			if got, want := c.fAfter-c.fBefore, c.fout-c.fin; got != want {
				t.Errorf("%s %s (%s): float stack changed by %d in pforth, the table says %d", w.Name, w.EffectText, w.Source, got, want)
				bad = true
			} else if !c.fpadsOK {
				t.Errorf("%s %s (%s): pforth used more than the %d input floats the table lists", w.Name, w.EffectText, w.Source, c.fin)
				bad = true
			}
			if !bad {
				verified++
				if !strings.HasPrefix(w.Source, "dialects/pforth.txt") {
					stdVerified++
				}
			}
		}
	})

	rsVerified := 0
	t.Run("return-stack", func(t *testing.T) {
		for _, c := range rs {
			w := c.w
			if !c.rsSeen {
				t.Errorf("%s: no result from pforth", w.Name)
				continue
			}
			ok := true
			if want := c.dout - c.din; c.rsDataNet != want {
				t.Errorf("%s %s: data stack changed by %d in pforth, the table says %d", w.Name, w.EffectText, c.rsDataNet, want)
				ok = false
			}
			if want := c.rout - c.rin; c.rsNet != want {
				t.Errorf("%s %s: return stack changed by %d in pforth, the table says %d", w.Name, w.EffectText, c.rsNet, want)
				ok = false
			}
			if ok {
				rsVerified++
			}
		}
	})

	// Information: standard words this pforth lacks (programs for it do not
	// use them; they stay in the dialect's standard base).
	var lacks []string
	for _, w := range MustGet("standard").All() {
		if _, ok := dict[w.Name]; !ok && ownByName[w.Name] == nil {
			lacks = append(lacks, w.Name)
		}
	}
	sort.Strings(lacks)
	t.Logf("pforth run took %v; it lists %d words (VERSION_CODE %d)", elapsed.Round(time.Millisecond), len(dict), version)
	ran, stdRan := 0, 0
	for _, c := range cases {
		if !missing[c.w.Name] {
			ran++
			if !strings.HasPrefix(c.w.Source, "dialects/pforth.txt") {
				stdRan++
			}
		}
	}
	t.Logf("%d dialect entries looked up; %d of %d words run verified (%d of %d standard words); %d of %d return-stack words",
		len(own), verified, ran, stdVerified, stdRan, rsVerified, len(rs))
	t.Logf("pforth lacks %d standard words: %s", len(lacks), strings.Join(lacks, " "))
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

// t2pads is the number of sentinel cells below the inputs (t-npad).
const t2pads = 4

func pfHas(m map[string]bool, k string) bool {
	_, ok := m[k]
	return ok
}

func pfInts(f []string, n int) ([]int, bool) {
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

func pfTail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
