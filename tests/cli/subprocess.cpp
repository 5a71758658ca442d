#include "subprocess.hpp"

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace modrt::test {

namespace {

std::vector<std::string> child_environment(const ProcessOptions& options) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string item(*e);
        std::string key = item.substr(0, item.find('='));
        if (options.env.count(key) == 0) env.push_back(std::move(item));
    }
    for (const auto& [key, value] : options.env)
        if (value) env.push_back(key + "=" + *value);
    return env;
}

std::vector<char*> c_array(std::vector<std::string>& items) {
    std::vector<char*> out;
    for (auto& s : items) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv_in, const ProcessOptions& options) {
    if (argv_in.empty()) throw std::invalid_argument("run_process: empty argv");
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

    std::vector<std::string> argv = argv_in;
    std::vector<std::string> env = child_environment(options);
    auto c_argv = c_array(argv);
    auto c_env = c_array(env);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, c_argv.data(), c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        throw std::runtime_error("posix_spawn " + argv[0] + ": " + std::strerror(rc));
    }

    ProcessResult r;
    using Clock = std::chrono::steady_clock;
    auto started = Clock::now();
    auto deadline = started + options.limit;
    // Every signal to send, in order: interrupt_after first (it counts from start), then `signals`.
    std::vector<TimedSignal> pending;
    if (options.interrupt_after) pending.push_back({*options.interrupt_after, SIGINT});
    pending.insert(pending.end(), options.signals.begin(), options.signals.end());
    size_t next = 0;
    std::optional<Clock::time_point> clock_start;  // when the signal schedule starts
    if (!options.signals_after_stderr || options.interrupt_after) clock_start = started;
    std::optional<Clock::time_point> next_at;
    if (clock_start && next < pending.size()) next_at = *clock_start + pending[next].after;
    std::optional<Clock::time_point> last_signal;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        auto now = Clock::now();
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        if (left.count() <= 0) {
            kill(pid, SIGKILL);
            r.timed_out = true;
            break;
        }
        if (!next_at && next < pending.size() && options.signals_after_stderr &&
            r.err.find(*options.signals_after_stderr) != std::string::npos)
            next_at = now + pending[next].after;
        if (next_at) {
            auto until_signal = std::chrono::ceil<std::chrono::milliseconds>(*next_at - now);
            if (until_signal.count() <= 0) {
                kill(pid, pending[next].signo);
                last_signal = Clock::now();
                ++next;
                next_at.reset();
                if (next < pending.size()) next_at = *last_signal + pending[next].after;
                continue;
            }
            left = std::min(left, until_signal);
        }
        int n = poll(fds, 2, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            ssize_t got = read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                sinks[i]->append(buf, static_cast<size_t>(got));
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) close(f.fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (last_signal)
        r.exit_after_signal = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - *last_signal);
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) r.exit_code = 128 + WTERMSIG(status);
    return r;
}

}  // namespace modrt::test
