// modrt SDK, The interfaces a plugin author implements: kinds, pools, interceptors, security and contract providers, triggers.
// Part of the header-only C++ layer; include <modrt/sdk.hpp>.
#ifndef MODRT_SDK_INTERFACES_HPP
#define MODRT_SDK_INTERFACES_HPP

#include <modrt/sdk/calls.hpp>

#include <string_view>

namespace modrt {

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

/// One prepared registry entry of a data kind: it holds what the entry says and is never
/// called (its kind's table has no invoke, so the kernel refuses calls to it).
class DataEntry {
public:
    virtual ~DataEntry() = default;
    /// The C interface `name` this entry offers other plugins (ABI minor 7; host entry_interface),
    /// writing into `self` what its functions take; null (the default) for none.
    virtual const void* entry_interface(std::string_view name, void** self) {
        (void)name;
        (void)self;
        return nullptr;
    }
};

/// A registry entry kind whose entries are data (`library.lua`, `contract.definition`,
/// `security.policy`, ...), provided with provide_data_kind. Constructed once per runtime
/// from (const Host&).
class DataKind {
public:
    virtual ~DataKind() = default;
    /// Check and prepare an entry; throw Failure (with set_field) for registry errors.
    /// Returning null is fine for an entry that needs no state.
    virtual std::unique_ptr<DataEntry> create_entry(const EntryInfo& info) = 0;
    /// As FunctionKind::load_finished.
    virtual void load_finished(ValueSlot problems) { (void)problems; }
};

/// Append a {id, field, message} problem for FunctionKind::load_finished.
inline void add_load_problem(ValueSlot problems, std::string_view id, std::string_view field,
                             std::string_view message) {
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
    virtual bool covers(std::string_view target) {
        (void)target;
        return true;
    }
    /// Describe one binding (a binding id, or a contract id for its default binding) in the
    /// shape abi.h gives for modrt_contract_api.describe_binding. A provider that does not
    /// override it leaves the hook NULL, and the kernel derives the answer from describe().
    virtual Error describe_binding(std::string_view binding, ValueSlot out) {
        (void)binding;
        (void)out;
        return Error(MODRT_ERR_UNAVAILABLE, "this contract provider does not describe bindings");
    }
};

/// One entry of a trigger kind (an HTTP service, a schedule). Once started it calls functions
/// as root calls on threads of its own (Host::call / call_async; TriggerIdentity gives the
/// actor and scope its entry's lifecycle.security names).
class Trigger {
public:
    virtual ~Trigger() = default;
    /// Start taking work; return an Error (or throw Failure, with set_field) when it cannot.
    /// May write {listen: [string]} into `out`: what it listens on, for the start log.
    virtual Error start(ValueSlot out) = 0;
    /// Stop taking work now; let calls in flight finish until `deadline_ns` (host now_ns clock),
    /// cancel the rest, and return once all have returned and every thread is joined.
    virtual void stop(int64_t deadline_ns) = 0;
};

/// A registry entry kind whose entries are triggers, provided with provide_trigger (ABI minor 6).
/// Constructed once per runtime from (const Host&); one class may also be a DataKind for the
/// entries its triggers read (routers, endpoints).
class TriggerKind {
public:
    virtual ~TriggerKind() = default;
    /// Check and prepare an entry (no threads or sockets yet); throw Failure (with set_field) for registry errors.
    virtual std::unique_ptr<Trigger> create_trigger(const EntryInfo& info) = 0;
    /// As FunctionKind::load_finished.
    virtual void load_finished(ValueSlot problems) { (void)problems; }
};

}  // namespace modrt

#endif  // MODRT_SDK_INTERFACES_HPP
