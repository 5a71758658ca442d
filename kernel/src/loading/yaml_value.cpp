#include "loading/yaml_value.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace modrt::kernel {

namespace {

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

std::string depth_message() {
    return "nested deeper than " + std::to_string(kMaxYamlDepth) + " levels (aliases count as what they expand to)";
}

// yaml-cpp shares one node between an anchor and its aliases; the address of its scalar
// slot (present on maps and lists too) is the only public handle on that identity.
const void* identity(const YAML::Node& n) { return &n.Scalar(); }

uint64_t saturating_add(uint64_t a, uint64_t b) {
    return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max() : a + b;
}

// Sizes of each distinct node's expansion, computed once per node however often it is
// aliased: linear in the document's size, whatever it expands to.
class DocumentCheck {
public:
    explicit DocumentCheck(const RegistryLimits& limits) : limits_(limits) {}

    void run(const YAML::Node& root) { visit(root, 0); }

private:
    struct Size {
        uint64_t nodes = 0;
        uint64_t bytes = 0;
        int height = 0;     // levels of maps and lists below and including this node
        bool done = false;  // false while its children are visited: meeting it again is a cycle
    };

    const Size& visit(const YAML::Node& node, int depth) {
        auto [it, fresh] = sizes_.try_emplace(identity(node));
        Size& size = it->second;
        if (!fresh) {
            if (!size.done) throw YamlProblem(yaml_line(node), "an alias refers to a node that contains it");
            if (depth + size.height > kMaxYamlDepth) throw YamlProblem(yaml_line(node), depth_message());
            return size;
        }
        if (depth > kMaxYamlDepth) throw YamlProblem(yaml_line(node), depth_message());
        Size total{1, node.IsScalar() ? node.Scalar().size() : 0, 0, false};
        auto add = [&](const Size& child) {
            total.nodes = saturating_add(total.nodes, child.nodes);
            total.bytes = saturating_add(total.bytes, child.bytes);
            total.height = std::max(total.height, child.height + 1);
        };
        if (node.IsSequence()) {
            for (const auto& item : node) add(visit(item, depth + 1));
        } else if (node.IsMap()) {
            std::unordered_map<std::string_view, int64_t> seen;
            for (const auto& kv : node) {
                if (!kv.first.IsScalar()) throw YamlProblem(yaml_line(kv.first), "map keys must be strings");
                auto [at, first] = seen.try_emplace(kv.first.Scalar(), yaml_line(kv.first));
                if (!first)
                    throw YamlProblem(yaml_line(kv.first), "duplicate key '" + kv.first.Scalar() + "' (first at line " +
                                                               std::to_string(at->second) + ")");
                add(visit(kv.first, depth + 1));
                add(visit(kv.second, depth + 1));
            }
            total.height = std::max(total.height, 1);
        }
        // The innermost node past a limit is the one to show: usually the anchor that multiplies.
        if (total.nodes > limits_.max_nodes)
            throw YamlProblem(yaml_line(node), yaml_nodes_limit_message(limits_), true);
        if (total.bytes > limits_.max_bytes)
            throw YamlProblem(yaml_line(node), yaml_bytes_limit_message(limits_), true);
        total.done = true;
        size = total;  // still valid: an unordered_map never moves its elements
        return size;
    }

    RegistryLimits limits_;
    std::unordered_map<const void*, Size> sizes_;
};

Value convert(const YAML::Node& node, int depth, YamlBudget& budget) {
    if (depth > kMaxYamlDepth) throw YamlProblem(yaml_line(node), depth_message());
    budget.charge(node.IsScalar() ? node.Scalar().size() : 0, yaml_line(node));
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
            for (const auto& item : node) out.items.push_back(convert(item, depth + 1, budget));
            return out;
        }
        case YAML::NodeType::Map: {
            Value out = Value::map();
            // Appended directly (Value::insert searches every key: quadratic in a big map);
            // reserved so that the views in `seen` stay valid.
            out.keys.reserve(node.size());
            out.items.reserve(node.size());
            std::unordered_set<std::string_view> seen;
            for (const auto& kv : node) {
                if (!kv.first.IsScalar()) throw YamlProblem(yaml_line(kv.first), "map keys must be strings");
                budget.charge(kv.first.Scalar().size(), yaml_line(kv.first));
                out.keys.push_back(kv.first.Scalar());
                if (!seen.insert(out.keys.back()).second)
                    throw YamlProblem(yaml_line(kv.first), "duplicate key '" + kv.first.Scalar() + "'");
                out.items.push_back(convert(kv.second, depth + 1, budget));
            }
            return out;
        }
    }
    return Value();
}

}  // namespace

int64_t yaml_line(const YAML::Node& n) { return !n.IsDefined() || n.Mark().is_null() ? 0 : n.Mark().line + 1; }

std::string yaml_nodes_limit_message(const RegistryLimits& limits) {
    return "document expands to more than " + std::to_string(limits.max_nodes) +
           " nodes (aliases?); the limit is --registry-max-nodes (RuntimeOptions::registry_limits.max_nodes)";
}

std::string yaml_bytes_limit_message(const RegistryLimits& limits) {
    return "document expands to more than " + std::to_string(limits.max_bytes) +
           " bytes of text (aliases?); the limit is --registry-max-bytes (RuntimeOptions::registry_limits.max_bytes)";
}

void YamlBudget::charge(size_t bytes, int64_t line) {
    nodes_ = saturating_add(nodes_, 1);
    bytes_ = saturating_add(bytes_, bytes);
    if (nodes_ > limits_.max_nodes) throw YamlProblem(line, yaml_nodes_limit_message(limits_), true);
    if (bytes_ > limits_.max_bytes) throw YamlProblem(line, yaml_bytes_limit_message(limits_), true);
}

void check_yaml_document(const YAML::Node& root, const RegistryLimits& limits) { DocumentCheck(limits).run(root); }

Value yaml_to_value(const YAML::Node& node, YamlBudget& budget) { return convert(node, 0, budget); }

}  // namespace modrt::kernel
