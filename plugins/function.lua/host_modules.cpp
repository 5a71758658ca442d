// The table of host modules (host_modules.hpp).
#include "host_modules.hpp"

namespace modrt::lua {
namespace {

constexpr HostModule kModules[] = {
    {"funcs", nullptr},  // calling other functions: a later issue
    {"ctx", nullptr},    // the call's context values: a later issue
};

}  // namespace

const HostModule* find_host_module(std::string_view name) noexcept {
    for (const auto& m : kModules)
        if (name == m.name) return &m;
    return nullptr;
}

const char* host_module_names() noexcept { return "funcs, ctx"; }

}  // namespace modrt::lua
