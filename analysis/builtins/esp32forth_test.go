package builtins

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/analysis/effect"
)

// This file checks the esp32forth dialect against the running system: the
// ESP32 simulator that ueforth builds from the same sources as the ESP32
// image (esp32/sim_main.cpp; github.com/flagxor/ueforth, "ninja
// esp32-sim" or by hand: tools/importation.py on esp32/esp32_boot.fs, then
// g++ on esp32/print-builtins.cpp and esp32/sim_main.cpp). Set
// FF_ESP32FORTH to the simulator binary to run it; without it the test
// skips.
//
// Every word the dialect file lists must exist in the image, in the
// vocabulary its word set names. Every word of the dialect (the file's
// own words and the standard words they inherit) that the image has and
// that can run safely in isolation is run on sentinel cells and floats
// ("pads") and inputs built from the item names of its effect; the script
// prints the depths before and after and whether the pads are intact,
// which catches a wrong net change and a word that uses more inputs than
// the effect lists. The simulator stops at the first ESP32 binding it does
// not simulate, so those are not run.

// espSimulated lists the bindings the simulator implements; the other
// words of the binding vocabularies are only looked up.
var espSimulated = map[string]bool{
	"malloc": true, "sysfree": true, "heap_caps_malloc": true, "ms-ticks": true, "raw-yield": true,
	"pinmode": true, "digitalwrite": true, "pin": true, "r/o": true, "open-file": true, "file-size": true,
	"read-file": true, "close-file": true, "getchipmodel": true, "getcpufreqmhz": true, "getchipcores": true,
	"getflashchipsize": true, "getfreeheap": true, "getheapsize": true, "getmaxallocheap": true,
	"xtensa?": true, "risc-v?": true, "serial-type": true, "default-type": true, "esp32-stats": true,
	"file-exists?": true, "allocate": true, "free": true,
}

// espBindingSets are the word sets of words that call ESP32 or C library
// bindings (run only when espSimulated lists them).
var espBindingSets = map[string]bool{
	"esp32forth-ESP": true, "esp32forth-Wire": true, "esp32forth-WiFi": true, "esp32forth-SD": true,
	"esp32forth-SD_MMC": true, "esp32forth-SPIFFS": true, "esp32forth-ledc": true, "esp32forth-Serial": true,
	"esp32forth-rtos": true, "esp32forth-telnetd": true, "esp32forth-web-interface": true, "file": true,
	"file-ext": true, "block": true, "block-ext": true,
}

// espRunAnyway are words of espBindingSets that are pure Forth.
var espRunAnyway = map[string]bool{
	"sock_stream": true, "sock_dgram": true, "sock_raw": true, "af_inet": true, "sizeof(sockaddr_in)": true,
	"sol_socket": true, "so_reuseaddr": true, "bs,": true, "s,": true, "l,": true, "->port@": true,
	"->port!": true, "->addr@": true, "->addr!": true, "ip#": true, "ip.": true,
	"wifi_mode_null": true, "wifi_mode_sta": true, "wifi_mode_ap": true, "wifi_mode_apsta": true,
	"telnet-port": true, "webserver": true, "out-size": true, "out-string": true, "input-stream": true,
	"output-stream": true, "index-html": true, "index-html#": true, "webserver-task": true,
}

