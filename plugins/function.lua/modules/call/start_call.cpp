// Starting calls from Lua (start_call.hpp).
//
// Keeps no C++ object with a destructor alive across a Lua API call that may raise.
#include "modules/call/start_call.hpp"

#include "modules/funcs/lua_future.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_owned.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

// Free room a nested call on this state needs on the Lua stack (call_paths.cpp's kNestedStack and more).
constexpr int kNestedCallRoom = 16;

}  // namespace

int start_call(lua_State* L, const CallSettings* s, modrt_str target, int first_arg, int nargs, bool async) {
    const modrt_host_api& h = host_api();
    CallEnv env = current_call(L);
    if (env.runtime == nullptr) return return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    if (!lua_checkstack(L, kNestedCallRoom + 8)) return luaL_error(L, "call: Lua stack overflow");

    OwnedKernel* args = push_owned(L);
    h.value_set_array(args->value, static_cast<size_t>(nargs));
    for (int i = 0; i < nargs; ++i)
        if (!to_modrt_protected(L, first_arg + i, h.value_push(args->value), "argument")) return return_error_on_top(L);
    modrt_call_options options{};
    options.struct_size = sizeof(options);
    if (s != nullptr) {
        options.context = s->context;
        options.actor = s->actor;
        if (s->scope != nullptr) options.scope = h.value_string(s->scope);
        options.timeout_ns = s->timeout_ns;
        options.options = s->options;
    }
    const modrt_call_options* opts = s != nullptr ? &options : nullptr;

    if (async) {
        FutureBox* future = push_future(L);
        modrt_future* started = nullptr;
        args->error = h.call_async(env.runtime, env.frame, target, args->value, opts, &started);
        if (args->error != nullptr) return return_owned_error(L, args);
        release_owned(args);
        if (!adopt_future(future, started)) return return_error(L, MODRT_ERR_INTERNAL, "async call: out of memory");
        return 1;  // the future, on top
    }

    OwnedKernel* result = push_owned(L);
    // A callee on this thread's pool runs right here, nested on this same lua_State.
    args->error = h.call(env.runtime, env.frame, target, args->value, opts, result->value);
    if (args->error != nullptr) {
        release_owned(result);
        return return_owned_error(L, args);
    }
    release_owned(args);
    bool ok = push_modrt_protected(L, result->value);
    release_owned(result);
    return ok ? 1 : return_error_on_top(L);
}

}  // namespace modrt::lua
