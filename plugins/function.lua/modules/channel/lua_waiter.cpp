// Waits on futures that a call's cancellation or deadline interrupts (lua_waiter.hpp).
#include "modules/channel/lua_waiter.hpp"

#include <modrt/sdk.hpp>

#include <algorithm>
#include <chrono>

namespace modrt::lua {
namespace {

void wake_on_cancel(void* user, modrt_error_kind) { static_cast<Waiter*>(user)->wake(); }

constexpr std::chrono::nanoseconds kLongestSlice = std::chrono::hours(1);

}  // namespace

void Waiter::wake() noexcept {
    std::lock_guard lock(mutex_);
    woken_ = true;
    cv_.notify_all();
}

modrt_error_kind Waiter::wait(modrt_frame* frame, int64_t until_ns) noexcept {
    const modrt_host_api& h = host_api();
    // Registered before locking: the callback runs at once when the frame is already canceled.
    modrt_cancel_reg* reg = frame != nullptr ? h.frame_on_cancel(frame, &wake_on_cancel, this) : nullptr;
    modrt_error_kind cause = MODRT_ERR_UNKNOWN;
    {
        std::unique_lock lock(mutex_);
        while (!woken_) {
            if (frame != nullptr && (cause = h.frame_canceled(frame)) != MODRT_ERR_UNKNOWN) break;
            const int64_t now = h.now_ns();
            if (until_ns != 0 && now >= until_ns) break;
            int64_t deadline = frame != nullptr ? h.frame_deadline_ns(frame) : 0;
            if (until_ns != 0 && (deadline == 0 || until_ns < deadline)) deadline = until_ns;
            if (deadline != 0) {
                // The deadline passing fires no callback: wake up for it. The loop re-reads the frame.
                // Waits are sliced: a far deadline would overflow the clock inside wait_for.
                int64_t left = std::min<int64_t>(deadline - now, kLongestSlice.count());
                if (left > 0) cv_.wait_for(lock, std::chrono::nanoseconds(left));
            } else {
                cv_.wait(lock);
            }
        }
        woken_ = false;  // consumed: the caller re-checks what woke it
    }
    h.frame_off_cancel(reg);  // unlocked: the callback may be waiting for the mutex
    return cause;
}

std::shared_ptr<FutureWatch> FutureWatch::attach(modrt_future* future) {
    auto watch = std::make_shared<FutureWatch>();
    // The callback owns a reference: it may run after the Lua future is collected.
    auto held = std::make_unique<std::shared_ptr<FutureWatch>>(watch);
    host_api().future_on_done(future, &FutureWatch::on_done, held.release());
    return watch;
}

void FutureWatch::on_done(void* user, modrt_future*) noexcept {
    std::unique_ptr<std::shared_ptr<FutureWatch>> held(static_cast<std::shared_ptr<FutureWatch>*>(user));
    FutureWatch& w = **held;
    std::lock_guard lock(w.mutex_);  // held while waking: remove() then cannot return mid-wake
    w.done_ = true;
    for (Waiter* waiter : w.waiters_) waiter->wake();
    w.waiters_.clear();
}

bool FutureWatch::done() const noexcept {
    std::lock_guard lock(mutex_);
    return done_;
}

bool FutureWatch::add(Waiter* w) {
    std::lock_guard lock(mutex_);
    if (done_) return false;
    waiters_.push_back(w);
    return true;
}

void FutureWatch::remove(Waiter* w) noexcept {
    std::lock_guard lock(mutex_);
    std::erase(waiters_, w);
}

}  // namespace modrt::lua
