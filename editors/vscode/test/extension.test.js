'use strict';
// The VS Code extension without VS Code: its manifest, its language
// configuration, and extension.js activated against stand-ins for the
// `vscode` module and vscode-languageclient, to check the command line
// and the options it starts the server with. That command line is the
// one the other tests start the real server with.

const { test, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('the manifest contributes the Forth language and activates on it', () => {
  assert.deepEqual(pkg.activationEvents, ['onLanguage:forth', 'onLanguage:forth-patterns']);
  // Pattern files (.forth-patterns) go to the server too, for their diagnostics.
  const patternsLang = pkg.contributes.languages.find((l) => l.id === 'forth-patterns');
  assert.deepEqual(patternsLang && patternsLang.extensions, ['.forth-patterns']);
  assert.ok(fs.existsSync(path.join(root, pkg.main)), pkg.main);
  const [lang] = pkg.contributes.languages;
  assert.equal(lang.id, 'forth');
  // Every extension the server reads (fastforth check searches for these).
  assert.deepEqual(lang.extensions, ['.fs', '.fth', '.4th', '.f', '.forth', '.fr', '.fb']);
  assert.equal(pkg.license, 'MIT');
  assert.equal(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'), fs.readFileSync(path.join(root, '..', '..', 'LICENSE'), 'utf8'),
    'editors/vscode/LICENSE is a copy of the repository\'s');
  const conf = JSON.parse(fs.readFileSync(path.join(root, lang.configuration), 'utf8'));
  assert.equal(conf.comments.lineComment, '\\');
  assert.deepEqual(conf.comments.blockComment, ['(', ')']);
  assert.deepEqual(conf.brackets[0], ['(', ')']);
  assert.ok(new RegExp(conf.wordPattern).exec('2dup')[0] === '2dup', 'a Forth word is any run of non-blanks');
  assert.ok(pkg.engines.vscode, 'engines.vscode');
  assert.ok(pkg.dependencies['vscode-languageclient']);
});

test('the manifest declares the fastforth.* settings the server reads', () => {
  const props = pkg.contributes.configuration.properties;
  const want = {
    'fastforth.path': 'string',
    'fastforth.dialect': 'string',
    'fastforth.includePaths': 'array',
    'fastforth.preload': 'array',
    'fastforth.floats': 'boolean',
    'fastforth.diagnostics.enable': 'boolean',
    'fastforth.diagnostics.disable': 'array',
    'fastforth.diagnostics.hints': 'boolean',
    'fastforth.inlayHints.effects': 'boolean',
    'fastforth.inlayHints.stackAtLineEnd': 'boolean',
    'fastforth.format.enable': 'boolean',
    'fastforth.format.indent': 'integer',
    'fastforth.trace.server': 'string',
  };
  assert.deepEqual(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.type])), want);
  assert.deepEqual(props['fastforth.dialect'].enum, ['gforth', 'standard']);
  for (const [k, v] of Object.entries(props)) {
    assert.ok(v.description || v.markdownDescription, `${k} is described`);
    assert.ok('default' in v, `${k} has a default`);
  }
});

/** Loads extension.js with stand-ins for vscode and the language client. */
function loadExtension() {
  const world = { settings: { path: 'fastforth' }, clients: [], errors: [], commands: {}, configListeners: [], startFails: false };
  class FakeClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
      world.clients.push(this);
    }
    async start() {
      if (world.startFails) throw new Error('spawn fastforth ENOENT');
      this.started = true;
    }
    async stop() {
      this.stopped = true;
    }
  }
  const vscode = {
    workspace: {
      workspaceFolders: [{ uri: { scheme: 'file', fsPath: path.join(fakeBin, 'proj') } }],
      getConfiguration: (section) => {
        assert.equal(section, 'fastforth');
        return { get: (k) => world.settings[k] };
      },
      onDidChangeConfiguration: (fn) => (world.configListeners.push(fn), { dispose() {} }),
    },
    window: { showErrorMessage: async (msg) => (world.errors.push(msg), undefined) },
    commands: {
      registerCommand: (name, fn) => ((world.commands[name] = fn), { dispose() {} }),
      executeCommand: async () => {},
    },
  };
  const client = { LanguageClient: FakeClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 } };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    if (request === 'vscode') return vscode;
    if (request === 'vscode-languageclient/node') return client;
    return load.call(this, request, ...rest);
  };
  try {
    const file = require.resolve(path.join(root, 'extension.js'));
    delete require.cache[file];
    return { ext: require(file), world };
  } finally {
    Module._load = load;
  }
}

