package lsp

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

const structDoc = `\ first
\ second
: sq ( n -- n*n ) dup * ;
: twice dup ;
variable counter
10 constant ten
5 value v
begin-structure point
  field: p.x
  field: p.y
end-structure
defer act
: maker create , does> @ ;
: q [: 1 + ;] execute ;
( a long
  comment )
: loopy ( n -- )
  0 ?do
    i 2 mod if
      ." odd"
    else
      i .
    then
  loop ;
0 [if]
  this is skipped
[then]
: loc {: a b :} a b + s" str" type 'x' drop ;
`

func docParams(u string) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": u}}
}

func rangeParams(u string, l1, l2 int) map[string]any {
	p := docParams(u)
	p["range"] = map[string]any{"start": map[string]any{"line": l1, "character": 0}, "end": map[string]any{"line": l2, "character": 0}}
	return p
}

func startStructure(t *testing.T, caps map[string]any, text string) (*harness, string) {
	h := startServer(t, Options{}, nil)
	h.initialize(caps)
	const u = "file:///tmp/structure.fs"
	open(h, u, text, 1)
	return h, u
}

func TestStructureCapabilities(t *testing.T) {
	h := startServer(t, Options{}, nil)
	caps := h.initialize(nil)["capabilities"].(map[string]any)
	for _, k := range []string{"documentSymbolProvider", "foldingRangeProvider", "inlayHintProvider"} {
		if caps[k] != true {
			t.Errorf("%s = %v, want true", k, caps[k])
		}
	}
	st, _ := caps["semanticTokensProvider"].(map[string]any)
	got, _ := json.Marshal(st)
	want := `{"full":{"delta":true},"legend":{"tokenModifiers":["definition","defaultLibrary","declaration"],"tokenTypes":["function","keyword","number","string","comment","variable"]},"range":true}`
	if string(got) != want {
		t.Errorf("semanticTokensProvider\n got %s\nwant %s", got, want)
	}
}

type symbol struct {
	Name     string   `json:"name"`
	Detail   string   `json:"detail"`
	Kind     int      `json:"kind"`
	Range    lspRange `json:"range"`
	Sel      lspRange `json:"selectionRange"`
	Children []symbol `json:"children"`
}

type lspRange struct {
	Start struct{ Line, Character int } `json:"start"`
	End   struct{ Line, Character int } `json:"end"`
}

func (s symbol) String() string {
	out := fmt.Sprintf("%s/%d/%s@%d:%d-%d:%d", s.Name, s.Kind, s.Detail, s.Sel.Start.Line, s.Sel.Start.Character, s.Sel.End.Line, s.Sel.End.Character)
	if len(s.Children) > 0 {
		var c []string
		for _, x := range s.Children {
			c = append(c, x.String())
		}
		out += "{" + strings.Join(c, " ") + "}"
	}
	return out
}

func TestDocumentSymbols(t *testing.T) {
	h, u := startStructure(t, nil, structDoc)
	var syms []symbol
	h.Request("textDocument/documentSymbol", docParams(u), &syms)
	var got []string
	for _, s := range syms {
		got = append(got, s.String())
	}
	want := []string{
		"sq/12/( n -- n*n )@2:2-2:4",
		"twice/12/( x -- x x )@3:2-3:7",
		"counter/13/( -- a-addr )@4:9-4:16",
		"ten/14/( -- x )@5:12-5:15",
		"v/13/( -- x )@6:8-6:9",
		"point/23/( -- u )@7:16-7:21{p.x/8/( addr1 -- addr2 )@8:9-8:12 p.y/8/( addr1 -- addr2 )@9:9-9:12}",
		"act/12/@11:6-11:9",
		"maker/12/( x -- )@12:2-12:7{does>/12/( -- x1 )@12:17-12:22}",
		"q/12/( x -- x2 )@13:2-13:3{[: ;]/12/( x -- x2 )@13:4-13:6}",
		"loopy/12/( n -- )@16:2-16:7",
		"loc/12/( x1 x2 -- x3 )@27:2-27:5",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("symbols\n got %q\nwant %q", got, want)
	}
	// Children lie inside their parent's range.
	for _, s := range syms {
		for _, c := range s.Children {
			if c.Range.Start.Line < s.Range.Start.Line || c.Range.End.Line > s.Range.End.Line {
				t.Errorf("child %s outside %s", c.Name, s.Name)
			}
		}
	}
	if syms[len(syms)-2].Range.Start.Line != 16 || syms[len(syms)-2].Range.End.Line != 23 {
		t.Errorf("loopy range %+v", syms[len(syms)-2].Range)
	}

	// Empty results are [], not null.
	for _, uri := range []string{u, "file:///tmp/not-open.fs"} {
		if uri == u {
			change(h, u, 2, map[string]any{"text": "\\ nothing\n"})
		}
		var raw json.RawMessage
		h.Request("textDocument/documentSymbol", docParams(uri), &raw)
		if string(raw) != "[]" {
			t.Errorf("%s: symbols %s, want []", uri, raw)
		}
	}
}

