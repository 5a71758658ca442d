// Validating a covered call with valid input allocates nothing (the provider's fast path).
// Counts operator new on this thread while the flag is up; the plugin's allocations reach
// this replacement because the executable exports it (ENABLE_EXPORTS).
#include "contract_test_util.hpp"

#include <cstdlib>
#include <new>

namespace {
thread_local bool g_counting = false;
thread_local size_t g_allocations = 0;
}  // namespace

void* operator new(size_t size) {
    if (g_counting) ++g_allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

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
    g_allocations = 0;
    g_counting = true;
    bool ok = true;
    for (int i = 0; i < 100; ++i) {
        ok &= p.validate_input("app:f", in) == nullptr;
        ok &= p.validate_output("app:f", out) == nullptr;
        ok &= p.validate_input("app:g", bad) == nullptr;  // not covered
        ok &= p.covers("app:f");
    }
    g_counting = false;
    EXPECT_TRUE(ok);
    EXPECT_EQ(g_allocations, 0u);
    // The counter does see the plugin's allocations: an invalid input builds its error.
    g_counting = true;
    EXPECT_TRUE(p.validate_input("app:f", bad));
    g_counting = false;
    EXPECT_GT(g_allocations, 0u);
}

}  // namespace
}  // namespace ct
