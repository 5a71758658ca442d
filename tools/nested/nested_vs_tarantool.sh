#!/usr/bin/env bash
# A Lua function calling another through the runtime, modrt beside Tarantool, in the same run:
# modrt's funcs.call (both functions on pool.inline, BM_Nested/lua_funcs_call) against
# Tarantool's box.func:call of a Lua function from a Lua loop, each beside a plain Lua call
# in the same state. Prints ns per call and the ratio. Not a test; installs nothing.
#
#   tools/nested/nested_vs_tarantool.sh [--build DIR] [--calls N]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build calls=2000000
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bench=$build/bin/modrt-bench
[ -x "$bench" ] || { echo "no $bench: build modrt with benchmarks first (see README)" >&2; exit 1; }
command -v tarantool >/dev/null || { echo "needs tarantool (Debian package 'tarantool'): apt-get install tarantool" >&2; exit 1; }
command -v python3 >/dev/null || { echo "needs python3 to read the benchmark's JSON" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarantool_line=$(WORK=$work N=$calls tarantool tools/nested/tarantool_nested.lua)
"$bench" --benchmark_filter='BM_Nested/lua_funcs_call|BM_Baseline/lua_plain_call' --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json > "$work/modrt.json"
TARANTOOL="$tarantool_line" python3 - "$work/modrt.json" <<'PY'
import json, os, re, sys
rows = {b["run_name"]: b["per_call"] * 1e9 for b in json.load(open(sys.argv[1]))["benchmarks"]
        if b.get("aggregate_name") == "median"}
nested, plain = rows["BM_Nested/lua_funcs_call"], rows["BM_Baseline/lua_plain_call"]
line = os.environ["TARANTOOL"]
t_call, t_plain = (float(x) for x in re.findall(r"([0-9.]+) ns", line))
print(f"modrt     funcs.call        {nested:8.1f} ns   plain Lua call {plain:5.1f} ns  (median of 3)")
print(f"tarantool box.func:call   {t_call:8.1f} ns   plain Lua call {t_plain:5.1f} ns  (best of 3)")
print(f"ratio modrt / tarantool: {nested / t_call:.2f}")
PY
