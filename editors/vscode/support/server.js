'use strict';
// Test support: starts `fastforth lsp --stdio` as a child process and
// talks to it with the JSON-RPC stack VS Code itself uses
// (vscode-jsonrpc's StreamMessageReader/Writer and the request types of
// vscode-languageserver-protocol), so the end-to-end tests exercise the
// framing, the message shapes and the ordering a real editor produces.
//
// It lives outside test/ because run-tests.sh runs every test/*.test.js
// file as a test file.
//
// Every wait has a timeout that fails the test with a message naming
// what was awaited; nothing sleeps.

const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const rpc = require('vscode-jsonrpc/node');
const proto = require('vscode-languageserver-protocol');
const { TextDocument } = require('vscode-languageserver-textdocument');

/** The repository root (editors/vscode/support is three levels down). */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Default time allowed for one answer or notification, in ms. */
const TIMEOUT = Number(process.env.FASTFORTH_TEST_TIMEOUT || 15000);

let builtBinary;

/**
 * The fastforth binary under test: $FASTFORTH_BIN when set (run-tests.sh
 * builds it once for every test file), otherwise built here once per
 * test process into a temporary directory removed at exit.
 */
function binary() {
  if (process.env.FASTFORTH_BIN) return process.env.FASTFORTH_BIN;
  if (!builtBinary) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fastforth-e2e-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    builtBinary = path.join(dir, 'fastforth');
    execFileSync('go', ['build', '-o', builtBinary, './cmd/fastforth'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return builtBinary;
}

/** Rejects with a clear message when p has not settled within ms. */
function withTimeout(p, what, ms = TIMEOUT) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** A file: URI for name inside dir (default: a directory that need not exist). */
function fileUri(name, dir = path.join(os.tmpdir(), 'fastforth-e2e-docs')) {
  return pathToFileURL(path.resolve(dir, name)).href;
}

/** A temporary directory with the given files ({relative path: text}). */
function tempTree(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fastforth-e2e-tree-'));
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return { dir, path: (n) => path.join(dir, n), uri: (n) => fileUri(n, dir), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Waiters over a growing list: wait(pred) resolves with the first item,
 * at or after index `from`, that satisfies pred.
 */
class Log {
  constructor() {
    this.items = [];
    this.waiters = new Set();
  }

  push(item) {
    this.items.push(item);
    for (const w of [...this.waiters]) {
      // A predicate that throws fails its own wait, not the reader.
      let hit;
      try {
        hit = w.pred(item);
      } catch (err) {
        this.waiters.delete(w);
        w.reject(err);
        continue;
      }
      if (hit) {
        this.waiters.delete(w);
        w.resolve(item);
      }
    }
  }

  /** The number of items so far: pass it as `from` to wait for a later one. */
  get mark() {
    return this.items.length;
  }

  wait(pred, what, { from = 0, timeout = TIMEOUT } = {}) {
    for (let i = from; i < this.items.length; i++) {
      if (pred(this.items[i])) return Promise.resolve(this.items[i]);
    }
    let w;
    const p = new Promise((resolve, reject) => {
      w = { pred, resolve, reject };
      this.waiters.add(w);
    });
    return withTimeout(p, what, timeout).finally(() => this.waiters.delete(w));
  }
}

/**
 * publishDiagnostics notifications, by URI, in arrival order.
 */
class Diagnostics {
  constructor() {
    this.log = new Log();
  }

  add(params) {
    this.log.push(params);
  }

  /** Every publication for uri, oldest first. */
  all(uri) {
    return this.log.items.filter((p) => p.uri === uri);
  }

  /** The newest publication for uri, or undefined. */
  latest(uri) {
    const a = this.all(uri);
    return a[a.length - 1];
  }

  /**
   * Resolves with the publication for uri with exactly this version
   * (opts.from: ignore those before that mark, e.g. of a document closed
   * and opened again with the same version).
   */
  forVersion(uri, version, opts) {
    return this.log.wait((p) => p.uri === uri && p.version === version, `diagnostics of ${uri} version ${version}`, opts);
  }

  /** Resolves with the first publication for uri after mark (see Log.mark) that satisfies pred. */
  next(uri, { from, pred = () => true, what = '', timeout } = {}) {
    return this.log.wait((p) => p.uri === uri && pred(p), `diagnostics of ${uri} ${what}`, { from, timeout });
  }

  get mark() {
    return this.log.mark;
  }
}

/** An open document: its text is kept in step with the edits sent. */
class Doc {
  constructor(server, uri, text, version, languageId) {
    this.server = server;
    this.uri = uri;
    this.td = TextDocument.create(uri, languageId, version, text);
  }

  get version() {
    return this.td.version;
  }

  get text() {
    return this.td.getText();
  }

  get id() {
    return { uri: this.uri };
  }

  /**
   * The position of the nth occurrence (0-based) of needle, plus delta
   * UTF-16 units. Positions are UTF-16, as JavaScript strings are.
   */
  pos(needle, { nth = 0, delta = 0 } = {}) {
    let at = -1;
    for (let i = 0; i <= nth; i++) {
      at = this.text.indexOf(needle, at + 1);
      assert.notEqual(at, -1, `${JSON.stringify(needle)} occurrence ${nth} not in ${this.uri}`);
    }
    return this.td.positionAt(at + delta);
  }

  /** The range of the nth occurrence of needle. */
  range(needle, opts = {}) {
    const start = this.pos(needle, opts);
    const end = this.td.positionAt(this.td.offsetAt(start) + needle.length);
    return { start, end };
  }

  /** The text of a range of this document. */
  textOf(range) {
    return this.td.getText(range);
  }

  /** TextDocumentPositionParams for the nth occurrence of needle (+delta). */
  at(needle, opts) {
    return { textDocument: this.id, position: this.pos(needle, opts) };
  }

  /**
   * Sends one didChange with these changes ({range, text} or {text} for
   * the whole document) and returns the new version.
   */
  async change(changes, version = this.version + 1) {
    this.td = TextDocument.update(this.td, changes, version);
    await this.server.conn.sendNotification(proto.DidChangeTextDocumentNotification.type, {
      textDocument: { uri: this.uri, version },
      contentChanges: changes,
    });
    return version;
  }

  /** Inserts text at a position (one incremental change). */
  insert(position, text) {
    return this.change([{ range: { start: position, end: position }, text }]);
  }

  /** Replaces the whole text. */
  replace(text) {
    return this.change([{ text }]);
  }

  close() {
    return this.server.conn.sendNotification(proto.DidCloseTextDocumentNotification.type, { textDocument: this.id });
  }
}

/** Client capabilities: a plain editor that takes pushed diagnostics. */
const defaultCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true } },
    publishDiagnostics: { versionSupport: true },
    semanticTokens: {
      requests: { range: true, full: { delta: true } },
      tokenTypes: ['function', 'keyword', 'number', 'string', 'comment', 'variable'],
      tokenModifiers: ['definition', 'defaultLibrary', 'declaration'],
      formats: ['relative'],
    },
  },
  workspace: { configuration: true, workspaceFolders: true },
  window: { workDoneProgress: true },
};

