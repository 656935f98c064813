'use strict';
// Document synchronisation: incremental edits as an editor sends them
// (one keystroke at a time, several changes in one notification, whole
// text replacements), line ends, UTF-16 and UTF-8 columns, close and
// reopen, included files, and a 20,000-line document.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { Server, hoverText, tempTree, proto } = require('../support/server');

let s;
before(async () => {
  s = await Server.start();
});
after(() => s.dispose());

const codes = (diags) => diags.map((d) => d.code);

test('typing a word one character at a time: diagnostics follow each keystroke', async () => {
  const [doc, first] = await s.openAndWait('typing.fs', ': sq ( n -- n*n ) dup * ;\n');
  assert.deepEqual(first, []);
  // Type " 1 drop" before the ";", waiting for each version's diagnostics.
  const expected = {
    ' ': [],
    1: ['effect-mismatch'],
    ' 1 ': ['effect-mismatch'],
    ' 1 d': ['undefined-word'],
    ' 1 dr': ['undefined-word'],
    ' 1 dro': ['undefined-word'],
    ' 1 drop': [],
  };
  let typed = '';
  for (const ch of ' 1 drop') {
    const at = doc.pos(' ;');
    const v = await doc.insert(at, ch);
    typed += ch;
    const p = await s.diagnostics.forVersion(doc.uri, v);
    const want = expected[typed] ?? expected[typed.trim()];
    if (want) assert.deepEqual(codes(p.diagnostics), want, `after typing ${JSON.stringify(typed)}`);
    if (typed.endsWith('dro')) {
      assert.equal(doc.textOf(p.diagnostics[0].range), 'dro');
      assert.equal(p.diagnostics[0].message, 'undefined word dro');
    }
  }
  assert.equal(doc.text, ': sq ( n -- n*n ) dup * 1 drop ;\n');
  // Backspace one character at a time: "drop" becomes "dro", then "dr", ...
  for (let i = 0; i < 4; i++) {
    const end = doc.pos(' ;');
    const start = { line: end.line, character: end.character - 1 };
    const v = await doc.change([{ range: { start, end }, text: '' }]);
    const p = await s.diagnostics.forVersion(doc.uri, v);
    assert.deepEqual(codes(p.diagnostics), i < 3 ? ['undefined-word'] : ['effect-mismatch'], `after ${i + 1} backspaces`);
  }
});

test('a burst of keystrokes: the newest version is published, versions only grow', async () => {
  const doc = await s.open('burst.fs', ': five ( -- n ) 5 ;\n');
  const word = ': ten ( -- n ) five five + ;';
  let v;
  for (const ch of word) {
    v = await doc.insert(doc.td.positionAt(doc.text.length), ch);
  }
  const last = await s.diagnostics.forVersion(doc.uri, v);
  assert.deepEqual(last.diagnostics, []);
  const versions = s.diagnostics.all(doc.uri).map((p) => p.version);
  for (let i = 1; i < versions.length; i++) assert.ok(versions[i] > versions[i - 1], `versions grow: ${versions}`);
  assert.ok(versions.every((x) => x >= 1 && x <= v), `only versions that were sent: ${versions}`);
  const h = await s.request(proto.HoverRequest.type, doc.at('ten'));
  assert.match(hoverText(h), /ten \( -- n \)/);
});

test('several changes in one didChange are applied in order', async () => {
  const doc = await s.open('multi.fs', ': a ( -- ) ;\n: bb ( -- ) ;\n');
  // The second change's range is in the text as the first change left it.
  const v = await doc.change([
    { range: { start: { line: 0, character: 11 }, end: { line: 0, character: 11 } }, text: 'swp ' },
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: ': c ( -- ) bb ;\n' },
  ]);
  assert.equal(doc.text, ': a ( -- ) swp ;\n: c ( -- ) bb ;\n: bb ( -- ) ;\n');
  const p = await s.diagnostics.forVersion(doc.uri, v);
  // bb is used before its definition: undefined where it stands.
  assert.deepEqual(
    p.diagnostics.map((d) => [d.code, doc.textOf(d.range)]),
    [
      ['undefined-word', 'swp'],
      ['undefined-word', 'bb'],
    ],
  );
});

test('a whole-text change replaces the document', async () => {
  const doc = await s.open('whole.fs', 'swp\n');
  assert.deepEqual(codes((await s.diagnostics.forVersion(doc.uri, 1)).diagnostics), ['undefined-word']);
  const v = await doc.replace(': fine ( n -- n ) ;\n');
  assert.deepEqual((await s.diagnostics.forVersion(doc.uri, v)).diagnostics, []);
});

