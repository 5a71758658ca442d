// Starting calls from Lua (start_call.hpp).
//
// Keeps no C++ object with a destructor alive across a Lua API call that may raise.
#include "modules/call/start_call.hpp"

#include "modules/funcs/lua_future.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_owned.hpp"
#include "values/lua_value.hpp"
#include "vm/call_env.hpp"
#include "vm/call_slots.hpp"
#include "vm/worker_state.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {


modrt_call_options call_options(const CallSettings& s) {
    modrt_call_options options{};
    options.struct_size = sizeof(options);
    options.context = s.context;
    options.actor = s.actor;
    if (s.scope != nullptr) options.scope = host_api().value_string(s.scope);
    options.timeout_ns = s.timeout_ns;
    options.options = s.options;
    return options;
}

// Convert the `nargs` Lua values from `first_arg` into `args` (an array then). On failure
// pushes the error value and returns false. Scalars need no protected call, and when all
// are scalars they go in one host call.
bool read_arguments(lua_State* L, modrt_runtime* runtime, int first_arg, int nargs, modrt_value* args) {
    const modrt_host_api& h = host_api();
    uint64_t limit = value_size_limit(runtime);  // once per call, not per argument
    if (scalar_arguments_to_modrt(L, first_arg, nargs, args, limit)) return true;
    h.value_set_array(args, static_cast<size_t>(nargs));
    for (int i = 0; i < nargs; ++i) {
        modrt_value* arg = h.value_push(args);
        if (!scalar_argument_to_modrt(L, first_arg + i, arg, limit) &&
            !to_modrt_protected(L, first_arg + i, arg, "argument"))
            return false;
    }
    return true;
}

// A synchronous call whose values live in `slot` (the common case: no allocation of its own).
int call_in_slot(lua_State* L, const CallEnv& env, CallSlot& slot, const CallSettings* s, modrt_str target,
                 int first_arg, int nargs) {
    const modrt_host_api& h = host_api();
    // Until release() only a memory error raises; the slot is then freed with the others
    // when the top-level call ends (call_slots.hpp).
    if (!read_arguments(L, env.runtime, first_arg, nargs, slot.args)) {
        env.slots->release();
        return return_error_on_top(L);
    }
    modrt_call_options options = s != nullptr ? call_options(*s) : modrt_call_options{};
    // A callee on this thread's pool runs right here, nested on this same lua_State.
    slot.error = h.call(env.runtime, env.frame, target, slot.args, s != nullptr ? &options : nullptr,
                        slot.result);
    if (slot.error != nullptr) {
        lua_pushnil(L);
        push_modrt_error(L, slot.error);
        h.error_free(slot.error);
        slot.error = nullptr;
        env.slots->release();
        return 2;
    }
    bool ok = push_modrt_scalar(L, slot.result) || push_modrt_protected(L, slot.result);
    env.slots->release();
    return ok ? 1 : return_error_on_top(L);
}

// Any call, its values owned by userdata (asynchronous calls, and synchronous ones
// nested deeper than CallSlots serves).
int call_with_owned(lua_State* L, modrt_runtime* runtime, modrt_frame* frame, const CallSettings* s,
                    modrt_str target, int first_arg, int nargs, bool async) {
    const modrt_host_api& h = host_api();
    OwnedKernel* args = push_owned(L);
    if (!read_arguments(L, runtime, first_arg, nargs, args->value)) return return_error_on_top(L);
    modrt_call_options options = s != nullptr ? call_options(*s) : modrt_call_options{};
    const modrt_call_options* opts = s != nullptr ? &options : nullptr;

    if (async) {
        FutureBox* future = push_future(L);
        modrt_future* started = nullptr;
        args->error = h.call_async(runtime, frame, target, args->value, opts, &started);
        if (args->error != nullptr) return return_owned_error(L, args);
        release_owned(args);
        if (!adopt_future(future, started)) return return_error(L, MODRT_ERR_INTERNAL, "async call: out of memory");
        return 1;  // the future, on top
    }

    OwnedKernel* result = push_owned(L);
    args->error = h.call(runtime, frame, target, args->value, opts, result->value);
    if (args->error != nullptr) {
        release_owned(result);
        return return_owned_error(L, args);
    }
    release_owned(args);
    bool ok = push_modrt_scalar(L, result->value) || push_modrt_protected(L, result->value);
    release_owned(result);
    return ok ? 1 : return_error_on_top(L);
}

}  // namespace

int start_call(lua_State* L, const CallSettings* s, modrt_str target, int first_arg, int nargs, bool async) {
    CallEnv env = current_call(L);
    if (env.runtime == nullptr) return return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    // Room for a callee nested on this state (its invoke cannot grow the stack), and for ours.
    if (!lua_checkstack(L, WorkerState::kNestedCallRoom + 8)) return luaL_error(L, "call: Lua stack overflow");
    env.state->lend_nested_room(L);
    if (!async)
        if (CallSlot* slot = env.slots->acquire()) return call_in_slot(L, env, *slot, s, target, first_arg, nargs);
    return call_with_owned(L, env.runtime, env.frame, s, target, first_arg, nargs, async);
}

}  // namespace modrt::lua
