#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan+UBSan) and run each for a
# bounded time on a copy of its seed corpus. A crash fails the run and leaves
# the input in build-fuzz/artifacts/: copy it into tests/fuzz/regressions/<target>/
# so every later test run replays it.
#   scripts/fuzz.sh [seconds per target, default 60]
# MODRT_LUAJIT_PREBUILT_DIR (as scripts/test.sh sets it): link the LuaJIT built there.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
command -v clang++ >/dev/null && [ -d /usr/lib/llvm-14/lib/clang ] && ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || {
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
}
dir=build-fuzz
# -O1 with line tables only, as libFuzzer's documentation recommends (and a shorter build than -O2 -g);
# unity batches, as in the sanitizer suites (scripts/test.sh).
cmake -S . -B "$dir" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DMODRT_FUZZ=ON -DMODRT_SANITIZE=address,undefined -DMODRT_BUILD_BENCH=OFF -DMODRT_WERROR=ON -DCMAKE_UNITY_BUILD=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  ${MODRT_LUAJIT_PREBUILT_DIR:+"-DMODRT_LUAJIT_PREBUILT_DIR=$MODRT_LUAJIT_PREBUILT_DIR"}
targets=(registry json_lua lua_source http_request policy_expr typed_lua remote_request)
cmake --build "$dir" -j"$(nproc)" --target "${targets[@]/%/_fuzz}"
mkdir -p "$dir/artifacts"
# The targets run side by side (libFuzzer uses one core each), each into its own log.
pids=()
trap '[ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true' EXIT  # none outlives the script
for t in "${targets[@]}"; do
  work="$dir/corpus/$t"
  mkdir -p "$work"
  cp -r tests/fuzz/corpus/"$t"/. "$work"/
  echo "=== fuzz $t for ${seconds}s (log: $dir/$t.log)"
  ASAN_OPTIONS=detect_leaks=0 "$dir/bin/${t}_fuzz" "$work" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t-" \
    >"$dir/$t.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
  t=${targets[$i]}
  if wait "${pids[$i]}"; then
    echo "=== fuzz $t: clean"
    grep -aE "^(Done|stat::)" "$dir/$t.log" || true  # printing only
  else
    echo "=== fuzz $t: FAILED"
    tail -n 150 "$dir/$t.log"  # the crash report and its stack are at the end
    status=1
  fi
done
exit "$status"
