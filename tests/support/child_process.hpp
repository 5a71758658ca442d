// A program run in the background for as long as a test needs it (a `modrt serve` node, a
// nats-server), killed on purpose mid-run by fault tests and always reaped: the destructor
// kills what is still running. Its stdout and stderr go to one log file the test can wait on.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace modrt::test {

class ChildProcess {
public:
    /// Start argv[0] (a path) with argv; `env` entries are added to (or replace in) the
    /// inherited environment. Output is appended to `log`.
    ChildProcess(const std::vector<std::string>& argv, std::filesystem::path log,
                 const std::map<std::string, std::string>& env = {})
        : log_(std::move(log)) {
        std::vector<std::string> env_strings;
        for (char** e = environ; *e != nullptr; ++e) {
            std::string s(*e);
            if (!env.contains(s.substr(0, s.find('=')))) env_strings.push_back(std::move(s));
        }
        for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
        std::vector<char*> args, envp;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        for (auto& e : env_strings) envp.push_back(e.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::to_string(rc));
    }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess() {
        if (running()) {
            ::kill(pid_, SIGKILL);
            wait(std::chrono::seconds(10));
        }
    }

    pid_t pid() const { return pid_; }
    const std::filesystem::path& log_path() const { return log_; }
    /// Everything it has written so far.
    std::string output() const {
        std::ifstream in(log_);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    /// Wait until its output contains `text`; false when it does not within `limit` or the process ended.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds limit) {
        auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            if (output().find(text) != std::string::npos) return true;
            if (!running()) return output().find(text) != std::string::npos;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    /// Send `signo` (SIGKILL for a crash, SIGTERM for a stop).
    void signal(int signo) const {
        if (exit_code_ == std::nullopt) ::kill(pid_, signo);
    }
    /// Whether it still runs (reaps it when it has ended).
    bool running() {
        if (exit_code_) return false;
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            exit_code_ = decode(status);
            return false;
        }
        return true;
    }
    /// Its exit code (128+N when killed by signal N) once it ends within `limit`; nullopt if it still runs.
    std::optional<int> wait(std::chrono::milliseconds limit) {
        auto until = std::chrono::steady_clock::now() + limit;
        while (running()) {
            if (std::chrono::steady_clock::now() >= until) return std::nullopt;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return exit_code_;
    }

private:
    static int decode(int status) {
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return -1;
    }
    std::filesystem::path log_;
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
};

}  // namespace modrt::test
