package patterns

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/fastforth/fastforth/analysis/effect"
	"github.com/fastforth/fastforth/forth/machine"
)

// Validate checks a spec against the library and returns every problem at
// once, each naming its field; shape is the effect's, when it could be
// read.
func (l *Library) Validate(s *Spec) (Shape, SpecErrors) {
	var errs SpecErrors
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	if s.Name == "" {
		bad("name", "required: the name of the word to define")
	} else if err := ValidName(s.Name); err != nil {
		bad("name", "%v", err)
	}
	var shape Shape
	shapeOK := false
	if strings.TrimSpace(s.Effect) == "" {
		bad("effect", "required: the stack effect, e.g. \"( n1 n2 -- n3 )\"")
	} else if t := strings.TrimSpace(s.Effect); !strings.HasPrefix(t, "( ") || !strings.HasSuffix(t, " )") || strings.ContainsAny(t, "\n\r") {
		// It becomes the definition's stack comment: it must be one.
		bad("effect", "%q is not a stack comment: write it as \"( before -- after )\" on one line", s.Effect)
	} else if e, err := effect.Parse(s.Effect); err != nil {
		bad("effect", "%q cannot be read: %v", s.Effect, err)
	} else if sh, err := shapeOf(&e); err != nil {
		bad("effect", "%q: %v", s.Effect, err)
	} else {
		shape, shapeOK = sh, true
	}
	var p *Pattern
	if s.Pattern != "" {
		if p = l.Get(s.Pattern); p == nil {
			msg := fmt.Sprintf("no pattern %q", s.Pattern)
			if near := l.nearestID(s.Pattern); near != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", near)
			}
			bad("pattern", "%s", msg)
		} else if shapeOK && !shape.Within(p.shape) {
			bad("effect", "%s does not fit pattern %s, whose effect is %s (%s, not %s)", s.Effect, p.ID, p.Effect, p.shape, shape)
		}
	} else if len(s.Params) > 0 {
		bad("params", "parameters need a pattern: give \"pattern\" too")
	}
	if p != nil {
		l.validateParams(s, p, bad)
	}
	var sm *machine.Machine // the machine after the setup, for its words
	if s.Setup != "" {
		sm = validateSetup(s.Setup, bad)
	}
	nErr := len(errs)
	for i := range s.Examples {
		validateExample(fmt.Sprintf("examples[%d]", i), &s.Examples[i], shape, shapeOK, sm, s.Setup != "", bad)
	}
	// A count that differs because of a double-cell name: say so.
	if d := doubleNames(s.Effect); len(d) > 0 {
		for i := nErr; i < len(errs); i++ {
			if strings.Contains(errs[i].Message, "given but the effect") {
				errs[i].Message += fmt.Sprintf(" (in a Forth stack comment %s names a double cell, two cells: call a one-cell item n, u or x)", strings.Join(d, ", "))
			}
		}
	}
	for i, pr := range s.Properties {
		if commentProblem(pr) != "" {
			bad(fmt.Sprintf("properties[%d]", i), "%s", commentProblem(pr))
		}
	}
	if commentProblem(s.Description) != "" {
		bad("description", "%s", commentProblem(s.Description))
	}
	return shape, errs
}

