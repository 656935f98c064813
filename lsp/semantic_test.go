package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"weak"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/syntax"
)

// referenceTokens is the plain form of tokensOf and encodeTokens (a stable
// sort of every token, then each cut at line ends and converted one by
// one), kept to check the fast one against.
func referenceTokens(snap *snapshot) []uint32 {
	f := snap.result.File
	var toks []semTok
	add := func(s, e int, typ, mods uint32) {
		if e > s && s >= 0 && e <= len(snap.file.Src) {
			toks = append(toks, semTok{int32(s), int32(e), typ, mods})
		}
	}
	ops := func(body []syntax.Op, abs func(int32) int) {
		for i := range body {
			op := &body[i]
			s, e := abs(op.Start), abs(op.End)
			as, ae := abs(op.ArgStart), abs(op.ArgEnd)
			switch op.Kind {
			case syntax.OpNumber:
				add(s, e, tokNumber, 0)
				continue
			case syntax.OpLocal:
				add(s, e, tokVariable, 0)
				continue
			case syntax.OpLocals, syntax.OpUndefined:
				continue
			}
			t, m := refType(op.Ref)
			add(s, e, t, m)
			if op.ArgEnd <= op.ArgStart {
				continue
			}
			switch op.Kind {
			case syntax.OpString, syntax.OpInclude:
				add(as, ae, tokString, 0)
			case syntax.OpChar:
				add(as, ae, tokNumber, 0)
			case syntax.OpToLocal:
				add(as, ae, tokVariable, 0)
			case syntax.OpTick, syntax.OpPostpone, syntax.OpTo:
				if op.Target.B != nil || op.Target.D != nil {
					t, m := refType(op.Target)
					add(as, ae, t, m)
				}
			}
		}
	}
	ops(f.Top, func(x int32) int { return f.TopAbs(x) })
	for _, c := range f.Comments {
		add(f.TopAbs(c.Start), f.TopAbs(c.End), tokComment, 0)
	}
	for _, r := range f.Inactive {
		add(f.TopAbs(r.Start), f.TopAbs(r.End), tokComment, 0)
	}
	for _, d := range f.Defs {
		abs := func(x int32) int { return f.Abs(d.Epoch, x) }
		if d.NameEnd > d.NameStart {
			add(abs(d.NameStart), abs(d.NameEnd), tokFunction, modDefinition)
		}
		ops(d.Body, abs)
		for _, l := range d.Locals {
			add(abs(l.Start), abs(l.End), tokVariable, modDeclaration)
		}
		for _, c := range d.Comments {
			add(abs(c.Start), abs(c.End), tokComment, 0)
		}
		for _, r := range d.Inactive {
			add(abs(r.Start), abs(r.End), tokComment, 0)
		}
		if c := d.Comment; c != nil && !c.FromLocals {
			add(abs(c.Start), abs(c.End), tokComment, 0)
		}
	}
	sort.SliceStable(toks, func(i, j int) bool { return tokenBefore(toks[i], toks[j]) })
	var data []uint32
	var pl, pc uint32
	last := 0
	src := snap.file
	for _, t := range toks {
		ts, te := int(t.s), int(t.e)
		if ts < last {
			continue
		}
		last = te
		for s := ts; s < te; {
			l := src.Line(s)
			if e := min(te, src.LineEnd(l)); e > s {
				start, end := toPosition(src, s, snap.enc), toPosition(src, e, snap.enc)
				if end.Line == start.Line && end.Character > start.Character {
					dl, dc := start.Line-pl, start.Character
					if dl == 0 {
						dc = start.Character - pc
					}
					data = append(data, dl, dc, end.Character-start.Character, t.typ, t.mods)
					pl, pc = start.Line, start.Character
				}
			}
			next := src.LineStart(l + 1)
			if next <= s {
				break
			}
			s = next
		}
	}
	return data
}

// tokenTexts are texts whose tokens overlap, span lines, nest (quotations,
// does> parts) or mix top-level code with definitions, and every Forth
// file of the repository's testdata.
func tokenTexts(t *testing.T) map[string]string {
	texts := map[string]string{
		"struct":    structDoc,
		"unicode":   "\\ 😀 x\n: f ( 😀 -- ) 😀x ;\n( a\r\nb ) 1 .\r\n: g [: 1 ;] execute ;\n",
		"multiline": ": a ( n\n-- n\n) 1+ ; ( top\ncomment ) : b 0 [if] 1 [else] 2 [then] ;\n0 [if]\n: dead ;\n[then]\n",
		"creates":   ": maker create , does> @ ; 5 maker five\nvariable v 3 v ! s\" x\" type\nchar a . ' dup drop\n",
		"locals":    ": loc {: a b | c -- d :} a b + to c c ;\n",
	}
	files, _ := filepath.Glob("../testdata/golden/*.fs")
	more, _ := filepath.Glob("../testdata/golden/dialect/*")
	for _, p := range append(append(files, more...), "../testdata/examples/demo.fs") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[filepath.Base(p)] = string(b)
	}
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, ": w%d ( n -- n ) 1+ ; ", i)
	}
	texts["long line"] = b.String()
	return texts
}

