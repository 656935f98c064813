package analysis

// Robustness: hostile and degenerate input must give diagnostics, never a
// panic or a hang. Each analysis runs in a goroutine under a generous
// deadline; the deadline detects hangs and is not a performance assertion.

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
)

// deadline bounds one analysis. It is far above the time any of these
// inputs should take; it only turns a hang into a failure.
const deadline = 10 * time.Second

// memFS is an in-memory file system for includes.
type memFS map[string]string

func (m memFS) read(p string) ([]byte, error) {
	if s, ok := m[path.Clean(p)]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

// analyzeWithin analyses src as name with ws, failing the test on a panic
// or when the analysis does not finish within the deadline.
func analyzeWithin(t *testing.T, ws *Workspace, name string, src []byte) *Result {
	t.Helper()
	type outcome struct {
		r     *Result
		panic any
		stack []byte
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- outcome{panic: p, stack: debug.Stack()}
			}
		}()
		done <- outcome{r: ws.Analyze(name, src)}
	}()
	select {
	case o := <-done:
		if o.panic != nil {
			t.Fatalf("analysis of %s (%d bytes) panicked: %v\n%s", name, len(src), o.panic, o.stack)
		}
		checkResult(t, o.r, src)
		return o.r
	case <-time.After(deadline):
		t.Fatalf("analysis of %s (%d bytes) did not finish within %v", name, len(src), deadline)
	}
	return nil
}

// analyze is analyzeWithin with a fresh workspace without includes.
func analyze(t *testing.T, src string) *Result {
	t.Helper()
	return analyzeWithin(t, New(Options{ReadFile: memFS{}.read}), "/robust/test.fs", []byte(src))
}

// checkResult checks the invariants every result must satisfy.
func checkResult(t *testing.T, r *Result, src []byte) {
	t.Helper()
	if r == nil || r.File == nil {
		t.Fatal("nil result")
	}
	for _, d := range r.Diags {
		if d.Start < 0 || d.Start > d.End || d.End > len(src) {
			t.Errorf("diagnostic %s %q has range [%d,%d) outside [0,%d]", d.Code, d.Message, d.Start, d.End, len(src))
		}
		if d.Message == "" || d.Code == "" {
			t.Errorf("diagnostic without message or code: %+v", d)
		}
		if _, ok := diag.Severities[d.Code]; !ok {
			t.Errorf("diagnostic with unknown code %q", d.Code)
		}
	}
	for _, dr := range r.Defs {
		switch dr.Status {
		case infer.Verified, infer.Mismatch, infer.Undeclared, infer.Unknowable:
		default:
			t.Errorf("definition %q: status %q", dr.Def.Display, dr.Status)
		}
		if dr.Status == infer.Unknowable && dr.Reason == "" {
			t.Errorf("definition %q: unknown without a reason", dr.Def.Display)
		}
	}
}

// codes returns the set of diagnostic codes of r.
func codes(r *Result) map[diag.Code]int {
	m := map[diag.Code]int{}
	for _, d := range r.Diags {
		m[d.Code]++
	}
	return m
}

func wantCodes(t *testing.T, r *Result, want ...diag.Code) {
	t.Helper()
	got := codes(r)
	for _, c := range want {
		if got[c] == 0 {
			t.Errorf("no %s diagnostic; got %v", c, got)
		}
	}
}

// defStatus returns the status and inferred effect of the definition named
// name ("" if absent).
func defStatus(r *Result, name string) string {
	for _, dr := range r.Defs {
		if dr.Def.Name == name {
			inf := "?"
			if dr.Inferred != nil {
				inf = dr.Inferred.String()
			}
			return string(dr.Status) + " " + inf
		}
	}
	return ""
}

