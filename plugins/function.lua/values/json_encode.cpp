// Lua value -> JSON text (json_encode.hpp).
//
// Runs between a Lua C function's argument checks and its host call, with a
// std::string alive: so it must never raise. It uses only Lua API calls that
// neither allocate nor run metamethods (lua_next, lua_rawgeti, lua_to*), on
// stack room the caller reserved, and turns std::bad_alloc into an error.
#include "values/json_encode.hpp"

#include "loading/library_view.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_payload.hpp"

#include <charconv>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>

namespace modrt::lua {
namespace {

// LuaJIT's lua_type() for cdata (not in the 5.1 headers).
constexpr int kTypeCdata = 10;
// 2^53: up to here every integral double prints exactly as an integer.
constexpr double kMaxExactInt = 9007199254740992.0;

// Bytes of the valid UTF-8 sequence (RFC 3629) starting at s, or 0.
size_t utf8_sequence(const unsigned char* s, size_t n) noexcept {
    unsigned char c = s[0];
    auto cont = [&](size_t i, unsigned char lo, unsigned char hi) { return i < n && s[i] >= lo && s[i] <= hi; };
    if (c >= 0xC2 && c <= 0xDF) return cont(1, 0x80, 0xBF) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
        unsigned char hi = c == 0xED ? 0x9F : 0xBF;  // no surrogates
        return cont(1, lo, hi) && cont(2, 0x80, 0xBF) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
        return cont(1, lo, hi) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

class Encoder {
public:
    Encoder(lua_State* L, std::string& out, size_t limit, JsonEncodeError& err) noexcept
        : L_(L), out_(out), limit_(limit), err_(err) {}

    bool value(int idx) {
        if (out_.size() > limit_) return too_large();
        switch (lua_type(L_, idx)) {
            case LUA_TNIL:
            case LUA_TNONE: out_ += "null"; return true;
            case LUA_TBOOLEAN: out_ += lua_toboolean(L_, idx) ? "true" : "false"; return true;
            case LUA_TNUMBER: number(lua_tonumber(L_, idx)); return true;
            case LUA_TSTRING: {
                size_t len = 0;
                const char* s = lua_tolstring(L_, idx, &len);  // a string: no conversion, no allocation
                quoted(s, len);
                return out_.size() <= limit_ || too_large();
            }
            case LUA_TTABLE: return table(idx);
            case LUA_TUSERDATA: return userdata(idx);
            case kTypeCdata: return fail("cannot encode a cdata value (a 64-bit integer: convert it with tonumber)");
            default: return fail("cannot encode a %s", lua_typename(L_, lua_type(L_, idx)));
        }
    }

private:
    bool fail(const char* fmt, ...) noexcept {
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(err_.message, sizeof err_.message, fmt, ap);
        va_end(ap);
        return false;
    }

    bool too_large() noexcept {
        return fail("value too large: the JSON text passes %llu bytes (runtime.limits max_value_size)",
                    static_cast<unsigned long long>(limit_));
    }

    void number(double d) {
        char buf[32];
        std::to_chars_result r;
        if (!std::isfinite(d)) {
            out_ += "null";
            return;
        }
        if (d == std::trunc(d) && std::fabs(d) <= kMaxExactInt)
            r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(d));
        else r = std::to_chars(buf, buf + sizeof buf, d);  // shortest text that reads back the same
        out_.append(buf, r.ptr);
    }

    void escape(unsigned char c) {
        switch (c) {
            case '"': out_ += "\\\""; return;
            case '\\': out_ += "\\\\"; return;
            case '\b': out_ += "\\b"; return;
            case '\f': out_ += "\\f"; return;
            case '\n': out_ += "\\n"; return;
            case '\r': out_ += "\\r"; return;
            case '\t': out_ += "\\t"; return;
            default: {
                static constexpr char kHex[] = "0123456789abcdef";
                char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
                out_.append(u, sizeof u);
            }
        }
    }

    void quoted(const char* text, size_t n) {
        const auto* s = reinterpret_cast<const unsigned char*>(text);
        out_.push_back('"');
        size_t run = 0;  // start of the bytes copied as they are
        size_t i = 0;
        while (i < n) {
            unsigned char c = s[i];
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ++i;
                continue;
            }
            if (c >= 0x80) {
                if (size_t len = utf8_sequence(s + i, n - i)) {
                    i += len;
                    continue;
                }
            }
            out_.append(text + run, i - run);
            if (c >= 0x80) out_ += "\\ufffd";  // not UTF-8: JSON text must be
            else escape(c);
            run = ++i;
        }
        out_.append(text + run, n - run);
        out_.push_back('"');
    }

