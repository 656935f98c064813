package builtins

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/analysis/effect"
)

// This file checks dialects/mecrisp.txt against a real Mecrisp-Stellaris:
// the Linux build of the register-allocator core (Mecrisp-Stellaris RA
// 2.6.5, file linux-ra/mecrisp-stellaris-linux of the distribution), an
// ARM executable run under qemu-arm on other machines.
//
// FF_MECRISP names that executable; without it the test skips (the
// distribution is not part of this repository). FF_QEMU_ARM names the
// emulator, else qemu-arm-static or qemu-arm is looked up on PATH
// (Debian: apt-get install qemu-user-static). The classic core's Linux
// build (linux/mecrisp-stellaris-linux) prints nothing under qemu-arm 7.2;
// the RA build runs.
//
// The test lists the image's words with WORDS and checks that every one is
// known to the dialect, that the dialect's own core words exist (but for
// the listed ones that the Linux image lacks), and that the immediate and
// compile-only flags agree. Then it runs every word of the dialect (own or
// inherited from the standard) that the image has and that can run alone,
// on two sentinel cells and inputs made from the item names of its effect,
// and compares the change of the stack depth with the effect.

// mecrispAbsentFromLinux lists the dialect's core ("mecrisp" word set)
// words that the Linux image does not have, with the reason. A word listed
// here that the image has fails the test, so the list stays exact.
var mecrispAbsentFromLinux = map[string]string{
	"dint":      "interrupt words are not built for hosted targets",
	"eint":      "interrupt words are not built for hosted targets",
	"eint?":     "interrupt words are not built for hosted targets",
	"ipsr":      "interrupt words are not built for hosted targets",
	"unhandled": "interrupt words are not built for hosted targets",
	"init-uart": "NumWorks terminal only",
	"2lshift":   "only cores that include doubleshifts.s",
	"2rshift":   "only cores that include doubleshifts.s",
	"2arshift":  "only cores that include doubleshifts.s",
	"align8,":   "only cores for flash written 8 bytes at a time",
	"align16,":  "only cores for flash written 16 bytes at a time",
}

// mecrispSkipExec lists words that must not run inside the test script.
var mecrispSkipExec = map[string]string{
	"bye":            "leaves Mecrisp",
	"quit":           "restarts the interpreter",
	"abort":          "restarts the interpreter",
	"reset":          "restarts Mecrisp",
	"key":            "reads the terminal",
	"key?":           "reads the terminal",
	"serial-key":     "reads the terminal",
	"serial-key?":    "reads the terminal",
	"accept":         "reads the terminal",
	"query":          "reads the terminal",
	"cexpect":        "reads the terminal",
	"setsource":      "replaces the line being interpreted",
	"forgetram":      "forgets the test's helpers",
	"compiletoflash": "sends the test's definitions to flash",
	"eraseflash":     "erases the dictionary and restarts",
	"eraseflashfrom": "erases the dictionary and restarts",
	"cflash!":        "writes flash",
	"hflash!":        "writes flash",
	"flash!":         "writes flash",
	"syscall":        "makes a system call",
	"cacheflush":     "makes a system call",
	"smudge":         "changes the latest definition",
	"setflags":       "changes the flags of the latest definition",
	"]":              "enters compilation state",
	"sp!":            "moves the data stack",
	"rp!":            "moves the return stack",
	"evaluate":       "interprets a string",
	"parse":          "takes the rest of the test line",
}

// mecrispInput gives the Forth code that pushes the inputs of words that
// need particular values.
var mecrispInput = map[string]string{
	"dictionarynext": "dictionarystart",
	"inline,":        "' nop",
	"call,":          "' nop",
	"jump,":          "t-buf t-buf",
	"cjump,":         "t-buf t-buf 0",
}

// definingWords are the standard words that parse the name of a new word.
var definingWords = map[string]bool{
	"variable": true, "2variable": true, "constant": true, "2constant": true,
	"create": true, "buffer:": true, ":": true,
}

// mecrispPrefix gives code run before the inputs (a started pictured
// numeric conversion).
var mecrispPrefix = map[string]string{
	"#": "<#", "#s": "<#", "#>": "<#", "hold": "<#", "sign": "<#",
	"hold<": "<#", "f#": "<#", "f#s": "<#",
}

