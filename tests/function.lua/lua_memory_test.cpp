// function.lua: the per-state memory limit (plugin.config memory_limit), and
// plugin.config entries themselves.
#include "lua_test_util.hpp"

#include <array>

using namespace lua_test;

class LuaMemory : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        rt_ = load_fixtures(std::array<std::string_view, 1>{"memory"}, load_errors_);
    }
    static void TearDownTestSuite() { rt_.reset(); }
    // Not from SetUpTestSuite: GoogleTest would skip the tests, and CTest pass them.
    void SetUp() override { ASSERT_EQ(load_errors_, ""); }
    static inline std::string load_errors_;
    static void expect_out_of_memory(std::string_view id) {
        CallResult r = rt_->call(id, Value::array());
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error->kind, MODRT_ERR_INTERNAL);
        EXPECT_NE(r.error->message.find("ran out of Lua memory (memory_limit 8388608 bytes per Lua state)"),
                  std::string::npos)
            << r.error->message;
    }
    static void expect_allocates(std::string_view id, int mb) {
        CallResult r = rt_->call(id, args({Value::integer(mb)}));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value, Value::integer(mb));
    }
    static inline std::unique_ptr<Runtime> rt_;
};

namespace {

std::string load_errors(std::string_view dir) {
    auto rt = make_runtime();
    std::string out;
    for (const auto& e : rt->load(fixture(dir))) out += e.format() + "\n";
    return out;
}

}  // namespace

TEST_F(LuaMemory, UnboundedAllocationFailsTheCallWithAClearError) { expect_out_of_memory("mem:hog"); }

TEST_F(LuaMemory, StateIsUsableAgainAfterRunningOut) {
    for (int round = 0; round < 3; ++round) {
        expect_out_of_memory("mem:hog");
        expect_allocates("mem:alloc", 4);  // half the limit: the garbage of the failed call is gone
    }
}

TEST_F(LuaMemory, WorkerIsUsableAgainAfterRunningOut) {
    for (int round = 0; round < 3; ++round) {
        expect_out_of_memory("mem:hog_on_worker");
        expect_allocates("mem:alloc_on_worker", 4);
    }
}

TEST_F(LuaMemory, AFunctionMayCatchRunningOut) {
    CallResult r = rt_->call("mem:catch_oom", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "ok"), Value::boolean(false));
    EXPECT_NE(at(r.value, "err").str.find("not enough memory"), std::string::npos) << at(r.value, "err").str;
    expect_allocates("mem:alloc", 4);
}

TEST(LuaMemoryDefault, SixtyFourMegabytesByDefault) {
    auto rt = make_runtime();
    for (const auto& e : rt->load(fixture("memory_default"))) ADD_FAILURE() << e.format();
    // No plugin.config: 16 MiB of live strings fit under the 64 MiB default.
    CallResult r = rt->call("mem:alloc", args({Value::integer(16)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::integer(16));
}

TEST(LuaPluginConfig, UnknownSettingFailsThePluginsInitialisation) {
    std::string e = load_errors("bad_memory_config");
    EXPECT_NE(e.find("function.lua config: unknown setting 'stack_size' (known: memory_limit)"), std::string::npos)
        << e;
}
