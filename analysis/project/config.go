// Package project reads a Forth project the way its Forth system loads it:
// the project file (fastforth.toml), the project's files, which file
// includes which, and so the context each file is read in. Every front end
// (check, infer, the language server, and the agents' interfaces) opens a
// project through this package, so all read it the same way.
package project

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/pelletier/go-toml/v2"

	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
)

// FileName is the name of the project file.
const FileName = "fastforth.toml"

// Config is the project file's content. Paths are relative to the
// directory that holds the project file.
type Config struct {
	// Dialect names the Forth system the project is written for.
	Dialect string `toml:"dialect"`
	// Load lists the entry files, loaded in order in one dictionary as
	// "gforth a.fs b.fs" loads them. Naming them states the load order:
	// a word that a file uses without loading is then an error.
	Load []string `toml:"load"`
	// IncludePaths are searched for included files after the including
	// file's directory and the project's root.
	IncludePaths []string `toml:"include-paths"`
	// Preload are files loaded before each root file (a harness).
	Preload []string `toml:"preload"`
	// Words are word files (builtins.ParseWordFile) declaring words the
	// dialect lacks.
	Words []string `toml:"words"`
	// Exclude lists globs of files that are not part of the project.
	Exclude []string `toml:"exclude"`
	// Floats: false reads 1e as a word (no floating-point word set).
	Floats *bool `toml:"floats"`
	// Disable lists diagnostic codes not to report.
	Disable []string `toml:"disable"`
	// Files are settings for the files a glob matches; the last section
	// that matches a file wins for each key it sets.
	Files []FileRule `toml:"files"`
}

// FileRule is a [[files]] section.
type FileRule struct {
	Match   string   `toml:"match"`
	Dialect string   `toml:"dialect"`
	Preload []string `toml:"preload"`
	Words   []string `toml:"words"`
	Disable []string `toml:"disable"`
}

// Problem is one thing wrong with a project file.
type Problem struct {
	File      string
	Line, Col int // 1-based; 0 when not known
	Msg       string
}

func (p Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// ReadConfig reads and checks a project file: its syntax, its keys, and
// that the dialects, diagnostic codes and globs it names exist and the
// files it names are there. Every problem is reported, with its line.
func ReadConfig(file string) (*Config, []Problem) {
	// The project file of a hostile repository may be huge, or a link to
	// a device: it is read as source files are.
	src, err := readRegular(file)
	if err != nil {
		return nil, []Problem{{File: file, Msg: err.Error()}}
	}
	return ParseConfig(file, src)
}

// ParseConfig is ReadConfig for a project file's text.
func ParseConfig(file string, src []byte) (*Config, []Problem) {
	var c Config
	var probs []Problem
	d := toml.NewDecoder(bytes.NewReader(src))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		var se *toml.StrictMissingError
		var de *toml.DecodeError
		switch {
		case errors.As(err, &se):
			for _, e := range se.Errors {
				r, col := e.Position()
				probs = append(probs, Problem{File: file, Line: r, Col: col, Msg: "unknown key " + strings.Join(e.Key(), ".") + " (known: " + knownKeys(e.Key()) + ")"})
			}
			// Unknown keys aside, the rest was read.
		case errors.As(err, &de):
			r, col := de.Position()
			msg := strings.TrimPrefix(de.Error(), "toml: ")
			if k := de.Key(); len(k) > 0 {
				msg = strings.Join(k, ".") + ": " + msg
			}
			return nil, []Problem{{File: file, Line: r, Col: col, Msg: msg}}
		default:
			return nil, []Problem{{File: file, Msg: err.Error()}}
		}
	}
	probs = append(probs, c.check(file, src)...)
	return &c, probs
}

func knownKeys(key []string) string {
	if len(key) > 1 && key[0] == "files" {
		return "match, dialect, preload, words, disable"
	}
	return "dialect, load, include-paths, preload, words, exclude, floats, disable, [[files]]"
}

