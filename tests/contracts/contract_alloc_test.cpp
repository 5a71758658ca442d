// Validating a covered call with valid input allocates nothing (the provider's fast path).
// Counts this thread's allocations (tests/support/allocation_counter.hpp), the plugin's too.
#include "contract_test_util.hpp"
#include "support/allocation_counter.hpp"

namespace ct {
namespace {

TEST(ContractCost, ValidInputAndOutputAllocateNothing) {
    Loaded l = load_ok("version: \"1.0\"\nnamespace: app\nentries:\n" + native("f", "echo") + native("g", "echo"));
    DirectPlugin p(*l.rt);
    ASSERT_EQ(p.add("app:c", "contract.definition", R"({"methods": [{"name": "m",
        "input_schemas": [{"format": "application/schema+json", "definition":
            {"type": "object", "required": ["id", "tags"], "additionalProperties": false,
             "properties": {"id": {"type": "integer", "minimum": 1}, "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
                            "who": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 10}}}}}}],
        "output_schemas": [{"format": "application/schema+json", "definition": {"type": "string"}}]}]})"),
              "");
    ASSERT_EQ(p.add("app:b", "contract.binding",
                    R"({"contracts": [{"contract": "app:c", "methods": {"m": "app:f"}}]})"),
              "");
    ASSERT_EQ(p.finish(), "[]");
    Value in = args(R"([{"id": 3, "tags": ["a", "b", "a"], "who": {"name": "Ada"}}])");
    Value out = json(R"("fine")");
    Value bad = args(R"([{"id": 0, "tags": []}])");
    // Warm up (lazy statics), then count.
    ASSERT_FALSE(p.validate_input("app:f", in));
    bool ok = true;
    size_t allocations = 0;
    {
        modrt::test::AllocationCount counted;
        for (int i = 0; i < 100; ++i) {
            ok &= p.validate_input("app:f", in) == nullptr;
            ok &= p.validate_output("app:f", out) == nullptr;
            ok &= p.validate_input("app:g", bad) == nullptr;  // not covered
            ok &= p.covers("app:f");
        }
        allocations = counted.count();
    }
    EXPECT_TRUE(ok);
    EXPECT_EQ(allocations, 0u);
    // The counter does see the plugin's allocations: an invalid input builds its error.
    {
        modrt::test::AllocationCount counted;
        ok = p.validate_input("app:f", bad) != nullptr;
        allocations = counted.count();
    }
    EXPECT_TRUE(ok);
    EXPECT_GT(allocations, 0u);
}

}  // namespace
}  // namespace ct
