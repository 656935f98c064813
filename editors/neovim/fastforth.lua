-- fastforth.lua: use the Fast Forth language server (`fastforth lsp`) in
-- Neovim 0.7 or later, with no plugin manager and no nvim-lspconfig. On
-- Neovim 0.11 and later, lsp/fastforth.lua with vim.lsp.enable('fastforth')
-- is the simpler way (see README.md).
--
-- Install: copy this file to ~/.config/nvim/lua/fastforth.lua and put
--   require('fastforth').setup()
-- in ~/.config/nvim/init.lua. The `fastforth` binary must be on the PATH:
-- from a clone of the repository, `go install ./cmd/fastforth` puts it in
-- $(go env GOPATH)/bin (~/go/bin by default), which must be on the PATH;
-- or pass its command: require('fastforth').setup({ cmd = { '/path/fastforth', 'lsp' } }).
--
-- It is written against the 0.7 API (vim.lsp.start_client and
-- vim.lsp.buf_attach_client: vim.lsp.start only exists from 0.8); on 0.11
-- and later, which deprecate start_client, it uses vim.lsp.start.

local M = {}

-- The options setup() merges the user's over.
M.defaults = {
  -- The server command; extra analysis flags go here too, for example
  -- { 'fastforth', 'lsp', '--dialect', 'standard', '-I', 'lib' }.
  cmd = { 'fastforth', 'lsp' },
  -- Files read as Forth. Vim's own detection reads *.fs as F# unless the
  -- file looks like Forth (and *.f as Fortran): a file in a Forth project
  -- is Forth. Add '*.f' if you keep no Fortran.
  patterns = { '*.fs', '*.fth', '*.4th', '*.forth', '*.fr', '*.fb' },
  -- The "fastforth" settings section, e.g.
  --   { fastforth = { dialect = 'standard', diagnostics = { disable = { 'redefined' } } } }.
  -- It is sent as initializationOptions, which the server reads on every
  -- Neovim version (0.7 neither sends settings nor answers
  -- workspace/configuration), and kept as the client's settings.
  settings = nil,
  -- Passed to start_client (on_attach, capabilities, handlers, flags...).
  client = {},
}

M.options = nil

-- One client per project root: every Forth buffer of a project shares a
-- server, which then sees the project's open buffers as its includes do.
local clients = {}

-- root_dir is the nearest directory upward holding fastforth.toml, else
-- .git (a directory, or a file in a worktree), else the file's own
-- directory: the project the server itself reads the file in.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local toml = vim.fn.findfile('fastforth.toml', dir .. ';')
  if toml ~= '' then
    return vim.fn.fnamemodify(toml, ':p:h')
  end
  local git = vim.fn.finddir('.git', dir .. ';')
  if git == '' then
    git = vim.fn.findfile('.git', dir .. ';')
  end
  if git ~= '' then
    return vim.fn.fnamemodify(git, ':p:h:h')
  end
  return dir
end

-- install_hint says how to get the server.
M.install_hint = 'Install it from a clone of the repository with `go install ./cmd/fastforth` '
  .. 'and put $(go env GOPATH)/bin (~/go/bin by default) on the PATH, '
  .. "or pass its path: require('fastforth').setup({ cmd = { '/path/to/fastforth', 'lsp' } })."

-- stopped reports whether a client has stopped (a method from 0.11 on).
local function stopped(c)
  if vim.fn.has('nvim-0.11') == 1 then
    return c:is_stopped()
  end
  return c.is_stopped()
end

-- attach starts (or reuses) the server for the buffer's project and
-- attaches the buffer to it. It returns the client id, or nil when the
-- server could not be started (a message says why).
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local opts = M.options or M.defaults
  local root = M.root_dir(name)
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil or stopped(vim.lsp.get_client_by_id(id)) then
    if vim.fn.executable(opts.cmd[1]) == 0 then
      if not M.warned then
        M.warned = true
        vim.notify('fastforth: the language server `' .. opts.cmd[1] .. '` was not found. ' .. M.install_hint,
          vim.log.levels.ERROR)
      end
      return nil
    end
    local config = vim.tbl_deep_extend('force', {}, opts.client, {
      name = 'fastforth',
      cmd = opts.cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    })
    if opts.settings and next(opts.settings) ~= nil then
      config.settings = vim.deepcopy(opts.settings)
      config.init_options = vim.deepcopy(opts.settings)
    end
    local user_exit = opts.client.on_exit
    config.on_exit = function(code, signal, client_id)
      if clients[root] == client_id then
        clients[root] = nil
      end
      if user_exit then
        user_exit(code, signal, client_id)
      end
    end
    if vim.fn.has('nvim-0.11') == 1 then
      -- vim.lsp.start_client is deprecated from 0.11 on.
      id = vim.lsp.start(config, { bufnr = bufnr })
    else
      id = vim.lsp.start_client(config)
    end
    if id == nil then
      vim.notify('fastforth: could not start ' .. table.concat(opts.cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  -- <C-x><C-o> completes from the server, unless the user chose otherwise.
  if vim.bo[bufnr].omnifunc == '' then
    vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end
  return id
end

-- setup registers the filetype detection and the autocommand that attaches
-- Forth buffers to the server. Calling it again replaces both.
function M.setup(user)
  M.options = vim.tbl_deep_extend('force', {}, M.defaults, user or {})
  -- Lists replace rather than merge: a shorter cmd must not keep old items.
  if user and user.cmd then
    M.options.cmd = user.cmd
  end
  if user and user.patterns then
    M.options.patterns = user.patterns
  end
  local group = vim.api.nvim_create_augroup('fastforth', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = M.options.patterns,
    callback = function(args)
      vim.bo[args.buf].filetype = 'forth'
    end,
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'forth',
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  return M
end

return M
