package effect

import (
	"errors"
	"slices"
	"strings"
)

// ErrNotEffect is returned for text that has no "--" and so is an ordinary
// comment rather than a stack comment.
var ErrNotEffect = errors.New("not a stack comment: no \"--\"")

// Options tell the parser how a system reads item names. The zero value
// reads Forth 2012 notation.
type Options struct {
	// TwoCell lists item names (lower case, without digits or primes)
	// that take two data cells besides the standard d, ud and xd, as a
	// fixed-point "f" does on zeptoforth.
	TwoCell []string
	// TwoFloat lists item names that take two floats, as a complex "z"
	// does in gforth: on the float stack ("F: z1 z2 -- z3") and when a
	// checker reads a data-stack item as a float by its name.
	TwoFloat []string
	// DoubleMarker reads "D: x" as one item x of two cells, as
	// zeptoforth writes doubles, rather than as the data-stack label.
	DoubleMarker bool
}

// Parse reads a stack comment with the standard options (see
// Options.Parse).
func Parse(s string) (Effect, error) { return Options{}.Parse(s) }

// ParseInner reads the inside of one stack comment with the standard
// options (see Options.ParseInner).
func ParseInner(s string) (Effect, error) { return Options{}.ParseInner(s) }

// Parse reads one or more parenthesised groups, e.g. "( x -- ) ( R: -- x )".
// Text that is not inside parentheses is read as the inside of one group, so
// Parse("a b -- c") works too. Items of later groups are appended to the
// sides of the first; a later group with alternatives makes the whole effect
// Complex.
func (o Options) Parse(s string) (Effect, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") {
		return o.ParseInner(s)
	}
	var e Effect
	first := true
	for {
		s = strings.TrimSpace(s)
		if s == "" {
			break
		}
		if !strings.HasPrefix(s, "(") {
			return e, errors.New("text after stack comment: " + s)
		}
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return e, errors.New("unterminated stack comment")
		}
		// "( "ccc<)>" -- )": a quoted item may hold a ')'.
		if q := strings.IndexByte(s[:end], '"'); q >= 0 {
			if q2 := strings.IndexByte(s[q+1:], '"'); q2 >= 0 && q+1+q2 > end {
				if e2 := strings.IndexByte(s[q+2+q2:], ')'); e2 >= 0 {
					end = q + 2 + q2 + e2
				}
			}
		}
		g, err := o.ParseInner(s[1:end])
		if err != nil {
			return e, err
		}
		s = s[end+1:]
		if first {
			e = g
			first = false
			continue
		}
		e = merge(e, g)
	}
	if first {
		return e, ErrNotEffect
	}
	return e, nil
}

// merge appends the items of a group for other stacks to e.
func merge(e, g Effect) Effect {
	if len(g.In) != 1 || len(g.Out) != 1 || len(e.In) != 1 || len(e.Out) != 1 {
		e.Complex = true
		return e
	}
	e.In[0] = append(e.In[0], g.In[0]...)
	e.Out[0] = append(e.Out[0], g.Out[0]...)
	e.Complex = e.Complex || g.Complex
	return e
}

func isSep(f string) bool { return f == "--" || f == "—" || f == "---" }

