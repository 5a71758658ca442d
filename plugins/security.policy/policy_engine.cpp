// The policy engine (policy_engine.hpp).
#include "policy_engine.hpp"

#include <mutex>

namespace modrt::security {
namespace {

/// A policy entry (data); destroying it removes the policy.
class PolicyEntry : public DataEntry {
public:
    PolicyEntry(PolicyEngine& engine, std::unique_ptr<Policy> policy) : engine_(engine), policy_(std::move(policy)) {}
    ~PolicyEntry() override { engine_.remove(policy_.get()); }

private:
    PolicyEngine& engine_;
    std::unique_ptr<Policy> policy_;
};

}  // namespace

PolicyEngine::PolicyEngine(const Host& host) : host_(host) {
    caches_.push_back(std::make_unique<PlanCache>());
    cache_.store(caches_.back().get(), std::memory_order_release);
}

std::unique_ptr<DataEntry> PolicyEngine::create_entry(const EntryInfo& info) {
    std::unique_ptr<Policy> policy = parse_policy(info);
    const Policy* p = policy.get();
    auto entry = std::make_unique<PolicyEntry>(*this, std::move(policy));
    std::unique_lock lock(mutex_);
    store_.add(p);
    changed();
    return entry;
}

void PolicyEngine::remove(const Policy* p) {
    std::unique_lock lock(mutex_);
    store_.remove(p);
    changed();
}

void PolicyEngine::changed() {
    // While a registry loads no call has asked yet: the current cache is empty and stays.
    if (cache_.load(std::memory_order_relaxed)->empty()) return;
    caches_.push_back(std::make_unique<PlanCache>());
    cache_.store(caches_.back().get(), std::memory_order_release);
}

modrt_decision PolicyEngine::evaluate(const modrt_actor* actor, std::string_view scope, std::string_view action,
                                      std::string_view resource, ValueView meta) {
    if (scope.empty()) return MODRT_DECISION_UNDEFINED;  // no scope holds no policy
    const Subject subject{actor, action, resource, meta};
    if (const Plan* plan = cache_.load(std::memory_order_acquire)->find(scope, action, resource)) [[likely]]
        return plan->decide(subject);
    std::shared_lock lock(mutex_);  // the store must not change while a plan is built from it
    auto build = [&] { return Plan::build(store_.resolve(scope), action, resource); };
    if (const Plan* plan = cache_.load(std::memory_order_acquire)->find_or_add(scope, action, resource, build))
        return plan->decide(subject);
    return build().decide(subject);  // the cache is full: decide without it
}

void PolicyEngine::scope_policies(std::string_view scope, ValueSlot out) {
    std::string missing;
    std::vector<const Policy*> policies;
    {
        std::shared_lock lock(mutex_);
        policies = store_.resolve(scope, &missing);
    }
    if (!missing.empty()) throw Failure(MODRT_ERR_NOT_FOUND, missing + " not found");
    out.set_array(policies.size());
    for (const Policy* p : policies) out.push().set_string(p->id);
}

}  // namespace modrt::security
