// Package gforthtest runs gforth, the reference Forth system, for tests
// that check the analysis against it. Without gforth such tests skip,
// except under CI=true, where a missing gforth is a failure.
package gforthtest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// missing skips the test, or fails it in CI.
func missing(tb testing.TB, what string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s (required when CI=true; apt-get install gforth)", what)
	}
	tb.Skip(what)
}

// Path returns the gforth binary.
func Path(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("gforth")
	if err != nil {
		missing(tb, "gforth not found on PATH")
	}
	return p
}

// Dir returns the directory of gforth's Forth sources (Debian's package
// puts them in /usr/share/gforth/VERSION).
func Dir(tb testing.TB) string {
	tb.Helper()
	dirs, _ := filepath.Glob("/usr/share/gforth/*")
	for _, d := range dirs {
		if st, err := os.Stat(filepath.Join(d, "kernel")); err == nil && st.IsDir() {
			return d
		}
	}
	missing(tb, "gforth sources not installed")
	return ""
}

// Env is the environment gforth runs in: gforth 0.7.3 reads characters as
// UTF-8 only when the locale names UTF-8.
func Env() []string { return append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8") }

// Run runs program as a file in one gforth process and returns its
// standard output. Anything on standard error, a failure, or a run longer
// than a minute (gforth waits for input after an error) fails the test.
func Run(tb testing.TB, program string) string {
	tb.Helper()
	bin := Path(tb)
	file := filepath.Join(tb.TempDir(), "test.fs")
	if err := os.WriteFile(file, []byte(program), 0o644); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, file, "-e", "bye")
	cmd.Env = Env()
	cmd.Stdin = strings.NewReader("")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		tb.Fatalf("gforth: %v\n%s", err, stderr.String())
	}
	return string(out)
}
