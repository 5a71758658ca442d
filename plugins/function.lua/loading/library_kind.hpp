// The library.lua data kind: a Lua file returning a module value that
// function.lua entries (and other libraries) `require` through `imports:`.
// Its entries cannot be called.
#pragma once

#include "loading/load_checker.hpp"
#include "loading/module_spec.hpp"

#include <modrt/sdk.hpp>

#include <memory>

namespace modrt::lua {

class LibraryKind : public FunctionKind {
public:
    explicit LibraryKind(const Host& host);
    std::unique_ptr<FunctionEntry> create_entry(const EntryInfo& info) override;

private:
    Host host_;
    LoadChecker checker_;
};

class LibraryEntry : public FunctionEntry {
public:
    explicit LibraryEntry(std::shared_ptr<const ModuleSpec> spec);
    /// Never called (the kind is registered without invoke); fails if it is.
    Error invoke(Frame frame, ValueView args, ValueSlot result) override;

private:
    std::shared_ptr<const ModuleSpec> spec_;
};

}  // namespace modrt::lua