let ext;
let world;
// A PATH with a stand-in fastforth on it, and the real PATH to restore.
const realPath = process.env.PATH;
const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'fastforth-ext-'));
fs.writeFileSync(path.join(fakeBin, 'fastforth'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
fs.mkdirSync(path.join(fakeBin, 'proj', 'tools'), { recursive: true });
fs.writeFileSync(path.join(fakeBin, 'proj', 'tools', 'fastforth'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
process.on('exit', () => fs.rmSync(fakeBin, { recursive: true, force: true }));
beforeEach(() => {
  process.env.PATH = fakeBin + path.delimiter + realPath;
  ({ ext, world } = loadExtension());
});

test('activate starts `fastforth lsp` over stdio for Forth documents', async () => {
  const context = { subscriptions: [] };
  await ext.activate(context);
  assert.equal(world.clients.length, 1);
  const [c] = world.clients;
  assert.equal(c.id, 'fastforth', 'the id makes fastforth.trace.server work');
  assert.deepEqual(c.serverOptions.run, { command: 'fastforth', args: ['lsp'], transport: 0 });
  assert.deepEqual(c.serverOptions.debug, c.serverOptions.run);
  assert.deepEqual(c.clientOptions.documentSelector, [
    { scheme: 'file', language: 'forth' },
    { scheme: 'untitled', language: 'forth' },
    { scheme: 'file', language: 'forth-patterns' },
  ]);
  assert.equal(c.clientOptions.synchronize.configurationSection, 'fastforth');
  assert.ok(c.started);
  assert.ok(world.commands['fastforth.restartServer'], 'the restart command');
  assert.ok(context.subscriptions.length >= 2);
  await ext.deactivate();
  assert.ok(c.stopped);
});

test('changing fastforth.path restarts the server with the new executable', async () => {
  await ext.activate({ subscriptions: [] });
  world.settings.path = 'tools/fastforth';
  await world.configListeners[0]({ affectsConfiguration: (s) => s === 'fastforth.path' });
  assert.equal(world.clients.length, 2);
  assert.ok(world.clients[0].stopped);
  assert.equal(world.clients[1].serverOptions.run.command, path.join(fakeBin, 'proj', 'tools/fastforth'));
  // Other settings go to the running server.
  await world.configListeners[0]({ affectsConfiguration: (s) => s === 'fastforth.dialect' });
  assert.equal(world.clients.length, 2);
});

test('a server that cannot start is reported, naming the setting', async () => {
  world.startFails = true;
  await ext.activate({ subscriptions: [] });
  assert.equal(world.errors.length, 1);
  assert.match(world.errors[0], /fastforth\.path/);
  assert.match(world.errors[0], /ENOENT/);
  await ext.deactivate();
});

test('a server that is not installed is reported with the install command, and not started', async () => {
  process.env.PATH = path.join(fakeBin, 'nothing-here');
  await ext.activate({ subscriptions: [] });
  assert.equal(world.clients.length, 0);
  assert.equal(world.errors.length, 1);
  assert.match(world.errors[0], /"fastforth" was not found/);
  assert.match(world.errors[0], /go install \.\/cmd\/fastforth/);
  assert.match(world.errors[0], /\$\(go env GOPATH\)\/bin/);
  assert.match(world.errors[0], /PATH/);
  assert.match(world.errors[0], /fastforth\.path/);
  await ext.deactivate();
});

test('findExecutable finds a bare name on the PATH and a path as it is', () => {
  assert.equal(ext.findExecutable('fastforth', { PATH: fakeBin }), path.join(fakeBin, 'fastforth'));
  assert.equal(ext.findExecutable('fastforth', { PATH: '' }), undefined);
  assert.equal(ext.findExecutable(path.join(fakeBin, 'fastforth'), { PATH: '' }), path.join(fakeBin, 'fastforth'));
  assert.equal(ext.findExecutable(path.join(fakeBin, 'missing'), { PATH: fakeBin }), undefined);
});

test('.vscode/launch.json runs the extension from this folder (F5)', () => {
  const text = fs.readFileSync(path.join(root, '.vscode', 'launch.json'), 'utf8');
  // JSON with comments, as VS Code reads it.
  const conf = JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''));
  const runs = conf.configurations.filter((c) => c.type === 'extensionHost' && c.request === 'launch');
  assert.ok(runs.length >= 1, 'an extensionHost launch configuration');
  for (const c of runs) {
    assert.ok(c.args.includes('--extensionDevelopmentPath=${workspaceFolder}'), c.name);
    const folder = c.args.find((a) => !a.startsWith('--'));
    assert.ok(fs.existsSync(folder.replace('${workspaceFolder}', root)), `${c.name} opens ${folder}, which does not exist`);
  }
});
