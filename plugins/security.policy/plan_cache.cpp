// The plan cache (plan_cache.hpp).
#include "plan_cache.hpp"

#include <cstring>

namespace modrt::security {

namespace {

std::string content_key(std::string_view scope, std::string_view action, std::string_view resource) {
    std::string key(8, '\0');
    auto ls = static_cast<uint32_t>(scope.size()), la = static_cast<uint32_t>(action.size());
    std::memcpy(key.data(), &ls, 4);
    std::memcpy(key.data() + 4, &la, 4);
    key.append(scope).append(action).append(resource);
    return key;
}

}  // namespace

PlanCache::PlanCache() : front_(std::make_unique<std::atomic<const Node*>[]>(kFrontSlots)) {}
PlanCache::~PlanCache() = default;

const Plan* PlanCache::find_or_add(std::string_view scope, std::string_view action, std::string_view resource,
                                   const std::function<Plan()>& build) {
    std::string key = content_key(scope, action, resource);
    std::lock_guard lock(mutex_);
    auto it = plans_.find(key);
    if (it == plans_.end()) {
        if (plans_.size() >= kMaxPlans) return nullptr;
        auto node = std::make_unique<Node>();
        node->scope = scope;
        node->action = action;
        node->resource = resource;
        node->plan = build();
        it = plans_.emplace(std::move(key), std::move(node)).first;
    }
    // Published for these addresses: the next ask with the same strings is a front hit.
    front_[front_slot(scope, action, resource)].store(it->second.get(), std::memory_order_release);
    return &it->second->plan;
}

bool PlanCache::empty() const {
    std::lock_guard lock(mutex_);
    return plans_.empty();
}

}  // namespace modrt::security
