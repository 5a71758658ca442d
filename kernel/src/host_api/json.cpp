// JSON <-> value (json.hpp). Reading goes through nlohmann's SAX parser; writing
// is done here, in one pass, so that it stays linear in the value (nlohmann's
// ordered_json looks every key up linearly) and numbers print losslessly.
#include <modrt/kernel/json.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace modrt::kernel {

namespace {

using json = nlohmann::ordered_json;  // keeps map keys in insertion order

constexpr size_t kMaxDepth = 512;
// Objects with more keys than this look keys up in a hash index (duplicates: the last wins).
constexpr size_t kIndexFrom = 16;

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
    bool number_float(number_float_t f, const string_t& text) override {
        if (!std::isfinite(f)) {  // 1e400: strtod gives inf, which no JSON text can mean
            error_ = "invalid JSON: the number " + text + " is out of the range of a double";
            return false;
        }
        return place(Value::number(f));
    }
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
    struct Open {
        Value* value;
        std::unordered_map<std::string, size_t> index;  // key -> item, once the object is large
    };

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
        stack_.push_back(Open{slot, {}});
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
        Open& top = stack_.back();
        if (top.value->type == MODRT_ARRAY) return &top.value->push();
        return &member(top);
    }
    // Value::insert is linear in the keys unless they come sorted; a big object in
    // any order gets an index, so parsing stays linear.
    Value& member(Open& top) {
        Value& map = *top.value;
        if (map.keys.size() < kIndexFrom || map.keys_sorted) return map.insert(key_);
        if (top.index.empty())
            for (size_t i = 0; i < map.keys.size(); ++i) top.index.emplace(map.keys[i], i);
        auto [it, added] = top.index.emplace(key_, map.keys.size());
        if (!added) {
            Value& slot = map.items[it->second];
            slot.reset(MODRT_NIL);
            return slot;
        }
        map.items.emplace_back();
        map.keys.push_back(key_);  // absent (the index says so); keys_sorted is already false
        return map.items.back();
    }

    Value& root_;
    std::vector<Open> stack_;
    std::string key_;
    std::string error_;
    bool done_ = false;
};

void append_base64(const std::string& bytes, std::string& out) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    size_t n = bytes.size();
    out += '"';
    for (size_t i = 0; i < n; i += 3) {
        uint32_t chunk = uint32_t(p[i]) << 16 | (i + 1 < n ? uint32_t(p[i + 1]) << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        out += kAlphabet[(chunk >> 18) & 63];
        out += kAlphabet[(chunk >> 12) & 63];
        out += i + 1 < n ? kAlphabet[(chunk >> 6) & 63] : '=';
        out += i + 2 < n ? kAlphabet[chunk & 63] : '=';
    }
    out += '"';
}

// A JSON string literal; invalid UTF-8 becomes U+FFFD (as before: nlohmann's "replace").
void append_string(const std::string& s, std::string& out) {
    out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

// 2^53: from here on not every integer is a double, and nlohmann switches to exponents.
constexpr double kExactIntLimit = 9007199254740992.0;
// Like JavaScript, integral numbers below 10^21 are written out in full.
constexpr double kDigitsLimit = 1e21;

// A finite double, losslessly: the shortest text that reads back as the same
// double ("0.1", "1e+308", "5e-324", "-0.0"); an integral one from 2^53 up to
// 10^21 as its exact digits plus ".0" (2^63 is 9223372036854775808.0, not
// 9.223372036854776e+18), which still reads back as the same number.
void append_number(double d, std::string& out) {
    double magnitude = std::fabs(d);
    if (magnitude >= kExactIntLimit && magnitude < kDigitsLimit && std::trunc(d) == d) {
        char buf[32];
        int n = std::snprintf(buf, sizeof buf, "%.0f.0", d);  // glibc prints the exact integer
        out.append(buf, static_cast<size_t>(n));
        return;
    }
    out += json(d).dump();
}

class Writer {
public:
    Writer(std::string& out, int indent, bool strict) : out_(out), indent_(indent), strict_(strict) {}

    // Appends `v`; returns false at the first non-finite number when strict (problem() says where).
    bool write(const Value& v, int level) {
        switch (v.type) {
            case MODRT_NIL: out_ += "null"; return true;
            case MODRT_BOOL: out_ += v.scalar.b ? "true" : "false"; return true;
            case MODRT_INT: out_ += std::to_string(v.scalar.i); return true;
            case MODRT_NUMBER:
                if (std::isfinite(v.scalar.n)) {
                    append_number(v.scalar.n, out_);
                    return true;
                }
                if (strict_) {
                    problem_ = std::isnan(v.scalar.n) ? "NaN" : v.scalar.n > 0 ? "Infinity" : "-Infinity";
                    return false;
                }
                out_ += "null";
                return true;
            case MODRT_STRING: append_string(v.str, out_); return true;
            case MODRT_BYTES: append_base64(v.str, out_); return true;
            case MODRT_ARRAY: return write_items(v, level, '[', ']');
            case MODRT_MAP: return write_items(v, level, '{', '}');
        }
        out_ += "null";
        return true;
    }

    // The path of the bad number, innermost last, once write returned false.
    std::string where(std::string_view root) const {
        std::string path(root);
        for (auto it = path_.rbegin(); it != path_.rend(); ++it) path += *it;
        return path;
    }
    const char* problem() const { return problem_; }

private:
    bool write_items(const Value& v, int level, char open, char close) {
        out_ += open;
        if (v.items.empty()) {
            out_ += close;
            return true;
        }
        for (size_t i = 0; i < v.items.size(); ++i) {
            if (i > 0) out_ += ',';
            newline(level + 1);
            if (v.type == MODRT_MAP) {
                append_string(v.keys[i], out_);
                out_ += indent_ >= 0 ? ": " : ":";
            }
            if (!write(v.items[i], level + 1)) {
                path_.push_back(v.type == MODRT_MAP ? "." + v.keys[i] : "[" + std::to_string(i) + "]");
                return false;
            }
        }
        newline(level);
        out_ += close;
        return true;
    }
    void newline(int level) {
        if (indent_ < 0) return;
        out_ += '\n';
        out_.append(static_cast<size_t>(level) * static_cast<size_t>(indent_), ' ');
    }

    std::string& out_;
    int indent_;
    bool strict_;
    const char* problem_ = nullptr;
    std::vector<std::string> path_;  // innermost first, filled on the way out of a failure
};

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
    std::string out;
    Writer(out, indent, false).write(value, 0);
    return out;
}

ErrorPtr write_json(const Value& value, std::string& out, int indent, std::string_view name) {
    out.clear();
    Writer writer(out, indent, true);
    if (writer.write(value, 0)) return nullptr;
    out.clear();
    ErrorPtr err = make_error(MODRT_ERR_INVALID,
                              writer.where(name) + " is " + writer.problem() + "; JSON has no NaN or Infinity");
    err->retryable = false;
    return err;
}

}  // namespace modrt::kernel
