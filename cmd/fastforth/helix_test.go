package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/fastforth/fastforth/internal/lsptest"
)

// Helix's languages.toml keys, as its source defines them
// (helix-core/src/syntax/config.rs: LanguageConfiguration, kebab-case,
// deny_unknown_fields, "comment-token" an alias of "comment-tokens"; and
// LanguageServerConfiguration), at helix-editor/helix 079a789e8.
var (
	helixLanguageKeys = strings.Fields(`name language-id scope file-types shebangs roots comment-tokens comment-token
		block-comment-tokens text-width soft-wrap auto-format code-actions-on-save formatter path-completion
		word-completion diagnostic-severity grammar injection-regex language-servers indent debugger auto-pairs
		rulers workspace-lsp-roots persistent-diagnostic-sources rainbow-brackets`)
	helixServerKeys = strings.Fields(`command args environment config timeout required-root-patterns`)
)

// TestHelixSnippet reads editors/helix/languages.toml: its keys are
// Helix's, it names the server and the forth language, lists every Forth
// extension the server reads, and its server, started as Helix starts it
// (command, args, config as initializationOptions), runs with those
// settings in force.
func TestHelixSnippet(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "editors", "helix", "languages.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		LanguageServer map[string]map[string]any `toml:"language-server"`
		Language       []map[string]any          `toml:"language"`
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("languages.toml: %v", err)
	}
	var top map[string]any
	toml.Unmarshal(data, &top)
	for k := range top {
		if k != "language-server" && k != "language" {
			t.Errorf("top-level key %q is not one of Helix's", k)
		}
	}
	srv, ok := doc.LanguageServer["fastforth"]
	if !ok {
		t.Fatalf("no [language-server.fastforth]: %v", doc.LanguageServer)
	}
	for k := range srv {
		if !contains(helixServerKeys, k) {
			t.Errorf("[language-server.fastforth] key %q is not one of Helix's %v", k, helixServerKeys)
		}
	}
	if len(doc.Language) != 1 {
		t.Fatalf("%d [[language]] tables, want 1", len(doc.Language))
	}
	lang := doc.Language[0]
	for k := range lang {
		if !contains(helixLanguageKeys, k) {
			t.Errorf("[[language]] key %q is not one of Helix's", k)
		}
	}
	if lang["name"] != "forth" || !reflect.DeepEqual(lang["language-servers"], []any{"fastforth"}) || !reflect.DeepEqual(lang["roots"], []any{"fastforth.toml"}) {
		t.Errorf("[[language]] %v", lang)
	}
	var fts []string
	for _, x := range lang["file-types"].([]any) {
		fts = append(fts, "."+x.(string))
	}
	sort.Strings(fts)
	want := []string{".4th", ".fb", ".forth", ".fr", ".fs", ".fth"} // the server's, but .f (Fortran's in Helix)
	if !reflect.DeepEqual(fts, want) {
		t.Errorf("file-types %v, want %v", fts, want)
	}

	// Started as Helix starts it.
	if srv["command"] != "fastforth" || !reflect.DeepEqual(srv["args"], []any{"lsp"}) {
		t.Fatalf("command %v args %v", srv["command"], srv["args"])
	}
	p := startLSP(t)
	p.handshake(map[string]any{"initializationOptions": srv["config"]})
	u := "file:///tmp/e2e-helix.fs"
	p.open(u, ": f ( a b -- a c )\n  over over\n  + nip ;\n")
	var hints []struct {
		Position lsptest.Position `json:"position"`
		Label    string           `json:"label"`
	}
	p.Request("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": u},
		"range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 9, "character": 0}}}, &hints)
	var got []string
	for _, h := range hints {
		got = append(got, fmt.Sprintf("%d:%d %s", h.Position.Line, h.Position.Character, h.Label))
	}
	if want := []string{"1:11 ( a b a b )", "2:9 ( a c )"}; !reflect.DeepEqual(got, want) {
		t.Errorf("with the snippet's config (stackAtLineEnd), hints %q, want %q", got, want)
	}
	if log := p.stderr.String(); strings.Contains(log, "settings:") {
		t.Errorf("the server did not take the snippet's config:\n%s", log)
	}
}
