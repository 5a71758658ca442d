// modrt call REGISTRY ID [ARG...]: one root call, result as JSON on stdout.
#include "commands.hpp"
#include "interrupt_watcher.hpp"
#include "output.hpp"

#include <modrt/duration.hpp>
#include <modrt/kernel/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <optional>

namespace modrt::cli {

namespace {

bool valid_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

/// "ns:name", as a policy id or a policy group is written.
bool valid_id(std::string_view s) {
    size_t colon = s.find(':');
    return colon != std::string_view::npos && valid_name(s.substr(0, colon)) && valid_name(s.substr(colon + 1));
}

/// A policy group "ns:group", or a list of policies "[ns:p1, ns:p2]" ("[]": none, every call undefined).
bool valid_scope(std::string_view s) {
    if (!s.starts_with('[')) return valid_id(s);
    if (!s.ends_with(']') || s.size() < 2) return false;
    s = s.substr(1, s.size() - 2);
    if (s.find_first_not_of(' ') == std::string_view::npos) return true;
    for (;;) {
        size_t comma = s.find(',');
        std::string_view id = s.substr(0, comma);
        while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
        while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
        if (!valid_id(id)) return false;
        if (comma == std::string_view::npos) return true;
        s.remove_prefix(comma + 1);
    }
}

/// key=value pairs; a value that parses as JSON keeps its type, anything else is a string.
bool parse_pairs(const std::vector<std::string>& pairs, const char* flag, kernel::Value& out) {
    for (const auto& p : pairs) {
        auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::cerr << "modrt: " << flag << " takes key=value, got '" << p << "'\n";
            return false;
        }
        kernel::Value v;
        if (kernel::parse_json(p.substr(eq + 1), v)) v = kernel::Value::string(p.substr(eq + 1));
        out.insert(p.substr(0, eq)) = std::move(v);
    }
    return true;
}

}  // namespace

int cmd_call(const std::vector<std::string>& args) {
    GlobalOptions g;
    std::string registry, id, timeout;
    std::vector<std::string> call_args, context, actor_meta;
    kernel::CallOptions options;
    po::options_description d("modrt call REGISTRY ID [ARG...]\n\nCall function ID (namespace:name) of the registry "
                              "with each ARG as one JSON value; print the result as JSON.\n\nOptions");
    d.add_options()("help", "show this help")("context", po::value(&context)->composing(),
                                              "key=value added to the call's context; repeatable")(
        "timeout", po::value(&timeout),
        "deadline for the call, e.g. 500ms, 2s, 1.5m, 1h (a bare number: milliseconds)")(
        "actor", po::value(&options.actor_id),
        "id of the actor making the call")("actor-meta", po::value(&actor_meta)->composing(),
                                           "key=value metadata of the actor; repeatable")(
        "scope", po::value(&options.scope),
        "security scope for the call: a policy group ns:group or a list [ns:p1,ns:p2]")(
        "stats", "after the call, print every pool's workers, busy, queued, completed and rejected, and the counters "
                 "of interceptors that keep some (interceptor.metrics), on stderr");
    d.add(global_options(g));
    po::options_description hidden;
    hidden.add_options()("registry", po::value(&registry))("id", po::value(&id))("arg",
                                                                                 po::value(&call_args)->composing());
    po::options_description all;
    all.add(d).add(hidden);
    po::positional_options_description pos;
    pos.add("registry", 1).add("id", 1).add("arg", -1);
    po::variables_map vm;
    if (!parse(args, all, pos, vm)) return kUsage;
    if (vm.count("help")) {
        std::cout << d << "\n";
        return kOk;
    }
    if (!apply_log_level(g)) return kUsage;
    if (registry.empty() || id.empty()) {
        std::cerr << "modrt: call needs REGISTRY and ID (see modrt call --help)\n";
        return kUsage;
    }
    if (vm.count("timeout")) {
        // The project's one duration syntax (modrt/duration.hpp); zero, or a value that rounds to
        // nothing, would silently mean "no timeout", so it is refused.
        std::optional<std::chrono::nanoseconds> d = modrt::parse_duration(timeout, modrt::kMaxTimeout);
        if (!d || d->count() <= 0) {
            std::cerr << "modrt: --timeout takes a positive duration such as 500ms, 2s or 1h, got '" << timeout
                      << "'\n";
            return kUsage;
        }
        options.timeout = *d;
    }
    if (!parse_pairs(context, "--context", options.context) ||
        !parse_pairs(actor_meta, "--actor-meta", options.actor_meta))
        return kUsage;
    if (vm.count("actor") && options.actor_id.empty()) {
        std::cerr << "modrt: --actor takes a non-empty actor id\n";
        return kUsage;
    }
    if (vm.count("scope") && !valid_scope(options.scope)) {
        std::cerr << "modrt: --scope takes a policy group ns:group or a list [ns:p1,ns:p2], got '" << options.scope
                  << "'\n";
        return kUsage;
    }
    if (!actor_meta.empty() && options.actor_id.empty()) {
        std::cerr << "modrt: --actor-meta needs --actor\n";
        return kUsage;
    }
    kernel::Value call_values = kernel::Value::array();
    for (size_t i = 0; i < call_args.size(); ++i) {
        if (kernel::ErrorPtr err = kernel::parse_json(call_args[i], call_values.push())) {
            std::cerr << "modrt: argument " << i + 1 << " is not valid JSON (" << err->message
                      << "); quote strings, e.g. '\"Ada\"'\n";
            return kUsage;
        }
    }
    options.canceler = std::make_shared<kernel::CallCanceler>();
    InterruptWatcher interrupts(options.canceler);  // before the runtime starts any thread
    auto rt = load_runtime(g, registry);
    if (!rt) return kFailed;
    kernel::CallResult r = rt->call(id, call_values, options);
    if (vm.count("stats")) {
        print_pool_stats(std::cerr, rt->pool_stats());
        print_interceptor_stats(std::cerr, rt->interceptor_stats());
    }
    if (!r.ok()) {
        print_error(std::cerr, *r.error);
        return interrupts.interrupted() ? interrupts.exit_code() : kFailed;  // 130 SIGINT, 143 SIGTERM
    }
    return print_result(std::cout, std::cerr, r.value) ? kOk : kFailed;
}

}  // namespace modrt::cli
