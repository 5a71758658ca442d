// The native stack bound (c_stack_guard.hpp).
#include "vm/c_stack_guard.hpp"

#include <pthread.h>

#include <cstdint>

namespace modrt::lua {
namespace {

// This thread's stack: its lowest usable address (stacks grow down on every
// platform modrt builds for) and the reserve that applies to it. thread_local
// because the bounds belong to the thread; read once, on first use.
struct StackBounds {
    uintptr_t low = 0;  // 0: unknown, nothing is checked
    size_t reserve = kCStackReserve;
    bool read = false;
};

StackBounds read_bounds() noexcept {
    StackBounds b;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return b;
    void* addr = nullptr;
    size_t size = 0;
    size_t guard = 0;
    bool ok = pthread_attr_getstack(&attr, &addr, &size) == 0 && addr != nullptr && size != 0;
    if (pthread_attr_getguardsize(&attr, &guard) != 0) guard = 0;
    pthread_attr_destroy(&attr);
    if (!ok || guard >= size) return b;
    // For the main thread glibc reports the extent the stack rlimit allows;
    // for other threads [addr, addr + size) includes the guard area.
    b.low = reinterpret_cast<uintptr_t>(addr) + guard;
    size_t usable = size - guard;
    if (usable / 4 < b.reserve) b.reserve = usable / 4;
    return b;
}

// Constant-initialized and filled on first use: a thread_local with a dynamic initializer
// is reached through a wrapper call and a guard on every access, which cost a C function
// called from Lua a third of this check.
thread_local StackBounds t_bounds;

const StackBounds& bounds() noexcept {
    if (!t_bounds.read) [[unlikely]] {
        t_bounds = read_bounds();
        t_bounds.read = true;
    }
    return t_bounds;
}

// Where the recursion is: the innermost Lua function that is not one of the sandbox's own wrappers.
void push_where(lua_State* L) {
    lua_Debug ar;
    for (int level = 1; level < 8 && lua_getstack(L, level, &ar) != 0; ++level) {
        if (lua_getinfo(L, "Sl", &ar) == 0 || ar.currentline <= 0 || ar.source[0] == '=') continue;
        lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
        return;
    }
    lua_pushliteral(L, "");
}

[[gnu::noinline, gnu::cold]] int raise_overflow(lua_State* L, size_t left, size_t reserve) {
    push_where(L);
    lua_pushfstring(L,
                    "C stack overflow: recursion through C functions (string.gsub, pcall, table.sort, "
                    "coroutines, metamethods, nested calls) left %d KiB of this thread's native stack, "
                    "below the %d KiB a call keeps free",
                    static_cast<int>(left / 1024), static_cast<int>(reserve / 1024));
    lua_concat(L, 2);
    return lua_error(L);
}

// Less than the reserve is left: raise, unless this is a message handler, which gets half.
[[gnu::noinline, gnu::cold]] void check_near_the_end(lua_State* L, size_t left, size_t reserve) {
    size_t need = lua_status(L) == LUA_ERRERR ? reserve / 2 : reserve;
    if (left < need) raise_overflow(L, left, need);
}

// Raises unless at least the reserve is left. LuaJIT runs a message handler
// with the thread's status LUA_ERRERR where the error was thrown, that is,
// when the error is a C stack overflow, with less than the reserve left: a
// handler gets half of it.
void check(lua_State* L) {
    const StackBounds& b = bounds();
    if (b.low == 0) return;
    auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    size_t left = here > b.low ? here - b.low : 0;
    if (left >= b.reserve) [[likely]]
        return;
    check_near_the_end(L, left, b.reserve);
}

// LUAJIT_MODE_WRAPCFUNC's wrapper: every C function created through the API is called through it.
int checked_call(lua_State* L, lua_CFunction f) {
    check(L);
    return f(L);
}

}  // namespace

size_t c_stack_left() noexcept {
    const StackBounds& b = bounds();
    if (b.low == 0) return SIZE_MAX;
    auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    return here > b.low ? here - b.low : 0;
}

size_t c_stack_reserve() noexcept { return bounds().reserve; }

bool c_stack_low() noexcept {
    const StackBounds& b = bounds();
    auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    return b.low != 0 && (here > b.low ? here - b.low : 0) < b.reserve;
}

void check_c_stack(lua_State* L) { check(L); }

void install_c_stack_wrapper(lua_State* L) {
    lua_pushlightuserdata(L, reinterpret_cast<void*>(&checked_call));
    luaJIT_setmode(L, -1, LUAJIT_MODE_WRAPCFUNC | LUAJIT_MODE_ON);
    lua_pop(L, 1);
}

}  // namespace modrt::lua
