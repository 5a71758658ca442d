// The per-state allocator (memory_budget.hpp).
#include "vm/memory_budget.hpp"

#include <cstdlib>

namespace modrt::lua {

void* budget_alloc(void* ud, void* ptr, size_t osize, size_t nsize) noexcept {
    auto* b = static_cast<MemoryBudget*>(ud);
    size_t old = ptr != nullptr ? osize : 0;  // osize is not a size when ptr is null
    if (nsize == 0) {
        std::free(ptr);
        b->used -= old;
        return nullptr;
    }
    if (nsize > old && b->used - old + nsize > b->limit) {
        b->refused = true;
        return nullptr;
    }
    void* p = std::realloc(ptr, nsize);
    if (p != nullptr) b->used = b->used - old + nsize;
    return p;
}

}  // namespace modrt::lua
