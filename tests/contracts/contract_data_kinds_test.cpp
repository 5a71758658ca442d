// Data kinds (the SDK's DataKind, provide_data_kind): contract.definition, contract.binding,
// security.policy and library.lua hand the kernel a kind table without invoke, and the
// kernel refuses to call their entries with a clear error.
#include "contract_test_util.hpp"

#include <dlfcn.h>

#include <string>
#include <vector>

namespace ct {
namespace {

using ::testing::HasSubstr;

struct DkKind {
    const char* plugin;  // file name in the plugin directory
    const char* kind;
};

constexpr DkKind kDkKinds[] = {{"contract.so", "contract.definition"},
                               {"contract.so", "contract.binding"},
                               {"security.policy.so", "security.policy"},
                               {"security.policy.so", "security.policy.expr"},
                               {"function.lua.so", "library.lua"}};

// The kind table `kind` of plugin file `plugin`, read from its descriptor (never dlclosed:
// the kernel may hold the same library).
const modrt_kind_api* dk_table(const char* plugin, std::string_view kind) {
    const std::string path = std::string(MODRT_TEST_PLUGIN_DIR) + "/" + plugin;
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    EXPECT_NE(lib, nullptr) << dlerror();
    if (lib == nullptr) return nullptr;
    auto entry = reinterpret_cast<modrt_plugin_entry_fn>(dlsym(lib, MODRT_PLUGIN_ENTRY_SYMBOL));
    EXPECT_NE(entry, nullptr) << path;
    if (entry == nullptr) return nullptr;
    const modrt_plugin_descriptor* d = entry();
    for (size_t i = 0; i < d->provides_count; ++i)
        if (d->provides[i].type == MODRT_EXT_FUNCTION_KIND && d->provides[i].name == kind)
            return static_cast<const modrt_kind_api*>(d->provides[i].api);
    ADD_FAILURE() << path << " provides no kind " << kind;
    return nullptr;
}

TEST(DataKinds, TheirTablesHaveNoInvoke) {
    for (const DkKind& k : kDkKinds) {
        const modrt_kind_api* t = dk_table(k.plugin, k.kind);
        ASSERT_NE(t, nullptr) << k.kind;
        EXPECT_EQ(t->invoke, nullptr) << k.kind;
        EXPECT_NE(t->entry_create, nullptr) << k.kind;
        EXPECT_NE(t->entry_destroy, nullptr) << k.kind;
    }
    // A callable kind of the same plugin keeps its invoke.
    const modrt_kind_api* lua = dk_table("function.lua.so", "function.lua");
    ASSERT_NE(lua, nullptr);
    EXPECT_NE(lua->invoke, nullptr);
}

TEST(DataKinds, CallingAnEntryFailsClearly) {
    Loaded l = load_files({{"registry.yaml", "version: \"1.0\"\nnamespace: app\nentries:\n"
                                             "  - name: greeter\n    kind: contract.definition\n"
                                             "    methods: [{name: greet}]\n"
                                             "  - name: english\n    kind: contract.binding\n    contracts:\n"
                                             "      - contract: greeter\n        methods: {greet: en}\n"
                                             "  - name: everyone\n    kind: security.policy\n"
                                             "    policy: {actions: \"*\", resources: \"*\", effect: allow}\n"
                                             "  - name: lib\n    kind: library.lua\n    source: file://lib.lua\n" +
                                                 native("en", "greet_en")},
                           {"lib.lua", "return {answer = 42}\n"}});
    EXPECT_EQ(l.errors, "");
    const std::vector<std::pair<std::string, std::string>> entries = {{"app:greeter", "contract.definition"},
                                                                      {"app:english", "contract.binding"},
                                                                      {"app:everyone", "security.policy"},
                                                                      {"app:lib", "library.lua"}};
    for (const auto& [id, kind] : entries) {
        CallResult r = l.rt->call(id, args("[]"));
        ASSERT_FALSE(r.ok()) << id;
        EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID) << id;
        EXPECT_EQ(r.error->message, "'" + id + "' is a " + kind + " entry and cannot be called");
    }
    // The data is in force all the same: the binding resolves, the policy is in its provider.
    CallResult fn = resolve(*l.rt, "app:english", "greet");
    ASSERT_TRUE(fn.ok()) << fn.error->message;
    EXPECT_EQ(fn.value.str, "app:en");
    Value policies;
    modrt_error* err = l.rt->host_api().security_scope_policies(l.rt->handle(), {"[app:everyone]", 14}, &policies);
    modrt::kernel::ErrorPtr owned(err);
    ASSERT_EQ(err, nullptr) << err->message;
    EXPECT_EQ(to_json(policies), R"(["app:everyone"])");
}

}  // namespace
}  // namespace ct
