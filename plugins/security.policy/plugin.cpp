// The security.policy plugin: Wippy's attribute-based policies (README.md).
#include "policy_engine.hpp"

// Both kinds are one PolicyEngine (a singleton per plugin instance): their policies share
// the store, the groups and the plan cache.
MODRT_PLUGIN("security.policy", "1.0.0", modrt::provide_data_kind<modrt::security::PolicyEngine>("security.policy"),
             modrt::provide_data_kind<modrt::security::PolicyEngine>("security.policy.expr"),
             modrt::provide_security<modrt::security::PolicyEngine>("security.policy.provider"))
