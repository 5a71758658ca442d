// The current time (wall_clock.hpp).
#include "modules/time/wall_clock.hpp"

#include "modules/time/lua_location.hpp"

#include <modrt/sdk.hpp>

#include <chrono>

namespace modrt::lua {

gotime::Instant local_time_at(lua_State* L, int64_t mono_ns) {
    const int64_t mono_now = host_api().now_ns();
    const int64_t wall_now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    const int64_t wall = wall_now - (mono_now - mono_ns);
    gotime::Instant t = gotime::unix_instant(gotime::floor_div(wall, gotime::kNanosPerSecond),
                                             gotime::floor_mod(wall, gotime::kNanosPerSecond), local_zone(L));
    t.mono = mono_ns;
    return t;
}

gotime::Instant local_now(lua_State* L) { return local_time_at(L, host_api().now_ns()); }

}  // namespace modrt::lua
