// Asynchronous calls and their futures (host->call_async and future_*).
#pragma once

#include "calling/call_path.hpp"

#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

namespace modrt::kernel {

/// The async calls started under one frame, while that frame runs.
struct ChildList {
    std::mutex mutex;
    bool open = true;                  // false once the frame has ended and canceled what was left
    std::vector<modrt_future*> calls;  // each holds a reference
};

/// Start `id` on its pool as a child of `parent` (null: a root call); *out gets an owned future.
modrt_error* call_async(modrt_runtime* rt, modrt_frame* parent, std::string_view id, const modrt_value* args,
                        const modrt_call_options* options, modrt_future** out);

void future_retain(modrt_future* f);
void future_release(modrt_future* f);
int future_done(const modrt_future* f);
modrt_error* future_wait(modrt_future* f, const modrt_frame* waiter);
modrt_error* future_result(const modrt_future* f, modrt_value* result);
int future_cancel(modrt_future* f);
void future_on_done(modrt_future* f, modrt_future_cb cb, void* user);

}  // namespace modrt::kernel
