// modrt SDK, Boundary machinery (detail): turns the interface classes into the C tables the kernel reads, catching every exception.
// Part of the header-only C++ layer; include <modrt/sdk.hpp>.
#ifndef MODRT_SDK_BOUNDARY_HPP
#define MODRT_SDK_BOUNDARY_HPP

#include <modrt/sdk/interfaces.hpp>

#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace modrt {

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
        : host_(api, config, name, &shared_), objects_(std::make_unique<Singletons>(host_)...) {}
    const Host& host() const noexcept { return host_; }
    template <class T>
    T& get() noexcept {
        return *std::get<std::unique_ptr<T>>(objects_);
    }

private:
    SharedObjects shared_;  // declared first: destroyed after the provides that hold its objects
    Host host_;
    std::tuple<std::unique_ptr<Singletons>...> objects_;
};

template <class Inst>
Inst& inst(void* p) noexcept {
    return *static_cast<Inst*>(p);
}

// -- function kinds --
template <class Inst, class K>
modrt_error* kind_entry_create(void* plugin, const modrt_entry_info* info, void** out) noexcept {
    return guard(to_view(info->kind), [&]() -> modrt_error* {
        *out = inst<Inst>(plugin).template get<K>().create_entry(EntryInfo(info)).release();
        return nullptr;
    });
}
// A DataKind's entries are DataEntry objects, a FunctionKind's FunctionEntry objects: the
// handle is deleted as the type create_entry released it as.
template <class Inst, class K>
void kind_entry_destroy(void*, void* entry) noexcept {
    if constexpr (std::is_base_of_v<DataKind, K>) {
        std::unique_ptr<DataEntry> owned(static_cast<DataEntry*>(entry));
    } else {
        std::unique_ptr<FunctionEntry> owned(static_cast<FunctionEntry*>(entry));
    }
}
/// Base is the interface whose load_finished runs (a class may be a DataKind and a TriggerKind at once).
template <class Inst, class K, class Base>
void kind_load_finished(void* plugin, modrt_value* out) noexcept {
    modrt_error* err = guard("load_finished", [&]() -> modrt_error* {
        static_cast<Base&>(inst<Inst>(plugin).template get<K>()).load_finished(ValueSlot(out));
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
/// The invoke hook of a callable kind; NULL for a data kind, whose entries the kernel refuses to call.
template <class Inst, class K, bool Callable>
constexpr auto kind_invoke_hook() noexcept {
    modrt_error* (*hook)(void*, void*, modrt_frame*, const modrt_value*, modrt_value*) = nullptr;
    if constexpr (Callable) hook = &kind_invoke<Inst, K>;
    return hook;
}

template <class Inst, class K>
const void* kind_entry_interface(void*, void* entry, modrt_str name, void** self) noexcept {
    *self = nullptr;
    if (entry == nullptr) return nullptr;
    try {
        return static_cast<DataEntry*>(entry)->entry_interface(to_view(name), self);
    } catch (...) {  // the hook has no error to carry: offering nothing is the safe answer
        return nullptr;
    }
}
/// The entry_interface hook (ABI minor 7) of a data kind; NULL for a function kind or an older target.
template <class Inst, class K>
constexpr auto kind_entry_interface_hook() noexcept {
    const void* (*hook)(void*, void*, modrt_str, void**) = nullptr;
#if MODRT_TARGET_ABI_MINOR >= 7
    if constexpr (std::is_base_of_v<DataKind, K>) hook = &kind_entry_interface<Inst, K>;
#endif
    return hook;
}

/// The interface a kind's load_finished belongs to.
template <class K>
using KindBase = std::conditional_t<std::is_base_of_v<FunctionKind, K>, FunctionKind, DataKind>;

// -- triggers --
template <class Inst, class K>
modrt_error* trigger_create(void* plugin, const modrt_entry_info* info, void** out) noexcept {
    return guard(to_view(info->kind), [&]() -> modrt_error* {
        *out =
            static_cast<TriggerKind&>(inst<Inst>(plugin).template get<K>()).create_trigger(EntryInfo(info)).release();
        return nullptr;
    });
}
inline modrt_error* trigger_start(void* trigger, modrt_value* out) noexcept {
    return guard("trigger start",
                 [&]() -> modrt_error* { return static_cast<Trigger*>(trigger)->start(ValueSlot(out)).release(); });
}
inline void trigger_stop(void* trigger, int64_t deadline_ns) noexcept {
    try {
        static_cast<Trigger*>(trigger)->stop(deadline_ns);
    } catch (...) {  // stop must not fail; what it could not stop, destroy still releases
    }
}
inline void trigger_destroy(void*, void* trigger) noexcept {
    std::unique_ptr<Trigger> owned(static_cast<Trigger*>(trigger));
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
void pool_destroy(void*, void* pool) noexcept {
    std::unique_ptr<Pool> owned(static_cast<Pool*>(pool));
}
inline modrt_error* pool_submit(void* pool, modrt_task* task) noexcept {
    return guard("pool submit", [&]() -> modrt_error* { return static_cast<Pool*>(pool)->submit(task).release(); });
}
inline void pool_stats(void* pool, modrt_pool_stats* out) noexcept {
    try {
        static_cast<Pool*>(pool)->stats(*out);
    } catch (...) {
    }
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
        std::unique_ptr<Interceptor> i = std::make_unique<I>(inst<Inst>(plugin).host(), EntryInfo(entry),
                                                             ValueView(options));
        *out = i.release();  // owned by the kernel until icpt_destroy
        return nullptr;
    });
}
template <class Inst, class I>
void icpt_destroy(void*, void* i) noexcept {
    std::unique_ptr<Interceptor> owned(static_cast<Interceptor*>(i));
}
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
        return static_cast<Interceptor*>(i)
            ->intercept(Frame(frame), ValueView(args), ValueSlot(result), *next)
            .release();
    });
}

