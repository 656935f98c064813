package infer

import (
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
}

func newShared() *shared {
	return &shared{fixed: map[*effect.Effect]*Sig{}, byText: map[string]*Sig{}, names: map[string]struct{}{}}
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

// effectKey writes out everything of an effect that FromEffect reads (and
// more): two effects with the same key make the same Sig.
func effectKey(e *effect.Effect) string {
	var b strings.Builder
	if e.Complex {
		b.WriteByte('!')
	}
	for i, side := range [2][]effect.Picture{e.In, e.Out} {
		b.WriteString([2]string{"(", "-"}[i])
		for _, p := range side {
			b.WriteByte('|')
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
