// modrt SDK, The process-wide host table and string borrowing: the base every other SDK layer uses.
// Part of the header-only C++ layer; include <modrt/sdk.hpp>.
#ifndef MODRT_SDK_HOST_HPP
#define MODRT_SDK_HOST_HPP

#include <modrt/abi.h>

#include <atomic>
#include <cstring>
#include <string_view>

namespace modrt {

namespace detail {
// One per plugin binary: value, error, log and frame hooks are the same for
// every runtime, and the C++ wrappers below reach them with no other state.
// The ABI forces this process-wide slot. It holds a copy, because the table a
// runtime hands over dies with that runtime; runtime-level calls go through
// Host, which keeps its own runtime's table.
inline const modrt_host_api* process_host(const modrt_host_api* first) noexcept {
    static const modrt_host_api copy = [first] {
        modrt_host_api c{};
        size_t size = first->struct_size < sizeof(c) ? first->struct_size : sizeof(c);
        std::memcpy(static_cast<void*>(&c), first, size);
        c.runtime = nullptr;  // not any one runtime's
        return c;
    }();
    return &copy;
}
inline std::atomic<const modrt_host_api*>& host_slot() noexcept {
    static std::atomic<const modrt_host_api*> slot{nullptr};
    return slot;
}
inline void set_host(const modrt_host_api* host) noexcept {
    if (host_slot().load(std::memory_order_acquire) == nullptr)
        host_slot().store(process_host(host), std::memory_order_release);
}
}  // namespace detail

/// The kernel's process-wide hooks (values, errors, frames, logging); valid once the
/// plugin has been initialised. Its `runtime` is null: use Host for runtime-level calls.
inline const modrt_host_api& host_api() noexcept { return *detail::host_slot().load(std::memory_order_acquire); }

/// Borrow a string_view as a modrt_str.
inline modrt_str to_str(std::string_view s) noexcept { return modrt_str{s.data(), s.size()}; }
/// Borrow a modrt_str as a string_view.
inline std::string_view to_view(modrt_str s) noexcept {
    return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view();
}

}  // namespace modrt

#endif  // MODRT_SDK_HOST_HPP
