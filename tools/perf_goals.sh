#!/usr/bin/env bash
# Every performance goal's figure, one after the other in one run, for the README's
# Performance section: run it on an otherwise idle machine and paste what it prints.
# Each part is a script or benchmark of its own (named in its heading) that prints its
# figure beside the baseline it measured in the same run; nothing is asserted.
#
#   tools/perf_goals.sh [--build DIR] [--skip http|nested|cold|pools|calls|jit]...
set -euo pipefail
cd "$(dirname "$0")/.."
build=build skip=" "
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --skip) skip+="$2 "; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bench=$build/bin/modrt-bench
[ -x "$bench" ] || { echo "no $bench: build modrt with benchmarks first (see README)" >&2; exit 1; }
part() { [[ "$skip" != *" $1 "* ]]; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if part calls; then
  echo; echo "## Calls from C++: $bench (medians of 3)"
  "$bench" --benchmark_filter='BM_Call/(native|lua)_(inline|prepared)$|BM_Baseline/(direct_call|lua_pcall)$' \
    --benchmark_repetitions=3 --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
med = {b["run_name"]: b["real_time"] for b in json.load(sys.stdin)["benchmarks"] if b.get("aggregate_name") == "median"}
for call, base in (("BM_Call/native_inline", "BM_Baseline/direct_call"), ("BM_Call/native_prepared", "BM_Baseline/direct_call"),
                   ("BM_Call/lua_inline", "BM_Baseline/lua_pcall"), ("BM_Call/lua_prepared", "BM_Baseline/lua_pcall")):
    print(f"{call:24} {med[call]:8.1f} ns   {base:26} {med[base]:6.1f} ns   ratio {med[call] / med[base]:.2f}")'
fi
if part nested; then
  echo; echo "## Nested funcs.call beside Tarantool: tools/nested/nested_vs_tarantool.sh"
  tools/nested/nested_vs_tarantool.sh --build "$build" || echo "(skipped: see above)"
fi
if part jit; then
  echo; echo "## The JIT: $bench --benchmark_filter='lua_cpu|BM_Lua/' (medians of 3)"
  "$bench" --benchmark_filter='lua_cpu|BM_Lua/' --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    2>/dev/null | grep median
fi
if part cold; then
  echo; echo "## Cold start beside luajit: tools/cold_start/bench_cold_start.sh"
  tools/cold_start/bench_cold_start.sh --build "$build" || echo "(skipped: see above)"
fi
if part pools; then
  echo; echo "## Pools under contention: tools/pools/contention.sh"
  tools/pools/contention.sh --build "$build"
fi
if part http; then
  echo; echo "## HTTP beside nginx+lua: tools/http/bench_http.sh"
  tools/http/bench_http.sh --build "$build" || echo "(skipped: see above)"
fi