// validateParams checks the parameters given for pattern p.
func (l *Library) validateParams(s *Spec, p *Pattern, bad func(string, string, ...any)) {
	keys := make([]string, 0, len(s.Params))
	vals := p.Defaults()
	for k, v := range s.Params {
		keys = append(keys, k)
		vals[k] = string(v)
	}
	vals["name"] = s.Name
	if _, given := s.Params["name"]; !given && s.Name != "" && ValidName(s.Name) == nil {
		if err := p.checkValue(p.Param("name"), s.Name, vals); err != nil {
			bad("name", "%v", err)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := string(s.Params[k])
		pr := p.Param(k)
		switch {
		case pr == nil:
			bad("params."+k, "pattern %s has no parameter %s (it takes %s)", p.ID, k, p.paramList())
		case k == "name" && v != s.Name:
			bad("params.name", "%q differs from name %q (leave it out: name is used)", v, s.Name)
		default:
			if err := p.checkValue(pr, v, vals); err != nil {
				bad("params."+k, "%v", err)
			}
		}
	}
}

// codeProblem says why text cannot be Forth code of a spec ("" when it
// can): control characters other than tab (and line breaks, when lines
// is set) are refused.
func codeProblem(text string, lines bool) string {
	if !lines && strings.ContainsAny(text, "\n\r") {
		return "must be one line (it goes into a test line)"
	}
	if strings.ContainsRune(text, '\r') {
		return "cannot contain a carriage return (gforth ends a line there)"
	}
	if hasControl(strings.NewReplacer("\t", " ", "\n", " ").Replace(text)) {
		return "cannot contain a control character"
	}
	return ""
}

// validateSetup runs the setup in a fresh machine: it must load, and
// leave the stacks empty. The machine is returned for the examples'
// words (nil when the setup is bad).
func validateSetup(setup string, bad func(string, string, ...any)) *machine.Machine {
	if msg := codeProblem(setup, true); msg != "" {
		bad("setup", "%s", msg)
		return nil
	}
	m := exampleFresh().Clone()
	if err := m.Load("setup", setup); err != nil {
		bad("setup", "does not run: %v", err)
		return nil
	}
	if m.Depth() != 0 || len(m.FStack()) != 0 {
		bad("setup", "leaves %s on the stacks; it must leave them empty", cellsText(m.Stack(), m.FStack()))
		return nil
	}
	return m
}

// valueCells counts the cells and floats values take; ok is false when a
// value is not valid (reported with bad, under field).
func valueCells(field string, vs Values, sm *machine.Machine, hasSetup bool, bad func(string, string, ...any)) (cells, floats int, ok bool) {
	ok = true
	for k, v := range vs {
		r := readVal(v)
		switch r.kind {
		case kString:
			cells += 2
		case kFloat:
			floats++
		case kCells:
			cells += len(r.cells)
		case kWord:
			n, nf, why := setupWord(sm, r.text)
			if why != "" {
				if !hasSetup {
					why = "not a number, a float literal (1e0), a character literal ('a'), true, false, or a {\"string\": ...}; a word must be defined by setup"
				}
				bad(field, "value %d, %q, is %s", k+1, r.text, why)
				ok = false
				continue
			}
			cells += n
			floats += nf
		}
	}
	return cells, floats, ok
}

// setupWord checks that w is a word the setup defined and counts what it
// pushes; why says what is wrong.
func setupWord(sm *machine.Machine, w string) (cells, floats int, why string) {
	if sm == nil {
		return 0, 0, "not a number, and the setup does not run"
	}
	if hasControl(w) || strings.ContainsAny(w, " \t") {
		return 0, 0, "not a word"
	}
	if _, found := sm.Find(w); !found {
		return 0, 0, "neither a number nor a word the setup defines"
	}
	if _, builtin := exampleFresh().Find(w); builtin {
		return 0, 0, "not a word the setup defines (only literals and the setup's words may be values)"
	}
	m := sm.Clone()
	if err := m.Eval(w); err != nil {
		return 0, 0, fmt.Sprintf("a word that does not run: %v", err)
	}
	return m.Depth(), len(m.FStack()), ""
}

// validateExample checks one example. The outputs are counted against
// the effect only without after code (what it leaves is part of them).
func validateExample(f string, ex *Example, shape Shape, shapeOK bool, sm *machine.Machine, hasSetup bool, bad func(string, string, ...any)) {
	in, fin, inOK := valueCells(f+".inputs", ex.Inputs, sm, hasSetup, bad)
	out, fout, outOK := valueCells(f+".outputs", ex.Outputs, sm, hasSetup, bad)
	if shapeOK && inOK && (in != shape.In || fin != shape.FloatIn) {
		bad(f+".inputs", "%s given but the effect takes %s", cellCount(in, fin), cellCount(shape.In, shape.FloatIn))
	}
	if ex.Throws != nil {
		switch {
		case *ex.Throws == 0:
			bad(f+".throws", "0 is not a THROW code (0 THROW does nothing)")
		case len(ex.Outputs) > 0:
			bad(f+".throws", "give either outputs or throws: a word that throws leaves no outputs")
		}
		if ex.After != "" {
			bad(f+".after", "not with throws: after runs when the word returns normally")
		}
	} else if shapeOK && outOK && ex.After == "" && !shape.Allows(Counts{In: shape.In, FloatIn: shape.FloatIn, Out: out, FloatOut: fout}) {
		want := make([]string, len(shape.Outs))
		for i, o := range shape.Outs {
			want[i] = cellCount(o.Out, o.FloatOut)
		}
		bad(f+".outputs", "%s given but the effect leaves %s", cellCount(out, fout), strings.Join(want, " or "))
	}
	if msg := codeProblem(ex.After, false); msg != "" {
		bad(f+".after", "%s", msg)
	}
	if msg := codeProblem(ex.Parse, false); msg != "" {
		bad(f+".parse", "%s", msg)
	}
}

func cellCount(cells, floats int) string {
	s := fmt.Sprintf("%d cell(s)", cells)
	if floats > 0 {
		s += fmt.Sprintf(" and %d float(s)", floats)
	}
	return s
}

// commentProblem says why text cannot go into a \ comment line of the
// generated code, or "": it must be one line (gforth ends a line at a
// carriage return too, which would run the rest), without control
// characters but tab.
func commentProblem(text string) string {
	if strings.ContainsAny(text, "\n\r") {
		return "must be one line"
	}
	if hasControl(strings.ReplaceAll(text, "\t", " ")) {
		return "cannot contain a control character"
	}
	return ""
}

// doubleRE matches the stack-comment names of double cells.
var doubleRE = regexp.MustCompile(`^(u?d|d[0-9]+|ud[0-9]+|d-[a-z0-9-]+|ud-[a-z0-9-]+)$`)

// doubleNames are the items of an effect that name double cells.
func doubleNames(eff string) []string {
	var out []string
	for _, f := range strings.Fields(eff) {
		if doubleRE.MatchString(strings.ToLower(f)) && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
