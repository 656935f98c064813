// Package syntax reads Forth source the way a Forth text interpreter does:
// word by word, in order, resolving each name against the dictionary as it
// stands at that point, letting parsing words take their text and defining
// words create new entries. The result is a File: the definitions and the
// top-level (interpreted) code as flat lists of operations, ready for stack
// effect inference.
//
// Parsing never stops at a problem: junk, unterminated comments, strings
// and definitions all give diagnostics and a usable File.
package syntax

import (
	"github.com/fastforth/fastforth/analysis/builtins"
	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/analysis/number"
	"github.com/fastforth/fastforth/analysis/source"
)

// Ref names the word an operation refers to: a builtin or a user definition.
// At most one field is set; both nil means unresolved.
type Ref struct {
	B *builtins.Word
	D *Def
}

// Name returns the referenced word's name.
func (r Ref) Name() string {
	switch {
	case r.D != nil:
		return r.D.Name
	case r.B != nil:
		return r.B.Name
	}
	return ""
}

// Immediate reports whether the referenced word is immediate.
func (r Ref) Immediate() bool {
	if r.D != nil {
		return r.D.Immediate
	}
	return r.B != nil && r.B.Immediate
}

// OpKind classifies an operation.
type OpKind uint8

const (
	// OpCall executes (or, in a definition, compiles a call to) Ref.
	OpCall OpKind = iota
	// OpNumber pushes the literal in NumKind, Lo and Hi.
	OpNumber
	// OpString is a string word (Ref: s", c", .", abort", ...) with its
	// text in [ArgStart, ArgEnd).
	OpString
	// OpTick pushes the execution token of Target (' and [']).
	OpTick
	// OpChar pushes the character code Lo (char and [char]).
	OpChar
	// OpLocal pushes the value of local Local of the current definition.
	OpLocal
	// OpToLocal stores into local Local ("to name" on a local).
	OpToLocal
	// OpLocals declares locals: it pops the initialised ones.
	OpLocals
	// OpUndefined is a word that is neither defined nor a number.
	OpUndefined
	// OpDefine is a defining word (Ref) creating NewDef: "variable x",
	// "10 constant ten", "5 array buf" with a user defining word.
	OpDefine
	// OpColon marks where a colon definition (NewDef) stands in the
	// top-level code; :noname pushes its xt.
	OpColon
	// OpQuotation pushes the xt of the nested definition NewDef ([: ... ;]).
	OpQuotation
	// OpPostpone compiles Target's compilation semantics (postpone,
	// [compile]); in a macro it runs in the caller.
	OpPostpone
	// OpDoes is does>: it ends the defining word's run-time path.
	OpDoes
	// OpTo is "to", "is", "+to" or "action-of" on a word (Target).
	OpTo
	// OpInclude includes the file named in [ArgStart, ArgEnd).
	OpInclude
	// OpEnterInterp and OpLeaveInterp are "[" and "]" inside a definition.
	OpEnterInterp
	OpLeaveInterp
)

// Op is one operation in a body or in top-level code.
//
// Ops are the bulk of a parsed file, so the struct is kept small: the
// number fields hold a literal's kind and cells (a float's value is not
// needed by the analysis and can be read again from the text).
type Op struct {
	Kind             OpKind
	NumKind          number.Kind // for OpNumber and OpChar
	Interp           bool        // runs at compile time (inside [ ] or an immediate word)
	Postponed        bool        // between ]] and [[: compiled into the definition that runs this one
	Unterminated     bool        // a string whose delimiter was missing
	Start, End       int32       // the word's bytes
	ArgStart, ArgEnd int32       // parsed text, when any
	Local            int32       // for OpLocal, OpToLocal
	NLocals          int16       // for OpLocals: how many cells are popped
	NFloatLocals     int16       // for OpLocals: how many floats are popped
	Ref              Ref         // the word itself
	Target           Ref         // for OpTick, OpPostpone, OpTo
	NewDef           *Def
	Lo, Hi           int64 // a literal's cells (Hi for doubles)
}

