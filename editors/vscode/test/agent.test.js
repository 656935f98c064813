'use strict';
// The requests for agents: fastforth/infer and fastforth/verify, and
// their workspace/executeCommand forms, checked against the CLI's
// `fastforth infer --json` on the same files; and the pattern library's
// commands fastforth.patterns and fastforth.generate (checked against
// `fastforth gen --json`), skipped when the server does not offer them.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const { Server, binary, repoRoot, proto, rpc, ifAnnounced } = require('../support/server');

let s;
before(async () => {
  s = await Server.start();
});
after(() => s.dispose());

const demo = path.join(repoRoot, 'testdata', 'examples', 'demo.fs');
const golden = path.join(repoRoot, 'testdata', 'golden');

/** What `fastforth infer --json` prints for file, without the file field. */
function cliInfer(file) {
  const out = execFileSync(binary(), ['infer', '--json', file], { encoding: 'utf8' });
  return JSON.parse(out)
    .filter((d) => path.resolve(d.file) === path.resolve(file))
    .map(({ file: _, ...rest }) => rest);
}
const withoutFile = (defs) => defs.map(({ file: _, ...rest }) => rest);

test('fastforth/infer on an open document answers what `fastforth infer --json` prints', async () => {
  const files = [demo, ...fs.readdirSync(golden).filter((f) => f.endsWith('.fs')).map((f) => path.join(golden, f))];
  for (const file of files) {
    const [doc] = await s.openAndWait(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'));
    const defs = await s.request('fastforth/infer', { textDocument: doc.id });
    assert.deepEqual(withoutFile(defs), cliInfer(file), path.relative(repoRoot, file));
    await doc.close();
  }
});

test('fastforth/infer: one definition by name, a snippet, the document as edited', async () => {
  const [doc] = await s.openAndWait('agent.fs', ': sq ( n -- n*n ) dup * ;\n: twice  dup + ;\n');
  const [sq] = await s.request('fastforth/infer', { textDocument: doc.id, name: 'sq' });
  assert.deepEqual(
    { name: sq.name, line: sq.line, column: sq.column, declared: sq.declared, inferred: sq.inferred, in: sq.in, out: sq.out, status: sq.status },
    { name: 'sq', line: 1, column: 3, declared: '( n -- n*n )', inferred: '( n -- n*n )', in: 1, out: 1, status: 'verified' },
  );
  const [tw] = await s.request('fastforth/infer', { textDocument: doc.id, name: 'twice' });
  assert.equal(tw.status, 'undeclared');
  assert.equal(tw.declared, null);
  assert.equal(tw.inferred, '( x -- x2 )');

  // A snippet is analysed on its own: sq of the open document is not known there.
  const snippet = await s.request('fastforth/infer', { text: ': f ( F: r -- r r ) fdup ;\n: g ( xt -- ) execute ;\n: h ( -- ) sq ;' });
  assert.deepEqual(
    snippet.map((d) => [d.file, d.name, d.floatIn, d.floatOut, d.status]),
    [
      ['snippet.fs', 'f', 1, 2, 'verified'],
      ['snippet.fs', 'g', null, null, 'unknown'],
      ['snippet.fs', 'h', null, null, 'unknown'],
    ],
  );
  assert.equal(snippet[1].inferred, null);
  assert.ok(snippet[1].reason, 'an unknown effect comes with a reason');
  assert.match(snippet[2].reason, /sq/);

  // The answer follows the edits sent before it.
  await doc.change([{ range: doc.range('dup +'), text: 'drop' }]);
  const [tw2] = await s.request('fastforth/infer', { textDocument: doc.id, name: 'twice' });
  assert.equal(tw2.inferred, '( x -- )');
});

test('fastforth/verify: verified only with no error and every comment agreeing', async () => {
  const cases = [
    [': a ( n -- n ) 1+ ;', true, []],
    [': a 1+ ;', true, ['missing-stack-comment']],
    [': a ( n -- ) 1+ ;', false, ['effect-mismatch']],
    [': a ( -- ) swp ;', false, ['undefined-word']],
    ['', true, []],
  ];
  for (const [text, verified, codes] of cases) {
    const r = await s.request('fastforth/verify', { text });
    assert.equal(r.verified, verified, text);
    assert.deepEqual(r.diagnostics.map((d) => d.code), codes, text);
    for (const d of r.diagnostics) {
      assert.equal(d.source, 'fastforth');
      assert.ok(d.range.start && d.range.end);
    }
    assert.ok(Array.isArray(r.definitions));
  }
  const [doc] = await s.openAndWait('verify.fs', ': wrong ( a b -- c ) over + ;\n: right ( a -- a ) ;\n');
  const r = await s.request('fastforth/verify', { textDocument: doc.id, name: 'right' });
  assert.equal(r.definitions.length, 1);
  assert.equal(r.verified, false, 'the document has an error elsewhere');
  const d = r.diagnostics.find((x) => x.code === 'effect-mismatch');
  assert.equal(doc.textOf(d.range), '( a b -- c )');
});

test('workspace/executeCommand fastforth.infer and fastforth.verify answer as the requests do', async () => {
  const [doc] = await s.openAndWait('exec.fs', ': sq ( n -- n*n ) dup * ;\n: bad ( -- n ) ;\n');
  for (const [command, method] of [
    ['fastforth.infer', 'fastforth/infer'],
    ['fastforth.verify', 'fastforth/verify'],
  ]) {
    for (const arg of [{ textDocument: doc.id }, { textDocument: doc.id, name: 'sq' }, { text: ': t ( -- ) ;' }]) {
      const viaCommand = await s.request(proto.ExecuteCommandRequest.type, { command, arguments: [arg] });
      assert.deepEqual(viaCommand, await s.request(method, arg), `${command} ${JSON.stringify(arg)}`);
    }
  }
  await s.requestError(proto.ExecuteCommandRequest.type, { command: 'fastforth.nope', arguments: [{ text: '' }] }, rpc.ErrorCodes.InvalidParams);
  await s.requestError(proto.ExecuteCommandRequest.type, { command: 'fastforth.infer', arguments: [] }, rpc.ErrorCodes.InvalidParams);
  await s.requestError(proto.ExecuteCommandRequest.type, { command: 'fastforth.infer', arguments: [1, 2] }, rpc.ErrorCodes.InvalidParams);
  await s.requestError(proto.ExecuteCommandRequest.type, { command: 'fastforth.verify', arguments: ['text'] }, rpc.ErrorCodes.InvalidParams);
});

test('bad agent params are answered -32602 with a reason', async () => {
  const [doc] = await s.openAndWait('agent-bad.fs', ': a ( -- ) ;\n');
  for (const [method, params, why] of [
    ['fastforth/infer', {}, /exactly one of textDocument and text/],
    ['fastforth/infer', { textDocument: doc.id, text: ': a ;' }, /exactly one/],
    ['fastforth/infer', { textDocument: { uri: 'file:///not/open.fs' } }, /not open/],
    ['fastforth/infer', { textDocument: doc.id, name: 'nosuch' }, /no definition named "nosuch"/],
    ['fastforth/verify', { text: 42 }, /textDocument or text/],
    ['fastforth/verify', null, /textDocument or text/],
  ]) {
    const err = await s.requestError(method, params, rpc.ErrorCodes.InvalidParams);
    assert.match(err.message, why, `${method} ${JSON.stringify(params)}`);
  }
});

const offers = (command) => (c) => c.executeCommandProvider && c.executeCommandProvider.commands.includes(command);
const execute = (command, arg) => s.request(proto.ExecuteCommandRequest.type, { command, arguments: [arg] });

test('fastforth.patterns lists the patterns that match a query, or one by id', ifAnnounced(offers('fastforth.patterns'), 'fastforth.patterns', async () => {
  const found = await execute('fastforth.patterns', { query: 'sum' });
  assert.ok(found.length > 0);
  for (const p of found) {
    assert.ok(p.id && p.name && p.effect && p.code, JSON.stringify(p).slice(0, 200));
    assert.ok(Array.isArray(p.parameters));
  }
  const scores = found.map((p) => p.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best match first');
  const [one] = await execute('fastforth.patterns', { id: found[0].id });
  assert.equal(one.id, found[0].id);
  const err = await s.requestError(proto.ExecuteCommandRequest.type, { command: 'fastforth.patterns', arguments: [{ id: 'no-such-pattern-001' }] }, rpc.ErrorCodes.InvalidParams);
  assert.match(err.message, /no-such-pattern-001/);
}));

test('fastforth.generate answers what `fastforth gen --json` prints, and the code verifies', ifAnnounced(offers('fastforth.generate'), 'fastforth.generate', async () => {
  const spec = {
    name: 'order-desc',
    effect: '( a b -- hi lo )',
    pattern: 'stack-sort2-001',
    params: { cmp: '<' },
    description: 'Orders two numbers so that the larger one is below.',
    examples: [
      { inputs: [1, 3], outputs: [3, 1] },
      { inputs: [-2, -2], outputs: [-2, -2] },
    ],
  };
  const got = await execute('fastforth.generate', spec);
  const cli = JSON.parse(execFileSync(binary(), ['gen', '--json', '-'], { input: JSON.stringify(spec), encoding: 'utf8' }));
  const strip = ({ timings: _, ...rest }) => rest;
  assert.deepEqual(strip(got), strip(cli));
  assert.equal(got.ok, true);
  assert.equal(got.verification.status, 'verified');
  const v = await s.request('fastforth/verify', { text: got.code, name: 'order-desc' });
  assert.equal(v.verified, true, got.code);
  assert.equal(v.definitions[0].declared, '( a b -- hi lo )');
  // A spec with mistakes is answered with what is wrong in it, field by field.
  const bad = await execute('fastforth.generate', { effect: 'not an effect' });
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.errors.map((e) => e.field).sort(), ['effect', 'name']);
}));
