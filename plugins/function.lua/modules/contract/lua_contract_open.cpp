// Opening bindings (lua_contract_open.hpp).
//
// open_instance parks every kernel value it builds in OwnedKernel userdata
// and fills the instance without Lua in between: no C++ object with a
// destructor lives across a Lua API call that may raise.
#include "modules/contract/lua_contract_open.hpp"

#include "modules/contract/lua_contract_instance.hpp"
#include "modules/contract/lua_contract_query.hpp"
#include "values/lua_errors.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace modrt::lua {
namespace {

// Push the concatenation of `parts` (string_views are trivially destructible).
void push_concat(lua_State* L, std::initializer_list<std::string_view> parts) {
    for (std::string_view p : parts) lua_pushlstring(L, p.data(), p.size());
    lua_concat(L, static_cast<int>(parts.size()));
}

int fail(lua_State* L, modrt_error_kind kind, std::initializer_list<std::string_view> parts) {
    push_concat(L, parts);
    return return_error(L, kind, lua_tostring(L, -1));
}

bool same(ValueView v, std::string_view s) { return v.is_string() && v.as_string() == s; }

// The item of the description's `contracts` for contract `contract`; nil when none.
ValueView item_of(ValueView description, std::string_view contract) {
    ValueView items = description.find("contracts");
    for (size_t i = 0; i < items.size(); ++i)
        if (same(items[i].find("contract"), contract)) return items[i];
    return ValueView();
}

// Append the strings of array `from` to array `to`, each once.
void add_unique(modrt_value* to, ValueView from) noexcept {
    const modrt_host_api& h = host_api();
    for (size_t i = 0; i < from.size(); ++i) {
        std::string_view s = from[i].as_string();
        bool seen = false;
        for (size_t j = 0; j < h.value_len(to) && !seen; ++j) seen = to_view(h.value_string(h.value_at(to, j))) == s;
        if (!seen) h.value_set_string(h.value_push(to), to_str(s));
    }
}

// Push an OwnedKernel holding the description of `id` (abi.h contract_describe_binding:
// a binding, or a contract's default binding) and return it; or push `nil, err` and
// return nullptr. A provider's NOT_FOUND and INVALID get `what` in front; UNAVAILABLE
// (no provider, a binding that did not load) comes as the kernel gave it. When the
// caller named the id, contract.open on it is checked before any of these.
OwnedKernel* describe_binding(lua_State* L, modrt_runtime* rt, const char* what, modrt_str id, bool named) {
    OwnedKernel* d = push_owned(L);
    d->error = host_api().contract_describe_binding(rt, id, d->value);
    if (d->error == nullptr) return d;
    modrt_error_kind kind = host_api().error_kind(d->error);
    bool denied = named && deny_unless(L, what, "contract.open", id) != 0;  // the denied learn nothing more
    if (!denied && (kind == MODRT_ERR_NOT_FOUND || kind == MODRT_ERR_INVALID)) {
        fail(L, kind, {what, ": ", to_view(host_api().error_message(d->error))});
    } else if (!denied) {
        return_owned_error(L, d);
    }
    release_owned(d);  // its userdata stays below `nil, err`, empty
    return nullptr;
}

}  // namespace

bool valid_entry_id(modrt_str id) noexcept {
    std::string_view s = to_view(id);
    size_t colon = s.find(':');
    return colon != std::string_view::npos && colon > 0 && colon + 1 < s.size() &&
           s.find(':', colon + 1) == std::string_view::npos;
}

