// One lua_State per thread per kind instance.
//
// States are per worker by design: a lua_State is not thread-safe, creating
// one costs ~55 us (never per call), and a worker thread runs one call at a
// time (plus calls nested inside it, which reuse the same state re-entrantly).
// Each thread keeps its states in a thread_local list keyed by the owning
// kind's liveness token, and closes them when the thread exits (or, for a
// kind that is gone, the next time this thread creates a state).
//
// A state caches, per entry, the loaded method function (a registry ref), and
// per library id the value its chunk returned, so code loads once per state.
#pragma once

#include "module_spec.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

#include <memory>
#include <string>
#include <unordered_map>

namespace modrt::lua {

class WorkerState {
public:
    enum class Mode {
        worker,  ///< runs calls: JIT on, cancellation hook during calls
        check,   ///< validates an entry at registry load: JIT off, instruction budget
    };

    /// Throws modrt::Failure when the state cannot be created.
    explicit WorkerState(Mode mode);
    ~WorkerState();
    WorkerState(const WorkerState&) = delete;
    WorkerState& operator=(const WorkerState&) = delete;

    /// The calling thread's state for the kind identified by `owner` (its
    /// liveness token), created on first use.
    static WorkerState& for_thread(const std::shared_ptr<const void>& owner);

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
    /// Instruction budget bookkeeping for check mode.
    long budget_left = 0;

private:
    lua_State* L_ = nullptr;
    Mode mode_;
    std::unordered_map<uint64_t, std::shared_ptr<const ModuleSpec>> specs_;
    std::unordered_map<uint64_t, int> functions_;   // entry serial -> registry ref of the method
    std::unordered_map<std::string, int> libraries_;  // library id -> registry ref (kLoading while running)
};

}  // namespace modrt::lua
