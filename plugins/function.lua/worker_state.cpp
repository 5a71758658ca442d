// Per-thread Lua states: creation, module loading, calls (worker_state.hpp).
#include "worker_state.hpp"

#include "lua_errors.hpp"
#include "lua_require.hpp"
#include "lua_value.hpp"
#include "sandbox.hpp"

#include <modrt/sdk.hpp>

#include <algorithm>
#include <vector>

namespace modrt::lua {
namespace {

// The cancellation hook runs every this many VM instructions during a call.
constexpr int kHookEvery = 1000;
// Check mode: budget of hook ticks (x kHookEvery instructions) for a module's top level.
constexpr long kCheckBudget = 100000;
// libraries_ value while a library's chunk runs (distinct from LUA_NOREF/LUA_REFNIL).
constexpr int kLoading = -3;

// Registry keys (their addresses).
char kHandlerKey;
char kSelfKey;

// One call in flight on this thread (innermost first), for the hook.
struct CallCtx {
    WorkerState* ws;
    const std::shared_ptr<const ModuleSpec>* spec;
    modrt_frame* frame;
    const modrt_value* args;
    modrt_value* result;
    modrt_error* error;
    modrt_error_kind canceled;
    CallCtx* prev;
};
thread_local CallCtx* t_call = nullptr;

struct LoadArgs {
    WorkerState* ws;
    const std::shared_ptr<const ModuleSpec>* spec;
    const char* field;  // check mode: the registry field a failure points at
};

int on_panic(lua_State* L) {
    // Never reached by design: every entry into Lua is lua_cpcall/lua_pcall.
    const char* msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)";
    log(MODRT_LOG_ERROR, "function.lua", std::string("unprotected Lua error (a bug in function.lua): ") + msg);
    return 0;
}

// Checks the frame of the innermost call; raises CANCELED/TIMEOUT once it is cancelled.
// NOTE: a count hook does not fire inside JIT-compiled traces (REFERENCE.md): a
// loop that the JIT compiled may run long past cancellation. A later issue
// decides how to stop such code; this hook covers interpreted code.
void cancel_hook(lua_State* L, lua_Debug*) {
    CallCtx* c = t_call;
    if (c == nullptr || c->frame == nullptr) return;
    modrt_error_kind kind = host_api().frame_canceled(c->frame);
    if (kind == MODRT_ERR_UNKNOWN) return;
    c->canceled = kind;
    raise_error(L, kind, kind == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "call canceled");
}

void budget_hook(lua_State* L, lua_Debug*) {
    lua_pushlightuserdata(L, &kSelfKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    auto* ws = static_cast<WorkerState*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    if (ws != nullptr && --ws->budget_left <= 0)
        luaL_error(L, "the module's top level ran for more than %d million instructions",
                   static_cast<int>(kCheckBudget * kHookEvery / 1000000));
}

int init_protected(lua_State* L) {
    auto* ws = static_cast<WorkerState*>(lua_touserdata(L, 1));
    bool worker = lua_toboolean(L, 2) == 0 ? false : true;
    static const luaL_Reg libs[] = {{"", luaopen_base},        {"table", luaopen_table}, {"string", luaopen_string},
                                    {"math", luaopen_math},    {"os", luaopen_os},       {"bit", luaopen_bit},
                                    {nullptr, nullptr}};
    for (const luaL_Reg* lib = libs; lib->func; ++lib) {
        lua_pushcfunction(L, lib->func);
        lua_pushstring(L, lib->name);
        lua_call(L, 1, 0);
    }
    if (worker) {
        // Opening the jit library is what turns the JIT compiler on in LuaJIT;
        // the library itself stays out of the sandbox.
        lua_pushcfunction(L, luaopen_jit);
        lua_pushstring(L, "jit");
        lua_call(L, 1, 0);
    }
    register_error_type(L);
    install_value_helpers(L);
    install_sandbox(L);
    lua_pushlightuserdata(L, &kHandlerKey);
    lua_pushcfunction(L, traceback_handler);
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, &kSelfKey);
    lua_pushlightuserdata(L, ws);
    lua_rawset(L, LUA_REGISTRYINDEX);
    return 0;
}

struct InitArgs {
    WorkerState* ws;
    bool worker;
};
int init_trampoline(lua_State* L) {
    auto* a = static_cast<InitArgs*>(lua_touserdata(L, 1));
    lua_settop(L, 0);
    lua_pushcfunction(L, init_protected);
    lua_pushlightuserdata(L, a->ws);
    lua_pushboolean(L, a->worker);
    lua_call(L, 2, 0);
    return 0;
}

int load_library_protected(lua_State* L) {
    auto* a = static_cast<LoadArgs*>(lua_touserdata(L, 1));
    a->ws->load_module(L, *a->spec);
    return 1;
}

int invoke_protected(lua_State* L) {
    auto* c = static_cast<CallCtx*>(lua_touserdata(L, 1));
    const modrt_host_api& h = host_api();
    lua_settop(L, 0);
    lua_pushlightuserdata(L, &kHandlerKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    c->ws->push_entry_function(L, *c->spec);
    size_t nargs = h.value_len(c->args);
    if (nargs > 200 || !lua_checkstack(L, static_cast<int>(nargs) + 8))
        return raise_error(L, MODRT_ERR_INVALID, "too many arguments (at most 200)");
    for (size_t i = 0; i < nargs; ++i) push_modrt_value(L, h.value_at(c->args, i));
    if (lua_pcall(L, static_cast<int>(nargs), 2, 1) != 0) {
        error_to_modrt(L, -1, &c->error);
        return 0;
    }
    if (!lua_isnil(L, -1)) {
        returned_error_to_modrt(L, -1, &c->error);
        return 0;
    }
    to_modrt_value(L, -2, c->result, "result");
    return 0;
}

int check_protected(lua_State* L) {
    auto* a = static_cast<LoadArgs*>(lua_touserdata(L, 1));
    const ModuleSpec& spec = **a->spec;
    a->ws->load_module(L, *a->spec);
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

// Per thread: this thread's states, one per live kind instance.
struct Slot {
    std::weak_ptr<const void> owner;
    std::unique_ptr<WorkerState> state;
};
struct Slots {
    std::vector<Slot> list;  // destroyed (states closed) when the thread exits
};
thread_local Slots t_slots;

bool same_owner(const std::weak_ptr<const void>& w, const std::shared_ptr<const void>& s) noexcept {
    return !w.owner_before(s) && !s.owner_before(w);
}

}  // namespace

WorkerState::WorkerState(Mode mode) : mode_(mode) {
    L_ = luaL_newstate();
    if (L_ == nullptr) throw Failure(MODRT_ERR_INTERNAL, "function.lua: cannot create a Lua state (out of memory)");
    lua_atpanic(L_, on_panic);
    InitArgs args{this, mode == Mode::worker};
    if (lua_cpcall(L_, init_trampoline, &args) != 0) {
        std::string msg = lua_type(L_, -1) == LUA_TSTRING ? lua_tostring(L_, -1) : "unknown error";
        lua_close(L_);
        L_ = nullptr;
        throw Failure(MODRT_ERR_INTERNAL, "function.lua: cannot set up a Lua state: " + msg);
    }
    lua_settop(L_, 0);
    if (mode == Mode::check) lua_sethook(L_, budget_hook, LUA_MASKCOUNT, kHookEvery);
}

WorkerState::~WorkerState() {
    // No host calls here: this may run at thread exit, after the runtime is gone.
    if (L_ != nullptr) lua_close(L_);
}

WorkerState& WorkerState::for_thread(const std::shared_ptr<const void>& owner) {
    auto& list = t_slots.list;
    for (auto& slot : list)
        if (same_owner(slot.owner, owner)) return *slot.state;
    // States of kinds that are gone can never be used again: close them now.
    std::erase_if(list, [](const Slot& s) { return s.owner.expired(); });
    list.push_back(Slot{owner, std::make_unique<WorkerState>(Mode::worker)});
    log(MODRT_LOG_DEBUG, "function.lua", "created a Lua state for this worker thread");
    return *list.back().state;
}

const ModuleSpec* WorkerState::spec(uint64_t serial) const noexcept {
    auto it = specs_.find(serial);
    return it == specs_.end() ? nullptr : it->second.get();
}

void WorkerState::load_module(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec) {
    specs_.emplace(spec->serial, spec);
    int top = lua_gettop(L);
    lua_pushlightuserdata(L, &kHandlerKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (luaL_loadbufferx(L, spec->source.data(), spec->source.size(), spec->chunkname.c_str(), "t") != 0) {
        lua_pushfstring(L, "syntax error: %s", lua_tostring(L, -1));
        raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    push_new_module_env(L);
    push_require(L, this, spec->serial);
    lua_setfield(L, -2, "require");
    lua_pushvalue(L, -1);
    lua_setfenv(L, -3);
    lua_insert(L, -2);  // handler, env, chunk
    if (lua_pcall(L, 0, 1, top + 1) != 0) lua_error(L);
    seal_module_env(L, top + 2);
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
}

void WorkerState::push_entry_function(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec) {
    auto it = functions_.find(spec->serial);
    if (it != functions_.end()) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, it->second);
        return;
    }
    load_module(L, spec);
    if (!lua_istable(L, -1)) {
        lua_pushfstring(L, "%s must return a table of functions (it returned a %s)", spec->source_path.c_str(),
                        luaL_typename(L, -1));
        raise_error(L, MODRT_ERR_INTERNAL, lua_tostring(L, -1));
    }
    lua_getfield(L, -1, spec->method.c_str());
    if (!lua_isfunction(L, -1)) {
        lua_pushfstring(L, "method '%s' is not a function in the table returned by %s", spec->method.c_str(),
                        spec->source_path.c_str());
        raise_error(L, MODRT_ERR_INTERNAL, lua_tostring(L, -1));
    }
    lua_remove(L, -2);
    lua_pushvalue(L, -1);
    functions_[spec->serial] = luaL_ref(L, LUA_REGISTRYINDEX);
}

void WorkerState::push_library(lua_State* L, const std::shared_ptr<const ModuleSpec>& lib) {
    auto it = libraries_.find(lib->id);
    if (it != libraries_.end()) {
        if (it->second == kLoading) luaL_error(L, "circular require: library '%s' is still loading", lib->id.c_str());
        lua_rawgeti(L, LUA_REGISTRYINDEX, it->second);
        return;
    }
    libraries_[lib->id] = kLoading;
    LoadArgs args{this, &lib, nullptr};
    lua_pushcfunction(L, load_library_protected);
    lua_pushlightuserdata(L, &args);
    if (lua_pcall(L, 1, 1, 0) != 0) {
        libraries_.erase(lib->id);
        if (ErrorData* e = test_error(L, -1)) e->message = "library '" + lib->id + "': " + e->message;
        lua_error(L);
    }
    if (lua_isnil(L, -1)) {  // like Lua's require: a chunk that returns nothing gives true
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    libraries_[lib->id] = luaL_ref(L, LUA_REGISTRYINDEX);
}

modrt_error* WorkerState::invoke(const std::shared_ptr<const ModuleSpec>& spec, modrt_frame* frame,
                                 const modrt_value* args, modrt_value* result) noexcept {
    const modrt_host_api& h = host_api();
    lua_State* L = L_;
    int base = lua_gettop(L);
    if (!lua_checkstack(L, 8)) return h.error_new(MODRT_ERR_INTERNAL, to_str("function.lua: Lua stack overflow"));

    // Fresh globals for this call: M.__index back to the sandbox (saved for a nested call's caller).
    push_env_metatable(L);
    lua_getfield(L, base + 1, "__index");
    push_sandbox(L);
    lua_setfield(L, base + 1, "__index");

    CallCtx c{this, &spec, frame, args, result, nullptr, MODRT_ERR_UNKNOWN, t_call};
    t_call = &c;
    bool own_hook = lua_gethook(L) == nullptr;
    if (own_hook) lua_sethook(L, cancel_hook, LUA_MASKCOUNT, kHookEvery);

    int status = lua_cpcall(L, invoke_protected, &c);
    modrt_error* err = c.error;
    if (status != 0 && err == nullptr) err = failure_to_modrt(L, -1, spec->id);

    if (own_hook) lua_sethook(L, nullptr, 0, 0);
    t_call = c.prev;
    lua_pushvalue(L, base + 2);
    lua_setfield(L, base + 1, "__index");  // drops this call's scratch globals
    lua_settop(L, base);

    if (c.canceled != MODRT_ERR_UNKNOWN && (err == nullptr || h.error_kind(err) != c.canceled)) {
        // The function caught the cancellation (pcall) and went on: the call still failed.
        h.error_free(err);
        err = h.error_new(c.canceled, to_str(c.canceled == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "call canceled"));
    }
    if (err != nullptr) h.value_set_nil(result);
    return err;
}

void WorkerState::check(const std::shared_ptr<const ModuleSpec>& spec) {
    budget_left = kCheckBudget;
    LoadArgs args{this, &spec, "source"};
    if (lua_cpcall(L_, check_protected, &args) == 0) {
        lua_settop(L_, 0);
        return;
    }
    std::string message = "unknown error";
    if (const ErrorData* e = test_error(L_, -1)) message = e->message;
    else if (lua_type(L_, -1) == LUA_TSTRING) message = lua_tostring(L_, -1);
    lua_settop(L_, 0);
    if (std::string_view(args.field) == "source" && message.rfind("syntax error", 0) != 0)
        message = "loading " + spec->source_path + " failed: " + message;
    throw Failure(Error(MODRT_ERR_INVALID, message).set_field(args.field));
}

}  // namespace modrt::lua
