// Signals during `modrt call` and `modrt serve`: stop the work instead
// of killing the process, so functions see CANCELED and clean up.
//   SIGINT  (Ctrl-C): cancel (`modrt serve`: stop gracefully); `call` then exits 130. A second signal quits at once.
//   SIGTERM: cancel, then give the work a grace period to return; if it has not
//            returned by then the process exits 143 (128 + SIGTERM) anyway, so
//            `timeout` and service managers can always stop it.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <signal.h>

namespace modrt::cli {

/// Exit status after SIGTERM, as a shell reports a process ended by SIGTERM.
inline constexpr int kTerminatedExit = 128 + SIGTERM;
/// How long a SIGTERMed call may take to return before the process exits anyway.
inline constexpr std::chrono::milliseconds kDefaultTermGrace{2000};

/// Watches SIGINT and SIGTERM on a thread of its own. Construct it before the
/// runtime: threads created afterwards inherit the blocked signals, so only
/// this thread receives them. Destroy it after the runtime: the SIGTERM grace
/// period also bounds a shutdown that waits for a stuck worker.
class InterruptWatcher {
public:
    /// `cancel` runs on the watcher's thread at the first signal; `work` names what it stops in messages.
    explicit InterruptWatcher(std::function<void()> cancel, std::chrono::milliseconds term_grace = kDefaultTermGrace,
                              std::string work = "the call");
    /// Cancel one call (and every call beneath it).
    explicit InterruptWatcher(std::shared_ptr<kernel::CallCanceler> canceler,
                              std::chrono::milliseconds term_grace = kDefaultTermGrace);
    ~InterruptWatcher();
    InterruptWatcher(const InterruptWatcher&) = delete;
    InterruptWatcher& operator=(const InterruptWatcher&) = delete;

    /// Change the SIGTERM grace period (`modrt serve` knows it once the registry is read).
    void set_term_grace(std::chrono::milliseconds grace) noexcept { term_grace_ms_.store(grace.count()); }
    /// Whether a signal arrived (the work was canceled because of it).
    bool interrupted() const noexcept { return signal_.load() != 0; }
    /// The status to exit with after a signal: 130 (SIGINT) or 143 (SIGTERM); 0 before any.
    int exit_code() const noexcept { return signal_.load() == 0 ? 0 : 128 + signal_.load(); }

private:
    void watch();
    [[noreturn]] void quit(const char* why) const;

    std::function<void()> cancel_;
    std::atomic<int64_t> term_grace_ms_;
    std::string work_;
    sigset_t watched_{};
    sigset_t previous_{};
    std::atomic<int> signal_{0};  // the first signal received, 0 before
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace modrt::cli
