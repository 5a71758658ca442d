// The memory limit of one lua_State: a lua_Alloc that refuses to grow the
// state's heap past the limit. LuaJIT turns a refused allocation into a
// "not enough memory" error inside the function, which fails the call; the
// state itself stays consistent and usable.
//
// The limit counts the whole heap of the state: live data, module-level
// state, and garbage not yet collected (LuaJIT has no emergency collection
// on a failed allocation). WorkerState collects fully after a call that hit it.
#pragma once

#include <cstddef>

namespace modrt::lua {

/// Default per-state limit, when the plugin config sets none.
inline constexpr size_t kDefaultMemoryLimit = size_t{64} << 20;
/// A fresh state with the standard libraries and the sandbox needs ~100 KiB: leave room.
inline constexpr size_t kMinMemoryLimit = size_t{1} << 20;

struct MemoryBudget {
    size_t limit = kDefaultMemoryLimit;
    size_t used = 0;
    bool refused = false;  ///< an allocation was refused since the flag was last cleared
};

/// lua_Alloc over malloc/realloc/free, accounting in the MemoryBudget passed as `ud`.
void* budget_alloc(void* ud, void* ptr, size_t osize, size_t nsize) noexcept;

}  // namespace modrt::lua
