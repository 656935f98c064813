package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"go.lsp.dev/uri"

	"github.com/fastforth/fastforth/internal/lsptest"
)

func TestInitializeCapabilities(t *testing.T) {
	h := startServer(t, Options{Version: "1.2.3"}, nil)
	res := h.initialize(nil)
	got, _ := json.Marshal(res)
	var r struct {
		Capabilities map[string]json.RawMessage `json:"capabilities"`
		ServerInfo   json.RawMessage            `json:"serverInfo"`
	}
	if err := json.Unmarshal(got, &r); err != nil {
		t.Fatal(err)
	}
	// The core capabilities, exactly.
	for key, want := range map[string]string{
		"diagnosticProvider": `{"identifier":"fastforth","interFileDependencies":true,"workspaceDiagnostics":false}`,
		"hoverProvider":      `true`,
		"positionEncoding":   `"utf-16"`,
		"textDocumentSync":   `{"change":2,"openClose":true}`,
	} {
		if g := string(r.Capabilities[key]); g != want {
			t.Errorf("capabilities.%s = %s, want %s", key, g, want)
		}
	}
	if g := string(r.ServerInfo); g != `{"name":"fastforth","version":"1.2.3"}` {
		t.Errorf("serverInfo = %s", g)
	}
	// Every registered feature announces itself.
	for method, f := range features {
		if f.capabilities == nil {
			continue
		}
		var caps protocol.ServerCapabilities
		f.capabilities(&server{}, &caps)
		b, _ := json.Marshal(caps)
		var own map[string]json.RawMessage
		json.Unmarshal(b, &own)
		for key, want := range own {
			var g, w any
			json.Unmarshal(r.Capabilities[key], &g)
			json.Unmarshal(want, &w)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: capabilities.%s = %s, want %s", method, key, r.Capabilities[key], want)
			}
		}
	}
}

func TestPositionEncodingNegotiation(t *testing.T) {
	for _, tt := range []struct {
		offered []string
		want    string
		// the diagnostic's start character on "😀 swp": after the emoji
		char int
	}{
		{nil, "utf-16", 3},
		{[]string{"utf-16"}, "utf-16", 3},
		{[]string{"utf-32", "utf-8", "utf-16"}, "utf-8", 5},
		{[]string{"utf-32"}, "utf-16", 3},
	} {
		t.Run(strings.Join(tt.offered, ","), func(t *testing.T) {
			h := startServer(t, Options{}, nil)
			caps := map[string]any{}
			if tt.offered != nil {
				caps["general"] = map[string]any{"positionEncodings": tt.offered}
			}
			res := h.initialize(caps)
			if got := res["capabilities"].(map[string]any)["positionEncoding"]; got != tt.want {
				t.Fatalf("positionEncoding %v, want %s", got, tt.want)
			}
			const u = "file:///tmp/enc.fs"
			open(h, u, "\\ 😀 x\n: f ( -- ) 😀 swp ;\n", 1)
			p := lsptest.Notification[lsptest.PublishDiagnostics](t, h.Wait("diagnostics", lsptest.IsPublish(u, 1)))
			var und *lsptest.Diagnostic
			for i, d := range p.Diagnostics {
				if d.Code == "undefined-word" && strings.Contains(d.Message, "swp") {
					und = &p.Diagnostics[i]
				}
			}
			if und == nil {
				t.Fatalf("no undefined-word diagnostic for swp in %+v", p.Diagnostics)
			}
			// ": f ( -- ) " is 11 bytes, then the emoji (4 bytes, 2 units)
			// and a blank.
			want := lsptest.Range{Start: lsptest.Position{Line: 1, Character: 11 + tt.char}, End: lsptest.Position{Line: 1, Character: 11 + tt.char + 3}}
			if und.Range != want {
				t.Fatalf("swp at %+v, want %+v", und.Range, want)
			}
		})
	}
}

const hoverDoc = `\ squares a number
\ (the classic example)
: sq ( n -- n*n ) dup * ;
: f ( a b -- c ) over + ;
: g dup * ;
variable counter
: inc ( -- ) 1 counter +! ;
: deep ( a b c -- c ) nip nip ;
: loc {: a b -- c :} a b + ;
: u ( -- ) 2 sq drop ;
7 sq .
`

// hoverLine finds the (line, UTF-16 column) of the n-th occurrence of
// word on the given line of text.
func hoverLine(t *testing.T, text string, line int, word string) (int, int) {
	t.Helper()
	l := strings.Split(text, "\n")[line]
	i := strings.Index(l, word)
	if i < 0 {
		t.Fatalf("%q not on line %d", word, line)
	}
	return line, i
}

