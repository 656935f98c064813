#!/usr/bin/env bash
# The whole test suite: formatting, vet, and every test (the gforth-backed
# ones need `gforth`; under CI=true they fail rather than skip without it).
set -euo pipefail
cd "$(dirname "$0")"

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt needed on:"; echo "$unformatted"; exit 1
fi
go vet ./...
go test -count=1 ./...
# The VS Code JSON-RPC client's end-to-end tests, the extension's checks,
# the TextMate grammar against its golden tokens and the .vsix's file list
# (Node.js and npm), on the machine's Node...
editors/vscode/run-tests.sh
# ...and on Node 22 from npm's node package (locked in editors/vscode/node22),
# under CI=true or when FASTFORTH_NODE22=1: the test runner's command line
# must suit every Node from 18 on.
if [ "${CI:-}" = true ] || [ "${FASTFORTH_NODE22:-}" = 1 ]; then
  editors/vscode/node22/run.sh
fi
# The MCP server driven by the TypeScript MCP SDK, over stdio and HTTP.
agents/mcp-ts/run-tests.sh
