'use strict';
// The pattern library in the editor, through the code actions an editor
// shows: the quick fix that defines an undefined word from a pattern
// whose effect fits its call site, refactor.generate on an empty line
// under a comment saying what is wanted, and source.addTest for a word
// that came from a pattern. Each edit is applied with didChange as VS
// Code applies a WorkspaceEdit; the diagnostics of the new version and
// fastforth/verify must then find nothing wrong, and the generated tests
// must pass under gforth with patterns/tester.fs (skipped when gforth is
// missing, except in CI, where that fails).

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { Server, repoRoot, tempTree, proto, TIMEOUT, ifAnnounced } = require('../support/server');

let s;
before(async () => {
  s = await Server.start();
});
after(() => s.dispose());

const GENERATE = 'refactor.generate';
const ADD_TEST = 'source.addTest';

const hasKind = (kind) => (c) => c.codeActionProvider && (c.codeActionProvider.codeActionKinds ?? []).includes(kind);

const codeActions = (doc, range, only, diagnostics = []) =>
  s.request(proto.CodeActionRequest.type, { textDocument: doc.id, range, context: { diagnostics, only } });

/** The edits of a WorkspaceEdit, which must touch doc alone. */
function editsOf(doc, edit) {
  assert.ok(edit, 'the action carries its edit');
  if (edit.documentChanges) {
    assert.deepEqual(edit.documentChanges.map((c) => c.textDocument.uri), [doc.uri]);
    return edit.documentChanges[0].edits;
  }
  assert.deepEqual(Object.keys(edit.changes), [doc.uri], 'the edit touches the document alone');
  return edit.changes[doc.uri];
}

/**
 * Applies a WorkspaceEdit to doc as one didChange (its edits from the
 * end, as an editor does) and waits for the new version's diagnostics.
 * Resolves with {inserted: the new texts, diagnostics}.
 */
async function apply(doc, edit) {
  const edits = editsOf(doc, edit);
  assert.ok(edits.length > 0, 'the edit changes something');
  const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  const v = await doc.change(sorted.map((e) => ({ range: e.range, text: e.newText })));
  const p = await s.diagnostics.forVersion(doc.uri, v);
  return { inserted: edits.map((e) => e.newText).join(''), diagnostics: p.diagnostics };
}

const errors = (diags) => diags.filter((d) => d.severity === proto.DiagnosticSeverity.Error);
const show = (x) => JSON.stringify(x, null, 1);

/** The pattern a generated text came from, by its marker line. */
function markerId(text) {
  const m = /^\\ From pattern (\S+)$/m.exec(text);
  assert.ok(m, `a "\\ From pattern ID" marker line in ${JSON.stringify(text)}`);
  return m[1];
}

/** fastforth/verify of one word of an open document must say verified. */
async function assertVerified(doc, name) {
  const r = await s.request('fastforth/verify', { textDocument: doc.id, name });
  assert.equal(r.verified, true, `${name} is not verified in:\n${doc.text}\n${show(r.diagnostics)}`);
  assert.equal(r.definitions.length, 1, show(r.definitions));
  assert.equal(r.definitions[0].status, 'verified');
  return r.definitions[0];
}

const patternById = async (id) => (await s.request(proto.ExecuteCommandRequest.type, { command: 'fastforth.patterns', arguments: [{ id }] }))[0];

const undefinedSource = ': total ( -- n ) 5 0 sum-range ;\n';

/**
 * Applies to doc the first "Generate `sum-range` from pattern" quick fix
 * whose pattern is id (any when id is undefined) and resolves with the
 * pattern's ID.
 */
async function generateSumRange(doc, diags, id) {
  const d = diags.find((x) => x.code === 'undefined-word');
  const actions = await codeActions(doc, d.range, [proto.CodeActionKind.QuickFix], diags);
  const a = actions.find((x) => x.title.startsWith('Generate `sum-range` from pattern ' + (id ?? '')));
  assert.ok(a, actions.map((x) => x.title).join(' | '));
  const r = await apply(doc, a.edit);
  return markerId(r.inserted);
}