// ParseInner reads the inside of one stack comment, without parentheses.
//
// Besides the Forth 2012 notation it reads the ways people write stack
// comments in real code:
//
//   - a description after the items, introduced by a lone "=" or "=="
//     ("( x -- y = Initialise y )", the Forth Foundation Library), "," or
//     an item ending in "," ("( n -- , print n )", pForth), "\" or ":";
//     and an alternative made of prose ("( n -- flag | true if n is odd )");
//   - stack labels beside "R:", "F:" and "C:": "D:" and "S:" for the data
//     stack and any other short label ("a:") for a stack of the program's
//     own, whose items do not count;
//   - groups for different stacks separated by ";" ("( r -- ; R: -- r )"),
//     while groups for the same stack are phases ("( "name" -- ; -- addr )");
//   - "/" between alternatives ("( -- c / ior )"), and "?", "??" or "???"
//     for items not described.
//
// Prose without a marker ("( u -- Put the result in the hold area )") is
// an error: the items cannot be told from the description.
func (o Options) ParseInner(s string) (Effect, error) {
	fields := strings.Fields(s)
	if o.DoubleMarker {
		for i := 0; i+1 < len(fields); i++ {
			if strings.EqualFold(fields[i], "D:") && !isSep(fields[i+1]) {
				fields[i] = "d:" + fields[i+1]
				fields = slices.Delete(fields, i+1, i+2)
			}
		}
	}
	for i := 0; i < len(fields); i++ {
		// "( --, f: x -- y )"
		if f := fields[i]; strings.HasSuffix(f, ",") && isSep(strings.TrimSuffix(f, ",")) {
			fields = slices.Insert(fields, i+1, ",")
			fields[i] = strings.TrimSuffix(f, ",")
		}
	}
	sep := -1
	for i, f := range fields {
		if isSep(f) {
			sep = i
			break
		}
	}
	if sep < 0 {
		// pForth: "( r -f- )", "( addr -c- addr' )": the effect on one
		// stack, named by the letter between the dashes.
		for i, f := range fields {
			if len(f) == 3 && f[0] == '-' && f[2] == '-' {
				if _, _, ok := stackLabel(f[1:2] + ":"); ok {
					fields = slices.Concat([]string{strings.ToUpper(f[1:2]) + ":"}, fields[:i], []string{"--"}, fields[i+1:])
					sep = i + 1
					break
				}
			}
		}
	}
	if sep < 0 {
		return Effect{}, ErrNotEffect
	}
	fields = stripDescription(fields, sep)
	if w := proseWord(fields); w != "" {
		return Effect{}, errors.New("it reads as a description (\"" + w + "\"), not as stack items")
	}
	// A second "--" belongs to a comment with phases ("compilation: --
	// orig ; run-time: x -- ") or with a group for each stack ("r -- ;
	// R: -- r"); without either it is a mistake.
	seps, phased, semis := 0, false, false
	for i, f := range fields {
		switch {
		case isSep(f):
			seps++
		case f == ";" || len(f) > 1 && strings.HasSuffix(f, ";"):
			semis = true
		case isPhaseLabel(strings.ToLower(f)):
			phased = true
		case seps == 1 && (f == "|" || f == "/") && slices.ContainsFunc(fields[i+1:], isSep):
			// "( n size -- | -- addr )": another effect, not an
			// alternative output.
			fields[i] = ";"
			semis = true
		case seps == 1 && i > sep && fields[i-1] != ";" && slices.ContainsFunc(fields[i+1:], isSep):
			// "( task -- R: continue -- )": a group for another stack.
			if _, _, ok := stackLabel(f); ok {
				fields = slices.Insert(fields, i, ";")
				semis = true
			}
		}
	}
	if semis && !phased {
		if e, ok := o.stackGroups(fields); ok {
			return e, nil
		}
	}
	if seps > 1 && !phased && !semis {
		return Effect{}, errors.New(`more than one "--" and no phase (";" or "run-time:")`)
	}
	return o.group(fields), nil
}

// group reads fields with at least one "--" as one group.
func (o Options) group(fields []string) Effect {
	sep := 0
	for i, f := range fields {
		if isSep(f) {
			sep = i
			break
		}
	}
	var e Effect
	var complex bool
	e.In, complex = o.parseSide(fields[:sep], Data, "")
	e.Complex = e.Complex || complex
	// The output side starts on the stack the input side ended on only when
	// a prefix was given for the whole group ("F: r1 r2 -- r3").
	start, startLabel := Data, ""
	if len(fields) > 0 {
		if st, lbl, ok := stackLabel(fields[0]); ok && !hasOtherPrefix(fields[1:sep], st, lbl) {
			start, startLabel = st, lbl
		}
	}
	e.Out, complex = o.parseSide(fields[sep+1:], start, startLabel)
	e.Complex = e.Complex || complex
	if start == Float {
		// "( F: r1 r2 -- flag )": a flag is never a float.
		for _, p := range e.Out {
			for i := range p {
				if p[i].Stack == Float && p[i].Kind == Cell && isFlagName(strings.ToLower(p[i].Name)) {
					p[i].Stack, p[i].Cells = Data, 1
				}
			}
		}
	}
	return e
}

// isFlagName recognises the names of flags: flag, flag1, true, false,
// t/f, ok?.
func isFlagName(lf string) bool {
	base := strings.TrimRight(lf, "0123456789'_")
	switch {
	case base == "flag" || base == "true" || base == "false" || base == "t/f":
		return true
	case len(base) > 1 && strings.HasSuffix(base, "?"):
		return true
	}
	return false
}

