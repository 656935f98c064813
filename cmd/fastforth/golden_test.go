package main

// Golden tests: `check --json --hints` and `infer --json` on every
// testdata/golden/*.fs, compared with testdata/golden/<name>.check.json and
// <name>.infer.json. The binary runs with the repository root as working
// directory, so the paths in the golden files are relative and the same on
// every machine.
//
//	go test ./cmd/fastforth -run Golden -update   # rewrite the golden files
//
// Review a rewritten golden file line by line before committing it: each
// diagnostic and each effect must be what a Forth programmer would say.

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

func TestGolden(t *testing.T) {
	sources, err := filepath.Glob(filepath.Join(repoRoot, "testdata", "golden", "*.fs"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) < 6 {
		t.Fatalf("found %d golden sources, want at least 6", len(sources))
	}
	for _, src := range sources {
		name := strings.TrimSuffix(filepath.Base(src), ".fs")
		rel := "testdata/golden/" + name + ".fs"
		t.Run(name, func(t *testing.T) {
			check := fastforth(t, repoRoot, "check", "--json", "--hints", rel)
			diags := checkJSON(t, check)
			hasErr := false
			for _, d := range diags {
				hasErr = hasErr || d["severity"] == "error"
				if d["file"] != rel {
					t.Errorf("diagnostic in %v, want %s", d["file"], rel)
				}
			}
			if want := map[bool]int{false: 0, true: 1}[hasErr]; check.code != want {
				t.Errorf("check exited %d, want %d (errors: %v)", check.code, want, hasErr)
			}
			compareGolden(t, filepath.Join(repoRoot, "testdata", "golden", name+".check.json"), check.stdout)

			inf := fastforth(t, repoRoot, "infer", "--json", rel)
			wantCode(t, inf, 0)
			defs := inferJSON(t, inf)
			for _, d := range defs {
				if d["file"] != rel {
					t.Errorf("definition in %v, want %s", d["file"], rel)
				}
			}
			compareGolden(t, filepath.Join(repoRoot, "testdata", "golden", name+".infer.json"), inf.stdout)
		})
	}
}

// compareGolden compares got with the golden file, or rewrites it with
// -update.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/fastforth -run Golden -update to create it)", err)
	}
	if bytes.Equal(want, []byte(got)) {
		return
	}
	t.Errorf("%s differs from the output (go test ./cmd/fastforth -run Golden -update rewrites it):\n%s",
		filepath.Base(path), firstDifference(string(want), got))
}

// firstDifference describes where two texts first differ, with context.
func firstDifference(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g || i >= len(wl) || i >= len(gl) {
			from := max(0, i-6)
			return fmt.Sprintf("line %d\ncontext:\n%s\n- want: %q\n+ got:  %q",
				i+1, strings.Join(gl[from:min(i, len(gl))], "\n"), w, g)
		}
	}
	return "(identical lines; different line endings?)"
}

// TestGoldenDialects: `check --json --hints` and `infer --json` with each
// dialect on testdata/golden/dialect/<dialect>.*, a small program written
// in that system's idiom, compared with <file>.check.json and
// <file>.infer.json beside it.
func TestGoldenDialects(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "golden", "dialect")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".json") {
			continue
		}
		dialect := strings.TrimSuffix(name, filepath.Ext(name))
		seen[dialect] = true
		rel := "testdata/golden/dialect/" + name
		t.Run(dialect, func(t *testing.T) {
			check := fastforth(t, repoRoot, "check", "--json", "--hints", "--dialect", dialect, rel)
			checkJSON(t, check)
			compareGolden(t, filepath.Join(dir, name+".check.json"), check.stdout)
			inf := fastforth(t, repoRoot, "infer", "--json", "--dialect", dialect, rel)
			wantCode(t, inf, 0)
			inferJSON(t, inf)
			compareGolden(t, filepath.Join(dir, name+".infer.json"), inf.stdout)
		})
	}
	for _, d := range []string{"gforth", "gforth-0.7", "standard", "pforth", "swiftforth", "vfx", "zeptoforth", "mecrisp", "esp32forth"} {
		if !seen[d] {
			t.Errorf("no golden program for the %s dialect", d)
		}
	}
}
