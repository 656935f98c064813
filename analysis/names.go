package analysis

import (
	"errors"
	"fmt"
	"path/filepath"
	"unicode"
	"unicode/utf8"

	"github.com/fastforth/fastforth/analysis/number"
)

// CheckName reports why name cannot be the name of a new word, or nil: a
// name is one blank-free token of printable characters that a Forth
// system does not read as a number (in decimal, floats allowed), or its
// uses would push a number instead of calling it.
func CheckName(name string) error {
	switch {
	case name == "":
		return errors.New("a word name cannot be empty")
	case !utf8.ValidString(name):
		return fmt.Errorf("%q is not valid UTF-8", name)
	}
	for _, r := range name {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return fmt.Errorf("%q contains a blank or a control character: a Forth name is one blank-free token", name)
		}
	}
	if _, ok := number.Parse([]byte(name), 10, true); ok {
		return fmt.Errorf("%q reads as a number, not as a word name", name)
	}
	return nil
}

// IncludeCandidates lists, in the order they are tried, the files that
// include (or require) of path from the file from may name: path itself
// when absolute, else path next to from, then in each of dirs. Every
// reader of includes (the analysis, the language server's index) resolves
// them this way.
func IncludeCandidates(path, from string, dirs []string) []string {
	if filepath.IsAbs(path) {
		return []string{filepath.Clean(path)}
	}
	out := make([]string, 0, 1+len(dirs))
	out = append(out, filepath.Join(filepath.Dir(from), path))
	for _, dir := range dirs {
		out = append(out, filepath.Join(dir, path))
	}
	return out
}
