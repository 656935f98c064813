'use strict';
// The workspace: folders indexed in the background with $/progress,
// workspace/symbol, words of files a document does not include (with a
// "require" quick fix), the file watcher registration, files changed on
// disk, and workspace folders added and removed. Each test is skipped
// when the server does not announce workspace symbols.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { Server, tempTree, proto, defaultCapabilities, ifAnnounced } = require('../support/server');


const files = {
  'lib/util.fs': ': helper ( n -- n ) 1+ ;\n',
  'other/far.fs': '\\ Far away.\n: faraway ( -- ) ;\n',
  'main.fs': 'include lib/util.fs\n: main ( n -- n ) helper ;\n',
  'node_modules/skip.fs': ': hidden-word ( -- ) ;\n',
};

const capabilities = {
  ...defaultCapabilities,
  workspace: { ...defaultCapabilities.workspace, didChangeWatchedFiles: { dynamicRegistration: true } },
};

/** A server with the tree as its workspace folder, its first index done. */
async function withWorkspace(fn) {
  const t = tempTree(files);
  const folder = { uri: t.uri('').replace(/\/$/, ''), name: 'proj' };
  const s = await Server.start({ capabilities, initialize: { rootUri: folder.uri, workspaceFolders: [folder] } });
  try {
    const end = await s.messages.wait((m) => m.method === '$/progress' && m.params.value.kind === 'end', 'the end of the first indexing');
    await fn(s, t, folder, end);
  } finally {
    s.dispose();
    t.remove();
  }
}

/** A test body run in a fresh workspace, skipped when the server has no workspace/symbol. */
const inWorkspace = (fn) => ifAnnounced((c) => c.workspaceSymbolProvider, 'workspace/symbol', () => withWorkspace(fn));

const symbols = (s, query) => s.request(proto.WorkspaceSymbolRequest.type, { query });

test('indexing reports progress: create, begin, reports, end on one token', inWorkspace(async (s, _t, _folder, end) => {
  const created = s.serverRequests.items.find((r) => r.method === proto.WorkDoneProgressCreateRequest.method);
  assert.ok(created, 'window/workDoneProgress/create was asked');
  const seq = s.messages.items.filter((m) => m.method === '$/progress' && m.params.token === created.params.token).map((m) => m.params.value);
  assert.equal(seq[0].kind, 'begin');
  assert.ok(seq[0].title);
  assert.equal(seq[seq.length - 1], end.params.value);
  assert.ok(seq.slice(1, -1).every((v) => v.kind === 'report'));
  const pct = seq.filter((v) => v.percentage !== undefined).map((v) => v.percentage);
  assert.deepEqual(pct, [...pct].sort((a, b) => a - b), 'percentages only grow');
}));

test('workspace/symbol finds the definitions of files that are not open', inWorkspace(async (s, t) => {
  const [far] = await symbols(s, 'faraway');
  assert.equal(far.name, 'faraway');
  assert.equal(far.kind, proto.SymbolKind.Function);
  assert.equal(far.location.uri, t.uri('other/far.fs'));
  assert.equal(far.location.range.start.line, 1);
  // A prefix, any case; the exact name first.
  const some = await symbols(s, 'HEL');
  assert.equal(some[0].name, 'helper');
  assert.deepEqual(await symbols(s, 'hidden-word'), [], 'node_modules is not indexed');
  // An open document's buffer replaces its file.
  await s.openAndWait(t.uri('other/far.fs'), ': nearby ( -- ) ;\n');
  assert.deepEqual(await symbols(s, 'faraway'), []);
  assert.equal((await symbols(s, 'nearby'))[0].location.uri, t.uri('other/far.fs'));
}));

