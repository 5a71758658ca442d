// What the soak reads about its own process: resident memory and live threads.
#pragma once

#include "support/thread_count.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <thread>

namespace soak {

/// Resident set size in bytes (/proc/self/statm, second field, in pages).
inline int64_t rss_bytes() {
    std::ifstream statm("/proc/self/statm");
    int64_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
}

using modrt::test::thread_count;

/// Poll until `pred` holds or `timeout` passes (a joined thread leaves /proc a moment
/// after pthread_join returns); returns the last answer.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > until) return pred();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

}  // namespace soak