type fold struct {
	StartLine int    `json:"startLine"`
	EndLine   int    `json:"endLine"`
	Kind      string `json:"kind"`
}

func TestFoldingRanges(t *testing.T) {
	h, u := startStructure(t, nil, structDoc)
	var got []fold
	h.Request("textDocument/foldingRange", docParams(u), &got)
	want := []fold{
		{0, 1, "comment"},   // \ lines
		{14, 15, "comment"}, // ( ) over two lines
		{16, 23, ""},        // loopy
		{17, 22, ""},        // ?do .. loop
		{18, 21, ""},        // if .. then
		{24, 25, "region"},  // [if] skipped text
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("folding ranges\n got %+v\nwant %+v", got, want)
	}
	text := ": f\n  begin\n    dup\n  until\n  case\n    1 of 2 endof\n    3\n  endcase ;\n"
	change(h, u, 2, map[string]any{"text": text})
	got = nil
	h.Request("textDocument/foldingRange", docParams(u), &got)
	want = []fold{{0, 7, ""}, {1, 2, ""}, {4, 6, ""}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("folding ranges\n got %+v\nwant %+v", got, want)
	}
	var raw json.RawMessage
	h.Request("textDocument/foldingRange", docParams("file:///tmp/not-open.fs"), &raw)
	if string(raw) != "[]" {
		t.Errorf("closed document: %s", raw)
	}
}

type semToken struct {
	line, char, length int
	typ                string
	mods               []string
	text               string
}

func (s semToken) String() string {
	m := ""
	if len(s.mods) > 0 {
		m = "+" + strings.Join(s.mods, "+")
	}
	return fmt.Sprintf("%d:%d %q %s%s", s.line, s.char, s.text, s.typ, m)
}

// decodeTokens reads semantic token data against text; utf8 tells how
// characters count.
func decodeTokens(t *testing.T, text string, data []uint32, utf8 bool) []semToken {
	t.Helper()
	if len(data)%5 != 0 {
		t.Fatalf("data length %d", len(data))
	}
	lines := strings.Split(text, "\n")
	var out []semToken
	line, char := 0, 0
	for i := 0; i < len(data); i += 5 {
		if data[i] > 0 {
			line += int(data[i])
			char = 0
		}
		char += int(data[i+1])
		if line >= len(lines) {
			t.Fatalf("token %d past the end", i/5)
		}
		l := lines[line]
		var seg string
		if utf8 {
			if char+int(data[i+2]) > len(l) {
				t.Fatalf("token %d at %d:%d length %d past the line %q", i/5, line, char, data[i+2], l)
			}
			seg = l[char : char+int(data[i+2])]
		} else {
			u := utf16.Encode([]rune(l))
			if char+int(data[i+2]) > len(u) {
				t.Fatalf("token %d at %d:%d length %d past the line %q", i/5, line, char, data[i+2], l)
			}
			seg = string(utf16.Decode(u[char : char+int(data[i+2])]))
		}
		if data[i+2] == 0 {
			t.Errorf("empty token at %d:%d", line, char)
		}
		var mods []string
		for b, m := range semMods {
			if data[i+4]&(1<<b) != 0 {
				mods = append(mods, m)
			}
		}
		out = append(out, semToken{line, char, int(data[i+2]), semTypes[data[i+3]], mods, seg})
	}
	// Sorted and not overlapping (the relative encoding gives order only
	// when every delta is non-negative, which uint32 hides).
	for i := 1; i < len(out); i++ {
		a, b := out[i-1], out[i]
		if b.line < a.line || b.line == a.line && b.char < a.char+a.length {
			t.Errorf("tokens %v and %v overlap or are out of order", a, b)
		}
	}
	return out
}

