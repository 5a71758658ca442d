// The `errors` global and the error userdata (see lua_errors.hpp).
#include "values/lua_errors.hpp"

#include "values/lua_owned.hpp"
#include "values/lua_value.hpp"

#include <modrt/error_kinds.hpp>
#include <modrt/sdk.hpp>

#include <new>

namespace modrt::lua {
namespace {

// Registry key of the error metatable (its address is the key).
char kErrorMetatableKey;

void push_error_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kErrorMetatableKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
}

ErrorData& check_error(lua_State* L, int idx) {
    ErrorData* e = test_error(L, idx);
    if (e == nullptr) luaL_typerror(L, idx, "error");
    return *e;
}

void set_stack_here(lua_State* L, ErrorData& e, int level) {
    luaL_traceback(L, L, nullptr, level);
    size_t len = 0;
    const char* s = lua_tolstring(L, -1, &len);
    e.stack.assign(s, len);
    lua_pop(L, 1);
}

// Store `details` (the value at idx) in the environment of the error userdata at ud.
void set_details(lua_State* L, int ud, int idx) {
    ud = ud < 0 ? lua_gettop(L) + ud + 1 : ud;
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, idx);
    lua_setfield(L, -2, "details");
    lua_setfenv(L, ud);
    static_cast<ErrorData*>(lua_touserdata(L, ud))->has_details = true;
}

// Read {message=, kind=, retryable=, details=} from the table at t into a new
// error pushed on the stack. Raw reads only, so it never runs user code. With
// `strict`, a missing message or unknown kind raises (errors.new); otherwise
// they fall back (message handler, returned tables).
ErrorData* push_error_from_table(lua_State* L, int t, modrt_error_kind default_kind, bool strict) {
    t = t < 0 ? lua_gettop(L) + t + 1 : t;
    lua_pushliteral(L, "message");
    lua_rawget(L, t);
    if (strict && lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "errors.new: the table needs a string 'message' field");
    size_t mlen = 0;
    const char* msg = lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER ? lua_tolstring(L, -1, &mlen)
                                                                                       : nullptr;
    modrt_error_kind kind = default_kind;
    lua_pushliteral(L, "kind");
    lua_rawget(L, t);
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t klen = 0;
        const char* k = lua_tolstring(L, -1, &klen);
        auto parsed = parse_kind(std::string_view(k, klen));
        if (parsed) kind = *parsed;
        else if (strict) luaL_error(L, "errors.new: unknown error kind '%s' (use one of the errors.* constants)", k);
    } else if (strict && !lua_isnil(L, -1)) {
        luaL_error(L, "errors.new: 'kind' must be a string");
    }
    lua_pop(L, 1);
    ErrorData* e = push_error(L, kind,
                              msg ? std::string_view(msg, mlen) : std::string_view("(error table without a message)"));
    lua_remove(L, -2);  // the message
    lua_pushliteral(L, "retryable");
    lua_rawget(L, t);
    if (lua_type(L, -1) == LUA_TBOOLEAN) e->retryable = lua_toboolean(L, -1) ? 1 : 0;
    else if (strict && !lua_isnil(L, -1)) luaL_error(L, "errors.new: 'retryable' must be a boolean");
    lua_pop(L, 1);
    lua_pushliteral(L, "details");
    lua_rawget(L, t);
    if (!lua_isnil(L, -1)) set_details(L, -2, -1);
    lua_pop(L, 1);
    return e;
}

// Push a display string for the value at idx (tostring without the global
// function: __tostring when present, else "<type>: <address>").
const char* push_display(lua_State* L, int idx, size_t* len) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    if (lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TNUMBER) {
        lua_pushvalue(L, idx);
    } else if (luaL_callmeta(L, idx, "__tostring")) {
        if (!lua_isstring(L, -1)) luaL_error(L, "'__tostring' must return a string");
    } else if (lua_type(L, idx) == LUA_TNIL || lua_type(L, idx) == LUA_TBOOLEAN) {
        lua_pushstring(L, lua_isnil(L, idx) ? "nil" : (lua_toboolean(L, idx) ? "true" : "false"));
    } else {
        lua_pushfstring(L, "%s: %p", luaL_typename(L, idx), lua_topointer(L, idx));
    }
    return lua_tolstring(L, -1, len);
}