func TestRobustEveryByte(t *testing.T) {
	// All 256 byte values in one text, in order and shuffled among words.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	r := analyze(t, string(all))
	if len(r.Diags) == 0 {
		t.Error("256 junk bytes gave no diagnostics")
	}
	analyze(t, ": f ( -- ) "+string(all)+" ;\n"+string(all))
	// Each byte value alone, as a word in a definition, and in the
	// positions where parsing words read.
	for b := 0; b < 256; b++ {
		c := string([]byte{byte(b)})
		for _, src := range []string{
			c,
			c + c + c,
			": f ( -- ) " + c + " ;",
			": f ( " + c + " -- ) ;",
			"s\" " + c + "\" 2drop",
			": f ( -- ) s\\\" \\" + c + "\" 2drop ;",
			"char " + c + " drop",
			"( " + c + " )",
			"\\ " + c + "\n1 drop",
			"0 [if] " + c + " [then]",
			": f ( -- ) {: " + c + " :} ;",
		} {
			analyze(t, src)
		}
	}
}

func TestRobustInvalidUTF8AndNUL(t *testing.T) {
	for _, src := range []string{
		"\xff\xfe\xfd",
		": \xc3 ( -- ) \xe2\x82 ;\n\xc3",
		": f ( \xff -- \xfe ) \x80 ;",
		"s\" \xff\xfe\" type",
		"\\ \xf0\x9f\x98\n: g ( -- ) ;",
		"\x00",
		"\x00\x00\x00 : \x00 ( -- ) \x00 ; \x00",
		": f ( -- ) s\" a\x00b\" 2drop ;",
		"( \x00 ) \x00\n\x00",
		"\xef\xbb\xbf: bom ( -- ) ;",        // a byte order mark
		strings.Repeat("\xed\xa0\x80", 100), // UTF-16 surrogates encoded in UTF-8
	} {
		r := analyze(t, src)
		_ = r
	}
	// The position of a word after invalid UTF-8 counts bytes.
	r := analyze(t, "\xff\xfe zork")
	if len(r.Diags) == 0 {
		t.Fatal("no diagnostic")
	}
	var found bool
	for _, d := range r.Diags {
		if d.Code == diag.Undefined && d.Start == 3 && d.End == 7 {
			found = true
		}
	}
	if !found {
		t.Errorf("undefined zork not at [3,7): %v", r.Diags)
	}
	// NUL is an ordinary word character (gforth 0.7.3): "a\x00b" is one word.
	r = analyze(t, "a\x00b")
	if n := codes(r)[diag.Undefined]; n != 1 {
		t.Errorf("a\\x00b: %d undefined words, want 1: %v", n, r.Diags)
	}
}

// TestRobustLineEndings: LF, CRLF and lone CR all end lines, and positions
// stay right.
func TestRobustLineEndings(t *testing.T) {
	body := []string{
		"\\ line one",
		": f ( n -- n )",
		"  dup zork1 drop ;",
		"( a multi-line",
		"  comment ) zork2",
		": g ( -- ) \\ comment to the end of the line zork3",
		"  zork4 ;",
	}
	// (line, column) of zork1, zork2 and zork4, 0-based; zork3 is commented out.
	want := [][2]int{{2, 6}, {4, 12}, {6, 2}}
	for _, eol := range []string{"\n", "\r\n", "\r", "\n\r"} {
		t.Run(fmt.Sprintf("%q", eol), func(t *testing.T) {
			src := strings.Join(body, eol)
			r := analyze(t, src)
			var got [][2]int
			for _, d := range r.Diags {
				if d.Code != diag.Undefined {
					continue
				}
				p := r.File.Source.Position(d.Start)
				got = append(got, [2]int{p.Line, p.Col})
				if w := src[d.Start:d.End]; !strings.HasPrefix(w, "zork") {
					t.Errorf("undefined-word range covers %q", w)
				}
			}
			if eol == "\n\r" {
				// "\n\r" is two terminators: every line break adds an
				// empty line.
				for i := range want {
					want := [2]int{want[i][0] * 2, want[i][1]}
					if i < len(got) && got[i] != want {
						t.Errorf("undefined word %d at %v, want %v", i, got[i], want)
					}
				}
				return
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("undefined words at %v, want %v", got, want)
			}
			if s := defStatus(r, "f"); s != "unknown ?" {
				t.Errorf("f: %s", s)
			}
		})
	}
	// A parsing word at the end of a CR-terminated line does not run on
	// into the next line.
	r := analyze(t, ": f ( -- c-addr u ) s\" abc\r  ;\r: g ( -- ) ;")
	wantCodes(t, r, diag.Unterminated)
	if s := defStatus(r, "g"); s != "verified ( -- )" {
		t.Errorf("g after an unterminated string on a CR line: %q", s)
	}
}

