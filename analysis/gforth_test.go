package analysis

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fastforth/fastforth/analysis/diag"
	"github.com/fastforth/fastforth/analysis/infer"
	"github.com/fastforth/fastforth/analysis/syntax"
	"github.com/fastforth/fastforth/internal/gforthtest"
)

var updateBaseline = flag.Bool("update-baseline", false, "rewrite testdata/gforth-baseline.json")

// gforthReport is what the analysis says about all of gforth's shipped
// sources: diagnostics by code and severity, and the verdicts on every colon
// definition that has a stack comment.
type gforthReport struct {
	Files       int            `json:"files"`
	Lines       int            `json:"lines"`
	Diagnostics map[string]int `json:"diagnostics"` // "severity code" -> count
	Commented   int            `json:"commented"`   // colon definitions with a stack comment
	Verdicts    map[string]int `json:"verdicts"`    // status -> count, commented definitions only
}

func analyseGforth(t *testing.T) (gforthReport, map[string]int) {
	files := gforthSources(t)
	rep := gforthReport{Diagnostics: map[string]int{}, Verdicts: map[string]int{}}
	reasons := map[string]int{}
	// gforth 0.7.3's own sources, read as that gforth reads them.
	ws := New(Options{Dialect: "gforth-0.7"})
	// gforth runs its test suite with tester.fs loaded first
	// ("gforth test/tester.fs test/coretest.fs"); so do we.
	tests := New(Options{Dialect: "gforth-0.7", Preload: []string{filepath.Join(gforthtest.Dir(t), "test", "tester.fs")}})
	for _, f := range files {
		rep.Files++
		rep.Lines += strings.Count(string(f.src), "\n")
		w := ws
		if filepath.Base(filepath.Dir(f.name)) == "test" {
			w = tests
		}
		r := w.Analyze(f.name, f.src)
		for _, d := range r.Diags {
			if d.Severity == diag.Hint {
				continue
			}
			rep.Diagnostics[d.Severity.String()+" "+string(d.Code)]++
		}
		for _, dr := range r.Defs {
			if dr.Def.Kind != syntax.Colon || dr.Def.Comment == nil || dr.Def.Comment.FromLocals {
				continue
			}
			rep.Commented++
			rep.Verdicts[string(dr.Status)]++
			if dr.Status == infer.Unknowable {
				reasons[reasonClass(dr.Reason)]++
			}
		}
	}
	return rep, reasons
}

// reasonClass groups unknown-effect reasons by their wording, without the
// names of particular words.
func reasonClass(r string) string {
	// "x has an unknown effect (y)": classify by the innermost cause.
	const mid = " has an unknown effect ("
	prefix := ""
	for {
		i := strings.Index(r, mid)
		if i < 0 {
			break
		}
		prefix = "calls a word with an unknown effect: "
		r = strings.TrimSuffix(r[i+len(mid):], ")")
	}
	switch {
	case strings.HasPrefix(r, "calls the undefined word"):
		r = "calls an undefined word"
	case strings.HasPrefix(r, "no effect is recorded"):
		r = "a builtin whose effect is not recorded"
	case strings.HasPrefix(r, "uses the immediate word"):
		r = "uses an immediate word that compiles code"
	case strings.HasPrefix(r, "variable effect"):
		r = "a word with a variable effect (i*x, alternatives)"
	case strings.HasPrefix(r, "deferred word"):
		r = "a deferred word without a stack comment"
	case strings.HasPrefix(r, "the stack comment cannot be checked"):
		if i := strings.Index(r, "("); i >= 0 {
			r = r[:i]
		}
	}
	return prefix + r
}

// TestGforthSources runs the analysis over every Forth file gforth ships
// (its library, kernel, and the Hayes test suite). It must not panic, and
// the error count must not grow past the recorded baseline: every error
// there was looked at (see the issue notes), so a new one is a regression.
// Run with -v to see the report, -update-baseline to record a new one.
func TestGforthSources(t *testing.T) {
	rep, reasons := analyseGforth(t)
	b, _ := json.MarshalIndent(rep, "", "  ")
	t.Logf("report:\n%s", b)
	type kv struct {
		k string
		v int
	}
	var rs []kv
	for k, v := range reasons {
		rs = append(rs, kv{k, v})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].v > rs[j].v })
	var sb strings.Builder
	for i, x := range rs {
		if i == 25 {
			break
		}
		fmt.Fprintf(&sb, "%6d  %s\n", x.v, x.k)
	}
	t.Logf("reasons for unknown effects (commented definitions):\n%s", sb.String())

	const path = "../testdata/gforth-baseline.json"
	if *updateBaseline {
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no baseline (%v); run with -update-baseline", err)
	}
	var base gforthReport
	if err := json.Unmarshal(data, &base); err != nil {
		t.Fatal(err)
	}
	for k, n := range rep.Diagnostics {
		if strings.HasPrefix(k, "error ") && n > base.Diagnostics[k] {
			t.Errorf("%s: %d, baseline %d", k, n, base.Diagnostics[k])
		}
	}
	if rep.Verdicts["verified"] < base.Verdicts["verified"] {
		t.Errorf("verified definitions: %d, baseline %d", rep.Verdicts["verified"], base.Verdicts["verified"])
	}
}
