// The cancellation hook and the check-mode instruction budget (worker_state.hpp).
//
// A worker state's hook is set only once its call must stop (call_watch.hpp sets
// it from the cancelling thread or the deadline timer). LuaJIT is built with
// LUAJIT_ENABLE_CHECKHOOK (cmake/LuaJIT.cmake): compiled code tests the hook mask
// at every loop iteration and leaves its trace when a count hook is set, so the
// hook then runs in the interpreter within kHookEvery instructions.
#include "vm/call_ctx.hpp"
#include "vm/worker_state.hpp"

#include "values/lua_errors.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

// The hook runs every this many VM instructions.
constexpr int kHookEvery = 1000;
// Check mode: budget of hook ticks (x kHookEvery instructions) for a module's top level.
constexpr long kCheckBudget = 100000;

// Both modes' hook is WorkerState::check_interrupt at one tick.
void interrupt_hook(lua_State* L, lua_Debug*) {
    if (WorkerState* ws = WorkerState::of(L)) ws->check_interrupt(L, 1);
}

}  // namespace

void WorkerState::arm_check_hook() noexcept {
    check_mode_ = true;
    lua_sethook(L_, interrupt_hook, LUA_MASKCOUNT, kHookEvery);
}

void WorkerState::reset_check_budget() noexcept { budget_left_ = kCheckBudget; }

void WorkerState::arm_cancel_hook() noexcept {
    std::lock_guard lock(hook_mutex_);
    if (hook_armed_.load(std::memory_order_relaxed)) return;
    lua_sethook(L_, interrupt_hook, LUA_MASKCOUNT, kHookEvery);
    hook_armed_.store(true, std::memory_order_seq_cst);
}

void WorkerState::settle_cancel_hook() noexcept {
    if (!hook_armed_.load(std::memory_order_seq_cst)) return;
    {
        std::lock_guard lock(hook_mutex_);
        lua_sethook(L_, nullptr, 0, 0);
        hook_armed_.store(false, std::memory_order_seq_cst);
    }
    // The call this one was nested in may have been stopped meanwhile (its canceller or
    // timer armed the hook that was just taken off): it still must stop. Whatever stops it
    // after this check arms the hook through its own watch, which is still registered.
    if (call_ != nullptr && call_->frame != nullptr && host_api().frame_canceled(call_->frame) != MODRT_ERR_UNKNOWN)
        arm_cancel_hook();
}

bool WorkerState::cancel_raised() const noexcept { return call_ != nullptr && call_->canceled != MODRT_ERR_UNKNOWN; }

bool WorkerState::interrupted() const noexcept { return check_mode_ ? budget_left_ <= 0 : cancel_raised(); }

void WorkerState::check_interrupt(lua_State* L, long ticks) {
    if (check_mode_) {
        budget_left_ -= ticks;
        if (budget_left_ <= 0)
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

}  // namespace modrt::lua
