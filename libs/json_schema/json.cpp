#include "json.hpp"

#include "host_values.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace modrt::contract::json_schema::detail {

const Json* Json::find(std::string_view key) const noexcept {
    if (type != Type::Object) return nullptr;
    for (size_t i = 0; i < keys.size(); ++i)
        if (keys[i] == key) return &items[i];
    return nullptr;
}

Json from_host(const HostValues& host, const modrt_value* value) {
    Json out;
    switch (host.type(value)) {
        case MODRT_NIL: break;
        case MODRT_BOOL:
            out.type = Json::Type::Bool;
            out.boolean = host.boolean(value);
            break;
        case MODRT_INT:
            out.type = Json::Type::Int;
            out.integer = host.integer(value);
            break;
        case MODRT_NUMBER:
            out.type = Json::Type::Number;
            out.number = host.number(value);
            break;
        case MODRT_STRING:
        case MODRT_BYTES:
            out.type = Json::Type::String;
            out.string = host.string(value);
            break;
        case MODRT_ARRAY: {
            out.type = Json::Type::Array;
            size_t n = host.size(value);
            out.items.reserve(n);
            for (size_t i = 0; i < n; ++i) out.items.push_back(from_host(host, host.at(value, i)));
            break;
        }
        case MODRT_MAP: {
            out.type = Json::Type::Object;
            size_t n = host.size(value);
            out.items.reserve(n);
            out.keys.reserve(n);
            for (size_t i = 0; i < n; ++i) {
                out.keys.emplace_back(host.key(value, i));
                out.items.push_back(from_host(host, host.at(value, i)));
            }
            break;
        }
    }
    return out;
}

namespace {

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    bool document(Json& out, std::string* error) {
        bool ok = value(out, 0) && (space(), pos_ == text_.size());
        if (!ok && error) *error = "bad JSON at byte " + std::to_string(pos_);
        return ok;
    }

private:
    // Deep enough for any schema, shallow enough for the stack.
    static constexpr int kMaxDepth = 256;

    void space() {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }
    bool eat(char c) {
        space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    bool word(std::string_view w) {
        if (text_.substr(pos_, w.size()) != w) return false;
        pos_ += w.size();
        return true;
    }

    bool value(Json& out, int depth) {
        if (depth > kMaxDepth) return false;
        space();
        if (pos_ >= text_.size()) return false;
        switch (text_[pos_]) {
            case '{': return object(out, depth);
            case '[': return array(out, depth);
            case '"': out.type = Json::Type::String; return string(out.string);
            case 't':
                out.type = Json::Type::Bool;
                out.boolean = true;
                return word("true");
            case 'f':
                out.type = Json::Type::Bool;
                out.boolean = false;
                return word("false");
            case 'n': out.type = Json::Type::Null; return word("null");
            default: return number(out);
        }
    }

    bool object(Json& out, int depth) {
        ++pos_;
        out.type = Json::Type::Object;
        if (eat('}')) return true;
        do {
            space();
            std::string key;
            if (pos_ >= text_.size() || text_[pos_] != '"' || !string(key) || !eat(':')) return false;
            Json member;
            if (!value(member, depth + 1)) return false;
            out.keys.push_back(std::move(key));
            out.items.push_back(std::move(member));
        } while (eat(','));
        return eat('}');
    }

    bool array(Json& out, int depth) {
        ++pos_;
        out.type = Json::Type::Array;
        if (eat(']')) return true;
        do {
            Json item;
            if (!value(item, depth + 1)) return false;
            out.items.push_back(std::move(item));
        } while (eat(','));
        return eat(']');
    }

    bool hex4(uint32_t& cp) {
        if (pos_ + 4 > text_.size()) return false;
        auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, cp, 16);
        if (ec != std::errc() || end != text_.data() + pos_ + 4) return false;
        pos_ += 4;
        return true;
    }

    static void append_utf8(std::string& out, uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    bool string(std::string& out) {
        ++pos_;  // the opening quote
        while (pos_ < text_.size()) {
            char c = text_[pos_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= text_.size()) return false;
            switch (text_[pos_++]) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    uint32_t cp = 0;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xD800 && cp < 0xDC00) {
                        uint32_t low = 0;
                        if (!word("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp < 0xE000) {
                        return false;
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: return false;
            }
        }
        return false;
    }

    bool number(Json& out) {
        size_t start = pos_;
        bool integral = true;
        if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
        if (pos_ >= text_.size() || !is_digit(text_[pos_])) return false;
        if (text_[pos_] == '0') ++pos_;
        else digits();
        if (pos_ < text_.size() && text_[pos_] == '.') {
            integral = false;
            ++pos_;
            if (!digits()) return false;
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            integral = false;
            ++pos_;
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
            if (!digits()) return false;
        }
        const char* first = text_.data() + start;
        const char* last = text_.data() + pos_;
        if (integral) {
            auto [end, ec] = std::from_chars(first, last, out.integer);
            if (ec == std::errc() && end == last) {
                out.type = Json::Type::Int;
                return true;
            }
        }
        // Too big for int64, or not integral: a double, like the kernel's own parser.
        auto [end, ec] = std::from_chars(first, last, out.number);
        if (ec == std::errc::result_out_of_range)
            out.number = (*first == '-' ? -1 : 1) * std::numeric_limits<double>::infinity();
        else if (ec != std::errc() || end != last) return false;
        out.type = Json::Type::Number;
        return true;
    }

    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    bool digits() {
        size_t start = pos_;
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
        return pos_ > start;
    }

    std::string_view text_;
    size_t pos_ = 0;
};

void quote(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += "\\u00";
            out += kHex[u >> 4];
            out += kHex[u & 0xF];
        } else {
            out += c;
        }
    }
    out += '"';
}

void write(std::string& out, const Json& v) {
    switch (v.type) {
        case Json::Type::Null: out += "null"; break;
        case Json::Type::Bool: out += v.boolean ? "true" : "false"; break;
        case Json::Type::Int: out += std::to_string(v.integer); break;
        case Json::Type::Number: out += number_text(v.number); break;
        case Json::Type::String: quote(out, v.string); break;
        case Json::Type::Array:
            out += '[';
            for (size_t i = 0; i < v.items.size(); ++i) {
                if (i) out += ',';
                write(out, v.items[i]);
            }
            out += ']';
            break;
        case Json::Type::Object:
            out += '{';
            for (size_t i = 0; i < v.items.size(); ++i) {
                if (i) out += ',';
                quote(out, v.keys[i]);
                out += ':';
                write(out, v.items[i]);
            }
            out += '}';
            break;
    }
}

}  // namespace

bool parse_json_text(std::string_view text, Json& out, std::string* error) {
    out = Json{};
    return Parser(text).document(out, error);
}

std::string to_text(const Json& value) {
    std::string out;
    write(out, value);
    return out;
}

std::string number_text(double value) {
    if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value < 0 ? "-Infinity" : "Infinity");
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

}  // namespace modrt::contract::json_schema::detail
