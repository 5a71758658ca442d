// The route trie (route_table.hpp).
#include "route_table.hpp"

#include <algorithm>

namespace modrt::http {

namespace {

bool param_name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

constexpr std::string_view kParam = "{}";
constexpr std::string_view kRest = "{...}";

}  // namespace

bool parse_pattern(std::string_view text, RoutePattern& out, std::string& error) {
    out = RoutePattern{};
    out.text = std::string(text);
    if (!text.starts_with('/')) {
        error = "expected a path starting with '/', such as /users/{id}";
        return false;
    }
    std::vector<std::string_view> parts;
    split_path(text, parts);
    for (size_t i = 0; i < parts.size(); ++i) {
        std::string_view s = parts[i];
        if (s.starts_with('{')) {
            if (!s.ends_with('}')) {
                error = "segment '" + std::string(s) + "': a parameter is a whole segment, such as {id}";
                return false;
            }
            std::string_view name = s.substr(1, s.size() - 2);
            bool rest = name.ends_with("...");
            if (rest) name.remove_suffix(3);
            if (name.empty() || !std::all_of(name.begin(), name.end(), param_name_char)) {
                error = "segment '" + std::string(s) + "': a parameter name is letters, digits, '_' or '-'";
                return false;
            }
            if (rest && i + 1 != parts.size()) {
                error = "segment '" + std::string(s) + "': {name...} must be the last segment";
                return false;
            }
            if (std::find(out.param_names.begin(), out.param_names.end(), name) != out.param_names.end()) {
                error = "parameter '" + std::string(name) + "' appears twice";
                return false;
            }
            out.param_names.emplace_back(name);
            out.segments.emplace_back(rest ? kRest : kParam);
        } else {
            if (s.find_first_of("{}") != std::string_view::npos) {
                error = "segment '" + std::string(s) + "': '{' and '}' only enclose a whole-segment parameter";
                return false;
            }
            out.segments.emplace_back(s);
        }
    }
    for (const auto& s : out.segments) out.key += "/" + s;
    if (out.key.empty()) out.key = "/";
    return true;
}

void split_path(std::string_view path, std::vector<std::string_view>& out) {
    out.clear();
    if (path.starts_with('/')) path.remove_prefix(1);
    if (path.ends_with('/')) path.remove_suffix(1);
    if (path.empty()) return;
    for (;;) {
        size_t slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) return;
        path.remove_prefix(slash + 1);
    }
}

struct RouteTable::Leaf {
    std::vector<std::pair<std::string, size_t>> routes;  // method ("*" too) -> target
    std::string allow;

    size_t find(std::string_view method) const noexcept {
        size_t any = RouteMatch::kNone, get = RouteMatch::kNone;
        for (const auto& [m, t] : routes) {
            if (m == method) return t;
            if (m == "*") any = t;
            if (m == "GET") get = t;
        }
        if (any != RouteMatch::kNone) return any;
        return method == "HEAD" ? get : RouteMatch::kNone;  // HEAD is GET without the body
    }

    void rebuild_allow() {
        std::vector<std::string> methods;
        bool star = false;
        for (const auto& [m, t] : routes) {
            if (m == "*") star = true;
            else methods.push_back(m);
        }
        if (star) {
            allow = "*";
            return;
        }
        auto has = [&](std::string_view m) { return std::find(methods.begin(), methods.end(), m) != methods.end(); };
        if (has("GET") && !has("HEAD")) methods.emplace_back("HEAD");
        if (!has("OPTIONS")) methods.emplace_back("OPTIONS");
        allow.clear();
        for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
    }
};

struct RouteTable::Node {
    std::map<std::string, std::unique_ptr<Node>, std::less<>> statics;
    std::unique_ptr<Node> param;
    std::unique_ptr<Leaf> end;   // patterns ending here
    std::unique_ptr<Leaf> rest;  // patterns whose {rest...} starts here
};

RouteTable::RouteTable() : root_(std::make_unique<Node>()) {}
RouteTable::~RouteTable() = default;
RouteTable::RouteTable(RouteTable&&) noexcept = default;
RouteTable& RouteTable::operator=(RouteTable&&) noexcept = default;

void RouteTable::add(std::string_view method, const RoutePattern& pattern, size_t target) {
    Node* n = root_.get();
    std::unique_ptr<Leaf>* leaf = &n->end;
    for (const auto& s : pattern.segments) {
        if (s == kRest) {
            leaf = &n->rest;
            break;
        }
        std::unique_ptr<Node>* next = nullptr;
        if (s == kParam) {
            next = &n->param;
        } else {
            auto it = n->statics.find(s);
            if (it == n->statics.end()) it = n->statics.emplace(s, nullptr).first;
            next = &it->second;
        }
        if (!*next) *next = std::make_unique<Node>();
        n = next->get();
        leaf = &n->end;
    }
    if (!*leaf) *leaf = std::make_unique<Leaf>();
    for (const auto& [m, t] : (*leaf)->routes)
        if (m == method) return;
    (*leaf)->routes.emplace_back(std::string(method), target);
    (*leaf)->rebuild_allow();
}

namespace {

// Depth-first in priority order; `want` decides whether a leaf answers.
template <class Node, class Leaf, class Want>
const Leaf* search(const Node& n, std::string_view path, const std::vector<std::string_view>& segs, size_t i,
                   std::vector<std::string_view>& caps, const Want& want) {
    if (i == segs.size()) {
        if (n.end && want(*n.end)) return n.end.get();
        if (n.rest && want(*n.rest)) {
            caps.emplace_back();
            return n.rest.get();
        }
        return nullptr;
    }
    if (auto it = n.statics.find(segs[i]); it != n.statics.end())
        if (const Leaf* l = search<Node, Leaf>(*it->second, path, segs, i + 1, caps, want)) return l;
    if (n.param) {
        caps.push_back(segs[i]);
        if (const Leaf* l = search<Node, Leaf>(*n.param, path, segs, i + 1, caps, want)) return l;
        caps.pop_back();
    }
    if (n.rest && want(*n.rest)) {
        // Everything from this segment on, as sent (a trailing slash included).
        size_t from = static_cast<size_t>(segs[i].data() - path.data());
        caps.push_back(path.substr(from));
        return n.rest.get();
    }
    return nullptr;
}

}  // namespace

void RouteTable::match(std::string_view method, std::string_view path, const std::vector<std::string_view>& segments,
                       RouteMatch& m) const {
    m.target = RouteMatch::kNone;
    m.any_target = RouteMatch::kNone;
    m.path_found = false;
    m.allow = {};
    m.captures.clear();
    auto for_method = [&](const Leaf& l) { return l.find(method) != RouteMatch::kNone; };
    if (const Leaf* l = search<Node, Leaf>(*root_, path, segments, 0, m.captures, for_method)) {
        m.target = m.any_target = l->find(method);
        m.path_found = true;
        m.allow = l->allow;
        return;
    }
    m.captures.clear();
    auto any = [](const Leaf& l) { return !l.routes.empty(); };
    if (const Leaf* l = search<Node, Leaf>(*root_, path, segments, 0, m.captures, any)) {
        m.path_found = true;
        m.allow = l->allow;
        m.any_target = l->routes.front().second;
    }
    m.captures.clear();
}

}  // namespace modrt::http
