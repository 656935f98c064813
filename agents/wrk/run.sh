#!/usr/bin/env bash
# Load test of `fastforth serve` on the loopback with wrk (apt-get install
# wrk) and the in-repo load generator (`fastforth bench load`):
#
#   agents/wrk/run.sh                 # 10 s per run
#   DURATION=30s CONNS=32 agents/wrk/run.sh
#   FASTFORTH_BIN=/path/to/fastforth agents/wrk/run.sh
#
# For every route: requests/s, p50/p99 and the server's CPU per request
# (which other load on the machine does not change) as fast as the server answers,
# with the same body each time ("same": answered from the answer cache
# after the first) and with a new word in every body ("unique": every
# request analysed); then verify at half its unique rate, open loop
# (latency counted from when each request was due), for p99.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${DURATION:-10s}"
conns="${CONNS:-16}"
command -v wrk >/dev/null || { echo "run.sh: wrk is needed (apt-get install wrk)" >&2; exit 1; }

tmp="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
if [ -z "${FASTFORTH_BIN:-}" ]; then
  (cd "$root" && go build -o "$tmp/fastforth" ./cmd/fastforth)
  FASTFORTH_BIN="$tmp/fastforth"
fi

# The server says where it listens on its first line of stderr.
mkfifo "$tmp/err"
"$FASTFORTH_BIN" serve --addr 127.0.0.1:0 --access-log off --root "$tmp" 2>"$tmp/err" &
pid=$!
exec 3<"$tmp/err"
read -r line <&3
addr="$(echo "$line" | grep -o 'http://[0-9.:]*')"
cat <&3 >/dev/null &

# The server's CPU time (user + system) in clock ticks.
ticks="$(getconf CLK_TCK)"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

echo "fastforth serve at $addr; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t1 -c$conns -d$duration"
for route in health words patterns verify infer check compose generate; do
  modes="same unique"
  case "$route" in health|words|patterns) modes="same" ;; esac
  for mode in $modes; do
    printf '%-9s %-7s ' "$route" "$mode"
    before="$(cpu)"
    out="$(wrk -t1 -c"$conns" -d"$duration" -s "$here/api.lua" "$addr" -- "$route" "$mode" | tail -1)"
    after="$(cpu)"
    n="$(echo "$out" | grep -o 'requests [0-9]*' | cut -d' ' -f2)"
    echo "${out% requests*}  server CPU $(( (after - before) * 1000000 / ticks / (n > 0 ? n : 1) )) µs/request"
  done
done

# verify, unique bodies, at half the rate wrk reached: the p99.
rate="$(wrk -t1 -c"$conns" -d"$duration" -s "$here/api.lua" "$addr" -- verify unique | tail -1 | awk '{print int($1/2)}')"
echo "verify at $rate requests/s (half the rate above), open loop:"
"$FASTFORTH_BIN" bench load --route verify --rate "$rate" --conns "$conns" --duration "$duration" "$addr"