// espSkip lists words that must not run in the script, with the reason.
var espSkip = map[string]string{
	"terminate": "leaves the system", "bye": "leaves the system", "quit": "restarts the interpreter",
	"abort": "restarts the interpreter", "raw-terminate": "leaves the system",
	"sp!": "moves the data stack", "rp!": "moves the return stack", "fp!": "moves the float stack",
	"key": "reads the input", "key?": "reads the input", "accept": "reads the input", "refill": "reads the input",
	"*key": "reads the input", "eat-till-cr": "reads the input", "default-key": "reads the input",
	"default-key?": "reads the input", "serial-key": "reads the input", "serial-key?": "reads the input",
	"evaluate": "interprets text", "evaluate-buffer": "interprets text", "tib-setup": "replaces the input buffer",
	"execute": "runs its input", "catch": "runs its input", "immediate": "changes the latest word",
	"does>": "changes the latest word and returns from its caller", ":noname": "enters compilation state",
	"sealed": "changes the latest vocabulary", "xt-transfer": "moves a word", "xt-hide": "hides a word",
	"xt-find&": "loops when the word is not in the first vocabulary", "relinquish": "shrinks the heap",
	"local!": "writes the return stack", "local+!": "writes the return stack",
	"leaving(": "compile-time state", ")leaving": "compile-time state", "leaving,": "compile-time state",
	"do-local": "compile-time state", "scope-create": "compile-time state", "scope-clear": "compile-time state",
	"scope-exit": "compile-time state", "(to)": "compile-time state", "(+to)": "compile-time state",
	"<>locals": "swaps the data-space pointer", "?room": "compile-time state", "value-bind": "runs its input",
	"include+": "writes below its input", "sourcefilename!": "changes the file being included",
	"see-one": "needs compiled code", "see-loop": "needs compiled code", "see-vocabulary": "needs a vocabulary",
	"size-vocabulary": "needs a vocabulary", "voc.": "needs a vocabulary", "vocs.": "needs a vocabulary",
	"voclist-from": "needs a vocabulary", "see-all": "long output", "size-all": "long output",
	"->h_addr": "needs a hostent", "struct-align": "needs a structure being defined",
	"+recognizer": "changes the interpreter", "-recognizer": "changes the interpreter",
	"@line": "opens the block file", "e'": "opens the block file", "yield": "returns to the C runner",
	"yield-step": "returns to the C runner", "autoexec": "reads the input", "end-code": "drops from the search order",
	"setup-saving-base": "moves the save point", "resize": "the simulator lacks realloc",
	"realloc": "the simulator lacks realloc", "words": "long output", "vlist": "long output",
	"notfound": "throws unless its last input is zero", "do-notfound": "always throws", "parse": "reads the rest of the script", "]": "enters compilation state",
}

func init() {
	for _, n := range strings.Fields(`bin non-block open-dir close-dir read-dir readdir dump-file esp32? esp32-s2?
		esp32-s3? esp32-c3? psram? digitalread analogread adc pulsein dacwrite mdns.begin mdns.addservice
		mdns.setinstancename mdns.addservicetxt heap_caps_free heap_caps_realloc heap_caps_get_total_size
		heap_caps_get_free_size heap_caps_get_minimum_free_size heap_caps_get_largest_free_block
		call0 call1 call2 call3 call4 call5 call6 call7 call8 call9 call10 call11 call12 call13 call14 call15
		included? copy file-position reposition-file resize-file include-file raw-included login webui remember revive reset save-name restore-name open-blocks default-use common-default-use arduino-default-use use?! grow-blocks`) {
		if espSkip[n] == "" {
			espSkip[n] = "calls a binding the simulator lacks, or an address from its input"
		}
	}
}

// espAbsentFromSim lists dialect words the simulator's image lacks: it is
// built with the options of Arduino core 2.x, which has the older ledc
// words.
var espAbsentFromSim = map[string]string{
	"ledcattach": "Arduino core 3.x", "ledcattachchannel": "Arduino core 3.x",
	"ledcdetach": "Arduino core 3.x", "ledcchangefrequency": "Arduino core 3.x",
}

// espInputOverride gives the code that pushes the inputs of words that
// need particular values.
var espInputOverride = map[string]string{
	"free":         "1 allocate drop",
	"sysfree":      "1 malloc",
	"assert":       "-1",
	"throw":        "0",
	"open-file":    "t-fn r/o",
	"file-exists?": "t-fn",
	"close-file":   "t-fn r/o open-file drop",
	"notfound":     "t-buf 1 0",
}

// espInputPrefix gives code run before the generated inputs.
var espInputPrefix = map[string]string{
	"#": "<#", "#s": "<#", "#>": "<#", "hold": "<#", "sign": "<#", "#fs": "<#", "#f+s": "<#",
	"previous": "also",
}

const espDataPads, espFloatPads = 4, 2

