#!/usr/bin/env bash
# The whole test suite from a clean clone: install dependencies, then build
# with warnings as errors and run every test through CTest three times: a
# plain build, an ASan+UBSan build and a TSan build (separate folders); then
# run each fuzz target for a bounded time (scripts/fuzz.sh). Any failing test,
# sanitizer report or fuzzer crash fails the run. `--quick` runs the plain
# build only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)

# suite DIR OPT [cmake args...]: OPT is the optimisation level, always with -g1
# (line tables only: backtraces and sanitizer reports keep file:line, and the
# build is a quarter shorter than with -g). Test executables build as unity
# batches: GoogleTest's and the kernel's headers are parsed once per batch, not
# once per file (at -O2, 461 s of compiling tests became 295 s).
suite() {
  local dir=$1 opt="$2 -g1 -DNDEBUG"
  shift 2
  echo "=== $dir: configure, build, test"
  cmake -S . -B "$dir" -G Ninja -DMODRT_WERROR=ON -DMODRT_UNITY_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$opt" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=$opt" \
    ${MODRT_LUAJIT_PREBUILT_DIR:+"-DMODRT_LUAJIT_PREBUILT_DIR=$MODRT_LUAJIT_PREBUILT_DIR"} "$@"
  cmake --build "$dir" -j"$jobs"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" ${ctest_exclude:+-LE "$ctest_exclude"}
}

ctest_exclude=""  # labels of tests a suite leaves out (ctest -LE)
plain=${MODRT_BUILD_DIR:-build}
suite "$plain" -O2
if [ "${1:-}" != "--quick" ]; then
  # LuaJIT never takes a build's flags (cmake/LuaJIT.cmake): the sanitizer and fuzz builds link
  # the one the plain build made instead of building three more.
  MODRT_LUAJIT_PREBUILT_DIR=$(cd "$plain" && pwd)/luajit2
  export MODRT_LUAJIT_PREBUILT_DIR
  # The sanitizer suites leave out the out_of_tree tests: each builds a separate project
  # against the installed SDK (a packaging check the plain suite makes), which is most of
  # their time and nothing a sanitizer looks at. They build every target as unity batches,
  # libraries and plugins too (CMAKE_UNITY_BUILD): the kernel's 41 files, each parsing the
  # same JSON, YAML and logging headers, took 357 s of ASan build steps one by one (while another
  # build shared the machine) and 96 s as batches (alone).
  # The plain suite keeps compiling library files one by one, so each still has to build alone.
  ctest_exclude=out_of_tree
  # ASan+UBSan at -O0: one test file (tests/function.lua/lua_contract_test.cpp) compiles in
  # 13 s instead of 34 s at -O1, and the whole build in 376 s instead of 611 s. TSan
  # stays at -O1: at -O0 its build was only 4 % shorter and its tests 25 % slower.
  # Sanitizer reports abort the process, so CTest sees them as failures.
  # use_tls=0: LeakSanitizer's exit-time walk of dlopen'ed libraries' thread-local
  # blocks (DTLS) read a stale slot and crashed its tracer in ~1 of 400 tests per
  # run (GCC 12 / glibc 2.36). Thread-locals are destroyed before that scan anyway,
  # provided no thread is still exiting: tests join every thread they start
  # (tests/support/bounded_run.hpp), or a cached object in one is reported as a leak.
  LSAN_OPTIONS="use_tls=0:suppressions='$PWD/scripts/lsan.supp'" \
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    suite build-asan -O0 -DMODRT_SANITIZE=address,undefined -DMODRT_BUILD_BENCH=OFF -DCMAKE_UNITY_BUILD=ON
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions='$PWD/scripts/tsan.supp'" \
    suite build-tsan -O1 -DMODRT_SANITIZE=thread -DMODRT_BUILD_BENCH=OFF -DCMAKE_UNITY_BUILD=ON
  scripts/fuzz.sh "${MODRT_FUZZ_SECONDS:-60}"
fi
