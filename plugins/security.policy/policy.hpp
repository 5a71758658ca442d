// One `kind: security.policy` entry:
//
//   - name: readers
//     kind: security.policy
//     policy:
//       actions: ["*.read", "funcs.call"]   # "*", one string, or a list; '*' is a wildcard
//       resources: "app.api:*"
//       effect: allow                       # or deny
//       conditions:                         # optional; all must hold
//         - {field: actor.meta.role, operator: in, value: [reader, admin]}
//     groups: [readers]                     # bare names take the entry's namespace
#pragma once

#include "condition.hpp"
#include "pattern.hpp"

#include <modrt/sdk.hpp>

#include <memory>
#include <string>
#include <vector>

namespace modrt::security {

struct Policy {
    std::string id;  // the entry id
    bool deny = false;
    PatternSet actions;
    PatternSet resources;
    std::vector<Condition> conditions;
    std::vector<std::string> groups;  // group ids "ns:group"

    bool applies_to(std::string_view action, std::string_view resource) const noexcept {
        return actions.matches(action) && resources.matches(resource);
    }
    bool conditions_hold(const Subject& s) const {
        for (const auto& c : conditions)
            if (!c.holds(s)) return false;
        return true;
    }
};

/// Read and check an entry; throws Failure (with the offending field) when invalid.
std::unique_ptr<Policy> parse_policy(const EntryInfo& info);

}  // namespace modrt::security
