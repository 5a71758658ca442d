// Checking entries at registry load (syntax, top-level errors, the method) in
// one scratch state per plugin instance, reused across entries and shared by
// function.lua and library.lua: a state per entry made a 1000-entry registry
// spend most of its load creating and closing states, and a state per kind was
// a tenth of the instructions `modrt call` spends saying hello.
#pragma once

#include "loading/module_spec.hpp"
#include "vm/worker_state.hpp"

#include <modrt/sdk.hpp>

#include <memory>
#include <mutex>

namespace modrt::lua {

/// Load `spec` in `state` (Mode::check) and, when it has a method, check that the
/// chunk returns a table holding a function under it. Throws modrt::Failure
/// (INVALID, naming the field: `source` or `method`) when it does not.
void check_module(WorkerState& state, const std::shared_ptr<const ModuleSpec>& spec);

/// Log, as warnings, the type errors the typed Lua checker found in the entry's own
/// file (`modrt validate` shows them; they do not stop the registry from loading).
void log_type_diagnostics(const Host& host, const ModuleSpec& spec);

class LoadChecker {
public:
    /// Load `spec` in the scratch state; throws modrt::Failure (INVALID, with the field) on a problem.
    void check(const std::shared_ptr<const ModuleSpec>& spec) {
        std::lock_guard lock(mutex_);  // entries of one registry may be prepared from several threads
        if (!state_) {
            state_ = std::make_unique<WorkerState>(WorkerState::Mode::check);
            log(MODRT_LOG_DEBUG, "function.lua", "created the Lua state that checks entries as they load");
        }
        check_module(*state_, spec);
    }

private:
    std::mutex mutex_;
    std::unique_ptr<WorkerState> state_;
};

}  // namespace modrt::lua
