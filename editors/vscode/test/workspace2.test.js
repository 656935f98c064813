'use strict';
// More of the workspace: files created, changed and deleted on disk and
// announced with workspace/didChangeWatchedFiles, as seen by
// workspace/symbol; and the user's own pattern library in
// .fastforth/patterns: fastforth.patterns finds its patterns (those of
// the first workspace folder), a quick fix in the workspace offers them,
// and a pattern file open in the editor gets `bad-pattern` diagnostics
// on its faulty lines.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { Server, tempTree, proto, rpc, TIMEOUT, defaultCapabilities, ifAnnounced } = require('../support/server');

const capabilities = {
  ...defaultCapabilities,
  workspace: { ...defaultCapabilities.workspace, didChangeWatchedFiles: { dynamicRegistration: true } },
};

/** A server with a tree of files as its workspace folder, its first index done. */
async function withWorkspace(files, fn) {
  const t = tempTree(files);
  const folder = { uri: t.uri('').replace(/\/$/, ''), name: 'proj' };
  const s = await Server.start({ capabilities, initialize: { rootUri: folder.uri, workspaceFolders: [folder] } });
  try {
    await s.messages.wait((m) => m.method === '$/progress' && m.params.value.kind === 'end', 'the end of the first indexing');
    await fn(s, t);
  } finally {
    s.dispose();
    t.remove();
  }
}

const symbols = (s, query) => s.request(proto.WorkspaceSymbolRequest.type, { query });

/**
 * Asks again and again until ok(answer) holds; resolves with that answer.
 * The index is updated in the background after a notification, with no
 * message saying when, so the test asks (one request at a time, no sleep)
 * and fails after the timeout naming what it waited for.
 */
async function poll(ask, ok, what, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await ask();
    if (ok(last)) return last;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeout} ms waiting for ${what}; last answer: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const named = (name) => (syms) => syms.some((x) => x.name === name);

test('workspace/symbol follows files created, changed and deleted on disk (didChangeWatchedFiles)', ifAnnounced((c) => c.workspaceSymbolProvider, 'workspace/symbol', () =>
  withWorkspace({ 'main.fs': ': main ( -- ) ;\n' }, async (s, t) => {
    const changed = (name, type) => s.notify(proto.DidChangeWatchedFilesNotification.type, { changes: [{ uri: t.uri(name), type }] });
    assert.ok(named('main')(await symbols(s, 'main')), 'the first index has main.fs');

    fs.mkdirSync(t.path('lib'));
    fs.writeFileSync(t.path('lib/fresh.fs'), '\\ New on disk.\n: brand-new-word ( n -- n ) 1+ ;\n');
    await changed('lib/fresh.fs', proto.FileChangeType.Created);
    const found = await poll(() => symbols(s, 'brand-new'), named('brand-new-word'), 'brand-new-word after lib/fresh.fs was created');
    const sym = found.find((x) => x.name === 'brand-new-word');
    assert.equal(sym.location.uri, t.uri('lib/fresh.fs'));
    assert.equal(sym.location.range.start.line, 1);
    assert.equal(sym.kind, proto.SymbolKind.Function);

    // Changed: the word is renamed in the file.
    fs.writeFileSync(t.path('lib/fresh.fs'), ': renamed-word ( n -- n ) 1+ ;\n');
    await changed('lib/fresh.fs', proto.FileChangeType.Changed);
    await poll(() => symbols(s, 'renamed-word'), named('renamed-word'), 'renamed-word after lib/fresh.fs changed');
    assert.deepEqual(await symbols(s, 'brand-new-word'), [], 'the old word went with the change');

    fs.rmSync(t.path('lib/fresh.fs'));
    await changed('lib/fresh.fs', proto.FileChangeType.Deleted);
    await poll(() => symbols(s, 'renamed-word'), (syms) => syms.length === 0, 'renamed-word to disappear after lib/fresh.fs was deleted');
    assert.ok(named('main')(await symbols(s, 'main')), 'the other files stay indexed');
  }),
));

const patternHeader = 'category: mine\ntitle: Mine\nsummary: the project\'s own patterns\n\n';

/** A valid user pattern, in the format of patterns/FORMAT.md. */
const goodPatterns = `${patternHeader}pattern: mine-triple-001
name: Triple a number
tags: triple, times-three, multiply
description: Multiplies n by three.
effect: ( n -- n*3 )
param: name  name  triple  the new word
code:
: {{.name}} ( n -- n*3 )
  3 * ;
tests:
T{ 2 {{.name}} -> 6 }T
T{ -1 {{.name}} -> -3 }T
end
`;

