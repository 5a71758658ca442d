// A host value as nlohmann::json, read through the host API's hooks: what the contract
// plugin would have to do on every call to hand its input to a validator that wants JSON
// (valijson). The comparison tools time it and feed valijson with it.
#pragma once

#include "json_schema/host_values.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace modrt::bench {

inline nlohmann::json host_to_json(const contract::json_schema::detail::HostValues& host, const modrt_value* v) {
    switch (host.type(v)) {
        case MODRT_NIL:
            return nullptr;
        case MODRT_BOOL:
            return host.boolean(v);
        case MODRT_INT:
            return host.integer(v);
        case MODRT_NUMBER:
            return host.number(v);
        case MODRT_STRING:
        case MODRT_BYTES:  // as libs/json_schema reads them: a schema has no byte type
            return std::string(host.string(v));
        case MODRT_ARRAY: {
            nlohmann::json out = nlohmann::json::array();
            const size_t n = host.size(v);
            out.get_ref<nlohmann::json::array_t&>().reserve(n);
            for (size_t i = 0; i < n; ++i) out.push_back(host_to_json(host, host.at(v, i)));
            return out;
        }
        case MODRT_MAP: {
            nlohmann::json out = nlohmann::json::object();
            const size_t n = host.size(v);
            for (size_t i = 0; i < n; ++i) out[std::string(host.key(v, i))] = host_to_json(host, host.at(v, i));
            return out;
        }
    }
    return nullptr;
}

}  // namespace modrt::bench
