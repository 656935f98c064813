-- test_readme.lua: the README's Neovim 0.11+ setup, followed as written,
-- against the real `fastforth lsp`. editors_test.go installs
-- lsp/fastforth.lua in ~/.config/nvim/lsp/ and the README's init.lua
-- example (between its <!-- 0.11 --> markers) as ~/.config/nvim/init.lua,
-- and starts Neovim with that init file, as a user's Neovim starts. This
-- script then opens a Forth file and uses what the example sets up: the
-- filetype of *.fs, the server attached in the project's root, the
-- settings (stack hints at line ends) in force, the keymaps (gd), inlay
-- hints, code lenses and their "Run tests", whose failure shows as a
-- diagnostic.
--
-- Exit status 78 with a SKIP line: this Neovim is older than 0.11 (the
-- example needs vim.lsp.config and vim.lsp.enable), which is no failure
-- of the example. Every wait is vim.wait on a condition with a deadline.

local WAIT = 10000

local function say(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. '\n')
  io.stdout:flush()
end

local function check(ok, fmt, ...)
  if not ok then
    error(string.format(fmt, ...), 0)
  end
end

local function wait(what, cond)
  check(vim.wait(WAIT, cond, 20), 'timed out waiting for %s', what)
end

local root = os.getenv('FASTFORTH_TEST_ROOT')

-- The code lenses of a buffer: vim.lsp.codelens.get({ bufnr = b }) gives
-- { client_id, lens } items from 0.12 on, get(b) the lenses on 0.11.
local function lenses(buf)
  local out = {}
  if vim.fn.has('nvim-0.12') == 1 then
    for _, r in ipairs(vim.lsp.codelens.get({ bufnr = buf })) do
      out[#out + 1] = r.lens
    end
  else
    out = vim.lsp.codelens.get(buf)
  end
  return out
end

local function hint_label(h)
  local label = h.inlay_hint.label
  if type(label) == 'table' then
    local parts = {}
    for _, p in ipairs(label) do
      parts[#parts + 1] = p.value
    end
    label = table.concat(parts)
  end
  return label
end

local function main()
  check(root, 'set FASTFORTH_TEST_ROOT')
  if vim.fn.has('nvim-0.11') == 0 then
    local v = vim.fn.api_info().version
    say('SKIP: the README example needs Neovim 0.11 or later; this is %d.%d.%d', v.major, v.minor, v.patch)
    vim.cmd('cquit 78')
  end
  check(vim.env.MYVIMRC and vim.env.MYVIMRC:find('init.lua', 1, true), 'the README init.lua was not loaded (MYVIMRC %s)',
    tostring(vim.env.MYVIMRC))
  local cfg = vim.lsp.config['fastforth']
  check(cfg and cfg.settings and cfg.settings.fastforth.inlayHints.stackAtLineEnd == true,
    'vim.lsp.config.fastforth after init.lua: %s', vim.inspect(cfg))
  say('ok init.lua: %s', vim.env.MYVIMRC)

  local file = root .. '/src/lens.fs'
  vim.fn.writefile({
    ': pair ( a b -- a c )',
    '  over over',
    '  + nip ;',
    ': twice  dup + ;',
    ': sq ( n -- n*n ) dup * ;',
    'T{ 3 sq -> 10 }T',
  }, file)
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == 'forth', 'filetype of *.fs is %q, want forth (vim.filetype.add)', vim.bo[buf].filetype)

  local client
  wait('the fastforth client', function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'fastforth' })[1]
    return client ~= nil and client.initialized
  end)
  check(vim.fn.resolve(client.config.root_dir) == vim.fn.resolve(root), 'root_dir %q, want %q (root_markers)',
    tostring(client.config.root_dir), root)
  say('ok attach: root %s', client.config.root_dir)

  -- LspAttach ran: the buffer's keymaps.
  for _, lhs in ipairs({ 'K', 'gd', 'gr', '<leader>rn', '<leader>ca', '<leader>ci', '<leader>cl' }) do
    local m = vim.fn.maparg(lhs, 'n', false, true)
    check(m.buffer == 1, 'no buffer-local mapping of %s: %s', lhs, vim.inspect(m))
  end
  say('ok keymaps')

  -- Inlay hints are on, and the settings are in force: the stack at the
  -- end of the lines inside pair (stackAtLineEnd), twice's inferred effect.
  check(vim.lsp.inlay_hint.is_enabled({ bufnr = buf }), 'inlay hints are not enabled')
  local got
  wait('the inlay hints', function()
    got = {}
    for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = buf })) do
      got[#got + 1] = string.format('%d:%s', h.inlay_hint.position.line, hint_label(h))
    end
    table.sort(got)
    return vim.tbl_contains(got, '1:( a b a b )') and #got >= 3
  end)
  local all = table.concat(got, ' | ')
  check(all:find('3:', 1, true) and all:find('x -- x2', 1, true), 'no inferred effect for twice in %s', all)
  say('ok inlay hints: %s', all)

  -- gd (the README's mapping) on sq in the test goes to its definition.
  vim.api.nvim_win_set_cursor(0, { 6, 5 })
  vim.api.nvim_feedkeys('gd', 'x', false)
  wait('gd to reach the definition of sq', function()
    return vim.api.nvim_win_get_cursor(0)[1] == 5
  end)
  say('ok gd')

  -- Code lenses: sq's verdict, its uses, and Run tests, which runs the
  -- test (3 sq is 9, not 10) and shows the failure on the test's line.
  local titles
  wait('the code lenses', function()
    titles = {}
    for _, l in ipairs(lenses(buf)) do
      if l.range.start.line == 4 and l.command then
        titles[#titles + 1] = l.command.title
      end
    end
    return vim.tbl_contains(titles, 'Run tests (1)')
  end)
  check(vim.tbl_contains(titles, 'verified ( n -- n*n )'), 'sq lenses %s', vim.inspect(titles))
  say('ok code lenses: %s', table.concat(titles, ' | '))
  -- Several lenses on a line: vim.lsp.codelens.run asks which.
  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    for _, it in ipairs(items) do
      offered[#offered + 1] = opts.format_item and opts.format_item(it) or vim.inspect(it)
      local lens = it.lens or it
      if lens.command and lens.command.title:find('^Run tests') then
        on_choice(it)
        return
      end
    end
    on_choice(nil)
  end
  vim.api.nvim_win_set_cursor(0, { 5, 3 })
  vim.api.nvim_feedkeys(vim.keycode('<leader>cl'), 'x', false)
  local failed
  wait('the failing test as a diagnostic', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'test-failed' then
        failed = d
      end
    end
    return failed ~= nil
  end)
  check(failed.lnum == 5, 'test-failed on line %d, want 5', failed.lnum)
  say('ok Run tests: %s (offered: %s)', failed.message, table.concat(offered, ', '))

  client:stop()
  wait('the server to stop', function()
    return client:is_stopped()
  end)
  say('ok shutdown')
end

local ok, err = pcall(main)
if ok then
  say('PASS')
  vim.cmd('qall!')
else
  say('FAIL: %s', tostring(err))
  vim.cmd('cquit 1')
end