// espItemCode returns code pushing a safe value for a data-stack item.
func espItemCode(it effect.Item) (string, error) {
	lf := strings.ToLower(it.Name)
	if it.Stack == effect.Float {
		return "1e", nil
	}
	if it.Stack != effect.Data {
		return "", fmt.Errorf("item %q is on the %v stack", it.Name, it.Stack)
	}
	base := strings.TrimRight(lf, "0123456789'_")
	if strings.Contains(base, "addr") {
		return "t-buf", nil
	}
	switch base {
	case "x", "w", "n", "+n", "u", "len":
		return "1", nil
	case "flag", "f", "true", "false", "ior":
		return "0", nil
	case "char", "c":
		return "65", nil
	case "xt":
		return "' t-nop", nil
	case "fileid":
		return "t-fid", nil
	case "fam":
		return "r/o", nil
	case "stream":
		return "t-stream", nil
	case "base":
		return "10", nil
	case "pin":
		return "2", nil
	case "mode":
		return "1", nil
	}
	return "", fmt.Errorf("no input rule for item %q", it.Name)
}

type espCase struct {
	w         *Word
	din, dout int
	fin, fout int
	code      string
	vocab     string
	seen      bool
	errCode   string
	dBefore   int
	dAfter    int
	padsOK    bool
	fBefore   int
	fAfter    int
	fpadsOK   bool
}

// espVocab names the vocabulary holding a word of word set ws.
func espVocab(ws string) string {
	if v, ok := strings.CutPrefix(ws, "esp32forth-"); ok {
		return v
	}
	return "forth"
}

func espOwn(w *Word) bool { return strings.HasPrefix(w.Source, "dialects/esp32forth.txt") }

func newEspCase(w *Word) (*espCase, string) {
	e := &w.Effect
	switch {
	case !w.Known:
		return nil, "effect unknown"
	case e.Complex:
		return nil, "complex effect"
	case e.Variable():
		return nil, "variable effect"
	case w.Parse != ParseNone || w.SkipTo != "" || w.Defines != "":
		return nil, "parses the input"
	case w.CompileOnly || w.Immediate:
		return nil, "immediate or compile-only"
	case e.Has(effect.Return) || e.Has(effect.Control):
		return nil, "acts on the return or control-flow stack"
	case espSkip[w.Name] != "":
		return nil, "unsafe: " + espSkip[w.Name]
	case (espBindingSets[w.WordSet] || strings.HasPrefix(w.WordSet, "esp32forth-sockets") ||
		strings.HasPrefix(w.WordSet, "esp32forth-httpd")) && !espSimulated[w.Name] && !espRunAnyway[w.Name]:
		return nil, "calls a binding the simulator lacks"
	}
	c := &espCase{w: w, vocab: espVocab(w.WordSet)}
	var ok [4]bool
	c.din, ok[0] = e.Count(false, effect.Data)
	c.dout, ok[1] = e.Count(true, effect.Data)
	c.fin, ok[2] = e.Count(false, effect.Float)
	c.fout, ok[3] = e.Count(true, effect.Float)
	for _, k := range ok {
		if !k {
			return nil, "no fixed count"
		}
	}
	if code, ok := espInputOverride[w.Name]; ok {
		c.code = code
		return c, ""
	}
	var parts []string
	if p := espInputPrefix[w.Name]; p != "" {
		parts = append(parts, p)
	}
	for _, st := range []effect.Stack{effect.Data, effect.Float} {
		for _, it := range e.In[0] {
			if it.Kind != effect.Cell || it.Stack != st {
				continue
			}
			s, err := espItemCode(it)
			if err != nil {
				return nil, "no input rule: " + err.Error()
			}
			parts = append(parts, s)
		}
	}
	c.code = strings.Join(parts, " ")
	return c, ""
}

