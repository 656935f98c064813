'use strict';
// The Fast Forth extension: starts `fastforth lsp --stdio` for Forth
// documents and leaves everything else to the language server. Settings
// in the "fastforth" section reach the server through the client's
// workspace/configuration support and workspace/didChangeConfiguration.

const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/**
 * The server executable from fastforth.path: a bare name is looked up on
 * the PATH; a relative path with a directory in it is taken from the first
 * workspace folder.
 */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('fastforth').get('path') || 'fastforth';
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!path.isAbsolute(configured) && configured.includes('/') && folder && folder.uri.scheme === 'file') {
    return path.join(folder.uri.fsPath, configured);
  }
  return configured;
}

/** How to get the server, for the messages that say it is missing. */
const INSTALL_HINT =
  'Install it from a clone of the repository with `go install ./cmd/fastforth`: the binary goes to ' +
  '$(go env GOPATH)/bin (~/go/bin by default), which must be on the PATH VS Code sees; ' +
  'or set fastforth.path to the executable.';

/**
 * The executable a command names, as spawn would find it: a path as it
 * is, a bare name on the PATH. Undefined when there is none.
 */
function findExecutable(command, env = process.env) {
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT || '.EXE;.CMD;.BAT').split(';')] : [''];
  const isFile = (p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (path.isAbsolute(command) || command.includes('/') || command.includes('\\')) {
    return exts.map((e) => command + e).find(isFile);
  }
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const found = exts.map((e) => path.join(dir, command + e)).find(isFile);
    if (found) return found;
  }
  return undefined;
}

async function offerSettings(message) {
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'fastforth.path');
  }
}

function createClient() {
  // TransportKind.stdio appends --stdio to the arguments.
  const executable = { command: serverCommand(), args: ['lsp'], transport: TransportKind.stdio };
  return new LanguageClient(
    'fastforth',
    'Fast Forth',
    { run: executable, debug: executable },
    {
      documentSelector: [
        { scheme: 'file', language: 'forth' },
        { scheme: 'untitled', language: 'forth' },
        // Pattern files get the pattern parser's diagnostics.
        { scheme: 'file', language: 'forth-patterns' },
      ],
      synchronize: { configurationSection: 'fastforth' },
    },
  );
}

async function start() {
  const command = serverCommand();
  if (!findExecutable(command)) {
    await offerSettings(`Fast Forth: the language server "${command}" was not found. ${INSTALL_HINT}`);
    return;
  }
  client = createClient();
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    await offerSettings(
      `Fast Forth: could not start "${command} lsp": ${err && err.message ? err.message : err}. Set fastforth.path to the fastforth executable. ${INSTALL_HINT}`,
    );
  }
}

async function stop() {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

async function restart() {
  await stop();
  await start();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('fastforth.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Other settings are read by the running server; a new executable needs a new process.
      if (e.affectsConfiguration('fastforth.path')) return restart();
      return undefined;
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, findExecutable, INSTALL_HINT };
