-- fastforth.lua: use the Fast Forth language server (`fastforth lsp`) in
-- Neovim 0.7 or later, with no plugin manager and no nvim-lspconfig.
--
-- Install: copy this file to ~/.config/nvim/lua/fastforth.lua and put
--   require('fastforth').setup()
-- in ~/.config/nvim/init.lua. The `fastforth` binary must be on the PATH
-- (go install github.com/fastforth/fastforth/cmd/fastforth@latest), or
-- pass its command: require('fastforth').setup({ cmd = { '/path/fastforth', 'lsp' } }).
--
-- It is written against the 0.7 API (vim.lsp.start_client and
-- vim.lsp.buf_attach_client: vim.lsp.start only exists from 0.8), which
-- later versions still provide.

local M = {}

-- The options setup() merges the user's over.
M.defaults = {
  -- The server command; extra analysis flags go here too, for example
  -- { 'fastforth', 'lsp', '--dialect', 'standard', '-I', 'lib' }.
  cmd = { 'fastforth', 'lsp' },
  -- Files read as Forth. Vim's own detection reads *.fs as F# unless the
  -- file looks like Forth; a file in a Forth project is Forth.
  patterns = { '*.fs', '*.fth', '*.4th', '*.forth' },
  -- Sent as workspace/didChangeConfiguration; the server reads no settings
  -- yet, so this only reserves the section name.
  settings = { fastforth = {} },
  -- Passed to start_client (on_attach, capabilities, handlers, flags...).
  client = {},
}

M.options = nil

-- One client per project root: every Forth buffer of a project shares a
-- server, which then sees the project's open buffers as its includes do.
local clients = {}

-- root_dir is the nearest directory upward holding .git (a directory, or a
-- file in a worktree), or else the file's own directory.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local git = vim.fn.finddir('.git', dir .. ';')
  if git == '' then
    git = vim.fn.findfile('.git', dir .. ';')
  end
  if git ~= '' then
    return vim.fn.fnamemodify(git, ':p:h:h')
  end
  return dir
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
  if id == nil or vim.lsp.get_client_by_id(id) == nil or vim.lsp.get_client_by_id(id).is_stopped() then
    local config = vim.tbl_deep_extend('force', {}, opts.client, {
      name = 'fastforth',
      cmd = opts.cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      settings = opts.settings,
    })
    local user_exit = opts.client.on_exit
    config.on_exit = function(code, signal, client_id)
      if clients[root] == client_id then
        clients[root] = nil
      end
      if user_exit then
        user_exit(code, signal, client_id)
      end
    end
    id = vim.lsp.start_client(config)
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