func espPrelude(dir string) string {
	return `only forth definitions decimal
-7777 constant t-pad
create t-buf 4096 allot  t-buf 4096 erase
: t-nop ;
variable t-d0  variable t-f0  variable t-err  variable t-xt  variable t-idx  variable t-n
: t-fn s" ` + filepath.Join(dir, "a.txt") + `" ;
t-fn r/o open-file throw constant t-fid
also streams 10 stream t-stream  65 t-stream ch>stream  66 t-stream ch>stream  67 t-stream ch>stream previous
: t-clear ( i*x -- ) begin depth while drop repeat begin fdepth while fdrop repeat ;
: t-pads ( -- pads ) t-pad t-pad t-pad t-pad -7.5e -7.5e ;
: t-pads-ok ( -- f ) depth t-n !  t-n @ 4 < if 0 exit then
  -1  5 1 do sp0 i cells + @ t-pad = and loop
  t-n @ 1+ 5 ?do sp0 i cells + @ t-pad <> and loop ;
: t-fpads-ok ( -- f ) fdepth 2 < if 0 exit then
  fp0 sfloat+ sf@ -7.5e f=  fp0 2 sfloats + sf@ -7.5e f= and
  fdepth 1+ 3 ?do fp0 i sfloats + sf@ -7.5e f= 0= and loop ;
: t-run ( i*x xt idx -- j*x ) t-idx ! t-xt !  depth t-d0 !  fdepth t-f0 !
  t-xt @ catch t-err !  decimal only forth definitions
  cr ." @@R " t-idx @ .
  t-err @ if ." ERR " t-err @ . exit then
  t-d0 @ . depth . t-pads-ok . t-f0 @ . fdepth . t-fpads-ok . ;
`
}

