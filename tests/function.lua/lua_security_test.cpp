// function.lua: the security module (Wippy's security.md) and the executors'
// security settings, on the real security.policy plugin
// (fixtures/security/strict) and on a runtime without one
// (fixtures/security/permissive). fixtures/security/docs.lua runs Wippy's
// documented examples.
#include "lua_test_util.hpp"

using namespace lua_test;
using modrt::kernel::CallOptions;

namespace {

Value integer(int64_t i) { return Value::integer(i); }

CallOptions as(std::string actor, Value meta, std::string scope) {
    CallOptions o;
    o.actor_id = std::move(actor);
    o.actor_meta = std::move(meta);
    o.scope = std::move(scope);
    return o;
}

constexpr const char* kBase = "test.security:base";

// The outside caller runtime.security names, as info sees it.
constexpr const char* kOutside =
    R"({"actor":"service:test","meta":{"clearance":5,"role":"tester"},"scope":"test.security:trusted"})";

struct StrictFixture {
    static constexpr std::string_view dirs[] = {"security/strict"};
};
struct PermissiveFixture {
    static constexpr std::string_view dirs[] = {"security/permissive"};
};
struct LenientFixture {
    static constexpr std::string_view dirs[] = {"security/lenient"};
};

using LuaSecurity = SharedRuntime<StrictFixture>;
using LuaSecurityPermissive = SharedRuntime<PermissiveFixture>;
using LuaSecurityLenient = SharedRuntime<LenientFixture>;

// -- the running call's actor and scope --

TEST_F(LuaSecurity, ActorAndScopeOfTheOutsideCallerFromRuntimeSecurity) {
    auto r = call("test.sec:info");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), kOutside);
}

TEST_F(LuaSecurity, ActorAndScopeFromCallOptions) {
    auto r = call("test.sec:info", Value::array(), as("user:1", map({{"team", str("core")}}), kBase));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"actor":"user:1","meta":{"team":"core"},"scope":"test.security:base"})");

    // What the options leave unset comes from runtime.security.
    r = call("test.sec:info", Value::array(), in_scope(kBase));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value),
              R"({"actor":"service:test","meta":{"clearance":5,"role":"tester"},"scope":"test.security:base"})");
}

TEST_F(LuaSecurity, ActorAndScopePropagateToNestedCalls) {
    auto r = call("test.sec:nested", Value::array(), as("user:2", map({{"n", integer(1)}}), kBase));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(r.value, "mine")), R"({"actor":"user:2","meta":{"n":1},"scope":"test.security:base"})");
    EXPECT_EQ(at(r.value, "below"), at(r.value, "mine"));
}

// -- executors: with_actor / with_scope --

