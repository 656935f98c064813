-- test.lua: drives `fastforth lsp` through Neovim's own LSP client, the way
-- a user of fastforth.lua meets it. Run headless from editors/editors_test.go:
--
--   FASTFORTH_TEST_FILE=/proj/src/sample.fs FASTFORTH_TEST_ROOT=/proj \
--     nvim --headless -u NONE -i NONE -n -c 'luafile editors/neovim/test.lua'
--
-- (exit status 77 with a SKIP line: this Neovim is too old to test.)
-- The file is a copy of editors/testdata/sample.fs. Each step prints a line
-- to stdout; the first failure prints FAIL and exits 1, success exits 0.
-- Every wait is vim.wait on a condition with a deadline.

local WAIT = 10000 -- ms for any one server response

local function say(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. '\n')
  io.stdout:flush()
end

local function check(ok, fmt, ...)
  if not ok then
    error(string.format(fmt, ...), 0)
  end
end

-- fastforth.lua as the README installs it (in ~/.config/nvim/lua, which
-- editors_test.go sets up), or else the copy next to this script.
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
package.path = package.path .. ';' .. here .. '/?.lua'

local file = os.getenv('FASTFORTH_TEST_FILE')
local root = os.getenv('FASTFORTH_TEST_ROOT')

-- The server's exit: code, or nil while it runs.
local exit_code

-- position returns the 0-based line and UTF-16 column of the first
-- occurrence of word on line (0-based) of the buffer (ASCII text, so byte
-- and UTF-16 columns agree).
local function position(buf, line, word)
  local text = vim.api.nvim_buf_get_lines(buf, line, line + 1, true)[1]
  local col = text:find(word, 1, true)
  check(col, 'fixture: %q not on line %d: %q', word, line, text)
  return { line = line, character = col - 1 }
end

-- request sends one request to the buffer's server and returns its result.
local function request(buf, method, pos)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = pos }
  local replies, err = vim.lsp.buf_request_sync(buf, method, params, WAIT)
  check(replies, '%s: %s', method, tostring(err))
  for _, reply in pairs(replies) do
    check(not reply.err, '%s: error %s', method, vim.inspect(reply.err))
    return reply.result
  end
  error(method .. ': no reply', 0)
end

-- clients_of returns the buffer's clients (vim.lsp.get_clients from 0.10
-- on; buf_get_clients, which 0.12 deprecates, before).
local function clients_of(buf)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = buf })
  end
  return vim.lsp.buf_get_clients(buf)
end

-- stop_client stops a client: client:stop() from 0.11 on (0.12 deprecates
-- vim.lsp.stop_client), vim.lsp.stop_client before.
local function stop_client(client)
  if vim.fn.has('nvim-0.11') == 1 then
    client:stop()
  else
    vim.lsp.stop_client(client.id)
  end
end

local function server_alive()
  check(exit_code == nil, 'server exited with code %s', tostring(exit_code))
end

-- wait_diagnostics waits until the buffer's diagnostics satisfy pred.
local function wait_diagnostics(buf, what, pred)
  local ok = vim.wait(WAIT, function()
    return exit_code ~= nil or pred(vim.diagnostic.get(buf))
  end, 20)
  server_alive()
  check(ok, 'timed out waiting for %s; diagnostics now: %s', what, vim.inspect(vim.diagnostic.get(buf)))
  return vim.diagnostic.get(buf)
end

local function find_diag(diags, message)
  for _, d in ipairs(diags) do
    if d.message == message then
      return d
    end
  end
end

