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

. "$root/tests/node/setup.sh"
test_files "test/*.test.mjs"
node --test "$@" "${files[@]}"
