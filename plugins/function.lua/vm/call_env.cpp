// The running call of a state (call_env.hpp).
#include "vm/call_env.hpp"

#include "vm/worker_state.hpp"

namespace modrt::lua {

CallEnv current_call(lua_State* L) noexcept {
    WorkerState* ws = WorkerState::of(L);
    if (ws == nullptr) return {};
    modrt_frame* frame = ws->current_frame();
    if (frame == nullptr) return {};
    return {frame, ws->runtime(), &ws->call_slots(), ws->current_memo(), ws};
}

int* current_scheduler_ref(lua_State* L) noexcept {
    WorkerState* ws = WorkerState::of(L);
    return ws != nullptr ? ws->scheduler_ref() : nullptr;
}

void interrupt_point(lua_State* L, long ticks) {
    if (WorkerState* ws = WorkerState::of(L)) ws->check_interrupt(L, ticks);
}

}  // namespace modrt::lua
