// The base64 module (lua_base64.hpp).
#include "modules/base64/lua_base64.hpp"

#include "modules/crypto/libcrypto.hpp"

#include "modules/base64/base64_text.hpp"
#include "values/lua_owned.hpp"


#include <cstddef>

namespace modrt::lua {
namespace {

// EVP_EncodeBlock and EVP_DecodeBlock take int lengths: whole groups at a time.
constexpr size_t kEncodeChunk = size_t{3} << 20;  // input bytes: 1 Mi groups of 3
constexpr size_t kDecodeChunk = size_t{4} << 20;  // input characters: 1 Mi groups of 4

const char* string_arg(lua_State* L, size_t* len, const char* fn) {
    if (lua_type(L, 1) == LUA_TSTRING) return lua_tolstring(L, 1, len);
    lua_pushfstring(L, "%s: data must be a string, got %s", fn, luaL_typename(L, 1));
    return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    return nullptr;
}

int base64_encode(lua_State* L) {
    size_t len = 0;
    const char* data = string_arg(L, &len, "base64.encode");
    if (data == nullptr) return 2;
    size_t out_len = (len + 2) / 3 * 4;
    // +1: EVP_EncodeBlock writes a NUL after its output.
    auto* out = static_cast<unsigned char*>(lua_newuserdata(L, out_len + 1));
    const auto* in = reinterpret_cast<const unsigned char*>(data);
    size_t written = 0;
    for (size_t done = 0; done < len; done += kEncodeChunk) {
        size_t n = len - done < kEncodeChunk ? len - done : kEncodeChunk;
        written += static_cast<size_t>(crypto().EVP_EncodeBlock(out + written, in + done, static_cast<int>(n)));
    }
    lua_pushlstring(L, reinterpret_cast<const char*>(out), written);
    return 1;
}

// The text without CR and LF, in a Lua userdata on top of the stack.
const char* push_without_line_breaks(lua_State* L, const char* text, size_t len, size_t symbols) {
    auto* clean = static_cast<char*>(lua_newuserdata(L, symbols));
    size_t n = 0;
    for (size_t i = 0; i < len; ++i)
        if (text[i] != '\r' && text[i] != '\n') clean[n++] = text[i];
    return clean;
}

int base64_decode(lua_State* L) {
    size_t len = 0;
    const char* text = string_arg(L, &len, "base64.decode");
    if (text == nullptr) return 2;
    Base64Shape shape = check_base64({text, len});
    switch (shape.status) {
        case Base64Shape::Status::ok: break;
        case Base64Shape::Status::bad_character:
            lua_pushfstring(L, "base64.decode: illegal base64 data at input byte %d", static_cast<int>(shape.offset));
            return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
        case Base64Shape::Status::bad_padding:
            return return_error(L, MODRT_ERR_INVALID,
                                "base64.decode: corrupted padding (the text must be whole groups of 4 "
                                "characters, with at most two '=' at its end)");
    }
    if (shape.line_breaks) text = push_without_line_breaks(L, text, len, shape.symbols);
    // EVP_DecodeBlock writes 3 bytes per group, padding included; the size drops them.
    auto* out = static_cast<unsigned char*>(lua_newuserdata(L, shape.symbols / 4 * 3 + 1));
    const auto* in = reinterpret_cast<const unsigned char*>(text);
    size_t written = 0;
    for (size_t done = 0; done < shape.symbols; done += kDecodeChunk) {
        size_t n = shape.symbols - done < kDecodeChunk ? shape.symbols - done : kDecodeChunk;
        int got = crypto().EVP_DecodeBlock(out + written, in + done, static_cast<int>(n));
        if (got < 0) return return_error(L, MODRT_ERR_INVALID, "base64.decode: illegal base64 data");
        written += static_cast<size_t>(got);
    }
    lua_pushlstring(L, reinterpret_cast<const char*>(out), decoded_size(shape));
    return 1;
}

}  // namespace

int open_base64_module(lua_State* L) {
    require_libcrypto(L, "base64");  // its functions use crypto() freely from here on
    static const luaL_Reg fns[] = {{"encode", base64_encode}, {"decode", base64_decode}, {nullptr, nullptr}};
    lua_createtable(L, 0, 2);
    luaL_register(L, nullptr, fns);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
