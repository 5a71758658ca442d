#include "calling/frame.hpp"

#include "calling/async_call.hpp"  // ChildList, held by FrameExtras

#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

struct modrt_cancel_reg {
    modrt_cancel_cb cb = nullptr;
    void* user = nullptr;
    // The frame it was made on and those of its synchronous ancestors cancel_frame may be
    // called on (cancel_target): each holds it in its CancelList, so canceling any of them
    // reaches it. All outlive the registration. Usually one or two: kept inline.
    std::array<const modrt_frame*, 4> frames{};
    size_t nframes = 0;
    std::vector<const modrt_frame*> more_frames;
    // 0 armed, 1 firing, 2 fired or removed: the callback runs at most once and
    // off_cancel waits for a running callback to finish.
    std::atomic<int> state{0};
};

namespace modrt::kernel {

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

FrameExtras& extras_of(const modrt_frame* f) {
    FrameExtras* current = f->extras.load(std::memory_order_acquire);
    if (current != nullptr) return *current;
    auto fresh = std::make_unique<FrameExtras>();
    if (f->extras.compare_exchange_strong(current, fresh.get(), std::memory_order_acq_rel)) return *fresh.release();
    return *current;  // another thread won; `fresh` is freed
}

const Value& empty_map() {
    static const Value empty = Value::map();
    return empty;
}

void actor_retain(const modrt_actor* actor) {
    if (actor) actor->refs.fetch_add(1, std::memory_order_relaxed);
}

void actor_release(const modrt_actor* actor) {
    if (actor && actor->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::unique_ptr<const modrt_actor> owned(actor);
    }
}

namespace {

CancelList& list_of(const modrt_frame* f) { return extras_of(f).cancel_list; }

void fire(modrt_cancel_reg* reg, modrt_error_kind cause) {
    int armed = 0;
    if (!reg->state.compare_exchange_strong(armed, 1, std::memory_order_acq_rel)) return;
    reg->cb(reg->user, cause);
    reg->state.store(2, std::memory_order_release);
}

}  // namespace

void cancel_frame(const modrt_frame* frame, modrt_error_kind cause) {
    int none = 0;
    if (!frame->cancel_cause.compare_exchange_strong(none, static_cast<int>(cause), std::memory_order_acq_rel)) return;
    std::vector<modrt_cancel_reg*> regs;
    FrameExtras* extras = frame->extras.load(std::memory_order_acquire);
    if (extras == nullptr) return;  // nothing registered
    {
        // Claim (state 0 -> 1) under the lock: off_cancel unlists under it, then frees a
        // registration nobody claimed at once and waits for a claimed one to finish. A copy
        // claimed later could be freed between the copy and the call.
        CancelList& list = extras->cancel_list;
        std::lock_guard lock(list.mutex);
        for (auto* reg : list.regs) {
            int armed = 0;
            if (reg->state.compare_exchange_strong(armed, 1, std::memory_order_acq_rel)) regs.push_back(reg);
        }
    }
    for (auto* reg : regs) {
        reg->cb(reg->user, cause);
        reg->state.store(2, std::memory_order_release);
    }
}

namespace {

// What on_cancel returns for a frame that nothing can cancel: no list holds it, off_cancel
// ignores it. Never written: a callback for such a frame is called at once or never.
modrt_cancel_reg never_canceled;

}  // namespace

modrt_cancel_reg* on_cancel(modrt_frame* frame, modrt_cancel_cb cb, void* user) {
    if (!frame->cancelable) {
        // cancel_frame reaches only frames marked cancelable, and a frame is marked when
        // any ancestor is: registering would allocate for a callback that can never run.
        // (A kind watching a deadline-only frame, function.lua's, registers per call.)
        if (modrt_error_kind cause = frame_canceled(frame); cause != 0) cb(user, cause);
        return &never_canceled;
    }
    auto reg = std::make_unique<modrt_cancel_reg>();
    reg->cb = cb;
    reg->user = user;
    for (const modrt_frame* f = frame; f != nullptr; f = f->parent) {
        if (!f->cancel_target) continue;  // no list to be in: frames of synchronous calls
        CancelList& list = list_of(f);
        {
            std::lock_guard lock(list.mutex);
            list.regs.push_back(reg.get());
        }
        if (reg->nframes < reg->frames.size()) reg->frames[reg->nframes++] = f;
        else reg->more_frames.push_back(f);
    }
    modrt_error_kind cause = frame_canceled(frame);
    if (cause != 0) fire(reg.get(), cause);
    return reg.release();  // owned by the caller until off_cancel
}

void off_cancel(modrt_cancel_reg* reg) {
    if (!reg || reg == &never_canceled) return;
    std::unique_ptr<modrt_cancel_reg> owned(reg);
    auto unlist = [reg](const modrt_frame* f) {
        CancelList& list = list_of(f);
        std::lock_guard lock(list.mutex);
        list.regs.erase(std::remove(list.regs.begin(), list.regs.end(), reg), list.regs.end());
    };
    for (size_t i = 0; i < reg->nframes; ++i) unlist(reg->frames[i]);
    for (const modrt_frame* f : reg->more_frames) unlist(f);
    int armed = 0;
    if (reg->state.compare_exchange_strong(armed, 2, std::memory_order_acq_rel)) return;
    while (reg->state.load(std::memory_order_acquire) == 1) std::this_thread::yield();
}

}  // namespace modrt::kernel
