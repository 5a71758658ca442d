// Signals become a cancelled call (interrupt_watcher.hpp).
#include "interrupt_watcher.hpp"

#include "cli_options.hpp"

#include <cstdlib>
#include <iostream>

#include <pthread.h>

namespace modrt::cli {

namespace {
// Wakes the watcher when it should stop; never sent from outside.
constexpr int kStopSignal = SIGUSR1;
}  // namespace

InterruptWatcher::InterruptWatcher(std::shared_ptr<kernel::CallCanceller> canceller)
    : canceller_(std::move(canceller)) {
    sigemptyset(&watched_);
    sigaddset(&watched_, SIGINT);
    sigaddset(&watched_, SIGTERM);
    sigaddset(&watched_, kStopSignal);
    pthread_sigmask(SIG_BLOCK, &watched_, &previous_);
    thread_ = std::thread([this] { watch(); });
}

InterruptWatcher::~InterruptWatcher() {
    stopping_.store(true);
    pthread_kill(thread_.native_handle(), kStopSignal);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

void InterruptWatcher::watch() {
    for (;;) {
        int sig = 0;
        if (sigwait(&watched_, &sig) != 0) continue;
        if (sig == kStopSignal) {
            if (stopping_.load()) return;
            continue;
        }
        if (interrupted_.exchange(true)) {
            std::cerr << "modrt: interrupted again, quitting\n";
            std::_Exit(kInterrupted);
        }
        std::cerr << "modrt: interrupted, cancelling the call (again to quit at once)\n";
        canceller_->cancel();
    }
}

}  // namespace modrt::cli