test('a position past the end of a line means the end of that line', async () => {
  const doc = await s.open('past.fs', ': a ( -- ) ;\n: b ( -- ) ;\n');
  const v = 2;
  // The server clamps character 99 to the end of line 0; the local copy does the same.
  await s.notify(proto.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: doc.uri, version: v },
    contentChanges: [{ range: { start: { line: 0, character: 99 }, end: { line: 0, character: 99 } }, text: ' swp' }],
  });
  const p = await s.diagnostics.forVersion(doc.uri, v);
  assert.deepEqual(codes(p.diagnostics), ['undefined-word']);
  assert.deepEqual(p.diagnostics[0].range, { start: { line: 0, character: 13 }, end: { line: 0, character: 16 } });
});

test('CRLF and lone CR line ends', async () => {
  const [doc, diags] = await s.openAndWait('crlf.fs', ': a ( -- ) ;\r\n: b ( -- )\r  swp ;\r\n');
  assert.deepEqual(codes(diags), ['undefined-word']);
  assert.deepEqual(diags[0].range, { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } });
  const v = await doc.insert({ line: 1, character: 10 }, ' a');
  const p = await s.diagnostics.forVersion(doc.uri, v);
  assert.deepEqual(p.diagnostics[0].range, { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } });
  const h = await s.request(proto.HoverRequest.type, { textDocument: doc.id, position: { line: 1, character: 12 } });
  assert.match(hoverText(h), /^```forth\na \( -- \)/);
});

test('UTF-16 columns after an emoji on the same line', async () => {
  const text = ': smile ( n -- n ) ( 😀 ) dup drop ;\n( 😀😀 ) swp\n';
  const [doc, diags] = await s.openAndWait('emoji.fs', text);
  // 😀 is two UTF-16 units: JavaScript string indexes are UTF-16 too.
  const dup = doc.range('dup');
  assert.equal(dup.start.character, 26);
  const h = await s.request(proto.HoverRequest.type, { textDocument: doc.id, position: dup.start });
  assert.match(hoverText(h), /dup \( x -- x x \)/);
  assert.deepEqual(h.range, dup);
  // One unit further in "dup" is still dup; "drop" right after it.
  const h2 = await s.request(proto.HoverRequest.type, doc.at('drop', { delta: 2 }));
  assert.deepEqual(h2.range, doc.range('drop'));
  assert.deepEqual(codes(diags), ['undefined-word']);
  assert.deepEqual(diags[0].range, doc.range('swp'));
  // An edit after the emoji lands where the editor meant it.
  const v = await doc.insert(doc.pos('swp', { delta: 3 }), 'x');
  const p = await s.diagnostics.forVersion(doc.uri, v);
  assert.equal(p.diagnostics[0].message, 'undefined word swpx');
  assert.deepEqual(p.diagnostics[0].range, doc.range('swpx'));
});

test('UTF-8 columns when negotiated', async () => {
  const s8 = await Server.start({ capabilities: { general: { positionEncodings: ['utf-8'] } } });
  try {
    const text = ': smile ( n -- n ) ( 😀 ) dup drop ;\n';
    const doc = await s8.open('emoji8.fs', text);
    // 😀 is four bytes: dup starts at byte 28.
    const byteCol = Buffer.byteLength(text.slice(0, text.indexOf('dup')));
    assert.equal(byteCol, 28);
    const h = await s8.request(proto.HoverRequest.type, { textDocument: doc.id, position: { line: 0, character: byteCol + 1 } });
    assert.match(hoverText(h), /dup \( x -- x x \)/);
    assert.deepEqual(h.range, { start: { line: 0, character: 28 }, end: { line: 0, character: 31 } });
  } finally {
    s8.dispose();
  }
});

test('didClose publishes an empty list; the document can be opened again', async () => {
  const [doc, diags] = await s.openAndWait('closing.fs', 'swp\n');
  assert.equal(diags.length, 1);
  const from = s.diagnostics.mark;
  await doc.close();
  const p = await s.diagnostics.next(doc.uri, { from, what: 'after didClose' });
  assert.deepEqual(p.diagnostics, []);
  assert.equal(await s.request(proto.HoverRequest.type, { textDocument: doc.id, position: { line: 0, character: 1 } }), null);
  // Reopened as version 1 again, as VS Code does.
  const reopened = s.diagnostics.mark;
  const again = await s.open(doc.uri, ': ok ( -- ) ;\n');
  const p2 = await s.diagnostics.next(doc.uri, { from: reopened, what: 'after reopening' });
  assert.equal(p2.version, 1);
  assert.deepEqual(p2.diagnostics, []);
  assert.match(hoverText(await s.request(proto.HoverRequest.type, again.at('ok'))), /ok \( -- \)/);
});

test('didSave is accepted', async () => {
  const [doc] = await s.openAndWait('saved.fs', ': a ( -- ) ;\n');
  await s.notify(proto.DidSaveTextDocumentNotification.type, { textDocument: doc.id });
  assert.ok(await s.request(proto.HoverRequest.type, doc.at('a ')));
});

test('an included file open in the editor is read from its buffer', async () => {
  const t = tempTree({ 'lib/b.fs': ': helper ( n -- n ) 1+ ;\n', 'a.fs': 'include lib/b.fs\n: main ( n -- n ) helper ;\n' });
  try {
    // On disk helper agrees with main's comment; the buffer does not.
    const [b] = await s.openAndWait(t.uri('lib/b.fs'), ': helper ( n -- n n ) dup ;\n');
    const [a, diags] = await s.openAndWait(t.uri('a.fs'), 'include lib/b.fs\n: main ( n -- n ) helper ;\n');
    assert.deepEqual(codes(diags), ['effect-mismatch']);
    assert.match(hoverText(await s.request(proto.HoverRequest.type, a.at('helper'))), /helper \( n -- n n \)/);
    await b.close();
    await a.close();
  } finally {
    t.remove();
  }
});

test('saving an open included file checks the files that include it again', async () => {
  const t = tempTree({ 'lib/b.fs': ': helper ( n -- n ) 1+ ;\n', 'a.fs': 'include lib/b.fs\n: main ( n -- n ) helper ;\n' });
  const s2 = await Server.start();
  try {
    const [b] = await s2.openAndWait(t.uri('lib/b.fs'), ': helper ( n -- n ) 1+ ;\n');
    const [a, diags] = await s2.openAndWait(t.uri('a.fs'), 'include lib/b.fs\n: main ( n -- n ) helper ;\n');
    assert.deepEqual(diags, []);
    await b.replace(': helper ( n -- n n ) dup ;\n');
    const from = s2.diagnostics.mark;
    await s2.notify(proto.DidSaveTextDocumentNotification.type, { textDocument: b.id });
    const p = await s2.diagnostics.next(a.uri, { from, what: 'after lib/b.fs was saved' });
    assert.deepEqual(codes(p.diagnostics), ['effect-mismatch']);
  } finally {
    s2.dispose();
    t.remove();
  }
});

test('an edit of an open included file reaches the file that includes it', async () => {
  const t = tempTree({ 'lib/b.fs': ': helper ( n -- n ) 1+ ;\n', 'a.fs': 'include lib/b.fs\n: main ( n -- n ) helper ;\n' });
  const s2 = await Server.start();
  try {
    const [b] = await s2.openAndWait(t.uri('lib/b.fs'), ': helper ( n -- n ) 1+ ;\n');
    const [a, diags] = await s2.openAndWait(t.uri('a.fs'), 'include lib/b.fs\n: main ( n -- n ) helper ;\n');
    assert.deepEqual(diags, []);
    await b.replace(': helper ( n -- n n ) dup ;\n');
    // The includer's hover, computed after the edit, sees the new helper.
    assert.match(hoverText(await s2.request(proto.HoverRequest.type, a.at('helper'))), /helper \( n -- n n \)/);
  } finally {
    s2.dispose();
    t.remove();
  }
});

test('a 20,000-line document: diagnostics arrive, hover and edits work', async () => {
  const lines = [];
  for (let i = 0; i < 5000; i++) {
    lines.push(`\\ word number ${i}`, `: w${i} ( n -- n )`, `  dup +`, `  ;`);
  }
  lines[19998] = '  dup swp'; // in w4999
  const [doc, diags] = await s.openAndWait('huge.fs', lines.join('\n') + '\n');
  assert.equal(doc.td.lineCount, 20001);
  assert.deepEqual(codes(diags), ['undefined-word']);
  assert.equal(diags[0].range.start.line, 19998);
  const h = await s.request(proto.HoverRequest.type, doc.at('w4998 '));
  assert.match(hoverText(h), /w4998 \( n -- n \)/);
  const hUse = await s.request(proto.HoverRequest.type, doc.at('dup', { nth: 4990 }));
  assert.match(hoverText(hUse), /In `w4990`/);
  // Fix the typo at the end; then break a word at the start.
  const v = await doc.change([{ range: doc.range('swp'), text: '+' }]);
  assert.deepEqual((await s.diagnostics.forVersion(doc.uri, v)).diagnostics, []);
  const v2 = await doc.insert(doc.pos('dup +'), 'drop ');
  const p = await s.diagnostics.forVersion(doc.uri, v2);
  assert.deepEqual(codes(p.diagnostics), ['effect-mismatch']);
  assert.equal(p.diagnostics[0].range.start.line, 1);
});