// stackGroups reads "in -- out ; in -- out" where each group is for a
// stack of its own, named by its leading label (none: the data stack). ok
// is false when two groups are for the same stack: then they are phases.
func (o Options) stackGroups(fields []string) (Effect, bool) {
	var groups [][]string
	var cur []string
	for _, f := range fields {
		switch {
		case f == ";":
			groups = append(groups, cur)
			cur = nil
			continue
		case len(f) > 1 && strings.HasSuffix(f, ";"):
			cur = append(cur, strings.TrimSuffix(f, ";"))
			groups = append(groups, cur)
			cur = nil
			continue
		}
		cur = append(cur, f)
	}
	groups = append(groups, cur)
	seen := map[string]bool{}
	var e Effect
	for i, g := range groups {
		n := 0
		for _, f := range g {
			if isSep(f) {
				n++
			}
		}
		if n != 1 {
			return Effect{}, false
		}
		key := ""
		if len(g) > 0 {
			if st, lbl, ok := stackLabel(g[0]); ok {
				key = st.String() + lbl
			}
		}
		if seen[key] {
			return Effect{}, false
		}
		seen[key] = true
		ge := o.group(g)
		if i == 0 {
			e = ge
			continue
		}
		e = merge(e, ge)
	}
	return e, true
}

// stripDescription cuts the description off the items: everything from a
// lone "=", "==", "\", "," or ":" after the first "--", and what follows an
// output item that ends in "," (unless the inputs are separated by commas
// too, "( a, b -- c, d )"). An alternative made of prose is cut as well.
func stripDescription(fields []string, sep int) []string {
	commaList := false
	for _, f := range fields[:sep] {
		if len(f) > 1 && strings.HasSuffix(f, ",") {
			commaList = true
		}
	}
	var out []string
	for i, f := range fields {
		if i > sep {
			if f == "," && i+1 < len(fields) {
				// "( -- , f: x -- y )": a group for another stack.
				if _, _, ok := stackLabel(fields[i+1]); ok {
					out = append(out, ";")
					continue
				}
			}
			switch f {
			case "=", "==", "\\", ",", ":":
				return out
			}
			if len(f) > 1 && strings.HasSuffix(f, ",") && !commaList {
				return append(out, strings.TrimSuffix(f, ","))
			}
		}
		if f == "," {
			continue
		}
		if commaList && len(f) > 1 && strings.HasSuffix(f, ",") && !strings.HasPrefix(f, "\"") {
			f = strings.TrimSuffix(f, ",")
		}
		out = append(out, f)
	}
	// "( n -- flag | true if n is odd )": an alternative of prose is a
	// description.
	for i := sep + 1; i < len(out); i++ {
		if out[i] != "|" && out[i] != "/" {
			continue
		}
		j := i + 1
		for j < len(out) && out[j] != "|" && out[j] != "/" && !isSep(out[j]) && out[j] != ";" {
			j++
		}
		if seg := out[i+1 : j]; proseWord(seg) != "" || len(seg) >= 3 && sentence(append([]string{"--"}, seg...)) == seg[0] {
			return out[:i]
		}
	}
	return out
}

// proseWords are English words that do not name stack items: an item
// list holding one is a sentence.
var proseWords = map[string]bool{
	"the": true, "of": true, "is": true, "are": true, "if": true, "into": true, "and": true,
	"with": true, "that": true, "an": true, "its": true, "will": true, "when": true, "which": true, "was": true, "has": true, "than": true,
	"should": true, "must": true, "does": true, "otherwise": true, "returns": true,
}

// proseWord returns the first word of fields that only prose uses, or "".
// Parsed text ("name of the file") is not looked at.
func proseWord(fields []string) string {
	quoted := false
	for _, f := range fields {
		if quoted {
			quoted = !strings.HasSuffix(f, "\"")
			continue
		}
		if strings.HasPrefix(f, "\"") {
			quoted = len(f) == 1 || !strings.HasSuffix(f, "\"")
			continue
		}
		if proseWords[strings.ToLower(f)] {
			return f
		}
	}
	return sentence(fields)
}

