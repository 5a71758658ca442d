// Starting, stopping and letting go of one trigger (trigger_handle.hpp).
#include "triggers/trigger_handle.hpp"

#include "calling/frame.hpp"
#include "calling/plugin_guard.hpp"
#include "runtime/logging.hpp"

namespace modrt::kernel {

modrt_error* TriggerHandle::start() {
    Value out = Value::map();
    modrt_error* err = call_plugin(owner, "trigger start", [&] { return api->start(handle, &out); });
    if (err != nullptr) return err;
    running = true;
    listen.clear();
    if (const Value* l = out.find("listen"); l != nullptr && l->type == MODRT_ARRAY)
        for (const Value& item : l->items)
            if (item.type == MODRT_STRING) listen.push_back(item.str);
    return nullptr;
}

void TriggerHandle::stop(int64_t deadline_ns) {
    if (!running) return;
    running = false;
    if (std::string threw = call_plugin_void(owner, "trigger stop", [&] { api->stop(handle, deadline_ns); });
        !threw.empty())
        logger()->error("{}", threw);  // its threads may still run: nothing more the kernel can do
}

TriggerHandle::~TriggerHandle() {
    stop(now_ns());
    if (handle == nullptr) return;
    try {
        if (std::string threw = call_plugin_void(owner, "trigger destroy", [&] { api->destroy(plugin, handle); });
            !threw.empty())
            logger()->error("{}", threw);
    } catch (...) {  // not even the message fits in memory
    }
}

}  // namespace modrt::kernel
