// lua_test_unit runs the sandbox on a bare lua_State, with no WorkerState and
// no call: this stands in for lua_call_env.cpp (which needs worker_state.cpp).
#include "lua_call_env.hpp"

namespace modrt::lua {

CallEnv current_call(lua_State*) noexcept { return {}; }

}  // namespace modrt::lua
