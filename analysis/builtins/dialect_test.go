package builtins

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestDialectsLoad(t *testing.T) {
	for _, err := range DialectErrors() {
		t.Error(err)
	}
	for _, name := range []string{"standard", "gforth-0.7", "gforth"} {
		d, err := Get(name)
		if err != nil {
			t.Fatal(err)
		}
		if d.Lookup("dup") == nil || d.Lookup("DUP") == nil {
			t.Errorf("%s: dup not found", name)
		}
	}
	for _, name := range Dialects() {
		d := MustGet(name)
		for _, w := range d.All() {
			if d.Lookup(w.Name) != w {
				t.Errorf("%s: %s: Lookup(%q) does not find the entry", name, w.Source, w.Name)
			}
			if w.Known && (len(w.Effect.Parses()) > 0) != (w.Parse != ParseNone) && w.Defines == "" {
				switch w.Name {
				case "word", "parse":
				default:
					t.Errorf("%s: %s: %s: parsed items in the effect and parse flag disagree", name, w.Source, w.Name)
				}
			}
		}
	}
}

func TestDialectComposition(t *testing.T) {
	std, g07, g := MustGet("standard"), MustGet("gforth-0.7"), MustGet("gforth")
	if std.Lookup("-rot") != nil {
		t.Error("standard knows the gforth word -rot")
	}
	if g07.Lookup("-rot") == nil || g.Lookup("-rot") == nil {
		t.Error("gforth dialects do not know -rot")
	}
	if g.Len() < g07.Len() {
		t.Errorf("gforth has %d words, fewer than gforth-0.7's %d", g.Len(), g07.Len())
	}
	if w := g.Lookup("]]"); w == nil || w.WordSet != "gforth" {
		t.Errorf("gforth's ]] = %+v, want the development sources' entry", w)
	}
	if _, err := Get("nosuch"); err == nil || !strings.Contains(err.Error(), "gforth") {
		t.Errorf("Get(nosuch) = %v, want an error listing the dialects", err)
	}
}

func TestDialectWith(t *testing.T) {
	ws, errs := ParseWordFile("w.fw", []byte(`\ words of a board support package
gpio! ( x a -- ) \\ store to a port
GPIO@ ( a -- x )
dup ( x -- x x x ) immediate
bad ( a -- b
wut ( -- ) flying
cvar ( "name" -- ) defines=variable \ a byte variable
? ?
`))
	if len(errs) != 2 || errs[0].Line != 5 || errs[1].Line != 6 {
		t.Fatalf("errors = %v, want lines 5 and 6", errs)
	}
	if len(ws) != 5 {
		t.Fatalf("got %d words, want 5", len(ws))
	}
	d := MustGet("standard").With(ws)
	if w := d.Lookup("gpio@"); w == nil || !w.Known || w.Effect.String() != "( a -- x )" {
		t.Errorf("gpio@ = %+v", w)
	}
	if w := d.Lookup("dup"); w == nil || !w.Immediate {
		t.Errorf("the word file's dup does not replace the standard one")
	}
	if MustGet("standard").Lookup("dup").Immediate {
		t.Error("With changed the dialect it was called on")
	}
	if w := d.Lookup("cvar"); w == nil || w.Defines != "variable" || w.Parse != ParseName {
		t.Errorf("cvar = %+v", w)
	}
	if w := d.Lookup("?"); w == nil || w.Known {
		t.Errorf("? with effect ? = %+v", w)
	}
}

func TestLowerASCII(t *testing.T) {
	for in, want := range map[string]string{"DUP": "dup", "Äpfel": "Äpfel", "ÄPFEL": "Äpfel"[:2] + "pfel", "ΣX": "Σx", "İ": "İ", "ǅ": "ǅ"} {
		if got := LowerASCII(in); got != want {
			t.Errorf("LowerASCII(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWithReplacesInPlace compares With with the obvious definition (a
// word replaces the first occurrence of the word of its name, or is
// appended) on random word lists, names given twice included.
func TestWithReplacesInPlace(t *testing.T) {
	naive := func(base []*Word, ws []*Word) []*Word {
		table := map[string]*Word{}
		for _, w := range base {
			table[w.Name] = w
		}
		out := append([]*Word(nil), base...)
		for _, w := range ws {
			if old, ok := table[w.Name]; ok {
				for i := range out {
					if out[i] == old {
						out[i] = w
						break
					}
				}
			} else {
				out = append(out, w)
			}
			table[w.Name] = w
		}
		return out
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for round := 0; round < 300; round++ {
		d := &Dialect{table: map[string]*Word{}}
		for i := 0; i < rng.IntN(8); i++ {
			w := &Word{Name: fmt.Sprintf("w%d", i)}
			d.table[w.Name] = w
			d.words = append(d.words, w)
		}
		var ws []*Word
		for i := 0; i < rng.IntN(10); i++ {
			ws = append(ws, &Word{Name: fmt.Sprintf("w%d", rng.IntN(12))})
		}
		if rng.IntN(4) == 0 && len(d.words) > 0 {
			ws = append(ws, d.words[0]) // a word the dialect has already
		}
		got := d.With(ws)
		want := naive(d.words, ws)
		if !slices.Equal(got.words, want) {
			t.Fatalf("round %d: With gives %v, want %v", round, got.words, want)
		}
		for _, w := range want {
			if got.table[w.Name] != w {
				t.Fatalf("round %d: table[%s] is not the listed word", round, w.Name)
			}
		}
	}
}
