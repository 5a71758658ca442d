// Describing one binding (abi.h minor 5): the host verb contract_describe_binding through
// the kernel and the real contract plugin, and the kernel's answer for a provider built
// before minor 5 (no describe_binding in its table: derived from describe).
#include "contract_test_util.hpp"

#include "providers/contract/contract_binding.hpp"

#include <cstddef>
#include <cstring>

namespace ct {
namespace {

using ::testing::HasSubstr;

const std::string kCdbHead = "version: \"1.0\"\nnamespace: app\nentries:\n";

// Two contracts, three functions and two bindings: `english` (greeter's default) and `both`
// (pinger's default, then greeter), with context keys at the binding and at an item.
const std::string kCdbRegistry = kCdbHead + R"(  - name: greeter
    kind: contract.definition
    methods: [{name: greet}, {name: farewell}]
  - name: pinger
    kind: contract.definition
    methods: [{name: ping}]
  - name: lonely
    kind: contract.definition
    methods: [{name: m}]
  - name: english
    kind: contract.binding
    contracts:
      - contract: greeter
        default: true
        methods: {greet: en, farewell: bye}
  - name: both
    kind: contract.binding
    context_required: [tenant]
    contracts:
      - contract: pinger
        default: true
        methods: {ping: ping}
        context_required: [region]
      - contract: greeter
        methods: {greet: fr, farewell: bye}
)" + native("en", "greet_en") + native("fr", "greet_fr") +
                                 native("bye", "echo") + native("ping", "count");

const char* kCdbBoth = R"({"binding": "app:both", "contracts": [
    {"contract": "app:pinger", "default": true, "methods": {"ping": "app:ping"}, "context_required": ["tenant", "region"]},
    {"contract": "app:greeter", "default": false, "methods": {"greet": "app:fr", "farewell": "app:bye"},
     "context_required": ["tenant"]}]})";

const char* kCdbEnglish = R"({"binding": "app:english", "default_of": "app:greeter", "contracts": [
    {"contract": "app:greeter", "default": true, "methods": {"greet": "app:en", "farewell": "app:bye"},
     "context_required": []}]})";

/// contract_describe_binding through the host API, as function.lua's contract.open calls it.
CallResult cdb_describe(Runtime& rt, std::string_view id) {
    CallResult r;
    r.error.reset(rt.host_api().contract_describe_binding(rt.handle(), {id.data(), id.size()}, &r.value));
    return r;
}

}  // namespace

class CdbDescribing : public ::testing::Test {
protected:
    static void SetUpTestSuite() { loaded_ = std::make_unique<Loaded>(load(kCdbRegistry)); }
    static void TearDownTestSuite() { loaded_.reset(); }
    // Not from SetUpTestSuite: GoogleTest would skip the tests, and CTest pass them.
    void SetUp() override { ASSERT_EQ(loaded_->errors, ""); }
    static Runtime& rt() { return *loaded_->rt; }
    static inline std::unique_ptr<Loaded> loaded_;
};

TEST_F(CdbDescribing, TheHostTableHasTheVerb) {
    const modrt_host_api& h = rt().host_api();
    EXPECT_GE(h.abi_minor, 5u);
    ASSERT_GE(h.struct_size, offsetof(modrt_host_api, contract_describe_binding) + sizeof(void*));
    EXPECT_NE(h.contract_describe_binding, nullptr);
}

TEST_F(CdbDescribing, ABindingWithItsContractsMethodsAndContextKeys) {
    CallResult d = cdb_describe(rt(), "app:both");
    ASSERT_TRUE(d.ok()) << d.error->message;
    // In the binding's order (not the contracts' ids); the binding's keys come before the item's.
    EXPECT_EQ(to_json(d.value), to_json(json(kCdbBoth)));
}

TEST_F(CdbDescribing, AContractIdDescribesItsDefaultBinding) {
    CallResult d = cdb_describe(rt(), "app:greeter");
    ASSERT_TRUE(d.ok()) << d.error->message;
    EXPECT_EQ(to_json(d.value), to_json(json(kCdbEnglish)));
    d = cdb_describe(rt(), "app:pinger");
    ASSERT_TRUE(d.ok()) << d.error->message;
    EXPECT_EQ(d.value.find("binding")->str, "app:both");
    EXPECT_EQ(d.value.find("default_of")->str, "app:pinger");
}

