// Per-thread Lua states: creation, module loading, calls (worker_state.hpp).
#include "vm/worker_state.hpp"

#include "vm/c_stack_guard.hpp"
#include "vm/cancel_guard.hpp"
#include "loading/library_view.hpp"
#include "values/lua_errors.hpp"
#include "loading/lua_require.hpp"
#include "values/lua_value.hpp"
#include "vm/sandbox.hpp"

#include <modrt/sdk.hpp>

#include <algorithm>
#include <vector>

namespace modrt::lua {

// One call in flight on a state; WorkerState::current_call() is the innermost.
struct CallCtx {
    WorkerState* ws;
    const std::shared_ptr<const ModuleSpec>* spec;
    modrt_frame* frame;
    const modrt_value* args;
    modrt_value* result;
    modrt_error* error;
    modrt_error_kind canceled;  ///< set by the hook when it raised a cancellation
    CallCtx* prev;              ///< the call this one is nested in, on the same state
};

namespace {

// The cancellation hook runs every this many VM instructions during a call.
constexpr int kHookEvery = 1000;
// Top-level calls nothing can stop, in a row, before the hook comes off. lua_sethook
// rewrites LuaJIT's dispatch table (~60 ns), so a worker that mixes stoppable and
// unstoppable calls must not pay it at every switch.
constexpr int kUnhookAfter = 64;
// Check mode: budget of hook ticks (x kHookEvery instructions) for a module's top level.
constexpr long kCheckBudget = 100000;
// libraries_ value while a library's chunk runs (distinct from LUA_NOREF/LUA_REFNIL).
constexpr int kLoading = -3;
// The fast path takes at most this many arguments.
constexpr int kFastMaxArgs = 16;
// What stays on a state's stack between calls, so the fast path reaches it
// without a registry lookup (luaL_ref keys sit in the registry's hash part:
// a lua_rawgeti there cost ~70 instructions, a stack slot costs nothing).
constexpr int kHandlerSlot = 1;    // traceback_handler
constexpr int kFunctionsSlot = 2;  // the table of loaded methods (array part, see function_index)
constexpr int kResidentSlots = 2;
// Free stack slots invoke needs at the top level: saved globals, function,
// arguments, and what finishing and end_call_globals push. LuaJIT never
// shrinks a stack below LJ_STACK_START (40 slots), so at the top level
// lua_checkstack(kTopStack) never grows the stack and cannot raise.
constexpr int kTopStack = kFastMaxArgs + 8;
// The same for a nested call (slow path only). It comes from a C function
// running in Lua, which must leave this much room (LUA_MINSTACK is 20).
constexpr int kNestedStack = 8;

// Registry key (its address) of the WorkerState, for the hooks.
char kSelfKey;

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

WorkerState* self(lua_State* L) {
    lua_pushlightuserdata(L, &kSelfKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    auto* ws = static_cast<WorkerState*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    return ws;
}

// Both hooks are WorkerState::check_interrupt at one tick.
// NOTE: a count hook does not fire inside JIT-compiled traces (plugins/function.lua/README.md, Cancellation): a
// loop that the JIT compiled may run long past cancellation. A later issue
// decides how to stop such code; this hook covers interpreted code.
void interrupt_hook(lua_State* L, lua_Debug*) {
    if (WorkerState* ws = self(L)) ws->check_interrupt(L, 1);
}

// Convert what the method left at `first` (its error when `failed`, else its
// two results) into c->error / c->result. Protected mode only: may allocate.
void finish_call(lua_State* L, CallCtx* c, bool failed, int first) {
    if (failed) error_to_modrt(L, first, &c->error);
    else if (!lua_isnil(L, first + 1)) returned_error_to_modrt(L, first + 1, &c->error);
    else to_modrt_value(L, first, c->result, "result");
}

// The fast path's conversions that may allocate: finish(ctx, failed, a, b).
int finish_protected(lua_State* L) {
    finish_call(L, static_cast<CallCtx*>(lua_touserdata(L, 1)), lua_toboolean(L, 2) != 0, 3);
    return 0;
}

// The slow path's body, run by lua_pcall: call(ctx). Loads the module when
// needed, converts any arguments, calls the method under the traceback
// handler and converts what it left.
int call_protected(lua_State* L) {
    auto* c = static_cast<CallCtx*>(lua_touserdata(L, 1));
    const modrt_host_api& h = host_api();
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->ws->refs().handler);
    c->ws->push_entry_function(L, *c->spec);
    size_t nargs = h.value_len(c->args);
    if (nargs > 200 || !lua_checkstack(L, static_cast<int>(nargs) + 8))
        return raise_error(L, MODRT_ERR_INVALID, "too many arguments (at most 200)");
    for (size_t i = 0; i < nargs; ++i) push_modrt_value(L, h.value_at(c->args, i));
    bool failed = lua_pcall(L, static_cast<int>(nargs), 2, 1) != 0;
    if (failed) lua_pushnil(L);  // finish_call reads two values
    finish_call(L, c, failed, 2);
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
    static const luaL_Reg libs[] = {{"", luaopen_base},        {"table", luaopen_table}, {"string", luaopen_string},
                                    {"math", luaopen_math},    {"os", luaopen_os},       {"bit", luaopen_bit},
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
        WorkerState* ws = self(L);
        return ws != nullptr && ws->interrupted();
    });
    install_c_stack_wrapper(L);
    register_error_type(L);
    install_value_helpers(L);
    install_sandbox(L, a->ws->globals());
    install_library_views(L);
    lua_pushlightuserdata(L, &kSelfKey);
    lua_pushlightuserdata(L, a->ws);
    lua_rawset(L, LUA_REGISTRYINDEX);
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

int load_library_protected(lua_State* L) {
    auto* a = static_cast<LoadArgs*>(lua_touserdata(L, 1));
    a->ws->load_module(L, *a->spec);
    return 1;
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
// The slot this thread used last. A plain pointer: reading it needs no
// thread_local initialisation check (t_slots has a destructor, so every access
// to it does). Reset whenever the list changes.
thread_local Slot* t_last = nullptr;
struct Slots {
    std::vector<Slot> list;  // destroyed (states closed) when the thread exits
    ~Slots() { t_last = nullptr; }
};
thread_local Slots t_slots;

// A template, not shared_ptr<const void>: converting would copy the pointer (two atomic
// reference count updates per call).
template <class T>
bool same_owner(const std::weak_ptr<const void>& w, const std::shared_ptr<T>& s) noexcept {
    return !w.owner_before(s) && !s.owner_before(w);
}

}  // namespace

WorkerState::WorkerState(Mode mode, size_t memory_limit) {
    budget_.limit = memory_limit;
    L_ = lua_newstate(budget_alloc, &budget_);
    if (L_ == nullptr) throw Failure(MODRT_ERR_INTERNAL, "function.lua: cannot create a Lua state (out of memory)");
    lua_atpanic(L_, on_panic);
    InitArgs args{this, mode == Mode::worker, {}};
    if (lua_cpcall(L_, init_protected, &args) != 0) {
        std::string msg = lua_type(L_, -1) == LUA_TSTRING ? lua_tostring(L_, -1) : "unknown error";
        lua_close(L_);
        L_ = nullptr;
        throw Failure(MODRT_ERR_INTERNAL, "function.lua: cannot set up a Lua state: " + msg);
    }
    lua_settop(L_, 0);
    refs_ = args.refs;
    // The resident slots. No allocation: the stack has room, the values exist.
    lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.handler);
    lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.functions);
    // A count hook slows every interpreted instruction (~40 % on a loop), so a worker state
    // sets its cancellation hook only for calls that can be stopped (fit_cancel_hook).
    if (mode == Mode::check) {
        check_mode_ = true;
        lua_sethook(L_, interrupt_hook, LUA_MASKCOUNT, kHookEvery);
    }
}

