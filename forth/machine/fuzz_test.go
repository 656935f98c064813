package machine

import (
	"errors"
	"testing"
)

// fuzzSeeds exercise the interpreter's corners; the fuzzer mutates them
// (more are in testdata/fuzz/FuzzLoad).
var fuzzSeeds = []string{
	": sq dup * ; 3 sq . T{ 2 sq -> 4 }T",
	"begin again",
	": x begin again ; x",
	": r recurse ; r",
	": r ['] r catch ; r",
	"s\" s\\\" x\\\" evaluate\" evaluate",
	": e s\" e\" evaluate ; e",
	"defer d ' d is d d",
	"create x 10 allot x 100 + @",
	"1 2 3 4 5 6 7 8 9 10 .s 0 pick 9 roll",
	": f { a b | c -- d } a b + to c c ; 1 2 f .",
	"1e 2e f/ f. fe. 3.5e fs.",
	"here 10 cells allot 5 cells + ! -1 allot",
	"100 allocate throw dup 200 resize throw free throw",
	": t case 1 of 10 endof 2 of 20 endof 0 endcase ; 2 t .",
	"10 0 do i 5 = if leave then i . loop",
	"marker m : q ; m q",
	"[if] x [else] y [then] 0 [if] a [else] 1 [then]",
	"<# 123 0 #s #> type -5 s>d tuck dabs <# #s rot sign #> type",
	": q [: 1 2 + ;] execute ; q .",
	"wordlist >order definitions : w ; only forth w",
	"s\" abc\" s\" b\" search . . . -trailing /string",
	": w does> @ ; create y 5 , w y .",
	"-1 -1 -1 um/mod 0 0 fm/mod",
	"hex ff decimal base @ . 0 base ! 5 .",
	"( unterminated comment",
	": unterminated 1 2",
	"t{ 1 -> }t t{ -> 1 }t }t -> t{",
	"include nothing.fs",
	"1 0 ?do loop -1 0 do loop",
}

// FuzzLoad runs random text: the machine must end every input, by a
// result or an *Error, without an internal error.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		m := New(Config{MaxSteps: 20000, MemorySize: 1 << 16, HeapSize: 1 << 16, MaxOutput: 1 << 14,
			StringSpace: 1 << 12, MaxInput: 1 << 16, DataDepth: 64, ReturnDepth: 64, MaxNesting: 32, MaxTests: 100})
		err := m.Load("fuzz.fs", src)
		if errors.Is(err, ErrInternal) {
			t.Fatalf("%v", err)
		}
		// The machine is still usable, and so is a clone.
		c := m.Clone()
		if err := c.Eval("1 2 + ."); errors.Is(err, ErrInternal) {
			t.Fatalf("after: %v", err)
		}
		if err := m.Eval(src); errors.Is(err, ErrInternal) {
			t.Fatalf("again: %v", err)
		}
	})
}

func TestFuzzSeeds(t *testing.T) {
	for _, s := range fuzzSeeds {
		m := New(Config{MaxSteps: 100000})
		err := m.Load("seed.fs", s)
		if errors.Is(err, ErrInternal) {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// fuzzVocabulary are the tokens FuzzWords builds programs from: every
// builtin word, some numbers and names.
func fuzzVocabulary() []string {
	initBuiltins()
	var v []string
	for _, w := range builtins {
		if w.name != "" && w.name != "bye" {
			v = append(v, w.name)
		}
	}
	v = append(v, "0", "1", "-1", "2", "3", "10", "255", "1000", "$ff", "1.", "1e", "2.5e",
		"x", "y", "foo", "bar", ":", ";", "s\" ab\"", ".\" hi\"", "(", ")", "\n")
	return v
}

// FuzzWords runs programs made of real words: each pair of input bytes
// picks a token of fuzzVocabulary. It must never panic or hang.
func FuzzWords(f *testing.F) {
	vocab := fuzzVocabulary()
	f.Add([]byte{1, 2, 3, 4, 5})
	f.Add([]byte("create does> : ; [: ;] { } if then begin again do loop"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var src []byte
		for i := 0; i+1 < len(data); i += 2 {
			src = append(src, vocab[(int(data[i])<<8|int(data[i+1]))%len(vocab)]...)
			src = append(src, ' ')
		}
		m := New(Config{MaxSteps: 20000, MemorySize: 1 << 16, HeapSize: 1 << 16, MaxOutput: 1 << 14,
			StringSpace: 1 << 12, MaxInput: 1 << 16, DataDepth: 64, ReturnDepth: 64, MaxNesting: 32, MaxTests: 100})
		if err := m.Load("fuzz.fs", string(src)); errors.Is(err, ErrInternal) {
			t.Fatalf("%s: %v", src, err)
		}
		if err := m.Clone().Eval("1 2 + . : q 1 ; q"); errors.Is(err, ErrInternal) {
			t.Fatalf("%s: after: %v", src, err)
		}
	})
}
