// lua_test_unit runs the sandbox on a bare lua_State, with no WorkerState and
// no call: this stands in for call_env.cpp (which needs the WorkerState).
#include "vm/call_env.hpp"

namespace modrt::lua {

CallEnv current_call(lua_State*) noexcept { return {}; }

int* current_scheduler_ref(lua_State*) noexcept { return nullptr; }  // no call: no scheduler

void interrupt_point(lua_State*, long) {}  // a bare state is never interrupted

}  // namespace modrt::lua