WorkerState::~WorkerState() {
    // No host calls here: this may run at thread exit, after the runtime is gone.
    if (L_ != nullptr) lua_close(L_);
}

WorkerState& WorkerState::for_thread(const std::shared_ptr<const StateSettings>& owner) {
    // The slot's weak_ptr keeps the owner's control block allocated, so a
    // match is that owner, never a later one at the same address.
    if (Slot* last = t_last; last != nullptr && same_owner(last->owner, owner)) return *last->state;
    auto& list = t_slots.list;
    for (auto& slot : list) {
        if (same_owner(slot.owner, owner)) {
            t_last = &slot;
            return *slot.state;
        }
    }
    // States of kinds that are gone can never be used again: close them now.
    t_last = nullptr;
    std::erase_if(list, [](const Slot& s) { return s.owner.expired(); });
    list.push_back(Slot{owner, std::make_unique<WorkerState>(Mode::worker, owner->memory_limit)});
    log(MODRT_LOG_DEBUG, "function.lua", "created a Lua state for this worker thread");
    t_last = &list.back();
    return *list.back().state;
}

void WorkerState::fit_cancel_hook(bool stoppable, bool nested) noexcept {
    // Safe mid-call too (a nested call): the hook changes on this thread, between VM instructions.
    if (stoppable) {
        plain_calls_ = 0;
        if (!hooked_) {
            lua_sethook(L_, interrupt_hook, LUA_MASKCOUNT, kHookEvery);
            hooked_ = true;
        }
    } else if (hooked_ && !nested && ++plain_calls_ >= kUnhookAfter) {
        lua_sethook(L_, nullptr, 0, 0);
        hooked_ = false;
        plain_calls_ = 0;
    }
}

