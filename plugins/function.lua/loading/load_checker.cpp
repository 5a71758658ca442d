// Checking an entry at registry load (load_checker.hpp).
#include "loading/load_checker.hpp"

#include "values/lua_errors.hpp"

#include <modrt/sdk.hpp>

#include <string>
#include <string_view>

namespace modrt::lua {
namespace {

struct CheckArgs {
    WorkerState* ws;
    const std::shared_ptr<const ModuleSpec>* spec;
    const char* field;  // the registry field a failure points at
};

int check_protected(lua_State* L) {
    auto* a = static_cast<CheckArgs*>(lua_touserdata(L, 1));
    const ModuleSpec& spec = **a->spec;
    a->ws->loader().load_module(L, *a->spec);
    if (spec.method.empty()) return 0;
    a->field = "method";
    if (!lua_istable(L, -1))
        return luaL_error(L, "%s must return a table of functions (it returned a %s)", spec.source_path.c_str(),
                          luaL_typename(L, -1));
    lua_getfield(L, -1, spec.method.c_str());
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "method '%s' is not a function in the table returned by %s (found %s)",
                          spec.method.c_str(), spec.source_path.c_str(), luaL_typename(L, -1));
    return 0;
}

}  // namespace

void log_type_diagnostics(const Host& host, const ModuleSpec& spec) {
    for (const auto& d : spec.type_diagnostics) host.log(MODRT_LOG_WARN, "type error: " + d + " (entry " + spec.id + ")");
}

void check_module(WorkerState& state, const std::shared_ptr<const ModuleSpec>& spec) {
    lua_State* L = state.state();
    state.reset_check_budget();
    CheckArgs args{&state, &spec, "source"};
    if (lua_cpcall(L, check_protected, &args) == 0) {
        lua_settop(L, WorkerState::kResidentSlots);
        return;
    }
    std::string message = "unknown error";
    if (const ErrorData* e = test_error(L, -1)) message = full_message(*e);
    else if (lua_type(L, -1) == LUA_TSTRING) message = lua_tostring(L, -1);
    lua_settop(L, WorkerState::kResidentSlots);
    if (std::string_view(args.field) == "source" && message.rfind("syntax error", 0) != 0)
        message = "loading " + spec->source_path + " failed: " + message;
    throw Failure(Error(MODRT_ERR_INVALID, message).set_field(args.field));
}

}  // namespace modrt::lua
