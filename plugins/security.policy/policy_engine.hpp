// The security.policy plugin's one object: the `security.policy` entry kind
// (each entry adds a policy) and the runtime's security provider (evaluates
// the policies a scope names). One class, so both see the same policies.
#pragma once

#include "plan_cache.hpp"
#include "policy_store.hpp"

#include <modrt/sdk.hpp>

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <vector>

namespace modrt::security {

class PolicyEngine final : public DataKind, public SecurityProvider {
public:
    explicit PolicyEngine(const Host& host);

    std::unique_ptr<DataEntry> create_entry(const EntryInfo& info) override;
    modrt_decision evaluate(const modrt_actor* actor, std::string_view scope, std::string_view action,
                            std::string_view resource, ValueView meta) override;
    void scope_policies(std::string_view scope, ValueSlot out) override;

    /// Drop a policy whose entry is destroyed.
    void remove(const Policy* p);

private:
    void changed();  // under the exclusive lock: start a new cache

    Host host_;
    mutable std::shared_mutex mutex_;  // the store, and which cache is current
    PolicyStore store_;
    std::atomic<PlanCache*> cache_;
    // Every cache ever made: a call may still read a replaced one (policies changed
    // by a later registry load while it ran), so they live as long as the engine.
    std::vector<std::unique_ptr<PlanCache>> caches_;
};

}  // namespace modrt::security
