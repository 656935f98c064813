package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/fastforth/fastforth/analysis/project"
)

// runInit writes a project file for the directory (default: the current
// one) from what its files say, and says why it chose each value.
func runInit(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("init", flag.ContinueOnError)
	force := fset.Bool("force", false, "replace an existing "+project.FileName)
	print := fset.Bool("print", false, "print the project file instead of writing it")
	pos, status, done := parseCommand("init", fset, args, stdout, stderr)
	if done {
		return status
	}
	if len(pos) > 1 {
		fmt.Fprintln(stderr, "fastforth init: one directory at most")
		return 2
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "fastforth init: %s is not a directory\n", dir)
		return 2
	}
	target := filepath.Join(dir, project.FileName)
	if _, err := os.Stat(target); err == nil && !*force && !*print {
		fmt.Fprintf(stderr, "fastforth init: %s exists (--force replaces it)\n", target)
		return 2
	}
	abs, _ := filepath.Abs(dir)
	// The proposal is for dir itself: a project file there makes it the
	// root.
	pr := project.Propose(abs)
	if pr.Root != abs {
		pr = project.ProposeAt(abs)
	}
	text := pr.TOML()
	if *print {
		fmt.Fprint(stdout, text)
		return 0
	}
	if err := os.WriteFile(target, []byte(text), 0o644); err != nil {
		fmt.Fprintf(stderr, "fastforth init: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "wrote %s:\n", target)
	fmt.Fprintf(stdout, "  dialect = %q: %s\n", pr.Dialect, pr.DialectWhy)
	if len(pr.Load) > 0 {
		fmt.Fprintf(stdout, "  load = %v: %s\n", pr.Load, pr.LoadWhy)
	} else {
		fmt.Fprintf(stdout, "  no load: %s\n", pr.LoadWhy)
	}
	if len(pr.IncludePaths) > 0 {
		fmt.Fprintf(stdout, "  include-paths = %v: %s\n", pr.IncludePaths, pr.IncludeWhy)
	}
	for i, r := range pr.Files {
		fmt.Fprintf(stdout, "  [[files]] %s preloads %v: %s\n", r.Match, r.Preload, pr.FilesWhy[i])
	}
	return 0
}