// TestTokensMatchReference: the tokens sorted by runs and cut at line ends
// while they are encoded are those of the plain reference, in both
// position encodings.
func TestTokensMatchReference(t *testing.T) {
	for name, text := range tokenTexts(t) {
		for _, enc := range []encoding{encUTF16, encUTF8} {
			snap := snapshotOf(t, text)
			snap.enc = enc
			got := encodeTokens(context.Background(), snap, tokensOf(context.Background(), snap))
			if want := referenceTokens(snap); !slices.Equal(got, want) {
				t.Errorf("%s (encoding %d): tokens\n%v\nwant\n%v", name, enc, got, want)
			}
		}
	}
}

// TestTokensInRange: the tokens of a range cut from the whole file's are
// those the whole file's tokens give in that range (the reference: every
// token whose positions overlap the range or that starts at its start).
func TestTokensInRange(t *testing.T) {
	for name, text := range tokenTexts(t) {
		snap := snapshotOf(t, text)
		data := encodeTokens(context.Background(), snap, tokensOf(context.Background(), snap))
		type tok struct{ line, col, n, typ, mods uint32 }
		var all []tok
		var line, col uint32
		for i := 0; i < len(data); i += 5 {
			if data[i] != 0 {
				line, col = line+data[i], data[i+1]
			} else {
				col += data[i+1]
			}
			all = append(all, tok{line, col, data[i+2], data[i+3], data[i+4]})
		}
		lines := uint32(strings.Count(text, "\n") + 1)
		for from := uint32(0); from <= lines; from++ {
			for _, span := range []uint32{0, 1, 3} {
				fp, tp := uint64(from)<<32|2, uint64(from+span)<<32|5
				var want []uint32
				var pl, pc uint32
				for _, k := range all {
					s := uint64(k.line)<<32 | uint64(k.col)
					if s+uint64(k.n) > fp && s < tp || s == fp {
						dl, dc := k.line-pl, k.col
						if dl == 0 {
							dc = k.col - pc
						}
						want = append(want, dl, dc, k.n, k.typ, k.mods)
						pl, pc = k.line, k.col
					}
				}
				if got := tokensIn(data, fp, tp); !slices.Equal(got, want) {
					t.Errorf("%s lines %d-%d: %v, want %v", name, from, from+span, got, want)
				}
			}
		}
	}
}

// TestJSONTokens: the hand-written encoding is the protocol package's.
func TestJSONTokens(t *testing.T) {
	id := "17"
	for _, data := range [][]uint32{nil, {}, {0, 0, 1, 2, 0}, {1, 9, 10, 99, 100, 4294967295, 0, 12345, 7, 1}} {
		for _, id := range []*string{nil, &id} {
			want, err := protocol.Marshal(&protocol.SemanticTokens{ResultID: id, Data: data})
			if err != nil {
				t.Fatal(err)
			}
			got := jsonTokens(id, data)
			if string(got) != string(want) || !json.Valid(got) {
				t.Errorf("%v %v: %s, want %s", id, data, got, want)
			}
		}
	}
}

