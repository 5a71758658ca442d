// Native functions the contract tests bind to contracts (function.native; not a plugin).
#include <modrt/sdk.hpp>

#include <string>

// echo(x) -> x (nil without arguments): the result is whatever the caller sends
MODRT_NATIVE_FUNCTION(echo) {
    if (args.size() > 0) result.copy_from(args[0]);
    return {};
}

// greet_en(name) -> "Hello, <name>!"
MODRT_NATIVE_FUNCTION(greet_en) {
    result.set_string("Hello, " + std::string(args[0].as_string()) + "!");
    return {};
}

// greet_fr(name) -> "Bonjour, <name> !"
MODRT_NATIVE_FUNCTION(greet_fr) {
    result.set_string("Bonjour, " + std::string(args[0].as_string()) + " !");
    return {};
}

// count(...) -> the number of arguments
MODRT_NATIVE_FUNCTION(count) {
    result.set_int(static_cast<int64_t>(args.size()));
    return {};
}
