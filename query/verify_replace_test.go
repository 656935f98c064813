package query

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/fastforth/fastforth/analysis/effect"
)

// TestVerifyReplaceComment compares Verify's two ways of checking a word
// against an effect other than its own stack comment: replacing the
// comment in the text as read, and reading the text again with the
// effect written over the comment (what Verify did before, and still
// does where the two could differ). Every answer — verdict, paths,
// reasons, diagnostics and their positions, every definition's report,
// errors — must be the same.
func TestVerifyReplaceComment(t *testing.T) {
	codes := []string{
		": max ( a b -- m ) 2dup < if swap then drop ;",
		": max ( a b -- m ) 2dup < if swap then drop ;\n: max3 ( a b c -- m ) max max ;",
		": f ( n -- n ) dup 0< if drop then ;",
		": sq ( n -- n*n ) dup * ;\n: cube ( n -- n^3 ) dup sq * ;\n: use ( n -- ) sq cube . ;",
		": g ( x -- ) ( R: -- x ) >r ;",
		": h ( F: r -- ) ( -- n ) f>s ;",
		": k ( a -- b ) ( this is a note ) 1+ ;",
		": k2 ( a -- b ) ( R: -- ) 1+ ;",
		": bad ( a b -- c d -- e ) + ;",
		": nocomment dup + ;",
		": loc { a b -- c } a b + ;",
		": loc2 ( a b -- c ) { a b } a b + ;",
		": dd ( d1 d2 -- d3 ) d+ ;",
		": zz ( z1 z2 -- z3 ) z+ ;",
		": ff ( f: r1 r2 -- r3 ) f+ ;",
		": ff2 ( F: r1 r2 -- r3 ) f+ ;",
		": two ( a b -- b a ) swap ;\n: two ( a b c -- c b a ) rot rot swap ;",
		": rec ( n -- n ) dup 0> if 1- recurse then ;",
		": ab ( -- ) abort ;",
		": und ( a -- b ) frob ;",
		": u ( n -- )\n  0 ?do i . loop ;",
		": u2 ( n --\n ) drop ;",
		": tab\t(\ta -- b\t)\t1+ ;",
		": t2 (a -- b) 1+ ;",
		": q ( a -- b ) [: dup ;] execute + ;",
		": d+ ( a b c d -- e f ) d+ ;",
		": 2swap ( a b c d -- c d a b ) 2swap ;",
		": fx ( f -- n ) drop 0 ;",
		": nd ( nd1 nd2 -- nd3 ) d+ ;",
		": ds ( D: d -- n ) drop ;",
		": df ( df -- ) 2drop ;",
		"variable v\n: st ( x -- ) v ! ;\n: ld ( -- x ) v @ ;",
		": outer ( a -- b ) [ : inner ( x -- y ) 1+ ; ] 2* ;",
		"create tbl 1 , 2 ,\n: fetch ( i -- x ) cells tbl + @ ;",
		": dd2 ( x -- x x ) does> drop ;",
		": p1 ( a -- ) . ; : p2 ( a -- ) p1 ; : p3 ( -- ) 1 p2 ;",
		": sl ( a -- ) \\ a line comment\n . ;",
		": str ( -- ) .\" hi ( a -- b ) \" ;",
		": thr ( a -- b ) 0= if -1 throw then 5 ;",
		": p ( a b -- b ) nip ;\n1 2 p .",
		": hexw ( a -- ) base @ >r hex . r> base ! ;",
		": m2 ( a b -- m ) 2dup < if swap then drop ; ( -- ) ",
		": unt ( a -- b",
		": h2 ( x -- ) ( -- n ) drop 1 ;",
		": h3 ( F: r -- ) ( -- n ) fdrop 1 ;",
	}
	effects := []string{
		"", "( a b -- max )", "a b -- max", "( n -- n )", "( n -- )", "( -- )", "( x -- x x )",
		"( a -- b )", "( a b -- c )", "( d1 d2 -- d3 )", "( F: r1 r2 -- r3 )", "( R: -- x )", "( F: r -- )",
		"( z1 z2 -- z3 )", "( f -- n )", "( nd -- )", "( D: d -- n )", "( df -- )",
		"( a b c d -- c d a b )", "( x -- ) ( R: -- x )", "( a -- b ) extra", "(a -- b)",
		"( a -- (b) )", "( a b -- c d -- e )", "( i -- x )", "( -- x )", "( a\t-- b )",
		"( note )", "( u1 u2 -- u3 )",
	}
	words := []string{"", "max", "sq", "two", "inner", "p1", "nope"}
	dialects := []string{"", "gforth", "zeptoforth", "mecrisp", "pforth", "esp32forth"}
	s := New()
	ctx := context.Background()
	answer := func(req *VerifyRequest, reparse bool) string {
		t.Helper()
		reparseVerify = reparse
		defer func() { reparseVerify = false }()
		r, err := s.Verify(ctx, req)
		b, jerr := json.Marshal(struct {
			R *VerifyResult
			E error
		}{r, err})
		if jerr != nil {
			t.Fatal(jerr)
		}
		return string(b)
	}
	n, replaced := 0, 0
	for _, code := range codes {
		for _, eff := range effects {
			for _, w := range words {
				for _, dl := range dialects {
					req := &VerifyRequest{Code: code, Effect: eff, Word: w, Dialect: dl}
					n++
					if replaces(t, s, req) {
						replaced++
					}
					if a, b := answer(req, false), answer(req, true); a != b {
						t.Errorf("code %q effect %q word %q dialect %q:\nreplaced: %s\nread again: %s", code, eff, w, dl, a, b)
					}
				}
			}
		}
	}
	// The comparison means something only if many cases take the new way.
	if replaced < n/20 {
		t.Errorf("the comment was replaced in %d of %d requests", replaced, n)
	}
	t.Logf("%d requests, %d with the comment replaced", n, replaced)
}

