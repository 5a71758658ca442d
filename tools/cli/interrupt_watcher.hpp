// Ctrl-C during `modrt call`: cancel the call (and every call beneath it)
// instead of killing the process, so functions see CANCELED and clean up.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <atomic>
#include <memory>
#include <thread>

#include <signal.h>

namespace modrt::cli {

/// Watches SIGINT and SIGTERM on a thread of its own. Construct it before the
/// runtime: threads created afterwards inherit the blocked signals, so only
/// this thread receives them. A second signal ends the process at once.
class InterruptWatcher {
public:
    explicit InterruptWatcher(std::shared_ptr<kernel::CallCanceller> canceller);
    ~InterruptWatcher();
    InterruptWatcher(const InterruptWatcher&) = delete;
    InterruptWatcher& operator=(const InterruptWatcher&) = delete;

    /// Whether a signal arrived (the call was cancelled because of it).
    bool interrupted() const noexcept { return interrupted_.load(); }

private:
    void watch();

    std::shared_ptr<kernel::CallCanceller> canceller_;
    sigset_t watched_{};
    sigset_t previous_{};
    std::atomic<bool> interrupted_{false};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace modrt::cli