/**
 * One running language server and the connection to it.
 *
 *   const s = await Server.start();          // spawned and initialized
 *   const doc = await s.open('a.fs', ': sq ( n -- n ) dup * ;');
 *   await s.diagnostics.forVersion(doc.uri, 1);
 *   const h = await s.request(proto.HoverRequest.type, doc.at('dup'));
 *   assert.equal(await s.stop(), 0);
 */
class Server {
  /**
   * Spawns the server. Options: args (extra command-line arguments),
   * initialize (false: leave it uninitialized; an object: fields merged
   * into InitializeParams), capabilities (replaces the default client
   * capabilities), settings ({section: value} answered to
   * workspace/configuration).
   */
  static async start(opts = {}) {
    const s = new Server(opts);
    if (opts.initialize !== false) {
      await s.initialize(typeof opts.initialize === 'object' ? opts.initialize : {}, opts.capabilities);
    }
    return s;
  }

  constructor({ args = [], settings = {} } = {}) {
    this.settings = settings;
    this.proc = spawn(binary(), ['lsp', '--stdio', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d) => {
      if (this.stderr.length < 1 << 20) this.stderr += d;
    });
    // Writing to a server that has exited must not crash the test process.
    this.proc.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));

    // Every message from the server, as parsed, in order: the tap sees
    // what the connection would reject too (a response with a null id).
    this.messages = new Log();
    this.diagnostics = new Diagnostics();
    this.serverRequests = new Log();
    this.logged = [];
    const reader = new rpc.StreamMessageReader(this.proc.stdout);
    const listen = reader.listen.bind(reader);
    reader.listen = (cb) =>
      listen((msg) => {
        this.messages.push(msg);
        cb(msg);
      });
    this.writer = new rpc.StreamMessageWriter(this.proc.stdin);
    const logger = {
      error: (m) => this.logged.push(`error: ${m}`),
      warn: (m) => this.logged.push(`warn: ${m}`),
      info: () => {},
      log: () => {},
    };
    this.conn = rpc.createMessageConnection(reader, this.writer, logger);
    this.conn.onNotification(proto.PublishDiagnosticsNotification.type, (p) => this.diagnostics.add(p));
    // Requests from the server: answered as VS Code would, and recorded.
    this.conn.onRequest((method, params) => {
      this.serverRequests.push({ method, params });
      if (method === proto.ConfigurationRequest.method) {
        return params.items.map((it) => (it.section ? this.settings[it.section] ?? null : this.settings));
      }
      if (method === proto.WorkspaceFoldersRequest.method) return this.folders ?? null;
      return null; // client/registerCapability, window/workDoneProgress/create, ...
    });
    this.conn.onError(([err]) => this.logged.push(`connection error: ${err && err.message}`));
    this.conn.listen();
  }

  /** Sends initialize (params merged over a default) and initialized. */
  async initialize(params = {}, capabilities = defaultCapabilities) {
    this.folders = params.workspaceFolders ?? null;
    this.initResult = await this.request(proto.InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'fastforth-e2e', version: '1' },
      rootUri: null,
      capabilities,
      ...params,
    });
    await this.conn.sendNotification(proto.InitializedNotification.type, {});
    return this.initResult;
  }

  /** The server's capabilities (from initialize). */
  get capabilities() {
    return this.initResult.capabilities;
  }

  /** Sends a request and resolves with its result, failing after the timeout. */
  request(type, params, token) {
    const method = typeof type === 'string' ? type : type.method;
    // A string method takes its params as rest arguments: an undefined
    // token would turn the params into an array.
    const sent = token ? this.conn.sendRequest(type, params, token) : params === undefined ? this.conn.sendRequest(type) : this.conn.sendRequest(type, params);
    return withTimeout(sent, `the answer to ${method}`);
  }

  /** Sends a request that must fail with this JSON-RPC error code; resolves with the error. */
  async requestError(type, params, code) {
    const method = typeof type === 'string' ? type : type.method;
    try {
      const result = await this.request(type, params);
      assert.fail(`${method} answered ${JSON.stringify(result)}, expected error ${code}`);
    } catch (err) {
      if (!(err instanceof rpc.ResponseError)) throw err;
      assert.equal(err.code, code, `${method}: ${err.message}`);
      return err;
    }
  }

  notify(type, params) {
    return this.conn.sendNotification(type, params);
  }

  /** Opens a document (name: a URI or a file name) and returns it. */
  async open(name, text, { version = 1, languageId = 'forth' } = {}) {
    const uri = /^[a-z]+:/.test(name) ? name : fileUri(name);
    const doc = new Doc(this, uri, text, version, languageId);
    await this.notify(proto.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    return doc;
  }

  /** Opens a document and waits for its diagnostics; resolves with [doc, diagnostics]. */
  async openAndWait(name, text, opts) {
    const doc = await this.open(name, text, opts);
    const p = await this.diagnostics.forVersion(doc.uri, doc.version);
    return [doc, p.diagnostics];
  }

  /**
   * Writes bytes to the server's input with a Content-Length header but
   * no JSON check: for malformed messages. Every write of the connection
   * must be finished (await the notifications and requests sent before).
   */
  rawWrite(body) {
    const b = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) =>
      this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`, 'ascii'), b]), (e) => (e ? reject(e) : resolve())),
    );
  }

  /** Resolves with the process exit status, failing after the timeout. */
  async exitCode() {
    const { code, signal } = await withTimeout(this.exited, 'the server process to exit');
    assert.equal(signal, null, `the server was killed by ${signal}`);
    return code;
  }

  /** shutdown then exit; resolves with the exit status. */
  async stop() {
    assert.equal(await this.request(proto.ShutdownRequest.type), null);
    await this.notify(proto.ExitNotification.type);
    return this.exitCode();
  }

  /** Ends the process if it still runs (for after() hooks). */
  dispose() {
    this.conn.dispose();
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill();
  }
}

/** Asserts that the server process is still serving: it answers a request. */
async function assertAlive(server) {
  const doc = await server.open(`alive-${server.messages.mark}.fs`, ': alive ( -- ) ;');
  const h = await server.request(proto.HoverRequest.type, doc.at('alive'));
  assert.ok(h, 'the server answered a hover after the bad input');
  await doc.close();
}

let announced;

/**
 * The capabilities a server started with the default client capabilities
 * announces (once per test process).
 */
function serverCapabilities() {
  if (!announced) {
    announced = Server.start().then(async (s) => {
      try {
        return s.capabilities;
      } finally {
        await s.stop().catch(() => {});
        s.dispose();
      }
    });
  }
  return announced;
}

/**
 * Wraps a test body for a feature that not every server has yet: the test
 * is skipped, saying why, unless has(capabilities) holds. Use as
 *   test('formatting', ifAnnounced((c) => c.documentFormattingProvider, 'formatting', async (t) => {...}));
 */
function ifAnnounced(has, what, fn) {
  return async (t) => {
    if (!has(await serverCapabilities())) {
      t.skip(`the server does not announce ${what}`);
      return undefined;
    }
    return fn(t);
  };
}

/** A markdown or plain hover's text. */
function hoverText(h) {
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c.value;
}

/** Decodes relative semantic tokens into {line, char, length, type, mods} with legend names. */
function decodeTokens(data, legend) {
  const out = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    const mods = legend.tokenModifiers.filter((_, b) => data[i + 4] & (1 << b));
    out.push({ line, char, length: data[i + 2], type: legend.tokenTypes[data[i + 3]], mods });
  }
  return out;
}

module.exports = { serverCapabilities, ifAnnounced, Server, Doc, binary, repoRoot, fileUri, tempTree, withTimeout, assertAlive, hoverText, decodeTokens, proto, rpc, TIMEOUT, defaultCapabilities };
