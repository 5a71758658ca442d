#!/usr/bin/env bash
# Queue throughput and publish-to-handled latency through `modrt serve`: the NATS JetStream
# driver beside the memory driver (the baseline) in the same run, a consumer with concurrency
# 1, 2 and 8, on one node and (NATS only: a memory queue lives in one process) on two nodes.
# The handler does no work: it records when it ran, so the figures are the queue's overhead.
# Not a test.
#
#   tools/queue/bench_queue.sh [--build DIR] [--messages 5000] [--paced 500] [--only nats:2:8]
#
# Per configuration, two runs:
#   - burst: a pump publishes --messages at once (as fast as queue.publish returns); msgs/s is
#     messages / (last handled - first published);
#   - paced: --paced messages, one every 2 ms (below every configuration's capacity), for the
#     p50/p99 latency from publish to the handler's start without a backlog.
# Starts its own nats-server (JetStream, a free loopback port, a temporary store) and removes
# everything it made on exit. Needs the build's modrt, plugins and tests/queue.driver.nats'
# native probe (cmake --build build --target modrt queue_nats_test).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build messages=5000 paced=500 only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --messages) messages=$2; shift 2 ;;
    --paced) paced=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;  # one configuration, DRIVER:NODES:CONCURRENCY (nats:2:8)
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
modrt=$build/bin/modrt
probe=$build/tests/queue.driver.nats/native/nats_probe.so
[ -x "$modrt" ] || { echo "no $modrt: build modrt first" >&2; exit 1; }
[ -f "$probe" ] || { echo "no $probe: cmake --build $build --target queue_nats_test" >&2; exit 1; }
nats_server=${MODRT_NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
[ -x "$nats_server" ] || { echo "no nats-server (apt-get install nats-server)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$nats_server" -js -a 127.0.0.1 -p "$port" -sd "$work/store" >"$work/nats.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
url="nats://127.0.0.1:$port"

# registry DIR DRIVER QUEUE_NAME CONCURRENCY OUT_FILE WITH_PUMP
registry() {
  local dir=$1 driver=$2 queue=$3 concurrency=$4 out=$5 pump=$6
  mkdir -p "$dir"
  cp "$probe" "$dir/nats_probe.so"
  local options="{memory: {max_length: 1000000}}"
  [ "$driver" = nats ] && options="{nats: {storage: file}}"
  {
    echo 'version: "1.0"'
    echo 'namespace: app'
    echo 'entries:'
    echo '  - {name: append, kind: function.native, source: file://nats_probe.so, method: append}'
    echo '  - {name: now_ns, kind: function.native, source: file://nats_probe.so, method: now_ns}'
    echo '  - {name: sleep_ms, kind: function.native, source: file://nats_probe.so, method: sleep_ms}'
    echo '  - {name: memory, kind: queue.driver.memory}'
    echo "  - {name: nats, kind: queue.driver.nats, connection: {url: \"$url\"}}"
    echo "  - {name: jobs, kind: queue.queue, driver: app:$driver, queue_name: $queue, driver_options: $options}"
    echo "  - {name: worker, kind: queue.consumer, queue: app:jobs, func: app:handle, concurrency: $concurrency, prefetch: $((concurrency * 4 > 10 ? concurrency * 4 : 10))}"
    echo '  - {name: handle, kind: function.lua, source: file://bench.lua, method: handle, modules: [funcs]}'
    if [ "$pump" = 1 ]; then
      echo '  - {name: pump_queue, kind: queue.queue, driver: app:memory}'
      echo '  - {name: pump, kind: queue.consumer, queue: app:pump_queue, func: app:pump_fn, timeout: 10m}'
      echo '  - {name: pump_fn, kind: function.lua, source: file://bench.lua, method: pump, modules: [funcs, queue]}'
    fi
  } >"$dir/registry.yaml"
  cat >"$dir/bench.lua" <<LUA
local M = {}
function M.handle(job)
    local funcs = require("funcs")
    local now = funcs.call("app:now_ns")
    funcs.call("app:append", "$out", string.format("%d %d", now - job.t, now))
    return true
end
-- publish req.count messages stamped with the time, one every req.pace_ms (0: at once)
function M.pump(req)
    local funcs, queue = require("funcs"), require("queue")
    for i = 1, req.count do
        if req.pace_ms > 0 then funcs.call("app:sleep_ms", req.pace_ms) end
        local ok, err = queue.publish("app:jobs", {t = funcs.call("app:now_ns"), i = i})
        while not ok do  -- a full queue: wait for the consumer
            funcs.call("app:sleep_ms", 1)
            ok, err = queue.publish("app:jobs", {t = funcs.call("app:now_ns"), i = i})
        end
    end
    return true
end
return M
LUA
}

# serve DIR [--publish ...]: start a node, wait until it serves, remember its pid
serve() {
  local dir=$1; shift
  "$modrt" serve "$dir" --log-level warn "$@" >"$dir/node.log" 2>&1 &
  local pid=$!
  pids+=($pid)
  for _ in $(seq 200); do grep -q "modrt: serving" "$dir/node.log" 2>/dev/null && { echo "$pid"; return; }; sleep 0.05; done
  echo "node $dir did not start:" >&2; cat "$dir/node.log" >&2; exit 1
}

wait_lines() {  # FILE COUNT: until FILE has COUNT lines (at most 300 s)
  for _ in $(seq ${BENCH_WAIT_STEPS:-6000}); do
    [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
    sleep 0.05
  done
  echo "only $(wc -l <"$1" 2>/dev/null || echo 0) of $2 messages handled; the nodes said:" >&2
  tail -n 20 "$work"/r*/node.log >&2
  exit 1
}

# run ID DRIVER NODES CONCURRENCY COUNT PACE_MS -> prints "msgs_per_s p50_us p99_us"
# (runs in a subshell: ID comes from the caller, so every run has its own queue and file)
run() {
  local run_id=$1 driver=$2 nodes=$3 concurrency=$4 count=$5 pace=$6
  local queue="bench_${run_id}" out="$work/handled_${run_id}.txt" node_pids=()
  # The nodes are this subshell's: gone with it, even when a run fails half-way.
  trap 'for p in "${node_pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done' EXIT
  if [ "$nodes" = 2 ]; then
    registry "$work/r${run_id}b" "$driver" "$queue" "$concurrency" "$out" 0
    node_pids+=("$(serve "$work/r${run_id}b")")
  fi
  registry "$work/r${run_id}a" "$driver" "$queue" "$concurrency" "$out" 1
  node_pids+=("$(serve "$work/r${run_id}a" --publish "app:pump_queue={\"count\": $count, \"pace_ms\": $pace}")")
  wait_lines "$out" "$count"
  for p in "${node_pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  python3 - "$out" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
lat = sorted(r[0] for r in rows)
first_published = min(r[1] - r[0] for r in rows)
last_handled = max(r[1] for r in rows)
rate = len(rows) / max((last_handled - first_published) / 1e9, 1e-9)
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] / 1000
print(f"{rate:.0f} {q(0.50):.0f} {q(0.99):.0f}")
PY
}

echo "# modrt queue bench: $messages messages burst, $paced paced (1 per 2 ms); $(nproc) cores; nats-server $("$nats_server" --version | head -1)"
printf "%-8s %-6s %-12s %12s %14s %14s\n" driver nodes concurrency "burst msg/s" "paced p50 us" "paced p99 us"
id=0
for driver in memory nats; do
  for nodes in 1 2; do
    [ "$driver" = memory ] && [ "$nodes" = 2 ] && continue  # a memory queue lives in one process
    for c in 1 2 8; do
      [ -n "$only" ] && [ "$only" != "$driver:$nodes:$c" ] && continue
      id=$((id + 2))
      read -r rate _ _ < <(run "$id" "$driver" "$nodes" "$c" "$messages" 0)
      read -r _ p50 p99 < <(run "$((id + 1))" "$driver" "$nodes" "$c" "$paced" 2)
      printf "%-8s %-6s %-12s %12s %14s %14s\n" "$driver" "$nodes" "$c" "$rate" "$p50" "$p99"
    done
  done
done
