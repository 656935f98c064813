package infer

import (
	"reflect"
	"testing"

	"github.com/fastforth/fastforth/analysis/effect"
)

// TestEffectKey: effects with the same key are equal, and the Sig any
// Checker of the process shares for a key is the one FromEffect makes.
func TestEffectKey(t *testing.T) {
	texts := []string{
		"( a b -- c )", "( a b -- b a )", "( ab -- c )", "( a -- b c )", "( a b c -- )", "( -- )",
		"( d1 d2 -- d3 )", "( F: r1 r2 -- r3 )", "( R: -- x )", "( x -- ) ( R: -- x )",
		"( n -- n )", "( N -- n )", "( a| -- b )", "( a -- 1 )", "( a -- true )",
		"( c-addr u -- )", "( xt -- )", "( i*x -- j*x )", "( a -- b | c d )", "( \"name\" -- )",
	}
	keys := map[string]string{}
	for _, text := range texts {
		e, err := effect.Parse(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		k := effectKey(&e)
		if other, dup := keys[k]; dup {
			e2, _ := effect.Parse(other)
			if !reflect.DeepEqual(e, e2) {
				t.Errorf("%s and %s have the same key", text, other)
			}
		}
		keys[k] = text
		want := FromEffect(&e)
		for range 2 {
			if got := newShared().fromEffect(&e); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: shared Sig %+v, FromEffect %+v", text, got, want)
			}
		}
		// Item fields the text does not show.
		if len(e.In) > 0 && len(e.In[0]) > 0 {
			for _, change := range []func(*effect.Item){
				func(it *effect.Item) { it.Cells++ },
				func(it *effect.Item) { it.Floats++ },
				func(it *effect.Item) { it.Label += "x" },
				func(it *effect.Item) { it.Stack++ },
				func(it *effect.Item) { it.Kind++ },
				func(it *effect.Item) { it.Name += "\x01" },
			} {
				f := e
				f.In = []effect.Picture{append(effect.Picture(nil), e.In[0]...)}
				change(&f.In[0][0])
				if effectKey(&f) == k {
					t.Errorf("%s: a changed item keeps the key", text)
				}
			}
		}
	}
}
