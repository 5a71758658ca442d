// Setting the hook when a call must stop (call_watch.hpp).
#include "vm/call_watch.hpp"

#include "vm/worker_state.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

void arm(void* ws) { static_cast<WorkerState*>(ws)->arm_cancel_hook(); }
void arm_on_cancel(void* ws, modrt_error_kind) { arm(ws); }

}  // namespace

CallWatch::CallWatch(WorkerState& ws, modrt_frame* frame, DeadlineTimer& timer) noexcept : timer_(timer) {
    const modrt_host_api& h = host_api();
    // frame_on_cancel does not fire when a deadline passes, only on cancellation (or at
    // once, when the frame is already canceled or past its deadline): the timer does the rest.
    reg_ = h.frame_on_cancel(frame, &arm_on_cancel, &ws);
    if (reg_ == nullptr) ws.arm_cancel_hook();
    if (int64_t deadline = h.frame_deadline_ns(frame); deadline != 0) {
        try {
            ticket_ = timer_.add(deadline, &arm, &ws);
        } catch (...) {
            ws.arm_cancel_hook();
        }
    }
}

CallWatch::~CallWatch() {
    if (ticket_ != 0) timer_.remove(ticket_);
    host_api().frame_off_cancel(reg_);
}

}  // namespace modrt::lua
