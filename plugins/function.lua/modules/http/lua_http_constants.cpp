// The http module's constant tables (lua_http_constants.hpp).
#include "modules/http/lua_http_constants.hpp"

#include "vm/sandbox.hpp"

#include <iterator>

namespace modrt::lua {
namespace {

struct NumberConstant {
    const char* name;
    int value;
};

struct StringConstant {
    const char* name;
    const char* value;
};

constexpr StringConstant kHttpMethods[] = {{"GET", "GET"},        {"POST", "POST"},   {"PUT", "PUT"},
                                       {"DELETE", "DELETE"},  {"PATCH", "PATCH"}, {"HEAD", "HEAD"},
                                       {"OPTIONS", "OPTIONS"}};

constexpr NumberConstant kStatus[] = {
    {"OK", 200},
    {"CREATED", 201},
    {"ACCEPTED", 202},
    {"NO_CONTENT", 204},
    {"PARTIAL_CONTENT", 206},
    {"MOVED_PERMANENTLY", 301},
    {"FOUND", 302},
    {"SEE_OTHER", 303},
    {"NOT_MODIFIED", 304},
    {"TEMPORARY_REDIRECT", 307},
    {"PERMANENT_REDIRECT", 308},
    {"BAD_REQUEST", 400},
    {"UNAUTHORIZED", 401},
    {"PAYMENT_REQUIRED", 402},
    {"FORBIDDEN", 403},
    {"NOT_FOUND", 404},
    {"METHOD_NOT_ALLOWED", 405},
    {"NOT_ACCEPTABLE", 406},
    {"CONFLICT", 409},
    {"GONE", 410},
    {"UNPROCESSABLE", 422},
    {"TOO_MANY_REQUESTS", 429},
    {"INTERNAL_ERROR", 500},
    {"INTERNAL_SERVER_ERROR", 500},  // Wippy's alias
    {"NOT_IMPLEMENTED", 501},
    {"BAD_GATEWAY", 502},
    {"SERVICE_UNAVAILABLE", 503},
    {"GATEWAY_TIMEOUT", 504},
    {"VERSION_NOT_SUPPORTED", 505},
};

constexpr StringConstant kContent[] = {{"JSON", "application/json"},
                                       {"FORM", "application/x-www-form-urlencoded"},
                                       {"MULTIPART", "multipart/form-data"},
                                       {"TEXT", "text/plain"},
                                       {"STREAM", "application/octet-stream"}};

constexpr StringConstant kTransfer[] = {{"CHUNKED", "chunked"}, {"SSE", "sse"}};

// Replace the table on top of the stack with a read-only proxy of it, stored as module[name].
void set_readonly(lua_State* L, int module, const char* name, const char* proxy_name) {
    lua_newuserdata(L, 0);
    push_readonly_meta(L, -2, "table", proxy_name);
    lua_setmetatable(L, -2);
    lua_setfield(L, module, name);
    lua_pop(L, 1);
}

template <size_t N>
void set_strings(lua_State* L, int module, const char* name, const char* proxy_name, const StringConstant (&items)[N]) {
    lua_createtable(L, 0, static_cast<int>(N));
    for (const auto& c : items) {
        lua_pushstring(L, c.value);
        lua_setfield(L, -2, c.name);
    }
    set_readonly(L, module, name, proxy_name);
}

}  // namespace

void set_http_constants(lua_State* L, int module) {
    module = module < 0 ? lua_gettop(L) + module + 1 : module;
    set_strings(L, module, "METHOD", "http.METHOD", kHttpMethods);
    lua_createtable(L, 0, static_cast<int>(std::size(kStatus)));
    for (const auto& c : kStatus) {
        lua_pushinteger(L, c.value);
        lua_setfield(L, -2, c.name);
    }
    set_readonly(L, module, "STATUS", "http.STATUS");
    set_strings(L, module, "CONTENT", "http.CONTENT", kContent);
    set_strings(L, module, "TRANSFER", "http.TRANSFER", kTransfer);
}

}  // namespace modrt::lua