test('quick fix: every "Generate `w` from pattern" for an undefined word applies cleanly and the word verifies', ifAnnounced(hasKind(proto.CodeActionKind.QuickFix), 'quick fixes', async () => {
  const [doc, diags] = await s.openAndWait('pattern-fix.fs', undefinedSource);
  assert.deepEqual(diags.map((d) => [d.code, doc.textOf(d.range)]), [['undefined-word', 'sum-range']]);
  const [d] = diags;
  const actions = await codeActions(doc, d.range, [proto.CodeActionKind.QuickFix], diags);
  const fromPatterns = actions.filter((a) => /^Generate `sum-range` from pattern \S+/.test(a.title));
  // The call site takes two cells and leaves one: the patterns offered
  // must be those with that effect, best match for "sum range" first.
  assert.ok(fromPatterns.length > 0, `no pattern offered: ${actions.map((a) => a.title).join(' | ')}`);
  assert.match(fromPatterns[0].title, /pattern loop-sum-range-001 /);
  for (const a of fromPatterns) {
    assert.equal(a.kind, proto.CodeActionKind.QuickFix, a.title);
    assert.deepEqual(a.diagnostics, [d], 'the action names the diagnostic it fixes');
    // Start each action from the original text, as a fresh editor would.
    const v0 = await doc.replace(undefinedSource);
    await s.diagnostics.forVersion(doc.uri, v0);
    const { inserted, diagnostics } = await apply(doc, a.edit);
    const id = markerId(inserted);
    assert.ok(a.title.includes(`pattern ${id} `), `${a.title} inserted the marker of ${id}`);
    assert.deepEqual(diagnostics.filter((x) => x.code === 'undefined-word'), [], `${a.title}: sum-range still undefined`);
    assert.deepEqual(errors(diagnostics), [], `${a.title}: new errors in\n${doc.text}`);
    const def = await assertVerified(doc, 'sum-range');
    assert.deepEqual([def.in, def.out], [2, 1], `${a.title}: the call site's effect`);
    assert.equal(def.declared, (await patternById(id)).effect, a.title);
    // The word that used it is now verified too.
    await assertVerified(doc, 'total');
  }
  await doc.close();
}));

test('refactor.generate: on an empty line under a comment, or on a selected comment, a definition that verifies', ifAnnounced(hasKind(GENERATE), GENERATE, async () => {
  const text = '\n\\ clamp a number to a range\n\n: keep ( n -- n ) ;\n\n';
  const at = (line, character) => ({ start: { line, character }, end: { line, character } });
  const cases = [
    // [what, range, where the definition goes]
    ['cursor on the empty line under the comment', at(2, 0), { line: 2, character: 0 }],
    ['the comment selected', { start: { line: 1, character: 0 }, end: { line: 1, character: 27 } }, { line: 1, character: 27 }],
  ];
  for (const [what, range, insertAt] of cases) {
    const [doc] = await s.openAndWait(`generate-${cases.findIndex((c) => c[0] === what)}.fs`, text);
    const actions = (await codeActions(doc, range, [GENERATE])).filter((a) => a.kind === GENERATE);
    assert.ok(actions.length > 0, `${what}: nothing offered`);
    const a = actions.find((x) => / pattern arith-clamp-001 /.test(x.title));
    assert.ok(a, `${what}: ${actions.map((x) => x.title).join(' | ')}`);
    assert.equal(a.title, 'Generate a definition from pattern arith-clamp-001 (Clamp to a range)');
    const [e] = editsOf(doc, a.edit);
    assert.deepEqual(e.range, { start: insertAt, end: insertAt }, what);
    const p = await patternById('arith-clamp-001');
    const name = p.parameters.find((x) => x.id === 'name').default;
    const { inserted, diagnostics } = await apply(doc, a.edit);
    assert.equal(markerId(inserted), 'arith-clamp-001');
    assert.match(doc.text, new RegExp(`^: ${name} \\( n lo hi -- n' \\)`, 'm'), what);
    assert.deepEqual(errors(diagnostics), [], `${what}: errors in\n${doc.text}`);
    const def = await assertVerified(doc, name);
    assert.equal(def.declared, p.effect);
    // The text around it is intact.
    assert.match(doc.text, /\\ clamp a number to a range\n/);
    assert.match(doc.text, /^: keep \( n -- n \) ;$/m);
    await doc.close();
  }
}));

test('refactor.generate is not offered on code, on a non-empty line, on the first line, or under a line that is not a comment', ifAnnounced(hasKind(GENERATE), GENERATE, async () => {
  const [doc] = await s.openAndWait('generate-not.fs', '\n\\ clamp a number to a range\n\n: keep ( n -- n ) ;\n\n\\ sum\n  : inner ( -- ) ;\n');
  const at = (line, character) => ({ start: { line, character }, end: { line, character } });
  for (const [what, range] of [
    ['the first line, empty', at(0, 0)],
    ['inside the comment', at(1, 5)],
    ['inside a definition', at(3, 4)],
    ['an empty line under code', at(4, 0)],
    ['a selection of a comment and code', { start: { line: 1, character: 0 }, end: { line: 3, character: 5 } }],
    ['the line of a definition under a comment', at(6, 0)],
  ]) {
    const got = (await codeActions(doc, range, [GENERATE])).filter((a) => a.kind === GENERATE);
    assert.deepEqual(got.map((a) => a.title), [], what);
  }
  // The same request on the right line does offer them: the cases above
  // are refused for their position, not for the request.
  assert.ok((await codeActions(doc, at(2, 0), [GENERATE])).length > 0);
  await doc.close();
}));

