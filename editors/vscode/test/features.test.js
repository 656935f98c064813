'use strict';
// The LSP 3.17/3.18 features of Fast Forth no other Forth server has,
// through VS Code's own client stack against the real binary: call
// hierarchy (workspace-wide), code lenses (verdict, uses, "Run tests",
// whose command runs the T{ }T tests and reports failures as
// diagnostics), selection ranges and textDocument/rangesFormatting.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Server, tempTree, proto, defaultCapabilities } = require('../support/server');

const files = {
  'lib.fs': ': square ( n -- n*n ) dup * ;\n: cube ( n -- n*n*n ) dup square * ;\n',
  'main.fs': 'require lib.fs\n: quad ( n -- n^4 ) square square ;\nT{ 2 quad -> 16 }T\nT{ 3 quad -> 80 }T\n',
  'other/use.fs': 'require ../lib.fs\n: sum-sq ( a b -- c ) square swap square + ;\n',
};

async function withWorkspace(fn) {
  const t = tempTree(files);
  const folder = { uri: t.uri('').replace(/\/$/, ''), name: 'proj' };
  const s = await Server.start({ capabilities: defaultCapabilities, initialize: { rootUri: folder.uri, workspaceFolders: [folder] } });
  try {
    await s.messages.wait((m) => m.method === '$/progress' && m.params.value.kind === 'end', 'the end of the first indexing');
    await fn(s, t);
  } finally {
    s.dispose();
    t.remove();
  }
}

test('call hierarchy: prepare, incoming calls across files, outgoing calls', () => withWorkspace(async (s, t) => {
  const caps = s.capabilities;
  assert.ok(caps.callHierarchyProvider, 'callHierarchyProvider');
  const [doc] = await s.openAndWait(t.uri('main.fs'), files['main.fs']);
  const items = await s.request(proto.CallHierarchyPrepareRequest.type, doc.at('square'));
  assert.equal(items.length, 1);
  assert.equal(items[0].name, 'square');
  assert.equal(items[0].uri, t.uri('lib.fs'));
  const incoming = await s.request(proto.CallHierarchyIncomingCallsRequest.type, { item: items[0] });
  const callers = incoming.map((c) => `${c.from.name}:${c.fromRanges.length}`).sort();
  assert.deepEqual(callers, ['cube:1', 'quad:2', 'sum-sq:2']);
  const [quad] = await s.request(proto.CallHierarchyPrepareRequest.type, doc.at('quad'));
  const outgoing = await s.request(proto.CallHierarchyOutgoingCallsRequest.type, { item: quad });
  assert.deepEqual(outgoing.map((c) => `${c.to.name}:${c.fromRanges.length}`), ['square:2']);
}));

test('code lenses: verdict, uses, and Run tests with failures as diagnostics', () => withWorkspace(async (s, t) => {
  assert.ok(s.capabilities.codeLensProvider, 'codeLensProvider');
  const [doc] = await s.openAndWait(t.uri('main.fs'), files['main.fs']);
  const lenses = await s.request(proto.CodeLensRequest.type, { textDocument: doc.id });
  const titles = lenses.filter((l) => l.range.start.line === 1).map((l) => l.command.title);
  assert.deepEqual(titles, ['verified ( n -- n^4 )', '2 uses', 'Run tests (2)']);
  const run = lenses.find((l) => l.command.command === 'fastforth.runTests');
  const mark = s.diagnostics.mark;
  const res = await s.request(proto.ExecuteCommandRequest.type, { command: run.command.command, arguments: run.command.arguments });
  assert.equal(res.passed, 1);
  assert.equal(res.failed, 1);
  const p = await s.diagnostics.next(doc.uri, { from: mark, pred: (p) => p.diagnostics.some((d) => d.code === 'test-failed'), what: 'the failing test' });
  const failed = p.diagnostics.filter((d) => d.code === 'test-failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].range.start.line, 3);
  assert.equal(doc.textOf(failed[0].range), 'T{ 3 quad -> 80 }T');
}));

test('selection ranges grow from the word to the definition', async () => {
  const s = await Server.start();
  try {
    assert.ok(s.capabilities.selectionRangeProvider, 'selectionRangeProvider');
    const text = ': f ( n -- )\n  0 ?do\n    i dup * .\n  loop ;\n';
    const [doc] = await s.openAndWait('select.fs', text);
    const [r] = await s.request(proto.SelectionRangeRequest.type, { textDocument: doc.id, positions: [doc.pos('dup')] });
    const chain = [];
    for (let x = r; x; x = x.parent) chain.push(doc.textOf(x.range));
    assert.deepEqual(chain, ['dup', 'i dup * .', '?do\n    i dup * .\n  loop', text.trimEnd()]);
  } finally {
    s.dispose();
  }
});

test('rangesFormatting formats several ranges in one request', async () => {
  const s = await Server.start();
  try {
    const rf = s.capabilities.documentRangeFormattingProvider;
    assert.equal(rf && rf.rangesSupport, true, 'rangesSupport');
    const text = ': f ( -- )\n1 drop ;\n: g ( -- )\n2 drop ;\n: h ( -- )\n3 drop ;\n';
    const [doc] = await s.openAndWait('ranges.fs', text);
    const line = (n) => ({ start: { line: n, character: 0 }, end: { line: n + 1, character: 0 } });
    const edits = await s.request(proto.DocumentRangesFormattingRequest.type, {
      textDocument: doc.id, ranges: [line(1), line(5)], options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(edits.map((e) => [e.range.start.line, e.newText]), [[1, '  '], [5, '  ']]);
  } finally {
    s.dispose();
  }
});
