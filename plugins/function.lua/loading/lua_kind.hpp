// The function.lua kind: registry entries whose `source` is a Lua file
// returning a table of functions, called through `method`.
#pragma once

#include "loading/load_checker.hpp"
#include "loading/module_spec.hpp"
#include "vm/thread_states.hpp"

#include <modrt/sdk.hpp>

#include <memory>

namespace modrt::lua {

class LuaKind : public FunctionKind {
public:
    explicit LuaKind(const Host& host);
    std::unique_ptr<FunctionEntry> create_entry(const EntryInfo& info) override;

private:
    Host host_;
    std::shared_ptr<LoadChecker> checker_;  // the plugin's one, shared by both kinds (Host::shared)
    // Identifies this kind instance to the per-thread states (thread_states.hpp);
    // entries hold a copy, so states live while anything can still call them.
    std::shared_ptr<const StateSettings> token_;
};

class LuaEntry : public FunctionEntry {
public:
    LuaEntry(std::shared_ptr<const ModuleSpec> spec, std::shared_ptr<const StateSettings> token,
             modrt_runtime* runtime);
    Error invoke(Frame frame, ValueView args, ValueSlot result) override;

private:
    std::shared_ptr<const ModuleSpec> spec_;
    std::shared_ptr<const StateSettings> token_;
    modrt_runtime* runtime_;  // what funcs.call calls into (the process-wide host table has none)
};

}  // namespace modrt::lua