/** Whether gforth is on the PATH. */
const haveGforth = spawnSync('which', ['gforth'], { encoding: 'utf8' }).status === 0;

/** Runs gforth on files in dir; resolves with {code, out}. */
function gforth(dir, args) {
  return new Promise((resolve, reject) => {
    const p = execFile('gforth', args, { cwd: dir, timeout: TIMEOUT, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err); // not started, or killed by the timeout
      resolve({ code: err ? err.code : 0, out: stdout + stderr });
    });
    p.stdin.end(); // gforth must not wait for input after an error
  });
}

test('source.addTest: "Generate tests for `w`" for a word from a pattern, whose tests pass under gforth', ifAnnounced(hasKind(ADD_TEST), ADD_TEST, async (t) => {
  // The document sits beside tester.fs, as the inserted tests expect it
  // to be found (their first line includes it): the server reads it, so
  // T{ -> }T are known words, and gforth runs the same directory.
  const dir = tempTree({ 'tester.fs': fs.readFileSync(path.join(repoRoot, 'patterns', 'tester.fs'), 'utf8') });
  t.after(() => dir.remove());
  const [doc, diags] = await s.openAndWait(dir.uri('doc.fs'), undefinedSource);
  const id = await generateSumRange(doc, diags, 'loop-sum-range-001');
  const defLine = doc.pos(': sum-range').line;
  assert.equal(doc.text.split('\n')[defLine - 1], `\\ From pattern ${id}`);

  const actions = await codeActions(doc, doc.range('sum-range ('), [ADD_TEST]);
  const a = actions.find((x) => x.title.startsWith('Generate tests for `sum-range`'));
  assert.ok(a, actions.map((x) => x.title).join(' | '));
  assert.equal(a.title, `Generate tests for \`sum-range\` from pattern ${id}`);
  assert.equal(a.kind, ADD_TEST);
  const { inserted, diagnostics } = await apply(doc, a.edit);
  const tests = inserted.split('\n').filter((l) => /^T\{ .*\}T$/.test(l));
  assert.ok(tests.length > 0, `no T{ ... }T line in ${JSON.stringify(inserted)}`);
  for (const l of tests) assert.match(l, /^T\{ .*\bsum-range\b.* -> .*\}T$/, l);
  assert.match(inserted, /\[undefined\] T\{ \[if\] include tester\.fs \[then\]/, 'the tests load the tester when needed');
  assert.deepEqual(errors(diagnostics), [], `errors in\n${doc.text}`);

  await t.test('gforth runs the document with patterns/tester.fs: every test passes', async (st) => {
    if (!haveGforth) {
      if (process.env.CI === 'true') assert.fail('gforth is needed in CI (apt-get install gforth)');
      st.skip('gforth is not installed');
      return;
    }
    fs.writeFileSync(dir.path('doc.fs'), doc.text);
    // Verbose: each passing test prints PASS, so tests that never ran
    // cannot pass for ones that did.
    const { code, out } = await gforth(dir.dir, ['tester.fs', '-e', '1 tests-verbose !', 'doc.fs', '-e', 'bye']);
    assert.doesNotMatch(out, /INCORRECT RESULT|WRONG NUMBER OF RESULTS/, out);
    assert.equal(code, 0, out);
    assert.equal((out.match(/PASS:/g) ?? []).length, tests.length, out);
  });
  await doc.close();
}));

test('source.addTest: no pattern tests without the marker, or for a marker with other parameters', ifAnnounced(hasKind(ADD_TEST), ADD_TEST, async () => {
  const def = ': sum-range ( hi lo -- sum )\n  0 -rot ?do i + loop ;\n';
  for (const [what, text] of [
    ['no marker', def],
    ['non-default parameters', '\\ From pattern loop-sum-range-001 (non-default parameters)\n' + def],
    ['a blank line between marker and word', '\\ From pattern loop-sum-range-001\n\n' + def],
  ]) {
    const [doc] = await s.openAndWait(`pattern-tests-not-${what.replace(/\W+/g, '-')}.fs`, text);
    const actions = await codeActions(doc, doc.range('sum-range ('), [ADD_TEST]);
    assert.deepEqual(actions.filter((a) => a.title.startsWith('Generate tests for')).map((a) => a.title), [], what);
    await doc.close();
  }
}));
