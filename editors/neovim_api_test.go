package editors_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// deprecatedNvim are Neovim APIs that 0.11 deprecates or removes (see its
// runtime/doc/deprecated.txt and runtime/lua/vim/lsp/client.lua, where
// calling a client method with a dot warns), which the 0.11
// configuration and its README example must not use.
var deprecatedNvim = []string{
	"vim.lsp.start_client", "vim.lsp.buf_get_clients", "vim.lsp.get_active_clients",
	"client.is_stopped", "client.supports_method", "client.request", "client.notify", "client.stop",
	"vim.lsp.diagnostic.", "vim.lsp.util.jump_to_location", "vim.diagnostic.disable", "vim.diagnostic.is_disabled",
	"vim.tbl_islist", "vim.tbl_add_reverse_lookup", "vim.loop.", "vim.lsp.inlay_hint(",
	"vim.lsp.codelens.refresh()", "vim.lsp.with(", "vim.lsp.handlers[",
}

// TestNeovim011UsesNoDeprecatedAPI checks lsp/fastforth.lua and the
// README's 0.11 example (between <!-- 0.11 --> markers) for the APIs
// above, and that the example uses the 0.11 ones it names.
func TestNeovim011UsesNoDeprecatedAPI(t *testing.T) {
	cfg, err := os.ReadFile("neovim/lsp/fastforth.lua")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("neovim/README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<!-- 0\.11 -->(.*?)<!-- /0\.11 -->`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README has no <!-- 0.11 --> example")
	}
	example := string(m[1])
	for name, text := range map[string]string{"lsp/fastforth.lua": string(cfg), "the README's 0.11 example": example} {
		for _, d := range deprecatedNvim {
			if strings.Contains(text, d) {
				t.Errorf("%s uses %s, deprecated in Neovim 0.11", name, d)
			}
		}
	}
	for _, want := range []string{"vim.lsp.enable('fastforth')", "vim.lsp.config('fastforth'", "LspAttach",
		"client:supports_method(", "vim.lsp.inlay_hint.enable(true, { bufnr = args.buf })", "vim.filetype.add("} {
		if !strings.Contains(example, want) {
			t.Errorf("the README's 0.11 example lacks %s", want)
		}
	}
	for _, want := range []string{"root_markers = { 'fastforth.toml', '.git' }", "filetypes = { 'forth' }", "cmd = { 'fastforth', 'lsp' }"} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("lsp/fastforth.lua lacks %s", want)
		}
	}
	// The old comment that the server reads no settings is gone.
	for _, f := range []string{"neovim/fastforth.lua", "neovim/lsp/fastforth.lua", "neovim/README.md"} {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "reads no settings") || strings.Contains(string(b), "@latest") {
			t.Errorf("%s still says the server reads no settings, or installs with @latest", f)
		}
	}
}
