#!/usr/bin/env bash
# Cold start of `modrt call` beside a bare `luajit -e` one-liner, in the same hyperfine run:
# each process starts, says hello to Ada and exits. Prints both means and the ratio
# (goal: modrt at most 2x luajit). Not a test: nothing is asserted.
#
#   tools/cold_start/bench_cold_start.sh [--build DIR] [--runs N] [--warmup N]
#
# Needs hyperfine and luajit (Debian packages `hyperfine` and `luajit`, or `luajit2`, whose
# interpreter can sit beside nginx's Lua module where `luajit` cannot: tools/http needs that
# module); it installs nothing and says what is missing. Pass more hyperfine options after `--`.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build runs=100 warmup=10 extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
modrt=$build/bin/modrt
[ -x "$modrt" ] || { echo "no $modrt: build modrt first (see README)" >&2; exit 1; }
missing=()
for tool in hyperfine luajit python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "needs ${missing[*]} (Debian: apt-get install ${missing[*]}); not installed here, so nothing was measured" >&2
  exit 1
fi

registry=examples/registries/hello
modrt_cmd="$modrt call $registry app.api:greet '\"Ada\"'"
luajit_cmd="luajit -e 'print(\"Hello, Ada!\")'"
# The same output from both, or the comparison means nothing.
[ "$(eval "$modrt_cmd")" = '"Hello, Ada!"' ] || { echo "modrt call failed: $modrt_cmd" >&2; exit 1; }

json=$(mktemp)
trap 'rm -f "$json"' EXIT
# -N: no intermediate shell, so neither figure includes one.
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$json" ${extra[@]+"${extra[@]}"} \
  -n modrt "$modrt_cmd" -n luajit "$luajit_cmd"

python3 - "$json" <<'PY'
import json, sys
r = {b["command"]: b for b in json.load(open(sys.argv[1]))["results"]}
m, l = r["modrt"], r["luajit"]
ms = lambda s: f"{s * 1000:.2f} ms"
print(f"modrt call: mean {ms(m['mean'])}, median {ms(m['median'])}, min {ms(m['min'])}")
print(f"luajit -e:  mean {ms(l['mean'])}, median {ms(l['median'])}, min {ms(l['min'])}")
print(f"ratio (modrt / luajit): mean {m['mean'] / l['mean']:.2f}x, median {m['median'] / l['median']:.2f}x, "
      f"min {m['min'] / l['min']:.2f}x  (goal: at most 2x)")
PY
