// time.sleep (lua_sleep.hpp).
#include "modules/time/lua_sleep.hpp"

#include "modules/channel/lua_waiter.hpp"
#include "modules/time/lua_duration.hpp"
#include "values/lua_errors.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

#include <limits>
#include <string>

namespace modrt::lua {
namespace {

// Block until `until_ns` (now_ns clock) or until `frame` is canceled or passes its
// deadline; 0 or the cancellation's kind. Plain C++: no Lua error crosses it.
modrt_error_kind sleep_until(modrt_frame* frame, int64_t until_ns) noexcept {
    Waiter waiter;  // nothing wakes it but the frame's cancellation
    while (host_api().now_ns() < until_ns) {
        modrt_error_kind cause = waiter.wait(frame, until_ns);
        // A wake (0) is the cancellation's callback: the frame says what it was.
        if (cause == MODRT_ERR_UNKNOWN) cause = host_api().frame_canceled(frame);
        if (cause != MODRT_ERR_UNKNOWN) return cause;
    }
    return MODRT_ERR_UNKNOWN;
}

// The now_ns time a sleep of the duration at index 1 ends; 0 when it is not positive.
// Raises INVALID for a bad duration.
int64_t read_deadline(lua_State* L) {
    int64_t d = 0;
    bool ok = false;
    {
        std::string why;
        ok = read_duration(L, 1, &d, &why);
        if (!ok) lua_pushfstring(L, "time.sleep: %s", why.c_str());
    }
    if (!ok) raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    if (d <= 0) return 0;
    const int64_t now = host_api().now_ns();
    return d > std::numeric_limits<int64_t>::max() - now ? std::numeric_limits<int64_t>::max() : now + d;
}

}  // namespace

int time_sleep(lua_State* L) {
    const int64_t until = read_deadline(L);
    modrt_frame* frame = current_call(L).frame;
    if (frame == nullptr) return raise_error(L, MODRT_ERR_INTERNAL, "time.sleep: no function call is running");
    if (until == 0) return 0;
    const modrt_error_kind cause = sleep_until(frame, until);
    if (cause == MODRT_ERR_UNKNOWN) return 0;
    interrupt_point(L, 0);  // raises as the cancellation hook does, marking the call as stopped
    return raise_error(L, cause,
                       cause == MODRT_ERR_TIMEOUT ? "time.sleep: deadline exceeded while sleeping"
                                                  : "time.sleep: canceled while sleeping");
}

int time_sleep_deadline(lua_State* L) {
    const int64_t until = read_deadline(L);
    if (until == 0) lua_pushnil(L);
    else lua_pushnumber(L, static_cast<lua_Number>(until));
    return 1;
}

}  // namespace modrt::lua
