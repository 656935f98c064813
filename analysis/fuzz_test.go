package analysis

// Fuzz targets. The seed corpus is our own Forth text: the example and the
// golden sources of testdata, the inline seeds below and the files under
// testdata/fuzz. Run one with
//
//	go test -run XXX -fuzz FuzzAnalyze -fuzztime 60s ./analysis/
//
// Without -fuzz, go test runs every seed as a regular test.

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/analysis/builtins"

	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// fuzzSeeds are short texts that reach the corners of the reader and of
// inference.
var fuzzSeeds = []string{
	"",
	": f ( n -- n ) dup 0< if negate then ;",
	": f ( a b -- c ) over + ;",
	": f ( n -- ) 0 ?do i . loop ;",
	": f ( n -- ) 0 do i 5 = if leave then loop ;",
	": f ( n -- f ) 0 do i 5 = if unloop true exit then loop false ;",
	": f ( n -- n ) begin dup 10 < while dup 5 <> while 1+ repeat then ;",
	": f ( n -- m ) case 1 of 10 endof 2 of 20 endof 0 swap endcase ;",
	": f ( -- n ) ahead 1 then 2 ;",
	": f ( x -- 0 | x x ) dup if dup then ;",
	": f ( n -- ) ?dup if . then ;",
	": f ( a b c -- a b c a ) 2 pick ;",
	": g ( n -- n n ) dup ; : f ( n -- n n ) ['] g execute ;",
	": g ( n -- n ) 1+ ; : f ( n -- n ior ) ['] g catch ;",
	": f ( xt -- ) execute ;",
	": fact ( n -- n! ) dup 1 > if dup 1- recurse * else drop 1 then ;",
	": fact dup 1 > if dup 1- recurse * else drop 1 then ;",
	": arr ( n \"name\" -- ) create cells allot does> ( i -- addr ) swap cells + ; 10 arr a : f ( -- addr ) 3 a ;",
	"create x 10 , does> @ ;",
	"begin-structure point field: p.x field: p.y end-structure : f ( p -- n ) p.y @ ;",
	"struct cell% field n.next end-struct node%",
	": f {: a b | c -- d :} a b + to c c ;",
	": f { a b -- c } a b * ;",
	": f ( a b -- b a ) locals| x y | x y ;",
	": f {: f: r d: d -- :} r fdrop d 2drop ;",
	": f ( F: r1 r2 -- r3 ) f+ ;",
	": f ( r1 r2 -- r3 ) f* ;",
	": f ( -- ) ( F: -- r ) 1.5e ;",
	": f ( -- d ) 1. ; : g ( d1 d2 -- d3 ) d+ ;",
	": f ( -- ) s\" hello\" type .\" world\" cr ;",
	": f ( -- c-addr u ) s\\\" a\\tb\\x41\\n\" ;",
	": f ( -- c-addr u ) s\\\" bad \\c\" ;",
	": f ( -- c ) [char] a ; char b drop",
	": ?neg postpone dup postpone 0< ; immediate : f ( n -- n f ) ?neg ;",
	": f ( -- n ) [ 3 4 + ] literal ;",
	"[defined] frob [if] : f ( -- ) frob ; [else] : f ( -- ) ; [then]",
	"[undefined] frob [if] : frob ( -- ) ; [then] 0 [if] junk [then]",
	"[ifdef] dup : x ( -- ) ; [endif] [ifundef] dup : y ( -- ) ; [then]",
	"hex : f ( -- n ) ff ; decimal base @ 2 base ! 101 drop base !",
	"$10 #10 %10 &10 'x' -5 1e3 -1.5e-2 2drop 2drop drop fdrop fdrop",
	"variable v 2variable dv fvariable fv 10 constant ten 0 value val 1. 2value dval 1e fvalue fval",
	"defer d ( n -- n ) : f ( n -- n ) d ; ' 1+ is d : g ( -- xt ) action-of d ;",
	"0 value v : f ( n -- ) to v ;",
	"synonym plus + ' - alias minus : f ( a b -- c ) plus minus ;",
	":noname ( n -- ) drop ; constant xt",
	": f ( n -- n ) [: 1+ ;] execute ;",
	"marker m 32 buffer: b code c ret end-code",
	"include lib.fs require lib.fs s\" lib.fs\" included include self.fs include missing.fs",
	": f ( n -- ) >r ; : g ( -- n ) r> ; : h ( n -- ) 0 do exit loop ;",
	"drop 1 if recurse ; then [then] [else]",
	": f ( -- ) then ; : g ( f -- ) if ; : h ( -- ) begin ;",
	"( unterminated",
	": f ( -- ) 1 2",
	": f ( -- ) s\" abc",
	"1 [if] : f ( -- ) ;",
	": f {: a b",
	": f ( -- ) [: 1 2",
	"code f mov",
	": f ( x*i -- x*i ) ; : g ( a -- ) ( R: -- x ) >r ;",
	": f ( a -- b -- c ) ; : g ( \"name\" -- ) parse-name 2drop ;",
	": die ( -- ) .\" bad\" abort ; : g ( n -- n ) dup 0< if die then ;",
	"\\ comment\n\\G doc\n( multi\nline ) : f ( -- ) ; \r\n: g ( -- ) ;\r: h ( -- ) ;",
	"\x00\xff\xfe : \xc3 ( -- ) \xe2\x82 ;",
}

