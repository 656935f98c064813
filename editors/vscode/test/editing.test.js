'use strict';
// Writing code: completion (user words, included words, builtins,
// snippets, file names after include), signature help, inlay hints,
// prepareRename and rename, formatting, and the code actions (quick fixes,
// extract to a new word, add a test), whose edits are applied and checked
// against the diagnostics that follow. Features that not every server
// announces yet are skipped when missing (ifAnnounced).

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { Server, tempTree, proto, rpc, ifAnnounced } = require('../support/server');

let s;
let t;
before(async () => {
  t = tempTree({ 'lib/util.fs': ': helper ( n -- n ) 1+ ;\n: helpless ( -- ) ;\n' });
  s = await Server.start();
});
after(() => {
  s.dispose();
  t.remove();
});

/** Applies TextEdits (non-overlapping, on the same text) to doc as one didChange, from the end as an editor does. */
function applyEdits(doc, edits) {
  assert.ok(edits && edits.length > 0, `edits for ${doc.uri}`);
  const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  return doc.change(sorted.map((e) => ({ range: e.range, text: e.newText })));
}

/** Applies a WorkspaceEdit's edits for doc. */
function applyEdit(doc, edit) {
  return applyEdits(doc, edit.changes[doc.uri]);
}

const codeActions = (doc, range, only, diagnostics = []) =>
  s.request(proto.CodeActionRequest.type, { textDocument: doc.id, range, context: { diagnostics, only } });
const hasKind = (kind) => (c) => c.codeActionProvider && (c.codeActionProvider.codeActionKinds ?? []).includes(kind);

const complete = async (doc, position) => {
  const r = await s.request(proto.CompletionRequest.type, { textDocument: doc.id, position });
  const items = Array.isArray(r) ? r : r.items;
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  return { items, sorted, byLabel: Object.fromEntries(items.map((i) => [i.label, i])) };
};

test('completion: the document words, then included words, then builtins', async () => {
  const text = 'include lib/util.fs\n: square ( n -- n*n ) dup * ;\nvariable sq-count\n: main ( n -- n )  \n';
  const [doc] = await s.openAndWait(t.uri('complete.fs'), text);
  const end = doc.pos('( n -- n )  ', { delta: 12 });
  // "s": the user words first, then standard builtins, then gforth's.
  await doc.insert(end, 's');
  const { sorted, byLabel } = await complete(doc, doc.pos('  s', { delta: 3 }));
  assert.equal(byLabel.square.detail, '( n -- n*n )');
  assert.equal(byLabel.square.kind, proto.CompletionItemKind.Function);
  assert.equal(byLabel['sq-count'].kind, proto.CompletionItemKind.Variable);
  assert.equal(byLabel.swap.detail, '( x1 x2 -- x2 x1 )');
  assert.match(typeof byLabel.swap.documentation === 'string' ? byLabel.swap.documentation : byLabel.swap.documentation.value, /Exchange/);
  const labels = sorted.map((i) => i.label);
  assert.ok(labels.indexOf('square') < labels.indexOf('swap'), 'user words before builtins');
  assert.ok(labels.every((l) => l.toLowerCase().startsWith('s')), 'only words starting with the prefix');
  // "hel": words of the included file.
  await doc.insert(doc.pos('  s', { delta: 3 }), 'x hel');
  const inc = await complete(doc, doc.pos('x hel', { delta: 5 }));
  assert.equal(inc.byLabel.helper.detail, '( n -- n )');
  assert.ok(inc.byLabel.helpless);
});

test('completion: snippets for control structures and a new definition', async () => {
  const [doc] = await s.openAndWait('snippets.fs', ': a ( f -- )  i\n');
  const { byLabel } = await complete(doc, doc.pos('  i', { delta: 3 }));
  const ifThen = byLabel['if … then'];
  assert.ok(ifThen, Object.keys(byLabel).join(', '));
  assert.equal(ifThen.kind, proto.CompletionItemKind.Snippet);
  assert.equal(ifThen.insertTextFormat, proto.InsertTextFormat.Snippet);
  assert.match(ifThen.insertText, /^if\n\t\$0\nthen$/);
  assert.ok(byLabel['if … else … then']);
  assert.ok(byLabel.if, 'the builtin if too');
  const [d2] = await s.openAndWait('snippets2.fs', ':');
  const colon = await complete(d2, { line: 0, character: 1 });
  assert.match(colon.byLabel[': name ( -- ) ;'].insertText, /^: \$\{1:name\} \( \$\{2\} -- \$\{3\} \)/);
  const [d3] = await s.openAndWait('snippets3.fs', ': a ( n -- ) 0 do');
  const doSnips = await complete(d3, { line: 0, character: 17 });
  assert.ok(doSnips.byLabel['do … +loop']);
});

