// JSON text -> Lua value (json_decode.hpp).
//
// nlohmann's SAX parser holds C++ objects with destructors (its lexer's
// buffers), so no Lua error may unwind through it. Every Lua call that can
// allocate, and so raise, runs in store_step under lua_pcall; the parse stops
// at the first failure and push_json_decoded re-raises it once the parser is
// gone. The open containers live in a work table, not on the Lua stack, so the
// stack needs the same few slots at any depth.
#include "values/json_decode.hpp"

#include "values/json_encode.hpp"
#include "values/lua_owned.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <cstring>
#include <string>

namespace modrt::lua {
namespace {

using Json = nlohmann::json;

/// One value to make and store, read by store_step (a light userdata).
struct DecodeStep {
    enum class Kind { kTable, kString, kNumber, kBoolean };
    Kind kind = Kind::kNumber;
    int depth = 0;           ///< containers open around the value (0: it is the root)
    std::string_view key;    ///< the member name when the container is an object
    lua_Number index = 0;    ///< the position when the container is an array
    bool in_object = false;  ///< key (true) or index (false)
    std::string_view text;   ///< kString
    lua_Number number = 0;   ///< kNumber
    bool boolean = false;    ///< kBoolean
};

// store_step(work, step): make the value and store it in its container
// (work[depth]) or, at depth 0, as the root (work[1]); a new table is also
// the container at work[depth + 1]. May raise (memory): runs under lua_pcall.
int store_step(lua_State* L) {
    const auto& s = *static_cast<const DecodeStep*>(lua_touserdata(L, 2));
    switch (s.kind) {
        case DecodeStep::Kind::kTable: lua_newtable(L); break;
        case DecodeStep::Kind::kString: lua_pushlstring(L, s.text.data(), s.text.size()); break;
        case DecodeStep::Kind::kNumber: lua_pushnumber(L, s.number); break;
        case DecodeStep::Kind::kBoolean: lua_pushboolean(L, s.boolean); break;
    }
    if (s.depth == 0) {
        lua_pushvalue(L, 3);
        lua_rawseti(L, 1, 1);
    } else {
        lua_rawgeti(L, 1, s.depth);
        if (s.in_object) lua_pushlstring(L, s.key.data(), s.key.size());
        else lua_pushnumber(L, s.index);
        lua_pushvalue(L, 3);
        lua_rawset(L, -3);
    }
    if (s.kind == DecodeStep::Kind::kTable) {
        lua_pushvalue(L, 3);
        lua_rawseti(L, 1, s.depth + 1);
    }
    return 0;
}

/// How a parse ended. Trivially destructible: it is read where Lua may raise.
struct DecodeResult {
    enum class Status { kDone, kInvalid, kLuaError, kNoMemory };
    Status status = Status::kDone;
    char why[224] = {};  ///< kInvalid: "at byte <n>: <why>"
};

// Copy `text` into out[0..n) (n > 4), cut at a UTF-8 character boundary with
// "..." when it does not fit: nlohmann's messages quote what it last read.
void copy_clipped(char* out, size_t n, std::string_view text) noexcept {
    if (text.size() < n) {
        std::memcpy(out, text.data(), text.size());
        out[text.size()] = '\0';
        return;
    }
    size_t keep = n - 4;
    while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
    std::memcpy(out, text.data(), keep);
    std::memcpy(out + keep, "...", 4);
}

// The 1-based byte of the bracket where nesting first reaches `level`; the
// parser accepted the text up to there, so its strings are well formed.
size_t opening_byte(std::string_view text, int level) noexcept {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth == level) return i + 1;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return text.size();
}

// nlohmann's SAX events -> store_step calls. Expects store_step, the work
// table and the step (a light userdata) at fn, fn + 1, fn + 2 and 3 free
// stack slots; a failed step leaves its error on top of the stack.
class LuaBuilder {
public:
    LuaBuilder(lua_State* L, int fn, DecodeStep& step, std::string_view text, DecodeResult& result) noexcept
        : L_(L), fn_(fn), step_(step), text_(text), result_(result) {}