TEST_F(CdbDescribing, ContextRequiredRoundTripsFromTheRegistry) {
    CallResult d = cdb_describe(rt(), "app:both");
    ASSERT_TRUE(d.ok()) << d.error->message;
    const Value& items = *d.value.find("contracts");
    ASSERT_EQ(items.items.size(), 2u);
    EXPECT_EQ(to_json(*items.items[0].find("context_required")), R"(["tenant","region"])");
    EXPECT_EQ(to_json(*items.items[1].find("context_required")), R"(["tenant"])");
    // The same keys the whole catalog (contract_describe) gives for the binding.
    CallResult all = rt().describe_contracts();
    ASSERT_TRUE(all.ok()) << all.error->message;
    for (const Value& impl : all.value.find("app:pinger")->find("implementations")->items) {
        if (impl.find("binding")->str == "app:both") {
            EXPECT_EQ(to_json(*impl.find("context_required")), to_json(*items.items[0].find("context_required")));
        }
    }
}

TEST_F(CdbDescribing, Errors) {
    CallResult r = cdb_describe(rt(), "app:nothing");
    EXPECT_EQ(kind_of(r), MODRT_ERR_NOT_FOUND);
    EXPECT_EQ(r.error->message, "no contract or binding 'app:nothing'");
    r = cdb_describe(rt(), "app:en");  // a function is neither
    EXPECT_EQ(kind_of(r), MODRT_ERR_NOT_FOUND);
    r = cdb_describe(rt(), "app:lonely");
    EXPECT_EQ(kind_of(r), MODRT_ERR_NOT_FOUND);
    EXPECT_THAT(r.error->message, HasSubstr("contract 'app:lonely' has no default binding"));
    for (const char* bad : {"both", "", "app:", ":both", "a:b:c"})
        EXPECT_EQ(kind_of(cdb_describe(rt(), bad)), MODRT_ERR_INVALID) << bad;
}

TEST(CdbDescribe, ABrokenBindingIsUnavailable) {
    Loaded l = load(kCdbRegistry + "  - name: half\n    kind: contract.binding\n    contracts:\n"
                                   "      - contract: greeter\n        methods: {greet: en}\n");
    EXPECT_THAT(l.errors, HasSubstr("method 'farewell' of contract 'app:greeter' is not bound"));
    CallResult r = cdb_describe(*l.rt, "app:half");
    EXPECT_EQ(kind_of(r), MODRT_ERR_UNAVAILABLE);
    EXPECT_THAT(r.error->message, HasSubstr("binding 'app:half' did not load"));
    EXPECT_FALSE(r.error->retryable);
}

TEST(CdbDescribe, ABindingWhoseImplementationDidNotLoad) {
    // app:ghost is a function.native entry whose symbol the library lacks: a registry error of its own.
    const std::string yaml = kCdbRegistry + native("ghost", "no_such_symbol") +
                             "  - name: haunted\n    kind: contract.binding\n    contracts:\n"
                             "      - contract: pinger\n        methods: {ping: ghost}\n";
    Loaded l = load(yaml);
    EXPECT_THAT(l.errors, HasSubstr("entry 'app:ghost': symbol 'no_such_symbol' not found"));
    EXPECT_EQ(std::count(l.errors.begin(), l.errors.end(), '\n'), 1) << l.errors;
    // The entry exists, so the binding is in force and describes the function it names...
    CallResult r = cdb_describe(*l.rt, "app:haunted");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(to_json(r.value), to_json(json(R"({"binding": "app:haunted", "contracts": [
        {"contract": "app:pinger", "default": false, "methods": {"ping": "app:ghost"}, "context_required": []}]})")));
    // ...and calling that function says why it cannot run.
    CallResult call = l.rt->call("app:ghost", args("[]"));
    ASSERT_FALSE(call.ok());
    EXPECT_THAT(call.error->message, HasSubstr("no_such_symbol"));
}

TEST(CdbDescribe, UnavailableWithoutAContractProvider) {
    Loaded l = load_ok(kCdbHead + native("en", "greet_en"));
    CallResult r = cdb_describe(*l.rt, "app:english");
    EXPECT_EQ(kind_of(r), MODRT_ERR_UNAVAILABLE);
    EXPECT_THAT(r.error->message, HasSubstr("no contract provider is loaded"));
}

// -- the contract plugin's own table, and a provider built before minor 5 --