test('signature help: the effect of the word just typed and the stack before it', async () => {
  const [doc] = await s.openAndWait('sig.fs', ': a ( x y -- y x ) swap');
  // The blank just typed triggers it, as in VS Code.
  await doc.insert(doc.pos('swap', { delta: 4 }), ' ');
  const after = await s.request(proto.SignatureHelpRequest.type, {
    ...doc.at('swap', { delta: 5 }),
    context: { triggerKind: proto.SignatureHelpTriggerKind.TriggerCharacter, triggerCharacter: ' ', isRetrigger: false },
  });
  assert.equal(after.signatures.length, 1);
  assert.equal(after.signatures[0].label, 'swap ( x1 x2 -- x2 x1 )');
  assert.match(after.signatures[0].documentation.value, /Stack before it: `\( x y \)`/);
  const on = await s.request(proto.SignatureHelpRequest.type, doc.at('swap', { delta: 1 }));
  assert.equal(on.signatures[0].label, 'swap ( x1 x2 -- x2 x1 )');
  assert.equal(await s.request(proto.SignatureHelpRequest.type, doc.at('( x y', { delta: 2 })), null, 'nothing in a comment');
});

test('inlay hints: the inferred effect after a definition without a stack comment', async () => {
  const [doc] = await s.openAndWait('inlay.fs', ': double  2* ;\n: sq ( n -- n ) dup * ;\n: both  dup double swap sq ;\n');
  const all = await s.request(proto.InlayHintRequest.type, { textDocument: doc.id, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } });
  // The labels are what fastforth/infer (and `fastforth infer`) infer.
  const inferred = Object.fromEntries((await s.request('fastforth/infer', { textDocument: doc.id })).map((d) => [d.name, d.inferred]));
  assert.equal(inferred.double, '( x -- x2 )');
  assert.deepEqual(
    all.map((h) => [h.position, h.label, h.kind, h.paddingLeft]),
    [
      [doc.pos('double', { delta: 6 }), inferred.double, proto.InlayHintKind.Type, true],
      [doc.pos('both', { delta: 4 }), inferred.both, proto.InlayHintKind.Type, true],
    ],
  );
  const first = await s.request(proto.InlayHintRequest.type, { textDocument: doc.id, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } } });
  assert.equal(first.length, 1, 'only the hints in the range');
});

