// A lua_State set up for modrt: one per thread per kind instance
// (thread_states.hpp), or a scratch state that checks entries at registry
// load (load_checker.hpp).
//
// States are per worker by design: a lua_State is not thread-safe, creating
// one costs ~55 us (never per call), and a worker thread runs one call at a
// time (plus calls nested inside it, which reuse the same state re-entrantly).
//
// The jobs of a state live in separate files: creation here
// (worker_state.cpp), the two call paths (call_paths.cpp), the cancellation
// hook (cancel_hook.cpp), and loading modules (loading/module_loader.hpp,
// which caches per state each entry's method and each library's value).
#pragma once

#include "loading/module_loader.hpp"
#include "loading/module_spec.hpp"
#include "vm/call_slots.hpp"
#include "vm/deadline_timer.hpp"
#include "vm/memory_budget.hpp"
#include "vm/sandbox.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

#include <atomic>
#include <memory>
#include <mutex>

namespace modrt::lua {

struct CallCtx;   // one call in flight (call_ctx.hpp)
struct CallMemo;  // call_env.hpp

class WorkerState {
public:
    enum class Mode {
        worker,  ///< runs calls: JIT on, cancellation hook set when a call must stop (call_watch.hpp)
        check,   ///< validates an entry at registry load: JIT off, instruction budget
    };

    /// Throws modrt::Failure when the state cannot be created. A worker state's stoppable
    /// calls arm its hook at their deadline through `deadlines` (required in worker mode).
    explicit WorkerState(Mode mode, size_t memory_limit = kDefaultMemoryLimit, DeadlineTimer* deadlines = nullptr);
    ~WorkerState();
    WorkerState(const WorkerState&) = delete;
    WorkerState& operator=(const WorkerState&) = delete;

    /// Run the method of `spec` with `args` (an array); writes `result`.
    /// Returns an owned error or nullptr. Never throws, never panics (call_paths.cpp).
    modrt_error* invoke(const std::shared_ptr<const ModuleSpec>& spec, modrt_frame* frame, const modrt_value* args,
                        modrt_value* result) noexcept;

    lua_State* state() const noexcept { return L_; }
    /// What this state has loaded: modules, entries' methods, libraries.
    ModuleLoader& loader() noexcept { return loader_; }
    /// The state object that owns `L` (any thread of it); nullptr for a foreign state.
    static WorkerState* of(lua_State* L) noexcept;

    // -- the running call --
    /// The frame of the innermost call running on this state (nullptr between calls).
    modrt_frame* current_frame() const noexcept;
    /// The spec of the innermost call running on this state (nullptr between calls), for module_binding.hpp.
    const ModuleSpec* current_spec() const noexcept;
    /// The innermost call's scheduler ref (CallCtx::scheduler), nullptr between calls.
    int* scheduler_ref() noexcept;
    /// The innermost call's memo (CallCtx::memo), nullptr between calls.
    CallMemo* current_memo() noexcept;
    /// The runtime whose calls this state runs (set by the kind before each call), for the funcs module.
    modrt_runtime* runtime() const noexcept { return runtime_; }
    void set_runtime(modrt_runtime* runtime) noexcept { runtime_ = runtime; }
    /// Whether the running call wrote globals (sandbox.hpp).
    CallGlobals* globals() noexcept { return &globals_; }
    /// Values the synchronous calls Lua makes on this state reuse (call_slots.hpp).
    CallSlots& call_slots() noexcept { return call_slots_; }

    // -- cancellation and budgets (cancel_hook.cpp) --
    /// Whether the cancellation hook has stopped the innermost call (pcall must not swallow that).
    bool cancel_raised() const noexcept;
    /// For long-running C code inside a call (pattern matching, ...): raises CANCELED/TIMEOUT
    /// exactly as the cancellation hook does (so pcall cannot swallow it) when the innermost
    /// call was canceled; in check mode, charges `ticks` hook-ticks against the load budget
    /// and raises when it is spent. Returns normally otherwise.
    void check_interrupt(lua_State* L, long ticks);
    /// Whether the innermost call was interrupted (canceled, or in check mode out of budget):
    /// pcall, xpcall and resume let such an error through, and xpcall runs no handler for it.
    bool interrupted() const noexcept;
    /// Check mode: give the next module top level the whole instruction budget.
    void reset_check_budget() noexcept;
    /// Set the cancellation hook: from any thread (the canceller, the deadline timer),
    /// when the running call must stop. The hook then checks the innermost call's frame.
    void arm_cancel_hook() noexcept;

