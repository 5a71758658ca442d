// Building a declared type's runtime value (type_codegen.hpp). Names of other types
// resolve lazily (a declaration may name one declared later, or itself).
#include "typed/type_codegen.hpp"

#include "typed/typed_translate.hpp"

#include <algorithm>
#include <array>

namespace modrt::lua::typed {
namespace {

// Names the runtime knows without a declaration (type_runtime.cpp's primitives).
constexpr std::array<std::string_view, 13> kPrimitives = {"number", "integer", "string", "boolean", "any",
                                                          "unknown", "nil", "never", "table", "function",
                                                          "thread", "userdata", "error"};

// The alias a declaration binds the runtime to: a name no type can take (types are Names
// of the source, and this one is reserved by the README).
constexpr std::string_view kAlias = "__modrt_t";

class Emitter {
public:
    Emitter(const Declaration& d, const std::vector<TypeNode>& nodes) : d_(d), nodes_(nodes), line_(d.first_line) {}

    std::string run() {
        out_ += "local ";
        out_ += d_.name;
        out_ += ";do local ";
        out_ += kAlias;
        out_ += "=";
        out_ += kTypesGlobal;
        out_ += ";";
        out_ += d_.name;
        out_ += "=";
        out_ += kAlias;
        out_ += ".decl(\"";
        out_ += d_.name;
        out_ += "\",";
        node(d_.root);
        sync(d_.last_line);
        out_ += ") end ";
        return std::move(out_);
    }

private:
    void sync(uint32_t line) {
        while (line_ < line) {
            out_ += '\n';
            ++line_;
        }
    }
    void raw(std::string_view text) {
        out_ += text;
        line_ += count_newlines(text);
    }
    void call(std::string_view fn) {
        out_ += kAlias;
        out_ += '.';
        out_ += fn;
        out_ += '(';
    }
    void quoted(std::string_view s) {
        out_ += '"';
        for (char c : s) {
            if (c == '"' || c == '\\') out_ += '\\';
            out_ += c;
        }
        out_ += '"';
    }
    void list(const std::vector<uint32_t>& kids) {
        out_ += '{';
        for (uint32_t k : kids) {
            node(static_cast<int>(k));
            out_ += ',';
        }
        out_ += '}';
    }

    void node(int i) {
        const TypeNode& n = nodes_[static_cast<size_t>(i)];
        sync(n.line);
        switch (n.kind) {
            case TypeKind::Named: named(n.text); break;
            case TypeKind::Literal:
                call("lit");
                raw(n.text);
                out_ += ')';
                break;
            case TypeKind::Optional:
                call("opt");
                node(static_cast<int>(n.kids[0]));
                out_ += ')';
                break;
            case TypeKind::Union:
                call("union");
                list(n.kids);
                out_ += ')';
                break;
            case TypeKind::Inter:
                call("inter");
                list(n.kids);
                out_ += ')';
                break;
            case TypeKind::Array:
                call("array");
                node(static_cast<int>(n.kids[0]));
                out_ += ')';
                break;
            case TypeKind::Map:
                call("map");
                node(static_cast<int>(n.kids[0]));
                out_ += ',';
                node(static_cast<int>(n.kids[1]));
                out_ += ')';
                break;
            case TypeKind::Record:
                call("record");
                out_ += '{';
                for (size_t f = 0; f < n.kids.size(); ++f) {
                    sync(n.field_lines[f]);
                    out_ += '{';
                    quoted(n.fields[f]);
                    out_ += ',';
                    node(static_cast<int>(n.kids[f]));
                    out_ += n.field_optional[f] ? ",true}," : ",false},";
                }
                out_ += "})";
                break;
            case TypeKind::Func:
                call("func");
                list(n.kids);
                out_ += ')';
                break;
            case TypeKind::Tuple:
                call("tuple");
                list(n.kids);
                out_ += ')';
                break;
            case TypeKind::Checked:
                call("check");
                node(static_cast<int>(n.kids[0]));
                out_ += ",{";
                for (const Validator& v : n.validators) {
                    out_ += '{';
                    quoted(v.name);
                    if (!v.args.empty()) {
                        out_ += ',';
                        raw(v.args);
                    }
                    out_ += "},";
                }
                out_ += "})";
                break;
        }
    }

    void named(const std::string& name) {
        if (std::find(d_.generics.begin(), d_.generics.end(), name) != d_.generics.end()) {
            call("prim");
            out_ += "\"any\")";
        } else if (std::find(kPrimitives.begin(), kPrimitives.end(), name) != kPrimitives.end()) {
            call("prim");
            quoted(name);
            out_ += ')';
        } else {
            call("ref");
            quoted(name);
            out_ += ",function() return ";
            out_ += name;
            out_ += " end)";
        }
    }

    const Declaration& d_;
    const std::vector<TypeNode>& nodes_;
    uint32_t line_;
    std::string out_;
};

}  // namespace

uint32_t count_newlines(std::string_view text) noexcept {
    uint32_t n = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (!is_newline(text[i])) continue;
        if (i + 1 < text.size() && is_newline(text[i + 1]) && text[i + 1] != text[i]) ++i;
        ++n;
    }
    return n;
}

std::string declaration_code(const Declaration& d, const std::vector<TypeNode>& nodes) {
    return Emitter(d, nodes).run();
}

}  // namespace modrt::lua::typed
