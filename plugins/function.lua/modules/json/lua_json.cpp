// The json module (lua_json.hpp).
#include "modules/json/lua_json.hpp"

#include "modules/json/json_validation.hpp"
#include "values/json_decode.hpp"
#include "values/json_encode.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_owned.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

namespace modrt::lua {
namespace {

char kSchemaCacheMetaKey;  // registry key (its address) of the SchemaCache userdata's metatable

size_t text_limit(lua_State* L) {
    modrt_runtime* runtime = current_call(L).runtime;
    return runtime != nullptr ? host_api().value_size_limit(runtime) : SIZE_MAX;
}

// push_text(view): push the string a std::string_view (a light userdata)
// points to. Run under lua_pcall while a std::string owns the bytes, so a
// memory error cannot skip its destructor.
int push_text(lua_State* L) {
    const auto* text = static_cast<const std::string_view*>(lua_touserdata(L, 1));
    lua_pushlstring(L, text->data(), text->size());
    return 1;
}

/// How encode_to_lua ended. Trivially destructible.
struct EncodeOutcome {
    enum class Status { pushed, cannot_encode, lua_error };
    Status status = Status::pushed;
    JsonEncodeError why;
};

// Encode the value at `idx` and push its text (status pushed), or leave the
// reason (cannot_encode) or a Lua memory error on top (lua_error). `pusher`
// is push_text's stack slot. Every C++ object dies in here.
void encode_to_lua(lua_State* L, int idx, int pusher, size_t limit, EncodeOutcome& out) noexcept {
    try {
        std::string text;
        if (!encode_json(L, idx, text, limit, out.why)) {
            out.status = EncodeOutcome::Status::cannot_encode;
            return;
        }
        std::string_view view = text;
        lua_pushvalue(L, pusher);
        lua_pushlightuserdata(L, &view);
        if (lua_pcall(L, 1, 1, 0) != 0) out.status = EncodeOutcome::Status::lua_error;
    } catch (...) {  // std::bad_alloc
        std::strncpy(out.why.message, "out of memory while encoding JSON", sizeof out.why.message - 1);
        out.status = EncodeOutcome::Status::cannot_encode;
    }
}

int json_encode(lua_State* L) {
    lua_settop(L, 1);  // json.encode() encodes nil, as json.encode(nil) does
    luaL_checkstack(L, kJsonEncodeStack + 3, "json.encode");
    lua_pushcfunction(L, push_text);
    EncodeOutcome out;
    encode_to_lua(L, 1, 2, text_limit(L), out);
    switch (out.status) {
        case EncodeOutcome::Status::pushed: return 1;
        case EncodeOutcome::Status::lua_error: return lua_error(L);
        case EncodeOutcome::Status::cannot_encode: break;
    }
    lua_pushfstring(L, "json.encode: %s", out.why.message);
    return return_error(L, MODRT_ERR_INTERNAL, lua_tostring(L, -1));
}

int json_decode(lua_State* L) {
    size_t len = 0;
    const char* text = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : nullptr;
    if (text == nullptr) {
        lua_pushfstring(L, "json.decode: the input must be a string, got %s", luaL_typename(L, 1));
        return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    if (len == 0) return return_error(L, MODRT_ERR_INVALID, "json.decode: the input is an empty string");
    int n = push_json_decoded(L, {text, len}, "json.decode");
    // json.md: invalid JSON syntax is INTERNAL for json.decode (req:body_json says INVALID).
    if (n == 2) test_error(L, -1)->kind = MODRT_ERR_INTERNAL;
    return n;
}

SchemaCache& schema_cache(lua_State* L) { return *static_cast<SchemaCache*>(lua_touserdata(L, lua_upvalueindex(1))); }

// The JSON text of a validate argument: a string as it is (`is_text`), else
// json.encode's text of the value. No Lua allocation. False with `why` set
// when the value cannot be encoded.
bool argument_text(lua_State* L, int idx, bool is_text, size_t limit, std::string& buffer, std::string_view& text,
                   JsonEncodeError& why) noexcept {
    if (is_text) {
        size_t len = 0;
        const char* s = lua_tolstring(L, idx, &len);  // a string: no conversion, no allocation
        text = {s, len};
        return true;
    }
    if (!encode_json(L, idx, buffer, limit, why)) return false;
    text = buffer;
    return true;
}

// The C++ half of validate and validate_string: every object with a
// destructor lives in here. Returns the error (owned) or nullptr when valid.
modrt_error* run_validation(lua_State* L, SchemaCache& cache, bool schema_is_text, bool data_is_text,
                            const char* fn) noexcept {
    size_t limit = text_limit(L);
    try {
        std::string schema_buffer;
        std::string data_buffer;
        std::string_view schema_text;
        std::string_view data_text;
        JsonEncodeError why;
        if (!argument_text(L, 1, schema_is_text, limit, schema_buffer, schema_text, why) ||
            !argument_text(L, 2, data_is_text, limit, data_buffer, data_text, why)) {
            std::string message = std::string(fn) + ": " + why.message;
            modrt_error* e = host_api().error_new(MODRT_ERR_INVALID, to_str(message));
            host_api().error_set_retryable(e, 0);
            return e;
        }
        return cache.validate(schema_text, data_text, fn);
    } catch (...) {  // std::bad_alloc
        modrt_error* e = host_api().error_new(MODRT_ERR_INTERNAL, to_str("json: out of memory while validating"));
        host_api().error_set_retryable(e, 0);
        return e;
    }
}

// The `false, err` return of validate: an INVALID error with the message on top of the stack. Returns 2.
int return_false_invalid(lua_State* L) {
    push_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1))->retryable = 0;
    lua_pushboolean(L, 0);
    lua_replace(L, -3);  // over the message
    return 2;
}

// validate (data any value) and validate_string (data a JSON string). Upvalues:
// the SchemaCache userdata, whether the data is text, the function's name.
int json_validate(lua_State* L) {
    bool data_is_text = lua_toboolean(L, lua_upvalueindex(2)) != 0;
    const char* fn = lua_tostring(L, lua_upvalueindex(3));
    lua_settop(L, 2);
    int schema_type = lua_type(L, 1);
    if (schema_type != LUA_TSTRING && schema_type != LUA_TTABLE) {
        lua_pushfstring(L, "%s: the schema must be a table or a JSON string, got %s", fn, luaL_typename(L, 1));
        return return_false_invalid(L);
    }
    if (data_is_text && lua_type(L, 2) != LUA_TSTRING) {
        lua_pushfstring(L, "%s: the data must be a JSON string, got %s", fn, luaL_typename(L, 2));
        return return_false_invalid(L);
    }
    luaL_checkstack(L, kJsonEncodeStack + 4, fn);
    OwnedKernel* owned = push_owned(L);
    owned->error = run_validation(L, schema_cache(L), schema_type == LUA_TSTRING, data_is_text, fn);
    if (owned->error == nullptr) {
        release_owned(owned);
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    push_owned_error(L, owned);
    return 2;
}

int schema_cache_gc(lua_State* L) {
    static_cast<SchemaCache*>(lua_touserdata(L, 1))->~SchemaCache();
    return 0;
}

// Push a userdata holding a new, empty SchemaCache; its __gc destroys it.
void push_schema_cache(lua_State* L) {
    push_gc_metatable(L, &kSchemaCacheMetaKey, schema_cache_gc);
    void* memory = lua_newuserdata(L, sizeof(SchemaCache));
    new (memory) SchemaCache();  // Lua owns the memory; noexcept, and nothing raises before __gc is set
    lua_insert(L, -2);
    lua_setmetatable(L, -2);
}

}  // namespace

int open_json_module(lua_State* L) {
    lua_createtable(L, 0, 4);
    static const luaL_Reg fns[] = {{"encode", json_encode}, {"decode", json_decode}, {nullptr, nullptr}};
    luaL_register(L, nullptr, fns);
    push_schema_cache(L);
    lua_pushvalue(L, -1);
    lua_pushboolean(L, 0);
    lua_pushliteral(L, "json.validate");
    lua_pushcclosure(L, json_validate, 3);
    lua_setfield(L, -3, "validate");
    lua_pushboolean(L, 1);
    lua_pushliteral(L, "json.validate_string");
    lua_pushcclosure(L, json_validate, 3);
    lua_setfield(L, -2, "validate_string");
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
