// Reused values of synchronous calls made from Lua (call_slots.hpp).
#include "vm/call_slots.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {

CallSlot* CallSlots::acquire() noexcept {
    const modrt_host_api& h = host_api();
    if (used_ == made_) {
        if (made_ == kMaxLevels) return nullptr;
        CallSlot fresh{h.value_new(), h.value_new(), nullptr};
        if (fresh.args == nullptr || fresh.result == nullptr) {  // out of memory: the caller uses its own
            h.value_free(fresh.args);
            h.value_free(fresh.result);
            return nullptr;
        }
        slots_[made_++] = fresh;
    }
    // Neither value is cleared: the call writes its arguments whole (read_arguments) and the
    // kernel its result (host call), each keeping the memory the last call at this level left.
    CallSlot& s = slots_[used_++];
    if (s.error != nullptr) {  // a Lua error stopped its last user before it was pushed
        h.error_free(s.error);
        s.error = nullptr;
    }
    return &s;
}

void CallSlots::free_all() noexcept {
    if (made_ == 0) return;
    const modrt_host_api& h = host_api();
    for (size_t i = 0; i < made_; ++i) {
        CallSlot& s = slots_[i];
        h.value_free(s.args);
        h.value_free(s.result);
        if (s.error != nullptr) h.error_free(s.error);
        s = CallSlot{};
    }
    made_ = 0;
    used_ = 0;
}

}  // namespace modrt::lua
