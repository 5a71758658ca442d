// The kernel's checks on every call with the security.policy provider: funcs.call on
// the target, funcs.security / funcs.context for calls that change them, the outside
// caller of runtime.security, propagation to nested calls, strict and non-strict.
#include "security_test_util.hpp"

namespace st {
namespace {

using ::testing::HasSubstr;

const std::string kFunctions = "namespace: app\nentries:\n" + native("whoami", "whoami") + native("nested", "nested") +
                               native("call_as", "call_as") + native("call_with_context", "call_with_context") +
                               native("can", "can") + native("secret", "whoami") + native("pooled", "whoami") +
                               "    pool: {type: static, workers: 1}\n";

// Scope sec:users may call app:* except app:secret and app:pooled; sec:admins may do anything.
const std::string kPolicies = R"(namespace: sec
entries:
  - name: call_app
    kind: security.policy
    policy: {actions: funcs.call, resources: "app:*", effect: allow}
    groups: [users, admins]
  - name: no_secrets
    kind: security.policy
    policy:
      actions: funcs.call
      resources: [app:secret, app:pooled]
      effect: deny
      conditions: [{field: actor.meta.role, operator: ne, value: admin}]
    groups: [users, admins]
  - name: change_security
    kind: security.policy
    policy: {actions: [funcs.security, funcs.context], resources: "*", effect: allow}
    groups: [admins]
)";

std::unique_ptr<Runtime> runtime(const std::string& settings = "") {
    std::vector<std::pair<std::string, std::string>> files{{"app.yaml", kFunctions}, {"sec.yaml", kPolicies}};
    if (!settings.empty()) files.emplace_back("settings.yaml", "namespace: settings\nentries:\n" + settings);
    return load_files(files);
}

CallOptions as(const std::string& actor, const std::string& scope, const std::string& role = "") {
    CallOptions o;
    o.actor_id = actor;
    if (!role.empty()) o.actor_meta.insert("role") = str(role);
    o.scope = scope;
    return o;
}

uint64_t pool_activity(Runtime& rt, const std::string& id) {
    for (const auto& p : rt.pool_stats())
        if (p.id == id) return p.stats.completed + p.stats.rejected + p.stats.queued + p.stats.busy;
    ADD_FAILURE() << "no pool for " << id;
    return 0;
}

TEST(CallCheckTest, AllowedCallRunsAndSeesItsActorAndScope) {
    auto rt = runtime();
    CallResult r = rt->call("app:whoami", args({}), as("user:1", "sec:users"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.find("actor")->str, "user:1");
    EXPECT_EQ(r.value.find("scope")->str, "sec:users");
}

TEST(CallCheckTest, DeniedCallNeverReachesItsPool) {
    auto rt = runtime();
    CallResult r = rt->call("app:pooled", args({}), as("user:1", "sec:users", "user"));
    ASSERT_EQ(kind_of(r), MODRT_ERR_PERMISSION_DENIED);
    EXPECT_THAT(r.error->message, HasSubstr("permission denied: funcs.call on 'app:pooled' for actor 'user:1'"));
    EXPECT_EQ(pool_activity(*rt, "app:pooled"), 0u);
    // The same call by an admin runs on that pool.
    CallResult ok = rt->call("app:pooled", args({}), as("user:2", "sec:users", "admin"));
    ASSERT_TRUE(ok.ok()) << ok.error->message;
    EXPECT_EQ(pool_activity(*rt, "app:pooled"), 1u);
}

TEST(CallCheckTest, StrictModeDecidesOnlyForCallersLackingAnActorOrAScope) {
    // Wippy's rule (en/system/security.md, "Strict Mode"): strict, the default, denies a caller
    // without an actor or a scope; permissive allows it. A caller with both is denied when no
    // policy applies (UNDEFINED) in either mode.
    auto strict = runtime();
    EXPECT_EQ(kind_of(strict->call("app:whoami", args({}))), MODRT_ERR_PERMISSION_DENIED);  // no actor, no scope
    EXPECT_EQ(kind_of(strict->call("app:whoami", args({}), as("user:1", ""))), MODRT_ERR_PERMISSION_DENIED);
    EXPECT_EQ(kind_of(strict->call("app:whoami", args({}), as("user:1", "sec:nobody"))), MODRT_ERR_PERMISSION_DENIED);
    auto lax = runtime("  - name: security\n    kind: runtime.security\n    strict: false\n");
    EXPECT_TRUE(lax->call("app:whoami", args({})).ok());
    EXPECT_TRUE(lax->call("app:whoami", args({}), as("user:1", "")).ok());  // an actor, no scope
    EXPECT_EQ(kind_of(lax->call("app:whoami", args({}), as("user:1", "sec:nobody"))), MODRT_ERR_PERMISSION_DENIED);
    // Permissive changes only UNDEFINED: a matching deny still denies, an allow allows.
    EXPECT_EQ(kind_of(lax->call("app:secret", args({}), as("user:1", "sec:users"))), MODRT_ERR_PERMISSION_DENIED);
    EXPECT_TRUE(lax->call("app:whoami", args({}), as("user:1", "sec:users")).ok());
}

TEST(CallCheckTest, RuntimeSecurityNamesTheOutsideCaller) {
    auto rt = runtime(
        "  - name: security\n    kind: runtime.security\n    actor: {id: \"service:cron\", meta: {role: admin}}\n"
        "    scope: sec:users\n");
    CallResult r = rt->call("app:whoami", args({}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.find("actor")->str, "service:cron");
    EXPECT_EQ(r.value.find("role")->str, "admin");
    EXPECT_EQ(r.value.find("scope")->str, "sec:users");
    EXPECT_TRUE(rt->call("app:secret", args({})).ok());  // the outside caller is an admin
    // CallOptions override what they set and keep the rest.
    CallResult other = rt->call("app:whoami", args({}), as("user:9", ""));
    ASSERT_TRUE(other.ok()) << other.error->message;
    EXPECT_EQ(other.value.find("actor")->str, "user:9");
    EXPECT_EQ(other.value.find("scope")->str, "sec:users");
    EXPECT_EQ(kind_of(rt->call("app:secret", args({}), as("user:9", ""))), MODRT_ERR_PERMISSION_DENIED);
}

TEST(CallCheckTest, NestedCallsInheritActorAndScopeAndAreCheckedToo) {
    auto rt = runtime();
    CallResult r = rt->call("app:nested", args({str("app:whoami")}), as("user:1", "sec:users", "user"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.find("actor")->str, "user:1");
    EXPECT_EQ(r.value.find("scope")->str, "sec:users");
    CallResult denied = rt->call("app:nested", args({str("app:secret")}), as("user:1", "sec:users", "user"));
    EXPECT_EQ(kind_of(denied), MODRT_ERR_PERMISSION_DENIED);
    EXPECT_THAT(denied.error->message, HasSubstr("'app:secret'"));
}

TEST(CallCheckTest, ChangingActorOrScopeNeedsFuncsSecurity) {
    auto rt = runtime();
    CallResult denied = rt->call("app:call_as", args({str("app:whoami"), str("user:other"), str("")}),
                                 as("user:1", "sec:users"));
    ASSERT_EQ(kind_of(denied), MODRT_ERR_PERMISSION_DENIED);
    EXPECT_THAT(denied.error->message, HasSubstr("needs funcs.security on 'security' for actor 'user:1'"));
    denied = rt->call("app:call_as", args({str("app:whoami"), str(""), str("sec:admins")}), as("user:1", "sec:users"));
    EXPECT_EQ(kind_of(denied), MODRT_ERR_PERMISSION_DENIED);

    CallResult r = rt->call("app:call_as", args({str("app:whoami"), str("user:other"), str("sec:users")}),
                            as("user:1", "sec:admins"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.find("actor")->str, "user:other");
    EXPECT_EQ(r.value.find("scope")->str, "sec:users");
}

TEST(CallCheckTest, ChangingContextNeedsFuncsContext) {
    auto rt = runtime();
    CallResult denied = rt->call("app:call_with_context", args({str("app:whoami")}), as("user:1", "sec:users"));
    ASSERT_EQ(kind_of(denied), MODRT_ERR_PERMISSION_DENIED);
    EXPECT_THAT(denied.error->message, HasSubstr("needs funcs.context on 'context'"));
    EXPECT_TRUE(rt->call("app:call_with_context", args({str("app:whoami")}), as("user:1", "sec:admins")).ok());
}

TEST(CallCheckTest, SecurityAllowedAppliesStrictMode) {
    auto strict = runtime();
    CallResult r = strict->call("app:can", args({str("funcs.call"), str("app:whoami")}), as("user:1", "sec:users"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_TRUE(r.value.scalar.b);
    r = strict->call("app:can", args({str("delete"), str("doc:1")}), as("user:1", "sec:users"));
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.value.scalar.b);  // undefined
}

TEST(CallCheckTest, WithoutASecurityPluginEverythingIsAllowed) {
    auto rt = load_files({{"app.yaml", kFunctions}});
    EXPECT_TRUE(rt->call("app:secret", args({})).ok());
    EXPECT_TRUE(rt->call("app:call_as", args({str("app:whoami"), str("x:y"), str("any:scope")})).ok());
    CallResult r = rt->call("app:can", args({str("anything"), str("anywhere")}));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value.scalar.b);
}

}  // namespace
}  // namespace st