// sentence returns the capitalised word that starts a sentence among
// lower-case items ("( str2 str1 -- Move str2 to str1 )"): a word of
// letters, capital first, after the "--", with at least two words after
// it and no capital letter in the items before it.
func sentence(fields []string) string {
	sep := false
	for i, f := range fields {
		if isSep(f) {
			sep = true
			continue
		}
		if _, _, ok := stackLabel(f); ok || strings.HasPrefix(f, "\"") {
			continue
		}
		if sep && i+2 < len(fields) && len(f) >= 3 && f[0] >= 'A' && f[0] <= 'Z' && isLower(f[1:]) {
			return f
		}
		if strings.ToLower(f) != f {
			return ""
		}
	}
	return ""
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func hasOtherPrefix(fields []string, st Stack, label string) bool {
	for _, f := range fields {
		if s, l, ok := stackLabel(f); ok && (s != st || l != label) {
			return true
		}
	}
	return false
}

// stackLabel reads a stack label: "R:", "F:", "C:", "D:" or "S:" (the data
// stack), or another label of one or two letters ("a:", "$:") for a stack
// of the program's own.
func stackLabel(f string) (st Stack, label string, ok bool) {
	switch strings.ToUpper(f) {
	case "R:":
		return Return, "", true
	case "F:":
		return Float, "", true
	case "C:":
		return Control, "", true
	case "D:", "S:":
		return Data, "", true
	}
	if n := len(f); n >= 2 && n <= 3 && f[n-1] == ':' {
		for i := 0; i < n-1; i++ {
			if c := f[i] | 0x20; (c < 'a' || c > 'z') && f[i] != '$' {
				return Data, "", false
			}
		}
		return Other, strings.ToLower(f), true
	}
	return Data, "", false
}

func (o Options) parseSide(fields []string, st Stack, label string) (side []Picture, complex bool) {
	var cur Picture
	for _, f := range fields {
		if s, l, ok := stackLabel(f); ok {
			st, label = s, l
			continue
		}
		switch f {
		case "|", "/":
			side = append(side, cur)
			cur = nil
			continue
		case ";", "--":
			complex = true
			continue
		}
		lf := strings.ToLower(f)
		if isPhaseLabel(lf) {
			complex = true
			continue
		}
		// gforth writes "R:w" with the prefix glued on ("d:x" is a
		// double named x, not a data-stack prefix).
		itemStack, itemLabel := st, label
		if len(f) > 2 && f[1] == ':' {
			if s, _, ok := stackLabel(f[:2]); ok && s != Data && s != Other {
				itemStack, itemLabel = s, ""
				f = f[2:]
				lf = lf[2:]
			}
		}
		it := o.classify(f, lf, itemStack)
		it.Label = itemLabel
		cur = append(cur, it)
	}
	side = append(side, cur)
	return side, complex
}

func isPhaseLabel(lf string) bool {
	switch strings.TrimSuffix(lf, ":") {
	case "compilation", "compile-time", "run-time", "runtime", "execution", "interpretation", "initiation":
		return true
	}
	return false
}

func (o Options) classify(f, lf string, st Stack) Item {
	it := Item{Name: f, Stack: st, Kind: Cell, Cells: 1}
	switch {
	case strings.HasPrefix(f, "\"") || strings.HasPrefix(f, "<") && strings.Contains(f, ">"):
		// "name", <name>, <string>char (pForth: text up to char).
		it.Kind, it.Cells, it.Stack = Parsed, 0, Data
	case isWildcard(lf) || strings.HasSuffix(lf, "-sys") && st != Data || st == Data && isControlItem(lf):
		it.Kind, it.Cells = Wildcard, 0
	case st == Data && (IsDoubleName(lf) || hasBase(o.TwoCell, lf)):
		it.Cells = 2
	case st == Float && hasBase(o.TwoFloat, lf):
		it.Cells, it.Floats = 2, 2
	case st == Return && IsFloatName(lf):
		// A float moved to the return stack ("( F: r -- ) ( R: -- r )")
		// takes as many cells as the system gives a float.
		it.Kind, it.Cells = Wildcard, 0
	}
	if st == Data && it.Kind == Cell {
		switch {
		case hasBase(o.TwoFloat, lf):
			it.Floats = 2
		case IsFloatName(lf):
			it.Floats = 1
		}
	}
	return it
}

// isControlItem recognises the control-flow items whose size is the
// system's, orig and dest, also when a program keeps them on the data
// stack ("( reg xt -- asm-orig )").
func isControlItem(lf string) bool {
	base := strings.TrimRight(lf, "0123456789'_")
	// A plain "dest" is as often a destination address.
	return base == "orig" || strings.HasSuffix(base, "-orig") || strings.HasSuffix(base, "-dest")
}

// nameBase strips what item names add to their kind: digits, primes and
// underscores at the end, and a suffix after a dot or colon ("d1",
// "ud'", "d.lo").
func nameBase(lf string) string {
	base := strings.TrimRight(lf, "0123456789'_")
	if i := strings.IndexAny(base, ".:"); i > 0 {
		base = base[:i]
	}
	return base
}

func hasBase(names []string, lf string) bool {
	if len(names) == 0 {
		return false
	}
	base := nameBase(lf)
	for _, n := range names {
		if n == base {
			return true
		}
	}
	return false
}

// IsDoubleName reports whether an item name denotes a double-cell value by
// the Forth 2012 conventions: d, ud, xd (with optional digits, primes or a
// suffix after a dot or colon).
func IsDoubleName(lf string) bool {
	switch nameBase(lf) {
	case "d", "ud", "xd", "+d":
		// Not "dx": that is a delta, as in at-deltaxy ( dx dy -- ).
		return true
	}
	return false
}

// IsFloatName reports whether a data-stack item name follows gforth's
// convention for floating-point items (r, r1, r2, r'), which gforth's own
// stack comments use without an "F:" prefix.
func IsFloatName(lf string) bool {
	base := strings.TrimRight(lf, "0123456789'_")
	return base == "r" || base == "rf"
}

// TwoFloats reports whether e has an item read as two floats because of
// its name (Options.TwoFloat): "z" may be a complex, or a real named z.
func (e *Effect) TwoFloats() bool {
	for _, side := range [2][]Picture{e.In, e.Out} {
		for _, p := range side {
			for _, it := range p {
				if it.Floats == 2 {
					return true
				}
			}
		}
	}
	return false
}

// OneFloatEach returns a copy of e in which the items read as two floats
// because of their names take one float: the other reading of "z".
func (e Effect) OneFloatEach() Effect {
	one := func(side []Picture) []Picture {
		out := make([]Picture, len(side))
		for i, p := range side {
			q := make(Picture, len(p))
			for j, it := range p {
				if it.Floats == 2 {
					it.Floats = 1
					if it.Stack == Float {
						it.Cells = 1
					}
				}
				q[j] = it
			}
			out[i] = q
		}
		return out
	}
	return Effect{In: one(e.In), Out: one(e.Out), Complex: e.Complex}
}

// FloatsByName returns a copy of e in which data-stack items named like
// floats (see IsFloatName, and Options.TwoFloat for the items that take
// two) are moved to the float stack. It is how a checker reads gforth-style
// comments such as "( r1 r2 -- r3 )".
func (e Effect) FloatsByName() Effect {
	move := func(side []Picture) []Picture {
		out := make([]Picture, len(side))
		for i, p := range side {
			q := make(Picture, len(p))
			for j, it := range p {
				if it.Stack == Data && it.Kind == Cell && (it.Floats > 0 || IsFloatName(strings.ToLower(it.Name))) {
					it.Stack, it.Cells = Float, max(it.Floats, 1)
				}
				q[j] = it
			}
			out[i] = q
		}
		return out
	}
	return Effect{In: move(e.In), Out: move(e.Out), Complex: e.Complex}
}

// isWildcard recognises items standing for any number of cells: "i*x",
// "j*x", "n*x", "x*u", "i*r", "j*sys", "...", "xu..x0", "0,1,..n" and the
// "?", "??" and "???" of items not described. A product such as "n*n" is
// a name, and so is a range of values such as "0..n-1".
func isWildcard(lf string) bool {
	if lf == "?" || lf == "??" || lf == "???" || lf == "never" || strings.HasPrefix(lf, "..") || strings.HasSuffix(lf, "..") {
		return true
	}
	if i := strings.Index(lf, ".."); i > 0 {
		// "x1..xn" lists items; "0..n-1" is one value in a range.
		if c := lf[0]; c >= 'a' && c <= 'z' || strings.Contains(lf, ",") {
			return true
		}
	}
	i := strings.IndexByte(lf, '*')
	if i < 0 {
		return false
	}
	a, b := lf[:i], lf[i+1:]
	count := func(s string) bool {
		return s == "i" || s == "j" || s == "k" || s == "l" || s == "m" || s == "n" || s == "u" || s == "+n"
	}
	item := func(s string) bool {
		switch s {
		case "x", "n", "u", "r", "c", "w", "xt", "sys":
			return true
		}
		return false
	}
	return a != b && (count(a) && item(b) || item(a) && count(b))
}

// TwoCellsEach returns a copy of e in which every one-cell data-stack
// item takes two cells: the reading of a comment whose items are s31.32
// fixed-point numbers written without a width ("( x -- sqrtx )").
func (e Effect) TwoCellsEach() Effect {
	two := func(side []Picture) []Picture {
		out := make([]Picture, len(side))
		for i, p := range side {
			q := make(Picture, len(p))
			for j, it := range p {
				if it.Stack == Data && it.Cells == 1 {
					it.Cells = 2
				}
				q[j] = it
			}
			out[i] = q
		}
		return out
	}
	return Effect{In: two(e.In), Out: two(e.Out), Complex: e.Complex}
}
