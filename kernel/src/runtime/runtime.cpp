// Runtime: the kernel's public face (modrt/kernel/runtime.hpp). A load reads the registry,
// adds its entries, binds them (binding/binder.hpp) and settles the runtime
// (runtime/load_settlement.hpp); calls from outside are in root_call.cpp, stats in
// runtime_stats.cpp, and what the runtime owns in runtime_state.cpp.
#include "binding/binder.hpp"
#include "runtime/load_settlement.hpp"
#include "runtime/runtime_impl.hpp"

#include <algorithm>
#include <tuple>

namespace modrt::kernel {

namespace fs = std::filesystem;

namespace {

modrt_str view_of(const std::string& s) { return modrt_str{s.c_str(), s.size()}; }

// Add the entries read from one registry to `rt` (a duplicate id is an error); the new ones, in order.
std::vector<Entry*> add_entries(modrt_runtime& rt, std::vector<RawEntry>& raws, std::vector<RegistryError>& errors) {
    std::vector<Entry*> added;
    for (auto& raw : raws) {
        if (const Entry* existing = rt.find(raw.id)) {
            errors.push_back(
                {raw.file, raw.line, raw.id,
                 "duplicate id; first declared at " + existing->raw.file + ":" + std::to_string(existing->raw.line)});
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
    return added;
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
    std::lock_guard catalog_lock(rt.catalog_mutex);  // a call may be opening an interceptor's plugin
    std::vector<bool> matched;
    std::vector<RawEntry> raws = read_registry(registry, errors, rt.options, &matched);
    for (size_t i = 0; i < matched.size(); ++i)  // an earlier load's entry is not overridden: say so too
        if (!matched[i])
            errors.push_back({registry.string(), 0, rt.options.overrides[i].id,
                              "override " + rt.options.overrides[i].id + ":" + rt.options.overrides[i].field +
                                  ": no entry with this id in this registry"});
    std::vector<Entry*> added = add_entries(rt, raws, errors);
    bind_entries(rt, added, errors);
    std::stable_sort(errors.begin(), errors.end(), [](const RegistryError& a, const RegistryError& b) {
        return std::tie(a.file, a.line) < std::tie(b.file, b.line);
    });
    settle_after_load(rt, added.size());
    return errors;
}

std::vector<EntrySummary> Runtime::entries() const {
    std::vector<EntrySummary> out;
    for (const auto& e : impl_->entries)
        out.push_back({e->raw.id, e->raw.kind, e->pool ? e->pool->type : "", e->raw.file, e->raw.line, e->skipped});
    return out;
}

std::vector<PluginRecord> Runtime::plugins() const { return impl_->catalog.records(); }
std::vector<PluginRecord> Runtime::inspect_plugins() const { return impl_->catalog.inspect_all(); }
bool Runtime::has_security_provider() const { return impl_->security != nullptr; }

std::vector<fs::path> Runtime::default_plugin_path(const fs::path& exe) {
    // A build tree and an install share the layout bin/modrt + lib/modrt/plugins/.
    return {(exe.parent_path() / ".." / MODRT_PLUGIN_DIR_FROM_BIN).lexically_normal()};
}

}  // namespace modrt::kernel
