// JSON text -> host value (json_host_value.hpp).
#include "modules/json/json_host_value.hpp"

#include "values/json_decode.hpp"
#include "values/json_encode.hpp"

#include <modrt/sdk.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace modrt::lua {
namespace {

using Json = nlohmann::json;

// nlohmann's SAX events -> host value writers. A container's slot stays valid
// while its children are written: only the innermost container grows.
class HostValueBuilder {
public:
    HostValueBuilder(modrt_value* root, JsonValueError& err) noexcept : root_(root), err_(err) {}

    bool null() noexcept { return slot() != nullptr; }  // a new slot is nil already
    bool boolean(bool b) noexcept {
        return set([b](modrt_value* v) { host_api().value_set_bool(v, b ? 1 : 0); });
    }
    bool number_integer(Json::number_integer_t n) noexcept {
        return set([n](modrt_value* v) { host_api().value_set_int(v, n); });
    }
    bool number_unsigned(Json::number_unsigned_t n) noexcept {
        if (n <= static_cast<Json::number_unsigned_t>(INT64_MAX)) return number_integer(static_cast<int64_t>(n));
        return number_float(static_cast<double>(n), {});
    }
    bool number_float(Json::number_float_t n, const Json::string_t&) noexcept {
        return set([n](modrt_value* v) { host_api().value_set_number(v, n); });
    }
    bool string(Json::string_t& s) noexcept {
        return set([&s](modrt_value* v) { host_api().value_set_string(v, to_str(s)); });
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
        std::string_view why = json_error_reason(ex.what());
        std::snprintf(err_.message, sizeof err_.message, "at byte %zu: %.*s", byte,
                      static_cast<int>(why.size() < 190 ? why.size() : 190), why.data());
        return false;
    }

private:
    // The slot of the next value: the root, a member of the innermost object, or an item of the innermost array.
    modrt_value* slot() noexcept {
        modrt_value* v = depth_ == 0          ? root_
                         : in_object_[depth_] ? host_api().value_insert(open_[depth_], to_str(key_))
                                              : host_api().value_push(open_[depth_]);
        if (v == nullptr) std::snprintf(err_.message, sizeof err_.message, "out of memory");
        return v;
    }

    template <class Write>
    bool set(Write write) noexcept {
        modrt_value* v = slot();
        if (v == nullptr) return false;
        write(v);
        return true;
    }

    bool open(bool object) noexcept {
        if (depth_ == kJsonMaxDepth) {
            std::snprintf(err_.message, sizeof err_.message, "nested deeper than %d levels", kJsonMaxDepth);
            return false;
        }
        modrt_value* v = slot();
        if (v == nullptr) return false;
        if (object) host_api().value_set_map(v, 0);
        else host_api().value_set_array(v, 0);
        ++depth_;
        open_[depth_] = v;
        in_object_[depth_] = object;
        return true;
    }

    bool close() noexcept {
        --depth_;
        return true;
    }

    modrt_value* root_;
    JsonValueError& err_;
    int depth_ = 0;
    std::string key_;  // the member name the next value belongs to
    std::array<modrt_value*, kJsonMaxDepth + 1> open_{};
    std::array<bool, kJsonMaxDepth + 1> in_object_{};
};

}  // namespace

bool parse_json_value(std::string_view text, modrt_value* out, JsonValueError& err) noexcept {
    try {
        host_api().value_set_nil(out);
        HostValueBuilder builder(out, err);
        return Json::sax_parse(text.data(), text.data() + text.size(), &builder);
    } catch (...) {  // std::bad_alloc from nlohmann's buffers or the key copy
        std::snprintf(err.message, sizeof err.message, "out of memory");
        return false;
    }
}

}  // namespace modrt::lua
