#!/usr/bin/env bash
# End-to-end tests of `fastforth lsp` through VS Code's JSON-RPC stack
# (vscode-jsonrpc, vscode-languageserver-protocol), and the VS Code
# extension's own checks. Installs the npm packages from package-lock.json
# when node_modules is missing or was installed from another lock file,
# builds the server once, and runs `node --test` on the test files, named
# one by one: `node --test test/` takes test/ as a file on Node 21 and
# later, and a quoted glob is only expanded by Node 21 and later, so the
# shell lists them (every Node from 18 on accepts that).
#
#   editors/vscode/run-tests.sh                     # build and test
#   FASTFORTH_BIN=/path/to/fastforth run-tests.sh   # test a given binary
#   run-tests.sh --test-name-pattern hover          # extra node --test flags
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run-tests.sh: $tool is needed (apt-get install nodejs npm)" >&2; exit 1; }
done

# The lock file (and package.json) that node_modules was installed from.
stamp=node_modules/.fastforth-installed
want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi

if [ -z "${FASTFORTH_BIN:-}" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$root" && go build -o "$tmp/fastforth" ./cmd/fastforth)
  export FASTFORTH_BIN="$tmp/fastforth"
fi

shopt -s nullglob
files=(test/*.test.js)
[ ${#files[@]} -gt 0 ] || { echo "run-tests.sh: no test files in $here/test" >&2; exit 1; }
echo "node $(node --version): ${#files[@]} test files"
node --test "$@" "${files[@]}"
