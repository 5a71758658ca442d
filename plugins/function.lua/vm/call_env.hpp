// What the host modules need from the call running Lua code: its frame (the
// parent of the calls it makes, the waiter of its blocking waits, the source
// of ctx values) and the runtime to call into.
#pragma once

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

class CallSlots;    // call_slots.hpp
class WorkerState;  // worker_state.hpp

/// What host modules look up once per call and keep for the rest of it (it cannot change
/// while the call runs); each call starts with an empty one.
struct CallMemo {
    void* http_exchange = nullptr;     ///< what the root frame lends as the HTTP exchange (modules/http)
    bool http_exchange_known = false;  ///< http_exchange was looked up (it may be null)
};

struct CallEnv {
    modrt_frame* frame = nullptr;      ///< the innermost call running on this state
    modrt_runtime* runtime = nullptr;  ///< the runtime that call belongs to
    CallSlots* slots = nullptr;        ///< values synchronous calls from this state reuse
    CallMemo* memo = nullptr;          ///< the innermost call's
    WorkerState* state = nullptr;      ///< the state running it
};

/// The running call of the state behind `L`; every field is null outside a
/// call (a module's top level checked at registry load, a foreign state).
CallEnv current_call(lua_State* L) noexcept;

/// The running call's scheduler ref (LUA_NOREF until the channel chunk makes
/// one; released when the call ends), or nullptr outside a call.
int* current_scheduler_ref(lua_State* L) noexcept;

/// For long-running C code on a state (pattern matching, value conversion):
/// raises CANCELED/TIMEOUT as the cancellation hook does when the running call
/// was canceled; at registry load, charges `ticks` hook ticks against the
/// top-level budget. Returns normally otherwise, and on a foreign state.
void interrupt_point(lua_State* L, long ticks);

/// The message for host-module use outside a call (Wippy's "no execution context").
inline constexpr const char* kNoCallMessage = "no function call is running (host modules work only inside a call)";

}  // namespace modrt::lua
