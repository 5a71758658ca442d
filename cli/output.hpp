// How the CLI prints results and errors.
#pragma once

#include <modrt/kernel/error.hpp>
#include <modrt/kernel/runtime.hpp>

#include <ostream>

namespace modrt::cli {
/// A call's result as JSON on `out`; false, with an Invalid error on `err`, when
/// JSON cannot hold it (a NaN or infinite number, named by its path).
bool print_result(std::ostream& out, std::ostream& err, const kernel::Value& result);
/// "Kind: message", then details (JSON) and the stack, one block.
void print_error(std::ostream& out, const modrt_error& e);
/// One line per pool: entry, type, workers, busy, queued, completed, rejected.
void print_pool_stats(std::ostream& out, const std::vector<kernel::PoolStats>& pools);
/// One line per reporting interceptor: entry, interceptor, its counters as key=value (nothing when none report).
void print_interceptor_stats(std::ostream& out, const std::vector<kernel::InterceptorStats>& stats);
}  // namespace modrt::cli