int read_id_arg(lua_State* L, int idx, const char* what, const char* noun, modrt_str* id) {
    *id = modrt_str{};
    if (lua_type(L, idx) == LUA_TSTRING) id->ptr = lua_tolstring(L, idx, &id->len);
    if (id->ptr != nullptr && valid_entry_id(*id)) return 0;
    if (id->ptr == nullptr) {
        lua_pushfstring(L, "%s: the %s id must be a string (\"namespace:name\")", what, noun);
        return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    return fail(L, MODRT_ERR_INVALID,
                {what, ": '", to_view(*id), "' is not a ", noun, " id (expected namespace:name)"});
}

OwnedKernel* describe_contracts(lua_State* L) {
    modrt_runtime* rt = current_call(L).runtime;
    if (rt == nullptr) {
        return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
        return nullptr;
    }
    OwnedKernel* d = push_owned(L);
    d->error = host_api().contract_describe(rt, d->value);
    if (d->error != nullptr) {
        return_owned_error(L, d);
        return nullptr;
    }
    return d;
}

int open_instance(lua_State* L, const OpenRequest& r) {
    const modrt_host_api& h = host_api();
    CallEnv env = current_call(L);
    if (env.runtime == nullptr) return return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    const bool via_contract = r.contract.ptr != nullptr;

    // The arguments: the scope table, the options, the id and its query.
    OwnedKernel* scope = nullptr;
    if (r.scope_idx != 0 && !lua_isnoneornil(L, r.scope_idx)) {
        if (!lua_istable(L, r.scope_idx))
            return fail(L, MODRT_ERR_INVALID, {r.what, ": the scope must be a table of context values"});
        if ((scope = table_to_map(L, r.scope_idx, r.what)) == nullptr) return 2;
    }
    OwnedKernel* options = nullptr;
    int64_t timeout_ns = r.base != nullptr ? r.base->timeout_ns : 0;
    if (r.options_idx != 0 && !lua_isnoneornil(L, r.options_idx))
        if ((options = read_call_options(L, r.options_idx, r.what, &timeout_ns)) == nullptr) return 2;
    OwnedKernel* query = push_owned(L);
    modrt_str id{};
    if (r.text.ptr != nullptr) {
        if (const char* bad = split_binding_query(r.text, &id, query->value))
            return fail(L, MODRT_ERR_INVALID, {r.what, ": '", to_view(r.text), "': ", bad});
        if (!valid_entry_id(id))
            return fail(L, MODRT_ERR_INVALID,
                        {r.what, ": '", to_view(id), "' is not a binding id (expected namespace:name)"});
    }

    // Which binding (a contract id: its default one), and which of its items.
    const bool named = id.ptr != nullptr;
    OwnedKernel* described = describe_binding(L, env.runtime, r.what, named ? id : r.contract, named);
    if (described == nullptr) return 2;
    ValueView d(described->value);
    const modrt_str binding = to_str(d.find("binding").as_string());
    std::string_view contract = via_contract ? to_view(r.contract) : d.find("default_of").as_string();
    if (via_contract && named && d.has("default_of")) {  // Contract:open(id) takes a binding id only
        if (int denied = deny_unless(L, r.what, "contract.open", id)) return denied;
        return fail(L, MODRT_ERR_NOT_FOUND, {r.what, ": no binding '", to_view(id), "'"});
    }
    ValueView item;  // opened through a contract (or by a contract id): that contract's item only
    if (!contract.empty() && (item = item_of(d, contract)).is_nil()) {
        if (int denied = deny_unless(L, r.what, "contract.open", binding)) return denied;
        return fail(L, MODRT_ERR_NOT_FOUND,
                    {r.what, ": binding '", to_view(binding), "' does not implement contract '", contract, "'"});
    }
    if (int denied = deny_unless(L, r.what, "contract.open", binding)) return denied;

    // What the instance keeps: methods -> functions, the contracts it implements, the required keys.
    OwnedKernel* methods = push_owned(L);
    OwnedKernel* contracts = push_owned(L);
    OwnedKernel* required = push_owned(L);
    h.value_set_map(methods->value, 4);
    h.value_set_array(contracts->value, 2);
    h.value_set_array(required->value, 2);
    ValueView items = d.find("contracts");
    for (size_t i = 0; i < items.size(); ++i) {
        h.value_set_string(h.value_push(contracts->value), to_str(items[i].find("contract").as_string()));
        if (!item.is_nil()) continue;
        add_unique(required->value, items[i].find("context_required"));
        // Two contracts of the binding with one method name: the first item wins, as in the provider's resolve.
        ValueView m = items[i].find("methods");
        for (size_t j = 0; j < m.size(); ++j) {
            modrt_str name = to_str(m.key(j));
            if (h.value_find(methods->value, name) == nullptr)
                h.value_copy(h.value_insert(methods->value, name), m[j].raw());
        }
    }
    if (!item.is_nil()) {
        h.value_copy(methods->value, item.find("methods").raw());
        add_unique(required->value, item.find("context_required"));
    }

    // The instance: the Contract's settings, then the query, then the scope table over them.
    InstanceBox* box = push_instance(L);
    if (r.base != nullptr) copy_call_settings(&box->settings, *r.base);
    if (h.value_len(query->value) > 0) merge_map(&box->settings.context, query->value);
    if (scope != nullptr && h.value_len(scope->value) > 0) merge_map(&box->settings.context, scope->value);
    if (options != nullptr) apply_call_options(&box->settings, timeout_ns, options->value);
    box->binding = h.value_new();
    h.value_set_string(box->binding, binding);
    box->methods = methods->value;
    box->contracts = contracts->value;
    methods->value = contracts->value = nullptr;

    for (size_t i = 0; i < h.value_len(required->value); ++i) {
        modrt_str key = h.value_string(h.value_at(required->value, i));
        if (box->settings.context != nullptr && h.value_find(box->settings.context, key) != nullptr) continue;
        if (h.frame_context_get(env.frame, key) != nullptr) continue;
        return fail(L, MODRT_ERR_INVALID,
                    {r.what, ": binding '", to_view(binding), "' requires context value '", to_view(key),
                     "' (give it in the scope table, the ?query or the caller's context)"});
    }
    for (OwnedKernel* o : {scope, options, query, described, methods, contracts, required})
        if (o != nullptr) release_owned(o);
    return 1;  // the instance, on top
}

}  // namespace modrt::lua
