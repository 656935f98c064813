'use strict';
// The TextMate grammar (syntaxes/forth.tmLanguage.json), run by VS Code's
// own tokenizer (vscode-textmate with the Oniguruma regular expressions of
// vscode-oniguruma) on test/grammar/*.fs, against the golden token files
// next to them (*.fs.tokens): each line of a sample, then each of its
// tokens that has a scope beyond source.forth, with those scopes.
//
//   UPDATE_GOLDEN=1 node --test test/grammar.test.js   # rewrite the goldens

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.resolve(__dirname, '..');
const grammarPath = path.join(root, 'syntaxes', 'forth.tmLanguage.json');
const samples = path.join(__dirname, 'grammar');

let grammarPromise;
function grammar() {
  if (!grammarPromise) {
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
    const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
    const registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (scopeName) =>
        scopeName === 'source.forth' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    grammarPromise = registry.loadGrammar('source.forth');
  }
  return grammarPromise;
}

/** Tokenizes text; returns, per line, its tokens as [text, scopes]. */
async function tokenize(text) {
  const g = await grammar();
  assert.ok(g, 'the grammar did not load');
  let stack = vsctm.INITIAL;
  const out = [];
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, stack);
    out.push(r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes.filter((s) => s !== 'source.forth')]));
    stack = r.ruleStack;
  }
  return out;
}

/** The golden text of a sample. */
async function render(text) {
  const lines = text.split('\n');
  const toks = await tokenize(text);
  let out = '';
  lines.forEach((line, i) => {
    if (i === lines.length - 1 && line === '') return;
    out += `${line}\n`;
    for (const [t, scopes] of toks[i]) {
      if (scopes.length) out += `  ${JSON.stringify(t)} ${scopes.join(' ')}\n`;
    }
  });
  return out;
}

/** The scopes of the first token whose text is t on the line that holds it. */
async function scopesOf(text, t, n = 0) {
  for (const line of await tokenize(text)) {
    for (const [x, scopes] of line) {
      if (x === t && n-- === 0) return scopes.join(' ');
    }
  }
  return undefined;
}

test('the grammar is valid JSON with the scope the manifest names', () => {
  const g = JSON.parse(fs.readFileSync(grammarPath, 'utf8'));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.equal(g.scopeName, 'source.forth');
  const entry = pkg.contributes.grammars.find((x) => x.language === 'forth');
  assert.ok(entry, 'no grammar for forth in package.json');
  assert.equal(entry.scopeName, 'source.forth');
  assert.equal(path.resolve(root, entry.path), grammarPath);
});

for (const name of fs.readdirSync(samples).filter((n) => n.endsWith('.fs'))) {
  test(`golden tokens of ${name}`, async () => {
    const text = fs.readFileSync(path.join(samples, name), 'utf8');
    const got = await render(text);
    const golden = path.join(samples, `${name}.tokens`);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, got);
    assert.equal(got, fs.readFileSync(golden, 'utf8'), `tokens of ${name} differ from ${golden} (UPDATE_GOLDEN=1 rewrites it)`);
  });
}

// The rules the goldens rely on, stated one by one.
test('comments: \\ to the end of the line, ( ) over lines, \\G', async () => {
  const text = '\\ dup here\n( a\n dup -- b ) dup\n\\G doc\nx\\ y\n';
  assert.equal(await scopesOf(text, '\\ dup here'), 'comment.line.backslash.forth');
  assert.equal(await scopesOf(text, ' dup '), 'comment.block.paren.forth');
  assert.equal(await scopesOf(text, '\\G doc'), 'comment.line.documentation.forth');
  // After the comment, dup is code again; x\ is a word, not a comment.
  const lines = await tokenize(text);
  assert.deepEqual(lines[2].at(-1), ['dup', []]);
  assert.deepEqual(lines[4][0], ['x\\', []]);
});

test('strings of every parsing word, with s\\" escapes', async () => {
  const text = ': f s" a b" c" c" ." d" abort" e" .( f) s\\" x\\"y\\n" ;\n';
  for (const w of ['s"', 'c"', '."', 'abort"', '.(', 's\\"']) {
    assert.match(await scopesOf(text, w), /keyword\.other\.string\.forth/, w);
  }
  assert.match(await scopesOf(text, '\\"'), /constant\.character\.escape\.forth/);
  assert.match(await scopesOf(text, ' a b'), /string\.quoted\.double\.forth/);
  assert.equal(await scopesOf(text, ';'), 'keyword.other.definition.forth');
});

test('numbers with prefixes, characters, definitions, control words, [if]', async () => {
  const text = '$ff #10 %101 &7 -3 1. 1e \'a\' char b [char] c : nm ( -- ) if then ; variable v [if] [then]\n';
  assert.equal(await scopesOf(text, '$ff'), 'constant.numeric.hex.forth');
  assert.equal(await scopesOf(text, '#10'), 'constant.numeric.decimal.forth');
  assert.equal(await scopesOf(text, '%101'), 'constant.numeric.binary.forth');
  assert.equal(await scopesOf(text, '&7'), 'constant.numeric.decimal.forth');
  assert.equal(await scopesOf(text, '-3'), 'constant.numeric.forth');
  assert.equal(await scopesOf(text, '1.'), 'constant.numeric.forth');
  assert.equal(await scopesOf(text, '1e'), 'constant.numeric.float.forth');
  assert.equal(await scopesOf(text, "'a'"), 'constant.character.forth');
  assert.equal(await scopesOf(text, 'b'), 'constant.character.forth');
  assert.equal(await scopesOf(text, 'c'), 'constant.character.forth');
  assert.equal(await scopesOf(text, 'nm'), 'entity.name.function.forth');
  assert.equal(await scopesOf(text, 'if'), 'keyword.control.forth');
  assert.equal(await scopesOf(text, 'v'), 'entity.name.variable.forth');
  assert.equal(await scopesOf(text, '[if]'), 'keyword.control.conditional.forth');
});
