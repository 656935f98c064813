'use strict';
// The LSP lifecycle and the JSON-RPC edge cases: capabilities, position
// encodings, errors before initialize and after shutdown, exit statuses,
// cancellation, malformed frames and notifications with bad params.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');

const { Server, assertAlive, binary, proto, rpc, withTimeout } = require('../support/server');

/** Runs fn with a fresh server and ends the process whatever happens. */
async function withServer(opts, fn) {
  const s = await Server.start(opts);
  try {
    return await fn(s);
  } finally {
    s.dispose();
  }
}

test('initialize announces every feature the server has', () =>
  withServer({}, async (s) => {
    const caps = s.capabilities;
    assert.equal(s.initResult.serverInfo.name, 'fastforth');
    assert.equal(caps.positionEncoding, 'utf-16');
    assert.equal(caps.textDocumentSync.openClose, true);
    assert.equal(caps.textDocumentSync.change, proto.TextDocumentSyncKind.Incremental);
    for (const p of ['hoverProvider', 'definitionProvider', 'declarationProvider', 'referencesProvider', 'documentHighlightProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'inlayHintProvider']) {
      assert.ok(caps[p], `${p} is announced`);
    }
    assert.ok(caps.completionProvider, 'completion');
    assert.deepEqual(caps.signatureHelpProvider.triggerCharacters, [' ']);
    assert.ok(caps.codeActionProvider.codeActionKinds.includes(proto.CodeActionKind.QuickFix));
    assert.ok(caps.documentLinkProvider, 'document links');
    assert.equal(caps.renameProvider.prepareProvider, true);
    assert.ok(caps.executeCommandProvider.commands.includes('fastforth.infer'));
    assert.ok(caps.executeCommandProvider.commands.includes('fastforth.verify'));
    const st = caps.semanticTokensProvider;
    assert.equal(st.range, true);
    assert.equal(st.full.delta, true);
    for (const t of ['function', 'keyword', 'number', 'string', 'comment', 'variable']) assert.ok(st.legend.tokenTypes.includes(t), t);
    for (const m of ['definition', 'defaultLibrary', 'declaration']) assert.ok(st.legend.tokenModifiers.includes(m), m);
    assert.equal(caps.diagnosticProvider.identifier, 'fastforth');
    assert.equal(caps.diagnosticProvider.interFileDependencies, true);
  }));

test('utf-8 positions are used when the client offers them', () =>
  withServer({ capabilities: { general: { positionEncodings: ['utf-8', 'utf-16'] } } }, async (s) => {
    assert.equal(s.capabilities.positionEncoding, 'utf-8');
  }));

test('utf-16 positions when the client offers only utf-32', () =>
  withServer({ capabilities: { general: { positionEncodings: ['utf-32'] } } }, async (s) => {
    assert.equal(s.capabilities.positionEncoding, 'utf-16');
  }));

test('the arguments vscode-languageclient passes are accepted', () =>
  withServer({ args: [`--clientProcessId=${process.pid}`] }, async (s) => {
    assert.equal(s.capabilities.positionEncoding, 'utf-16');
    assert.equal(await s.stop(), 0);
  }));

test('a request before initialize is refused with -32002, then initialize works', () =>
  withServer({ initialize: false }, async (s) => {
    await s.requestError(proto.HoverRequest.type, { textDocument: { uri: 'file:///x.fs' }, position: { line: 0, character: 0 } }, -32002);
    // A notification before initialize is dropped without closing the connection.
    await s.notify(proto.DidOpenTextDocumentNotification.type, { textDocument: { uri: 'file:///early.fs', languageId: 'forth', version: 1, text: 'swp' } });
    await s.initialize();
    assert.equal(s.capabilities.positionEncoding, 'utf-16');
    // The early didOpen was not applied.
    assert.equal(await s.request(proto.HoverRequest.type, { textDocument: { uri: 'file:///early.fs' }, position: { line: 0, character: 1 } }), null);
    await assertAlive(s);
  }));

test('a second initialize is an invalid request', () =>
  withServer({}, async (s) => {
    await s.requestError(proto.InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} }, rpc.ErrorCodes.InvalidRequest);
  }));

test('an unknown method is answered -32601 and the server goes on', () =>
  withServer({}, async (s) => {
    await s.requestError('fastforth/noSuchThing', {}, rpc.ErrorCodes.MethodNotFound);
    await assertAlive(s);
  }));

test('shutdown then exit: requests after shutdown are refused, exit status 0', () =>
  withServer({}, async (s) => {
    const doc = await s.open('a.fs', ': a ( -- ) ;');
    assert.equal(await s.request(proto.ShutdownRequest.type), null);
    await s.requestError(proto.HoverRequest.type, doc.at('a'), rpc.ErrorCodes.InvalidRequest);
    await s.notify(proto.ExitNotification.type);
    assert.equal(await s.exitCode(), 0);
  }));

test('exit without shutdown: exit status 1', () =>
  withServer({}, async (s) => {
    await s.notify(proto.ExitNotification.type);
    assert.equal(await s.exitCode(), 1);
  }));

