// Creating and closing a state (worker_state.hpp).
#include "vm/worker_state.hpp"

#include "loading/library_view.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_value.hpp"
#include "vm/c_stack_guard.hpp"
#include "vm/call_ctx.hpp"
#include "vm/cancel_guard.hpp"
#include "vm/sandbox.hpp"

#include <modrt/sdk.hpp>

#include <string>

namespace modrt::lua {
namespace {

int on_panic(lua_State* L) {
    // Never reached by design: every entry into Lua is lua_cpcall/lua_pcall.
    const char* msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)";
    log(MODRT_LOG_ERROR, "function.lua", std::string("unprotected Lua error (a bug in function.lua): ") + msg);
    return 0;
}

struct InitArgs {
    WorkerState* ws;
    bool worker;
    WorkerState::Refs refs;
};

int init_protected(lua_State* L) {
    auto* a = static_cast<InitArgs*>(lua_touserdata(L, 1));
    lua_settop(L, 0);
    // Setting up makes only what the state keeps: collecting meanwhile traced it for nothing
    // (11 % of the instructions of making a state). The constructor restarts the collector.
    lua_gc(L, LUA_GCSTOP, 0);
    static const luaL_Reg libs[] = {{"", luaopen_base},     {"table", luaopen_table}, {"string", luaopen_string},
                                    {"math", luaopen_math}, {"os", luaopen_os},       {"bit", luaopen_bit},
                                    {nullptr, nullptr}};
    for (const luaL_Reg* lib = libs; lib->func; ++lib) {
        lua_pushcfunction(L, lib->func);
        lua_pushstring(L, lib->name);
        lua_call(L, 1, 0);
    }
    if (a->worker) {
        // Opening the jit library is what turns the JIT compiler on in LuaJIT;
        // the library itself stays out of the sandbox.
        lua_pushcfunction(L, luaopen_jit);
        lua_pushstring(L, "jit");
        lua_call(L, 1, 0);
    }
    install_cancel_guards(L, [](lua_State* L) {
        WorkerState* ws = WorkerState::of(L);
        return ws != nullptr && ws->interrupted();
    });
    install_c_stack_wrapper(L);
    register_error_type(L);
    install_value_helpers(L);
    install_sandbox(L, a->ws->globals());
    install_library_views(L);
    // Made once: lua_pushcfunction and lua_cpcall allocate a closure each time.
    lua_pushcfunction(L, traceback_handler);
    a->refs.handler = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushcfunction(L, call_protected);
    a->refs.call = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushcfunction(L, finish_protected);
    a->refs.finish = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_createtable(L, 64, 0);
    a->refs.functions = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

}  // namespace

WorkerState::WorkerState(Mode mode, size_t memory_limit, DeadlineTimer* deadlines) : deadlines_(deadlines) {
    budget_.limit = memory_limit;
    L_ = lua_newstate(allocate, this);
    if (L_ == nullptr) throw Failure(MODRT_ERR_INTERNAL, "function.lua: cannot create a Lua state (out of memory)");
    lua_atpanic(L_, on_panic);
    InitArgs args{this, mode == Mode::worker, {}};
    if (lua_cpcall(L_, init_protected, &args) != 0) {
        std::string msg = lua_type(L_, -1) == LUA_TSTRING ? lua_tostring(L_, -1) : "unknown error";
        lua_close(L_);
        L_ = nullptr;
        throw Failure(MODRT_ERR_INTERNAL, "function.lua: cannot set up a Lua state: " + msg);
    }
    lua_gc(L_, LUA_GCRESTART, -1);  // LuaJIT: the next cycle when the heap has grown by the pause (200 %)
    lua_settop(L_, 0);
    refs_ = args.refs;
    loader_.attach(refs_.handler, refs_.functions);
    // The resident slots. No allocation: the stack has room, the values exist.
    lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.handler);
    lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.functions);
    // A worker state sets its cancellation hook only when a call must stop (call_watch.hpp):
    // set all along, it would slow every interpreted instruction and send compiled code
    // back to the interpreter at every loop iteration.
    if (mode == Mode::check) arm_check_hook();
}

WorkerState::~WorkerState() {
    // No host calls here: this may run at thread exit, after the runtime is gone.
    if (L_ != nullptr) lua_close(L_);
}

void* WorkerState::allocate(void* ud, void* ptr, size_t osize, size_t nsize) noexcept {
    return budget_alloc(&static_cast<WorkerState*>(ud)->budget_, ptr, osize, nsize);
}

WorkerState* WorkerState::of(lua_State* L) noexcept {
    // The allocator's userdata is the owner: two loads, where a registry lookup by a light
    // userdata key cost ~250 instructions, three times per nested call.
    void* ud = nullptr;
    return lua_getallocf(L, &ud) == &WorkerState::allocate ? static_cast<WorkerState*>(ud) : nullptr;
}

modrt_frame* WorkerState::current_frame() const noexcept { return call_ != nullptr ? call_->frame : nullptr; }

int* WorkerState::scheduler_ref() noexcept { return call_ != nullptr ? &call_->scheduler : nullptr; }

CallMemo* WorkerState::current_memo() noexcept { return call_ != nullptr ? &call_->memo : nullptr; }

const ModuleSpec* WorkerState::current_spec() const noexcept { return call_ != nullptr ? call_->spec->get() : nullptr; }

}  // namespace modrt::lua
