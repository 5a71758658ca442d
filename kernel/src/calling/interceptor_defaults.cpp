// The runtime.interceptors entry and the order of an entry's chain (interceptor_defaults.hpp).
#include "calling/interceptor_defaults.hpp"

#include <algorithm>

namespace modrt::kernel {

std::vector<FieldProblem> read_interceptor_defaults(const RawEntry& entry, InterceptorDefaults& out) {
    std::vector<FieldProblem> problems;
    for_each_own_field(entry, [&](const std::string& key, const Value& v) {
        if (key == "defaults") {
            if (v.type != MODRT_MAP) {
                problems.push_back({key, "defaults: expected a map of interceptor name -> options map"});
                return;
            }
            for (size_t j = 0; j < v.keys.size(); ++j) {
                if (v.items[j].type != MODRT_MAP)
                    problems.push_back(
                        {"defaults." + v.keys[j], "defaults." + v.keys[j] + ": expected a map of options"});
            }
            out.defaults = v;
        } else if (key == "order") {
            bool ok = v.type == MODRT_ARRAY;
            for (const auto& item : v.items) ok = ok && item.type == MODRT_STRING && !item.str.empty();
            if (!ok) {
                problems.push_back({key, "order: expected a list of interceptor names, outermost first"});
                return;
            }
            out.order.clear();
            for (const auto& item : v.items) out.order.push_back(item.str);
        } else {
            problems.push_back({key, "unknown field '" + key + "' (runtime.interceptors takes defaults, order)"});
        }
    });
    return problems;
}

std::vector<ChainLink> plan_chain(const InterceptorDefaults& defaults, const Value* entry_options,
                                  std::vector<FieldProblem>& problems) {
    std::vector<ChainLink> links;  // in order of appearance: defaults, then the entry's own keys
    auto find = [&](std::string_view name) {
        return std::find_if(links.begin(), links.end(), [&](const ChainLink& l) { return l.name == name; });
    };
    for (size_t i = 0; i < defaults.defaults.keys.size(); ++i)
        if (defaults.defaults.items[i].type == MODRT_MAP)
            links.push_back({defaults.defaults.keys[i], defaults.defaults.items[i], ""});
    if (entry_options != nullptr && entry_options->type == MODRT_MAP) {
        for (size_t i = 0; i < entry_options->keys.size(); ++i) {
            const std::string& name = entry_options->keys[i];
            const Value& opts = entry_options->items[i];
            std::string field = "meta.options." + name;
            auto at = find(name);
            if (opts.type == MODRT_BOOL && !opts.scalar.b) {  // opt out of a default
                if (at != links.end()) links.erase(at);
                continue;
            }
            if (opts.type != MODRT_MAP) {
                problems.push_back({field, "'" + field + "' must be a map of options (or false to drop a default)"});
                continue;
            }
            if (at == links.end()) {
                links.push_back({name, opts, field});
                continue;
            }
            for (size_t k = 0; k < opts.keys.size(); ++k) at->options.insert(opts.keys[k]) = opts.items[k];
            at->field = field;
        }
    }
    // Stable: names outside `order` keep their order of appearance, after the listed ones.
    auto rank = [&](const ChainLink& l) {
        auto it = std::find(defaults.order.begin(), defaults.order.end(), l.name);
        return static_cast<size_t>(it - defaults.order.begin());
    };
    std::stable_sort(links.begin(), links.end(),
                     [&](const ChainLink& a, const ChainLink& b) { return rank(a) < rank(b); });
    return links;
}

}  // namespace modrt::kernel
