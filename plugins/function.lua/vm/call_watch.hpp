// What sets the cancellation hook of a running call when, and only when, the
// call must stop (README.md, "Cancellation").
//
// With the JIT on, a count hook left set all along would make every compiled
// loop leave its trace at each iteration (LuaJIT is built with
// LUAJIT_ENABLE_CHECKHOOK: compiled code tests the hook mask). So a call that
// can be stopped runs without the hook, and a CallWatch sets it from the
// thread that stops the call: the canceller (host frame_on_cancel) or the
// deadline timer. The hook then raises CANCELED/TIMEOUT on the worker, in the
// interpreter, as it always did.
#pragma once

#include "vm/deadline_timer.hpp"

#include <modrt/abi.h>

namespace modrt::lua {

class WorkerState;

class CallWatch {
public:
    /// Watch `frame` (a stoppable call's) for `ws`: its cancellation, and its deadline through `timer`.
    /// Never throws: when a registration cannot be made, the hook is set at once (slower, still stopped).
    CallWatch(WorkerState& ws, modrt_frame* frame, DeadlineTimer& timer) noexcept;
    /// Unregisters both: after it returns, nothing sets the hook on behalf of this call.
    ~CallWatch();
    CallWatch(const CallWatch&) = delete;
    CallWatch& operator=(const CallWatch&) = delete;

private:
    DeadlineTimer& timer_;
    DeadlineTimer::Ticket ticket_ = 0;
    modrt_cancel_reg* reg_ = nullptr;
};

}  // namespace modrt::lua
