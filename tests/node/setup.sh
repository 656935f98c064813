# Sourced by the Node.js end-to-end test runners (editors/vscode,
# agents/mcp-ts) from their own directory, with $here and $root set: checks
# for node and npm, installs the npm packages from package-lock.json when
# node_modules is missing or was installed from another lock file, and
# builds the server once unless FASTFORTH_BIN names one.

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

# test_files lists the files matching a glob, one by one: `node --test
# DIR` takes DIR as a file on Node 21 and later, and a quoted glob is only
# expanded by Node 21 and later, so the shell lists them (every Node from
# 18 on accepts that).
test_files() {
  shopt -s nullglob
  files=($1)
  [ ${#files[@]} -gt 0 ] || { echo "run-tests.sh: no test files $1 in $here" >&2; exit 1; }
}
