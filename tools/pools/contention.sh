#!/usr/bin/env bash
# A pool's hand-off under contention (issue: fast where users feel it, goal 5), in one run:
# BM_Call/lua_static_roundtrip beside BM_Baseline/asio_roundtrip on an idle machine, beside two
# CPU-bound processes (placed by the scheduler, then both on one core with the round trip's two
# threads pinned to the other), and beside a multi-threaded allocation-heavy process
# (modrt-alloc-load); then the adaptive pool against the best static pool on blocking work,
# --benchmark_repetitions=5. Each variant starts its own load and stops it. Not a test.
#
#   tools/pools/contention.sh [--build DIR] [--repetitions N]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build reps=5
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --repetitions) reps=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bench=$build/bin/modrt-bench
alloc=$build/bin/modrt-alloc-load
for b in "$bench" "$alloc"; do
  [ -x "$b" ] || { echo "no $b: build the tools first (cmake --build $build)" >&2; exit 1; }
done

load=()
stop_load() {
  for p in "${load[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${load[@]}"; do wait "$p" 2>/dev/null || true; done
  load=()
}
trap stop_load EXIT

# hogs [CPU]: two CPU-bound processes, on CPU if given. sh, not a bash subshell: a subshell's
# loop sometimes outlived its kill here.
hogs() {
  for _ in 1 2; do ${1:+taskset -c "$1"} sh -c 'while :; do :; done' & load+=($!); done
}

# median NAME FILE: the median real time of NAME in a --benchmark_format=json FILE, in µs
median() {
  python3 - "$1" "$2" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
for b in json.load(open(path))["benchmarks"]:
    run = b.get("run_name", "")  # "<name>/real_time" for benchmarks timed in real time
    if (run == name or run.startswith(name + "/")) and b.get("aggregate_name") == "median":
        print(f'{b["real_time"] / 1000:.1f}')
PY
}

# roundtrip LABEL [PIN]: both round trips and their ratio (PIN: the benchmark's CPU list). Their repetitions interleave in random
# order: beside CPU hogs one placement of threads on the two cores gives either ~5 µs and
# another ~50, and a placement lasts seconds, so asio's three runs followed by ours compared
# two placements more often than two hand-offs (ratios 0.1-2.4 between runs of one build).
roundtrip() {
  local out
  out=$(mktemp)
  ${2:+taskset -c "$2"} "$bench" --benchmark_filter='BM_Baseline/asio_roundtrip|BM_Call/lua_static_roundtrip' \
    --benchmark_repetitions=6 --benchmark_enable_random_interleaving=true \
    --benchmark_format=json >"$out" 2>/dev/null
  local a s
  a=$(median BM_Baseline/asio_roundtrip "$out")
  s=$(median BM_Call/lua_static_roundtrip "$out")
  printf '%-26s static %7s µs   asio %7s µs   static/asio %s\n' "$1" "$s" "$a" \
    "$(python3 -c "print(f'{$s / $a:.2f}')")"
  rm -f "$out"
}

echo "Round trip through a 1-worker static pool beside asio's thread_pool (median of 6, interleaved, $(nproc) cores):"
roundtrip "idle"
hogs
roundtrip "two CPU hogs"
stop_load
# The placement that decides the row above: both hogs on one core, caller and worker sharing
# the other, so every hand-off is a sleep and a wake-up (and a spin only delays it).
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  hogs 0
  roundtrip "hogs on cpu 0, both on 1" 1
  stop_load
fi
"$alloc" 4 & load+=($!)
roundtrip "allocation-heavy load"
stop_load

echo
echo "Blocking work (1 ms sleeps): adaptive pool beside the best static pool, $reps repetitions:"
out=$(mktemp)
"$bench" --benchmark_filter='BM_Throughput/(static_best_blocking|adaptive_blocking)' \
  --benchmark_repetitions="$reps" --benchmark_format=json >"$out" 2>/dev/null
python3 - "$out" <<'PY'
import json, statistics, sys
runs = {}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("run_type") == "iteration":
        runs.setdefault(b["run_name"].split("/")[1], []).append(b["items_per_second"])
best, adaptive = runs["static_best_blocking"], runs["adaptive_blocking"]
# Each adaptive repetition against the static pool's median: the two run one after the other,
# so pairing repetition i with repetition i compared two moments of the VM as much as two
# pools (one run gave 0.80 to 1.05 for repetitions of the same two pools).
base = statistics.median(best)
ratios = [a / base for a in adaptive]
print(f"static (best)  median {base:10.0f} calls/s  (stdev {statistics.pstdev(best):.0f})")
print(f"adaptive       median {statistics.median(adaptive):10.0f} calls/s  (stdev {statistics.pstdev(adaptive):.0f})")
print("adaptive per repetition / static median: " + " ".join(f"{r:.2f}" for r in ratios) +
      f"   min {min(ratios):.2f}, median {statistics.median(ratios):.2f}")
PY
rm -f "$out"
