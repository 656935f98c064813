package syntax

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/source"
)

// TestResumeConverges checks where a reading resumed after an edit may
// stop (come back in step with the previous one) when the edit changes
// what a name means: not before the name is read later, as a word of its
// own or right after the text a parsing word took; before a definition
// that only names it in comments. Either way the definitions read the
// same as in a fresh reading.
func TestResumeConverges(t *testing.T) {
	defer SetCheckpointSpacing(SetCheckpointSpacing(1))
	var filler string
	for i := range 4 {
		filler += fmt.Sprintf(": pad%d ( -- ) 1 drop ;\n", i)
	}
	tests := []struct {
		name     string
		text     string
		from, to string // the edit: the first from becomes to
		early    bool   // converged before the last definition
		reread   int    // definitions after the convergence read again
	}{
		// The reading converges, and the definition that uses the
		// old name is read again (the name is a plain word either way).
		{"renamed, used later as a word", "variable counter\n" + filler + ": use counter @ ;\n", "counter\n", "co1nter\n", true, 1},
		{"renamed, used later after s\"", "variable counter\n" + filler + ": use s\" q\"counter @ ;\n", "counter\n", "co1nter\n", true, 1},
		{"renamed, used later after a comment", "variable counter\n" + filler + ": use ( x )counter @ ;\n", "counter\n", "co1nter\n", true, 1},
		{"defined, used later", "variable countex\n" + filler + ": use counter @ ;\n", "countex\n", "counter\n", true, 1},
		{"renamed, named later in a comment", "variable counter\n" + filler + ": use ( counter -- ) drop ;\n\\ counter\n", "counter\n", "co1nter\n", true, 0},
		{"renamed, part of a longer name later", "variable counter\n" + filler + ": use my-counterx ;\n", "counter\n", "co1nter\n", true, 0},
		// Read at the top level, or bound again later: read on.
		{"renamed, used later at the top level", "variable counter\n" + filler + ": use 1 ;\ncounter @ drop\n", "counter\n", "co1nter\n", false, 0},
		{"renamed, defined again later", "variable counter\n" + filler + ": use counter @ ;\n: counter 1 ;\n", "counter\n", "co1nter\n", false, 0},
		// A word that parses is not plain.
		{"a parsing word renamed", ": sk ( \"name\" -- ) parse-name 2drop ;\n" + filler + ": use sk x ;\n", "sk (", "sx (", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := Parse(source.NewFile("c.fs", []byte(tt.text)), Config{})
			at := strings.Index(tt.text, tt.from)
			text := tt.text[:at] + tt.to + tt.text[at+len(tt.from):]
			sf := old.Source.Edit([]byte(text), at, at+len(tt.from), at+len(tt.to))
			sp, ok := Resume(old, sf, at, at+len(tt.from), at+len(tt.to), Config{})
			if !ok {
				t.Fatal("the reading could not be resumed")
			}
			fresh := Parse(source.NewFile("c.fs", []byte(text)), Config{})
			last := len(fresh.Defs) - 1
			if len(sp.Reread) != tt.reread {
				t.Errorf("%d definitions read again after the convergence, want %d", len(sp.Reread), tt.reread)
			}
			if early := sp.Converged && sp.OldTo <= last; early != tt.early {
				t.Errorf("converged before the last definition: %v, want %v", early, tt.early)
			}
			if err := VerifyCheckpoints(sp.File, fresh); err != nil {
				t.Error(err)
			}
			refs := func(f *File, d *Def) string {
				var sb strings.Builder
				for _, op := range d.Body {
					if op.Ref.D != nil {
						sb.WriteString(op.Ref.D.Name + "@" + fmt.Sprint(f.Abs(op.Ref.D.Epoch, op.Ref.D.Start)) + " ")
					} else {
						sb.WriteString("- ")
					}
				}
				return sb.String()
			}
			for i, d := range fresh.Defs {
				if g, w := refs(sp.File, sp.File.Defs[i]), refs(fresh, d); g != w {
					t.Errorf("%s refers to %s, fresh %s", d.Name, g, w)
				}
			}
		})
	}
}
