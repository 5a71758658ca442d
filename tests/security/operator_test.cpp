// Every condition operator of security.policy, decided by the real plugin through the
// host API's security_evaluate (the same path security.can and scope:evaluate take).
#include "security_test_util.hpp"

#include <modrt/kernel/json.hpp>

namespace st {
namespace {

struct Case {
    std::string name;
    std::string condition;   // YAML flow map of one condition
    std::string actor_meta;  // JSON
    std::string meta;        // JSON ("" for none)
    modrt_decision expect;
};

class OperatorTest : public ::testing::TestWithParam<Case> {};

Value json(const std::string& text) {
    Value v;
    if (text.empty()) return v;
    EXPECT_EQ(modrt::kernel::parse_json(text, v), nullptr) << text;
    return v;
}

TEST_P(OperatorTest, Decides) {
    const Case& c = GetParam();
    auto rt = load(
        "namespace: sec\nentries:\n  - name: p\n    kind: security.policy\n    policy:\n"
        "      actions: read\n      resources: \"doc:*\"\n      effect: allow\n      conditions:\n        - " +
        c.condition + "\n    groups: [g]\n");
    const modrt_host_api& h = rt->host_api();
    Value meta = json(c.actor_meta);
    modrt_actor* actor = h.actor_new(modrt_str{"user:7", 6}, &meta);
    Value resource_meta = json(c.meta);
    modrt_decision d = h.security_evaluate(rt->handle(), actor, modrt_str{"sec:g", 5}, modrt_str{"read", 4},
                                           modrt_str{"doc:42", 6}, c.meta.empty() ? nullptr : &resource_meta);
    h.actor_release(actor);
    EXPECT_EQ(d, c.expect) << c.condition << " with actor meta " << c.actor_meta << " and meta " << c.meta;
}

constexpr modrt_decision A = MODRT_DECISION_ALLOW;
constexpr modrt_decision U = MODRT_DECISION_UNDEFINED;

INSTANTIATE_TEST_SUITE_P(
    Operators, OperatorTest,
    ::testing::Values(
        Case{"eq_string", "{field: actor.meta.role, operator: eq, value: admin}", R"({"role":"admin"})", "", A},
        Case{"eq_string_no", "{field: actor.meta.role, operator: eq, value: admin}", R"({"role":"user"})", "", U},
        Case{"eq_int_float", "{field: actor.meta.level, operator: eq, value: 3}", R"({"level":3.0})", "", A},
        Case{"eq_string_vs_number", "{field: actor.meta.level, operator: eq, value: 3}", R"({"level":"3"})", "", U},
        Case{"eq_bool", "{field: meta.public, operator: eq, value: true}", "{}", R"({"public":true})", A},
        Case{"eq_actor_id", "{field: actor.id, operator: eq, value: \"user:7\"}", "{}", "", A},
        Case{"eq_action", "{field: action, operator: eq, value: read}", "{}", "", A},
        Case{"eq_resource", "{field: resource, operator: eq, value: \"doc:42\"}", "{}", "", A},
        Case{"eq_missing", "{field: actor.meta.role, operator: eq, value: admin}", "{}", "", U},
        Case{"ne", "{field: meta.status, operator: ne, value: deleted}", "{}", R"({"status":"live"})", A},
        Case{"ne_same", "{field: meta.status, operator: ne, value: deleted}", "{}", R"({"status":"deleted"})", U},
        Case{"ne_missing", "{field: meta.status, operator: ne, value: deleted}", "{}", "", A},
        Case{"lt", "{field: actor.meta.clearance, operator: lt, value: 3}", R"({"clearance":2})", "", A},
        Case{"lt_equal", "{field: actor.meta.clearance, operator: lt, value: 3}", R"({"clearance":3})", "", U},
        Case{"lt_string", "{field: actor.meta.clearance, operator: lt, value: 3}", R"({"clearance":"2"})", "", U},
        Case{"gt", "{field: actor.meta.clearance, operator: gt, value: 2}", R"({"clearance":2.5})", "", A},
        Case{"gt_no", "{field: actor.meta.clearance, operator: gt, value: 2}", R"({"clearance":2})", "", U},
        Case{"lte", "{field: meta.size, operator: lte, value: 1000}", "{}", R"({"size":1000})", A},
        Case{"lte_no", "{field: meta.size, operator: lte, value: 1000}", "{}", R"({"size":1001})", U},
        Case{"gte", "{field: actor.meta.level, operator: gte, value: 3}", R"({"level":3})", "", A},
        Case{"gte_no", "{field: actor.meta.level, operator: gte, value: 3}", R"({"level":1})", "", U},
        Case{"gt_strings", "{field: meta.version, operator: gt, value: \"1.2\"}", "{}", R"({"version":"1.10"})", U},
        Case{"in", "{field: actor.meta.role, operator: in, value: [admin, moderator]}", R"({"role":"moderator"})", "",
             A},
        Case{"in_no", "{field: actor.meta.role, operator: in, value: [admin, moderator]}", R"({"role":"user"})", "", U},
        Case{"nin", "{field: meta.status, operator: nin, value: [deleted, archived]}", "{}", R"({"status":"live"})", A},
        Case{"nin_no", "{field: meta.status, operator: nin, value: [deleted, archived]}", "{}",
             R"({"status":"archived"})", U},
        Case{"exists", "{field: meta.owner, operator: exists, value: true}", "{}", R"({"owner":"x"})", A},
        Case{"exists_no", "{field: meta.owner, operator: exists}", "{}", R"({"other":1})", U},
        Case{"exists_null", "{field: meta.owner, operator: exists}", "{}", R"({"owner":null})", U},
        Case{"exists_false", "{field: meta.owner, operator: exists, value: false}", "{}", "{}", A},
        Case{"nexists", "{field: meta.deleted, operator: nexists, value: true}", "{}", "{}", A},
        Case{"nexists_no", "{field: meta.deleted, operator: nexists}", "{}", R"({"deleted":true})", U},
        Case{"contains", "{field: resource, operator: contains, value: \":4\"}", "{}", "", A},
        Case{"contains_no", "{field: resource, operator: contains, value: sensitive}", "{}", "", U},
        Case{"contains_list", "{field: actor.meta.teams, operator: contains, value: ops}", R"({"teams":["dev","ops"]})",
             "", A},
        Case{"ncontains", "{field: resource, operator: ncontains, value: public}", "{}", "", A},
        Case{"ncontains_no", "{field: resource, operator: ncontains, value: doc}", "{}", "", U},
        Case{"matches", "{field: resource, operator: matches, value: \"^doc:[0-9]+$\"}", "{}", "", A},
        Case{"matches_search", "{field: actor.id, operator: matches, value: \"[0-9]\"}", "{}", "", A},
        Case{"matches_no", "{field: resource, operator: matches, value: \"^api:\"}", "{}", "", U},
        Case{"nmatches", "{field: actor.id, operator: nmatches, value: \"^system:\"}", "{}", "", A},
        Case{"nmatches_no", "{field: actor.id, operator: nmatches, value: \"^user:\"}", "{}", "", U},
        Case{"value_from", "{field: meta.owner, operator: eq, value_from: actor.id}", "{}", R"({"owner":"user:7"})", A},
        Case{"value_from_no", "{field: meta.owner, operator: eq, value_from: actor.id}", "{}", R"({"owner":"user:8"})",
             U},
        Case{"nested_meta", "{field: actor.meta.org.unit, operator: eq, value: eng}", R"({"org":{"unit":"eng"}})", "",
             A},
        Case{"nested_meta_not_map", "{field: actor.meta.org.unit, operator: eq, value: eng}", R"({"org":"eng"})", "",
             U}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace st
