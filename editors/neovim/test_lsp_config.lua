-- test_lsp_config.lua: checks lsp/fastforth.lua, the configuration for
-- Neovim 0.11 and later, against the real `fastforth lsp`. Run headless
-- from editors/editors_test.go, with the file installed as the README
-- says (~/.config/nvim/lsp/fastforth.lua).
--
-- Neovim 0.11 reads lsp/<name>.lua from the runtimepath when
-- vim.lsp.config[name] is resolved, and vim.lsp.enable(name) starts the
-- client for buffers of its filetypes in the root its root_markers find.
-- Where those functions exist, this test uses them; on an older Neovim
-- (Debian's is 0.7) it puts in their place a stub that does what
-- runtime/lua/vim/lsp.lua does (config resolution: '*', then every
-- lsp/<name>.lua of the runtimepath, then vim.lsp.config() calls; enable:
-- a FileType autocommand that checks the command is executable and the
-- filetype listed, finds the root from root_markers in order, and starts
-- the client), so that the configuration is still loaded and run.
-- The file's keys are checked against the fields of vim.lsp.Config and
-- vim.lsp.ClientConfig as Neovim's source defines them.

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

local file = os.getenv('FASTFORTH_TEST_FILE')
local root = os.getenv('FASTFORTH_TEST_ROOT')

-- The fields of vim.lsp.Config (runtime/lua/vim/lsp.lua) and of
-- vim.lsp.ClientConfig (runtime/lua/vim/lsp/client.lua), Neovim 0.11.
local config_fields = {}
for _, f in ipairs({
  'cmd', 'filetypes', 'reuse_client', 'root_dir', 'root_markers', -- vim.lsp.Config
  'before_init', 'capabilities', 'cmd_cwd', 'cmd_env', 'commands', 'detached', 'flags', 'get_language_id',
  'handlers', 'init_options', 'name', 'offset_encoding', 'on_attach', 'on_error', 'on_exit', 'on_init',
  'root_dir', 'settings', 'trace', 'workspace_folders', 'workspace_required',
}) do
  config_fields[f] = true
end

-- find_root is what root_markers mean: for each marker in order, the
-- nearest directory upward from the buffer's file that holds it.
local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  for _, m in ipairs(markers or {}) do
    for _, name in ipairs(type(m) == 'table' and m or { m }) do
      local hit = vim.fn.finddir(name, dir .. ';')
      if hit == '' then
        hit = vim.fn.findfile(name, dir .. ';')
      end
      if hit ~= '' then
        return vim.fn.fnamemodify(hit, ':p'):gsub('/$', ''):match('^(.*)/[^/]*$')
      end
    end
  end
end

local native = vim.fn.has('nvim-0.11') == 1
local started = {} -- clients the stub started, by root

local function install_stub()
  local configs = {}
  vim.lsp.config = setmetatable({ _configs = configs }, {
    __index = function(_, name)
      local rtp
      for _, f in ipairs(vim.api.nvim_get_runtime_file(('lsp/%s.lua'):format(name), true)) do
        local c = assert(loadfile(f))()
        check(type(c) == 'table', '%s does not return a table', f)
        rtp = vim.tbl_deep_extend('force', rtp or {}, c)
      end
      if not rtp and not configs[name] then
        return nil
      end
      local r = vim.tbl_deep_extend('force', configs['*'] or {}, rtp or {}, configs[name] or {})
      r.name = name
      return r
    end,
    __call = function(_, name, cfg)
      configs[name] = vim.tbl_deep_extend('force', configs[name] or {}, cfg)
    end,
  })
  local enabled = {}
  vim.lsp.enable = function(name)
    enabled[name] = true
    vim.api.nvim_create_autocmd('FileType', {
      group = vim.api.nvim_create_augroup('nvim.lsp.enable', { clear = true }),
      callback = function(args)
        if vim.bo[args.buf].buftype ~= '' then
          return
        end
        for nm in pairs(enabled) do
          local cfg = vim.lsp.config[nm]
          if cfg and vim.fn.executable(cfg.cmd[1]) == 1
            and (not cfg.filetypes or vim.tbl_contains(cfg.filetypes, vim.bo[args.buf].filetype)) then
            local dir = cfg.root_dir or find_root(vim.api.nvim_buf_get_name(args.buf), cfg.root_markers)
            local id = started[dir]
            if not id then
              local c = vim.deepcopy(cfg)
              c.root_dir = dir
              c.root_markers, c.filetypes, c.reuse_client = nil, nil, nil
              if dir then
                c.workspace_folders = { { uri = vim.uri_from_fname(dir), name = dir } }
              end
              id = vim.lsp.start_client(c)
              started[dir] = id
            end
            vim.lsp.buf_attach_client(args.buf, id)
          end
        end
      end,
    })
  end
end

local function main()
  check(file and root, 'set FASTFORTH_TEST_FILE and FASTFORTH_TEST_ROOT')
  -- The file as installed, found on the runtimepath as Neovim finds it.
  local found = vim.api.nvim_get_runtime_file('lsp/fastforth.lua', true)
  check(#found == 1, 'lsp/fastforth.lua on the runtimepath: %s', vim.inspect(found))
  local cfg = assert(loadfile(found[1]))()
  check(type(cfg) == 'table', 'lsp/fastforth.lua returns %s, want a table', type(cfg))
  for k in pairs(cfg) do
    check(config_fields[k], 'lsp/fastforth.lua sets %q, which is no field of vim.lsp.Config', k)
  end
  check(vim.deep_equal(cfg.cmd, { 'fastforth', 'lsp' }), 'cmd %s', vim.inspect(cfg.cmd))
  check(vim.deep_equal(cfg.filetypes, { 'forth' }), 'filetypes %s', vim.inspect(cfg.filetypes))
  check(vim.deep_equal(cfg.root_markers, { 'fastforth.toml', '.git' }), 'root_markers %s', vim.inspect(cfg.root_markers))
  -- The markers' order: fastforth.toml wins over .git.
  local tree = vim.fn.tempname()
  vim.fn.mkdir(tree .. '/repo/.git', 'p')
  vim.fn.mkdir(tree .. '/repo/sub/deep', 'p')
  vim.fn.writefile({ '' }, tree .. '/repo/sub/fastforth.toml')
  check(find_root(tree .. '/repo/sub/deep/x.fs', cfg.root_markers) == vim.fn.resolve(tree .. '/repo/sub'),
    'root of a file below fastforth.toml: %s', tostring(find_root(tree .. '/repo/sub/deep/x.fs', cfg.root_markers)))
  check(find_root(tree .. '/repo/y.fs', cfg.root_markers) == vim.fn.resolve(tree .. '/repo'), 'root by .git')
  say('ok config: %s', found[1])

  if native then
    say('using Neovim %s\'s own vim.lsp.config and vim.lsp.enable', tostring(vim.version()))
  else
    install_stub()
    local v = vim.fn.api_info().version
    say('using a stub of vim.lsp.config and vim.lsp.enable (Neovim %d.%d.%d has neither)', v.major, v.minor, v.patch)
  end

  -- Settings through vim.lsp.config, as a user's init.lua gives them:
  -- before_init sends them as initializationOptions.
  local sent
  vim.lsp.config('fastforth', {
    settings = { fastforth = { diagnostics = { disable = { 'effect-mismatch' } } } },
  })
  local resolved = vim.lsp.config['fastforth']
  local before = resolved.before_init
  check(type(before) == 'function', 'no before_init after vim.lsp.config')
  vim.lsp.config('fastforth', {
    before_init = function(params, config)
      before(params, config)
      sent = params.initializationOptions
    end,
  })
  vim.lsp.enable('fastforth')
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].filetype ~= 'forth' then
    vim.bo[buf].filetype = 'forth' -- what the README's vim.filetype.add() does on 0.11
  end
  local client
  vim.wait(WAIT, function()
    for _, c in pairs(vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf }) or vim.lsp.buf_get_clients(buf)) do
      client = c
    end
    return client ~= nil
  end, 20)
  check(client, 'no client attached to %s', file)
  check(client.name == 'fastforth', 'client name %q', client.name)
  check(vim.fn.resolve(client.config.root_dir) == vim.fn.resolve(root), 'root_dir %q, want %q', client.config.root_dir, root)
  check(sent and sent.fastforth and vim.deep_equal(sent.fastforth.diagnostics.disable, { 'effect-mismatch' }),
    'initializationOptions sent: %s', vim.inspect(sent))
  say('ok attach: root %s, initializationOptions %s', client.config.root_dir, vim.inspect(sent, { newline = '' }))

  -- The settings took effect: the effect mismatch is not reported, the
  -- undefined word is.
  local ok = vim.wait(WAIT, function()
    local ds = vim.diagnostic.get(buf)
    return #ds >= 1
  end, 20)
  check(ok, 'no diagnostics')
  -- A document's diagnostics come as a whole set (published, or the
  -- answer to a pull): the first non-empty set is the one to check.
  local ds = vim.diagnostic.get(buf)
  check(#ds == 1 and ds[1].code == 'undefined-word', 'diagnostics with effect-mismatch disabled: %s', vim.inspect(ds))
  say('ok settings reached the server: %d diagnostic', #ds)

  if native then
    client:stop() -- vim.lsp.stop_client is deprecated from 0.12 on
  else
    vim.lsp.stop_client(client.id)
  end
  vim.wait(WAIT, function()
    return vim.lsp.get_client_by_id(client.id) == nil
  end, 20)
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
