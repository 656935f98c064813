// Package diag defines the diagnostics the analysis reports. Every
// diagnostic has a stable code that front ends (CLI, LSP, JSON) print as is
// and that users can switch off by name.
package diag

// Severity orders diagnostics the way LSP does (1 is the most severe).
type Severity uint8

const (
	Error Severity = iota + 1
	Warning
	Information
	Hint
)

// String returns the name used in CLI and JSON output.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Information:
		return "information"
	case Hint:
		return "hint"
	}
	return "unknown"
}

// Code is a stable diagnostic identifier.
type Code string

// The diagnostic codes. They are part of the JSON contract: never rename one.
const (
	Undefined         Code = "undefined-word"
	EffectMismatch    Code = "effect-mismatch"
	UnbalancedBranch  Code = "unbalanced-branches"
	LoopNotNeutral    Code = "loop-not-neutral"
	UnbalancedControl Code = "unbalanced-control"
	Unterminated      Code = "unterminated"
	ReturnStack       Code = "return-stack"
	StackUnderflow    Code = "stack-underflow"
	Redefined         Code = "redefined"
	RecurseOutside    Code = "recurse-outside-definition"
	CompileOnly       Code = "compile-only"
	MissingComment    Code = "missing-stack-comment"
	BadComment        Code = "bad-stack-comment"
	IncludeNotFound   Code = "include-not-found"
	BadEscape         Code = "bad-escape"
	// NotLoaded is a word that nothing in the file's load context
	// defines but another file of the project does.
	NotLoaded Code = "not-loaded"
	// BadProject is a problem in the project file (fastforth.toml).
	BadProject Code = "bad-project-file"
	// IncludeNotRegular is an include of something that is not a source
	// file: a device, a pipe, a directory, a file of /proc.
	IncludeNotRegular Code = "include-not-regular"
	// IncludeTooLarge is an include of a file over the size limit.
	IncludeTooLarge Code = "include-too-large"
	// IncludeTooDeep is an include nested deeper than the limit.
	IncludeTooDeep Code = "include-too-deep"
	// TooDeep is a body whose control structures are nested deeper than
	// the analysis follows: its effect is not inferred.
	TooDeep Code = "too-deep"
	// TooLarge is a body whose stacks or paths grow beyond what the
	// analysis follows: its effect is not inferred.
	TooLarge Code = "too-large"
)

// Severities gives each code its default severity.
var Severities = map[Code]Severity{
	Undefined:         Error,
	EffectMismatch:    Error,
	UnbalancedBranch:  Error,
	LoopNotNeutral:    Error,
	UnbalancedControl: Error,
	Unterminated:      Error,
	ReturnStack:       Error,
	StackUnderflow:    Error,
	Redefined:         Warning,
	RecurseOutside:    Error,
	CompileOnly:       Warning,
	MissingComment:    Hint,
	BadComment:        Warning,
	IncludeNotFound:   Warning,
	BadEscape:         Error,
	NotLoaded:         Warning,
	BadProject:        Error,
	IncludeNotRegular: Warning,
	IncludeTooLarge:   Warning,
	IncludeTooDeep:    Warning,
	TooDeep:           Warning,
	TooLarge:          Warning,
}

// Codes lists every code, for validating user settings.
func Codes() []Code {
	cs := make([]Code, 0, len(Severities))
	for c := range Severities {
		cs = append(cs, c)
	}
	return cs
}

// Diagnostic is one finding, located by byte offsets in its file.
type Diagnostic struct {
	Start, End int
	Severity   Severity
	Code       Code
	Message    string
	// Related points at another place the message names (where a word
	// that is not loaded is defined), when there is one.
	Related *Related `json:",omitempty"`
}

// Related is a place in another file.
type Related struct {
	File       string
	Start, End int // byte offsets in File
	Line       int // 1-based
	Message    string
}

// New makes a diagnostic with the code's default severity.
func New(code Code, start, end int, msg string) Diagnostic {
	return Diagnostic{Start: start, End: end, Severity: Severities[code], Code: code, Message: msg}
}
