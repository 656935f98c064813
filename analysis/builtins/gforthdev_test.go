package builtins

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGforthDev checks dialects/gforth.txt against a gforth built from the
// development sources (github.com/forthy42/gforth), named by the
// environment variable GFORTH_DEV (the path of its gforth binary, run in
// its build directory so that it finds its image). Without it the test
// skips: no package ships the development gforth.
//
// It checks that every word of the dialect file exists in the development
// gforth with the same immediate and compile-only flags (except the
// deliberate differences below), and that every word of the search order
// of a fresh development gforth is known to the dialect.
func TestGforthDev(t *testing.T) {
	bin := os.Getenv("GFORTH_DEV")
	if bin == "" {
		t.Skip("GFORTH_DEV (a gforth built from the development sources) not set")
	}
	d := MustGet("gforth")
	var own []*Word
	for _, w := range d.All() {
		if strings.HasPrefix(w.Source, "dialects/gforth.txt:") {
			own = append(own, w)
		}
	}
	var sc strings.Builder
	sc.WriteString(`: ffdev-chk ( "name" -- )
  parse-name 2dup find-name dup 0= if drop ." MISSING " type cr exit then
  >r ." FLAGS " type space r@ immediate? 1 and 0 .r space r> compile-only? 1 and 0 .r cr ;
: ffdev-all-nt ( nt -- flag ) ." WORD " dup name>string type space dup immediate? 1 and 0 .r space compile-only? 1 and 0 .r cr true ;
: ffdev-all ( -- ) get-order 0 ?do ['] ffdev-all-nt swap traverse-wordlist loop ;
`)
	for _, w := range own {
		if devNotAWord[w.Name] != "" {
			continue
		}
		fmt.Fprintf(&sc, "ffdev-chk %s\n", w.Name)
	}
	sc.WriteString("ffdev-all\n")
	file := filepath.Join(t.TempDir(), "dev.fs")
	if err := os.WriteFile(file, []byte(sc.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, file, "-e", "bye")
	cmd.Dir = filepath.Dir(bin)
	cmd.Stdin = strings.NewReader("")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("gforth: %v\n%s", err, stderr.String())
	}
	seen := map[string]bool{}
	s := bufio.NewScanner(bytes.NewReader(out))
	for s.Scan() {
		f := strings.Fields(s.Text())
		switch {
		case len(f) == 2 && f[0] == "MISSING":
			t.Errorf("%s is not a word of the development gforth", f[1])
		case len(f) == 4 && f[0] == "FLAGS":
			w := d.Lookup(f[1])
			if w == nil || devFlagDiffers[w.Name] != "" {
				continue
			}
			if imm := f[2] == "1"; imm != w.Immediate {
				t.Errorf("%s: %s: immediate is %v in the development gforth", w.Source, w.Name, imm)
			}
			if co := f[3] == "1"; co != w.CompileOnly {
				t.Errorf("%s: %s: compile-only is %v in the development gforth", w.Source, w.Name, co)
			}
		case len(f) == 4 && f[0] == "WORD":
			if seen[f[1]] || strings.HasPrefix(f[1], "ffdev-") {
				continue
			}
			seen[f[1]] = true
			w := d.Lookup(f[1])
			if w == nil {
				t.Errorf("%s, a word of the development gforth, is not in the dialect", f[1])
				continue
			}
			if devFlagDiffers[w.Name] != "" {
				continue
			}
			if imm, co := f[2] == "1", f[3] == "1"; imm != w.Immediate || co != w.CompileOnly {
				t.Errorf("%s: %s: immediate %v, compile-only %v in the development gforth", w.Source, w.Name, imm, co)
			}
		}
	}
}

// devNotAWord lists the dialect entries that are not words of the
// development gforth's dictionary.
var devNotAWord = map[string]string{
	"[[": "recognised by the text interpreter in postponing state, not a word",
}

// devFlagDiffers lists the words whose immediate or compile-only flag the
// dialect deliberately gives differently from the development gforth,
// which calls every word with non-default compilation semantics immediate.
var devFlagDiffers = map[string]string{
	// Aliases of [noop] on this platform: they compile nothing, so they
	// behave as ordinary words.
	"wbe": "compiles nothing", "lbe": "compiles nothing", "xbe": "compiles nothing", "xdbe": "compiles nothing",
	"wle": "compiles nothing", "lle": "compiles nothing", "xle": "compiles nothing", "xdle": "compiles nothing",
	"x>s": "compiles nothing",
	// chars is a no-op whose compilation compiles nothing.
	"chars": "compiles nothing",
	// recurse is an alias of the definition being compiled, read specially.
	"recurse": "read specially",
}
