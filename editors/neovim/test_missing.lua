-- test_missing.lua: with no `fastforth` on the PATH, both Neovim
-- configurations say how to install it (go install ./cmd/fastforth, and
-- $(go env GOPATH)/bin on the PATH) instead of failing in silence. Run
-- headless from editors/editors_test.go with a PATH that lacks fastforth.

local function say(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. '\n')
  io.stdout:flush()
end

local function check(ok, fmt, ...)
  if not ok then
    error(string.format(fmt, ...), 0)
  end
end

local notes = {}
vim.notify = function(msg, level)
  notes[#notes + 1] = { msg = msg, level = level }
end

local function says_how(what)
  check(#notes == 1, '%s: want one message, got %s', what, vim.inspect(notes))
  local m = notes[1].msg
  for _, want in ipairs({ 'go install ./cmd/fastforth', '$(go env GOPATH)/bin', 'PATH' }) do
    check(m:find(want, 1, true), '%s: the message %q lacks %q', what, m, want)
  end
  check(notes[1].level == vim.log.levels.ERROR, '%s: level %s', what, tostring(notes[1].level))
  say('ok %s: %s', what, m)
end

local function main()
  local file = os.getenv('FASTFORTH_TEST_FILE')
  check(vim.fn.executable('fastforth') == 0, 'fastforth is on the PATH: this test needs it missing')
  require('fastforth').setup()
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  says_how('fastforth.lua')

  notes = {}
  local found = vim.api.nvim_get_runtime_file('lsp/fastforth.lua', true)
  check(#found == 1, 'lsp/fastforth.lua on the runtimepath: %s', vim.inspect(found))
  assert(loadfile(found[1]))()
  vim.wait(2000, function()
    return #notes > 0
  end, 20)
  says_how('lsp/fastforth.lua')
end

local ok, err = pcall(main)
if ok then
  say('PASS')
  vim.cmd('qall!')
else
  say('FAIL: %s', tostring(err))
  vim.cmd('cquit 1')
end
