package syntax

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/fastforth/fastforth/analysis/source"
)

// TestDictPersistent checks the trie against a map under random bindings,
// unbindings and snapshots: every snapshot keeps what it held, and
// diffDicts reports exactly the names two versions bind differently.
func TestDictPersistent(t *testing.T) {
	f := source.NewFile("d.fs", nil)
	defs := make([]*Def, 50)
	for i := range defs {
		defs[i] = &Def{Name: fmt.Sprint("d", i), File: f}
	}
	type snap struct {
		d *Dict
		m map[string]*Def
	}
	rng := rand.New(rand.NewPCG(3, 4))
	d := NewDict(nil)
	m := map[string]*Def{}
	var snaps []snap
	// Few distinct names make slots collide at every level; many make
	// the trie deep.
	for _, names := range []int{3, 40, 5000} {
		for step := 0; step < 20000; step++ {
			name := fmt.Sprint("w", rng.IntN(names))
			switch r := rng.IntN(100); {
			case r < 70:
				v := defs[rng.IntN(len(defs))]
				d.set(name, v)
				m[name] = v
			case r < 85:
				d.bind(name, nil)
				delete(m, name)
			case r < 90:
				cp := make(map[string]*Def, len(m))
				for k, v := range m {
					cp[k] = v
				}
				if rng.IntN(2) == 0 {
					snaps = append(snaps, snap{d.snapshot(), cp})
				} else {
					snaps = append(snaps, snap{d, cp})
					d = NewDict(d)
				}
			default:
				if got := d.Lookup(name); got != m[name] {
					t.Fatalf("step %d: Lookup(%s) = %v, want %v", step, name, got, m[name])
				}
			}
		}
		if d.Len() != len(m) {
			t.Fatalf("Len %d, want %d", d.Len(), len(m))
		}
	}
	for i, s := range snaps {
		n := 0
		for k, v := range s.d.All() {
			n++
			if s.m[k] != v {
				t.Fatalf("snapshot %d: %s is %v, want %v", i, k, v, s.m[k])
			}
		}
		if n != len(s.m) || s.d.Len() != len(s.m) {
			t.Fatalf("snapshot %d: %d names (Len %d), want %d", i, n, s.d.Len(), len(s.m))
		}
		if i > 0 {
			want := map[string]bool{}
			prev := snaps[i-1]
			for k, v := range s.m {
				if prev.m[k] != v {
					want[k] = true
				}
			}
			for k := range prev.m {
				if _, ok := s.m[k]; !ok {
					want[k] = true
				}
			}
			got := map[string]bool{}
			diffDicts(prev.d, s.d, func(name string, a, b *Def) {
				if a == b || prev.m[name] != a || s.m[name] != b {
					t.Fatalf("snapshot %d: diff reports %s: %v -> %v", i, name, a, b)
				}
				got[name] = true
			})
			if len(got) != len(want) {
				t.Fatalf("snapshot %d: diff found %d names, want %d", i, len(got), len(want))
			}
		}
	}
}
