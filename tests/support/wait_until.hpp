// Waiting in a test for something another thread or process makes happen: poll, bounded.
#pragma once

#include <chrono>
#include <thread>

namespace modrt::test {

/// Poll `pred` every `every` until it holds or `timeout` passes; returns its last value.
template <typename Pred>
bool wait_until(Pred&& pred, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = std::chrono::milliseconds(2)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return pred();
        std::this_thread::sleep_for(every);
    }
    return true;
}

}  // namespace modrt::test
