#include "output.hpp"

#include <modrt/kernel/json.hpp>

namespace modrt::cli {

void print_error(std::ostream& out, const modrt_error& e) {
    out << kernel::describe(e) << "\n";
    if (e.details && e.details->type != MODRT_NIL) out << "details: " << kernel::to_json(*e.details, 2) << "\n";
    if (!e.stack.empty()) out << e.stack << (e.stack.back() == '\n' ? "" : "\n");
}

}  // namespace modrt::cli
