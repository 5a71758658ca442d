// Binding the entries of one registry load (binder.hpp).
#include "binding/binder.hpp"

#include "binding/plugin_instances.hpp"
#include "binding/unknown_kinds.hpp"
#include "calling/interceptor_defaults.hpp"
#include "calling/per_call_chain.hpp"
#include "calling/plugin_guard.hpp"
#include "loading/plugin_config_entry.hpp"
#include "providers/contract/contract_guard.hpp"
#include "providers/pool_types.hpp"
#include "providers/security/security_provider.hpp"
#include "runtime/logging.hpp"
#include "runtime/runtime_impl.hpp"

#include <algorithm>
#include <utility>

namespace modrt::kernel {

namespace {

// The `field` a plugin's error names in its details ("" when none): where in the entry it points.
std::string error_field(const modrt_error& err) {
    if (err.details)
        if (const Value* f = err.details->find("field"); f && f->type == MODRT_STRING) return f->str;
    return "";
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
        if (rt_.catalog.provider_of(e.raw.kind) == nullptr) {
            unknown_kind(e);
            return;
        }
        const ProvidedApi* api = provider(e, e.raw.kind, "kind");
        if (!api) return;
        if (api->type == MODRT_EXT_TRIGGER) {
            bind_trigger(e, api->api.trigger);
            return;
        }
        if (api->type != MODRT_EXT_FUNCTION_KIND) {
            error(e, "kind", "'" + e.raw.kind + "' is not an entry kind");
            return;
        }
        e.kind = &api->api.kind;
        e.kind_plugin = last_plugin_->state();
        e.kind_owner = last_plugin_;
        if (modrt_error* err = call_plugin(last_plugin_, "entry_create",
                                           [&] { return e.kind->entry_create(e.kind_plugin, &e.info, &e.handle); })) {
            ErrorPtr owned(err);
            error(e, error_field(*owned), owned->message);
            e.handle = nullptr;
            return;
        }
        if (!e.callable()) return;
        bind_pool(e);
        bind_interceptors(e);
        e.per_call_chains = std::make_unique<PerCallChains>();
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
                error(*e, "kind",
                      "only one runtime.interceptors entry is allowed; the first is '" + first->raw.id + "' at " +
                          first->raw.file + ":" + std::to_string(first->raw.line));
        if (!first->load_error.empty()) return;  // refused by an earlier load
        InterceptorDefaults defaults;
        std::vector<FieldProblem> problems = read_interceptor_defaults(first->raw, defaults);
        for (auto& p : problems) error(*first, p.field, std::move(p.message));
        if (problems.empty()) rt_.interceptor_defaults = std::move(defaults);
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
            error(e, "plugin",
                  "plugin: '" + c.plugin +
                      "' is already initialised by an earlier registry load; configure it in the first");
        } else if (rt_.catalog.configured(c.plugin)) {
            error(e, "plugin", "plugin: '" + c.plugin + "' is configured twice");
        } else {
            rt_.catalog.configure(c.plugin, std::move(c.config));
        }
    }

    // Each kind plugin of this load checks references between its entries (load_finished),
    // once per plugin instance and hook; its problems become registry errors.
    void finish_load(const std::vector<Entry*>& added) {
        std::vector<std::pair<void (*)(void*, modrt_value*), void*>> done;
        for (Entry* e : added) {
            // zero past an older table
            void (*finished)(void*, modrt_value*) = e->kind      ? e->kind->load_finished
                                                    : e->trigger ? e->trigger->api->load_finished
                                                                 : nullptr;
            if (finished == nullptr) continue;
            std::pair hook{finished, e->kind_plugin};
            if (std::find(done.begin(), done.end(), hook) != done.end()) continue;
            done.push_back(hook);
            Value problems = Value::array();
            if (std::string threw = call_plugin_void(e->kind_owner, "load_finished",
                                                     [&] { hook.first(hook.second, &problems); });
                !threw.empty()) {
                error(*e, "kind", std::move(threw));
                continue;
            }
            for (const Value& p : problems.items) report_problem(*e, p);
        }
    }

    /// (kind, id) of the entries this load skipped (unknown_kinds.hpp), in declaration order.
    const std::vector<std::pair<std::string, std::string>>& skipped() const { return skipped_; }

private:
    // No plugin on the path provides the entry's kind: skip it, or say why not (unknown_kinds.hpp).
    void unknown_kind(Entry& e) {
        std::vector<std::string> provided;
        for (const auto& r : rt_.catalog.records())
            provided.insert(provided.end(), r.provides.begin(), r.provides.end());
        const std::string refused = rt_.catalog.refused_note();
        UnknownKind u = classify_unknown_kind(e.raw.kind, provided, !refused.empty());
        if (u.skip) {
            e.skipped = true;
            skipped_.emplace_back(e.raw.kind, e.raw.id);
            return;
        }
        error(e, "kind",
              "no plugin on the plugin path provides '" + e.raw.kind + "'" +
                  (u.suggestion.empty() ? "" : " (did you mean '" + u.suggestion + "'?)") + refused);
    }

