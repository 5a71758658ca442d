// security.policy.expr: policies whose condition is an expression over actor, action,
// resource and meta (plugins/security.policy/README.md "Expression policies"), decided by
// the real plugin through the host API's security_evaluate, like security.can.
#include "security_test_util.hpp"

#include <modrt/kernel/json.hpp>

#include <sstream>

namespace st::expr_policy {  // its own, beside operator_test.cpp's names in a unity build
namespace {

using ::testing::HasSubstr;

constexpr modrt_decision A = MODRT_DECISION_ALLOW;
constexpr modrt_decision D = MODRT_DECISION_DENY;
constexpr modrt_decision U = MODRT_DECISION_UNDEFINED;

// Every line of `text` indented for a YAML block scalar under `expression: |`.
std::string block(const std::string& text) {
    std::istringstream in(text);
    std::string out, line;
    while (std::getline(in, line)) out += "        " + line + "\n";
    return out;
}

std::string expr_policy(const std::string& name, const std::string& effect, const std::string& expression,
                        const std::string& groups = "[g]", const std::string& resources = "\"doc:*\"") {
    return "  - name: " + name + "\n    kind: security.policy.expr\n    policy:\n      actions: read\n      resources: " +
           resources + "\n      effect: " + effect + "\n      expression: |\n" + block(expression) +
           "    groups: " + groups + "\n";
}

Value json(const std::string& text) {
    Value v;
    if (text.empty()) return v;
    EXPECT_EQ(modrt::kernel::parse_json(text, v), nullptr) << text;
    return v;
}

/// The decision of `scope` for `actor_id` (with `actor_meta`, JSON; no actor when the id is
/// empty) doing `action` on `resource` with `meta` (JSON, "" for none).
modrt_decision decide(Runtime& rt, std::string_view scope, const std::string& actor_meta, const std::string& meta,
                      std::string_view action = "read", std::string_view resource = "doc:42",
                      std::string_view actor_id = "user:7") {
    const modrt_host_api& h = rt.host_api();
    Value am = json(actor_meta);
    modrt_actor* actor = actor_id.empty() ? nullptr : h.actor_new(modrt_str{actor_id.data(), actor_id.size()}, &am);
    Value m = json(meta);
    modrt_decision d = h.security_evaluate(rt.handle(), actor, modrt_str{scope.data(), scope.size()},
                                           modrt_str{action.data(), action.size()},
                                           modrt_str{resource.data(), resource.size()}, meta.empty() ? nullptr : &m);
    if (actor != nullptr) h.actor_release(actor);
    return d;
}

// -- each operator, one allow policy whose expression is the case's ------------------------

struct Case {
    std::string name;
    std::string expression;
    std::string actor_meta;  // JSON
    std::string meta;        // JSON ("" for none)
    modrt_decision expect;
};

class ExprOperatorTest : public ::testing::TestWithParam<Case> {};

TEST_P(ExprOperatorTest, Decides) {
    const Case& c = GetParam();
    auto rt = load("namespace: sec\nentries:\n" + expr_policy("p", "allow", c.expression));
    EXPECT_EQ(decide(*rt, "sec:g", c.actor_meta, c.meta), c.expect)
        << c.expression << " with actor meta " << c.actor_meta << " and meta " << c.meta;
}

const std::string kActor = R"({"role":"editor","level":3,"score":2.5,"teams":["dev","ops"],"org":{"unit":"eng"}})";

INSTANTIATE_TEST_SUITE_P(
    Operators, ExprOperatorTest,
    ::testing::Values(
        // literals
        Case{"true", "true", "{}", "", A},
        Case{"false", "false", "{}", "", U},
        Case{"nil_eq_nil", "nil == nil", "{}", "", A},
        Case{"int_eq_float", "1 == 1.0", "{}", "", A},
        Case{"exponent", "2e3 == 2000", "{}", "", A},
        Case{"underscores", "1_000 == 1000", "{}", "", A},
        Case{"quotes", R"("a" == 'a' && `a\d` == "a\\d")", "{}", "", A},
        Case{"escapes", R"("a\"b" == 'a"b' && 'it\'s' == "it's")", "{}", "", A},
        // the environment
        Case{"actor_id", R"(actor.id == "user:7")", "{}", "", A},
        Case{"action", R"(action == "read")", "{}", "", A},
        Case{"resource", R"(resource == "doc:42")", "{}", "", A},
        Case{"actor_meta", R"(actor.meta.role == "editor")", kActor, "", A},
        Case{"actor_meta_no", R"(actor.meta.role == "admin")", kActor, "", U},
        Case{"nested", R"(actor.meta.org.unit == "eng")", kActor, "", A},
        Case{"brackets", R"(actor.meta["org"]["unit"] == "eng" && actor["meta"].role == "editor")", kActor, "", A},
        Case{"optional_chaining", R"(actor.meta?.org?.unit == "eng")", kActor, "", A},
        Case{"array_index", R"(actor.meta.teams[0] == "dev" && actor.meta.teams[-1] == "ops")", kActor, "", A},
        Case{"array_index_out", "actor.meta.teams[2] == nil", kActor, "", A},
        Case{"meta", R"(meta.owner == actor.id)", "{}", R"({"owner":"user:7"})", A},
        Case{"meta_no", R"(meta.owner == actor.id)", "{}", R"({"owner":"user:8"})", U},
        // comparison
        Case{"ne", R"(actor.meta.role != "admin")", kActor, "", A},
        Case{"lt", "actor.meta.level < 4", kActor, "", A},
        Case{"lt_equal", "actor.meta.level < 3", kActor, "", U},
        Case{"le", "actor.meta.level <= 3", kActor, "", A},
        Case{"gt_float", "actor.meta.score > 2", kActor, "", A},
        Case{"ge", "actor.meta.level >= 3.5", kActor, "", U},
        Case{"strings_order", R"("abc" < "abd" && "b" > "a")", "{}", "", A},
        Case{"mixed_types_never_order", R"(actor.meta.role < 5 || actor.meta.role >= 5)", kActor, "", U},
        Case{"string_never_equals_number", R"(actor.meta.level == "3")", kActor, "", U},
        // logic, both spellings
        Case{"and", R"(action == "read" && resource == "doc:42")", "{}", "", A},
        Case{"and_word", R"(action == "read" and resource == "doc:1")", "{}", "", U},
        Case{"or", R"(action == "write" || resource == "doc:42")", "{}", "", A},
        Case{"or_word", R"(action == "write" or resource == "doc:1")", "{}", "", U},
        Case{"not", R"(!(action == "write"))", "{}", "", A},
        Case{"not_word", R"(not (action == "read"))", "{}", "", U},
        Case{"short_circuit_and", "false && meta.x", "{}", "", U},
        Case{"short_circuit_or", "true || meta.x", "{}", "", A},
        // membership
        Case{"in_list", R"(action in ["read", "write"])", "{}", "", A},
        Case{"in_list_no", R"(action in ["write", "delete"])", "{}", "", U},
        Case{"not_in_list", R"(action not in ["write", "delete"])", "{}", "", A},
        Case{"in_list_of_expressions", R"("user:" + "7" in [resource, actor.id])", "{}", "", A},
        Case{"in_actor_array", R"("ops" in actor.meta.teams)", kActor, "", A},
        Case{"in_map_keys", R"("unit" in actor.meta.org && !("x" in actor.meta.org))", kActor, "", A},
        Case{"in_missing", R"(action in meta.actions)", "{}", "", U},
        Case{"not_in_missing", R"(action not in meta.actions)", "{}", "", A},
        Case{"in_numbers", "actor.meta.level in [1, 2, 3.0]", kActor, "", A},
        // arithmetic
        Case{"add_mul", "1 + 2 * 3 == 7", "{}", "", A},
        Case{"parens", "(1 + 2) * 3 == 9", "{}", "", A},
        Case{"sub_left_assoc", "10 - 4 - 3 == 3", "{}", "", A},
        Case{"div_is_float", "7 / 2 == 3.5", "{}", "", A},
        Case{"mod", "7 % 3 == 1", "{}", "", A},
        Case{"negative", "-actor.meta.level == -3 && - 2 * 3 == -6", kActor, "", A},
        Case{"concat", R"("user:" + "7" == actor.id)", "{}", "", A},
        Case{"arithmetic_on_meta", "meta.count + 1 > 3", "{}", R"({"count":3})", A},
        // strings
        Case{"contains", R"(resource contains ":4")", "{}", "", A},
        Case{"not_contains", R"(resource not contains "secret")", "{}", "", A},
        Case{"starts_with", R"(resource startsWith "doc:" && !(resource startsWith "api:"))", "{}", "", A},
        Case{"ends_with", R"(actor.id endsWith ":7")", "{}", "", A},
        Case{"matches", R"(resource matches "^doc:[0-9]+$")", "{}", "", A},
        Case{"matches_searches", R"(actor.id matches "[0-9]")", "{}", "", A},
        Case{"matches_no", R"(resource matches "^api:")", "{}", "", U},
        Case{"not_matches", R"(actor.id not matches "^system:")", "{}", "", A},
        Case{"matches_lazy_quantifier", R"(resource matches "^d.*?:[0-9]{2}?$")", "{}", "", A},
        Case{"matches_raw_string", R"(resource matches `^doc:\d+$`)", "{}", "", A},
        // functions
        Case{"len", R"(len(actor.meta.teams) == 2 && len("abc") == 3 && len([1]) == 1 && len(actor.meta.org) == 1)",
             kActor, "", A},
        Case{"len_missing", "len(meta.tags) == 0", "{}", "", A},
        Case{"has_prefix", R"(hasPrefix(resource, "doc:") && hasSuffix(resource, "42"))", "{}", "", A},
        Case{"lower_upper", R"(lower("ABC") == "abc" && upper(actor.meta.role) == "EDITOR")", kActor, "", A},
        // conditional and nil coalescing
        Case{"conditional", R"(actor.meta.level > 2 ? action == "read" : false)", kActor, "", A},
        Case{"conditional_else", R"(actor.meta.level > 5 ? true : action == "write")", kActor, "", U},
        Case{"coalesce", R"((meta.owner ?? actor.id) == "user:7")", "{}", "", A},
        Case{"coalesce_present", R"((meta.owner ?? actor.id) == "user:7")", "{}", R"({"owner":"user:8"})", U},
        // precedence
        Case{"and_before_or", "true || false && false", "{}", "", A},
        Case{"and_before_or_left", "false && true || true", "{}", "", A},
        Case{"not_binds_tighter_than_eq", "not true == false", "{}", "", A},
        Case{"bang_binds_tighter_than_and", "!false && false", "{}", "", U},
        Case{"comparison_before_and", R"(1 + 2 == 3 && "a" < "b")", "{}", "", A},
        Case{"coalesce_before_comparison", "meta.n ?? 1 == 1", "{}", "", A},
        Case{"conditional_lowest", "false || true ? true : false", "{}", "", A},
        // missing fields are nil
        Case{"missing_eq_nil", "meta.x == nil && actor.meta.x == nil", "{}", "", A},
        Case{"missing_ne_nil", "meta.x != nil", "{}", "", U},
        Case{"missing_eq_value", "meta.x == 1", "{}", "", U},
        Case{"missing_ne_value", "meta.x != 1", "{}", "", A},
        Case{"missing_ordered", "meta.x > 1 || meta.x <= 1", "{}", "", U},
        Case{"missing_deep", "meta.a.b.c == nil && meta.a[0] == nil", "{}", "", A},
        Case{"field_of_a_string", "actor.id.x == nil", "{}", "", A},
        Case{"missing_contains", R"(meta.x contains "a")", "{}", "", U},
        Case{"no_meta_at_all", "meta == nil", "{}", "", A},
        // not a boolean: the policy does not apply (an allow policy allows nothing)
        Case{"non_boolean_nil", "meta.public", "{}", "", U},
        Case{"non_boolean_number", "1 + 1", "{}", "", U},
        Case{"non_boolean_string", R"("yes")", "{}", "", U},
        Case{"non_boolean_operand_of_and", R"(meta.flag && true)", "{}", R"({"flag":"yes"})", U},
        Case{"non_boolean_operand_of_not", "!meta.flag", "{}", "", U},
        Case{"arithmetic_on_nil", "meta.count + 1 > 0", "{}", "", U},
        Case{"division_by_zero_mod", "7 % 0 == 0", "{}", "", U},
        Case{"overflow", "9223372036854775807 + 1 > 0", "{}", "", U},
        Case{"boolean_meta_is_fine", "meta.public", "{}", R"({"public":true})", A}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

// -- load errors: a registry error at policy.expression, with the column ------------------

struct BadExpr {
    std::string name;
    std::string expression;
    std::string message;
};

class ExprErrorTest : public ::testing::TestWithParam<BadExpr> {};

TEST_P(ExprErrorTest, IsARegistryErrorAtTheExpression) {
    const BadExpr& c = GetParam();
    std::string errors;
    load("namespace: sec\nentries:\n" + expr_policy("bad", "allow", c.expression), &errors);
    // Lines: 1 namespace, 2 entries, 3 name, 4 kind, 5 policy:, 6 actions, 7 resources, 8 effect, 9 expression.
    EXPECT_THAT(errors, HasSubstr("registry.yaml:9: entry 'sec:bad': policy.expression")) << errors;
    EXPECT_THAT(errors, HasSubstr(c.message));
}

INSTANTIATE_TEST_SUITE_P(
    Load, ExprErrorTest,
    ::testing::Values(
        BadExpr{"missing_operand", R"(actor.meta.role ==)",
                "column 19: expected a value (a literal, a name, '(' or '['), found the end of the expression"},
        BadExpr{"unclosed_paren", R"((action == "read")", "column 18: expected ')', found the end of the expression"},
        BadExpr{"trailing_name", R"(action == "read" resource)",
                "column 18: expected an operator or the end of the expression, found 'resource'"},
        BadExpr{"unknown_name", R"(user.name == "x")", "column 1: unknown name 'user'"},
        BadExpr{"unknown_function", R"(action == "read" && size(resource) > 1)", "column 21: unknown name 'size'"},
        BadExpr{"actor_field", R"(actor.name == "x")", "column 1: actor has only actor.id and actor.meta"},
        BadExpr{"bare_actor", R"(actor == nil)", "column 1: actor has only actor.id and actor.meta"},
        BadExpr{"single_equals", R"(action = "read")", "column 8: unexpected '=' (did you mean '=='?)"},
        BadExpr{"single_ampersand", R"(true & false)", "column 6: unexpected '&' (did you mean '&&'?)"},
        BadExpr{"unclosed_string", R"(action == "read)", "column 11: string not closed (expected \")"},
        BadExpr{"bad_escape", R"(action == "a\qb")", "column 13: unknown escape \\q"},
        BadExpr{"bad_regex", R"(resource matches "([a-z")", "column 18: bad regex '([a-z'"},
        BadExpr{"stacked_quantifiers", R"(resource matches "^doc:*+[0-9]")",
                "column 18: bad regex '^doc:*+[0-9]': a quantifier repeats a quantifier"},
        BadExpr{"huge_back_reference", R"(resource matches `(a)\123`)", "bad regex '(a)\\123': a back-reference above"},
        BadExpr{"huge_repeat", R"(resource matches "a{2,5000}")", "bad regex 'a{2,5000}': a repeat count above 1000"},
        BadExpr{"dynamic_regex", R"(resource matches meta.pattern)",
                "column 22: matches needs a string literal pattern (compiled once, at load)"},
        BadExpr{"arity", R"(len(action, resource) > 0)", "column 1: len takes 1 argument, not 2"},
        BadExpr{"call_without_parens", R"(len == 1)", "column 5: expected '(' after the function len, found '=='"},
        BadExpr{"bad_list", R"(action in ["a" "b"])", "column 16: expected ',' or ']', found '\"b\"'"},
        BadExpr{"member_needs_name", R"(meta. == nil)", "column 7: expected a field name after '.', found '=='"},
        BadExpr{"bad_number", R"(meta.n == 12abc)", "column 13: unexpected 'a' after a number"},
        BadExpr{"huge_number", R"(meta.n == 99999999999999999999)", "column 11: number '99999999999999999999' is out of range"},
        BadExpr{"unexpected_character", R"(action == "read" # comment)", "column 18: unexpected character '#'"},
        BadExpr{"second_line", "action == \"read\" &&\n  (resource ==\n", "line 2, column 15: expected a value"},
        BadExpr{"conditional_without_colon", R"(true ? true)", "column 12: expected ':' of a ?: conditional"},
        BadExpr{"too_deep", std::string(100, '(') + "true" + std::string(100, ')'),
                "column 33: the expression nests too deeply"},
        BadExpr{"empty", "  ", "policy.expression is empty"}),
    [](const ::testing::TestParamInfo<BadExpr>& info) { return info.param.name; });

TEST(ExprPolicyTest, FieldErrorsOfTheEntry) {
    std::string errors;
    load("namespace: sec\nentries:\n"
         "  - name: no_expression\n    kind: security.policy.expr\n    policy:\n"
         "      actions: read\n      resources: \"*\"\n      effect: allow\n"
         "  - name: conditions\n    kind: security.policy.expr\n    policy:\n"
         "      actions: read\n      resources: \"*\"\n      effect: allow\n      expression: \"true\"\n"
         "      conditions: []\n"
         "  - name: not_a_string\n    kind: security.policy.expr\n    policy:\n"
         "      actions: read\n      resources: \"*\"\n      effect: allow\n      expression: [true]\n"
         "  - name: no_effect\n    kind: security.policy.expr\n    policy:\n"
         "      actions: read\n      resources: \"*\"\n      expression: \"true\"\n",
         &errors);
    EXPECT_THAT(errors, HasSubstr("registry.yaml:5: entry 'sec:no_expression': policy.expression is missing"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:16: entry 'sec:conditions': unknown field 'policy.conditions' "
                                  "(a policy has actions, resources, effect, expression)"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:23: entry 'sec:not_a_string': policy.expression: expected a string"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:26: entry 'sec:no_effect': policy.effect: expected allow or deny"));
    // and an ordinary policy takes no expression
    load("namespace: sec\nentries:\n  - name: p\n    kind: security.policy\n    policy:\n"
         "      actions: read\n      resources: \"*\"\n      effect: allow\n      expression: \"true\"\n",
         &errors);
    EXPECT_THAT(errors, HasSubstr("registry.yaml:9: entry 'sec:p': unknown field 'policy.expression' "
                                  "(a policy has actions, resources, effect, conditions)"));
}

// -- Wippy's documented examples, verbatim ------------------------------------------------

// en/system/security.md, "Expression-Based Policy".
TEST(ExprPolicyTest, WippySecurityModelExample) {
    auto rt = load(R"(version: "1.0"
namespace: app.security

entries:
  - name: flexible_access
    kind: security.policy.expr
    policy:
      actions:
        - read
        - write
      resources: "file:*"
      effect: allow
      expression: |
        (actor.meta.role == "editor" && action == "write") ||
        (action == "read" && meta.public == true) ||
        actor.id == meta.owner
    groups:
      - editors
)");
    const char* scope = "app.security:editors";
    EXPECT_EQ(decide(*rt, scope, R"({"role":"editor"})", "", "write", "file:a"), A);
    EXPECT_EQ(decide(*rt, scope, R"({"role":"viewer"})", "", "write", "file:a"), U);
    EXPECT_EQ(decide(*rt, scope, R"({"role":"editor"})", "", "read", "file:a"), U);  // nothing says read
    EXPECT_EQ(decide(*rt, scope, "{}", R"({"public":true})", "read", "file:a"), A);
    EXPECT_EQ(decide(*rt, scope, "{}", R"({"public":false})", "read", "file:a"), U);
    EXPECT_EQ(decide(*rt, scope, "{}", R"({"owner":"user:7"})", "write", "file:a"), A);
    EXPECT_EQ(decide(*rt, scope, "{}", R"({"owner":"user:8"})", "write", "file:a"), U);
    EXPECT_EQ(decide(*rt, scope, R"({"role":"editor"})", "", "write", "doc:a"), U);   // not a file
    EXPECT_EQ(decide(*rt, scope, R"({"role":"editor"})", "", "delete", "file:a"), U);  // not its action
    // No actor: actor.id is nil, which equals no owner.
    EXPECT_EQ(decide(*rt, scope, "{}", R"({"owner":"user:7"})", "write", "file:a", ""), U);
}

// en/system/registry.md, "Security": the expression-based owner policy.
TEST(ExprPolicyTest, WippyRegistryExample) {
    auto rt = load(R"(namespace: app.security
entries:
  - name: owner_policy
    kind: security.policy.expr
    policy:
      actions: "*"
      resources: "*"
      effect: allow
      expression: 'actor.id == meta.owner_id || actor.meta.role == "admin"'
    groups:
      - operators
)");
    const char* scope = "app.security:operators";
    EXPECT_EQ(decide(*rt, scope, "{}", R"({"owner_id":"user:7"})", "delete", "users"), A);
    EXPECT_EQ(decide(*rt, scope, R"({"role":"admin"})", "", "delete", "users"), A);
    EXPECT_EQ(decide(*rt, scope, R"({"role":"user"})", R"({"owner_id":"user:1"})", "delete", "users"), U);
}

// The example in Wippy's ExprDefinition: `meta.public` alone is a boolean only when meta has it.
TEST(ExprPolicyTest, WippyBareBooleanFieldExample) {
    auto rt = load("namespace: sec\nentries:\n" +
                   expr_policy("p", "allow", R"(actor.meta.role == "admin" || (action == "read" && meta.public))"));
    EXPECT_EQ(decide(*rt, "sec:g", R"({"role":"admin"})", ""), A);
    EXPECT_EQ(decide(*rt, "sec:g", "{}", R"({"public":true})"), A);
    EXPECT_EQ(decide(*rt, "sec:g", "{}", R"({"public":false})"), U);
    EXPECT_EQ(decide(*rt, "sec:g", "{}", ""), U);  // meta.public is nil: not a boolean
}

// -- with ordinary policies: one engine, one set of groups ---------------------------------

TEST(ExprPolicyTest, DenyWinsAcrossBothKinds) {
    auto rt = load("namespace: sec\nentries:\n" +
                   expr_policy("editors", "allow", R"(actor.meta.role == "editor")") +
                   "  - name: no_drafts\n    kind: security.policy\n    policy:\n      actions: \"*\"\n"
                   "      resources: \"doc:*\"\n      effect: deny\n      conditions:\n"
                   "        - {field: meta.state, operator: eq, value: draft}\n    groups: [g]\n" +
                   "  - name: readers\n    kind: security.policy\n    policy:\n      actions: read\n"
                   "      resources: \"doc:*\"\n      effect: allow\n    groups: [g2]\n" +
                   expr_policy("no_secrets", "deny", R"(resource contains "secret")", "[g2]", "\"*\""));
    const std::string editor = R"({"role":"editor"})";
    EXPECT_EQ(decide(*rt, "sec:g", editor, ""), A);
    EXPECT_EQ(decide(*rt, "sec:g", editor, R"({"state":"draft"})"), D);  // the ordinary deny wins
    EXPECT_EQ(decide(*rt, "sec:g", "{}", ""), U);
    EXPECT_EQ(decide(*rt, "sec:g2", "{}", ""), A);
    EXPECT_EQ(decide(*rt, "sec:g2", "{}", "", "read", "doc:secret"), D);  // the expression's deny wins
    // A scope listing policies of both kinds.
    EXPECT_EQ(decide(*rt, "[sec:readers,sec:no_secrets]", "{}", "", "read", "doc:secret"), D);
    EXPECT_EQ(decide(*rt, "[sec:readers,sec:editors]", "{}", "", "read", "doc:1"), A);
    // The same (scope, action, resource), decided again with other data: the cached plan asks the expression.
    EXPECT_EQ(decide(*rt, "sec:g", "{}", ""), U);
    EXPECT_EQ(decide(*rt, "sec:g", editor, ""), A);
}

TEST(ExprPolicyTest, ANonBooleanDenyExpressionDenies) {
    // Fail closed: a deny policy whose expression cannot be decided must not let an allow through.
    auto rt = load("namespace: sec\nentries:\n" + expr_policy("all", "allow", "true") +
                   expr_policy("locked", "deny", "meta.locked"));
    EXPECT_EQ(decide(*rt, "sec:g", "{}", R"({"locked":false})"), A);
    EXPECT_EQ(decide(*rt, "sec:g", "{}", R"({"locked":true})"), D);
    EXPECT_EQ(decide(*rt, "sec:g", "{}", R"({"locked":"no"})"), D);
    EXPECT_EQ(decide(*rt, "sec:g", "{}", ""), D);
}

TEST(ExprPolicyTest, TrueIsUnconditionalAndFalseNeverApplies) {
    auto rt = load("namespace: sec\nentries:\n" + expr_policy("yes", "allow", "true") +
                   expr_policy("never", "deny", "false", "[g, g2]"));
    EXPECT_EQ(decide(*rt, "sec:g", "{}", ""), A);
    EXPECT_EQ(decide(*rt, "sec:g", "{}", "", "read", "doc:1", ""), A);  // no actor needed
    EXPECT_EQ(decide(*rt, "sec:g", "{}", "", "write", "doc:1"), U);      // not its action
    EXPECT_EQ(decide(*rt, "sec:g2", "{}", ""), U);
}

}  // namespace
}  // namespace st::expr_policy
