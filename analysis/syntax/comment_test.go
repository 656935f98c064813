package syntax_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// TestSharedEffects: a stack comment read before, by another parse, in
// the same or another dialect, gives what a first reading gives (every
// item's stack, kind and width, and the error), and checking the
// definitions that share it changes nothing in it.
func TestSharedEffects(t *testing.T) {
	comments := []string{
		"a b -- c", "n -- n*n", "d1 d2 -- d3", "nd1 nd2 -- nd3", "f -- n", "df -- ",
		"z1 z2 -- z3", "F: r1 r2 -- r3", "f: r -- ", "D: d -- n", "x -- ) ( R: -- x",
		"a -f- r", "c-addr u -- ", "xt -- ", "i*x -- j*x", "note", "a -- b -- c",
		"u1 u2 -- u3 flag", "\"name\" -- ", "-- addr", "a b c d -- c d a b",
	}
	var src strings.Builder
	for i, c := range comments {
		fmt.Fprintf(&src, ": w%d ( %s ) ;\n", i, c)
	}
	// Words that the systems define too take the systems' widths.
	src.WriteString(": d+ ( a b c d -- e f ) d+ ;\n: 2swap ( a b c d -- c d a b ) 2swap ;\n: f+ ( r1 r2 -- r3 ) f+ ;\n")
	names := []string{"gforth", "zeptoforth", "mecrisp", "pforth", "esp32forth"}
	read := func(d *builtins.Dialect) (*syntax.File, string) {
		f := syntax.Parse(source.NewFile("t.fs", []byte(src.String())), syntax.Config{Dialect: d})
		var b strings.Builder
		for _, def := range f.Defs {
			if c := def.Comment; c != nil {
				fmt.Fprintf(&b, "%s %q %+v %v\n", def.Name, c.Text, c.Effect, c.Err)
			} else {
				fmt.Fprintf(&b, "%s none\n", def.Name)
			}
		}
		return f, b.String()
	}
	first := map[string]string{}
	for _, n := range names {
		d, err := builtins.Get(n)
		if err != nil {
			t.Fatal(err)
		}
		syntax.PurgeSharedEffects()
		_, first[n] = read(d)
	}
	syntax.PurgeSharedEffects()
	// Every dialect in turn reads what the others read before it, twice;
	// the definitions are checked in between.
	for range 2 {
		for _, n := range names {
			d, _ := builtins.Get(n)
			f, got := read(d)
			if got != first[n] {
				t.Errorf("%s: shared readings differ from first readings:\n%s\nfirst:\n%s", n, got, first[n])
			}
			c := infer.NewChecker()
			for _, def := range f.Defs {
				c.Def(def)
			}
		}
	}
	if first["gforth"] == first["zeptoforth"] {
		t.Error("the dialects read the comments alike: the test tells nothing about keying by dialect")
	}
}
