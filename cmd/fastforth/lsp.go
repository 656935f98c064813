package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/fastforth/fastforth/analysis/builtins"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/internal/gctune"
	"github.com/fastforth/fastforth/lsp"
)

// lspHeadroom is how far the language server's heap may grow past what
// is live once twice the live heap is more. It trades memory for the
// collector's CPU: with a 160,000-line file open (200 to 300 MB live) a
// collection costs about 0.25 s of CPU. Forty keystrokes in that file and
// every request after them (TestMeasureProcess, FASTFORTH_MEASURE_KEYS=40)
// peaked at 410-450 MB resident with 64 MB, 440-470 MB with 96 MB and
// 490-570 MB with 128 MB, against 910-1020 MB with 200 percent; the CPU a
// keystroke was 78-84, 56-71, 48-61 and 30-36 ms.
const lspHeadroom = 64 << 20

// lspBudget is the heap the language server may grow to before it
// collects, when that leaves more than lspHeadroom past the live heap:
// while a large file is read, collections come less often.
const lspBudget = 256 << 20

// runLSP runs the language server on stdin and stdout: flags here, all
// else in package lsp.
func runLSP(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("lsp", flag.ContinueOnError)
	// Standard input and output are the only transport; editors that
	// name it (VS Code passes --stdio) are accepted.
	fset.Bool("stdio", true, "talk LSP over standard input and output (the only transport)")
	logFile := fset.String("log", "", "write a debug log to `FILE` (default: info log on standard error)")
	// vscode-languageclient may add --clientProcessId=PID: accepted and
	// ignored (the server exits when its input closes).
	fset.Int("clientProcessId", 0, "the editor's process id (ignored)")
	var includes, preload multiFlag
	fset.Var(&includes, "I", "directory to search for included files (repeatable)")
	fset.Var(&preload, "preload", "file loaded before each document, e.g. a test harness (repeatable)")
	dialect := fset.String("dialect", "", dialectUsage+" (default: the project file's, else gforth)")
	noFloats := fset.Bool("no-floats", false, "do not read float literals")
	demoFile := fset.String("demo", "", "run a session against the server as an editor would on `FILE` and print what it shows")
	pos, status, done := parseCommand("lsp", fset, args, stdout, stderr)
	if done {
		return status
	}
	if _, err := builtins.Get(*dialect); *dialect != "" && err != nil {
		fmt.Fprintf(stderr, "fastforth lsp: --dialect: %v\n", err)
		return 2
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "fastforth lsp: unexpected argument %q\n", pos[0])
		return 2
	}
	if *demoFile != "" {
		return runDemo(demoConfig{file: *demoFile, includes: includes, preload: preload, dialect: *dialect, noFloats: *noFloats, logFile: *logFile}, stdout, stderr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := lsp.Options{Version: moduleVersion(), LogFile: *logFile, LogWriter: stderr}
	opts.Analysis = analysis.Options{IncludePaths: includes, Preload: preload, Dialect: *dialect, NoFloats: *noFloats}
	// Requests allocate briefly over an analysis that lives as long as the
	// documents are open; at the default GOGC=100 marking it was about a
	// tenth of a hover's CPU. Twice the headroom costs a few MB
	// (BenchmarkLSPOpenGforthSources), but with the 200 to 300 MB a
	// 160,000-line file keeps live the server reached 1.1 GB resident:
	// past lspBudget, or lspHeadroom past the live heap, the heap grows no
	// further before a collection (package gctune). GOGC, when set, still
	// decides.
	if os.Getenv("GOGC") == "" {
		defer gctune.Start(200, lspHeadroom, lspBudget).Stop()
	}
	return lsp.Serve(ctx, stdin, stdout, opts)
}
