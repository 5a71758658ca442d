// Run a program as a child process and capture what it prints.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace modrt::test {

struct ProcessResult {
    int exit_code = -1;      // the child's exit status; 128+N when killed by signal N
    bool timed_out = false;  // killed because it ran longer than the limit
    std::string out;         // everything written to stdout
    std::string err;         // everything written to stderr
    /// From the last signal sent (ProcessOptions::signals / interrupt_after) to the child's exit; nullopt if none was sent.
    std::optional<std::chrono::milliseconds> exit_after_signal;
};

/// A signal sent to the child: `after` this long after the previous one (the first: after the signal clock starts).
struct TimedSignal {
    std::chrono::milliseconds after;
    int signo;
};

struct ProcessOptions {
    /// Variables set (value) or removed (nullopt) in the child's environment; the rest is inherited.
    std::map<std::string, std::optional<std::string>> env;
    /// The child is killed (SIGKILL) after this long.
    std::chrono::milliseconds limit{60000};
    /// When set, the child gets one SIGINT (as from Ctrl-C) this long after it started.
    std::optional<std::chrono::milliseconds> interrupt_after;
    /// Signals sent in order (besides interrupt_after); those still due when the child exits are not sent.
    std::vector<TimedSignal> signals;
    /// When set, the clock of `signals` starts once the child's stderr contains this text (it is ready),
    /// not at start; the child is killed at `limit` if it never appears.
    std::optional<std::string> signals_after_stderr;
};

/// Run argv[0] (a path) with argv, no shell. stdout and stderr are read separately and fully.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

}  // namespace modrt::test