// -- error methods --
int err_kind(lua_State* L) {
    std::string_view n = kind_name(check_error(L, 1).kind);
    lua_pushlstring(L, n.data(), n.size());
    return 1;
}
int err_message(lua_State* L) {
    const ErrorData& e = check_error(L, 1);
    lua_pushlstring(L, e.message.data(), e.message.size());
    return 1;
}
int err_retryable(lua_State* L) {
    const ErrorData& e = check_error(L, 1);
    if (e.retryable < 0) lua_pushnil(L);
    else lua_pushboolean(L, e.retryable);
    return 1;
}
int err_details(lua_State* L) {
    const ErrorData& e = check_error(L, 1);
    if (!e.has_details) {
        lua_pushnil(L);
        return 1;
    }
    lua_getfenv(L, 1);
    lua_getfield(L, -1, "details");
    if (lua_istable(L, -1)) {  // an empty details table reads back as nil, as in Wippy
        lua_pushnil(L);
        if (lua_next(L, -2) == 0) {
            lua_pushnil(L);
            return 1;
        }
        lua_pop(L, 2);
    }
    return 1;
}
// a .. b with an error on either side: its message, as tostring gives it; the other side
// must be a string or a number, as for any concatenation.
int err_concat(lua_State* L) {
    for (int i = 1; i <= 2; ++i) {
        if (const ErrorData* e = test_error(L, i)) {
            lua_pushlstring(L, e->message.data(), e->message.size());
        } else if (lua_type(L, i) == LUA_TSTRING || lua_type(L, i) == LUA_TNUMBER) {
            lua_pushvalue(L, i);
        } else {
            return luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, i));
        }
    }
    lua_concat(L, 2);
    return 1;
}
int err_stack(lua_State* L) {
    const ErrorData& e = check_error(L, 1);
    lua_pushlstring(L, e.stack.data(), e.stack.size());
    return 1;
}
int err_gc(lua_State* L) {
    // Only ever called on our own userdata (the metatable is protected).
    static_cast<ErrorData*>(lua_touserdata(L, 1))->~ErrorData();
    return 0;
}

// -- the errors table --
int errors_new(lua_State* L) {
    switch (lua_type(L, 1)) {
        case LUA_TSTRING:
        case LUA_TNUMBER: {
            size_t len = 0;
            const char* msg = lua_tolstring(L, 1, &len);
            ErrorData* e = push_error(L, MODRT_ERR_UNKNOWN, std::string_view(msg, len));
            set_stack_here(L, *e, 1);
            return 1;
        }
        case LUA_TTABLE: {
            ErrorData* e = push_error_from_table(L, 1, MODRT_ERR_UNKNOWN, true);
            set_stack_here(L, *e, 1);
            return 1;
        }
        case LUA_TUSERDATA:
            if (test_error(L, 1)) {
                lua_settop(L, 1);
                return 1;
            }
            [[fallthrough]];
        default: return luaL_argerror(L, 1, "errors.new expects a message string or a table with a 'message' field");
    }
}

// errors.wrap(err, context): as Wippy's, err:message() and tostring() of the result
// are the wrapped error's full text (its "context: message" when it was wrapped
// itself) and the new context shows only where the error leaves Lua. The context
// may be an error too (its message). wrap(nil, ...) is nil.
int errors_wrap(lua_State* L) {
    if (lua_isnoneornil(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    std::string context;
    if (const ErrorData* c = test_error(L, 2)) {
        context = c->message;
    } else {
        size_t clen = 0;
        const char* s = luaL_checklstring(L, 2, &clen);
        context.assign(s, clen);
    }
    if (test_error(L, 1)) {
        push_wrapped_error(L, 1, context);
        return 1;
    }
    size_t len = 0;
    const char* msg = push_display(L, 1, &len);
    ErrorData* e = push_error(L, MODRT_ERR_UNKNOWN, std::string_view(msg, len));
    e->context = std::move(context);
    set_stack_here(L, *e, 1);
    return 1;
}

// errors.call_stack(err) -> {thread = "main", frames = {{source=, line=, name=}, ...}} or nil,
// read from the error's traceback text (Wippy returns the same shape).
int errors_call_stack(lua_State* L) {
    const ErrorData* e = test_error(L, 1);
    if (e == nullptr || e->stack.empty()) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 2);
    lua_pushliteral(L, "main");
    lua_setfield(L, -2, "thread");
    lua_newtable(L);
    int n = 0;
    std::string_view text(e->stack);
    while (!text.empty()) {
        size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        while (!line.empty() && (line.front() == '\t' || line.front() == ' ')) line.remove_prefix(1);
        // "source:line: in function 'name'" (also "in main chunk", "in function <source:line>")
        size_t in = line.find(": in ");
        if (in == std::string_view::npos) continue;
        std::string_view where = line.substr(0, in);
        std::string_view what = line.substr(in + 5);
        size_t colon = where.rfind(':');
        std::string_view source = colon == std::string_view::npos ? where : where.substr(0, colon);
        long lineno = 0;
        if (colon != std::string_view::npos)
            for (char ch : where.substr(colon + 1)) {
                if (ch < '0' || ch > '9') break;
                lineno = lineno * 10 + (ch - '0');
            }
        if (size_t q = what.find('\''); q != std::string_view::npos) {
            what.remove_prefix(q + 1);
            what = what.substr(0, what.find('\''));
        }
        lua_createtable(L, 0, 3);
        lua_pushlstring(L, source.data(), source.size());
        lua_setfield(L, -2, "source");
        lua_pushnumber(L, static_cast<lua_Number>(lineno));
        lua_setfield(L, -2, "line");
        lua_pushlstring(L, what.data(), what.size());
        lua_setfield(L, -2, "name");
        lua_rawseti(L, -2, ++n);
    }
    lua_setfield(L, -2, "frames");
    return 1;
}

int errors_is(lua_State* L) {
    const ErrorData* e = test_error(L, 1);
    if (e == nullptr || lua_type(L, 2) != LUA_TSTRING) {
        lua_pushboolean(L, 0);
        return 1;
    }
    size_t len = 0;
    const char* k = lua_tolstring(L, 2, &len);
    auto kind = parse_kind(std::string_view(k, len));
    lua_pushboolean(L, kind && *kind == e->kind);
    return 1;
}

}  // namespace

