#include "yaml_value.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace modrt::kernel {

namespace {

constexpr int kMaxDepth = 256;

Value plain_scalar(const std::string& s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value();
    if (s == "true" || s == "True" || s == "TRUE") return Value::boolean(true);
    if (s == "false" || s == "False" || s == "FALSE") return Value::boolean(false);
    const char* begin = s.data();
    const char* end = s.data() + s.size();
    const char* digits = (*begin == '+') ? begin + 1 : begin;
    int64_t i = 0;
    auto [pi, ei] = std::from_chars(digits, end, i);
    if (ei == std::errc() && pi == end) return Value::integer(i);
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
        auto [px, ex] = std::from_chars(begin + 2, end, i, s[1] == 'x' ? 16 : 8);
        if (ex == std::errc() && px == end) return Value::integer(i);
    }
    if (s == ".inf" || s == "+.inf" || s == ".Inf") return Value::number(std::numeric_limits<double>::infinity());
    if (s == "-.inf" || s == "-.Inf") return Value::number(-std::numeric_limits<double>::infinity());
    if (s == ".nan" || s == ".NaN") return Value::number(std::nan(""));
    bool numeric_chars = s.find_first_not_of("0123456789+-.eE") == std::string::npos &&
                         s.find_first_of("0123456789") != std::string::npos;
    if (numeric_chars) {
        double d = 0;
        auto [pd, ed] = std::from_chars(digits, end, d);
        if (ed == std::errc() && pd == end) return Value::number(d);
    }
    return Value::string(s);
}

Value convert(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth) throw std::runtime_error("nested deeper than " + std::to_string(kMaxDepth) + " levels");
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return Value();
    case YAML::NodeType::Scalar:
        // yaml-cpp tags quoted scalars "!": they are strings whatever they look like.
        if (node.Tag() == "!") return Value::string(node.Scalar());
        return plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
        Value out = Value::array();
        out.items.reserve(node.size());
        for (const auto& item : node) out.items.push_back(convert(item, depth + 1));
        return out;
    }
    case YAML::NodeType::Map: {
        Value out = Value::map();
        for (const auto& kv : node) {
            if (!kv.first.IsScalar()) throw std::runtime_error("map keys must be strings");
            out.insert(kv.first.Scalar()) = convert(kv.second, depth + 1);
        }
        return out;
    }
    }
    return Value();
}

}  // namespace

Value yaml_to_value(const YAML::Node& node) { return convert(node, 0); }

}  // namespace modrt::kernel
