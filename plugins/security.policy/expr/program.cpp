// Programs (program.hpp).
#include "program.hpp"

#include "evaluator.hpp"
#include "parser.hpp"

#include <string>

namespace modrt::security::expr {

Program::Program(std::string_view source) : root_(parse(source)) {}

std::optional<bool> Program::evaluate(const Env& env) const {
    Evaluator evaluator(env);
    Val v = evaluator.eval(*root_);
    if (!v.is(Val::Type::Bool)) return std::nullopt;
    return v.b;
}

std::string position(std::string_view source, size_t pos) {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < pos && i < source.size(); ++i) {
        if (source[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
            ++column;
        }
    }
    std::string_view body = source.substr(0, source.find_last_not_of(" \t\r\n") + 1);
    bool several_lines = body.find('\n') != std::string_view::npos;
    return several_lines ? "line " + std::to_string(line) + ", column " + std::to_string(column)
                         : "column " + std::to_string(column);
}

}  // namespace modrt::security::expr
