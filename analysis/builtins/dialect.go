package builtins

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
)

// A Dialect is the dictionary and the reading rules of one Forth system:
// the words it provides before any user code runs, and how its text
// differs from the standard's (module paths, fixed-point literals, item
// names that take two cells, ...).
//
// Dialects are data. "standard" is the Forth 2012 word sets (data/*.txt
// without the gforth entries); "gforth-0.7" is all of data/*.txt (gforth
// 0.7.3 as Debian ships it); every other dialect is a file
// dialects/NAME.txt that names its base dialect and adds (or replaces)
// words:
//
//	#! dialect: pforth
//	#! base: standard
//	#! description: pForth 2.0 (Phil Burk's portable Forth)
//	#! extensions: .fth .fs
//	#! rules: module-paths fixed-point-comma fixed-point-semicolon underscores hash-include
//	#!        interpret-control brace-comments raw-strings path-macros
//	#!        class-arrow double-marker
//	#! two-cell: d ud xd
//	#! two-float: z
//	#! library: /usr/share/gforth/*
//	name | effect | word set | flags | description
//
// Entries have the five fields of the word-set tables (see the package
// comment), with these flags besides: defines=KIND (executing the word
// parses a name and defines a word of that kind: variable, create,
// constant, 2constant, value, 2value, fvariable, fconstant, fvalue,
// defer, colon, code, field, marker, vocabulary, module, buffer; extern:
// a C prototype up to its ";" defines the function; enum: a C enumeration
// up to "};" defines its items as constants), child=EFFECT
// (the effect of the words it defines, when KIND does not fix it; the
// effect may not contain a comma) and skip-to=WORD (the text up to WORD
// is not Forth, as in "code ... end-code").
type Dialect struct {
	Name        string
	Base        string
	Description string
	Rules       Rules
	// Source is the data file the dialect comes from.
	Source string

	table map[string]*Word
	words []*Word // in table order, base words first
}

// Rules are the ways a system reads text that differ from the standard.
type Rules struct {
	// ModulePaths: "mod::word" names word of module mod (zeptoforth).
	ModulePaths bool
	// FixedPointComma: "1,5" is an s31.32 fixed-point literal of two
	// cells (zeptoforth, Mecrisp-Stellaris).
	FixedPointComma bool
	// FixedPointSemicolon: "1;5" is an S15.16 fixed-point literal of one
	// cell (zeptoforth's fixed32 extension, loaded by the projects that
	// use it, adds it through handle-number-hook).
	FixedPointSemicolon bool
	// RawStrings: r| text | is a string literal (ESP32forth, µEforth),
	// and strings and comments go on across lines.
	RawStrings bool
	// Underscores: digits may be separated by "_" (zeptoforth).
	Underscores bool
	// ModuleIncludes: "#include path" and "#require name" at the start
	// of a line load files (zeptoforth's and Mecrisp's upload tools).
	ModuleIncludes bool
	// InterpretControl: IF, BEGIN, DO and CASE work at top level (pForth's
	// smart conditionals, zeptoforth's implicit compilation).
	InterpretControl bool
	// ImplicitCompile: a control structure (or a quotation) at top level
	// is compiled into a nameless definition that runs when it closes,
	// so locals work in it (zeptoforth).
	ImplicitCompile bool
	// ParenLine: a "(" comment ends at the end of its line when it has
	// no ")" there (Mecrisp-Stellaris: "41 parse" over the line).
	ParenLine bool
	// BraceComments: "{ ... }" is a comment, across lines (SwiftForth).
	BraceComments bool
	// PathMacros: "%idir%" in an included path is the including file's
	// directory (VFX Forth's text macros).
	PathMacros bool
	// ClassArrow: "class->method" names the method of a class
	// (zeptoforth's oo.fs find hook).
	ClassArrow bool
	// DoubleMarker: "D: x" in a stack comment is one double-cell item x
	// (zeptoforth), not the data-stack label.
	DoubleMarker bool
	// Libraries are globs of the directories the system searches for
	// files to include or require after the current directory (gforth's
	// library directory).
	Libraries []string
	// TwoCell lists the stack-comment item names (lower case) that take
	// two data cells besides the standard d, ud, xd and their forms.
	TwoCell []string
	// TwoFloat lists item names that take two floats (a complex z).
	TwoFloat []string
	// Extensions lists the file name endings of the system's sources,
	// beyond the usual Forth ones.
	Extensions []string
}