// check validates what the syntax cannot: names and files.
func (c *Config) check(file string, src []byte) []Problem {
	var probs []Problem
	dir := filepath.Dir(file)
	at := func(section int, key, value, msg string) {
		line, col := locate(src, section, key, value)
		probs = append(probs, Problem{File: file, Line: line, Col: col, Msg: msg})
	}
	dialect := func(section int, name string) {
		if name == "" {
			return
		}
		if _, err := builtins.Get(name); err != nil {
			at(section, "dialect", name, "dialect: "+err.Error())
		}
	}
	files := func(section int, key string, paths []string, wantDir bool) {
		for _, p := range paths {
			full := p
			if !filepath.IsAbs(p) {
				full = filepath.Join(dir, p)
			}
			st, err := os.Stat(full)
			switch {
			case err != nil:
				at(section, key, p, fmt.Sprintf("%s: %s not found", key, p))
			case wantDir && !st.IsDir():
				at(section, key, p, fmt.Sprintf("%s: %s is not a directory", key, p))
			case !wantDir && !st.Mode().IsRegular():
				at(section, key, p, fmt.Sprintf("%s: %s is not a regular file", key, p))
			}
		}
	}
	codes := func(section int, cs []string) {
		for _, code := range cs {
			if _, ok := diag.Severities[diag.Code(code)]; !ok {
				at(section, "disable", code, fmt.Sprintf("disable: unknown diagnostic code %q", code))
			}
		}
	}
	glob := func(section int, key, g string) {
		if g == "" {
			at(section, key, "", key+": an empty glob matches nothing")
			return
		}
		if !doublestar.ValidatePattern(filepath.ToSlash(g)) {
			at(section, key, g, fmt.Sprintf("%s: bad glob %q", key, g))
		}
	}
	dialect(-1, c.Dialect)
	files(-1, "load", c.Load, false)
	files(-1, "include-paths", c.IncludePaths, true)
	files(-1, "preload", c.Preload, false)
	files(-1, "words", c.Words, false)
	codes(-1, c.Disable)
	for _, g := range c.Exclude {
		glob(-1, "exclude", g)
	}
	for i, r := range c.Files {
		glob(i, "match", r.Match)
		dialect(i, r.Dialect)
		files(i, "preload", r.Preload, false)
		files(i, "words", r.Words, false)
		codes(i, r.Disable)
	}
	return probs
}

// locate finds the line and column of a key's value in the project file:
// in the top-level table (section -1) or in the section-th [[files]]
// table; at the value's text when value is given and found.
func locate(src []byte, section int, key, value string) (int, int) {
	lines := strings.Split(string(src), "\n")
	sec := -1
	keyRe := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*=`)
	inKey := false
	keyLine, keyCol := 0, 0
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			inKey = false
			if strings.HasPrefix(t, "[[files]]") {
				sec++
			} else {
				sec = -2 // another table
			}
			continue
		}
		if sec != section {
			continue
		}
		if keyRe.MatchString(l) {
			inKey = true
			keyLine, keyCol = i+1, strings.Index(l, key)+1
		} else if inKey && t != "" && !strings.HasPrefix(t, "#") && strings.Contains(t, "=") && !strings.HasPrefix(t, "\"") {
			inKey = false
		}
		if inKey && value != "" {
			if j := strings.Index(l, `"`+value+`"`); j >= 0 {
				return i + 1, j + 1
			}
			if j := strings.Index(l, `'`+value+`'`); j >= 0 {
				return i + 1, j + 1
			}
		}
	}
	if keyLine > 0 {
		return keyLine, keyCol
	}
	return 0, 0
}

// rulesFor returns the [[files]] sections that match a path relative to
// the root, in order.
func (c *Config) rulesFor(rel string) []FileRule {
	rel = filepath.ToSlash(rel)
	var out []FileRule
	for _, r := range c.Files {
		if ok, _ := doublestar.Match(filepath.ToSlash(r.Match), rel); ok {
			out = append(out, r)
		}
	}
	return out
}

// excluded reports whether a path relative to the root is excluded.
func (c *Config) excluded(rel string) bool {
	rel = filepath.ToSlash(rel)
	return slices.ContainsFunc(c.Exclude, func(g string) bool {
		ok, _ := doublestar.Match(filepath.ToSlash(g), rel)
		if !ok && !strings.Contains(g, "/") {
			// A glob without a slash matches a name at any depth.
			ok, _ = doublestar.Match(filepath.ToSlash(g), filepath.Base(rel))
		}
		return ok
	})
}
