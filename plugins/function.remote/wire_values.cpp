// modrt values as CBOR (wire_values.hpp).
#include "wire_values.hpp"

#include <cstdint>
#include <limits>

namespace modrt::remote {

namespace {

Json encode(ValueView v, int depth) {
    if (depth > kMaxDepth) throw Failure(MODRT_ERR_INVALID, "value nested deeper than 128 levels");
    switch (v.type()) {
        case MODRT_NIL: return nullptr;
        case MODRT_BOOL: return v.as_bool();
        case MODRT_INT: return v.as_int();
        case MODRT_NUMBER: return v.as_number();
        case MODRT_STRING: return std::string(v.as_string());
        case MODRT_BYTES: {
            std::string_view b = v.as_string();
            return Json::binary(Json::binary_t::container_type(b.begin(), b.end()));
        }
        case MODRT_ARRAY: {
            Json a = Json::array();
            for (size_t i = 0; i < v.size(); ++i) a.push_back(encode(v[i], depth + 1));
            return a;
        }
        case MODRT_MAP: {
            Json m = Json::object();
            for (size_t i = 0; i < v.size(); ++i) m[std::string(v.key(i))] = encode(v[i], depth + 1);
            return m;
        }
    }
    return nullptr;
}

/// The DOM parser, refusing to go deeper than kMaxDepth: the CBOR reader recurses per level, so
/// a message of nested one-item arrays would otherwise overflow the stack.
class BoundedSax : public nlohmann::detail::json_sax_dom_parser<Json> {
public:
    using Base = nlohmann::detail::json_sax_dom_parser<Json>;
    explicit BoundedSax(Json& out) : Base(out, false) {}
    bool start_object(std::size_t n) { return ++depth_ <= kMaxDepth && Base::start_object(n); }
    bool end_object() {
        --depth_;
        return Base::end_object();
    }
    bool start_array(std::size_t n) { return ++depth_ <= kMaxDepth && Base::start_array(n); }
    bool end_array() {
        --depth_;
        return Base::end_array();
    }
    bool too_deep() const { return depth_ > kMaxDepth; }

private:
    int depth_ = 0;
};

}  // namespace

Json to_wire(ValueView v) { return encode(v, 0); }

void from_wire(const Json& j, ValueSlot out) {
    switch (j.type()) {
        case Json::value_t::null:
        case Json::value_t::discarded: out.set_nil(); return;
        case Json::value_t::boolean: out.set_bool(j.get<bool>()); return;
        case Json::value_t::number_integer: out.set_int(j.get<int64_t>()); return;
        case Json::value_t::number_unsigned: {
            auto u = j.get<uint64_t>();
            if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) out.set_int(static_cast<int64_t>(u));
            else out.set_number(static_cast<double>(u));
            return;
        }
        case Json::value_t::number_float: out.set_number(j.get<double>()); return;
        case Json::value_t::string: out.set_string(j.get_ref<const std::string&>()); return;
        case Json::value_t::binary: {
            const auto& b = j.get_binary();
            out.set_bytes(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
            return;
        }
        case Json::value_t::array:
            out.set_array(j.size());
            for (const auto& item : j) from_wire(item, out.push());
            return;
        case Json::value_t::object:
            out.set_map(j.size());
            for (const auto& [k, item] : j.items()) from_wire(item, out.insert(k));
            return;
    }
}

std::optional<Json> parse_cbor(std::string_view bytes, std::string& why) {
    Json out;
    BoundedSax sax(out);
    bool ok = false;
    try {
        ok = Json::sax_parse(bytes.begin(), bytes.end(), &sax, Json::input_format_t::cbor, true);
    } catch (const std::exception& e) {  // the DOM parser throws on sizes it cannot hold
        why = e.what();
        return std::nullopt;
    }
    if (!ok || sax.is_errored()) {
        why = sax.too_deep() ? "nested deeper than 128 levels" : "malformed CBOR";
        return std::nullopt;
    }
    return out;
}

}  // namespace modrt::remote
