// The kernel's C++ face for the CLI, tools and tests. Plugins never see it.
#pragma once

#include <modrt/kernel/error.hpp>
#include <modrt/kernel/value.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::kernel {

/// One problem found while loading a registry.
struct RegistryError {
    std::string file;   // the YAML file ("" when not file-specific)
    int64_t line = 0;   // 1-based; 0 when unknown
    std::string entry;  // entry id or name ("" when not entry-specific)
    std::string message;
    /// "file:line: entry 'id': message"
    std::string format() const;
};

/// A plugin file seen on the plugin path.
struct PluginRecord {
    std::filesystem::path file;
    std::string name;
    std::string version;
    uint32_t abi_major = 0;
    uint32_t abi_minor = 0;
    std::vector<std::string> provides;
    std::string refused;   // why it cannot be used; empty when usable
    bool loaded = false;   // initialised because the registry uses it
    bool opened = false;   // dlopened (its code ran): no usable manifest, needed by a registry, or inspected
    std::string manifest;  // "" when described without opening it (index or manifest), else why not
    bool indexed = false;  // described by its directory's index (plugins.modrt-index), not its manifest
};

/// One entry as `modrt list` shows it.
struct EntrySummary {
    std::string id;
    std::string kind;
    std::string pool;  // pool type, "" for non-callable entries
    std::string file;
    int64_t line = 0;
    bool skipped = false;  // no plugin serves its kind: listed, never run
};

/// The state of one entry's pool.
struct PoolStats {
    std::string id;    // the entry, or "(async calls to entries without a pool)" for the default async pool
    std::string type;  // "inline", "static", ...
    modrt_pool_stats stats{};
};

/// One trigger entry (its kind is a trigger: http.service, schedule.function, ...).
struct TriggerSummary {
    std::string id;
    std::string kind;
    bool auto_start = true;                   // lifecycle.auto_start
    bool running = false;                     // started and not stopped
    std::chrono::nanoseconds stop_timeout{};  // lifecycle.stop_timeout
    std::vector<std::string> listen;          // what it said it listens on when it started
};

/// What one interceptor of one entry reports (e.g. interceptor.metrics' counters).
struct InterceptorStats {
    std::string id;           // the entry
    std::string interceptor;  // "interceptor.metrics"
    Value stats;              // a map, as the plugin wrote it
};

/// One field of one entry replaced as the registry is read (Wippy's `-o ns:entry:field=value`).
struct EntryOverride {
    std::string id;     // "ns:entry"
    std::string field;  // "kind", "pool.workers", "contracts.0.default" (list items by 0-based index)
    std::string value;  // YAML text: `4` is a number, `true` a bool, `[a, b]` a list, anything else a string

    /// Parse "ns:entry:field=value"; std::nullopt when it has not that shape.
    static std::optional<EntryOverride> parse(std::string_view text);
};

/// Bounds on one registry document (a YAML file, or one `-o` value) as it is read; an
/// alias counts each time it is used, so a small file cannot expand into a huge tree.
struct RegistryLimits {
    uint64_t max_nodes = 100'000;  // maps, lists, scalars and map keys
    uint64_t max_bytes = 4 << 20;  // the file's size, and the text of its scalars and keys
};

struct RuntimeOptions {
    /// Directories searched for plugins, in order (earlier wins on duplicate provides).
    std::vector<std::filesystem::path> plugin_path;
    /// Applied to every registry load, to the entries they name; one naming no entry is a registry error.
    std::vector<EntryOverride> overrides;
    /// Use plugin files and directories writable by group/others or owned by another user,
    /// with a warning, instead of refusing them (also $MODRT_ALLOW_UNSAFE_PLUGIN_PATH=1).
    bool allow_unsafe_plugin_path = false;
    /// Directories besides the registry's own that `source: file://` may name (symlinks resolved).
    std::vector<std::filesystem::path> source_roots;
    RegistryLimits registry_limits;
};

/// Cancels a root call from another thread (the CLI does on Ctrl-C). Shared
/// through CallOptions::canceler; cancel() may come before, during or after
/// the call.
class CallCanceler {
public:
    /// Cancel the call and every call beneath it; a call not yet started fails with CANCELED at once.
    void cancel();
    bool canceled() const;

private:
    friend class Runtime;
    void attach(modrt_frame* root);  // the call started (canceled at once if cancel() came first)
    void detach();                   // the call returned