func TestRobustLongLine(t *testing.T) {
	const mb = 1 << 20
	// One 1 MB word.
	word := strings.Repeat("a", mb)
	r := analyze(t, word)
	if len(r.Diags) != 1 || r.Diags[0].Code != diag.Undefined || r.Diags[0].End-r.Diags[0].Start != mb {
		t.Errorf("1 MB word: %d diagnostics", len(r.Diags))
	}
	// 1 MB of code on one line.
	line := strings.Repeat("1 2 + drop ", mb/11)
	r = analyze(t, ": f ( -- ) "+line+"zork ;")
	wantCodes(t, r, diag.Undefined)
	p := r.File.Source.Position(r.Diags[len(r.Diags)-1].Start)
	if p.Line != 0 || p.Col != len(": f ( -- ) "+line) {
		t.Errorf("last diagnostic at %+v", p)
	}
	// A 1 MB comment, string and definition name.
	analyze(t, "\\ "+word)
	analyze(t, "( "+word+" )")
	analyze(t, ": f ( -- c-addr u ) s\" "+word+"\" ;")
	analyze(t, ": "+word+" ( -- ) ; "+word)
	// 1 MB of blanks and of newlines.
	analyze(t, strings.Repeat(" ", mb)+"zork")
	analyze(t, strings.Repeat("\n", mb)+"zork")
	analyze(t, strings.Repeat("\r\n", mb/2)+"zork")
}

