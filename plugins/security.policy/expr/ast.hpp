// The parsed form of a policy expression: a tree of nodes, built once at load
// and only read afterwards (so decisions on many threads share it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace modrt::security::expr {

enum class Op : uint8_t {
    // leaves
    Nil, Bool, Int, Float, String,
    ActorId, ActorMeta, Action, Resource, Meta,  // the environment
    // structure
    List,    // [a, b, ...]
    Member,  // kids[0].key (also kids[0]["key"] with a literal key)
    Index,   // kids[0][kids[1]]
    Call,    // func(kids...)
    // operators
    Not, Neg,
    And, Or,
    Eq, Ne, Lt, Le, Gt, Ge,
    Add, Sub, Mul, Div, Mod,
    In, Contains, StartsWith, EndsWith, Matches,
    Coalesce,     // a ?? b
    Conditional,  // kids[0] ? kids[1] : kids[2]
};

enum class Func : uint8_t { Len, HasPrefix, HasSuffix, Lower, Upper };

struct Node {
    Op op = Op::Nil;
    bool negate = false;  // `not in`, `not matches`, ...: the operator's result inverted
    size_t pos = 0;       // where it was written, for messages
    int height = 1;       // levels below and including this node (evaluation recurses once per level)
    bool b = false;
    int64_t i = 0;
    double f = 0;
    std::string s;  // String literal; Member key
    Func func = Func::Len;
    std::optional<std::regex> regex;  // Matches: its literal pattern, compiled at load
    std::vector<std::unique_ptr<Node>> kids;
};

}  // namespace modrt::security::expr
