'use strict';
// Reading code: hover (with the stack picture), go to definition and
// declaration, references, document highlight, document symbols, folding
// ranges, semantic tokens (full, range, delta) and document links.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { Server, hoverText, decodeTokens, tempTree, proto } = require('../support/server');

const program = `\\ Squares a number.
\\ Used by cube.
: square ( n -- n*n )  dup * ;
: cube ( n -- n^3 )
  dup square * ;
: shout ( -- )  ." square" ;   \\ square in a string and a comment
variable counter
0 value limit
: set-limit ( n -- )  to limit ;
: sum3 { a b c -- n }  a b + c + ;
: arr ( n "name" -- )
  create cells allot
  does> ( i -- addr ) swap cells + ;
begin-structure point
  field: p.x
  field: p.y
end-structure
: count-up ( n -- )
  0 ?do
    i counter +!
  loop ;
( a comment
  on two lines )
: tick ( -- xt )  ['] square ;
`;

let s;
let t;
let doc;
before(async () => {
  t = tempTree({ 'lib/util.fs': ': helper ( n -- n ) 1+ ;\n', 'main.fs': program });
  s = await Server.start();
  [doc] = await s.openAndWait(t.uri('main.fs'), program);
});
after(() => {
  s.dispose();
  t.remove();
});

const hover = async (needle, opts) => {
  const h = await s.request(proto.HoverRequest.type, doc.at(needle, opts));
  assert.ok(h, `a hover on ${needle}`);
  assert.equal(h.contents.kind, 'markdown');
  return { text: hoverText(h), range: h.range };
};

test('hover on a builtin: effect, word set, description and the stacks around it', async () => {
  const h = await hover('dup');
  assert.deepEqual(h.range, doc.range('dup'));
  assert.match(h.text, /^```forth\ndup \( x -- x x \)\n```/);
  assert.match(h.text, /core word set/);
  assert.match(h.text, /Duplicate the top cell/);
  assert.match(h.text, /In `square` `\( n -- n\*n \)`:\n- before: `\( n \)`\n- after: `\( n n \)`/);
});

test('hover on a user word: declared and inferred effects, its comment and where it is defined', async () => {
  const h = await hover('square', { nth: 1 }); // in cube
  assert.match(h.text, /^```forth\nsquare \( n -- n\*n \)\n```/);
  assert.match(h.text, /Declared `\( n -- n\*n \)`, inferred `\( n -- n\*n \)`: they agree/);
  assert.match(h.text, /Squares a number\.\s+Used by cube\./);
  assert.match(h.text, new RegExp(`\\[main\\.fs:3:3\\]\\(${t.uri('main.fs').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#L3\\)`));
  assert.match(h.text, /In `cube`/);
});

test('hover on a local, a value written by to, a literal; none on blanks and comments', async () => {
  assert.match((await hover('a b +')).text, /a/);
  assert.match((await hover('limit ;')).text, /^```forth\nlimit \( -- x \)/);
  assert.match((await hover('0 ?do')).text, /Literal/);
  assert.equal(await s.request(proto.HoverRequest.type, { textDocument: doc.id, position: { line: 2, character: 21 } }), null, 'between words');
  assert.equal(await s.request(proto.HoverRequest.type, doc.at('comment')), null, 'in a comment');
  assert.equal(await s.request(proto.HoverRequest.type, { textDocument: doc.id, position: { line: 999, character: 0 } }), null, 'past the end');
});

test('definition and declaration: same file, ticked names, to targets, locals', async () => {
  // "square" occurs as its name (0), in cube (1), in a string (2), in a
  // comment (3) and after ['] (4).
  const nameRange = doc.range('square');
  for (const [needle, nth, want] of [
    ['square', 1, nameRange], // a use
    ['square', 4, nameRange], // ['] square
    ['square', 0, nameRange], // the name itself
    ['limit ;', 0, doc.range('limit')], // to limit
    ['a b +', 0, { start: doc.pos('{ a', { delta: 2 }), end: doc.pos('{ a', { delta: 3 }) }], // the local
  ]) {
    for (const type of [proto.DefinitionRequest.type, proto.DeclarationRequest.type]) {
      const locs = await s.request(type, doc.at(needle, { nth }));
      assert.equal(locs.length, 1, `${type.method} of ${needle} #${nth}`);
      assert.equal(locs[0].uri, doc.uri);
      assert.deepEqual(locs[0].range, want, `${type.method} of ${needle} #${nth}`);
    }
  }
  assert.deepEqual(await s.request(proto.DefinitionRequest.type, doc.at('dup')), [], 'a builtin has no definition in the workspace');
});

