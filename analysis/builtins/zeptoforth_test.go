package builtins

import (
	"testing"

	"github.com/fastforth/fastforth/analysis/effect"
)

// The zeptoforth dialect is built from zeptoforth's documentation and
// sources, not checked against a running system (it runs on Cortex-M
// boards). These tests pin down the entries whose reading matters most:
// words whose zeptoforth effect differs from the standard's, the defining
// and parsing words, and the cell counts of doubles and s31.32
// fixed-point numbers.

func TestZeptoforthDialect(t *testing.T) {
	d, err := Get("zeptoforth")
	if err != nil {
		t.Fatal(err)
	}
	if !d.Rules.ModulePaths || !d.Rules.FixedPointComma {
		t.Errorf("rules = %+v, want module paths and fixed-point literals", d.Rules)
	}
	if d.Base != "standard" {
		t.Errorf("base = %q, want standard", d.Base)
	}
	for _, c := range []struct {
		name            string
		dataIn, dataOut int
		retIn, retOut   int
	}{
		{"bit", 1, 1, 0, 0},
		{"bis!", 2, 0, 0, 0},
		{"bic!", 2, 0, 0, 0},
		{"bit@", 2, 1, 0, 0},
		{"h@", 1, 1, 0, 0},
		{"h!", 2, 0, 0, 0},
		{"h,", 1, 0, 0, 0},
		{"c@", 1, 1, 0, 0},
		{"h.8", 1, 0, 0, 0},
		{"find", 2, 1, 0, 0}, // ( c-addr u -- word|0 ), not the standard's
		{"u<", 2, 1, 0, 0},   // the docs say ( u -- flag ): wrong
		{"u<=", 2, 1, 0, 0},  // likewise
		{"2+!", 3, 0, 0, 0},  // ( d addr -- )
		{"f*", 4, 2, 0, 0},   // s31.32 fixed point: two cells each
		{"f.", 2, 0, 0, 0},   // not the float-stack F.
		{"sin", 2, 2, 0, 0},  // fixed point
		{"parse-fixed", 2, 3, 0, 0},
		{"udm*", 4, 4, 0, 0}, // two doubles in, a four-cell product out
		{"d<", 4, 1, 0, 0},   // zeptoforth's nd is a double
		{"rdrop", 0, 0, 1, 0},
		{"2rdrop", 0, 0, 2, 0},
		{"forth", 0, 1, 0, 0}, // the forth wordlist, not the search-order word
		{"align", 2, 1, 0, 0}, // ( addr power -- addr' )
		{"end-module>", 0, 1, 0, 0},
		{"import", 1, 0, 0, 0},
		{"averts", 1, 0, 0, 0},
		{"triggers", 1, 0, 0, 0},
		{"suppress", 1, 1, 0, 0},
		{"begin-class", 1, 4, 0, 0}, // the sources, not the older docs
		{"member", 4, 3, 0, 0},
		{"method", 2, 2, 0, 0},
		{"define", 2, 1, 0, 0},
		{"class-size", 1, 1, 0, 0},
		{"us-counter", 0, 2, 0, 0},
		{"time!", 2, 0, 0, 0}, // ( D: time -- ) in zeptoforth's notation
		{"task-interval@", 1, 1, 0, 0},
		{"peek-chan", 3, 1, 0, 0},
		{"kernel-version", 0, 2, 0, 0},
	} {
		w := d.Lookup(c.name)
		if w == nil {
			t.Errorf("%s: missing", c.name)
			continue
		}
		if !w.Known {
			t.Errorf("%s: effect unknown, want %d -- %d", c.name, c.dataIn, c.dataOut)
			continue
		}
		got := [4]int{}
		for i, q := range []struct {
			out bool
			s   effect.Stack
		}{{false, effect.Data}, {true, effect.Data}, {false, effect.Return}, {true, effect.Return}} {
			n, ok := w.Effect.Count(q.out, q.s)
			if !ok {
				n = -1
			}
			got[i] = n
		}
		if want := [4]int{c.dataIn, c.dataOut, c.retIn, c.retOut}; got != want {
			t.Errorf("%s %s: cells (in out rin rout) = %v, want %v", c.name, w.EffectText, got, want)
		}
	}
	// Words that run an execution token on the caller's stack have no
	// fixed effect.
	for _, name := range []string{"with-slock", "critical", "try", "with-allot", "qif", "?execute", "execute-hide-cursor"} {
		if w := d.Lookup(name); w == nil || w.Known && !hasWildcard(w.Effect) {
			t.Errorf("%s: want an effect that is not fixed, got %+v", name, w)
		}
	}
	for _, c := range []struct {
		name, defines string
		parse         Parse
		immediate     bool
	}{
		{"begin-module", "module", ParseName, false},
		{"continue-module", "", ParseName, false},
		{"cvariable", "variable", ParseName, false},
		{"hvariable", "variable", ParseName, false},
		{"<builds", "create", ParseName, false},
		{"aligned-buffer:", "buffer", ParseName, false},
		{"hfield:", "field", ParseName, false},
		{"member", "field", ParseName, false},
		{"method", "defer", ParseName, false},
		{"begin-class", "constant", ParseName, false},
		{"export", "defer", ParseName, false},
		{"cornerstone", "marker", ParseName, false},
		{"dyn", "constant", ParseName, false},
		{"averts", "", ParseName, true},
		{"triggers", "", ParseName, true},
		{"suppress", "", ParseName, true},
		{"define", "", ParseName, false},
		{"import-from", "", ParseName, false},
		{"execute-defined?", "", ParseName, false},
		{"token", "", ParseName, false},
		{"+to", "", ParseName, true},
		{"#include", "", ParseLine, false},
		{"{", "", ParseDelim, true},
	} {
		w := d.Lookup(c.name)
		if w == nil {
			t.Errorf("%s: missing", c.name)
			continue
		}
		if w.Defines != c.defines || w.Parse != c.parse || w.Immediate != c.immediate {
			t.Errorf("%s: defines=%q parse=%v immediate=%v, want %q %v %v", c.name, w.Defines, w.Parse, w.Immediate, c.defines, c.parse, c.immediate)
		}
	}
	if w := d.Lookup("begin-module"); w == nil || w.Child == nil || w.Child.String() != "( -- module )" {
		t.Errorf("begin-module: child = %v, want ( -- module )", w)
	}
	if w := d.Lookup("code["); w == nil || w.SkipTo != "]code" || !w.Immediate {
		t.Errorf("code[: %+v, want an immediate word skipping to ]code", w)
	}
	if w := d.Lookup("begin-imports-from"); w == nil || w.SkipTo != "end-imports-from" {
		t.Errorf("begin-imports-from: %+v, want skip-to=end-imports-from", w)
	}
	// Standard words zeptoforth provides unchanged keep their standard
	// entries.
	for _, name := range []string{"dup", "if", "do", ":", "constant", "s\"", "[']", "2r@"} {
		if w := d.Lookup(name); w == nil || w.WordSet == "forth" {
			t.Errorf("%s: want the standard entry, got %+v", name, w)
		}
	}
}

func hasWildcard(e effect.Effect) bool {
	for _, side := range [][]effect.Picture{e.In, e.Out} {
		for _, p := range side {
			for _, it := range p {
				if it.Kind == effect.Wildcard {
					return true
				}
			}
		}
	}
	return false
}
