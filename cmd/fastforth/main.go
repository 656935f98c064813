// Command fastforth is the Fast Forth tool: a Forth language server and
// its command-line front ends over one analysis core.
//
//	fastforth check [--json] [--hints] [-I dir] PATH...
//	fastforth infer [--json] [-I dir] PATH...
//	fastforth lsp [--stdio] [--log FILE] [--demo FILE]
//	fastforth gen [--json] [--run] SPEC.json
//	fastforth patterns list|show|search [--json] ...
//	fastforth test [--json] [--gforth] FILE...
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: fastforth <command> [arguments]

commands:
  check [--json] [--hints] [-I dir]... PATH...   report diagnostics
  infer [--json] [-I dir]... PATH...             show every definition's stack effect
  init [--force] [--print] [DIR]                 write a project file (fastforth.toml) from what the files say
  lsp [--stdio] [--log FILE] [--demo FILE]       run the language server on stdin/stdout (--demo: a scripted editor session on FILE)
  gen [--json] [--run] SPEC.json                 generate a verified word and its tests from a spec
  test [--json] [--gforth] FILE...               run the files' T{ -> }T tests in the built-in Forth machine
  patterns list|show|search [--json] ...         browse the pattern library
  version                                        print the version

PATH is a file or a directory (searched for .fs .fth .4th .f .forth .fr .fb).
`

// version is set by the build.
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status: 0 success,
// 1 errors found, 2 usage or I/O error.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "infer":
		return runInfer(args[1:], stdout, stderr)
	case "init":
		return runInit(args[1:], stdout, stderr)
	case "lsp":
		return runLSP(args[1:], os.Stdin, stdout, stderr)
	case "gen":
		return runGen(args[1:], os.Stdin, stdout, stderr)
	case "patterns":
		return runPatterns(args[1:], stdout, stderr)
	case "test":
		return runTest(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "fastforth", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "fastforth: unknown command %q\n\n%s", args[0], usage)
	return 2
}
