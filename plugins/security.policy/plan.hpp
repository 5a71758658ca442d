// What a scope decides for one (action, resource): the policies that apply,
// split so that a decision needing no condition is made without looking at
// the actor. Immutable once built; cached by PlanCache.
#pragma once

#include "policy.hpp"

#include <vector>

namespace modrt::security {

struct Plan {
    bool is_fixed = true;                             // the decision needs no condition
    modrt_decision fixed = MODRT_DECISION_UNDEFINED;  // that decision
    bool unconditional_allow = false;
    std::vector<const Policy*> conditional_deny;
    std::vector<const Policy*> conditional_allow;

    /// Deny overrides allow; no applicable policy is UNDEFINED.
    static Plan build(const std::vector<const Policy*>& scope, std::string_view action, std::string_view resource);
    modrt_decision decide(const Subject& s) const { return is_fixed ? fixed : decide_by_conditions(s); }

private:
    modrt_decision decide_by_conditions(const Subject& s) const;
};

}  // namespace modrt::security
