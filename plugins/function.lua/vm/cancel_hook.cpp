// The cancellation hook and the check-mode instruction budget (worker_state.hpp).
//
// NOTE: a count hook does not fire inside JIT-compiled traces
// (plugins/function.lua/README.md, Cancellation): a loop that the JIT compiled
// may run long past cancellation. A later issue decides how to stop such code;
// this hook covers interpreted code.
#include "vm/call_ctx.hpp"
#include "vm/worker_state.hpp"

#include "values/lua_errors.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

// The hook runs every this many VM instructions.
constexpr int kHookEvery = 1000;
// Top-level calls nothing can stop, in a row, before the hook comes off. lua_sethook
// rewrites LuaJIT's dispatch table (~60 ns), so a worker that mixes stoppable and
// unstoppable calls must not pay it at every switch.
constexpr int kUnhookAfter = 64;
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