func TestESP32forth(t *testing.T) {
	sim := os.Getenv("FF_ESP32FORTH")
	if sim == "" {
		t.Skip("FF_ESP32FORTH (the ueforth esp32-sim binary) not set")
	}
	d, err := Get("esp32forth")
	if err != nil {
		t.Fatal(err)
	}
	for name := range espSkip {
		if d.Lookup(name) == nil {
			t.Errorf("espSkip lists %q, which is not in the dialect", name)
		}
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello\nworld\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var sc strings.Builder
	// Load the lazily loaded vocabularies first.
	sc.WriteString("httpd telnetd web-interface asm visual only forth definitions\n")
	sc.WriteString(espPrelude(dir))
	words := d.All()
	for i, w := range words {
		fmt.Fprintf(&sc, "only forth also %s DEFINED? %s 0= [IF] cr .\" @@M %d\" [THEN] only forth\n", espVocab(w.WordSet), w.Name, i)
	}
	var cases []*espCase
	skipped := map[string]int{}
	for _, w := range words {
		c, why := newEspCase(w)
		if c == nil {
			skipped[why]++
			continue
		}
		cases = append(cases, c)
	}
	// The runs come after all lookups; a missing word is not run.
	sc.WriteString("only forth definitions\n")
	for i, c := range cases {
		fmt.Fprintf(&sc, "only forth also %s DEFINED? %s [IF] t-clear t-pads %s ' %s %d t-run [THEN]\n", c.vocab, c.w.Name, c.code, c.w.Name, i)
	}
	sc.WriteString("cr .\" @@END\" cr bye\n")
	script := filepath.Join(dir, "check.fs")
	if err := os.WriteFile(script, []byte(sc.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sim)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("include " + script + "\nbye\n")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	runErr := cmd.Run()
	output := out.String()
	if dump := os.Getenv("FF_ESP32FORTH_DUMP"); dump != "" {
		_ = os.WriteFile(dump, []byte(sc.String()+"\n===== output\n"+output+"\n===== stderr\n"+errOut.String()), 0o644)
	}
	if !strings.Contains(output, "@@END") {
		t.Fatalf("the simulator did not finish the script (err %v; set FF_ESP32FORTH_DUMP=file to keep it)\nstderr:\n%s\nend of stdout:\n%s",
			runErr, errOut.String(), tail(output, 1500))
	}

	missing := map[int]bool{}
	for _, line := range strings.Split(output, "\n") {
		i := strings.Index(line, "@@")
		if i < 0 {
			continue
		}
		f := strings.Fields(line[i:])
		if len(f) < 2 {
			continue
		}
		n, ok := ints(f[1:2], 1)
		if !ok {
			continue
		}
		switch f[0] {
		case "@@M":
			missing[n[0]] = true
		case "@@R":
			if n[0] < 0 || n[0] >= len(cases) {
				t.Errorf("unexpected result line %q", line)
				continue
			}
			c := cases[n[0]]
			c.seen = true
			if len(f) >= 3 && f[2] == "ERR" {
				c.errCode = strings.Join(f[3:], " ")
				continue
			}
			v, ok := ints(f[2:], 6)
			if !ok {
				t.Errorf("bad result line %q", line)
				continue
			}
			c.dBefore, c.dAfter, c.padsOK = v[0], v[1], v[2] != 0
			c.fBefore, c.fAfter, c.fpadsOK = v[3], v[4], v[5] != 0
		}
	}

	var absentBase []string
	inImage := map[string]bool{}
	for i, w := range words {
		if !missing[i] {
			inImage[w.Name] = true
			continue
		}
		if _, ok := espAbsentFromSim[w.Name]; ok {
			continue
		}
		if espOwn(w) {
			t.Errorf("%s (%s, %s): not found in vocabulary %s of the image", w.Name, w.WordSet, w.Source, espVocab(w.WordSet))
		} else {
			absentBase = append(absentBase, w.Name)
		}
	}

	verified := 0
	for _, c := range cases {
		w := c.w
		switch {
		case !inImage[w.Name]:
			continue
		case !c.seen:
			t.Errorf("%s: no result from the simulator", w.Name)
			continue
		case c.errCode != "":
			t.Errorf("%s %s: threw %s when run on inputs %q", w.Name, w.EffectText, c.errCode, c.code)
			continue
		}
		bad := false
		if c.dBefore != espDataPads+c.din || c.fBefore != espFloatPads+c.fin {
			t.Errorf("%s %s (%s): inputs %q pushed %d cells and %d floats, the effect says %d and %d",
				w.Name, w.EffectText, w.Source, c.code, c.dBefore-espDataPads, c.fBefore-espFloatPads, c.din, c.fin)
			bad = true
		}
		if got, want := c.dAfter-c.dBefore, c.dout-c.din; got != want {
			t.Errorf("%s %s (%s): data stack changed by %d, the effect says %d", w.Name, w.EffectText, w.Source, got, want)
			bad = true
		} else if !c.padsOK {
			t.Errorf("%s %s (%s): used more than the %d input cells the effect lists", w.Name, w.EffectText, w.Source, c.din)
			bad = true
		}
		if got, want := c.fAfter-c.fBefore, c.fout-c.fin; got != want {
			t.Errorf("%s %s (%s): float stack changed by %d, the effect says %d", w.Name, w.EffectText, w.Source, got, want)
			bad = true
		} else if !c.fpadsOK {
			t.Errorf("%s %s (%s): used more than the %d input floats the effect lists", w.Name, w.EffectText, w.Source, c.fin)
			bad = true
		}
		if !bad {
			verified++
		}
	}
	sort.Strings(absentBase)
	t.Logf("%d dialect words looked up; %d inherited standard words are not in ESP32forth: %s",
		len(words), len(absentBase), strings.Join(absentBase, " "))
	t.Logf("%d of %d runnable words verified by running them", verified, len(cases))
	reasons := make([]string, 0, len(skipped))
	for r := range skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		t.Logf("not run (%s): %d", r, skipped[r])
	}
}

// TestESP32forthPrimitives checks the effects of the words written in C
// (the X-macro lists of ueforth: common/tier0_opcodes.h, tier1_opcodes.h,
// tier2_opcodes.h, floats.h, calls.h and esp32/builtins.h) against their
// code, read statically: how many cells and floats each entry uses and
// pushes. It covers the ESP32 bindings the simulator cannot run. Set
// FF_UEFORTH_SRC to a ueforth source tree to run it; without it the test
// skips.
func TestESP32forthPrimitives(t *testing.T) {
	src := os.Getenv("FF_UEFORTH_SRC")
	if src == "" {
		t.Skip("FF_UEFORTH_SRC (a ueforth source tree) not set")
	}
	d, err := Get("esp32forth")
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"common/tier0_opcodes.h", "common/tier1_opcodes.h", "common/tier2_opcodes.h",
		"common/floats.h", "common/calls.h", "esp32/builtins.h"}
	checked, unanalysed, notListed := 0, 0, 0
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range espPrimEntries(string(b)) {
			w := d.Lookup(p.name)
			if w == nil {
				notListed++
				continue
			}
			e := &w.Effect
			if !w.Known || e.Complex || e.Variable() || e.Has(effect.Return) || e.Has(effect.Control) {
				continue
			}
			din, dout, fin, fout, ok := espPrimEffect(p.code)
			if !ok {
				unanalysed++
				continue
			}
			wdin, _ := e.Count(false, effect.Data)
			wdout, _ := e.Count(true, effect.Data)
			wfin, _ := e.Count(false, effect.Float)
			wfout, _ := e.Count(true, effect.Float)
			checked++
			if os.Getenv("FF_UEFORTH_SRC_LOG") != "" {
				t.Logf("%-24s ( %d -- %d ) ( F: %d -- %d )  %s", p.name, din, dout, fin, fout, w.EffectText)
			}
			// The effect may list items the code passes through untouched
			// (bin ( fam -- fam ) does nothing), so it must use at least
			// the inputs the code reads and change the depth as it does.
			if wdout-wdin != dout-din || wdin < din || wfout-wfin != fout-fin || wfin < fin {
				t.Errorf("%s %s (%s): the C code in %s takes %d cells and %d floats and leaves %d and %d",
					w.Name, w.EffectText, w.Source, f, din, fin, dout, fout)
			}
		}
	}
	t.Logf("%d C primitives checked against their code; %d not analysable statically; %d not listed in the dialect", checked, unanalysed, notListed)
}

