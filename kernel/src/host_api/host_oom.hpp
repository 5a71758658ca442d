// Allocation failures inside host API functions (host_api.cpp).
//
// A host function is called from plugin code, often C or code built without
// exceptions, so nothing may leave it as an exception (that would be
// std::terminate). The ones that cannot return an error (value writers, push,
// insert) leave the value nil (push/insert return NULL, and every writer
// ignores a NULL value) and count the failure on the calling thread; the
// dispatcher fails the plugin hook that was running on that thread with
// INTERNAL "ran out of memory" (dispatcher.cpp, guarded()).
#pragma once

#include <cstdint>

namespace modrt::kernel {

// Per thread because the plugin hook that must fail runs on the thread that
// called the host function; the ABI's void writers leave no other channel.
// Inline and initial-exec: the kernel is linked into the program, and the
// dispatcher reads it around every hook (a function call each time cost ~8
// instructions a call).
[[gnu::tls_model("initial-exec")]] inline thread_local uint64_t t_host_alloc_failures = 0;

/// How many host API calls on this thread failed to allocate so far (only ever grows).
inline uint64_t host_alloc_failures() noexcept { return t_host_alloc_failures; }
/// Count one failure on this thread.
inline void note_host_alloc_failure() noexcept { ++t_host_alloc_failures; }

}  // namespace modrt::kernel