// Lookup finds a word by name, ignoring ASCII case. It does not allocate
// when name is already lower case and short.
func (d *Dialect) Lookup(name string) *Word {
	if w, ok := d.table[name]; ok {
		return w
	}
	var buf [64]byte
	if len(name) <= len(buf) {
		b := buf[:len(name)]
		changed := false
		for i := 0; i < len(name); i++ {
			c := name[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
				changed = true
			}
			b[i] = c
		}
		if !changed {
			return nil
		}
		return d.table[string(b)]
	}
	return d.table[LowerASCII(name)]
}

// All returns every word of the dialect.
func (d *Dialect) All() []*Word { return d.words }

// Len is the number of words.
func (d *Dialect) Len() int { return len(d.words) }

// With returns a dialect that also knows ws (a user's word files); a word
// of ws replaces a dialect word of the same name. d is not changed.
func (d *Dialect) With(ws []*Word) *Dialect {
	if len(ws) == 0 {
		return d
	}
	n := *d
	n.table = make(map[string]*Word, len(d.table)+len(ws))
	for k, v := range d.table {
		n.table[k] = v
	}
	n.words = append([]*Word(nil), d.words...)
	n.add(ws)
	return &n
}

// withWords is d with the words of base and then ws, its table made from
// base's words: the same as base.With(ws) when base's table is made from
// its words, without making base's table (a cold process that uses the
// default dialect never needs gforth-0.7's).
func withWords(d, base *Dialect, ws []*Word) *Dialect {
	n := *d
	n.table = make(map[string]*Word, len(base.words)+len(ws))
	for _, w := range base.words {
		n.table[w.Name] = w
	}
	n.words = append(make([]*Word, 0, len(base.words)+len(ws)), base.words...)
	n.add(ws)
	return &n
}

// add adds ws to d's table and words (d's own copies): a word of ws
// replaces the word of its name in place, else it is appended.
func (d *Dialect) add(ws []*Word) {
	// The places of the replaced words are found in one pass over the
	// words (a dialect replaces hundreds of its base's words: a scan for
	// each was quadratic).
	var at map[*Word]int
	for _, w := range ws {
		if old, ok := d.table[w.Name]; ok {
			if at == nil {
				at = map[*Word]int{}
			}
			at[old] = -1
		}
	}
	for i, x := range d.words {
		if j, ok := at[x]; ok && j < 0 {
			at[x] = i
		}
	}
	for _, w := range ws {
		old, known := d.table[w.Name]
		switch {
		case !known:
			d.words = append(d.words, w)
		case old == w:
		default:
			if i, ok := at[old]; ok {
				if i >= 0 {
					d.words[i] = w
					at[w] = i
				}
			} else {
				// old is a word of ws appended before (its name is
				// given twice): near the end.
				for j := len(d.words) - 1; j >= 0; j-- {
					if d.words[j] == old {
						d.words[j] = w
						break
					}
				}
			}
		}
		d.table[w.Name] = w
	}
}

// LowerASCII lower-cases the ASCII letters of s only, as gforth matches
// names: "Ä" and "ä" are different names.
func LowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// DefaultDialect is the dialect used when none is named.
const DefaultDialect = "gforth"

//go:embed dialects/*.txt
var dialectFS embed.FS

var (
	dialectsMu  sync.Mutex
	dialects    = map[string]*Dialect{} // loaded so far
	dialectErrs []error
	fileNames   []string // dialect names that have a file, sorted
	namesOnce   sync.Once
)

// builtinDialects are the dialects made of data/*.txt.
var builtinDialects = []string{"standard", "gforth-0.7"}

func listFiles() {
	files, _ := fs.Glob(dialectFS, "dialects/*.txt")
	for _, f := range files {
		fileNames = append(fileNames, strings.TrimSuffix(path.Base(f), ".txt"))
	}
	sort.Strings(fileNames)
}

// Dialects lists the names of the known dialects, sorted.
func Dialects() []string {
	namesOnce.Do(listFiles)
	names := append(slices.Clone(builtinDialects), fileNames...)
	sort.Strings(names)
	return names
}

// Get returns the dialect called name ("" means the default). A dialect's
// file is read the first time it is asked for.
func Get(name string) (*Dialect, error) {
	if name == "" {
		name = DefaultDialect
	}
	name = strings.ToLower(name)
	dialectsMu.Lock()
	defer dialectsMu.Unlock()
	d, err := getLocked(name, 0)
	if err != nil {
		return nil, fmt.Errorf("unknown dialect %q (known: %s)", name, strings.Join(Dialects(), ", "))
	}
	return d, nil
}

