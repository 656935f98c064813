package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/fastforth/fastforth/patterns"
	"github.com/fastforth/fastforth/query"
)

const patternsUsage = `usage:
  fastforth patterns list [--json] [--category C]   list the patterns (of one category)
  fastforth patterns show [--json] ID               show one pattern with its code and tests
  fastforth patterns search [--json] WORDS...       rank the patterns by words of their name, tags, description

The builtin library is extended (or overridden, ID by ID, which is noted on
stderr) by the files *.forth-patterns in .fastforth/patterns of the current
directory or the nearest parent that has one, up to the project root (the
directory with fastforth.toml, else the version-control root); --no-builtin
uses those alone.
`

// displayPath makes an absolute path below the current directory
// relative, so that output does not depend on where the workspace is.
func displayPath(p string) string { return query.DisplayPath(p) }

// loadLibrary is the builtin library with the workspace's patterns;
// problems of the workspace's files go to stderr.
func loadLibrary(stderr io.Writer, noBuiltin bool) *patterns.Library {
	l := patterns.Builtin()
	if noBuiltin {
		l = patterns.Empty()
	}
	if dir := patterns.FindUserDir("."); dir != "" {
		l = l.WithUser(dir)
	}
	for _, d := range l.Diagnostics {
		d.File = displayPath(d.File)
		fmt.Fprintf(stderr, "fastforth: warning: %s\n", d.Error())
	}
	for _, d := range l.Notes {
		d.File = displayPath(d.File)
		fmt.Fprintf(stderr, "fastforth: note: %s\n", d.Error())
	}
	return l
}

// parseInterleaved parses flags that may come before or after the
// positional arguments ("show ID --json").
func parseInterleaved(fset *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, err
		}
		rest := fset.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// "--" ends the flags: what follows is positional, even "-x".
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func runPatterns(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, patternsUsage)
		return 2
	}
	sub := args[0]
	fset := flag.NewFlagSet("patterns "+sub, flag.ContinueOnError)
	asJSON := fset.Bool("json", false, "print JSON")
	noBuiltin := fset.Bool("no-builtin", false, "only the workspace's patterns (.fastforth/patterns), not the builtin library")
	category := ""
	if sub == "list" {
		fset.StringVar(&category, "category", "", "only the patterns of this category")
	}
	switch sub {
	case "list", "show", "search":
	case "help", "-h", "--help":
		fmt.Fprint(stdout, patternsUsage)
		return 0
	default:
		fmt.Fprintf(stderr, "fastforth patterns: unknown subcommand %q\n\n%s", sub, patternsUsage)
		return 2
	}
	pos, status, done := parseCommand("patterns", fset, args[1:], stdout, stderr)
	if done {
		return status
	}
	l := loadLibrary(stderr, *noBuiltin)
	switch sub {
	case "list":
		if len(pos) > 0 {
			fmt.Fprintf(stderr, "fastforth patterns list: unexpected argument %q\n", pos[0])
			return 2
		}
		list := l.All()
		if category != "" {
			if list = l.ByCategory(category); list == nil {
				var ids []string
				for _, c := range l.Categories() {
					ids = append(ids, c.ID)
				}
				fmt.Fprintf(stderr, "fastforth patterns list: no category %q (categories: %s)\n", category, strings.Join(ids, ", "))
				return 2
			}
		}
		if *asJSON {
			out := make([]query.Pattern, len(list))
			for i, p := range list {
				out[i] = query.PatternJSON(p)
			}
			writeJSON(stdout, out)
			return 0
		}
		last := ""
		for _, c := range l.Categories() {
			for _, p := range l.ByCategory(c.ID) {
				if category != "" && c.ID != category {
					continue
				}
				if c.ID != last {
					if last != "" {
						fmt.Fprintln(stdout)
					}
					fmt.Fprintf(stdout, "%s: %s\n", c.ID, c.Title)
					last = c.ID
				}
				fmt.Fprintf(stdout, "  %-28s %-28s %s\n", p.ID, p.Effect, p.Name)
			}
		}
		return 0
	case "show":
		if len(pos) != 1 {
			fmt.Fprintln(stderr, "fastforth patterns show: give one pattern ID")
			return 2
		}
		p := l.Get(pos[0])
		if p == nil {
			fmt.Fprintf(stderr, "fastforth patterns show: no pattern %q (try fastforth patterns search)\n", pos[0])
			return 1
		}
		if *asJSON {
			writeJSON(stdout, query.PatternJSON(p))
			return 0
		}
		printPattern(stdout, p)
		return 0
	default: // search
		if len(pos) == 0 {
			fmt.Fprintln(stderr, "fastforth patterns search: give words to search for")
			return 2
		}
		hits := l.Search(strings.Join(pos, " "))
		if *asJSON {
			out := make([]query.Pattern, len(hits))
			for i, h := range hits {
				out[i] = query.PatternJSON(h.Pattern)
				out[i].Score, out[i].Matched = h.Score, h.Matched
			}
			writeJSON(stdout, out)
			return 0
		}
		if len(hits) == 0 {
			fmt.Fprintln(stderr, "no pattern matches")
			return 1
		}
		for _, h := range hits {
			fmt.Fprintf(stdout, "%-28s %-28s %s\n", h.Pattern.ID, h.Pattern.Effect, h.Pattern.Name)
		}
		return 0
	}
}

func printPattern(w io.Writer, p *patterns.Pattern) {
	fmt.Fprintf(w, "%s: %s\n", p.ID, p.Name)
	fmt.Fprintf(w, "category:    %s\n", p.Category)
	fmt.Fprintf(w, "tags:        %s\n", strings.Join(p.Tags, ", "))
	fmt.Fprintf(w, "effect:      %s\n", p.Effect)
	fmt.Fprintf(w, "description: %s\n", p.Description)
	fmt.Fprintf(w, "defined in:  %s:%d\n", displayPath(p.File), p.Line)
	if p.Overrides != "" {
		fmt.Fprintf(w, "overrides:   builtin %s (%s)\n", p.ID, p.Overrides)
	}
	if len(p.Params) > 0 {
		fmt.Fprintln(w, "parameters:")
		for _, pr := range p.Params {
			fmt.Fprintf(w, "  %-10s %-7s default %-12s %s\n", pr.ID, pr.Type, pr.Default, pr.Description)
		}
	}
	fmt.Fprintf(w, "code:\n%s\ntests:\n%s\n", indent(p.Code), indent(p.Tests))
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
