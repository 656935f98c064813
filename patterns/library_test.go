package patterns

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fastforth/fastforth/internal/gforthtest"
)

// The library's size, as the project promises it.
const (
	minPatterns   = 60
	minCategories = 12
)

// TestBuiltinLibrary loads every builtin pattern and verifies each with its
// example parameters: the analysis must infer exactly the declared effect.
func TestBuiltinLibrary(t *testing.T) {
	l := Builtin()
	for _, d := range l.Diagnostics {
		t.Errorf("%s", d)
	}
	if l.Len() < minPatterns {
		t.Errorf("%d builtin patterns, want at least %d", l.Len(), minPatterns)
	}
	if n := len(l.Categories()); n < minCategories {
		t.Errorf("%d categories, want at least %d", n, minCategories)
	}
	for _, c := range l.Categories() {
		if c.Title == "" || c.Summary == "" {
			t.Errorf("%s: category %s has no title or summary", c.File, c.ID)
		}
	}
	// The builtin patterns are prepared lazily: read eagerly, as user
	// patterns are, none has a problem.
	lazyBuiltin = false
	eager := LoadFS(libraryFS, "library")
	lazyBuiltin = true
	for _, d := range eager.Diagnostics {
		t.Errorf("%s", d)
	}
	if eager.Len() != l.Len() {
		t.Errorf("%d patterns read eagerly, %d lazily", eager.Len(), l.Len())
	}
	verified := 0
	for _, p := range l.All() {
		g, err := l.Instantiate(p.ID, nil)
		if err != nil {
			t.Errorf("%s:%d: pattern %s: %v", p.File, p.Line, p.ID, err)
			continue
		}
		if !g.Verification.Verified {
			t.Errorf("%s:%d: pattern %s: not verified with its example parameters: %s\n%s", p.File, p.Line, p.ID,
				strings.Join(g.Verification.Problems, "; "), g.Code)
			continue
		}
		verified++
	}
	t.Logf("verified: %d/%d patterns", verified, l.Len())
}

// TestBuiltinLibraryGforth runs every builtin pattern's tests, with its
// example parameters, in one gforth process.
func TestBuiltinLibraryGforth(t *testing.T) {
	bin := gforthtest.Path(t)
	l := Builtin()
	var units []Unit
	var pats []*Pattern
	for _, p := range l.All() {
		in, err := p.Instantiate(nil)
		if err != nil {
			continue // reported by TestBuiltinLibrary
		}
		units = append(units, Unit{ID: p.ID, Code: in.Code, Tests: in.Tests})
		pats = append(pats, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := RunGforth(ctx, bin, units)
	if err != nil {
		t.Fatal(err)
	}
	passed := 0
	for i, r := range res {
		p := pats[i]
		if r.OK() {
			passed++
			continue
		}
		var why []string
		if r.Error != "" {
			why = append(why, r.Error)
		}
		for _, tr := range r.Tests {
			if !tr.Pass {
				why = append(why, fmt.Sprintf("tests line %d: %s: %s", tr.Line, tr.Message, tr.Test))
			}
		}
		if len(r.Tests) == 0 {
			why = append(why, "no T{ line")
		}
		t.Errorf("%s:%d: pattern %s fails in gforth:\n  %s", p.File, p.Line, p.ID, strings.Join(why, "\n  "))
	}
	if len(res) > 0 {
		t.Logf("success rate in gforth: %d/%d patterns (%.1f%%)", passed, len(res), 100*float64(passed)/float64(len(res)))
	}
}
