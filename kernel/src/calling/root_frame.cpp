// Root frames a plugin makes (host root_frame_new and friends, abi.h minor 6): the parent
// of a trigger's calls, which it cancels when the request behind them goes away.
#include "calling/root_frame.hpp"

#include "calling/call_path.hpp"
#include "host_api/host_oom.hpp"
#include "runtime/runtime_impl.hpp"

namespace modrt::kernel {

namespace {

modrt_frame* make_root(modrt_runtime* rt, const modrt_call_options* options, modrt_str key, void* attachment) {
    auto root = std::make_unique<modrt_frame>();
    root->runtime = rt;
    root->storage = std::make_unique<FrameStorage>();
    FrameStorage& s = *root->storage;
    s.context = Value::map();
    root->context = &s.context;
    // What the options leave unset comes from runtime.security's outside caller, as for Runtime::call.
    if (const modrt_frame* outside = rt->outside.get()) {
        actor_retain(outside->actor);
        s.actor = outside->actor;
        s.scope.assign(outside->scope);
    }
    root->actor = s.actor;
    root->scope = s.scope;
    root->cancelable = true;
    root->cancel_target = true;
    if (options != nullptr) apply_options(*root, options);
    if (key.len > 0) {
        s.attachment_key.assign(key.ptr, key.len);
        s.attachment = attachment;
    }
    return root.release();  // owned by the plugin until root_frame_release
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