// replaces reports whether Verify answers req by replacing the comment
// in the text as read, and checks that the comment it puts in place is
// the one the parser reads in the edited text.
func replaces(t *testing.T, s *Service, req *VerifyRequest) bool {
	t.Helper()
	want := req.Effect
	if want == "" {
		return false
	}
	if want[0] != '(' {
		want = "( " + want + " )"
	}
	p, err := s.parseText(&Source{Text: req.Code, Dialect: req.Dialect})
	if err != nil {
		return false
	}
	d, err := verifyTarget(p.parsed.File(), req.Word)
	if err != nil || d.Comment == nil || d.Comment.Err != nil {
		return false
	}
	start, end := int(d.Comment.Start), int(d.Comment.End)
	if !p.parsed.ReplaceComment(d, want) {
		return false
	}
	q, err := s.parseText(&Source{Text: req.Code[:start] + want + req.Code[end:], Dialect: req.Dialect})
	if err != nil {
		t.Fatal(err)
	}
	e, err := verifyTarget(q.parsed.File(), req.Word)
	if err != nil {
		t.Fatal(err)
	}
	if got, w := fmt.Sprintf("%q %v %s", d.Comment.Text, d.Comment.Err, d.Comment.Effect.String()), fmt.Sprintf("%q %v %s", e.Comment.Text, e.Comment.Err, e.Comment.Effect.String()); got != w {
		t.Errorf("code %q effect %q dialect %q: replaced comment %s, read %s", req.Code, want, req.Dialect, got, w)
	}
	return true
}

// TestReadWant: the effect a request asks for, read again from the
// process's readings, is what reading it afresh gives, errors included.
func TestReadWant(t *testing.T) {
	for _, want := range []string{"( a b -- max )", "( -- )", "( a b )", "( -- x", "( a -- b ) ( R: -- x )", "( x -- x x )", "( F: r -- )", "( a b -- c d -- e )"} {
		fresh := func() wantReading {
			var r wantReading
			e, err := effect.Parse(want)
			switch {
			case err != nil:
				r.err = err
			case len(e.In) == 0 || len(e.Out) == 0:
				r.empty = true
			default:
				r.text = e.String()
			}
			return r
		}()
		for range 2 {
			if got := readWant(want); got.text != fresh.text || got.empty != fresh.empty || fmt.Sprint(got.err) != fmt.Sprint(fresh.err) {
				t.Errorf("%s: %+v, read afresh %+v", want, got, fresh)
			}
		}
	}
}