    mutable std::mutex mutex_;
    modrt_frame* frame_ = nullptr;
    bool canceled_ = false;
};

/// What a root caller may set for one call.
struct CallOptions {
    Value context = Value::map();  // root context
    std::string actor_id;          // empty: anonymous
    Value actor_meta = Value::map();
    std::string scope;
    std::chrono::nanoseconds timeout{0};     // 0: none
    std::shared_ptr<CallCanceler> canceler;  // null: not cancelable from outside
};

struct CallResult {
    Value value;
    ErrorPtr error;
    bool ok() const { return error == nullptr; }
};

struct Entry;

/// A function looked up once (Runtime::find), for a caller that calls it many times:
/// calling through it skips the lookup by id. Valid while the runtime that made it lives.
class FunctionRef {
public:
    FunctionRef() = default;
    /// False when the id could not be called at find (find's `why` says why).
    explicit operator bool() const { return entry_ != nullptr; }
    /// The id it was found by.
    const std::string& id() const { return id_; }

private:
    friend class Runtime;
    const modrt_runtime* runtime_ = nullptr;
    const Entry* entry_ = nullptr;
    std::string id_;
};

class Runtime {
public:
    explicit Runtime(RuntimeOptions options);
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    /// Load a registry directory (every *.yaml / *.yml below it) or one YAML file.
    /// Returns every problem found; the runtime is usable only when the list is empty.
    std::vector<RegistryError> load(const std::filesystem::path& registry);

    /// Call `id` with `args` (an array) as a root call with no context, actor, scope or deadline.
    CallResult call(std::string_view id, const Value& args);
    /// Call `id` with `args` (an array) as a root call with what `options` sets.
    CallResult call(std::string_view id, const Value& args, const CallOptions& options);
    /// Look `id` up once for call(FunctionRef, ...); an empty ref when it cannot be called,
    /// with the error a call by id would return in `why` (if given).
    FunctionRef find(std::string_view id, ErrorPtr* why = nullptr) const;
    /// Call a function found before, as call(id, args) would: the same checks, no lookup.
    /// An empty ref fails as its id would; a ref of another runtime fails INVALID.
    CallResult call(const FunctionRef& fn, const Value& args);

    std::vector<EntrySummary> entries() const;
    /// Workers, busy, queued, completed and rejected of every callable entry's pool.
    std::vector<PoolStats> pool_stats() const;
    /// The counters of every interceptor that reports some, entry by entry.
    std::vector<InterceptorStats> interceptor_stats() const;
    /// Every plugin file on the path (scanned on first use).
    std::vector<PluginRecord> plugins() const;
    /// Every plugin file on the path, each opened and checked against its manifest (`modrt plugins`).
    std::vector<PluginRecord> inspect_plugins() const;
    /// Start every trigger whose lifecycle.auto_start is true (the default), in declaration
    /// order. When one fails to start, those already started are stopped again and its
    /// problem is returned as a registry error at the entry; empty when all started.
    std::vector<RegistryError> start_triggers();
    /// Stop every running trigger at once and wait for all: each stops taking work, gives
    /// calls in flight its lifecycle.stop_timeout to finish, then cancels the rest. The
    /// destructor does it too.
    void stop_triggers();
    /// Every trigger entry, in declaration order.
    std::vector<TriggerSummary> triggers() const;
    /// Whether a security provider serves this runtime; false: every call is allowed (permissive mode).
    bool has_security_provider() const;
    /// Every contract with its methods, schemas and implementations, as the contract
    /// provider describes them (modrt_contract_api.describe); UNAVAILABLE without one.
    CallResult describe_contracts() const;

    /// The C runtime handle (what plugins see as host->runtime).
    modrt_runtime* handle();
    /// The host API table plugins of this runtime receive (for tools and tests that drive SDK code directly).
    const modrt_host_api& host_api() const;

    /// The plugin directory relative to `exe` (a binary in bin/): ../lib/modrt/plugins, in a build tree and an install alike.
    static std::vector<std::filesystem::path> default_plugin_path(const std::filesystem::path& exe);

private:
    std::unique_ptr<modrt_runtime> impl_;
};

/// Set the kernel logger's level ("trace", "debug", "info", "warn", "error", "off").
bool set_log_level(std::string_view level);

}  // namespace modrt::kernel