type espPrim struct{ name, code string }

// espPrimEntries finds the X("name", OP, code), Y(OP, code),
// XV(voc, "name", OP, code) and YV(voc, OP, code) entries of a header.
func espPrimEntries(text string) []espPrim {
	text = strings.ReplaceAll(text, "\\\n", " ")
	var out []espPrim
	for i := 0; i < len(text); i++ {
		if i > 0 && (isIdent(text[i-1])) {
			continue
		}
		var kind string
		for _, k := range []string{"XV(", "YV(", "X(", "Y("} {
			if strings.HasPrefix(text[i:], k) {
				kind = k[:len(k)-1]
				break
			}
		}
		if kind == "" {
			continue
		}
		args, end := espSplitArgs(text, i+len(kind)+1)
		if end < 0 {
			continue
		}
		var name string
		var rest []string
		switch kind {
		case "X":
			if len(args) < 3 {
				continue
			}
			name, rest = args[0], args[2:]
		case "Y":
			if len(args) < 2 {
				continue
			}
			name, rest = args[0], args[1:]
		case "XV":
			if len(args) < 4 {
				continue
			}
			name, rest = args[1], args[3:]
		case "YV":
			if len(args) < 3 {
				continue
			}
			name, rest = args[1], args[2:]
		}
		name = strings.TrimSpace(name)
		if strings.HasPrefix(name, "\"") {
			name = strings.Trim(name, "\"")
		} else if kind == "X" || kind == "XV" {
			continue // the macro definitions themselves
		}
		if name == "op" || name == "name" {
			continue
		}
		out = append(out, espPrim{name, strings.Join(rest, ",")})
		i = end
	}
	return out
}

func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// espSplitArgs splits the arguments of a macro call that starts at i
// (just after the opening parenthesis) at its top-level commas, skipping C
// string and character literals; end is the offset of the closing
// parenthesis, or -1.
func espSplitArgs(text string, i int) (args []string, end int) {
	depth, start := 0, i
	for ; i < len(text); i++ {
		switch c := text[i]; c {
		case '"', '\'':
			for i++; i < len(text) && text[i] != c; i++ {
				if text[i] == '\\' {
					i++
				}
			}
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return append(args, text[start:i]), i
			}
			depth--
		case ',':
			if depth == 0 {
				args = append(args, text[start:i])
				start = i + 1
			}
		}
	}
	return nil, -1
}