// fuzzFiles are the files an included name can resolve to.
func fuzzFiles(self []byte) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		switch filepath.Base(p) {
		case "lib.fs":
			return []byte(": lib-word ( n -- n' ) 1+ ;\nvariable lib-var\n"), nil
		case "self.fs":
			return self, nil
		}
		return nil, os.ErrNotExist
	}
}

// ownSources returns the Forth sources of this repository's testdata.
func ownSources(f *testing.F) [][]byte {
	var names []string
	for _, pat := range []string{"../testdata/examples/*.fs", "../testdata/golden/*.fs", "../testdata/golden/inc/*.fs"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			f.Fatal(err)
		}
		names = append(names, m...)
	}
	var srcs [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		srcs = append(srcs, b)
	}
	return srcs
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, b := range ownSources(f) {
		f.Add(b)
	}
}

// within runs fn, failing when it panics or runs past the deadline.
func within(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan string, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Sprintf("panic: %v\n%s", p, debug.Stack())
			}
		}()
		fn()
		done <- ""
	}()
	select {
	case msg := <-done:
		if msg != "" {
			t.Fatalf("%s: %s", what, msg)
		}
	case <-time.After(deadline):
		t.Fatalf("%s did not finish within %v", what, deadline)
	}
}

func FuzzAnalyze(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		var r *Result
		within(t, "Analyze", func() {
			r = New(Options{ReadFile: fuzzFiles(src)}).Analyze("/fuzz/main.fs", src)
		})
		checkAnalysis(t, r, src)
	})
}

// checkAnalysis checks the invariants of one result.
func checkAnalysis(t *testing.T, r *Result, src []byte) {
	t.Helper()
	prev := 0
	for _, d := range r.Diags {
		if d.Start < 0 || d.Start > d.End || d.End > len(src) {
			t.Errorf("diagnostic %s %q: range [%d,%d) outside [0,%d]", d.Code, d.Message, d.Start, d.End, len(src))
		}
		if d.Start < prev {
			t.Errorf("diagnostics out of order: %s at %d after one at %d", d.Code, d.Start, prev)
		}
		prev = d.Start
		if d.Code == "" || d.Message == "" || d.Severity < 1 || d.Severity > 4 {
			t.Errorf("malformed diagnostic %+v", d)
		}
	}
	if len(r.Defs) != len(r.File.Defs) {
		t.Errorf("%d results for %d definitions", len(r.Defs), len(r.File.Defs))
	}
	for i, dr := range r.Defs {
		if dr == nil || dr.Def == nil {
			t.Fatalf("definition result %d is nil", i)
		}
		name := dr.Def.Display
		switch dr.Status {
		case infer.Verified, infer.Mismatch, infer.Undeclared, infer.Unknowable:
		default:
			t.Errorf("%s: status %q", name, dr.Status)
		}
		if dr.Status == infer.Unknowable && dr.Reason == "" {
			t.Errorf("%s: unknown without a reason", name)
		}
		if dr.Status == infer.Undeclared && dr.Declared != nil {
			t.Errorf("%s: undeclared with a declaration %s", name, dr.Declared)
		}
		if (dr.Status == infer.Verified || dr.Status == infer.Mismatch) && dr.Declared == nil {
			t.Errorf("%s: %s without a declaration", name, dr.Status)
		}
		// An inferred effect exists when the status is verified, mismatch
		// or undeclared and some path returns; an unknown status has one
		// only when it was the stack comment that could not be checked.
		known := dr.Status != infer.Unknowable && !dr.Bottom
		commentOnly := dr.Status == infer.Unknowable && strings.HasPrefix(dr.Reason, "the stack comment ")
		if (dr.Inferred != nil) != known && !(commentOnly && dr.Inferred != nil) {
			t.Errorf("%s: status %s, bottom %v, inferred %v (%s)", name, dr.Status, dr.Bottom, dr.Inferred, dr.Reason)
		}
		if in, out, ok := dr.Counts(0); ok && (in < 0 || out < 0) {
			t.Errorf("%s: negative counts %d %d", name, in, out)
		}
	}
}

