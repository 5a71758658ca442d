// Runtime: loading a registry (binding entries to plugins) and root calls.
#include "calling/call_task.hpp"
#include "calling/interceptor_defaults.hpp"
#include "runtime/logging.hpp"
#include "loading/plugin_config_entry.hpp"
#include "runtime/runtime_impl.hpp"

#include <algorithm>
#include <set>
#include <thread>
#include <tuple>

namespace modrt::kernel {

namespace fs = std::filesystem;

Entry::~Entry() {
    interceptors.clear();
    pool.reset();
    if (handle && kind && kind->entry_destroy) kind->entry_destroy(kind_plugin, handle);
}

std::string RegistryError::format() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (!out.empty()) out += ": ";
    if (!entry.empty()) out += "entry '" + entry + "': ";
    return out + message;
}

}  // namespace modrt::kernel

using namespace modrt::kernel;

modrt_runtime::modrt_runtime(RuntimeOptions o)
    : options(std::move(o)), catalog(options.plugin_path, options.allow_unsafe_plugin_path) {
    host = make_host_api(this);
}

modrt_runtime::~modrt_runtime() {
    // Refuse new calls, let hooks already inside a pool return (PoolUse), then pools
    // (they drop queued calls and join their workers), then entries, then the plugins that made them.
    closing.store(true, std::memory_order_seq_cst);
    CallTask::wake_parked(this);
    while (pool_users.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
    for (auto& e : entries)
        if (e->pool) e->pool->shut_down();  // in place: workers of other pools may still read e->pool
    while (waiting_callers.load(std::memory_order_acquire) != 0) std::this_thread::yield();
    entries.clear();
    catalog.unload_all();
}

namespace modrt::kernel {

namespace {

// -- the contract provider behind GuardedContract: the plugin's hooks never throw into a call

template <class Call>
modrt_error* contract_hook(void* self, std::string_view hook, Call&& call) noexcept {
    const auto* g = static_cast<const GuardedContract*>(self);
    try {
        return call(*g->inner, g->plugin);
    } catch (...) {
        return make_error(MODRT_ERR_INTERNAL, g->owner->record().name + " (" + g->owner->record().file.string() +
                                                  "): contract " + std::string(hook) + " threw an exception")
            .release();
    }
}

modrt_error* guarded_validate_input(void* self, modrt_str target, const modrt_value* args) {
    return contract_hook(self, "validate_input", [&](const modrt_contract_api& c, void* plugin) {
        return c.validate_input ? c.validate_input(plugin, target, args) : nullptr;
    });
}
modrt_error* guarded_validate_output(void* self, modrt_str target, const modrt_value* result) {
    return contract_hook(self, "validate_output", [&](const modrt_contract_api& c, void* plugin) {
        return c.validate_output ? c.validate_output(plugin, target, result) : nullptr;
    });
}
modrt_error* guarded_resolve(void* self, modrt_str binding, modrt_str method, modrt_value* out) {
    return contract_hook(self, "resolve", [&](const modrt_contract_api& c, void* plugin) -> modrt_error* {
        if (!c.resolve)  // the catalog's copy of the table is zero past the plugin's struct_size
            return make_error(MODRT_ERR_UNAVAILABLE, "the contract provider does not resolve bindings").release();
        return c.resolve(plugin, binding, method, out);
    });
}
modrt_error* guarded_describe(void* self, modrt_value* out) {
    return contract_hook(self, "describe", [&](const modrt_contract_api& c, void* plugin) -> modrt_error* {
        if (!c.describe)
            return make_error(MODRT_ERR_UNAVAILABLE, "the contract provider does not describe contracts").release();
        return c.describe(plugin, out);
    });
}

int guarded_covers(void* self, modrt_str target) {
    const auto* g = static_cast<const GuardedContract*>(self);
    if (!g->inner->covers) return 1;
    try {
        return g->inner->covers(g->plugin, target);
    } catch (...) {
        return 1;  // unsure: keep validating
    }
}

GuardedContract guard_contract(const modrt_contract_api* inner, const LoadedPlugin& owner) {
    GuardedContract g;
    g.api = modrt_contract_api{sizeof(modrt_contract_api), &guarded_validate_input, &guarded_validate_output,
                               &guarded_resolve, &guarded_describe, &guarded_covers};
    g.inner = inner;
    g.plugin = owner.state();
    g.owner = &owner;
    return g;
}

/// Binds the entries of one load to plugins, collecting every error.
class Binder {
public:
    Binder(modrt_runtime& rt, std::vector<RegistryError>& errors) : rt_(rt), errors_(errors) {}

    void bind(Entry& e) {
        if (e.raw.kind == kLimitsKind) {
            bind_single(e, rt_.limits_entry, rt_.limits, &read_limits);
            return;
        }
        if (e.raw.kind == kSecurityKind) {
            bind_single(e, rt_.security_entry, rt_.security_settings, &read_security_settings);
            return;
        }
        if (e.raw.kind == kInterceptorDefaultsKind) return;  // read before the load binds anything
        const ProvidedApi* api = provider(e, e.raw.kind, "kind");
        if (!api) return;
        if (api->type != MODRT_EXT_FUNCTION_KIND) {
            error(e, "kind", "'" + e.raw.kind + "' is not an entry kind");
            return;
        }
        e.kind = &api->api.kind;
        e.kind_plugin = last_plugin_->state();
        e.kind_owner = last_plugin_;
        modrt_error* err = nullptr;
        try {
            err = e.kind->entry_create(e.kind_plugin, &e.info, &e.handle);
        } catch (...) {
            err = make_error(MODRT_ERR_INTERNAL, last_plugin_->record().name + ": entry_create threw an exception").release();
        }
        if (err) {
            ErrorPtr owned(err);
            std::string field;
            if (owned->details)
                if (const Value* f = owned->details->find("field"); f && f->type == MODRT_STRING) field = f->str;
            error(e, field, owned->message);
            e.handle = nullptr;
            return;
        }
        if (!e.callable()) return;
        bind_pool(e);
        bind_interceptors(e);
    }

    // The kernel's own kind: runtime-wide interceptor defaults. The runtime's first such entry
    // (from this load or an earlier one) applies to every entry this load binds.
    void bind_interceptor_defaults(const std::vector<Entry*>& added) {
        Entry* first = nullptr;
        for (auto& e : rt_.entries)
            if (e->raw.kind == kInterceptorDefaultsKind) {
                first = e.get();
                break;
            }
        if (first == nullptr) return;
        for (Entry* e : added)
            if (e->raw.kind == kInterceptorDefaultsKind && e != first)
                error(*e, "kind", "only one runtime.interceptors entry is allowed; the first is '" + first->raw.id +
                                      "' at " + first->raw.file + ":" + std::to_string(first->raw.line));
        if (!first->load_error.empty()) return;  // refused by an earlier load
        InterceptorDefaults defaults;
        std::vector<FieldProblem> problems = read_interceptor_defaults(first->raw, defaults);
        for (auto& p : problems) error(*first, p.field, std::move(p.message));
        if (problems.empty()) icpt_defaults_ = std::move(defaults);
    }

    // The kernel's own kind: the config map one plugin gets at init.
    void bind_plugin_config(Entry& e) {
        PluginConfigEntry c = read_plugin_config(e.raw);
        for (auto& [field, message] : c.problems) error(e, field, std::move(message));
        if (!c.problems.empty()) return;
        bool known = false;
        for (const auto& r : rt_.catalog.records()) known |= r.name == c.plugin;
        if (!known) {
            error(e, "plugin", "plugin: no plugin named '" + c.plugin + "' on the plugin path (see modrt plugins)");
        } else if (rt_.catalog.initialised(c.plugin)) {
            error(e, "plugin", "plugin: '" + c.plugin +
                                   "' is already initialised by an earlier registry load; configure it in the first");
        } else if (rt_.catalog.configured(c.plugin)) {
            error(e, "plugin", "plugin: '" + c.plugin + "' is configured twice");
        } else {
            rt_.catalog.configure(c.plugin, std::move(c.config));
        }
    }

private:
    // A plugin's create hook, run so that a throw becomes an error naming the plugin (load never throws).
    template <class F>
    modrt_error* created(std::string_view hook, F&& create) {
        try {
            return create();
        } catch (...) {
            return make_error(MODRT_ERR_INTERNAL, last_plugin_->record().name + " (" + last_plugin_->record().file.string() +
                                                      "): " + std::string(hook) + " threw an exception")
                .release();
        }
    }

    // The kernel's own single-entry kinds (runtime.limits, runtime.security): the runtime's
    // first such entry sets `value`; another one is an error naming the first.
    template <class T>
    void bind_single(Entry& e, const Entry*& first, T& value, std::vector<FieldProblem> (*read)(const RawEntry&, T&)) {
        if (first != nullptr) {
            error(e, "kind", "only one " + e.raw.kind + " entry is allowed; the first is '" + first->raw.id + "' at " +
                                 first->raw.file + ":" + std::to_string(first->raw.line));
            return;
        }
        T read_value{};
        std::vector<FieldProblem> problems = read(e.raw, read_value);
        for (auto& p : problems) error(e, p.field, std::move(p.message));
        if (!problems.empty()) return;
        value = std::move(read_value);
        first = &e;
    }

public:
    // Each kind plugin of this load checks references between its entries (load_finished),
    // once per plugin instance and hook; its problems become registry errors.
    void finish_load(const std::vector<Entry*>& added) {
        std::vector<std::pair<void (*)(void*, modrt_value*), void*>> done;
        for (Entry* e : added) {
            if (e->kind == nullptr || e->kind->load_finished == nullptr) continue;  // zero past an older table
            std::pair hook{e->kind->load_finished, e->kind_plugin};
            if (std::find(done.begin(), done.end(), hook) != done.end()) continue;
            done.push_back(hook);
            Value problems = Value::array();
            try {
                hook.first(hook.second, &problems);
            } catch (...) {
                error(*e, "kind", e->kind_owner->record().name + ": load_finished threw an exception");
                continue;
            }
            for (const Value& p : problems.items) report_problem(*e, p);
        }
    }

private:
    // One {id, field, message} from load_finished; an unknown id is reported on `reporter`.
    void report_problem(Entry& reporter, const Value& p) {
        auto text = [&](std::string_view key) {
            const Value* v = p.type == MODRT_MAP ? p.find(key) : nullptr;
            return v != nullptr && v->type == MODRT_STRING ? v->str : std::string();
        };
        std::string message = text("message");
        if (message.empty()) message = "a problem without a message";
        Entry* at = nullptr;
        if (std::string id = text("id"); !id.empty())
            for (auto& e : rt_.entries)
                if (e->raw.id == id) at = e.get();
        if (at == nullptr) {
            error(reporter, "kind", reporter.kind_owner->record().name + ": " + message);
            return;
        }
        error(*at, text("field"), std::move(message));
    }

    void error(Entry& e, std::string_view field, std::string message) {
        if (e.load_error.empty()) e.load_error = message;
        errors_.push_back({e.raw.file, field.empty() ? e.raw.line : e.raw.line_of(field), e.raw.id, std::move(message)});
    }

    const ProvidedApi* provider(Entry& e, const std::string& name, std::string_view field) {
        const PluginRecord* record = rt_.catalog.provider_of(name);
        if (!record) {
            error(e, field, "no plugin on the plugin path provides '" + name + "'" + rt_.catalog.refused_note());
            return nullptr;
        }
        try {
            last_plugin_ = &rt_.catalog.load(*record, rt_.host);
        } catch (const std::exception& ex) {
            error(e, field, ex.what());
            return nullptr;
        }
        activate(e, *last_plugin_);
        return last_plugin_->find(name);
    }

    // A loaded plugin's security or contract provider serves the whole runtime.
    void activate(Entry& e, const LoadedPlugin& p) {
        for (const auto& name : p.record().provides) {
            const ProvidedApi* api = p.find(name);
            if (api->type == MODRT_EXT_SECURITY && rt_.security_owner != &p) {
                if (rt_.security_owner != nullptr) {  // two policy engines would each see half the calls' rules
                    error(e, "kind", "plugin " + p.record().name + " (" + p.record().file.string() +
                                         ") provides a second security provider; " + rt_.security_owner->record().name +
                                         " already serves this runtime");
                    continue;
                }
                rt_.security = &api->api.security;
                rt_.security_plugin = p.state();
                rt_.security_owner = &p;
            } else if (api->type == MODRT_EXT_CONTRACT && !rt_.contract) {
                rt_.contract_guard = guard_contract(&api->api.contract, p);
                rt_.contract = &rt_.contract_guard.api;
                rt_.contract_plugin = &rt_.contract_guard;
            }
        }
    }

    // `pool:` with no type: `workers`/`size` -> static, `max_size` -> lazy, nothing -> inline.
    void bind_pool(Entry& e) {
        Value options = Value::map();
        std::string type = "inline";
        if (const Value* pool = e.raw.fields.find("pool")) {
            for (size_t i = 0; i < pool->keys.size(); ++i)
                if (pool->keys[i] != "type") options.insert(pool->keys[i]) = pool->items[i];
            if (const Value* t = pool->find("type")) {
                if (t->type != MODRT_STRING || t->str.empty()) {
                    error(e, "pool.type", "'pool.type' must be a pool type name such as inline, static, lazy");
                    return;
                }
                type = t->str;
            } else if (pool->find("workers") || pool->find("size")) {
                type = "static";
            } else if (pool->find("max_size")) {
                type = "lazy";
            }
        }
        const ProvidedApi* api = provider(e, "pool." + type, e.raw.fields.find("pool") ? "pool" : "");
        if (!api) return;
        if (api->type != MODRT_EXT_POOL) {
            error(e, "pool", "'pool." + type + "' is not a pool type");
            return;
        }
        auto handle = std::make_unique<PoolHandle>();
        handle->api = &api->api.pool;
        handle->plugin = last_plugin_->state();
        handle->type = type;
        handle->owner = last_plugin_;
        handle->synchronous = (handle->api->flags & MODRT_POOL_SYNCHRONOUS) != 0;  // 0 when the plugin's table is older
        handle->caller_runs = handle->synchronous && (handle->api->flags & MODRT_POOL_CALLER_RUNS) != 0;
        if (modrt_error* err = created("pool create", [&] { return handle->api->create(handle->plugin, &options, &handle->handle); })) {
            ErrorPtr owned(err);
            std::string field = "pool";
            if (owned->details)
                if (const Value* f = owned->details->find("field"); f && f->type == MODRT_STRING) field += "." + f->str;
            handle->handle = nullptr;
            error(e, field, "pool: " + owned->message);
            return;
        }
        e.pool = std::move(handle);
    }

    // The chain: runtime.interceptors defaults merged with meta.options (interceptor_defaults.hpp
    // documents the order); each link `<name>` is an instance of the plugin providing `interceptor.<name>`.
    void bind_interceptors(Entry& e) {
        const Value* meta = e.raw.fields.find("meta");
        const Value* options = meta ? meta->find("options") : nullptr;
        if (!options && icpt_defaults_.defaults.keys.empty()) return;  // the common case: no chain at all
        if (options && options->type != MODRT_MAP) {
            error(e, "meta.options", "'meta.options' must be a map of interceptor name -> options");
            return;
        }
        std::vector<FieldProblem> problems;
        std::vector<ChainLink> links = plan_chain(icpt_defaults_, options, problems);
        for (auto& p : problems) error(e, p.field, std::move(p.message));
        for (ChainLink& link : links) {
            // A default's problem is reported on the entry it failed for, at the entry's line.
            const std::string& field = link.field;
            const ProvidedApi* api = provider(e, "interceptor." + link.name, field);
            if (!api) continue;
            if (api->type != MODRT_EXT_INTERCEPTOR) {
                error(e, field, "'interceptor." + link.name + "' is not an interceptor");
                continue;
            }
            auto handle = std::make_unique<InterceptorHandle>();
            handle->api = &api->api.interceptor;
            handle->plugin = last_plugin_->state();
            handle->name = api->name;
            handle->owner = last_plugin_;
            if (modrt_error* err = created("interceptor create", [&] {
                    return handle->api->create(handle->plugin, &e.info, &link.options, &handle->handle);
                })) {
                ErrorPtr owned(err);
                handle->handle = nullptr;
                std::string where = field;
                if (owned->details)
                    if (const Value* f = owned->details->find("field"); f && f->type == MODRT_STRING && !field.empty())
                        where += "." + f->str;
                error(e, where, (field.empty() ? "runtime.interceptors default '" + link.name + "': " : "") + owned->message);
                continue;
            }
            e.interceptors.push_back(std::move(handle));
        }
    }

    modrt_runtime& rt_;
    std::vector<RegistryError>& errors_;
    LoadedPlugin* last_plugin_ = nullptr;
    InterceptorDefaults icpt_defaults_;  // from the runtime's runtime.interceptors entry, if any
};

modrt_str view_of(const std::string& s) { return modrt_str{s.c_str(), s.size()}; }

// After a load: which entries a contract covers (bindings of this load may cover earlier entries).
void mark_contract_coverage(modrt_runtime& rt) {
    if (rt.contract == nullptr) return;
    for (auto& e : rt.entries)
        if (e->callable())
            e->contract_checked.store(rt.contract->covers(rt.contract_plugin, view_of(e->raw.id)) != 0,
                                      std::memory_order_relaxed);
}

// After a load: settle strict mode and build the parent frame of outside calls.
void apply_security_settings(modrt_runtime& rt) {
    const SecuritySettings& s = rt.security_settings;
    if (s.strict) rt.security_strict = *s.strict;
    else if (rt.security && rt.security->strict) {
        try {
            rt.security_strict = rt.security->strict(rt.security_plugin) != 0;
        } catch (...) {
            rt.security_strict = true;  // a failing provider never loosens checks
        }
    }
    if (rt.outside || (s.actor_id.empty() && s.scope.empty())) return;
    auto frame = std::make_unique<modrt_frame>();
    frame->runtime = &rt;
    frame->storage = std::make_unique<FrameStorage>();
    if (!s.actor_id.empty()) {
        auto actor = std::make_unique<modrt_actor>();
        actor->id = s.actor_id;
        actor->meta = s.actor_meta;
        frame->storage->actor = actor.release();  // reference counted from here on
        frame->actor = frame->storage->actor;
    }
    frame->storage->scope = s.scope;
    frame->scope = frame->storage->scope;
    rt.outside = std::move(frame);
}

}  // namespace

Runtime::Runtime(RuntimeOptions options) : impl_(std::make_unique<modrt_runtime>(std::move(options))) {}
Runtime::~Runtime() = default;

modrt_runtime* Runtime::handle() { return impl_.get(); }
const modrt_host_api& Runtime::host_api() const { return impl_->host; }

CallResult Runtime::describe_contracts() const {
    CallResult r;
    r.error.reset(impl_->host.contract_describe(impl_.get(), &r.value));
    return r;
}

std::vector<RegistryError> Runtime::load(const fs::path& registry) {
    std::vector<RegistryError> errors;
    modrt_runtime& rt = *impl_;
    std::vector<bool> matched;
    std::vector<RawEntry> raws = read_registry(registry, errors, rt.options, &matched);
    for (size_t i = 0; i < matched.size(); ++i)  // an earlier load's entry is not overridden: say so too
        if (!matched[i])
            errors.push_back({registry.string(), 0, rt.options.overrides[i].id,
                              "override " + rt.options.overrides[i].id + ":" + rt.options.overrides[i].field +
                                  ": no entry with this id in this registry"});
    std::vector<Entry*> added;
    for (auto& raw : raws) {
        if (const Entry* existing = rt.find(raw.id)) {
            errors.push_back({raw.file, raw.line, raw.id,
                              "duplicate id; first declared at " + existing->raw.file + ":" +
                                  std::to_string(existing->raw.line)});
            continue;
        }
        auto e = std::make_unique<Entry>();
        e->raw = std::move(raw);
        e->info.struct_size = sizeof(modrt_entry_info);
        e->info.id = view_of(e->raw.id);
        e->info.kind = view_of(e->raw.kind);
        e->info.source_path = view_of(e->raw.source_path);
        e->info.method = view_of(e->raw.method);
        e->info.file = view_of(e->raw.file);
        e->info.line = e->raw.line;
        e->info.fields = &e->raw.fields;
        added.push_back(e.get());
        rt.index.insert(e->raw.id, e.get());
        rt.entries.push_back(std::move(e));
    }
    Binder binder(rt, errors);
    for (Entry* e : added)  // before anything initialises the plugins they configure
        if (e->raw.kind == kPluginConfigKind) binder.bind_plugin_config(*e);
    binder.bind_interceptor_defaults(added);  // before the entries they apply to
    for (Entry* e : added)
        if (e->raw.kind != kPluginConfigKind) binder.bind(*e);
    binder.finish_load(added);
    std::stable_sort(errors.begin(), errors.end(), [](const RegistryError& a, const RegistryError& b) {
        return std::tie(a.file, a.line) < std::tie(b.file, b.line);
    });
    apply_security_settings(rt);
    mark_contract_coverage(rt);
    if (!rt.security && !added.empty()) {
        static std::once_flag warned;  // once per process: the message is about the setup, not each load
        std::call_once(warned, [] {
            logger()->warn("no security plugin loaded: every call is allowed (permissive mode)");
        });
    }
    return errors;
}

CallResult Runtime::call(std::string_view id, const Value& args) {
    CallResult r;  // no root frame to build (the hot path of embedders): the outside frame is prebuilt
    r.error.reset(dispatch(impl_.get(), impl_->outside.get(), id, &args, nullptr, &r.value));
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
    root.storage->scope = !options.scope.empty() ? options.scope : outside ? std::string(outside->scope) : std::string();
    root.scope = root.storage->scope;
    if (options.timeout.count() > 0) root.deadline_ns = now_ns() + options.timeout.count();
    root.cancelable = options.canceler != nullptr;
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

std::vector<EntrySummary> Runtime::entries() const {
    std::vector<EntrySummary> out;
    for (const auto& e : impl_->entries)
        out.push_back({e->raw.id, e->raw.kind, e->pool ? e->pool->type : "", e->raw.file, e->raw.line});
    return out;
}

std::vector<PoolStats> Runtime::pool_stats() const {
    std::vector<PoolStats> out;
    for (const auto& e : impl_->entries) {
        if (!e->pool) continue;
        PoolStats s;
        s.id = e->raw.id;
        s.type = e->pool->type;
        s.stats.struct_size = sizeof(modrt_pool_stats);
        e->pool->read_stats(&s.stats);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<InterceptorStats> Runtime::interceptor_stats() const {
    std::vector<InterceptorStats> out;
    for (const auto& e : impl_->entries) {
        for (const auto& icpt : e->interceptors) {
            if (icpt->api->stats == nullptr) continue;  // zero past an older plugin's struct_size
            InterceptorStats s{e->raw.id, icpt->name, Value()};
            icpt->api->stats(icpt->handle, &s.stats);
            if (s.stats.type == MODRT_MAP) out.push_back(std::move(s));
        }
    }
    return out;
}

std::vector<PluginRecord> Runtime::plugins() const { return impl_->catalog.records(); }
std::vector<PluginRecord> Runtime::inspect_plugins() const { return impl_->catalog.inspect_all(); }

std::vector<fs::path> Runtime::default_plugin_path(const fs::path& exe) {
    // A build tree and an install share the layout bin/modrt + lib/modrt/plugins/.
    return {(exe.parent_path() / ".." / MODRT_PLUGIN_DIR_FROM_BIN).lexically_normal()};
}

}  // namespace modrt::kernel