// Number returns the literal an OpNumber or OpChar pushes (without a
// float's value).
func (op *Op) Number() number.Number {
	return number.Number{Kind: op.NumKind, Lo: op.Lo, Hi: op.Hi}
}

// DefKind tells what made a definition.
type DefKind uint8

const (
	Colon DefKind = iota
	Noname
	Quotation
	Variable // variable, 2variable, fvariable, create, buffer:, user: ( -- addr )
	Constant // constant, value, 2constant, ... : fixed effect
	Defer
	Field
	Alias // synonym and alias: same as Target
	Marker
	Child // made by a user defining word
	Other // vocabulary, code words, ...
)

// Def is one definition.
type Def struct {
	Name               string // lower case; empty for :noname and quotations
	Display            string // as written
	File               *source.File
	Start, End         int32 // whole definition, from the defining word to ; (or the name)
	NameStart, NameEnd int32
	// Comment is the declared stack comment, when there is one.
	Comment *Comment
	// Body holds the operations of a colon definition, of a does> part
	// (see Does) or of a quotation.
	Body []Op
	// Locals names the definition's locals, in declaration order.
	Locals []Local
	// Does is the part after does> in a defining word; its body runs with
	// the child's data address on the stack. DoesOf points back from the
	// part to its defining word.
	Does, DoesOf *Def
	// Runs is the does> part that a top-level "does>" gave this word
	// (gforth: "create x does> ... ;").
	Runs *Def
	// Effect is the fixed effect of a non-colon definition (variable,
	// constant, field, ...), or nil.
	Effect *effect.Effect
	// Target is what an alias or synonym stands for.
	Target Ref
	// Maker is the defining word that made a Child, and Via the builtin
	// defining word (create, constant, ...) it used.
	Maker *Def
	Via   *builtins.Word

	Immediate   bool
	CompileOnly bool
	// Parses is set when executing the word parses text from the input,
	// as user defining words do: Parse tells how.
	Parse builtins.Parse
	Delim byte
	// Epoch is the version of the File in whose coordinates the
	// definition's offsets are; see File.Abs.
	Epoch int32
	// ParseN is how many names a ParseName word parses (0 means one).
	ParseN int
	// Then are what the word parses after that, in order ("e: name
	// ... ;e": a name, then words up to ;e).
	Then []ParseStep
	// Until is the word that ends what a ParseWords word parses.
	Until string
	// lastParse is the index in Body of the last operation that parses.
	lastParse int
	// ActsAs is ":" for a word that starts a colon definition by running
	// the system's ":" (a wrapper such as ": : ( "name" -- ) tag, : ;"),
	// ":noname" for one that starts a nameless one and leaves it open
	// (": opc: ( i -- ) >r :noname r> ! ;"), ";" for an immediate word
	// that ends one by postponing ";". A word that does both compiles a
	// whole definition and is neither.
	ActsAs string
	// CompilesInto is set on such a wrapper that compiles code into the
	// definition it starts (":noname postpone tcreate"); StartedBy is
	// the wrapper that started a definition.
	StartedBy *Def
	// Defines is the builtin defining word a user defining word ends up
	// executing ("create" for a create ... does> word).
	Defines *builtins.Word
	// ChildImmediate and ChildCompileOnly are set on a defining word
	// whose body runs "immediate" or "compile-only" after creating: the
	// words it makes are immediate or compile-only.
	ChildImmediate, ChildCompileOnly bool
	CompilesInto                     bool // see ActsAs
	// DoesVia is the user word through which a defining word creates
	// (or whose does> it runs after creating): without a does> of its
	// own, the children behave as that word's do. ChildUnknown is set
	// when the body creates more than once or in a way not followed, so
	// that the children's behaviour is not known.
	DoesVia      *Def
	ChildUnknown bool
	// Earlier marks a child named by one of the creations of a defining
	// word that creates several words, before the last ("DUP CONSTANT
	// CREATE"): what it does is not followed.
	Earlier bool
	// ChildHidden is set on a defining word that makes another wordlist
	// current before it creates ("get-current >r ghosts set-current
	// create r> set-current"): its children do not shadow the words
	// the program goes on using. hidden marks such a child.
	ChildHidden bool
	hidden      bool
	setsCurrent bool
	missing     string // the parser's missing file where the definition began
	creations   int
	changes     int
	// DocStart..DocEnd is the comment block that documents the word.
	DocStart, DocEnd int32
	// Index is the definition's position in the Defs of the version it
	// was read in (Epoch): definitions added or taken away before it by
	// later edits move it, and it is shared with those versions, so
	// File.IndexOf gives its position now.
	Index int
	// Outer is the top-level definition that contains a does> part or a
	// quotation; Sub counts the definitions nested in a top-level one
	// (they follow it in Defs).
	Outer *Def
	Sub   int
	// Diags, Comments and Inactive hold what was found while reading
	// the definition (the File's lists hold the rest), so that a
	// re-read definition brings its own.
	Diags    []diag.Diagnostic
	Comments []Range
	Inactive []Range
	// Base is the number base in force where the definition starts.
	Base int

	// Kind is what the definition is; see DefKind.
	Kind DefKind
	// Unterminated is set when the definition has no closing ;.
	Unterminated bool
	// parseInLoop: the body parses inside a loop (names up to an end).
	parseInLoop bool
	wordlist    bool // a vocabulary, or a constant holding a wordlist
	orderOnly   bool // a colon definition that only changes the search order
	// Implicit marks the nameless definition a control structure at top
	// level compiles and runs (zeptoforth).
	Implicit bool
	// FixedPoint: the file works with s31.32 fixed-point numbers (it has
	// written one by then), whose items comments leave unmarked.
	FixedPoint bool
	// ShadowsImmediate: it has the name of an immediate word of the
	// system (an implementation of CASE, OF, IF ... when immediate too).
	ShadowsImmediate bool
	refills          bool // it reads the source itself (REFILL)
	takesReturn      bool // its first return-stack operation takes its caller's return address
	evaluates        bool // interprets text when it runs (evaluate, included)
	evalsText        bool // evaluates the text it parses: read it as Forth
	known            bool // a constant whose value is known at parse time
	// InputCells, when not 0, is one more than the number of cells the
	// definition takes, as its author declared it (Mecrisp's N-foldable).
	InputCells int
	wraps      *builtins.Word // the builtin it redefines and runs last (see wrapped)
	loads      string         // "always" or "once": it loads the file it names (see loadsNamed)
	loadsText  string         // "always" or "once": it loads the file named by the string it is given
	value      int64          // that value
}

