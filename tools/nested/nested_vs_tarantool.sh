#!/usr/bin/env bash
# A Lua function calling another through the runtime, modrt beside Tarantool, in the same run:
# modrt's funcs.call (both functions on pool.inline, BM_Nested/lua_funcs_call) against
# Tarantool's box.func:call of a Lua function from a Lua loop, each beside a plain Lua call
# in the same state. Prints ns per call and the ratio. Not a test; installs nothing.
#
# Both are measured the same way (best of three runs) and in alternation, one round after
# another: this VM's speed drifts over minutes, and one measurement of each, one after the
# other, gave ratios from 0.18 to 0.32 within an hour. Each round's ratio is printed, then
# their median.
#
#   tools/nested/nested_vs_tarantool.sh [--build DIR] [--calls N] [--rounds R]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build calls=2000000 rounds=5
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bench=$build/bin/modrt-bench
[ -x "$bench" ] || { echo "no $bench: build modrt with benchmarks first (see README)" >&2; exit 1; }
command -v tarantool >/dev/null || { echo "needs tarantool (Debian package 'tarantool'): apt-get install tarantool" >&2; exit 1; }
command -v python3 >/dev/null || { echo "needs python3 to read the benchmark's JSON" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for r in $(seq "$rounds"); do
  WORK=$work N=$calls tarantool tools/nested/tarantool_nested.lua > "$work/tarantool.$r"
  "$bench" --benchmark_filter='BM_Nested/lua_funcs_call|BM_Baseline/lua_plain_call' --benchmark_repetitions=3 \
    --benchmark_format=json > "$work/modrt.$r.json"
done
python3 - "$work" "$rounds" <<'PY'
import json, re, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
ratios = []
for r in range(1, rounds + 1):
    best = {}
    for b in json.load(open(f"{work}/modrt.{r}.json"))["benchmarks"]:
        if b.get("run_type") == "iteration":
            best[b["run_name"]] = min(best.get(b["run_name"], float("inf")), b["per_call"] * 1e9)
    nested, plain = best["BM_Nested/lua_funcs_call"], best["BM_Baseline/lua_plain_call"]
    t_call, t_plain = (float(x) for x in re.findall(r"([0-9.]+) ns", open(f"{work}/tarantool.{r}").read()))
    ratios.append(nested / t_call)
    print(f"round {r}: modrt funcs.call {nested:7.1f} ns (plain Lua call {plain:4.1f} ns)   "
          f"tarantool box.func:call {t_call:7.1f} ns (plain {t_plain:4.1f} ns)   ratio {ratios[-1]:.2f}")
print(f"ratio modrt / tarantool: median {statistics.median(ratios):.2f} over {rounds} rounds "
      f"(range {min(ratios):.2f}-{max(ratios):.2f}; each side the best of 3 runs per round)")
PY
