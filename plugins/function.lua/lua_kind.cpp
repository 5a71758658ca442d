// The function.lua kind (lua_kind.hpp).
#include "lua_kind.hpp"

#include "worker_state.hpp"

namespace modrt::lua {

LuaKind::LuaKind(const Host& host) : host_(host), token_(std::make_shared<int>(0)) {}

std::unique_ptr<FunctionEntry> LuaKind::create_entry(const EntryInfo& info) {
    std::shared_ptr<const ModuleSpec> spec = read_module_spec(host_, info, /*needs_method=*/true);
    // Load once in a scratch state: syntax errors, top-level errors and a
    // missing method are registry errors, not first-call surprises.
    checker_.check(spec);
    if (host_.api().log_enabled(MODRT_LOG_DEBUG))
        host_.log(MODRT_LOG_DEBUG, "prepared " + spec->id + " (" + spec->source_path + ", method " + spec->method + ")");
    return std::make_unique<LuaEntry>(std::move(spec), token_);
}

LuaEntry::LuaEntry(std::shared_ptr<const ModuleSpec> spec, std::shared_ptr<const void> token)
    : spec_(std::move(spec)), token_(std::move(token)) {}

Error LuaEntry::invoke(Frame frame, ValueView args, ValueSlot result) {
    if (modrt_error_kind why = frame.canceled(); why != MODRT_ERR_UNKNOWN)
        return Error(why, why == MODRT_ERR_TIMEOUT ? "deadline exceeded before the call started"
                                                   : "call canceled before it started");
    WorkerState& state = WorkerState::for_thread(token_);
    return Error(state.invoke(spec_, frame.raw(), args.raw(), result.raw()));
}

}  // namespace modrt::lua