func TestRobustDeepNesting(t *testing.T) {
	const n = 5000
	t.Run("if", func(t *testing.T) {
		src := ": f ( n -- n ) " + strings.Repeat("dup if ", n) + strings.Repeat("then ", n) + ";"
		r := analyze(t, src)
		if s := defStatus(r, "f"); s != "verified ( n -- n )" {
			t.Errorf("f: %q", s)
		}
		if len(r.Diags) != 0 {
			t.Errorf("diagnostics: %v", r.Diags[:min(len(r.Diags), 5)])
		}
	})
	t.Run("if else", func(t *testing.T) {
		src := ": f ( n -- n ) " + strings.Repeat("dup if ", n) + strings.Repeat("1+ else 1- then ", n) + ";"
		if s := defStatus(analyze(t, src), "f"); s != "verified ( n -- n )" {
			t.Errorf("f: %q", s)
		}
	})
	t.Run("begin", func(t *testing.T) {
		src := ": f ( n -- n ) " + strings.Repeat("begin ", n) + strings.Repeat("dup until ", n) + ";"
		if s := defStatus(analyze(t, src), "f"); s != "verified ( n -- n )" {
			t.Errorf("f: %q", s)
		}
		// "0 until" never leaves its loop: no path returns.
		src = ": f ( -- ) " + strings.Repeat("begin ", n) + strings.Repeat("0 until ", n) + ";"
		if s := defStatus(analyze(t, src), "f"); s != "verified ?" {
			t.Errorf("f: %q", s)
		}
	})
	t.Run("begin while repeat", func(t *testing.T) {
		src := ": f ( n -- n ) " + strings.Repeat("begin dup while ", n) + strings.Repeat("1- repeat ", n) + ";"
		r := analyze(t, src)
		if s := defStatus(r, "f"); !strings.HasPrefix(s, "verified ( n -- ") {
			t.Errorf("f: %q", s)
		}
	})
	t.Run("do", func(t *testing.T) {
		// Each DO puts its parameters on the return stack: up to
		// infer.MaxItems loops deep the effect is inferred, deeper it is
		// unknown, and the DO past the limit says so.
		src := ": f ( -- ) " + strings.Repeat("10 0 do ", infer.MaxItems) + strings.Repeat("loop ", infer.MaxItems) + ";"
		if s := defStatus(analyze(t, src), "f"); s != "verified ( -- )" {
			t.Errorf("f, %d loops deep: %q", infer.MaxItems, s)
		}
		src = ": f ( -- ) " + strings.Repeat("10 0 do ", n) + strings.Repeat("loop ", n) + ";"
		r := analyze(t, src)
		if s := defStatus(r, "f"); s != "unknown ?" {
			t.Errorf("f, %d loops deep: %q", n, s)
		}
		wantCodes(t, r, diag.TooDeep)
		want := ": f ( -- ) " + strings.Repeat("10 0 do ", infer.MaxItems)
		if d := r.Diags[0]; d.Start != len(want)+5 || !strings.Contains(d.Message, "DO loops nested 257 deep") {
			t.Errorf("too-deep at %d (want %d): %s", d.Start, len(want)+5, d.Message)
		}
	})
	t.Run("unclosed", func(t *testing.T) {
		// n constructs in all (the cost grows faster than linearly with
		// the depth of unclosed DO loops; see the report).
		r := analyze(t, ": f ( n -- n ) "+strings.Repeat("dup if begin 0 ?do case ", n/4)+";")
		wantCodes(t, r, diag.UnbalancedControl)
		analyze(t, ": f ( -- ) "+strings.Repeat("then repeat loop endcase ", n/4)+";")
	})
	t.Run("quotations", func(t *testing.T) {
		src := ": f ( -- ) " + strings.Repeat("[: ", n) + strings.Repeat(";] drop ", n) + ";"
		if s := defStatus(analyze(t, src), "f"); s != "verified ( -- )" {
			t.Errorf("f: %q", s)
		}
	})
	t.Run("conditional compilation", func(t *testing.T) {
		analyze(t, strings.Repeat("1 [if] ", n)+": g ( -- ) ;"+strings.Repeat(" [then]", n))
		r := analyze(t, "0 [if] "+strings.Repeat("[if] ", n)+strings.Repeat("[then] ", n)+"[then] : g ( -- ) ;")
		if s := defStatus(r, "g"); s != "verified ( -- )" {
			t.Errorf("g after skipped nested [if]s: %q", s)
		}
	})
	t.Run("comment groups and brackets", func(t *testing.T) {
		analyze(t, ": f ( -- ) "+strings.Repeat("[ ", n)+strings.Repeat("] ", n)+";")
		analyze(t, strings.Repeat("( ", n)+strings.Repeat(") ", n))
	})
}

func TestRobustManyDefinitions(t *testing.T) {
	const n = 10000
	var b strings.Builder
	b.WriteString(": w0 ( n -- n' ) 1+ ;\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, ": w%d ( n -- n' ) w%d 1+ ;\n", i, i-1)
	}
	r := analyze(t, b.String())
	if len(r.Defs) != n {
		t.Fatalf("%d definitions, want %d", len(r.Defs), n)
	}
	for _, dr := range r.Defs {
		if dr.Status != infer.Verified {
			t.Fatalf("%s: %s", dr.Def.Display, dr.Status)
		}
	}
	// Undeclared ones depend on their callees' inferred effects: a chain
	// 10,000 deep.
	b.Reset()
	b.WriteString(": v0 1+ ;\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, ": v%d v%d dup drop ;\n", i, i-1)
	}
	r = analyze(t, b.String())
	if s := defStatus(r, fmt.Sprintf("v%d", n-1)); s != "undeclared ( x -- x2 )" {
		t.Errorf("last of the chain: %q", s)
	}
	// The same name 10,000 times.
	r = analyze(t, strings.Repeat(": same ( -- ) ;\n", n))
	if codes(r)[diag.Redefined] != n-1 {
		t.Errorf("%d redefinitions, want %d", codes(r)[diag.Redefined], n-1)
	}
	// Variables, constants and created words.
	b.Reset()
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "variable v%d %d constant c%d create x%d %d ,\n", i, i, i, i, i)
	}
	analyze(t, b.String())
}

