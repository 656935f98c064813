package infer

import (
	"encoding/binary"
	"sync"

	"github.com/fastforth/fastforth/analysis/effect"
	lru "github.com/hashicorp/golang-lru/v2"
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
		sig = sigOf(key, e)
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
// key are equal, and make the same Sig. Names and labels go with their
// lengths, so that no name can pass for the fields after it.
func effectKey(e *effect.Effect) string {
	var buf [128]byte
	b := buf[:0]
	if e.Complex {
		b = append(b, '!')
	}
	for i, side := range [2][]effect.Picture{e.In, e.Out} {
		b = append(b, "(-"[i])
		for _, p := range side {
			b = append(b, '|')
			if p == nil {
				b = append(b, '0')
			}
			for _, it := range p {
				b = binary.AppendUvarint(b, uint64(len(it.Name)))
				b = append(b, it.Name...)
				b = append(b, byte('a'+it.Stack), byte('a'+it.Kind))
				b = binary.AppendVarint(b, int64(it.Cells))
				b = binary.AppendVarint(b, int64(it.Floats))
				b = binary.AppendUvarint(b, uint64(len(it.Label)))
				b = append(b, it.Label...)
			}
		}
	}
	return string(b)
}

// sigsByKey are the Sigs made from stack comments by any Checker of the
// process, by effectKey: every request to a server checks the same few
// effects ("( n -- n )"), and a Sig is never changed once made. The
// bound keeps a long-running server's memory flat.
var sigsByKey, _ = lru.New[string, *Sig](4096)

// sigOf is FromEffect(e) for the effect whose key is key, made once in
// the process while it stays among the most recently used.
func sigOf(key string, e *effect.Effect) *Sig {
	if sig, ok := sigsByKey.Get(key); ok {
		return sig
	}
	sig := FromEffect(e)
	sigsByKey.Add(key, sig)
	return sig
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
