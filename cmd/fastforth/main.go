// Command fastforth is the Fast Forth tool: a Forth language server and
// its command-line front ends over one analysis core.
//
//	fastforth check [--json] [--hints] [-I dir] PATH...
//	fastforth infer [--json] [-I dir] PATH...
//	fastforth lsp [--stdio] [--log FILE] [--demo FILE]
//	fastforth gen [--json] [--run] SPEC.json
//	fastforth patterns list|show|search [--json] ...
//	fastforth test [--json] [--gforth] FILE...
//	fastforth mcp [--http ADDR]
//	fastforth serve [--addr ADDR] [--token TOKEN]
//	fastforth bench agent [--iterations N] [--via cli|lsp|mcp|http]
//	fastforth bench load [--route R] [--rate N] URL
//	fastforth version
//	fastforth help [COMMAND]
//
// Flags may come before or after the paths; every command takes --help.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// version is set by the build.
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status: 0 success,
// 1 errors found, 2 usage or I/O error.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText())
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
	case "mcp":
		return runMCP(args[1:], os.Stdin, stdout, stderr)
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "bench":
		return runBench(args[1:], stdout, stderr)
	case "version", "--version":
		if len(args) > 1 {
			if args[1] == "--help" || args[1] == "-h" {
				commandHelp(stdout, "version", nil)
				return 0
			}
			fmt.Fprintf(stderr, "fastforth version: unexpected argument %q\n", args[1])
			return 2
		}
		fmt.Fprint(stdout, versionText(debug.ReadBuildInfo()))
		return 0
	case "help":
		return runHelp(args[1:], stdout, stderr)
	case "-h", "--help":
		fmt.Fprint(stdout, usageText())
		return 0
	}
	fmt.Fprintf(stderr, "fastforth: unknown command %q\n\n%s", args[0], usageText())
	return 2
}
