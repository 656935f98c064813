package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// command is one command of the tool, for the usage text and its help.
type command struct {
	name     string
	synopsis string // the usage line(s), after "fastforth "
	summary  string // one line, for the top-level usage
	about    string // what --help says after the synopsis
}

// commands lists every command in the order the usage shows them.
var commands = []command{
	{"check", "check [--json] [--hints] [ANALYSIS FLAGS] PATH...", "report diagnostics",
		"Reports the diagnostics of every Forth file of the PATHs (files, or directories searched\nrecursively), each read in its project. Exit status: 0 clean, 1 errors found, 2 usage or I/O error.\nFlags may come before or after the paths."},
	{"infer", "infer [--json] [ANALYSIS FLAGS] PATH...", "show every definition's declared and inferred stack effect",
		"Lists every definition of the PATHs with its declared and inferred effect and a verdict.\nFlags may come before or after the paths."},
	{"init", "init [--force] [--print] [DIR]", "write a project file (fastforth.toml) from what the files say",
		"Writes DIR/fastforth.toml (DIR defaults to the current directory) from what the Forth files there say:\nthe dialect whose words explain the most of them, the entry files, include paths and test harnesses."},
	{"lsp", "lsp [--stdio] [--log FILE] [--demo FILE] [ANALYSIS FLAGS]", "run the language server on stdin/stdout",
		"Runs the language server over standard input and output (--stdio is accepted and implied).\n--demo FILE runs a scripted editor session against the server on FILE and prints what an editor shows."},
	{"gen", "gen [--json] [--run | --gforth PATH] [--timeout 20s] [--max-output BYTES] [--no-builtin] SPEC.json\n       fastforth gen --tester", "generate a verified word and its tests from a spec",
		strings.TrimSpace(strings.SplitN(genUsage, "\n\n", 2)[1])},
	{"test", "test [--json] [--gforth] [--timeout 1m] FILE...", "run the files' T{ -> }T tests in the built-in Forth machine",
		strings.TrimSpace(strings.SplitN(testUsage, "\n\n", 2)[1])},
	{"patterns", "patterns list|show|search [--json] ...", "browse the pattern library", ""},
	{"mcp", strings.TrimPrefix(strings.SplitN(mcpUsage, "\n", 2)[0], "usage: fastforth "), "run the MCP server for AI agents (stdio, or streamable HTTP)",
		strings.TrimSpace(strings.SplitN(mcpUsage, "\n\n", 2)[1])},
	{"serve", strings.TrimPrefix(strings.SplitN(serveUsage, "\n", 2)[0], "usage: fastforth "), "serve the HTTP JSON API (and MCP at /mcp)",
		strings.TrimSpace(strings.SplitN(serveUsage, "\n\n", 2)[1])},
	{"bench", "bench agent [--iterations N] [--via cli|lsp|mcp|http|all]\n       fastforth bench load [--route R] [--rate N] URL", "time an agent's loop against a real interface, or load a running server",
		strings.TrimSpace(strings.SplitN(benchUsage, "\n\n", 2)[1])},
	{"version", "version", "print the version: the module version and the VCS revision it was built from", ""},
	{"help", "help [COMMAND]", "print this usage, or a command's help", ""},
}

// analysisFlags documents the flags check, infer and lsp share.
const analysisFlags = `analysis flags (check, infer, lsp):
  --dialect NAME    the Forth system the code is written for (default: the project file's, else gforth)
  --words FILE      (check, infer) a word file declaring words of another system or library (repeatable)
  -I DIR            a directory to search for included files (repeatable)
  --preload FILE    a file loaded before each file nothing includes, e.g. a test harness (repeatable)
  --no-floats       read 1e as a word: a system without the floating-point word set
  --hints           (check) also report hints, such as a missing stack comment
  --json            (check, infer) print JSON
`

// usageText is the top-level usage.
func usageText() string {
	var b strings.Builder
	b.WriteString("usage: fastforth <command> [arguments]\n\ncommands:\n")
	for _, c := range commands {
		syn := strings.SplitN(c.synopsis, "\n", 2)[0]
		fmt.Fprintf(&b, "  %s\n      %s\n", syn, c.summary)
	}
	b.WriteString("\n" + analysisFlags)
	b.WriteString("\nPATH is a file or a directory (searched for .fs .fth .4th .f .forth .fr .fb, and the dialect's own endings).\n")
	b.WriteString("Run 'fastforth help COMMAND' or 'fastforth COMMAND --help' for a command's flags.\n")
	return b.String()
}

// commandHelp prints a command's synopsis, what it does and its flags
// (from fset, when given).
func commandHelp(w io.Writer, name string, fset *flag.FlagSet) {
	for _, c := range commands {
		if c.name != name {
			continue
		}
		fmt.Fprintf(w, "usage: fastforth %s\n", c.synopsis)
		if c.about != "" {
			fmt.Fprintf(w, "\n%s\n", c.about)
		} else if c.summary != "" {
			fmt.Fprintf(w, "\n%s.\n", capitalizeFirst(c.summary))
		}
		break
	}
	if fset != nil {
		var flags bytes.Buffer
		fset.SetOutput(&flags)
		fset.PrintDefaults()
		if flags.Len() > 0 {
			fmt.Fprintf(w, "\nflags:\n%s", flags.String())
		}
	}
}

func capitalizeFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// runHelp answers "fastforth help [COMMAND]".
func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, usageText())
		return 0
	}
	if len(args) > 1 {
		fmt.Fprintln(stderr, "fastforth help: one command at most")
		return 2
	}
	// Each command prints its own help for --help, with its flags.
	switch args[0] {
	case "check", "infer", "init", "lsp", "gen", "test", "patterns", "version", "mcp", "serve", "bench":
		return run([]string{args[0], "--help"}, stdout, stderr)
	case "help", "--help", "-h":
		commandHelp(stdout, "help", nil)
		return 0
	}
	fmt.Fprintf(stderr, "fastforth help: unknown command %q\n\n%s", args[0], usageText())
	return 2
}

// parseCommand parses a command's flags, which may come before or after
// its positional arguments. On --help or -h it prints the command's help
// on stdout and returns done with status 0; on a bad flag the message
// and the help go to stderr, status 2.
func parseCommand(name string, fset *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, status int, done bool) {
	fset.SetOutput(io.Discard)
	pos, err := parseInterleaved(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		commandHelp(stdout, name, fset)
		return nil, 0, true
	}
	if err != nil {
		fmt.Fprintf(stderr, "fastforth %s: %v\n\n", name, err)
		commandHelp(stderr, name, fset)
		return nil, 2, true
	}
	return pos, 0, false
}

// moduleVersion is the version the build gave (-ldflags -X main.version),
// else the module version the Go toolchain recorded, else "dev".
func moduleVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return version
}

// versionText is what "fastforth version" prints: the module version and
// the VCS revision of the build, as the Go toolchain recorded them.
func versionText(info *debug.BuildInfo, ok bool) string {
	v := version
	if !ok || info == nil {
		return "fastforth " + v + "\n"
	}
	if mv := info.Main.Version; mv != "" && mv != "(devel)" && v == "dev" {
		v = mv
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	line := "fastforth " + v
	if rev != "" {
		line += " revision " + rev
		if modified {
			line += " (modified)"
		}
		if at != "" {
			line += " " + at
		}
	} else {
		line += " (no VCS revision recorded: built outside a clone, or with -buildvcs=false)"
	}
	if info.GoVersion != "" {
		line += " " + info.GoVersion
	}
	return line + "\n"
}
