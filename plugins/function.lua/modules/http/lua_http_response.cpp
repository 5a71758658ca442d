// The Response object (lua_http_response.hpp).
#include "modules/http/lua_http_response.hpp"

#include "modules/http/http_exchange_access.hpp"
#include "modules/module_binding.hpp"
#include "values/udata_type.hpp"
#include "values/json_encode.hpp"
#include "values/lua_errors.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

#include <climits>
#include <cmath>
#include <string>

namespace modrt::lua {
namespace {

char kResponseMetaKey;  // registry key (its address) of the Response metatable

struct ResponseBox {
    ExchangeRef ref;
    bool content_type_set;  ///< this object set a Content-Type: write_json leaves it
    uint64_t binding;       ///< gate_binding when made (module_binding.hpp)
};

ResponseBox& check_response(lua_State* L) {
    if (has_type_tag(L, 1, &kResponseMetaKey)) {
        auto& box = *static_cast<ResponseBox*>(lua_touserdata(L, 1));
        // Acts only where the module that made it may (module_binding.hpp): checked here, where
        // bind_methods would add a C call to every method.
        check_recorded_binding(L, box.binding, "http");
        return box;
    }
    luaL_typerror(L, 1, "Response");
    __builtin_unreachable();
}

// Push a new non-retryable error of `kind` (the method's one return value).
int push_failure(lua_State* L, modrt_error_kind kind, const char* message) {
    push_error(L, kind, message)->retryable = 0;
    return 1;
}

// The result of an exchange hook: nil, or its error.
int push_outcome(lua_State* L, modrt_error* err) {
    if (err != nullptr) return push_exchange_error(L, err);
    lua_pushnil(L);
    return 1;
}

bool is_content_type_name(const char* name, size_t len) noexcept {
    static constexpr char kName[] = "content-type";
    if (len != sizeof kName - 1) return false;
    for (size_t i = 0; i < len; ++i) {
        char c = name[i] >= 'A' && name[i] <= 'Z' ? static_cast<char>(name[i] - 'A' + 'a') : name[i];
        if (c != kName[i]) return false;
    }
    return true;
}

int res_set_status(lua_State* L) {
    ResponseBox& self = check_response(L);
    lua_Number code = luaL_checknumber(L, 2);
    modrt_http_exchange* ex = live_exchange(L, self.ref);
    if (ex == nullptr) return push_failure(L, MODRT_ERR_INTERNAL, kStaleExchangeMessage);
    if (code != std::floor(code) || code < INT_MIN || code > INT_MAX)
        return push_failure(L, MODRT_ERR_INVALID, "res:set_status: the status must be an integer (100-599)");
    return push_outcome(L, ex->api->set_status(ex, static_cast<int>(code)));
}

int res_set_header(lua_State* L) {
    ResponseBox& self = check_response(L);
    size_t name_len = 0;
    size_t value_len = 0;
    const char* name = luaL_checklstring(L, 2, &name_len);
    const char* value = luaL_checklstring(L, 3, &value_len);
    modrt_http_exchange* ex = live_exchange(L, self.ref);
    if (ex == nullptr) return push_failure(L, MODRT_ERR_INTERNAL, kStaleExchangeMessage);
    modrt_error* err = ex->api->set_header(ex, modrt_str{name, name_len}, modrt_str{value, value_len});
    if (err == nullptr && is_content_type_name(name, name_len)) self.content_type_set = true;
    return push_outcome(L, err);
}

int res_set_content_type(lua_State* L) {
    ResponseBox& self = check_response(L);
    size_t len = 0;
    const char* type = luaL_checklstring(L, 2, &len);
    modrt_http_exchange* ex = live_exchange(L, self.ref);
    if (ex == nullptr) return push_failure(L, MODRT_ERR_INTERNAL, kStaleExchangeMessage);
    modrt_error* err = ex->api->set_header(ex, to_str("Content-Type"), modrt_str{type, len});
    if (err == nullptr) self.content_type_set = true;
    return push_outcome(L, err);
}

int res_write(lua_State* L) {
    ResponseBox& self = check_response(L);
    size_t len = 0;
    const char* data = luaL_checklstring(L, 2, &len);
    modrt_http_exchange* ex = live_exchange(L, self.ref);
    if (ex == nullptr) return push_failure(L, MODRT_ERR_INTERNAL, kStaleExchangeMessage);
    return push_outcome(L, ex->api->write(ex, modrt_str{data, len}));
}

// The C++ half of write_json: encodes into one buffer and hands it to the
// exchange. No Lua API here may raise (json_encode.hpp), so the string's
// destructor always runs. Returns false when the value cannot be encoded.
bool encode_and_write(lua_State* L, int idx, ResponseBox& self, modrt_http_exchange* ex, size_t limit,
                      JsonEncodeError& failure, modrt_error*& written) noexcept {
    std::string text;
    if (!encode_json(L, idx, text, limit, failure)) return false;
    const modrt_http_api& api = *ex->api;
    if (!self.content_type_set) {
        // Once the head was sent (flush) the header cannot change: what was sent stands.
        if (modrt_error* e = api.set_header(ex, to_str("Content-Type"), to_str("application/json")))
            host_api().error_free(e);
        else self.content_type_set = true;
    }
    written = api.write(ex, to_str(text));
    return true;
}

int res_write_json(lua_State* L) {
    ResponseBox& self = check_response(L);
    modrt_http_exchange* ex = live_exchange(L, self.ref);
    if (ex == nullptr) return push_failure(L, MODRT_ERR_INTERNAL, kStaleExchangeMessage);
    if (!lua_checkstack(L, kJsonEncodeStack))
        return push_failure(L, MODRT_ERR_INTERNAL, "res:write_json: Lua stack overflow");
    modrt_runtime* runtime = current_call(L).runtime;
    size_t limit = runtime != nullptr ? host_api().value_size_limit(runtime) : SIZE_MAX;
    JsonEncodeError failure;
    modrt_error* written = nullptr;
    if (!encode_and_write(L, 2, self, ex, limit, failure, written)) {
        lua_pushfstring(L, "res:write_json: %s", failure.message);
        return push_failure(L, MODRT_ERR_INTERNAL, lua_tostring(L, -1));
    }
    return push_outcome(L, written);
}

int res_flush(lua_State* L) {
    ResponseBox& self = check_response(L);
    modrt_http_exchange* ex = live_exchange(L, self.ref);
    if (ex == nullptr) return push_failure(L, MODRT_ERR_INTERNAL, kStaleExchangeMessage);
    return push_outcome(L, ex->api->flush(ex));
}

// Chunked is what the exchange does after a flush anyway, so asking for it is
// kept as a no-op; SSE needs a streaming writer the exchange does not have.
int res_set_transfer(lua_State* L) {
    ResponseBox& self = check_response(L);
    size_t len = 0;
    const char* mode = luaL_checklstring(L, 2, &len);
    modrt_http_exchange* ex = live_exchange(L, self.ref);
    if (ex == nullptr) return push_failure(L, MODRT_ERR_INTERNAL, kStaleExchangeMessage);
    if (std::string_view(mode, len) == "chunked") {
        lua_pushnil(L);
        return 1;
    }
    return push_failure(L, MODRT_ERR_UNAVAILABLE,
                        "res:set_transfer: only \"chunked\" is supported by modrt yet (server-sent events are not)");
}

int res_write_event(lua_State* L) {
    check_response(L);
    return push_failure(L, MODRT_ERR_UNAVAILABLE, "res:write_event: server-sent events are not supported by modrt yet");
}

void push_response_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kResponseMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    static const luaL_Reg methods[] = {{"set_status", res_set_status},
                                       {"set_header", res_set_header},
                                       {"set_content_type", res_set_content_type},
                                       {"write", res_write},
                                       {"write_json", res_write_json},
                                       {"flush", res_flush},
                                       {"set_transfer", res_set_transfer},
                                       {"write_event", res_write_event},
                                       {nullptr, nullptr}};
    lua_createtable(L, 1, 4);  // [1]: the type tag (udata_type.hpp)
    lua_createtable(L, 0, 8);
    luaL_register(L, nullptr, methods);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "Response");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    set_type_tag(L, -1, &kResponseMetaKey);
    lua_pushlightuserdata(L, &kResponseMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

void push_response(lua_State* L, modrt_http_exchange* ex) {
    auto* box = static_cast<ResponseBox*>(lua_newuserdata(L, sizeof(ResponseBox)));
    *box = ResponseBox{exchange_ref(ex), false, gate_binding(L)};
    push_response_metatable(L);
    lua_setmetatable(L, -2);
}

}  // namespace modrt::lua
