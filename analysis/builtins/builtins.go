// Package builtins holds the dictionary of words a Forth system provides
// before any user code runs: every word of the Forth 2012 word sets and the
// gforth words that programs commonly use.
//
// The table is data (data/*.txt, embedded), read once on first use. Each
// non-blank line that is not a comment has five fields separated by " | ":
//
//	name | effect | word set | flags | description
//
// The effect may itself contain " | " (alternatives); the other fields may
// not. Comment lines start with '#'; a line whose text before the first
// " | " is one blank-free name is an entry even so, which lets the table
// list "#", "#>", "#s" and "#tib". For example
//
//	dup | ( x -- x x ) | core | - | Duplicate the top cell.
//	>r | ( x -- ) ( R: -- x ) | core | compile-only | Move x to the return stack.
//	s" | ( "ccc<quote>" -- c-addr u ) | core | immediate,parse=" | ...
//
// The effect is written in Forth 2012 notation (see package effect), or "?"
// when it is not known. Flags are "-" or a comma-separated list of:
// immediate, compile-only, parse=name (parses one name), parse=C (parses
// text up to the character C; parse=eol up to the end of the line).
package builtins

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/fastforth/fastforth/analysis/effect"
)

//go:embed data/*.txt
var dataFS embed.FS

// The tables are parsed ahead of time into tables_gen.go (the default
// dialect's too), so that a short-lived process such as "fastforth gen"
// does not spend its start reading them; TestGeneratedTables checks that
// the file is what the text gives.
//go:generate go test -run TestGeneratedTables -update-tables .

// Parse tells what text a word consumes from the input after its name.
type Parse uint8

const (
	// ParseNone: the word parses nothing.
	ParseNone Parse = iota
	// ParseName: the word parses one blank-delimited name.
	ParseName
	// ParseDelim: the word parses text up to Word.Delim.
	ParseDelim
	// ParseLine: the word parses the rest of the line.
	ParseLine
	// ParseWords: the word parses names up to a closing word (a user
	// word's Until: "skip| a b c |").
	ParseWords
)

// Word is one builtin word.
type Word struct {
	Name        string        // lower case, as looked up
	Effect      effect.Effect // meaningful only when Known
	EffectText  string        // the effect as written in the table
	Known       bool          // false when the table gives "?"
	WordSet     string        // e.g. "core", "core-ext", "floating", "gforth"
	Immediate   bool
	CompileOnly bool
	Parse       Parse
	Delim       byte // for ParseDelim
	Doc         string
	Source      string // data file and line, for error messages
	// Defines is set on a defining word of a dialect that the reader
	// does not know by name: executing it parses a name and makes a word
	// of this kind ("variable", "constant", "colon", "code", ...; see
	// Dialect). Child is the effect of the words it makes, when given.
	Defines string
	Child   *effect.Effect
	// SkipTo ends the text after the word that is not Forth (assembler
	// up to "end-code").
	SkipTo string
	// Value is the value a constant of the system pushes, when HasValue
	// ("value=10" for pForth's EOL): "EOL word" parses up to it.
	Value    int64
	HasValue bool
	// Loads is set on a system's own word for loading a file named
	// after it ("fload name"): "always" (as include) or "once" (as
	// require).
	Loads string
}

// StandardSet reports whether a word set is one of Forth 2012's
// (core, core-ext, double, ..., xchar-ext).
func StandardSet(ws string) bool {
	switch strings.TrimSuffix(ws, "-ext") {
	case "core", "double", "exception", "facility", "file", "floating", "locals", "memory",
		"search", "string", "tools", "xchar", "block":
		return true
	}
	return false
}

// DefineKinds are the kinds a defines= flag may name.
var DefineKinds = map[string]bool{
	"variable": true, "2variable": true, "fvariable": true, "create": true, "constant": true, "2constant": true,
	"fconstant": true, "value": true, "2value": true, "fvalue": true, "defer": true, "colon": true, "code": true,
	"field": true, "marker": true, "vocabulary": true, "module": true, "buffer": true, "extern": true, "enum": true,
}

var (
	once  sync.Once
	table map[string]*Word
	words []*Word
	errs  []error
)

func load() {
	if len(genWords) > 0 {
		// The tables as go generate parsed them (tables_gen.go): a
		// cold process does not read the text.
		words = make([]*Word, len(genWords))
		table = make(map[string]*Word, len(genWords))
		for i := range genWords {
			w := &genWords[i]
			words[i] = w
			table[w.Name] = w
		}
		return
	}
	table, words, errs = parseData()
}

// parseData reads the tables from data/*.txt.
func parseData() (map[string]*Word, []*Word, []error) {
	table := make(map[string]*Word, 2048)
	var words []*Word
	var errs []error
	files, _ := fs.Glob(dataFS, "data/*.txt")
	sort.Strings(files)
	for _, f := range files {
		b, err := dataFS.ReadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for i, line := range strings.Split(string(b), "\n") {
			w, err := parseLine(line)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %v", f, i+1, err))
				continue
			}
			if w == nil {
				continue
			}
			w.Source = fmt.Sprintf("%s:%d", f, i+1)
			if old, dup := table[w.Name]; dup {
				errs = append(errs, fmt.Errorf("%s: %q already defined at %s", w.Source, w.Name, old.Source))
				continue
			}
			table[w.Name] = w
			words = append(words, w)
		}
	}
	return table, words, errs
}

