'use strict';
// The Fast Forth extension: starts `fastforth lsp --stdio` for Forth
// documents and leaves everything else to the language server. Settings
// in the "fastforth" section reach the server through the client's
// workspace/configuration support and workspace/didChangeConfiguration.

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
  client = createClient();
  try {
    await client.start();
  } catch (err) {
    const command = serverCommand();
    client = undefined;
    const choice = await vscode.window.showErrorMessage(
      `Fast Forth: could not start "${command} lsp": ${err && err.message ? err.message : err}. Set fastforth.path to the fastforth executable (go install ./cmd/fastforth).`,
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'fastforth.path');
    }
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

module.exports = { activate, deactivate };
