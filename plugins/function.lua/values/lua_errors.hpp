// The `errors` global and the error userdata every Lua function sees.
//
// An error is a full userdata holding an ErrorData; its details (any Lua
// value) live in the userdata's environment table so the GC owns them.
// Kind names follow Wippy: err:kind() returns "NotFound", "PermissionDenied",
// ... and the constants errors.NOT_FOUND, ... hold the same strings.
#pragma once

#include <modrt/abi.h>

#include <lua.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace modrt::lua {

/// The payload of an error userdata.
struct ErrorData {
    modrt_error_kind kind = MODRT_ERR_UNKNOWN;
    int retryable = -1;        ///< -1: not specified (the kernel's default by kind applies), 0 or 1
    bool has_details = false;  ///< details are in the userdata's environment table under "details"
    std::string message;  ///< err:message(), tostring(err); for a wrapped error, the inner error's full text
    std::string context;  ///< errors.wrap's context ("" when not wrapped)
    std::string stack;
};

/// The error's full text, as it leaves Lua (a call's error, an error inside a
/// converted value): "context: message" for a wrapped error, as Wippy's Error().
std::string full_message(const ErrorData& e);

/// Wippy's spelling of a kind ("NotFound"; "Unknown" for MODRT_ERR_UNKNOWN).
std::string_view kind_name(modrt_error_kind kind) noexcept;
/// Parse "NotFound", "NOT_FOUND" or "" (unknown); nullopt for anything else.
std::optional<modrt_error_kind> parse_kind(std::string_view name) noexcept;

/// Create the error metatable of this state (once, at state creation).
void register_error_type(lua_State* L);
/// Push a new `errors` table (not yet read-only; the sandbox wraps it).
void push_errors_module(lua_State* L);

/// Push a new error userdata; raises only on memory errors.
ErrorData* push_error(lua_State* L, modrt_error_kind kind, std::string_view message);
/// The error at `idx`, or nullptr when it is not an error userdata.
ErrorData* test_error(lua_State* L, int idx);
/// Push errors.wrap(err at idx, context): the new error's message is the old
/// one's full text, kind, retryable, details and stack are kept.
ErrorData* push_wrapped_error(lua_State* L, int idx, std::string_view context);
/// Push a new error and raise it (never returns).
int raise_error(lua_State* L, modrt_error_kind kind, const char* message);

/// Push a new error userdata carrying everything `err` (borrowed) has: kind,
/// message, retryable flag, details and stack. Raises on memory errors and on
/// details nested deeper than kMaxDepth.
ErrorData* push_modrt_error(lua_State* L, const modrt_error* err);

/// Message handler for lua_pcall: turns whatever was raised into an error
/// userdata (a plain message becomes INTERNAL, non-retryable) and records the
/// Lua traceback as its stack when it has none yet.
int traceback_handler(lua_State* L);

/// Turn the error userdata at `idx` into an owned modrt_error. The error is
/// written to *out before its details are converted, so a conversion failure
/// (which raises) never leaks it. Must run in protected mode.
void error_to_modrt(lua_State* L, int idx, modrt_error** out);
/// Turn the second return value of a function (`return nil, err`) into an
/// owned modrt_error: an error userdata keeps its fields, a string becomes
/// INTERNAL non-retryable, a table is read like errors.new(table).
/// Must run in protected mode.
void returned_error_to_modrt(lua_State* L, int idx, modrt_error** out);
/// Unprotected fallback for an error object left by a failed lua_pcall/lua_cpcall:
/// uses only kind/message/retryable/stack (never raises, never allocates Lua memory).
modrt_error* failure_to_modrt(lua_State* L, int idx, std::string_view context) noexcept;

}  // namespace modrt::lua
