// The library.lua data kind: a Lua file returning a module value that
// function.lua entries (and other libraries) `require` through `imports:`.
// Its entries cannot be called.
#pragma once

#include "loading/load_checker.hpp"
#include "loading/module_spec.hpp"

#include <modrt/sdk.hpp>

#include <memory>

namespace modrt::lua {

class LibraryKind : public DataKind {
public:
    explicit LibraryKind(const Host& host);
    std::unique_ptr<DataEntry> create_entry(const EntryInfo& info) override;

private:
    Host host_;
    std::shared_ptr<LoadChecker> checker_;  // the plugin's one, shared by both kinds (Host::shared)
};

/// A library entry keeps its module spec alive while the registry holds it.
class LibraryEntry : public DataEntry {
public:
    explicit LibraryEntry(std::shared_ptr<const ModuleSpec> spec);
    /// What the entry was read and checked from.
    const ModuleSpec& spec() const noexcept { return *spec_; }

private:
    std::shared_ptr<const ModuleSpec> spec_;
};

}  // namespace modrt::lua