    /// What stays on the state's stack between calls, so the fast path reaches it
    /// without a registry lookup (luaL_ref keys sit in the registry's hash part:
    /// a lua_rawgeti there cost ~70 instructions, a stack slot costs nothing).
    static constexpr int kHandlerSlot = 1;    ///< traceback_handler
    static constexpr int kFunctionsSlot = 2;  ///< the table of loaded methods (ModuleLoader::LoadedMethod::index)
    static constexpr int kResidentSlots = 2;
    /// The fast path takes at most this many arguments.
    static constexpr int kFastMaxArgs = 16;
    /// Free Lua stack slots a C function must leave before it calls a function that may run
    /// nested on this state (start_call): what a nested invoke pushes, fast path included.
    static constexpr int kNestedCallRoom = kFastMaxArgs + 12;
    /// A C function on `caller` that has left kNestedCallRoom free slots is about to call out:
    /// when `caller` is this state's main thread, the next nested invoke may take the fast
    /// path (it runs on the main thread's stack; a coroutine's room is on its own).
    void lend_nested_room(lua_State* caller) noexcept { nested_room_ = caller == L_; }
    /// Registry refs made once at state creation: the C functions the call
    /// paths push (lua_pushcfunction and lua_cpcall would allocate a closure
    /// each time) and the table of loaded methods.
    struct Refs {
        int handler = LUA_NOREF;    ///< traceback_handler
        int call = LUA_NOREF;       ///< the slow path's protected body
        int finish = LUA_NOREF;     ///< converts results and errors the fast path cannot
        int functions = LUA_NOREF;  ///< the table of loaded methods, by LoadedMethod::index
    };
    const Refs& refs() const noexcept { return refs_; }

private:
    /// The state's lua_Alloc: budget_alloc on budget_, with `this` as its userdata so that
    /// of() finds the owner without a registry lookup.
    static void* allocate(void* ud, void* ptr, size_t osize, size_t nsize) noexcept;
    /// Set the check-mode hook that charges the instruction budget (cancel_hook.cpp).
    void arm_check_hook() noexcept;
    /// End of a call, after its watch is gone: take the hook off, unless the call below
    /// (this one was nested in it) must stop too.
    void settle_cancel_hook() noexcept;
    bool call_fast(CallCtx& c, int base, bool nested) noexcept;
    void call_slow(CallCtx& c) noexcept;
    void finish_slow(CallCtx& c, bool failed, int first) noexcept;

    MemoryBudget budget_;  // before L_: the state's allocator uses it until lua_close
    lua_State* L_ = nullptr;
    Refs refs_;
    ModuleLoader loader_;
    CallGlobals globals_;
    CallSlots call_slots_;
    CallCtx* call_ = nullptr;
    bool nested_room_ = false;  // lend_nested_room, taken by the next nested invoke
    DeadlineTimer* deadlines_ = nullptr;  // the kind's (StateSettings); nullptr in check mode
    // lua_sethook may be called from another thread while Lua runs (LuaJIT allows it:
    // that is how its own Ctrl-C handler stops a loop), but two calls at once could
    // leave the hook mask and the dispatch table disagreeing: the mutex orders them.
    std::mutex hook_mutex_;
    std::atomic<bool> hook_armed_{false};  // the cancellation hook is set (worker mode)
    bool check_mode_ = false;              // Mode::check: the hook charges budget_left_ instead
    long budget_left_ = 0;                 // check mode: hook ticks the module's top level may still run
    modrt_runtime* runtime_ = nullptr;
};

}  // namespace modrt::lua
