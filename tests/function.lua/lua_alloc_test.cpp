// A synchronous funcs.call from Lua to Lua, both inline, with scalar arguments allocates
// nothing: not in the kernel, not in the plugin, not in Lua's allocator. Its own executable:
// it replaces malloc and friends to count every allocation of this thread
// (tests/support/allocation_counter.hpp).
#include "lua_test_util.hpp"
#include "support/allocation_counter.hpp"

using namespace lua_test;

namespace {

struct NestedFixture {
    static constexpr std::string_view dirs[] = {"nested_calls"};
};
using LuaNestedCost = SharedRuntime<NestedFixture>;

// Allocations of one top-level call of `id` with `n`, its result checked.
size_t allocations_of(Runtime& rt, std::string_view id, int64_t n, int64_t expect) {
    Value a = args({Value::integer(n)});
    size_t allocations = 0;
    CallResult r;
    {
        modrt::test::AllocationCount counted;
        r = rt.call(id, a);
        allocations = counted.count();
    }
    EXPECT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::integer(expect));
    return allocations;
}

// The top-level call allocates (its result, the slots of the nested level); each of the
// nested calls adds nothing, so 1000 more of them cost what 10 do.
TEST_F(LuaNestedCost, ANestedCallWithScalarsAllocatesNothing) {
    // Loads both methods on this thread, and lets the JIT compile the loop (compiling allocates).
    allocations_of(*rt_, "test.nested:loop", 1010, 1010 * 1011 / 2 + 1010);
    size_t few = allocations_of(*rt_, "test.nested:loop", 10, 65);
    size_t many = allocations_of(*rt_, "test.nested:loop", 1010, 1010 * 1011 / 2 + 1010);
    EXPECT_EQ(many, few) << "allocations per nested call: " << static_cast<double>(many - few) / 1000;
    // The counter sees what the call path allocates: the top-level call does.
    EXPECT_GT(few, 0u);
}

TEST_F(LuaNestedCost, AStringArgumentAndABooleanResultAllocateNothing) {
    allocations_of(*rt_, "test.nested:loop_strings", 1010, 1010);
    size_t few = allocations_of(*rt_, "test.nested:loop_strings", 10, 10);
    size_t many = allocations_of(*rt_, "test.nested:loop_strings", 1010, 1010);
    EXPECT_EQ(many, few) << "allocations per nested call: " << static_cast<double>(many - few) / 1000;
}

}  // namespace