func mecrispCommand(t *testing.T) []string {
	t.Helper()
	bin := os.Getenv("FF_MECRISP")
	if bin == "" {
		t.Skip("FF_MECRISP does not name the Mecrisp-Stellaris Linux executable")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("FF_MECRISP: %v", err)
	}
	if runtime.GOARCH == "arm" {
		return []string{bin}
	}
	if q := os.Getenv("FF_QEMU_ARM"); q != "" {
		return []string{q, bin}
	}
	for _, q := range []string{"qemu-arm-static", "qemu-arm"} {
		if p, err := exec.LookPath(q); err == nil {
			return []string{p, bin}
		}
	}
	t.Skip("no qemu-arm to run the ARM executable")
	return nil
}

// runMecrisp feeds script to Mecrisp and returns what it printed.
func runMecrisp(t *testing.T, cmdline []string, script string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cmdline[0], cmdline[1:]...)
	cmd.Stdin = strings.NewReader(script)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("mecrisp: %v\n%s", err, tail(out.String(), 2000))
	}
	return out.String()
}

var mecrispWordLine = regexp.MustCompile(`Flags: ([0-9A-F]{8}) Code: [0-9A-F]{8} Name: (\S+)\s*$`)

// mecrispOwn reports whether w is an entry of dialects/mecrisp.txt.
func mecrispOwn(w *Word) bool { return strings.HasPrefix(w.Source, "dialects/mecrisp.txt:") }