type tokensResult struct {
	ResultID string   `json:"resultId"`
	Data     []uint32 `json:"data"`
	Edits    []struct {
		Start       int      `json:"start"`
		DeleteCount int      `json:"deleteCount"`
		Data        []uint32 `json:"data"`
	} `json:"edits"`
}

func TestSemanticTokens(t *testing.T) {
	h, u := startStructure(t, nil, structDoc)
	var res tokensResult
	h.Request("textDocument/semanticTokens/full", docParams(u), &res)
	if res.ResultID == "" {
		t.Error("no resultId")
	}
	toks := decodeTokens(t, structDoc, res.Data, false)
	got := map[string]bool{}
	for _, tk := range toks {
		got[tk.String()] = true
	}
	for _, w := range []string{
		`0:0 "\\ first" comment`,
		`2:2 "sq" function+definition`,
		`2:5 "( n -- n*n )" comment`,
		`2:18 "dup" function+defaultLibrary`,
		`3:8 "dup" function+defaultLibrary`,
		`5:0 "10" number`,
		`7:16 "point" function+definition`,
		`13:4 "[:" function+defaultLibrary`,
		`13:7 "1" number`,
		`14:0 "( a long" comment`,
		`15:0 "  comment )" comment`,
		`17:4 "?do" keyword`,
		`18:4 "i" function+defaultLibrary`,
		`18:12 "if" keyword`,
		`19:6 ".\"" function+defaultLibrary`,
		`19:9 "odd" string`,
		`20:4 "else" keyword`,
		`22:4 "then" keyword`,
		`23:2 "loop" keyword`,
		`25:0 "  this is skipped" comment`,
		`27:2 "loc" function+definition`,
		`27:9 "a" variable+declaration`,
		`27:16 "a" variable`,
		`27:25 "str" string`,
		`27:30 "type" function+defaultLibrary`,
	} {
		if !got[w] {
			t.Errorf("no token %s", w)
		}
	}
	// A user word used.
	change(h, u, 2, insert(28, 0, ": w sq twice ;\n"))
	h.Request("textDocument/semanticTokens/full", docParams(u), &res)
	text := structDoc + ": w sq twice ;\n"
	toks = decodeTokens(t, text, res.Data, false)
	got = map[string]bool{}
	for _, tk := range toks {
		got[tk.String()] = true
	}
	for _, w := range []string{`28:4 "sq" function`, `28:7 "twice" function`, `28:2 "w" function+definition`} {
		if !got[w] {
			t.Errorf("no token %s in %v", w, toks[len(toks)-5:])
		}
	}

	// Range: only the tokens of lines 2 and 3.
	h.Request("textDocument/semanticTokens/range", rangeParams(u, 2, 4), &res)
	toks = decodeTokens(t, text, res.Data, false)
	var lines []string
	for _, tk := range toks {
		lines = append(lines, tk.String())
	}
	wantRange := []string{
		`2:0 ":" function+defaultLibrary`, `2:2 "sq" function+definition`, `2:5 "( n -- n*n )" comment`,
		`2:18 "dup" function+defaultLibrary`, `2:22 "*" function+defaultLibrary`, `2:24 ";" function+defaultLibrary`,
		`3:0 ":" function+defaultLibrary`, `3:2 "twice" function+definition`, `3:8 "dup" function+defaultLibrary`,
		`3:12 ";" function+defaultLibrary`,
	}
	if !reflect.DeepEqual(lines, wantRange) {
		t.Errorf("range tokens\n got %q\nwant %q", lines, wantRange)
	}
}

