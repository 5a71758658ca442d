// Tests about a call that is running (to cancel, stop or race it) wait until it has begun:
// a request or a scheduled run on its way can still be refused or dropped, so a fixed sleep
// is a guess. Their native test library counts the calls that began under a name, and a
// probe function of it answers `probe(name, true)` with that count.
#pragma once

#include "support/wait_until.hpp"

#include <modrt/kernel/runtime.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace modrt::test {

/// Poll `probe(name, true)` on `rt` until a call under `name` has begun (bounded by `limit`).
inline bool await_started(modrt::kernel::Runtime& rt, std::string_view probe, const std::string& name,
                          std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    modrt::kernel::Value args = modrt::kernel::Value::array();
    args.items.push_back(modrt::kernel::Value::string(name));
    args.items.push_back(modrt::kernel::Value::boolean(true));
    return wait_until(
        [&] {
            modrt::kernel::CallResult r = rt.call(probe, args);
            return r.ok() && r.value.scalar.i > 0;
        },
        limit, std::chrono::milliseconds(5));
}

}  // namespace modrt::test
