// Counting this process's threads, for tests that check no thread outlives what started it.
#pragma once

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

namespace modrt::test {

/// Threads of this process (entries of /proc/self/task). The first call starts and joins
/// one thread, so that a sanitizer's helper thread (TSan starts one with the first thread)
/// already exists, and waits until that thread has left /proc: pthread_join returns a
/// moment before, and a count taken then includes it (seen: a test's "before" one too high).
inline size_t thread_count() {
    static const bool warmed = [] {
        pid_t tid = 0;
        std::thread([&tid] { tid = ::gettid(); }).join();
        const std::filesystem::path entry = "/proc/self/task/" + std::to_string(tid);
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::filesystem::exists(entry) && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        return true;
    }();
    (void)warmed;
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
    return n;
}

}  // namespace modrt::test