std::string_view kind_name(modrt_error_kind kind) noexcept { return error_kind_name(kind); }

std::optional<modrt_error_kind> parse_kind(std::string_view name) noexcept {
    if (name.empty()) return MODRT_ERR_UNKNOWN;  // errors.new{kind = ""}: Wippy's unknown kind
    return parse_error_kind(name);
}

void register_error_type(lua_State* L) {
    lua_pushlightuserdata(L, &kErrorMetatableKey);
    lua_createtable(L, 0, 4);
    static const luaL_Reg methods[] = {{"kind", err_kind},       {"message", err_message}, {"retryable", err_retryable},
                                       {"details", err_details}, {"stack", err_stack},     {nullptr, nullptr}};
    lua_createtable(L, 0, 5);
    luaL_register(L, nullptr, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, err_message);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, err_concat);
    lua_setfield(L, -2, "__concat");
    lua_pushcfunction(L, err_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");  // getmetatable(err) == false; nobody replaces __gc
    lua_rawset(L, LUA_REGISTRYINDEX);
}

void push_errors_module(lua_State* L) {
    static const luaL_Reg fns[] = {{"new", errors_new},
                                   {"wrap", errors_wrap},
                                   {"is", errors_is},
                                   {"call_stack", errors_call_stack},
                                   {nullptr, nullptr}};
    lua_createtable(L, 0, 16);
    luaL_register(L, nullptr, fns);
    for (const auto& k : kErrorKinds) {
        lua_pushlstring(L, k.constant.data(), k.constant.size());
        lua_pushlstring(L, k.name.data(), k.name.size());
        lua_rawset(L, -3);
    }
}

ErrorData* push_error(lua_State* L, modrt_error_kind kind, std::string_view message) {
    void* mem = lua_newuserdata(L, sizeof(ErrorData));
    auto* e = new (mem) ErrorData();
    push_error_metatable(L);
    lua_setmetatable(L, -2);
    e->kind = kind;
    e->message.assign(message.data(), message.size());
    return e;
}

std::string full_message(const ErrorData& e) {
    if (e.context.empty()) return e.message;
    return e.context + ": " + e.message;
}

ErrorData* push_wrapped_error(lua_State* L, int idx, std::string_view context) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    const ErrorData& old = check_error(L, idx);
    ErrorData* e = push_error(L, old.kind, full_message(old));
    e->context.assign(context.data(), context.size());
    e->retryable = old.retryable;
    e->stack = old.stack;
    if (old.has_details) {
        lua_getfenv(L, idx);
        lua_setfenv(L, -2);
        e->has_details = true;
    }
    return e;
}

ErrorData* push_modrt_error(lua_State* L, const modrt_error* err) {
    const modrt_host_api& h = host_api();
    ErrorData* e = push_error(L, h.error_kind(err), to_view(h.error_message(err)));
    // The kernel has no "not specified": its default by kind is what the callee's caller saw.
    e->retryable = h.error_retryable(err) != 0 ? 1 : 0;
    std::string_view stack = to_view(h.error_stack(err));
    e->stack.assign(stack.data(), stack.size());
    if (const modrt_value* details = h.error_details(err); details != nullptr && h.value_type(details) != MODRT_NIL) {
        push_modrt_value(L, details);
        set_details(L, -2, -1);
        lua_pop(L, 1);
    }
    return e;
}

ErrorData* test_error(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return nullptr;
    push_error_metatable(L);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same ? static_cast<ErrorData*>(lua_touserdata(L, idx)) : nullptr;
}

int raise_error(lua_State* L, modrt_error_kind kind, const char* message) {
    push_error(L, kind, message);
    return lua_error(L);
}