// FuzzReanalyze checks that analysing text b after text a in one workspace
// (as an editor does after an edit) gives what a fresh analysis of b gives.
func FuzzReanalyze(f *testing.F) {
	srcs := ownSources(f)
	for _, b := range srcs {
		s := string(b)
		f.Add(b, b)
		// small edits inside definitions, and a whole definition added
		f.Add(b, []byte(strings.Replace(s, " dup ", " dup dup ", 1)))
		f.Add(b, []byte(strings.Replace(s, " ;", " drop ;", 1)))
		f.Add(b, []byte(strings.Replace(s, "( n -- ", "( n m -- ", 1)))
		f.Add(b, []byte(s+"\n: added ( n -- n' ) 1+ ;\n"))
		f.Add([]byte(s+"\n: added ( n -- n' ) 1+ ;\n"), b)
	}
	for _, s := range fuzzSeeds[1:12] {
		f.Add([]byte(s), []byte(strings.Replace(s, " ;", " 1 drop ;", 1)))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var inc, fresh *Result
		within(t, "Analyze", func() {
			ws := New(Options{ReadFile: fuzzFiles(nil)})
			ws.Analyze("/fuzz/main.fs", a)
			inc = ws.Analyze("/fuzz/main.fs", b)
			fresh = New(Options{ReadFile: fuzzFiles(nil)}).Analyze("/fuzz/main.fs", b)
		})
		if got, want := diagSummary(inc), diagSummary(fresh); got != want {
			t.Errorf("re-analysis after an edit differs from a fresh analysis\nbefore: %q\nafter:  %q\nincremental: %s\nfresh:       %s", a, b, got, want)
		}
	})
}

func FuzzSyntax(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		var pf *syntax.File
		within(t, "Parse", func() {
			pf = syntax.Parse(source.NewFile("fuzz.fs", src), syntax.Config{})
		})
		checkSyntax(t, pf, src)
	})
}

func checkSyntax(t *testing.T, pf *syntax.File, src []byte) {
	t.Helper()
	n := int32(len(src))
	rng := func(what string, s, e int32) bool {
		if s < 0 || s > e || e > n {
			t.Errorf("%s: range [%d,%d) outside [0,%d]", what, s, e, n)
			return false
		}
		return true
	}
	ops := func(where string, list []syntax.Op, lo, hi int32) {
		last := lo
		for i, op := range list {
			what := fmt.Sprintf("%s op %d (kind %d, %q)", where, i, op.Kind, src[max(0, min(op.Start, n)):max(0, min(op.End, n))])
			if !rng(what, op.Start, op.End) {
				continue
			}
			if op.Start < lo || op.End > hi {
				t.Errorf("%s: [%d,%d) outside its container [%d,%d)", what, op.Start, op.End, lo, hi)
			}
			if op.Start < last {
				t.Errorf("%s: starts at %d, before the previous op ends (%d)", what, op.Start, last)
			}
			last = op.End
			if op.ArgStart != 0 || op.ArgEnd != 0 {
				rng(what+" argument", op.ArgStart, op.ArgEnd)
			}
			if op.NewDef != nil && op.NewDef.File != pf.Source {
				t.Errorf("%s: defines a word of another file", what)
			}
		}
	}
	ops("top-level", pf.Top, 0, n)
	for i, d := range pf.Defs {
		what := fmt.Sprintf("definition %d %q", i, d.Display)
		if d.Index != i {
			t.Errorf("%s: Index %d", what, d.Index)
		}
		if d.File != pf.Source {
			t.Errorf("%s: belongs to another file", what)
		}
		if !rng(what, d.Start, d.End) || !rng(what+" name", d.NameStart, d.NameEnd) {
			continue
		}
		if d.NameStart < d.Start || d.NameEnd > d.End {
			t.Errorf("%s: name [%d,%d) outside the definition [%d,%d)", what, d.NameStart, d.NameEnd, d.Start, d.End)
		}
		if d.Name != builtins.LowerASCII(d.Name) {
			t.Errorf("%s: name %q not lower case (in ASCII)", what, d.Name)
		}
		if c := d.Comment; c != nil && !c.FromLocals {
			if rng(what+" comment", c.Start, c.End) && (c.Start < d.Start || c.End > d.End) {
				t.Errorf("%s: comment [%d,%d) outside the definition [%d,%d)", what, c.Start, c.End, d.Start, d.End)
			}
		}
		ops(what, d.Body, d.Start, d.End)
		for _, l := range d.Locals {
			rng(what+" local "+l.Name, l.Start, l.End)
		}
		for _, x := range d.Diags {
			rng(fmt.Sprintf("%s diagnostic %s", what, x.Code), int32(x.Start), int32(x.End))
		}
		if d.DoesOf != nil && d.DoesOf.Does != d && d.DoesOf.Runs != d {
			t.Errorf("%s: does> part of %q, which does not point back", what, d.DoesOf.Display)
		}
	}
	for _, d := range pf.Diags {
		rng(fmt.Sprintf("diagnostic %s %q", d.Code, d.Message), int32(d.Start), int32(d.End))
	}
	for _, c := range pf.Comments {
		rng("comment", c.Start, c.End)
	}
	for _, c := range pf.Inactive {
		rng("inactive text", c.Start, c.End)
	}
	for _, inc := range pf.Includes {
		rng("include "+inc.Path, inc.Start, inc.End)
	}
}