func parseLine(line string) (*Word, error) {
	line = strings.TrimRight(line, "\r")
	if t := strings.TrimSpace(line); t == "" || isComment(t) {
		return nil, nil
	}
	f := splitFields(line)
	if len(f) != 5 {
		return nil, fmt.Errorf("want 5 fields separated by \" | \", got %d", len(f))
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	w := &Word{Name: LowerASCII(f[0]), EffectText: f[1], WordSet: f[2], Doc: f[4]}
	if w.Name == "" || strings.ContainsAny(w.Name, " \t") {
		return nil, fmt.Errorf("bad name %q", f[0])
	}
	if f[1] != "?" {
		e, err := parseEffect(f[1])
		if err != nil {
			return nil, fmt.Errorf("%s: effect %q: %v", f[0], f[1], err)
		}
		w.Effect, w.Known = e, true
	}
	if w.WordSet == "" {
		return nil, fmt.Errorf("%s: empty word set", f[0])
	}
	if f[3] != "-" {
		for _, fl := range strings.Split(f[3], ",") {
			switch fl = strings.TrimSpace(fl); {
			case fl == "immediate":
				w.Immediate = true
			case fl == "compile-only":
				w.CompileOnly = true
			case fl == "parse=name":
				w.Parse = ParseName
			case fl == "parse=eol":
				w.Parse = ParseLine
			case strings.HasPrefix(fl, "parse=") && len(fl) == 7:
				w.Parse, w.Delim = ParseDelim, fl[6]
			case strings.HasPrefix(fl, "defines="):
				w.Defines = fl[len("defines="):]
				if !DefineKinds[w.Defines] {
					return nil, fmt.Errorf("%s: unknown defines= kind %q", f[0], w.Defines)
				}
			case strings.HasPrefix(fl, "child="):
				e, err := effect.Parse(fl[len("child="):])
				if err != nil {
					return nil, fmt.Errorf("%s: child effect %q: %v", f[0], fl, err)
				}
				w.Child = &e
			case fl == "loads=always" || fl == "loads=once":
				w.Loads = fl[len("loads="):]
				if w.Parse == ParseNone {
					w.Parse = ParseName
				}
			case strings.HasPrefix(fl, "value="):
				v, err := strconv.ParseInt(fl[len("value="):], 0, 64)
				if err != nil {
					return nil, fmt.Errorf("%s: bad value %q", f[0], fl)
				}
				w.Value, w.HasValue = v, true
			case strings.HasPrefix(fl, "skip-to=") && len(fl) > len("skip-to="):
				w.SkipTo = LowerASCII(fl[len("skip-to="):])
			default:
				return nil, fmt.Errorf("%s: unknown flag %q", f[0], fl)
			}
		}
	}
	if w.Defines != "" && w.Parse == ParseNone {
		w.Parse = ParseName
	}
	if w.Doc == "" {
		return nil, fmt.Errorf("%s: empty description", f[0])
	}
	return w, nil
}

// isComment reports whether a trimmed, non-blank line is a comment: it
// starts with '#', unless it is the entry of a word whose name starts with
// '#' ("# | ...", "#> | ...", "#tib | ..."), that is, unless the text
// before the first " | " is one blank-free name.
func isComment(t string) bool {
	if t[0] != '#' {
		return false
	}
	i := strings.Index(t, " | ")
	return i < 0 || strings.ContainsAny(t[:i], " \t")
}

// splitFields splits a table line into its five fields. The effect may
// itself contain " | " (alternatives such as "( x -- 0 | x x )"), so the
// name is the text before the first separator and the word set, flags and
// description are the last three fields; the effect is what lies between.
func splitFields(line string) []string {
	i := strings.Index(line, " | ")
	if i < 0 {
		return []string{line}
	}
	f := []string{line[:i], "", "", "", ""}
	rest := line[i+3:]
	for k := 4; k >= 2; k-- {
		j := strings.LastIndex(rest, " | ")
		if j < 0 {
			return f[:6-k]
		}
		f[k], rest = rest[j+3:], rest[:j]
	}
	f[1] = rest
	return f
}

// Lookup finds a builtin by name, ignoring case. It does not allocate when
// name is already lower case.
func Lookup(name string) *Word {
	once.Do(load)
	if w, ok := table[name]; ok {
		return w
	}
	var buf [64]byte
	if len(name) <= len(buf) {
		b := buf[:len(name)]
		for i := 0; i < len(name); i++ {
			c := name[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b[i] = c
		}
		return table[string(b)]
	}
	return table[LowerASCII(name)]
}

// All returns every builtin of data/*.txt (the gforth-0.7 dialect) in
// table order.
func All() []*Word {
	once.Do(load)
	return words
}

// Errors returns the problems found while reading the table; a correct
// table has none (a test enforces it).
func Errors() []error {
	once.Do(load)
	return errs
}

// Effects are parsed once per text: the tables repeat a few hundred
// effects over thousands of words (the parse of the tables is most of a
// cold process's start). Parsed effects are never changed in place.
var (
	effectMu   sync.Mutex
	effectMemo = map[string]effectOrErr{}
)

type effectOrErr struct {
	e   effect.Effect
	err error
}

func parseEffect(text string) (effect.Effect, error) {
	effectMu.Lock()
	defer effectMu.Unlock()
	if r, ok := effectMemo[text]; ok {
		return r.e, r.err
	}
	e, err := effect.Parse(text)
	effectMemo[text] = effectOrErr{e, err}
	return e, err
}