/// The contract plugin driven directly with the registry's bindings.
class CdbDirect : public ::testing::Test {
protected:
    void SetUp() override {
        loaded_ = load_ok(kCdbHead + native("en", "greet_en") + native("fr", "greet_fr") + native("bye", "echo") +
                          native("ping", "count"));
        plugin_ = std::make_unique<DirectPlugin>(*loaded_.rt);
        EXPECT_EQ(plugin_->add("app:greeter", "contract.definition",
                               R"({"methods": [{"name": "greet"}, {"name": "farewell"}]})"),
                  "");
        EXPECT_EQ(plugin_->add("app:pinger", "contract.definition", R"({"methods": [{"name": "ping"}]})"), "");
        EXPECT_EQ(plugin_->add("app:english", "contract.binding",
                               R"({"contracts": [{"contract": "greeter", "default": true,
                                   "methods": {"greet": "en", "farewell": "bye"}}]})"),
                  "");
        EXPECT_EQ(plugin_->add("app:both", "contract.binding",
                               R"({"context_required": ["tenant"], "contracts": [
                                   {"contract": "pinger", "default": true, "methods": {"ping": "ping"},
                                    "context_required": ["region"]},
                                   {"contract": "greeter", "methods": {"greet": "fr", "farewell": "bye"}}]})"),
                  "");
        EXPECT_EQ(plugin_->finish(), "[]");
    }
    void TearDown() override { plugin_.reset(); }

    /// describe_binding as the kernel answers it for `table` (a copy of the plugin's, maybe cut short).
    CallResult kernel_describe(const modrt_contract_api& table, std::string_view id) const {
        CallResult r;
        r.error.reset(modrt::kernel::describe_binding_of(table, plugin_->state(), {id.data(), id.size()}, &r.value));
        return r;
    }
    /// The plugin's table as a minor-4 kernel catalog copies it: struct_size stops before describe_binding.
    modrt_contract_api minor4_table() const {
        modrt_contract_api t{};
        std::memcpy(&t, &plugin_->contract_api(), offsetof(modrt_contract_api, describe_binding));
        t.struct_size = offsetof(modrt_contract_api, describe_binding);
        return t;
    }

    Loaded loaded_;
    std::unique_ptr<DirectPlugin> plugin_;
};

TEST_F(CdbDirect, ThePluginProvidesTheHook) {
    const modrt_contract_api& t = plugin_->contract_api();
    ASSERT_GE(t.struct_size, offsetof(modrt_contract_api, describe_binding) + sizeof(void*));
    ASSERT_NE(t.describe_binding, nullptr);
    CallResult r;
    r.error.reset(t.describe_binding(plugin_->state(), {"app:both", 8}, &r.value));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(to_json(r.value), to_json(json(kCdbBoth)));
}

TEST_F(CdbDirect, AnOlderProvidersTableIsAnsweredFromDescribe) {
    const modrt_contract_api old = minor4_table();
    // A binding: the same description, its items in describe's order (by contract id).
    CallResult r = kernel_describe(old, "app:both");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(to_json(r.value), to_json(json(R"({"binding": "app:both", "contracts": [
        {"contract": "app:greeter", "default": false, "methods": {"greet": "app:fr", "farewell": "app:bye"},
         "context_required": ["tenant"]},
        {"contract": "app:pinger", "default": true, "methods": {"ping": "app:ping"},
         "context_required": ["tenant", "region"]}]})")));
    // A contract id: its default binding, as the plugin's own hook gives it.
    r = kernel_describe(old, "app:greeter");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(to_json(r.value), to_json(json(kCdbEnglish)));
    // The same errors.
    EXPECT_EQ(kind_of(kernel_describe(old, "app:nothing")), MODRT_ERR_NOT_FOUND);
    // A table with the hook: the plugin answers (in the binding's order).
    r = kernel_describe(plugin_->contract_api(), "app:both");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(to_json(r.value), to_json(json(kCdbBoth)));
}

TEST_F(CdbDirect, AnOlderProviderWithoutDescribeIsUnavailable) {
    modrt_contract_api old = minor4_table();
    old.describe = nullptr;
    CallResult r = kernel_describe(old, "app:both");
    EXPECT_EQ(kind_of(r), MODRT_ERR_UNAVAILABLE);
    EXPECT_THAT(r.error->message, HasSubstr("does not describe bindings"));
}

}  // namespace ct