func getLocked(name string, depth int) (*Dialect, error) {
	if d, ok := dialects[name]; ok {
		return d, nil
	}
	if depth > 8 {
		return nil, fmt.Errorf("dialect bases nested too deeply at %s", name)
	}
	switch name {
	case "standard", "gforth-0.7":
		loadBuiltinDialect(name)
		return dialects[name], nil
	}
	namesOnce.Do(listFiles)
	if !slices.Contains(fileNames, name) {
		return nil, fmt.Errorf("unknown dialect %q", name)
	}
	file := "dialects/" + name + ".txt"
	var d *Dialect
	var own []*Word
	if g, ok := genDialects[name]; ok {
		// Parsed by go generate (tables_gen.go).
		c := *g.d
		d = &c
		own = make([]*Word, len(g.own))
		for i := range g.own {
			own[i] = &g.own[i]
		}
	} else {
		b, err := dialectFS.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var errs []error
		d, own, errs = parseDialect(file, string(b))
		dialectErrs = append(dialectErrs, errs...)
	}
	if d == nil {
		return nil, fmt.Errorf("%s: unreadable", file)
	}
	var base *Dialect
	var err error
	if _, made := dialects[d.Base]; d.Base == "gforth-0.7" && !made {
		// Its words are all mergeDialect reads.
		base = gforth07(false)
	} else {
		base, err = getLocked(d.Base, depth+1)
	}
	if err != nil {
		dialectErrs = append(dialectErrs, fmt.Errorf("%s: base dialect %q: %v", file, d.Base, err))
		return nil, err
	}
	d = mergeDialect(d, base, own)
	dialects[name] = d
	return d, nil
}

// MustGet is Get for names known to exist.
func MustGet(name string) *Dialect {
	d, err := Get(name)
	if err != nil {
		panic(err)
	}
	return d
}

// Default returns the default dialect.
func Default() *Dialect { return MustGet(DefaultDialect) }

// DialectErrors reads every dialect and returns the problems found; a
// correct set has none (a test enforces it).
func DialectErrors() []error {
	for _, n := range Dialects() {
		Get(n)
	}
	dialectsMu.Lock()
	defer dialectsMu.Unlock()
	return slices.Clone(dialectErrs)
}

func isGforthSet(ws string) bool { return ws == "gforth" || ws == "gforth-internal" }

// loadBuiltinDialect makes standard or gforth-0.7 from data/*.txt, only
// the one asked for (the default dialect needs gforth-0.7 alone: a cold
// process does not build the other's table).
func loadBuiltinDialect(name string) {
	once.Do(load)
	if name == "standard" {
		std := &Dialect{Name: "standard", Description: "Forth 2012: the standard word sets only", Source: "data/*.txt", table: make(map[string]*Word)}
		for _, w := range words {
			if !isGforthSet(w.WordSet) {
				std.table[w.Name] = w
				std.words = append(std.words, w)
			}
		}
		dialects[std.Name] = std
		return
	}
	dialects["gforth-0.7"] = gforth07(true)
}

// gforth07 is the gforth-0.7 dialect, with its table or (as a base whose
// words only are read, withWords) without.
func gforth07(table bool) *Dialect {
	once.Do(load)
	g07 := &Dialect{Name: "gforth-0.7", Base: "standard", Description: "gforth 0.7.3, as Debian packages it", Source: "data/*.txt"}
	// gforth's search path after the current directory (its fpath).
	g07.Rules.Libraries = []string{"/usr/share/gforth/site-forth", "/usr/local/share/gforth/site-forth", "/usr/share/gforth/0.7.3", "/usr/local/share/gforth/0.7.3"}
	g07.words = words
	if table {
		g07.words = append([]*Word(nil), words...)
		g07.table = make(map[string]*Word, len(words))
		for _, w := range words {
			g07.table[w.Name] = w
		}
	}
	return g07
}