func TestRobustIncludes(t *testing.T) {
	t.Run("self", func(t *testing.T) {
		files := memFS{"/p/self.fs": "include self.fs\n: f ( -- ) ;\n"}
		ws := New(Options{ReadFile: files.read})
		r := analyzeWithin(t, ws, "/p/self.fs", []byte(files["/p/self.fs"]))
		if s := defStatus(r, "f"); s != "verified ( -- )" {
			t.Errorf("f: %q", s)
		}
		files["/p/req.fs"] = "require req.fs\nrequire req.fs\n: g ( -- ) ;\n"
		analyzeWithin(t, ws, "/p/req.fs", []byte(files["/p/req.fs"]))
	})
	t.Run("mutual", func(t *testing.T) {
		files := memFS{
			"/p/a.fs": "include b.fs\n: a ( -- ) b ;\n",
			"/p/b.fs": "include a.fs\n: b ( -- ) ;\n",
		}
		r := analyzeWithin(t, New(Options{ReadFile: files.read}), "/p/a.fs", []byte(files["/p/a.fs"]))
		if s := defStatus(r, "a"); s != "verified ( -- )" {
			t.Errorf("a: %q", s)
		}
	})
	t.Run("chain of 100", func(t *testing.T) {
		files := memFS{}
		for i := 0; i < 100; i++ {
			files[fmt.Sprintf("/chain/f%d.fs", i)] = fmt.Sprintf("include f%d.fs\n: w%d ( -- ) ;\n", i+1, i)
		}
		files["/chain/f100.fs"] = ": w100 ( -- ) ;\n"
		files["/chain/f0.fs"] += ": root ( -- ) w1 w100 ;\n"
		for _, depth := range []int{0, 200} {
			ws := New(Options{ReadFile: files.read, MaxIncludeDepth: depth})
			r := analyzeWithin(t, ws, "/chain/f0.fs", []byte(files["/chain/f0.fs"]))
			if s := defStatus(r, "w0"); s != "verified ( -- )" {
				t.Errorf("depth %d: w0: %q", depth, s)
			}
			if depth == 0 {
				// The default limit (64) stops the chain: w100 is not
				// seen.
				wantCodes(t, r, diag.Undefined)
			} else if len(r.Diags) != 0 {
				t.Errorf("depth limit 200: %v", r.Diags)
			}
		}
	})
	t.Run("chain with a cycle back to the root", func(t *testing.T) {
		files := memFS{}
		for i := 0; i < 100; i++ {
			files[fmt.Sprintf("/c/f%d.fs", i)] = fmt.Sprintf("include f%d.fs\n", (i+1)%100)
		}
		analyzeWithin(t, New(Options{ReadFile: files.read, MaxIncludeDepth: 1000}), "/c/f0.fs", []byte(files["/c/f0.fs"]))
	})
	t.Run("wide", func(t *testing.T) {
		// A file that includes another one 1,000 times, and a diamond.
		files := memFS{"/w/leaf.fs": ": leaf ( -- ) ;\n"}
		files["/w/root.fs"] = strings.Repeat("include leaf.fs\n", 1000) + ": r ( -- ) leaf ;\n"
		r := analyzeWithin(t, New(Options{ReadFile: files.read}), "/w/root.fs", []byte(files["/w/root.fs"]))
		if s := defStatus(r, "r"); s != "verified ( -- )" {
			t.Errorf("r: %q", s)
		}
		// include in a binary tree 2^12 paths deep through require-less includes
		for i := 0; i < 12; i++ {
			files[fmt.Sprintf("/w/t%d.fs", i)] = fmt.Sprintf("include t%d.fs\ninclude t%d.fs\n", i+1, i+1)
		}
		files["/w/t12.fs"] = ": t ( -- ) ;\n"
		analyzeWithin(t, New(Options{ReadFile: files.read}), "/w/t0.fs", []byte(files["/w/t0.fs"]))
	})
	t.Run("odd names", func(t *testing.T) {
		files := memFS{}
		for _, src := range []string{
			"include", "include \n", "require", "s\" \" included", "s\" \" required", "included", "2drop included",
			"include /", "include ..", "include ../../../../etc", "include \x00", "s\" \xff\" included",
		} {
			analyzeWithin(t, New(Options{ReadFile: files.read}), "/o/x.fs", []byte(src))
		}
	})
	t.Run("read error", func(t *testing.T) {
		ws := New(Options{ReadFile: func(string) ([]byte, error) { return nil, errors.New("disk on fire") }})
		r := analyzeWithin(t, ws, "/e/x.fs", []byte("include y.fs\n: f ( -- ) ;\n"))
		wantCodes(t, r, diag.IncludeNotFound)
	})
}

