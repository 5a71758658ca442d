// Kernel objects owned by Lua userdata, and protected conversions (lua_owned.hpp).
#include "values/lua_owned.hpp"

#include "values/lua_errors.hpp"
#include "values/lua_value.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

char kOwnedMetaKey;  // registry key (its address) of the OwnedKernel metatable
// Registry keys (their addresses) of the functions below, made once per state:
// lua_pushcfunction allocates a closure every time, twice per protected conversion.
char kHandlerKey;
char kToModrtKey;
char kPushModrtKey;

int owned_gc(lua_State* L) {
    release_owned(static_cast<OwnedKernel*>(lua_touserdata(L, 1)));
    return 0;
}

struct ToModrt {
    modrt_value* out;
    const char* what;
};

// to_modrt_body(args, value): the value is passed along, since a C function sees only its own stack.
int to_modrt_body(lua_State* L) {
    auto* a = static_cast<ToModrt*>(lua_touserdata(L, 1));
    to_modrt_value(L, 2, a->out, a->what);
    return 0;
}

int push_modrt_body(lua_State* L) {
    push_modrt_value(L, static_cast<const modrt_value*>(lua_touserdata(L, 1)));
    return 1;
}

// The message handler leaves error userdata alone and turns anything else (a
// memory error message) into one, so callers always get an error value.
int as_error_value(lua_State* L) {
    if (test_error(L, 1) != nullptr) return 1;
    size_t len = 0;
    const char* s = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : nullptr;  // sets len first
    std::string_view msg = s != nullptr ? std::string_view(s, len) : std::string_view("conversion failed");
    push_error(L, MODRT_ERR_INTERNAL, msg);
    return 1;
}

// Push the C function `fn` kept in the registry under `key` (made on first use). Raises on memory errors.
void push_kept_cfunction(lua_State* L, char* key, lua_CFunction fn) {
    lua_pushlightuserdata(L, key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    lua_pushcfunction(L, fn);
    lua_pushlightuserdata(L, key);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

OwnedKernel* push_owned(lua_State* L) {
    auto* o = static_cast<OwnedKernel*>(lua_newuserdata(L, sizeof(OwnedKernel)));
    *o = OwnedKernel{};
    push_gc_metatable(L, &kOwnedMetaKey, owned_gc);
    lua_setmetatable(L, -2);
    o->value = host_api().value_new();
    return o;
}

void push_gc_metatable(lua_State* L, char* key, lua_CFunction gc) {
    lua_pushlightuserdata(L, key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, key);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

void release_owned(OwnedKernel* o) noexcept {
    const modrt_host_api& h = host_api();
    if (o->value != nullptr) h.value_free(o->value);
    if (o->error != nullptr) h.error_free(o->error);
    *o = OwnedKernel{};
}

bool to_modrt_protected(lua_State* L, int idx, modrt_value* out, const char* what) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    ToModrt args{out, what};
    push_kept_cfunction(L, &kHandlerKey, as_error_value);
    push_kept_cfunction(L, &kToModrtKey, to_modrt_body);
    lua_pushlightuserdata(L, &args);
    lua_pushvalue(L, idx);
    if (lua_pcall(L, 2, 0, -4) != 0) {
        lua_remove(L, -2);  // the handler
        return false;
    }
    lua_pop(L, 1);
    return true;
}

bool push_modrt_protected(lua_State* L, const modrt_value* value) {
    push_kept_cfunction(L, &kHandlerKey, as_error_value);
    push_kept_cfunction(L, &kPushModrtKey, push_modrt_body);
    lua_pushlightuserdata(L, const_cast<modrt_value*>(value));
    bool ok = lua_pcall(L, 1, 1, -3) == 0;
    lua_remove(L, -2);  // the handler
    return ok;
}

int return_error(lua_State* L, modrt_error_kind kind, const char* message) {
    lua_pushnil(L);
    push_error(L, kind, message)->retryable = 0;  // Wippy's tables: none of these is retryable
    return 2;
}

void push_owned_error(lua_State* L, OwnedKernel* o) {
    push_modrt_error(L, o->error);
    release_owned(o);
}

int return_owned_error(lua_State* L, OwnedKernel* o) {
    lua_pushnil(L);
    push_owned_error(L, o);
    return 2;
}

int return_error_on_top(lua_State* L) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}

}  // namespace modrt::lua
