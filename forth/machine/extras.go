package machine

import "strings"

// notGforth are the machine's words that gforth 0.7.3 lacks: Forth 2012
// words newer than it, the built-in test harness and internal names
// (TestBuiltinsAreGforthWords checks that every other builtin is a
// gforth word).
var notGforth = map[string]bool{
	"n>r": true, "nr>": true, "{:": true, "[:": true, ";]": true, "buffer:": true, "+to": true,
	"holds": true, "synonym": true, "2value": true, "fvalue": true, "traverse-wordlist": true,
	"name>interpret": true, "name>compile": true, "replaces": true, "substitute": true, "unescape": true,
	"(uninitialized-defer)": true, `(abort")`: true,
	"t{": true, "->": true, "}t": true, // the built-in test harness
}

// NotGforth reports whether name (any case) is a builtin of the machine
// that gforth 0.7.3 lacks. Code that passes in the machine but uses
// such a word does not load in gforth 0.7.3: a caller that vouches for
// code in gforth's name must not vouch for it.
func NotGforth(name string) bool { return notGforth[strings.ToLower(name)] }