// -- security --
template <class Inst, class S>
modrt_decision sec_evaluate(void* plugin, const modrt_actor* actor, modrt_str scope, modrt_str action,
                            modrt_str resource, const modrt_value* meta) noexcept {
    try {
        return inst<Inst>(plugin).template get<S>().evaluate(actor, to_view(scope), to_view(action), to_view(resource),
                                                             ValueView(meta));
    } catch (...) {
        return MODRT_DECISION_DENY;  // a failing policy engine never grants access
    }
}
template <class Inst, class S>
int sec_strict(void* plugin) noexcept {
    try {
        return inst<Inst>(plugin).template get<S>().strict() ? 1 : 0;
    } catch (...) {
        return 1;
    }
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
    return guard("contract", [&]() {
        return inst<Inst>(plugin).template get<C>().validate_input(to_view(target), ValueView(args)).release();
    });
}
template <class Inst, class C>
modrt_error* ct_out(void* plugin, modrt_str target, const modrt_value* result) noexcept {
    return guard("contract", [&]() {
        return inst<Inst>(plugin).template get<C>().validate_output(to_view(target), ValueView(result)).release();
    });
}
template <class Inst, class C>
modrt_error* ct_resolve(void* plugin, modrt_str binding, modrt_str method, modrt_value* out) noexcept {
    return guard("contract", [&]() {
        return inst<Inst>(plugin)
            .template get<C>()
            .resolve(to_view(binding), to_view(method), ValueSlot(out))
            .release();
    });
}
template <class Inst, class C>
int ct_covers(void* plugin, modrt_str target) noexcept {
    try {
        return inst<Inst>(plugin).template get<C>().covers(to_view(target)) ? 1 : 0;
    } catch (...) {
        return 1;
    }
}
template <class Inst, class C>
modrt_error* ct_describe(void* plugin, modrt_value* out) noexcept {
    return guard("contract", [&]() { return inst<Inst>(plugin).template get<C>().describe(ValueSlot(out)).release(); });
}
template <class Inst, class C>
modrt_error* ct_describe_binding(void* plugin, modrt_str binding, modrt_value* out) noexcept {
    return guard("contract", [&]() {
        return inst<Inst>(plugin).template get<C>().describe_binding(to_view(binding), ValueSlot(out)).release();
    });
}
/// The describe_binding hook, or NULL when C keeps ContractProvider's default (`&C::describe_binding`
/// then still names the base's member): the kernel derives the answer from describe() instead.
template <class Inst, class C>
constexpr auto ct_describe_binding_hook() noexcept {
    using Base = Error (ContractProvider::*)(std::string_view, ValueSlot);
    modrt_error* (*hook)(void*, modrt_str, modrt_value*) = nullptr;
    if constexpr (!std::is_same_v<decltype(&C::describe_binding), Base>) hook = &ct_describe_binding<Inst, C>;
    return hook;
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
            static_assert(!Callable || std::is_base_of_v<FunctionKind, T>,
                          "provide_kind needs a FunctionKind (a DataKind is provided with provide_data_kind)");
            // provide_data_kind also takes a FunctionKind (plugins written before DataKind): its invoke stays unused.
            static_assert(Callable || std::is_base_of_v<DataKind, T> || std::is_base_of_v<FunctionKind, T>,
                          "provide_data_kind needs a DataKind");
            static const modrt_kind_api a{sizeof(modrt_kind_api),
                                          &kind_entry_create<Inst, T>,
                                          &kind_entry_destroy<Inst, T>,
                                          kind_invoke_hook<Inst, T, Callable>(),
                                          &kind_load_finished<Inst, T, KindBase<T>>,
                                          kind_entry_interface_hook<Inst, T>()};
            return &a;
        } else if constexpr (Ext == MODRT_EXT_TRIGGER) {
            static_assert(std::is_base_of_v<TriggerKind, T>, "provide_trigger needs a TriggerKind");
            static const modrt_trigger_api a{sizeof(modrt_trigger_api),
                                             &trigger_create<Inst, T>,
                                             &trigger_start,
                                             &trigger_stop,
                                             &trigger_destroy,
                                             &kind_load_finished<Inst, T, TriggerKind>};
            return &a;
        } else if constexpr (Ext == MODRT_EXT_POOL) {
            static const modrt_pool_api a{sizeof(modrt_pool_api), &pool_create<Inst, T>, &pool_destroy<Inst, T>,
                                          &pool_submit,           &pool_stats,           pool_flags<T>()};
            return &a;
        } else if constexpr (Ext == MODRT_EXT_INTERCEPTOR) {
            static const modrt_interceptor_api a{sizeof(modrt_interceptor_api), &icpt_create<Inst, T>,
                                                 &icpt_destroy<Inst, T>, &icpt_intercept, &icpt_stats};
            return &a;
        } else if constexpr (Ext == MODRT_EXT_SECURITY) {
            static const modrt_security_api a{sizeof(modrt_security_api), &sec_evaluate<Inst, T>, &sec_strict<Inst, T>,
                                              &sec_scope_policies<Inst, T>};
            return &a;
        } else {
            static const modrt_contract_api a{sizeof(modrt_contract_api),
                                              &ct_in<Inst, T>,
                                              &ct_out<Inst, T>,
                                              &ct_resolve<Inst, T>,
                                              &ct_describe<Inst, T>,
                                              &ct_covers<Inst, T>,
                                              ct_describe_binding_hook<Inst, T>()};
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
struct collect<Instance<S...>> {
    using type = Instance<S...>;
};
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
void plugin_shutdown(void* plugin) noexcept {
    std::unique_ptr<Inst> owned(static_cast<Inst*>(plugin));
}

template <class... P>
const modrt_plugin_descriptor* describe_plugin(const char* name, const char* version, P... provides) noexcept {
    using Inst = typename collect<Instance<>, P...>::type;
    PluginName<Inst>::value = name;
    static const modrt_provide items[] = {provides.template to_c<Inst>()...};
    // The target, not the header's minor: the oldest kernel this plugin runs on (abi.h, rule 1).
    static const modrt_plugin_descriptor descriptor{sizeof(modrt_plugin_descriptor),
                                                    MODRT_ABI_MAJOR,
                                                    MODRT_TARGET_ABI_MINOR,
                                                    name,
                                                    version,
                                                    items,
                                                    sizeof...(P),
                                                    &plugin_init<Inst>,
                                                    &plugin_shutdown<Inst>};
    return &descriptor;
}

}  // namespace detail

}  // namespace modrt

#endif  // MODRT_SDK_BOUNDARY_HPP