test('definition into an included file and on an include path', async () => {
  const text = 'include lib/util.fs\n: main ( n -- n ) helper ;\n';
  const [a] = await s.openAndWait(t.uri('uses.fs'), text);
  const [loc] = await s.request(proto.DefinitionRequest.type, a.at('helper'));
  assert.equal(loc.uri, t.uri('lib/util.fs'));
  assert.deepEqual(loc.range, { start: { line: 0, character: 2 }, end: { line: 0, character: 8 } });
  const [file] = await s.request(proto.DefinitionRequest.type, a.at('util.fs'));
  assert.equal(file.uri, t.uri('lib/util.fs'));
  const links = await s.request(proto.DocumentLinkRequest.type, { textDocument: a.id });
  assert.equal(links.length, 1);
  assert.deepEqual(links[0].range, a.range('lib/util.fs'));
  assert.equal(links[0].target, t.uri('lib/util.fs'));
  // An include that is not found has no link.
  const [b] = await s.openAndWait(t.uri('missing.fs'), 'include nothere.fs\n');
  assert.deepEqual(await s.request(proto.DocumentLinkRequest.type, { textDocument: b.id }), []);
});

test('references: every use, with or without the declaration, never in strings or comments', async () => {
  const ranges = (locs) => locs.map((l) => (assert.equal(l.uri, doc.uri), l.range));
  const all = await s.request(proto.ReferencesRequest.type, { ...doc.at('square', { nth: 1 }), context: { includeDeclaration: true } });
  assert.deepEqual(ranges(all), [0, 1, 4].map((nth) => doc.range('square', { nth })));
  const uses = await s.request(proto.ReferencesRequest.type, { ...doc.at('square'), context: { includeDeclaration: false } });
  assert.deepEqual(ranges(uses), [1, 4].map((nth) => doc.range('square', { nth })));
  const locals = await s.request(proto.ReferencesRequest.type, { ...doc.at('c +'), context: { includeDeclaration: true } });
  assert.equal(locals.length, 2);
});

test('document highlight: the declaration is a write, uses are reads', async () => {
  const hl = await s.request(proto.DocumentHighlightRequest.type, doc.at('square', { nth: 1 }));
  assert.deepEqual(
    hl.map((h) => [h.range, h.kind]),
    [
      [doc.range('square'), proto.DocumentHighlightKind.Write],
      [doc.range('square', { nth: 1 }), proto.DocumentHighlightKind.Read],
      [doc.range('square', { nth: 4 }), proto.DocumentHighlightKind.Read],
    ],
  );
  assert.deepEqual(await s.request(proto.DocumentHighlightRequest.type, doc.at('comment')), []);
});

test('document symbols: a tree of definitions with their effects', async () => {
  const syms = await s.request(proto.DocumentSymbolRequest.type, { textDocument: doc.id });
  const by = Object.fromEntries(syms.map((x) => [x.name, x]));
  assert.deepEqual(Object.keys(by), ['square', 'cube', 'shout', 'counter', 'limit', 'set-limit', 'sum3', 'arr', 'point', 'count-up', 'tick']);
  assert.equal(by.square.detail, '( n -- n*n )');
  assert.equal(by.square.kind, proto.SymbolKind.Function);
  assert.deepEqual(by.square.selectionRange, doc.range('square'));
  assert.deepEqual(by.cube.range, { start: { line: 3, character: 0 }, end: { line: 4, character: 16 } });
  assert.equal(by.counter.kind, proto.SymbolKind.Variable);
  assert.deepEqual(
    by.arr.children.map((c) => [c.name, c.detail]),
    [['does>', '( i -- addr )']],
  );
  assert.equal(by.point.kind, proto.SymbolKind.Struct);
  assert.deepEqual(
    by.point.children.map((c) => [c.name, c.kind]),
    [
      ['p.x', proto.SymbolKind.Field],
      ['p.y', proto.SymbolKind.Field],
    ],
  );
});

