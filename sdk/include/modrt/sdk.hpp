// modrt SDK: a header-only C++20 layer over the C ABI in abi.h.
//
// It is compiled into each plugin, so nothing here crosses the ABI boundary:
// plugin authors write classes, the templates below turn them into the C
// tables the kernel reads, and every C++ exception is caught at the boundary
// and returned as a modrt_error.
//
//   class MyPool : public modrt::Pool { ... };
//   MODRT_PLUGIN("my.pools", "1.0.0", modrt::provide_pool<MyPool>("pool.mine"))
//
// The layers, each its own header under modrt/sdk/, each including the one before:
//   host.hpp        the process-wide host table
//   values.hpp      ValueView, ValueSlot, Value
//   errors.hpp      Error, Failure
//   calls.hpp       Frame, Future, Host, EntryInfo, log
//   interfaces.hpp  FunctionKind, Pool, Interceptor, SecurityProvider, ContractProvider
//   boundary.hpp    (detail) the C tables built from those classes
//   plugin.hpp      provide_*, MODRT_PLUGIN, MODRT_NATIVE_FUNCTION
#ifndef MODRT_SDK_HPP
#define MODRT_SDK_HPP

#include <modrt/sdk/http_exchange.hpp>
#include <modrt/sdk/plugin.hpp>

#endif  // MODRT_SDK_HPP
