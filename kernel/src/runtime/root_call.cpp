// Calls from outside the runtime (Runtime::call): the root frame, and canceling it.
#include "calling/call_path.hpp"
#include "runtime/runtime_impl.hpp"

namespace modrt::kernel {

CallResult Runtime::call(std::string_view id, const Value& args) {
    CallResult r;  // no root frame to build (the hot path of embedders): the outside frame is prebuilt
    r.error.reset(dispatch(impl_.get(), impl_->outside.get(), id, &args, nullptr, &r.value));
    return r;
}

FunctionRef Runtime::find(std::string_view id, ErrorPtr* why) const {
    FunctionRef ref;
    ref.id_ = std::string(id);
    const Entry* e = nullptr;
    // A root call's depth: what a call by id from outside would check.
    if (ErrorPtr err(resolve_callable(impl_.get(), 1, id, &e)); err) {
        if (why) *why = std::move(err);
        return ref;
    }
    ref.runtime_ = impl_.get();
    ref.entry_ = e;
    return ref;
}

CallResult Runtime::call(const FunctionRef& fn, const Value& args) {
    CallResult r;  // one result object on every path, so it is built in the caller's (no move)
    if (fn.runtime_ == impl_.get()) [[likely]]
        r.error.reset(dispatch_entry(impl_.get(), impl_->outside.get(), fn.entry_, &args, &r.value));
    else if (!fn)  // fails as its id does
        r.error.reset(dispatch(impl_.get(), impl_->outside.get(), fn.id(), &args, nullptr, &r.value));
    else
        r.error = make_error(MODRT_ERR_INVALID, "'" + fn.id() + "' was found in another runtime");
    return r;
}

CallResult Runtime::call(std::string_view id, const Value& args, const CallOptions& options) {
    bool plain = options.context.keys.empty() && options.actor_id.empty() && options.scope.empty() &&
                 options.timeout.count() == 0 && !options.canceler;
    if (plain) return call(id, args);
    CallResult r;
    modrt_frame root;
    root.runtime = impl_.get();
    root.storage = std::make_unique<FrameStorage>();
    root.storage->context = options.context.type == MODRT_MAP ? options.context : Value::map();
    root.context = &root.storage->context;
    // What the options leave unset comes from runtime.security's outside caller.
    const modrt_frame* outside = impl_->outside.get();
    if (!options.actor_id.empty()) {
        auto actor = std::make_unique<modrt_actor>();
        actor->id = options.actor_id;
        if (options.actor_meta.type == MODRT_MAP) actor->meta = options.actor_meta;
        root.storage->actor = actor.release();  // reference counted from here on
    } else if (outside && outside->actor) {
        actor_retain(outside->actor);
        root.storage->actor = outside->actor;
    }
    root.actor = root.storage->actor;
    root.storage->scope = !options.scope.empty() ? options.scope
                          : outside              ? std::string(outside->scope)
                                                 : std::string();
    root.scope = root.storage->scope;
    if (options.timeout.count() > 0) root.deadline_ns = now_ns() + options.timeout.count();
    root.cancelable = options.canceler != nullptr;
    root.cancel_target = root.cancelable;
    if (options.canceler) options.canceler->attach(&root);
    r.error.reset(dispatch(impl_.get(), &root, id, &args, nullptr, &r.value));
    if (options.canceler) options.canceler->detach();
    return r;
}

void CallCanceler::cancel() {
    std::lock_guard lock(mutex_);
    canceled_ = true;
    if (frame_ != nullptr) cancel_frame(frame_, MODRT_ERR_CANCELED);
}

bool CallCanceler::canceled() const {
    std::lock_guard lock(mutex_);
    return canceled_;
}

void CallCanceler::attach(modrt_frame* root) {
    std::lock_guard lock(mutex_);
    frame_ = root;
    if (canceled_) cancel_frame(root, MODRT_ERR_CANCELED);
}

void CallCanceler::detach() {
    std::lock_guard lock(mutex_);
    frame_ = nullptr;
}

}  // namespace modrt::kernel
