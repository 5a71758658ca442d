// What the remote-call tests share: a serving runtime and a calling runtime on one nats-server,
// each with its own registry written to a scratch directory, on subjects no other test uses.
#pragma once

#include "support/nats_server.hpp"
#include "support/scratch_registry.hpp"

#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

namespace modrt::test::remote {

namespace fs = std::filesystem;

/// The probe functions, and a function.expose entry serving them on `@PREFIX@` (`@EXTRA@`: more fields).
inline const char* kServerRegistry = R"(version: "1.0"
namespace: app.api
entries:
  - {name: echo, kind: function.native, source: file://@LIB@, method: echo}
  - {name: whoami, kind: function.native, source: file://@LIB@, method: whoami}
  - {name: wait_cancel, kind: function.native, source: file://@LIB@, method: wait_cancel}
  - {name: observed, kind: function.native, source: file://@LIB@, method: observed}
  - {name: fail, kind: function.native, source: file://@LIB@, method: fail}
  - {name: node, kind: function.native, source: file://@LIB@, method: node}
  - name: serve
    kind: function.expose
    connection: @CONN@
    prefix: @PREFIX@
    functions: [app.api:echo, app.api:whoami, app.api:wait_cancel, app.api:fail, app.api:node]
@EXTRA@)";

/// The same ids as remote entries (callers' code is unchanged: they call app.api:echo), a Lua
/// caller using funcs.call, and `observed` called locally to read what the callees saw.
inline const char* kCallerRegistry = R"(version: "1.0"
namespace: app.api
entries:
  - {name: echo, kind: function.remote, connection: @CONN@, prefix: @PREFIX@@REMOTE@}
  - {name: whoami, kind: function.remote, connection: @CONN@, prefix: @PREFIX@@REMOTE@}
  - {name: wait_cancel, kind: function.remote, connection: @CONN@, prefix: @PREFIX@@REMOTE@}
  - {name: fail, kind: function.remote, connection: @CONN@, prefix: @PREFIX@@REMOTE@}
  - {name: node, kind: function.remote, connection: @CONN@, prefix: @PREFIX@@REMOTE@}
  - {name: observed, kind: function.native, source: file://@LIB@, method: observed}
  - {name: caller, kind: function.lua, source: file://caller.lua, method: call, modules: [funcs]}
)";

inline const char* kCallerLua = R"(local funcs = require("funcs")
-- Calls a function by id with funcs.call, as any Lua code would; its error is raised as it came.
local function call(id, ...)
    local result, err = funcs.call(id, ...)
    if err then error(err) end
    return result
end
return { call = call }
)";

inline std::string replace_all(std::string text, const std::string& what, const std::string& with) {
    for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += with.size())
        text.replace(at, what.size(), with);
    return text;
}

/// A subject prefix no other test (or test process on a shared server) uses.
inline std::string unique_prefix() {
    static std::atomic<int> n{0};
    return "modrt.test" + std::to_string(::getpid()) + "n" + std::to_string(n++);
}

struct Params {
    std::string conn;  // the connection map, e.g. {url: "nats://..."}
    std::string prefix;
    std::string extra;   // more fields for the function.expose entry (indented 4)
    std::string remote;  // more fields for each function.remote entry (", timeout: 1s")
};

inline std::string fill(const char* tmpl, const Params& p) {
    std::string t = with_lib(tmpl, REMOTE_PROBE_LIB);
    t = replace_all(t, "@CONN@", p.conn);
    t = replace_all(t, "@PREFIX@", p.prefix);
    t = replace_all(t, "@EXTRA@", p.extra);
    return replace_all(t, "@REMOTE@", p.remote);
}

/// A runtime with `files` (name -> text) as its registry; the load's errors formatted in `errors`.
inline std::unique_ptr<kernel::Runtime> load_runtime(const std::map<std::string, std::string>& files,
                                                     std::string& errors) {
    kernel::RuntimeOptions o{{fs::path(MODRT_TEST_PLUGIN_DIR)}};
    o.source_roots = {fs::path(REMOTE_PROBE_LIB).parent_path()};
    auto rt = std::make_unique<kernel::Runtime>(o);
    fs::path dir = scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
    for (const auto& [name, text] : files) std::ofstream(dir / name) << text;
    errors.clear();
    for (const auto& e : rt->load(dir)) errors += e.format() + "\n";
    return rt;
}

/// A serving node (its triggers started) and a calling node, both for `p`.
struct TwoNodes {
    std::unique_ptr<kernel::Runtime> server, client;
};

/// Start both nodes; a load or start error fails the test and leaves `client` null (check it).
inline TwoNodes start_two_nodes(const Params& p) {
    TwoNodes nodes;
    std::string errors;
    nodes.server = load_runtime({{"registry.yaml", fill(kServerRegistry, p)}}, errors);
    EXPECT_EQ(errors, "");
    if (!errors.empty()) return {};
    auto started = nodes.server->start_triggers();
    EXPECT_TRUE(started.empty()) << started[0].format();
    if (!started.empty()) return {};
    auto client = load_runtime({{"registry.yaml", fill(kCallerRegistry, p)}, {"caller.lua", kCallerLua}}, errors);
    EXPECT_EQ(errors, "");
    if (errors.empty()) nodes.client = std::move(client);
    return nodes;
}

}  // namespace modrt::test::remote
