// The runtime's security provider: which plugin serves it, and what a load settles
// (strict mode, the outside caller). The call path's side is call_permissions.hpp,
// the registry entry's is security_settings.hpp, the host verbs are in host_api.cpp.
#pragma once

#include <modrt/abi.h>

#include <string>

struct modrt_runtime;

namespace modrt::kernel {

class LoadedPlugin;

/// Make `api` (plugin `owner`'s) the runtime's security provider. "" when it now serves
/// (or already did); otherwise why not: a second provider is refused, since two policy
/// engines would each see half the calls' rules.
std::string adopt_security_provider(modrt_runtime& rt, const modrt_security_api* api, const LoadedPlugin& owner);

/// After a load: settle strict mode (runtime.security, else the provider's say) and build
/// the parent frame of outside calls when runtime.security names an actor or scope.
void settle_security(modrt_runtime& rt);

}  // namespace modrt::kernel
