package patterns

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Spec asks for one word (the JSON spec of `fastforth gen`, format v2:
// FORMAT.md and /work/shared-notes/spec-format.md).
type Spec struct {
	// Name is the word to define.
	Name string `json:"name"`
	// Effect is its stack comment, e.g. "( hi lo -- sum )"; the outputs
	// may have alternatives ("( n1 n2 -- n3 true | false )").
	Effect string `json:"effect"`
	// Pattern, when set, is the ID of the pattern to use; otherwise one is
	// chosen by the effect, the examples and the description's words.
	Pattern string `json:"pattern,omitempty"`
	// Params are the pattern's parameters (strings or numbers); missing
	// ones take their defaults, and "name" is Name.
	Params map[string]Value `json:"params,omitempty"`
	// Description says what the word does; its words rank the patterns.
	Description string `json:"description,omitempty"`
	// Setup is Forth code run before each example (in a fresh state):
	// buffers and variables the examples name.
	Setup string `json:"setup,omitempty"`
	// Examples decide which code is right; they become tests.
	Examples []Example `json:"examples,omitempty"`
	// Properties are short statements about the word ("pure", "no
	// allocation") kept in the generated header comment; their words
	// help rank the patterns too.
	Properties []string `json:"properties,omitempty"`
}

// Example is one run of the word: the inputs pushed before it, the text
// it parses, code run after it, and what must come out: the stacks, a
// THROW code, the text printed.
type Example struct {
	Inputs Values `json:"inputs"`
	// Outputs are the values expected on the stacks after the word and
	// After (absent: none).
	Outputs Values `json:"outputs"`
	// Throws, when set, is the THROW code the word must end with
	// (instead of outputs).
	Throws *int `json:"throws,omitempty"`
	// After is Forth code run right after the word (observing memory);
	// what it leaves is part of the outputs.
	After string `json:"after,omitempty"`
	// Parse is the text that follows the word's name in the input.
	Parse string `json:"parse,omitempty"`
	// Printed, when set, is exactly what the word (and After) print.
	Printed *string `json:"printed,omitempty"`
}

// exampleFields are the fields of an example object.
var exampleFields = []string{"inputs", "outputs", "throws", "after", "parse", "printed"}

// UnmarshalJSON reads an example object; unknown fields are errors.
func (e *Example) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return fmt.Errorf("want an object {\"inputs\": ..., \"outputs\": ...}, found %s", abbrev(b))
	}
	var x Example
	for _, k := range sortedKeys(m) {
		v := m[k]
		var err error
		switch strings.ToLower(k) {
		case "inputs":
			err = x.Inputs.UnmarshalJSON(v)
		case "outputs":
			err = x.Outputs.UnmarshalJSON(v)
		case "throws":
			var n int
			if err = json.Unmarshal(v, &n); err != nil {
				err = fmt.Errorf("want an integer THROW code, found %s", abbrev(v))
			} else if string(bytes.TrimSpace(v)) != "null" {
				x.Throws = &n
			}
		case "after", "parse":
			var s string
			if err = json.Unmarshal(v, &s); err != nil {
				err = fmt.Errorf("want a string of Forth text, found %s", abbrev(v))
			}
			if strings.ToLower(k) == "after" {
				x.After = s
			} else {
				x.Parse = s
			}
		case "printed":
			var s *string
			if err = json.Unmarshal(v, &s); err != nil {
				err = fmt.Errorf("want the text printed, a string, found %s", abbrev(v))
			}
			x.Printed = s
		default:
			err = fmt.Errorf("unknown field (an example has %s)", strings.Join(exampleFields, ", "))
		}
		if err != nil {
			return &fieldErr{k, err}
		}
	}
	*e = x
	return nil
}

// fieldErr is an error of one field of an object, for specFieldErrors.
type fieldErr struct {
	field string
	err   error
}

func (e *fieldErr) Error() string { return e.field + ": " + e.err.Error() }

// Value is a parameter value: a JSON string or number, kept as text.
type Value string

// UnmarshalJSON accepts a string, a number or a boolean (Forth's -1/0).
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = Value(s)
	case string(b) == "true":
		*v = "-1"
	case string(b) == "false":
		*v = "0"
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a string or a number, found %s", abbrev(b))
		}
		*v = Value(n.String())
	}
	return nil
}

// Val is one value of an example: a token (a number, a float literal
// such as 1.5e0, a character literal 'a', or a word the spec's setup
// defines) or a string, which stands for the two cells c-addr u.
type Val struct {
	Token string
	// Str is set for {"string": "..."}: the text (Token is then "").
	Str *string
}

// IsString reports whether v is a string value.
func (v Val) IsString() bool { return v.Str != nil }

func (v Val) String() string {
	if v.Str != nil {
		return fmt.Sprintf("%q", *v.Str)
	}
	return v.Token
}

// Tok is a token value.
func Tok(s string) Val { return Val{Token: s} }

// Str is a string value.
func Str(s string) Val { return Val{Str: &s} }

// Values are the values pushed or expected: a string of blank-separated
// tokens ("5 0") or an array of numbers, tokens and {"string": ...}
// objects.
type Values []Val

