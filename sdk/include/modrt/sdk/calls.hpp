// modrt SDK, Calls: frames, logging, futures, the runtime handle (Host) and entry information.
// Part of the header-only C++ layer; include <modrt/sdk.hpp>.
#ifndef MODRT_SDK_CALLS_HPP
#define MODRT_SDK_CALLS_HPP

#include <modrt/sdk/errors.hpp>
#include <modrt/sdk/shared_objects.hpp>

#include <memory>
#include <string_view>
#include <utility>

namespace modrt {

/// A borrowed view of the frame of the current call.
class Frame {
public:
    explicit Frame(modrt_frame* f) noexcept : f_(f) {}
    modrt_frame* raw() const noexcept { return f_; }
    std::string_view target() const noexcept { return to_view(host_api().frame_target(f_)); }
    /// Context value under `key` (nil view when absent).
    ValueView context(std::string_view key) const noexcept {
        return ValueView(host_api().frame_context_get(f_, to_str(key)));
    }
    ValueView context() const noexcept { return ValueView(host_api().frame_context(f_)); }
    const modrt_actor* actor() const noexcept { return host_api().frame_actor(f_); }
    std::string_view scope() const noexcept { return to_view(host_api().frame_scope(f_)); }
    ValueView options() const noexcept { return ValueView(host_api().frame_options(f_)); }
    /// 0, MODRT_ERR_CANCELED or MODRT_ERR_TIMEOUT.
    modrt_error_kind canceled() const noexcept { return host_api().frame_canceled(f_); }
    int64_t deadline_ns() const noexcept { return host_api().frame_deadline_ns(f_); }
    /// Whether something may stop the call while it runs (host frame_stoppable, ABI minor 3).
    template <unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
    bool stoppable() const noexcept {
        static_assert(
            TargetMinor >= 3,
            "Frame::stoppable needs ABI minor 3: raise MODRT_TARGET_ABI_MINOR, or treat every call as stoppable");
        return host_api().frame_stoppable(f_) != 0;
    }

private:
    modrt_frame* f_;
};

/// Log through the kernel's logger.
inline void log(modrt_log_level level, std::string_view source, std::string_view message) noexcept {
    host_api().log(level, to_str(source), to_str(message));
}

/// An owned future of an asynchronous call (future_release on destruction cancels it if unfinished).
class Future {
public:
    Future() = default;
    explicit Future(modrt_future* f) noexcept : f_(f) {}
    Future(Future&& o) noexcept : f_(std::exchange(o.f_, nullptr)) {}
    Future& operator=(Future&& o) noexcept {
        std::swap(f_, o.f_);
        return *this;
    }
    Future(const Future&) = delete;
    Future& operator=(const Future&) = delete;
    ~Future() {
        if (f_) host_api().future_release(f_);
    }

    modrt_future* raw() const noexcept { return f_; }
    bool done() const noexcept { return host_api().future_done(f_) != 0; }
    /// Block until done, or until `waiter` (the current call's frame) is cancelled: then its error.
    Error wait(modrt_frame* waiter) const noexcept { return Error(host_api().future_wait(f_, waiter)); }
    /// The call's error, or its result copied into `result`.
    Error result(ValueSlot result) const noexcept { return Error(host_api().future_result(f_, result.raw())); }
    /// Cancel the call and all beneath it; true if it was still running.
    bool cancel() noexcept { return host_api().future_cancel(f_) != 0; }

private:
    modrt_future* f_ = nullptr;
};

/// The host as a plugin instance sees it: the API table plus its runtime and config.
class Host {
public:
    Host(const modrt_host_api* api, const modrt_value* config, std::string_view plugin_name,
         SharedObjects* shared = nullptr) noexcept
        : api_(api), config_(config), name_(plugin_name), shared_(shared) {}
    const modrt_host_api& api() const noexcept { return *api_; }
    modrt_runtime* runtime() const noexcept { return api_->runtime; }
    ValueView config() const noexcept { return config_; }
    std::string_view plugin_name() const noexcept { return name_; }
    void log(modrt_log_level level, std::string_view message) const noexcept {
        api_->log(level, to_str(name_), to_str(message));
    }
    /// Synchronous call of `id` as a child of `parent` (nullptr: root).
    Error call(modrt_frame* parent, std::string_view id, ValueView args, ValueSlot result,
               const modrt_call_options* options = nullptr) const noexcept {
        return Error(api_->call(api_->runtime, parent, to_str(id), args.raw(), options, result.raw()));
    }
    /// Start `id` asynchronously as a child of `parent` (nullptr: root); on success `out` holds the future.
    Error call_async(modrt_frame* parent, std::string_view id, ValueView args, Future& out,
                     const modrt_call_options* options = nullptr) const noexcept {
        modrt_future* f = nullptr;
        Error err(api_->call_async(api_->runtime, parent, to_str(id), args.raw(), options, &f));
        out = Future(f);
        return err;
    }
    const modrt_entry_info* find_entry(std::string_view id) const noexcept {
        return api_->entry_find(api_->runtime, to_str(id));
    }
    /// The C interface `name` entry `id` offers (host entry_interface, ABI minor 7): the table
    /// (cast it to the type its header defines) and, in `self`, what to pass to its functions;
    /// null when the entry is missing, failed to load or offers no such interface.
    template <unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
    const void* entry_interface(std::string_view id, std::string_view name, void** self) const noexcept {
        static_assert(TargetMinor >= 7, "Host::entry_interface needs ABI minor 7: raise MODRT_TARGET_ABI_MINOR");
        return api_->entry_interface(api_->runtime, to_str(id), to_str(name), self);
    }
    /// The T this plugin instance's provides share (SharedObjects), made on first ask; a Host
    /// made outside an instance (a native function's) has none to share and makes a fresh T.
    template <class T>
    std::shared_ptr<T> shared() const {
        return shared_ != nullptr ? shared_->get<T>() : std::make_shared<T>();
    }
    /// The runtime's max_value_size (host value_size_limit, ABI minor 4).
    template <unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
    uint64_t value_size_limit() const noexcept {
        static_assert(TargetMinor >= 4,
                      "Host::value_size_limit needs ABI minor 4: raise MODRT_TARGET_ABI_MINOR, or assume 64 MiB");
        return api_->value_size_limit(api_->runtime);
    }

private:
    const modrt_host_api* api_;
    ValueView config_;
    std::string_view name_;
    SharedObjects* shared_;  // the instance's; outlives every provide that holds this Host
};

/// A registry entry as handed to entry_create.
class EntryInfo {
public:
    explicit EntryInfo(const modrt_entry_info* i) noexcept : i_(i) {}
    const modrt_entry_info* raw() const noexcept { return i_; }
    std::string_view id() const noexcept { return to_view(i_->id); }
    std::string_view kind() const noexcept { return to_view(i_->kind); }
    std::string_view source_path() const noexcept { return to_view(i_->source_path); }
    std::string_view method() const noexcept { return to_view(i_->method); }
    std::string_view file() const noexcept { return to_view(i_->file); }
    int64_t line() const noexcept { return i_->line; }
    ValueView fields() const noexcept { return ValueView(i_->fields); }
    ValueView field(std::string_view name) const noexcept { return fields().find(name); }

private:
    const modrt_entry_info* i_;
};

}  // namespace modrt

#endif  // MODRT_SDK_CALLS_HPP