// stringWords are the builtins that parse text up to a delimiter or the
// end of the line, from the dictionary.
func stringWords(t *testing.T) []*builtins.Word {
	var ws []*builtins.Word
	for _, w := range builtins.All() {
		if w.Parse == builtins.ParseDelim || w.Parse == builtins.ParseLine {
			ws = append(ws, w)
		}
	}
	if len(ws) < 5 {
		t.Fatalf("only %d string words in the dictionary", len(ws))
	}
	return ws
}

// compiledStrings are the non-immediate string words whose compilation
// semantics parse (Forth 2012: s" and s\" are not immediate in gforth but
// parse when compiled).
var compiledStrings = map[string]bool{"s\"": true, "s\\\"": true, "c\"": true, ".\"": true, ".\\\"": true, "abort\"": true}

func TestRobustUnterminated(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"definition", ": f ( -- ) 1 2"},
		{"definition name", ":"},
		{"noname", ":noname 1 2"},
		{"definition in definition", ": f ( -- ) : g ( -- ) 1"},
		{"paren comment", "( never closed"},
		{"paren comment in definition", ": f ( -- ) ( never closed"},
		{"stack comment", ": f ( n -- n"},
		{"second stack comment", ": f ( n -- n ) ( R: -- x"},
		{"does> comment", ": f create does> ( -- x"},
		{"[if]", "1 [if] : f ( -- ) ;"},
		{"[if] skipped", "0 [if] : f ( -- ) ;"},
		{"[else] skipped", "1 [if] [else] : f ( -- ) ;"},
		{"[ifdef]", "[ifdef]"},
		{"[defined]", "[defined]"},
		{"locals {:", ": f ( a -- ) {: a b"},
		{"locals {: in comment", ": f {: a -- b"},
		{"locals {", ": f { a b"},
		{"locals|", ": f locals| a b"},
		{"code", "code f mov eax, ebx"},
		{"abi-code", "abi-code f ret"},
		{"quotation", ": f ( -- ) [: 1 2"},
		{"quotation closed by ;", ": f ( -- ) [: 1 2 ;"},
		{"nested quotations", ": f ( -- ) [: [: [: "},
		{"create does>", ": f create , does> @"},
		{"[", ": f ( -- ) [ 1 2"},
		{"postpone", ": f postpone"},
		{"[']", ": f [']"},
		{"[char]", ": f [char]"},
		{"'", "'"},
		{"char", "char"},
		{"to", "0 value v to"},
		{"is", "defer d is"},
		{"variable", "variable"},
		{"constant", "1 constant"},
		{"create", "create"},
		{"defer", "defer"},
		{"synonym", "synonym a"},
		{"alias", "' dup alias"},
		{"include", "include"},
		// Structures left open leave their sys on the stack, which
		// Forth does not check: no diagnostic is required.
		{"begin-structure (no diagnostic needed)", "begin-structure s field: a"},
		{"struct (no diagnostic needed)", "struct cell% field a"},
		{"case", ": f ( n -- ) case 1 of"},
		{"s\\\" with a trailing backslash", ": f s\\\" abc\\"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := analyze(t, tc.src)
			if len(r.Diags) == 0 && !strings.HasSuffix(tc.name, "(no diagnostic needed)") {
				t.Errorf("%q: no diagnostics", tc.src)
			}
		})
	}
	for _, w := range stringWords(t) {
		for _, src := range []string{
			w.Name + " never closed",
			w.Name,
			w.Name + " ",
			": f ( -- ) " + w.Name + " never closed",
			": f ( -- ) " + w.Name,
			": f ( -- ) " + w.Name + "\n;",
			"0 [if] " + w.Name + " x",
		} {
			analyze(t, src)
		}
		if w.Parse == builtins.ParseDelim && w.Delim != ')' && (w.Immediate || compiledStrings[w.Name]) {
			// In a definition, an unclosed string of a word that parses
			// when compiled is reported.
			r := analyze(t, ": f ( -- ) "+w.Name+" never closed\n;")
			if codes(r)[diag.Unterminated] == 0 {
				t.Errorf("%s: unclosed string not reported: %v", w.Name, r.Diags)
			}
		}
	}
}