// ParseStep is one parse a word does when it runs.
type ParseStep struct {
	Kind  builtins.Parse
	Delim byte   // for ParseDelim
	N     int    // for ParseName: how many names (0 means one)
	Until string // for ParseWords
}

// Comment is a stack comment as written in the source.
type Comment struct {
	Start, End int32 // including the parentheses
	Text       string
	Effect     effect.Effect
	Err        error // set when the comment has "--" but cannot be read
	FromLocals bool  // taken from a locals declaration { a b -- c }
}

// Local is one local variable.
type Local struct {
	Name       string
	Start, End int32
	Float      bool
	Double     bool
}

// Include is an include/require found in a file.
type Include struct {
	Path       string
	Start, End int32
	Once       bool // require, needs, required
	File       *File
	// DefIndex is how many definitions came before the include: its
	// exports are visible to definitions from that index on.
	DefIndex int
	// Ctx is what the included file was (or would have been) read in:
	// this file's dictionary and base at the include.
	Ctx *Context
}

// Range is a byte range.
type Range struct{ Start, End int32 }

// File is the parsed form of one source file.
type File struct {
	Source *source.File
	// Top is the top-level (interpreted) code, with OpColon entries where
	// colon definitions stand.
	Top []Op
	// Defs lists every definition in source order, including :noname,
	// quotations and does> parts.
	Defs     []*Def
	Includes []Include
	Comments []Range // comments, for highlighting and rename safety
	Inactive []Range // text skipped by [if] ... [else] ... [then]
	Diags    []diag.Diagnostic
	// Exports is the dictionary at the end of the file: the context it
	// was read in, its own words and those of the files it included.
	Exports *Dict
	// Added are the words the file and the files it included added to
	// the dictionary (the last definition of each name).
	Added *Dict
	// Context is what the file was read in (nil: on its own).
	Context *Context
	// EndBase is the number base at the end of the file.
	EndBase int
	// Missing names the first file its load needed and could not find
	// (in its context, its own includes, or theirs): a word nothing
	// defines may come from it.
	Missing string
	// Shifts record the edits applied since the file was last read as a
	// whole: Shifts[k] moves offsets at or after At (in the coordinates of
	// version k) by Delta. Offsets of top-level items (Top, Includes,
	// Comments, Inactive, Diags) are in version TopEpoch's coordinates; a
	// definition's are in its Epoch's.
	Shifts   []Shift
	TopEpoch int32

	// ckpts are where reading can resume after an edit (see Resume), in
	// text order.
	ckpts []*ckpt
}

