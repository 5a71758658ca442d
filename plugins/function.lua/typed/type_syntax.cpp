// Typed Lua's type grammar (type_syntax.hpp):
//   type    := ['|'] inter {'|' inter}
//   inter   := postfix {'&' postfix}
//   postfix := primary {'?'} {'@' Name ['(' literals ')']}
//   primary := Name {'.' Name} ['<' type {',' type} '>'] | literal
//            | '{' [record | '[' type ']' ':' type | type] '}'
//            | '(' [item {',' item}] ')' ['->' type]      item := [Name ':'] type | '...' [':'] [type]
#include "typed/type_syntax.hpp"

#include <utility>

namespace modrt::lua::typed {
namespace {

// Nesting deeper than this is refused: a hostile source must not exhaust the native stack.
constexpr int kMaxSyntaxDepth = 200;

std::string describe(const Token& t) {
    if (t.kind == TokenKind::End) return "the end of the source";
    return "'" + std::string(t.text.substr(0, 40)) + "'";
}

}  // namespace

int TypeParser::fail(size_t at, std::string message) {
    if (error_.message.empty()) {
        error_.line = tok(at).line;
        error_.message = std::move(message) + " near " + describe(tok(at));
    }
    return -1;
}

int TypeParser::add(TypeKind kind, size_t at) {
    nodes_.push_back(TypeNode{kind, tok(at).line, {}, {}, {}, {}, {}, {}});
    return static_cast<int>(nodes_.size() - 1);
}

int TypeParser::parse_type(size_t& pos) {
    if (++depth_ > kMaxSyntaxDepth) {
        --depth_;
        return fail(pos, "type nested too deeply");
    }
    int r = union_type(pos);
    --depth_;
    return r;
}

int TypeParser::union_type(size_t& p) {
    size_t start = p;
    if (tok(p).is("|")) ++p;  // a leading '|' lines up multi-line unions
    int first = inter_type(p);
    if (first < 0 || !tok(p).is("|")) return first;
    int u = add(TypeKind::Union, start);
    nodes_[u].kids.push_back(static_cast<uint32_t>(first));
    while (tok(p).is("|")) {
        ++p;
        int next = inter_type(p);
        if (next < 0) return -1;
        nodes_[u].kids.push_back(static_cast<uint32_t>(next));
    }
    return u;
}

int TypeParser::inter_type(size_t& p) {
    size_t start = p;
    int first = postfix_type(p);
    if (first < 0 || !tok(p).is("&")) return first;
    int n = add(TypeKind::Inter, start);
    nodes_[n].kids.push_back(static_cast<uint32_t>(first));
    while (tok(p).is("&")) {
        ++p;
        int next = postfix_type(p);
        if (next < 0) return -1;
        nodes_[n].kids.push_back(static_cast<uint32_t>(next));
    }
    return n;
}

int TypeParser::postfix_type(size_t& p) {
    size_t start = p;
    int n = primary_type(p);
    if (n < 0) return -1;
    while (tok(p).is("?")) {
        int o = add(TypeKind::Optional, start);
        nodes_[o].kids.push_back(static_cast<uint32_t>(n));
        n = o;
        ++p;
    }
    if (!validators(p, n)) return -1;
    return n;
}

bool TypeParser::validators(size_t& p, int& node) {
    if (!tok(p).is("@")) return true;
    int c = add(TypeKind::Checked, p);
    nodes_[c].line = nodes_[static_cast<size_t>(node)].line;  // the code for it starts where the type does
    nodes_[c].kids.push_back(static_cast<uint32_t>(node));
    while (tok(p).is("@")) {
        ++p;
        if (!tok(p).is_name()) return fail(p, "expected a validator name after '@'") >= 0;
        Validator v{tok(p).text, {}};
        ++p;
        if (tok(p).is("(")) {
            ++p;
            // Arguments are literals (a number, maybe negative; a string; true/false/nil).
            while (!tok(p).is(")")) {
                const Token& a = tok(p);
                if (a.is("-") && tok(p + 1).kind == TokenKind::Number) {
                    v.args += "-";
                    ++p;
                } else if (a.kind != TokenKind::Number && a.kind != TokenKind::String && !a.is("true") &&
                           !a.is("false") && !a.is("nil")) {
                    return fail(p, "expected a literal argument of @" + std::string(v.name)) >= 0;
                }
                v.args += tok(p).text;
                ++p;
                if (tok(p).is(",")) {
                    v.args += ",";
                    ++p;
                } else if (!tok(p).is(")")) {
                    return fail(p, "expected ',' or ')' in the arguments of @" + std::string(v.name)) >= 0;
                }
            }
            ++p;
        }
        nodes_[c].validators.push_back(std::move(v));
    }
    node = c;
    return true;
}

bool TypeParser::generic_args(size_t& p) {
    ++p;  // '<'
    for (;;) {
        if (parse_type(p) < 0) return false;
        if (tok(p).is(",")) {
            ++p;
            continue;
        }
        if (tok(p).is(">")) {
            ++p;
            return true;
        }
        return fail(p, "expected ',' or '>' in type arguments") >= 0;
    }
}

int TypeParser::primary_type(size_t& p) {
    const Token& t = tok(p);
    if (t.kind == TokenKind::String || t.kind == TokenKind::Number || t.is("true") || t.is("false") || t.is("nil")) {
        int n = add(TypeKind::Literal, p);
        nodes_[n].text = std::string(t.text);
        ++p;
        return n;
    }
    if (t.is("-") && tok(p + 1).kind == TokenKind::Number) {
        int n = add(TypeKind::Literal, p);
        nodes_[n].text = "-" + std::string(tok(p + 1).text);
        p += 2;
        return n;
    }
    if (t.is("function")) {  // `function` names the type of every function
        int n = add(TypeKind::Named, p);
        nodes_[n].text = "function";
        ++p;
        return n;
    }
    if (t.is_name()) {
        int n = add(TypeKind::Named, p);
        std::string name(t.text);
        ++p;
        while (tok(p).is(".") && tok(p + 1).is_name()) {
            name += ".";
            name += tok(p + 1).text;
            p += 2;
        }
        nodes_[n].text = std::move(name);
        if (tok(p).is("<")) {
            // `x as T < 3` compares: arguments that do not parse are not arguments.
            size_t save = p;
            size_t saved_nodes = nodes_.size();
            SyntaxError saved_error = error_;
            if (!generic_args(p)) {
                p = save;
                nodes_.resize(saved_nodes);
                error_ = std::move(saved_error);
            }
        }
        return n;
    }
    if (t.is("{")) return table_type(p);
    if (t.is("(")) return paren_type(p);
    return fail(p, "expected a type");
}

int TypeParser::table_type(size_t& p) {
    size_t open = p;
    ++p;
    if (tok(p).is("}")) {  // `{}`: any table
        int n = add(TypeKind::Named, open);
        nodes_[n].text = "table";
        ++p;
        return n;
    }
    if (tok(p).is("[") && tok(p + 1).kind != TokenKind::String) {
        int m = add(TypeKind::Map, open);
        ++p;
        int k = parse_type(p);
        if (k < 0) return -1;
        if (!tok(p).is("]")) return fail(p, "expected ']' in a map type");
        ++p;
        if (!tok(p).is(":")) return fail(p, "expected ':' after the key type of a map");
        ++p;
        int v = parse_type(p);
        if (v < 0) return -1;
        nodes_[m].kids = {static_cast<uint32_t>(k), static_cast<uint32_t>(v)};
        if (tok(p).is(",") || tok(p).is(";")) ++p;
        if (!tok(p).is("}")) return fail(p, "expected '}' after a map type");
        ++p;
        return m;
    }
    auto field_start = [&](size_t i) {
        const Token& a = tok(i);
        if (a.kind == TokenKind::Name || a.kind == TokenKind::Keyword)
            return tok(i + 1).is(":") || (tok(i + 1).is("?") && tok(i + 2).is(":"));
        return a.is("[") && tok(i + 1).kind == TokenKind::String && tok(i + 2).is("]");
    };
    if (!field_start(p)) {  // `{T}`: an array
        int a = add(TypeKind::Array, open);
        int e = parse_type(p);
        if (e < 0) return -1;
        nodes_[a].kids.push_back(static_cast<uint32_t>(e));
        if (!tok(p).is("}")) return fail(p, "expected '}' after an array type");
        ++p;
        return a;
    }
    int r = add(TypeKind::Record, open);
    while (!tok(p).is("}")) {
        if (!field_start(p)) return fail(p, "expected a field (name: type) in a record type");
        std::string name;
        uint32_t line = tok(p).line;
        if (tok(p).is("[")) {  // ["content-type"]: string
            std::string_view q = tok(p + 1).text;
            if (q.size() < 2 || q.front() == '[' || q.find('\\') != std::string_view::npos)
                return fail(p + 1, "expected a plain quoted field name");
            name = std::string(q.substr(1, q.size() - 2));
            p += 3;
        } else {
            name = std::string(tok(p).text);
            ++p;
        }
        bool optional = false;
        if (tok(p).is("?")) {
            optional = true;
            ++p;
        }
        ++p;  // ':'
        int ft = parse_type(p);
        if (ft < 0) return -1;
        nodes_[r].fields.push_back(std::move(name));
        nodes_[r].field_lines.push_back(line);
        nodes_[r].field_optional.push_back(optional);
        nodes_[r].kids.push_back(static_cast<uint32_t>(ft));
        if (tok(p).is(",") || tok(p).is(";")) ++p;
        else if (!tok(p).is("}")) return fail(p, "expected ',' or '}' in a record type");
    }
    ++p;
    return r;
}

int TypeParser::paren_type(size_t& p) {
    size_t open = p;
    ++p;
    std::vector<uint32_t> items;
    while (!tok(p).is(")")) {
        if (tok(p).is("...")) {  // `...: T` or `...T`: variadic
            ++p;
            if (tok(p).is(":")) ++p;
            if (tok(p).is(",") || tok(p).is(")")) {
                int any = add(TypeKind::Named, p);
                nodes_[any].text = "any";
                items.push_back(static_cast<uint32_t>(any));
            } else {
                int n = parse_type(p);
                if (n < 0) return -1;
                items.push_back(static_cast<uint32_t>(n));
            }
        } else {
            if (tok(p).is_name() && tok(p + 1).is(":")) p += 2;  // a parameter name
            int n = parse_type(p);
            if (n < 0) return -1;
            items.push_back(static_cast<uint32_t>(n));
        }
        if (tok(p).is(",")) ++p;
        else if (!tok(p).is(")")) return fail(p, "expected ',' or ')' in a parenthesised type");
    }
    ++p;
    if (tok(p).is("->")) {
        ++p;
        int ret = parse_type(p);
        if (ret < 0) return -1;
        int f = add(TypeKind::Func, open);
        nodes_[f].kids = std::move(items);
        nodes_[f].kids.push_back(static_cast<uint32_t>(ret));
        return f;
    }
    if (items.size() == 1) return static_cast<int>(items[0]);  // grouping
    int tup = add(TypeKind::Tuple, open);
    nodes_[tup].kids = std::move(items);
    return tup;
}

bool TypeParser::parse_generic_params(size_t& pos, std::vector<std::string_view>* names) {
    ++pos;  // '<'
    for (;;) {
        if (!tok(pos).is_name()) return fail(pos, "expected a type parameter name") >= 0;
        if (names) names->push_back(tok(pos).text);
        ++pos;
        if (tok(pos).is(":")) {  // a constraint
            ++pos;
            if (parse_type(pos) < 0) return false;
        }
        if (tok(pos).is("=")) {  // a default
            ++pos;
            if (parse_type(pos) < 0) return false;
        }
        if (tok(pos).is(",")) {
            ++pos;
            continue;
        }
        if (tok(pos).is(">")) {
            ++pos;
            return true;
        }
        return fail(pos, "expected ',' or '>' after a type parameter") >= 0;
    }
}

}  // namespace modrt::lua::typed
