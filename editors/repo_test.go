package editors_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLicense: the repository is MIT licensed, the packages say so, and
// no file claims another license.
func TestLicense(t *testing.T) {
	lic, err := os.ReadFile("../LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(lic), "MIT License\n") || !strings.Contains(string(lic), "Permission is hereby granted, free of charge") {
		t.Fatalf("LICENSE is not the MIT license:\n%.200s", lic)
	}
	for _, p := range []string{"vscode/package.json", "vscode/node22/package.json"} {
		var pkg struct{ License string }
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if json.Unmarshal(b, &pkg) != nil || pkg.License != "MIT" {
			t.Errorf("%s: license %q, want MIT", p, pkg.License)
		}
	}
	out, err := exec.Command("git", "-C", "..", "ls-files").Output()
	if err != nil {
		t.Skipf("git ls-files: %v", err)
	}
	other := regexp.MustCompile(`(?i)(SPDX-License-Identifier:\s*(?:[^M\s]|M[^I])|Apache License|GNU (?:Lesser |Affero )?General Public License|Mozilla Public License|BSD-[23]-Clause|"license":\s*"(?:[^M"]|M[^I])[^"]*")`)
	for _, f := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f == "editors/repo_test.go" || strings.Contains(f, "package-lock.json") || strings.HasPrefix(f, "analysis/builtins/") || strings.Contains(f, "/testdata/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join("..", f))
		if err != nil {
			continue
		}
		if m := other.Find(b); m != nil {
			t.Errorf("%s claims another license: %q", f, m)
		}
	}
}

// TestCIInstallsWithoutRecommends: .ci/run installs Debian packages with
// --no-install-recommends (recommended packages bring a mail server).
func TestCIInstallsWithoutRecommends(t *testing.T) {
	b, err := os.ReadFile("../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "apt-get install") && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			n++
			if !strings.Contains(line, "--no-install-recommends") {
				t.Errorf(".ci/run installs with recommended packages: %s", strings.TrimSpace(line))
			}
		}
	}
	if n == 0 {
		t.Error(".ci/run installs nothing with apt-get")
	}
}

// TestClientSnippets: the JSON snippets of editors/README.md parse, each
// client's runs `fastforth lsp`, and the Helix snippet there is
// helix/languages.toml without its comments.
func TestClientSnippets(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(readme, -1)
	if len(blocks) < 4 {
		t.Fatalf("%d JSON snippets, want the settings and Kate, Sublime, coc.nvim", len(blocks))
	}
	clients := 0
	for _, m := range blocks {
		var v any
		if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
			t.Errorf("a JSON snippet does not parse: %v\n%s", err, m[1])
			continue
		}
		if strings.Contains(m[1], `"fastforth", "lsp"`) || strings.Contains(m[1], `"args": ["lsp"]`) {
			clients++
		}
		if !strings.Contains(m[1], `"fastforth": {`) {
			t.Errorf("a snippet without the fastforth settings section:\n%s", m[1])
		}
	}
	if clients != 3 {
		t.Errorf("%d snippets start `fastforth lsp`, want 3 (Kate, Sublime, coc.nvim)", clients)
	}
	m := regexp.MustCompile("(?s)```toml\n(.*?)```").FindStringSubmatch(readme)
	if m == nil {
		t.Fatal("no Helix snippet in the README")
	}
	file, err := os.ReadFile("helix/languages.toml")
	if err != nil {
		t.Fatal(err)
	}
	strip := func(s string) string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if i := strings.Index(l, " #"); i >= 0 && !strings.Contains(l[:i], `"`) || strings.Contains(l, "] #") {
				l = strings.TrimRight(l[:strings.Index(l, " #")], " ")
			}
			if l = strings.TrimRight(l, " "); l != "" && !strings.HasPrefix(l, "#") {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n")
	}
	if got, want := strip(m[1]), strip(string(file)); got != want {
		t.Errorf("the README's Helix snippet differs from helix/languages.toml:\n%s\n---\n%s", got, want)
	}
}
