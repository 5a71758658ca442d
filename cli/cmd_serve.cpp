// modrt serve REGISTRY: start every trigger (HTTP services, schedules, ...), run until
// SIGINT/SIGTERM, then stop gracefully: triggers stop taking work, calls in flight get their
// entry's lifecycle.stop_timeout to finish, the rest are canceled; exit 0. A second signal
// quits at once.
#include "commands.hpp"
#include "interrupt_watcher.hpp"
#include "serve_publish.hpp"

#include <boost/program_options.hpp>

#include <condition_variable>
#include <iostream>
#include <mutex>

namespace modrt::cli {

namespace {

// Wakes the serving thread at the first signal (the watcher's thread calls stop()).
class StopRequest {
public:
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
        }
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return stopped_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopped_ = false;
};

}  // namespace

int cmd_serve(const std::vector<std::string>& args) {
    GlobalOptions g;
    std::string registry;
    bool help = false;
    std::vector<std::string> publish;
    namespace po = boost::program_options;
    po::options_description extra;
    extra.add_options()("publish", po::value(&publish)->composing(),
                        "QUEUE_ID=JSON: publish this message once the triggers run (repeatable, in order; "
                        "as the outside caller)");
    if (!parse_registry_command(args,
                                "modrt serve REGISTRY\n\nStart every trigger of the registry whose "
                                "lifecycle.auto_start is true (the default) and serve until SIGINT or SIGTERM; then "
                                "stop gracefully: calls in flight get the entry's lifecycle.stop_timeout (default "
                                "10s) to finish, the rest are canceled. A second signal quits at once.\n\nOptions",
                                g, registry, help, &extra))
        return kUsage;
    if (help) return kOk;
    auto requests = parse_publish_requests(publish);
    if (!requests) return kUsage;
    StopRequest stop;
    // Before the runtime: the threads triggers start inherit the blocked signals. SIGTERM's
    // grace covers the longest stop_timeout, set once the registry is read.
    std::chrono::milliseconds grace = kDefaultTermGrace;
    auto watcher = std::make_unique<InterruptWatcher>([&] { stop.stop(); }, std::chrono::hours(24), "the server");
    auto rt = load_runtime(g, registry);
    if (!rt) return kFailed;
    auto triggers = rt->triggers();
    size_t auto_started = 0;
    for (const auto& t : triggers) {
        auto_started += t.auto_start ? 1 : 0;
        grace = std::max(grace,
                         std::chrono::duration_cast<std::chrono::milliseconds>(t.stop_timeout) + 2 * kDefaultTermGrace);
    }
    watcher->set_term_grace(grace);
    if (auto_started == 0) {
        std::cerr << "modrt: nothing to serve: " << registry
                  << " has no trigger entry with lifecycle.auto_start (http.service, schedule.function, ...)\n";
        return kFailed;
    }
    if (!rt->has_security_provider())
        std::cerr << "modrt: note: no security plugin loaded: every call is allowed (permissive mode)\n";
    if (auto errors = rt->start_triggers(); !errors.empty()) {
        for (const auto& e : errors) std::cerr << e.format() << "\n";
        return kFailed;
    }
    // Status lines go to stderr, as a server's log does; stdout stays free for whatever a function prints.
    for (const auto& t : rt->triggers()) {
        if (!t.running) continue;
        std::cerr << "modrt: " << t.id << " (" << t.kind << ")";
        for (size_t i = 0; i < t.listen.size(); ++i) std::cerr << (i == 0 ? " listening on " : ", ") << t.listen[i];
        std::cerr << (t.listen.empty() ? " started" : "") << "\n";
    }
    if (!publish_all(*rt, *requests)) {
        rt->stop_triggers();
        return kFailed;
    }
    std::cerr << "modrt: serving " << registry << " (Ctrl-C to stop)" << std::endl;
    stop.wait();  // the watcher said what happens next
    rt->stop_triggers();
    rt.reset();
    std::cerr << "modrt: stopped\n";
    return kOk;
}

}  // namespace modrt::cli
