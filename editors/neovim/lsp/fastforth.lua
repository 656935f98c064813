-- lsp/fastforth.lua: the Fast Forth language server (`fastforth lsp`) for
-- Neovim 0.11 and later, as a configuration on the runtimepath. With this
-- file in ~/.config/nvim/lsp/ (or any runtimepath directory's lsp/),
--
--   vim.lsp.enable('fastforth')
--
-- in init.lua starts the server for Forth buffers. Change anything with
-- vim.lsp.config('fastforth', { ... }), which is merged over this table.
-- For Neovim 0.7 to 0.10 use ../fastforth.lua instead.
--
-- The `fastforth` binary must be on the PATH: from a clone of the
-- repository, `go install ./cmd/fastforth` puts it in $(go env GOPATH)/bin
-- (~/go/bin by default), which must be on the PATH Neovim sees.

-- Neovim does not start a server whose command is not executable, and
-- says so only in its LSP log: say it where it is seen.
if vim.fn.executable('fastforth') == 0 then
  vim.schedule(function()
    vim.notify(
      'fastforth: the `fastforth` language server is not on the PATH. Install it from a clone of the repository '
        .. 'with `go install ./cmd/fastforth` and put $(go env GOPATH)/bin on the PATH, or set cmd with '
        .. "vim.lsp.config('fastforth', { cmd = { '/path/to/fastforth', 'lsp' } }).",
      vim.log.levels.ERROR
    )
  end)
end

---@type vim.lsp.Config
return {
  -- Analysis flags may follow: { 'fastforth', 'lsp', '--dialect', 'standard', '-I', 'lib' }.
  cmd = { 'fastforth', 'lsp' },
  -- Neovim reads *.fth and *.4th as forth, *.fs as forth or F# and *.f as
  -- forth or Fortran by what the file holds; see the README for
  -- vim.filetype.add() to read *.fs, *.forth, *.fr and *.fb as forth.
  filetypes = { 'forth' },
  -- A project is the nearest directory with a fastforth.toml, else the
  -- version-control root, as the server itself decides.
  root_markers = { 'fastforth.toml', '.git' },
  -- The "fastforth" settings section (see the README), set with
  -- vim.lsp.config('fastforth', { settings = { fastforth = { dialect = 'standard' } } }).
  -- Neovim answers workspace/configuration from it; before_init also sends
  -- it as initializationOptions, so that the server has it from the start.
  before_init = function(params, config)
    if type(config.settings) == 'table' and next(config.settings) ~= nil then
      local given = type(params.initializationOptions) == 'table' and params.initializationOptions or {}
      params.initializationOptions = vim.tbl_deep_extend('force', vim.deepcopy(config.settings), given)
    end
  end,
}
