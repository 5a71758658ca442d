// Counting this thread's heap allocations, for tests that check a path allocates nothing.
// It replaces malloc, calloc and realloc, so include it in one file of an executable built
// with ENABLE_EXPORTS: the kernel, LuaJIT's allocator and the plugins then reach these (a
// plugin's own operator new too, linked from libstdc++.a and hidden, which a replaced
// operator new in the executable never sees). Sanitizers own malloc: not for their builds.
#pragma once

#include <cstddef>

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void __libc_free(void*);
}

namespace modrt::test {
inline thread_local bool t_counting_allocations = false;
inline thread_local size_t t_allocations = 0;

/// Counts this thread's allocations while it lives; count() reads them so far.
class AllocationCount {
public:
    AllocationCount() noexcept {
        t_allocations = 0;
        t_counting_allocations = true;
    }
    ~AllocationCount() { t_counting_allocations = false; }
    AllocationCount(const AllocationCount&) = delete;
    AllocationCount& operator=(const AllocationCount&) = delete;
    size_t count() const noexcept { return t_allocations; }
};
}  // namespace modrt::test

extern "C" {
void* malloc(size_t size) {
    if (modrt::test::t_counting_allocations) ++modrt::test::t_allocations;
    return __libc_malloc(size);
}
void* calloc(size_t n, size_t size) {
    if (modrt::test::t_counting_allocations) ++modrt::test::t_allocations;
    return __libc_calloc(n, size);
}
void* realloc(void* p, size_t size) {
    if (modrt::test::t_counting_allocations) ++modrt::test::t_allocations;
    return __libc_realloc(p, size);
}
void free(void* p) { __libc_free(p); }
}
