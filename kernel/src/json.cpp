#include <modrt/kernel/json.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace modrt::kernel {

namespace {

using json = nlohmann::ordered_json;  // keeps map keys in insertion order

constexpr size_t kMaxDepth = 512;

// nlohmann's SAX interface lets us build values directly and bound nesting depth.
class ValueBuilder : public nlohmann::json_sax<json> {
public:
    explicit ValueBuilder(Value& root) : root_(root) {}

    bool null() override { return place(Value()); }
    bool boolean(bool b) override { return place(Value::boolean(b)); }
    bool number_integer(number_integer_t i) override { return place(Value::integer(i)); }
    bool number_unsigned(number_unsigned_t u) override {
        if (u <= static_cast<number_unsigned_t>(INT64_MAX)) return place(Value::integer(static_cast<int64_t>(u)));
        return place(Value::number(static_cast<double>(u)));
    }
    bool number_float(number_float_t f, const string_t&) override { return place(Value::number(f)); }
    bool string(string_t& s) override { return place(Value::string(s)); }
    bool binary(binary_t&) override { return false; }
    bool start_object(std::size_t) override { return open(Value::map()); }
    bool key(string_t& k) override {
        key_ = k;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(Value::array()); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
        error_ = "invalid JSON at byte " + std::to_string(position) + ": " + ex.what();
        return false;
    }
    const std::string& error() const { return error_; }

private:
    bool place(Value v) {
        Value* slot = next_slot();
        if (!slot) return false;
        *slot = std::move(v);
        return true;
    }
    bool open(Value v) {
        if (stack_.size() >= kMaxDepth) {
            error_ = "invalid JSON: nested deeper than " + std::to_string(kMaxDepth);
            return false;
        }
        Value* slot = next_slot();
        if (!slot) return false;
        *slot = std::move(v);
        stack_.push_back(slot);
        return true;
    }
    bool close() {
        stack_.pop_back();
        return true;
    }
    // Children are complete before the parent grows again, so the pointers on
    // the stack stay valid: only the innermost container is ever appended to.
    Value* next_slot() {
        if (stack_.empty()) {
            if (done_) return nullptr;
            done_ = true;
            return &root_;
        }
        Value* top = stack_.back();
        return top->type == MODRT_ARRAY ? &top->push() : &top->insert(key_);
    }

    Value& root_;
    std::vector<Value*> stack_;
    std::string key_;
    std::string error_;
    bool done_ = false;
};

void encode(const Value& v, json& out) {
    switch (v.type) {
    case MODRT_NIL: out = nullptr; break;
    case MODRT_BOOL: out = v.scalar.b; break;
    case MODRT_INT: out = v.scalar.i; break;
    case MODRT_NUMBER:
        if (std::isfinite(v.scalar.n)) out = v.scalar.n;
        else out = nullptr;  // JSON has no NaN/Inf
        break;
    case MODRT_STRING: out = v.str; break;
    case MODRT_BYTES: {
        static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string b64;
        const auto* p = reinterpret_cast<const unsigned char*>(v.str.data());
        size_t n = v.str.size();
        for (size_t i = 0; i < n; i += 3) {
            uint32_t chunk = uint32_t(p[i]) << 16 | (i + 1 < n ? uint32_t(p[i + 1]) << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
            b64 += kAlphabet[(chunk >> 18) & 63];
            b64 += kAlphabet[(chunk >> 12) & 63];
            b64 += i + 1 < n ? kAlphabet[(chunk >> 6) & 63] : '=';
            b64 += i + 2 < n ? kAlphabet[chunk & 63] : '=';
        }
        out = b64;
        break;
    }
    case MODRT_ARRAY:
        out = json::array();
        for (const auto& item : v.items) encode(item, out.emplace_back());
        break;
    case MODRT_MAP:
        out = json::object();
        for (size_t i = 0; i < v.keys.size(); ++i) encode(v.items[i], out[v.keys[i]]);
        break;
    }
}

}  // namespace

ErrorPtr parse_json(std::string_view text, Value& out) {
    out = Value();
    ValueBuilder builder(out);
    bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true);
    if (!ok) {
        out = Value();
        return make_error(MODRT_ERR_INVALID, builder.error().empty() ? "invalid JSON" : builder.error());
    }
    return nullptr;
}

std::string to_json(const Value& value, int indent) {
    json j;
    encode(value, j);
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace modrt::kernel
