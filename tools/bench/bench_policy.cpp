// One policy decision with a condition to check, as security.can makes it: the same rule
// written as field conditions (security.policy) and as an expression (security.policy.expr).
#include "bench_env.hpp"

#include <benchmark/benchmark.h>

#include <fstream>
#include <stdexcept>

namespace modrt::bench {

namespace {

// Deny confidential documents below clearance 3; allow editors and admins their own documents.
constexpr const char* kPolicies = R"(version: "1.0"
namespace: bench
entries:
  - name: c_deny
    kind: security.policy
    policy:
      actions: "*"
      resources: "document:*"
      effect: deny
      conditions:
        - {field: meta.classification, operator: eq, value: confidential}
        - {field: actor.meta.clearance, operator: lt, value: 3}
    groups: [conditions]
  - name: c_allow
    kind: security.policy
    policy:
      actions: read
      resources: "document:*"
      effect: allow
      conditions:
        - {field: actor.meta.role, operator: in, value: [editor, admin]}
        - {field: meta.owner, operator: eq, value_from: actor.id}
    groups: [conditions]
  - name: e_deny
    kind: security.policy.expr
    policy:
      actions: "*"
      resources: "document:*"
      effect: deny
      expression: meta.classification == "confidential" && actor.meta.clearance < 3
    groups: [expression]
  - name: e_allow
    kind: security.policy.expr
    policy:
      actions: read
      resources: "document:*"
      effect: allow
      expression: actor.meta.role in ["editor", "admin"] && meta.owner == actor.id
    groups: [expression]
)";

kernel::Runtime& policy_runtime() {
    static std::unique_ptr<kernel::Runtime> rt = [] {
        std::filesystem::path dir = BenchEnv::get().dir() / "policies";
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "registry.yaml") << kPolicies;
        auto made = std::make_unique<kernel::Runtime>(kernel::RuntimeOptions{.plugin_path = {MODRT_BENCH_PLUGIN_DIR}});
        auto errors = made->load(dir);
        if (!errors.empty()) throw std::runtime_error("policy bench registry: " + errors.front().format());
        return made;
    }();
    return *rt;
}

void decide_loop(benchmark::State& state, std::string_view scope) {
    kernel::Runtime& rt = policy_runtime();
    const modrt_host_api& h = rt.host_api();
    kernel::Value actor_meta = kernel::Value::map();
    actor_meta.insert("role") = kernel::Value::string("editor");
    actor_meta.insert("clearance") = kernel::Value::integer(5);
    kernel::Value meta = kernel::Value::map();
    meta.insert("owner") = kernel::Value::string("user:7");
    meta.insert("classification") = kernel::Value::string("confidential");
    modrt_actor* actor = h.actor_new(modrt_str{"user:7", 6}, &actor_meta);
    for (auto _ : state) {
        modrt_decision d = h.security_evaluate(rt.handle(), actor, modrt_str{scope.data(), scope.size()},
                                               modrt_str{"read", 4}, modrt_str{"document:1", 10}, &meta);
        if (d != MODRT_DECISION_ALLOW) {
            state.SkipWithError("the decision is not allow");
            break;
        }
        benchmark::DoNotOptimize(d);
    }
    h.actor_release(actor);
}

void BM_Policy_conditions(benchmark::State& state) { decide_loop(state, "bench:conditions"); }
void BM_Policy_expression(benchmark::State& state) { decide_loop(state, "bench:expression"); }

}  // namespace

BENCHMARK(BM_Policy_conditions)->Name("BM_Policy/conditions");
BENCHMARK(BM_Policy_expression)->Name("BM_Policy/expression");

}  // namespace modrt::bench
