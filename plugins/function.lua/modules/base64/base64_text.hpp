// Checking base64 text before OpenSSL decodes it: EVP_DecodeBlock accepts what
// RFC 4648 does not (padding in the middle, "Q===", spaces at either end), so
// the module's rules are decided here and OpenSSL only sees clean groups.
//
// The rules are Go's base64.StdEncoding, which Wippy's module uses: the
// standard alphabet with '=' padding; CR and LF are skipped anywhere; the
// text without them is a whole number of 4-character groups; '=' only ends
// the last group ("xx==" or "xxx="). Unused bits of the last character need
// not be zero (Go's non-strict mode).
#pragma once

#include <cstddef>
#include <string_view>

namespace modrt::lua {

/// What check_base64 found. Trivially destructible.
struct Base64Shape {
    enum class Status { ok, bad_character, bad_padding };
    Status status = Status::ok;
    size_t offset = 0;         ///< bad_character: 0-based offset of the offending byte in the input
    size_t symbols = 0;        ///< ok: characters without CR/LF (a multiple of 4)
    size_t padding = 0;        ///< ok: '=' at the end (0-2)
    bool line_breaks = false;  ///< ok: the text has CR or LF to skip
};

/// Check `text` against the rules above.
Base64Shape check_base64(std::string_view text) noexcept;

/// Bytes the text of `shape` decodes to.
inline size_t decoded_size(const Base64Shape& shape) noexcept { return shape.symbols / 4 * 3 - shape.padding; }

}  // namespace modrt::lua
