package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/syntax"
)

func TestHoverKinds(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const text = `: mk ( n "name" -- ) create , does> ( addr -- n ) @ ;
5 mk five
defer act ( n -- n )
synonym twice 2*
10 constant ten
: q ( -- n ) ['] five execute ;
: r ( n -- n ) [: dup + ;] execute ;
: ex ( xt -- ) execute ;
: ppp ( a b -- ) 2drop [ 1 2 + drop ] ;
: early ( n -- ) exit drop ;
`
	const u = "file:///tmp/kinds.fs"
	open(h, u, text, 1)
	lines := strings.Split(text, "\n")
	for _, tt := range []struct {
		line       int
		word       string
		want       []string
		wantAbsent []string
	}{
		{1, "five", []string{"five ( -- x )", "Made by `mk`.", "Defined at [kinds.fs:2:6]"}, nil},
		{0, "@", []string{"In `mk does>` `( addr -- n )`:\n- before: `( addr )`\n- after: `( n )`"}, nil},
		{0, "mk", []string{"mk ( n \"name\" -- )", "Declared `( n \"name\" -- )`, inferred `( n -- )`: they agree."}, nil},
		{0, "does>", []string{"Builtin, core word set (immediate).", "- before: `( )`\n- after: no path continues"}, nil},
		{2, "act", []string{"act ( n -- n )", "Deferred word."}, nil},
		// The comment ending the line above documents that line, not this
		// word.
		{3, "twice", []string{"twice ( x -- x2 )", "Alias of `2*`."}, []string{"n -- n"}},
		{4, "ten", []string{"ten ( -- x )", "Constant or value."}, nil},
		{5, "five", []string{"five ( -- x )", "In `q` `( -- n )`:\n- before: `( )`\n- after: `( n )`"}, nil},
		{6, "dup", []string{"In `[:`:\n- before: `( x )`\n- after: `( x x )`"}, nil},
		{6, "[:", []string{"Quotation.", "No stack comment; inferred `( x -- x2 )`."}, nil},
		{7, "execute", []string{"- before: `( xt )`\n- after: not known (execute of an execution token that is not known here)"}, nil},
		{8, "+", []string{"In `ppp` `( a b -- )`: runs at compile time."}, nil},
		{9, "drop", []string{"In `early` `( n -- )`: no path reaches this word."}, nil},
	} {
		t.Run(tt.word, func(t *testing.T) {
			col := strings.Index(lines[tt.line], tt.word)
			res := hoverAt(h, u, tt.line, col)
			if res == nil {
				t.Fatal("no hover")
			}
			for _, w := range tt.want {
				if !strings.Contains(res.Contents.Value, w) {
					t.Errorf("hover lacks %q:\n%s", w, res.Contents.Value)
				}
			}
			for _, w := range tt.wantAbsent {
				if strings.Contains(res.Contents.Value, w) {
					t.Errorf("hover has %q:\n%s", w, res.Contents.Value)
				}
			}
		})
	}
}

func TestDocComments(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"\\ one\n\\ two\n: w ;", "one\ntwo"},
		{"\\G gforth style\n: w ;", "gforth style"},
		{"( a paren comment )\n: w ;", "a paren comment"},
		{"( first line\n  second line )\n: w ;", "first line\nsecond line"},
		{"\\ far away\n\n\n: w ;", ""},
		{"\\ block one\n\n\\ block two\n: w ;", "block two"},
		{"variable n \\ counts\n: w ;", ""},
		{"variable n \\ counts\n\\ the word\n: w ;", "the word"},
		{"\\ with CRLF\r\n\\ lines\r\n: w ;", "with CRLF\nlines"},
		{": w ;", ""},
	} {
		r := analysis.New(analysis.Options{}).Analyze("doc.fs", []byte(tt.src))
		var d *syntax.Def
		for _, x := range r.File.Defs {
			if x.Name == "w" {
				d = x
			}
		}
		if d == nil {
			t.Fatalf("no w in %q", tt.src)
		}
		s, e := docRange(r.File, d)
		got := syntax.CleanDoc(string(r.File.Source.Src[s:e]))
		if got != tt.want {
			t.Errorf("doc of %q = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestDocAfterReparse(t *testing.T) {
	w := analysis.New(analysis.Options{})
	src := "\\ squares\n: sq ( n -- n*n ) dup * ;\n"
	w.Analyze("r.fs", []byte(src))
	r := w.Analyze("r.fs", []byte(strings.Replace(src, "dup *", "dup  *", 1)))
	d := r.File.Defs[0]
	if len(r.File.Shifts) == 0 {
		t.Fatal("the edit was not applied incrementally")
	}
	s, e := docRange(r.File, d)
	if got := syntax.CleanDoc(string(r.File.Source.Src[s:e])); got != "squares" {
		t.Fatalf("doc after an edit inside the definition: %q (DocStart..DocEnd %d..%d)", got, d.DocStart, d.DocEnd)
	}
}

func TestMarkdownHelpers(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"n*n and _x_", `n\*n and \_x\_`},
		{"# not a heading", `\# not a heading`},
		{"- not a list", `\- not a list`},
		{"12. not a list", `12\. not a list`},
		{"a-b. fine", "a-b. fine"},
		{"<b>[x](y)|`c`", "\\<b\\>\\[x\\](y)\\|\\`c\\`"},
	} {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := code("a`b"); got != "``a`b``" {
		t.Errorf("code = %q", got)
	}
	if got := code("`x"); got != "`` `x ``" {
		t.Errorf("code = %q", got)
	}
	if got := fence("s\" ```\""); !strings.HasPrefix(got, "````forth\n") {
		t.Errorf("fence = %q", got)
	}
}

// TestHoverEverywhere hovers at every byte of the project's Forth test
// sources (and of a few broken ones), each also after an edit inside its
// first colon definition: no panic, and a range that covers the offset.
func TestHoverEverywhere(t *testing.T) {
	files, err := filepath.Glob("../testdata/*/*.fs")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test sources (%v)", err)
	}
	sources := map[string]string{
		"unterminated.fs": ": f ( n -- n ) dup if 1+ ",
		"junk.fs":         "] ; then : ( \\ [if] s\" x",
		"crlf.fs":         "\\ doc\r\n: g ( a -- b ) 😀 dup\r\n  drop ;\r\n",
		"does.fs":         ": k create , does> @ ; 1 k one one",
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources[f] = string(b)
	}
	for name, src := range sources {
		w := analysis.New(analysis.Options{})
		versions := []string{src}
		r := w.Analyze(name, []byte(src))
		for _, d := range r.File.Defs {
			if d.Kind == syntax.Colon && !d.Unterminated && len(d.Body) > 1 {
				at := int(d.Body[0].End)
				versions = append(versions, src[:at]+"  dup drop"+src[at:])
				break
			}
		}
		for i, text := range versions {
			r := w.Analyze(name, []byte(text))
			snap := &snapshot{uri: "file:///x.fs", file: r.File.Source, result: r}
			for off := 0; off <= len(text); off++ {
				h := collectHover(snap, off)
				if h == nil {
					continue
				}
				if h.start > off || off > h.end {
					t.Fatalf("%s version %d offset %d: hover range %d..%d", name, i, off, h.start, h.end)
				}
				if md := renderHover(h); md == "" {
					t.Fatalf("%s version %d offset %d: empty hover", name, i, off)
				}
			}
		}
	}
}
