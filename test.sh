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
# The VS Code JSON-RPC client's end-to-end tests (Node.js and npm).
editors/vscode/run-tests.sh
# The MCP server driven by the TypeScript MCP SDK, over stdio and HTTP.
agents/mcp-ts/run-tests.sh
