// security.policy entries: checked at load with file and line, grouped into named
// scopes, evaluated deny-over-allow; strict and non-strict runtimes.
#include "security_test_util.hpp"

namespace st {
namespace {

using ::testing::HasSubstr;

std::string policy(const std::string& name, const std::string& body, const std::string& groups = "[g]") {
    return "  - name: " + name + "\n    kind: security.policy\n    policy:\n" + body + "    groups: " + groups + "\n";
}

const std::string kAllowAll = "      actions: \"*\"\n      resources: \"*\"\n      effect: allow\n";

modrt_decision evaluate(Runtime& rt, std::string_view scope, std::string_view action, std::string_view resource,
                        const char* actor_id = "user:1") {
    const modrt_host_api& h = rt.host_api();
    modrt_actor* actor = h.actor_new(modrt_str{actor_id, std::strlen(actor_id)}, nullptr);
    modrt_decision d = h.security_evaluate(rt.handle(), actor, modrt_str{scope.data(), scope.size()},
                                           modrt_str{action.data(), action.size()},
                                           modrt_str{resource.data(), resource.size()}, nullptr);
    h.actor_release(actor);
    return d;
}

struct BadPolicy {
    std::string name;
    std::string body;
    int line;  // of the offending field within the file
    std::string message;
};

class PolicyErrorTest : public ::testing::TestWithParam<BadPolicy> {};

TEST_P(PolicyErrorTest, IsARegistryErrorWithFileAndLine) {
    const BadPolicy& c = GetParam();
    std::string errors;
    load("namespace: sec\nentries:\n" + policy("bad", c.body), &errors);
    EXPECT_THAT(errors, HasSubstr("registry.yaml:" + std::to_string(c.line) + ": entry 'sec:bad': "));
    EXPECT_THAT(errors, HasSubstr(c.message));
}

// Lines: 1 namespace, 2 entries, 3 name, 4 kind, 5 policy:, 6.. the body.
INSTANTIATE_TEST_SUITE_P(
    Load, PolicyErrorTest,
    ::testing::Values(
        BadPolicy{"missing_effect", "      actions: \"*\"\n      resources: \"*\"\n", 5,
                  "policy.effect: expected allow or deny"},
        BadPolicy{"bad_effect", "      actions: \"*\"\n      resources: \"*\"\n      effect: maybe\n", 8,
                  "policy.effect: expected allow or deny"},
        BadPolicy{"unknown_operator",
                  kAllowAll +
                      "      conditions:\n        - field: actor.id\n          operator: like\n          value: x\n",
                  11, "unknown operator 'like'"},
        BadPolicy{"bad_regex",
                  kAllowAll + "      conditions:\n        - field: resource\n          operator: matches\n          "
                              "value: \"([a-z\"\n",
                  12, "bad regex '([a-z'"},
        BadPolicy{"second_condition_bad",
                  kAllowAll + "      conditions:\n        - {field: action, operator: eq, value: read}\n"
                              "        - field: actor.meta.role\n          operator: in\n          value: admin\n",
                  13, "policy.conditions[1]: in/nin need a list value"},
        BadPolicy{"unknown_field_path",
                  kAllowAll +
                      "      conditions:\n        - field: user.name\n          operator: eq\n          value: x\n",
                  10, "field must be actor.id, actor.meta.<key>, action, resource or meta.<key>, not 'user.name'"},
        BadPolicy{"missing_value", kAllowAll + "      conditions:\n        - field: action\n          operator: eq\n",
                  10, "needs value or value_from"},
        BadPolicy{"missing_actions", "      resources: \"*\"\n      effect: allow\n", 5, "policy.actions is missing"},
        BadPolicy{"bad_actions", "      actions: 5\n      resources: \"*\"\n      effect: allow\n", 6,
                  "policy.actions: expected \"*\", a string, or a list of strings"},
        BadPolicy{"unknown_policy_key", kAllowAll + "      effects: deny\n", 9, "unknown field 'policy.effects'"}),
    [](const ::testing::TestParamInfo<BadPolicy>& info) { return info.param.name; });

TEST(PolicyTest, DenyOverridesAllow) {
    auto rt = load(
        "namespace: sec\nentries:\n" + policy("allow_all", kAllowAll) +
        policy("deny_secret", "      actions: \"*\"\n      resources: \"app:secret*\"\n      effect: deny\n"));
    EXPECT_EQ(evaluate(*rt, "sec:g", "funcs.call", "app:public"), MODRT_DECISION_ALLOW);
    EXPECT_EQ(evaluate(*rt, "sec:g", "funcs.call", "app:secret_plans"), MODRT_DECISION_DENY);
}

TEST(PolicyTest, ConditionalDenyOnlyWhenItsConditionsHold) {
    auto rt = load("namespace: sec\nentries:\n" + policy("allow_all", kAllowAll) +
                   policy("deny_guests",
                          "      actions: \"*\"\n      resources: \"*\"\n      effect: deny\n"
                          "      conditions:\n        - {field: actor.id, operator: matches, value: \"^guest:\"}\n"));
    EXPECT_EQ(evaluate(*rt, "sec:g", "read", "doc:1", "user:1"), MODRT_DECISION_ALLOW);
    EXPECT_EQ(evaluate(*rt, "sec:g", "read", "doc:1", "guest:1"), MODRT_DECISION_DENY);
    // The cached plan for (scope, action, resource) is the same for both actors: asked again, both still hold.
    EXPECT_EQ(evaluate(*rt, "sec:g", "read", "doc:1", "user:1"), MODRT_DECISION_ALLOW);
    EXPECT_EQ(evaluate(*rt, "sec:g", "read", "doc:1", "guest:1"), MODRT_DECISION_DENY);
}

TEST(PolicyTest, WildcardsInActionsAndResources) {
    auto rt = load("namespace: sec\nentries:\n" +
                   policy("readers", "      actions: [\"*.read\", \"*.get\"]\n      resources: \"document:*\"\n"
                                     "      effect: allow\n"));
    EXPECT_EQ(evaluate(*rt, "sec:g", "doc.read", "document:1"), MODRT_DECISION_ALLOW);
    EXPECT_EQ(evaluate(*rt, "sec:g", "user.get", "document:"), MODRT_DECISION_ALLOW);
    EXPECT_EQ(evaluate(*rt, "sec:g", "doc.write", "document:1"), MODRT_DECISION_UNDEFINED);
    EXPECT_EQ(evaluate(*rt, "sec:g", "doc.read", "report:1"), MODRT_DECISION_UNDEFINED);
    EXPECT_EQ(evaluate(*rt, "sec:g", "read", "document:1"), MODRT_DECISION_UNDEFINED);
}

TEST(PolicyTest, ScopesAreGroupsOrPolicyLists) {
    auto rt = load("namespace: sec\nentries:\n" + policy("a", kAllowAll, "[admins, other.ns:shared]") +
                   policy("b", "      actions: \"*\"\n      resources: \"*\"\n      effect: deny\n", "[auditors]"));
    EXPECT_EQ(evaluate(*rt, "sec:admins", "x", "y"), MODRT_DECISION_ALLOW);
    EXPECT_EQ(evaluate(*rt, "other.ns:shared", "x", "y"), MODRT_DECISION_ALLOW);
    EXPECT_EQ(evaluate(*rt, "sec:auditors", "x", "y"), MODRT_DECISION_DENY);
    EXPECT_EQ(evaluate(*rt, "[sec:a]", "x", "y"), MODRT_DECISION_ALLOW);
    EXPECT_EQ(evaluate(*rt, "[sec:a, sec:b]", "x", "y"), MODRT_DECISION_DENY);
    EXPECT_EQ(evaluate(*rt, "[]", "x", "y"), MODRT_DECISION_UNDEFINED);
    EXPECT_EQ(evaluate(*rt, "sec:nobody", "x", "y"), MODRT_DECISION_UNDEFINED);
    EXPECT_EQ(evaluate(*rt, "", "x", "y"), MODRT_DECISION_UNDEFINED);

    const modrt_host_api& h = rt->host_api();
    Value ids;
    EXPECT_EQ(h.security_scope_policies(rt->handle(), modrt_str{"sec:admins", 10}, &ids), nullptr);
    ASSERT_EQ(ids.type, MODRT_ARRAY);
    ASSERT_EQ(ids.items.size(), 1u);
    EXPECT_EQ(ids.items[0].str, "sec:a");
    modrt_error* err = h.security_scope_policies(rt->handle(), modrt_str{"[sec:a,sec:zz]", 14}, &ids);
    ASSERT_NE(err, nullptr);
    EXPECT_EQ(h.error_kind(err), MODRT_ERR_NOT_FOUND);
    EXPECT_THAT(std::string(h.error_message(err).ptr), HasSubstr("policy 'sec:zz' not found"));
    h.error_free(err);
    err = h.security_scope_policies(rt->handle(), modrt_str{"sec:nobody", 10}, &ids);
    ASSERT_NE(err, nullptr);
    EXPECT_THAT(std::string(h.error_message(err).ptr), HasSubstr("policy group 'sec:nobody' not found"));
    h.error_free(err);
}

TEST(PolicyTest, PoliciesOfALaterLoadJoinTheirGroups) {
    auto rt = load("namespace: sec\nentries:\n" +
                   policy("reads", "      actions: read\n      resources: \"*\"\n      effect: allow\n"));
    EXPECT_EQ(evaluate(*rt, "sec:g", "write", "doc"), MODRT_DECISION_UNDEFINED);  // cached now
    fs::path more = scratch_dir();
    std::ofstream(more / "more.yaml")
        << "namespace: sec\nentries:\n" +
               policy("writes", "      actions: write\n      resources: \"*\"\n      effect: allow\n");
    EXPECT_TRUE(rt->load(more).empty());
    EXPECT_EQ(evaluate(*rt, "sec:g", "write", "doc"), MODRT_DECISION_ALLOW);
}

TEST(PolicyTest, RuntimeSecurityEntryIsChecked) {
    std::string errors;
    load("namespace: app\nentries:\n  - name: security\n    kind: runtime.security\n    strict: maybe\n"
         "    actor: {id: \"\"}\n    scopes: x\n",
         &errors);
    EXPECT_THAT(errors, HasSubstr("registry.yaml:5: entry 'app:security': strict: expected true or false"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:6: entry 'app:security': actor: expected {id:"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:7: entry 'app:security': unknown field 'scopes'"));
    load("namespace: app\nentries:\n  - name: s1\n    kind: runtime.security\n  - name: s2\n    kind: "
         "runtime.security\n",
         &errors);
    EXPECT_THAT(errors, HasSubstr("only one runtime.security entry is allowed; the first is 'app:s1'"));
}

}  // namespace
}  // namespace st