var espPrimToken = regexp.MustCompile(`\bPUSH\b|\bDUP\b|\bDROPn\((\d+)\)|\bNIPn\((\d+)\)|\bDROP\b|\bNIP\b|\bSET\b|` +
	`\b[nabc](\d+)\b|\btos\b|\*fp--|\*fp\b|fp\[-(\d+)\]|fp\[0\]|--fp|\+\+fp|fp--|fp -= (\d+)|` +
	`\*sp--|\*sp\b|sp\[-(\d+)\]|--sp|\+\+sp|sp--|sp -= (\d+)|sp \+= (\d+)|` +
	`\b(SSMOD_FUNC|SLASHMOD_FUNC|SLASH_FUNC|MOD_FUNC|CELLSLASH_FUNC|DOES|COMMA|CCOMMA|DOIMMEDIATE|UNSMUDGE|JMPW|PARK|UNPARK|THROWIT)\b|` +
	`\b(sp|fp|rp|ip)\s*=[^=]`)

var espPushRHS = regexp.MustCompile(`^\s*;\s*tos\s*=([^;]*)`)

// espPrimEffect reads the stack use of an entry's C code: the cells and
// floats it needs and those it leaves. ok is false for code it cannot
// follow (helper macros, stack pointer assignments).
func espPrimEffect(code string) (din, dout, fin, fout int, ok bool) {
	s, fs := 0, 0         // data and float depth change so far
	need := func(k int) { // the top k cells (after the changes so far) must exist
		if k-s > din {
			din = k - s
		}
	}
	fneed := func(k int) {
		if k-fs > fin {
			fin = k - fs
		}
	}
	atoi := func(x string) int {
		n := 0
		for _, c := range x {
			n = n*10 + int(c-'0')
		}
		return n
	}
	for _, m := range espPrimToken.FindAllStringSubmatchIndex(code, -1) {
		tok := code[m[0]:m[1]]
		sub := func(g int) string {
			if m[2*g] < 0 {
				return ""
			}
			return code[m[2*g]:m[2*g+1]]
		}
		switch {
		case sub(9) != "" || sub(10) != "":
			return 0, 0, 0, 0, false
		case tok == "PUSH":
			s++
		case tok == "DUP":
			// "DUP; tos = v" pushes v; a bare DUP copies the top cell.
			if r := espPushRHS.FindStringSubmatch(code[m[1]:]); r == nil || regexp.MustCompile(`\btos\b|\b[nabc]0\b`).MatchString(r[1]) {
				need(1)
			}
			s++
		case sub(1) != "":
			k := atoi(sub(1))
			need(k)
			s -= k
		case sub(2) != "":
			k := atoi(sub(2))
			need(k + 1)
			s -= k
		case tok == "DROP":
			need(1)
			s--
		case tok == "NIP":
			need(2)
			s--
		case tok == "SET" || tok == "tos":
			need(1)
		case sub(3) != "":
			need(atoi(sub(3)) + 1)
		case tok == "*fp--":
			fneed(1)
			fs--
		case tok == "*fp" || tok == "fp[0]":
			fneed(1)
		case sub(4) != "":
			fneed(atoi(sub(4)) + 1)
		case tok == "--fp" || tok == "fp--":
			fneed(1)
			fs--
		case tok == "++fp":
			fs++
		case sub(5) != "":
			k := atoi(sub(5))
			fneed(k)
			fs -= k
		case tok == "*sp--":
			need(2)
			s--
		case tok == "*sp":
			need(2)
		case sub(6) != "":
			need(atoi(sub(6)) + 2)
		case tok == "--sp" || tok == "sp--":
			need(2)
			s--
		case tok == "++sp":
			s++
		case sub(7) != "":
			k := atoi(sub(7))
			need(k + 1)
			s -= k
		case strings.HasPrefix(tok, "sp +="):
			s += atoi(strings.TrimSpace(tok[len("sp +="):]))
		}
	}
	return din, din + s, fin, fin + fs, true
}