func mergeDialect(d, base *Dialect, own []*Word) *Dialect {
	n := *d
	b := withWords(d, base, own)
	n.table, n.words = b.table, b.words
	// Rules add up: a dialect built on gforth reads what gforth reads.
	r := base.Rules
	r.ModulePaths = r.ModulePaths || d.Rules.ModulePaths
	r.FixedPointComma = r.FixedPointComma || d.Rules.FixedPointComma
	r.FixedPointSemicolon = r.FixedPointSemicolon || d.Rules.FixedPointSemicolon
	r.RawStrings = r.RawStrings || d.Rules.RawStrings
	r.Underscores = r.Underscores || d.Rules.Underscores
	r.ModuleIncludes = r.ModuleIncludes || d.Rules.ModuleIncludes
	r.InterpretControl = r.InterpretControl || d.Rules.InterpretControl
	r.ImplicitCompile = r.ImplicitCompile || d.Rules.ImplicitCompile
	r.ParenLine = r.ParenLine || d.Rules.ParenLine
	r.BraceComments = r.BraceComments || d.Rules.BraceComments
	r.PathMacros = r.PathMacros || d.Rules.PathMacros
	r.ClassArrow = r.ClassArrow || d.Rules.ClassArrow
	r.DoubleMarker = r.DoubleMarker || d.Rules.DoubleMarker
	if d.Rules.InterpretControl {
		// Control structures work outside definitions too: they are not
		// compile-only in this system.
		for _, name := range []string{"if", "else", "then", "begin", "until", "while", "repeat", "again",
			"do", "?do", "loop", "+loop", "i", "j", "leave", "unloop", "case", "of", "endof", "endcase", "exit"} {
			if w, ok := n.table[name]; ok && w.CompileOnly {
				c := *w
				c.CompileOnly = false
				n.table[name] = &c
				for i := range n.words {
					if n.words[i] == w {
						n.words[i] = &c
					}
				}
			}
		}
	}
	r.TwoCell = append(append([]string(nil), r.TwoCell...), d.Rules.TwoCell...)
	r.TwoFloat = append(append([]string(nil), r.TwoFloat...), d.Rules.TwoFloat...)
	r.Extensions = append(append([]string(nil), r.Extensions...), d.Rules.Extensions...)
	r.Libraries = append(append([]string(nil), r.Libraries...), d.Rules.Libraries...)
	n.Rules = r
	return &n
}

// parseDialect reads one dialect file.
func parseDialect(file, text string) (*Dialect, []*Word, []error) {
	d := &Dialect{Source: file}
	var own []*Word
	var errs []error
	seen := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		where := fmt.Sprintf("%s:%d", file, i+1)
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#!") {
			key, val, ok := strings.Cut(strings.TrimSpace(t[2:]), ":")
			if !ok {
				errs = append(errs, fmt.Errorf("%s: directive without a colon", where))
				continue
			}
			val = strings.TrimSpace(val)
			switch strings.TrimSpace(key) {
			case "dialect":
				d.Name = strings.ToLower(val)
			case "base":
				d.Base = strings.ToLower(val)
			case "description":
				d.Description = val
			case "extensions":
				d.Rules.Extensions = append(d.Rules.Extensions, strings.Fields(val)...)
			case "two-cell":
				d.Rules.TwoCell = append(d.Rules.TwoCell, strings.Fields(strings.ToLower(val))...)
			case "library":
				d.Rules.Libraries = append(d.Rules.Libraries, strings.Fields(val)...)
			case "two-float":
				d.Rules.TwoFloat = append(d.Rules.TwoFloat, strings.Fields(strings.ToLower(val))...)
			case "rules":
				for _, r := range strings.Fields(val) {
					switch r {
					case "module-paths":
						d.Rules.ModulePaths = true
					case "fixed-point-comma":
						d.Rules.FixedPointComma = true
					case "fixed-point-semicolon":
						d.Rules.FixedPointSemicolon = true
					case "raw-strings":
						d.Rules.RawStrings = true
					case "underscores":
						d.Rules.Underscores = true
					case "hash-include":
						d.Rules.ModuleIncludes = true
					case "interpret-control":
						d.Rules.InterpretControl = true
					case "implicit-compile":
						d.Rules.ImplicitCompile = true
					case "paren-line":
						d.Rules.ParenLine = true
					case "brace-comments":
						d.Rules.BraceComments = true
					case "class-arrow":
						d.Rules.ClassArrow = true
					case "double-marker":
						d.Rules.DoubleMarker = true
					case "path-macros":
						d.Rules.PathMacros = true
					default:
						errs = append(errs, fmt.Errorf("%s: unknown rule %q", where, r))
					}
				}
			default:
				errs = append(errs, fmt.Errorf("%s: unknown directive %q", where, key))
			}
			continue
		}
		w, err := parseLine(line)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", where, err))
			continue
		}
		if w == nil {
			continue
		}
		w.Source = where
		if old, dup := seen[w.Name]; dup {
			errs = append(errs, fmt.Errorf("%s: %q already listed at %s", where, w.Name, old))
			continue
		}
		seen[w.Name] = where
		own = append(own, w)
	}
	if d.Name == "" {
		errs = append(errs, fmt.Errorf("%s: no \"#! dialect:\" line", file))
		return nil, nil, errs
	}
	if want := strings.TrimSuffix(path.Base(file), ".txt"); d.Name != want {
		errs = append(errs, fmt.Errorf("%s: dialect %q in a file named for %q", file, d.Name, want))
	}
	if d.Base == "" {
		d.Base = "standard"
	}
	return d, own, errs
}

// genDialect is a dialect file as go generate parsed it: the dialect
// (without its tables) and its own words (tables_gen.go).
type genDialect struct {
	d   *Dialect
	own []Word
}