    bool null() noexcept {
        if (depth_ > 0 && !in_object_[depth_]) ++next_index_[depth_];  // a hole
        return true;
    }
    bool boolean(bool b) noexcept {
        place(DecodeStep::Kind::kBoolean).boolean = b;
        return run();
    }
    bool number_integer(Json::number_integer_t n) noexcept { return number(static_cast<lua_Number>(n)); }
    bool number_unsigned(Json::number_unsigned_t n) noexcept { return number(static_cast<lua_Number>(n)); }
    bool number_float(Json::number_float_t n, const Json::string_t&) noexcept { return number(n); }
    bool string(Json::string_t& text) noexcept {
        place(DecodeStep::Kind::kString).text = text;
        return run();
    }
    bool binary(Json::binary_t&) noexcept { return true; }  // only the binary formats (CBOR, ...) have it
    bool start_object(std::size_t) noexcept { return open(true); }
    bool key(Json::string_t& name) {
        key_ = name;
        return true;
    }
    bool end_object() noexcept { return close(); }
    bool start_array(std::size_t) noexcept { return open(false); }
    bool end_array() noexcept { return close(); }
    bool parse_error(std::size_t byte, const std::string&, const Json::exception& ex) noexcept {
        return invalid(byte, json_error_reason(ex.what()));
    }

private:
    // The step for a value in the innermost open container (or the root).
    DecodeStep& place(DecodeStep::Kind kind) noexcept {
        step_ = DecodeStep{};
        step_.kind = kind;
        step_.depth = depth_;
        if (depth_ > 0) {
            step_.in_object = in_object_[depth_];
            if (step_.in_object) step_.key = key_;
            else step_.index = ++next_index_[depth_];
        }
        return step_;
    }

    bool number(lua_Number n) noexcept {
        place(DecodeStep::Kind::kNumber).number = n;
        return run();
    }

    bool open(bool object) noexcept {
        if (depth_ == kJsonMaxDepth) return invalid(opening_byte(text_, depth_ + 1), "nested deeper than 128 levels");
        place(DecodeStep::Kind::kTable);
        if (!run()) return false;
        ++depth_;
        in_object_[depth_] = object;
        next_index_[depth_] = 0;
        return true;
    }

    bool close() noexcept {
        --depth_;
        return true;
    }

    // store_step(work, step) under lua_pcall. Copies of stack slots allocate
    // nothing, so nothing raises out here; a memory error inside stops the
    // parse and stays on top of the stack.
    bool run() noexcept {
        lua_pushvalue(L_, fn_);
        lua_pushvalue(L_, fn_ + 1);
        lua_pushvalue(L_, fn_ + 2);
        if (lua_pcall(L_, 2, 0, 0) == 0) return true;
        result_.status = DecodeResult::Status::kLuaError;
        return false;
    }

    bool invalid(size_t byte, std::string_view why) noexcept {
        result_.status = DecodeResult::Status::kInvalid;
        int head = std::snprintf(result_.why, sizeof result_.why, "at byte %zu: ", byte);
        copy_clipped(result_.why + head, sizeof result_.why - static_cast<size_t>(head), why);
        return false;
    }

    lua_State* L_;
    int fn_;
    DecodeStep& step_;
    std::string_view text_;
    DecodeResult& result_;
    int depth_ = 0;
    std::string key_;                                         // the member name the next value belongs to
    std::array<bool, kJsonMaxDepth + 1> in_object_{};         // per depth: an object (or an array)
    std::array<lua_Number, kJsonMaxDepth + 1> next_index_{};  // per depth: the array's last position
};

// The C++ half: every object with a destructor lives and dies in here, and
// no Lua error leaves it (push_json_decoded re-raises one).
void decode(lua_State* L, int fn, DecodeStep& step, std::string_view text, DecodeResult& result) noexcept {
    try {
        LuaBuilder builder(L, fn, step, text, result);
        Json::sax_parse(text.data(), text.data() + text.size(), &builder);
    } catch (...) {  // std::bad_alloc from nlohmann's buffers or the key copy
        result.status = DecodeResult::Status::kNoMemory;
    }
}

}  // namespace

int push_json_decoded(lua_State* L, std::string_view text, const char* what) {
    int base = lua_gettop(L);
    luaL_checkstack(L, 7, what);  // store_step, the work table, the step, a step's 3 slots, an error
    DecodeStep step;              // trivially destructible, like DecodeResult
    lua_pushcfunction(L, store_step);
    lua_createtable(L, 8, 0);
    lua_pushlightuserdata(L, &step);
    DecodeResult result;
    decode(L, base + 1, step, text, result);
    switch (result.status) {
        case DecodeResult::Status::kDone:
            lua_rawgeti(L, base + 2, 1);
            lua_replace(L, base + 1);
            lua_settop(L, base + 1);
            return 1;
        case DecodeResult::Status::kLuaError:
            lua_replace(L, base + 1);
            lua_settop(L, base + 1);
            return lua_error(L);
        case DecodeResult::Status::kNoMemory:
            lua_settop(L, base);
            lua_pushliteral(L, "not enough memory");
            return lua_error(L);
        case DecodeResult::Status::kInvalid: break;
    }
    lua_settop(L, base);
    lua_pushfstring(L, "%s: invalid JSON %s", what, result.why);
    return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
}

}  // namespace modrt::lua
