#!/usr/bin/env bash
# What a virtual key costs the proxy: the same non-streaming load through one `archestra serve`,
# alternating the client's raw key and a virtual key, N rounds, printing the proxy's CPU per
# request (from /proc/<pid>/stat) for each. Alternating in one process cancels most of the drift a
# shared 2-core machine adds to sequential rows. Loopback only, bounded.
# Usage: Benchmarks/virtual_key_cost.sh [rounds=4] [seconds=4] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-4}; seconds=${2:-4}; connections=${3:-32}
BIN=${ARCHESTRA_BIN:-$PWD/.build/release/archestra}
tmp=$(mktemp -d); trap 'kill $SERVE $MOCK 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$BIN" mock up --port 0 --env-file "$tmp/mock.env" --log-level warning >/dev/null 2>&1 & MOCK=$!
for _ in $(seq 1 300); do [[ -f $tmp/mock.env ]] && break; sleep 0.1; done
set -a; . "$tmp/mock.env"; set +a
export ARCHESTRA_DATABASE_URL="sqlite://$tmp/db.sqlite"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$BIN" serve --port "$port" --log-level warning >/dev/null 2>&1 & SERVE=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
pk=$("$BIN" provider-keys list | python3 -c "import json,sys;print(next(k['id'] for k in json.load(sys.stdin) if k['provider']=='openai'))")
vk=$("$BIN" virtual-keys create --provider-key "$pk" | python3 -c "import json,sys;print(json.load(sys.stdin)['value'])")
echo '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}' > "$tmp/body.json"
cpu_ticks() { awk '{print $14+$15}' "/proc/$SERVE/stat"; }
ticks_per_second=$(getconf CLK_TCK)
for round in $(seq 1 "$rounds"); do
  for mode in raw virtual; do
    key=$OPENAI_API_KEY; [[ $mode == virtual ]] && key=$vk
    before=$(cpu_ticks)
    out=$(BENCH_BODY_FILE="$tmp/body.json" BENCH_API_KEY="$key" wrk -t1 -c"$connections" -d"${seconds}s" \
      -s Benchmarks/wrk-post.lua "http://127.0.0.1:$port/v1/openai/chat/completions" | sed -n 's/^BENCH_JSON //p')
    after=$(cpu_ticks)
    python3 -c "import json;r=json.loads('''$out''');print('round $round', '$mode', round(($after-$before)/$ticks_per_second*1e6/r['requests'],1), 'µs/request over', r['requests'], 'requests')"
  done
done
