// What the http tests share: a real Runtime loading the real http plugin (and, where a test
// asks, security.policy) from a registry written per test, with the native handlers of
// http_handlers.cpp, started with start_triggers() and read back through triggers().
#pragma once

#include "http_client.hpp"
#include "support/scratch_registry.hpp"
#include "support/await_started.hpp"

#include <modrt/kernel/runtime.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

namespace http_test {

namespace fs = std::filesystem;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;

/// The handlers as function.native entries of namespace `app`.
inline std::string handler_entries() {
    std::string out;
    for (const char* name :
         {"hello", "inspect", "echo_json", "fail", "wait_cancel", "slow", "stream", "refusals", "records"})
        out += std::string("  - {name: ") + name + ", kind: function.native, source: file://@LIB@, method: " + name +
               "}\n";
    return out;
}

class HttpTest : public ::testing::Test {
protected:
    /// Load `entries` (YAML list items of namespace `app`) after the handler entries; returns
    /// the registry errors, formatted ("" when none).
    std::string load(const std::string& entries) {
        RuntimeOptions o{{fs::path(MODRT_TEST_PLUGIN_DIR)}};
        o.source_roots = {fs::path(HTTP_HANDLERS_LIB).parent_path()};
        rt = std::make_unique<Runtime>(o);
        fs::path dir = modrt::test::scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
        std::ofstream(dir / "registry.yaml")
            << modrt::test::with_lib("version: \"1.0\"\nnamespace: app\nentries:\n" + handler_entries() + entries,
                                     HTTP_HANDLERS_LIB);
        std::string out;
        for (const auto& e : rt->load(dir)) out += e.format() + "\n";
        return out;
    }

    /// Load, start, and return the port the first http.service listens on (0 on failure).
    unsigned short serve(const std::string& entries) {
        std::string errors = load(entries);
        EXPECT_EQ(errors, "");
        if (!errors.empty()) return 0;
        auto started = rt->start_triggers();
        EXPECT_TRUE(started.empty()) << (started.empty() ? "" : started[0].format());
        if (!started.empty()) return 0;
        return port_of(0);
    }

    /// The port trigger `index` reported in its listen address.
    unsigned short port_of(size_t index) {
        auto triggers = rt->triggers();
        if (index >= triggers.size() || triggers[index].listen.empty()) return 0;
        const std::string& addr = triggers[index].listen[0];
        return static_cast<unsigned short>(std::stoi(addr.substr(addr.rfind(':') + 1)));
    }

    /// What the handlers recorded under `name`.
    std::vector<Value> records(const std::string& name) {
        Value args = Value::array();
        args.items.push_back(Value::string(name));
        auto r = rt->call("app:records", args);
        EXPECT_TRUE(r.ok()) << r.error->message;
        return r.value.items;
    }

    /// Poll records(name) until it holds `count` (bounded).
    std::vector<Value> await_records(const std::string& name, size_t count,
                                     std::chrono::milliseconds limit = std::chrono::seconds(10)) {
        auto until = std::chrono::steady_clock::now() + limit;
        std::vector<Value> got;
        while ((got = records(name)).size() < count && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return got;
    }

    /// Wait until a call of wait_cancel or slow named `name` runs (support/await_started.hpp).
    bool await_started(const std::string& name) { return modrt::test::await_started(*rt, "app:records", name); }

    std::unique_ptr<Runtime> rt;
};

/// A service on an OS-chosen loopback port, a router (prefix /api) and `extra` entries.
inline std::string service(const std::string& service_fields = "", const std::string& router_fields = "") {
    return "  - name: gw\n    kind: http.service\n    addr: \"127.0.0.1:0\"\n    workers: 2\n" + service_fields +
           "  - name: api\n    kind: http.router\n    meta: {server: gw}\n    prefix: /api\n" + router_fields;
}

/// service() with one I/O thread, which every connection shares.
inline std::string one_worker_service() {
    return "  - name: gw\n    kind: http.service\n    addr: \"127.0.0.1:0\"\n    workers: 1\n"
           "  - name: api\n    kind: http.router\n    meta: {server: gw}\n    prefix: /api\n";
}

/// An endpoint `ep_<name>` of router `router` (default app:api).
inline std::string endpoint(const std::string& name, const std::string& method, const std::string& path,
                            const std::string& func, const std::string& router = "api") {
    return "  - {name: ep_" + name + ", kind: http.endpoint, meta: {router: " + router + "}, method: \"" + method +
           "\", path: \"" + path + "\", func: " + func + "}\n";
}

}  // namespace http_test
