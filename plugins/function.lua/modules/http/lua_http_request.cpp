// The Request object (lua_http_request.hpp).
#include "modules/http/lua_http_request.hpp"

#include "modules/http/http_exchange_access.hpp"
#include "modules/http/http_media.hpp"
#include "modules/module_binding.hpp"
#include "values/udata_type.hpp"
#include "values/json_decode.hpp"
#include "values/lua_owned.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

char kRequestMetaKey;  // registry key (its address) of the Request metatable
char kHeadersMetaKey;  // registry key (its address) of the metatable of headers() tables

struct RequestBox {
    ExchangeRef ref;
    uint64_t max_body;
    uint64_t binding;  ///< gate_binding when made (module_binding.hpp)
};

RequestBox& check_request(lua_State* L) {
    if (has_type_tag(L, 1, &kRequestMetaKey)) {
        auto& box = *static_cast<RequestBox*>(lua_touserdata(L, 1));
        // Acts only where the module that made it may (module_binding.hpp): checked here, where
        // bind_methods would add a C call to every method.
        check_recorded_binding(L, box.binding, "http");
        return box;
    }
    luaL_typerror(L, 1, "Request");
    __builtin_unreachable();
}

// The exchange of the Request at 1 when the running call serves it; else pushes nil, err and returns nullptr.
modrt_http_exchange* live(lua_State* L, const RequestBox& self) {
    if (modrt_http_exchange* ex = live_exchange(L, self.ref)) return ex;
    return_error(L, MODRT_ERR_INTERNAL, kStaleExchangeMessage);
    return nullptr;
}

modrt_str header(modrt_http_exchange* ex, const char* name) {
    return ex->api->get(ex, MODRT_HTTP_HEADERS, to_str(name));
}

// Push the first value named by argument 2 in `list`, or nil.
int push_named(lua_State* L, modrt_http_list list) {
    const RequestBox& self = check_request(L);
    size_t len = 0;
    const char* name = luaL_checklstring(L, 2, &len);
    modrt_http_exchange* ex = live(L, self);
    if (ex == nullptr) return 2;
    modrt_str v = ex->api->get(ex, list, modrt_str{name, len});
    if (v.ptr == nullptr) lua_pushnil(L);
    else push_exchange_str(L, v);
    return 1;
}

// Push a table of every pair of `list`: a repeated name keeps its first value
// (`sep` null) or gets its values joined with `sep`.
void push_pairs(lua_State* L, modrt_http_exchange* ex, modrt_http_list list, const char* sep) {
    const modrt_http_api& api = *ex->api;
    size_t n = api.count(ex, list);
    lua_createtable(L, 0, static_cast<int>(n));
    for (size_t i = 0; i < n; ++i) {
        push_exchange_str(L, api.name_at(ex, list, i));
        lua_pushvalue(L, -1);
        lua_rawget(L, -3);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            push_exchange_str(L, api.value_at(ex, list, i));
        } else if (sep == nullptr) {
            lua_pop(L, 2);
            continue;
        } else {
            lua_pushstring(L, sep);
            push_exchange_str(L, api.value_at(ex, list, i));
            lua_concat(L, 3);
        }
        lua_rawset(L, -3);
    }
}

// __index of headers() tables: header names are lower-case keys, so
// h["Content-Type"] reads h["content-type"].
int headers_index(lua_State* L) {
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    size_t len = 0;
    const char* key = lua_tolstring(L, 2, &len);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    bool changed = false;
    for (size_t i = 0; i < len; ++i) {
        char c = key[i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
            changed = true;
        }
        luaL_addchar(&b, c);
    }
    luaL_pushresult(&b);
    if (!changed) return 0;
    lua_rawget(L, 1);
    return 1;
}

void push_headers_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kHeadersMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, headers_index);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, &kHeadersMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

// Whether `body` fits max_body; pushes nil, err when it does not.
bool body_within_limit(lua_State* L, const RequestBox& self, modrt_str body, const char* what) {
    if (body.len <= self.max_body) return true;
    lua_pushfstring(L, "%s: the request body (%f bytes) is larger than max_body (%f bytes)", what,
                    static_cast<double>(body.len), static_cast<double>(self.max_body));
    return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    return false;
}

int push_field(lua_State* L, modrt_http_field field) {
    modrt_http_exchange* ex = live(L, check_request(L));
    if (ex == nullptr) return 2;
    push_exchange_str(L, ex->api->field(ex, field));
    return 1;
}

int req_method(lua_State* L) { return push_field(L, MODRT_HTTP_METHOD); }
int req_path(lua_State* L) { return push_field(L, MODRT_HTTP_PATH); }
int req_remote_addr(lua_State* L) { return push_field(L, MODRT_HTTP_REMOTE_ADDR); }
int req_param(lua_State* L) { return push_named(L, MODRT_HTTP_PARAMS); }
int req_query(lua_State* L) { return push_named(L, MODRT_HTTP_QUERY); }
int req_header(lua_State* L) { return push_named(L, MODRT_HTTP_HEADERS); }

int req_params(lua_State* L) {
    modrt_http_exchange* ex = live(L, check_request(L));
    if (ex == nullptr) return 2;
    push_pairs(L, ex, MODRT_HTTP_PARAMS, nullptr);
    return 1;
}

// Wippy: "Multiple values for the same key are joined with commas."
int req_query_params(lua_State* L) {
    modrt_http_exchange* ex = live(L, check_request(L));
    if (ex == nullptr) return 2;
    push_pairs(L, ex, MODRT_HTTP_QUERY, ",");
    return 1;
}

