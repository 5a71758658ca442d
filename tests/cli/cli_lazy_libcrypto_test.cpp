// function.lua opens OpenSSL's libcrypto only when a module needs it (hash, uuid, base64;
// plugins/function.lua/modules/crypto/libcrypto.hpp): a cold `modrt call` of a function
// that uses none of them maps no libcrypto at all. Seen through the dynamic linker's own
// report of the files it loads (LD_DEBUG=files), on the real CLI and real plugins.
#include "subprocess.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

modrt::test::ProcessResult call_traced(const std::vector<std::string>& args) {
    std::vector<std::string> argv{MODRT_CLI, "call"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--log-level", "error"});
    modrt::test::ProcessOptions options;
    options.env["LD_DEBUG"] = "files";  // ld.so lists every object it loads, on stderr
    options.env["MODRT_PLUGIN_PATH"] = std::nullopt;
    return modrt::test::run_process(argv, options);
}

std::string dump(const modrt::test::ProcessResult& r) {
    return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
}

}  // namespace

TEST(CliLazyLibcrypto, ACallThatUsesNoCryptoModuleNeverLoadsIt) {
    auto r = call_traced({CLI_HELLO_REGISTRY, "app.api:greet", "\"Ada\""});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
    EXPECT_THAT(r.err, HasSubstr("function.lua.so"));  // the trace works: the plugin is in it
    EXPECT_THAT(r.err, Not(HasSubstr("libcrypto"))) << dump(r);
}

TEST(CliLazyLibcrypto, RequiringHashLoadsItAndHashes) {
    fs::path dir = fs::temp_directory_path() / ("modrt-lazy-crypto-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "digest.lua") << "local hash = require(\"hash\")\n"
                                         "return { run = function(s) return hash.sha256(s) end }\n";
    std::ofstream(dir / "registry.yaml") << "version: \"1.0\"\nnamespace: app\nentries:\n"
                                            "  - {name: digest, kind: function.lua, source: file://digest.lua,\n"
                                            "     method: run, modules: [hash]}\n";
    auto r = call_traced({dir.string(), "app:digest", "\"abc\""});
    fs::remove_all(dir);
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"\n");
    EXPECT_THAT(r.err, HasSubstr("libcrypto.so.3"));
}
