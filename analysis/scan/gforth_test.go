package scan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

// TestGforthBlanks checks IsBlank against gforth for every byte: for each b
// it evaluates "dup<b>drop" and sees whether that was two words.
func TestGforthBlanks(t *testing.T) {
	out := gforthtest.Run(t, `
create buf 16 allot
: probe ( -- )
  256 0 do
    s" dup" buf swap move  i buf 3 + c!  s" drop" buf 4 + swap move
    5 buf 8 ['] evaluate catch
    if 2drop ." w" else drop ." b" then
  loop cr ;
probe
`)
	out = strings.TrimSpace(out)
	if len(out) != 256 {
		t.Fatalf("unexpected gforth output %q", out)
	}
	for b := 0; b < 256; b++ {
		if gf := out[b] == 'b'; gf != IsBlank(byte(b)) {
			t.Errorf("byte %#02x: gforth blank=%v, IsBlank=%v", b, gf, !gf)
		}
	}
}

// TestGforthUnescape checks that Unescape decodes like gforth's s\" , for
// standard and non-standard escapes alike.
func TestGforthUnescape(t *testing.T) {
	texts := []string{
		`abc`, `a\"b`, `\a\b\e\f\l\m\n\q\r\t\v\z\\`, `\x41\x4a\x4A\xff\x00`,
		`\x4z`, `\xz`, `\101\0\7\08\1234`, `\c\d\g\k\s\y\N\Q\\`, `\é`, `é\"é`, `\;`,
	}
	var prog strings.Builder
	prog.WriteString(`: hexdump ( addr u -- ) bounds ?do i c@ 0 <# # # #> type loop ;
: t ( "text" -- ) [char] | emit \"-parse hexdump cr ;
hex
`)
	for _, text := range texts {
		fmt.Fprintf(&prog, "t %s\"\n", text)
	}
	lines := strings.Split(strings.TrimSpace(gforthtest.Run(t, prog.String())), "\n")
	if len(lines) != len(texts) {
		t.Fatalf("gforth printed %d lines for %d texts:\n%s", len(lines), len(texts), strings.Join(lines, "\n"))
	}
	for i, text := range texts {
		got, _ := Unescape([]byte(text))
		if want := strings.TrimPrefix(lines[i], "|"); fmt.Sprintf("%X", got) != want {
			t.Errorf("Unescape(%q) = %X, gforth %s", text, got, want)
		}
	}
}

// TestGforthParseArea checks the line-oriented behaviour Word, Until and
// Line model: which text parsing words see in a file.
func TestGforthParseArea(t *testing.T) {
	// Each case is a file fragment that leaves a marker on the stack iff
	// gforth read it the way the Scanner does; see TestUntil and TestLine
	// for the Scanner side of the same inputs.
	out := gforthtest.Run(t, ": ok 1 . ;\n"+
		// s" at the end of a line parses "" and the next line is read.
		": t1 s\"\n; : t1b t1 nip 0= if ok then ; t1b\n"+
		// \ at the end of a line comments out nothing of the next.
		"\\\nok\n"+
		// lone CR ends a line, also for \ comments.
		"\\ comment\rok\n"+
		// ( spans lines in a file.
		"( a\nb ) ok\n"+
		// parse-name consumes exactly one blank.
		": t2 s\"  x\" nip 2 = if ok then ; t2\n"+
		// .( does not span lines (last: it would swallow up to a ")").
		".( \nok\n")
	if got := strings.Count(out, "1 "); got != 6 || strings.TrimSpace(out) != strings.TrimSpace(strings.Repeat("1 ", 6)) {
		t.Errorf("gforth output %q: %d of 6 checks passed", out, got)
	}
}
