'use strict';
// Diagnostics: every code of the README's table as the editor gets it
// (pushed with the document's version), agreement with `fastforth check
// --json` on the repository's Forth sources, pull diagnostics, and the
// analysis options on the command line.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const { Server, binary, repoRoot, tempTree, proto } = require('../support/server');

let s;
before(async () => {
  s = await Server.start();
});
after(() => s.dispose());

const severities = { error: 1, warning: 2, information: 3, hint: 4 };

// One snippet per diagnostic code: [code, severity, source, the text the range covers].
const cases = [
  ['undefined-word', 'error', ': a ( -- ) swp ;', 'swp'],
  ['effect-mismatch', 'error', ': a ( a b -- c ) over + ;', '( a b -- c )'],
  ['unbalanced-branches', 'error', ': a ( n -- n ) dup 0< if negate dup then ;', 'then'],
  ['loop-not-neutral', 'error', ': a ( n -- ) 0 do i loop ;', 'loop'],
  ['unbalanced-control', 'error', ': a ( -- ) then ;', 'then'],
  ['unterminated', 'error', ': a ( -- ) 1 drop', 'a'],
  ['return-stack', 'error', ': a ( n -- ) >r ;', ';'],
  ['stack-underflow', 'error', 'drop', 'drop'],
  ['bad-escape', 'error', ': a ( -- ) s\\" \\y" 2drop ;', undefined],
  ['recurse-outside-definition', 'error', 'recurse', 'recurse'],
  ['redefined', 'warning', ': a ( -- ) ;\n: a ( -- ) ;', 'a'],
  ['redefined', 'information', ': dup ( x -- x x ) dup ;', 'dup'],
  ['compile-only', 'warning', 'if', 'if'],
  ['bad-stack-comment', 'warning', ': a ( -- -- ) ;', undefined],
  ['include-not-found', 'warning', 'include nothere.fs', 'nothere.fs'],
  ['missing-stack-comment', 'hint', ': a 1 drop ;', 'a'],
];

for (const [i, [code, sev, text, covers]] of cases.entries()) {
  test(`${code} (${sev}) is published with the document's version`, async () => {
    const doc = await s.open(`case-${i}.fs`, text + '\n', { version: 7 });
    const p = await s.diagnostics.forVersion(doc.uri, 7);
    assert.equal(p.diagnostics.length, 1, JSON.stringify(p.diagnostics));
    const [d] = p.diagnostics;
    assert.equal(d.code, code);
    assert.equal(d.severity, severities[sev]);
    assert.equal(d.source, 'fastforth');
    assert.ok(d.message.length > 0);
    if (covers !== undefined) assert.equal(doc.textOf(d.range), covers);
    await doc.close();
  });
}

/** The diagnostics `fastforth check --json --hints` prints for path, as LSP diagnostics. */
function checkJSON(file, args = []) {
  let out;
  try {
    out = execFileSync(binary(), ['check', '--json', '--hints', ...args, file], { encoding: 'utf8' });
  } catch (err) {
    out = err.stdout; // exit status 1 when errors were found
  }
  const lines = fs.readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
  // The CLI counts bytes; the editor UTF-16 units.
  const col = (line, byteCol) => Buffer.from(lines[line - 1], 'utf8').subarray(0, byteCol - 1).toString('utf8').length;
  return JSON.parse(out)
    .filter((d) => path.resolve(d.file) === path.resolve(file))
    .map((d) => ({
      range: { start: { line: d.line - 1, character: col(d.line, d.column) }, end: { line: d.endLine - 1, character: col(d.endLine, d.endColumn) } },
      severity: severities[d.severity],
      code: d.code,
      source: 'fastforth',
      message: d.message,
    }));
}

const goldenDir = path.join(repoRoot, 'testdata', 'golden');
const sources = [path.join(repoRoot, 'testdata', 'examples', 'demo.fs'), ...fs.readdirSync(goldenDir).filter((f) => f.endsWith('.fs')).map((f) => path.join(goldenDir, f))];

