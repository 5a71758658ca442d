// Chains extended by a call's options (per_call_chain.hpp).
#include "calling/per_call_chain.hpp"

#include "binding/plugin_instances.hpp"
#include "calling/call_path.hpp"

#include <modrt/kernel/json.hpp>

#include <algorithm>

namespace modrt::kernel {

namespace {

constexpr std::string_view kPrefix = "interceptor.";

bool provides(const InterceptorHandle& h, std::string_view name) {
    return h.name.size() == kPrefix.size() + name.size() && h.name.starts_with(kPrefix) && h.name.ends_with(name);
}

bool in_own_chain(const Entry& e, std::string_view name) {
    return std::any_of(e.chain.begin(), e.chain.end(), [&](const InterceptorHandle* h) { return provides(*h, name); });
}

// `meta.options.<name>: false`: the entry refuses that interceptor, also per call.
bool refused_by_entry(const Entry& e, const std::string& name) {
    const Value* meta = e.raw.fields.find("meta");
    const Value* options = meta ? meta->find("options") : nullptr;
    const Value* v = options && options->type == MODRT_MAP ? options->find(name) : nullptr;
    return v != nullptr && v->type == MODRT_BOOL && !v->scalar.b;
}

[[gnu::cold]] modrt_error* invalid_option(const Entry& e, std::string_view name, const std::string& why) {
    ErrorPtr err = make_error(MODRT_ERR_INVALID,
                              "per-call option '" + std::string(name) + "' calling '" + e.raw.id + "': " + why);
    err->retryable = false;  // the caller's code must change
    return err.release();
}

// The interceptor `name` made for `e` with `options`, opening its plugin if no load has yet.
modrt_error* make_link(modrt_runtime& rt, const Entry& e, std::string_view name, const Value& options,
                       std::unique_ptr<InterceptorHandle>& out) {
    std::string provided = std::string(kPrefix) + std::string(name);
    std::lock_guard catalog_lock(rt.catalog_mutex);
    const PluginRecord* record = rt.catalog.provider_of(provided);
    if (record == nullptr)
        return invalid_option(e, name,
                              "no plugin on the plugin path provides '" + provided +
                                  "' (a map-valued option names an interceptor; plain values such as timeout do not)");
    const LoadedPlugin* plugin = nullptr;
    try {
        plugin = &rt.catalog.load(*record, rt.host);
    } catch (const std::exception& ex) {
        return invalid_option(e, name, ex.what());
    }
    const ProvidedApi* api = plugin->find(provided);
    if (api == nullptr || api->type != MODRT_EXT_INTERCEPTOR)
        return invalid_option(e, name, "'" + provided + "' is not an interceptor");
    if (modrt_error* refused = make_interceptor(*plugin, *api, e.info, options, out)) {
        ErrorPtr owned(refused);
        return invalid_option(e, name, owned->message);
    }
    return nullptr;
}

// The added links' order: the runtime's; names it does not list keep their place after the listed ones.
void sort_links(const modrt_runtime& rt, std::vector<const InterceptorHandle*>& links) {
    const std::vector<std::string>& order = rt.interceptor_defaults.order;
    auto rank = [&](const InterceptorHandle* h) {
        auto it = std::find_if(order.begin(), order.end(), [&](const std::string& n) { return provides(*h, n); });
        return static_cast<size_t>(it - order.begin());
    };
    std::stable_sort(links.begin(), links.end(),
                     [&](const InterceptorHandle* a, const InterceptorHandle* b) { return rank(a) < rank(b); });
}

}  // namespace

const PerCallChain* PerCallChains::find(const std::string& key) {
    std::lock_guard lock(mutex_);
    for (const auto& c : chains_)
        if (c->key == key) return c.get();
    return nullptr;
}

const PerCallChain* PerCallChains::keep(std::unique_ptr<PerCallChain>& chain) {
    std::lock_guard lock(mutex_);
    for (const auto& c : chains_)
        if (c->key == chain->key) return c.get();  // another call built it meanwhile: ours goes
    if (chains_.size() >= kMaxPerCallChains) return chain.get();
    chains_.push_back(std::move(chain));
    return chains_.back().get();
}

modrt_error* chain_for_call(const Entry& e, const modrt_frame& frame, ChainLinks& out,
                            std::unique_ptr<PerCallChain>& one_off) {
    out = own_chain(e);
    const modrt_value* options = frame.options;
    if (options == nullptr || options->type != MODRT_MAP || e.per_call_chains == nullptr) return nullptr;
    std::vector<size_t> added;  // indexes into `options`, by name
    for (size_t i = 0; i < options->keys.size(); ++i) {
        const std::string& name = options->keys[i];
        if (options->items[i].type == MODRT_MAP && !in_own_chain(e, name) && !refused_by_entry(e, name))
            added.push_back(i);
    }
    if (added.empty()) return nullptr;
    std::sort(added.begin(), added.end(), [&](size_t a, size_t b) { return options->keys[a] < options->keys[b]; });
    std::string key;
    for (size_t i : added) key += options->keys[i] + "=" + to_json(options->items[i]) + "\n";

    PerCallChains& chains = *e.per_call_chains;
    if (const PerCallChain* kept = chains.find(key)) {
        out = {kept->links.data(), kept->links.size()};
        return nullptr;
    }
    // Built with no lock of the entry held: making a link may open a plugin, which waits
    // for a registry load, whose hooks may call this entry.
    auto chain = std::make_unique<PerCallChain>();
    chain->key = std::move(key);
    for (size_t i : added) {
        std::unique_ptr<InterceptorHandle> link;
        if (modrt_error* err = make_link(*frame.runtime, e, options->keys[i], options->items[i], link)) return err;
        chain->owned.push_back(std::move(link));
    }
    chain->links = e.chain;
    for (const auto& link : chain->owned) chain->links.push_back(link.get());
    sort_links(*frame.runtime, chain->links);
    const PerCallChain* run = chains.keep(chain);
    if (chain) one_off = std::move(chain);  // not kept (or a twin was): the call owns it
    out = {run->links.data(), run->links.size()};
    return nullptr;
}

}  // namespace modrt::kernel