func TestRobustNoTrailingNewline(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string // a definition that must be verified, when set
	}{
		{": f ( -- ) ;", "f"},
		{": f ( -- c-addr u ) s\" abc\" ;", "f"},
		{": f ( -- ) ; \\ comment", "f"},
		{": f ( -- ) ; ( comment )", "f"},
		{": f ( -- ) ; 1 drop", "f"},
		{": f ( -- c ) [char] x ;", "f"},
		{"\\ only a comment", ""},
		{"\\", ""},
		{"(", ""},
		{"( )", ""},
		{": f ( n -- n ) ;", "f"},
		{"variable v", ""},
		{"1 constant c", ""},
		{"hex", ""},
		{"1 [if] : f ( -- ) ; [then]", "f"},
		{": f ( -- ) ; immediate", "f"},
		{"s\" abc\"", ""},
		{".( hello)", ""},
		{"1e", ""},
		{"1.", ""},
		{"'x'", ""},
	} {
		r := analyze(t, tc.src)
		if tc.want != "" {
			if s := defStatus(r, tc.want); !strings.HasPrefix(s, "verified") {
				t.Errorf("%q: %s is %q", tc.src, tc.want, s)
			}
		}
		for _, d := range r.Diags {
			if d.Severity == diag.Error && tc.want != "" {
				t.Errorf("%q: %s: %s", tc.src, d.Code, d.Message)
			}
		}
	}
	// Top-level values at the end of a file without a newline are fine.
	for _, src := range []string{"1 2 2drop", "s\" abc\" 2drop", "1. 2drop", "1e fdrop"} {
		r := analyze(t, src)
		if len(r.Diags) != 0 {
			t.Errorf("%q: %v", src, r.Diags)
		}
	}
}

// TestRobustReanalysis: analysing many versions of a file in one workspace
// (as an editor does) stays well-behaved, and agrees with a fresh analysis.
func TestRobustReanalysis(t *testing.T) {
	base := ": a ( n -- n' ) 1+ ;\n: b ( n -- n' ) a a ;\n: c ( -- ) 1 b drop ;\n"
	ws := New(Options{ReadFile: memFS{}.read})
	// Every prefix of the text, then every suffix, then back to the whole.
	versions := []string{}
	for i := 0; i <= len(base); i++ {
		versions = append(versions, base[:i])
	}
	for i := 0; i <= len(base); i++ {
		versions = append(versions, base[i:])
	}
	versions = append(versions, base, strings.Replace(base, "1+", "1+ dup", 1), base)
	for _, v := range versions {
		r := analyzeWithin(t, ws, "/edit/x.fs", []byte(v))
		fresh := analyze(t, v)
		if got, want := diagSummary(r), diagSummary(fresh); got != want {
			t.Errorf("after editing to %q:\nincremental: %s\nfresh:       %s", v, got, want)
		}
	}
}

func diagSummary(r *Result) string {
	var b bytes.Buffer
	for _, d := range r.Diags {
		fmt.Fprintf(&b, "[%d,%d) %s %s; ", d.Start, d.End, d.Code, d.Message)
	}
	for _, dr := range r.Defs {
		inf := "?"
		if dr.Inferred != nil {
			inf = dr.Inferred.String()
		}
		fmt.Fprintf(&b, "%s:%s %s; ", dr.Def.Display, dr.Status, inf)
	}
	return b.String()
}
