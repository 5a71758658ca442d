// json/plain through nlohmann::json (codec.hpp).
#include "codec.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace modrt::queue {

namespace {

using Json = nlohmann::json;
constexpr int kMaxDepth = 128;

Json to_json(ValueView v, int depth) {
    if (depth > kMaxDepth) throw Failure(MODRT_ERR_INVALID, "message body nested deeper than 128 levels");
    switch (v.type()) {
        case MODRT_BOOL: return v.as_bool();
        case MODRT_INT: return v.as_int();
        case MODRT_NUMBER:
            if (!std::isfinite(v.as_number()))
                throw Failure(MODRT_ERR_INVALID, "message body holds NaN or infinity, which JSON cannot");
            return v.as_number();
        case MODRT_STRING:
        case MODRT_BYTES: return std::string(v.as_string());
        case MODRT_ARRAY: {
            Json a = Json::array();
            for (size_t i = 0; i < v.size(); ++i) a.push_back(to_json(v[i], depth + 1));
            return a;
        }
        case MODRT_MAP: {
            Json m = Json::object();
            for (size_t i = 0; i < v.size(); ++i) m[std::string(v.key(i))] = to_json(v[i], depth + 1);
            return m;
        }
        default: return nullptr;
    }
}

void from_json(const Json& j, ValueSlot out) {
    switch (j.type()) {
        case Json::value_t::boolean: out.set_bool(j.get<bool>()); return;
        case Json::value_t::number_integer: out.set_int(j.get<int64_t>()); return;
        case Json::value_t::number_unsigned: {
            auto u = j.get<uint64_t>();
            if (u <= uint64_t(INT64_MAX)) out.set_int(static_cast<int64_t>(u));
            else out.set_number(static_cast<double>(u));
            return;
        }
        case Json::value_t::number_float: out.set_number(j.get<double>()); return;
        case Json::value_t::string: out.set_string(j.get_ref<const std::string&>()); return;
        case Json::value_t::array:
            out.set_array(j.size());
            for (const auto& item : j) from_json(item, out.push());
            return;
        case Json::value_t::object:
            out.set_map(j.size());
            for (const auto& [k, item] : j.items()) from_json(item, out.insert(k));
            return;
        default: out.set_nil(); return;
    }
}

}  // namespace

bool known_codec(std::string_view codec) { return codec == "json/plain"; }

std::string encode_body(std::string_view, ValueView body) { return to_json(body, 0).dump(); }

void decode_body(std::string_view codec, std::string_view bytes, ValueSlot out) {
    Json j = Json::parse(bytes, nullptr, false);
    if (j.is_discarded())
        throw Failure(Error(MODRT_ERR_INVALID, "message body is not " + std::string(codec)).set_retryable(false));
    from_json(j, out);
}

}  // namespace modrt::queue
