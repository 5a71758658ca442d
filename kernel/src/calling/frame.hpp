// Frames: what a call inherits from its caller (context, actor, scope,
// options, deadline) and how cancellation reaches it.
#pragma once

#include <modrt/abi.h>
#include <modrt/kernel/value.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

struct modrt_actor {
    mutable std::atomic<int> refs{1};
    std::string id;
    modrt_value meta = modrt_value::map();
};

namespace modrt::kernel {

struct Entry;

void actor_retain(const modrt_actor* actor);
void actor_release(const modrt_actor* actor);

/// Data a frame introduces (instead of borrowing its caller's).
struct FrameStorage {
    Value context;
    const modrt_actor* actor = nullptr;  // one reference held
    std::string scope;
    Value options;
    // What a root frame from root_frame_new lends its calls (frame_attachment); empty key: nothing.
    std::string attachment_key;
    void* attachment = nullptr;
    ~FrameStorage() { actor_release(actor); }
};

struct ChildList;  // asynchronous calls started under a frame (async_call.cpp)

/// Registrations made with frame_on_cancel on a frame or its descendants.
struct CancelList {
    std::mutex mutex;
    std::vector<modrt_cancel_reg*> regs;
};

/// What only some frames need, allocated on first use so a plain call builds a small frame.
struct FrameExtras {
    CancelList cancel_list;
    std::mutex children_mutex;
    // Async calls started under this frame; canceled when it ends. Shared with the
    // calls, which unlist themselves when they finish first.
    std::shared_ptr<ChildList> children;
};

}  // namespace modrt::kernel

struct modrt_frame {
    modrt_runtime* runtime = nullptr;
    const modrt_frame* parent = nullptr;          // a synchronous caller, which outlives this frame
    const modrt::kernel::Entry* entry = nullptr;  // the target; null for a root frame
    const modrt_value* context = nullptr;         // effective context map; null: empty
    const modrt_actor* actor = nullptr;           // null: anonymous
    std::string_view scope;
    const modrt_value* options = nullptr;  // per-call options map or null
    int64_t deadline_ns = 0;               // 0: none; already the min of the caller's
    uint32_t depth = 0;
    // cancel_frame may reach this frame (it or an ancestor has a canceler or is a future's).
    // Set where such frames are built and inherited by children: a frame without it and
    // without a deadline never becomes canceled, so kinds may skip in-call checks.
    bool cancelable = false;
    // cancel_frame may be called on this very frame (a root with a canceler, a future's):
    // only these frames' lists need to hold a frame_on_cancel registration.
    bool cancel_target = false;
    mutable std::atomic<int> cancel_cause{0};  // 0, MODRT_ERR_CANCELED or MODRT_ERR_TIMEOUT
    std::unique_ptr<modrt::kernel::FrameStorage> storage;
    mutable std::atomic<modrt::kernel::FrameExtras*> extras{nullptr};  // owned; see extras_of()

    modrt_frame() = default;
    modrt_frame(const modrt_frame&) = delete;
    modrt_frame& operator=(const modrt_frame&) = delete;
    ~modrt_frame() { std::unique_ptr<modrt::kernel::FrameExtras> owned(extras.load(std::memory_order_relaxed)); }
};

namespace modrt::kernel {

int64_t now_ns();

/// 0 while the call may go on; else the cause (this frame, an ancestor, or the deadline).
inline modrt_error_kind frame_canceled(const modrt_frame* f) {
    if (f->deadline_ns != 0 && now_ns() >= f->deadline_ns) return MODRT_ERR_TIMEOUT;
    for (; f != nullptr; f = f->parent) {
        int cause = f->cancel_cause.load(std::memory_order_acquire);
        if (cause != 0) return static_cast<modrt_error_kind>(cause);
    }
    return MODRT_ERR_UNKNOWN;
}

/// Whether the call may be stopped while it runs: a deadline, or cancellation that can reach it.
inline bool frame_stoppable(const modrt_frame* f) { return f->cancelable || f->deadline_ns != 0; }

/// Cancel a frame and everything beneath it; fires registered callbacks once. Only for
/// frames marked `cancel_target` (which are `cancelable`, as are their children), or a
/// running kind may not notice.
void cancel_frame(const modrt_frame* frame, modrt_error_kind cause);

modrt_cancel_reg* on_cancel(modrt_frame* frame, modrt_cancel_cb cb, void* user);
void off_cancel(modrt_cancel_reg* reg);

/// The frame's extras, created on first use (any thread may ask: a lost race frees its copy).
FrameExtras& extras_of(const modrt_frame* f);

/// An empty map: the context of a frame whose context pointer is null.
const Value& empty_map();

}  // namespace modrt::kernel
