// Plans by (scope, action, resource), read without locks on the call path.
//
// The kernel asks about every call with the same three strings, usually at the
// same addresses (the scope a frame inherits, the literal "funcs.call", the
// entry's id). So a front table indexed by the three pointers answers most
// questions with one hash of three words and three string compares; the compare
// keeps it right when an address is reused for other text. Misses go to a map
// keyed by content, under a mutex. Plans are never freed while the cache lives
// (a reader may hold one), so the map stops growing at kMaxPlans: beyond it,
// plans are built per call instead of cached.
#pragma once

#include "plan.hpp"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace modrt::security {

class PlanCache {
public:
    static constexpr int kFrontBits = 10;
    static constexpr size_t kFrontSlots = size_t{1} << kFrontBits;
    static constexpr size_t kMaxPlans = 65536;

    PlanCache();
    ~PlanCache();
    PlanCache(const PlanCache&) = delete;
    PlanCache& operator=(const PlanCache&) = delete;

    /// The cached plan, or null; lock-free (inline: it is most of a check's cost).
    const Plan* find(std::string_view scope, std::string_view action, std::string_view resource) const noexcept {
        const Node* n = front_[front_slot(scope, action, resource)].load(std::memory_order_acquire);
        return n != nullptr && n->same(scope, action, resource) ? &n->plan : nullptr;
    }
    /// The cached plan, built with `build` on first use; null when the cache is full.
    const Plan* find_or_add(std::string_view scope, std::string_view action, std::string_view resource,
                            const std::function<Plan()>& build);
    bool empty() const;

private:
    struct Node {
        std::string scope, action, resource;
        Plan plan;

        bool same(std::string_view s, std::string_view a, std::string_view r) const noexcept {
            return equal(scope, s) && equal(action, a) && equal(resource, r);
        }

        // The strings are short ids: whole words compared inline (the last one overlapping
        // the one before) beat a call to memcmp and a byte loop.
        static bool equal(std::string_view x, std::string_view y) noexcept {
            size_t n = x.size();
            if (n != y.size()) return false;
            if (n < 8) return n == 0 || std::memcmp(x.data(), y.data(), n) == 0;
            for (size_t i = 0; i + 8 < n; i += 8)
                if (word(x.data() + i) != word(y.data() + i)) return false;
            return word(x.data() + n - 8) == word(y.data() + n - 8);
        }
        static uint64_t word(const char* p) noexcept {
            uint64_t w;
            std::memcpy(&w, p, 8);
            return w;
        }
    };

    static size_t front_slot(std::string_view scope, std::string_view action, std::string_view resource) noexcept {
        auto word = [](std::string_view s) { return reinterpret_cast<uintptr_t>(s.data()) + s.size(); };
        uint64_t h = (word(scope) * 0x9E3779B97F4A7C15ull) ^ (word(action) * 0xC2B2AE3D27D4EB4Full) ^ word(resource);
        h *= 0x165667B19E3779F9ull;
        return static_cast<size_t>(h >> (64 - kFrontBits));
    }

    std::unique_ptr<std::atomic<const Node*>[]> front_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::unique_ptr<Node>> plans_;  // content key -> node
};

}  // namespace modrt::security