int traceback_handler(lua_State* L) {
    if (ErrorData* e = test_error(L, 1)) {
        if (e->stack.empty()) set_stack_here(L, *e, 1);
        lua_settop(L, 1);
        return 1;
    }
    ErrorData* e = nullptr;
    int t = lua_type(L, 1);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        size_t len = 0;
        const char* msg = lua_tolstring(L, 1, &len);
        e = push_error(L, MODRT_ERR_INTERNAL, std::string_view(msg, len));
    } else if (t == LUA_TTABLE) {
        e = push_error_from_table(L, 1, MODRT_ERR_INTERNAL, false);
    } else {
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        e = push_error(L, MODRT_ERR_INTERNAL, lua_tostring(L, -1));
    }
    if (e->retryable < 0) e->retryable = 0;
    set_stack_here(L, *e, 1);
    return 1;
}

void error_to_modrt(lua_State* L, int idx, modrt_error** out) {
    const modrt_host_api& h = host_api();
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    const ErrorData* e = test_error(L, idx);
    if (e == nullptr) {
        returned_error_to_modrt(L, idx, out);
        return;
    }
    // Details first, into a value Lua owns, so that a failure cannot leave *out half made: details
    // that cannot be converted (too large, a function) are dropped and the message says why, but
    // the function's own error (kind, message) still reaches its caller.
    int top = lua_gettop(L);
    OwnedKernel* details = nullptr;
    lua_pushstring(L, full_message(*e).c_str());  // Lua owns it: a raise below leaks nothing
    const char* message = lua_tostring(L, -1);
    if (e->has_details) {
        lua_getfenv(L, idx);
        lua_getfield(L, -1, "details");
        details = push_owned(L);
        if (!to_modrt_protected(L, -2, details->value, "error details")) {
            const ErrorData* why = test_error(L, -1);
            lua_pushfstring(L, "%s (its details were dropped: %s)", message,
                            why != nullptr ? why->message.c_str() : "they could not be converted");
            message = lua_tostring(L, -1);
            release_owned(details);
        }
    }
    *out = h.error_new(e->kind, to_str(message));
    if (e->retryable >= 0) h.error_set_retryable(*out, e->retryable);
    if (!e->stack.empty()) h.error_set_stack(*out, to_str(e->stack));
    if (details != nullptr && details->value != nullptr) {
        h.value_copy(h.error_details_mut(*out), details->value);
        release_owned(details);
    }
    lua_settop(L, top);
}

void returned_error_to_modrt(lua_State* L, int idx, modrt_error** out) {
    const modrt_host_api& h = host_api();
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    switch (lua_type(L, idx)) {
        case LUA_TUSERDATA:
            if (test_error(L, idx)) {
                error_to_modrt(L, idx, out);
                return;
            }
            break;
        case LUA_TSTRING:
        case LUA_TNUMBER: {
            size_t len = 0;
            const char* msg = lua_tolstring(L, idx, &len);
            *out = h.error_new(MODRT_ERR_INTERNAL, modrt_str{msg, len});
            h.error_set_retryable(*out, 0);
            return;
        }
        case LUA_TTABLE:
            push_error_from_table(L, idx, MODRT_ERR_INTERNAL, false);
            error_to_modrt(L, -1, out);
            lua_pop(L, 1);
            return;
        default: break;
    }
    lua_pushfstring(L, "the function returned an error value of type %s", luaL_typename(L, idx));
    *out = h.error_new(MODRT_ERR_INTERNAL, to_str(lua_tostring(L, -1)));
    h.error_set_retryable(*out, 0);
    lua_pop(L, 1);
}

modrt_error* failure_to_modrt(lua_State* L, int idx, std::string_view context) noexcept {
    const modrt_host_api& h = host_api();
    if (const ErrorData* e = test_error(L, idx)) {
        modrt_error* out = nullptr;
        try {
            out = h.error_new(e->kind, to_str(full_message(*e)));
        } catch (...) {
            out = h.error_new(e->kind, to_str(e->message));
        }
        if (e->retryable >= 0) h.error_set_retryable(out, e->retryable);
        if (!e->stack.empty()) h.error_set_stack(out, to_str(e->stack));
        return out;
    }
    std::string_view msg = "unknown error";
    if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len = 0;
        const char* s = lua_tolstring(L, idx, &len);
        msg = std::string_view(s, len);
    }
    modrt_error* out = nullptr;
    try {
        std::string text = std::string(context) + ": " + std::string(msg);
        out = h.error_new(MODRT_ERR_INTERNAL, to_str(text));
    } catch (...) {
        out = h.error_new(MODRT_ERR_INTERNAL, to_str(msg));
    }
    h.error_set_retryable(out, 0);
    return out;
}

}  // namespace modrt::lua