// UnmarshalJSON accepts a string or an array.
func (vs *Values) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		out := Values{}
		for _, f := range strings.Fields(s) {
			out = append(out, Tok(f))
		}
		*vs = out
		return nil
	}
	if string(b) == "null" {
		*vs = nil
		return nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(b, &arr); err != nil {
		return fmt.Errorf("want a string such as \"5 0\" or an array such as [5, 0, {\"string\": \"abc\"}]")
	}
	out := make(Values, 0, len(arr))
	for i, a := range arr {
		a = bytes.TrimSpace(a)
		if len(a) > 0 && a[0] == '{' {
			var m map[string]json.RawMessage
			var s string
			if json.Unmarshal(a, &m) != nil || len(m) != 1 || m["string"] == nil || json.Unmarshal(m["string"], &s) != nil {
				return fmt.Errorf("value %d: want {\"string\": \"text\"}, found %s", i+1, abbrev(a))
			}
			out = append(out, Str(s))
			continue
		}
		var v Value
		if err := v.UnmarshalJSON(a); err != nil {
			return fmt.Errorf("value %d: %v", i+1, err)
		}
		// "1 2" in an array is two values, as it is in a string.
		f := strings.Fields(string(v))
		if len(f) == 0 {
			f = []string{string(v)}
		}
		for _, t := range f {
			out = append(out, Tok(t))
		}
	}
	*vs = out
	return nil
}

// MarshalJSON writes an array of tokens and {"string": ...} objects.
func (vs Values) MarshalJSON() ([]byte, error) {
	out := make([]any, len(vs))
	for i, v := range vs {
		if v.Str != nil {
			out[i] = map[string]string{"string": *v.Str}
		} else {
			out[i] = v.Token
		}
	}
	return json.Marshal(out)
}

// FieldError is one problem of a spec, naming its field ("name",
// "params.op", "examples[1].outputs").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// SpecErrors are all the problems of a spec.
type SpecErrors []FieldError

func (es SpecErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// ParseSpec reads a JSON spec. Unknown fields are errors (a misspelt
// field would otherwise be ignored silently).
//
// The error is a *SpecReadError, which names the field of each problem.
func ParseSpec(data []byte) (*Spec, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Spec
	if err := dec.Decode(&s); err != nil {
		return nil, &SpecReadError{Errors: specFieldErrors(data, err)}
	}
	if dec.More() {
		return nil, &SpecReadError{Errors: SpecErrors{{Field: "spec", Message: "more than one JSON value"}}}
	}
	return &s, nil
}

// SpecReadError is a spec that is not valid JSON or whose fields have the
// wrong names or types. Errors name the fields ("spec" for the text as a
// whole).
type SpecReadError struct {
	Errors SpecErrors
}

func (e *SpecReadError) Error() string { return "reading the spec: " + e.Errors.Error() }

// specFields are the fields of a spec, for messages.
const specFields = "name, effect, pattern, params, description, setup, examples and properties"

// specFieldErrors finds the fields behind err, the decoder's first error,
// by reading the spec field by field (the decoder names neither unknown
// fields' parents nor the fields of its values' own errors).
func specFieldErrors(data []byte, err error) SpecErrors {
	var errs SpecErrors
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil || top == nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return SpecErrors{{Field: "spec", Message: fmt.Sprintf("%v (at byte %d)", err, syn.Offset)}}
		}
		return SpecErrors{{Field: "spec", Message: strings.TrimPrefix(err.Error(), "json: ")}}
	}
	for _, k := range sortedKeys(top) {
		v := top[k]
		// encoding/json matches field names regardless of case.
		switch strings.ToLower(k) {
		case "name", "effect", "pattern", "description", "setup":
			var str string
			if json.Unmarshal(v, &str) != nil {
				bad(k, "want a string, found %s", abbrev(v))
			}
		case "params":
			var m map[string]json.RawMessage
			if json.Unmarshal(v, &m) != nil {
				bad(k, "want an object of parameter values, found %s", abbrev(v))
				break
			}
			for _, pk := range sortedKeys(m) {
				var x Value
				if e := x.UnmarshalJSON(m[pk]); e != nil {
					bad(k+"."+pk, "%v", e)
				}
			}
		case "examples":
			var arr []json.RawMessage
			if json.Unmarshal(v, &arr) != nil {
				bad(k, "want an array of {\"inputs\": ..., \"outputs\": ...}, found %s", abbrev(v))
				break
			}
			for i, ex := range arr {
				f := fmt.Sprintf("%s[%d]", k, i)
				var m map[string]json.RawMessage
				if json.Unmarshal(ex, &m) != nil || m == nil {
					bad(f, "want an object {\"inputs\": ..., \"outputs\": ...}, found %s", abbrev(ex))
					continue
				}
				// Field by field, so that every bad field is named.
				for _, ek := range sortedKeys(m) {
					var x Example
					one, _ := json.Marshal(map[string]json.RawMessage{ek: m[ek]})
					var fe *fieldErr
					if e := x.UnmarshalJSON(one); errors.As(e, &fe) {
						bad(f+"."+fe.field, "%v", fe.err)
					}
				}
			}
		case "properties":
			var ps []string
			if json.Unmarshal(v, &ps) != nil {
				bad(k, "want an array of strings, found %s", abbrev(v))
			}
		default:
			bad(k, "unknown field (a spec has %s)", specFields)
		}
	}
	if len(errs) == 0 {
		errs = SpecErrors{{Field: "spec", Message: strings.TrimPrefix(err.Error(), "json: ")}}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// abbrev is a JSON value for a message, cut short.
func abbrev(v []byte) string {
	s := string(bytes.TrimSpace(v))
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
