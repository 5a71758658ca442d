// The function.remote plugin: `function.remote` entries call functions on other nodes over
// NATS; `function.expose` entries serve this node's functions to them (README.md).
#include "expose_kind.hpp"
#include "remote_kind.hpp"

MODRT_PLUGIN("function.remote", "1.0.0", modrt::provide_kind<modrt::remote::RemoteKind>("function.remote"),
             modrt::provide_trigger<modrt::remote::ExposeKind>("function.expose"))
