// One call in flight on a WorkerState, shared by the files that implement the
// state's jobs (worker_state.cpp, call_paths.cpp, cancel_hook.cpp): not for
// use outside vm/.
#pragma once

#include "vm/call_env.hpp"
#include "vm/worker_state.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

#include <memory>

namespace modrt::lua {

/// One call in flight on a state; WorkerState::call_ is the innermost.
struct CallCtx {
    WorkerState* ws;
    const std::shared_ptr<const ModuleSpec>* spec;
    modrt_frame* frame;
    const modrt_value* args;
    modrt_value* result;
    modrt_error* error;
    modrt_error_kind canceled;  ///< set by the hook when it raised a cancellation
    CallCtx* prev;              ///< the call this one is nested in, on the same state
    int scheduler = LUA_NOREF;  ///< registry ref of its coroutines' scheduler (lua_channel.hpp), once it has one
    CallMemo memo{};            ///< what host modules looked up for this call (call_env.hpp)
};

/// The slow path's body, run by lua_pcall: call(ctx) (call_paths.cpp). Made a registry ref at state creation.
int call_protected(lua_State* L);
/// The fast path's conversions that may allocate: finish(ctx, failed, a, b) (call_paths.cpp). Made a registry ref too.
int finish_protected(lua_State* L);

}  // namespace modrt::lua
