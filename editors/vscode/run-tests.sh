#!/usr/bin/env bash
# End-to-end tests of `fastforth lsp` through VS Code's JSON-RPC stack
# (vscode-jsonrpc, vscode-languageserver-protocol), and the VS Code
# extension's own checks. Installs the npm packages from package-lock.json
# when node_modules is missing or was installed from another lock file,
# builds the server once (tests/node/setup.sh), and runs `node --test` on
# the test files.
#
#   editors/vscode/run-tests.sh                     # build and test
#   FASTFORTH_BIN=/path/to/fastforth run-tests.sh   # test a given binary
#   run-tests.sh --test-name-pattern hover          # extra node --test flags
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

. "$root/tests/node/setup.sh"
test_files "test/*.test.js"
echo "node $(node --version): ${#files[@]} test files"
node --test "$@" "${files[@]}"
