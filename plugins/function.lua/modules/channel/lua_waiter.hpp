// Blocking waits of Lua code on futures (future:result, channel receive and
// select). Pure C++ and the host API: no Lua here, so the waits run in a
// scope that Lua errors never cross.
//
// A FutureWatch is shared by a Lua future and the kernel's completion
// callback (registered once per future: the host API cannot unregister one,
// so the callback must own what it touches). A Waiter is one blocked call;
// it is woken by any watch it is added to, and by its frame's cancellation.
#pragma once

#include <modrt/abi.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace modrt::lua {

class Waiter {
public:
    /// Wake the blocked call (from any thread).
    void wake() noexcept;
    /// Block until woken (a wake since the last wait counts), until `until_ns`
    /// (host now_ns clock; 0: no such time) comes, or until `frame` (may be
    /// null) is canceled or passes its deadline. Returns 0 when woken or at
    /// `until_ns`, else MODRT_ERR_CANCELED / MODRT_ERR_TIMEOUT. Callers re-check
    /// their condition after a 0: a cancellation also wakes.
    modrt_error_kind wait(modrt_frame* frame, int64_t until_ns = 0) noexcept;

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool woken_ = false;
};

class FutureWatch {
public:
    /// A watch of `future` (borrowed), wired to its completion. May throw std::bad_alloc.
    static std::shared_ptr<FutureWatch> attach(modrt_future* future);
    bool done() const noexcept;
    /// Add `w` to be woken on completion; false (not added) when already done.
    bool add(Waiter* w);
    /// Remove `w`; afterwards this watch never touches it. Never throws.
    void remove(Waiter* w) noexcept;

private:
    static void on_done(void* user, modrt_future* future) noexcept;
    mutable std::mutex mutex_;
    bool done_ = false;
    std::vector<Waiter*> waiters_;
};

}  // namespace modrt::lua
