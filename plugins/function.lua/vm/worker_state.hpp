// One lua_State per thread per kind instance.
//
// States are per worker by design: a lua_State is not thread-safe, creating
// one costs ~55 us (never per call), and a worker thread runs one call at a
// time (plus calls nested inside it, which reuse the same state re-entrantly).
// Each thread keeps its states in a thread_local list keyed by the owning
// kind's liveness token, and closes them when the thread exits (or, for a
// kind that is gone, the next time this thread creates a state).
//
// A state caches, per entry, the loaded method function (in a table kept on
// the state's stack, see worker_state.cpp), and per library id the value its
// chunk returned (a registry ref), so code loads once per state.
#pragma once

#include "vm/memory_budget.hpp"
#include "loading/module_spec.hpp"
#include "vm/sandbox.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

#include <memory>
#include <string>
#include <unordered_map>

namespace modrt::lua {

struct CallCtx;  // one call in flight (worker_state.cpp)

/// What a kind's states are created with; the kind's shared_ptr to it is also
/// its liveness token (states of a kind that is gone are closed).
struct StateSettings {
    size_t memory_limit = kDefaultMemoryLimit;  ///< bytes of Lua heap per state
};

class WorkerState {
public:
    enum class Mode {
        worker,  ///< runs calls: JIT on, cancellation hook while a call that can be stopped runs
        check,   ///< validates an entry at registry load: JIT off, instruction budget
    };

    /// Throws modrt::Failure when the state cannot be created.
    explicit WorkerState(Mode mode, size_t memory_limit = kDefaultMemoryLimit);
    ~WorkerState();
    WorkerState(const WorkerState&) = delete;
    WorkerState& operator=(const WorkerState&) = delete;

    /// The calling thread's state for the kind identified by `owner` (its
    /// liveness token), created on first use with its settings.
    static WorkerState& for_thread(const std::shared_ptr<const StateSettings>& owner);

    /// Run the method of `spec` with `args` (an array); writes `result`.
    /// Returns an owned error or nullptr. Never throws, never panics.
    modrt_error* invoke(const std::shared_ptr<const ModuleSpec>& spec, modrt_frame* frame, const modrt_value* args,
                        modrt_value* result) noexcept;

    /// Check mode: load `spec` and, when it has a method, check that the chunk
    /// returns a table holding a function under it. Throws modrt::Failure
    /// (INVALID, naming the field) when it does not.
    void check(const std::shared_ptr<const ModuleSpec>& spec);

    // -- used by require and the protected helpers --
    lua_State* state() const noexcept { return L_; }
    /// The spec a require closure of this state was made for (nullptr when unknown).
    const ModuleSpec* spec(uint64_t serial) const noexcept;
    /// Push the value of library `lib`, running its chunk once per state. Raises on failure.
    void push_library(lua_State* L, const std::shared_ptr<const ModuleSpec>& lib);
    /// Push the method function of `spec`, loading its module once per state. Raises on failure.
    void push_entry_function(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec);
    /// Run the chunk of `spec` in a new module environment; pushes what it returned. Raises on failure.
    void load_module(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec);
    /// The innermost call running on this state (nullptr between calls), for the cancellation hook.
    CallCtx* current_call() const noexcept { return call_; }
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
    /// The frame of the innermost call running on this state (nullptr between calls).
    modrt_frame* current_frame() const noexcept;
    /// The spec of the innermost call running on this state (nullptr between calls), for module_binding.hpp.
    const ModuleSpec* current_spec() const noexcept;
    /// The state object that owns `L` (any thread of it); nullptr for a foreign state.
    static WorkerState* of(lua_State* L) noexcept;
    /// The runtime whose calls this state runs (set by the kind before each call), for the funcs module.
    modrt_runtime* runtime() const noexcept { return runtime_; }
    void set_runtime(modrt_runtime* runtime) noexcept { runtime_ = runtime; }
    /// Whether the running call wrote globals (sandbox.hpp).
    CallGlobals* globals() noexcept { return &globals_; }
    /// Registry refs made once at state creation: the C functions the call
    /// paths push (lua_pushcfunction and lua_cpcall would allocate a closure
    /// each time) and the table of loaded methods.
    struct Refs {
        int handler = LUA_NOREF;  ///< traceback_handler
        int call = LUA_NOREF;     ///< the slow path's protected body
        int finish = LUA_NOREF;   ///< converts results and errors the fast path cannot
        int functions = LUA_NOREF;  ///< the table of loaded methods, by function_index
    };
    const Refs& refs() const noexcept { return refs_; }
    /// Instruction budget bookkeeping for check mode.
    long budget_left = 0;

private:
    /// Index of the entry's method in the functions table, 0 when not loaded yet.
    int function_index(uint64_t serial) noexcept;
    /// Arm the cancellation hook for a call that can be stopped; take it off after a run of calls that cannot.
    void fit_cancel_hook(bool stoppable, bool nested) noexcept;
    bool call_fast(CallCtx& c, int base) noexcept;
    void call_slow(CallCtx& c) noexcept;
    void finish_slow(CallCtx& c, bool failed, int first) noexcept;

    MemoryBudget budget_;  // before L_: the state's allocator uses it until lua_close
    lua_State* L_ = nullptr;
    Refs refs_;
    CallGlobals globals_;
    CallCtx* call_ = nullptr;
    bool hooked_ = false;   // the cancellation hook is set (worker mode)
    bool check_mode_ = false;  // Mode::check: the hook charges budget_left instead
    int plain_calls_ = 0;   // top-level calls in a row, while hooked, that nothing could stop
    modrt_runtime* runtime_ = nullptr;
    std::unordered_map<uint64_t, std::shared_ptr<const ModuleSpec>> specs_;
    std::unordered_map<uint64_t, int> functions_;   // entry serial -> index in the functions table
    uint64_t last_serial_ = 0;                       // the last hit in functions_ (serials start at 1)
    int last_index_ = 0;
    std::unordered_map<std::string, int> libraries_;  // library id -> registry ref (kLoading while running)
};

}  // namespace modrt::lua
