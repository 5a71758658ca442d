// cnats statuses as modrt errors (nats_status.hpp).
#include "nats_status.hpp"

#include <string>

namespace modrt::nats {

namespace {

struct Mapped {
    modrt_error_kind kind;
    bool retryable;
};

Mapped map_status(natsStatus s) {
    switch (s) {
        case NATS_TIMEOUT: return {MODRT_ERR_TIMEOUT, true};
        case NATS_NO_RESPONDERS:
        case NATS_NO_SERVER:
        case NATS_NOT_YET_CONNECTED:
        case NATS_CONNECTION_CLOSED:
        case NATS_CONNECTION_DISCONNECTED:
        case NATS_IO_ERROR:
        case NATS_STALE_CONNECTION:
        case NATS_SLOW_CONSUMER:
        case NATS_DRAINING:
        case NATS_INSUFFICIENT_BUFFER: return {MODRT_ERR_UNAVAILABLE, true};
        case NATS_NOT_PERMITTED:
        case NATS_CONNECTION_AUTH_FAILED: return {MODRT_ERR_PERMISSION_DENIED, false};
        case NATS_INVALID_ARG:
        case NATS_INVALID_SUBJECT:
        case NATS_INVALID_TIMEOUT:
        case NATS_MAX_PAYLOAD:
        case NATS_PROTOCOL_ERROR: return {MODRT_ERR_INVALID, false};
        case NATS_NOT_FOUND: return {MODRT_ERR_NOT_FOUND, false};
        case NATS_NO_MEMORY: return {MODRT_ERR_UNAVAILABLE, true};
        default: return {MODRT_ERR_INTERNAL, false};
    }
}

}  // namespace

Error status_error(natsStatus status, std::string_view what) {
    Mapped m = map_status(status);
    std::string message = std::string(what) + ": " + natsStatus_GetText(status);
    // The thread's last error often says more (which server, which subject); it is this
    // thread's, so it belongs to the call that just failed.
    natsStatus last = NATS_OK;
    const char* detail = nats_GetLastError(&last);
    if (last == status && detail != nullptr && *detail != '\0' && std::string_view(detail) != natsStatus_GetText(status))
        message += std::string(" (") + detail + ")";
    return std::move(Error(m.kind, message).set_retryable(m.retryable));
}

}  // namespace modrt::nats
