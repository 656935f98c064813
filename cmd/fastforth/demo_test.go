package main

// Tests of `fastforth lsp --demo`: the built binary (TestMain) runs the
// session against a child server of its own. The transcript is checked
// against `fastforth check`, which shares the analysis but not the LSP
// path, so a diagnostic lost or moved on the way through the server, the
// pipes or the client shows up here.

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// demoSection returns the lines of the transcript's section whose heading
// matches heading (up to the next blank line), without the heading.
func demoSection(t *testing.T, transcript string, heading *regexp.Regexp) []string {
	t.Helper()
	lines := strings.Split(transcript, "\n")
	for i, l := range lines {
		if heading.MatchString(l) {
			var out []string
			for _, b := range lines[i+1:] {
				if b == "" {
					break
				}
				out = append(out, b)
			}
			return out
		}
	}
	t.Fatalf("no section %q in the transcript:\n%s", heading, transcript)
	return nil
}

var demoDiagLine = regexp.MustCompile(`^  (\d+):(\d+) (error|warning|info|hint) (\S+) (.+)$`)

// demoDiags reads a section of diagnostics as "line:col severity code".
func demoDiags(t *testing.T, lines []string) []string {
	t.Helper()
	var out []string
	for _, l := range lines {
		m := demoDiagLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("not a diagnostic line: %q", l)
		}
		out = append(out, fmt.Sprintf("%s:%s %s %s", m[1], m[2], m[3], m[4]))
	}
	return out
}

func TestLSPDemo(t *testing.T) {
	const file = "testdata/examples/demo.fs"
	r := fastforth(t, repoRoot, "lsp", "--demo", file)
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	out := r.stdout

	// The diagnostics of `check --json --hints`, the same file.
	c := fastforth(t, repoRoot, "check", "--json", "--hints", file)
	var checked []struct {
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Severity string `json:"severity"`
		Code     string `json:"code"`
	}
	if err := json.Unmarshal([]byte(c.stdout), &checked); err != nil || len(checked) == 0 {
		t.Fatalf("check --json: %v\n%s", err, c.stdout)
	}
	var want []string
	for _, d := range checked {
		want = append(want, fmt.Sprintf("%d:%d %s %s", d.Line, d.Column, d.Severity, d.Code))
	}
	opened := demoDiags(t, demoSection(t, out, regexp.MustCompile(`^didOpen version 1 -> \d+ diagnostics \(`)))
	if !slices.Equal(opened, want) {
		t.Errorf("diagnostics after didOpen:\n got %q\nwant %q (check --json --hints)", opened, want)
	}

	// The first diagnostic is wrong's comment; its quick fix corrects it,
	// and the server's next diagnostics are the others.
	fixed := demoDiags(t, demoSection(t, out, regexp.MustCompile(`^applied "Correct the stack comment to \( a b -- a x1 \)" \(1 edit\), didChange version 2 -> \d+ diagnostics \(`)))
	if !slices.Equal(fixed, want[1:]) {
		t.Errorf("diagnostics after the fix:\n got %q\nwant %q", fixed, want[1:])
	}

	hover := demoSection(t, out, regexp.MustCompile(`^documentSymbol -> \d+ symbols, \d+ colon definitions \(`))
	i := slices.IndexFunc(hover, func(l string) bool { return strings.HasPrefix(l, "  hover square at 5:3 (") })
	if i < 0 || i+3 >= len(hover) || hover[i+1] != "    square ( n -- n*n )" || !strings.Contains(hover[i+3], "they agree") {
		t.Errorf("no hover for square in:\n%s", strings.Join(hover, "\n"))
	}

	for _, w := range []string{
		"\ninitialize (", "  server: fastforth ", "  position encoding: utf-16\n",
		"\ninlayHint -> 1 hint (", "  41:12 ( x -- x2 )\n",
		"\nsignatureHelp at 5:27 after \"dup\" (", "  dup ( x -- x x )\n",
		"  [quickfix] Correct the stack comment to ( a b -- a x1 )\n",
		"\nformatting -> ", "\nfastforth/verify (", "  verified: false; ",
		"\nshutdown, exit (", "  server exit status 0\n",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("the transcript lacks %q:\n%s", w, out)
		}
	}
	compl := demoSection(t, out, regexp.MustCompile(`^completion at 5:26 after "du" -> \d+ items \(`))
	if len(compl) == 0 || len(compl) > 5 || !strings.HasPrefix(compl[0], "  dup ") {
		t.Errorf("completion after du:\n%s", strings.Join(compl, "\n"))
	}
}

// TestLSPDemoServerFails: a server that cannot start fails the demo
// with status 1 and its own words on stderr.
func TestLSPDemoServerFails(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "no-such-dir", "log")
	r := fastforth(t, repoRoot, "lsp", "--demo", "testdata/examples/demo.fs", "--log", bad)
	for _, w := range []string{"fastforth lsp --demo: initialize: the server closed the connection", "opening the log file"} {
		if r.code != 1 || !strings.Contains(r.stderr, w) {
			t.Errorf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, w)
		}
	}
}

func TestLSPDemoUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.fs")
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"missing file", []string{"lsp", "--demo", missing}, "fastforth lsp --demo: open " + missing + ": no such file or directory"},
		{"no file", []string{"lsp", "--demo"}, "flag needs an argument: -demo"},
		{"bad dialect", []string{"lsp", "--demo", "testdata/examples/demo.fs", "--dialect", "ans"}, `unknown dialect "ans" (known: `},
		{"extra argument", []string{"lsp", "--demo", "testdata/examples/demo.fs", "more.fs"}, `unexpected argument "more.fs"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fastforth(t, repoRoot, tc.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.stderr) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want 2 and %q", r.code, r.stderr, r.stdout, tc.stderr)
			}
		})
	}
}
