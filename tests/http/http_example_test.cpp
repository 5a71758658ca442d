// examples/registries/http, served as written (but on a port the OS picks): its Lua
// handlers answer through the `http` module, its admin router checks tokens and policies.
#include "http_fixture.hpp"

#include <nlohmann/json.hpp>

namespace {

using namespace http_test;
using nlohmann::json;

TEST(HttpExample, ServesItsLuaHandlers) {
    RuntimeOptions o{{fs::path(MODRT_TEST_PLUGIN_DIR)}};
    o.overrides.push_back({"app.http:gateway", "addr", "127.0.0.1:0"});
    Runtime rt(o);
    std::string errors;
    for (const auto& e : rt.load(fs::path(MODRT_SOURCE_DIR) / "examples/registries/http")) errors += e.format() + "\n";
    ASSERT_EQ(errors, "");
    auto started = rt.start_triggers();
    ASSERT_TRUE(started.empty()) << started[0].format();
    const std::string addr = rt.triggers().at(0).listen.at(0);
    auto port = static_cast<unsigned short>(std::stoi(addr.substr(addr.rfind(':') + 1)));

    auto hello = fetch(port, "GET", "/api/hello?name=Ada");
    ASSERT_TRUE(hello);
    EXPECT_EQ(hello->status, 200);
    EXPECT_EQ(hello->body, "hello Ada\n");

    auto user = fetch(port, "GET", "/api/users/42");
    ASSERT_TRUE(user);
    EXPECT_EQ(user->status, 200);
    EXPECT_EQ(json::parse(user->body), json::parse(R"({"id":"42","name":"user 42"})"));

    auto created = fetch(port, "POST", "/api/users", {{"Content-Type", "application/json"}}, R"({"name":"Ada"})");
    ASSERT_TRUE(created);
    EXPECT_EQ(created->status, 201);
    EXPECT_EQ(json::parse(created->body), json::parse(R"({"created":{"name":"Ada"}})"));

    auto file = fetch(port, "GET", "/api/files/docs/readme.md");
    ASSERT_TRUE(file);
    EXPECT_EQ(json::parse(file->body)["path"], "docs/readme.md");

    auto denied = fetch(port, "GET", "/admin/stats");
    ASSERT_TRUE(denied);
    EXPECT_EQ(denied->status, 403);
    auto admin = fetch(port, "GET", "/admin/stats", {{"Authorization", "Bearer admin-token"}});
    ASSERT_TRUE(admin);
    EXPECT_EQ(admin->status, 200);
    rt.stop_triggers();
}

}  // namespace
