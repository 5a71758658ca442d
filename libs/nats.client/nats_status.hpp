// cnats statuses as modrt errors: one mapping, so that every NATS plugin answers a lost
// server, a missing responder or a refused login with the same kind and retryable flag.
#pragma once

#include <modrt/sdk.hpp>
#include <nats/nats.h>

#include <string_view>

namespace modrt::nats {

/// The error for `status` while doing `what` ("publish to jobs"), with cnats' own text.
/// Lost or unreachable servers and missing responders are retryable UNAVAILABLE, a timeout is
/// retryable TIMEOUT, a refused login PERMISSION_DENIED.
Error status_error(natsStatus status, std::string_view what);

/// Throw Failure(status_error(...)) unless `status` is NATS_OK.
inline void check(natsStatus status, std::string_view what) {
    if (status != NATS_OK) throw Failure(status_error(status, what));
}

}  // namespace modrt::nats
