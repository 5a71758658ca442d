// Message body codecs: what a queue's `codec` turns a published value into on the wire,
// and back for its consumers. Only Wippy's default, json/plain, for now.
#pragma once

#include <modrt/sdk.hpp>

#include <string>
#include <string_view>

namespace modrt::queue {

/// True for a codec name this plugin knows.
bool known_codec(std::string_view codec);
/// The bytes of `body`; throws Failure(INVALID) for what JSON cannot hold (NaN, infinities).
std::string encode_body(std::string_view codec, ValueView body);
/// The value of `bytes`; throws Failure(INVALID, not retryable) when they are not what the codec makes.
void decode_body(std::string_view codec, std::string_view bytes, ValueSlot out);

}  // namespace modrt::queue
