#!/usr/bin/env python3
"""Instructions per call of one modrt-bench benchmark, counted by callgrind.

Wall-clock figures on a shared 2-core machine move by ±20 %; instruction counts
do not. Callgrind collects only inside kernel::Runtime::call (or --collect), at
two run lengths; the difference of the totals divided by the difference of the calls
leaves out one-off costs (first-call setup, warm-up).

    tools/ir_per_call.py 'BM_Call/native_inline$'            # build/bin/modrt-bench
    tools/ir_per_call.py 'BM_Call/lua_inline$' --bench build-perf/bin/modrt-bench
    tools/ir_per_call.py 'BM_Call/lua_inline$' --top 15      # where they go (self cost)
    tools/ir_per_call.py 'BM_Baseline/lua_pcall$' --collect '*BM_Baseline_lua_pcall*' --count lua_pcall
    tools/ir_per_call.py 'BM_Nested/lua_funcs_call$' --collect '*BM_Nested_lua_funcs_call*' \
        --count 'modrt::lua::(anonymous namespace)::funcs_call' --min-times 0.1,1
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

def run(bench, filt, min_time, out, collect):
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", f"--toggle-collect={collect}",
                    bench, f"--benchmark_filter={filt}", f"--benchmark_min_time={min_time}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def parse(path, counted):
    """Total Ir, calls into `counted` (a function name prefix), and self Ir per function."""
    names, total, calls, self_ir = {}, 0, 0, {}
    fn = cfn = None
    pending_calls = None

    def name(ref):  # "(12) name" defines id 12; "(12)" refers to it
        m = re.match(r"\((\d+)\)(?: (.*))?", ref)
        if not m:
            return ref
        if m.group(2):
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), ref)

    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
            elif line.startswith("fn="):
                fn = name(line[3:].strip())
            elif line.startswith("cfn="):
                cfn = name(line[4:].strip())
            elif line.startswith("calls="):
                pending_calls = int(line[6:].split()[0])
            elif line[:1].isdigit() or line[:1] in "+-*":
                parts = line.split()
                if len(parts) < 2:
                    continue
                if pending_calls is not None:  # the line after calls= is the call's inclusive cost
                    if cfn and cfn.startswith(counted):
                        calls += pending_calls
                    pending_calls = None
                else:
                    self_ir[fn] = self_ir.get(fn, 0) + int(parts[1])
    return total, calls, self_ir


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("filter", help="--benchmark_filter regex matching one benchmark")
    ap.add_argument("--bench", default="build/bin/modrt-bench")
    ap.add_argument("--top", type=int, default=0, help="also list the N functions with the most self Ir per call")
    ap.add_argument("--collect", default="modrt::kernel::Runtime::call(*",
                    help="callgrind --toggle-collect pattern: what is counted (default: Runtime::call)")
    ap.add_argument("--count", default="modrt::kernel::Runtime::call(",
                    help="name prefix of the function whose calls divide the total")
    ap.add_argument("--min-times", default="0.02,0.1",
                    help="the two --benchmark_min_time values (a benchmark whose iteration is long needs longer)")
    args = ap.parse_args()
    short_time, long_time = (float(t) for t in args.min_times.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        short, long = os.path.join(tmp, "short.out"), os.path.join(tmp, "long.out")
        run(args.bench, args.filter, short_time, short, args.collect)
        run(args.bench, args.filter, long_time, long, args.collect)
        t1, c1, s1 = parse(short, args.count)
        t2, c2, s2 = parse(long, args.count)
    if c2 <= c1:
        sys.exit(f"no calls into {args.count} counted for '{args.filter}'")
    n = c2 - c1
    print(f"{args.filter}: {(t2 - t1) / n:.0f} Ir per call ({n} calls diffed)")
    if args.top:
        per = sorted(((s2.get(k, 0) - s1.get(k, 0)) / n, k) for k in s2)
        for ir, fn in reversed(per[-args.top:]):
            print(f"{ir:8.1f}  {fn}")


if __name__ == "__main__":
    main()