func TestMecrisp(t *testing.T) {
	cmdline := mecrispCommand(t)
	d := MustGet("mecrisp")

	// The image's words and their flags.
	out := runMecrisp(t, cmdline, "words\nbye\n")
	flags := map[string]uint32{}
	for _, line := range strings.Split(out, "\n") {
		m := mecrispWordLine.FindStringSubmatch(strings.TrimRight(line, "\r"))
		if m == nil || strings.HasPrefix(m[2], "---") {
			continue
		}
		f, _ := strconv.ParseUint(m[1], 16, 32)
		flags[LowerASCII(m[2])] = uint32(f)
	}
	if len(flags) < 250 {
		t.Fatalf("WORDS listed only %d words:\n%s", len(flags), tail(out, 2000))
	}
	t.Logf("the image has %d words", len(flags))

	names := make([]string, 0, len(flags))
	for n := range flags {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w := d.Lookup(n)
		if w == nil {
			t.Errorf("the image has %s, which the dialect lacks", n)
			continue
		}
		f := flags[n]
		imm, co := f&0x10 != 0, f&0x30 == 0x30
		if mecrispOwn(w) {
			if w.Immediate != imm {
				t.Errorf("%s (%s): immediate is %v, the image says %v (flags %04X)", n, w.Source, w.Immediate, imm, f)
			}
			if w.CompileOnly != co {
				t.Errorf("%s (%s): compile-only is %v, the image says %v (flags %04X)", n, w.Source, w.CompileOnly, co, f)
			}
		} else if w.Immediate != imm || w.CompileOnly != co {
			t.Logf("standard %s: immediate %v compile-only %v; Mecrisp: immediate %v compile-only %v", n, w.Immediate, w.CompileOnly, imm, co)
		}
	}
	for _, w := range d.All() {
		if !mecrispOwn(w) || w.WordSet != "mecrisp" {
			continue
		}
		_, has := flags[w.Name]
		_, absent := mecrispAbsentFromLinux[w.Name]
		switch {
		case !has && !absent:
			t.Errorf("%s (%s) is not in the image", w.Name, w.Source)
		case has && absent:
			t.Errorf("%s is listed as absent from the Linux image, which has it", w.Name)
		}
	}

	// Effects.
	type mcase struct {
		w    *Word
		net  map[int]bool // the depth changes the effect allows
		line string
	}
	var cases []*mcase
	skipped := map[string]int{}
	for _, w := range d.All() {
		if _, has := flags[w.Name]; !has {
			continue
		}
		e := &w.Effect
		reason := ""
		switch {
		case !w.Known:
			reason = "effect unknown"
		case e.Complex:
			reason = "complex effect"
		case w.Immediate || w.CompileOnly:
			reason = "immediate or compile-only"
		case e.Has(effect.Return) || e.Has(effect.Control) || e.Has(effect.Float):
			reason = "acts on another stack"
		case w.Parse != ParseNone && w.Parse != ParseName:
			reason = "parses text"
		case len(e.In) != 1:
			reason = "alternative inputs"
		}
		if _, ok := mecrispSkipExec[w.Name]; ok && reason == "" {
			reason = "unsafe"
		}
		var din int
		if reason == "" {
			var ok bool
			if din, ok = e.In[0].Count(effect.Data); !ok {
				reason = "variable inputs"
			}
		}
		net := map[int]bool{}
		for _, p := range e.Out {
			n, ok := p.Count(effect.Data)
			if !ok {
				reason = "variable outputs"
				break
			}
			net[n-din] = true
		}
		if reason != "" {
			skipped[reason]++
			continue
		}
		code, ok := mecrispInput[w.Name]
		if !ok {
			var parts []string
			if p := mecrispPrefix[w.Name]; p != "" {
				parts = append(parts, p)
			}
			for _, it := range e.In[0] {
				if it.Kind != effect.Cell {
					continue
				}
				s, err := mecrispItem(it)
				if err != nil {
					t.Errorf("%s (%s): %v", w.Name, w.Source, err)
					ok = true
					break
				}
				parts = append(parts, s)
			}
			if ok {
				continue
			}
			code = strings.Join(parts, " ")
		}
		name := w.Name
		if w.Parse == ParseName {
			if w.Defines != "" || definingWords[w.Name] {
				name += fmt.Sprintf(" t-new%d", len(cases))
			} else {
				name += " nop"
			}
		}
		// Words like hex change the base: every line starts in decimal.
		cases = append(cases, &mcase{w: w, net: net,
			line: fmt.Sprintf("decimal t-clear -7777 -7777 %s t-d0! %s t-rep %s\n", code, name, w.Name)})
	}

	var sc strings.Builder
	sc.WriteString(`compiletoram
256 buffer: t-buf
0 variable t-d0
: t-clear ( i*x -- ) begin depth while drop repeat ;
: t-d0! ( -- ) depth t-d0 ! ;
: t-padsok ( i*x -- i*x flag )
  depth 2 < if false exit then
  depth 1- pick -7777 = depth 2 - pick -7777 = and ;
: t-rep ( i*x "name" -- i*x ) depth t-d0 @ - token cr ." @@R " type space . t-padsok . ;
`)
	for _, c := range cases {
		sc.WriteString(c.line)
	}
	sc.WriteString(": t-end cr .\" @@END\" cr ; t-end\nbye\n")
	out = runMecrisp(t, cmdline, sc.String())
	// FF_MECRISP_DUMP=file keeps the script and Mecrisp's output for a look.
	if dump := os.Getenv("FF_MECRISP_DUMP"); dump != "" {
		if err := os.WriteFile(dump, []byte(sc.String()+"\n===== output\n"+out), 0o644); err != nil {
			t.Log(err)
		}
	}
	if !strings.Contains(out, "@@END") {
		t.Fatalf("the script did not run to its end:\n%s", tail(out, 3000))
	}
	got := map[string][2]int{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || f[0] != "@@R" {
			continue
		}
		n, err1 := strconv.Atoi(f[2])
		p, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			continue
		}
		got[LowerASCII(f[1])] = [2]int{n, p}
	}
	for _, c := range cases {
		r, ok := got[c.w.Name]
		if !ok {
			t.Errorf("%s (%s): no result (it failed when run as %q)", c.w.Name, c.w.Source, strings.TrimSpace(c.line))
			continue
		}
		if !c.net[r[0]] {
			t.Errorf("%s (%s): %s changes the depth by %d", c.w.Name, c.w.Source, c.w.EffectText, r[0])
		}
		if r[1] != -1 {
			t.Errorf("%s (%s): %s takes more inputs than it lists (the sentinels below them changed)", c.w.Name, c.w.Source, c.w.EffectText)
		}
	}
	t.Logf("ran %d words; skipped %v", len(cases), skipped)
}

// mecrispItem returns Forth code that pushes a value for an input item.
func mecrispItem(it effect.Item) (string, error) {
	lf := strings.ToLower(it.Name)
	if it.Stack != effect.Data {
		return "", fmt.Errorf("item %q is not on the data stack", it.Name)
	}
	if it.Cells == 2 {
		return "1 0", nil
	}
	base := strings.TrimRight(lf, "0123456789'_")
	switch {
	case strings.Contains(base, "addr"):
		return "t-buf", nil
	case base == "xt":
		return "' nop", nil
	case base == "char" || base == "c":
		return "65", nil
	case base == "flag":
		return "0", nil
	}
	switch base {
	case "x", "n", "+n", "u", "len", "i", "x-low", "x-high":
		return "1", nil
	}
	return "", fmt.Errorf("no input rule for item %q (add one to mecrispItem)", it.Name)
}
