// The library.lua data kind (library_kind.hpp).
#include "loading/library_kind.hpp"

#include "vm/worker_state.hpp"

namespace modrt::lua {

LibraryKind::LibraryKind(const Host& host) : host_(host), checker_(host.shared<LoadChecker>()) {}

std::unique_ptr<DataEntry> LibraryKind::create_entry(const EntryInfo& info) {
    std::shared_ptr<const ModuleSpec> spec = read_module_spec(host_, info, /*needs_method=*/false);
    // Syntax and top-level errors are reported at load; importers load the
    // library again, once per worker state, when they first require it.
    checker_->check(spec);
    log_type_diagnostics(host_, *spec);
    return std::make_unique<LibraryEntry>(std::move(spec));
}

LibraryEntry::LibraryEntry(std::shared_ptr<const ModuleSpec> spec) : spec_(std::move(spec)) {}

}  // namespace modrt::lua
