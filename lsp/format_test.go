package lsp

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/source"
	"github.com/fastforth/fastforth/internal/lsptest"
)

var updateFormat = flag.Bool("update-format", false, "rewrite the formatting golden files of testdata/format")

// formatSource formats src as the server would, with the whole-document
// options o, and returns the edits and the formatted text.
func formatSource(t testing.TB, name string, src []byte, o formatOptions) ([]fmtEdit, string) {
	t.Helper()
	r := analysis.New(analysis.Options{}).Analyze(name, src)
	edits := formatEdits(r.File.Source, r.File, o)
	return edits, applyFmtEdits(t, src, edits)
}

// applyFmtEdits applies sorted, non-overlapping edits.
func applyFmtEdits(t testing.TB, src []byte, edits []fmtEdit) string {
	t.Helper()
	var b strings.Builder
	last := 0
	for _, e := range edits {
		if e.start < last || e.end < e.start || e.end > len(src) {
			t.Fatalf("edits out of order or overlapping at %+v (after %d)", e, last)
		}
		b.Write(src[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.Write(src[last:])
	return b.String()
}

// mapOffset moves an offset of the text before the edits to the text
// after them. Text inserted right at a range's start goes before the
// range (start is true), at its end after it.
func mapOffset(off int, edits []fmtEdit, start bool) int {
	d := 0
	for _, e := range edits {
		if e.end < off || e.end == off && (e.start < off || start) {
			d += len(e.text) - (e.end - e.start)
		}
	}
	return off + d
}

func spacesOpts(n int) formatOptions {
	return formatOptions{indent: strings.Repeat(" ", n), trimTrailing: true, whole: true}
}

func TestFormatCases(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"if else then", ": f ( n -- )\ndup if\n. else\ndrop then ;\n",
			": f ( n -- )\n  dup if\n    . else\n    drop then ;\n"},
		{"else first on the line", ": f ( n -- )\ndup if\n.\nelse\ndrop\nthen ;\n",
			": f ( n -- )\n  dup if\n    .\n  else\n    drop\n  then ;\n"},
		{"closer first on the line", ": f ( n -- )\n dup if\n .\n then\n ;\n",
			": f ( n -- )\n  dup if\n    .\n  then\n;\n"},
		{"then ; stays in the body", ": f ( n -- )\ndup if\n.\nthen ;\n",
			": f ( n -- )\n  dup if\n    .\n  then ;\n"},
		{"strings with if inside", ": f ( -- )\n  s\" if\" type\n s\" then\" type\n    .\" else\"\n;\n",
			": f ( -- )\n  s\" if\" type\n  s\" then\" type\n  .\" else\"\n;\n"},
		{"comment with then", ": f ( n -- )\n  if \\ comment then\n  1\n  then ;\n",
			": f ( n -- )\n  if \\ comment then\n    1\n  then ;\n"},
		{"multi-line comment is left alone", ": f ( n -- )\n   ( one\n      then  \n   two )\n  if 1\n then ;\n",
			": f ( n -- )\n  ( one\n      then  \n   two )\n  if 1\n  then ;\n"},
		{"ticked and postponed control words", ": f ( -- )\n postpone if ['] then drop\n 1 drop ;\n",
			": f ( -- )\n  postpone if ['] then drop\n  1 drop ;\n"},
		{"begin while repeat", ": f ( n -- )\nbegin\ndup\nwhile\n1-\nrepeat\ndrop ;\n",
			": f ( n -- )\n  begin\n    dup\n  while\n    1-\n  repeat\n  drop ;\n"},
		{"two whiles and a then", ": f ( n -- )\nbegin\ndup\nwhile\ndup\nwhile\n1-\nrepeat\nthen\ndrop ;\n",
			": f ( n -- )\n  begin\n    dup\n  while\n    dup\n  while\n    1-\n  repeat\n  then\n  drop ;\n"},
		{"do loop and +loop", ": f ( -- )\n10 0 do\ni 0 ?do\nj drop\nloop\n2 +loop ;\n",
			": f ( -- )\n  10 0 do\n    i 0 ?do\n      j drop\n    loop\n    2 +loop ;\n"},
		{"case", ": f ( n -- )\ncase\n1 of 10 endof\n2 of\n20\nendof\n0 swap\nendcase drop ;\n",
			": f ( n -- )\n  case\n    1 of 10 endof\n    2 of\n      20\n    endof\n    0 swap\n  endcase drop ;\n"},
		{"does>", ": m ( n -- )\ncreate ,\ndoes> ( addr -- n )\n@ ;\n",
			": m ( n -- )\n  create ,\ndoes> ( addr -- n )\n  @ ;\n"},
		{"quotation", ": f ( -- xt )\n[: ( -- )\n1 drop\n;] ;\n",
			": f ( -- xt )\n  [: ( -- )\n    1 drop\n  ;] ;\n"},
		{":noname", ":noname\n2 drop ;\n", ":noname\n  2 drop ;\n"},
		{"first line goes to column 0", "   : f ( -- )\n      1 drop ;\n",
			": f ( -- )\n  1 drop ;\n"},
		{"top-level code is not indented", "   1 2 +\n  . \n",
			"   1 2 +\n  .\n"},
		{"two definitions on a line", ": a 1 ; : b ( -- )\n2 drop ;\n",
			": a 1 ; : b ( -- )\n  2 drop ;\n"},
		{"blank lines inside", ": f ( -- )\n   \n1 drop ;\n",
			": f ( -- )\n\n  1 drop ;\n"},
		{"try iferror", ": f ( xt -- )\ntry\nexecute 0\niferror\ndrop\nthen\nendtry drop ;\n",
			": f ( xt -- )\n  try\n    execute 0\n  iferror\n    drop\n  then\n  endtry drop ;\n"},
		{"[if] in a definition", ": f ( -- )\n[ 1 ] [if]\n1 drop\n[else]\n  2 drop\n[then] ;\n",
			": f ( -- )\n  [ 1 ] [if]\n    1 drop\n  [else]\n  2 drop\n  [then] ;\n"},
		{"unterminated definition left alone", ": f ( -- )\n     1 drop\n", ": f ( -- )\n     1 drop\n"},
		{"unterminated string keeps its blanks", ": f ( -- )\n s\" abc   \n;\n", ": f ( -- )\n  s\" abc   \n;\n"},
		{"crlf", ": f ( n -- )\r\ndup if\r\n. then ;\r\n", ": f ( n -- )\r\n  dup if\r\n    . then ;\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, got := formatSource(t, "/tmp/case.fs", []byte(tt.in), spacesOpts(2))
			if got != tt.want {
				t.Fatalf("formatting\n%s\ngot\n%s\nwant\n%s", tt.in, got, tt.want)
			}
			edits, again := formatSource(t, "/tmp/case.fs", []byte(got), spacesOpts(2))
			if len(edits) != 0 {
				t.Fatalf("not idempotent: %+v\n%s", edits, again)
			}
		})
	}
}

