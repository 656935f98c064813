package builtins

import (
	"sort"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/effect"
)

func TestTableLoads(t *testing.T) {
	for _, err := range Errors() {
		t.Error(err)
	}
	all := All()
	if len(all) < 400 {
		t.Fatalf("table has only %d words", len(all))
	}
	for _, w := range all {
		if w.Name != strings.ToLower(w.Name) {
			t.Errorf("%s: name not lower case", w.Source)
		}
		if Lookup(w.Name) != w {
			t.Errorf("%s: Lookup(%q) does not find the entry", w.Source, w.Name)
		}
		if w.WordSet != strings.ToLower(w.WordSet) || strings.ContainsAny(w.WordSet, " \t") {
			t.Errorf("%s: bad word set %q", w.Source, w.WordSet)
		}
		if strings.Contains(w.Doc, " | ") {
			t.Errorf("%s: description contains \" | \"", w.Source)
		}
		// Only immediate words can act while compiling, so a word that is
		// compile-only and parses must be immediate to do its parsing.
		if w.Parse != ParseNone && w.CompileOnly && !w.Immediate {
			t.Errorf("%s: %s parses but is compile-only and not immediate", w.Source, w.Name)
		}
		if w.Known && (len(w.Effect.Parses()) > 0) != (w.Parse != ParseNone) {
			switch w.Name {
			case "word", "parse":
				// They parse at run time with a delimiter from the stack,
				// which a static reader cannot follow.
			default:
				t.Errorf("%s: %s: parsed items in the effect and parse flag disagree", w.Source, w.Name)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	type want struct {
		din, dout  int  // data cells; -1 when not fixed
		rin, rout  int  // return-stack cells; -1 when not fixed
		alts       int  // output alternatives
		immediate  bool // and compile-only below
		compile    bool
		parse      Parse
		delim      byte
		wordSet    string
		complexEff bool
	}
	tests := []struct {
		query string
		name  string
		want  want
	}{
		{"dup", "dup", want{1, 2, 0, 0, 1, false, false, ParseNone, 0, "core", false}},
		{"DUP", "dup", want{1, 2, 0, 0, 1, false, false, ParseNone, 0, "core", false}},
		{"Dup", "dup", want{1, 2, 0, 0, 1, false, false, ParseNone, 0, "core", false}},
		{"2dup", "2dup", want{2, 4, 0, 0, 1, false, false, ParseNone, 0, "core", false}},
		{"2DROP", "2drop", want{2, 0, 0, 0, 1, false, false, ParseNone, 0, "core", false}},
		{"?dup", "?dup", want{1, -1, 0, 0, 2, false, false, ParseNone, 0, "core", false}},
		{">r", ">r", want{1, 0, 0, 1, 1, false, true, ParseNone, 0, "core", false}},
		{"R>", "r>", want{0, 1, 1, 0, 1, false, true, ParseNone, 0, "core", false}},
		{"r@", "r@", want{0, 1, 1, 1, 1, false, true, ParseNone, 0, "core", false}},
		{"2>r", "2>r", want{2, 0, 0, 2, 1, false, true, ParseNone, 0, "core-ext", false}},
		{"2R>", "2r>", want{0, 2, 2, 0, 1, false, true, ParseNone, 0, "core-ext", false}},
		{`s"`, `s"`, want{0, 2, 0, 0, 1, true, false, ParseDelim, '"', "core", false}},
		{`S\"`, `s\"`, want{0, 2, 0, 0, 1, true, false, ParseDelim, '"', "core-ext", false}},
		{`."`, `."`, want{0, 0, 0, 0, 1, true, true, ParseDelim, '"', "core", false}},
		{"(", "(", want{0, 0, 0, 0, 1, true, false, ParseDelim, ')', "core", false}},
		{`\`, `\`, want{0, 0, 0, 0, 1, true, false, ParseLine, 0, "core-ext", false}},
		{"constant", "constant", want{1, 0, 0, 0, 1, false, false, ParseName, 0, "core", false}},
		{"'", "'", want{0, 1, 0, 0, 1, false, false, ParseName, 0, "core", false}},
		{"[']", "[']", want{0, 1, 0, 0, 1, true, true, ParseName, 0, "core", false}},
		{"postpone", "postpone", want{0, 0, 0, 0, 1, true, true, ParseName, 0, "core", false}},
		{"if", "if", want{1, 0, 0, 0, 1, true, true, ParseNone, 0, "core", false}},
		{"of", "of", want{2, -1, 0, 0, 2, true, true, ParseNone, 0, "core-ext", false}},
		{"loop", "loop", want{0, 0, 0, 0, 1, true, true, ParseNone, 0, "core", true}},
		{"execute", "execute", want{-1, -1, 0, 0, 1, false, false, ParseNone, 0, "core", false}},
		{"um/mod", "um/mod", want{3, 2, 0, 0, 1, false, false, ParseNone, 0, "core", false}},
		{"#", "#", want{2, 2, 0, 0, 1, false, false, ParseNone, 0, "core", false}},
		{"#>", "#>", want{2, 2, 0, 0, 1, false, false, ParseNone, 0, "core", false}},
		{"#TIB", "#tib", want{0, 1, 0, 0, 1, false, false, ParseNone, 0, "core-ext", false}},
		{"d+", "d+", want{4, 2, 0, 0, 1, false, false, ParseNone, 0, "double", false}},
		{"2rot", "2rot", want{6, 6, 0, 0, 1, false, false, ParseNone, 0, "double-ext", false}},
		{"find", "find", want{1, 2, 0, 0, 3, false, false, ParseNone, 0, "core", false}},
		{"catch", "catch", want{-1, -1, 0, 0, 2, false, false, ParseNone, 0, "exception", false}},
		{"read-line", "read-line", want{3, 3, 0, 0, 1, false, false, ParseNone, 0, "file", false}},
		{"time&date", "time&date", want{0, 6, 0, 0, 1, false, false, ParseNone, 0, "facility-ext", false}},
		{"begin-structure", "begin-structure", want{0, 2, 0, 0, 1, false, false, ParseName, 0, "facility-ext", false}},
		{"locals|", "locals|", want{-1, 0, 0, 0, 1, true, true, ParseDelim, '|', "locals-ext", false}},
		{"{:", "{:", want{-1, 0, 0, 0, 1, true, true, ParseDelim, '}', "locals-ext", false}},
		{"n>r", "n>r", want{-1, 0, 0, -1, 1, false, true, ParseNone, 0, "tools-ext", false}},
		{"[IF]", "[if]", want{1, 0, 0, 0, 1, true, false, ParseNone, 0, "tools-ext", false}},
		{"synonym", "synonym", want{0, 0, 0, 0, 1, false, false, ParseName, 0, "tools-ext", false}},
		{"search", "search", want{4, 3, 0, 0, 1, false, false, ParseNone, 0, "string", false}},
		{"substitute", "substitute", want{4, 3, 0, 0, 1, false, false, ParseNone, 0, "string-ext", false}},
		{"get-order", "get-order", want{0, -1, 0, 0, 1, false, false, ParseNone, 0, "search", false}},
		{"allocate", "allocate", want{1, 2, 0, 0, 1, false, false, ParseNone, 0, "memory", false}},
	}
	count := func(e *effect.Effect, out bool, s effect.Stack) int {
		n, ok := e.Count(out, s)
		if !ok {
			return -1
		}
		return n
	}
	for _, tc := range tests {
		w := Lookup(tc.query)
		if w == nil {
			t.Errorf("Lookup(%q) = nil", tc.query)
			continue
		}
		if w.Name != tc.name {
			t.Errorf("Lookup(%q).Name = %q, want %q", tc.query, w.Name, tc.name)
		}
		if !w.Known {
			t.Errorf("%s: effect not known", tc.name)
			continue
		}
		e := &w.Effect
		got := want{
			count(e, false, effect.Data), count(e, true, effect.Data),
			count(e, false, effect.Return), count(e, true, effect.Return),
			len(e.Out), w.Immediate, w.CompileOnly, w.Parse, w.Delim, w.WordSet, e.Complex,
		}
		if got != tc.want {
			t.Errorf("%s %s:\n got %+v\nwant %+v", tc.name, w.EffectText, got, tc.want)
		}
	}
	if w := Lookup("no-such-word"); w != nil {
		t.Errorf("Lookup(no-such-word) = %v", w.Name)
	}
	if w := Lookup(strings.Repeat("X", 100)); w != nil {
		t.Errorf("Lookup(long name) = %v", w.Name)
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	Lookup("dup")
	if n := testing.AllocsPerRun(100, func() { Lookup("dup"); Lookup("SWAP") }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
}

func TestSplitFields(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"dup | ( x -- x x ) | core | - | Duplicate.", []string{"dup", "( x -- x x )", "core", "-", "Duplicate."}},
		{"?dup | ( x -- 0 | x x ) | core | - | Maybe.", []string{"?dup", "( x -- 0 | x x )", "core", "-", "Maybe."}},
		{"locals| | ( -- ) | locals-ext | parse=| | Declare.", []string{"locals|", "( -- )", "locals-ext", "parse=|", "Declare."}},
		{"| | ? | x | - | Bar.", []string{"|", "?", "x", "-", "Bar."}},
	}
	for _, tc := range tests {
		got := splitFields(tc.line)
		if strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") {
			t.Errorf("splitFields(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
	if got := splitFields("a | b | c"); len(got) == 5 {
		t.Errorf("splitFields of 3 fields = %q", got)
	}
}

func TestComments(t *testing.T) {
	for _, line := range []string{
		"# a comment",
		"#",
		`# alternatives are written " | " in effects`,
		"#  | indented",
	} {
		w, err := parseLine(line)
		if w != nil || err != nil {
			t.Errorf("parseLine(%q) = %v, %v; want a comment", line, w, err)
		}
	}
	for _, line := range []string{
		"# | ( ud1 -- ud2 ) | core | - | Digit.",
		"#> | ( xd -- c-addr u ) | core | - | End.",
	} {
		w, err := parseLine(line)
		if w == nil || err != nil {
			t.Errorf("parseLine(%q) = %v, %v; want an entry", line, w, err)
		}
	}
}

// wordSets lists the words of the Forth 2012 word sets that core.txt ...
// string.txt hold (obsolescent CORE EXT words included), by word-set field.
// The words that a word set only extends (e.g. FILE's S") are listed under
// the set that defines them.
var wordSets = map[string]string{
	"core": `! # #> #S ' ( * */ */MOD + +! +LOOP , - . ." / /MOD 0< 0= 1+ 1- 2! 2*
		2/ 2@ 2DROP 2DUP 2OVER 2SWAP : ; < <# = > >BODY >IN >NUMBER >R ?DUP @
		ABORT ABORT" ABS ACCEPT ALIGN ALIGNED ALLOT AND BASE BEGIN BL C! C, C@
		CELL+ CELLS CHAR CHAR+ CHARS CONSTANT COUNT CR CREATE DECIMAL DEPTH DO
		DOES> DROP DUP ELSE EMIT ENVIRONMENT? EVALUATE EXECUTE EXIT FILL FIND
		FM/MOD HERE HOLD I IF IMMEDIATE INVERT J KEY LEAVE LITERAL LOOP LSHIFT M*
		MAX MIN MOD MOVE NEGATE OR OVER POSTPONE QUIT R> R@ RECURSE REPEAT ROT
		RSHIFT S" S>D SIGN SM/REM SOURCE SPACE SPACES STATE SWAP THEN TYPE U. U<
		UM* UM/MOD UNLOOP UNTIL VARIABLE WHILE WORD XOR [ ['] [CHAR] ]`,
	"core-ext": `.( .R 0<> 0> 2>R 2R> 2R@ :NONAME <> ?DO ACTION-OF AGAIN BUFFER: C"
		CASE COMPILE, DEFER DEFER! DEFER@ ENDCASE ENDOF ERASE FALSE HEX HOLDS IS
		MARKER NIP OF PAD PARSE PARSE-NAME PICK REFILL RESTORE-INPUT ROLL S\"
		SAVE-INPUT SOURCE-ID TO TRUE TUCK U.R U> UNUSED VALUE WITHIN [COMPILE] \
		#TIB CONVERT EXPECT QUERY SPAN TIB`,
	"double": `2CONSTANT 2LITERAL 2VARIABLE D+ D- D. D.R D0< D0= D2* D2/ D< D= D>S
		DABS DMAX DMIN DNEGATE M*/ M+`,
	"double-ext":    `2ROT 2VALUE DU<`,
	"exception":     `CATCH THROW`,
	"exception-ext": ``, // ABORT and ABORT" are in core
	"facility":      `AT-XY KEY? PAGE`,
	"facility-ext": `+FIELD BEGIN-STRUCTURE CFIELD: EKEY EKEY>CHAR EKEY>FKEY EKEY?
		EMIT? END-STRUCTURE FIELD: K-ALT-MASK K-CTRL-MASK K-DELETE K-DOWN K-END
		K-F1 K-F2 K-F3 K-F4 K-F5 K-F6 K-F7 K-F8 K-F9 K-F10 K-F11 K-F12 K-HOME
		K-INSERT K-LEFT K-NEXT K-PRIOR K-RIGHT K-SHIFT-MASK K-UP MS TIME&DATE`,
	"file": `BIN CLOSE-FILE CREATE-FILE DELETE-FILE FILE-POSITION FILE-SIZE
		INCLUDE-FILE INCLUDED OPEN-FILE R/O R/W READ-FILE READ-LINE
		REPOSITION-FILE RESIZE-FILE W/O WRITE-FILE WRITE-LINE`,
	"file-ext":   `FILE-STATUS FLUSH-FILE INCLUDE RENAME-FILE REQUIRE REQUIRED`,
	"locals":     `(LOCAL)`,
	"locals-ext": `LOCALS| {:`,
	"memory":     `ALLOCATE FREE RESIZE`,
	"tools":      `.S ? DUMP SEE WORDS`,
	"tools-ext": `;CODE AHEAD ASSEMBLER BYE CODE CS-PICK CS-ROLL EDITOR FORGET N>R
		NAME>COMPILE NAME>INTERPRET NAME>STRING NR> SYNONYM TRAVERSE-WORDLIST
		[DEFINED] [ELSE] [IF] [THEN] [UNDEFINED]`,
	"search": `DEFINITIONS FORTH-WORDLIST GET-CURRENT GET-ORDER SEARCH-WORDLIST
		SET-CURRENT SET-ORDER WORDLIST`,
	"search-ext": `ALSO FORTH ONLY ORDER PREVIOUS`,
	"string":     `-TRAILING /STRING BLANK CMOVE CMOVE> COMPARE SEARCH SLITERAL`,
	"string-ext": `REPLACES SUBSTITUTE UNESCAPE`,
}

func TestStandardWordSets(t *testing.T) {
	if n := len(strings.Fields(wordSets["core"])); n != 133 {
		t.Fatalf("the CORE list has %d words, want 133", n)
	}
	if n := len(strings.Fields(wordSets["core-ext"])); n != 55 {
		t.Fatalf("the CORE EXT list has %d words, want 49 + 6 obsolescent", n)
	}
	inTable := map[string][]string{}
	for _, w := range All() {
		inTable[w.WordSet] = append(inTable[w.WordSet], w.Name)
	}
	for set, list := range wordSets {
		want := map[string]bool{}
		for _, name := range strings.Fields(list) {
			name = strings.ToLower(name)
			want[name] = true
			w := Lookup(name)
			switch {
			case w == nil:
				t.Errorf("%s: %s missing from the table", set, name)
			case w.WordSet != set:
				t.Errorf("%s: %s is in word set %q (%s)", set, name, w.WordSet, w.Source)
			}
		}
		var extra []string
		for _, name := range inTable[set] {
			if !want[name] {
				extra = append(extra, name)
			}
		}
		sort.Strings(extra)
		if len(extra) > 0 {
			t.Errorf("%s: the table has words the standard list lacks: %v", set, extra)
		}
	}
}