TEST_F(LuaSecurity, WithActorAndScopeChangeThatCallAndItsDescendantsOnly) {
    auto r = call("test.sec:change", args({str("both")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    const char* changed = R"({"actor":"user:7","meta":{"role":"editor"},"scope":"test.security:base"})";
    EXPECT_EQ(json(at(at(v, "below"), "mine")), changed);
    EXPECT_EQ(json(at(at(v, "below"), "below")), changed);
    EXPECT_EQ(json(at(v, "again")), changed);
    EXPECT_EQ(json(at(v, "before")), kOutside);
    EXPECT_EQ(json(at(v, "after")), kOutside);
}

TEST_F(LuaSecurity, WithActorAloneKeepsTheScope) {
    auto r = call("test.sec:change", args({str("actor")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(at(r.value, "below"), "below")),
              R"({"actor":"user:7","meta":{"role":"editor"},"scope":"test.security:trusted"})");
}

TEST_F(LuaSecurity, WithScopeAloneKeepsTheActor) {
    auto r = call("test.sec:change", args({str("scope")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(at(r.value, "below"), "below")),
              R"({"actor":"service:test","meta":{"clearance":5,"role":"tester"},"scope":"test.security:base"})");
}

TEST_F(LuaSecurity, WithActorTakesATableAndWithScopeAStringOrCustomScope) {
    auto r = call("test.sec:change", args({str("table")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(at(r.value, "below"), "mine")),
              R"({"actor":"user:8","meta":{"role":"viewer"},"scope":"test.security:trusted"})");

    r = call("test.sec:change", args({str("string")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(at(at(r.value, "below"), "below"), "scope"), str("[test.security:call,test.security:writer]"));

    r = call("test.sec:change", args({str("custom")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(at(at(r.value, "below"), "below"), "scope"), str("[test.security:call]"));
}

TEST_F(LuaSecurity, TheCalleeIsCheckedInTheScopeTheExecutorGivesIt) {
    // "[]" holds no policy, so not funcs.call either: the kernel refuses the call.
    auto r = call("test.sec:change", args({str("empty")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_PERMISSION_DENIED);
    EXPECT_NE(r.error->message.find("funcs.call on 'test.sec:nested'"), std::string::npos) << r.error->message;
}

TEST_F(LuaSecurity, ExecutorSettingsNeedFuncsSecurityAndFuncsContext) {
    auto r = call("test.sec:executor_checks", Value::array(), in_scope(kBase));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    for (const char* name : {"actor", "actor_table", "scope", "scope_string", "context"}) {
        EXPECT_EQ(at(v, name), str("PermissionDenied")) << name;
        EXPECT_EQ(at(v, std::string(name) + "_nil"), Value::boolean(true)) << name;
        EXPECT_EQ(at(v, std::string(name) + "_retryable"), Value::boolean(false)) << name;
    }
    EXPECT_EQ(at(v, "actor_message"),
              str("with_actor: permission denied: funcs.security on 'security' for actor 'service:test'"));
    EXPECT_EQ(at(v, "scope_message"),
              str("with_scope: permission denied: funcs.security on 'security' for actor 'service:test'"));
    EXPECT_EQ(at(v, "context_message"),
              str("with_context: permission denied: funcs.context on 'context' for actor 'service:test'"));
    EXPECT_EQ(at(v, "options"), str("ok"));
}

TEST_F(LuaSecurity, ExecutorSettingsAllowedWithTheirPermissions) {
    auto r = call("test.sec:executor_checks");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"actor":"ok","actor_table":"ok","context":"ok","options":"ok","scope":"ok",)"
                             R"("scope_string":"ok"})");
}

// -- security.can --

TEST_F(LuaSecurity, CanAppliesPoliciesMetaAndStrictMode) {
    auto can = [](const char* actor, int64_t clearance, const char* action, const char* resource, Value meta) {
        Value a = args({str(action), str(resource)});
        if (meta.type != MODRT_NIL) a.push() = meta;
        auto r = call("test.sec:can", a, as(actor, map({{"clearance", integer(clearance)}}), kBase));
        EXPECT_TRUE(r.ok()) << r.error->message;
        return r.ok() ? json(r.value) : "error";
    };
    // owner_docs: meta.owner value_from actor.id
    EXPECT_EQ(can("user:1", 1, "read", "document:1", map({{"owner", str("user:1")}})), "true");
    EXPECT_EQ(can("user:1", 1, "delete", "document:1", map({{"owner", str("user:1")}})), "true");
    // no policy applies: undefined, which a strict runtime denies
    EXPECT_EQ(can("user:1", 1, "read", "document:1", map({{"owner", str("user:2")}})), "false");
    EXPECT_EQ(can("user:1", 1, "read", "document:1", Value()), "false");
    EXPECT_EQ(can("user:1", 1, "write", "order:1", Value()), "false");
    // confidential: denied below clearance 3, whatever else allows it
    Value confidential = map({{"owner", str("user:1")}, {"classification", str("confidential")}});
    EXPECT_EQ(can("user:1", 1, "read", "document:1", confidential), "false");
    EXPECT_EQ(can("user:1", 5, "read", "document:1", confidential), "true");
    // no conditions
    EXPECT_EQ(can("user:1", 1, "funcs.call", "any:thing", Value()), "true");
}

TEST_F(LuaSecurity, CanAppliesExpressionPolicies) {
    auto can = [](const char* role, const char* owner) {
        Value a = args({str("review"), str("document:1"), map({{"owner", str(owner)}})});
        auto r = call("test.sec:can", a, as("user:1", map({{"role", str(role)}}), "test.security:reviewers"));
        EXPECT_TRUE(r.ok()) << r.error->message;
        return r.ok() ? json(r.value) : "error";
    };
    // reviewers: actor.meta.role in ["reviewer", "lead"] && meta.owner != actor.id
    EXPECT_EQ(can("reviewer", "user:2"), "true");
    EXPECT_EQ(can("lead", "user:2"), "true");
    EXPECT_EQ(can("reviewer", "user:1"), "false");  // their own document
    EXPECT_EQ(can("author", "user:2"), "false");
}

// -- Scope values --

TEST_F(LuaSecurity, ScopeOperations) {
    auto r = call("test.sec:scope_ops");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "base"), str(kBase));
    EXPECT_EQ(json(at(v, "base_ids")),
              R"(["test.security:call","test.security:owner_docs","test.security:confidential"])");
    EXPECT_EQ(at(v, "contains_call"), Value::boolean(true));
    EXPECT_EQ(at(v, "contains_writer"), Value::boolean(false));
    EXPECT_EQ(at(v, "writer_id"), str("test.security:writer"));
    EXPECT_EQ(at(v, "writer_string"), str("test.security:writer"));
    const char* more = "[test.security:call,test.security:owner_docs,test.security:confidential,test.security:writer]";
    EXPECT_EQ(at(v, "more"), str(more));
    EXPECT_EQ(at(v, "more_contains_writer"), Value::boolean(true));
    EXPECT_EQ(at(v, "base_after"), str(kBase));
    EXPECT_EQ(at(v, "with_twice"), str(more));
    EXPECT_EQ(at(v, "with_id"), str("[test.security:call,test.security:owner_docs,test.security:confidential,"
                                    "test.security:funcs_context]"));
    const char* less = "[test.security:call,test.security:confidential,test.security:writer]";
    EXPECT_EQ(at(v, "less"), str(less));
    EXPECT_EQ(at(v, "less_contains"), Value::boolean(false));
    EXPECT_EQ(at(v, "without_missing"), str(less));
    EXPECT_EQ(at(v, "without_policy"), str("[test.security:call,test.security:confidential]"));
    EXPECT_EQ(at(v, "empty"), str("[]"));
    EXPECT_EQ(at(v, "empty_policies"), integer(0));
    EXPECT_EQ(at(v, "custom"), str("[test.security:writer,test.security:call]"));
    EXPECT_EQ(json(at(v, "custom_ids")), R"(["test.security:writer","test.security:call"])");
    EXPECT_EQ(at(v, "equal"), Value::boolean(true));
    EXPECT_EQ(at(v, "not_equal"), Value::boolean(false));
    EXPECT_EQ(at(v, "current"), str("test.security:trusted"));
    EXPECT_EQ(at(v, "current_contains"), Value::boolean(true));
}

TEST_F(LuaSecurity, ScopeAndPolicyEvaluate) {
    auto r = call("test.sec:evaluate");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"admin_allow":"allow","admin_undefined":"undefined","anonymous":"allow",)"
                             R"("can_undefined":false,"cleared":"allow","confidential":"deny","deny":"deny",)"
                             R"("empty_scope":"undefined","no_meta":"undefined","other_reads":"undefined",)"
                             R"("owner_reads":"allow","policy_allow":"allow","policy_undefined":"undefined"})");
}

// -- policy / named_scope lookups --

TEST_F(LuaSecurity, PolicyAndNamedScopeLookups) {
    auto r = call("test.sec:lookups");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "policy"), str("ok"));
    EXPECT_EQ(at(v, "policy_nil"), Value::boolean(false));
    EXPECT_EQ(at(v, "group"), str("ok"));
    EXPECT_EQ(at(v, "group_nil"), Value::boolean(false));
    // missing: NOT_FOUND (Wippy documents INTERNAL)
    EXPECT_EQ(at(v, "policy_missing"), str("NotFound"));
    EXPECT_EQ(at(v, "policy_missing_nil"), Value::boolean(true));
    EXPECT_EQ(at(v, "policy_missing_message"), str("policy 'test.security:nope' not found"));
    EXPECT_EQ(at(v, "policy_missing_retryable"), Value::boolean(false));
    EXPECT_EQ(at(v, "group_missing"), str("NotFound"));
    EXPECT_EQ(at(v, "group_missing_message"), str("policy group 'test.security:nope' not found"));
    // malformed ids
    EXPECT_EQ(at(v, "policy_bad"), str("Invalid"));
    EXPECT_EQ(at(v, "policy_number"), str("Invalid"));
    EXPECT_EQ(at(v, "group_list"), str("Invalid"));
    EXPECT_EQ(at(v, "group_list_nil"), Value::boolean(true));
    // denied (the lookups policy covers app.security:* and test.security:* only): INVALID, as Wippy documents
    EXPECT_EQ(at(v, "policy_other_ns"), str("Invalid"));
    EXPECT_EQ(at(v, "policy_other_ns_nil"), Value::boolean(true));
    EXPECT_EQ(at(v, "policy_other_ns_message"),
              str("security.policy: permission denied: security.policy.get on 'other:thing' for actor 'service:test'"));
}

TEST_F(LuaSecurity, LookupsDeniedWithoutTheirPermissions) {
    auto r = call("test.sec:lookups", Value::array(), in_scope(kBase));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    for (const char* name : {"policy", "policy_missing", "group", "group_missing"}) {
        EXPECT_EQ(at(v, name), str("Invalid")) << name;
        EXPECT_EQ(at(v, std::string(name) + "_nil"), Value::boolean(true)) << name;
    }
    EXPECT_EQ(at(v, "group_message"), str("security.named_scope: permission denied: security.policy_group.get on "
                                          "'test.security:base' for actor 'service:test'"));
}

// -- operations that raise when denied --

TEST_F(LuaSecurity, ConstructorsRaiseWhenDenied) {
    auto r = call("test.sec:raising", Value::array(), in_scope(kBase));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    for (const char* name : {"new_actor", "new_actor_service", "new_scope", "with", "without"})
        EXPECT_EQ(at(v, name), str("PermissionDenied")) << name;
    EXPECT_EQ(at(v, "new_scope_message"), str("security.new_scope: permission denied: security.scope.create on "
                                              "'custom' for actor 'service:test'"));
    EXPECT_EQ(at(v, "with_message"),
              str("scope:with: permission denied: security.scope.create on 'with' for actor 'service:test'"));
    EXPECT_EQ(at(v, "without_message"),
              str("scope:without: permission denied: security.scope.create on 'without' for actor 'service:test'"));
}

TEST_F(LuaSecurity, ConstructorsAllowedByTheirPermissions) {
    auto r = call("test.sec:raising");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "new_actor"), str("ok"));
    EXPECT_EQ(at(v, "new_scope"), str("ok"));
    EXPECT_EQ(at(v, "with"), str("ok"));
    EXPECT_EQ(at(v, "without"), str("ok"));
    // the actors policy covers user:* only
    EXPECT_EQ(at(v, "new_actor_service"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "new_actor_service_message"), str("security.new_actor: permission denied: security.actor.create "
                                                      "on 'service:x' for actor 'service:test'"));
}

TEST_F(LuaSecurity, AnUncaughtDenialFailsTheCall) {
    auto r = call("test.sec:new_actor", args({str("user:5")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("user:5"));

    r = call("test.sec:new_actor", args({str("service:x")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_PERMISSION_DENIED);
    EXPECT_FALSE(r.error->retryable);
    EXPECT_NE(r.error->message.find("security.actor.create on 'service:x'"), std::string::npos) << r.error->message;
}

TEST_F(LuaSecurity, BadArgumentsRaise) {
    auto r = call("test.sec:bad_arguments");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    auto contains = [&](const char* key, const char* text) {
        EXPECT_NE(at(v, key).str.find(text), std::string::npos) << key << ": " << json(at(v, key));
    };
    contains("can_no_resource", "string expected");
    EXPECT_EQ(at(v, "can_bad_meta"), str("Invalid"));
    EXPECT_EQ(at(v, "can_function_meta"), str("Invalid"));
    EXPECT_EQ(at(v, "new_actor_no_id"), str("Invalid"));
    EXPECT_EQ(at(v, "new_actor_bad_meta"), str("Invalid"));
    EXPECT_EQ(at(v, "new_scope_bad_item"), str("Invalid"));
    EXPECT_EQ(at(v, "new_scope_not_table"), str("Invalid"));
    EXPECT_EQ(at(v, "with_nothing"), str("Invalid"));
    EXPECT_EQ(at(v, "with_bad_id"), str("Invalid"));
    contains("evaluate_bad_actor", "Actor expected");
    contains("evaluate_no_action", "string expected");
    contains("actor_method_on_scope", "Actor expected");
    EXPECT_EQ(at(v, "actor_metatable"), Value::boolean(false));
    EXPECT_EQ(at(v, "scope_metatable"), Value::boolean(false));
}

// -- Wippy's examples --

TEST_F(LuaSecurity, DocsModulePage) {
    auto r = call("test.sec:docs_module", args({integer(1), integer(2), integer(3)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(json(at(v, "actor")), R"({"id":"service:test","role":"tester"})");
    EXPECT_EQ(json(at(v, "active")),
              R"(["test.security:call","test.security:owner_docs","test.security:confidential",)"
              R"("test.security:funcs_security","test.security:funcs_context","test.security:lookups",)"
              R"("test.security:scopes","test.security:actors"])");
    EXPECT_EQ(at(v, "can_read"), Value::boolean(false));
    EXPECT_EQ(at(v, "can_write"), Value::boolean(false));
    EXPECT_EQ(at(v, "can_delete"), Value::boolean(false));
    EXPECT_EQ(json(at(v, "new_actor")),
              R"({"id":"user:42","meta":{"department":"eng","email":"a@example.com","role":"editor"}})");
    EXPECT_EQ(at(v, "empty_scope"), str("[]"));
    EXPECT_EQ(at(v, "scope_with_policies"), str("[app.security:readonly_policy]"));
    EXPECT_EQ(at(v, "incremental"), str("[app.security:readonly_policy,app.security:owner_policy]"));
    EXPECT_EQ(at(v, "policy_result"), str("undefined, check other policies"));
    EXPECT_EQ(at(v, "admin_scope_result"), str("undefined"));
    EXPECT_EQ(at(v, "with_without"), str("[app.security:owner_policy]"));
    EXPECT_EQ(at(v, "evaluate"), str("undefined"));
    EXPECT_EQ(at(v, "evaluate_error"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "contains_admin"), Value::boolean(false));
    EXPECT_EQ(at(v, "contains_owner"), Value::boolean(true));
    EXPECT_EQ(json(at(v, "policies")), R"(["app.security:readonly_policy","app.security:owner_policy"])");
}

TEST_F(LuaSecurity, DocsModelPage) {
    auto r = call("test.sec:docs_model");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(json(at(v, "actor")), R"({"clearance":3,"id":"user:123","role":"admin"})");
    EXPECT_EQ(at(v, "current"), str("service:test"));
    EXPECT_EQ(at(v, "scope"), str("[app.security:admin_policy,app.security:readonly_policy]"));
    EXPECT_EQ(at(v, "named"), str("app.security:admin"));
    EXPECT_EQ(at(v, "with"), str("[app.security:admin_policy,app.security:readonly_policy,app.security:owner_policy]"));
    EXPECT_EQ(at(v, "without"), str("[app.security:admin_policy,app.security:readonly_policy]"));
    EXPECT_EQ(at(v, "has"), Value::boolean(true));
    EXPECT_EQ(at(v, "policy_count"), integer(2));
    EXPECT_EQ(at(v, "evaluate"), str("allow"));
    EXPECT_EQ(at(v, "evaluate_confidential"), str("deny"));
    EXPECT_EQ(at(v, "evaluate_undefined"), str("undefined"));
    EXPECT_EQ(at(v, "quick"), Value::boolean(false));
    EXPECT_EQ(json(at(v, "protected")), R"({"actor":"user:123","scope":"app.security:admin"})");
}

TEST_F(LuaSecurity, DocsFuncsPageWithActorAndWithScope) {
    auto r = call("test.sec:docs_funcs", args({integer(5)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(r.value, "with_actor")), kOutside);
    EXPECT_EQ(at(r.value, "with_scope_call"), str("PermissionDenied"));

    // A caller not allowed funcs.security: with_actor gives the error the example returns.
    r = call("test.sec:docs_funcs", args({integer(5)}), as("user:3", Value::map(), kBase));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_PERMISSION_DENIED);
}

// -- a non-strict runtime, an anonymous caller without a scope --

TEST_F(LuaSecurityLenient, UndefinedAllowsOnlyACallerLackingAnActorOrAScope) {
    auto r = rt_->call("test.lenient:anonymous", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    // security.can: no scope is undefined, which a non-strict runtime allows; evaluate is the raw decision
    EXPECT_EQ(json(r.value), R"({"can_read":true,"can_write":true,"no_actor":true,"no_scope":true,)"
                             R"("read":"undefined","write":"deny"})");

    r = rt_->call("test.lenient:anonymous", Value::array(), in_scope("[test.lenient:deny_write]"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"can_read":true,"can_write":false,"no_actor":true,"no_scope":false,)"
                             R"("read":"undefined","write":"deny"})");

    // An actor and a scope: no applicable policy denies in either mode (Wippy's rule; the
    // mode decides only for a caller lacking one of them), so read is refused here.
    r = rt_->call("test.lenient:anonymous", Value::array(),
                  as("user:1", Value::map(), "[test.lenient:deny_write,test.lenient:allow_call]"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"can_read":false,"can_write":false,"no_actor":false,"no_scope":false,)"
                             R"("read":"undefined","write":"deny"})");
}

// -- a runtime without a security provider --

TEST_F(LuaSecurityPermissive, ActorAndScopeStillComeFromRuntimeSecurity) {
    auto r = call("test.sec:nested");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(r.value, "mine")), R"({"actor":"service:open","meta":{"tier":1},"scope":"app:ops"})");
    EXPECT_EQ(at(r.value, "below"), at(r.value, "mine"));
}

TEST_F(LuaSecurityPermissive, EverythingIsAllowedAndLookupsAreUnavailable) {
    auto r = call("test.sec:permissive");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "can"), Value::boolean(true));
    EXPECT_EQ(at(v, "policy"), str("Unavailable"));
    EXPECT_EQ(at(v, "policy_nil"), Value::boolean(true));
    EXPECT_EQ(at(v, "named_scope"), str("Unavailable"));
    EXPECT_EQ(at(v, "named_scope_nil"), Value::boolean(true));
    EXPECT_EQ(at(v, "actor"), str("svc:any"));
    // list scopes need no provider
    EXPECT_EQ(at(v, "custom"), str("[app:p2]"));
    EXPECT_EQ(json(at(v, "custom_ids")), R"(["app:p2"])");
    EXPECT_EQ(at(v, "custom_contains"), Value::boolean(true));
    EXPECT_EQ(at(v, "evaluate"), str("allow"));
    // a group scope cannot be listed
    EXPECT_EQ(at(v, "current"), str("app:ops"));
    EXPECT_EQ(at(v, "current_policies"), integer(0));
    EXPECT_EQ(at(v, "current_policies_error"), str("Unavailable"));
    EXPECT_EQ(at(v, "current_contains"), Value::boolean(false));
    EXPECT_EQ(at(v, "current_contains_error"), str("Unavailable"));
    EXPECT_EQ(at(v, "current_with"), str("Unavailable"));
    EXPECT_EQ(at(v, "current_evaluate"), str("allow"));
    EXPECT_EQ(json(at(v, "below")), R"({"actor":"svc:any","meta":{"a":1},"scope":"[app:p2]"})");
}

}  // namespace
