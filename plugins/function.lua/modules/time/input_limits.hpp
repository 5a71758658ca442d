// How long a layout, time string or duration string the time module reads.
// Formatting and parsing run in C without interruption points and build their
// output outside the state's memory_limit; real layouts and values are tens of
// bytes, so a cap keeps a call's C work bounded.
#pragma once

#include <cstddef>

namespace modrt::lua {

/// Longest layout, value to parse or duration string, in bytes.
inline constexpr size_t kMaxTimeText = 4096;

}  // namespace modrt::lua
