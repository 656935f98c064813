package analysis

import (
	"slices"
	"testing"
)

func TestCheckName(t *testing.T) {
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"square", true}, {"2dup", true}, {"+loop", true}, {"T{", true}, {"é→", true},
		{"", false}, {"a b", false}, {"tab\there", false}, {"nul\x00", false}, {"\xff", false},
		{"42", false}, {"-7", false}, {"1e", false}, {"$ff", false}, {"'a'", false}, {"3.", false},
	} {
		if err := CheckName(tt.name); (err == nil) != tt.ok {
			t.Errorf("CheckName(%q) = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestIncludeCandidates(t *testing.T) {
	for _, tt := range []struct {
		path, from string
		dirs, want []string
	}{
		{"/abs/x.fs", "/w/main.fs", []string{"/lib"}, []string{"/abs/x.fs"}},
		{"x.fs", "/w/main.fs", nil, []string{"/w/x.fs"}},
		{"../y/x.fs", "/w/src/main.fs", []string{"/lib", "/more"}, []string{"/w/y/x.fs", "/y/x.fs", "/y/x.fs"}},
		{"x.fs", "/w/main.fs", []string{"/lib", "/more"}, []string{"/w/x.fs", "/lib/x.fs", "/more/x.fs"}},
	} {
		if got := IncludeCandidates(tt.path, tt.from, tt.dirs); !slices.Equal(got, tt.want) {
			t.Errorf("IncludeCandidates(%q, %q, %q) = %q, want %q", tt.path, tt.from, tt.dirs, got, tt.want)
		}
	}
}
