package patterns

import (
	"fmt"
	"testing"
)

// Targets (see the README): get by ID < 1 µs, query by category < 10 µs,
// instantiate a template < 20 µs uncached, the whole agent workflow in
// process < 100 µs.

func BenchmarkGetByID(b *testing.B) {
	l := Builtin()
	all := l.All()
	if len(all) == 0 {
		b.Skip("empty library")
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if l.Get(all[i%len(all)].ID) == nil {
			b.Fatal("missing")
		}
		i++
	}
}

func BenchmarkByCategory(b *testing.B) {
	l := Builtin()
	cats := l.Categories()
	if len(cats) == 0 {
		b.Skip("empty library")
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if len(l.ByCategory(cats[i%len(cats)].ID)) == 0 {
			b.Fatal("empty category")
		}
		i++
	}
}

// BenchmarkSearch ranks the library for a three-word query.
func BenchmarkSearch(b *testing.B) {
	l := Builtin()
	b.ReportAllocs()
	for b.Loop() {
		l.Search("sum loop range")
	}
}

// BenchmarkInstantiate renders a template with validated parameters,
// bypassing the cache.
func BenchmarkInstantiate(b *testing.B) {
	p := testLib(b).Get("test-sum-range-001")
	params := map[string]string{"name": "prod", "op": "*", "init": "1"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Instantiate(params); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInstantiateVerify renders and verifies (the analysis of the
// rendered code), bypassing the cache.
func BenchmarkInstantiateVerify(b *testing.B) {
	p := testLib(b).Get("test-sum-range-001")
	params := map[string]string{"name": "prod", "op": "*", "init": "1"}
	b.ReportAllocs()
	for b.Loop() {
		in, err := p.Instantiate(params)
		if err != nil {
			b.Fatal(err)
		}
		if v := Verify(in.Code, in.Name(), p.Effect, p.Counts()); !v.Verified {
			b.Fatal(v.Problems)
		}
	}
}

// BenchmarkInstantiateCached is a repeated request.
func BenchmarkInstantiateCached(b *testing.B) {
	l := testLib(b)
	params := map[string]string{"name": "prod", "op": "*", "init": "1"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Instantiate("test-sum-range-001", params); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAgentWorkflow is what an agent's request costs in process:
// read the JSON spec, validate it, generate code and tests, verify the
// effect. Each iteration uses a new word name, so the instance cache
// (1024 entries) never answers: every verification is a real analysis.
func BenchmarkAgentWorkflow(b *testing.B) {
	l := testLib(b)
	specs := make([][]byte, 4*cacheSize)
	for i := range specs {
		specs[i] = fmt.Appendf(nil, `{"name": "sum%d", "effect": "( hi lo -- sum )", "pattern": "test-sum-range-001",
			"params": {"op": "+", "init": 0}, "description": "Sum of a range",
			"examples": [{"inputs": [5, 0], "outputs": [10]}]}`, i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s, err := ParseSpec(specs[i%len(specs)])
		if err != nil {
			b.Fatal(err)
		}
		if r := l.Generate(s); !r.OK {
			b.Fatal(r.Errors, r.Verification)
		}
		i++
	}
}

// BenchmarkAgentWorkflowChoose is the same without a pattern ID: the
// pattern is chosen by the effect and the description's words.
func BenchmarkAgentWorkflowChoose(b *testing.B) {
	l := testLib(b)
	specs := make([][]byte, 4*cacheSize)
	for i := range specs {
		specs[i] = fmt.Appendf(nil, `{"name": "sq%d", "effect": "( n -- n2 )", "description": "square of n"}`, i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s, err := ParseSpec(specs[i%len(specs)])
		if err != nil {
			b.Fatal(err)
		}
		if r := l.Generate(s); !r.OK {
			b.Fatal(r.Errors, r.Verification, r.Closest)
		}
		i++
	}
}

// benchSpecs are the round trips BenchmarkGenerate measures: a spec with
// examples to code whose examples ran in the machine and that the
// analysis verified.
var benchSpecs = map[string]string{
	"square":  `{"name":"sq","effect":"( n -- n*n )","description":"square a number","examples":[{"inputs":[3],"outputs":[9]},{"inputs":[-4],"outputs":[16]}]}`,
	"reverse": `{"name":"3rev","effect":"( a b c -- c b a )","description":"reverse the top three items","examples":[{"inputs":[1,2,3],"outputs":[3,2,1]}]}`,
	"cube":    `{"name":"cube","effect":"( n -- n^3 )","description":"cube a number","examples":[{"inputs":[3],"outputs":[27]},{"inputs":[-2],"outputs":[-8]}]}`,
}

// BenchmarkGenerate is the whole in-process round trip: spec (parsed)
// → ranking → code → examples run in the machine → verified.
func BenchmarkGenerate(b *testing.B) {
	l := Builtin()
	for _, name := range []string{"square", "reverse", "cube"} {
		b.Run(name, func(b *testing.B) {
			s, err := ParseSpec([]byte(benchSpecs[name]))
			if err != nil {
				b.Fatal(err)
			}
			if r := l.Generate(s); !r.OK {
				b.Fatalf("%s: not ok: %+v", name, r.Verification)
			}
			b.ReportAllocs()
			for b.Loop() {
				l.Generate(s)
			}
		})
	}
}

// BenchmarkLoadBuiltin reads the embedded library (what a cold process
// pays once).
func BenchmarkLoadBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		LoadFS(libraryFS, "library")
	}
}
