// Native functions for handlers running in `modrt serve` nodes: their traces go to files, which
// outlive a node killed with -9 and which the test (another process) reads.
#include <modrt/sdk.hpp>

#include <chrono>
#include <string>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

// append(path, line) -> true: one line, written with O_APPEND in one write (atomic between nodes)
MODRT_NATIVE_FUNCTION(append) {
    (void)frame;
    (void)host;
    std::string line(args[1].as_string());
    line += '\n';
    std::string path(args[0].as_string());
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return modrt::Error(MODRT_ERR_UNAVAILABLE, "cannot open " + path);
    ssize_t n = ::write(fd, line.data(), line.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(line.size())) return modrt::Error(MODRT_ERR_UNAVAILABLE, "short write to " + path);
    result.set_bool(true);
    return {};
}

// now_ns() -> the host's monotonic clock (publish-to-handled latency between nodes of one machine)
MODRT_NATIVE_FUNCTION(now_ns) {
    (void)frame;
    (void)args;
    result.set_int(std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::steady_clock::now().time_since_epoch()).count());
    (void)host;
    return {};
}

// sleep_ms(ms) -> true, sooner when the call is canceled
MODRT_NATIVE_FUNCTION(sleep_ms) {
    (void)host;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args[0].as_int());
    while (std::chrono::steady_clock::now() < until) {
        if (frame.canceled() != 0) return modrt::Error(MODRT_ERR_CANCELED, "sleep canceled");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    result.set_bool(true);
    return {};
}
