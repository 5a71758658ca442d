#include "output.hpp"

#include <modrt/kernel/json.hpp>

namespace modrt::cli {

bool print_result(std::ostream& out, std::ostream& err, const kernel::Value& result) {
    std::string text;
    if (kernel::ErrorPtr bad = kernel::write_json(result, text, 2, "result")) {
        print_error(err, *bad);
        return false;
    }
    out << text << "\n";
    return true;
}

void print_error(std::ostream& out, const modrt_error& e) {
    out << kernel::describe(e) << "\n";
    if (e.details && e.details->type != MODRT_NIL) {
        std::string text;
        if (kernel::ErrorPtr bad = kernel::write_json(*e.details, text, 2, "details"))
            out << "details: (not printable as JSON: " << bad->message << ")\n";
        else out << "details: " << text << "\n";
    }
    if (!e.stack.empty()) out << e.stack << (e.stack.back() == '\n' ? "" : "\n");
}

void print_pool_stats(std::ostream& out, const std::vector<kernel::PoolStats>& pools) {
    out << "pool stats:\n";
    for (const auto& p : pools)
        out << "  " << p.id << " (" << p.type << "): workers=" << p.stats.workers << " busy=" << p.stats.busy
            << " queued=" << p.stats.queued << " completed=" << p.stats.completed << " rejected=" << p.stats.rejected
            << "\n";
}

void print_interceptor_stats(std::ostream& out, const std::vector<kernel::InterceptorStats>& stats) {
    if (stats.empty()) return;
    out << "interceptor stats:\n";
    for (const auto& s : stats) {
        out << "  " << s.id << " (" << s.interceptor << "):";
        for (size_t i = 0; i < s.stats.keys.size(); ++i)
            out << " " << s.stats.keys[i] << "=" << kernel::to_json(s.stats.items[i]);
        out << "\n";
    }
}

}  // namespace modrt::cli