func TestHover(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/hover.fs"
	open(h, u, hoverDoc, 1)
	tests := []struct {
		name       string
		line       int
		word       string
		offset     int // characters into the word
		want       []string
		wantRange  bool
		wantAbsent []string
	}{
		{"builtin in a definition", 2, "dup", 1, []string{
			"```forth\ndup ( x -- x x )\n```",
			"Builtin, core word set.",
			"Duplicate the top cell",
			"In `sq` `( n -- n*n )`:\n- before: `( n )`\n- after: `( n n )`",
		}, true, nil},
		{"second word of a definition", 2, "* ;", 0, []string{
			"- before: `( n n )`\n- after: `( n*n )`",
		}, true, nil},
		{"user word with documentation", 10, "sq", 0, []string{
			"```forth\nsq ( n -- n*n )\n```",
			"Colon definition.",
			"Declared `( n -- n*n )`, inferred `( n -- n*n )`: they agree.",
			"squares a number  \n(the classic example)",
			"Defined at [hover.fs:3:3](file:///tmp/hover.fs#L3).",
		}, true, []string{"In `"}},
		{"definition name", 3, "f", 0, []string{
			"Declared `( a b -- c )`, but the body does `( a b -- a x1 )`: **they disagree**.",
		}, true, nil},
		{"mismatch inside", 3, "+", 0, []string{
			"In `f` `( a b -- c )`:\n- before: `( a b a )`\n- after: `( a x1 )`",
		}, true, nil},
		{"undeclared", 4, "g", 0, []string{"No stack comment; inferred `( x -- x2 )`."}, true, nil},
		{"undeclared inputs are shown", 4, "dup", 0, []string{"- before: `( x )`\n- after: `( x x )`"}, true, nil},
		{"variable", 6, "counter", 2, []string{"```forth\ncounter ( -- a-addr )\n```", "Variable or buffer"}, true, nil},
		{"variable where defined", 5, "counter", 0, []string{"Defined at [hover.fs:6:10]"}, true, nil},
		{"declared inputs below", 7, "nip", 0, []string{"- before: `( a b c )`\n- after: `( a c )`"}, true, nil},
		{"local", 8, "a b +", 0, []string{"Local of `loc`."}, true, nil},
		{"user word in a definition", 9, "sq", 0, []string{"sq ( n -- n*n )", "In `u` `( -- )`:\n- before: `( x1 )`"}, true, nil},
		{"word with a declared effect in a definition", 6, "+!", 0, []string{"+! ( n a-addr -- )", "In `inc` `( -- )`:\n- before: `( x1 x2 )`\n- after: `( )`"}, true, nil},
		{"number", 9, "2", 0, []string{"```forth\n2\n```", "Literal."}, true, nil},
		{"cursor just after a word", 2, "dup", 3, []string{"dup ( x -- x x )"}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, col := hoverLine(t, hoverDoc, tt.line, tt.word)
			res := hoverAt(h, u, line, col+tt.offset)
			if res == nil {
				t.Fatal("no hover")
			}
			if res.Contents.Kind != "markdown" {
				t.Fatalf("contents kind %q", res.Contents.Kind)
			}
			v := res.Contents.Value
			for _, w := range tt.want {
				if !strings.Contains(v, w) {
					t.Errorf("hover lacks %q:\n%s", w, v)
				}
			}
			for _, w := range tt.wantAbsent {
				if strings.Contains(v, w) {
					t.Errorf("hover has %q:\n%s", w, v)
				}
			}
			word := strings.Fields(tt.word)[0]
			if tt.wantRange && (res.Range == nil || *res.Range != (lsptest.Range{Start: lsptest.Position{Line: line, Character: col}, End: lsptest.Position{Line: line, Character: col + len(word)}})) {
				t.Errorf("range %+v, want line %d columns %d-%d", res.Range, line, col, col+len(word))
			}
		})
	}
	t.Run("blank", func(t *testing.T) {
		if res := hoverAt(h, u, 1, 0); res != nil {
			t.Fatalf("hover in a comment: %+v", res)
		}
		if res := hoverAt(h, u, 11, 0); res != nil {
			t.Fatalf("hover on the empty last line: %+v", res)
		}
	})
	t.Run("document not open", func(t *testing.T) {
		if res := hoverAt(h, "file:///tmp/other.fs", 0, 0); res != nil {
			t.Fatalf("hover in a closed document: %+v", res)
		}
	})
	t.Run("documentation survives an edit inside the definition", func(t *testing.T) {
		// Insert a blank inside sq's body: the definition is read again
		// on its own.
		change(h, u, 2, insert(2, 21, " "))
		v := hoverAt(h, u, 10, 2).Contents.Value
		if !strings.Contains(v, "squares a number") || !strings.Contains(v, "they agree") {
			t.Fatalf("after the edit:\n%s", v)
		}
		v = hoverAt(h, u, 2, 23).Contents.Value // "*" moved by one
		if !strings.Contains(v, "- before: `( n n )`") {
			t.Fatalf("after the edit:\n%s", v)
		}
	})
}

func TestHoverIncludedWord(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib.fs")
	if err := os.WriteFile(lib, []byte("\\ Add one twice.\n: inc2 ( n -- n+2 ) 1+ 1+ ;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "main.fs")
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	mu := string(uri.File(main))
	open(h, mu, "include lib.fs\n: f ( n -- n ) inc2 ;\n", 1)
	v := hoverAt(h, mu, 1, 15).Contents.Value
	for _, w := range []string{"inc2 ( n -- n+2 )", "Add one twice.", "Defined at [lib.fs:2:3](" + string(uri.File(lib)) + "#L2)"} {
		if !strings.Contains(v, w) {
			t.Errorf("hover lacks %q:\n%s", w, v)
		}
	}
	// The included file open in the editor is read from its buffer.
	open(h, string(uri.File(lib)), ": inc2 ( n -- n n ) dup ;\n", 1)
	change(h, mu, 2, insert(2, 0, "\n"))
	v = hoverAt(h, mu, 1, 15).Contents.Value
	if !strings.Contains(v, "inc2 ( n -- n n )") {
		t.Errorf("hover does not read the open buffer:\n%s", v)
	}
}