test('prepareRename and rename of a user word, a local; refused for builtins and others', async () => {
  const text = 'include lib/util.fs\n: square ( n -- n*n ) dup * ;\n: cube ( n -- n^3 ) dup square * ;\n: t ( -- xt ) [\'] square ;\n: l { a -- b } a a + ;\n." square" \\ square\n: u ( -- ) helper zork ;\n';
  const [doc] = await s.openAndWait(t.uri('rename.fs'), text);
  const prep = await s.request(proto.PrepareRenameRequest.type, doc.at('square', { nth: 1 }));
  assert.deepEqual(prep, { range: doc.range('square', { nth: 1 }), placeholder: 'square' });
  const edit = await s.request(proto.RenameRequest.type, { ...doc.at('square', { nth: 1 }), newName: 'sq' });
  assert.deepEqual(Object.keys(edit.changes), [doc.uri]);
  assert.deepEqual(
    edit.changes[doc.uri].map((e) => [e.range, e.newText]),
    [0, 1, 2].map((nth) => [doc.range('square', { nth }), 'sq']),
    'the name, the use and the ticked name; not the string or the comment',
  );
  await applyEdit(doc, edit);
  assert.match(doc.text, /: sq \( n -- n\*n \) dup \* ;\n: cube \( n -- n\^3 \) dup sq \* ;\n: t \( -- xt \) \['\] sq ;/);
  assert.deepEqual((await s.diagnostics.forVersion(doc.uri, doc.version)).diagnostics.map((d) => d.message), ['undefined word zork']);

  const local = await s.request(proto.RenameRequest.type, { ...doc.at('a a +'), newName: 'x' });
  assert.equal(local.changes[doc.uri].length, 3);

  // A word of an included file: its definition there is renamed too.
  const inc = await s.request(proto.RenameRequest.type, { ...doc.at('helper'), newName: 'assist' });
  assert.deepEqual(inc.changes[t.uri('lib/util.fs')], [{ range: { start: { line: 0, character: 2 }, end: { line: 0, character: 8 } }, newText: 'assist' }]);
  assert.deepEqual(inc.changes[doc.uri].map((e) => e.range), [doc.range('helper')]);

  const RequestFailed = -32803;
  for (const [needle, why] of [
    ['dup', /builtin/],
    ['zork', /not defined/],
    ['lib/util.fs', /include/],
  ]) {
    const e1 = await s.requestError(proto.PrepareRenameRequest.type, doc.at(needle), RequestFailed);
    assert.match(e1.message, why);
    const e2 = await s.requestError(proto.RenameRequest.type, { ...doc.at(needle), newName: 'other' }, RequestFailed);
    assert.match(e2.message, why);
  }
  assert.equal(await s.request(proto.PrepareRenameRequest.type, { textDocument: doc.id, position: { line: 99, character: 0 } }), null, 'no word there');
  await s.requestError(proto.RenameRequest.type, { ...doc.at('sq'), newName: 'two words' }, rpc.ErrorCodes.InvalidParams);
  await s.requestError(proto.RenameRequest.type, { ...doc.at('sq'), newName: '' }, rpc.ErrorCodes.InvalidParams);
});

test('code action: insert the inferred stack comment; applying it settles the definition', async () => {
  const [doc, diags] = await s.openAndWait('ca-insert.fs', ': double  2* ;\n');
  assert.deepEqual(diags.map((d) => d.code), ['missing-stack-comment']);
  const actions = await s.request(proto.CodeActionRequest.type, { textDocument: doc.id, range: diags[0].range, context: { diagnostics: diags, only: [proto.CodeActionKind.QuickFix] } });
  assert.equal(actions.length, 1);
  const [a] = actions;
  assert.equal(a.title, 'Insert the inferred stack comment ( x -- x2 )');
  assert.equal(a.kind, proto.CodeActionKind.QuickFix);
  assert.equal(a.isPreferred, true);
  const v = await applyEdit(doc, a.edit);
  assert.equal(doc.text, ': double ( x -- x2 )  2* ;\n');
  assert.deepEqual((await s.diagnostics.forVersion(doc.uri, v)).diagnostics, []);
  const verified = await s.request('fastforth/infer', { textDocument: doc.id });
  assert.equal(verified[0].status, 'verified');
});

test('code action: correct a stack comment that disagrees, keeping parsed names', async () => {
  const text = ': wrong ( a b -- c ) over + ;\n: mk ( n "name" -- ) create , 1 ;\n: fine ( n -- n ) ;\n';
  const [doc, diags] = await s.openAndWait('ca-correct.fs', text);
  assert.deepEqual(diags.map((d) => d.code), ['effect-mismatch', 'effect-mismatch']);
  const whole = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
  const actions = await s.request(proto.CodeActionRequest.type, { textDocument: doc.id, range: whole, context: { diagnostics: diags, only: [proto.CodeActionKind.QuickFix] } });
  assert.deepEqual(actions.map((a) => a.title), ['Correct the stack comment to ( a b -- a x1 )', 'Correct the stack comment to ( "name" n -- x1 )']);
  assert.ok(actions.every((a) => !a.isPreferred), 'a correction is not preferred: the body may be what is wrong');
  // Apply both (from the end of the text) and the mismatches are gone.
  const merged = { changes: { [doc.uri]: actions.flatMap((a) => a.edit.changes[doc.uri]) } };
  const v = await applyEdit(doc, merged);
  assert.equal(doc.text, ': wrong ( a b -- a x1 ) over + ;\n: mk ( "name" n -- x1 ) create , 1 ;\n: fine ( n -- n ) ;\n');
  assert.deepEqual((await s.diagnostics.forVersion(doc.uri, v)).diagnostics, []);
  // Only the definitions the range touches.
  const one = await s.request(proto.CodeActionRequest.type, { textDocument: doc.id, range: doc.range('fine'), context: { diagnostics: [], only: [proto.CodeActionKind.QuickFix] } });
  assert.deepEqual(one, []);
});

test('code action: define an undefined word as a stub that adds no error', async () => {
  const [doc, diags] = await s.openAndWait('ca-stub.fs', ': a ( n -- n ) frob 1+ ;\n');
  assert.deepEqual(diags.map((d) => d.message), ['undefined word frob']);
  const actions = await codeActions(doc, diags[0].range, [proto.CodeActionKind.QuickFix], diags);
  const stub = actions.find((a) => a.title.startsWith('Define `frob`'));
  assert.ok(stub, actions.map((a) => a.title).join(' | '));
  assert.equal(stub.isPreferred, true);
  assert.deepEqual(stub.diagnostics, diags, 'it names the diagnostic it fixes');
  const v = await applyEdit(doc, stub.edit);
  assert.ok(doc.text.indexOf(': frob') < doc.text.indexOf(': a '), 'the stub comes before its first use');
  assert.deepEqual((await s.diagnostics.forVersion(doc.uri, v)).diagnostics.filter((d) => d.severity === proto.DiagnosticSeverity.Error), []);
});

test('code action: extract the selection to a new word', ifAnnounced(hasKind('refactor.extract'), 'refactor.extract', async () => {
  const [doc] = await s.openAndWait('ca-extract.fs', ': b ( n -- n ) dup * 1+ ;\n');
  const before = (await s.request('fastforth/infer', { textDocument: doc.id, name: 'b' }))[0];
  const [a] = await codeActions(doc, doc.range('dup * 1+'), [proto.CodeActionKind.RefactorExtract]);
  assert.equal(a.kind, proto.CodeActionKind.RefactorExtract);
  assert.match(a.title, /^Extract to new word `(\S+)`/);
  const name = /`(\S+)`/.exec(a.title)[1];
  const v = await applyEdit(doc, a.edit);
  assert.equal(doc.text.split(name).length - 1, 2, `${name} defined once and used once:\n${doc.text}`);
  assert.ok(doc.text.indexOf(`: ${name}`) < doc.text.indexOf(': b '));
  assert.deepEqual((await s.diagnostics.forVersion(doc.uri, v)).diagnostics, []);
  const after = (await s.request('fastforth/infer', { textDocument: doc.id, name: 'b' }))[0];
  assert.equal(after.inferred, before.inferred, 'the definition does what it did');
  // No selection, no extraction.
  assert.deepEqual(await codeActions(doc, { start: doc.pos('dup'), end: doc.pos('dup') }, [proto.CodeActionKind.RefactorExtract]), []);
}));

test('code action: add a test skeleton for a definition', ifAnnounced(hasKind('source.addTest'), 'source.addTest', async () => {
  const [doc] = await s.openAndWait('ca-test.fs', ': inc ( n -- n ) 1+ ;\n');
  const actions = await codeActions(doc, doc.range('inc'), ['source.addTest']);
  assert.equal(actions.length, 1);
  const [a] = actions;
  assert.equal(a.title, 'Add test for `inc`');
  await applyEdit(doc, a.edit);
  assert.match(doc.text, /^: inc \( n -- n \) 1\+ ;\n/);
  assert.match(doc.text, /T\{ .*\binc\b.* -> .*\}T/);
}));

test('formatting re-indents definitions; formatting again changes nothing', ifAnnounced((c) => c.documentFormattingProvider, 'formatting', async () => {
  const text = ': messy ( n -- n )\ndup 0< if\nnegate\n   then\n        1+ ;\n: ok ( -- )\n  1 drop ;\n';
  const [doc, diags] = await s.openAndWait('format.fs', text);
  const options = { tabSize: 2, insertSpaces: true };
  const edits = await s.request(proto.DocumentFormattingRequest.type, { textDocument: doc.id, options });
  const v = await applyEdits(doc, edits);
  assert.equal(doc.text, ': messy ( n -- n )\n  dup 0< if\n    negate\n  then\n  1+ ;\n: ok ( -- )\n  1 drop ;\n');
  assert.deepEqual((await s.diagnostics.forVersion(doc.uri, v)).diagnostics, diags, 'formatting changes no meaning');
  assert.deepEqual(await s.request(proto.DocumentFormattingRequest.type, { textDocument: doc.id, options }), []);
  // Tabs when the editor indents with tabs.
  const tabs = await s.request(proto.DocumentFormattingRequest.type, { textDocument: doc.id, options: { tabSize: 4, insertSpaces: false } });
  await applyEdits(doc, tabs);
  assert.equal(doc.text, ': messy ( n -- n )\n\tdup 0< if\n\t\tnegate\n\tthen\n\t1+ ;\n: ok ( -- )\n\t1 drop ;\n');
}));

test('range formatting changes only the lines of the range', ifAnnounced((c) => c.documentRangeFormattingProvider, 'range formatting', async () => {
  const [doc] = await s.openAndWait('rformat.fs', ': messy ( n -- n )\ndup 0< if\nnegate\n   then\n        1+ ;\n');
  const edits = await s.request(proto.DocumentRangeFormattingRequest.type, {
    textDocument: doc.id,
    range: { start: { line: 2, character: 0 }, end: { line: 2, character: 6 } },
    options: { tabSize: 2, insertSpaces: true },
  });
  await applyEdits(doc, edits);
  assert.equal(doc.text, ': messy ( n -- n )\ndup 0< if\n    negate\n   then\n        1+ ;\n');
}));

test('completion after include: file and directory names', async () => {
  const t2 = tempTree({ 'lib/util.fs': '', 'lib/more/x.fs': '', 'main.fs': '', 'notes.txt': '' });
  try {
    const [doc] = await s.openAndWait(t2.uri('main.fs'), 'include li');
    const { items } = await complete(doc, { line: 0, character: 10 });
    const dir = items.find((i) => i.label === 'lib/');
    assert.ok(dir, items.map((i) => i.label).slice(0, 20).join(', '));
    assert.equal(dir.kind, proto.CompletionItemKind.Folder);
    assert.deepEqual(dir.textEdit.range, { start: { line: 0, character: 8 }, end: { line: 0, character: 10 } });
    await doc.change([{ range: dir.textEdit.range, text: dir.textEdit.newText }]);
    const inLib = await complete(doc, { line: 0, character: 12 });
    const labels = inLib.items.map((i) => i.label);
    assert.ok(labels.includes('util.fs') || labels.includes('lib/util.fs'), labels.join(', '));
    assert.ok(!labels.some((l) => l.endsWith('notes.txt')), 'only Forth files');
  } finally {
    t2.remove();
  }
});

/** The text a snippet inserts with every placeholder at its default. */
function expandSnippet(body) {
  return body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '');
}

test('pattern snippets expand to definitions that verify', ifAnnounced((c) => c.executeCommandProvider && c.executeCommandProvider.commands.includes('fastforth.patterns'), 'the pattern library', async () => {
  const [doc] = await s.openAndWait('patterns.fs', 'sum');
  const { items } = await complete(doc, { line: 0, character: 3 });
  const pats = items.filter((i) => i.kind === proto.CompletionItemKind.Snippet && /^pattern /.test(i.detail ?? ''));
  assert.ok(pats.length > 0, items.map((i) => i.label).slice(0, 30).join(', '));
  for (const p of pats) {
    assert.equal(p.insertTextFormat, proto.InsertTextFormat.Snippet);
    const code = expandSnippet(p.insertText);
    const r = await s.request('fastforth/verify', { text: code });
    assert.equal(r.verified, true, `${p.label}:\n${code}\n${JSON.stringify(r.diagnostics)}`);
    assert.ok(r.definitions.length >= 1, code);
    for (const d of r.definitions) assert.equal(d.status, 'verified', `${d.name} in\n${code}`);
  }
  // Too short a prefix lists no patterns.
  const [one] = await s.openAndWait('patterns1.fs', 's');
  const few = await complete(one, { line: 0, character: 1 });
  assert.ok(!few.items.some((i) => /^pattern /.test(i.detail ?? '')));
}));
