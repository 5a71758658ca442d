#!/usr/bin/env bash
# Remote calls/s and latency (p50/p99) from one node to one and to two serving nodes, one call
# at a time and with many in flight, beside two same-run baselines: a local call of the same Lua
# function, and the raw cnats request/reply round trip (what NATS itself costs).
# Not a test. Starts its own nats-server and `modrt serve` nodes on loopback and stops them.
#   tools/remote/bench_remote.sh [BUILD_DIR]     (default: build; env N, INFLIGHT to change the sizes)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
modrt=$build/bin/modrt
nats_server=${MODRT_NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
n=${N:-5000}
inflight=${INFLIGHT:-64}
work=$(mktemp -d /tmp/modrt-bench-remote-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="nats://127.0.0.1:$port"
"$nats_server" -a 127.0.0.1 -p "$port" >"$work/nats.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done

mkdir -p "$work/serve" "$work/caller"
cp "$here/echo.lua" "$work/serve/" && cp "$here/echo.lua" "$here/bench.lua" "$work/caller/"
cat >"$work/serve/registry.yaml" <<YAML
version: "1.0"
namespace: app.api
entries:
  - {name: echo, kind: function.lua, source: file://echo.lua, method: echo}
  - name: serve
    kind: function.expose
    connection: {url: "$url"}
    functions: [app.api:echo]
    concurrency: 64
YAML
cat >"$work/caller/registry.yaml" <<YAML
version: "1.0"
namespace: app.api
entries:
  - {name: echo, kind: function.remote, connection: {url: "$url"}}
  - {name: local_echo, kind: function.lua, source: file://echo.lua, method: echo}
  - {name: run, kind: function.lua, source: file://bench.lua, method: run, modules: [funcs, time]}
YAML

start_node() {
  "$modrt" serve "$work/serve" >"$work/node$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do grep -q "modrt: serving" "$work/node$1.log" && return; sleep 0.05; done
  echo "node $1 did not start:" >&2; cat "$work/node$1.log" >&2; exit 1
}
row() {  # label id count inflight
  local out
  out=$("$modrt" call "$work/caller" app.api:run "\"$2\"" "$3" "$4")
  python3 -c 'import json,sys; r=json.loads(sys.argv[2]); print("%-44s %10d %9d %9d" % (sys.argv[1], r["calls_per_s"], r["p50_us"], r["p99_us"]))' "$1" "$out"
}

cc -O2 -o "$work/nats_rtt" "$here/nats_rtt.c" -lnats
printf '%-44s %10s %9s %9s\n' "" "calls/s" "p50 us" "p99 us"
read -r rtt_rate rtt_p50 rtt_p99 < <("$work/nats_rtt" "$url" "$n")
printf '%-44s %10s %9s %9s\n' "baseline: raw cnats request/reply, 1 at a time" "$rtt_rate" "$rtt_p50" "$rtt_p99"
row "baseline: local Lua call, 1 at a time" app.api:local_echo "$n" 1
row "baseline: local Lua call, $inflight in flight" app.api:local_echo "$((n * 4))" "$inflight"
start_node 1
row "remote, 1 serving node, 1 at a time" app.api:echo "$n" 1
row "remote, 1 serving node, $inflight in flight" app.api:echo "$((n * 4))" "$inflight"
start_node 2
row "remote, 2 serving nodes, 1 at a time" app.api:echo "$n" 1
row "remote, 2 serving nodes, $inflight in flight" app.api:echo "$((n * 4))" "$inflight"
echo "(each \`modrt call\` includes its own start: the caller's connection is made once per row)"