/** A broken one: the default of a number parameter is not a number. */
const brokenPatterns = `category: broken
title: Broken
summary: a pattern with a mistake

pattern: mine-broken-001
name: Broken
tags: broken
description: Has a parameter whose default is wrong.
effect: ( n -- n )
param: name  name    nudge  the new word
param: k     number  abc    the amount
code:
: {{.name}} ( n -- n )
  {{.k}} + ;
tests:
T{ 1 {{.name}} -> 2 }T
end
`;

const execute = (s, command, arg) => s.request(proto.ExecuteCommandRequest.type, { command, arguments: [arg] });
const offers = (command) => (c) => c.executeCommandProvider && c.executeCommandProvider.commands.includes(command);

test('user patterns in .fastforth/patterns: fastforth.patterns finds them, quick fixes offer them, a broken file gets bad-pattern diagnostics', ifAnnounced(offers('fastforth.patterns'), 'fastforth.patterns', () =>
  withWorkspace(
    {
      '.fastforth/patterns/mine.forth-patterns': goodPatterns,
      '.fastforth/patterns/broken.forth-patterns': brokenPatterns,
      'src/app.fs': ': nine ( -- n ) 3 triple ;\n',
    },
    async (s, t) => {
      // The command reads the first workspace folder's library.
      const [mine] = await execute(s, 'fastforth.patterns', { id: 'mine-triple-001' });
      assert.equal(mine.id, 'mine-triple-001');
      assert.equal(mine.name, 'Triple a number');
      assert.equal(mine.effect, '( n -- n*3 )');
      assert.equal(mine.category, 'mine');
      assert.ok((await execute(s, 'fastforth.patterns', { query: 'triple' })).some((p) => p.id === 'mine-triple-001'), 'a query finds it too');
      // The builtin patterns are still there beside it.
      assert.equal((await execute(s, 'fastforth.patterns', { id: 'arith-clamp-001' }))[0].id, 'arith-clamp-001');
      // The broken pattern is left out of the library, the good one is not.
      const err = await s.requestError(proto.ExecuteCommandRequest.type, { command: 'fastforth.patterns', arguments: [{ id: 'mine-broken-001' }] }, rpc.ErrorCodes.InvalidParams);
      assert.match(err.message, /mine-broken-001/);

      // A document of the workspace gets the user pattern as a quick fix.
      const [app, diags] = await s.openAndWait(t.uri('src/app.fs'), ': nine ( -- n ) 3 triple ;\n');
      assert.deepEqual(diags.map((d) => d.code), ['undefined-word']);
      const actions = await s.request(proto.CodeActionRequest.type, { textDocument: app.id, range: diags[0].range, context: { diagnostics: diags, only: [proto.CodeActionKind.QuickFix] } });
      assert.ok(actions.some((a) => a.title.startsWith('Generate `triple` from pattern mine-triple-001 ')), actions.map((a) => a.title).join(' | '));

      // The broken file open in the editor: a bad-pattern error on the faulty line.
      const [broken, bdiags] = await s.openAndWait(t.uri('.fastforth/patterns/broken.forth-patterns'), brokenPatterns, { languageId: 'forth-patterns' });
      assert.ok(bdiags.length > 0, 'no diagnostics for a broken pattern file');
      const faulty = broken.pos('param: k').line;
      const d = bdiags.find((x) => x.code === 'bad-pattern' && x.range.start.line === faulty);
      assert.ok(d, `no bad-pattern diagnostic on line ${faulty}: ${JSON.stringify(bdiags)}`);
      assert.equal(d.severity, proto.DiagnosticSeverity.Error);
      assert.match(d.message, /parameter k/);
      assert.deepEqual(bdiags.filter((x) => x.range.start.line !== faulty), [], 'only the faulty line is marked');

      // The valid file open: nothing to report.
      const [, gdiags] = await s.openAndWait(t.uri('.fastforth/patterns/mine.forth-patterns'), goodPatterns, { languageId: 'forth-patterns' });
      assert.deepEqual(gdiags, []);

      // Fixing the line clears the diagnostic.
      const v = await broken.change([{ range: broken.range('abc'), text: '1' }]);
      assert.deepEqual((await s.diagnostics.forVersion(broken.uri, v)).diagnostics, []);
    },
  ),
));
