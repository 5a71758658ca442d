// One binding's description (contract_binding.hpp).
#include "providers/contract/contract_binding.hpp"

#include <modrt/kernel/error.hpp>
#include <modrt/kernel/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace modrt::kernel {

namespace {

bool is_string(const Value* v, std::string_view s) { return v != nullptr && v->type == MODRT_STRING && v->str == s; }

// The implementation item of `contract` (one value of describe's map) for `binding`; null when none.
const Value* impl_of(const Value& contract, std::string_view binding) {
    const Value* impls = contract.find("implementations");
    if (impls == nullptr || impls->type != MODRT_ARRAY) return nullptr;
    for (const Value& impl : impls->items)
        if (is_string(impl.find("binding"), binding)) return &impl;
    return nullptr;
}

const Value* default_impl(const Value& contract) {
    const Value* impls = contract.find("implementations");
    if (impls == nullptr || impls->type != MODRT_ARRAY) return nullptr;
    for (const Value& impl : impls->items) {
        const Value* d = impl.find("default");
        const Value* b = impl.find("binding");
        if (d != nullptr && d->type == MODRT_BOOL && d->scalar.b && b != nullptr && b->type == MODRT_STRING)
            return &impl;
    }
    return nullptr;
}

// One item of the description's `contracts` from describe's implementation item.
void add_item(Value& items, std::string_view contract, const Value& impl) {
    Value item = Value::map();
    item.insert("contract") = Value::string(contract);
    const Value* d = impl.find("default");
    item.insert("default") = Value::boolean(d != nullptr && d->type == MODRT_BOOL && d->scalar.b);
    const Value* methods = impl.find("methods");
    item.insert("methods") = methods != nullptr && methods->type == MODRT_MAP ? *methods : Value::map();
    const Value* keys = impl.find("context_required");
    item.insert("context_required") = keys != nullptr && keys->type == MODRT_ARRAY ? *keys : Value::array();
    items.push() = std::move(item);
}

// Derived from describe: a binding shows up there only once it is in force.
modrt_error* from_describe(const modrt_contract_api& c, void* plugin, std::string_view id, modrt_value* out) {
    if (c.describe == nullptr)
        return make_error(MODRT_ERR_UNAVAILABLE, "the contract provider does not describe bindings").release();
    Value all;
    if (modrt_error* err = c.describe(plugin, &all)) return err;
    if (all.type != MODRT_MAP) all = Value::map();  // describe's map: contract id -> description
    const Value& contracts = all;

    std::string binding(id);
    std::string default_of;
    bool described = false;
    for (const Value& contract : contracts.items) described = described || impl_of(contract, id) != nullptr;
    if (!described) {
        if (const Value* contract = contracts.find(id)) {
            const Value* impl = default_impl(*contract);
            if (impl == nullptr)
                return make_error(MODRT_ERR_NOT_FOUND, "contract '" + binding +
                                                           "' has no default binding (open a binding by its id, or "
                                                           "mark one binding's item `default: true`)")
                    .release();
            default_of = binding;
            binding = impl->find("binding")->str;
        } else {
            // Not in force: the provider's resolve tells a binding that did not load (UNAVAILABLE) from none.
            if (c.resolve != nullptr) {
                Value ignored;
                ErrorPtr err(c.resolve(plugin, {id.data(), id.size()}, {"?", 1}, &ignored));
                if (err != nullptr && err->kind == MODRT_ERR_UNAVAILABLE) return err.release();
            }
            return make_error(MODRT_ERR_NOT_FOUND, "no contract or binding '" + binding + "'").release();
        }
    }

    Value result = Value::map();
    result.insert("binding") = Value::string(binding);
    if (!default_of.empty()) result.insert("default_of") = Value::string(default_of);
    Value& items = result.insert("contracts");
    items = Value::array();
    // describe's order (by contract), not the binding's: describe does not tell the binding's.
    for (size_t i = 0; i < contracts.items.size(); ++i)
        if (const Value* impl = impl_of(contracts.items[i], binding)) add_item(items, contracts.keys[i], *impl);
    *out = std::move(result);
    return nullptr;
}

}  // namespace

modrt_error* describe_binding_of(const modrt_contract_api& c, void* plugin, modrt_str binding, modrt_value* out) {
    // A table from before minor 5 stops short of describe_binding: the catalog's copy reads NULL there.
    if (c.describe_binding != nullptr) return c.describe_binding(plugin, binding, out);
    return from_describe(c, plugin, std::string_view(binding.ptr != nullptr ? binding.ptr : "", binding.len), out);
}

}  // namespace modrt::kernel
