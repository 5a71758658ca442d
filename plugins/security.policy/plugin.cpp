// The security.policy plugin: Wippy's attribute-based policies (README.md).
#include "policy_engine.hpp"

MODRT_PLUGIN("security.policy", "1.0.0", modrt::provide_data_kind<modrt::security::PolicyEngine>("security.policy"),
             modrt::provide_security<modrt::security::PolicyEngine>("security.policy.provider"))