test('folding ranges: comment runs, multi-line comments, definitions, control structures', async () => {
  const folds = await s.request(proto.FoldingRangeRequest.type, { textDocument: doc.id });
  const has = (startLine, endLine, kind) =>
    assert.ok(
      folds.some((f) => f.startLine === startLine && f.endLine === endLine && f.kind === kind),
      `a fold ${startLine}-${endLine} ${kind ?? ''} in ${JSON.stringify(folds)}`,
    );
  has(0, 1, 'comment');
  has(3, 4); // cube
  has(10, 12); // arr
  has(17, 20); // count-up
  has(18, 19); // ?do ... loop
  has(21, 22, 'comment');
});

test('semantic tokens: full, range and delta', async () => {
  const legend = s.capabilities.semanticTokensProvider.legend;
  const full = await s.request(proto.SemanticTokensRequest.type, { textDocument: doc.id });
  assert.ok(full.resultId);
  const toks = decodeTokens(full.data, legend);
  // The token covering a position: [type, modifiers, its text].
  const at = (needle, opts) => {
    const p = doc.pos(needle, opts);
    const tk = toks.find((x) => x.line === p.line && x.char <= p.character && p.character < x.char + x.length);
    assert.ok(tk, `a token at ${needle} ${JSON.stringify(opts ?? {})}`);
    return [tk.type, tk.mods, doc.textOf({ start: { line: tk.line, character: tk.char }, end: { line: tk.line, character: tk.char + tk.length } })];
  };
  assert.deepEqual(at('square'), ['function', ['definition'], 'square']);
  assert.deepEqual(at('square', { nth: 1 }), ['function', [], 'square']);
  assert.deepEqual(at('dup'), ['function', ['defaultLibrary'], 'dup']);
  assert.deepEqual(at('?do').filter((_, i) => i !== 1), ['keyword', '?do']);
  assert.deepEqual(at('0 ?do').slice(0, 1), ['number']);
  assert.deepEqual(at('( n -- n*n )').slice(0, 1), ['comment']);
  assert.deepEqual(at('\\ Squares').slice(0, 1), ['comment']);
  assert.deepEqual(at('square', { nth: 2 }).slice(0, 1), ['string'], 'square inside ." "');
  assert.deepEqual(at('square', { nth: 3 }).slice(0, 1), ['comment'], 'square in a comment');
  assert.deepEqual(at('a b +').slice(0, 1), ['variable']);

  // Range: only the tokens of lines 3-4.
  const range = await s.request(proto.SemanticTokensRangeRequest.type, { textDocument: doc.id, range: { start: { line: 3, character: 0 }, end: { line: 5, character: 0 } } });
  const rt = decodeTokens(range.data, legend);
  assert.ok(rt.length > 0);
  assert.ok(rt.every((x) => x.line >= 3 && x.line <= 4), JSON.stringify(rt));
  assert.deepEqual(rt, toks.filter((x) => x.line >= 3 && x.line <= 4));

  // Delta: applied to the previous data, it gives the new full data.
  const [d] = await s.openAndWait('delta.fs', program);
  const first = await s.request(proto.SemanticTokensRequest.type, { textDocument: d.id });
  await d.insert(d.pos('dup square'), '1 drop ');
  const delta = await s.request(proto.SemanticTokensDeltaRequest.type, { textDocument: d.id, previousResultId: first.resultId });
  assert.ok(delta.resultId && delta.resultId !== first.resultId);
  let data = first.data;
  if (delta.edits) {
    data = [...first.data];
    for (const e of [...delta.edits].sort((x, y) => y.start - x.start)) data.splice(e.start, e.deleteCount, ...(e.data ?? []));
  } else {
    data = delta.data;
  }
  const fresh = await s.request(proto.SemanticTokensRequest.type, { textDocument: d.id });
  assert.deepEqual(data, fresh.data);
  // An unknown previous result is answered in full.
  const unknown = await s.request(proto.SemanticTokensDeltaRequest.type, { textDocument: d.id, previousResultId: 'no-such-id' });
  assert.deepEqual(unknown.data, fresh.data);
});