test('the editor gets what `fastforth check --json` reports, file by file', async () => {
  assert.ok(sources.length >= 2);
  for (const file of sources) {
    const want = checkJSON(file);
    const [, got] = await s.openAndWait(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'));
    assert.deepEqual(got, want, path.relative(repoRoot, file));
  }
});

test('diagnostics of several documents are kept apart', async () => {
  const [a, da] = await s.openAndWait('apart-a.fs', 'swp\n');
  const [b, db] = await s.openAndWait('apart-b.fs', ': ok ( -- ) ;\n');
  assert.deepEqual(da.map((d) => d.code), ['undefined-word']);
  assert.deepEqual(db, []);
  const v = await b.insert({ line: 0, character: 0 }, 'dorp ');
  assert.deepEqual((await s.diagnostics.forVersion(b.uri, v)).diagnostics.map((d) => d.message), ['undefined word dorp']);
  assert.ok(s.diagnostics.all(a.uri).every((p) => p.version === 1), 'a was not published again with another version');
});

test('textDocument/diagnostic (pull) answers a full report', async () => {
  const doc = await s.open('pulled.fs', ': a ( -- ) swp ;\n');
  const r = await s.request(proto.DocumentDiagnosticRequest.type, { textDocument: doc.id });
  assert.equal(r.kind, proto.DocumentDiagnosticReportKind.Full);
  assert.deepEqual(r.items.map((d) => [d.code, doc.textOf(d.range)]), [['undefined-word', 'swp']]);
  // The pull sees the edit sent just before it.
  await doc.replace(': a ( -- ) ;\n');
  const r2 = await s.request(proto.DocumentDiagnosticRequest.type, { textDocument: doc.id });
  assert.deepEqual(r2.items, []);
  const none = await s.request(proto.DocumentDiagnosticRequest.type, { textDocument: { uri: 'file:///not/open.fs' } });
  assert.deepEqual(none.items, []);
});

test('a client that pulls diagnostics gets none pushed', async () => {
  const sp = await Server.start({ capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } } } });
  try {
    const doc = await sp.open('pull-only.fs', 'swp\n');
    const r = await sp.request(proto.DocumentDiagnosticRequest.type, { textDocument: doc.id });
    assert.deepEqual(r.items.map((d) => d.code), ['undefined-word']);
    await doc.replace('swp swp\n');
    assert.equal((await sp.request(proto.DocumentDiagnosticRequest.type, { textDocument: doc.id })).items.length, 2);
    // Everything the server wrote has been read once it has exited.
    assert.equal(await sp.stop(), 0);
    await new Promise((resolve) => (sp.proc.stdout.readableEnded ? resolve() : sp.proc.stdout.on('end', resolve)));
    assert.deepEqual(sp.messages.items.filter((m) => m.method === proto.PublishDiagnosticsNotification.method), []);
  } finally {
    sp.dispose();
  }
});

test('command-line options: --dialect standard, -I, --preload, --no-floats', async () => {
  const t = tempTree({ 'incs/mylib.fs': ': helper ( -- ) ;\n', 'harness.fs': ': T{ ( -- ) ; : }T ( -- ) ;\n' });
  const text = 'include mylib.fs\n: a ( x y z -- y z x ) -rot rot rot helper T{ }T ;\n: f ( -- ) 1e fdrop ;\n';
  const run = async (args) => {
    const so = await Server.start({ args });
    try {
      const [doc, diags] = await so.openAndWait(t.uri('main.fs'), text);
      return diags.map((d) => `${d.code} ${doc.textOf(d.range)}`).sort();
    } finally {
      so.dispose();
    }
  };
  try {
    assert.deepEqual(await run([]), ['include-not-found mylib.fs', 'undefined-word T{', 'undefined-word helper', 'undefined-word }T']);
    assert.deepEqual(await run(['-I', t.path('incs'), '--preload', t.path('harness.fs')]), []);
    assert.deepEqual(await run(['-I', t.path('incs'), '--preload', t.path('harness.fs'), '--dialect', 'standard']), ['undefined-word -rot']);
    const noFloats = await run(['-I', t.path('incs'), '--preload', t.path('harness.fs'), '--no-floats']);
    assert.ok(noFloats.includes('undefined-word 1e'), noFloats.join(', '));
  } finally {
    t.remove();
  }
});
