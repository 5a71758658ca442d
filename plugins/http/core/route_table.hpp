// Routing of one HTTP service: endpoint path patterns ("/users/{id}", "/files/{path...}")
// in a segment trie. A static segment beats a parameter, a parameter beats a trailing
// {rest...}; a branch that fails deeper falls back to the next (so "/a/{x}/d" still serves
// "/a/b/d" next to "/a/b/c"). Matching runs on the percent-decoded path, and a trailing
// slash is not significant ("/users/" is "/users"). No regular expressions.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::http {

/// A checked path pattern.
struct RoutePattern {
    std::string text;                      // as written, e.g. "/api/users/{id}"
    std::string key;                       // parameter names erased: "/api/users/{}"; equal keys collide
    std::vector<std::string> segments;     // static text, or "{}" / "{...}" for a parameter / the rest
    std::vector<std::string> param_names;  // in order; the rest parameter last
};

/// Read a pattern ("/", "/users/{id}", "/files/{path...}"); false with `error` saying why.
bool parse_pattern(std::string_view text, RoutePattern& out, std::string& error);

/// Split a decoded request path into segments ("/a/b/" -> a, b; "/" -> none), as views of `path`.
void split_path(std::string_view path, std::vector<std::string_view>& out);

/// What a request path found.
struct RouteMatch {
    static constexpr size_t kNone = static_cast<size_t>(-1);
    size_t target = kNone;                   // the endpoint for the method; kNone when none
    bool path_found = false;                 // some endpoint has this path (kNone target: 405, or OPTIONS)
    std::string_view allow;                  // the path's methods, for Allow ("GET, HEAD, OPTIONS")
    size_t any_target = kNone;               // an endpoint of the path, whatever its method (its router answers)
    std::vector<std::string_view> captures;  // parameter values, in pattern order
};

class RouteTable {
public:
    RouteTable();
    ~RouteTable();
    RouteTable(RouteTable&&) noexcept;
    RouteTable& operator=(RouteTable&&) noexcept;

    /// Add an endpoint: `method` ("GET", ..., or "*") at `pattern`, answered by `target`.
    /// Adding the same method and key twice keeps the first (load_finished refuses that).
    void add(std::string_view method, const RoutePattern& pattern, size_t target);

    /// Match `segments` of decoded `path` (split_path) for `method`; fills `m`.
    void match(std::string_view method, std::string_view path, const std::vector<std::string_view>& segments,
               RouteMatch& m) const;

private:
    struct Leaf;
    struct Node;
    std::unique_ptr<Node> root_;
};

}  // namespace modrt::http
