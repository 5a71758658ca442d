// The call a soak sequence number makes: a pure function of the number, so a
// failing run can be replayed call by call. The mix covers the three pools,
// nested synchronous calls, async fan-outs with canceled and abandoned futures,
// and root deadlines that cut calls short while queued or running.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace soak {

using modrt::kernel::CallOptions;
using modrt::kernel::Value;

struct CallPlan {
    std::string id;
    Value args = Value::array();
    std::chrono::nanoseconds timeout{0};  // 0: none, and then the call must succeed
};

/// splitmix64: a well-mixed stream of 64-bit values from one seed.
struct Mix {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    int64_t below(int64_t n) { return static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }
};

inline const char* pick_pool(Mix& m) {
    static const char* const kPools[] = {"inline", "static", "lazy"};
    return kPools[m.below(3)];
}

inline CallPlan plan_for(int64_t seq) {
    Mix m{static_cast<uint64_t>(seq) * 0x2545f4914f6cdd1dULL};
    CallPlan p;
    p.args.push() = Value::integer(seq);
    int64_t roll = m.below(100);
    if (roll < 45) {  // a plain call: 30 % inline, 10 % static, 5 % lazy
        p.id = roll < 30 ? "soak:echo_inline" : roll < 40 ? "soak:echo_static" : "soak:echo_lazy";
    } else if (roll < 65) {  // nested synchronous calls, 1 to 3 hops across pools, 1 in 4 under a deadline
        p.id = std::string("soak:relay_") + pick_pool(m);
        for (int64_t hops = m.below(3); hops > 0; --hops)
            p.args.push() = Value::string(std::string("soak:relay_") + pick_pool(m));
        if (m.below(4) == 0) p.timeout = std::chrono::microseconds(20 + m.below(300));
    } else if (roll < 85) {  // async fan-out: 1 to 3 children, some canceled, some released unwaited
        p.id = std::string("soak:fan_") + pick_pool(m);
        int64_t n = 1 + m.below(3);
        Value ids = Value::array();
        for (int64_t i = 0; i < n; ++i) ids.push() = Value::string(std::string("soak:child_") + pick_pool(m));
        p.args.push() = ids;
        p.args.push() = Value::integer(m.below(4) == 0 ? static_cast<int64_t>(m.next() & 7) : 0);  // cancel mask
        p.args.push() = Value::integer(m.below(8) == 0 ? static_cast<int64_t>(m.next() & 7) : 0);  // release mask
        p.args.push() = Value::integer(m.below(3) == 0 ? m.below(100) : 0);                        // child µs
    } else {  // a brief sleep under a deadline that often cuts it short
        p.id = std::string("soak:sleepy_") + pick_pool(m);
        p.args.push() = Value::integer(10 + m.below(200));
        p.timeout = std::chrono::microseconds(10 + m.below(300));
    }
    return p;
}

/// The registry of the soak: every function on each of the three pools.
inline std::string registry_yaml(const std::string& lib) {
    std::string out = "version: \"1.0\"\nnamespace: soak\nentries:\n";
    const char* pools[][2] = {{"inline", "{type: inline}"},
                              {"static", "{type: static, workers: 2}"},
                              {"lazy", "{type: lazy, max_size: 4}"}};
    for (const char* fn : {"echo", "sleepy", "relay", "child", "fan"})
        for (const auto& pool : pools)
            out += std::string("  - {name: ") + fn + "_" + pool[0] + ", kind: function.native, source: file://" + lib +
                   ", method: soak_" + fn + ", pool: " + pool[1] + "}\n";
    return out;
}

}  // namespace soak
