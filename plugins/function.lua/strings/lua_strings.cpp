// string.find/match/gmatch/gsub on modrt's matcher (lua_strings.hpp).
//
// Argument handling, results and error messages follow LuaJIT 2.1's string
// library (which keeps Lua 5.1's rules: an init past the end is clamped, a
// '%' ending a replacement adds a NUL byte); tests/function.lua/lua_strings_diff_test.cpp
// compares the two on a few hundred cases.
#include "strings/lua_strings.hpp"

#include "strings/lua_pattern.hpp"
#include "vm/c_stack_guard.hpp"
#include "vm/call_env.hpp"

#include <cstring>
#include <string.h>  // memmem (GNU)

namespace modrt::lua {
namespace {

using pattern::Matcher;

// Every pattern::kInterruptEvery steps: the call's deadline and cancellation (ticks: thousands of steps, the hook's unit).
void on_interrupt(void* ctx, unsigned long steps) {
    interrupt_point(static_cast<lua_State*>(ctx), static_cast<long>((steps + 999) / 1000));
}

Matcher make_matcher(lua_State* L, const char* s, size_t ls, const char* p, size_t lp) {
    return Matcher(s, ls, p, lp, on_interrupt, L);
}

[[noreturn]] void raise(lua_State* L, const Matcher& m) {
    luaL_error(L, "%s", pattern::message(m.error()));
    __builtin_unreachable();  // luaL_error does not return
}

// Capture i of the match [s, e): with no captures, capture 0 is the whole match.
void push_capture(lua_State* L, const Matcher& m, int i, const char* s, const char* e) {
    if (i >= m.level()) {
        if (i != 0) luaL_error(L, "invalid capture index");
        lua_pushlstring(L, s, static_cast<size_t>(e - s));
        return;
    }
    const pattern::Capture& c = m.capture(i);
    if (c.len == pattern::kUnfinished) luaL_error(L, "unfinished capture");
    if (c.len == pattern::kPosition) lua_pushinteger(L, static_cast<lua_Integer>(c.init - m.subject() + 1));
    else lua_pushlstring(L, c.init, static_cast<size_t>(c.len));
}

// Every capture, or the whole match [s, e) when there are none and s is set. Returns how many.
int push_captures(lua_State* L, const Matcher& m, const char* s, const char* e) {
    int n = (m.level() == 0 && s != nullptr) ? 1 : m.level();
    luaL_checkstack(L, n, "too many captures");
    for (int i = 0; i < n; ++i) push_capture(L, m, i, s, e);
    return n;
}

// A relative position: negative counts from the end; below the start is 0.
lua_Integer relative(lua_Integer pos, size_t len) {
    if (pos < 0) pos += static_cast<lua_Integer>(len) + 1;
    return pos >= 0 ? pos : 0;
}

// No special character before the pattern's first NUL: string.find searches it plainly.
bool is_plain(const char* p, size_t lp) {
    // 64-bit masks of the special characters (all below 128) and of NUL.
    constexpr auto bits = [](const char* chars, unsigned from) {
        unsigned long long m = 0;
        for (; *chars != '\0'; ++chars)
            if (static_cast<unsigned>(*chars) - from < 64) m |= 1ull << (static_cast<unsigned>(*chars) - from);
        return m;
    };
    constexpr unsigned long long kLow = bits("$%(*+-.?", 0) | 1;  // codes 0-63; NUL ends the pattern
    constexpr unsigned long long kHigh = bits("[^", 64);          // codes 64-127
    for (size_t i = 0; i < lp; ++i) {
        auto c = static_cast<unsigned char>(p[i]);
        unsigned long long mask = c < 64 ? kLow : c < 128 ? kHigh : 0;
        if ((mask >> (c & 63)) & 1) return c == '\0';
    }
    return true;
}

// Where `needle` first occurs in `hay`, in time linear in both.
const void* plain_search(const char* hay, size_t lh, const char* needle, size_t ln) {
    if (ln == 0) return hay;
    if (ln > lh) return nullptr;
    // A short subject is searched directly (at most 2^16 comparisons): memmem's setup
    // costs more than the whole search there.
    if (lh <= 256) {
        for (const char* end = hay + (lh - ln); hay <= end; ++hay)
            if (*hay == *needle && std::memcmp(hay, needle, ln) == 0) return hay;
        return nullptr;
    }
    return memmem(hay, lh, needle, ln);  // glibc's two-way search: linear, whatever the strings hold
}

int find_or_match(lua_State* L, bool find) {
    size_t ls = 0;
    size_t lp = 0;
    const char* s = luaL_checklstring(L, 1, &ls);
    const char* p = luaL_checklstring(L, 2, &lp);
    lua_Integer init = relative(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init < 0) init = 0;
    if (static_cast<size_t>(init) > ls) init = static_cast<lua_Integer>(ls);
    if (find && (lua_toboolean(L, 4) || is_plain(p, lp))) {
        const void* hit = plain_search(s + init, ls - static_cast<size_t>(init), p, lp);
        if (hit == nullptr) {
            lua_pushnil(L);
            return 1;
        }
        auto at = static_cast<const char*>(hit) - s;
        lua_pushinteger(L, static_cast<lua_Integer>(at + 1));
        lua_pushinteger(L, static_cast<lua_Integer>(at + static_cast<ptrdiff_t>(lp)));
        return 2;
    }
    Matcher m = make_matcher(L, s, ls, p, lp);
    bool anchor = lp > 0 && *p == '^';
    const char* pat = p + (anchor ? 1 : 0);
    const char* from = s + init;
    do {
        if (const char* e = m.match(from, pat)) {
            if (!find) return push_captures(L, m, from, e);
            lua_pushinteger(L, static_cast<lua_Integer>(from - s + 1));
            lua_pushinteger(L, static_cast<lua_Integer>(e - s));
            return push_captures(L, m, nullptr, nullptr) + 2;
        }
        if (m.error() != pattern::Error::none) raise(L, m);
    } while (from++ < m.subject_end() && !anchor);
    lua_pushnil(L);
    return 1;
}

int str_find(lua_State* L) { return find_or_match(L, true); }
int str_match(lua_State* L) { return find_or_match(L, false); }

// The iterator of gmatch. Upvalues: subject, pattern, where the next search starts.
int gmatch_next(lua_State* L) {
    size_t ls = 0;
    size_t lp = 0;
    const char* s = lua_tolstring(L, lua_upvalueindex(1), &ls);
    const char* p = lua_tolstring(L, lua_upvalueindex(2), &lp);
    auto start = static_cast<size_t>(lua_tointeger(L, lua_upvalueindex(3)));
    if (start > ls) return 0;
    Matcher m = make_matcher(L, s, ls, p, lp);
    // No anchor: in gmatch a leading '^' is an ordinary character (Lua 5.1).
    for (const char* from = s + start; from <= m.subject_end(); ++from) {
        if (const char* e = m.match(from, p)) {
            // An empty match moves on by one, or the next call would find it again.
            lua_Integer next = e - s + (e == from ? 1 : 0);
            lua_pushinteger(L, next);
            lua_replace(L, lua_upvalueindex(3));
            return push_captures(L, m, from, e);
        }
        if (m.error() != pattern::Error::none) raise(L, m);
    }
    return 0;
}

int str_gmatch(lua_State* L) {
    luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    lua_settop(L, 2);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

// A replacement string: %0-%9 are captures, '%' before anything else is that
// character (a '%' at its very end adds the string's terminating NUL, as in LuaJIT).
void add_string_replacement(lua_State* L, luaL_Buffer* b, const Matcher& m, const char* s, const char* e) {
    size_t len = 0;
    const char* r = lua_tolstring(L, 3, &len);
    const char* end = r + len;
    while (r < end) {
        const void* pct = std::memchr(r, '%', static_cast<size_t>(end - r));
        const char* stop = pct != nullptr ? static_cast<const char*>(pct) : end;
        luaL_addlstring(b, r, static_cast<size_t>(stop - r));
        if (stop == end) return;
        char c = stop[1];  // Lua strings are NUL-terminated: stop[1] is readable
        r = stop + 2;
        if (c < '0' || c > '9') {
            luaL_addchar(b, c);
        } else if (c == '0') {
            luaL_addlstring(b, s, static_cast<size_t>(e - s));
        } else {
            push_capture(L, m, c - '1', s, e);
            luaL_addvalue(b);
        }
    }
}

// The replacement of the match [s, e) by the value at index 3 (string, number, table or function).
void add_replacement(lua_State* L, luaL_Buffer* b, const Matcher& m, const char* s, const char* e, int type) {
    if (type == LUA_TFUNCTION) {
        check_c_stack(L);  // the function may recurse into gsub: bound the native stack it takes
        lua_pushvalue(L, 3);
        int n = push_captures(L, m, s, e);
        lua_call(L, n, 1);
    } else if (type == LUA_TTABLE) {
        check_c_stack(L);  // __index may run Lua
        push_capture(L, m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_string_replacement(L, b, m, s, e);
        return;
    }
    if (!lua_toboolean(L, -1)) {  // nil or false: keep the match
        lua_pop(L, 1);
        lua_pushlstring(L, s, static_cast<size_t>(e - s));
    } else if (!lua_isstring(L, -1)) {
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    }
    luaL_addvalue(b);
}

int str_gsub(lua_State* L) {
    size_t ls = 0;
    size_t lp = 0;
    const char* src = luaL_checklstring(L, 1, &ls);
    const char* p = luaL_checklstring(L, 2, &lp);
    int type = lua_type(L, 3);
    lua_Integer max = luaL_optinteger(L, 4, static_cast<lua_Integer>(ls) + 1);
    luaL_argcheck(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION || type == LUA_TTABLE, 3,
                  "string/function/table expected");
    bool anchor = lp > 0 && *p == '^';
    const char* pat = p + (anchor ? 1 : 0);
    Matcher m = make_matcher(L, src, ls, p, lp);
    luaL_Buffer b;  // grows through the state's allocator, so memory_limit bounds the result
    luaL_buffinit(L, &b);
    lua_Integer n = 0;
    while (n < max) {
        const char* e = m.match(src, pat);
        if (m.error() != pattern::Error::none) raise(L, m);
        if (e != nullptr) {
            ++n;
            add_replacement(L, &b, m, src, e, type);
        }
        if (e != nullptr && e > src) src = e;
        else if (src < m.subject_end()) luaL_addchar(&b, *src++);
        else break;
        if (anchor) break;
    }
    luaL_addlstring(&b, src, static_cast<size_t>(m.subject_end() - src));
    luaL_pushresult(&b);
    lua_pushinteger(L, n);
    return 2;
}

}  // namespace

void install_string_matchers(lua_State* L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    constexpr luaL_Reg kFunctions[] = {{"find", str_find},
                                       {"match", str_match},
                                       {"gmatch", str_gmatch},
                                       {"gsub", str_gsub}};
    for (const luaL_Reg& f : kFunctions) {
        lua_pushcfunction(L, f.func);
        lua_setfield(L, idx, f.name);
    }
}

}  // namespace modrt::lua
