// modrt SDK: a header-only C++20 layer over the C ABI in abi.h.
//
// It is compiled into each plugin, so nothing here crosses the ABI boundary:
// plugin authors write classes, the templates below turn them into the C
// tables the kernel reads, and every C++ exception is caught at the boundary
// and returned as a modrt_error.
//
//   class MyPool : public modrt::Pool { ... };
//   MODRT_PLUGIN("my.pools", "1.0.0", modrt::provide_pool<MyPool>("pool.mine"))
#ifndef MODRT_SDK_HPP
#define MODRT_SDK_HPP

#include <modrt/abi.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace modrt {

// ---------------------------------------------------------------------------
// Host access
// ---------------------------------------------------------------------------

namespace detail {
// One per plugin binary: value, error, log and frame hooks are the same for
// every runtime, and the C++ wrappers below reach them with no other state.
// The ABI forces this process-wide slot. It holds a copy, because the table a
// runtime hands over dies with that runtime; runtime-level calls go through
// Host, which keeps its own runtime's table.
inline const modrt_host_api* process_host(const modrt_host_api* first) noexcept {
    static const modrt_host_api copy = [first] {
        modrt_host_api c{};
        size_t size = first->struct_size < sizeof(c) ? first->struct_size : sizeof(c);
        std::memcpy(static_cast<void*>(&c), first, size);
        c.runtime = nullptr;  // not any one runtime's
        return c;
    }();
    return &copy;
}
inline std::atomic<const modrt_host_api*>& host_slot() noexcept {
    static std::atomic<const modrt_host_api*> slot{nullptr};
    return slot;
}
inline void set_host(const modrt_host_api* host) noexcept {
    if (host_slot().load(std::memory_order_acquire) == nullptr)
        host_slot().store(process_host(host), std::memory_order_release);
}
}  // namespace detail

/// The kernel's process-wide hooks (values, errors, frames, logging); valid once the
/// plugin has been initialised. Its `runtime` is null: use Host for runtime-level calls.
inline const modrt_host_api& host_api() noexcept { return *detail::host_slot().load(std::memory_order_acquire); }

