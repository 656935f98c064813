#!/usr/bin/env bash
# End-to-end tests of `fastforth mcp` with an independent client: the
# official TypeScript MCP SDK (@modelcontextprotocol/sdk, installed from
# package-lock.json with npm ci) drives the real binary over stdio and
# over streamable HTTP.
#
#   agents/mcp-ts/run-tests.sh                     # build and test
#   FASTFORTH_BIN=/path/to/fastforth run-tests.sh   # test a given binary
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run-tests.sh: $tool is needed (apt-get install nodejs npm)" >&2; exit 1; }
done

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

node --test "$@" test/
