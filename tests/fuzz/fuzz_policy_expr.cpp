// Fuzz target: bytes as a security.policy.expr expression, through the plugin's own parser
// and evaluator (plugins/security.policy/expr, compiled into the target so a libFuzzer build
// instruments it). Never a crash or an exception other than SyntaxError; a syntax error
// points inside the expression; a parsed expression evaluates, the same way twice, against
// subjects with and without an actor and meta.
#include "expr/program.hpp"

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace {

using modrt::security::expr::Env;
using modrt::security::expr::Program;
using modrt::security::expr::SyntaxError;

struct World {
    std::unique_ptr<modrt::kernel::Runtime> rt;
    modrt::kernel::Value actor_meta, meta;
};

modrt::kernel::Value parsed(const char* json) {
    modrt::kernel::Value v;
    if (modrt::kernel::parse_json(json, v) != nullptr) __builtin_trap();
    return v;
}

World& world() {
    static World w = [] {
        World made;
        modrt::kernel::set_log_level("off");
        made.rt = std::make_unique<modrt::kernel::Runtime>(modrt::kernel::RuntimeOptions{{MODRT_FUZZ_PLUGIN_DIR}});
        modrt::detail::set_host(&made.rt->host_api());  // the SDK's values, through this kernel
        made.actor_meta = parsed(
            R"({"role":"editor","level":3,"score":2.5,"teams":["dev","ops",7],"org":{"unit":"eng","n":null},)"
            R"("flag":true,"big":9223372036854775807,"neg":-9223372036854775808})");
        made.meta = parsed(R"({"owner":"user:7","public":false,"tags":[],"nested":{"a":[{"b":1}]},"nan":1e308})");
        return made;
    }();
    return w;
}

std::optional<bool> run(const Program& p, const Env& env) {
    std::optional<bool> first = p.evaluate(env);
    if (p.evaluate(env) != first) __builtin_trap();  // evaluation keeps no state
    return first;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    World& w = world();
    std::string_view source(reinterpret_cast<const char*>(data), size);
    std::unique_ptr<Program> program;
    try {
        program = std::make_unique<Program>(source);
    } catch (const SyntaxError& e) {
        if (e.pos > source.size() || e.message.empty()) __builtin_trap();
        if (modrt::security::expr::position(source, e.pos).empty()) __builtin_trap();
        return 0;
    }
    Env full;
    full.has_actor = true;
    full.actor_id = "user:7";
    full.actor_meta = modrt::ValueView(&w.actor_meta);
    full.action = "read";
    full.resource = "doc:42";
    full.meta = modrt::ValueView(&w.meta);
    run(*program, full);
    Env bare;  // no actor, no meta
    bare.action = "";
    bare.resource = "x";
    run(*program, bare);
    return 0;
}
