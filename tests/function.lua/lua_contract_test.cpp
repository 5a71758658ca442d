// function.lua: the contract module (Wippy's lua/core/contract.md) on the
// real contract and security.policy plugins, through the kernel.
// fixtures/contract/common: contracts, bindings, implementations (impl.lua)
// and the callers (caller.lua, docs.lua); fixtures/contract/secure: the
// policies of the permission tests; fixtures/contract/none: no contract
// provider at all; fixtures/contract/broken: a binding that did not load.
// Also examples/registries/contracts' Lua callers.
#include "lua_test_util.hpp"

#include <gmock/gmock.h>

#include <chrono>
#include <string>
#include <vector>

using namespace lua_test;
using modrt::kernel::CallOptions;
using ::testing::HasSubstr;

namespace {

// A runtime without a security provider (everything allowed).
struct CommonFixture {
    static constexpr std::string_view dirs[] = {"contract/common"};
};
using LuaContract = SharedRuntime<CommonFixture>;

// Strict security (fixtures/contract/secure/policies.yaml); the outside caller is service:ct in test.ctsec:full.
struct SecureFixture {
    static constexpr std::string_view dirs[] = {"contract/secure", "contract/common"};
};
using LuaContractSecure = SharedRuntime<SecureFixture>;

// -- opening and calling --

TEST_F(LuaContract, OpenAndCallSynchronously) {
    auto r = call("test.ctc:open_call", args({str("test.ct:english"), str("Ada")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("Hello, Ada!"));
}

TEST_F(LuaContract, SwappingTheImplementationByBindingId) {
    // The same calling code, two bindings of one contract.
    auto r = call("test.ctc:open_call", args({str("test.ct:french"), str("Ada")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("Bonjour, Ada !"));
    r = call("test.ctc:open_call", args({str("test.ct:english"), str("Ada")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("Hello, Ada!"));
}

TEST_F(LuaContract, TheDefaultBindingThroughGetOpen) {
    auto r = call("test.ctc:default_call", args({str("Ada")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("Hello, Ada!"));
}

TEST_F(LuaContract, AsyncMethodsReturnAFuture) {
    auto r = call("test.ctc:async_call", args({str("test.ct:french"), str("Bo")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"complete":true,"result":"Bonjour, Bo !","value":"Bonjour, Bo !"})");

    // A failed call's channel delivers its error; the future's result is that error.
    r = call("test.ctc:async_call", args({str("test.ct:french"), Value::integer(42)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID) << r.error->message;
}

// -- context: query parameters, the scope table, with_context --

TEST_F(LuaContract, QueryParametersBecomeContextValues) {
    auto r = call("test.ctc:info",
                  args({str("test.ct:english?debug=true&off=false&timeout=5000&ratio=0.5&neg=-3&name=x%20y+z&flag&"
                            "big=99999999999999999999&word=5s")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "impl"), str("en"));
    EXPECT_EQ(
        json(at(r.value, "ctx")),
        R"({"big":100000000000000000000.0,"debug":true,"flag":"","name":"x y z","neg":-3,"off":false,"ratio":0.5,)"
        R"("timeout":5000,"word":"5s"})");
}

TEST_F(LuaContract, TheScopeTableOverridesTheQuery) {
    auto r = call("test.ctc:info", args({str("test.ct:french?tenant=q&debug=true"), map({{"tenant", str("s")}})}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "impl"), str("fr"));
    EXPECT_EQ(json(at(r.value, "ctx")), R"({"debug":true,"tenant":"s"})");
}

TEST_F(LuaContract, ContractWithContextReachesItsInstancesOnly) {
    auto r = call("test.ctc:configured", args({str("test.ct:french")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(at(r.value, "seen"), "ctx")), R"({"request_id":"r-1","tenant":"from-scope"})");
    EXPECT_EQ(at(at(r.value, "seen"), "impl"), str("fr"));
    EXPECT_EQ(json(at(at(r.value, "plain"), "ctx")), "{}");
    EXPECT_EQ(at(at(r.value, "default"), "impl"), str("en"));
    EXPECT_EQ(json(at(at(r.value, "default"), "ctx")), R"({"request_id":"r-1","tenant":"from-contract"})");
}

TEST_F(LuaContract, ContextRequiredKeysMustBeGiven) {
    auto r = call("test.ctc:tenant", args({str("missing")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    EXPECT_EQ(r.error->message,
              "contract.open: binding 'test.ct:tenant_impl' requires context value 'tenant' (give it in the scope "
              "table, the ?query or the caller's context)");
    // The binding's key is given, its item's is not (opened through the contract: its default binding).
    r = call("test.ctc:tenant", args({str("partial")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    EXPECT_THAT(r.error->message, HasSubstr("requires context value 'region'"));

    for (const char* how : {"scope", "query"}) {
        r = call("test.ctc:tenant", args({str(how)}));
        ASSERT_TRUE(r.ok()) << how << ": " << r.error->message;
        EXPECT_EQ(json(r.value), R"({"region":"eu","tenant":"acme"})") << how;
    }
    // From the caller's own context.
    r = call("test.ctc:tenant", args({str("inherited")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"region":"us","tenant":"inherited"})");
}

// -- options --

TEST_F(LuaContract, RetryOptionsReachTheInterceptor) {
    // The entry configures no retry: without options, one attempt and the implementation's error.
    auto r = call("test.ctc:service", args({str("flaky_plain"), str("plain")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE) << r.error->message;
    // contract.open's options, and Contract:with_options, add a retry (the kernel's per-call
    // chains): the third attempt succeeds.
    r = call("test.ctc:service", args({str("flaky_retry"), str("retry")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::integer(3));
    r = call("test.ctc:service", args({str("flaky_with_options"), str("with_options")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::integer(3));
}

TEST_F(LuaContract, PerCallRetryOptionsAddARetryTheEntryLacks) {
    Value retry = map({{"retry", map({{"max_attempts", Value::integer(5)}, {"initial_delay", str("1ms")}})}});
    // test.ct:flaky configures no interceptor: funcs' with_options adds interceptor.retry for the call.
    auto r = call("test.ctc:call_retry", args({str("test.ct:flaky"), str("funcs"), retry}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::integer(3));
    // Options that name no interceptor (Wippy's priority, a timeout) add none.
    Value plain = map({{"priority", Value::integer(1)}, {"timeout", str("5s")}});
    r = call("test.ctc:call_retry", args({str("test.ct:flaky"), str("plain"), plain}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE) << r.error->message;
    // The entry's `retry: false` refuses it, per call too: one attempt.
    r = call("test.ctc:call_retry", args({str("test.ct:flaky_refusing"), str("refused"), retry}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE) << r.error->message;
    EXPECT_EQ(r.error->message, "not yet");
    // A map-valued option naming no interceptor is the caller's mistake, said plainly.
    r = call("test.ctc:call_retry", args({str("test.ct:flaky"), str("typo"), map({{"retyr", Value::map()}})}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    EXPECT_NE(r.error->message.find("per-call option 'retyr' calling 'test.ct:flaky': no plugin on the plugin path "
                                    "provides 'interceptor.retyr'"),
              std::string::npos)
        << r.error->message;
}

TEST_F(LuaContract, TimeoutOptionsEndTheCall) {
    for (const char* how : {"slow_timeout", "slow_with_options"}) {
        auto start = std::chrono::steady_clock::now();
        auto r = call("test.ctc:service", args({str(how)}));
        auto took = std::chrono::steady_clock::now() - start;
        ASSERT_FALSE(r.ok()) << how;
        EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << how << ": " << r.error->message;
        EXPECT_LT(took, std::chrono::seconds(5)) << how;
    }
}

// -- errors --

TEST_F(LuaContract, TheImplementationsErrorsKeepTheirKind) {
    auto r = call("test.ctc:service", args({str("fail"), str("Conflict")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_CONFLICT);
    EXPECT_EQ(r.error->message, "failed on purpose");
    ASSERT_NE(r.error->details, nullptr);
    EXPECT_EQ(json(*r.error->details), R"({"why":"test"})");
}

TEST_F(LuaContract, TheContractValidatesTheCalls) {
    auto r = call("test.ctc:open_call", args({str("test.ct:english"), Value::integer(42)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    EXPECT_THAT(r.error->message, HasSubstr("does not match contract test.ct:greeter, method greet"));
    ASSERT_NE(r.error->details, nullptr);
    const Value& violations = at(*r.error->details, "violations");
    ASSERT_EQ(violations.items.size(), 1u) << json(*r.error->details);
    EXPECT_EQ(at(violations.items[0], "keyword"), str("type"));
    EXPECT_EQ(at(*r.error->details, "function"), str("test.ct:hello_en"));

    r = call("test.ctc:open_call", args({str("test.ct:french"), str("")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    EXPECT_THAT(r.error->message, HasSubstr("(minLength)"));
}

TEST_F(LuaContract, ErrorKinds) {
    auto r = call("test.ctc:probe_errors");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    for (const char* name : {"open_no_colon", "open_empty_name", "open_number", "open_bad_escape", "open_empty_key",
                             "open_scope_string", "open_bad_timeout", "get_bad", "impls_bad", "contract_open_bad"})
        EXPECT_EQ(at(v, name), str("Invalid")) << name;
    for (const char* name : {"open_missing", "open_function", "open_no_default", "get_missing", "get_binding",
                             "impls_missing", "method_missing", "method_missing_async", "no_default",
                             "not_implementing", "contract_open_missing", "method_def_missing"})
        EXPECT_EQ(at(v, name), str("NotFound")) << name;
    EXPECT_EQ(at(v, "method_def_missing_nil"), Value::boolean(true));
    EXPECT_EQ(at(v, "open_no_colon_message"),
              str("contract.open: 'nocolon' is not a binding id (expected namespace:name)"));
    EXPECT_EQ(at(v, "open_no_colon_retryable"), Value::boolean(false));
    EXPECT_EQ(at(v, "open_missing_message"), str("contract.open: no contract or binding 'test.ct:nope'"));
    EXPECT_EQ(at(v, "method_missing_message"),
              str("binding 'test.ct:english' has no method 'nope' (its methods: greet, info)"));
    EXPECT_THAT(at(v, "no_default_message").str, HasSubstr("contract 'test.ct:pinger' has no default binding"));
    EXPECT_EQ(at(v, "not_implementing_message"),
              str("open: binding 'test.ct:french' does not implement contract 'test.ct:pinger'"));
}

TEST_F(LuaContract, ContractValuesAndImplementations) {
    auto r = call("test.ctc:introspect");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "id"), str("test.ct:greeter"));
    EXPECT_EQ(at(v, "tostring"), str("Contract(test.ct:greeter)"));
    const char* greet =
        R"({"description":"Greets someone by name",)"
        R"("input_schemas":[{"definition":{"minLength":1,"type":"string"},"format":"application/schema+json"}],)"
        R"("name":"greet",)"
        R"("output_schemas":[{"definition":{"type":"string"},"format":"application/schema+json"}]})";
    const char* info = R"({"description":"What the implementation sees","name":"info"})";
    EXPECT_EQ(json(at(v, "greet")), greet);
    EXPECT_EQ(json(at(v, "info")), info);
    EXPECT_EQ(json(at(v, "methods")), std::string("[") + greet + "," + info + "]");
    EXPECT_EQ(at(v, "methods_again"), str("greet"));  // a fresh table each time
    const char* greeters = R"(["test.ct:english","test.ct:french","test.ct:both"])";
    EXPECT_EQ(json(at(v, "impls")), greeters);
    EXPECT_EQ(json(at(v, "find")), greeters);
    EXPECT_EQ(json(at(v, "find_pinger")), R"(["test.ct:both"])");
    EXPECT_EQ(at(v, "is_en_greeter"), Value::boolean(true));
    EXPECT_EQ(at(v, "is_en_pinger"), Value::boolean(false));
    EXPECT_EQ(at(v, "is_both_greeter"), Value::boolean(true));
    EXPECT_EQ(at(v, "is_both_pinger"), Value::boolean(true));
    EXPECT_EQ(at(v, "is_table"), Value::boolean(false));
    EXPECT_EQ(at(v, "is_string"), Value::boolean(false));
    EXPECT_EQ(at(v, "is_contract"), Value::boolean(false));
    EXPECT_EQ(at(v, "both_ping"), str("pong"));
    EXPECT_EQ(at(v, "both_greet"), str("Hello, Bo!"));
    EXPECT_EQ(at(v, "instance_tostring"), str("contract instance(test.ct:english)"));
    EXPECT_EQ(at(v, "via_ping"), str("pong"));
    EXPECT_EQ(at(v, "via_greet"), str("NotFound"));
    EXPECT_EQ(at(v, "via_is_greeter"), Value::boolean(true));
    EXPECT_EQ(at(v, "contract_id"), str("Hello, Cy!"));
}

TEST(LuaContractNoProvider, EverythingIsUnavailableButMalformedArguments) {
    static constexpr std::string_view kNone[] = {"contract/none"};
    std::unique_ptr<Runtime> rt = load_fixtures(kNone);
    auto r = rt->call("test.ctc:probe_errors", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    for (const char* name : {"open_no_colon", "open_empty_name", "open_number", "open_bad_escape", "open_empty_key",
                             "open_scope_string", "open_bad_timeout", "get_bad", "impls_bad"})
        EXPECT_EQ(at(v, name), str("Invalid")) << name;
    for (const char* name :
         {"open_missing", "open_function", "open_no_default", "get_missing", "get_binding", "impls_missing"})
        EXPECT_EQ(at(v, name), str("Unavailable")) << name;
    EXPECT_THAT(at(v, "open_missing_message").str, HasSubstr("no contract provider is loaded"));
    EXPECT_EQ(v.find("method_missing"), nullptr);  // nothing opened
}

TEST(LuaContractBrokenBinding, ABindingThatDidNotLoadIsUnavailable) {
    std::unique_ptr<Runtime> rt = make_runtime();
    auto errors = rt->load(fixture("contract/broken"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_THAT(errors[0].format(), HasSubstr("function 'test.ct:missing' not found"));
    auto r = rt->call("test.ct:open_call", args({str("test.ct:english"), str("Ada")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE);
    EXPECT_THAT(r.error->message, HasSubstr("binding 'test.ct:english' did not load"));
    EXPECT_FALSE(r.error->retryable);
}

// examples/registries/contracts: its Lua callers, and swapping the default binding with overrides (-o).
TEST(LuaContractExample, CallersSwapByDefaultBindingOrBindingId) {
    auto greet = [](std::vector<std::string> overrides, const char* id, Value a) {
        modrt::kernel::RuntimeOptions options{.plugin_path = {MODRT_TEST_PLUGIN_DIR}};
        for (const auto& o : overrides) options.overrides.push_back(*modrt::kernel::EntryOverride::parse(o));
        Runtime rt(std::move(options));
        for (const auto& e : rt.load(std::string(MODRT_SOURCE_DIR) + "/examples/registries/contracts"))
            ADD_FAILURE() << e.format();
        auto r = rt.call(id, a);
        return r.ok() ? json(r.value) : r.error->message;
    };
    EXPECT_EQ(greet({}, "app.greet:welcome", args({str("Ada")})), R"("Hello, Ada!")");
    EXPECT_EQ(greet({"app.greet:english_greeter:contracts.0.default=false",
                     "app.greet:french_greeter:contracts.0.default=true"},
                    "app.greet:welcome", args({str("Ada")})),
              R"("Bonjour, Ada !")");
    EXPECT_EQ(greet({}, "app.greet:welcome_with", args({str("app.greet:french_greeter"), str("Ada")})),
              R"("Bonjour, Ada !")");
    EXPECT_EQ(greet({}, "app.greet:welcome_with", args({str("app.greet:english_greeter"), str("Ada")})),
              R"("Hello, Ada!")");
}

// -- permissions (strict security) --

TEST_F(LuaContractSecure, EverythingAllowedInTheFullScope) {
    auto r = call("test.ctc:permissions");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"contract_open":"ok","find_implementations":"ok","french":"ok","get":"ok",)"
                             R"("greet":"ok","greet_async":"ok","implementations":"ok","info":"ok","open":"ok",)"
                             R"("query_call":"ok","with_actor":"ok","with_context":"ok","with_options":"ok",)"
                             R"("with_scope":"ok"})");
}

TEST_F(LuaContractSecure, ContractCallIsCheckedOnTheMethodName) {
    auto r = call("test.ctc:permissions", Value::array(), in_scope("test.ctsec:no_greet"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "greet"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "greet_message"), str("greet: permission denied: contract.call on 'greet' for actor 'service:ct'"));
    EXPECT_EQ(at(v, "greet_retryable"), Value::boolean(false));
    EXPECT_EQ(at(v, "greet_async"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "french"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "info"), str("ok"));
    EXPECT_EQ(at(v, "open"), str("ok"));
}

TEST_F(LuaContractSecure, TheKernelStillChecksFuncsCallOnTheBoundFunction) {
    auto r = call("test.ctc:permissions", Value::array(), in_scope("test.ctsec:no_fn"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "greet"), str("ok"));
    EXPECT_EQ(at(v, "french"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "french_message"),
              str("permission denied: funcs.call on 'test.ct:hello_fr' for actor 'service:ct'"));
}

TEST_F(LuaContractSecure, GetOpenAndImplementationsNeedTheirPermissions) {
    auto r = call("test.ctc:permissions", Value::array(), in_scope("test.ctsec:no_contract"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "get"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "find_implementations"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "open"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "open_message"),
              str("contract.open: permission denied: contract.open on 'test.ct:english' for actor 'service:ct'"));
}

TEST_F(LuaContractSecure, ContractSettingsNeedContractContextAndSecurity) {
    auto r = call("test.ctc:permissions", Value::array(), in_scope("test.ctsec:no_settings"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "with_context"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "with_context_message"),
              str("with_context: permission denied: contract.context on 'context' for actor 'service:ct'"));
    EXPECT_EQ(at(v, "with_actor"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "with_scope"), str("PermissionDenied"));
    EXPECT_EQ(at(v, "with_options"), str("ok"));
    EXPECT_EQ(at(v, "greet"), str("ok"));
    EXPECT_EQ(at(v, "contract_open"), str("ok"));
}

TEST_F(LuaContractSecure, ContextFromAQueryAlsoNeedsFuncsContext) {
    // The kernel checks the caller's funcs.context for every call that sets context values.
    auto r = call("test.ctc:permissions", Value::array(), in_scope("test.ctsec:no_funcs_context"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "greet"), str("ok"));
    EXPECT_EQ(at(r.value, "query_call"), str("PermissionDenied"));
    EXPECT_THAT(at(r.value, "query_message").str, HasSubstr("needs funcs.context on 'context'"));
}

TEST_F(LuaContractSecure, WithActorAndWithScopeReachTheImplementation) {
    auto seen = [](const char* which) {
        auto r = call("test.ctc:identity", args({str(which)}));
        EXPECT_TRUE(r.ok()) << which << ": " << r.error->message;
        if (!r.ok()) return std::string();
        EXPECT_EQ(json(at(r.value, "plain")),
                  R"({"actor":"service:ct","ctx":{},"impl":"fr","scope":"test.ctsec:full"})")
            << which;
        return json(at(r.value, "seen"));
    };
    EXPECT_EQ(seen("actor"), R"({"actor":"user:9","ctx":{},"impl":"fr","scope":"test.ctsec:full"})");
    EXPECT_EQ(seen("actor_value"), R"({"actor":"user:10","ctx":{},"impl":"fr","scope":"test.ctsec:full"})");
    EXPECT_EQ(seen("scope"), R"({"actor":"service:ct","ctx":{},"impl":"fr","scope":"test.ctsec:other"})");
    EXPECT_EQ(seen("scope_value"), R"({"actor":"service:ct","ctx":{},"impl":"fr","scope":"test.ctsec:other"})");
    EXPECT_EQ(seen("both"), R"({"actor":"user:11","ctx":{},"impl":"fr","scope":"test.ctsec:other"})");
}

TEST_F(LuaContractSecure, WippysDocumentedExamples) {
    CallOptions o;
    o.context = map({{"request_id", str("req-7")}});
    auto r = call("test.ctc:docs", Value::array(), o);
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "open"), str("Hello, Alice!"));
    EXPECT_EQ(json(at(v, "scope")), R"({"region":"us-east","request_id":"req-7","tenant_id":"acme"})");
    EXPECT_EQ(json(at(v, "query")), R"({"debug":true,"request_id":"req-7","timeout":5000})");
    EXPECT_EQ(at(v, "options"), Value::integer(3));
    EXPECT_EQ(at(v, "id"), str("test.ct:greeter"));
    EXPECT_EQ(json(at(v, "methods")), R"(["greet: Greets someone by name","info: What the implementation sees"])");
    EXPECT_EQ(at(v, "method"), str("greet"));
    EXPECT_EQ(json(at(v, "bindings")), R"(["test.ct:english","test.ct:french","test.ct:both"])");
    EXPECT_EQ(at(v, "implementations"), Value::integer(3));
    EXPECT_EQ(at(v, "is"), str("Hello, World!"));
    EXPECT_EQ(json(at(v, "calculator")), "[30,30]");
    EXPECT_EQ(at(v, "async"), str("Hello, Async!"));
    EXPECT_EQ(at(v, "via_default"), str("Hello, D!"));
    EXPECT_EQ(at(v, "via_binding"), str("Bonjour, B !"));
    EXPECT_EQ(json(at(v, "via_scope")), R"({"request_id":"req-7","user_id":123})");
    EXPECT_EQ(at(v, "via_both"), str("fr"));
    EXPECT_EQ(json(at(v, "with_context")), R"({"request_id":"req-7","user_id":"user:42"})");
    EXPECT_EQ(at(v, "with_options"), Value::integer(3));
    EXPECT_EQ(json(at(v, "security")), R"({"actor":"service:ct","scope":"test.ctsec:full"})");
}

}  // namespace