// TestTokensCachedPerVersion: the tokens kept for a version answer the
// next requests on it as a fresh computation would; a range request on a
// new version does not lose the result a delta refers to; a closed
// document's tokens are dropped.
func TestTokensCachedPerVersion(t *testing.T) {
	h, u := startStructure(t, nil, structDoc)
	fresh := func(text string) []uint32 {
		snap := snapshotOf(t, text)
		return referenceTokens(snap)
	}
	var full, again, whole tokensResult
	h.Request("textDocument/semanticTokens/full", docParams(u), &full)
	h.Request("textDocument/semanticTokens/full", docParams(u), &again)
	h.Request("textDocument/semanticTokens/range", rangeParams(u, 0, 1000), &whole)
	want := fresh(structDoc)
	for name, got := range map[string]tokensResult{"full": full, "full again": again, "range": whole} {
		if !slices.Equal(got.Data, want) {
			t.Errorf("%s: %v\nwant %v", name, got.Data, want)
		}
	}
	if again.ResultID == full.ResultID || whole.ResultID != "" {
		t.Errorf("result ids %q, %q, %q: want two different ones and none for the range", full.ResultID, again.ResultID, whole.ResultID)
	}

	change(h, u, 2, insert(3, 8, "1 + "))
	text := strings.Replace(structDoc, ": twice dup", ": twice 1 + dup", 1)
	h.Request("textDocument/semanticTokens/range", rangeParams(u, 0, 1000), &whole)
	if want := fresh(text); !slices.Equal(whole.Data, want) {
		t.Errorf("range after the edit: %v\nwant %v", whole.Data, want)
	}
	p := docParams(u)
	p["previousResultId"] = again.ResultID
	var delta tokensResult
	h.Request("textDocument/semanticTokens/full/delta", p, &delta)
	if len(delta.Edits) != 1 {
		t.Fatalf("want one edit after a range request, got %+v", delta)
	}
	e := delta.Edits[0]
	data := slices.Concat(again.Data[:e.Start], e.Data, again.Data[e.Start+e.DeleteCount:])
	if want := fresh(text); !slices.Equal(data, want) {
		t.Errorf("delta applied: %v\nwant %v", data, want)
	}

	// A range of a version whose tokens are not kept: from the
	// definitions in it alone, the same tokens.
	change(h, u, 3, insert(2, 0, "\\ a comment\n"))
	text = strings.Join(slices.Insert(strings.SplitAfter(text, "\n"), 2, "\\ a comment\n"), "")
	var part tokensResult
	h.Request("textDocument/semanticTokens/range", rangeParams(u, 3, 5), &part)
	if want := tokensIn(fresh(text), 3<<32, 5<<32); len(want) == 0 || !slices.Equal(part.Data, want) {
		t.Errorf("range of lines 3-5 of a new version: %v, want %v", part.Data, want)
	}

	h.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": u}})
	var none json.RawMessage
	h.Request("textDocument/semanticTokens/full", docParams(u), &none) // after the close, in order
	tokenMu.Lock()
	kept := tokenCache[h.srv][uri.URI(u)] != nil
	tokenMu.Unlock()
	if kept {
		t.Errorf("the tokens of a closed document are kept")
	}
}

// TestOccurrencesSorted: the occurrences merged from their runs are those
// a stable sort of the list gives, on every text of the token tests.
func TestOccurrencesSorted(t *testing.T) {
	for name, text := range tokenTexts(t) {
		r := snapshotOf(t, text).result
		want := occurrenceRuns(r)
		sort.SliceStable(want, func(i, j int) bool { return occBefore(want[i], want[j]) })
		if got := occurrences(r); !slices.Equal(got, want) {
			t.Errorf("%s: occurrences\n%v\nwant\n%v", name, got, want)
		}
	}
}

// TestTokensWithinRange: the tokens of a range made from the definitions
// in it alone are those cut from the whole file's.
func TestTokensWithinRange(t *testing.T) {
	ctx := context.Background()
	for name, text := range tokenTexts(t) {
		for _, enc := range []encoding{encUTF16, encUTF8} {
			snap := snapshotOf(t, text)
			snap.enc = enc
			all := encodeTokens(ctx, snap, tokensOf(ctx, snap))
			n := len(snap.file.Src)
			for from := 0; from <= n; from += max(1, n/97) {
				for _, span := range []int{0, 1, 17, 200, n} {
					fp, tp := snap.file.Position(from), snap.file.Position(min(from+span, n))
					want := tokensIn(all, tokenPos(fp, enc), tokenPos(tp, enc))
					part := encodeTokens(ctx, snap, tokensWithin(ctx, snap, snap.file.LineStart(fp.Line), tp.Offset))
					if got := tokensIn(part, tokenPos(fp, enc), tokenPos(tp, enc)); !slices.Equal(got, want) {
						t.Fatalf("%s (encoding %d) bytes %d-%d: %v, want %v", name, enc, from, from+span, got, want)
					}
				}
			}
		}
	}
}

// TestEditedVersionNotKept: once a document is edited and analysed again,
// the tokens and occurrences kept for its previous version do not keep
// that version's analysis alive.
func TestEditedVersionNotKept(t *testing.T) {
	const u = "file:///tmp/kept.fs"
	var h *harness
	var old weak.Pointer[analysis.Result]
	h = startServer(t, Options{}, func(ev event) {
		if d := h.srv.work.docs[uri.URI(u)]; ev.kind == evChange && d != nil && d.result != nil && old == (weak.Pointer[analysis.Result]{}) {
			old = weak.Make(d.result)
		}
	})
	h.initialize(nil)
	open(h, u, structDoc, 1)
	var toks tokensResult
	h.Request("textDocument/semanticTokens/full", docParams(u), &toks)
	var highlights json.RawMessage
	h.Request("textDocument/documentHighlight", wsPos(u, 3, 9), &highlights)
	change(h, u, 2, insert(3, 8, "1 + "))
	hoverAt(h, u, 3, 9) // analyses the new version
	for range 3 {
		runtime.GC()
	}
	if old == (weak.Pointer[analysis.Result]{}) {
		t.Fatal("the first version's analysis was not seen")
	}
	if old.Value() != nil {
		t.Error("the analysis of the edited version is still alive")
	}
}
