// Root frames a plugin makes (host root_frame_new and friends, abi.h minor 6): the parent
// of a trigger's calls, which it cancels when the request behind them goes away.
#include "calling/root_frame.hpp"

#include "calling/call_path.hpp"
#include "host_api/host_oom.hpp"
#include "runtime/runtime_impl.hpp"

#include <memory>
#include <mutex>

namespace modrt::kernel {

namespace {

// Fill a default-constructed frame (its storage, when it has one, emptied) as a root frame.
void init_root(modrt_frame& root, modrt_runtime* rt, const modrt_call_options* options, modrt_str key,
               void* attachment) {
    root.runtime = rt;
    if (!root.storage) root.storage = std::make_unique<FrameStorage>();
    FrameStorage& s = *root.storage;
    s.context.reset(MODRT_MAP);
    root.context = &s.context;
    // What the options leave unset comes from runtime.security's outside caller, as for Runtime::call.
    if (const modrt_frame* outside = rt->outside.get()) {
        actor_retain(outside->actor);
        s.actor = outside->actor;
        s.scope.assign(outside->scope);
    }
    root.actor = s.actor;
    root.scope = s.scope;
    root.cancelable = true;
    root.cancel_target = true;
    if (options != nullptr) apply_options(root, options);
    if (key.len > 0) {
        s.attachment_key.assign(key.ptr, key.len);
        s.attachment = attachment;
    }
}

modrt_frame* make_root(modrt_runtime* rt, const modrt_call_options* options, modrt_str key, void* attachment) {
    auto root = std::make_unique<modrt_frame>();
    init_root(*root, rt, options, key, attachment);
    return root.release();  // owned by the plugin until root_frame_release
}

// What root_frame_release then root_frame_new would leave, in the same memory: the frame's
// fields back to their defaults, its storage emptied (buffers kept), its extras kept with an
// empty cancel list and no children.
void renew_root(modrt_frame& frame, const modrt_call_options* options, modrt_str key, void* attachment) {
    end_children(frame);  // as root_frame_release: async calls never outlive the frame they were started under
    modrt_runtime* rt = frame.runtime;
    std::unique_ptr<FrameStorage> storage = std::move(frame.storage);
    std::unique_ptr<FrameExtras> extras(frame.extras.exchange(nullptr, std::memory_order_acq_rel));
    std::destroy_at(&frame);
    std::construct_at(&frame);
    if (storage) {
        actor_release(storage->actor);
        storage->actor = nullptr;
        storage->scope.clear();
        storage->options.reset(MODRT_NIL);
        storage->attachment_key.clear();
        storage->attachment = nullptr;
        frame.storage = std::move(storage);
    }
    if (extras) {
        {
            std::lock_guard lock(extras->cancel_list.mutex);
            extras->cancel_list.regs.clear();  // every call returned, so every registration is off
        }
        std::lock_guard lock(extras->children_mutex);
        extras->children.reset();
    }
    frame.extras.store(extras.release(), std::memory_order_release);
    init_root(frame, rt, options, key, attachment);
}

}  // namespace

modrt_frame* root_frame_new(modrt_runtime* rt, const modrt_call_options* options, modrt_str key,
                            void* attachment) noexcept {
    try {
        return make_root(rt, options, key, attachment);
    } catch (...) {  // out of memory: the plugin sees NULL (abi.h), never an exception
        note_host_alloc_failure();
        return nullptr;
    }
}

modrt_frame* root_frame_renew(modrt_runtime* rt, modrt_frame* frame, const modrt_call_options* options, modrt_str key,
                              void* attachment) noexcept {
    if (frame == nullptr) return root_frame_new(rt, options, key, attachment);
    try {
        renew_root(*frame, options, key, attachment);
        return frame;
    } catch (...) {  // out of memory: released, and the plugin sees NULL (abi.h)
        note_host_alloc_failure();
        root_frame_release(frame);
        return nullptr;
    }
}

void root_frame_cancel(modrt_frame* frame) noexcept { cancel_frame(frame, MODRT_ERR_CANCELED); }

void root_frame_release(modrt_frame* frame) noexcept {
    if (frame == nullptr) return;
    std::unique_ptr<modrt_frame> owned(frame);
    end_children(*owned);  // async calls never outlive the frame they were started under
}

void* frame_attachment(const modrt_frame* frame, modrt_str key) noexcept {
    while (frame != nullptr && frame->parent != nullptr) frame = frame->parent;
    if (frame == nullptr || !frame->storage || frame->storage->attachment == nullptr) return nullptr;
    const std::string& k = frame->storage->attachment_key;
    return std::string_view(key.ptr, key.len) == k ? frame->storage->attachment : nullptr;
}

}  // namespace modrt::kernel
