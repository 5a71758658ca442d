// Plans (plan.hpp).
#include "plan.hpp"

namespace modrt::security {

Plan Plan::build(const std::vector<const Policy*>& scope, std::string_view action, std::string_view resource) {
    Plan plan;
    for (const Policy* p : scope) {
        if (!p->applies_to(action, resource)) continue;
        if (p->deny && p->unconditional()) {  // nothing can outvote it
            Plan deny;
            deny.fixed = MODRT_DECISION_DENY;
            return deny;
        }
        if (p->deny) plan.conditional_deny.push_back(p);
        else if (p->unconditional()) plan.unconditional_allow = true;
        else plan.conditional_allow.push_back(p);
    }
    plan.is_fixed = plan.conditional_deny.empty() && (plan.unconditional_allow || plan.conditional_allow.empty());
    if (plan.is_fixed) plan.fixed = plan.unconditional_allow ? MODRT_DECISION_ALLOW : MODRT_DECISION_UNDEFINED;
    return plan;
}

modrt_decision Plan::decide_by_conditions(const Subject& s) const {
    for (const Policy* p : conditional_deny)
        if (p->holds(s)) return MODRT_DECISION_DENY;
    if (unconditional_allow) return MODRT_DECISION_ALLOW;
    for (const Policy* p : conditional_allow)
        if (p->holds(s)) return MODRT_DECISION_ALLOW;
    return MODRT_DECISION_UNDEFINED;
}

}  // namespace modrt::security
