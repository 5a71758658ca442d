// The evaluator (evaluator.hpp).
#include "evaluator.hpp"

#include <cmath>
#include <limits>
#include <optional>

namespace modrt::security::expr {
namespace {

using T = Val::Type;

// -1, 0, 1; nullopt when the two do not order (not both numbers or both strings, or NaN).
std::optional<int> order(const Val& a, const Val& b) {
    if (a.is(T::Int) && b.is(T::Int)) return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
    if (a.is_number() && b.is_number()) {
        double x = a.as_double(), y = b.as_double();
        if (std::isnan(x) || std::isnan(y)) return std::nullopt;
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.is(T::String) && b.is(T::String)) {
        int c = a.s.compare(b.s);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    return std::nullopt;
}

bool is_error(const Val& a, const Val& b) { return a.is(T::Error) || b.is(T::Error); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

bool equal(const Val& a, const Val& b) {
    if (a.is(T::Nil) || b.is(T::Nil)) return a.is(T::Nil) && b.is(T::Nil);
    if (a.is(T::Bool) && b.is(T::Bool)) return a.b == b.b;
    std::optional<int> c = order(a, b);
    return c && *c == 0;
}

std::string_view Evaluator::keep(std::string s) {
    strings_.push_front(std::move(s));
    return strings_.front();
}

Val Evaluator::eval(const Node& n) {
    switch (n.op) {
        case Op::Nil: return Val::nil();
        case Op::Bool: return Val::boolean(n.b);
        case Op::Int: return Val::integer(n.i);
        case Op::Float: return Val::number(n.f);
        case Op::String: return Val::string(n.s);
        case Op::ActorId: return env_.has_actor ? Val::string(env_.actor_id) : Val::nil();
        case Op::ActorMeta: return env_.has_actor ? Val::of(env_.actor_meta) : Val::nil();
        case Op::Action: return Val::string(env_.action);
        case Op::Resource: return Val::string(env_.resource);
        case Op::Meta: return Val::of(env_.meta);
        case Op::List: return Val::items(&n);
        case Op::Member: return member(n);
        case Op::Index: return index(n);
        case Op::Call: return call(n);
        case Op::Not: {
            Val v = eval(*n.kids[0]);
            return v.is(T::Bool) ? Val::boolean(!v.b) : Val::error();
        }
        case Op::Neg: {
            Val v = eval(*n.kids[0]);
            if (v.is(T::Int) && v.i != std::numeric_limits<int64_t>::min()) return Val::integer(-v.i);
            if (v.is(T::Float)) return Val::number(-v.f);
            return Val::error();
        }
        case Op::And:
        case Op::Or:
        case Op::Conditional: return logic(n);
        case Op::Eq:
        case Op::Ne: {
            Val a = eval(*n.kids[0]), b = eval(*n.kids[1]);
            if (is_error(a, b)) return Val::error();
            return Val::boolean(equal(a, b) == (n.op == Op::Eq));
        }
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge: {
            Val a = eval(*n.kids[0]), b = eval(*n.kids[1]);
            if (is_error(a, b)) return Val::error();
            std::optional<int> c = order(a, b);
            if (!c) return Val::boolean(false);
            bool r = n.op == Op::Lt ? *c < 0 : n.op == Op::Le ? *c <= 0 : n.op == Op::Gt ? *c > 0 : *c >= 0;
            return Val::boolean(r);
        }
        case Op::Add:
        case Op::Sub:
        case Op::Mul:
        case Op::Div:
        case Op::Mod: {
            Val a = eval(*n.kids[0]), b = eval(*n.kids[1]);
            return arithmetic(n.op, a, b);
        }
        case Op::In: {
            Val r = in(n);
            return r.is(T::Bool) && n.negate ? Val::boolean(!r.b) : r;
        }
        case Op::Contains:
        case Op::StartsWith:
        case Op::EndsWith:
        case Op::Matches: {
            Val r = text(n);
            return r.is(T::Bool) && n.negate ? Val::boolean(!r.b) : r;
        }
        case Op::Coalesce: {
            Val a = eval(*n.kids[0]);
            return a.is(T::Nil) ? eval(*n.kids[1]) : a;
        }
    }
    return Val::error();
}

Val Evaluator::member(const Node& n) {
    Val t = eval(*n.kids[0]);
    if (t.is(T::Error)) return t;
    if (!t.is(T::Map)) return Val::nil();  // a field of nil or of a scalar is missing, not an error
    return Val::of(t.v.find(n.s));
}

Val Evaluator::index(const Node& n) {
    Val t = eval(*n.kids[0]);
    Val k = eval(*n.kids[1]);
    if (is_error(t, k)) return Val::error();
    if (t.is(T::Map) && k.is(T::String)) return Val::of(t.v.find(k.s));
    if (!k.is(T::Int) || !(t.is(T::Array) || t.is(T::List))) return Val::nil();
    auto size = static_cast<int64_t>(t.is(T::Array) ? t.v.size() : t.list->kids.size());
    int64_t i = k.i < 0 ? size + k.i : k.i;  // a negative index counts from the end, as in expr-lang
    if (i < 0 || i >= size) return Val::nil();
    auto at = static_cast<size_t>(i);
    return t.is(T::Array) ? Val::of(t.v[at]) : eval(*t.list->kids[at]);
}

Val Evaluator::call(const Node& n) {
    Val a = eval(*n.kids[0]);
    if (a.is(T::Error)) return a;
    switch (n.func) {
        case Func::Len:
            if (a.is(T::String)) return Val::integer(static_cast<int64_t>(a.s.size()));
            if (a.is(T::Array) || a.is(T::Map)) return Val::integer(static_cast<int64_t>(a.v.size()));
            if (a.is(T::List)) return Val::integer(static_cast<int64_t>(a.list->kids.size()));
            if (a.is(T::Nil)) return Val::integer(0);  // a missing list is empty
            return Val::error();
        case Func::HasPrefix:
        case Func::HasSuffix: {
            Val b = eval(*n.kids[1]);
            if (b.is(T::Error)) return b;
            if (!a.is(T::String) || !b.is(T::String)) return Val::boolean(false);
            return Val::boolean(n.func == Func::HasPrefix ? a.s.starts_with(b.s) : a.s.ends_with(b.s));
        }
        case Func::Lower:
        case Func::Upper: {
            if (a.is(T::Nil)) return a;
            if (!a.is(T::String)) return Val::error();
            std::string s(a.s);
            for (char& c : s) c = n.func == Func::Lower ? lower(c) : upper(c);
            return Val::string(keep(std::move(s)));
        }
    }
    return Val::error();
}

// && || and ?: take booleans only (as expr-lang); && and || stop at the first that decides.
Val Evaluator::logic(const Node& n) {
    Val a = eval(*n.kids[0]);
    if (!a.is(T::Bool)) return Val::error();
    if (n.op == Op::Conditional) return eval(*n.kids[a.b ? 1 : 2]);
    if (a.b == (n.op == Op::Or)) return a;
    Val b = eval(*n.kids[1]);
    return b.is(T::Bool) ? b : Val::error();
}

Val Evaluator::arithmetic(Op op, const Val& a, const Val& b) {
    if (is_error(a, b)) return Val::error();
    if (op == Op::Add && a.is(T::String) && b.is(T::String)) {
        std::string s;
        s.reserve(a.s.size() + b.s.size());
        s.append(a.s).append(b.s);
        return Val::string(keep(std::move(s)));
    }
    if (!a.is_number() || !b.is_number()) return Val::error();
    if (op == Op::Div) return Val::number(a.as_double() / b.as_double());  // always a float, as in expr-lang
    if (op == Op::Mod) {
        if (!a.is(T::Int) || !b.is(T::Int) || b.i == 0) return Val::error();
        return Val::integer(b.i == -1 ? 0 : a.i % b.i);
    }
    if (a.is(T::Int) && b.is(T::Int)) {
        int64_t r = 0;
        bool overflow = op == Op::Add   ? __builtin_add_overflow(a.i, b.i, &r)
                        : op == Op::Sub ? __builtin_sub_overflow(a.i, b.i, &r)
                                        : __builtin_mul_overflow(a.i, b.i, &r);
        return overflow ? Val::error() : Val::integer(r);
    }
    double x = a.as_double(), y = b.as_double();
    return Val::number(op == Op::Add ? x + y : op == Op::Sub ? x - y : x * y);
}

// x in [..], x in an array (an equal item), key in a map. Anything else (nil included) holds nothing.
Val Evaluator::in(const Node& n) {
    Val x = eval(*n.kids[0]);
    Val set = eval(*n.kids[1]);
    if (is_error(x, set)) return Val::error();
    if (set.is(T::List)) {
        for (const auto& item : set.list->kids) {
            Val v = eval(*item);
            if (v.is(T::Error)) return v;
            if (equal(x, v)) return Val::boolean(true);
        }
        return Val::boolean(false);
    }
    if (set.is(T::Array)) {
        for (size_t i = 0, size = set.v.size(); i < size; ++i)
            if (equal(x, Val::of(set.v[i]))) return Val::boolean(true);
        return Val::boolean(false);
    }
    if (set.is(T::Map) && x.is(T::String)) return Val::boolean(set.v.find(x.s).raw() != nullptr);
    return Val::boolean(false);
}

// contains, startsWith, endsWith, matches: strings only; anything else (nil included) is false.
Val Evaluator::text(const Node& n) {
    Val a = eval(*n.kids[0]);
    if (n.op == Op::Matches) {
        if (a.is(T::Error)) return a;
        return Val::boolean(a.is(T::String) && std::regex_search(a.s.begin(), a.s.end(), *n.regex));
    }
    Val b = eval(*n.kids[1]);
    if (is_error(a, b)) return Val::error();
    if (!a.is(T::String) || !b.is(T::String)) return Val::boolean(false);
    if (n.op == Op::Contains) return Val::boolean(a.s.find(b.s) != std::string_view::npos);
    return Val::boolean(n.op == Op::StartsWith ? a.s.starts_with(b.s) : a.s.ends_with(b.s));
}

}  // namespace modrt::security::expr