test('a word of a workspace file that is not loaded: not-loaded, related information and a require quick fix', inWorkspace(async (s, t) => {
  const [doc, diags] = await s.openAndWait(t.uri('uses.fs'), ': go ( -- ) faraway ;\n');
  assert.equal(diags.length, 1);
  const [d] = diags;
  assert.equal(d.code, 'not-loaded');
  assert.equal(d.severity, proto.DiagnosticSeverity.Warning);
  assert.match(d.message, /faraway is not loaded here: it is defined in other\/far\.fs:\d+/);
  assert.equal(d.relatedInformation[0].location.uri, t.uri('other/far.fs'));
  // Hover and definition find it.
  const [loc] = await s.request(proto.DefinitionRequest.type, doc.at('faraway'));
  assert.equal(loc.uri, t.uri('other/far.fs'));
  const actions = await s.request(proto.CodeActionRequest.type, { textDocument: doc.id, range: d.range, context: { diagnostics: diags, only: [proto.CodeActionKind.QuickFix] } });
  const req = actions.find((a) => /require other\/far\.fs/.test(a.title));
  assert.ok(req, actions.map((a) => a.title).join(' | '));
  const edits = req.edit.changes[doc.uri];
  const v = await doc.change([...edits].reverse().map((e) => ({ range: e.range, text: e.newText })));
  assert.match(doc.text, /require other\/far\.fs/);
  assert.deepEqual((await s.diagnostics.forVersion(doc.uri, v)).diagnostics, []);
}));

test('the file watcher is registered with the client', inWorkspace(async (s) => {
  const reg = await s.serverRequests.wait((r) => r.method === proto.RegistrationRequest.method, 'client/registerCapability');
  const [r] = reg.params.registrations;
  assert.equal(r.method, proto.DidChangeWatchedFilesNotification.method);
  assert.ok(r.registerOptions.watchers.some((w) => typeof w.globPattern === 'string' && w.globPattern.includes('fs')), JSON.stringify(r.registerOptions));
}));

test('a change on disk of an included file: the document that includes it is checked again', inWorkspace(async (s, t) => {
  const [doc, diags] = await s.openAndWait(t.uri('main.fs'), files['main.fs']);
  assert.deepEqual(diags, []);
  fs.writeFileSync(t.path('lib/util.fs'), ': helper ( n -- n n ) dup ;\n');
  const from = s.diagnostics.mark;
  await s.notify(proto.DidChangeWatchedFilesNotification.type, { changes: [{ uri: t.uri('lib/util.fs'), type: proto.FileChangeType.Changed }] });
  const p = await s.diagnostics.next(doc.uri, { from, what: 'after lib/util.fs changed' });
  assert.deepEqual(p.diagnostics.map((d) => d.code), ['effect-mismatch']);
  // A missing include that appears on disk.
  const [d2, miss] = await s.openAndWait(t.uri('later.fs'), 'include new.fs\n: x ( -- ) newword ;\n');
  assert.deepEqual(miss.map((d) => d.code).sort(), ['include-not-found', 'undefined-word']);
  fs.writeFileSync(t.path('new.fs'), ': newword ( -- ) ;\n');
  const from2 = s.diagnostics.mark;
  await s.notify(proto.DidChangeWatchedFilesNotification.type, { changes: [{ uri: t.uri('new.fs'), type: proto.FileChangeType.Created }] });
  // Publications of the old analysis may still come (the index relates
  // undefined words as it reads files): wait for the one without errors.
  const after = await s.diagnostics.next(d2.uri, { from: from2, pred: (p) => p.diagnostics.length === 0, what: 'without errors after new.fs was created' });
  assert.deepEqual(after.diagnostics, []);
}));

test('workspace folders removed and added', inWorkspace(async (s, _t, folder) => {
  assert.equal((await symbols(s, 'faraway')).length, 1);
  await s.notify(proto.DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [folder] } });
  // Removal is applied before the next request is read.
  assert.deepEqual(await symbols(s, 'faraway'), []);
  const from = s.messages.mark;
  await s.notify(proto.DidChangeWorkspaceFoldersNotification.type, { event: { added: [folder], removed: [] } });
  await s.messages.wait((m) => m.method === '$/progress' && m.params.value.kind === 'end', 'the end of indexing the added folder', { from });
  assert.equal((await symbols(s, 'faraway')).length, 1);
}));