bool WorkerState::cancel_raised() const noexcept { return call_ != nullptr && call_->canceled != MODRT_ERR_UNKNOWN; }

bool WorkerState::interrupted() const noexcept { return check_mode_ ? budget_left <= 0 : cancel_raised(); }

void WorkerState::check_interrupt(lua_State* L, long ticks) {
    if (check_mode_) {
        budget_left -= ticks;
        if (budget_left <= 0)
            luaL_error(L, "the module's top level ran for more than %d million instructions",
                       static_cast<int>(kCheckBudget * kHookEvery / 1000000));
        return;
    }
    CallCtx* c = call_;
    if (c == nullptr || c->frame == nullptr) return;
    modrt_error_kind kind = host_api().frame_canceled(c->frame);
    if (kind == MODRT_ERR_UNKNOWN) return;
    c->canceled = kind;
    raise_error(L, kind, kind == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "call canceled");
}

modrt_frame* WorkerState::current_frame() const noexcept { return call_ != nullptr ? call_->frame : nullptr; }

WorkerState* WorkerState::of(lua_State* L) noexcept { return self(L); }

const ModuleSpec* WorkerState::spec(uint64_t serial) const noexcept {
    auto it = specs_.find(serial);
    return it == specs_.end() ? nullptr : it->second.get();
}

void WorkerState::load_module(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec) {
    specs_.emplace(spec->serial, spec);
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.handler);
    if (luaL_loadbufferx(L, spec->source.data(), spec->source.size(), spec->chunkname.c_str(), "t") != 0) {
        lua_pushfstring(L, "syntax error: %s", lua_tostring(L, -1));
        raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    // The count hook never runs inside a compiled trace (README.md, Cancellation), so
    // only code that opted in may be compiled; the flag covers every function
    // the chunk defines, and a trace reaching one of them aborts.
    if (!spec->jit) luaJIT_setmode(L, -1, LUAJIT_MODE_ALLFUNC | LUAJIT_MODE_OFF);
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

int WorkerState::function_index(uint64_t serial) noexcept {
    // A worker mostly calls the same entry again: skip the hash (a division) then.
    if (serial == last_serial_) return last_index_;
    auto it = functions_.find(serial);
    if (it == functions_.end()) return 0;
    last_serial_ = serial;
    last_index_ = it->second;
    return last_index_;
}

void WorkerState::push_entry_function(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec) {
    if (int index = function_index(spec->serial); index != 0) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.functions);
        lua_rawgeti(L, -1, index);
        lua_remove(L, -2);
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
    // Indexes are 1, 2, ... so the functions table keeps them in its array part.
    int index = static_cast<int>(functions_.size()) + 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.functions);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, index);
    lua_pop(L, 1);
    functions_.emplace(spec->serial, index);
}

