// What an expression reads: the four names of Wippy's expression environment,
// as views into the decision's own data (nothing is copied per decision).
#pragma once

#include <modrt/sdk.hpp>

#include <string_view>

namespace modrt::security::expr {

struct Env {
    bool has_actor = false;  // false: actor.id and actor.meta read nil
    std::string_view actor_id;
    ValueView actor_meta;
    std::string_view action;
    std::string_view resource;
    ValueView meta;  // nil when the check passed none
};

}  // namespace modrt::security::expr
