// Publishing from `modrt serve` (serve_publish.hpp).
#include "serve_publish.hpp"

#include <modrt/kernel/error.hpp>
#include <modrt/kernel/json.hpp>
#include <modrt/queue.h>

#include <iostream>

namespace modrt::cli {

std::optional<std::vector<PublishRequest>> parse_publish_requests(const std::vector<std::string>& texts) {
    std::vector<PublishRequest> out;
    for (const auto& t : texts) {
        size_t eq = t.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::cerr << "modrt: --publish " << t << ": expected QUEUE_ID=JSON, such as app:tasks='{\"n\":1}'\n";
            return std::nullopt;
        }
        PublishRequest r;
        r.queue = t.substr(0, eq);
        if (auto err = kernel::parse_json(std::string_view(t).substr(eq + 1), r.body)) {
            std::cerr << "modrt: --publish " << r.queue << ": the message is not JSON: " << err->message << "\n";
            return std::nullopt;
        }
        out.push_back(std::move(r));
    }
    return out;
}

bool publish_all(kernel::Runtime& rt, const std::vector<PublishRequest>& requests) {
    const modrt_host_api& host = rt.host_api();
    // One root frame for all: the outside caller (runtime.security's actor and scope) publishes.
    modrt_call_options options{};
    options.struct_size = sizeof options;
    modrt_frame* frame = host.root_frame_new(rt.handle(), &options, modrt_str{nullptr, 0}, nullptr);
    if (frame == nullptr) {
        std::cerr << "modrt: --publish: out of memory\n";
        return false;
    }
    bool ok = true;
    for (const auto& r : requests) {
        void* self = nullptr;
        auto* api = static_cast<const modrt_queue_api*>(
            host.entry_interface(rt.handle(), modrt_str{r.queue.data(), r.queue.size()},
                                 modrt_str{MODRT_QUEUE_INTERFACE, sizeof(MODRT_QUEUE_INTERFACE) - 1}, &self));
        if (api == nullptr) {
            std::cerr << "modrt: --publish " << r.queue << ": no queue.queue entry of that id\n";
            ok = false;
            break;
        }
        kernel::ErrorPtr err(api->publish(self, frame, &r.body, nullptr));
        if (err) {
            std::cerr << "modrt: --publish " << r.queue << ": " << kernel::kind_name(err->kind) << ": " << err->message
                      << "\n";
            ok = false;
            break;
        }
    }
    host.root_frame_release(frame);
    if (ok && !requests.empty()) std::cerr << "modrt: published " << requests.size() << " message(s)\n";
    return ok;
}

}  // namespace modrt::cli