const ModuleSpec* WorkerState::current_spec() const noexcept { return call_ != nullptr ? call_->spec->get() : nullptr; }

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
    bool nested = call_ != nullptr;
    int base = lua_gettop(L);
    if (!lua_checkstack(L, nested ? kNestedStack : kTopStack))
        return h.error_new(MODRT_ERR_INTERNAL, to_str("function.lua: Lua stack overflow"));
    // Nested calls recurse on this thread's native stack (c_stack_guard.hpp).
    if (nested && c_stack_left() < c_stack_reserve())
        return h.error_new(MODRT_ERR_INTERNAL,
                           to_str("function.lua: C stack overflow: calls nested on this thread left " +
                                  std::to_string(c_stack_left() / 1024) + " KiB of its native stack, below the " +
                                  std::to_string(c_stack_reserve() / 1024) + " KiB a call keeps free"));

    // The cancellation hook (interrupt_hook) runs only while a call that can be stopped does: one
    // without a deadline and with no caller that can be canceled runs at full interpreter speed.
    bool stoppable = Frame(frame).stoppable();
    if (stoppable || hooked_) fit_cancel_hook(stoppable, nested);
    // Fresh globals for this call; a call below it on this state gets its own back at the end.
    int saved = begin_call_globals(L, globals_) ? base + 1 : 0;
    CallCtx c{this, &spec, frame, args, result, nullptr, MODRT_ERR_UNKNOWN, call_};
    call_ = &c;
    // The fast path counts on the top level's stack room (kTopStack).
    if (nested || !call_fast(c, saved != 0 ? base + 1 : base)) call_slow(c);
    call_ = c.prev;
    end_call_globals(L, globals_, saved);  // drops this call's scratch globals
    lua_settop(L, base);

    modrt_error* err = c.error;
    if (budget_.refused && !nested) {
        // The heap hit its limit: free the garbage now (LuaJIT never collects on a failed
        // allocation), and say why the call failed instead of "not enough memory".
        budget_.refused = false;
        lua_gc(L, LUA_GCCOLLECT, 0);
        if (err != nullptr) {
            h.error_free(err);
            err = h.error_new(MODRT_ERR_INTERNAL,
                              to_str("function.lua: '" + (*c.spec)->id + "' ran out of Lua memory (memory_limit " +
                                     std::to_string(budget_.limit) + " bytes per Lua state)"));
        }
    }
    if (c.canceled != MODRT_ERR_UNKNOWN && (err == nullptr || h.error_kind(err) != c.canceled)) {
        // The function caught the cancellation (pcall) and went on: the call still failed.
        h.error_free(err);
        err = h.error_new(c.canceled, to_str(c.canceled == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "call canceled"));
    }
    if (err != nullptr) h.value_set_nil(result);
    return err;
}

// One lua_pcall straight into the cached method when nothing on the way in
// can raise: the method is loaded and every argument converts without Lua
// allocation. Returns false, stack untouched, when the slow path must run.
bool WorkerState::call_fast(CallCtx& c, int base) noexcept {
    lua_State* L = L_;
    int fn = function_index((*c.spec)->serial);
    if (fn == 0) return false;
    ScalarArgs<kFastMaxArgs> args{ValueView(c.args)};
    size_t nargs = args.size();
    if (nargs > kFastMaxArgs) return false;
    for (size_t i = 0; i < nargs; ++i)
        if (!pushable_scalar(args.item(i))) return false;
    lua_rawgeti(L, kFunctionsSlot, fn);
    for (size_t i = 0; i < nargs; ++i) push_scalar(L, args.item(i));
    if (lua_pcall(L, static_cast<int>(nargs), 2, kHandlerSlot) != 0) {
        lua_pushnil(L);  // keeps finish_slow's two values on the stack
        finish_slow(c, true, base + 1);
    } else if (!lua_isnil(L, base + 2) || !scalar_to_modrt(L, base + 1, c.result)) {
        finish_slow(c, false, base + 1);  // a returned error, or a result to convert in Lua
    }
    return true;
}

// finish_call under lua_pcall, for the method's error (failed) or results at
// `first` and `first + 1`. A failure there (a value that cannot be converted,
// a memory error) becomes the call's error.
void WorkerState::finish_slow(CallCtx& c, bool failed, int first) noexcept {
    lua_State* L = L_;
    lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.finish);
    lua_pushlightuserdata(L, &c);
    lua_pushboolean(L, failed);
    lua_pushvalue(L, first);
    lua_pushvalue(L, first + 1);
    if (lua_pcall(L, 4, 0, 0) != 0 && c.error == nullptr) c.error = failure_to_modrt(L, -1, (*c.spec)->id);
}

void WorkerState::call_slow(CallCtx& c) noexcept {
    lua_State* L = L_;
    lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.call);
    lua_pushlightuserdata(L, &c);
    if (lua_pcall(L, 1, 0, 0) != 0 && c.error == nullptr) c.error = failure_to_modrt(L, -1, (*c.spec)->id);
}

void WorkerState::check(const std::shared_ptr<const ModuleSpec>& spec) {
    budget_left = kCheckBudget;
    LoadArgs args{this, &spec, "source"};
    if (lua_cpcall(L_, check_protected, &args) == 0) {
        lua_settop(L_, kResidentSlots);
        return;
    }
    std::string message = "unknown error";
    if (const ErrorData* e = test_error(L_, -1)) message = e->message;
    else if (lua_type(L_, -1) == LUA_TSTRING) message = lua_tostring(L_, -1);
    lua_settop(L_, kResidentSlots);
    if (std::string_view(args.field) == "source" && message.rfind("syntax error", 0) != 0)
        message = "loading " + spec->source_path + " failed: " + message;
    throw Failure(Error(MODRT_ERR_INVALID, message).set_field(args.field));
}

}  // namespace modrt::lua
