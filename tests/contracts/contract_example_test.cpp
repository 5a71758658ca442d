// examples/registries/contracts: it loads, its functions run, its bindings swap the
// implementation, its contract checks the calls.
#include "contract_test_util.hpp"

namespace ct {
namespace {

using ::testing::HasSubstr;

class ContractExample : public ::testing::Test {
protected:
    void SetUp() override {
        rt_ = std::make_unique<Runtime>(modrt::kernel::RuntimeOptions{{fs::path(MODRT_TEST_PLUGIN_DIR)}});
        std::string all;
        for (const auto& e : rt_->load(fs::path(MODRT_SOURCE_DIR) / "examples/registries/contracts"))
            all += e.format() + "\n";
        ASSERT_EQ(all, "");
    }
    std::unique_ptr<Runtime> rt_;
};

TEST_F(ContractExample, TheImplementationsRun) {
    CallResult r = rt_->call("app.greet:english", args(R"(["Ada"])"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.str, "Hello, Ada!");
    r = rt_->call("app.greet:french", args(R"(["Ada"])"));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.str, "Bonjour, Ada !");
}

TEST_F(ContractExample, TheBindingsPickTheImplementation) {
    EXPECT_EQ(resolve(*rt_, "app.greet:greeter", "greet").value.str, "app.greet:english");
    EXPECT_EQ(resolve(*rt_, "app.greet:english_greeter", "greet").value.str, "app.greet:english");
    EXPECT_EQ(resolve(*rt_, "app.greet:french_greeter", "greet").value.str, "app.greet:french");
}

TEST_F(ContractExample, TheContractChecksTheCalls) {
    for (const char* fn : {"app.greet:english", "app.greet:french"}) {
        CallResult r = rt_->call(fn, args("[42]"));
        ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID) << fn;
        EXPECT_THAT(r.error->message, HasSubstr("expected string, got integer (type)"));
        r = rt_->call(fn, args(R"([""])"));
        ASSERT_EQ(kind_of(r), MODRT_ERR_INVALID) << fn;
        EXPECT_THAT(r.error->message, HasSubstr("(minLength)"));
    }
}

TEST_F(ContractExample, Describe) {
    CallResult d = rt_->describe_contracts();
    ASSERT_TRUE(d.ok()) << d.error->message;
    const Value* impls = d.value.find("app.greet:greeter")->find("implementations");
    ASSERT_NE(impls, nullptr);
    ASSERT_EQ(impls->items.size(), 2u);
    EXPECT_EQ(impls->items[0].find("binding")->str, "app.greet:english_greeter");
    EXPECT_TRUE(impls->items[0].find("default")->scalar.b);
    EXPECT_EQ(impls->items[1].find("binding")->str, "app.greet:french_greeter");
}

}  // namespace
}  // namespace ct
