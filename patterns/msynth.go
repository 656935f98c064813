package patterns

import (
	"fmt"
	"strings"
	"time"

	"github.com/fastforth/fastforth/forth/machine"
)

// Synthesis in the machine, for specs beyond the Go evaluator (strings,
// memory, setup words, code after the word, printed text): the same idea
// as synth.go, on a smaller scale. Sequences of up to msynthMaxLen words
// of a small alphabet (stack, arithmetic, memory and output words, and
// small literals) whose stack effect, counted statically, is the spec's
// are run on the examples in the machine, shortest first. Of those of
// the shortest length that pass every example, the one using more of the
// words the description suggests is taken; when two tie, the examples do
// not decide and nothing is.

// msynthWords are the alphabet of the machine synthesis.
var msynthWords = strings.Fields("dup drop swap over nip rot tuck 2dup 2drop + - * 1+ 1- negate " +
	"@ ! +! c@ c! cells cell+ chars char+ count type emit . space cr " +
	"compare /string -trailing = 0= 2swap 2over bl")

const (
	msynthMaxLen = 3
	// msynthMaxRuns bounds the programs run in the machine.
	msynthMaxRuns = 3000
)

// msynthEffects are the alphabet's stack effects (cells taken, left).
var msynthEffects = map[string][2]int{
	"dup": {1, 2}, "drop": {1, 0}, "swap": {2, 2}, "over": {2, 3}, "nip": {2, 1}, "rot": {3, 3}, "tuck": {2, 3},
	"2dup": {2, 4}, "2drop": {2, 0}, "+": {2, 1}, "-": {2, 1}, "*": {2, 1}, "1+": {1, 1}, "1-": {1, 1},
	"negate": {1, 1}, "@": {1, 1}, "!": {2, 0}, "+!": {2, 0}, "c@": {1, 1}, "c!": {2, 0}, "cells": {1, 1},
	"cell+": {1, 1}, "chars": {1, 1}, "char+": {1, 1}, "count": {1, 2}, "type": {2, 0}, "emit": {1, 0},
	".": {1, 0}, "space": {0, 0}, "cr": {0, 0},
	"compare": {4, 1}, "/string": {3, 2}, "-trailing": {2, 2}, "min": {2, 1}, "max": {2, 1}, "=": {2, 1},
	"0=": {1, 1}, "2swap": {4, 4}, "2over": {4, 6}, "bl": {0, 1},
	"create": {0, 0}, ",": {1, 0}, "allot": {1, 0}, "parse-name": {0, 2}, "char": {0, 1},
}

// noStack are the alphabet's words that touch no stack; onlyStack
// those that touch nothing else (no memory, output or input: not
// parse-name or char, which read the input as create does).
var (
	noStack   = map[string]bool{"space": true, "cr": true, "create": true}
	onlyStack = map[string]bool{"dup": true, "drop": true, "swap": true, "over": true, "nip": true, "rot": true,
		"tuck": true, "2dup": true, "2drop": true, "+": true, "-": true, "*": true, "1+": true, "1-": true,
		"negate": true, "cells": true, "cell+": true, "chars": true, "char+": true, "min": true, "max": true,
		"=": true, "0=": true, "2swap": true, "2over": true, "bl": true, "0": true, "1": true, "2": true}
)

// machineSynthesize searches a short program in the machine; true when
// one is the answer.
func (g *gen) machineSynthesize(limit time.Duration) bool {
	s := g.s
	c, ok := g.shape.Fixed()
	if !ok || c.FloatIn != 0 || c.FloatOut != 0 || g.set == nil {
		return false
	}
	alphabet := append([]string{}, msynthWords...)
	for _, ex := range s.Examples {
		if ex.Parse != "" {
			// A defining word: create (it parses the name), then
			// what the new word's body holds.
			alphabet = append([]string{"create", ",", "allot"}, alphabet...)
			// A parsing word: the next word, or its first character.
			alphabet = append(alphabet, "parse-name", "char")
			break
		}
	}
	for _, n := range []string{"0", "1", "2"} {
		alphabet = append(alphabet, n)
	}
	h := hintsOf(s.query())
	affinity := h.affinityOf
	t := time.Now()
	// The run budget binds; the time limit is a safety net, wide
	// enough that a loaded machine gives the same answer.
	deadline := t.Add(2 * limit)
	defer func() { g.res.Timings.SynthMicros += micros(time.Since(t)) }()
	runs := 0
	type found struct {
		body string
		a    *attempt
		v    *Verification
		code string
		aff  int
	}
	var prog []string
	for n := 1; n <= msynthMaxLen; n++ {
		var wins []found
		stopped := false
		var level func(depth, d int)
		// d is the stack's depth (the inputs to begin with).
		level = func(depth, d int) {
			if stopped {
				return
			}
			if depth == n {
				if d != c.Out {
					return
				}
				if runs >= msynthMaxRuns || time.Now().After(deadline) {
					stopped = true
					return
				}
				runs++
				g.stats.Programs++
				body := strings.Join(prog, " ")
				code := fmt.Sprintf(": %s %s\n  %s ;", s.Name, strings.TrimSpace(s.Effect), body)
				a := g.run(nil, nil, code, false)
				if a.err != "" || a.passed < len(g.set.cases) {
					return
				}
				v := VerifyShape(code, s.Name, s.Effect, g.shape)
				if !v.Verified {
					return
				}
				a.results, a.passed = g.set.run(mustLoad(g.set, code), true)
				wins = append(wins, found{body, a, v, code, affinity(prog)})
				return
			}
			for _, w := range alphabet {
				in, out := 0, 1
				if e, ok := msynthEffects[w]; ok {
					in, out = e[0], e[1]
				}
				if d < in || d-in+out > 8 {
					continue
				}
				// A word that touches no stack commutes with one
				// that touches only the stack: of "1 create" and
				// "create 1" (the same program) only the second is
				// run, or the two would tie.
				if noStack[w] && len(prog) > 0 && onlyStack[prog[len(prog)-1]] {
					continue
				}
				prog = append(prog, w)
				level(depth+1, d-in+out)
				prog = prog[:len(prog)-1]
			}
		}
		level(0, c.In)
		if len(wins) > 0 {
			best := wins[0]
			tie := false
			for _, w := range wins[1:] {
				switch {
				case w.aff > best.aff:
					best, tie = w, false
				case w.aff == best.aff:
					tie = true
				}
			}
			if tie {
				var other string
				for _, w := range wins {
					if w.body != best.body && w.aff == best.aff {
						other = w.body
						break
					}
				}
				g.ambiguous = []string{best.body, other}
				return false
			}
			g.acceptFound(s, best.a, best.v, "synthesized", synthMarker, best.code)
			return true
		}
		if stopped {
			g.stats.SynthStopped = true
			return false
		}
	}
	return false
}

// mustLoad loads code that loaded before.
func mustLoad(set *exSet, code string) *machine.Machine {
	m, err := set.load(code)
	if err != nil {
		panic("code that loaded does not load again: " + err.Error())
	}
	return m
}