    // An entry of a trigger kind: made now, started by Runtime::start_triggers (`modrt serve`).
    void bind_trigger(Entry& e, const modrt_trigger_api& api) {
        auto t = std::make_unique<TriggerHandle>();
        for (auto& p : read_trigger_lifecycle(e.raw, t->lifecycle)) error(e, p.field, std::move(p.message));
        t->api = &api;
        t->plugin = last_plugin_->state();
        t->owner = last_plugin_;
        e.kind_plugin = t->plugin;
        e.kind_owner = last_plugin_;
        if (modrt_error* err = call_plugin(last_plugin_, "trigger create",
                                           [&] { return api.create(t->plugin, &e.info, &t->handle); })) {
            ErrorPtr owned(err);
            t->handle = nullptr;
            error(e, error_field(*owned), owned->message);
            return;
        }
        e.trigger = std::move(t);
    }

    // The kernel's own single-entry kinds (runtime.limits, runtime.security): the runtime's
    // first such entry sets `value`; another one is an error naming the first.
    template <class T>
    void bind_single(Entry& e, const Entry*& first, T& value, std::vector<FieldProblem> (*read)(const RawEntry&, T&)) {
        if (first != nullptr) {
            error(e, "kind",
                  "only one " + e.raw.kind + " entry is allowed; the first is '" + first->raw.id + "' at " +
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
        errors_.push_back(
            {e.raw.file, field.empty() ? e.raw.line : e.raw.line_of(field), e.raw.id, std::move(message)});
    }

    // The plugin providing `name`, loaded (and its runtime-wide providers adopted); null after an error on `field`.
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
        adopt_providers(e, *last_plugin_);
        return last_plugin_->find(name);
    }

    // A loaded plugin's security or contract provider serves the whole runtime.
    void adopt_providers(Entry& e, const LoadedPlugin& p) {
        for (const auto& name : p.record().provides) {
            const ProvidedApi* api = p.find(name);
            if (api->type == MODRT_EXT_SECURITY) {
                if (std::string refused = adopt_security_provider(rt_, &api->api.security, p); !refused.empty())
                    error(e, "kind", std::move(refused));
            } else if (api->type == MODRT_EXT_CONTRACT) {
                adopt_contract_provider(rt_, &api->api.contract, p);
            }
        }
    }

    void bind_pool(Entry& e) {
        const Value* field = e.raw.fields.find("pool");
        PoolChoice choice = choose_pool(field);
        if (!choice.problem.empty()) {
            error(e, "pool.type", std::move(choice.problem));
            return;
        }
        const ProvidedApi* api = provider(e, "pool." + choice.type, field ? "pool" : "");
        if (!api) return;
        if (api->type != MODRT_EXT_POOL) {
            error(e, "pool", "'pool." + choice.type + "' is not a pool type");
            return;
        }
        if (modrt_error* err = make_pool(*last_plugin_, *api, std::move(choice.type), choice.options, e.pool)) {
            ErrorPtr owned(err);
            std::string where = "pool";
            if (std::string f = error_field(*owned); !f.empty()) where += "." + f;
            error(e, where, "pool: " + owned->message);
            return;
        }
        e.pool_defaulted = field == nullptr;
    }

    // The chain: runtime.interceptors defaults merged with meta.options (interceptor_defaults.hpp
    // documents the order); each link `<name>` is an instance of the plugin providing `interceptor.<name>`.
    void bind_interceptors(Entry& e) {
        const Value* meta = e.raw.fields.find("meta");
        const Value* options = meta ? meta->find("options") : nullptr;
        const InterceptorDefaults& defaults = rt_.interceptor_defaults;
        if (!options && defaults.defaults.keys.empty()) return;  // the common case: no chain at all
        if (options && options->type != MODRT_MAP) {
            error(e, "meta.options", "'meta.options' must be a map of interceptor name -> options");
            return;
        }
        std::vector<FieldProblem> problems;
        std::vector<ChainLink> links = plan_chain(defaults, options, problems);
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
            std::unique_ptr<InterceptorHandle> handle;
            if (modrt_error* err = make_interceptor(*last_plugin_, *api, e.info, link.options, handle)) {
                ErrorPtr owned(err);
                std::string where = field;
                if (std::string f = error_field(*owned); !f.empty() && !field.empty()) where += "." + f;
                error(e, where,
                      (field.empty() ? "runtime.interceptors default '" + link.name + "': " : "") + owned->message);
                continue;
            }
            e.chain.push_back(handle.get());
            e.interceptors.push_back(std::move(handle));
        }
    }

    modrt_runtime& rt_;
    std::vector<RegistryError>& errors_;
    LoadedPlugin* last_plugin_ = nullptr;
    std::vector<std::pair<std::string, std::string>> skipped_;
};

}  // namespace

void bind_entries(modrt_runtime& rt, const std::vector<Entry*>& added, std::vector<RegistryError>& errors) {
    Binder binder(rt, errors);
    for (Entry* e : added)  // before anything initialises the plugins they configure
        if (e->raw.kind == kPluginConfigKind) binder.bind_plugin_config(*e);
    binder.bind_interceptor_defaults(added);  // before the entries they apply to
    for (Entry* e : added)
        if (e->raw.kind != kPluginConfigKind) binder.bind(*e);
    binder.finish_load(added);
    if (!binder.skipped().empty()) logger()->warn("{}", skipped_entries_text(binder.skipped()));
}

}  // namespace modrt::kernel