func TestFormatOptions(t *testing.T) {
	in := ": f ( n -- )  \ndup if\n. then ;  \n\n\n"
	yes, no := true, false
	for _, tt := range []struct {
		name string
		o    formatOptions
		want string
	}{
		{"tabs", formatOptions{indent: "\t", trimTrailing: true, whole: true}, ": f ( n -- )\n\tdup if\n\t\t. then ;\n\n\n"},
		{"keep trailing", formatOptions{indent: "   ", whole: true}, ": f ( n -- )  \n   dup if\n      . then ;  \n\n\n"},
		{"trim final newlines", formatOptions{indent: " ", trimTrailing: true, trimFinal: true, whole: true}, ": f ( n -- )\n dup if\n  . then ;\n"},
		{"range: line 1 only", formatOptions{indent: "  ", trimTrailing: true, from: 1, to: 1}, ": f ( n -- )  \n  dup if\n. then ;  \n\n\n"},
	} {
		_, got := formatSource(t, "/tmp/opts.fs", []byte(in), tt.o)
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	// A missing final newline is added, after the trimmed blanks.
	_, got := formatSource(t, "/tmp/opts.fs", []byte(": f ( -- )\n1 drop ;   "), formatOptions{indent: "  ", trimTrailing: true, finalNewline: true, whole: true})
	if want := ": f ( -- )\n  1 drop ;\n"; got != want {
		t.Errorf("insertFinalNewline: got %q, want %q", got, want)
	}
	_, got = formatSource(t, "/tmp/opts.fs", []byte("1 drop\r\n2 drop"), formatOptions{finalNewline: true, whole: true})
	if want := "1 drop\r\n2 drop\r\n"; got != want {
		t.Errorf("insertFinalNewline with CRLF: got %q, want %q", got, want)
	}
	// The request's options: tab size and spaces, else the settings' indent.
	for _, tt := range []struct {
		o    protocol.FormattingOptions
		want string
	}{
		{protocol.FormattingOptions{TabSize: 4, InsertSpaces: true}, "    "},
		{protocol.FormattingOptions{TabSize: 4}, "\t"},
		{protocol.FormattingOptions{}, "   "},
	} {
		fo := formatOptionsFrom(tt.o, 3)
		if fo.indent != tt.want || !fo.trimTrailing {
			t.Errorf("%+v: indent %q, want %q", tt.o, fo.indent, tt.want)
		}
	}
	fo := formatOptionsFrom(protocol.FormattingOptions{TabSize: 2, TrimTrailingWhitespace: &no, InsertFinalNewline: &yes, TrimFinalNewlines: &yes}, 2)
	if fo.trimTrailing || !fo.finalNewline || !fo.trimFinal {
		t.Errorf("options not read: %+v", fo)
	}
}

// TestFormatGolden formats the files of testdata/format and the examples
// and compares with the .golden files (-update-format rewrites them).
func TestFormatGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/format/*.fs")
	files = append(files, "../testdata/examples/demo.fs")
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, got := formatSource(t, path, src, spacesOpts(2))
		golden := filepath.Join("testdata/format", strings.TrimSuffix(filepath.Base(path), ".fs")+".golden")
		if *updateFormat {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./lsp -run FormatGolden -update-format to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s: formatted text differs from %s:\n%s", path, golden, got)
		}
		if edits, _ := formatSource(t, path, []byte(got), spacesOpts(2)); len(edits) != 0 {
			t.Errorf("%s: formatting the formatted text changes it: %+v", path, edits)
		}
	}
}

// TestFormatGforthSources formats every source file gforth ships and
// checks that the words are the same, in the same order and on the same
// lines, that no comment or string changed, and that formatting again
// changes nothing.
func TestFormatGforthSources(t *testing.T) {
	var files []string
	_ = filepath.WalkDir("/usr/share/gforth/0.7.3", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".fs") || strings.HasSuffix(p, ".fb")) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("gforth's sources are not installed")
		}
		t.Skip("gforth's sources are not installed")
	}
	sort.Strings(files)
	changed := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r := analysis.New(analysis.Options{}).Analyze(path, src)
		edits := formatEdits(r.File.Source, r.File, spacesOpts(2))
		got := applyFmtEdits(t, src, edits)
		if len(edits) > 0 {
			changed++
		}
		a, b := lineWords(src), lineWords([]byte(got))
		if len(a) != len(b) {
			t.Errorf("%s: %d lines became %d", path, len(a), len(b))
			continue
		}
		for i := range a {
			if a[i] != b[i] {
				t.Errorf("%s:%d: words changed:\n%s\n%s", path, i+1, a[i], b[i])
				break
			}
		}
		text, strs := textOf(r.File)
		for _, sp := range append(text, strs...) {
			s, e := mapOffset(sp.s, edits, true), mapOffset(sp.e, edits, false)
			if got[s:e] != string(src[sp.s:sp.e]) && !onlyEndBlanks(string(src[sp.s:sp.e]), got[s:e]) {
				t.Errorf("%s: %q became %q", path, src[sp.s:sp.e], got[s:e])
				break
			}
		}
		if again := formatEdits(source.NewFile(path, []byte(got)), analysis.New(analysis.Options{}).Analyze(path, []byte(got)).File, spacesOpts(2)); len(again) != 0 {
			t.Errorf("%s: formatting again changes it: %+v", path, again[0])
		}
	}
	t.Logf("%d of %d files would change", changed, len(files))
}

// onlyEndBlanks reports whether a and b differ only in the blanks at
// their ends: a line comment's trailing blanks are trimmed, and inactive
// [if] text ends with the indentation of the [else] or [then] after it.
func onlyEndBlanks(a, b string) bool {
	return strings.TrimRight(a, " \t") == strings.TrimRight(b, " \t")
}

// lineWords lists each line's words, joined by one blank.
func lineWords(src []byte) []string {
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	var out []string
	for _, l := range strings.Split(string(src), "\n") {
		out = append(out, strings.Join(strings.Fields(l), " "))
	}
	return out
}

// TestFormatRequests drives the two requests through the server.
func TestFormatRequests(t *testing.T) {
	h := startServer(t, Options{}, nil)
	h.initialize(nil)
	const u = "file:///tmp/fmt-req.fs"
	open(h, u, ": f ( n -- )\ndup if\n. then ;   \n: g ( -- )\n1 drop ;\n", 1)
	var edits []struct {
		Range   lsptest.Range `json:"range"`
		NewText string        `json:"newText"`
	}
	h.Request("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": u},
		"options": map[string]any{"tabSize": 4, "insertSpaces": true}}, &edits)
	want := []string{`1:0-1:0 "    "`, `2:0-2:0 "        "`, `2:8-2:11 ""`, `4:0-4:0 "    "`}
	if got := describeEdits(edits); strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("formatting: %v, want %v", got, want)
	}
	h.Request("textDocument/rangeFormatting", map[string]any{"textDocument": map[string]any{"uri": u},
		"range":   map[string]any{"start": map[string]any{"line": 3, "character": 0}, "end": map[string]any{"line": 5, "character": 0}},
		"options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &edits)
	if got := describeEdits(edits); strings.Join(got, "; ") != `4:0-4:0 "  "` {
		t.Errorf("range formatting: %v", got)
	}
	// Nothing to change: an empty list, not null.
	open(h, "file:///tmp/fmt-ok.fs", ": f ( -- )\n  1 drop ;\n", 1)
	m := h.Response(h.Call("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": "file:///tmp/fmt-ok.fs"},
		"options": map[string]any{"tabSize": 2, "insertSpaces": true}}))
	if string(m.Result) != "[]" {
		t.Errorf("formatting formatted text: %s", m.Result)
	}
	// format.enable false: nothing.
	h.Notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"fastforth": map[string]any{"format": map[string]any{"enable": false}}}})
	m = h.Response(h.Call("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": u},
		"options": map[string]any{"tabSize": 4, "insertSpaces": true}}))
	if string(m.Result) != "[]" {
		t.Errorf("formatting while disabled: %s", m.Result)
	}
	wantError(t, h.Response(h.Call("textDocument/formatting", map[string]any{"options": map[string]any{}})), codeInvalidParams)
}

func describeEdits(edits []struct {
	Range   lsptest.Range `json:"range"`
	NewText string        `json:"newText"`
}) []string {
	var out []string
	for _, e := range edits {
		out = append(out, fmt.Sprintf("%d:%d-%d:%d %q", e.Range.Start.Line, e.Range.Start.Character, e.Range.End.Line, e.Range.End.Character, e.NewText))
	}
	return out
}

// BenchmarkFormatGforthKernel formats gforth's largest source file.
func BenchmarkFormatGforthKernel(b *testing.B) {
	src, err := os.ReadFile("/usr/share/gforth/0.7.3/kernel/int.fs")
	if err != nil {
		b.Skip(err)
	}
	r := analysis.New(analysis.Options{}).Analyze("int.fs", src)
	b.ResetTimer()
	for b.Loop() {
		formatEdits(r.File.Source, r.File, spacesOpts(2))
	}
}