// TopAbs converts an offset of a top-level item to the current text.
func (f *File) TopAbs(off int32) int { return f.Abs(f.TopEpoch, off) }

// Shift is one edit's effect on offsets, and on the positions of the
// definitions in Defs: those at or after DefAt (in version k's Defs) move
// by DefDelta.
type Shift struct{ At, Delta, DefAt, DefDelta int32 }

// IndexOf gives d's position in f.Defs, or -1 when f does not hold d
// (d is another file's, or an earlier version's reading of a
// definition read again since).
func (f *File) IndexOf(d *Def) int {
	if d == nil {
		return -1
	}
	if i := f.indexNow(d); i >= 0 && i < len(f.Defs) && f.Defs[i] == d {
		return i
	}
	return -1
}

// indexNow moves d's Index to the current version: where it stands now
// if f holds it, else where it would stand had it not been read again.
func (f *File) indexNow(d *Def) int {
	i := int32(d.Index)
	for k := max(0, int(d.Epoch)); k < len(f.Shifts); k++ {
		if s := f.Shifts[k]; i >= s.DefAt {
			i += s.DefDelta
		}
	}
	return int(i)
}

// Abs converts an offset recorded in version epoch to the current text.
func (f *File) Abs(epoch int32, off int32) int { return absIn(f.Shifts, epoch, off) }

// absIn is File.Abs for a version with the given shifts (a checkpoint's
// pending patch keeps its version's, not the File).
func absIn(shifts []Shift, epoch, off int32) int {
	for i := int(epoch); i < len(shifts); i++ {
		if s := shifts[i]; off >= s.At {
			off += s.Delta
		}
	}
	return int(off)
}

// Epoch is the current version number: offsets of definitions read now are
// in its coordinates.
func (f *File) Epoch() int32 { return int32(len(f.Shifts)) }

// AllDiags returns the reader's diagnostics: the file's and every
// definition's, with offsets in the current text.
func (f *File) AllDiags() []diag.Diagnostic {
	ds := append([]diag.Diagnostic(nil), f.Diags...)
	for i := range ds {
		ds[i].Start, ds[i].End = f.TopAbs(int32(ds[i].Start)), f.TopAbs(int32(ds[i].End))
	}
	for _, d := range f.Defs {
		for _, x := range d.Diags {
			x.Start, x.End = f.Abs(d.Epoch, int32(x.Start)), f.Abs(d.Epoch, int32(x.End))
			ds = append(ds, x)
		}
	}
	return ds
}

// Value is the value of a constant known when it was read ("10 constant
// ten"), and whether it is known.
func (d *Def) Value() (int64, bool) { return d.value, d.known }

// TakesReturnAddress reports whether the first return-stack operation of
// the body takes an item (R> 2R> R@ RDROP) rather than puts one: the word
// works on its caller's return address, as control primitives do.
func (d *Def) TakesReturnAddress() bool {
	for i := range d.Body {
		op := &d.Body[i]
		if op.Kind != OpCall || op.Ref.B == nil || op.Interp {
			continue
		}
		switch op.Ref.B.Name {
		case "r>", "2r>", "r@", "2r@", "rdrop", "2rdrop":
			return true
		case ">r", "2>r", "n>r":
			return false
		}
	}
	return false
}
