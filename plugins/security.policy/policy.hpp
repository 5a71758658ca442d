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
//
// A `kind: security.policy.expr` entry is the same with `expression` (expr/program.hpp)
// in place of `conditions`.
#pragma once

#include "condition.hpp"
#include "expr/program.hpp"
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
    std::unique_ptr<const expr::Program> expression;  // security.policy.expr; null when always true
    std::vector<std::string> groups;                   // group ids "ns:group"

    bool applies_to(std::string_view action, std::string_view resource) const noexcept {
        return actions.matches(action) && resources.matches(resource);
    }
    /// The effect needs no look at the subject.
    bool unconditional() const noexcept { return conditions.empty() && !expression; }
    /// The effect holds for `s`: every condition and the expression hold. An expression
    /// that is not a boolean denies when this is a deny policy and allows nothing otherwise.
    bool holds(const Subject& s) const {
        for (const auto& c : conditions)
            if (!c.holds(s)) return false;
        return !expression || expression_holds(s);
    }

private:
    bool expression_holds(const Subject& s) const;
};

/// Read and check an entry; throws Failure (with the offending field) when invalid.
std::unique_ptr<Policy> parse_policy(const EntryInfo& info);

}  // namespace modrt::security
