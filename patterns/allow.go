package patterns

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/fastforth/fastforth/analysis/builtins"
)

// The allowlist: the only words generated code may run besides the words
// a pattern defines itself. It is a fixed table, written here by hand and
// not derived from the dictionary's flags (a flag says how a word is
// compiled, not what it does: (system), open-pipe and delete-file have no
// flag at all). Every word in it is a Forth 2012 word (or, for -rot,
// bounds and scan, a common gforth word) that gforth 0.7.3 has; none is a gforth internal, a file, OS or terminal-input word, a
// word that changes the dictionary or the search order, or a word that
// parses or runs text. (TestAllowlistTable checks that each is a builtin
// of the analysis and a word of gforth.)
//
// A word parameter (FORMAT.md) may use the "param" classes only: pure
// stack, arithmetic, logic and comparison words, address arithmetic and
// fetches. The other classes are for the code and tests of user patterns
// (.fastforth/patterns), which also use control-structure, defining,
// comment and string words (see scan.go); a word parameter has no buffer
// of its own to store into, and a store to a computed address could
// overwrite gforth's own code, so stores, the return stack and output are
// not parameter words.
//
// In gforth a store can reach any memory of the process whatever the
// allowlist; only the in-process Forth machine confines it. That is why
// gforth runs only when asked for (Runner).
var allowTable = []struct {
	class string
	param bool // allowed in word parameters
	words string
}{
	{"stack", true, "drop dup swap over rot -rot nip tuck ?dup pick 2drop 2dup 2swap 2over depth"},
	{"arithmetic", true, "+ - * / mod /mod */ */mod 1+ 1- 2* 2/ negate abs min max um* m* um/mod sm/rem fm/mod " +
		"s>d d>s d+ d- dnegate dabs dmax dmin d2* d2/ m+ m*/ lshift rshift"},
	{"logic", true, "and or xor invert true false"},
	{"comparison", true, "= <> < > u< u> 0= 0<> 0< 0> within d= d< d0= d0< du<"},
	{"address arithmetic", true, "cells cell+ chars char+ aligned floats float+ faligned bounds"},
	{"fetch", true, "@ c@ 2@ f@ count"},
	{"strings", true, "compare search /string -trailing scan >number bl"},
	{"floating point", true, "f+ f- f* f/ fnegate fabs fmin fmax fsqrt floor fround fdup fdrop fswap fover frot " +
		"f0= f0< f< s>f f>s d>f f>d"},
	// User patterns' code and tests only.
	{"store (own buffers)", false, "! c! 2! +! f! move fill erase cmove cmove> here align"},
	{"heap", false, "allocate free resize"},
	{"return stack", false, ">r r> r@ 2>r 2r> 2r@"},
	{"number base", false, "decimal hex base"},
	{"pictured numbers", false, "<# # #s #> hold sign"},
	{"output", false, ". u. .r u.r d. d.r emit type cr space spaces"},
	{"exceptions", false, "throw"},
}

// The words of user patterns' code besides the allowlist's: control
// structures, defining words and the words that read text (comments,
// strings, characters, ticks). scan.go gives each its meaning; they are
// never allowed in a word parameter (except [char] C).
const (
	controlWords  = "if else then begin while repeat until again do ?do loop +loop i j leave unloop case of endof endcase exit recurse"
	definingWords = ": ; variable constant 2variable 2constant value to create does> allot , c, literal [ ] " +
		"begin-structure end-structure field: cfield: +field"
	textWords     = `( \ s" ." c" abort" char [char] ' ['] catch execute`
	testerSpecial = "t{ -> }t tests-out{ }tests-out tests-f~"
)

// classOf is the allowlist class of each word, lower case.
var classOf = func() map[string]string {
	m := map[string]string{}
	for _, c := range allowTable {
		for _, w := range strings.Fields(c.words) {
			m[w] = c.class
		}
	}
	return m
}()

// paramClass is set for the classes a word parameter may use.
var paramClass = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range allowTable {
		m[c.class] = c.param
	}
	return m
}()

// specialWords are the control-structure, defining, text and tester
// words, lower case: the words whose meaning the scanner of user patterns
// knows, which no pattern may define again (a comment word redefined would
// run the comments that follow).
var specialWords = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range []string{controlWords, definingWords, textWords, testerSpecial} {
		for _, w := range strings.Fields(s) {
			m[w] = true
		}
	}
	return m
}()

// AllowedWord reports whether a word (any case) is in the allowlist, its
// class, and whether a word parameter may use it.
func AllowedWord(w string) (class string, param, ok bool) {
	class, ok = classOf[lowerASCII(w)]
	return class, ok && paramClass[class], ok
}

// AllowedWords lists the allowlist: class, whether word parameters may use
// it, and its words (for documentation and tests).
func AllowedWords() []AllowClass {
	out := make([]AllowClass, len(allowTable))
	for i, c := range allowTable {
		out[i] = AllowClass{Class: c.class, Param: c.param, Words: strings.Fields(c.words)}
	}
	return out
}

// AllowClass is one class of the allowlist.
type AllowClass struct {
	Class string   `json:"class"`
	Param bool     `json:"param"`
	Words []string `json:"words"`
}

// paramClasses names the classes a word parameter may use, for messages.
var paramClasses = func() string {
	var cs []string
	for _, c := range allowTable {
		if c.param {
			cs = append(cs, c.class)
		}
	}
	return strings.Join(cs, ", ")
}()

// validateWords checks the value of a word parameter: every token must be
// a number, a word of the allowlist that parameters may use, [char] and
// one character, or a word the pattern defines before the parameter is
// used. known reports those words (lower case); nil accepts any other
// word (the check of a default before the pattern's code is known).
func validateWords(v string, known func(string) bool) error {
	toks := strings.Fields(v)
	for i := 0; i < len(toks); i++ {
		w := toks[i]
		lw := lowerASCII(w)
		if lw == "[char]" {
			// The one parsing word patterns need: it takes a single
			// character, which is consumed here.
			if i+1 >= len(toks) || utf8.RuneCountInString(toks[i+1]) != 1 {
				return errors.New("[char] must be followed by one character")
			}
			i++
			continue
		}
		if isNumber(w) {
			continue
		}
		if utf8.RuneCountInString(w) > 31 {
			return fmt.Errorf("%q is longer than 31 characters", w)
		}
		if _, param, ok := AllowedWord(lw); ok && param {
			continue
		}
		if !specialWords[lw] && (known == nil || known(lw)) {
			continue
		}
		return fmt.Errorf("%q is not in the allowlist: a word parameter takes numbers, [char] C, words the pattern defines before it, and %s words (patterns/allow.go)", w, paramClasses)
	}
	return nil
}

// unsafeName says why s cannot be the name of a word a pattern defines:
// a control-structure, defining, text or tester word, or a builtin that
// parses, is immediate or compile-only (once redefined, the text after it
// would be read differently); nil when it can.
func unsafeName(s string) error {
	ls := lowerASCII(s)
	if specialWords[ls] {
		return fmt.Errorf("%q is a control-structure, defining, comment, string or tester word; a pattern cannot define it again", s)
	}
	if b := builtins.Lookup(ls); b != nil && (b.Parse != builtins.ParseNone || b.Immediate || b.CompileOnly) {
		return fmt.Errorf("%q is a parsing, immediate or compile-only word; a pattern cannot define it again", s)
	}
	return nil
}

// lowerASCII lower-cases the ASCII letters of a word only, as gforth
// matches names: Unicode's case folding would match words gforth keeps
// apart (the Kelvin sign K lower-cases to k).
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
