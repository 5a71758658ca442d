// A real nats-server for tests: JetStream on, a free loopback port, a temporary store, and
// the means fault tests need (kill -9, restart on the same port and store). Tests that
// only need some server use shared_nats_url(): .ci/run starts one and exports
// MODRT_TEST_NATS_URL; without it the test binary starts its own, once.
#pragma once

#include "support/child_process.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace modrt::test {

/// nats-server's path: $MODRT_NATS_SERVER, else the first of PATH, /usr/sbin, /usr/bin
/// that has it (Debian installs it in /usr/sbin, which is not on a user's PATH); "" if none.
inline std::string nats_server_binary() {
    if (const char* e = std::getenv("MODRT_NATS_SERVER"); e != nullptr && *e != '\0') return e;
    std::vector<std::string> dirs;
    if (const char* p = std::getenv("PATH")) {
        std::string path = p;
        for (size_t start = 0; start <= path.size();) {
            size_t colon = path.find(':', start);
            if (colon == std::string::npos) colon = path.size();
            dirs.push_back(path.substr(start, colon - start));
            start = colon + 1;
        }
    }
    dirs.insert(dirs.end(), {"/usr/sbin", "/usr/bin"});
    for (const auto& d : dirs)
        if (!d.empty() && ::access((d + "/nats-server").c_str(), X_OK) == 0) return d + "/nats-server";
    return "";
}

/// A loopback TCP port nobody listens on right now.
inline int free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

/// Whether something accepts TCP connections on 127.0.0.1:port.
inline bool loopback_port_open(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return open;
}

class NatsServer {
public:
    /// Start `nats-server -js` on a free loopback port; `extra` adds options (e.g. {"--user",
    /// "u", "--pass", "p"}). Fails the test (ADD_FAILURE) when it cannot: check started().
    explicit NatsServer(std::vector<std::string> extra = {}) : extra_(std::move(extra)) {
        binary_ = nats_server_binary();
        if (binary_.empty()) {
            ADD_FAILURE() << "nats-server is not installed (scripts/setup.sh installs it)";
            return;
        }
        char tmpl[] = "/tmp/modrt-nats-XXXXXX";
        if (::mkdtemp(tmpl) == nullptr) {
            ADD_FAILURE() << "cannot make a temporary store";
            return;
        }
        dir_ = tmpl;
        port_ = free_loopback_port();
        start();
    }
    NatsServer(const NatsServer&) = delete;
    NatsServer& operator=(const NatsServer&) = delete;
    ~NatsServer() {
        process_.reset();
        std::error_code ec;
        if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    }

    bool started() const { return process_ != nullptr; }
    int port() const { return port_; }
    std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
    /// Crash it (SIGKILL) and wait until it is gone.
    void kill9() {
        if (!process_) return;
        process_->signal(SIGKILL);
        process_->wait(std::chrono::seconds(10));
        process_.reset();
    }
    /// Start it again on the same port with the same store (JetStream state survives).
    void restart() {
        kill9();
        start();
    }
    /// Its log, for failure messages.
    std::string log() const { return process_ ? process_->output() : ""; }

private:
    void start() {
        std::vector<std::string> argv{binary_, "-js", "-a", "127.0.0.1", "-p", std::to_string(port_), "-sd",
                                      (dir_ / "store").string()};
        argv.insert(argv.end(), extra_.begin(), extra_.end());
        process_ = std::make_unique<ChildProcess>(argv, dir_ / "server.log");
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (!loopback_port_open(port_)) {
            if (!process_->running() || std::chrono::steady_clock::now() > until) {
                ADD_FAILURE() << "nats-server did not start on port " << port_ << ":\n" << process_->output();
                process_.reset();
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    std::string binary_;
    std::vector<std::string> extra_;
    std::filesystem::path dir_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

/// The URL of a server any test may share: $MODRT_TEST_NATS_URL (.ci/run starts one), else a
/// NatsServer this binary starts on first use and stops when it exits.
inline std::string shared_nats_url() {
    if (const char* e = std::getenv("MODRT_TEST_NATS_URL"); e != nullptr && *e != '\0') return e;
    static NatsServer server;  // one per test binary: started once, stopped at exit
    return server.started() ? server.url() : "";
}

}  // namespace modrt::test
