// Finding and checking the running call's exchange (http_exchange_access.hpp).
#include "modules/http/http_exchange_access.hpp"

#include "values/lua_errors.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

// Registry key (its address) of push_error_body, kept there so that pushing an
// exchange's error allocates nothing before the protected call that owns it.
char kErrorBodyKey;

// push_error_body(err): the error value of `err` (light userdata), under lua_pcall.
int push_error_body(lua_State* L) {
    push_modrt_error(L, static_cast<const modrt_error*>(lua_touserdata(L, 1)));
    return 1;
}

}  // namespace

modrt_http_exchange* running_exchange(lua_State* L) noexcept {
    CallEnv call = current_call(L);
    if (call.frame == nullptr) return nullptr;
    // Once per call: a handler reaches it in http.request(), http.response() and every method,
    // and frame_attachment walks to the root frame and compares the key each time.
    if (call.memo->http_exchange_known) return static_cast<modrt_http_exchange*>(call.memo->http_exchange);
    void* lent = host_api().frame_attachment(call.frame, to_str(MODRT_HTTP_EXCHANGE_KEY));
    auto* ex = static_cast<modrt_http_exchange*>(lent);
    // Something lent under the key that is no exchange this header describes: none.
    if (ex != nullptr && (ex->struct_size < sizeof(modrt_http_exchange) || ex->api == nullptr)) ex = nullptr;
    call.memo->http_exchange = ex;
    call.memo->http_exchange_known = true;
    return ex;
}

ExchangeRef exchange_ref(modrt_http_exchange* ex) noexcept { return ExchangeRef{ex, ex->serial}; }

modrt_http_exchange* live_exchange(lua_State* L, const ExchangeRef& ref) noexcept {
    modrt_http_exchange* ex = running_exchange(L);
    return ex != nullptr && ex == ref.ex && ex->serial == ref.serial ? ex : nullptr;
}

const char* no_exchange_message(lua_State* L) noexcept {
    if (current_call(L).frame == nullptr) return kNoCallMessage;
    return "no HTTP request is being served by this call (only a function an HTTP endpoint calls, and the "
           "synchronous calls it makes, see one; funcs.async calls do not)";
}

void install_exchange_error_helper(lua_State* L) {
    lua_pushlightuserdata(L, &kErrorBodyKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool present = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (present) return;
    lua_pushlightuserdata(L, &kErrorBodyKey);
    lua_pushcfunction(L, push_error_body);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

int push_exchange_error(lua_State* L, modrt_error* err) {
    // Neither a registry read nor a light userdata allocates: nothing can raise before the pcall.
    lua_pushlightuserdata(L, &kErrorBodyKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, err);
    int status = lua_pcall(L, 1, 1, 0);
    host_api().error_free(err);
    if (status != 0) return lua_error(L);  // out of memory: raise it, err is freed
    return 1;
}

}  // namespace modrt::lua