/// Borrow a string_view as a modrt_str.
inline modrt_str to_str(std::string_view s) noexcept { return modrt_str{s.data(), s.size()}; }
/// Borrow a modrt_str as a string_view.
inline std::string_view to_view(modrt_str s) noexcept {
    return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view();
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// A read-only view of a value owned elsewhere.
class ValueView {
public:
    ValueView() = default;
    explicit ValueView(const modrt_value* v) noexcept : v_(v) {}

    const modrt_value* raw() const noexcept { return v_; }
    modrt_value_type type() const noexcept { return host_api().value_type(v_); }
    bool is_nil() const noexcept { return type() == MODRT_NIL; }
    bool is_string() const noexcept { return type() == MODRT_STRING; }
    bool is_array() const noexcept { return type() == MODRT_ARRAY; }
    bool is_map() const noexcept { return type() == MODRT_MAP; }
    bool as_bool() const noexcept { return host_api().value_bool(v_) != 0; }
    int64_t as_int() const noexcept { return host_api().value_int(v_); }
    double as_number() const noexcept { return host_api().value_number(v_); }
    std::string_view as_string() const noexcept { return to_view(host_api().value_string(v_)); }
    size_t size() const noexcept { return host_api().value_len(v_); }
    ValueView operator[](size_t i) const noexcept { return ValueView(host_api().value_at(v_, i)); }
    std::string_view key(size_t i) const noexcept { return to_view(host_api().value_key_at(v_, i)); }
    /// The value under `key`; a nil view when absent.
    ValueView find(std::string_view key) const noexcept {
        return ValueView(host_api().value_find(v_, to_str(key)));
    }
    bool has(std::string_view key) const noexcept { return host_api().value_find(v_, to_str(key)) != nullptr; }

private:
    const modrt_value* v_ = nullptr;
};

/// One value's type and, for a scalar, its content, as value_scalars reads an array's item.
inline modrt_scalar read_scalar(const modrt_value* v, const modrt_host_api& h = host_api()) noexcept {
    modrt_scalar s{h.value_type(v), {0}};
    if (s.type == MODRT_INT) s.as.i = h.value_int(v);
    else if (s.type == MODRT_NUMBER) s.as.n = h.value_number(v);
    else if (s.type == MODRT_BOOL) s.as.i = h.value_bool(v);
    return s;
}

/// The first N items of an array (a call's arguments) read with one host call
/// (value_scalars) instead of two per item: for native functions on a hot path.
/// Reads as ValueView does; items past N, strings and containers go through ValueView.
template <size_t N>
class ScalarArgs {
    static_assert(N > 0, "ScalarArgs reads at least one item");

public:
    /// `h`: the host table to read through (the default; a test passes one without value_scalars).
    explicit ScalarArgs(ValueView array, const modrt_host_api& h = host_api()) noexcept {
        if (h.value_scalars != nullptr) [[likely]] {
            size_ = h.value_scalars(array.raw(), items_, N);
            return;
        }
        size_ = h.value_type(array.raw()) == MODRT_ARRAY ? h.value_len(array.raw()) : 0;  // a kernel before ABI 1.2
        for (size_t i = 0; i < size_ && i < N; ++i) items_[i] = read_scalar(h.value_at(array.raw(), i), h);
    }

    /// The array's length, which may exceed N.
    size_t size() const noexcept { return size_; }
    /// The type of item i; NIL past the end or past N.
    modrt_value_type type(size_t i) const noexcept { return read(i) ? items_[i].type : MODRT_NIL; }
    /// Like ValueView::as_int: a number truncated, 0 for anything else.
    int64_t as_int(size_t i) const noexcept {
        if (!read(i)) return 0;
        const modrt_scalar& s = items_[i];
        return s.type == MODRT_INT ? s.as.i : s.type == MODRT_NUMBER ? static_cast<int64_t>(s.as.n) : 0;
    }
    /// Like ValueView::as_number: an int converted, 0 for anything else.
    double as_number(size_t i) const noexcept {
        if (!read(i)) return 0;
        const modrt_scalar& s = items_[i];
        return s.type == MODRT_NUMBER ? s.as.n : s.type == MODRT_INT ? static_cast<double>(s.as.i) : 0;
    }
    /// Like ValueView::as_bool: true only for a true bool.
    bool as_bool(size_t i) const noexcept { return read(i) && items_[i].type == MODRT_BOOL && items_[i].as.i != 0; }
    /// Item i as read; i must be below both size() and N.
    const modrt_scalar& item(size_t i) const noexcept { return items_[i]; }

private:
    bool read(size_t i) const noexcept { return i < size_ && i < N; }

    modrt_scalar items_[N];
    size_t size_ = 0;
};

/// A writable slot inside a value tree (not owning).
class ValueSlot {
public:
    explicit ValueSlot(modrt_value* v) noexcept : v_(v) {}

    modrt_value* raw() const noexcept { return v_; }
    ValueView view() const noexcept { return ValueView(v_); }
    void set_nil() const noexcept { host_api().value_set_nil(v_); }
    void set_bool(bool b) const noexcept { host_api().value_set_bool(v_, b ? 1 : 0); }
    void set_int(int64_t i) const noexcept { host_api().value_set_int(v_, i); }
    void set_number(double n) const noexcept { host_api().value_set_number(v_, n); }
    void set_string(std::string_view s) const noexcept { host_api().value_set_string(v_, to_str(s)); }
    void set_bytes(std::string_view b) const noexcept { host_api().value_set_bytes(v_, to_str(b)); }
    void set_array(size_t reserve = 0) const noexcept { host_api().value_set_array(v_, reserve); }
    void set_map(size_t reserve = 0) const noexcept { host_api().value_set_map(v_, reserve); }
    /// Append an item; the slot is valid until this value's next push/insert/set.
    ValueSlot push() const noexcept { return ValueSlot(host_api().value_push(v_)); }
    /// Insert or replace `key`; the slot is valid until this value's next push/insert/set.
    ValueSlot insert(std::string_view key) const noexcept { return ValueSlot(host_api().value_insert(v_, to_str(key))); }
    void copy_from(ValueView src) const noexcept { host_api().value_copy(v_, src.raw()); }

private:
    modrt_value* v_;
};

/// An owned root value (value_new / value_free).
class Value {
public:
    Value() : v_(host_api().value_new()) {}
    explicit Value(ValueView src) : Value() { host_api().value_copy(v_, src.raw()); }
    Value(Value&& o) noexcept : v_(std::exchange(o.v_, nullptr)) {}
    Value& operator=(Value&& o) noexcept {
        std::swap(v_, o.v_);
        return *this;
    }
    Value(const Value&) = delete;
    Value& operator=(const Value&) = delete;
    ~Value() { if (v_) host_api().value_free(v_); }

    modrt_value* raw() const noexcept { return v_; }
    ValueView view() const noexcept { return ValueView(v_); }
    ValueSlot slot() const noexcept { return ValueSlot(v_); }

private:
    modrt_value* v_;
};

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// An owned error handle; empty means success.
class Error {
public:
    Error() = default;
    explicit Error(modrt_error* e) noexcept : e_(e) {}
    Error(modrt_error_kind kind, std::string_view message)
        : e_(host_api().error_new(kind, to_str(message))) {}
    Error(Error&& o) noexcept : e_(std::exchange(o.e_, nullptr)) {}
    Error& operator=(Error&& o) noexcept {
        std::swap(e_, o.e_);
        return *this;
    }
    Error(const Error&) = delete;
    Error& operator=(const Error&) = delete;
    ~Error() { if (e_) host_api().error_free(e_); }

    bool failed() const noexcept { return e_ != nullptr; }
    modrt_error* raw() const noexcept { return e_; }
    /// Give up ownership (to return it across the ABI).
    modrt_error* release() noexcept { return std::exchange(e_, nullptr); }

    modrt_error_kind kind() const noexcept { return host_api().error_kind(e_); }
    std::string_view message() const noexcept { return to_view(host_api().error_message(e_)); }
    bool retryable() const noexcept { return host_api().error_retryable(e_) != 0; }
    ValueView details() const noexcept { return ValueView(host_api().error_details(e_)); }
    std::string_view stack() const noexcept { return to_view(host_api().error_stack(e_)); }

    // Setters chain on lvalues and on temporaries: throw Failure(Error(k, m).set_field("source")).
    Error& set_retryable(bool r) & noexcept { host_api().error_set_retryable(e_, r ? 1 : 0); return *this; }
    Error&& set_retryable(bool r) && noexcept { return std::move(set_retryable(r)); }
    Error& set_stack(std::string_view s) & noexcept { host_api().error_set_stack(e_, to_str(s)); return *this; }
    Error&& set_stack(std::string_view s) && noexcept { return std::move(set_stack(s)); }
    ValueSlot details_slot() noexcept { return ValueSlot(host_api().error_details_mut(e_)); }
    /// Point the kernel at the registry field this error is about (shown with its line).
    Error& set_field(std::string_view field) & {
        ValueSlot d = details_slot();
        if (!d.view().is_map()) d.set_map();
        d.insert("field").set_string(field);
        return *this;
    }
    Error&& set_field(std::string_view field) && { return std::move(set_field(field)); }
    /// Prefix the message with `context` ("context: message"), keeping kind, details and stack.
    Error& wrap(std::string_view context) & noexcept { host_api().error_wrap(e_, to_str(context)); return *this; }
    Error&& wrap(std::string_view context) && noexcept { return std::move(wrap(context)); }

private:
    modrt_error* e_ = nullptr;
};

/// Throw from plugin code to fail the current hook with an error value.
class Failure : public std::exception {
public:
    explicit Failure(Error e) : error_(std::make_shared<Error>(std::move(e))) {}
    Failure(modrt_error_kind kind, std::string_view message) : Failure(Error(kind, message)) {}
    const char* what() const noexcept override { return "modrt::Failure"; }
    modrt_error* release() const noexcept { return error_->release(); }

private:
    std::shared_ptr<Error> error_;  // exceptions must be copyable
};

// ---------------------------------------------------------------------------
// Frames, actors, logging
// ---------------------------------------------------------------------------

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
    /// Whether something may stop the call while it runs (always true on a kernel before ABI 1.3).
    bool stoppable() const noexcept {
        const modrt_host_api& h = host_api();
        return h.frame_stoppable == nullptr || h.frame_stoppable(f_) != 0;
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
    ~Future() { if (f_) host_api().future_release(f_); }

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
    Host(const modrt_host_api* api, const modrt_value* config, std::string_view plugin_name) noexcept
        : api_(api), config_(config), name_(plugin_name) {}
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

private:
    const modrt_host_api* api_;
    ValueView config_;
    std::string_view name_;
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

// ---------------------------------------------------------------------------
// The interfaces a plugin author implements
// ---------------------------------------------------------------------------

/// One prepared registry entry of a function kind.
class FunctionEntry {
public:
    virtual ~FunctionEntry() = default;
    /// Run the call on this thread; return an Error (or throw Failure) to fail.
    virtual Error invoke(Frame frame, ValueView args, ValueSlot result) = 0;
};

/// A registry entry kind. Constructed once per runtime from (const Host&).
class FunctionKind {
public:
    virtual ~FunctionKind() = default;
    /// Check and prepare an entry; throw Failure (with set_field) for registry errors.
    virtual std::unique_ptr<FunctionEntry> create_entry(const EntryInfo& info) = 0;
    /// After a registry load created every entry: check references between entries.
    /// Append one map {id, field, message} per problem to the array `problems`.
    virtual void load_finished(ValueSlot problems) { (void)problems; }
};

/// Append a {id, field, message} problem for FunctionKind::load_finished.
inline void add_load_problem(ValueSlot problems, std::string_view id, std::string_view field, std::string_view message) {
    ValueSlot p = problems.push();
    p.set_map(3);
    p.insert("id").set_string(id);
    p.insert("field").set_string(field);
    p.insert("message").set_string(message);
}

/// A pool. Constructed per registry `pool:` from (const Host&, ValueView options).
class Pool {
public:
    virtual ~Pool() = default;
    /// Take the task: later call exactly one of task->run/drop; or return an error to refuse it.
    virtual Error submit(modrt_task* task) = 0;
    virtual void stats(modrt_pool_stats&) {}
};

/// An interceptor instance for one entry. Constructed from (const Host&, const EntryInfo&, ValueView options).
class Interceptor {
public:
    virtual ~Interceptor() = default;
    virtual Error intercept(Frame frame, ValueView args, ValueSlot result, const modrt_next& next) = 0;
    /// Counters worth showing (`modrt call --stats`): write a map into `out`; leave it nil for none.
    virtual void stats(ValueSlot out) { (void)out; }
};

/// A security provider. Constructed once per runtime from (const Host&).
class SecurityProvider {
public:
    virtual ~SecurityProvider() = default;
    /// Decide for `actor` (null: anonymous) within `scope` (a scope string, see abi.h); throwing denies.
    virtual modrt_decision evaluate(const modrt_actor* actor, std::string_view scope, std::string_view action,
                                    std::string_view resource, ValueView meta) = 0;
    /// Whether UNDEFINED denies when runtime.security does not say.
    virtual bool strict() { return true; }
    /// The ids of the policies `scope` holds, as an array of strings; throw Failure(NOT_FOUND) for unknown ones.
    virtual void scope_policies(std::string_view scope, ValueSlot out) {
        (void)scope;
        (void)out;
        throw Failure(MODRT_ERR_UNAVAILABLE, "this security provider does not list scopes");
    }
};

/// A contract provider. Constructed once per runtime from (const Host&).
class ContractProvider {
public:
    virtual ~ContractProvider() = default;
    virtual Error validate_input(std::string_view target, ValueView args) = 0;
    virtual Error validate_output(std::string_view target, ValueView result) = 0;
    virtual Error resolve(std::string_view binding, std::string_view method, ValueSlot out) = 0;
    virtual Error describe(ValueSlot out) = 0;
    /// False when no contract covers calls to `target` (the kernel then skips validation for it).
    virtual bool covers(std::string_view target) { (void)target; return true; }
};

// ---------------------------------------------------------------------------
// Boundary machinery: turns the classes above into C tables
// ---------------------------------------------------------------------------

namespace detail {

/// Run `f`, turning every exception into an owned modrt_error. Always inlined: it wraps
/// every hook, and the try costs nothing while a call would cost one more frame.
template <class F>
[[gnu::always_inline]] inline modrt_error* guard(std::string_view where, F&& f) noexcept {
    try {
        return f();
    } catch (const Failure& failure) {
        return failure.release();
    } catch (const std::bad_alloc&) {
        std::string msg = std::string(where) + ": out of memory";
        return host_api().error_new(MODRT_ERR_INTERNAL, to_str(msg));
    } catch (const std::exception& e) {
        std::string msg = std::string(where) + ": " + e.what();
        return host_api().error_new(MODRT_ERR_INTERNAL, to_str(msg));
    } catch (...) {
        std::string msg = std::string(where) + ": unknown exception";
        return host_api().error_new(MODRT_ERR_INTERNAL, to_str(msg));
    }
}

template <class T>
struct Singleton {};  // marks types constructed once per plugin instance

/// The state behind `void* plugin`: the host plus one object per singleton provide.
template <class... Singletons>
class Instance {
public:
    Instance(const modrt_host_api* api, const modrt_value* config, std::string_view name)
        : host_(api, config, name), objects_(std::make_unique<Singletons>(host_)...) {}
    const Host& host() const noexcept { return host_; }
    template <class T>
    T& get() noexcept { return *std::get<std::unique_ptr<T>>(objects_); }

private:
    Host host_;
    std::tuple<std::unique_ptr<Singletons>...> objects_;
};

template <class Inst>
Inst& inst(void* p) noexcept { return *static_cast<Inst*>(p); }

// -- function kinds --
template <class Inst, class K>
modrt_error* kind_entry_create(void* plugin, const modrt_entry_info* info, void** out) noexcept {
    return guard(to_view(info->kind), [&]() -> modrt_error* {
        *out = inst<Inst>(plugin).template get<K>().create_entry(EntryInfo(info)).release();
        return nullptr;
    });
}
template <class Inst, class K>
void kind_entry_destroy(void*, void* entry) noexcept {
    std::unique_ptr<FunctionEntry> owned(static_cast<FunctionEntry*>(entry));
}
template <class Inst, class K>
void kind_load_finished(void* plugin, modrt_value* out) noexcept {
    modrt_error* err = guard("load_finished", [&]() -> modrt_error* {
        inst<Inst>(plugin).template get<K>().load_finished(ValueSlot(out));
        return nullptr;
    });
    if (err != nullptr) {  // report the failure itself as a problem, against no particular entry
        add_load_problem(ValueSlot(out), "", "", to_view(host_api().error_message(err)));
        host_api().error_free(err);
    }
}
template <class Inst, class K>
modrt_error* kind_invoke(void*, void* entry, modrt_frame* frame, const modrt_value* args,
                         modrt_value* result) noexcept {
    return guard("invoke", [&]() -> modrt_error* {
        return static_cast<FunctionEntry*>(entry)->invoke(Frame(frame), ValueView(args), ValueSlot(result)).release();
    });
}

// -- pools --
template <class Inst, class P>
modrt_error* pool_create(void* plugin, const modrt_value* options, void** out) noexcept {
    return guard("pool create", [&]() -> modrt_error* {
        std::unique_ptr<Pool> pool = std::make_unique<P>(inst<Inst>(plugin).host(), ValueView(options));
        *out = pool.release();  // owned by the kernel until pool_destroy
        return nullptr;
    });
}
template <class Inst, class P>
void pool_destroy(void*, void* pool) noexcept { std::unique_ptr<Pool> owned(static_cast<Pool*>(pool)); }
inline modrt_error* pool_submit(void* pool, modrt_task* task) noexcept {
    return guard("pool submit", [&]() -> modrt_error* { return static_cast<Pool*>(pool)->submit(task).release(); });
}
inline void pool_stats(void* pool, modrt_pool_stats* out) noexcept {
    try { static_cast<Pool*>(pool)->stats(*out); } catch (...) {}
}

/// A pool class may declare `static constexpr uint32_t kPoolFlags = MODRT_POOL_SYNCHRONOUS;`
/// (`| MODRT_POOL_CALLER_RUNS` when its submit does nothing but run the task).
template <class P>
constexpr uint32_t pool_flags() {
    if constexpr (requires { P::kPoolFlags; }) return P::kPoolFlags;
    else return 0;
}

// -- interceptors --
template <class Inst, class I>
modrt_error* icpt_create(void* plugin, const modrt_entry_info* entry, const modrt_value* options, void** out) noexcept {
    return guard("interceptor create", [&]() -> modrt_error* {
        std::unique_ptr<Interceptor> i = std::make_unique<I>(inst<Inst>(plugin).host(), EntryInfo(entry), ValueView(options));
        *out = i.release();  // owned by the kernel until icpt_destroy
        return nullptr;
    });
}
template <class Inst, class I>
void icpt_destroy(void*, void* i) noexcept { std::unique_ptr<Interceptor> owned(static_cast<Interceptor*>(i)); }
inline void icpt_stats(void* i, modrt_value* out) noexcept {
    try {
        static_cast<Interceptor*>(i)->stats(ValueSlot(out));
    } catch (...) {
        host_api().value_set_nil(out);  // stats are informational: a failure shows nothing
    }
}
inline modrt_error* icpt_intercept(void* i, modrt_frame* frame, const modrt_value* args, modrt_value* result,
                                   const modrt_next* next) noexcept {
    return guard("intercept", [&]() -> modrt_error* {
        return static_cast<Interceptor*>(i)->intercept(Frame(frame), ValueView(args), ValueSlot(result), *next).release();
    });
}

// -- security --
template <class Inst, class S>
modrt_decision sec_evaluate(void* plugin, const modrt_actor* actor, modrt_str scope, modrt_str action,
                            modrt_str resource, const modrt_value* meta) noexcept {
    try {
        return inst<Inst>(plugin).template get<S>().evaluate(actor, to_view(scope), to_view(action),
                                                             to_view(resource), ValueView(meta));
    } catch (...) {
        return MODRT_DECISION_DENY;  // a failing policy engine never grants access
    }
}
template <class Inst, class S>
int sec_strict(void* plugin) noexcept {
    try { return inst<Inst>(plugin).template get<S>().strict() ? 1 : 0; } catch (...) { return 1; }
}
template <class Inst, class S>
modrt_error* sec_scope_policies(void* plugin, modrt_str scope, modrt_value* out) noexcept {
    return guard("scope_policies", [&]() -> modrt_error* {
        inst<Inst>(plugin).template get<S>().scope_policies(to_view(scope), ValueSlot(out));
        return nullptr;
    });
}

// -- contracts --
template <class Inst, class C>
modrt_error* ct_in(void* plugin, modrt_str target, const modrt_value* args) noexcept {
    return guard("contract", [&]() { return inst<Inst>(plugin).template get<C>().validate_input(to_view(target), ValueView(args)).release(); });
}
template <class Inst, class C>
modrt_error* ct_out(void* plugin, modrt_str target, const modrt_value* result) noexcept {
    return guard("contract", [&]() { return inst<Inst>(plugin).template get<C>().validate_output(to_view(target), ValueView(result)).release(); });
}
template <class Inst, class C>
modrt_error* ct_resolve(void* plugin, modrt_str binding, modrt_str method, modrt_value* out) noexcept {
    return guard("contract", [&]() { return inst<Inst>(plugin).template get<C>().resolve(to_view(binding), to_view(method), ValueSlot(out)).release(); });
}
template <class Inst, class C>
int ct_covers(void* plugin, modrt_str target) noexcept {
    try { return inst<Inst>(plugin).template get<C>().covers(to_view(target)) ? 1 : 0; } catch (...) { return 1; }
}
template <class Inst, class C>
modrt_error* ct_describe(void* plugin, modrt_value* out) noexcept {
    return guard("contract", [&]() { return inst<Inst>(plugin).template get<C>().describe(ValueSlot(out)).release(); });
}

/// A provide item before the instance type is known.
template <modrt_extension_type Ext, class T, bool Callable = true>
struct Provide {
    using type = T;
    static constexpr bool singleton = Ext != MODRT_EXT_POOL && Ext != MODRT_EXT_INTERCEPTOR;
    const char* name;

    template <class Inst>
    modrt_provide to_c() const noexcept {
        return modrt_provide{sizeof(modrt_provide), Ext, name, api<Inst>()};
    }

    template <class Inst>
    static const void* api() noexcept {
        if constexpr (Ext == MODRT_EXT_FUNCTION_KIND) {
            static const modrt_kind_api a{sizeof(modrt_kind_api), &kind_entry_create<Inst, T>,
                                          &kind_entry_destroy<Inst, T>,
                                          Callable ? &kind_invoke<Inst, T> : nullptr, &kind_load_finished<Inst, T>};
            return &a;
        } else if constexpr (Ext == MODRT_EXT_POOL) {
            static const modrt_pool_api a{sizeof(modrt_pool_api), &pool_create<Inst, T>, &pool_destroy<Inst, T>,
                                          &pool_submit, &pool_stats, pool_flags<T>()};
            return &a;
        } else if constexpr (Ext == MODRT_EXT_INTERCEPTOR) {
            static const modrt_interceptor_api a{sizeof(modrt_interceptor_api), &icpt_create<Inst, T>,
                                                 &icpt_destroy<Inst, T>, &icpt_intercept, &icpt_stats};
            return &a;
        } else if constexpr (Ext == MODRT_EXT_SECURITY) {
            static const modrt_security_api a{sizeof(modrt_security_api), &sec_evaluate<Inst, T>,
                                              &sec_strict<Inst, T>, &sec_scope_policies<Inst, T>};
            return &a;
        } else {
            static const modrt_contract_api a{sizeof(modrt_contract_api), &ct_in<Inst, T>, &ct_out<Inst, T>,
                                              &ct_resolve<Inst, T>, &ct_describe<Inst, T>, &ct_covers<Inst, T>};
            return &a;
        }
    }
};

// Collect the singleton types of a provide list into an Instance<...>. A class named by
// several provides (say a data kind and the security provider reading its entries) is
// one object: listed once.
template <class Acc, class... P>
struct collect;
template <class... S>
struct collect<Instance<S...>> { using type = Instance<S...>; };
template <class... S, class P, class... Rest>
struct collect<Instance<S...>, P, Rest...> {
    static constexpr bool add = P::singleton && !(std::is_same_v<typename P::type, S> || ...);
    using type = typename std::conditional_t<add, collect<Instance<S..., typename P::type>, Rest...>,
                                             collect<Instance<S...>, Rest...>>::type;
};

// The descriptor's init hook has no room for the plugin's name; it is set once by describe_plugin.
template <class Inst>
struct PluginName {
    static inline const char* value = "plugin";
};

template <class Inst>
modrt_error* plugin_init(const modrt_host_api* host, const modrt_value* config, void** out) noexcept {
    set_host(host);
    return guard(PluginName<Inst>::value, [&]() -> modrt_error* {
        *out = std::make_unique<Inst>(host, config, PluginName<Inst>::value).release();  // owned until shutdown
        return nullptr;
    });
}

template <class Inst>
void plugin_shutdown(void* plugin) noexcept { std::unique_ptr<Inst> owned(static_cast<Inst*>(plugin)); }

template <class... P>
const modrt_plugin_descriptor* describe_plugin(const char* name, const char* version, P... provides) noexcept {
    using Inst = typename collect<Instance<>, P...>::type;
    PluginName<Inst>::value = name;
    static const modrt_provide items[] = {provides.template to_c<Inst>()...};
    static const modrt_plugin_descriptor descriptor{sizeof(modrt_plugin_descriptor),
                                                    MODRT_ABI_MAJOR,
                                                    MODRT_ABI_MINOR,
                                                    name,
                                                    version,
                                                    items,
                                                    sizeof...(P),
                                                    &plugin_init<Inst>,
                                                    &plugin_shutdown<Inst>};
    return &descriptor;
}

}  // namespace detail

/// Provide a callable registry kind K (derives FunctionKind, constructed from const Host&).
template <class K>
constexpr detail::Provide<MODRT_EXT_FUNCTION_KIND, K> provide_kind(const char* name) { return {name}; }
/// Provide a data-only registry kind K (its entries cannot be called).
template <class K>
constexpr detail::Provide<MODRT_EXT_FUNCTION_KIND, K, false> provide_data_kind(const char* name) { return {name}; }
/// Provide a pool type P (derives Pool, constructed from const Host&, ValueView options).
template <class P>
constexpr detail::Provide<MODRT_EXT_POOL, P> provide_pool(const char* name) { return {name}; }
/// Provide an interceptor I (derives Interceptor, constructed from const Host&, const EntryInfo&, ValueView).
template <class I>
constexpr detail::Provide<MODRT_EXT_INTERCEPTOR, I> provide_interceptor(const char* name) { return {name}; }
/// Provide a security provider S (derives SecurityProvider, constructed from const Host&).
template <class S>
constexpr detail::Provide<MODRT_EXT_SECURITY, S> provide_security(const char* name) { return {name}; }
/// Provide a contract provider C (derives ContractProvider, constructed from const Host&).
template <class C>
constexpr detail::Provide<MODRT_EXT_CONTRACT, C> provide_contract(const char* name) { return {name}; }

}  // namespace modrt

/// Export the plugin: MODRT_PLUGIN("name", "1.0.0", modrt::provide_pool<MyPool>("pool.mine"), ...)
#define MODRT_PLUGIN(NAME, VERSION, ...)                                          \
    extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { \
        return ::modrt::detail::describe_plugin(NAME, VERSION, __VA_ARGS__);          \
    }

/// Define a `function.native` function: MODRT_NATIVE_FUNCTION(add) { ...; return {}; }
/// The body sees `host` (a modrt::Host of the calling runtime, for host.call), `frame`,
/// `args` (ValueView of the argument array) and `result` (ValueSlot). It also exports the
/// marker `modrt_native_marker_NAME` (abi.h MODRT_NATIVE_MARKER): function.native binds no symbol without one.
#define MODRT_NATIVE_FUNCTION(NAME)                                                                        \
    extern "C" MODRT_EXPORT const uint64_t modrt_native_marker_##NAME = MODRT_NATIVE_MARKER;                \
    static ::modrt::Error NAME##_modrt_body([[maybe_unused]] const ::modrt::Host& host,                    \
                                            [[maybe_unused]] ::modrt::Frame frame,                         \
                                            [[maybe_unused]] ::modrt::ValueView args,                      \
                                            [[maybe_unused]] ::modrt::ValueSlot result);                   \
    extern "C" MODRT_EXPORT modrt_error* NAME(const modrt_host_api* host, modrt_frame* frame,             \
                                              const modrt_value* args, modrt_value* result) {            \
        ::modrt::detail::set_host(host);                                                                   \
        return ::modrt::detail::guard(#NAME, [&]() -> modrt_error* {                                       \
            return NAME##_modrt_body(::modrt::Host(host, nullptr, #NAME), ::modrt::Frame(frame),           \
                                     ::modrt::ValueView(args), ::modrt::ValueSlot(result))                 \
                .release();                                                                                \
        });                                                                                                \
    }                                                                                                      \
    static ::modrt::Error NAME##_modrt_body([[maybe_unused]] const ::modrt::Host& host,                    \
                                            [[maybe_unused]] ::modrt::Frame frame,                         \
                                            [[maybe_unused]] ::modrt::ValueView args,                      \
                                            [[maybe_unused]] ::modrt::ValueSlot result)

/// A `function.native` function written against the C ABI (it sees the raw `host`, `frame`,
/// `args` and `result` pointers): MODRT_NATIVE_RAW_FUNCTION(add) { ...; return nullptr; }.
/// Exports the same marker as MODRT_NATIVE_FUNCTION; it must not throw.
#define MODRT_NATIVE_RAW_FUNCTION(NAME)                                                                    \
    extern "C" MODRT_EXPORT const uint64_t modrt_native_marker_##NAME = MODRT_NATIVE_MARKER;                \
    extern "C" MODRT_EXPORT modrt_error* NAME([[maybe_unused]] const modrt_host_api* host,                 \
                                              [[maybe_unused]] modrt_frame* frame,                         \
                                              [[maybe_unused]] const modrt_value* args,                    \
                                              [[maybe_unused]] modrt_value* result)

#endif  // MODRT_SDK_HPP
