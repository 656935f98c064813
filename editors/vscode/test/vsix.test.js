'use strict';
// The .vsix: built with @vscode/vsce (locked in package-lock.json) from
// this directory, as `npm run package` does, and its file list checked:
// the manifest, the extension, the grammar, the language configuration,
// README and LICENSE, and the runtime dependency (vscode-languageclient
// and what it needs); no tests, test support, CI files or development
// dependencies. vsce runs on Node 20 or later: on an older Node the test
// is skipped (CI also runs the suite on Node 22).

const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const major = Number(process.versions.node.split('.')[0]);

/** The names of the entries of a zip file, from its central directory. */
function zipEntries(file) {
  const b = fs.readFileSync(file);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, `${file} is not a zip file`);
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    assert.equal(b.readUInt32LE(p), 0x02014b50, 'bad central directory entry');
    const n = b.readUInt16LE(p + 28);
    const x = b.readUInt16LE(p + 30);
    const c = b.readUInt16LE(p + 32);
    names.push(b.toString('utf8', p + 46, p + 46 + n));
    p += 46 + n + x + c;
  }
  return names;
}

test('the .vsix holds the extension and nothing of the tests', { skip: major < 20 && `vsce needs Node 20 or later (this is ${process.version})`, timeout: 120000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fastforth-vsix-'));
  try {
    const out = path.join(dir, 'fastforth.vsix');
    const vsce = require.resolve('@vscode/vsce/vsce');
    execFileSync(process.execPath, [vsce, 'package', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const names = zipEntries(out);
    const files = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    for (const want of ['package.json', 'extension.js', 'language-configuration.json', 'syntaxes/forth.tmLanguage.json',
      'readme.md', 'LICENSE.txt', 'node_modules/vscode-languageclient/package.json', 'node_modules/vscode-jsonrpc/package.json',
      'node_modules/vscode-languageserver-protocol/package.json']) {
      assert.ok(files.some((f) => f.toLowerCase() === want.toLowerCase()), `${want} missing from the .vsix: ${files.join(' ')}`);
    }
    const allowed = /^(package\.json|extension\.js|language-configuration\.json|syntaxes\/forth\.tmLanguage\.json|readme\.md|LICENSE\.txt|node_modules\/(vscode-languageclient|vscode-jsonrpc|vscode-languageserver-protocol|vscode-languageserver-types|vscode-languageserver-textdocument|minimatch|brace-expansion|balanced-match|semver)\/.*)$/i;
    const odd = files.filter((f) => !allowed.test(f));
    assert.deepEqual(odd, [], `files that do not belong in the .vsix: ${odd.join(' ')}`);
    for (const dev of ['vscode-textmate', 'vscode-oniguruma', '@vscode/vsce']) {
      assert.ok(!files.some((f) => f.startsWith(`node_modules/${dev}/`)), `development dependency ${dev} packaged`);
    }
    assert.ok(names.includes('extension.vsixmanifest'), 'no extension.vsixmanifest');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
