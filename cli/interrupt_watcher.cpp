// Signals become canceled work, and SIGTERM a bounded exit (interrupt_watcher.hpp).
#include "interrupt_watcher.hpp"

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>

#include <pthread.h>

namespace modrt::cli {

namespace {
// Wakes the watcher when it should stop; never sent from outside.
constexpr int kStopSignal = SIGUSR1;

timespec to_timespec(std::chrono::steady_clock::duration d) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
    if (ns < 0) ns = 0;
    return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}
}  // namespace

InterruptWatcher::InterruptWatcher(std::function<void()> cancel, std::chrono::milliseconds term_grace, std::string work)
    : cancel_(std::move(cancel)), term_grace_ms_(term_grace.count()), work_(std::move(work)) {
    sigemptyset(&watched_);
    sigaddset(&watched_, SIGINT);
    sigaddset(&watched_, SIGTERM);
    sigaddset(&watched_, kStopSignal);
    pthread_sigmask(SIG_BLOCK, &watched_, &previous_);
    thread_ = std::thread([this] { watch(); });
}

InterruptWatcher::InterruptWatcher(std::shared_ptr<kernel::CallCanceler> canceler, std::chrono::milliseconds term_grace)
    : InterruptWatcher([c = std::move(canceler)] { c->cancel(); }, term_grace) {}

InterruptWatcher::~InterruptWatcher() {
    stopping_.store(true);
    pthread_kill(thread_.native_handle(), kStopSignal);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

void InterruptWatcher::quit(const char* why) const {
    std::cerr << "modrt: " << why << ", quitting\n" << std::flush;
    std::_Exit(exit_code());  // other threads may be stuck in a function: no destructors, no atexit
}

void InterruptWatcher::watch() {
    std::optional<std::chrono::steady_clock::time_point> term_deadline;  // set by SIGTERM
    for (;;) {
        int sig = 0;
        if (term_deadline) {
            timespec left = to_timespec(*term_deadline - std::chrono::steady_clock::now());
            sig = sigtimedwait(&watched_, nullptr, &left);
            if (sig < 0) {
                if (errno == EAGAIN)
                    quit((work_ + " did not stop within " + std::to_string(term_grace_ms_.load()) + "ms of SIGTERM")
                             .c_str());
                continue;  // EINTR
            }
        } else if (sigwait(&watched_, &sig) != 0) {
            continue;
        }
        if (sig == kStopSignal) {
            if (stopping_.load()) return;
            continue;
        }
        int first = 0;
        if (!signal_.compare_exchange_strong(first, sig)) {
            signal_.store(sig);  // the code of the signal that made us quit
            quit(sig == SIGINT ? "interrupted again" : "SIGTERM again");
        }
        if (sig == SIGTERM) {
            const int64_t grace = term_grace_ms_.load();
            term_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace);
            std::cerr << "modrt: SIGTERM, stopping " << work_ << " (quitting in " << grace
                      << "ms if it does not stop)\n";
        } else {
            std::cerr << "modrt: interrupted, stopping " << work_ << " (again to quit at once)\n";
        }
        cancel_();
    }
}

}  // namespace modrt::cli
