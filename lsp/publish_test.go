package lsp

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/fastforth/fastforth/analysis"
	"github.com/fastforth/fastforth/analysis/project"
)

// publishParams writes what marshalling the diagnostics built one by one
// gives (the pull diagnostics' way), whatever the settings and the
// project disable, from its cache or not, version after version.
func TestPublishParamsSameAsBuilt(t *testing.T) {
	src, err := os.ReadFile("/usr/share/gforth/0.7.3/cross.fs")
	if err != nil {
		src = []byte(": a ( -- ) undefined-one ;\n: b ( n -- ) ;\n1 2 3\n: c dup ;\n")
	}
	dir := t.TempDir()
	wsTree(t, dir, map[string]string{"other.fs": ": undefined-one ( -- ) ;\n: ghost ( -- ) ;\n",
		"fastforth.toml": "disable = [\"redefined\"]\n"})
	src = append(src, "\n: uses-other ( -- ) undefined-one ;\n"...)
	texts := []string{string(src), strings.Replace(string(src), "\n", "\n\\ a line\n", 3), string(src) + "\n: tail-word ( -- ) nope ;\n"}
	settingsOf := map[string]func(*settings){
		"default":  func(*settings) {},
		"no hints": func(s *settings) { s.Diagnostics.Hints = false },
		"disable":  func(s *settings) { s.Diagnostics.Disable = []string{"compile-only", "undefined-word"} },
		"off":      func(s *settings) { s.Diagnostics.Enable = false },
	}
	for name, set := range settingsOf {
		t.Run(name, func(t *testing.T) {
			w := newServer(Options{}, zap.NewNop()).work
			st := *w.settings()
			set(&st)
			w.cfg.cur.Store(&st)
			w.ix.setOpen(dir+"/other.fs", uri.URI("file://"+dir+"/other.fs"),
				analysis.New(analysis.Options{}).Analyze(dir+"/other.fs", []byte(": undefined-one ( -- ) ;\n: nope ( -- ) ;\n")))
			proj := project.Open(dir, project.Overrides{})
			ws := analysis.New(analysis.Options{})
			var c pubCache
			for i, text := range append(texts, texts...) {
				r := ws.Analyze(dir+"/cross.fs", []byte(text))
				snap := &snapshot{uri: uri.URI("file://" + dir + "/cross.fs"), version: int32(i + 1), file: r.File.Source,
					result: r, enc: encUTF16, index: w.ix, proj: proj}
				want, err := (codec{}).Marshal(&protocol.PublishDiagnosticsParams{URI: snap.uri, Version: protocol.NewOptional(snap.version),
					Diagnostics: filterDiagnostics(&st, w.withTestResults(snap, projectFilter(snap, relateDiagnostics(snap, toDiagnostics(snap.file, r.Diags, snap.enc)))))})
				if err != nil {
					t.Fatal(err)
				}
				got, err := w.publishParams(&c, snap)
				if err != nil {
					t.Fatal(err)
				}
				var g, x any
				if err := json.Unmarshal(got, &g); err != nil {
					t.Fatalf("version %d: %v in %s", i+1, err, got)
				}
				if err := json.Unmarshal(want, &x); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(g, x) {
					t.Fatalf("version %d: publishParams gives\n%.2000s\nwant\n%.2000s", i+1, got, want)
				}
				if name == "default" && !strings.Contains(string(got), "not-loaded") {
					t.Errorf("version %d: no not-loaded diagnostic (related to other.fs)", i+1)
				}
			}
		})
	}
}
