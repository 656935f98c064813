#!/usr/bin/env bash
# Runs the VS Code tests (../run-tests.sh) on Node.js 22, installed from
# npm's `node` package as package-lock.json here locks it: CI proves the
# tests on the machine's Node and on this one. Extra arguments go to
# run-tests.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
stamp=node_modules/.fastforth-installed
want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ ! -x node_modules/.bin/node ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
v="$(node_modules/.bin/node --version)"
case "$v" in
  v22.*) ;;
  *) echo "node22/run.sh: npm's node package gave $v, not Node 22" >&2; exit 1 ;;
esac
PATH="$here/node_modules/.bin:$PATH" exec ../run-tests.sh "$@"