local function hover_text(result)
  check(result and result.contents, 'hover: no contents in %s', vim.inspect(result))
  local c = result.contents
  if type(c) == 'string' then
    return c
  end
  if c.value then
    return c.value
  end
  local parts = {}
  for _, item in ipairs(c) do
    parts[#parts + 1] = type(item) == 'string' and item or item.value
  end
  return table.concat(parts, '\n')
end

local function main()
  check(file and root, 'set FASTFORTH_TEST_FILE and FASTFORTH_TEST_ROOT')
  if vim.fn.has('nvim-0.7') == 0 then
    -- Not a failure of the server: the runner skips (or fails in CI).
    say('SKIP: Neovim 0.7 or later is needed')
    vim.cmd('cquit 77')
  end
  require('fastforth').setup({
    client = {
      on_exit = function(code)
        exit_code = code
      end,
    },
  })
  -- As at a real start, where Neovim turns on its own filetype detection
  -- after init.lua: Vim's *.fs rule (F# or Forth) must not win.
  vim.cmd('filetype on')

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == 'forth', 'filetype is %q, want forth', vim.bo[buf].filetype)
  check(vim.bo[buf].omnifunc == 'v:lua.vim.lsp.omnifunc', 'omnifunc is %q', vim.bo[buf].omnifunc)
  -- A client counts as the buffer's once the server has answered
  -- initialize.
  local client
  vim.wait(WAIT, function()
    for _, c in pairs(clients_of(buf)) do
      client = c
    end
    return client ~= nil or exit_code ~= nil
  end, 20)
  server_alive()
  check(client, 'no LSP client attached to %s', file)
  check(client.name == 'fastforth', 'client name %q', client.name)
  check(vim.fn.resolve(client.config.root_dir) == vim.fn.resolve(root), 'root_dir %q, want %q', client.config.root_dir, root)
  say('ok attach: filetype forth, client %d, root %s, config %s', client.id, client.config.root_dir,
    vim.api.nvim_get_runtime_file('lua/fastforth.lua', false)[1] or here .. '/fastforth.lua')

  -- Diagnostics pushed after didOpen.
  local diags = wait_diagnostics(buf, 'two diagnostics', function(d)
    return #d >= 2
  end)
  check(#diags == 2, 'want 2 diagnostics, got %s', vim.inspect(diags))
  local swp = position(buf, 3, 'swp')
  local d = find_diag(diags, 'undefined word swp')
  check(d, 'no "undefined word swp" in %s', vim.inspect(diags))
  check(d.lnum == 3 and d.col == swp.character and d.end_lnum == 3 and d.end_col == swp.character + 3,
    'undefined word at %d:%d-%d:%d, want 3:%d-3:%d', d.lnum, d.col, d.end_lnum, d.end_col, swp.character, swp.character + 3)
  check(d.severity == vim.diagnostic.severity.ERROR, 'severity %s', tostring(d.severity))
  check(d.source == 'fastforth' and d.code == 'undefined-word', 'source %s code %s', tostring(d.source), tostring(d.code))
  local comment = position(buf, 4, '( a b -- c )')
  d = find_diag(diags, 'declared ( a b -- c ) but the body does ( a b -- a x1 )')
  check(d, 'no effect-mismatch in %s', vim.inspect(diags))
  check(d.lnum == 4 and d.col == comment.character, 'effect-mismatch at %d:%d, want 4:%d', d.lnum, d.col, comment.character)
  say('ok diagnostics: %d', #diags)

  -- Hover: a user word (its declared effect) and a builtin.
  local text = hover_text(request(buf, 'textDocument/hover', position(buf, 2, 'square')))
  check(text:find('( n -- n*n )', 1, true), 'hover on square: %q', text)
  text = hover_text(request(buf, 'textDocument/hover', position(buf, 1, 'dup')))
  check(text:find('( x -- x x )', 1, true), 'hover on dup: %q', text)
  say('ok hover')

  -- Completion after the "s" of "swp": a user word and a builtin.
  local at = position(buf, 3, 'swp')
  at.character = at.character + 1
  local result = request(buf, 'textDocument/completion', at)
  check(result, 'completion: no result')
  local labels = {}
  for _, item in ipairs(result.items or result) do
    labels[item.label] = true
  end
  check(labels['square'] and labels['swap'], 'completion after "s": want square and swap in %s',
    table.concat(vim.tbl_keys(labels), ' '))
  say('ok completion: %d items', vim.tbl_count(labels))

  -- Definition of square, used in cube.
  result = request(buf, 'textDocument/definition', position(buf, 2, 'square'))
  local loc = result and (result.uri and result or result[1])
  check(loc, 'definition: no location in %s', vim.inspect(result))
  local uri, range = loc.uri or loc.targetUri, loc.range or loc.targetSelectionRange
  check(uri == vim.uri_from_bufnr(buf), 'definition uri %s', tostring(uri))
  local def = position(buf, 1, 'square')
  check(range.start.line == 1 and range.start.character == def.character,
    'definition at %d:%d, want 1:%d', range.start.line, range.start.character, def.character)
  say('ok definition')

  -- Edits go out as incremental didChange; record what is sent.
  -- client.notify(method, params) up to 0.10; a method,
  -- client:notify(method, params), from 0.11 on.
  local changes = {}
  local notify = client.notify
  client.notify = function(...)
    local args = { ... }
    local i = type(args[1]) == 'table' and 2 or 1
    if args[i] == 'textDocument/didChange' then
      for _, c in ipairs(args[i + 1].contentChanges) do
        changes[#changes + 1] = c
      end
    end
    return notify(...)
  end

  -- Fix the typo: the undefined word goes, the mismatch stays.
  vim.api.nvim_buf_set_lines(buf, 3, 4, true, { ': typo ( -- )  1 2 swap drop drop ;' })
  diags = wait_diagnostics(buf, 'the undefined word to go', function(ds)
    return #ds == 1 and ds[1].code == 'effect-mismatch'
  end)
  check(#changes > 0, 'no didChange sent')
  for _, c in ipairs(changes) do
    check(c.range, 'didChange was not incremental: %s', vim.inspect(c))
  end
  say('ok edit fixes error: %d incremental change(s)', #changes)

  -- Add a line with a new mistake: a new diagnostic where it was typed.
  vim.api.nvim_buf_set_lines(buf, -1, -1, true, { ': more ( -- )  zork ;' })
  local zork = position(buf, 5, 'zork')
  diags = wait_diagnostics(buf, 'the new undefined word', function(ds)
    return find_diag(ds, 'undefined word zork') ~= nil
  end)
  d = find_diag(diags, 'undefined word zork')
  check(d.lnum == 5 and d.col == zork.character, 'undefined word zork at %d:%d, want 5:%d', d.lnum, d.col, zork.character)
  check(#diags == 2, 'want 2 diagnostics after the new line, got %s', vim.inspect(diags))
  say('ok edit adds error')

  -- Shutdown and exit: the server must leave with status 0.
  stop_client(client)
  check(vim.wait(WAIT, function()
    return exit_code ~= nil
  end, 20), 'server did not exit after shutdown')
  check(exit_code == 0, 'server exit code %d after shutdown', exit_code)
  say('ok shutdown')

  -- Settings: setup({ settings = ... }) reaches the server as
  -- initializationOptions (0.7 sends no settings otherwise). In another
  -- project, so that a new server starts: effect-mismatch disabled, only
  -- the undefined word is left.
  local other = vim.fn.tempname()
  vim.fn.mkdir(other .. '/.git', 'p')
  vim.fn.writefile(vim.fn.readfile(file), other .. '/sample.fs')
  exit_code = nil
  require('fastforth').setup({
    settings = { fastforth = { diagnostics = { disable = { 'effect-mismatch' } } } },
    client = { on_exit = function(code) exit_code = code end },
  })
  vim.cmd('edit ' .. vim.fn.fnameescape(other .. '/sample.fs'))
  local buf2 = vim.api.nvim_get_current_buf()
  local client2
  vim.wait(WAIT, function()
    for _, c in pairs(clients_of(buf2)) do
      client2 = c
    end
    return client2 ~= nil or exit_code ~= nil
  end, 20)
  server_alive()
  check(client2 and client2.id ~= client.id, 'no new client for the second project')
  check(client2.config.init_options and client2.config.init_options.fastforth, 'init_options %s', vim.inspect(client2.config.init_options))
  -- The server publishes (or answers a pull with) a document's whole set
  -- of diagnostics at once: the set with the undefined word is complete.
  diags = wait_diagnostics(buf2, 'the undefined word', function(ds)
    return find_diag(ds, 'undefined word swp') ~= nil
  end)
  check(#diags == 1, 'with effect-mismatch disabled through the settings, want 1 diagnostic: %s', vim.inspect(diags))
  say('ok settings through initializationOptions')
  stop_client(client2)
  check(vim.wait(WAIT, function()
    return exit_code ~= nil
  end, 20), 'second server did not exit after shutdown')
end

local ok, err = pcall(main)
if ok then
  say('PASS')
  vim.cmd('qall!')
else
  say('FAIL: %s', tostring(err))
  vim.cmd('cquit 1')
end