    bool enter(const void* p) noexcept {
        for (int i = 0; i < depth_; ++i)
            if (path_[i] == p) return fail("cannot encode a table that contains itself");
        if (depth_ >= kJsonMaxDepth) return fail("cannot encode a value nested deeper than %d levels", kJsonMaxDepth);
        path_[depth_++] = p;
        return true;
    }

    bool table(int t) {
        if (!enter(lua_topointer(L_, t))) return false;
        size_t count = 0;
        bool strings = false;
        bool numbers = false;
        bool sparse = false;
        double max_key = 0;
        lua_pushnil(L_);
        while (lua_next(L_, t) != 0) {
            ++count;
            int kt = lua_type(L_, -2);
            if (kt == LUA_TSTRING) {
                strings = true;
            } else if (kt == LUA_TNUMBER) {
                numbers = true;
                double k = lua_tonumber(L_, -2);
                if (k >= 1 && k == std::floor(k)) max_key = k > max_key ? k : max_key;
                else sparse = true;
            } else {
                return fail("cannot encode a table key of type %s (keys must be strings, or 1..n for an array)",
                            lua_typename(L_, kt));  // encode_json restores the stack
            }
            lua_pop(L_, 1);
        }
        bool ok = true;
        if (count == 0) {
            out_ += "[]";
        } else if (strings && numbers) {
            ok = fail("cannot encode a table with both string and number keys");
        } else if (numbers) {
            if (sparse || max_key != static_cast<double>(count))
                ok = fail("cannot encode a sparse array (its keys must be exactly 1..n)");
            else ok = array(t, count);
        } else {
            ok = object(t);
        }
        --depth_;
        return ok;
    }

    bool array(int t, size_t n) {
        out_.push_back('[');
        for (size_t i = 1; i <= n; ++i) {
            if (i > 1) out_.push_back(',');
            lua_rawgeti(L_, t, static_cast<int>(i));
            if (!value(lua_gettop(L_))) return false;
            lua_pop(L_, 1);
        }
        out_.push_back(']');
        return true;
    }

    bool object(int t) {
        out_.push_back('{');
        bool first = true;
        lua_pushnil(L_);
        while (lua_next(L_, t) != 0) {
            if (!first) out_.push_back(',');
            first = false;
            size_t len = 0;
            const char* key = lua_tolstring(L_, -2, &len);  // a string key (table() checked): no conversion
            quoted(key, len);
            out_.push_back(':');
            if (!value(lua_gettop(L_))) return false;
            lua_pop(L_, 1);
        }
        out_.push_back('}');
        return true;
    }

    bool userdata(int idx) {
        if (const ErrorData* e = test_error(L_, idx)) {
            std::string_view kind = kind_name(e->kind);
            out_ += "{\"kind\":";
            quoted(kind.data(), kind.size());
            out_ += ",\"message\":";
            const std::string message = full_message(*e);
            quoted(message.data(), message.size());
            out_.push_back('}');
            return true;
        }
        // A future's payload or a library's read-only view: what it stands for.
        if (push_payload_data(L_, idx) || push_view_target(L_, idx)) {
            if (!enter(lua_topointer(L_, idx))) return false;
            bool ok = value(lua_gettop(L_));
            --depth_;
            lua_pop(L_, 1);
            return ok;
        }
        return fail("cannot encode a userdata value");
    }

    lua_State* L_;
    std::string& out_;
    size_t limit_;
    JsonEncodeError& err_;
    const void* path_[kJsonMaxDepth] = {};  // the tables being encoded, outermost first
    int depth_ = 0;
};

}  // namespace

bool encode_json(lua_State* L, int idx, std::string& out, size_t limit, JsonEncodeError& err) noexcept {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    int top = lua_gettop(L);
    bool ok = false;
    try {
        ok = Encoder(L, out, limit, err).value(idx);
    } catch (...) {  // std::bad_alloc (or length_error) from the string
        std::snprintf(err.message, sizeof err.message, "out of memory while encoding JSON");
        ok = false;
    }
    lua_settop(L, top);  // a failure may leave keys and values of the tables it was in
    return ok;
}

}  // namespace modrt::lua
