// A value during evaluation: a scalar, a view of a host value (array, map),
// a literal list of the tree, or Error (a type error that makes the whole
// expression non-boolean). Trivially copyable: evaluation never allocates for it.
#pragma once

#include "ast.hpp"

#include <modrt/sdk.hpp>

#include <cstdint>
#include <string_view>

namespace modrt::security::expr {

struct Val {
    enum class Type : uint8_t { Nil, Bool, Int, Float, String, Array, Map, List, Other, Error };
    Type type = Type::Nil;
    bool b = false;
    int64_t i = 0;
    double f = 0;
    std::string_view s;
    ValueView v;                  // Array, Map
    const Node* list = nullptr;   // List: the [..] node, its items evaluated when read

    static Val nil() { return {}; }
    static Val error() { return of_type(Type::Error); }
    static Val boolean(bool x) {
        Val r = of_type(Type::Bool);
        r.b = x;
        return r;
    }
    static Val integer(int64_t x) {
        Val r = of_type(Type::Int);
        r.i = x;
        return r;
    }
    static Val number(double x) {
        Val r = of_type(Type::Float);
        r.f = x;
        return r;
    }
    static Val string(std::string_view x) {
        Val r = of_type(Type::String);
        r.s = x;
        return r;
    }
    static Val items(const Node* n) {
        Val r = of_type(Type::List);
        r.list = n;
        return r;
    }
    /// A host value; a missing one (null) is nil.
    static Val of(ValueView x) {
        if (x.raw() == nullptr) return nil();
        Val r;
        switch (x.type()) {
            case MODRT_NIL: return nil();
            case MODRT_BOOL: return boolean(x.as_bool());
            case MODRT_INT: return integer(x.as_int());
            case MODRT_NUMBER: return number(x.as_number());
            case MODRT_STRING: return string(x.as_string());
            case MODRT_ARRAY: r.type = Type::Array; break;
            case MODRT_MAP: r.type = Type::Map; break;
            default: r.type = Type::Other; break;  // bytes: equal to nothing
        }
        r.v = x;
        return r;
    }

    bool is(Type t) const { return type == t; }
    bool is_number() const { return type == Type::Int || type == Type::Float; }
    double as_double() const { return type == Type::Int ? static_cast<double>(i) : f; }

private:
    static Val of_type(Type t) {
        Val r;
        r.type = t;
        return r;
    }
};

}  // namespace modrt::security::expr
