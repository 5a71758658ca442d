// Which state a thread uses: each thread that runs calls keeps its states in
// a thread_local list keyed by the owning kind's liveness token, and closes
// them when the thread exits (or, for a kind that is gone, the next time this
// thread creates a state).
#pragma once

#include "vm/deadline_timer.hpp"
#include "vm/memory_budget.hpp"
#include "vm/worker_state.hpp"

#include <cstddef>
#include <memory>

namespace modrt::lua {

/// What a kind's states are created with, and share; the kind's shared_ptr to it
/// is also its liveness token (states of a kind that is gone are closed).
struct StateSettings {
    size_t memory_limit = kDefaultMemoryLimit;  ///< bytes of Lua heap per state
    /// Arms a state's hook at its call's deadline. Its thread lives as long as the kind
    /// (and the entries and calls that hold this), never past it.
    std::unique_ptr<DeadlineTimer> deadlines = std::make_unique<DeadlineTimer>();
};

/// The calling thread's state for the kind identified by `owner` (its
/// liveness token), created on first use with its settings. Throws
/// modrt::Failure when a state cannot be created.
WorkerState& state_for_thread(const std::shared_ptr<const StateSettings>& owner);

}  // namespace modrt::lua
