'use strict';
// The "fastforth" settings the extension declares, as VS Code sends them:
// pushed with workspace/didChangeConfiguration and pulled with
// workspace/configuration; and $/setTrace.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { Server, proto, tempTree } = require('../support/server');

/** A test with its own server (opts as for Server.start). */
const withSettings = (fn, opts = {}) => async (t) => {
  const s = await Server.start(opts);
  try {
    await fn(s, t);
  } finally {
    s.dispose();
  }
};

const configure = (s, fastforth) => s.notify(proto.DidChangeConfigurationNotification.type, { settings: { fastforth } });
const codes = (diags) => diags.map((d) => d.code).sort();

test('dialect, floats and the diagnostics filter follow didChangeConfiguration', withSettings(async (s) => {
  const text = ': a ( a b c -- b c a ) -rot rot rot ;\n: h 1 drop ;\n: f ( -- ) 1e fdrop ;\n';
  const [doc, d0] = await s.openAndWait('settings.fs', text);
  assert.deepEqual(codes(d0), ['missing-stack-comment']);

  // Every open document is published again when the settings change.
  const steps = [
    [{ dialect: 'standard' }, ['missing-stack-comment', 'undefined-word']],
    [{ diagnostics: { hints: false } }, ['undefined-word']],
    [{ diagnostics: { disable: ['undefined-word'] } }, []],
    [{ dialect: null, diagnostics: null }, ['missing-stack-comment']],
    [{ floats: false }, ['missing-stack-comment', 'undefined-word']],
    [{ floats: true, diagnostics: { enable: false } }, []],
    [{ diagnostics: { enable: true } }, ['missing-stack-comment']],
  ];
  for (const [settings, want] of steps) {
    const from = s.diagnostics.mark;
    await configure(s, settings);
    const p = await s.diagnostics.next(doc.uri, { from, pred: (x) => JSON.stringify(codes(x.diagnostics)) === JSON.stringify(want), what: `with ${JSON.stringify(settings)}` });
    assert.equal(p.version, 1);
  }
}));

test('settings apply in order with the edits: a document opened after them is checked with them', withSettings(async (s) => {
  await configure(s, { dialect: 'standard' });
  const [, diags] = await s.openAndWait('ordered.fs', ': a ( a b c -- c a b ) -rot ;\n');
  assert.deepEqual(codes(diags), ['undefined-word']);
}));

test('includePaths and preload, relative to the workspace folder', withSettings(async () => {
  const t = tempTree({ 'incs/mylib.fs': ': helper ( -- ) ;\n', 'harness.fs': ': T{ ( -- ) ; : }T ( -- ) ;\n' });
  const folder = { uri: t.uri('').replace(/\/$/, ''), name: 'proj' };
  const s = await Server.start({ initialize: { rootUri: folder.uri, workspaceFolders: [folder] } });
  try {
    const [doc, d0] = await s.openAndWait(t.uri('main.fs'), 'include mylib.fs\n: a ( -- ) helper T{ }T ;\n');
    assert.equal(d0.length, 4);
    const from = s.diagnostics.mark;
    await configure(s, { includePaths: ['incs'], preload: [t.path('harness.fs')] });
    await s.diagnostics.next(doc.uri, { from, pred: (p) => p.diagnostics.length === 0, what: 'with the include path and the harness' });
  } finally {
    s.dispose();
    t.remove();
  }
}));

test('workspace/configuration: the settings the client holds are pulled at start', withSettings(async (s) => {
  const [doc] = await s.openAndWait('pulled.fs', ': a ( a b c -- c a b ) -rot ;\n');
  // The client was started with these settings: the server asked for them.
  await s.diagnostics.next(doc.uri, { pred: (p) => codes(p.diagnostics).join() === 'undefined-word', what: 'with dialect standard from workspace/configuration' });
  const asked = s.serverRequests.items.find((r) => r.method === proto.ConfigurationRequest.method);
  assert.ok(asked.params.items.some((i) => i.section === 'fastforth'));
}, { settings: { fastforth: { dialect: 'standard' } } }));

test('inlay hint settings: effects off, the stack at the end of each line on', withSettings(async (s) => {
  const [doc] = await s.openAndWait('inlay-settings.fs', ': both\n  dup 2*\n  swap ;\n');
  const all = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
  const hints = () => s.request(proto.InlayHintRequest.type, { textDocument: doc.id, range: all });
  const h0 = await hints();
  assert.equal(h0.length, 1, 'the effect after the name');
  await configure(s, { inlayHints: { effects: false } });
  assert.deepEqual(await hints(), []);
  await configure(s, { inlayHints: { effects: false, stackAtLineEnd: true } });
  const h2 = await hints();
  const lineEnds = h2.map((h) => h.position.line);
  assert.ok(lineEnds.includes(1) && lineEnds.includes(2), JSON.stringify(h2));
  for (const h of h2) assert.equal(h.position.character, doc.text.split('\n')[h.position.line].length, 'at the end of the line');
}));

test('invalid settings are ignored and the server goes on', withSettings(async (s) => {
  const [doc] = await s.openAndWait('bad-settings.fs', ': a ( -- ) swp ;\n');
  for (const bad of [{ dialect: 'klingon' }, { floats: 'yes' }, { diagnostics: 5 }, { format: { indent: 99 } }, 'oops', null]) {
    await s.notify(proto.DidChangeConfigurationNotification.type, { settings: { fastforth: bad } });
  }
  await s.notify(proto.DidChangeConfigurationNotification.type, { settings: null });
  const r = await s.request(proto.DocumentDiagnosticRequest.type, { textDocument: doc.id });
  assert.deepEqual(codes(r.items), ['undefined-word']);
}));

test('$/setTrace verbose sends $/logTrace; off stops it', withSettings(async (s) => {
  const [doc] = await s.openAndWait('trace.fs', ': a ( -- ) ;\n');
  await s.notify(proto.SetTraceNotification.type, { value: 'verbose' });
  const from = s.messages.mark;
  await s.request(proto.HoverRequest.type, doc.at('a'));
  const log = await s.messages.wait((m) => m.method === proto.LogTraceNotification.type.method && /hover/.test(m.params.message), 'a $/logTrace about the hover', { from });
  assert.ok(log.params.verbose !== undefined, 'verbose carries details');
  await s.notify(proto.SetTraceNotification.type, { value: 'off' });
  const mark = s.messages.mark;
  await s.request(proto.HoverRequest.type, doc.at('a'));
  await s.request(proto.ShutdownRequest.type);
  assert.ok(!s.messages.items.slice(mark).some((m) => m.method === proto.LogTraceNotification.type.method && /hover/.test(m.params.message)));
}));
