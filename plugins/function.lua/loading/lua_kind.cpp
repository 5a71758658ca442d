// The function.lua kind (lua_kind.hpp).
#include "loading/lua_kind.hpp"

#include "vm/thread_states.hpp"

#include <modrt/byte_size.hpp>

#include <optional>

namespace modrt::lua {

namespace {

// The plugin config (a plugin.config entry for function.lua): memory_limit.
StateSettings read_settings(ValueView config) {
    StateSettings s;
    for (size_t i = 0; i < config.size(); ++i) {
        std::string_view key = config.key(i);
        ValueView v = config[i];
        if (key != "memory_limit")
            throw Failure(MODRT_ERR_INVALID,
                          "function.lua config: unknown setting '" + std::string(key) + "' (known: memory_limit)");
        std::optional<uint64_t> bytes;
        if (v.type() == MODRT_INT && v.as_int() > 0) bytes = static_cast<uint64_t>(v.as_int());
        else if (v.is_string()) bytes = parse_byte_size(v.as_string());
        if (!bytes || *bytes < kMinMemoryLimit)
            throw Failure(MODRT_ERR_INVALID,
                          "function.lua config: memory_limit must be a size of at least 1MiB, e.g. 32MiB");
        s.memory_limit = static_cast<size_t>(*bytes);
    }
    return s;
}

}  // namespace

LuaKind::LuaKind(const Host& host)
    : host_(host),
      checker_(host.shared<LoadChecker>()),
      token_(std::make_shared<const StateSettings>(read_settings(host.config()))) {}

std::unique_ptr<FunctionEntry> LuaKind::create_entry(const EntryInfo& info) {
    std::shared_ptr<const ModuleSpec> spec = read_module_spec(host_, info, /*needs_method=*/true);
    // Load once in a scratch state: syntax errors, top-level errors and a
    // missing method are registry errors, not first-call surprises.
    checker_->check(spec);
    log_type_diagnostics(host_, *spec);
    if (host_.api().log_enabled(MODRT_LOG_DEBUG))
        host_.log(MODRT_LOG_DEBUG,
                  "prepared " + spec->id + " (" + spec->source_path + ", method " + spec->method + ")");
    return std::make_unique<LuaEntry>(std::move(spec), token_, host_.runtime());
}

LuaEntry::LuaEntry(std::shared_ptr<const ModuleSpec> spec, std::shared_ptr<const StateSettings> token,
                   modrt_runtime* runtime)
    : spec_(std::move(spec)), token_(std::move(token)), runtime_(runtime) {}

Error LuaEntry::invoke(Frame frame, ValueView args, ValueSlot result) {
    // No cancellation check here: the kernel makes one just before invoking (abi.h).
    WorkerState& state = state_for_thread(token_);
    state.set_runtime(runtime_);
    return Error(state.invoke(spec_, frame.raw(), args.raw(), result.raw()));
}

}  // namespace modrt::lua
