// Running a call that might deadlock without hanging the test: the work runs on its
// own thread and the test waits a bounded time for it.
#pragma once

#include <chrono>
#include <future>
#include <optional>
#include <thread>
#include <utility>

namespace modrt::test {

/// `work()` on a new thread, waited for at most `limit`; nullopt when it did not return.
/// A thread that returned is joined before the result is handed back, so it has finished
/// exiting (thread_local destructors, TLS freed) before the test goes on and the process
/// ends; a detached thread still exiting then is what sanitizers report as a leak or race.
/// Only a hung thread is detached: the test fails, and whatever it uses must be leaked.
template <typename Work>
auto run_within(Work work, std::chrono::milliseconds limit) -> std::optional<decltype(work())> {
    using Result = decltype(work());
    std::promise<Result> done;
    std::future<Result> result = done.get_future();
    std::thread runner([work = std::move(work), done = std::move(done)]() mutable { done.set_value(work()); });
    if (result.wait_for(limit) != std::future_status::ready) {
        runner.detach();
        return std::nullopt;
    }
    runner.join();
    return result.get();
}

}  // namespace modrt::test