test('input closed without shutdown: exit status 1', () =>
  withServer({}, async (s) => {
    s.proc.stdin.end();
    assert.equal(await s.exitCode(), 1);
  }));

test('input closed after shutdown: exit status 0', () =>
  withServer({}, async (s) => {
    await s.request(proto.ShutdownRequest.type);
    s.proc.stdin.end();
    assert.equal(await s.exitCode(), 0);
  }));

test('a bad command line exits 2 and writes nothing to standard output', async () => {
  const p = spawn(binary(), ['lsp', '--dialect', 'bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  const code = await withTimeout(new Promise((resolve) => p.on('close', resolve)), 'fastforth lsp --dialect bogus to exit');
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.match(err, /dialect/);
});

test('malformed JSON is answered -32700 and the server keeps going', () =>
  withServer({}, async (s) => {
    const from = s.messages.mark;
    await s.rawWrite('{"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": {');
    const reply = await s.messages.wait((m) => m.error && m.error.code === -32700, 'a -32700 parse error', { from });
    assert.equal(reply.id, null);
    await assertAlive(s);
    // A frame that is JSON but not a message.
    await s.rawWrite('[1, 2, 3]');
    await s.rawWrite('"just a string"');
    await assertAlive(s);
    assert.equal(await s.stop(), 0);
  }));

test('a request with the wrong params is answered -32602 and the server goes on', () =>
  withServer({}, async (s) => {
    await s.requestError(proto.HoverRequest.type, { textDocument: 5, position: 'here' }, rpc.ErrorCodes.InvalidParams);
    await s.requestError('textDocument/hover', null, rpc.ErrorCodes.InvalidParams);
    await s.requestError(proto.HoverRequest.type, { textDocument: {}, position: { line: 0, character: 0 } }, rpc.ErrorCodes.InvalidParams);
    // A document that is not open has no hover.
    assert.equal(await s.request(proto.HoverRequest.type, { textDocument: { uri: 'file:///not/open.fs' }, position: { line: 0, character: 0 } }), null);
    await assertAlive(s);
  }));

test('notifications with bad params are dropped and the server stays alive', () =>
  withServer({}, async (s) => {
    const bad = [
      [proto.DidOpenTextDocumentNotification.method, { textDocument: 5 }],
      [proto.DidOpenTextDocumentNotification.method, null],
      [proto.DidChangeTextDocumentNotification.method, { textDocument: { uri: 'file:///none.fs', version: 2 }, contentChanges: [null] }],
      [proto.DidChangeTextDocumentNotification.method, { textDocument: { uri: 'file:///none.fs', version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }] }],
      [proto.DidCloseTextDocumentNotification.method, { textDocument: {} }],
      ['$/cancelRequest', { id: { not: 'an id' } }],
      ['$/setTrace', { value: 'verbose' }],
      ['workspace/didChangeConfiguration', { settings: 'oops' }],
      ['fastforth/unknownNotification', [1, 2]],
    ];
    for (const [method, params] of bad) await s.notify(method, params);
    // Raw: a notification whose params are not an object at all.
    await s.rawWrite('{"jsonrpc":"2.0","method":"textDocument/didChange","params":17}');
    await assertAlive(s);
    assert.equal(await s.stop(), 0);
  }));

test('$/cancelRequest answers -32800 or the result, and the server goes on', () =>
  withServer({}, async (s) => {
    // A big document makes the first request wait for its analysis.
    const lines = [];
    for (let i = 0; i < 4000; i++) lines.push(`: w${i} ( n -- n ) dup + ;`);
    const doc = await s.open('big-cancel.fs', lines.join('\n'));
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const src = new rpc.CancellationTokenSource();
        const p = s.request(proto.HoverRequest.type, doc.at(`w${3990 + i} `), src.token);
        src.cancel();
        try {
          const h = await p;
          assert.ok(h === null || h.contents, 'a result, when the cancellation came too late');
          return 'result';
        } catch (err) {
          assert.ok(err instanceof rpc.ResponseError, String(err));
          assert.equal(err.code, -32800);
          return 'cancelled';
        }
      }),
    );
    assert.equal(outcomes.length, 5);
    // Cancelling an id that was already answered, or never existed, is harmless.
    await s.notify('$/cancelRequest', { id: 123456 });
    await s.notify('$/cancelRequest', { id: 'nope' });
    const h = await s.request(proto.HoverRequest.type, doc.at('w3999 '));
    assert.ok(h && h.contents, 'a hover after the cancellations');
    assert.equal(await s.stop(), 0);
  }));

test('standard output carries only protocol messages', () =>
  withServer({}, async (s) => {
    const doc = await s.open('quiet.fs', ': q ( -- ) swp ;');
    await s.diagnostics.forVersion(doc.uri, 1);
    await s.request(proto.HoverRequest.type, doc.at('swp'));
    assert.equal(await s.stop(), 0);
    assert.deepEqual(s.logged, [], 'the JSON-RPC reader saw nothing but messages');
  }));
