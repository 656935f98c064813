package infer

import (
	"encoding/binary"
	"strconv"
	"strings"
	"sync"

	"github.com/fastforth/fastforth/analysis/effect"
)

// shared is what a Checker and its clones share, which may be used on
// several goroutines (a language server answers from one version while
// it checks the next).
//
// A sync.Map cost about 220 bytes an entry, and there were two entries
// for each definition (its stack comment's Sig and its name): 35 MB of a
// 160,000-line file. Plain maps under a lock cost a tenth of that, and
// Sigs made from stack comments are shared by content: most comments of
// a program say one of a few effects ("( n -- n )"), each said once.
type shared struct {
	mu     sync.RWMutex
	fixed  map[*effect.Effect]*Sig // the Sig of each effect looked up
	byText map[string]*Sig         // the same, by the effect's content (see effectKey)
	names  map[string]struct{}     // names of the definitions inferred
	// effects and altsOf hold the inferred effects and alternatives of
	// the definitions by their content (see Checker.share).
	effects map[string]*effect.Effect
	altsOf  map[string][]Alt
}

func newShared() *shared {
	return &shared{fixed: map[*effect.Effect]*Sig{}, byText: map[string]*Sig{}, names: map[string]struct{}{},
		effects: map[string]*effect.Effect{}, altsOf: map[string][]Alt{}}
}

// fromEffect is FromEffect(e), made once for each content of e. The Sig
// is shared: callers copy it to change it.
func (s *shared) fromEffect(e *effect.Effect) *Sig {
	s.mu.RLock()
	sig, ok := s.fixed[e]
	s.mu.RUnlock()
	if ok {
		return sig
	}
	key := effectKey(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if sig, ok = s.byText[key]; !ok {
		sig = FromEffect(e)
		s.byText[key] = sig
	}
	s.fixed[e] = sig
	return sig
}

func (s *shared) addName(name string) {
	s.mu.RLock()
	_, ok := s.names[name]
	s.mu.RUnlock()
	if !ok {
		s.mu.Lock()
		s.names[name] = struct{}{}
		s.mu.Unlock()
	}
}

func (s *shared) hasName(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.names[name]
	return ok
}

// effectKey writes out everything of an effect: two effects with the same
// key are equal, and make the same Sig.
func effectKey(e *effect.Effect) string {
	var b strings.Builder
	if e.Complex {
		b.WriteByte('!')
	}
	for i, side := range [2][]effect.Picture{e.In, e.Out} {
		b.WriteString([2]string{"(", "-"}[i])
		for _, p := range side {
			b.WriteByte('|')
			if p == nil {
				b.WriteByte('0')
			}
			for _, it := range p {
				b.WriteString(strconv.Quote(it.Name))
				b.WriteByte(byte('a' + it.Stack))
				b.WriteByte(byte('a' + it.Kind))
				b.WriteString(strconv.Itoa(it.Cells))
				b.WriteByte(',')
				b.WriteString(strconv.Itoa(it.Floats))
				b.WriteString(strconv.Quote(it.Label))
			}
		}
	}
	return b.String()
}

// effect returns the effect equal to e that was given first.
func (s *shared) effect(e *effect.Effect) *effect.Effect {
	key := effectKey(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if x, ok := s.effects[key]; ok {
		return x
	}
	s.effects[key] = e
	return e
}

// alts returns the alternatives equal to a that were given first.
func (s *shared) alts(a []Alt) []Alt {
	key := altsKey(a)
	s.mu.Lock()
	defer s.mu.Unlock()
	if x, ok := s.altsOf[key]; ok {
		return x
	}
	s.altsOf[key] = a
	return a
}

// altsKey writes out every field of the alternatives.
func altsKey(alts []Alt) string {
	b := make([]byte, 0, 64)
	flag := func(v bool) byte {
		if v {
			return 1
		}
		return 0
	}
	for i := range alts {
		a := &alts[i]
		b = append(b, '|', flag(a.NonZeroTop), flag(a.ZeroTop))
		for k := range 3 {
			b = binary.AppendVarint(b, int64(a.In[k]))
			b = binary.AppendVarint(b, int64(a.Out[k]))
			b = append(b, flag(a.Src[k] == nil))
			b = binary.AppendVarint(b, int64(len(a.Src[k])))
			for _, x := range a.Src[k] {
				b = append(b, flag(x.Copy), byte(x.Stack), flag(x.Lit), flag(x.Dep))
				b = binary.AppendVarint(b, int64(x.In))
				b = binary.AppendVarint(b, x.Val)
				b = binary.AppendVarint(b, int64(x.ID))
			}
		}
	}
	return string(b)
}