// A repeated header's values are joined as RFC 9110 5.3 combines field lines.
int req_headers(lua_State* L) {
    modrt_http_exchange* ex = live(L, check_request(L));
    if (ex == nullptr) return 2;
    push_pairs(L, ex, MODRT_HTTP_HEADERS, ", ");
    push_headers_metatable(L);
    lua_setmetatable(L, -2);
    return 1;
}

int req_body(lua_State* L) {
    const RequestBox& self = check_request(L);
    modrt_http_exchange* ex = live(L, self);
    if (ex == nullptr) return 2;
    modrt_str body = ex->api->field(ex, MODRT_HTTP_BODY);
    if (!body_within_limit(L, self, body, "req:body")) return 2;
    push_exchange_str(L, body);
    return 1;
}

int req_body_json(lua_State* L) {
    const RequestBox& self = check_request(L);
    modrt_http_exchange* ex = live(L, self);
    if (ex == nullptr) return 2;
    modrt_str body = ex->api->field(ex, MODRT_HTTP_BODY);
    if (!body_within_limit(L, self, body, "req:body_json")) return 2;
    return push_json_decoded(L, to_view(body), "req:body_json");
}

int req_has_body(lua_State* L) {
    modrt_http_exchange* ex = live(L, check_request(L));
    if (ex == nullptr) return 2;
    lua_pushboolean(L, ex->api->field(ex, MODRT_HTTP_BODY).len > 0);
    return 1;
}

int req_content_type(lua_State* L) {
    modrt_http_exchange* ex = live(L, check_request(L));
    if (ex == nullptr) return 2;
    modrt_str v = header(ex, "content-type");
    if (v.ptr == nullptr) lua_pushnil(L);
    else push_exchange_str(L, v);
    return 1;
}

// The body's size: the trigger reads the whole body before the call, so a
// chunked request has one too.
int req_content_length(lua_State* L) {
    modrt_http_exchange* ex = live(L, check_request(L));
    if (ex == nullptr) return 2;
    lua_pushnumber(L, static_cast<lua_Number>(ex->api->field(ex, MODRT_HTTP_BODY).len));
    return 1;
}

// The Host header as sent (Wippy: "example.com:8080"); the host the trigger
// knows when the request had none (HTTP/1.0).
int req_host(lua_State* L) {
    modrt_http_exchange* ex = live(L, check_request(L));
    if (ex == nullptr) return 2;
    modrt_str v = header(ex, "host");
    push_exchange_str(L, v.ptr != nullptr ? v : ex->api->field(ex, MODRT_HTTP_HOST));
    return 1;
}

int req_accepts(lua_State* L) {
    const RequestBox& self = check_request(L);
    size_t len = 0;
    const char* type = luaL_checklstring(L, 2, &len);
    modrt_http_exchange* ex = live(L, self);
    if (ex == nullptr) return 2;
    modrt_str accept = header(ex, "accept");
    lua_pushboolean(L, accept.ptr == nullptr || accept_admits(to_view(accept), std::string_view(type, len)));
    return 1;
}

int req_is_content_type(lua_State* L) {
    const RequestBox& self = check_request(L);
    size_t len = 0;
    const char* type = luaL_checklstring(L, 2, &len);
    modrt_http_exchange* ex = live(L, self);
    if (ex == nullptr) return 2;
    modrt_str ct = header(ex, "content-type");
    lua_pushboolean(L, ct.ptr != nullptr && media_type_is(to_view(ct), std::string_view(type, len)));
    return 1;
}

int req_stream(lua_State* L) {
    check_request(L);
    return return_error(L, MODRT_ERR_UNAVAILABLE,
                        "req:stream: not supported by modrt yet (the body is read whole before the call: use "
                        "req:body())");
}

int req_parse_multipart(lua_State* L) {
    check_request(L);
    return return_error(L, MODRT_ERR_UNAVAILABLE,
                        "req:parse_multipart: not supported by modrt yet (parse req:body() yourself)");
}

void push_request_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kRequestMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    static const luaL_Reg methods[] = {{"method", req_method},
                                       {"path", req_path},
                                       {"param", req_param},
                                       {"params", req_params},
                                       {"query", req_query},
                                       {"query_params", req_query_params},
                                       {"header", req_header},
                                       {"headers", req_headers},
                                       {"body", req_body},
                                       {"body_json", req_body_json},
                                       {"has_body", req_has_body},
                                       {"content_type", req_content_type},
                                       {"content_length", req_content_length},
                                       {"host", req_host},
                                       {"remote_addr", req_remote_addr},
                                       {"accepts", req_accepts},
                                       {"is_content_type", req_is_content_type},
                                       {"stream", req_stream},
                                       {"parse_multipart", req_parse_multipart},
                                       {nullptr, nullptr}};
    lua_createtable(L, 1, 4);  // [1]: the type tag (udata_type.hpp)
    lua_createtable(L, 0, 19);
    luaL_register(L, nullptr, methods);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "Request");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    set_type_tag(L, -1, &kRequestMetaKey);
    lua_pushlightuserdata(L, &kRequestMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

void push_request(lua_State* L, modrt_http_exchange* ex, uint64_t max_body) {
    auto* box = static_cast<RequestBox*>(lua_newuserdata(L, sizeof(RequestBox)));
    *box = RequestBox{exchange_ref(ex), max_body, gate_binding(L)};
    push_request_metatable(L);
    lua_setmetatable(L, -2);
}

}  // namespace modrt::lua
