// The two call paths of a state, fast and slow (worker_state.hpp, README.md "Calls").
#include "vm/call_ctx.hpp"
#include "vm/worker_state.hpp"

#include "modules/channel/lua_channel.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_value.hpp"
#include "vm/c_stack_guard.hpp"
#include "vm/call_watch.hpp"
#include "vm/sandbox.hpp"

#include <modrt/sdk.hpp>

#include <optional>
#include <string>
#include <utility>

namespace modrt::lua {
namespace {

constexpr int kFastMaxArgs = WorkerState::kFastMaxArgs;
// Free stack slots invoke needs at the top level: saved globals, function,
// arguments, and what finishing and end_call_globals push. LuaJIT never
// shrinks a stack below LJ_STACK_START (40 slots), so at the top level
// lua_checkstack(kTopStack) never grows the stack and cannot raise.
constexpr int kTopStack = kFastMaxArgs + 8;
// The same for a nested call. On the fast path, which also pushes the handler, the C
// function that started it (start_call, on this state's main thread) checked that much room
// already and pushed nothing since, so invoke does not check again. Otherwise (a call from a
// coroutine, whose room is on its own stack) the slow path needs little: a C function
// running in Lua leaves LUA_MINSTACK (20) slots.
constexpr int kNestedStack = 8;
static_assert(WorkerState::kNestedCallRoom >= kTopStack + 1);

// Convert what the method left at `first` (its error when `failed`, else its
// two results) into c->error / c->result. Protected mode only: may allocate.
void finish_call(lua_State* L, CallCtx* c, bool failed, int first) {
    if (failed) error_to_modrt(L, first, &c->error);
    else if (!lua_isnil(L, first + 1)) returned_error_to_modrt(L, first + 1, &c->error);
    else to_modrt_value(L, first, c->result, "result");
}

}  // namespace

int finish_protected(lua_State* L) {
    finish_call(L, static_cast<CallCtx*>(lua_touserdata(L, 1)), lua_toboolean(L, 2) != 0, 3);
    return 0;
}

// Loads the module when needed, converts any arguments, calls the method under
// the traceback handler and converts what it left.
int call_protected(lua_State* L) {
    auto* c = static_cast<CallCtx*>(lua_touserdata(L, 1));
    const modrt_host_api& h = host_api();
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->ws->refs().handler);
    c->ws->loader().push_entry_function(L, *c->spec);
    size_t nargs = h.value_len(c->args);
    if (nargs > 200 || !lua_checkstack(L, static_cast<int>(nargs) + 8))
        return raise_error(L, MODRT_ERR_INVALID, "too many arguments (at most 200)");
    for (size_t i = 0; i < nargs; ++i) push_modrt_value(L, h.value_at(c->args, i));
    bool failed = lua_pcall(L, static_cast<int>(nargs), 2, 1) != 0;
    if (failed) lua_pushnil(L);  // finish_call reads two values
    finish_call(L, c, failed, 2);
    return 0;
}

modrt_error* WorkerState::invoke(const std::shared_ptr<const ModuleSpec>& spec, modrt_frame* frame,
                                 const modrt_value* args, modrt_value* result) noexcept {
    const modrt_host_api& h = host_api();
    lua_State* L = L_;
    bool nested = call_ != nullptr;
    bool nested_fast = nested && std::exchange(nested_room_, false);
    int base = lua_gettop(L);
    // A nested fast call's room was checked by start_call on this same lua_State, which has
    // pushed nothing since (lend_nested_room).
    if (!nested_fast && !lua_checkstack(L, !nested ? kTopStack : kNestedStack))
        return h.error_new(MODRT_ERR_INTERNAL, to_str("function.lua: Lua stack overflow"));
    // Nested calls recurse on this thread's native stack (c_stack_guard.hpp).
    if (nested && c_stack_low()) [[unlikely]]
        return h.error_new(MODRT_ERR_INTERNAL,
                           to_str("function.lua: C stack overflow: calls nested on this thread left " +
                                  std::to_string(c_stack_left() / 1024) + " KiB of its native stack, below the " +
                                  std::to_string(c_stack_reserve() / 1024) + " KiB a call keeps free"));

    // The cancellation hook (cancel_hook.cpp) is set only when a call must stop: a call that
    // can be stopped is watched (call_watch.hpp); one that cannot registers nothing.
    std::optional<CallWatch> watch;
    if (deadlines_ != nullptr && Frame(frame).stoppable()) watch.emplace(*this, frame, *deadlines_);
    // Fresh globals for this call; a call below it on this state gets its own back at the end.
    int saved = begin_call_globals(L, globals_) ? base + 1 : 0;
    CallCtx c{this, &spec, frame, args, result, nullptr, MODRT_ERR_UNKNOWN, call_};
    call_ = &c;
    if ((nested && !nested_fast) || !call_fast(c, saved != 0 ? base + 1 : base, nested)) call_slow(c);
    call_ = c.prev;
    if (c.scheduler != LUA_NOREF) release_scheduler(L, c.scheduler);  // its coroutines end with it
    end_call_globals(L, globals_, saved);  // drops this call's scratch globals
    lua_settop(L, base);
    if (!nested) call_slots_.free_all();
    watch.reset();
    settle_cancel_hook();

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
bool WorkerState::call_fast(CallCtx& c, int base, bool nested) noexcept {
    lua_State* L = L_;
    const ModuleLoader::LoadedMethod* method = loader_.method((*c.spec)->serial);
    if (method == nullptr) return false;
    ScalarArgs<kFastMaxArgs> args{ValueView(c.args)};
    size_t nargs = args.size();
    if (nargs > kFastMaxArgs) return false;
    for (size_t i = 0; i < nargs; ++i)
        if (!pushable_scalar(args.item(i))) return false;
    int handler = kHandlerSlot;
    if (nested) {
        // The resident slots belong to the top level's frame, out of this C frame's reach:
        // the handler and the method come from the registry (two lookups, where the slow
        // path's second protected call cost ~1,100 instructions).
        lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.handler);
        handler = ++base;
        lua_rawgeti(L, LUA_REGISTRYINDEX, method->ref);
    } else {
        lua_rawgeti(L, kFunctionsSlot, method->index);
    }
    for (size_t i = 0; i < nargs; ++i) push_scalar(L, args.item(i));
    if (lua_pcall(L, static_cast<int>(nargs), 2, handler) != 0) {
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

}  // namespace modrt::lua