func TestSemanticTokensEncoding(t *testing.T) {
	const text = "\\ 😀 x\n: f ( 😀 -- ) 😀x ;\n"
	for _, utf8 := range []bool{false, true} {
		t.Run(fmt.Sprint("utf8=", utf8), func(t *testing.T) {
			caps := map[string]any{}
			if utf8 {
				caps["general"] = map[string]any{"positionEncodings": []string{"utf-8"}}
			}
			h, u := startStructure(t, caps, text)
			var res tokensResult
			h.Request("textDocument/semanticTokens/full", docParams(u), &res)
			toks := decodeTokens(t, text, res.Data, utf8)
			var got []string
			for _, tk := range toks {
				got = append(got, fmt.Sprintf("%q/%d", tk.text, tk.length))
			}
			n := func(u16, u8 int) int {
				if utf8 {
					return u8
				}
				return u16
			}
			want := []string{
				fmt.Sprintf("%q/%d", "\\ 😀 x", n(6, 8)),
				`":"/1`, `"f"/1`,
				fmt.Sprintf("%q/%d", "( 😀 -- )", n(9, 11)),
				`";"/1`,
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("tokens\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestSemanticTokensDelta(t *testing.T) {
	h, u := startStructure(t, nil, structDoc)
	var full tokensResult
	h.Request("textDocument/semanticTokens/full", docParams(u), &full)
	change(h, u, 2, insert(3, 8, "1 + "))
	var delta tokensResult
	p := docParams(u)
	p["previousResultId"] = full.ResultID
	h.Request("textDocument/semanticTokens/full/delta", p, &delta)
	if delta.ResultID == "" || delta.ResultID == full.ResultID {
		t.Fatalf("delta resultId %q after %q", delta.ResultID, full.ResultID)
	}
	if delta.Data != nil || len(delta.Edits) != 1 {
		t.Fatalf("want one edit, got %+v", delta)
	}
	data := append([]uint32(nil), full.Data...)
	e := delta.Edits[0]
	data = append(append(append([]uint32(nil), data[:e.Start]...), e.Data...), data[e.Start+e.DeleteCount:]...)
	var now tokensResult
	h.Request("textDocument/semanticTokens/full", docParams(u), &now)
	if !reflect.DeepEqual(data, now.Data) {
		t.Errorf("delta applied gives\n%v\nwant\n%v", data, now.Data)
	}
	text := strings.Replace(structDoc, ": twice dup", ": twice 1 + dup", 1)
	got := map[string]bool{}
	for _, tk := range decodeTokens(t, text, data, false) {
		got[tk.String()] = true
	}
	if !got[`3:8 "1" number`] || !got[`3:12 "dup" function+defaultLibrary`] {
		t.Errorf("edited tokens missing")
	}

	// An unknown previous result: a full answer with a new id.
	p["previousResultId"] = "nope"
	var again tokensResult
	h.Request("textDocument/semanticTokens/full/delta", p, &again)
	if again.ResultID == "" || again.ResultID == now.ResultID || !reflect.DeepEqual(again.Data, now.Data) || again.Edits != nil {
		t.Errorf("unknown previous id: %+v", again)
	}
	// Nothing changed since: an empty edit list.
	p["previousResultId"] = again.ResultID
	var same tokensResult
	h.Request("textDocument/semanticTokens/full/delta", p, &same)
	if same.ResultID == "" || same.ResultID == again.ResultID || same.Edits == nil || len(same.Edits) != 0 {
		t.Errorf("unchanged: %+v", same)
	}
}

type hint struct {
	Position    struct{ Line, Character int } `json:"position"`
	Label       string                        `json:"label"`
	Kind        int                           `json:"kind"`
	PaddingLeft bool                          `json:"paddingLeft"`
}

func TestInlayHints(t *testing.T) {
	h, u := startStructure(t, nil, structDoc)
	var got []hint
	h.Request("textDocument/inlayHint", rangeParams(u, 0, 100), &got)
	var s []string
	for _, x := range got {
		if x.Kind != 1 || !x.PaddingLeft {
			t.Errorf("hint %+v: want kind 1 (type) with paddingLeft", x)
		}
		s = append(s, fmt.Sprintf("%d:%d %s", x.Position.Line, x.Position.Character, x.Label))
	}
	want := []string{"3:7 ( x -- x x )", "12:7 ( x -- )", "13:3 ( x -- x2 )", "27:5 ( x1 x2 -- x3 )"}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("hints\n got %q\nwant %q", s, want)
	}
	// Only those in the range.
	got = nil
	h.Request("textDocument/inlayHint", rangeParams(u, 10, 14), &got)
	if len(got) != 2 || got[0].Position.Line != 12 || got[1].Position.Line != 13 {
		t.Errorf("hints in lines 10-14: %+v", got)
	}
	var raw json.RawMessage
	h.Request("textDocument/inlayHint", rangeParams(u, 0, 2), &raw)
	if string(raw) != "[]" {
		t.Errorf("no hints: %s", raw)
	}
}
