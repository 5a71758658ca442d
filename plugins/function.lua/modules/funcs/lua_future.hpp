// Wippy's Future: the Lua face of an asynchronous call (funcs.async).
//
//   future:response() / future:channel()  the channel that delivers the result (lua_channel.hpp)
//   future:is_complete()                   finished (result, error or cancellation), never blocks
//   future:is_canceled()                   cancel() stopped it
//   future:result()                        payload, nil | nil, err; blocks until finished or until
//                                          the calling function is canceled / passes its deadline
//   future:error()                         err, true | nil, false; never blocks; err is
//                                          INTERNAL, not retryable (Wippy's wrapper)
//   future:cancel()                        true when the call was still running (it and everything
//                                          beneath it are canceled), else false
//
// The userdata holds the kernel future's reference (released by __gc) and a
// FutureWatch; its environment table caches the settled outcome and the channel.
#pragma once

#include "modules/channel/lua_waiter.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

#include <memory>

namespace modrt::lua {

struct FutureBox {
    modrt_future* future = nullptr;      ///< owned reference; null until the call started
    std::shared_ptr<FutureWatch> watch;  ///< set with the future
    bool canceled = false;               ///< cancel() reached the call before it finished
};

/// Push an empty future userdata (fill it with start_future). Raises on memory errors.
FutureBox* push_future(lua_State* L);
/// Hand `future` (owned) to `box`. Returns false (the future still owned by
/// the box, so __gc releases it) when out of memory. Never raises.
bool adopt_future(FutureBox* box, modrt_future* future) noexcept;
/// The future at `idx`, or nullptr.
FutureBox* test_future(lua_State* L, int idx);

/// When the future at `idx` has finished, push its outcome, `payload, nil`
/// or `nil, err` (made once, then cached), and return true; else push
/// nothing and return false. Raises on memory errors.
bool push_outcome(lua_State* L, int idx);

}  // namespace modrt::lua
