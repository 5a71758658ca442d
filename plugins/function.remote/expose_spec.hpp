// A function.expose entry as read from the registry (README.md has every field).
#pragma once

#include "connection_spec.hpp"

#include <modrt/sdk.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace modrt::remote {

struct ExposeSpec {
    std::string id;
    nats::ConnectionSpec connection;
    std::string prefix;
    std::vector<std::string> functions;       // ids served, each on <prefix>.<id>
    std::string queue;                        // queue group prefix: group of a function = <queue>.<id>
    size_t concurrency = 64;                  // calls of this entry running at once
    std::chrono::nanoseconds max_timeout{0};  // cap on a call's remaining time; 0: none

    /// Read and check the entry; throws Failure naming the field.
    static ExposeSpec from_entry(const EntryInfo& info);
};

}  // namespace modrt::remote
